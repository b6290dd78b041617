"""地块 Parcels: themed map with the detail panel in it, filters, table and downloads."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import folium
import geopandas as gpd
import streamlit as st

from analysis import efficiency
from parcels.schema import EFFICIENCY_CLASSES, EXPIRY_STATUSES, LAND_USES, ZONE_IDS
from ui import data, state
from ui.downloads import parcel_downloads
from ui.filters import area_range_filter, area_slider_top, display_table, filter_parcels
from ui.frame import (
    MAP_HEIGHT,
    base_path,
    current_as_of,
    current_basemap,
    current_lang,
    current_profile,
    data_notice,
    guard,
    keep_choice,
    localized,
    show_legend,
    show_map,
    view_key,
)
from ui.i18n import category_label, t
from ui.map_data import map_sources
from ui.mapview import THEMES, build_base_map, parcel_group

__all__ = ["render", "TABLE_ROWS"]

#: Most rows the parcel table shows (more would only slow the page; the downloads hold every row).
TABLE_ROWS = 2_000


def _known(key: str, options: Sequence[str]) -> None:
    """Keep only the remembered choices that are options (a remembered filter from another version)."""
    value = st.session_state.get(key)
    if value is not None:
        st.session_state[key] = [v for v in (value if isinstance(value, list) else []) if v in options]


def _filters(frame: gpd.GeoDataFrame, lang: str) -> gpd.GeoDataFrame:
    st.subheader(t("filter.header", lang))  # in the sidebar: the map is the page's main thing
    for key, options in ((state.FILTER_ZONES, [*ZONE_IDS, ""]), (state.FILTER_USES, LAND_USES),
                         (state.FILTER_EXPIRY, EXPIRY_STATUSES), (state.FILTER_CLASSES, EFFICIENCY_CLASSES)):
        _known(key, options)
    c1 = c2 = c3 = c4 = c5 = c6 = st  # one under the other, in the container the caller opened
    zones = keep_choice(state.FILTER_ZONES, c1.multiselect(
        t("filter.zone", lang), [*ZONE_IDS, ""], format_func=lambda z: category_label("zone_id", z, lang),
        placeholder=t("filter.any", lang), **localized(state.FILTER_ZONES, lang),
    ))
    uses = keep_choice(state.FILTER_USES, c2.multiselect(
        t("filter.use", lang), LAND_USES, format_func=lambda u: category_label("land_use", u, lang),
        placeholder=t("filter.any", lang), **localized(state.FILTER_USES, lang),
    ))
    expiry = keep_choice(state.FILTER_EXPIRY, c3.multiselect(
        t("filter.expiry", lang), EXPIRY_STATUSES, format_func=lambda s: category_label("expiry_status", s, lang),
        placeholder=t("filter.any", lang), disabled="expiry_status" not in frame.columns,
        **localized(state.FILTER_EXPIRY, lang),
    ))
    classes = keep_choice(state.FILTER_CLASSES, c4.multiselect(
        t("filter.class", lang), EFFICIENCY_CLASSES,
        format_func=lambda c: category_label("efficiency_class", c, lang),
        placeholder=t("filter.any", lang), disabled="efficiency_class" not in frame.columns,
        **localized(state.FILTER_CLASSES, lang),
    ))
    top = area_slider_top(frame)
    rng = st.session_state.get(state.FILTER_AREA)
    if not (isinstance(rng, (tuple, list)) and len(rng) == 2 and rng[1] <= top):
        st.session_state[state.FILTER_AREA] = (0.0, top)
    elif isinstance(rng, list):  # remembered as JSON: the slider takes a pair
        st.session_state[state.FILTER_AREA] = (float(rng[0]), float(rng[1]))
    area_range = cast(tuple[float, float],  # a range slider: its session value is a pair
                      c5.slider(t("filter.area", lang), 0.0, top, step=0.5, key=state.FILTER_AREA))
    text = c6.text_input(t("filter.search", lang), key=state.FILTER_TEXT)
    return filter_parcels(frame, zones=zones, uses=uses, expiry=expiry, classes=classes,
                          area_mu=area_range_filter(frame, area_range), text=text)


def _with_scenario_heights(frame: gpd.GeoDataFrame, dataset_id: str, lang: str) -> gpd.GeoDataFrame:
    """``height_limit_m`` of the scenario and year chosen on the Airport page (the same the downloads
    use: one scenario context for the app), else with the airport operating as today."""
    from ui import scenario_data
    from ui.downloads import scenario_choice, with_scenario_columns

    choice = scenario_choice()
    stamp = data.dataset_stamp(dataset_id)
    if choice is None:
        heights = scenario_data.status_quo_heights(dataset_id, stamp)
        st.caption(t("theme.height_note", lang))
        raw = data.raw_parcels(dataset_id, stamp)
        return with_scenario_columns(frame, raw[["parcel_id"]].assign(height_limit_m=heights.reindex(raw.index)))
    key, year, title_zh, title_en = choice
    year_frame = scenario_data.year_frame(dataset_id, stamp, current_as_of().isoformat(),
                                          data.profile_json(current_profile()), key, year)
    st.caption(t("scn.context", lang, name=title_en if lang == "en" else title_zh, year=year))
    return with_scenario_columns(frame, year_frame)


@st.fragment
def _map(frame: gpd.GeoDataFrame, filtered: gpd.GeoDataFrame, *, dataset_id: str, theme: str, lang: str) -> None:
    """The map, with the detail panel in it: a click selects and shows the parcel in the browser
    (its details come from the app's map service), so a click reruns nothing."""
    basemap = current_basemap()
    base = build_base_map(
        lang=lang, basemap=basemap, zones=data.reference_layer("zones"),
        district=data.reference_layer("district"), context=data.reference_layer("context"),
        fit=frame, base_path=base_path(),  # the layer; bounds that change with the filters left the map stale
    )
    profile = current_profile()
    sources = map_sources(frame, dataset_id, lang)
    group, legend = parcel_group(filtered, theme=theme, lang=lang, basemap=basemap, detail=sources.detail,
                                 tiles=sources.tiles,
                                 profile=efficiency.profile_from_dict(profile) if profile else None,
                                 view_key=view_key("parcels"),
                                 search=str(st.session_state.get(state.FILTER_TEXT) or ""))
    show_map(base, key=f"{state.MAP_PARCELS}_{basemap}", height=MAP_HEIGHT, feature_group=group,
             layer_control=folium.LayerControl(collapsed=True, position="topleft"))
    show_legend(legend, title=t(f"theme.{theme}", lang))


def render() -> None:
    """Draw the page."""
    lang = current_lang()
    st.title(t("page.parcels", lang))
    with guard():
        dataset_id, frame = data.current_frame(current_as_of(), current_profile())
        data_notice(dataset_id, lang)
        with st.sidebar:
            filtered = _filters(frame, lang)
        st.caption(t("filter.count", lang, n=f"{len(filtered):,}", total=f"{len(frame):,}"))
        theme = keep_choice(state.THEME, st.radio(
            t("theme.label", lang), THEMES, format_func=lambda th: t(f"theme.{th}", lang), horizontal=True,
            **localized(state.THEME, lang),
        ))
        if theme == "height_limit_m":
            filtered = _with_scenario_heights(filtered, dataset_id, lang)
        _map(frame, filtered, dataset_id=dataset_id, theme=theme, lang=lang)
        st.subheader(t("table.header", lang))
        if len(filtered) > TABLE_ROWS:  # a city's layer: the table shows a page of it, the downloads have all
            st.caption(t("table.capped", lang, n=f"{TABLE_ROWS:,}", total=f"{len(filtered):,}"))
        st.dataframe(display_table(filtered.iloc[:TABLE_ROWS], lang), hide_index=True, width="stretch", height=320)
        st.subheader(t("dl.header", lang))
        st.caption(t("dl.filtered", lang, n=f"{len(filtered):,}"))
        parcel_downloads(filtered, dataset_id=dataset_id, key="dl_parcels", stem=f"parcels_{dataset_id}", lang=lang)

if __name__ == "__main__":
    render()
