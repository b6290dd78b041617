"""A 100,000-parcel layer in a real browser: the grid at the start zoom, the parcels in
view (at most the cap) after zooming in, a click still fills the detail panel, nothing is
fetched from outside localhost.

The app runs on its own server whose workspace is pre-seeded with a generated layer as
an active upload (the way the Data page stores one: ``uploads/<id>/parcels.parquet``,
``options.json``, ``active.json``).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import shapely
from e2e_support import ARTIFACTS, ROOT, PageProbe, running_app

pytestmark = pytest.mark.e2e

N_PARCELS = 100_000
UPLOAD_ID = "0123456789abcdef"
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'

_COUNTS = """() => {
    var parcels = 0, cells = 0;
    window.map.eachLayer(function (l) {
        if (!(l._parts && l._parts.length)) { return; }
        if (l.feature && l.feature.properties && l.feature.properties.parcel_id !== undefined) { parcels++; }
        if (l.huliCell) { cells++; }
    });
    var s = window.__huliParcelView;
    return {parcels: parcels, cells: cells, mode: s.mode, inView: s.inView, drawn: s.drawn, redraws: s.redraws,
            hint: (document.querySelector(".huli-lod-hint") || {}).textContent || ""};
}"""

# where a lon/lat is inside the iframe's viewport (container offset included)
_CLIENT_POINT = """([lat, lon]) => {
    var p = window.map.latLngToContainerPoint([lat, lon]), r = window.map.getContainer().getBoundingClientRect();
    return {x: r.left + p.x, y: r.top + p.y};
}"""


def seed_workspace(workspace: Path, n: int = N_PARCELS, *, dense: bool = False) -> tuple[str, tuple[float, float]]:
    """Store ``n`` generated parcels as the district's default dataset; returns (a parcel id, its lon/lat).

    ``dense`` packs them into 16 m squares on a 20 m lattice around Huli's centre (a worst
    case for the parcels-in-view path: some 16,000 parcels in a zoom-15 view).
    """
    sys.path.insert(0, str(ROOT))
    os.environ["HULI_WORKSPACE"] = str(workspace)
    from geodata.generate import generate_parcels
    from ui import workspace as ws

    frame = generate_parcels(n, seed=11)
    if dense:
        side = int(np.ceil(np.sqrt(n)))
        i = np.arange(n)
        x0 = 118.10 + (i % side) * 20.0 / 101_300.0  # metres to degrees of longitude at 24.5° N
        y0 = 24.48 + (i // side) * 20.0 / 110_800.0
        frame = frame.set_geometry(shapely.box(x0, y0, x0 + 16.0 / 101_300.0, y0 + 16.0 / 110_800.0), crs="EPSG:4326")
    assert str(ws.workspace_dir()) == str(workspace)
    from office_support import publish_dataset, save_layer

    save_layer(UPLOAD_ID, frame)
    ws.write_options(UPLOAD_ID, {"filename": f"generated_{n}.gpkg"})

    publish_dataset(UPLOAD_ID, f"generated_{n}.gpkg")  # the district's default: what every visitor sees
    # a parcel in a dense part of the layer (the first rows lie in the zones)
    point = shapely.point_on_surface(frame.geometry.iloc[0])
    return str(frame["parcel_id"].iloc[0]), (point.x, point.y)


@pytest.fixture(scope="module")
def large_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, tuple[float, float]]]:
    """A running app showing a 100,000-parcel upload: (url, a parcel id, its lon/lat)."""
    workspace = tmp_path_factory.mktemp("large_workspace")
    before = os.environ.get("HULI_WORKSPACE")
    try:
        pid, lonlat = seed_workspace(workspace)
    finally:
        if before is None:
            os.environ.pop("HULI_WORKSPACE", None)
        else:
            os.environ["HULI_WORKSPACE"] = before
    with running_app(workspace, ARTIFACTS / "e2e-large-streamlit.log") as url:
        yield url, pid, lonlat


def _map_frame(page):  # type: ignore[no-untyped-def]
    page.frame_locator(MAP_IFRAME).locator(".leaflet-container").first.wait_for(timeout=90_000)
    frame = next(f for f in page.frames if "streamlit_folium" in f.url)
    frame.wait_for_function("() => window.map !== undefined && window.map._loaded"
                            " && window.__huliParcelView !== undefined && window.__huliParcelView.redraws > 0",
                            timeout=90_000)
    return frame


def test_large_layer_grid_then_parcels_in_view(large_app: tuple[str, str, tuple[float, float]],
                                                probe: PageProbe) -> None:
    from ui.overview_grid import DETAIL_MIN_ZOOM, VIEW_CAP

    url, pid, (lon, lat) = large_app
    page = probe.page
    page.goto(url + "/parcels")
    frame = _map_frame(page)

    start = frame.evaluate(_COUNTS)
    assert frame.evaluate("() => window.map.getZoom()") < DETAIL_MIN_ZOOM
    assert start["mode"] == "grid"
    assert start["cells"] > 100 and start["parcels"] == 0
    assert start["hint"]  # asks to zoom in
    page.screenshot(path=str(ARTIFACTS / "e2e-large-grid.png"))

    before = start["redraws"]
    frame.evaluate("([lat, lon, z]) => { window.map.setView([lat, lon], z, {animate: false}); }",
                   [lat, lon, DETAIL_MIN_ZOOM + 2])
    frame.wait_for_function(f"() => window.__huliParcelView.redraws > {before}"
                            " && window.__huliParcelView.mode === 'parcels'", timeout=30_000)
    frame.wait_for_function("() => { var n = 0; window.map.eachLayer(function (l) { if (l.feature"
                            " && l.feature.properties && l.feature.properties.parcel_id !== undefined"
                            " && l._parts && l._parts.length) { n++; } }); return n > 0; }", timeout=30_000)
    zoomed = frame.evaluate(_COUNTS)
    assert 0 < zoomed["parcels"] <= VIEW_CAP
    assert zoomed["drawn"] == zoomed["inView"] <= VIEW_CAP
    assert zoomed["parcels"] <= zoomed["drawn"]  # drawn on canvas: those really on screen
    assert zoomed["cells"] == 0 and zoomed["hint"] == ""
    page.screenshot(path=str(ARTIFACTS / "e2e-large-parcels.png"))

    # more parcels in view than the cap: the grid comes back with a hint, no parcel is drawn
    frame.evaluate("() => { window.__huliParcelView.cap = 10; window.map.fire('moveend'); }")
    capped = frame.evaluate(_COUNTS)
    assert capped["mode"] == "grid" and capped["drawn"] == 0 and capped["inView"] > 10
    assert f"{capped['inView']:,}" in capped["hint"] and capped["cells"] > 0
    frame.evaluate(f"() => {{ window.__huliParcelView.cap = {VIEW_CAP}; window.map.fire('moveend'); }}")
    assert frame.evaluate(_COUNTS)["mode"] == "parcels"

    # a click on a parcel still fills the detail panel with its id
    page.locator(MAP_IFRAME).scroll_into_view_if_needed()
    box = page.locator(MAP_IFRAME).bounding_box()
    point = frame.evaluate(_CLIENT_POINT, [lat, lon])
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    page.locator("[data-testid='stCode']").filter(has_text=pid).first.wait_for(timeout=60_000)

    frame = _map_frame(page)
    before = frame.evaluate(_COUNTS)["redraws"]
    frame.evaluate("() => { window.map.setZoom(12, {animate: false}); }")
    frame.wait_for_function(f"() => window.__huliParcelView.redraws > {before}"
                            " && window.__huliParcelView.mode === 'grid'", timeout=30_000)
    out = frame.evaluate(_COUNTS)
    assert out["parcels"] == 0 and out["drawn"] == 0
    assert probe.external_requests() == []


def test_large_layer_on_the_overview_page(large_app: tuple[str, str, tuple[float, float]], probe: PageProbe) -> None:
    url, _, _ = large_app
    probe.page.goto(url + "/")
    frame = _map_frame(probe.page)
    out = frame.evaluate(_COUNTS)
    assert out["mode"] == "grid" and out["cells"] > 100 and out["parcels"] == 0
    assert probe.external_requests() == []


def test_the_hook_reads_the_large_layer_and_a_click_at_its_point_selects(
        large_app: tuple[str, str, tuple[float, float]], probe: PageProbe) -> None:
    url, _, _ = large_app
    page = probe.page
    page.goto(url + "/parcels")
    frame = _map_frame(page)
    frame.wait_for_function("() => window.huliMap !== undefined", timeout=60_000)
    assert frame.evaluate("() => huliMap.count()") == N_PARCELS
    from geodata.generate import generate_parcels

    expected = generate_parcels(N_PARCELS, seed=11).total_bounds  # the layer seed_workspace stored
    for got, want in zip(frame.evaluate("() => huliMap.extent()"), expected, strict=True):
        assert got == pytest.approx(want, abs=1e-5)
    pid = frame.evaluate("() => huliMap.sample(40)[23]")
    assert frame.evaluate("(id) => huliMap.pointOf(id)", pid) is None  # the grid: no parcel drawn yet
    assert frame.evaluate("(id) => huliMap.zoomTo(id)", pid) is True
    frame.wait_for_function("(id) => huliMap.pointOf(id) !== null", arg=pid, timeout=30_000)
    page.locator(MAP_IFRAME).scroll_into_view_if_needed()
    box = page.locator(MAP_IFRAME).bounding_box()
    point = frame.evaluate("(id) => huliMap.pointOf(id)", pid)
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    frame.wait_for_function("(id) => huliMap.selected() === id", arg=pid, timeout=10_000)
    page.locator("[data-testid='stCode']").filter(has_text=pid).first.wait_for(timeout=60_000)
