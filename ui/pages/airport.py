"""机场搬迁情景 Airport scenarios: switch scenario and year, see height limits, released land, KPIs, compare."""

from __future__ import annotations

import datetime as dt

import folium
import geopandas as gpd
import pandas as pd
import streamlit as st

from analysis.scenario import PLANNED_USES, load_scenario
from analysis.whatif.types import DevelopmentTypes
from core.errors import PlanningError
from core.raster import Raster
from office import records
from ui import data, office, scenarios, state
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
    remember_state,
    show_error,
    show_legend,
    show_map,
    view_key,
)
from ui.i18n import kpi_unit_label, t, zone_label
from ui.map_data import map_sources
from ui.mapview import VectorLayer, build_base_map, feature_collection, parcel_group
from ui.value_labels import yi_text

__all__ = ["render", "kpi_label", "year_kpis", "YEAR_SLIDER"]

_NEW_NAME = "ap_new_name"
_NEW_TEXT = "ap_new_yaml"
_NEW_BASE = "ap_new_base"
_DELETE = "ap_delete_name"
_OPENED = "ap_opened_version"
#: The year slider's own widget key (the chosen year itself is ``state.SCENARIO_YEAR``).
YEAR_SLIDER = f"{state.SCENARIO_YEAR}.slider"
#: Breakdowns of a KPI that are planned uses of the released land (or land outside the zones), not zones.
_SCOPES = (*PLANNED_USES, "outside")


def kpi_label(kpi: str, scope: str, lang: str) -> str:
    """Label of a timeline KPI, with its breakdown (zone or planned use) when not the total."""
    base = t(f"kpi.{kpi}", lang)
    if scope in ("", "total"):
        return base
    part = t(f"ap.scope.{scope}", lang) if scope in _SCOPES else zone_label(scope, lang)
    return f"{base} · {part}"


def _unit(unit: str, lang: str) -> str:
    return kpi_unit_label(unit, lang)


def year_kpis(timeline: pd.DataFrame, year: int) -> dict[str, float]:
    """Total KPIs of one year of a scenario timeline."""
    rows = timeline[(timeline["year"] == year) & (timeline["scope"] == "total")]
    return dict(zip(rows["kpi"], rows["value"].astype(float), strict=True))


def _choice_label(choice: str, lang: str) -> str:
    name = scenarios.saved_name(choice)
    return t("ap.saved", lang, name=name) if name is not None else t(f"ap.{choice}", lang)


def _keep_b_different() -> None:
    """When A is switched to the built-in B shows, B moves to the other built-in."""
    a, b = st.session_state.get(state.SCENARIO_A), st.session_state.get(state.SCENARIO_B)
    if a == b and a in scenarios.BUILTINS:
        st.session_state[state.SCENARIO_B] = scenarios.other_builtin(a)


def _scenario_picker(label: str, key: str, lang: str, options: list[str]) -> tuple:
    if st.session_state.get(key) not in options:  # first visit, or a saved scenario was deleted
        a = st.session_state.get(state.SCENARIO_A, "on_schedule")
        st.session_state[key] = "on_schedule" if key == state.SCENARIO_A else scenarios.other_builtin(a)
    base = keep_choice(key, st.radio(
        label, options, horizontal=True, format_func=lambda b: _choice_label(b, lang),
        **localized(key, lang, on_change=_keep_b_different if key == state.SCENARIO_A else None)))
    if base == scenarios.CUSTOM:
        lo, hi = load_scenario("on_schedule").horizon  # a custom year moves the on-schedule scenario
        year = st.number_input(t("ap.custom_year", lang), lo, hi, key=f"{key}_year")
        return scenarios.scenario_key(base, int(year))
    return scenarios.scenario_key(base)


def _load_template() -> None:
    from office import records

    base = st.session_state.get(_NEW_BASE, "on_schedule")
    name = scenarios.saved_name(base)
    found = records.scenario_text(office.store(), name) if name is not None else None
    st.session_state[_NEW_TEXT] = found[0] if found is not None else scenarios.template_text(base)
    # the version opened: saving it again is a new version, unless someone saved one meanwhile
    st.session_state[_OPENED] = (name, found[1]) if found is not None else None
    if found is not None:
        st.session_state[_NEW_NAME] = name


def _library() -> DevelopmentTypes:
    """The development-type library in force (a scenario's edits are checked against it)."""
    from ui.whatif_types import development_types, library_text

    return development_types(library_text())


def _scenario_manager(saved: list[str], lang: str) -> None:
    """Write, check and save a scenario as YAML (a new version, never over someone's newer one);
    delete a saved one. Editors only; the store checks the role again."""
    if not office.can("save_scenario"):
        return
    with st.expander(t("ap.manage", lang), expanded=False):
        st.caption(t("ap.manage_help", lang))
        c1, c2 = st.columns([2, 1])
        keep_choice(_NEW_BASE, c1.selectbox(
            t("ap.start_from", lang), [*scenarios.BUILTINS, *(f"{scenarios.SAVED_PREFIX}{n}" for n in saved)],
            format_func=lambda b: _choice_label(b, lang), **localized(_NEW_BASE, lang)))
        c2.button(t("ap.load_template", lang), on_click=_load_template, key="ap_load_template")
        if _NEW_TEXT not in st.session_state:
            st.session_state[_NEW_TEXT] = scenarios.template_text("on_schedule")
        name = st.text_input(t("ap.new_name", lang), key=_NEW_NAME, placeholder=t("ap.new_name_hint", lang))
        text = st.text_area(t("ap.yaml", lang), key=_NEW_TEXT, height=320)
        check, save = st.columns(2)
        if check.button(t("ap.check", lang), key="ap_check"):
            try:
                parsed = scenarios.parse_text(text, name=name.strip() or "custom", types=_library())
            except PlanningError as err:
                show_error(err)
            else:
                st.success(t("ap.valid", lang, name=parsed.title_en if lang == "en" else parsed.title_zh))
        if save.button(t("ap.save", lang), key="ap_save", type="primary"):
            try:
                clean = records.check_scenario_name(name)
                scenarios.parse_text(text, name=clean, types=_library())
                opened = st.session_state.get(_OPENED)
                base = opened[1] if opened and opened[0] == clean else None
                version = records.save_scenario(office.store(), clean, text, actor=office.require("save_scenario"),
                                                base_version=base)
            except PlanningError as err:
                show_error(err)
            else:
                st.session_state[_OPENED] = (clean, version)
                st.success(t("ap.saved_ok", lang, name=clean, version=version))
                saved[:] = records.list_scenarios(office.store())
        if saved:
            d1, d2 = st.columns([2, 1])
            victim = d1.selectbox(t("ap.delete_which", lang), saved, key=_DELETE)
            if d2.button(t("ap.delete", lang), key="ap_delete") and victim:
                try:
                    records.delete_scenario(office.store(), victim, actor=office.require("delete_scenario"))
                except PlanningError as err:
                    show_error(err)
                else:
                    st.success(t("ap.deleted", lang, name=victim))
                    saved[:] = records.list_scenarios(office.store())


def _title(scenario: object, key: tuple, lang: str) -> str:
    name = scenarios.saved_name(str(key[0]))
    if name is not None:
        return name
    return scenario.title_en if lang == "en" else scenario.title_zh  # type: ignore[attr-defined]


def _yi(value: float, lang: str, *, sign: bool = False) -> str:
    """An amount in 亿元 (10^8 yuan) as text: 亿元 in Chinese, billions of yuan in English."""
    return yi_text(value, lang, sign=sign)


def _metrics(k: dict[str, float], lang: str) -> None:
    cols = [st.container() for _ in range(5)]  # one under the other, beside the map
    cols[0].metric(t("kpi.released_airport_land_ha", lang),
                   f"{k.get('released_airport_land_ha', 0.0):,.1f} {_unit('ha', lang)}")
    gain = k.get("floor_area_gain_m2", 0.0)
    cols[1].metric(t("kpi.floor_area_gain_m2", lang),
                   # short enough for a metric tile: million m² in English, 万m² in Chinese
                   t("ap.floor_area", lang, v=f"{gain / 1e6:,.2f}" if lang == "en" else f"{gain / 1e4:,.1f}"))
    cols[2].metric(t("kpi.test_road_km", lang), f"{k.get('test_road_km', 0.0):,.1f} {_unit('km', lang)}")
    cols[3].metric(
        t("kpi.projects_in_demonstration", lang), f"{k.get('projects_in_demonstration', 0.0):.0f}",
        help=f"{t('kpi.projects_in_incubation', lang)}: {k.get('projects_in_incubation', 0.0):.0f} · "
             f"{t('kpi.projects_waiting', lang)}: {k.get('projects_waiting', 0.0):.0f}",
    )
    target = k.get("output_target_yi")
    cols[4].metric(
        t("kpi.projected_output_yi", lang), _yi(k.get("projected_output_yi", 0.0), lang),
        delta=None if target is None else _yi(k.get("output_gap_yi", 0.0), lang, sign=True),
        help=None if target is None else f"{t('kpi.output_target_yi', lang)}: {_yi(target, lang)}",
    )


def _map(frame: gpd.GeoDataFrame, layers: dict, grid: Raster, lang: str, *, dataset_id: str, context: object) -> None:
    from ui.rasterview import height_overlay

    basemap = current_basemap()
    gcj = basemap == "amap"
    base = build_base_map(lang=lang, basemap=basemap, zones=data.reference_layer("zones"),
                          district=data.reference_layer("district"), context=data.reference_layer("context"),
                          fit=data.reference_layer("zones"), base_path=base_path())
    sources = map_sources(frame, dataset_id, lang, context=context)  # the details of that scenario's year
    group, legend = parcel_group(frame, theme="height_limit_m", lang=lang, basemap=basemap,
                                 view_key=view_key("airport"), detail=sources.detail, tiles=sources.tiles)
    airport = data.reference_layer("airport")
    if airport is not None and len(airport):
        VectorLayer(feature_collection(airport, gcj02=gcj), name=t("map.airport", lang),
                    style={"color": "#333333", "weight": 2, "fillOpacity": 0.0, "dashArray": "2 4"}).add_to(group)
    runway = data.reference_layer("runway")
    if runway is not None and len(runway):
        VectorLayer(feature_collection(runway, gcj02=gcj), name=t("map.airport", lang),
                    style={"color": "#111111", "weight": 5, "opacity": 0.8}, control=False).add_to(group)
    if layers["height_limit_active"]:
        url, bounds = height_overlay(grid, gcj02=gcj)
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
    show_map(base, key=f"map_airport_{basemap}", height=MAP_HEIGHT, feature_group=group,
             layer_control=folium.LayerControl(collapsed=True))
    show_legend(legend, title=t("theme.height_limit_m", lang))


def _downloads(layers: dict, grid: Raster, year: int, name: str, lang: str) -> None:
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
        active = bool(layers["height_limit_active"])
        raster_button(lambda: year_raster(grid, active=active),
                      label=t("dl.raster", lang, year=year), crs=str(grid.crs), key="dl_ap_raster",
                      stem=f"height_limit_{stem}", lang=lang)


#: Colour of each KPI line of the timelines, the same in both languages (the target grey: a reference).
_LINE_COLOURS = {"projected_output_yi": "#1f5fa8", "output_target_yi": "#7f7f7f", "released_airport_land_ha": "#6a3d9a",
                 "floor_area_gain_m2": "#2e8b57", "test_road_km": "#e31a1c"}
_TIMELINE_KPIS = ("projected_output_yi", "released_airport_land_ha", "floor_area_gain_m2", "test_road_km")


def _timeline_charts(tl: pd.DataFrame, lang: str) -> None:
    from ui.charts import series_lines

    st.subheader(t("ap.timeline", lang))
    totals = tl[tl["scope"] == "total"]
    tabs = st.tabs([t(f"kpi.{k}", lang) for k in _TIMELINE_KPIS])
    for tab, kpi in zip(tabs, _TIMELINE_KPIS, strict=True):
        rows = totals[totals["kpi"] == kpi]
        unit = str(rows["unit"].iloc[0]) if len(rows) else ""
        kpis = (kpi, "output_target_yi") if kpi == "projected_output_yi" else (kpi,)
        chart = pd.DataFrame({t(f"kpi.{kpi}", lang): rows.set_index("year")["value"]})
        if kpi == "projected_output_yi":
            target = totals[totals["kpi"] == "output_target_yi"].set_index("year")["value"]
            chart[t("kpi.output_target_yi", lang)] = target.reindex(chart.index).ffill()
        tab.altair_chart(series_lines(chart, {t(f"kpi.{k}", lang): _LINE_COLOURS[k] for k in kpis},
                                      x_title=t("ap.year", lang), y_title=_unit(unit, lang) or t("ap.kpi", lang),
                                      series_title=t("ap.kpi", lang)), width="stretch")


def _kpi_labels(codes: pd.Series, lang: str) -> list[str]:
    """Labels of the comparison's KPI codes (``released_land_ha[commerce]``: the KPI · its breakdown)."""
    kpi = codes.astype(str).str.extract(r"^([a-z_0-9]+)(?:\[(.*)\])?$")
    return [kpi_label(k, s if isinstance(s, str) else "total", lang) for k, s in zip(kpi[0], kpi[1], strict=True)]


def _comparison(cmp: pd.DataFrame, year: int, names: tuple[str, str], lang: str) -> None:
    st.subheader(t("ap.compare", lang))
    rows = cmp[cmp["year"] == year].copy()
    table = pd.DataFrame({
        t("ap.kpi", lang): _kpi_labels(rows["kpi"], lang),
        f"A · {names[0]}": rows["A"].round(2).to_numpy(),
        f"B · {names[1]}": rows["B"].round(2).to_numpy(),
        t("ap.diff", lang): rows["difference"].round(2).to_numpy(),
        t("ap.unit", lang): [_unit(u, lang) for u in rows["unit"]],
    })
    st.markdown(f"**{t('ap.delta', lang, year=year)}**")
    st.dataframe(table, hide_index=True, width="stretch", height=360)


def _all_years(cmp: pd.DataFrame, names: tuple[str, str], lang: str) -> pd.DataFrame:
    """The comparison of every year with labelled columns."""
    return pd.DataFrame({
        t("ap.year_col", lang): cmp["year"].astype(str).to_numpy(),
        t("ap.kpi", lang): _kpi_labels(cmp["kpi"], lang),
        f"A · {names[0]}": cmp["A"].round(2).to_numpy(),
        f"B · {names[1]}": cmp["B"].round(2).to_numpy(),
        t("ap.diff", lang): cmp["difference"].round(2).to_numpy(),
        t("ap.unit", lang): [_unit(u, lang) for u in cmp["unit"]],
    })


@st.fragment
def _year_view(dataset_id: str, stamp: float, as_of: dt.date, profile: str, keys: tuple[tuple, tuple],
               horizon: tuple[int, int], names: tuple[str, str], scenario_name: str, lang: str,
               compare: bool = True) -> None:
    """The year slider and everything of that year (KPIs, advice, map, downloads, the comparison's
    year), rerun alone when the year moves: the scenario pickers and the timelines are not."""
    from ui import scenario_data as sd

    with guard():
        key_a, key_b = keys
        lo, hi = horizon
        if not lo <= int(st.session_state.get(state.SCENARIO_YEAR) or 0) <= hi:
            st.session_state[state.SCENARIO_YEAR] = min(max(as_of.year, lo), hi)
        # the slider has a key of its own and starts from the chosen year: a slider whose key was set
        # from the session state after its page was left shows its minimum in the browser while the
        # server goes on with the chosen year (the heading and the figures)
        year = keep_choice(state.SCENARIO_YEAR, st.slider(
            t("ap.year", lang), lo, hi, value=int(st.session_state[state.SCENARIO_YEAR]), key=YEAR_SLIDER))
        tl = sd.timeline(dataset_id, stamp, as_of.isoformat(), profile, key_a)
        k = year_kpis(tl, year)
        layers = sd.year_layers(dataset_id, stamp, as_of.isoformat(), profile, key_a, year)
        frame = sd.year_frame(dataset_id, stamp, as_of.isoformat(), profile, key_a, year)
        grid = sd.height_grid(dataset_id, stamp)
        left, right = st.columns([5, 2])  # the map first, its top in view; the year's figures beside it
        with left:
            _map(frame, layers, grid, lang, dataset_id=dataset_id, context=(key_a, year))
        with right:
            st.markdown(f"### {names[0]} · {year}")
            st.caption(t("ap.limits_on", lang) if k.get("height_limit_active", 0.0) else t("ap.limits_off", lang))
            _metrics(k, lang)
            st.markdown(f"**{t('ap.advice', lang)}**{t('colon', lang)}"
                        f"{layers['advice_en' if lang == 'en' else 'advice_zh']}")
            st.caption(t("ap.map_note", lang))
        _downloads(layers, grid, year, scenario_name, lang)
        from ui.brief_download import render_brief_download

        render_brief_download(dataset_id=dataset_id, stamp=stamp, as_of=as_of, profile=profile,
                              keys=(key_a, key_b) if compare else (key_a,), year=year, lang=lang, key="ap_brief")
        if compare:
            cmp = sd.comparison(dataset_id, stamp, as_of.isoformat(), profile, key_a, key_b)
            _comparison(cmp, year, names, lang)
    remember_state()  # a year move reruns only this fragment: keep it as app.py does after a full run


def render() -> None:
    """Draw the page."""
    lang = current_lang()
    st.title(t("page.airport", lang))
    with guard():
        from ui import scenario_data as sd

        as_of = current_as_of()
        profile = data.profile_json(current_profile())
        dataset_id = data.current_dataset()
        stamp = data.dataset_stamp(dataset_id)
        data_notice(dataset_id, lang)
        saved = records.list_scenarios(office.store())
        _scenario_manager(saved, lang)
        options = scenarios.choices(saved)
        with st.sidebar:  # the map is the page's main thing: the scenario choices beside it, not above
            key_a = _scenario_picker(t("ap.scenario_a", lang), state.SCENARIO_A, lang, options)
            key_b = _scenario_picker(t("ap.scenario_b", lang), state.SCENARIO_B, lang, options)
        scenario_a, scenario_b = sd.scenario_of(key_a), sd.scenario_of(key_b)
        names = (_title(scenario_a, key_a, lang), _title(scenario_b, key_b, lang))
        same = scenarios.same_scenario(key_a, key_b)
        if same:  # a scenario compared with itself says nothing: refused, in both languages
            st.warning(f"{t('scn.same', 'zh')}\n\n{t('scn.same', 'en')}")
        _year_view(dataset_id, stamp, as_of, profile, (key_a, key_b), scenario_a.horizon, names, scenario_a.name,
                   lang, compare=not same)
        tl = sd.timeline(dataset_id, stamp, as_of.isoformat(), profile, key_a)
        _timeline_charts(tl, lang)
        if not same:
            cmp = sd.comparison(dataset_id, stamp, as_of.isoformat(), profile, key_a, key_b)
            with st.expander(t("ap.all_years", lang)):
                st.dataframe(_all_years(cmp, names, lang), hide_index=True, width="stretch")
        with st.expander(t("ap.assumptions", lang)):
            for item in tl.attrs.get("assumptions", []):
                st.text("· " + item["en" if lang == "en" else "zh"])


if __name__ == "__main__":
    render()
