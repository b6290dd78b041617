"""Per-parcel height limits (raster vs analytic vs exactextract) and buildable floor area."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from _airport_world import at, frame_of, make_runway, rect
from exactextract import exact_extract
from geopandas.testing import assert_geodataframe_equal

from analysis.airport import NODATA, Runway, load_ols_params, permitted_height
from analysis.height_grid import height_surface_raster
from analysis.heights import BuildabilityParams, buildable_floor_area, load_buildability, parcel_height_limits
from core.errors import ConfigError
from core.raster import Raster, write_geotiff

CELL = 10.0
# The analytic method is exact.  exactextract takes the cells a parcel touches: the cell
# holding the lowest point has its centre within half a diagonal (7.07 m) of it, and the
# steepest surface is the transitional, 14.3 %, so it is within 14.3 % x 7.07 ~ 1.0 m.  The
# cell-centre (raster) method takes only centres inside the parcel: for a parcel at least a
# cell wide one lies within a cell diagonal (14.1 m) of the lowest point, ~ 2.0 m.
TOUCHED_VS_ANALYTIC = 0.143 * CELL * np.sqrt(2) / 2 + 1e-6
CENTRES_VS_ANALYTIC = 0.143 * CELL * np.sqrt(2) + 1e-6


@pytest.fixture(scope="module")
def runway() -> Runway:
    return make_runway()


@pytest.fixture(scope="module")
def params():
    return load_ols_params()


def _parcel_field(rw: Runway) -> gpd.GeoDataFrame:
    """Non-overlapping parcels of many sizes and angles over the surfaces (not near their outer edges)."""
    rng = np.random.default_rng(7)
    geoms = []
    half = frame_of(rw)[3]
    # a grid of cells across the runway, its ends and the approach; each cell gets a parcel
    for u in np.arange(-half - 3000, half + 5000, 400.0):
        for v in np.arange(-5200, 5200, 400.0):
            w, h = rng.uniform(3, 330, 2)  # some smaller than a cell
            uc, vc = u + 200, v + 200
            # keep well inside the conical edge (6 km) or on the approach beyond it
            if np.hypot(max(abs(uc) - half - 60, 0), vc) > 5500 and abs(vc) > 600:
                continue
            cx, cy = at(rw, uc, vc)
            poly = shapely.box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
            geoms.append(shapely.affinity.rotate(poly, rng.uniform(0, 90)))
    frame = gpd.GeoDataFrame({"land_use": "industrial"}, geometry=geoms, crs=4548, index=range(len(geoms)))
    frame.index = [f"p{i}" for i in range(len(frame))]
    return frame.to_crs(4326)


@pytest.fixture(scope="module")
def field(runway) -> gpd.GeoDataFrame:
    return _parcel_field(runway)


def test_raster_and_analytic_agree(field, runway, params) -> None:
    analytic = parcel_height_limits(field, runway=runway, params=params, method="analytic")
    raster = parcel_height_limits(field, runway=runway, params=params, method="raster", cell_size=CELL)
    assert analytic.index.equals(field.index) and raster.index.equals(field.index)
    assert analytic.name == raster.name == "height_limit_m"
    # every parcel of the field lies within 6 km (the conical edge) of the runway: all are capped
    assert analytic.notna().all() and raster.notna().all()
    diff = raster - analytic
    assert diff.abs().max() <= CENTRES_VS_ANALYTIC
    # cell centres inside a parcel never lie below its true minimum
    assert diff.min() >= -1e-4


def test_exactextract_agrees(tmp_path: Path, field, runway, params) -> None:
    bounds = tuple(np.round(field.to_crs(4548).total_bounds / CELL) * CELL + np.array([-CELL, -CELL, CELL, CELL]))
    grid = height_surface_raster(runway, params, bounds=bounds, cell_size=CELL)
    path = write_geotiff(Raster(grid.array, grid.transform, grid.crs, nodata=NODATA), tmp_path / "h.tif")
    ee = exact_extract(str(path), field.to_crs(4548).reset_index(drop=True), ["min"], output="pandas")["min"]
    ee.index = field.index
    raster = parcel_height_limits(field, runway=runway, params=params, method="raster", raster=grid)
    analytic = parcel_height_limits(field, runway=runway, params=params, method="analytic")
    # exactextract takes every cell the parcel touches: never above the cell-centre method
    assert (ee <= raster + 1e-4).all()
    assert (ee - analytic).abs().max() <= TOUCHED_VS_ANALYTIC
    assert (raster - ee).max() <= CENTRES_VS_ANALYTIC + TOUCHED_VS_ANALYTIC


def test_given_raster_is_used_as_is(field, runway, params) -> None:
    bounds = tuple(np.round(field.to_crs(4548).total_bounds / CELL) * CELL + np.array([-CELL, -CELL, CELL, CELL]))
    grid = height_surface_raster(runway, params, bounds=bounds, cell_size=CELL)
    a = parcel_height_limits(field, runway=runway, params=params, method="raster", raster=grid)
    b = parcel_height_limits(field, runway=runway, params=params, method="raster", cell_size=CELL)
    pd.testing.assert_series_equal(a, b, atol=1e-4)


@pytest.mark.parametrize("method", ["raster", "analytic"])
def test_hand_computed_parcels(runway, params, method) -> None:
    half = frame_of(runway)[3]
    parcels = gpd.GeoDataFrame(
        {"case": ["approach", "wraps the runway", "transitional", "inner horizontal", "outside", "tiny"]},
        geometry=[
            # on the extended centreline 1,060-1,160 m beyond the threshold: lowest at a = 1,000 m -> 20 m
            rect(runway, half + 1060, half + 1160, -50, 50),
            # a big square around the whole runway: the strip inside it -> 0 m (the boundary alone says 14.8)
            rect(runway, -half - 800, half + 800, -2500, 2500),
            # 200-400 m abeam the midpoint: lowest on the near edge -> (200 - 150) x 14.3 % = 7.15 m
            rect(runway, -100, 100, 200, 400),
            # 2.5-3 km abeam: 45 m
            rect(runway, -100, 100, 2500, 3000),
            # 8-9 km abeam: no surface
            rect(runway, -100, 100, 8000, 9000),
            # 4 x 4 m, 5 km abeam: 95 m (smaller than a cell: sampled at its point)
            rect(runway, -2, 2, 4998, 5002),
        ],
        crs=4548,
    ).to_crs(4326)
    got = parcel_height_limits(parcels, runway=runway, params=params, method=method)
    tol = 1e-6 if method == "analytic" else 1.1
    # tiny: 4,998 m from the strip-end segment -> 45 + 5 % x 998 = 94.9 m
    expected = [20.0, 0.0, 7.15, 45.0, np.nan, 94.9]
    np.testing.assert_allclose(got.to_numpy(), expected, atol=tol)


def test_analytic_minimum_inside_an_edge(runway, params) -> None:
    """The lowest point of a parcel can lie inside an edge: no vertex is that low."""
    import shapely.affinity

    half = frame_of(runway)[3]
    end = half + 60.0  # strip end, on the centreline
    # a 1,000 m square on the 45° radial of the strip end, an edge facing it 4,200 m away:
    # the edge's midpoint is the lowest point, 45 + 5 % x 200 = 55 m; its corners lie
    # sqrt(4200^2 + 500^2) = 4,229.7 m away (56.5 m)
    square = shapely.affinity.rotate(shapely.box(4200, -500, 5200, 500), 45, origin=(0, 0))
    corners = [(end + x, y) for x, y in shapely.get_coordinates(square)]
    parcel = shapely.Polygon([at(runway, u, v) for u, v in corners])
    frame = gpd.GeoDataFrame(geometry=[parcel], crs=4548)
    got = parcel_height_limits(frame, runway=runway, params=params)
    assert got.iloc[0] == pytest.approx(55.0, abs=1e-6)


def _random_parcels(rw: Runway, n: int, seed: int) -> list[shapely.Geometry]:
    """Concave polygons, polygons with holes and two-part parcels anywhere over the surfaces."""
    rng = np.random.default_rng(seed)
    half = frame_of(rw)[3]
    out: list[shapely.Geometry] = []
    while len(out) < n:
        u, v = rng.uniform(-half - 9000, half + 9000), rng.uniform(-6500, 6500)
        r = rng.uniform(20, 400)
        k = int(rng.integers(3, 9))
        angle = np.sort(rng.uniform(0, 2 * np.pi, k))
        radius = r * rng.uniform(0.3, 1.0, k)
        g = shapely.make_valid(shapely.Polygon([at(rw, u + a * np.cos(t), v + a * np.sin(t))
                                                for t, a in zip(angle, radius, strict=True)]))
        kind = len(out) % 3
        if kind == 1:  # a hole
            g = g.difference(shapely.Point(at(rw, u, v)).buffer(r / 4))
        elif kind == 2:  # a second part 600 m away
            g = g.union(shapely.Point(at(rw, u + 600, v - 300)).buffer(r / 3))
        if not g.is_empty and g.area > 1:
            out.append(g)
    return out


def test_analytic_matches_a_dense_sampling(runway, params) -> None:
    """Against the surface sampled every metre inside each parcel and every 0.5 m on its boundary.

    Samples lie inside the parcel, so their minimum is never below the true one and exceeds
    it by at most the steepest slope (14.3 %) times the distance to the nearest sample.
    """
    geoms = _random_parcels(runway, 150, seed=3)
    got = parcel_height_limits(gpd.GeoDataFrame(geometry=geoms, crs=4548), runway=runway,
                               params=params).to_numpy()
    sampled = []
    for g in geoms:
        minx, miny, maxx, maxy = g.bounds
        xs, ys = np.meshgrid(np.arange(minx, maxx, 1.0), np.arange(miny, maxy, 1.0))
        inside = shapely.contains_xy(g, xs.ravel(), ys.ravel())
        edge = shapely.get_coordinates(shapely.segmentize(g.boundary, 0.5))
        h = permitted_height(np.r_[xs.ravel()[inside], edge[:, 0]], np.r_[ys.ravel()[inside], edge[:, 1]],
                             runway=runway, params=params)
        sampled.append(np.nanmin(h) if np.isfinite(h).any() else np.nan)
    sampled = np.array(sampled)
    np.testing.assert_array_equal(np.isnan(got), np.isnan(sampled))
    capped = ~np.isnan(got)
    assert capped.sum() >= 90  # most parcels lie under a surface (99 of 150 with this seed)
    diff = sampled[capped] - got[capped]
    assert diff.min() >= -1e-6
    assert diff.max() <= 0.143 * np.sqrt(2) / 2 + 1e-6


@pytest.mark.parametrize("method", ["raster", "analytic"])
def test_empty_and_missing_geometries_give_nan(runway, params, method) -> None:
    x, y = at(runway, 0, 3000)
    frame = gpd.GeoDataFrame(geometry=[shapely.box(x, y, x + 50, y + 50), shapely.Polygon(), None], crs=4548)
    got = parcel_height_limits(frame, runway=runway, params=params, method=method)
    assert got.iloc[0] == pytest.approx(45.0)
    assert got.iloc[1:].isna().all()


def test_input_is_not_modified(field, runway, params) -> None:
    before = field.copy()
    parcel_height_limits(field, runway=runway, params=params, method="analytic")
    parcel_height_limits(field, runway=runway, params=params, method="raster")
    assert_geodataframe_equal(field, before)


def test_unknown_method(field, runway, params) -> None:
    with pytest.raises(ConfigError, match="method must be"):
        parcel_height_limits(field, runway=runway, params=params, method="guess")  # type: ignore[arg-type]


# --- buildable floor area ---------------------------------------------------------------------


def _square(uses: list[str], **cols) -> gpd.GeoDataFrame:
    """100 x 100 m parcels near Xiamen (EPSG:4548), one per use."""
    x0, y0 = 614000.0, 2716000.0
    geoms = [shapely.box(x0 + 200 * i, y0, x0 + 200 * i + 100, y0 + 100) for i in range(len(uses))]
    return gpd.GeoDataFrame({"land_use": uses, **cols}, geometry=geoms, crs=4548).to_crs(4326)


def test_floor_area_by_hand() -> None:
    params = load_buildability()
    frame = _square(["industrial", "commercial_office", "industrial", "industrial", "mystery", "industrial"])
    limit = pd.Series([20.0, 20.0, np.nan, 45.0, 20.0, -5.0], index=frame.index)
    got = buildable_floor_area(frame, height_limit=limit, aerodrome_elevation_m=18.0, params=params)
    area = 10_000.0
    expected = [
        area * min(3.0, (20 // 4.5) * 0.5),  # 4 storeys x 50 % = FAR 2.0
        area * min(6.0, (20 // 3.6) * 0.4),  # 5 storeys x 40 % = FAR 2.0
        area * 3.0,                           # no cap: the FAR cap
        area * min(3.0, (45 // 4.5) * 0.5),  # 10 storeys x 50 % = 5.0 -> capped at 3.0
        area * min(2.0, (20 // 3.6) * 0.4),  # unknown use counts as other
        0.0,                                  # below the ground: nothing
    ]
    np.testing.assert_allclose(got.to_numpy(), expected, rtol=1e-6)
    assert got.name == "buildable_floor_area_m2"


def test_ground_elevation_column_lowers_the_clearance() -> None:
    frame = _square(["industrial", "industrial"], ground_elevation_m=[23.0, np.nan])
    limit = pd.Series([20.0, 20.0], index=frame.index)
    got = buildable_floor_area(frame, height_limit=limit, aerodrome_elevation_m=18.0, params=load_buildability())
    # 20 + 18 - 23 = 15 m -> 3 storeys x 50 % = 1.5; missing ground -> aerodrome elevation -> 2.0
    np.testing.assert_allclose(got.to_numpy(), [15_000.0, 20_000.0], rtol=1e-6)


def test_custom_parameters() -> None:
    params = BuildabilityParams(far_cap={"industrial": 4.0, "other": 1.0}, site_coverage={"industrial": 0.6},
                               storey_height_m={"default": 5.0}, ground_elevation_m=10.0)
    frame = _square(["industrial"])
    got = buildable_floor_area(frame, height_limit=pd.Series([30.0], index=frame.index),
                               aerodrome_elevation_m=18.0, params=params)
    # 30 + 18 - 10 = 38 m -> 7 storeys x 60 % = 4.2 -> capped at 4.0
    assert got.iloc[0] == pytest.approx(40_000.0, rel=1e-6)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("far_cap: {industrial: 3, factory: 2}\nsite_coverage: {}\nstorey_height_m: {default: 3.6}\n",
         r"unknown key.*factory"),
        ("far_cap: {}\nsite_coverage: {}\nstorey_height_m: {default: 3.6}\nheight: 3\n", r"unknown key.*height"),
        ("far_cap: {industrial: 3}\nsite_coverage: {}\nstorey_height_m: {default: 3.6}\n", "missing required"),
    ],
)
def test_buildability_file_errors(tmp_path: Path, text: str, match: str) -> None:
    path = tmp_path / "b.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=match):
        load_buildability(path)


def test_packaged_buildability_covers_every_land_use() -> None:
    from parcels.schema import LAND_USES

    params = load_buildability()
    assert set(params.far_cap) == set(LAND_USES) == set(params.site_coverage)
    assert params.storey_height_m["industrial"] == 4.5 and params.storey_height_m["default"] == 3.6


def test_rasterisation_input_matches_shapely_geometries() -> None:
    from affine import Affine
    from rasterio.features import rasterize

    from analysis.heights import _geojson_like

    ring = shapely.box(0, 0, 100, 100).difference(shapely.box(30, 30, 70, 70))  # polygon with a hole
    multi = shapely.MultiPolygon([shapely.box(120, 0, 150, 40), shapely.box(160, 60, 190, 95)])
    tri = shapely.Polygon([(0, 120), (90, 120), (45, 190)])
    geoms = np.array([ring, multi, tri], dtype=object)
    labels = np.arange(1, 4, dtype=np.int32)
    kw = {"out_shape": (20, 20), "transform": Affine(10, 0, 0, 0, -10, 200), "dtype": "int32"}
    want = rasterize(zip(geoms, labels, strict=True), **kw)
    got = rasterize(zip(_geojson_like(geoms), labels, strict=True), **kw)
    np.testing.assert_array_equal(got, want)
    assert set(np.unique(got)) == {0, 1, 2, 3}


def test_a_larger_or_missing_grid(field, runway, params) -> None:
    # a district-size grid: only the window over the parcels is rasterised
    m = frame_of(runway)[0]
    big = height_surface_raster(runway, params, bounds=(m[0] - 12000, m[1] - 12000, m[0] + 12000, m[1] + 12000))
    own = parcel_height_limits(field, runway=runway, params=params, method="raster", cell_size=CELL)
    shifted = parcel_height_limits(field, runway=runway, params=params, method="raster", raster=big)
    assert (shifted - own).abs().max() <= 0.143 * CELL * np.sqrt(2) + 1e-6  # a different cell alignment
    # a grid beside the parcels: every parcel falls back to its representative point on the surface
    far = height_surface_raster(runway, params, bounds=(m[0] + 30000, m[1], m[0] + 30100, m[1] + 100))
    fallback = parcel_height_limits(field, runway=runway, params=params, method="raster", raster=far)
    analytic = parcel_height_limits(field, runway=runway, params=params, method="analytic")
    assert (fallback >= analytic - 1e-4).all() and fallback.notna().all()
