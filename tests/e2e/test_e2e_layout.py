"""The map is the main thing of the Overview, Parcels and Airport pages at 1400×900: at least 60 % of
the main area's width, at least 600 px high, its top in view without scrolling."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from test_e2e_app import MAP_IFRAME, _map_frame

pytestmark = pytest.mark.e2e

_MAIN = '[data-testid="stMainBlockContainer"]'


@pytest.fixture()
def small_window(browser: object):  # type: ignore[no-untyped-def]
    from e2e_support import PageProbe

    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")  # type: ignore[attr-defined]
    try:
        yield PageProbe(context.new_page())
    finally:
        context.close()


@pytest.mark.parametrize("path", ["/", "/parcels", "/airport"])
def test_the_map_is_the_main_thing_of_the_page(app_url: str, small_window, path: str) -> None:  # type: ignore[no-untyped-def]
    page = small_window.page
    page.goto(app_url + path)
    _map_frame(small_window)
    main = page.locator(_MAIN).first.bounding_box()
    box = page.locator(MAP_IFRAME).first.bounding_box()
    assert main is not None and box is not None
    assert box["width"] >= 0.6 * main["width"], (box, main)
    assert box["height"] >= 600, box
    assert 0 <= box["y"] < 900 - 100, box  # its top, and some of it, without scrolling
