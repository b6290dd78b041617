"""``window.huliMap`` on the Parcels map in a real browser: it reads the layer the page shows, and a
click on the point it gives selects that parcel, also with the map half scrolled out of view."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from e2e_support import PageProbe, detail_text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from test_e2e_app import MAP_IFRAME, _map_frame, _shot, _wait_idle

import geodata

pytestmark = pytest.mark.e2e

_HOOKED = "() => window.huliMap !== undefined && window.huliMap.count() > 0"
_SCROLL_PART = """(el) => {
    el.scrollIntoView({block: "start"});
    var box = el.getBoundingClientRect(), e = el.parentElement;
    while (e && !(e.scrollHeight > e.clientHeight + 1 && getComputedStyle(e).overflowY !== "visible")) {
        e = e.parentElement;
    }
    (e || document.scrollingElement).scrollBy(0, box.height / 3);
    return el.getBoundingClientRect().top;
}"""


def _frame_where(page, script: str, timeout_s: float = 60.0):  # type: ignore[no-untyped-def]
    """The map frame once ``script`` is true in it (the map may be drawn again meanwhile: the frame
    that held it is then replaced, so each try looks for the current one)."""
    import time

    from playwright.sync_api import Error as PlaywrightError

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for frame in page.frames:
            if "streamlit_folium" not in frame.url or frame.is_detached():
                continue
            try:
                frame.wait_for_function(script, timeout=1_000)
            except PlaywrightError:
                continue  # detached while waiting, or not yet true
            return frame
    raise AssertionError(f"no map frame where {script} within {timeout_s:.0f} s")


def _hooked(probe: PageProbe):  # type: ignore[no-untyped-def]
    frame = _map_frame(probe)
    frame.wait_for_function(_HOOKED, timeout=60_000)
    return frame


def test_the_hook_counts_and_bounds_the_layer_shown(app_url: str, probe: PageProbe) -> None:
    probe.page.goto(app_url + "/parcels")
    frame = _hooked(probe)
    parcels = geodata.read_layer("parcels")
    assert frame.evaluate("() => huliMap.count()") == len(parcels)
    w, s, e, n = frame.evaluate("() => huliMap.extent()")
    x0, y0, x1, y1 = parcels.total_bounds
    for got, want in ((w, x0), (s, y0), (e, x1), (n, y1)):
        assert got == pytest.approx(want, abs=1e-5)  # as drawn (micro-degree coordinates, simplified 0.5 m)
    vw, vs, ve, vn = frame.evaluate("() => huliMap.view()")
    assert vw < ve and vs < vn
    sample = frame.evaluate("() => huliMap.sample(7)")
    assert len(set(sample)) == 7 and set(sample) <= set(parcels["parcel_id"].astype(str))
    assert frame.evaluate("() => huliMap.zoomTo('no such parcel')") is False
    assert frame.evaluate("() => huliMap.selected()") is None


def test_a_filter_changes_what_the_hook_counts(app_url: str, probe: PageProbe) -> None:
    page = probe.page
    page.goto(app_url + "/parcels")
    _hooked(probe)
    parcels = geodata.read_layer("parcels")
    industrial = int((parcels["land_use"] == "industrial").sum())
    page.get_by_test_id("stMultiSelect").nth(1).click()
    page.get_by_role("option", name="工业用地").click()
    page.keyboard.press("Escape")
    _wait_idle(probe)
    _frame_where(page, f"() => window.huliMap && huliMap.count() === {industrial}")


def test_a_click_at_the_hooks_point_selects_that_parcel_with_the_map_partly_scrolled_away(
        app_url: str, probe: PageProbe) -> None:
    page = probe.page
    page.goto(app_url + "/parcels")
    frame = _hooked(probe)
    pid = frame.evaluate("() => huliMap.sample(50)[37]")
    assert frame.evaluate("(id) => huliMap.zoomTo(id)", pid) is True
    frame.evaluate("() => { window.map.panBy([0, -160], {animate: false}); }")  # the parcel in the map's lower half
    frame.wait_for_function("(id) => huliMap.pointOf(id) !== null", arg=pid, timeout=30_000)
    iframe = page.locator(MAP_IFRAME).first
    top = iframe.evaluate(_SCROLL_PART)
    assert top < 0, "the map's top is scrolled out of view"
    point = frame.evaluate("(id) => huliMap.pointOf(id)", pid)
    box = iframe.bounding_box()
    assert box is not None
    x, y = box["x"] + point["x"], box["y"] + point["y"]
    # below the app's toolbar (it covers the top of the window) and inside the window
    assert 80 <= y <= page.viewport_size["height"], "the parcel itself is in view"  # type: ignore[index]
    page.mouse.click(x, y)
    frame.wait_for_function("(id) => huliMap.selected() === id", arg=pid, timeout=10_000)
    detail_text(frame, pid)
    _shot(probe, "hook-click-scrolled")
    assert probe.external_requests() == []


def _inside(inner: list[float], outer: list[float]) -> bool:
    return outer[0] <= inner[0] and outer[1] <= inner[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


def test_the_map_opens_on_the_layer(app_url: str, probe: PageProbe) -> None:
    page = probe.page
    page.goto(app_url + "/parcels")
    frame = _hooked(probe)
    view, extent = frame.evaluate("() => huliMap.view()"), frame.evaluate("() => huliMap.extent()")
    assert _inside(extent, view)  # every parcel in view at the start ...
    width = extent[2] - extent[0]
    assert (view[2] - view[0]) < 3 * width  # ... and the view is the layer's, not a far wider one
