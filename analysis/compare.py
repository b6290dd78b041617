"""Two airport-relocation scenarios side by side, year by year.

:func:`compare_scenarios` runs :func:`analysis.scenario.scenario_timeline` for both
scenarios (the height limits are computed once, they do not depend on the scenario) and
:func:`compare_timelines` lines them up: one row per year and KPI with both values and
their difference (**B − A**).  Breakdowns carry their scope in the KPI name, e.g.
``floor_area_gain_m2[hq]`` or ``released_land_ha[rd_office]``; totals keep the bare name.
"""

from __future__ import annotations

import logging
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from analysis.airport import OLSParams, Runway
from analysis.heights import BuildabilityParams, load_buildability, parcel_height_limits
from analysis.scenario import Scenario, scenario_assumptions, scenario_timeline

__all__ = ["COMPARISON_KPIS", "compare_timelines", "compare_scenarios", "comparison_document", "kpi_label"]

log = logging.getLogger(__name__)

#: KPIs every comparison holds (totals), in display order.
COMPARISON_KPIS: tuple[str, ...] = (
    "height_limit_active",
    "released_airport_land_ha",
    "released_land_ha",
    "floor_area_gain_m2",
    "developable_land_ha",
    "test_road_km",
    "projects_in_demonstration",
    "projects_in_incubation",
    "projects_waiting",
    "projected_output_yi",
    "output_target_yi",
    "output_gap_yi",
    "parcel_floor_area_m2",
    "parcel_output_yi",
    "edit_output_gain_yi",
    "jobs",
    "industrial_land_mu",
    "reserve_parcels_used",
    "height_conflicts",
    "edited_parcels",
)


def kpi_label(kpi: pd.Series, scope: pd.Series) -> pd.Series:
    """``kpi`` for totals, ``kpi[scope]`` for breakdowns."""
    return kpi.where(scope == "total", kpi + "[" + scope + "]")


def _order(labels: pd.Series) -> pd.Series:
    base = labels.str.replace(r"\[.*\]$", "", regex=True)
    rank = {k: i for i, k in enumerate(COMPARISON_KPIS)}
    return base.map(rank).fillna(len(rank)).astype(int) * 2 + labels.str.contains(r"\[", regex=True).astype(int)


def compare_timelines(a: pd.DataFrame, b: pd.DataFrame, *, a_name: str, b_name: str) -> pd.DataFrame:
    """Line up two scenario timelines.

    Parameters
    ----------
    a, b
        Outputs of :func:`analysis.scenario.scenario_timeline`.
    a_name, b_name
        Column names for their values (the scenario names); ``b_name`` gets `` (B)``
        appended when both are equal.

    Returns
    -------
    DataFrame with columns ``year``, ``kpi``, ``<a_name>``, ``<b_name>``, ``difference``
    (B − A; NaN when either is missing) and ``unit``, sorted by year then KPI.
    """
    if b_name == a_name:
        b_name = f"{b_name} (B)"
    def prep(t: pd.DataFrame, col: str) -> pd.DataFrame:
        return pd.DataFrame({"year": t["year"].astype("int64"), "kpi": kpi_label(t["kpi"], t["scope"]),
                             col: t["value"].astype("float64"), "unit": t["unit"]})
    left, right = prep(a, a_name), prep(b, b_name)
    merged = left.merge(right, on=["year", "kpi"], how="outer", suffixes=("", "_b"))
    merged["unit"] = merged["unit"].fillna(merged.pop("unit_b"))
    merged["difference"] = merged[b_name] - merged[a_name]
    merged["_order"] = _order(merged["kpi"])
    merged = merged.sort_values(["year", "_order", "kpi"], kind="stable").drop(columns="_order")
    return merged[["year", "kpi", a_name, b_name, "difference", "unit"]].reset_index(drop=True)


def compare_scenarios(
    a: Scenario,
    b: Scenario,
    *,
    parcels_analysed: gpd.GeoDataFrame,
    airport: gpd.GeoDataFrame,
    runway: Runway,
    params: OLSParams,
    zones: gpd.GeoDataFrame | None = None,
    buildability: BuildabilityParams | None = None,
    height_limits: pd.Series | None = None,
) -> pd.DataFrame:
    """Year-by-year comparison of two scenarios on the same parcels.

    Parameters are those of :func:`analysis.scenario.scenario_timeline`; the height limits
    (with the airport operating) are computed once for both when not given.

    Returns
    -------
    See :func:`compare_timelines`; ``frame.attrs["assumptions"]`` maps each scenario name
    to its :func:`analysis.scenario.scenario_assumptions`.
    """
    buildability = buildability or load_buildability()
    limits = parcel_height_limits(parcels_analysed, runway=runway, params=params) \
        if height_limits is None else height_limits
    common: dict[str, Any] = {"parcels_analysed": parcels_analysed, "airport": airport, "runway": runway,
                              "params": params, "zones": zones, "buildability": buildability,
                              "height_limits": limits}
    ta = scenario_timeline(a, **common)
    tb = scenario_timeline(b, **common)
    frame = compare_timelines(ta, tb, a_name=a.name, b_name=b.name)
    frame.attrs["assumptions"] = {a.name: scenario_assumptions(a), frame.columns[3]: scenario_assumptions(b)}
    return frame


def comparison_document(frame: pd.DataFrame, a: Scenario, b: Scenario) -> dict[str, Any]:
    """A JSON-able document of a comparison: both scenarios, the rows, the assumptions."""
    a_col, b_col = frame.columns[2], frame.columns[3]

    def clean(v: Any) -> Any:
        if isinstance(v, float | np.floating):
            return None if np.isnan(v) else float(v)
        if isinstance(v, np.integer):
            return int(v)
        return v

    rows = [{k: clean(v) for k, v in rec.items()} for rec in frame.to_dict(orient="records")]
    return {
        "scenarios": {
            "a": {"column": a_col, "name": a.name, "title_zh": a.title_zh, "title_en": a.title_en,
                  "relocation_year": a.relocation_year},
            "b": {"column": b_col, "name": b.name, "title_zh": b.title_zh, "title_en": b.title_en,
                  "relocation_year": b.relocation_year},
        },
        "difference": "B - A",
        "columns": list(frame.columns),
        "rows": rows,
        "assumptions": {a_col: scenario_assumptions(a), b_col: scenario_assumptions(b)},
    }
