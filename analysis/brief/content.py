"""What a decision briefing says: the figures of one scenario year (and of the scenarios compared
with it) gathered from the analysis into plain values, before anything is drawn or typeset.

:func:`gather_brief` takes the analysed parcels (once per dataset, as-of date and profile), overlays
the scenario year (:func:`analysis.scenario.scenario_year_frame`) and reads everything the
briefing prints from the same functions ``python -m analysis run --scenario`` writes
``summary.json`` with (:func:`analysis.summary.summarise`, :func:`analysis.scenario.scenario_timeline`),
so the figures of a briefing are those of that run.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from analysis.brief.labels import LANGS
from analysis.compare import COMPARISON_KPIS, compare_timelines
from analysis.control_standard import ControlStandard
from analysis.efficiency import EfficiencyProfile
from analysis.heights import parcel_height_limits
from analysis.scenario import (
    Scenario,
    YearState,
    scenario_assumptions,
    scenario_timeline,
    scenario_year_frame,
    scenario_year_state,
)
from analysis.scenario.schema import check_year
from analysis.scenario_io import AirportInputs, district_height_surface, load_airport_inputs
from analysis.summary import summarise
from core.errors import ConfigError
from core.settings import get_settings

__all__ = ["BriefRequest", "BriefContent", "LIST_ROWS", "gather_brief", "parcel_lists", "year_of"]

log = logging.getLogger(__name__)

#: Rows a list shows before "and N more".
LIST_ROWS = 12

#: Expiry statuses counted as "expiring within 10 years" (those already expired included).
_EXPIRING = ("expired", "within_5y", "within_10y")


@dataclass(frozen=True)
class BriefRequest:
    """What a briefing is made of.

    Attributes
    ----------
    parcels
        Analysed parcels (:func:`analysis.pipeline.analyse`), EPSG:4326.
    zones
        The zone layer (``zone_id`` + geometry).
    as_of
        The as-of date of the analysis.
    scenarios
        The scenario first, then up to two compared with it.
    year
        The scenario year; None: the as-of year moved into the scenario's horizon.
    lang
        ``"zh"`` or ``"en"``.
    parcels_source
        Where the parcels come from (a file name or dataset label), or None for the embedded data.
    zones_source
        Where the zones come from, or None for the embedded zones.
    profile_source
        Which efficiency profile the parcels were evaluated with (a file name or a label), or
        None for the shipped one.
    metric
        The parcels' geometry in the metric CRS when the analysis kept it.
    profile, standard
        The efficiency profile and land control standard the parcels were analysed with, for
        rating and checking edited parcels again (None: the shipped ones).
    """

    parcels: gpd.GeoDataFrame
    zones: gpd.GeoDataFrame
    as_of: dt.date
    scenarios: tuple[Scenario, ...]
    year: int | None = None
    lang: str = "zh"
    parcels_source: str | None = None
    zones_source: str | None = None
    profile_source: str | None = None
    metric: gpd.GeoSeries | None = field(default=None, repr=False)
    profile: EfficiencyProfile | None = field(default=None, repr=False)
    standard: ControlStandard | None = field(default=None, repr=False)


@dataclass(frozen=True)
class BriefContent:
    """Everything a briefing shows, computed (no drawing, no typesetting).

    Attributes
    ----------
    request
        The request, with the year resolved.
    year
        The scenario year.
    summary
        :func:`analysis.summary.summarise` of the year's frame (what ``summary.json`` holds).
    year_kpis
        The first scenario's total KPIs of the year (``kpi`` → value).
    targets
        The plan's output targets: ``year``, ``target``, ``projected``, ``gap``.
    timelines
        Each scenario's :func:`analysis.scenario.scenario_timeline`, in request order.
    comparison
        With more than one scenario: the year's total KPIs, one column per scenario name and one
        ``diff:<name>`` column per compared scenario (it minus the first); else None.
    frame
        The first scenario's parcels in the year.
    state
        The first scenario's map layers of the year.
    lists
        ``expiring``, ``low_efficiency``: frames of the parcels listed; ``conflicts``: a frame, or
        None when the scenario has no what-if edits.
    assumptions
        Each scenario's name, title and :func:`analysis.scenario.scenario_assumptions`.
    inputs
        The airport layers the maps draw.
    """

    request: BriefRequest
    year: int
    summary: dict[str, Any]
    year_kpis: dict[str, float]
    targets: list[dict[str, float]]
    timelines: list[pd.DataFrame]
    comparison: pd.DataFrame | None
    frame: gpd.GeoDataFrame
    state: YearState
    lists: dict[str, pd.DataFrame | None]
    assumptions: list[dict[str, Any]]
    inputs: AirportInputs


def year_of(scenario: Scenario, year: int | None, as_of: dt.date) -> int:
    """The briefing's year: ``year`` checked against the horizon, or the as-of year moved into it."""
    if year is None:
        return min(max(as_of.year, scenario.horizon[0]), scenario.horizon[1])
    return check_year(year, "--year", scenario.horizon)


def _check(request: BriefRequest) -> None:
    if request.lang not in LANGS:
        raise ConfigError(f"Language {request.lang!r} is not offered; use zh or en.",
                          f"不支持语言 {request.lang!r}；请用 zh 或 en。")
    if not 1 <= len(request.scenarios) <= 3:
        raise ConfigError(f"A briefing shows one scenario and compares it with up to two more; got "
                          f"{len(request.scenarios)}.",
                          f"简报展示一个情景，并最多与另外两个情景比较；收到 {len(request.scenarios)} 个。")


def _totals(timeline: pd.DataFrame, year: int) -> dict[str, float]:
    rows = timeline[(timeline["year"] == year) & (timeline["scope"] == "total")]
    return dict(zip(rows["kpi"].astype(str), rows["value"].astype(float), strict=True))


def parcel_lists(frame: gpd.GeoDataFrame) -> dict[str, pd.DataFrame | None]:
    """The parcels a meeting acts on, each list in reading order.

    ``expiring``: industrial parcels expired or expiring within 10 years that the plan's rules
    recommend as reserve, by lease end; ``low_efficiency``: low-efficiency parcels, lowest output
    per mu first; ``conflicts``: parcels a what-if edit changed (``edited``) whose FAR the year's
    height limit cannot hold (``height_conflict``), or None when no parcel is edited.
    """
    land = frame["land_use"].astype("string")
    status = frame["expiry_status"].astype("string")
    rec = frame["recommendation"].astype("string")
    expiring = frame[(land == "industrial").fillna(False) & status.isin(_EXPIRING).fillna(False)
                     & (rec == "reserve_industrial").fillna(False)]
    expiring = expiring.sort_values(["lease_end", "parcel_id"], kind="stable", na_position="last")
    low = frame[frame["low_efficiency"].astype("boolean").fillna(False).astype(bool)]
    low = low.sort_values(["output_per_mu", "parcel_id"], kind="stable", na_position="last")
    conflicts: pd.DataFrame | None = None
    if "edited" in frame.columns and bool(frame["edited"].astype("boolean").fillna(False).any()):
        edited = frame["edited"].astype("boolean").fillna(False).astype(bool)
        conflict = frame["height_conflict"].astype("boolean").fillna(False).astype(bool) \
            if "height_conflict" in frame.columns else pd.Series(False, index=frame.index)
        conflicts = frame[edited & conflict].sort_values("parcel_id", kind="stable")
    return {"expiring": expiring, "low_efficiency": low, "conflicts": conflicts}


def _comparison(timelines: Sequence[pd.DataFrame], scenarios: Sequence[Scenario], year: int) -> pd.DataFrame | None:
    if len(scenarios) < 2:
        return None
    first = timelines[0]
    table: pd.DataFrame | None = None
    names = [s.name for s in scenarios]
    for other, tl in zip(scenarios[1:], timelines[1:], strict=True):
        pair = compare_timelines(first, tl, a_name="A", b_name="B")
        pair = pair[(pair["year"] == year) & pair["kpi"].isin(COMPARISON_KPIS)]
        pair = pair.set_index("kpi")
        if table is None:
            table = pd.DataFrame({names[0]: pair["A"], "unit": pair["unit"]})
        table[other.name] = pair["B"]
        table[f"diff:{other.name}"] = pair["difference"]
    assert table is not None
    order = [k for k in COMPARISON_KPIS if k in table.index]
    return table.loc[order]


def gather_brief(request: BriefRequest, *, inputs: AirportInputs | None = None) -> BriefContent:
    """Compute everything a briefing shows.

    Parameters
    ----------
    request
        The analysed parcels, the scenarios, the year and the language.
    inputs
        Airport layers and parameters (default: the embedded ones).

    Returns
    -------
    BriefContent

    Raises
    ------
    ConfigError
        A language not offered, no scenario or more than three, a year outside the horizon.
    """
    _check(request)
    inputs = inputs or load_airport_inputs()
    first = request.scenarios[0]
    year = year_of(first, request.year, request.as_of)
    parcels = request.parcels
    crs = get_settings().metric_crs
    metric = request.metric if request.metric is not None and request.metric.index.equals(parcels.index) \
        else parcels.geometry.to_crs(crs)
    metric_frame = gpd.GeoDataFrame(geometry=metric, crs=metric.crs)
    limits = parcel_height_limits(metric_frame, runway=inputs.runway, params=inputs.params)
    grid, _ = district_height_surface(inputs, parcels=metric_frame)
    frames: list[gpd.GeoDataFrame] = []
    for s in request.scenarios:
        in_horizon = s.horizon[0] <= year <= s.horizon[1]
        frames.append(scenario_year_frame(parcels, s, year, runway=inputs.runway, params=inputs.params, raster=grid,
                                          height_limits=limits, profile=request.profile,
                                          standard=request.standard)[0] if in_horizon else parcels)
    frame = frames[0]
    timelines = [scenario_timeline(s, parcels_analysed=f, airport=inputs.airport, runway=inputs.runway,
                                   params=inputs.params, zones=request.zones, height_limits=limits)
                 for s, f in zip(request.scenarios, frames, strict=True)]
    totals = _totals(timelines[0], year)
    targets = []
    for t in first.output.targets:
        projected = _totals(timelines[0], t.year).get("projected_output_yi", np.nan) \
            if first.horizon[0] <= t.year <= first.horizon[1] else np.nan
        targets.append({"year": t.year, "target": t.yi, "projected": projected, "gap": projected - t.yi})
    state = scenario_year_state(first, year, parcels_analysed=frame, airport=inputs.airport, runway=inputs.runway,
                                zones=request.zones)
    return BriefContent(
        request=request,
        year=year,
        summary=summarise(frame, as_of=request.as_of),
        year_kpis=totals,
        targets=targets,
        timelines=timelines,
        comparison=_comparison(timelines, request.scenarios, year),
        frame=frame,
        state=state,
        lists=parcel_lists(frame),
        assumptions=[{"name": s.name, "title_zh": s.title_zh, "title_en": s.title_en,
                      "items": scenario_assumptions(s)} for s in request.scenarios],
        inputs=inputs,
    )
