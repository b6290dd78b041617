"""到期与用途 Expiry & use: expiry timeline by zone, expiring parcels and reserve advice, converted land."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis import expiry, landuse, recommend
from ui import data
from ui.filters import display_table
from ui.frame import current_as_of, current_lang, current_profile, data_notice, guard
from ui.i18n import land_use_label, t, zone_label

__all__ = ["render", "timeline_table"]

_EXPIRING = ("expired", "within_5y", "within_10y")


def timeline_table(timeline: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Expiry timeline (year, zone_id, area_mu rows) as a year x zone table of mu."""
    wide = timeline.pivot_table(index="year", columns="zone_id", values="area_mu", aggfunc="sum", fill_value=0.0)
    wide.columns = [zone_label(z, lang) for z in wide.columns]
    wide.index = wide.index.astype(str)
    return wide.round(1)


def _area_text(frame: pd.DataFrame, lang: str) -> str:
    return t("exp.count", lang, n=f"{len(frame):,}", area=f"{frame['area_mu'].sum():,.1f}")


def render() -> None:
    """Draw the page."""
    lang = current_lang()
    st.title(t("page.expiry", lang))
    with guard():
        as_of = current_as_of()
        dataset_id, frame = data.current_frame(as_of, current_profile())
        data_notice(dataset_id, lang)
        if "zone_id" in frame.columns:
            st.subheader(t("exp.timeline", lang))
            st.caption(t("exp.timeline_help", lang))
            table = timeline_table(expiry.expiry_timeline(frame, as_of=as_of), lang)
            st.bar_chart(table, stack=True, y_label=t("unit.mu", lang))
            with st.expander(t("exp.timeline", lang)):
                st.dataframe(table, width="stretch")
        if "expiry_status" in frame.columns:
            expiring = frame[frame["expiry_status"].astype("string").isin(_EXPIRING).fillna(False).to_numpy()]
            st.subheader(t("exp.list", lang))
            st.caption(_area_text(expiring, lang))
            cols = ("parcel_id", "enterprise", "zone_id", "land_use", "area_mu", "lease_end", "remaining_years",
                    "expiry_status", "recommendation_zh" if lang == "zh" else "recommendation",
                    "recommendation_rule_zh" if lang == "zh" else "recommendation_rule")
            st.dataframe(display_table(expiring.sort_values("remaining_years"), lang, cols), hide_index=True,
                         width="stretch", height=320)
            if "recommendation" in frame.columns:
                reserve = expiring[expiring["recommendation"].astype("string").eq("reserve_industrial").fillna(False)]
                st.markdown(f"**{t('exp.reserve', lang)}**{t('colon', lang)}{_area_text(reserve, lang)}")
        if "converted_land" in frame.columns:
            converted = frame[frame["converted_land"].astype("boolean").fillna(False).to_numpy()]
            st.subheader(t("exp.converted", lang))
            st.caption(t("exp.converted_help", lang) + " " + _area_text(converted, lang))
            st.dataframe(display_table(converted, lang), hide_index=True, width="stretch", height=240)
        if "area_mu" in frame.columns:
            st.subheader(t("exp.landuse", lang))
            summary = landuse.landuse_summary(frame, by="zone_id")
            wide = summary.pivot_table(index="zone_id", columns="land_use", values="area_mu", aggfunc="sum",
                                       fill_value=0.0)
            wide.index = [zone_label(z, lang) for z in wide.index]
            wide.columns = [land_use_label(u, lang) for u in wide.columns]
            st.bar_chart(wide.round(1), stack=True, horizontal=True, x_label=t("unit.mu", lang))
        with st.expander(t("exp.rules", lang)):
            rules = recommend.rule_table()
            table = rules[["rule_id", "code", "zh" if lang == "zh" else "en", "condition"]]
            table.columns = [t("exp.rule_id", lang), t("exp.rule_code", lang), t("exp.rule_text", lang),
                             t("exp.rule_condition", lang)]
            st.table(table.set_index(t("exp.rule_id", lang)))


if __name__ == "__main__":
    render()
