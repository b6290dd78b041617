"""What the What-if page shows of the KPIs: the tiles (value with its unit, the change against the
base scenario) and the comparison of up to three scenarios (a table, the timelines, small maps).

:func:`kpi_tiles` and :func:`compare_table` are plain functions (testable without Streamlit); the
``show_*`` functions draw them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

import pandas as pd
import streamlit as st

from ui.i18n import t

__all__ = ["Tile", "KPIS", "KPI_UNITS", "kpi_value", "kpi_tiles", "compare_table", "conflict_table", "show_tiles",
           "show_timelines", "LINE_COLOURS"]

#: The KPIs the page shows, in order (keys of :func:`analysis.whatif.kpis.whatif_kpis`).
KPIS: tuple[str, ...] = ("floor_area_m2", "output_yi", "jobs", "industrial_land_mu", "reserve_parcels_used",
                         "height_conflicts")
#: Each KPI's unit label key and the factor its value is divided by for display (m² → 万m²).
KPI_UNITS: dict[str, tuple[str, float, str]] = {
    "floor_area_m2": ("wi.unit.wan_m2", 1e4, ",.1f"),
    "output_yi": ("wi.unit.yi", 1.0, ",.1f"),
    "jobs": ("wi.unit.people", 1.0, ",.0f"),
    "industrial_land_mu": ("wi.unit.mu", 1.0, ",.1f"),
    "reserve_parcels_used": ("wi.unit.parcels", 1.0, ",.0f"),
    "height_conflicts": ("wi.unit.parcels", 1.0, ",.0f"),
}
#: Colours of the compared scenarios' lines (first, second, third), the same in both languages.
LINE_COLOURS: tuple[str, ...] = ("#1f5fa8", "#e31a1c", "#2e8b57")


class Tile(NamedTuple):
    """One KPI tile: its label, value text and change against the base (None: no change to show)."""

    kpi: str
    label: str
    value: str
    delta: str | None


def kpi_value(kpi: str, value: float | None, lang: str, *, sign: bool = False) -> str:
    """``value`` of ``kpi`` as text with its unit (万m², 亿元, 人, 亩, 宗); “—” when missing."""
    unit_key, factor, fmt = KPI_UNITS[kpi]
    if value is None or pd.isna(value):
        return "—"
    shown = float(value) / factor
    text = format(shown, ("+" if sign else "") + fmt)
    return f"{text} {t(unit_key, lang)}"


def kpi_tiles(kpis: Mapping[str, float], base: Mapping[str, float] | None, lang: str) -> list[Tile]:
    """The tiles of :data:`KPI_UNITS`'s KPIs of a what-if, each with its change against ``base`` (the
    base scenario's KPIs in the same year; no change shown when it is equal or ``base`` is None)."""
    tiles = []
    for kpi in KPIS:
        value = kpis.get(kpi)
        delta = None
        if base is not None and value is not None and base.get(kpi) is not None:
            diff = float(value) - float(base[kpi])
            if abs(diff) > 1e-9:
                delta = kpi_value(kpi, diff, lang, sign=True)
        tiles.append(Tile(kpi, t(f"wi.kpi.{kpi}", lang), kpi_value(kpi, value, lang), delta))
    return tiles


def compare_table(kpis: Sequence[Mapping[str, float]], names: Sequence[str], lang: str) -> pd.DataFrame:
    """The compared scenarios' KPIs side by side: one row per KPI, one column per scenario (values
    with their units), in the order of ``names``."""
    table = {t("wi.compare_kpi", lang): [t(f"wi.kpi.{k}", lang) for k in KPIS]}
    for name, values in zip(names, kpis, strict=True):
        table[name] = [kpi_value(k, values.get(k), lang) for k in KPIS]
    return pd.DataFrame(table)


def conflict_table(frame: pd.DataFrame, lang: str, *, type_names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The parcels in height conflict, the edited ones first: id, the development type (its name in
    ``type_names``, code → name in the UI language), FAR, the FAR the year's height limit allows
    (:func:`analysis.whatif.apply.height_conflicts`) and the limit."""
    if "height_conflict" not in frame.columns:
        return pd.DataFrame()
    rows = frame[frame["height_conflict"].fillna(False).astype(bool)]
    edited = rows["edited"].fillna(False).astype(bool) if "edited" in rows.columns else pd.Series(False, rows.index)
    rows = rows.assign(_edited=edited.to_numpy()).sort_values(["_edited", "parcel_id"], ascending=[False, True])

    def col(name: str) -> pd.Series:
        return rows[name] if name in rows.columns else pd.Series(pd.NA, index=rows.index)

    return pd.DataFrame({
        t("wi.col.parcel", lang): rows["parcel_id"].astype(str).to_numpy(),
        t("wi.col.type", lang): [(type_names or {}).get(c, c) for c in col("development_type").fillna("").astype(str)],
        t("wi.col.far", lang): pd.to_numeric(col("far"), errors="coerce").round(2).to_numpy(),
        t("wi.col.max_far", lang): pd.to_numeric(col("max_far_under_height_limit"), errors="coerce").round(2).to_numpy(),
        t("wi.col.limit", lang): pd.to_numeric(col("height_limit_m"), errors="coerce").round(1).to_numpy(),
    })


def show_tiles(tiles: Sequence[Tile], *, target: tuple[float, float] | None, lang: str,
               edited_conflicts: float | None = None) -> None:
    """The tiles one under the other (beside the map); ``target`` (the 2025 target in 亿元, the share
    reached in %) under output, and how many of the height conflicts are on edited parcels under them."""
    for tile in tiles:
        inverse = tile.kpi == "height_conflicts"  # more conflicts is worse
        st.metric(tile.label, tile.value, delta=tile.delta, delta_color="inverse" if inverse else "normal")
        if tile.kpi == "output_yi" and target is not None:
            st.caption(t("wi.target", lang, target=f"{target[0]:,.0f}", pct=f"{target[1]:,.1f}"))
        if tile.kpi == "height_conflicts" and edited_conflicts is not None:
            st.caption(t("wi.conflicts_edited", lang, n=f"{edited_conflicts:,.0f}"))


def show_timelines(timelines: Sequence[pd.DataFrame], names: Sequence[str], lang: str) -> None:
    """One tab per KPI: the compared scenarios' lines year by year (altair, fixed colours)."""
    from ui.charts import series_lines
    st.markdown(f"**{t('wi.compare_timeline', lang)}**")
    tabs = st.tabs([t(f"wi.kpi.{k}", lang) for k in KPIS])
    colours = dict(zip(names, LINE_COLOURS, strict=False))
    for tab, kpi in zip(tabs, KPIS, strict=True):
        unit_key, factor, _ = KPI_UNITS[kpi]
        wide = pd.DataFrame({name: tl[kpi] / factor for name, tl in zip(names, timelines, strict=True)
                             if kpi in tl.columns})
        tab.altair_chart(series_lines(wide, colours, x_title=t("wi.year", lang), y_title=t(unit_key, lang),
                                      series_title=t("wi.compare_kpi", lang)), width="stretch")
