"""机场搬迁情景 Airport scenarios: switch scenario and year, see height limits, released land, KPIs, compare."""

from __future__ import annotations

import folium
import pandas as pd
import streamlit as st

from ui import data, state
from ui.frame import (
    base_path,
    current_as_of,
    current_basemap,
    current_lang,
    current_profile,
    data_notice,
    guard,
    show_legend,
    show_map,
)
from ui.i18n import t, zone_label
from ui.mapview import VectorLayer, build_base_map, feature_collection, parcel_group

__all__ = ["render", "kpi_label", "year_kpis"]

_BASES = ("on_schedule", "delayed", "custom")
_UNIT_TEXT = {"ha": ("公顷", "ha"), "m²": ("m²", "m²"), "km": ("公里", "km"), "projects": ("个", "projects"),
              "亿元": ("亿元", "亿元"), "1/0": ("", "")}
_SCOPES = {"rd_office": ("研发办公", "R&D offices"), "pilot_base": ("中试基地", "pilot bases"),
           "industrial_plant": ("工业厂房", "industrial plants"), "conference_centre": ("会议中心", "conference centre"),
           "commerce": ("商业配套", "commerce"), "talent_housing": ("人才公寓", "talent housing"),
           "test_road": ("测试道路", "test roads"), "outside": ("功能区外", "outside the zones")}


def kpi_label(kpi: str, scope: str, lang: str) -> str:
    """Label of a timeline KPI, with its breakdown (zone or planned use) when not the total."""
    base = t(f"kpi.{kpi}", lang)
    if scope in ("", "total"):
        return base
    pair = _SCOPES.get(scope)
    part = (pair[1] if lang == "en" else pair[0]) if pair else zone_label(scope, lang)
    return f"{base} · {part}"


def _unit(unit: str, lang: str) -> str:
    pair = _UNIT_TEXT.get(unit)
    return (pair[1] if lang == "en" else pair[0]) if pair else unit


def year_kpis(timeline: pd.DataFrame, year: int) -> dict[str, float]:
    """Total KPIs of one year of a scenario timeline."""
    rows = timeline[(timeline["year"] == year) & (timeline["scope"] == "total")]
    return dict(zip(rows["kpi"], rows["value"].astype(float), strict=True))


def _scenario_picker(label: str, key: str, lang: str) -> tuple[str, int | None]:
    base = st.radio(label, _BASES, key=key, horizontal=True, format_func=lambda b: t(f"ap.{b}", lang))
    if base == "custom":
        year = st.number_input(t("ap.custom_year", lang), 2022, 2035, key=f"{key}_year")
        return ("on_schedule", int(year))
    return (base, None)


def _metrics(k: dict[str, float], lang: str) -> None:
    cols = st.columns(5)
    cols[0].metric(t("kpi.released_airport_land_ha", lang),
                   f"{k.get('released_airport_land_ha', 0.0):,.1f} {_unit('ha', lang)}")
    cols[1].metric(t("kpi.floor_area_gain_m2", lang), f"{k.get('floor_area_gain_m2', 0.0) / 1e4:,.1f} 万m²")
    cols[2].metric(t("kpi.test_road_km", lang), f"{k.get('test_road_km', 0.0):,.1f} {_unit('km', lang)}")
    cols[3].metric(
        t("kpi.projects_in_demonstration", lang), f"{k.get('projects_in_demonstration', 0.0):.0f}",
        help=f"{t('kpi.projects_in_incubation', lang)}: {k.get('projects_in_incubation', 0.0):.0f} · "
             f"{t('kpi.projects_waiting', lang)}: {k.get('projects_waiting', 0.0):.0f}",
    )
    target = k.get("output_target_yi")
    cols[4].metric(
        t("kpi.projected_output_yi", lang), f"{k.get('projected_output_yi', 0.0):,.1f} 亿元",
        delta=None if target is None else f"{k.get('output_gap_yi', 0.0):+,.1f} 亿元",
        help=None if target is None else f"{t('kpi.output_target_yi', lang)}: {target:,.0f} 亿元",
    )


def _map(frame: pd.DataFrame, layers: dict, grid: tuple, lang: str) -> None:
    from ui.rasterview import height_overlay

    basemap = current_basemap()
    gcj = basemap == "amap"
    base = build_base_map(lang=lang, basemap=basemap, zones=data.reference_layer("zones"),
                          district=data.reference_layer("district"), context=data.reference_layer("context"),
                          fit=data.reference_layer("zones"), base_path=base_path())
    group, legend = parcel_group(frame, theme="height_limit_m", lang=lang, basemap=basemap)
    airport = data.reference_layer("airport")
    if airport is not None and len(airport):
        VectorLayer(feature_collection(airport, gcj02=gcj), name=t("map.airport", lang),
                    style={"color": "#333333", "weight": 2, "fillOpacity": 0.0, "dashArray": "2 4"}).add_to(group)
    runway = data.reference_layer("runway")
    if runway is not None and len(runway):
        VectorLayer(feature_collection(runway, gcj02=gcj), name=t("map.airport", lang),
                    style={"color": "#111111", "weight": 5, "opacity": 0.8}, control=False).add_to(group)
    if layers["height_limit_active"]:
        url, bounds = height_overlay(*grid, gcj02=gcj)
        folium.raster_layers.ImageOverlay(url, bounds=bounds, name=t("ap.raster", lang), opacity=1.0,
                                          interactive=False, zindex=1).add_to(group)
    released = layers["released"]
    if len(released):
        label = released["uses_en" if lang == "en" else "uses_zh"].astype(str)
        tips = [f"{t('ap.released', lang)} #{p} ({y}): {u}" for p, y, u in
                zip(released["phase"], released["release_year"], label, strict=True)]
        VectorLayer(feature_collection(released, {"tip": tips}, gcj02=gcj), name=t("ap.released", lang),
                    style={"color": "#6a3d9a", "weight": 2, "fillColor": "#cab2d6", "fillOpacity": 0.45},
                    interactive=True, tooltip_property="tip").add_to(group)
    roads = layers["test_roads"]
    if len(roads):
        tips = [f"{t('ap.roads', lang)} #{p} ({y}): {k:.1f} km" for p, y, k in
                zip(roads["phase"], roads["year"], roads["length_km"], strict=True)]
        VectorLayer(feature_collection(roads, {"tip": tips}, gcj02=gcj), name=t("ap.roads", lang),
                    style={"color": "#e31a1c", "weight": 4, "dashArray": "8 4"}, interactive=True,
                    tooltip_property="tip").add_to(group)
    projects = layers["projects"]
    projects = projects[projects.geometry.notna()] if len(projects) else projects
    if len(projects):
        name_col = next((c for c in ("name_en" if lang == "en" else "name_zh", "project_id") if c in projects.columns),
                        None)
        tips = projects[name_col].astype(str).tolist() if name_col else [""] * len(projects)
        VectorLayer(feature_collection(projects, {"tip": tips}, gcj02=gcj), name=t("ap.projects", lang),
                    style={"color": "#08306b", "weight": 2, "fillColor": "#4292c6", "fillOpacity": 0.9},
                    interactive=True, tooltip_property="tip").add_to(group)
    show_map(base, key=f"map_airport_{basemap}", height=540, feature_group=group,
             layer_control=folium.LayerControl(collapsed=True))
    show_legend(legend, title=t("theme.height_limit_m", lang))


def _downloads(layers: dict, grid: tuple, year: int, name: str, lang: str) -> None:
    """Released land and test roads of the year (GeoJSON, GeoPackage, Shapefile) and its height grid."""
    from ui.downloads import LAYER_FORMATS, download_buttons, raster_button, year_raster

    with st.expander(t("dl.header", lang)):
        stem = f"{name}_{year}"
        for layer, label in (("released", "dl.released"), ("test_roads", "dl.roads")):
            st.markdown(f"**{t(label, lang, year=year)}**")
            frame = layers[layer]
            if not len(frame):
                st.caption(t("dl.empty", lang))
                continue
            out_name = "released_land" if layer == "released" else "test_roads"
            download_buttons(frame, key=f"dl_ap_{layer}", stem=f"{out_name}_{stem}", lang=lang,
                             layer=out_name, formats=LAYER_FORMATS)
        array, transform, crs = grid
        active = bool(layers["height_limit_active"])
        raster_button(lambda: year_raster(array, transform, crs, active=active),
                      label=t("dl.raster", lang, year=year), crs=str(crs), key="dl_ap_raster",
                      stem=f"height_limit_{stem}", lang=lang)


def _timeline_charts(tl: pd.DataFrame, lang: str) -> None:
    st.subheader(t("ap.timeline", lang))
    totals = tl[tl["scope"] == "total"]
    tabs = st.tabs([t(f"kpi.{k}", lang) for k in ("projected_output_yi", "released_airport_land_ha",
                                                   "floor_area_gain_m2", "test_road_km")])
    for tab, kpi in zip(tabs, ("projected_output_yi", "released_airport_land_ha", "floor_area_gain_m2",
                               "test_road_km"), strict=True):
        series = totals[totals["kpi"] == kpi].set_index("year")["value"].rename(t(f"kpi.{kpi}", lang))
        chart = series.to_frame()
        if kpi == "projected_output_yi":
            target = totals[totals["kpi"] == "output_target_yi"].set_index("year")["value"]
            chart[t("kpi.output_target_yi", lang)] = target.reindex(chart.index).ffill()
        chart.index = chart.index.astype(str)
        tab.line_chart(chart)


def _comparison(cmp: pd.DataFrame, year: int, names: tuple[str, str], lang: str) -> None:
    st.subheader(t("ap.compare", lang))
    rows = cmp[cmp["year"] == year].copy()
    kpi = rows["kpi"].str.extract(r"^([a-z_0-9]+)(?:\[(.*)\])?$")
    labels = [kpi_label(k, s if isinstance(s, str) else "total", lang) for k, s in zip(kpi[0], kpi[1], strict=True)]
    table = pd.DataFrame({
        t("ap.kpi", lang): labels,
        f"A · {names[0]}": rows["A"].round(2).to_numpy(),
        f"B · {names[1]}": rows["B"].round(2).to_numpy(),
        t("ap.diff", lang): rows["difference"].round(2).to_numpy(),
        t("ap.unit", lang): [_unit(u, lang) for u in rows["unit"]],
    })
    st.markdown(f"**{t('ap.delta', lang, year=year)}**")
    st.dataframe(table, hide_index=True, width="stretch", height=360)


def render() -> None:
    """Draw the page."""
    lang = current_lang()
    st.title(t("page.airport", lang))
    with guard():
        if data.optional_module("analysis.scenario_io") is None:
            st.info(t("pending.page", lang, what="analysis.scenario"))
            return
        from ui import scenario_data as sd

        as_of = current_as_of()
        profile = data.profile_json(current_profile())
        dataset_id = data.current_dataset()
        stamp = data.dataset_stamp(dataset_id)
        data_notice(dataset_id, lang)
        c1, c2 = st.columns(2)
        with c1:
            key_a = _scenario_picker(t("ap.scenario_a", lang), state.SCENARIO_A, lang)
        with c2:
            key_b = _scenario_picker(t("ap.scenario_b", lang), state.SCENARIO_B, lang)
        scenario_a, scenario_b = sd.scenario_of(key_a), sd.scenario_of(key_b)
        title = scenario_a.title_en if lang == "en" else scenario_a.title_zh
        lo, hi = scenario_a.horizon
        if not lo <= int(st.session_state.get(state.SCENARIO_YEAR) or 0) <= hi:
            st.session_state[state.SCENARIO_YEAR] = min(max(as_of.year, lo), hi)
        year = st.slider(t("ap.year", lang), lo, hi, key=state.SCENARIO_YEAR)
        tl = sd.timeline(dataset_id, stamp, as_of.isoformat(), profile, key_a)
        k = year_kpis(tl, year)
        st.markdown(f"### {title} · {year}")
        st.caption(t("ap.limits_on", lang) if k.get("height_limit_active", 0.0) else t("ap.limits_off", lang))
        _metrics(k, lang)
        layers = sd.year_layers(dataset_id, stamp, as_of.isoformat(), profile, key_a, year)
        st.markdown(f"**{t('ap.advice', lang)}**{t('colon', lang)}{layers['advice_en' if lang == 'en' else 'advice_zh']}")
        st.caption(t("ap.map_note", lang))
        frame = sd.year_frame(dataset_id, stamp, as_of.isoformat(), profile, key_a, year)
        grid = sd.height_grid(dataset_id, stamp)
        _map(frame, layers, grid, lang)
        _downloads(layers, grid, year, scenario_a.name, lang)
        _timeline_charts(tl, lang)
        cmp = sd.comparison(dataset_id, stamp, as_of.isoformat(), profile, key_a, key_b)
        names = (scenario_a.title_en if lang == "en" else scenario_a.title_zh,
                 scenario_b.title_en if lang == "en" else scenario_b.title_zh)
        _comparison(cmp, year, names, lang)
        with st.expander(t("ap.all_years", lang)):
            st.dataframe(cmp, hide_index=True, width="stretch")
        with st.expander(t("ap.assumptions", lang)):
            for item in tl.attrs.get("assumptions", []):
                st.text("· " + item["en" if lang == "en" else "zh"])


if __name__ == "__main__":
    render()
