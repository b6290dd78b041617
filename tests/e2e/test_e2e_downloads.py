"""Downloads in a real browser: the file is built on click and holds the parcels shown."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pyogrio
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from e2e_support import ARTIFACTS, PageProbe

pytestmark = pytest.mark.e2e


def _wait_idle(probe: PageProbe) -> None:
    probe.page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=90_000)


def test_parcels_geopackage_download_holds_the_filtered_parcels(app_url: str, probe: PageProbe,
                                                                tmp_path: Path) -> None:
    page = probe.page
    page.goto(app_url + "/parcels")
    page.get_by_text("筛选结果").first.wait_for(timeout=90_000)
    _wait_idle(probe)
    caption = page.get_by_text("筛选结果").first.inner_text()
    shown = int(re.search(r"([\d,]+) /", caption).group(1).replace(",", ""))
    button = page.locator("[data-testid='stDownloadButton'] button").filter(has_text="GeoPackage").first
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=120_000) as info:
        button.click()
    target = tmp_path / "parcels.gpkg"
    info.value.save_as(target)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "e2e-downloads.png"), full_page=True)
    frame = pyogrio.read_dataframe(target)
    assert len(frame) == shown > 0
    assert {"height_limit_m", "buildable_floor_area_m2"} <= set(frame.columns)
    assert probe.external_requests() == []
