"""A 100,000-parcel layer in a real browser: the page carries the overview grid only, the
parcels come as vector tiles from the app itself once zoomed in, a click hit-tests the tile and
fills the detail panel, the hook reads the layer, nothing is fetched from outside localhost.

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
from e2e_support import ARTIFACTS, ROOT, PageProbe, detail_text, running_app

pytestmark = pytest.mark.e2e

N_PARCELS = 100_000
UPLOAD_ID = "0123456789abcdef"
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'

_COUNTS = """() => {
    var cells = 0;
    window.map.eachLayer(function (l) { if (l.huliCell && l._parts && l._parts.length) { cells++; } });
    var s = window.__huliParcelView, tiles = document.querySelectorAll(".huli-tiles canvas.huli-tile").length;
    return {cells: cells, tiles: tiles, mode: s.mode, fetched: s.fetched, minZoom: s.minZoom, parcels: s.parcels,
            hint: (document.querySelector(".huli-lod-hint") || {}).textContent || "",
            page: document.documentElement.outerHTML.length};
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
                            " && window.__huliParcelView !== undefined && window.huliMap !== undefined",
                            timeout=90_000)
    return frame


def test_large_layer_grid_then_tiles_from_the_app(large_app: tuple[str, str, tuple[float, float]],
                                                  probe: PageProbe) -> None:
    url, pid, (lon, lat) = large_app
    page = probe.page
    page.goto(url + "/parcels")
    frame = _map_frame(page)

    start = frame.evaluate(_COUNTS)
    assert frame.evaluate("() => window.map.getZoom()") < start["minZoom"]
    assert start["mode"] == "grid" and start["parcels"] == N_PARCELS
    assert start["cells"] > 100 and start["tiles"] == 0 and start["fetched"] == 0
    assert start["hint"]  # asks to zoom in
    # the page holds the grid, not the parcels: 100,000 parcels in the page were some 5 MB
    assert start["page"] < 1_500_000, start["page"]
    page.screenshot(path=str(ARTIFACTS / "e2e-large-grid.png"))

    frame.evaluate("([lat, lon, z]) => { window.map.setView([lat, lon], z, {animate: false}); }",
                   [lat, lon, start["minZoom"] + 2])
    frame.wait_for_function("() => window.__huliParcelView.mode === 'parcels' && window.__huliParcelView.fetched > 0",
                            timeout=30_000)
    frame.wait_for_function("(id) => huliMap.pointOf(id) !== null", arg=pid, timeout=30_000)  # its tile is in
    zoomed = frame.evaluate(_COUNTS)
    assert zoomed["cells"] == 0 and zoomed["hint"] == "" and zoomed["tiles"] > 0
    tile_requests = [u for u in probe.requests if "/huli-map/" in u and "/tile/" in u]
    assert tile_requests, "the parcels come from the app's own tile route"
    page.screenshot(path=str(ARTIFACTS / "e2e-large-parcels.png"))

    # a click on the parcel: the tile under the cursor is hit-tested in the browser, the details come
    page.locator(MAP_IFRAME).scroll_into_view_if_needed()
    box = page.locator(MAP_IFRAME).bounding_box()
    point = frame.evaluate(_CLIENT_POINT, [lat, lon])
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    frame.wait_for_function("(id) => huliMap.selected() === id", arg=pid, timeout=10_000)
    text = detail_text(frame, pid, timeout_ms=60_000)
    assert "宗地编号" in text

    frame.evaluate("() => { window.map.setZoom(12, {animate: false}); }")
    frame.wait_for_function("() => window.__huliParcelView.mode === 'grid'", timeout=30_000)
    assert frame.evaluate(_COUNTS)["cells"] > 100
    assert probe.external_requests() == []


def test_large_layer_on_the_overview_page(large_app: tuple[str, str, tuple[float, float]], probe: PageProbe) -> None:
    url, _, _ = large_app
    probe.page.goto(url + "/")
    frame = _map_frame(probe.page)
    out = frame.evaluate(_COUNTS)
    assert out["mode"] == "grid" and out["cells"] > 100 and out["tiles"] == 0 and out["parcels"] == N_PARCELS
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
    detail_text(frame, pid, timeout_ms=60_000)
