"""One scenario year applied to the parcels: that year's what-if edits, height limits, buildable floor
area and height conflicts (:func:`apply_scenario_year`), and the whole year overlaid on a frame
analysed once (:func:`scenario_year_frame`: what the app does when the year changes).

A scenario's ``edits`` in force in the year (:func:`analysis.whatif.apply.apply_edits`) change the
parcels first; the fields derived from them (``converted_land``, efficiency, recommendations) are
derived again, then the height limits, the buildable floor area and the conflicts are added on
the edited state.  Both functions always add ``height_conflict`` and
``max_far_under_height_limit`` (:func:`analysis.whatif.apply.height_conflicts`)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from analysis.airport import OLSParams, Runway
from analysis.control_standard import ControlStandard
from analysis.efficiency import EfficiencyProfile
from analysis.height_grid import height_surface_raster
from analysis.heights import BuildabilityParams, buildable_floor_area, load_buildability, parcel_height_limits
from analysis.recommend import recommend
from analysis.scenario.rules import demonstration_advice, height_limit_active
from analysis.scenario.schema import Scenario, check_year
from analysis.whatif.apply import apply_edits, height_conflicts, rederive
from analysis.whatif.types import DevelopmentTypes
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
    types: DevelopmentTypes | None = None,
    profile: EfficiencyProfile | None = None,
    standard: ControlStandard | None = None,
) -> tuple[gpd.GeoDataFrame, Raster]:
    """Apply the year's edits and add ``height_limit_m``, ``buildable_floor_area_m2``, ``height_conflict``
    and ``max_far_under_height_limit`` for a scenario year.

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
    types
        The development-type library of the edits (default: the shipped one).
    profile
        The efficiency profile the frame was analysed with, for rating edited parcels again
        (default: the shipped one).
    standard
        The land control standard the frame was analysed with, for checking edited parcels
        again (default: the shipped one).

    Returns
    -------
    A new frame with the edits of the year applied (and the fields derived from them derived
    again, the recommendations with the year's demonstration advice) and the four fields, and the permitted-height grid of that year: the
    airport's surface while the limits apply, all NaN (no cap) once they are lifted.
    ``height_limit_m`` is NaN where no cap applies.
    """
    check_year(year, "year", scenario.horizon)
    frame = _edited(frame, scenario, year, types=types, profile=profile, standard=standard)
    return _heights(frame, scenario, year, runway=runway, params=params, buildability=buildability, raster=raster,
                    bounds=bounds, cell_size=cell_size, height_limits=height_limits, types=types)


def _edited(frame: gpd.GeoDataFrame, scenario: Scenario, year: int, *, types: DevelopmentTypes | None,
            profile: EfficiencyProfile | None, standard: ControlStandard | None) -> gpd.GeoDataFrame:
    """The frame with the edits in force in ``year`` applied and the derived fields derived again."""
    edited = apply_edits(frame, scenario, year, types=types)
    if not edited["edited"].any():
        return edited
    return rederive(edited, profile=profile, standard=standard, demonstration=demonstration_advice(scenario, year))


def _heights(
    frame: gpd.GeoDataFrame,
    scenario: Scenario,
    year: int,
    *,
    runway: Runway,
    params: OLSParams,
    buildability: BuildabilityParams | None,
    raster: Raster | None,
    bounds: tuple[float, float, float, float] | None,
    cell_size: float,
    height_limits: pd.Series | None,
    types: DevelopmentTypes | None,
) -> tuple[gpd.GeoDataFrame, Raster]:
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
    conflicts = height_conflicts(out, types=types, buildability=buildability)
    for col in conflicts.columns:
        out[col] = conflicts[col]
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
    types: DevelopmentTypes | None = None,
    profile: EfficiencyProfile | None = None,
    standard: ControlStandard | None = None,
) -> tuple[gpd.GeoDataFrame, Raster]:
    """A scenario year overlaid on a frame analysed once, without analysing it again.

    Of what :func:`analysis.pipeline.analyse` derives, only the recommendations depend on the
    scenario year (through the demonstration zone's advice); they are derived again here. The
    year's edits, height limits, buildable floor area and conflicts are applied as
    :func:`apply_scenario_year` does (with the edits, the efficiency fields are derived again too).
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
    types
        The development-type library of the edits (default: the shipped one).
    profile
        The efficiency profile ``analysed`` was analysed with (default: the shipped one).
    standard
        The land control standard ``analysed`` was analysed with (default: the shipped one).

    Returns
    -------
    The frame of the year and that year's permitted-height grid.
    """
    check_year(year, "year", scenario.horizon)
    frame = apply_edits(analysed, scenario, year, types=types)
    if frame["edited"].any():
        frame = rederive(frame, profile=profile, standard=standard, demonstration=demonstration_advice(scenario, year))
    else:
        recs = recommend(frame, demonstration=demonstration_advice(scenario, year))
        frame = frame.assign(**{col: recs[col] for col in recs.columns})
        frame.attrs = dict(analysed.attrs)
    return _heights(frame, scenario, year, runway=runway, params=params, buildability=buildability, raster=raster,
                    bounds=None, cell_size=10.0, height_limits=height_limits, types=types)
