"""One scenario year applied to the parcels: that year's height limits and buildable floor area
(:func:`apply_scenario_year`), and the whole year overlaid on a frame analysed once
(:func:`scenario_year_frame`: what the app does when the year changes)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from analysis.airport import OLSParams, Runway
from analysis.height_grid import height_surface_raster
from analysis.heights import BuildabilityParams, buildable_floor_area, load_buildability, parcel_height_limits
from analysis.recommend import recommend
from analysis.scenario.rules import demonstration_advice, height_limit_active
from analysis.scenario.schema import Scenario, check_year
from core.crs import transformer
from core.raster import Raster
from core.settings import get_settings

__all__ = ["apply_scenario_year", "scenario_year_frame"]


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
            # the extent's outline projected, not every parcel (the grid is snapped and padded anyway)
            x0, y0, x1, y1 = (float(v) for v in frame.total_bounds)
            minx, miny, maxx, maxy = transformer(frame.crs, metric).transform_bounds(x0, y0, x1, y1, densify_pts=21)
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


def scenario_year_frame(
    analysed: gpd.GeoDataFrame,
    scenario: Scenario,
    year: int,
    *,
    runway: Runway,
    params: OLSParams,
    raster: Raster,
    height_limits: pd.Series,
    buildability: BuildabilityParams | None = None,
) -> tuple[gpd.GeoDataFrame, Raster]:
    """A scenario year overlaid on a frame analysed once, without analysing it again.

    Of what :func:`analysis.pipeline.analyse` derives, only the recommendations depend on the
    scenario year (through the demonstration zone's advice); they are derived again here, and the
    year's height limits and buildable floor area are added as :func:`apply_scenario_year` does.
    The result equals ``apply_scenario_year(analyse(parcels, zones, demonstration=
    demonstration_advice(scenario, year), ...), scenario, year, ...)``.

    Parameters
    ----------
    analysed
        ``analysis.pipeline.analyse`` output for the dataset, as-of date and profile (not modified).
    scenario, year
        The scenario and a year of its horizon.
    runway, params, raster
        Runway, obstacle-limitation parameters and the airport's height grid.
    height_limits
        ``height_limit_m`` of every parcel with the airport operating.
    buildability
        Floor-area assumptions (default: the packaged file).

    Returns
    -------
    The frame of the year and that year's permitted-height grid.
    """
    check_year(year, "year", scenario.horizon)
    recs = recommend(analysed, demonstration=demonstration_advice(scenario, year))
    frame = analysed.assign(**{col: recs[col] for col in recs.columns})
    frame.attrs = dict(analysed.attrs)
    return apply_scenario_year(frame, scenario, year, runway=runway, params=params, buildability=buildability,
                               raster=raster, height_limits=height_limits)
