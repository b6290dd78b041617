"""Where a scenario's projects go in a year.

Projects, taken in order of start year: a project goes to the demonstration zone when the
released land of the host uses (default R&D offices, pilot bases, plants) still has room for it
that year; otherwise to an incubation-zone reserve parcel (``recommendation`` in
``placement.incubation_recommendations``) with room; otherwise it waits.  Each placement
carries a sentence in Chinese and English.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import pandas as pd

from analysis.scenario.rules import released_use_ha
from analysis.scenario.schema import PLANNED_USE_EN, PLANNED_USE_ZH, SQM_PER_HA, Scenario
from parcels.measure import analysed_areas_m2

__all__ = ["place_projects", "place_in_year", "reserve_parcels"]

log = logging.getLogger(__name__)


def place_projects(
    scenario: Scenario,
    year: int,
    *,
    airport_ha: float,
    reserve: pd.DataFrame,
) -> pd.DataFrame:
    """Where each project sits in ``year``.

    Parameters
    ----------
    scenario
        The scenario (projects, placement rules, release phases).
    year
        The year.
    airport_ha
        Area of the airport boundary in hectares.
    reserve
        Incubation-zone reserve parcels: columns ``parcel_id`` and ``area_ha``, in the order
        they are offered (largest first is a good choice).

    Returns
    -------
    DataFrame, one row per project started by ``year`` (by start year, then id), with
    ``project_id``, ``name_zh``, ``name_en``, ``kind``, ``start_year``, ``land_ha``,
    ``zone_id`` ("demonstration", "incubation" or "" while waiting), ``parcel_id`` (the
    reserve parcel(s) hosting it, ``;``-separated, or ""), ``explanation_zh``,
    ``explanation_en``.  A project goes to the first reserve parcel with room for all of
    it, else across several reserve parcels in order.
    """
    return place_in_year(scenario, year, airport_ha=airport_ha, reserve=reserve)[0]


def place_in_year(
    scenario: Scenario, year: int, *, airport_ha: float, reserve: pd.DataFrame
) -> tuple[pd.DataFrame, dict[str, float]]:
    """:func:`place_projects` and the hectares taken from each reserve parcel."""
    uses = released_use_ha(scenario, year, airport_ha)
    host_total = sum(uses[u] for u in scenario.placement.host_uses)
    host_left = host_total
    free = {str(pid): float(a) for pid, a in zip(reserve["parcel_id"], reserve["area_ha"], strict=True)}
    taken = dict.fromkeys(free, 0.0)
    rows: list[dict[str, Any]] = []
    host_zh = "、".join(PLANNED_USE_ZH[u] for u in scenario.placement.host_uses)
    host_en = ", ".join(PLANNED_USE_EN[u] for u in scenario.placement.host_uses)
    for p in sorted(scenario.projects, key=lambda p: (p.start_year, p.id)):
        if p.start_year > year:
            continue
        row = {"project_id": p.id, "name_zh": p.name_zh, "name_en": p.name_en, "kind": p.kind,
               "start_year": p.start_year, "land_ha": p.land_ha, "zone_id": "", "parcel_id": ""}
        if p.land_ha <= host_left + 1e-9:
            row["zone_id"] = "demonstration"
            row["explanation_zh"] = (f"{year}年机场地块已释放{host_zh}用地{host_total:.1f}公顷，尚余"
                                     f"{host_left:.1f}公顷，{p.name_zh}（需{p.land_ha:g}公顷）落户场景示范区。")
            row["explanation_en"] = (f"In {year} the airport block has {host_total:.1f} ha released for {host_en} "
                                     f"with {host_left:.1f} ha still free, so {p.name_en} "
                                     f"({p.land_ha:g} ha) goes to the demonstration zone.")
            host_left -= p.land_ha
            rows.append(row)
            continue
        why_zh = ("机场尚未搬迁，示范区暂无释放用地" if host_total == 0
                  else f"示范区释放的{host_zh}用地仅余{host_left:.1f}公顷，不足{p.land_ha:g}公顷")
        why_en = ("the airport has not been relocated, so no land is released in the demonstration zone"
                  if host_total == 0 else
                  f"only {host_left:.1f} ha of released land for {host_en} is free in the demonstration "
                  f"zone, less than the {p.land_ha:g} ha needed")
        ids = _take_reserve(free, p.land_ha)
        if ids:
            for pid, ha in ids.items():
                free[pid] -= ha
                taken[pid] += ha
            row["zone_id"] = "incubation"
            row["parcel_id"] = ";".join(ids)
            row["explanation_zh"] = f"{year}年{why_zh}，{p.name_zh}由孵化区储备地块{'、'.join(ids)}承接过渡。"
            row["explanation_en"] = (f"In {year} {why_en}; {p.name_en} is hosted on incubation-zone reserve "
                                     f"parcel(s) {', '.join(ids)} in the meantime.")
        else:
            row["explanation_zh"] = f"{year}年{why_zh}，孵化区储备地块也无足够空间，{p.name_zh}暂缓落地。"
            row["explanation_en"] = (f"In {year} {why_en}, and the incubation-zone reserve parcels have no room "
                                     f"left; {p.name_en} waits.")
        rows.append(row)
    cols = ["project_id", "name_zh", "name_en", "kind", "start_year", "land_ha", "zone_id", "parcel_id",
            "explanation_zh", "explanation_en"]
    return pd.DataFrame(rows, columns=cols), taken


def _take_reserve(free: Mapping[str, float], need: float) -> dict[str, float]:
    """Hectares to take from each reserve parcel for ``need`` ha; empty when they cannot."""
    one = next((k for k, a in free.items() if a + 1e-9 >= need), None)
    if one is not None:
        return {one: need}
    if sum(free.values()) + 1e-9 < need:
        return {}
    out: dict[str, float] = {}
    for k, a in free.items():
        if a <= 1e-9:
            continue
        take = min(a, need)
        out[k] = take
        need -= take
        if need <= 1e-9:
            break
    return out


def reserve_parcels(parcels: gpd.GeoDataFrame, scenario: Scenario, metric_crs: str) -> pd.DataFrame:
    if "recommendation" not in parcels.columns or "parcel_id" not in parcels.columns:
        log.info("parcels carry no recommendation/parcel_id column: no incubation reserve parcels to host projects")
        return pd.DataFrame({"parcel_id": pd.Series(dtype=str), "area_ha": pd.Series(dtype=float)})
    zone = parcels["zone_id"].astype("object").fillna("") if "zone_id" in parcels.columns else ""
    mask = parcels["recommendation"].isin(scenario.placement.incubation_recommendations) & (zone == "incubation")
    sel = parcels[mask]
    out = pd.DataFrame({"parcel_id": sel["parcel_id"].astype(str).to_numpy(),
                        "area_ha": analysed_areas_m2(sel, metric_crs=metric_crs).to_numpy() / SQM_PER_HA})
    return out.sort_values(["area_ha", "parcel_id"], ascending=[False, True], kind="stable").reset_index(drop=True)
