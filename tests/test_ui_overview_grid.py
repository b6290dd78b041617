"""The large-layer path of the map: grid aggregation, compact payload, mode switch, escaping."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Transformer
from ui_support import HOSTILE, tiny_parcels

from ui import mapview, overview_grid
from ui.i18n import t

METRIC = "EPSG:4548"
_TO_GEO = Transformer.from_crs(METRIC, "EPSG:4326", always_xy=True)


def _squares(centres_m: list[tuple[float, float]], **columns: list[object]) -> gpd.GeoDataFrame:
    """10 m squares centred on metric points, as a parcel frame in EPSG:4326."""
    geoms = [shapely.box(x - 5, y - 5, x + 5, y + 5) for x, y in centres_m]
    frame = gpd.GeoDataFrame(
        {"parcel_id": [f"P{i}" for i in range(len(geoms))], **columns}, geometry=geoms, crs=METRIC
    )
    return frame.to_crs("EPSG:4326")


def _layers(group: object) -> list[object]:
    return list(group._children.values())  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("width", "height", "expected"),
    [
        (0.0, 0.0, 200.0),
        (15_000.0, 8_000.0, 200.0),  # 75 cells of 200 m along the longer side
        (20_001.0, 3_000.0, 250.0),  # 200 m would give 100.005 cells
        (46_000.0, 42_000.0, 500.0),
        (99_000.0, 10.0, 1000.0),
        (5_000_000.0, 1.0, 10_000.0),  # nothing fits: the largest size
    ],
)
def test_cell_size_from_the_extent(width: float, height: float, expected: float) -> None:
    assert overview_grid.grid_cell_size(width, height) == expected
    assert overview_grid.grid_cell_size(height, width) == expected


def test_cells_counts_and_dominant_class_by_hand() -> None:
    # cell (6000, 27000) of 100 m: industrial x2, logistics -> industrial
    # cell (6001, 27000): logistics, industrial -> a tie, the first in the legend (industrial) wins
    # cell (6000, 27001): one parcel without a land use -> no data
    frame = _squares(
        [(600_020, 2_700_020), (600_070, 2_700_080), (600_050, 2_700_050),
         (600_150, 2_700_050), (600_130, 2_700_090),
         (600_040, 2_700_140)],
        land_use=["industrial", "industrial", "logistics", "logistics", "industrial", None],
    )
    cells = overview_grid.aggregate_grid(frame, theme="land_use", lang="en", cell_m=100.0)
    got = {(int(r.ix), int(r.iy)): r for r in cells.itertuples()}
    assert set(got) == {(6000, 27000), (6001, 27000), (6000, 27001)}
    assert int(cells["count"].sum()) == len(frame)
    a, b, c = got[(6000, 27000)], got[(6001, 27000)], got[(6000, 27001)]
    assert (a.count, a.dominant, a.value, a.fill) == (3, "industrial", "Industrial", "#8c6bb1")
    assert (b.count, b.dominant) == (2, "industrial")
    assert (c.count, c.dominant, c.fill, c.value) == (1, "", "#c8c8c8", t("nodata", "en"))
    # cells in the right place: [ix*100, (ix+1)*100) x [iy*100, (iy+1)*100) in EPSG:4548
    assert str(cells.crs).upper().endswith("4548")
    assert shapely.bounds(got[(6001, 27000)].geometry).tolist() == [600_100.0, 2_700_000.0, 600_200.0, 2_700_100.0]


def test_numeric_theme_mean_and_colour() -> None:
    # output_per_mu bins: [0,100) [100,300) [300,600) ...; mean of 100, 300 (NaN ignored) = 200
    frame = _squares([(600_020, 2_700_020), (600_060, 2_700_060), (600_080, 2_700_010), (600_150, 2_700_050)],
                     output_per_mu=[100.0, 300.0, np.nan, np.nan])
    cells = overview_grid.aggregate_grid(frame, theme="output_per_mu", lang="en", cell_m=100.0).sort_values("ix")
    assert cells["count"].tolist() == [3, 1]
    assert cells["mean"].iloc[0] == pytest.approx(200.0)
    assert np.isnan(cells["mean"].iloc[1])
    edges, colours, _ = mapview.theme_bins("output_per_mu")
    assert edges[0] == 100.0 and edges[1] == 300.0
    assert cells["fill"].tolist() == [colours[1], "#c8c8c8"]
    assert "200" in cells["value"].iloc[0]


def test_counts_conserve_the_parcels_with_the_default_cell() -> None:
    frame = tiny_parcels(37)
    cells = overview_grid.aggregate_grid(frame, theme="expiry_status")
    assert int(cells["count"].sum()) == 37
    assert cells["cell_m"].unique().tolist() == [200.0]  # a 1 km extent
    assert not cells[["ix", "iy"]].duplicated().any()


def test_missing_geometry_is_left_out_and_empty_frame_gives_no_cells() -> None:
    frame = tiny_parcels(5)
    frame.loc[frame.index[2], "geometry"] = None
    assert int(overview_grid.aggregate_grid(frame, theme="land_use")["count"].sum()) == 4
    assert len(overview_grid.aggregate_grid(frame.iloc[:0], theme="land_use")) == 0


def test_grid_corners_decode_to_the_cell() -> None:
    frame = _squares([(600_020, 2_700_020)], land_use=["industrial"])
    cells = overview_grid.aggregate_grid(frame, theme="land_use", cell_m=500.0)
    enc = overview_grid.encode_grid(cells)
    q, (ox, oy) = enc["q"], enc["o"]
    lon = [ox + enc["c"][2 * k] / q for k in range(4)]
    lat = [oy + enc["c"][2 * k + 1] / q for k in range(4)]
    want_lon, want_lat = _TO_GEO.transform([600_000, 600_500, 600_500, 600_000],
                                           [2_700_000, 2_700_000, 2_700_500, 2_700_500])
    np.testing.assert_allclose(lon, want_lon, atol=1.1e-6)
    np.testing.assert_allclose(lat, want_lat, atol=1.1e-6)
    assert enc["n"] == [1] and enc["pal"][enc["f"][0]] == "#8c6bb1"


def _decode_large(payload: dict) -> list[tuple[str, shapely.MultiPolygon]]:
    """Restate the browser-side decoder of the large payload in Python."""
    q, (ox, oy) = payload["q"], payload["o"]
    xy = np.cumsum(np.asarray(payload["c"], dtype=np.int64).reshape(-1, 2), axis=0)
    g = np.concatenate([[0], np.cumsum(payload["np"])])
    p = np.concatenate([[0], np.cumsum(payload["nr"])])
    r = np.concatenate([[0], np.cumsum(payload["nv"])])
    out = []
    for i, pid in enumerate(payload["id"]):
        polys = []
        for j in range(g[i], g[i + 1]):
            rings = [[(ox + x / q, oy + y / q) for x, y in xy[r[k]:r[k + 1]]] for k in range(p[j], p[j + 1])]
            polys.append((rings[0], rings[1:]))
        out.append((pid, shapely.MultiPolygon(polys)))
    return out


def test_large_payload_round_trips() -> None:
    hole = shapely.Polygon(
        [(118.1, 24.5), (118.102, 24.5), (118.102, 24.502), (118.1, 24.502)],
        [[(118.1005, 24.5005), (118.1010, 24.5005), (118.1010, 24.5010), (118.1005, 24.5010)]],
    )
    multi = shapely.MultiPolygon([shapely.box(118.11, 24.51, 118.111, 24.511),
                                  shapely.box(118.12, 24.51, 118.121, 24.51113)])
    payload = overview_grid.encode_large_parcels(np.array([hole, multi], dtype=object), ["A", "B"],
                                                 ["#111111", "#222222"], ["工业", "商业"])
    payload = json.loads(json.dumps(payload))
    assert payload["q"] == 100_000
    assert payload["np"] == [1, 2] and payload["nr"] == [2, 1, 1] and payload["nv"] == [4, 4, 4, 4]
    decoded = _decode_large(payload)
    assert [d[0] for d in decoded] == ["A", "B"]
    for (_, got), want in zip(decoded, [shapely.MultiPolygon([hole]), multi], strict=True):
        assert got.equals_exact(want, tolerance=0.51e-5)  # 1e-5 degree quantisation
    assert [payload["tl"][i] for i in payload["t"]] == ["工业", "商业"]
    assert [payload["pal"][i] for i in payload["f"]] == ["#111111", "#222222"]
    empty = overview_grid.encode_large_parcels(np.array([], dtype=object), [], [], [])
    assert empty["id"] == [] and empty["c"] == []


def test_large_payload_is_smaller_per_parcel_than_the_small_one() -> None:
    frame = tiny_parcels(200)
    small = mapview.to_json_script(mapview.encode_parcels(
        np.asarray(frame.geometry.values, dtype=object), frame["parcel_id"], ["#000000"] * 200, ["x"] * 200))
    large = mapview.to_json_script(overview_grid.encode_large_parcels(
        np.asarray(frame.geometry.values, dtype=object), frame["parcel_id"], ["#000000"] * 200, ["x"] * 200))
    assert len(large) < 0.8 * len(small)


@pytest.mark.parametrize(("n", "large"), [(20_000, False), (20_001, True)])
def test_threshold(n: int, large: bool) -> None:
    assert overview_grid.LARGE_LAYER_PARCELS == 20_000
    assert overview_grid.is_large(n) is large


def test_threshold_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HULI_LARGE_LAYER_PARCELS", "5000")
    assert overview_grid.is_large(5_001) and not overview_grid.is_large(5_000)
    monkeypatch.setenv("HULI_LARGE_LAYER_PARCELS", "lots")
    from core.errors import ConfigError

    with pytest.raises(ConfigError, match="HULI_LARGE_LAYER_PARCELS"):
        overview_grid.is_large(10)


def test_small_layer_keeps_the_embedded_path() -> None:
    frame = tiny_parcels(10)
    group, legend = mapview.parcel_group(frame, theme="land_use")
    kinds = [type(c) for c in _layers(group)]
    assert kinds == [mapview.ParcelLayer]
    layer = _layers(group)[0]
    payload = json.loads(layer.payload)
    assert payload["q"] == 1_000_000 and len(payload["id"]) == 10 and "r" in payload
    assert legend == mapview.theme_style(frame, "land_use")[2]


def test_large_layer_sends_grid_and_parcels_in_view() -> None:
    frame = tiny_parcels(30)
    group, legend = mapview.parcel_group(frame, theme="efficiency_class", lang="en", large_threshold=20)
    (layer,) = _layers(group)
    assert isinstance(layer, overview_grid.LodParcelLayer)
    payload, grid, opts = json.loads(layer.payload), json.loads(layer.grid), json.loads(layer.options_json)
    assert len(payload["id"]) == 30 and payload["q"] == overview_grid.LARGE_QUANT
    assert sum(grid["n"]) == 30
    assert opts["minZoom"] == overview_grid.DETAIL_MIN_ZOOM and opts["cap"] == overview_grid.VIEW_CAP
    assert "{n}" in opts["hintMany"] and "{cap}" in opts["hintMany"] and str(overview_grid.DETAIL_MIN_ZOOM) in opts["hintZoom"]
    assert legend == mapview.theme_style(frame, "efficiency_class", lang="en")[2]
    html = mapview.build_map(frame, theme="efficiency_class").get_root().render()
    assert "L.geoJSON(" in html  # the small path for 30 parcels with the default threshold
    assert "huliParcelView" not in html


def test_large_layer_ids_values_and_hints_stay_text() -> None:
    frame = tiny_parcels(12)
    frame["parcel_id"] = [HOSTILE + str(i) for i in range(12)]
    frame["land_use"] = [HOSTILE] * 6 + ["industrial"] * 6
    group, _ = mapview.parcel_group(frame, theme="land_use", large_threshold=5)
    fmap = mapview.build_base_map()
    group.add_to(fmap)
    html = fmap.get_root().render()
    assert "<img" not in html
    assert "\\u003cimg" in html  # present, escaped for the script
    js = html[html.index("__huliParcelView"):]
    assert "innerHTML" not in js and "textContent" in js
    cells = overview_grid.aggregate_grid(frame, theme="land_use", lang="en")
    # the unknown class is shown as its own text in the tooltip (escaped on the way to the page)
    assert set(cells["dominant"]) <= {HOSTILE, "industrial"}


def test_gcj02_shifts_the_grid() -> None:
    frame = _squares([(600_020, 2_700_020)], land_use=["industrial"])
    cells = overview_grid.aggregate_grid(frame, theme="land_use", cell_m=500.0)
    wgs, gcj = overview_grid.encode_grid(cells), overview_grid.encode_grid(cells, gcj02=True)
    lon_w = wgs["o"][0] + wgs["c"][0] / wgs["q"]
    lon_g = gcj["o"][0] + gcj["c"][0] / gcj["q"]
    assert 0.003 < lon_g - lon_w < 0.008  # GCJ-02 offset near Xiamen, about 500 m east


def test_bad_cell_size_is_refused() -> None:
    with pytest.raises(ValueError, match="cell_m"):
        overview_grid.aggregate_grid(tiny_parcels(3), theme="land_use", cell_m=0.0)


def test_inputs_are_not_mutated() -> None:
    frame = tiny_parcels(8)
    before = frame.copy()
    overview_grid.aggregate_grid(frame, theme="land_use")
    mapview.parcel_group(frame, theme="land_use", large_threshold=2)
    pd.testing.assert_frame_equal(frame, before)


def test_layer_data_are_reused_only_for_the_same_parcels_and_theme() -> None:
    frame = tiny_parcels(30)
    first = overview_grid._layer_data(frame, theme="land_use", lang="zh", basemap="offline", cell_m=None)
    again = overview_grid._layer_data(frame.copy(), theme="land_use", lang="zh", basemap="offline", cell_m=None)
    assert again is first  # same content, another frame object: taken from memory
    moved = frame.copy()
    moved["land_use"] = "residential"
    other = overview_grid._layer_data(moved, theme="land_use", lang="zh", basemap="offline", cell_m=None)
    assert other is not first and "\"#f2c94c\"" in other[0] and "\"#f2c94c\"" not in first[0]
    english = overview_grid._layer_data(frame, theme="land_use", lang="en", basemap="offline", cell_m=None)
    assert english is not first and "Industrial" in english[0]
