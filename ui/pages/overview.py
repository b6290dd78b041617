"""总览 Overview: the zones and parcels on one map, headline figures, the data notice."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import data, state
from ui.frame import (
    current_as_of,
    current_basemap,
    current_lang,
    current_profile,
    data_notice,
    guard,
    show_legend,
    show_map,
)
from ui.i18n import class_label, t, zone_label
from ui.map_theme import theme_style
from ui.mapview import build_map

__all__ = ["render", "kpis"]

#: Plan target for the ICV cluster's output (2025 headline goal), in 亿元.
PLAN_TARGET_YI = 200.0


def kpis(frame: pd.DataFrame) -> dict[str, float]:
    """Headline figures of a parcel frame (areas in mu, output in 亿元)."""
    area = data.area_mu(frame)
    out = {"parcels": float(len(frame)), "area_mu": float(area.sum(skipna=True))}
    if "expiry_status" in frame.columns:
        expiring = frame["expiry_status"].astype("string").isin(["expired", "within_5y", "within_10y"]).fillna(False)
        out["expiring_mu"] = float(area[expiring.to_numpy()].sum(skipna=True))
    if "low_efficiency" in frame.columns:
        low = frame["low_efficiency"].astype("boolean").fillna(False).to_numpy()
        out["low_eff_mu"] = float(area[low].sum(skipna=True))
    if "output_value" in frame.columns:
        in_zone = frame["zone_id"].astype("string").fillna("").ne("") if "zone_id" in frame.columns else True
        out["output_yi"] = float(pd.to_numeric(frame.loc[in_zone, "output_value"], errors="coerce").sum()) / 1e4
    return out


def _class_mix(frame: pd.DataFrame, lang: str) -> pd.DataFrame | None:
    if "efficiency_class" not in frame.columns:
        return None
    area = data.area_mu(frame)
    grouped = area.groupby(frame["efficiency_class"].astype("string").fillna("unrated").to_numpy()).sum()
    order = [c for c in ("A", "B", "C", "D", "unrated") if c in grouped.index]
    return pd.DataFrame(
        {t("kpi.class_mix", lang): [class_label(c, lang) for c in order], t("unit.mu", lang): grouped[order].round(1)}
    ).set_index(t("kpi.class_mix", lang))


def _zone_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Per-zone figures (zones.summary when available, else counts and areas)."""
    mu = t("unit.mu", lang)
    summary_mod = data.optional_module("zones.summary")
    if summary_mod is None:
        area = data.area_mu(frame)
        zone = frame["zone_id"].astype("string").fillna("") if "zone_id" in frame.columns else pd.Series("", index=frame.index)
        g = pd.DataFrame({"zone": zone.to_numpy(), "area": area.to_numpy()}).groupby("zone")
        return pd.DataFrame(
            {
                t("filter.zone", lang): [zone_label(z, lang) for z in g.size().index],
                t("kpi.parcels", lang): g.size().to_numpy(),
                t("unit.paren", lang, label=t("kpi.area", lang), unit=mu): g["area"].sum().round(1).to_numpy(),
            }
        )
    table = summary_mod.zone_summary(frame)
    expiring = sum(
        table.get(f"area_mu_{s}", 0.0) for s in ("expired", "within_5y", "within_10y")
    )
    out = pd.DataFrame(
        {
            t("filter.zone", lang): table["name_en" if lang == "en" else "name_zh"].to_numpy(),
            t("kpi.parcels", lang): table["parcel_count"].to_numpy(),
            t("unit.paren", lang, label=t("kpi.area", lang), unit=mu): table["area_mu"].round(1).to_numpy(),
            t("unit.paren", lang, label=t("kpi.expiring", lang), unit=mu): pd.Series(expiring).round(1).to_numpy(),
            t("unit.paren", lang, label=t("kpi.low_eff", lang), unit=mu): table["low_efficiency_area_mu"].round(1).to_numpy(),
            t("unit.paren", lang, label=t("kpi.output", lang), unit=t("unit.wan", lang)): table["output_value"].round(0).to_numpy(),
            t("unit.paren", lang, label=t("theme.output_per_mu", lang), unit=f"{t('unit.wan', lang)}/{mu}"): table[
                "output_per_mu_overall"]
            .round(1)
            .to_numpy(),
        }
    )
    return out


def render() -> None:
    """Draw the page."""
    lang = current_lang()
    st.title(t("page.overview", lang))
    with guard():
        dataset_id, frame = data.current_frame(current_as_of(), current_profile())
        data_notice(dataset_id, lang)
        k = kpis(frame)
        cols = st.columns(5)
        cols[0].metric(t("kpi.parcels", lang), t("count.parcels", lang, n=f"{int(k['parcels']):,}"))
        cols[1].metric(t("kpi.area", lang), f"{k['area_mu']:,.0f} {t('unit.mu', lang)}")
        if "expiring_mu" in k:
            cols[2].metric(t("kpi.expiring", lang), f"{k['expiring_mu']:,.0f} {t('unit.mu', lang)}")
        if "low_eff_mu" in k:
            cols[3].metric(t("kpi.low_eff", lang), f"{k['low_eff_mu']:,.0f} {t('unit.mu', lang)}")
        if "output_yi" in k:
            cols[4].metric(
                t("kpi.output", lang),
                f"{k['output_yi']:,.1f} {t('unit.yi', lang)}",
                delta=f"{k['output_yi'] - PLAN_TARGET_YI:,.1f} {t('unit.yi', lang)}",
                help=t("kpi.target", lang, target=f"{PLAN_TARGET_YI:.0f}"),
            )
            cols[4].caption(t("kpi.target", lang, target=f"{PLAN_TARGET_YI:.0f}"))
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
            )
            show_map(fmap, key=state.MAP_OVERVIEW, height=520)
            _, _, legend = theme_style(frame.iloc[:0], "land_use", lang=lang)
            show_legend(legend, title=t("theme.land_use", lang))
        with right:
            mix = _class_mix(frame, lang)
            if mix is not None:
                st.subheader(t("kpi.class_mix", lang))
                st.bar_chart(mix)
        st.subheader(t("kpi.by_zone", lang))
        st.dataframe(_zone_table(frame, lang), hide_index=True, width="stretch")


if __name__ == "__main__":
    render()
