"""A scenario's KPIs year by year: released land by use, test roads, height limits, floor area,
projects placed, the cluster's output against the plan's targets, and the parcels' own figures
after the year's what-if edits (:mod:`analysis.scenario.whatif_rows`).

Output of the cluster (亿元): the base-year output grown at a fixed rate, plus an uplift per
hectare of released host-use land (ramping up over ``ramp_years``) and per project by where
it sits, plus what the year's edits add to the parcels' output (``edit_output_gain_yi``).
Developable land leaves out the developable parcels an edit in force has taken, and an edited
parcel hosts no project.
"""

from __future__ import annotations

import logging

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from analysis.airport import OLSParams, Runway
from analysis.heights import BuildabilityParams, buildable_floor_area, load_buildability, parcel_height_limits
from analysis.scenario.assumptions import scenario_assumptions
from analysis.scenario.placement import place_in_year, reserve_parcels
from analysis.scenario.rules import (
    height_limit_active,
    phase_years,
    released_share_pct,
    released_use_ha,
    test_road_km,
)
from analysis.scenario.schema import SQM_PER_HA, Scenario
from analysis.scenario.whatif_rows import whatif_timeline_rows
from analysis.whatif.apply import apply_edits
from analysis.whatif.types import DevelopmentTypes
from core.errors import CRSError, SchemaError
from core.settings import get_settings
from parcels.measure import analysed_areas_m2

__all__ = ["scenario_timeline", "airport_area"]

log = logging.getLogger(__name__)


def airport_area(airport: gpd.GeoDataFrame, metric_crs: str) -> BaseGeometry:
    if airport.crs is None:
        raise CRSError("The airport layer has no CRS; set one (e.g. EPSG:4326).",
                          "机场图层没有坐标参考系，请先设置（如 EPSG:4326）。")
    geom = shapely.union_all(airport.to_crs(metric_crs).geometry.values)
    if geom.is_empty or geom.area <= 0:
        raise SchemaError("The airport layer holds no polygon area.", "机场图层不含面状范围。")
    return geom


def _zone_of(parcels: gpd.GeoDataFrame) -> pd.Series:
    if "zone_id" not in parcels.columns:
        return pd.Series("outside", index=parcels.index)
    z = parcels["zone_id"].astype("object").fillna("")
    return z.where(z != "", "outside").astype(str)


def scenario_timeline(
    scenario: Scenario,
    *,
    parcels_analysed: gpd.GeoDataFrame,
    airport: gpd.GeoDataFrame,
    runway: Runway,
    params: OLSParams,
    zones: gpd.GeoDataFrame | None = None,
    buildability: BuildabilityParams | None = None,
    height_limits: pd.Series | None = None,
    types: DevelopmentTypes | None = None,
) -> pd.DataFrame:
    """Year-by-year KPIs of a scenario.

    Parameters
    ----------
    scenario
        The scenario.
    parcels_analysed
        Parcel frame after the land analysis (``zone_id``, ``land_use``, ``recommendation``).
    airport
        Airport boundary polygon layer.
    runway, params
        Runway and obstacle-limitation parameters for the height limits.
    zones
        Zone layer; its ``zone_id`` values always appear among the per-zone rows.
    buildability
        Floor-area assumptions (default: the packaged file).
    height_limits
        Precomputed ``height_limit_m`` with the airport operating (default: computed
        with :func:`analysis.heights.parcel_height_limits`, exact analytic method).
    types
        The development-type library of the scenario's edits (default: the shipped one).

    Returns
    -------
    DataFrame with columns ``year``, ``kpi``, ``scope`` ("total", a zone id, "outside" or a
    planned use), ``value`` and ``unit``.  KPIs: ``height_limit_active``,
    ``released_airport_land_ha``, ``released_land_ha`` (by planned use),
    ``floor_area_gain_m2`` (total and by zone), ``developable_land_ha`` (total and by
    zone), ``test_road_km``, ``projects_in_demonstration``, ``projects_in_incubation``,
    ``projects_waiting``, ``projected_output_yi`` and, in target years,
    ``output_target_yi`` and ``output_gap_yi``, then the what-if rows
    (:data:`analysis.scenario.whatif_rows.WHATIF_ROWS`).  ``frame.attrs["assumptions"]`` holds
    :func:`scenario_assumptions`.
    """
    metric = get_settings().metric_crs
    airport_ha = airport_area(airport, metric).area / SQM_PER_HA
    buildability = buildability or load_buildability()
    if height_limits is None:
        height_limits = parcel_height_limits(parcels_analysed, runway=runway, params=params)
    area_m2 = analysed_areas_m2(parcels_analysed, metric_crs=metric)
    capped = buildable_floor_area(parcels_analysed, height_limit=height_limits, aerodrome_elevation_m=runway.elevation_m,
                                  params=buildability, metric_crs=metric, area_m2=area_m2)
    lifted = buildable_floor_area(parcels_analysed, height_limit=pd.Series(np.nan, index=parcels_analysed.index),
                                  aerodrome_elevation_m=runway.elevation_m, params=buildability, metric_crs=metric,
                                  area_m2=area_m2)
    zone = _zone_of(parcels_analysed)
    zone_ids = list(dict.fromkeys([*(zones["zone_id"].astype(str) if zones is not None else []),
                                   "hq", "incubation", "demonstration", *sorted(zone.unique())]))
    gain_by_zone = (lifted - capped).groupby(zone).sum().reindex(zone_ids, fill_value=0.0)
    area_ha = area_m2 / SQM_PER_HA
    if "recommendation" in parcels_analysed.columns:
        dev_mask = parcels_analysed["recommendation"].isin(scenario.placement.developable_recommendations)
    else:
        dev_mask = pd.Series(False, index=parcels_analysed.index)
    dev_parcels = area_ha[dev_mask].groupby(zone[dev_mask]).sum().reindex(zone_ids, fill_value=0.0)
    reserve = reserve_parcels(parcels_analysed, scenario, metric)
    dev_ids = set(parcels_analysed.loc[dev_mask, "parcel_id"].astype(str)) \
        if "parcel_id" in parcels_analysed.columns else set()

    whatif = whatif_timeline_rows(scenario, parcels=parcels_analysed, height_limits=height_limits,
                                  buildability=buildability, types=types)
    o = scenario.output
    rows: list[tuple[int, str, str, float, str]] = []
    for year in scenario.years:
        gain = next(v for k, v, _ in whatif[year] if k == "edit_output_gain_yi")
        active = height_limit_active(scenario, year)
        uses = released_use_ha(scenario, year, airport_ha)
        released = min(airport_ha, airport_ha * released_share_pct(scenario, year) / 100.0)
        edited = _edited_mask(scenario, year, parcels_analysed, types)
        year_reserve = reserve
        if edited.any() and "parcel_id" in parcels_analysed.columns:  # an edited parcel hosts no project
            used = set(parcels_analysed.loc[edited, "parcel_id"].astype(str))
            year_reserve = reserve[~reserve["parcel_id"].isin(used)].reset_index(drop=True)
        placed, taken = place_in_year(scenario, year, airport_ha=airport_ha, reserve=year_reserve)
        in_demo = placed[placed["zone_id"] == "demonstration"]
        in_inc = placed[placed["zone_id"] == "incubation"]
        rows.append((year, "height_limit_active", "total", float(active), "1/0"))
        rows.append((year, "released_airport_land_ha", "total", released, "ha"))
        rows.extend((year, "released_land_ha", use, ha, "ha") for use, ha in uses.items())
        gains = gain_by_zone * (0.0 if active else 1.0)
        rows.append((year, "floor_area_gain_m2", "total", float(gains.sum()), "m²"))
        rows.extend((year, "floor_area_gain_m2", z, float(g), "m²") for z, g in gains.items())
        took = edited & dev_mask.to_numpy()
        taken_ha = area_ha[took].groupby(zone[took]).sum()
        dev = dev_parcels.sub(taken_ha, fill_value=0.0).reindex(dev_parcels.index, fill_value=0.0).clip(lower=0.0)
        dev["demonstration"] += max(0.0, released - uses["test_road"] - float(in_demo["land_ha"].sum()))
        used_dev_reserve = sum(ha for pid, ha in taken.items() if pid in dev_ids)
        dev["incubation"] = max(0.0, dev["incubation"] - used_dev_reserve)
        rows.append((year, "developable_land_ha", "total", float(dev.sum()), "ha"))
        rows.extend((year, "developable_land_ha", z, float(v), "ha") for z, v in dev.items())
        rows.append((year, "test_road_km", "total", test_road_km(scenario, year), "km"))
        rows.append((year, "projects_in_demonstration", "total", float(len(in_demo)), "projects"))
        rows.append((year, "projects_in_incubation", "total", float(len(in_inc)), "projects"))
        rows.append((year, "projects_waiting", "total", float((placed["zone_id"] == "").sum()), "projects"))
        projected = _projected_output(scenario, year, airport_ha, len(in_demo), len(in_inc)) + gain
        rows.append((year, "projected_output_yi", "total", projected, "亿元"))
        for t in o.targets:
            if t.year == year:
                rows.append((year, "output_target_yi", "total", t.yi, "亿元"))
                rows.append((year, "output_gap_yi", "total", projected - t.yi, "亿元"))
        rows.extend((year, k, "total", v, u) for k, v, u in whatif[year])
    frame = pd.DataFrame(rows, columns=["year", "kpi", "scope", "value", "unit"])
    frame["year"] = frame["year"].astype("int64")
    frame.attrs["scenario"] = scenario.name
    frame.attrs["assumptions"] = scenario_assumptions(scenario)
    return frame


def _edited_mask(scenario: Scenario, year: int, parcels: gpd.GeoDataFrame,
                 types: DevelopmentTypes | None) -> np.ndarray:
    """Which parcels an edit in force in ``year`` changes."""
    if not any(e.start_year(scenario.horizon) <= year for e in scenario.edits):
        return np.zeros(len(parcels), dtype=bool)
    return apply_edits(parcels, scenario, year, types=types)["edited"].to_numpy(dtype=bool)


def _projected_output(scenario: Scenario, year: int, airport_ha: float, n_demo: int, n_inc: int) -> float:
    o = scenario.output
    value = o.base_yi * (1.0 + o.growth_pct_per_year / 100.0) ** (year - o.base_year)
    for ph, y in zip(scenario.release_phases, phase_years(scenario), strict=True):
        if y is None or y > year:
            continue
        host_ha = airport_ha * ph.share_pct / 100.0 * sum(ph.uses_pct.get(u, 0.0) for u in scenario.placement.host_uses) / 100.0
        ramp = min(1.0, (year - y + 1) / o.ramp_years)
        value += o.uplift_yi_per_host_ha * host_ha * ramp
    value += n_demo * o.uplift_yi_per_project_demonstration + n_inc * o.uplift_yi_per_project_incubation
    return float(value)
