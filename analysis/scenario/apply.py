"""One scenario year applied to the parcels: height limits of that year and buildable floor area."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from analysis.airport import OLSParams, Runway
from analysis.height_grid import height_surface_raster
from analysis.heights import BuildabilityParams, buildable_floor_area, load_buildability, parcel_height_limits
from analysis.scenario.rules import height_limit_active
from analysis.scenario.schema import Scenario, check_year
from core.raster import Raster
from core.settings import get_settings

__all__ = ["apply_scenario_year"]


def apply_scenario_year(
    frame: gpd.GeoDataFrame,
    scenario: Scenario,
    year: int,
    *,
    runway: Runway,
    params: OLSParams,
    buildability: BuildabilityParams | None = None,
    raster: Raster | None = None,
    bounds: tuple[float, float, float, float] | None = None,
    cell_size: float = 10.0,
    height_limits: pd.Series | None = None,
) -> tuple[gpd.GeoDataFrame, Raster]:
    """Add ``height_limit_m`` and ``buildable_floor_area_m2`` for a scenario year.

    Parameters
    ----------
    frame
        Parcel frame (not modified).
    scenario, year
        The scenario and a year of its horizon.
    runway, params
        Runway and obstacle-limitation parameters.
    buildability
        Floor-area assumptions (default: the packaged file).
    raster
        The airport's height grid to use (e.g. from
        :func:`analysis.height_grid.cached_height_surface`); by default one is built over
        ``bounds`` (default: the frame's extent, snapped to whole cells) in the metric CRS.
    cell_size
        Cell size of the grid built here.
    height_limits
        ``height_limit_m`` with the airport operating, when already computed (by default
        :func:`analysis.heights.parcel_height_limits`, exact analytic method).

    Returns
    -------
    A new frame with the two fields, and the permitted-height grid of that year: the
    airport's surface while the limits apply, all NaN (no cap) once they are lifted.
    ``height_limit_m`` is NaN where no cap applies.
    """
    check_year(year, "year", scenario.horizon)
    metric = get_settings().metric_crs
    buildability = buildability or load_buildability()
    if raster is None:
        if bounds is None:
            minx, miny, maxx, maxy = frame.to_crs(metric).total_bounds
            c = cell_size
            bounds = (np.floor(minx / c) * c - c, np.floor(miny / c) * c - c,
                      np.ceil(maxx / c) * c + c, np.ceil(maxy / c) * c + c)
        raster = height_surface_raster(runway, params, bounds=bounds, cell_size=cell_size, crs=metric)
    if height_limit_active(scenario, year):
        if height_limits is None:
            limits = parcel_height_limits(frame, runway=runway, params=params)
        else:
            limits = height_limits.reindex(frame.index).astype("float64").rename("height_limit_m")
        year_raster = raster
    else:
        limits = pd.Series(np.nan, index=frame.index, name="height_limit_m", dtype="float64")
        year_raster = Raster(np.full_like(raster.array, np.nan), raster.transform, raster.crs)
    out = frame.copy()
    out["height_limit_m"] = limits
    out["buildable_floor_area_m2"] = buildable_floor_area(
        frame, height_limit=limits, aerodrome_elevation_m=runway.elevation_m, params=buildability, metric_crs=metric)
    return out, year_raster
