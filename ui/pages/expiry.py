"""到期与用途 Expiry & use: expiry timeline by zone, expiring parcels and reserve advice, converted land."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from analysis import expiry, landuse, recommend
from ui import data
from ui.charts import category_bars
from ui.filters import display_table
from ui.frame import current_as_of, current_lang, current_profile, data_notice, guard
from ui.i18n import field_label, t, zone_label
from ui.map_theme import category_colours

__all__ = ["render", "timeline_table"]

_EXPIRING = ("expired", "within_5y", "within_10y")


def timeline_table(timeline: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Expiry timeline (year, zone_id, area_mu rows) as a year x zone table of mu."""
    wide = timeline.pivot_table(index="year", columns="zone_id", values="area_mu", aggfunc="sum", fill_value=0.0)
    wide.columns = [zone_label(z, lang) for z in wide.columns]
    wide.index = wide.index.astype(str)
    return wide.round(1)


def _timeline_chart(timeline: pd.DataFrame, lang: str) -> alt.Chart:
    """Area whose lease ends per year, stacked by zone in the zones' map colours."""
    long = timeline.sort_values("year").assign(year=lambda f: f["year"].astype(str))
    return category_bars(long, colour="zone_id", value="area_mu", along="year", along_title=t("ap.year", lang),
                         lang=lang, value_title=field_label("area_mu", lang))


def _landuse_chart(summary: pd.DataFrame, lang: str) -> alt.Chart:
    """Land use of each zone (zones in their fixed order), stacked in the map's land-use colours."""
    rank = {z: i for i, z in enumerate(category_colours("zone_id"))}
    long = summary.assign(zone_rank=summary["zone_id"].map(lambda z: rank.get(z if isinstance(z, str) else "", 9)))
    long = long.sort_values("zone_rank", kind="stable")
    long = long.assign(zone=[zone_label(z, lang) for z in long["zone_id"]])
    return category_bars(long, colour="land_use", value="area_mu", along="zone", along_title=t("filter.zone", lang),
                         lang=lang, value_title=field_label("area_mu", lang), horizontal=True)


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
            timeline = expiry.expiry_timeline(frame, as_of=as_of)
            table = timeline_table(timeline, lang)
            st.altair_chart(_timeline_chart(timeline, lang), width="stretch")
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
            st.altair_chart(_landuse_chart(landuse.landuse_summary(frame, by="zone_id"), lang), width="stretch")
        with st.expander(t("exp.rules", lang)):
            rules = recommend.rule_table()
            zh = lang == "zh"
            table = rules[["rule_id", "code", "zh" if zh else "en", "condition_zh" if zh else "condition"]]
            table.columns = [t("exp.rule_id", lang), t("exp.rule_code", lang), t("exp.rule_text", lang),
                             t("exp.rule_condition", lang)]
            st.table(table.set_index(t("exp.rule_id", lang)))


if __name__ == "__main__":
    render()
