"""Obstacle limitation surfaces: hand-computed Annex 14 heights, the grid and its GeoTIFF."""

from __future__ import annotations

import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import rasterio
import shapely
import yaml
from _airport_world import ELEVATION_M, LENGTH_M, at, frame_of, make_runway
from affine import Affine

from analysis.airport import NODATA, Runway, load_ols_params, permitted_height, surface_extent
from analysis.height_grid import cached_height_surface, height_surface_raster, surface_cache_key
from core.errors import ConfigError, CRSError, SchemaError
from core.raster import Raster, read_geotiff, write_geotiff

# half the distance between the two thresholds, in grid metres (ground 1,700 m x the scale factor)
HALF = frame_of(make_runway())[3]

# (label, u along the centreline from the midpoint, v across, expected height by hand)
# approach: inner edge 60 m beyond the threshold, 2 % for 3,000 m, 2.5 % for 3,600 m, level to 15 km;
# inner horizontal 45 m within 4,000 m of the strip-end segment; conical 5 % beyond, up to 145 m;
# transitional 14.3 % from the strip edge (150 m) or the approach side.
HAND_POINTS = [
    ("approach 1 km beyond threshold", HALF + 1000, 0.0, (1000 - 60) * 0.02),  # 18.8
    ("approach beyond the other threshold", -(HALF + 1000), 0.0, (1000 - 60) * 0.02),
    ("inner horizontal 3 km abeam", 0.0, 3000.0, 45.0),
    ("conical 5 km abeam", 0.0, 5000.0, 45 + (5000 - 4000) * 0.05),  # 95
    ("conical 5 km abeam other side", 0.0, -5000.0, 95.0),
    ("transitional 300 m abeam", 0.0, 300.0, (300 - 150) * 0.143),  # 21.45
    ("transitional beside the approach", HALF + 1060, 400.0,
     (1000 * 0.02) + (400 - (150 + 0.15 * 1000)) * 0.143),  # 34.3
    ("second approach section", HALF + 60 + 6000, 0.0, 3000 * 0.02 + 3000 * 0.025),  # 135
    ("conical below approach", HALF + 60 + 5000, 0.0, 45 + 1000 * 0.05),  # 95 < approach 110
    ("approach horizontal section", HALF + 60 + 9000, 0.0, 150.0),
    ("racetrack circle at the strip end", HALF + 60 + 3000, 3000.0, 45 + (math.hypot(3000, 3000) - 4000) * 0.05),
    ("runway strip", 0.0, 0.0, 0.0),
]
NODATA_POINTS = [
    ("beyond the conical 7 km abeam", 0.0, 7000.0),
    ("beyond the approach end", HALF + 60 + 15100, 0.0),
    ("beyond the conical, beside the approach", HALF + 60 + 8000, 3000.0),
]


@pytest.fixture(scope="module")
def runway() -> Runway:
    return make_runway()


@pytest.fixture(scope="module")
def params():
    return load_ols_params()


def test_runway_is_built_from_the_reference_point(runway: Runway) -> None:
    # the Gauss-Kruger grid distance differs from the ground distance by the scale factor (< 0.03 %)
    assert runway.length_m == pytest.approx(LENGTH_M, rel=3e-4)
    assert runway.elevation_m == ELEVATION_M
    geod_bearing = math.degrees(math.atan2(runway.end[0] - runway.start[0], runway.end[1] - runway.start[1]))
    assert geod_bearing == pytest.approx(46.5, abs=1.5)  # grid vs true north differ by the meridian convergence


def test_default_parameters_are_annex14_code4_precision(params) -> None:
    assert params.inner_horizontal_height_m == 45
    assert params.inner_horizontal_radius_m == 4000
    assert params.conical_slope == 0.05 and params.conical_height_m == 100
    assert params.approach_inner_edge_width_m == 300
    assert params.approach_distance_from_threshold_m == 60
    assert params.approach_divergence == 0.15
    assert params.approach_sections == ((3000, 0.02), (3600, 0.025))
    assert params.approach_total_length_m == 15000
    assert params.transitional_slope == 0.143
    assert params.strip_half_width_m == 150
    assert "Annex 14" in params.source and "edition" in params.edition


@pytest.mark.parametrize(("label", "u", "v", "expected"), HAND_POINTS, ids=[p[0] for p in HAND_POINTS])
def test_permitted_height_matches_hand_computation(runway, params, label, u, v, expected) -> None:
    x, y = at(runway, u, v)
    got = permitted_height(np.array([x]), np.array([y]), runway=runway, params=params)
    assert abs(got[0] - expected) <= 0.5, label
    assert got[0] == pytest.approx(expected, abs=1e-6), label  # analytic: exact


@pytest.mark.parametrize(("label", "u", "v"), NODATA_POINTS, ids=[p[0] for p in NODATA_POINTS])
def test_no_surface_gives_nan(runway, params, label, u, v) -> None:
    x, y = at(runway, u, v)
    assert np.isnan(permitted_height(x, y, runway=runway, params=params)), label


def test_permitted_height_is_vectorised_and_keeps_shape(runway, params) -> None:
    m, _, n, _ = frame_of(runway)
    vs = np.linspace(-7000, 7000, 15)
    xs = (m[0] + vs[:, None] * n[0]) + np.zeros((1, 4))
    ys = (m[1] + vs[:, None] * n[1]) + np.zeros((1, 4))
    h = permitted_height(xs, ys, runway=runway, params=params)
    assert h.shape == (15, 4)
    expected = [np.nan if abs(v) > 6000 else 45 + max(0, abs(v) - 4000) * 0.05 if abs(v) > 464.7
                else (abs(v) - 150) * 0.143 if abs(v) > 150 else 0.0 for v in vs]
    np.testing.assert_allclose(h[:, 0], expected, atol=1e-6)


def test_newer_edition_inner_edge_is_a_parameter(runway) -> None:
    older = load_ols_params()
    newer = load_ols_params(overrides={"approach": {"inner_edge_width_m": 280}})
    x, y = at(runway, HALF + 160, 160.0)  # 100 m from the inner edge, 160 m off the centreline
    # 300 m edge: half-width 150 + 15 = 165 -> inside the approach: 100 * 2 % = 2.0 m
    assert permitted_height(x, y, runway=runway, params=older) == pytest.approx(2.0)
    # 280 m edge: half-width 140 + 15 = 155 -> transitional: 2.0 + 5 * 14.3 % = 2.715 m
    assert permitted_height(x, y, runway=runway, params=newer) == pytest.approx(2.0 + 5 * 0.143)


@pytest.mark.parametrize(("label", "u", "v", "expected"), HAND_POINTS, ids=[p[0] for p in HAND_POINTS])
def test_geotiff_read_back_matches_hand_computation(tmp_path: Path, runway, params, label, u, v, expected) -> None:
    x, y = at(runway, u, v)
    # a small grid whose cell (5, 5) is centred exactly on the point
    bounds = (x - 55.0, y - 55.0, x + 55.0, y + 55.0)
    raster = height_surface_raster(runway, params, bounds=bounds, cell_size=10.0, crs="EPSG:4548")
    path = write_geotiff(Raster(raster.array, raster.transform, raster.crs, nodata=NODATA), tmp_path / "h.tif")
    with rasterio.open(path) as src:
        assert src.crs.to_epsg() == 4548
        assert src.transform == Affine(10.0, 0.0, x - 55.0, 0.0, -10.0, y + 55.0)
        assert (src.width, src.height) == (11, 11)
        row, col = src.index(x, y)
        value = src.read(1)[row, col]
    assert (row, col) == (5, 5)
    assert abs(value - expected) <= 0.5, label


def test_district_grid_geotiff_profile_and_nodata(tmp_path: Path, runway, params) -> None:
    m, _, _, _ = frame_of(runway)
    bounds = (m[0] - 8000, m[1] - 8000, m[0] + 8000, m[1] + 8000)
    raster = height_surface_raster(runway, params, bounds=bounds, cell_size=10.0)
    assert raster.array.shape == (1600, 1600)
    assert raster.array.dtype == np.float32
    path = write_geotiff(Raster(raster.array, raster.transform, raster.crs, nodata=NODATA), tmp_path / "huli.tif")
    with rasterio.open(path) as src:
        prof = src.profile
        assert prof["tiled"] and prof["blockxsize"] == 256
        assert prof["compress"].lower() == "deflate"
        assert src.nodata == NODATA
        assert src.res == (10.0, 10.0)
        assert src.overviews(1)  # cloud-optimised: internal overviews
        # 7 km abeam the midpoint is nodata in the file
        m_, _, n, _ = frame_of(runway)
        px, py = m_ + 7000 * n
        r, c = src.index(px, py)
        assert src.read(1)[r, c] == NODATA
        # every cell agrees with the analytic surface at its centre
        back = src.read(1, masked=True)
    cols, rows = np.meshgrid(np.arange(0, 1600, 37), np.arange(0, 1600, 41))
    t = raster.transform
    cx, cy = t.c + (cols + 0.5) * t.a, t.f + (rows + 0.5) * t.e
    want = permitted_height(cx, cy, runway=runway, params=params)
    got = back[rows, cols]
    np.testing.assert_array_equal(got.mask, np.isnan(want))
    np.testing.assert_allclose(got.filled(np.nan)[~got.mask], want[~np.isnan(want)], atol=1e-3)


def test_geotiff_round_trip(tmp_path: Path, runway, params) -> None:
    x, y = at(runway, 0, 5500)
    raster = height_surface_raster(runway, params, bounds=(x - 1000, y - 1000, x + 1000, y + 1000), cell_size=20)
    back = read_geotiff(write_geotiff(Raster(raster.array, raster.transform, raster.crs, nodata=NODATA), tmp_path / "r.tif"))
    np.testing.assert_array_equal(np.isnan(back.array), np.isnan(raster.array))
    np.testing.assert_allclose(back.array, raster.array, equal_nan=True)
    assert back.transform == raster.transform and "4548" in back.crs


def test_grid_in_another_metric_crs_transforms_the_runway(runway, params) -> None:
    utm = "EPSG:32650"  # WGS 84 / UTM 50N also covers Xiamen
    x, y = at(runway, 0, 3000)
    tx, ty = pyproj_transform(x, y, utm)
    raster = height_surface_raster(runway, params, bounds=(tx - 55, ty - 55, tx + 55, ty + 55), crs=utm)
    assert raster.crs == utm
    assert raster.array[5, 5] == pytest.approx(45.0)


def pyproj_transform(x: float, y: float, crs: str) -> tuple[float, float]:
    import pyproj

    return pyproj.Transformer.from_crs("EPSG:4548", crs, always_xy=True).transform(x, y)


def test_cache_is_keyed_by_runway_parameters_and_grid(tmp_path: Path, runway, params) -> None:
    x, y = at(runway, 0, 0)
    bounds = (x - 500, y - 500, x + 500, y + 500)
    first, path = cached_height_surface(runway, params, bounds=bounds, cell_size=10, cache_dir=tmp_path)
    stamp = path.stat().st_mtime_ns
    second, path2 = cached_height_surface(runway, params, bounds=bounds, cell_size=10, cache_dir=tmp_path)
    assert path2 == path and path.stat().st_mtime_ns == stamp
    np.testing.assert_allclose(second.array, first.array, equal_nan=True)
    other = load_ols_params(overrides={"approach": {"inner_edge_width_m": 280}})
    keys = {
        surface_cache_key(runway, params, bounds=bounds, cell_size=10, crs="EPSG:4548"),
        surface_cache_key(runway, other, bounds=bounds, cell_size=10, crs="EPSG:4548"),
        surface_cache_key(runway, params, bounds=bounds, cell_size=5, crs="EPSG:4548"),
        surface_cache_key(Runway(runway.start, runway.end, 20.0), params, bounds=bounds, cell_size=10,
                          crs="EPSG:4548"),
    }
    assert len(keys) == 4


def test_default_cache_lives_in_the_workspace(_isolated_workspace: Path, runway, params) -> None:
    x, y = at(runway, 0, 0)
    _, path = cached_height_surface(runway, params, bounds=(x - 100, y - 100, x + 100, y + 100))
    assert path.is_relative_to(_isolated_workspace / "cache")


def test_runway_from_layer(runway) -> None:
    line = shapely.LineString([runway.start, runway.end])
    layer = gpd.GeoDataFrame({"designator": ["05/23"], "elevation_m": [18.0]}, geometry=[line],
                             crs=4548).to_crs(4326)
    rw = Runway.from_layer(layer, crs="EPSG:4548")
    assert rw.start == pytest.approx(runway.start, abs=1e-3)
    assert rw.end == pytest.approx(runway.end, abs=1e-3)
    assert rw.elevation_m == 18.0 and rw.designator == "05/23"


@pytest.mark.parametrize(
    ("layer", "error", "match"),
    [
        (gpd.GeoDataFrame(geometry=[shapely.LineString([(0, 0), (1, 1)])]), CRSError, "no CRS"),
        (gpd.GeoDataFrame(geometry=[shapely.LineString([(118, 24), (118.1, 24.1)])] * 2, crs=4326), SchemaError,
         "exactly one LineString"),
        (gpd.GeoDataFrame(geometry=[shapely.box(118, 24, 118.1, 24.1)], crs=4326), SchemaError,
         "exactly one LineString"),
    ],
)
def test_runway_layer_errors(layer, error, match) -> None:
    with pytest.raises(error, match=match):
        Runway.from_layer(layer)


def _edited(**changes):
    base = yaml.safe_load((Path(__file__).resolve().parents[1] / "analysis" / "config" / "ols_annex14.yaml")
                          .read_text("utf-8"))
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            base[key].update(value)
        else:
            base[key] = value
    return base


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (_edited(inner_horizontal={"shape": "oval"}), r"unknown key.*shape.*Valid keys"),
        (_edited(inner_horizontal={"radius_m": -4000}), "must be greater than 0"),
        (_edited(approach={"divergence": -0.15}), "at least 0"),
        (_edited(bogus=1), r"unknown key.*bogus"),
        (_edited(approach={"total_length_m": 5000}), "more than"),
    ],
    ids=["unknown nested key", "negative radius", "negative divergence", "unknown top key", "sections too long"],
)
def test_parameter_file_errors(tmp_path: Path, data, match: str) -> None:
    path = tmp_path / "ols.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ConfigError, match=match) as info:
        load_ols_params(path)
    assert info.value.message_zh != info.value.message_en


@pytest.mark.parametrize("bounds", [(0, 0, 0, 10), (10, 0, 0, 10)])
def test_empty_bounds_are_refused(runway, params, bounds) -> None:
    with pytest.raises(ConfigError, match="bounds"):
        height_surface_raster(runway, params, bounds=bounds)


@pytest.mark.parametrize("edge", [300, 280])
def test_grid_equals_the_surface_at_every_cell_centre(runway, edge) -> None:
    """The grid builder evaluates only the columns the surfaces reach; every other cell must be NaN."""
    params = load_ols_params(overrides={"approach": {"inner_edge_width_m": edge}})
    b = surface_extent(runway, params)
    bounds = (b[0] - 730.0, b[1] - 410.0, b[2] + 520.0, b[3] + 650.0)  # beyond the reach on every side
    raster = height_surface_raster(runway, params, bounds=bounds, cell_size=23.0)
    t = raster.transform
    rows, cols = raster.array.shape
    cx = t.c + (np.arange(cols) + 0.5) * t.a
    cy = t.f + (np.arange(rows) + 0.5) * t.e
    want = permitted_height(cx[None, :], cy[:, None], runway=runway, params=params).astype(np.float32)
    assert np.isnan(want).any() and (~np.isnan(want)).sum() > 100_000
    np.testing.assert_array_equal(raster.array, want)  # NaN in the same cells, values bit for bit


def test_a_damaged_cache_file_is_built_again(tmp_path: Path, runway, params) -> None:
    x, y = at(runway, 0, 0)
    bounds = (x - 500, y - 500, x + 500, y + 500)
    first, path = cached_height_surface(runway, params, bounds=bounds, cell_size=10, cache_dir=tmp_path)
    path.write_bytes(b"not a GeoTIFF")
    again, path2 = cached_height_surface(runway, params, bounds=bounds, cell_size=10, cache_dir=tmp_path)
    assert path2 == path
    np.testing.assert_array_equal(again.array, first.array)
    np.testing.assert_array_equal(read_geotiff(path).array, first.array)  # the file is whole again
