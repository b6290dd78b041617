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
from e2e_support import ARTIFACTS, ROOT, PageProbe, detail_text, map_frame_where, running_app

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


def _whatif_frame(page, timeout_s: float = 120.0):  # type: ignore[no-untyped-def]
    """The What-if page's map frame once its tiled layer and drawing tool are there."""
    ready = ("() => window.huliMap !== undefined && window.__huliParcelView !== undefined"
             " && document.querySelector('.huli-draw') !== null")
    return map_frame_where(page, ready, timeout_s=timeout_s, what="What-if map with its drawing tool")


def test_what_if_selects_on_the_tiles_by_shift_click_and_by_a_rectangle(
        large_app: tuple[str, str, tuple[float, float]], probe: PageProbe) -> None:
    """A layer served in tiles selects as one in the page: shift-clicks add, a rectangle drawn selects the
    parcels whose representative point lies inside (worked out by hand here)."""
    from geodata.generate import generate_parcels

    url, _, _ = large_app
    page = probe.page
    page.goto(url + "/whatif")  # no account in this office: the single-user tool may edit
    frame = _whatif_frame(page)
    first, second = frame.evaluate("() => huliMap.sample(40)")[23:25]
    box = page.locator(MAP_IFRAME).first.bounding_box()
    assert box is not None
    for pid, shift in ((first, False), (second, True)):
        assert frame.evaluate("(id) => huliMap.zoomTo(id)", pid) is True
        frame.wait_for_function("(id) => huliMap.pointOf(id) !== null", arg=pid, timeout=30_000)
        point = frame.evaluate("(id) => huliMap.pointOf(id)", pid)
        if shift:
            page.keyboard.down("Shift")
        page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
        if shift:
            page.keyboard.up("Shift")
    page.get_by_text("已选 2 宗地块", exact=True).wait_for(timeout=60_000)
    frame = _whatif_frame(page)
    assert sorted(frame.evaluate("() => huliMap.selection()")) == sorted([first, second])
    # a rectangle around the middle of the view
    frame.evaluate("() => { window.map.setZoom(window.map.getZoom() - 1, {animate: false}); }")
    frame.wait_for_function("() => window.__huliParcelView.mode === 'parcels'", timeout=30_000)
    w, h = frame.evaluate("() => { var s = window.map.getSize(); return [s.x, s.y]; }")
    start, end = [w * 0.35, h * 0.35], [w * 0.6, h * 0.6]
    corners = frame.evaluate("""([a, b]) => [a, b].map(function (p) {
        var ll = window.map.containerPointToLatLng(p); return [ll.lng, ll.lat]; })""", [start, end])
    frame.locator(".huli-draw-rectangle").click()
    page.mouse.move(box["x"] + start[0], box["y"] + start[1])
    page.mouse.down()
    page.mouse.move(box["x"] + end[0], box["y"] + end[1], steps=8)
    page.mouse.up()
    parcels = generate_parcels(N_PARCELS, seed=11)  # the layer seed_workspace stored
    (x0, y0), (x1, y1) = corners
    rect = shapely.box(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
    points = shapely.point_on_surface(np.asarray(parcels.geometry.values, dtype=object))
    expected = sorted(parcels.loc[shapely.covers(rect, points), "parcel_id"].astype(str))
    assert expected, "the rectangle covers parcels"
    page.get_by_text(f"已选 {len(expected)} 宗地块（绘制范围内）").wait_for(timeout=60_000)
    frame = _whatif_frame(page)
    frame.wait_for_function(f"() => huliMap.selection().length === {len(expected)}", timeout=30_000)
    assert sorted(frame.evaluate("() => huliMap.selection()")) == expected
    page.screenshot(path=str(ARTIFACTS / "e2e-large-whatif-selection.png"))
    assert probe.external_requests() == []
