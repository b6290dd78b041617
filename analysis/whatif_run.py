"""The ``run --scenario`` command's what-if part: summaries on the edited state, the edits and the conflicts.

:func:`edited_run_parts` takes the run's parcels after the scenario year
(:func:`analysis.scenario.apply_scenario_year`: edits applied, fields derived again, height
limits and conflicts added) and gives

* the zone layer with its summaries and ``summary.json``'s district and zone figures computed
  again on the edited parcels (when an edit is in force; else the run's own);
* the ``scenario`` section's what-if entries: ``base``, ``edits`` (each as written, with its
  effective ``from_year``, whether it is in force in the year and how many parcels it selects),
  ``whatif_kpis`` (:func:`analysis.whatif.kpis.whatif_kpis`, against the scenario's 2025 target)
  and ``height_conflicts`` (their count, how many of them are edited parcels, and the parcels,
  largest FAR excess first, at most :data:`MAX_LISTED`).
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from analysis.run import zones_with_summary
from analysis.scenario import Scenario
from analysis.summary import jsonable, summarise
from analysis.whatif.edits import edit_to_mapping, select_parcels
from analysis.whatif.kpis import whatif_kpis
from zones.summary import zone_summary

__all__ = ["MAX_LISTED", "edited_run_parts", "conflict_list"]

#: Height conflicts listed in ``summary.json`` at most (the count is always the full one).
MAX_LISTED = 1000
_CONFLICT_COLUMNS = ("parcel_id", "land_use", "development_type", "far", "max_far_under_height_limit",
                     "height_limit_m", "edited")


def _target_2025(scenario: Scenario) -> float:
    return next((t.yi for t in scenario.output.targets if t.year == 2025), 200.0)


def conflict_list(parcels: pd.DataFrame, *, limit: int = MAX_LISTED) -> list[dict[str, Any]]:
    """The parcels in height conflict, largest FAR excess first, as JSON-able rows."""
    if "height_conflict" not in parcels:
        return []
    rows = parcels[parcels["height_conflict"].fillna(False).astype(bool)]
    excess = pd.to_numeric(rows["far"], errors="coerce") - pd.to_numeric(rows["max_far_under_height_limit"],
                                                                         errors="coerce")
    rows = rows.assign(_excess=excess).sort_values("_excess", ascending=False, kind="stable").head(limit)
    cols = [c for c in _CONFLICT_COLUMNS if c in rows.columns]
    return [jsonable(r) for r in rows[cols].to_dict(orient="records")]


def edited_run_parts(result: Any, parcels: gpd.GeoDataFrame, scenario: Scenario,
                     year: int) -> tuple[gpd.GeoDataFrame, dict[str, Any], dict[str, Any]]:
    """The zones, the summary and the what-if entries of the scenario section (see the module notes).

    Parameters
    ----------
    result
        The run's :class:`analysis.run.RunResult` (before the scenario step).
    parcels
        Its parcels after the scenario year.
    scenario, year
        The scenario and year.
    """
    edited = parcels["edited"].fillna(False).astype(bool).to_numpy() if "edited" in parcels \
        else np.zeros(len(parcels), dtype=bool)
    zones, summary = result.zones, result.summary
    if edited.any():
        summary = {**summarise(parcels, as_of=result.as_of), "data": result.summary.get("data", {})}
        added = [c for c in zone_summary(parcels).columns if c not in ("zone_id", "name_zh", "name_en")]
        base = result.zones.drop(columns=[c for c in added if c in result.zones.columns])
        zones = zones_with_summary(base, parcels)
    edits = []
    for i, edit in enumerate(scenario.edits):
        start = edit.start_year(scenario.horizon)
        edits.append({"index": i, **edit_to_mapping(edit), "from_year": start, "in_force": start <= year,
                      "parcel_count": len(select_parcels(result.parcels, edit))})
    conflicts = parcels["height_conflict"].fillna(False).astype(bool) if "height_conflict" in parcels \
        else pd.Series(False, index=parcels.index)
    section = {
        "base": scenario.base,
        "edits": edits,
        "edited_parcels": int(edited.sum()),
        "whatif_kpis": jsonable(whatif_kpis(parcels, target_2025_yi=_target_2025(scenario))),
        "height_conflicts": {"count": int(conflicts.sum()), "edited_count": int((conflicts.to_numpy() & edited).sum()),
                             "listed_at_most": MAX_LISTED,
                             "parcels": conflict_list(parcels)},
    }
    return zones, summary, section
