"""Vector tiles of a large layer: which parcels a tile holds, their coordinates in tile units
(checked against pyproj's Web Mercator), the zoom the tiles start at, and the service's answers."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pytest
import shapely
from pyproj import Transformer
from starlette.applications import Starlette
from starlette.testclient import TestClient
from ui_support import tiny_parcels

from ui import map_service
from ui.tile_group import TileRequest, tile_parcel_group
from ui.vector_tiles import EXTENT, TILE_CAP, LayerGeometry, TileSource, mercator

_TO_3857 = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)
_HALF = 20037508.342789244  # half the Web Mercator world's width, metres


def _tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    """The slippy-map tile of a point (the OSM wiki's formula)."""
    n = 2**z
    lat_r = math.radians(lat)
    return int((lon + 180.0) / 360.0 * n), int((1.0 - math.asinh(math.tan(lat_r)) / math.pi) / 2.0 * n)


def _source(frame: gpd.GeoDataFrame, rows: np.ndarray | None = None) -> TileSource:
    geometry = LayerGeometry(np.asarray(frame.geometry.values, dtype=object))
    rows = np.arange(len(frame)) if rows is None else rows
    sub = frame.iloc[rows]
    return TileSource(geometry, rows, ids=sub["parcel_id"].to_numpy(), fill=np.array(["#ff0000"] * len(sub)),
                      value=sub["land_use"].to_numpy(), details=frame, lang="zh")


def test_normalised_mercator_agrees_with_pyproj() -> None:
    lon = np.array([-180.0, 0.0, 118.1, 118.2])
    lat = np.array([0.0, 0.0, 24.5, -33.9])
    x, y = mercator(lon, lat)
    mx, my = _TO_3857.transform(lon, lat)
    np.testing.assert_allclose(x, (np.asarray(mx) + _HALF) / (2 * _HALF), atol=1e-12)
    np.testing.assert_allclose(y, (_HALF - np.asarray(my)) / (2 * _HALF), atol=1e-12)


def test_a_tile_holds_the_parcels_that_meet_it_with_coordinates_in_tile_units() -> None:
    frame = tiny_parcels(3)  # 60 m squares 0.001 degree apart
    z = 16
    x, y = _tile_of(118.1003, 24.5003, z)
    source = _source(frame)
    source.min_zoom = 12
    tile = source.tile(z, x, y)
    assert tile is not None and "T0000" in tile["id"]
    k = tile["id"].index("T0000")
    assert tile["nr"][k] == 1  # one ring
    ring_at = sum(tile["nr"][:k])
    assert tile["nv"][ring_at] == 4  # a square: four vertices, the closing one dropped
    start = sum(tile["nv"][:ring_at])
    coords = np.cumsum(np.asarray(tile["c"]).reshape(-1, 2), axis=0)[start:start + 4]
    # independently: the square's corners through pyproj, in the tile's 4096 units
    ring = np.asarray(frame.geometry.iloc[0].exterior.coords)[:4]
    mx, my = _TO_3857.transform(ring[:, 0], ring[:, 1])
    size = 2 * _HALF / 2**z
    expected = np.column_stack([(np.asarray(mx) + _HALF) / size - x, (_HALF - np.asarray(my)) / size - y]) * EXTENT
    np.testing.assert_allclose(coords, np.rint(expected), atol=1.0)
    far = _tile_of(118.3, 24.7, z)
    assert source.tile(z, *far)["id"] == []  # no parcel there


def test_a_parcel_across_a_tile_edge_is_in_both_tiles_whole() -> None:
    z = 15
    x, y = _tile_of(118.10, 24.50, z)
    east = (x + 1) / 2**z * 360 - 180  # the tile's east edge, longitude
    square = shapely.box(east - 0.0003, 24.4995, east + 0.0003, 24.5001)  # straddles the tile's east edge
    frame = gpd.GeoDataFrame({"parcel_id": ["A"], "land_use": ["industrial"]}, geometry=[square], crs="EPSG:4326")
    source = _source(frame)
    source.min_zoom = 12
    left, right = source.tile(z, x, y), source.tile(z, x + 1, y)
    assert left["id"] == ["A"] and right["id"] == ["A"]
    assert left["nv"] == right["nv"] == [4]  # not clipped: the whole square in each
    xs = np.cumsum(np.asarray(left["c"]).reshape(-1, 2), axis=0)[:, 0]
    assert xs.min() < EXTENT < xs.max()  # it goes past the tile's east edge


def test_only_the_parcels_kept_by_the_filters_are_in_the_tiles_and_found() -> None:
    frame = tiny_parcels(10)
    source = _source(frame, rows=np.array([1, 3]))
    source.min_zoom = 12
    z = 14
    found = set()
    for pid in frame["parcel_id"]:
        box = source.locate(pid)
        if box is not None:
            found.add(pid)
    assert found == {"T0001", "T0003"}
    x, y = _tile_of(118.1013, 24.5003, z)
    assert sorted(source.tile(z, x, y)["id"]) == ["T0001", "T0003"]
    b = source.locate("T0003")
    exact = frame.geometry.iloc[3].bounds
    np.testing.assert_allclose(b, exact, atol=1e-9)
    assert source.count == 2
    np.testing.assert_allclose(source.extent(), [*frame.geometry.iloc[1].bounds[:2], *frame.geometry.iloc[3].bounds[2:]])


def test_holes_and_parts_keep_their_rings() -> None:
    shell = shapely.box(118.10, 24.50, 118.102, 24.502)
    holed = shapely.Polygon(shell.exterior.coords, [shapely.box(118.1005, 24.5005, 118.1015, 24.5015).exterior.coords])
    two = shapely.MultiPolygon([shapely.box(118.103, 24.50, 118.1035, 24.5005), shapely.box(118.104, 24.50, 118.1045,
                                                                                            24.5005)])
    frame = gpd.GeoDataFrame({"parcel_id": ["H", "M"], "land_use": ["industrial"] * 2}, geometry=[holed, two],
                             crs="EPSG:4326")
    source = _source(frame)
    source.min_zoom = 12
    tile = source.tile(12, *_tile_of(118.101, 24.501, 12))
    assert tile["id"] == ["H", "M"]
    assert tile["nr"] == [2, 2]  # shell and hole; two parts
    assert tile["nv"] == [4, 4, 4, 4]


def test_tiles_start_at_the_lowest_zoom_whose_densest_tile_holds_at_most_the_cap() -> None:
    n = TILE_CAP + 500
    side = int(np.ceil(np.sqrt(n)))
    i = np.arange(n)
    x0 = 118.10 + (i % side) * 1e-5 * 3  # 3 m apart: all in one tile at zoom 14
    y0 = 24.50 + (i // side) * 1e-5 * 3
    frame = gpd.GeoDataFrame({"parcel_id": [f"P{k}" for k in i], "land_use": ["industrial"] * n},
                             geometry=shapely.box(x0, y0, x0 + 2e-5, y0 + 2e-5), crs="EPSG:4326")
    source = _source(frame)
    # the whole block (about 205 m a side) lies in one zoom-16 tile (about 556 m): 4,500 parcels there
    corner_tiles = {_tile_of(float(x0.min()), float(y0.min()), 16), _tile_of(float(x0.max()) + 2e-5,
                                                                            float(y0.max()) + 2e-5, 16)}
    assert len(corner_tiles) == 1
    assert source.min_zoom >= 17
    z = source.min_zoom
    assert source.geometry.densest_tile(z, source.rows) <= TILE_CAP < source.geometry.densest_tile(z - 1, source.rows)
    assert source.tile(z - 1, *_tile_of(118.1005, 24.5005, z - 1)) is None  # below it: the grid, no tile


def test_the_group_publishes_the_tiles_and_the_service_serves_them() -> None:
    map_service.forget_all()
    frame = tiny_parcels(30)
    request = TileRequest(frame, version=("ds", 1.0), key=("ds", 1.0, "2026-01-01"), person="p")
    group, legend = tile_parcel_group(frame.iloc[5:20], request, theme="land_use", lang="zh",
                                      detail={"labels": {}})
    layer = next(iter(group._children.values()))
    html = layer.options_json
    token = html.split("/huli-map/")[1].split("/")[0]
    source = map_service.lookup(token)
    assert isinstance(source, TileSource) and source.count == 15
    assert legend
    client = TestClient(Starlette(routes=map_service.routes()))
    z = source.min_zoom
    x, y = _tile_of(118.1053, 24.5013, z)
    answer = client.get(f"/huli-map/{token}/tile/{z}/{x}/{y}")
    assert answer.status_code == 200 and "T0015" in answer.json()["id"]
    assert client.get(f"/huli-map/{token}/locate/T0016").json()["bbox"] == pytest.approx(
        list(frame.geometry.iloc[16].bounds))
    assert client.get(f"/huli-map/{token}/locate/T0001").status_code == 404  # filtered out
    assert client.get(f"/huli-map/{token}/parcel/T0001").status_code == 200  # the details: any parcel of the layer
    # the same choices again: the same token; another filter: another
    again, _ = tile_parcel_group(frame.iloc[5:20], request, theme="land_use", lang="zh")
    assert token in next(iter(again._children.values())).options_json
    other, _ = tile_parcel_group(frame.iloc[5:21], request, theme="land_use", lang="zh")
    assert token not in next(iter(other._children.values())).options_json
