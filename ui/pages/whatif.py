"""情景编辑 What-if (editors): select parcels on the map, give them a development type or a use and FAR
from a year on, watch the KPIs move; undo, redo, revert; save as a named scenario; compare up to three.

The edits are this session's own (:data:`ui.state.WHATIF_STACK`), so nothing one person does changes
another's view until they save.  The editor is one fragment: a selection, an edit or a year reruns
the map, the controls and the tiles only, and the KPIs are the year overlaid on the frame analysed
once (:func:`ui.scenario_data.year_frame` of the what-if's key), never a new analysis.  Every write
(saving, publishing the library) is checked on the server (:func:`ui.office.require`).
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from dataclasses import dataclass
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import shapely
import shapely.geometry
import streamlit as st
import yaml

from analysis.whatif.edits import Edit, select_parcels, whatif_yaml
from core.errors import PlanningError
from core.gcj02 import geometry_gcj02_to_wgs84
from office import records
from office.records import Actor
from parcels.schema import LAND_USES
from ui import data, office, scenarios, state
from ui import scenario_data as sd
from ui import whatif_data as wd
from ui import whatif_types as wt
from ui.brief_download import render_brief_download
from ui.filters import area_range_filter, filter_parcels
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
from ui.i18n import category_label, t
from ui.map_data import map_sources
from ui.map_select import read_selection, select_options
from ui.mapview import build_base_map, parcel_group
from ui.publish_history import render_history
from ui.whatif_edits import EditStack, make_edit, read_whatif
from ui.whatif_view import compare_table, conflict_table, kpi_tiles, show_tiles, show_timelines

__all__ = ["render", "CURRENT"]

#: The compare picker's choice of the what-if being edited (not saved).
CURRENT = "current"
_MAP = "whatif.map"
_YEAR = "whatif.year_slider"
_MODE, _TYPE, _USE, _FAR, _FROM = "whatif.mode", "whatif.type", "whatif.use", "whatif.far", "whatif.from_year"
_SET_FAR = "whatif.set_far"
_SET_LEASE, _LEASE = "whatif.set_lease", "whatif.lease_years"
_NAME = "whatif.name"
_COMPARE = "whatif.compare"
_TYPES_TEXT = "whatif.types_text"
#: The edits changed in the editor (a fragment): the comparison of the current what-if is behind.
_STALE = "whatif.compare_stale"
_KEPT = "whatif.kept_on_new_base"  # unsaved edits carried over to a new base (said once)


@dataclass(frozen=True)
class _Context:
    """What every part of the page works on: the dataset, as-of date, profile, base and library."""

    dataset_id: str
    stamp: float
    as_of: str
    profile: str
    base_key: tuple[Any, ...]
    base_file: str  # the name a saved what-if's ``base:`` gives
    types_text: str | None

    def key(self, edits: Any) -> tuple[Any, ...]:
        return wd.whatif_key(self.base_key, edits, self.types_text)


def _stack() -> EditStack:
    found = st.session_state.get(state.WHATIF_STACK)
    return found if isinstance(found, EditStack) else EditStack()


def _selection() -> dict[str, Any]:
    found = st.session_state.get(state.WHATIF_SELECTION)
    return found if isinstance(found, dict) else {"ids": [], "within": None}


def _set_selection(ids: list[str], within: dict[str, Any] | None) -> None:
    """The page sets the selection (a shape, the filter): the map takes it under a new nonce."""
    st.session_state[state.WHATIF_SELECTION] = {"ids": ids, "within": within}
    st.session_state[state.WHATIF_SELECTION_SET] = (ids, secrets.token_hex(6))


def _choice_label(choice: str, lang: str) -> str:
    name = scenarios.saved_name(choice)
    return t("ap.saved", lang, name=name) if name is not None else t(f"ap.{choice}", lang)


def _open_base() -> None:
    """A new base: its own edits (a saved what-if) are where the stack starts, the edits made here
    follow on top of them; the version is kept."""
    choice = str(st.session_state.get(state.WHATIF_BASE, "on_schedule"))
    name = scenarios.saved_name(choice)
    found = records.scenario_text(office.store(), name) if name is not None else None
    base_edits: tuple[dict[str, Any], ...] = ()
    if found is not None:
        try:
            _, base_edits = read_whatif(found[0])
        except PlanningError as err:
            st.session_state[state.WHATIF_ERROR] = err
        st.session_state[_NAME] = name
    st.session_state[state.WHATIF_OPENED] = (name, found[1]) if found is not None else None
    # the edits made here and not saved stay, on the new base (Revert to base drops them)
    was = _stack()
    st.session_state[state.WHATIF_STACK] = EditStack(base=base_edits, done=was.done, undone=was.undone)
    st.session_state[_KEPT] = len(was.done)


def _base_picker(saved: list[str], lang: str) -> tuple[tuple[Any, ...], str]:
    options = [*scenarios.BUILTINS, *(f"{scenarios.SAVED_PREFIX}{n}" for n in saved)]
    if st.session_state.get(state.WHATIF_BASE) not in options:
        st.session_state[state.WHATIF_BASE] = "on_schedule"
        _open_base()
    choice = keep_choice(state.WHATIF_BASE, st.selectbox(
        t("wi.base", lang), options, format_func=lambda c: _choice_label(c, lang),
        **localized(state.WHATIF_BASE, lang, on_change=_open_base)))
    key = scenarios.scenario_key(choice)
    name = scenarios.saved_name(choice)
    base_file = choice
    if name is not None and len(key) > 2:
        own_base, _ = read_whatif(str(key[2]))
        base_file = own_base or name  # a saved what-if takes its own base's timeline
    return key, base_file


def _on_map(ctx: _Context) -> None:
    """A selection change sent by the map (before the editor reruns): clicked ids as they are, a drawn
    shape's parcels found here (representative point inside)."""
    value = st.session_state.get(_MAP) or {}
    change = read_selection(value.get("last_active_drawing") if isinstance(value, dict) else None)
    if change is None or change["seq"] == st.session_state.get(state.WHATIF_SEQ):
        return
    st.session_state[state.WHATIF_SEQ] = change["seq"]
    if change["kind"] == "ids":
        st.session_state[state.WHATIF_SELECTION] = {"ids": change["ids"], "within": None}
        return
    shape = shapely.geometry.shape(change["geometry"])
    if current_basemap() == "amap":  # drawn over GCJ-02 tiles: back to WGS84
        shape = geometry_gcj02_to_wgs84(np.asarray([shape], dtype=object))[0]
    frame = data.analysed_parcels(ctx.dataset_id, ctx.stamp, ctx.as_of, ctx.profile)
    labels = select_parcels(frame, Edit(within=shape))
    _set_selection(frame.loc[labels, "parcel_id"].astype(str).tolist(), json.loads(shapely.to_geojson(shape)))


def _take_filter(ctx: _Context) -> None:
    """The Parcels page's filter in force (zones, uses, expiry, classes, area, search) as the selection."""
    ss = st.session_state
    frame = data.analysed_parcels(ctx.dataset_id, ctx.stamp, ctx.as_of, ctx.profile)
    found = filter_parcels(frame, zones=ss.get(state.FILTER_ZONES), uses=ss.get(state.FILTER_USES),
                           expiry=ss.get(state.FILTER_EXPIRY), classes=ss.get(state.FILTER_CLASSES),
                           area_mu=area_range_filter(frame, ss.get(state.FILTER_AREA)),
                           text=str(ss.get(state.FILTER_TEXT) or ""))
    _set_selection(found["parcel_id"].astype(str).tolist(), None)
    ss[state.WHATIF_ERROR] = None


def _apply(ctx: _Context, year: int) -> None:
    """Apply the controls to the selection: one edit more, checked before it is kept."""
    ss = st.session_state
    sel = _selection()
    by_type = ss.get(_MODE, "type") == "type"
    try:
        edit = make_edit(ids=sel["ids"], within=sel["within"],
                         development_type=ss.get(_TYPE) if by_type else None,
                         land_use=None if by_type else ss.get(_USE),
                         far=float(ss.get(_FAR) or 2.0) if ss.get(_SET_FAR) else None,
                         lease_years=int(ss.get(_LEASE) or 20) if ss.get(_SET_LEASE) else None,
                         from_year=int(ss.get(_FROM) or year))
        stack = _stack().apply(edit)
        sd.scenario_of(ctx.key(stack.edits))  # refused here (a bilingual message) rather than later
    except PlanningError as err:
        ss[state.WHATIF_ERROR] = err
        return
    ss[state.WHATIF_STACK] = stack
    ss[state.WHATIF_ERROR] = None
    ss[_STALE] = True


def _step(how: str) -> None:
    stack = _stack()
    st.session_state[state.WHATIF_STACK] = {"undo": stack.undo, "redo": stack.redo, "revert": stack.revert}[how]()
    st.session_state[state.WHATIF_ERROR] = None
    st.session_state[_STALE] = True


def _map(frame: gpd.GeoDataFrame, ctx: _Context, key: tuple[Any, ...], year: int, lang: str) -> None:
    basemap = current_basemap()
    base = build_base_map(lang=lang, basemap=basemap, zones=data.reference_layer("zones"),
                          district=data.reference_layer("district"), context=data.reference_layer("context"),
                          fit=frame, base_path=base_path())
    sources = map_sources(frame, ctx.dataset_id, lang, context=(key, year))
    ids, nonce = st.session_state.get(state.WHATIF_SELECTION_SET) or ([], "start")
    select = select_options(ids, nonce=nonce, labels={k: t(f"wi.tool.{k}", lang)
                                                      for k in ("polygon", "rectangle", "clear")})
    group, legend = parcel_group(frame, theme="land_use", lang=lang, basemap=basemap, detail=sources.detail,
                                 tiles=sources.tiles, view_key=view_key("whatif"), select=select)
    show_map(base, key=_MAP, height=MAP_HEIGHT, feature_group=group, returned_objects=["last_active_drawing"],
             layer_control=folium.LayerControl(collapsed=True, position="topright"), on_change=lambda: _on_map(ctx))
    show_legend(legend, title=t("theme.land_use", lang))


def _controls(ctx: _Context, types: Any, horizon: tuple[int, int], year: int, lang: str) -> None:
    sel = _selection()
    n = len(sel["ids"])
    st.markdown(f"**{t('wi.select_header', lang)}**")
    st.caption(t("wi.selected_shape" if sel["within"] else "wi.selected", lang, n=f"{n:,}"))
    st.button(t("wi.use_filter", lang), key="whatif_use_filter", on_click=_take_filter, args=(ctx,))
    mode = keep_choice(_MODE, st.radio(t("wi.change", lang), ("type", "use"), horizontal=True,
                                       format_func=lambda m: t("wi.by_type" if m == "type" else "wi.by_use", lang),
                                       **localized(_MODE, lang)))
    if mode == "type":
        codes = list(types)
        keep_choice(_TYPE, st.selectbox(
            t("wi.type", lang), codes, format_func=lambda c: types[c].name_en if lang == "en" else types[c].name_zh,
            **localized(_TYPE, lang)))
    else:
        keep_choice(_USE, st.selectbox(t("wi.use", lang), LAND_USES,
                                       format_func=lambda u: category_label("land_use", u, lang),
                                       **localized(_USE, lang)))
    # a FAR of its own: for a use, or over the type's
    if st.checkbox(t("wi.set_far" if mode == "use" else "wi.own_far", lang), key=_SET_FAR):
        st.number_input(t("wi.far", lang), min_value=0.1, max_value=20.0, value=2.0, step=0.1, key=_FAR)
    if st.checkbox(t("wi.set_lease", lang), key=_SET_LEASE, help=t("wi.lease_help", lang)):
        st.number_input(t("wi.lease_years", lang), min_value=1, max_value=70, value=20, step=1, key=_LEASE)
    lo, hi = horizon
    if not lo <= int(st.session_state.get(_FROM) or year) <= hi:
        st.session_state.pop(_FROM, None)
    st.number_input(t("wi.from_year", lang), min_value=lo, max_value=hi, value=year, step=1, key=_FROM)
    st.button(t("wi.apply", lang), key="whatif_apply", type="primary", on_click=_apply, args=(ctx, year),
              disabled=n == 0)
    stack = _stack()
    c1, c2, c3 = st.columns(3)
    c1.button(t("wi.undo", lang), key="whatif_undo", on_click=_step, args=("undo",), disabled=not stack.can_undo)
    c2.button(t("wi.redo", lang), key="whatif_redo", on_click=_step, args=("redo",), disabled=not stack.can_redo)
    c3.button(t("wi.revert", lang), key="whatif_revert", on_click=_step, args=("revert",),
              disabled=not stack.can_undo and not stack.can_redo)
    st.caption(t("wi.edits", lang, n=len(stack.edits)))
    kept = int(st.session_state.pop(_KEPT, 0) or 0)
    if kept:
        st.info(t("wi.kept_edits", lang, n=kept))


@st.fragment
def _editor(ctx: _Context, horizon: tuple[int, int], lang: str) -> None:
    """The map, the controls and the KPI tiles of the year, rerun alone on a selection or an edit."""
    with guard():
        error = st.session_state.get(state.WHATIF_ERROR)
        types = wt.development_types(ctx.types_text)
        lo, hi = horizon
        if not lo <= int(st.session_state.get(state.SCENARIO_YEAR) or 0) <= hi:
            st.session_state[state.SCENARIO_YEAR] = min(max(int(ctx.as_of[:4]), lo), hi)
        year = keep_choice(state.SCENARIO_YEAR, st.slider(
            t("wi.year", lang), lo, hi, value=int(st.session_state[state.SCENARIO_YEAR]), key=_YEAR))
        stack = _stack()
        key = ctx.key(stack.edits)
        frame = sd.year_frame(ctx.dataset_id, ctx.stamp, ctx.as_of, ctx.profile, key, year)
        left, right = st.columns([5, 2])
        with left:
            _map(frame, ctx, key, year, lang)
            conflicts = conflict_table(frame, lang, type_names={c: types[c].name_en if lang == "en" else types[c].name_zh
                                                                for c in types})
            if len(conflicts):
                with st.expander(t("wi.conflicts", lang, n=f"{len(conflicts):,}")):
                    st.caption(t("wi.conflicts_note", lang))
                    st.dataframe(conflicts, hide_index=True, width="stretch", height=240)
        with right:
            if isinstance(error, PlanningError):
                show_error(error)
            _controls(ctx, types, horizon, year, lang)
            k = wd.year_kpis(ctx.dataset_id, ctx.stamp, ctx.as_of, ctx.profile, key, year)
            base = wd.year_kpis(ctx.dataset_id, ctx.stamp, ctx.as_of, ctx.profile, ctx.key(stack.base), year)
            st.markdown(f"**{t('wi.kpis', lang, year=year)}**")
            st.caption(t("wi.vs_base", lang))
            target = (k.get("output_target_2025_yi", 200.0), k.get("output_vs_target_pct", 0.0))
            show_tiles(kpi_tiles(k, base, lang), target=target, lang=lang, edited_conflicts=k.get("edited_conflicts"))
            # the briefing of what is on screen: this what-if in this year, compared with its base
            render_brief_download(dataset_id=ctx.dataset_id, stamp=ctx.stamp, as_of=dt.date.fromisoformat(ctx.as_of),
                                  profile=ctx.profile, keys=(key, ctx.key(stack.base)), year=year, lang=lang,
                                  key="wi_brief")
    remember_state()  # a year move reruns only this fragment
    if st.session_state.pop(_STALE, False) and CURRENT in (st.session_state.get(_COMPARE) or []):
        st.rerun()  # the comparison below shows the current what-if too: the whole page, once the tiles are up


def _save(ctx: _Context, lang: str) -> None:
    """Save the what-if as a named scenario: a new one, or a new version of the one opened."""
    st.subheader(t("wi.save_header", lang))
    stack = _stack()
    c1, c2 = st.columns([3, 1])
    opened = st.session_state.get(state.WHATIF_OPENED)
    if opened:
        st.caption(t("wi.opened", lang, name=opened[0], version=opened[1]))
    name = c1.text_input(t("wi.name", lang), key=_NAME, placeholder=t("ap.new_name_hint", lang))
    c2.markdown("&nbsp;")
    if c2.button(t("wi.save", lang), key="whatif_save", type="primary"):
        try:
            clean = records.check_scenario_name(name)
            text = _saved_text(clean, ctx, stack)
            # the whole file checked as a scenario (under the library in force) before it is kept
            scenarios.parse_text(text, name=clean, types=wt.development_types(ctx.types_text))
            version = records.save_scenario(office.store(), clean, text, actor=office.require("save_scenario"),
                                            base_version=opened[1] if opened and opened[0] == clean else None)
        except PlanningError as err:
            show_error(err)
        else:
            st.session_state[state.WHATIF_OPENED] = (clean, version)
            st.success(t("wi.saved_ok", lang, name=clean, version=version))
    with st.expander(t("wi.yaml", lang)):
        st.code(_saved_text(str(name or "whatif").strip() or "whatif", ctx, stack), language="yaml")


def _saved_text(name: str, ctx: _Context, stack: EditStack) -> str:
    """The file a save writes (:func:`analysis.whatif.edits.whatif_yaml`): ``name``, ``base``, ``edits``;
    a relocation-only scenario saved under its own name keeps its own keys (a ``base:`` naming itself
    would be circular)."""
    edits = sd.scenario_of(ctx.key(stack.edits)).edits
    base = scenarios.saved_name(ctx.base_file) or ctx.base_file
    if base == name and len(ctx.base_key) > 2:
        own = yaml.safe_load(str(ctx.base_key[2])) or {}
        return whatif_yaml(name, None, edits, **{k: v for k, v in own.items() if k not in ("name", "edits")})
    return whatif_yaml(name, base, edits)


def _types_editor(lang: str) -> None:
    """The development-type library as YAML: checked, then published for the district (audited)."""
    from analysis.whatif.types import development_types_yaml

    with st.expander(t("wi.types_header", lang)):
        st.caption(t("wi.types_help", lang))
        if _TYPES_TEXT not in st.session_state:
            st.session_state[_TYPES_TEXT] = wt.library_text() or development_types_yaml(wt.development_types(None))
        text = st.text_area(t("wi.types_header", lang), key=_TYPES_TEXT, height=320, label_visibility="collapsed")
        c1, c2 = st.columns(2)
        check, publish = c1.button(t("wi.types_check", lang), key="whatif_types_check"), \
            c2.button(t("wi.types_publish", lang), key="whatif_types_publish")
        if check or publish:
            try:
                parsed = wt.parse_library(text)
                if publish:
                    records.publish_development_types(office.store(), text, actor=office.require("publish"))
            except PlanningError as err:
                show_error(err)
            else:
                st.success(t("wi.types_published" if publish else "wi.types_valid", lang, n=len(parsed)))
    render_history(records.DEVELOPMENT_TYPES, lang, describe=wt.describe_published, restore=_restore_types,
                   widget_key="whatif_types_history")


def _restore_types(value: object, who: Actor) -> None:
    wt.restore_published(value, who)
    st.session_state.pop(_TYPES_TEXT, None)  # the editor shows the library restored


def _compare(ctx: _Context, saved: list[str], lang: str) -> None:
    """Up to three scenarios side by side: their KPIs in the year, the timelines, small maps."""
    st.subheader(t("wi.compare_header", lang))
    options = [CURRENT, *scenarios.BUILTINS, *(f"{scenarios.SAVED_PREFIX}{n}" for n in saved)]
    chosen = [c for c in (st.session_state.get(_COMPARE) or [CURRENT, *scenarios.BUILTINS]) if c in options]
    st.session_state[_COMPARE] = chosen
    picked = keep_choice(_COMPARE, st.multiselect(
        t("wi.compare_pick", lang), options, max_selections=3,
        format_func=lambda c: t("wi.current", lang) if c == CURRENT else _choice_label(c, lang),
        **localized(_COMPARE, lang)))
    if len(picked) < 2:
        st.caption(t("wi.compare_few", lang))
        return
    keys = [ctx.key(_stack().edits) if c == CURRENT else scenarios.scenario_key(c) for c in picked]
    names = [t("wi.current", lang) if c == CURRENT else _choice_label(c, lang) for c in picked]
    found = [sd.scenario_of(k) for k in keys]
    keep = [i for i, s in enumerate(found) if not any(s == found[j] for j in range(i))]
    if len(keep) < len(keys):  # e.g. the current what-if without edits and its base: one scenario twice
        st.warning(f"{t('wi.compare_same', 'zh')}\n\n{t('wi.compare_same', 'en')}")
        keys, names = [keys[i] for i in keep], [names[i] for i in keep]
        if len(keys) < 2:
            return
    lo, hi = sd.scenario_of(keys[0]).horizon
    year = min(max(int(st.session_state.get(state.SCENARIO_YEAR) or lo), lo), hi)
    kpis = [wd.year_kpis(ctx.dataset_id, ctx.stamp, ctx.as_of, ctx.profile, k, year) for k in keys]
    st.markdown(f"**{t('wi.kpis', lang, year=year)}**")
    st.table(compare_table(kpis, names, lang).set_index(t("wi.compare_kpi", lang)))
    show_timelines([wd.kpi_timeline(ctx.dataset_id, ctx.stamp, ctx.as_of, ctx.profile, k) for k in keys], names,
                   lang)
    st.markdown(f"**{t('wi.compare_maps', lang, year=year)}**")
    basemap = current_basemap()
    for i, (col, k, name) in enumerate(zip(st.columns(len(keys)), keys, names, strict=True)):
        frame = sd.year_frame(ctx.dataset_id, ctx.stamp, ctx.as_of, ctx.profile, k, year)
        base = build_base_map(lang=lang, basemap=basemap, zones=data.reference_layer("zones"),
                              district=data.reference_layer("district"), fit=frame, base_path=base_path())
        group, _ = parcel_group(frame, theme="land_use", lang=lang, basemap=basemap,
                                view_key=view_key(f"whatif_compare_{i}"))
        with col:
            st.caption(name)
            show_map(base, key=f"whatif_compare_map_{i}_{basemap}", height=320, feature_group=group)


def render() -> None:
    """Draw the page."""
    lang = current_lang()
    st.title(t("page.whatif", lang))
    with guard():
        if not office.can("save_scenario"):
            st.info(f"{t('wi.not_editor', 'zh')}\n\n{t('wi.not_editor', 'en')}")
            return
        office.require("save_scenario")
        as_of = current_as_of()
        profile = data.profile_json(current_profile())
        dataset_id = data.current_dataset()
        stamp = data.dataset_stamp(dataset_id)
        data_notice(dataset_id, lang)
        saved = records.list_scenarios(office.store())
        with st.sidebar:
            base_key, base_file = _base_picker(saved, lang)
        st.caption(t("wi.select_help", lang))
        ctx = _Context(dataset_id, stamp, as_of.isoformat(), profile, base_key, base_file, wt.library_text())
        _editor(ctx, sd.scenario_of(base_key).horizon, lang)
        _save(ctx, lang)
        _types_editor(lang)
        _compare(ctx, saved, lang)


if __name__ == "__main__":
    render()
