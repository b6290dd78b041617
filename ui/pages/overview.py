"""总览 Overview: the zones and parcels on one map, headline figures, the data notice."""

from __future__ import annotations

import math
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from analysis.scenario import OutputTarget, load_scenario
from parcels.schema import EFFICIENCY_CLASSES
from ui import data, state
from ui.charts import category_bars
from ui.frame import (
    MAP_HEIGHT,
    current_as_of,
    current_basemap,
    current_lang,
    current_profile,
    data_notice,
    guard,
    show_legend,
    show_map,
    view_key,
)
from ui.i18n import field_label, t
from ui.map_data import map_sources
from ui.map_theme import theme_style
from ui.mapview import build_map
from ui.value_labels import MISSING, yi_text

__all__ = ["render", "kpis", "plan_target"]

_EXPIRING = ("expired", "within_5y", "within_10y")


def plan_target() -> OutputTarget:
    """The plan's latest output target for the cluster (2025: 200 亿元), as the scenario files state it."""
    return max(load_scenario("on_schedule").output.targets, key=lambda target: target.year)


def kpis(summary: dict[str, Any]) -> dict[str, float]:
    """Headline figures from :func:`analysis.pipeline.summarise` output (areas in mu, output in 亿元).

    The cluster's output is that of the parcels in the three zones, as the plan counts it.
    """
    district = summary["district"]
    expiring = district["area_mu_by_expiry_status"]
    return {
        "parcels": float(district["parcel_count"]),
        "area_mu": float(district["area_mu"]),
        "expiring_mu": float(sum(expiring.get(s, 0.0) for s in _EXPIRING)),
        "low_eff_mu": float(district["low_efficiency_area_mu"]),
        "output_yi": _output_yi(summary),
    }


def _output_yi(summary: dict[str, Any]) -> float:
    """The three zones' output in 亿元; NaN when no zone has any output value (nothing to add up)."""
    known = [float(z["output_value_wan_yuan"]) for z in summary["zones"].values()
             if z.get("output_value_wan_yuan") is not None and not math.isnan(float(z["output_value_wan_yuan"]))]
    return sum(known) / 1e4 if known else math.nan


def _class_mix(frame: pd.DataFrame, lang: str) -> alt.Chart | None:
    """Area per efficiency class, coloured like the map's efficiency theme."""
    if "efficiency_class" not in frame.columns:
        return None
    cls = frame["efficiency_class"].astype("string").fillna("unrated")
    area = frame["area_mu"].groupby(cls.to_numpy()).sum()
    order = [c for c in EFFICIENCY_CLASSES if c in area.index]
    table = pd.DataFrame({"efficiency_class": order, "area_mu": area[order].round(1).to_numpy()})
    return category_bars(table, colour="efficiency_class", value="area_mu", lang=lang,
                         value_title=field_label("area_mu", lang), horizontal=True)


def _number(value: object, spec: str) -> str:
    """A figure of the zone table as text; a zone without the figure shows "—" (not "None")."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    return format(float(value), spec)  # type: ignore[arg-type]  # a number from the summary


def _zone_table(summary: dict[str, Any], lang: str) -> pd.DataFrame:
    """Per-zone figures of :func:`analysis.pipeline.summarise`."""
    mu = t("unit.mu", lang)
    zones = summary["zones"]
    rows = list(zones.values())
    return pd.DataFrame(
        {
            t("filter.zone", lang): [z["name_en" if lang == "en" else "name_zh"] for z in rows],
            t("kpi.parcels", lang): [z["parcel_count"] for z in rows],
            t("unit.paren", lang, label=t("kpi.area", lang), unit=mu): [round(z["area_mu"], 1) for z in rows],
            t("unit.paren", lang, label=t("kpi.expiring", lang), unit=mu): [
                round(sum(z["area_mu_by_expiry_status"].get(s, 0.0) for s in _EXPIRING), 1) for z in rows],
            t("unit.paren", lang, label=t("kpi.low_eff", lang), unit=mu): [
                round(z["low_efficiency_area_mu"], 1) for z in rows],
            t("unit.paren", lang, label=t("kpi.output", lang), unit=t("unit.wan", lang)): [
                _number(z["output_value_wan_yuan"], ",.0f") for z in rows],
            t("unit.paren", lang, label=t("theme.output_per_mu", lang), unit=f"{t('unit.wan', lang)}/{mu}"): [
                _number(z["output_per_mu_overall"], ",.1f") for z in rows],
        }
    )


def render() -> None:
    """Draw the page."""
    lang = current_lang()
    st.title(t("page.overview", lang))
    with guard():
        as_of, profile = current_as_of(), current_profile()
        dataset_id, frame = data.current_frame(as_of, profile)
        data_notice(dataset_id, lang)
        summary = data.summary(dataset_id, as_of, profile)
        k = kpis(summary)
        target = plan_target()
        cols = st.columns(5)
        cols[0].metric(t("kpi.parcels", lang), t("count.parcels", lang, n=f"{int(k['parcels']):,}"))
        cols[1].metric(t("kpi.area", lang), f"{k['area_mu']:,.0f} {t('unit.mu', lang)}")
        cols[2].metric(t("kpi.expiring", lang), f"{k['expiring_mu']:,.0f} {t('unit.mu', lang)}")
        cols[3].metric(t("kpi.low_eff", lang), f"{k['low_eff_mu']:,.0f} {t('unit.mu', lang)}")
        known = not math.isnan(k["output_yi"])
        cols[4].metric(
            t("kpi.output", lang),
            yi_text(k["output_yi"], lang) if known else MISSING,
            delta=yi_text(k["output_yi"] - target.yi, lang, sign=True) if known else None,
            help=t("kpi.target", lang, target=yi_text(target.yi, lang, digits=0)),
        )
        cols[4].caption(t("kpi.target", lang, target=yi_text(target.yi, lang, digits=0)))
        left, right = st.columns([3, 1])
        with left:
            fmap = build_map(
                frame,
                theme="land_use",
                lang=lang,
                basemap=current_basemap(),
                zones=data.reference_layer("zones"),
                district=data.reference_layer("district"),
                context=data.reference_layer("context"),
                view_key=view_key("overview"),
                **map_sources(frame, dataset_id, lang)._asdict(),
            )
            show_map(fmap, key=state.MAP_OVERVIEW, height=MAP_HEIGHT)
            _, _, legend = theme_style(frame.iloc[:0], "land_use", lang=lang)
            show_legend(legend, title=t("theme.land_use", lang))
        with right:
            mix = _class_mix(frame, lang)
            if mix is not None:
                st.subheader(t("kpi.class_mix", lang))
                st.altair_chart(mix, width="stretch")
        st.subheader(t("kpi.by_zone", lang))
        st.dataframe(_zone_table(summary, lang), hide_index=True, width="stretch")


if __name__ == "__main__":
    render()
