"""Upload through the Data page: hostile values stay text, a refresh keeps the dataset.

Runs after test_e2e_app.py (file order) because it changes the server's active dataset;
it switches back to the embedded data at the end.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from e2e_support import PageProbe, detail_text
from test_e2e_app import _POINT_OF, MAP_IFRAME, _click_parcel, _map_frame, _shot, _wait_idle

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ui_support import HOSTILE, tiny_parcels

pytestmark = pytest.mark.e2e

HOSTILE_ID = "<img src=x onerror=alert(2)>"


def _hostile_geojson() -> bytes:
    frame = tiny_parcels(12)[["parcel_id", "enterprise", "land_use", "output_value", "geometry"]]
    frame.loc[frame.index[0], "parcel_id"] = HOSTILE_ID
    frame = frame.rename(columns={"parcel_id": "宗地编号", "enterprise": "权利人", "land_use": "土地用途"})
    return frame.to_json(drop_id=True).encode("utf-8")


def test_upload_hostile_layer_shows_text_only_and_survives_refresh(
    app_url: str, probe: PageProbe
) -> None:
    page = probe.page
    page.goto(app_url + "/data")
    _wait_idle(probe)
    page.locator(".st-key-upload_file [data-testid='stFileUploaderDropzoneInput']").set_input_files(
        files=[{"name": "hostile.geojson", "mimeType": "application/geo+json", "buffer": _hostile_geojson()}]
    )
    page.get_by_text("hostile.geojson").first.wait_for(timeout=30_000)
    page.get_by_role("button", name="读取并校验").click()
    page.get_by_text("已读取 12 宗地块").wait_for(timeout=60_000)
    _shot(probe, "upload")

    page.goto(app_url + "/parcels")
    frame = _map_frame(probe)
    page.get_by_text("当前数据：上传的图层 hostile.geojson").wait_for(timeout=30_000)
    _click_parcel(probe, frame, HOSTILE_ID)
    _wait_idle(probe)
    # hover: the tooltip shows the hostile id as text
    point = frame.evaluate(_POINT_OF, HOSTILE_ID)
    container = page.frame_locator(MAP_IFRAME).locator(".leaflet-container").first
    container.hover(position={"x": point["x"] + 2, "y": point["y"] + 2})
    container.hover(position={"x": point["x"], "y": point["y"]})
    tooltip = page.frame_locator(MAP_IFRAME).locator(".leaflet-tooltip").filter(has_text=HOSTILE_ID)
    tooltip.first.wait_for(timeout=15_000)
    assert HOSTILE in detail_text(frame, HOSTILE_ID)
    assert page.locator("img[src='x']").count() == 0
    assert frame.locator("img[src='x']").count() == 0
    _shot(probe, "hostile")

    page.reload()
    frame = _map_frame(probe)
    page.get_by_text("当前数据：上传的图层 hostile.geojson").wait_for(timeout=30_000)
    n = frame.evaluate(
        "() => { var n = 0; window.map.eachLayer(function (l) { if (l.feature && l.feature.properties"
        " && l.feature.properties.parcel_id !== undefined) { n++; } }); return n; }"
    )
    assert n == 12
    assert probe.dialogs == [], f"a dialog fired: {probe.dialogs}"
    assert probe.external_requests() == []
