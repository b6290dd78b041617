"""Where the airport's obstacle limitation surfaces end, and grids that stop there."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from geopandas import GeoDataFrame

from analysis.airport import Runway, load_ols_params, permitted_height, surface_extent
from analysis.height_grid import height_surface_raster
from analysis.heights import parcel_height_limits
from analysis.scenario_io import district_height_surface, load_airport_inputs
from tests._airport_world import at, make_runway, rect

# Packaged Annex 14 figures (analysis/config/ols_annex14.yaml), worked by hand: the approach
# surfaces end 60 + 15,000 m beyond each threshold -> |u| <= half the threshold distance + 15,060
# (more than the conical surface's 60 + 6,000 m beyond the runway ends); the conical surface ends
# 100 m / 5 % = 2,000 m beyond the 4,000 m inner horizontal -> |v| <= 6,000 (the approach is
# 150 + 0.15 x 15,000 = 2,400 m wide each side at its end, 2,715 m with the transitional
# surface: less than 6,000).
APPROACH_BEYOND_THRESHOLD = 60.0 + 15_000.0
V_MAX = 4_000.0 + 100.0 / 0.05


def _u_max(rw: Runway) -> float:
    return rw.length_m / 2.0 + APPROACH_BEYOND_THRESHOLD  # thresholds about 3,400 m apart in EPSG:4548


def test_surface_extent_is_the_rectangle_worked_by_hand() -> None:
    rw = make_runway()
    u_max = _u_max(rw)
    assert u_max == pytest.approx(1_700.0 + 15_060.0, abs=1.0)
    corners = np.array([at(rw, su * u_max, sv * V_MAX) for su in (-1, 1) for sv in (-1, 1)])
    expected = (*corners.min(axis=0), *corners.max(axis=0))
    assert surface_extent(rw, load_ols_params()) == pytest.approx(expected, abs=1e-6)


def test_no_surface_outside_the_extent_and_surfaces_reach_its_edges() -> None:
    rw, params = make_runway(), load_ols_params()
    u_max = _u_max(rw)
    minx, miny, maxx, maxy = surface_extent(rw, params)
    xs, ys = np.meshgrid(np.linspace(minx - 30_000, maxx + 30_000, 601), np.linspace(miny - 30_000, maxy + 30_000, 601))
    outside = (xs < minx) | (xs > maxx) | (ys < miny) | (ys > maxy)
    h = permitted_height(xs[outside], ys[outside], runway=rw, params=params)
    assert np.isnan(h).all()
    # the rectangle is tight along the axis (approach end) and across it (conical edge)
    for u, v in ((u_max - 1.0, 0.0), (-(u_max - 1.0), 0.0), (0.0, V_MAX - 1.0), (0.0, -(V_MAX - 1.0))):
        x, y = at(rw, u, v)
        assert np.isfinite(permitted_height(x, y, runway=rw, params=params))
    for u, v in ((u_max + 1.0, 0.0), (0.0, V_MAX + 1.0)):
        x, y = at(rw, u, v)
        assert np.isnan(permitted_height(x, y, runway=rw, params=params))


def _parcels(polys: list[shapely.Polygon]) -> GeoDataFrame:
    return GeoDataFrame({"parcel_id": [f"p{i}" for i in range(len(polys))]}, geometry=polys, crs=4548).to_crs(4326)


def _grid_bounds(grid: object) -> tuple[float, float, float, float]:
    rows, cols = grid.array.shape  # type: ignore[attr-defined]
    t = grid.transform  # type: ignore[attr-defined]
    return t.c, t.f + t.e * rows, t.c + t.a * cols, t.f


def test_district_grid_stops_where_the_surfaces_end() -> None:
    inputs = load_airport_inputs()
    rw = inputs.runway
    district_only, _ = district_height_surface(inputs)
    near = rect(rw, 500, 700, 800, 900)  # beside the runway, in the district
    far = rect(rw, 60_000, 60_200, 0, 100)  # 60 km along the axis: beyond every surface
    grid, _ = district_height_surface(inputs, parcels=_parcels([near, far]))
    d, e, g = _grid_bounds(district_only), surface_extent(rw, inputs.params), _grid_bounds(grid)
    cell = 10.0
    assert g[0] >= min(d[0], e[0]) - cell and g[1] >= min(d[1], e[1]) - cell
    assert g[2] <= max(d[2], e[2]) + cell and g[3] <= max(d[3], e[3]) + cell
    x, y = at(rw, 60_100, 50)
    assert not (g[0] <= x <= g[2] and g[1] <= y <= g[3])  # the far parcel is off the grid
    # a parcel under the approach surface 14 km out (inside the reach) is on the grid
    approach = rect(rw, 14_000, 14_200, -50, 50)
    wider, _ = district_height_surface(inputs, parcels=_parcels([near, approach]))
    w = _grid_bounds(wider)
    x, y = at(rw, 14_100, 0)
    assert w[0] <= x <= w[2] and w[1] <= y <= w[3]


def test_limits_on_the_clipped_grid_equal_those_on_a_grid_over_everything() -> None:
    inputs = load_airport_inputs()
    rw, params = inputs.runway, inputs.params
    polys = [rect(rw, 500, 700, 800, 900), rect(rw, 14_000, 14_200, -50, 50), rect(rw, 60_000, 60_200, 0, 100),
             rect(rw, -3_000, -2_990, 3_000, 3_004)]  # the last is smaller than a cell
    frame = _parcels(polys)
    clipped, _ = district_height_surface(inputs, parcels=frame)
    minx, miny, maxx, maxy = frame.to_crs(rw.crs).total_bounds
    everything = height_surface_raster(rw, params, bounds=(np.floor(minx / 10) * 10 - 10, np.floor(miny / 10) * 10 - 10,
                                                           np.ceil(maxx / 10) * 10 + 10, np.ceil(maxy / 10) * 10 + 10),
                                       cell_size=10.0, crs=rw.crs)
    a = parcel_height_limits(frame, runway=rw, params=params, raster=clipped)
    b = parcel_height_limits(frame, runway=rw, params=params, raster=everything)
    np.testing.assert_array_equal(a.to_numpy(), b.to_numpy())
    assert np.isnan(a.iloc[2]) and np.isfinite(a.iloc[[0, 1, 3]]).all()
