"""The shared frame of every page: sidebar (written once), errors, notices, map widget."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import secrets
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import folium
import streamlit as st
from streamlit_folium import st_folium

from core.errors import PlanningError
from office.records import OWN_PROFILE, Actor
from ui import state, workspace
from ui.i18n import LANGS, t
from ui.map_theme import LegendItem, legend_html
from ui.mapview import BASEMAPS, available_basemaps

__all__ = [
    "current_lang",
    "current_basemap",
    "current_as_of",
    "current_profile",
    "set_own_profile",
    "PROFILE_SETTING",
    "name_dataset_in_use",
    "account_box",
    "init_state",
    "remember_state",
    "REMEMBERED",
    "sidebar",
    "show_error",
    "guarded_write",
    "guard",
    "data_notice",
    "show_map",
    "MAP_HEIGHT",
    "show_legend",
    "base_path",
    "view_key",
]

logger = logging.getLogger(__name__)

_LANG_NAMES = {"zh": "中文", "en": "English"}
#: Height of the pages' maps in CSS pixels (the map is the main thing of the page).
MAP_HEIGHT = 640


#: Each person's remembered choices, with their defaults (a refresh or a new session keeps them;
#: they are the person's own, in the office store, see :mod:`ui.office`).
REMEMBERED: dict[str, Any] = {
    state.LANG: "zh",
    state.BASEMAP: "offline",
    state.THEME: "land_use",
    state.SCENARIO_A: "on_schedule",
    f"{state.SCENARIO_A}_year": 2028,
    state.SCENARIO_B: None,  # no fixed default: the built-in that A is not (Airport page)
    f"{state.SCENARIO_B}_year": 2032,
    state.SCENARIO_YEAR: None,
    state.DATASET: None,  # None: the district's default dataset
    state.FILTER_ZONES: None,
    state.FILTER_USES: None,
    state.FILTER_EXPIRY: None,
    state.FILTER_CLASSES: None,
    state.FILTER_AREA: None,
    state.FILTER_TEXT: None,
}
_SEEN = "frame.remembered_as_loaded"
_PERSON = "frame.person"


def init_state() -> None:
    """Values of the shared widgets: this person's remembered ones, else defaults.

    Runs at the top of every script run; it only fills keys that are missing (a page's
    widget keys disappear while another page is shown).  After a login the person changes,
    and their own choices are loaded.
    """
    from ui import office

    who = office.person()
    if st.session_state.get(_PERSON) != who:
        switched = _PERSON in st.session_state  # a login or logout in this session: the other person's choices
        st.session_state[_PERSON] = who
        stored = office.load_settings()
        for key, default in REMEMBERED.items():
            if key in st.session_state and not switched:
                continue  # set before the first run (a link or a test harness)
            value = stored.get(key, default)
            if value is not None:
                st.session_state[key] = value
            else:
                st.session_state.pop(key, None)
        st.session_state.pop(state.PROFILE_OVERRIDES, None)  # the person's own profile, or the district's
        st.session_state[_SEEN] = {k: st.session_state.get(k) for k in REMEMBERED}
    seen = st.session_state.get(_SEEN) or {}
    for key, default in REMEMBERED.items():
        if key not in st.session_state:  # a widget's key goes while its page is not shown: bring it back
            value = seen.get(key, default)
            if value is not None:
                st.session_state[key] = value
    st.session_state.setdefault(state.AS_OF, dt.date.today())


def remember_state() -> None:
    """Keep the remembered choices that changed in this run as this person's settings."""
    from ui import office

    seen = dict(st.session_state.get(_SEEN) or {})
    changed = {k: st.session_state[k] for k in REMEMBERED
               if k in st.session_state and st.session_state[k] != seen.get(k)
               and _rememberable(st.session_state[k])}
    if changed:
        office.save_settings(changed)
        st.session_state[_SEEN] = {**seen, **changed}


def _rememberable(value: Any) -> bool:
    """A plain value or a list of plain values (a multiselect's choice)."""
    if isinstance(value, (str, int, float, bool)):
        return True
    return isinstance(value, list) and all(isinstance(v, (str, int, float, bool)) for v in value)


def localized(key: str, lang: str, *, on_change: Callable[[], None] | None = None) -> dict[str, Any]:
    """Keyword arguments for a selectbox, multiselect or radio whose option labels are translated.

    Streamlit keeps the *labels* of the chosen options in the browser, so after a language
    switch such a widget would go on showing the old language (a radio: no option chosen).  Each language gets its own
    widget key (``key.zh``, ``key.en``), which makes the browser build the widget afresh; the
    choice itself lives under ``key`` (where the rest of the app and the remembered UI state
    read it) and is handed to whichever widget is shown.  Call :func:`keep_choice` with the
    widget's value after it is drawn.  ``on_change`` runs after the hand-over.
    """
    scoped = f"{key}.{lang}"
    if key in st.session_state:
        st.session_state[scoped] = st.session_state[key]
    return {"key": scoped, "on_change": _hand_over, "args": (scoped, key, on_change)}


def _hand_over(scoped: str, key: str, then: Callable[[], None] | None) -> None:
    st.session_state[key] = st.session_state[scoped]
    if then is not None:
        then()


def keep_choice(key: str, value: Any) -> Any:
    """Store a localized widget's value under its language-free ``key``; returns the value."""
    st.session_state[key] = value
    return value


def current_lang() -> str:
    """The UI language ("zh" or "en")."""
    lang = st.session_state.get(state.LANG, "zh")
    return lang if lang in LANGS else "zh"


def current_basemap() -> str:
    """The chosen basemap (falls back to the offline one)."""
    b = st.session_state.get(state.BASEMAP, "offline")
    return b if b in available_basemaps() else "offline"


def current_as_of() -> dt.date:
    """The evaluation date."""
    value = st.session_state.get(state.AS_OF)
    return value if isinstance(value, dt.date) else dt.date.today()


def current_profile() -> dict[str, Any] | None:
    """The efficiency profile in use: the person's own edit, else the district's published one
    (None: the shipped default)."""
    if state.PROFILE_OVERRIDES not in st.session_state:
        from office import records
        from ui import office

        own = office.load_settings().get(PROFILE_SETTING)
        st.session_state[state.PROFILE_OVERRIDES] = own if isinstance(own, dict) \
            else records.district_profile(office.store())
    value = st.session_state.get(state.PROFILE_OVERRIDES)
    return value if isinstance(value, dict) else None


#: The person setting that holds an editor's own edited profile.
PROFILE_SETTING = OWN_PROFILE


def set_own_profile(profile: dict[str, Any] | None) -> None:
    """Use ``profile`` as this person's own (None: back to the district's); editors only, audited."""
    from office import records
    from ui import office

    records.save_own_profile(office.store(), office.person(), profile, actor=office.require("edit_profile"))
    st.session_state.pop(state.PROFILE_OVERRIDES, None)


def view_key(page: str) -> str:
    """Whose map view this is: ``page`` in this person's session (:mod:`ui.map_view_js`).

    The view is kept for the session (a basemap or language switch, a page change and back);
    a new session, a new tab or a reload, opens the maps fitted to their layers.
    """
    if state.MAP_VIEW_SESSION not in st.session_state:
        st.session_state[state.MAP_VIEW_SESSION] = secrets.token_hex(8)
    return f"{page}.{st.session_state[state.MAP_VIEW_SESSION]}"


def base_path() -> str:
    """Streamlit's ``server.baseUrlPath`` (for local asset links)."""
    return str(st.get_option("server.baseUrlPath") or "")


def sidebar() -> None:
    """The sidebar shared by all pages: language, basemap, as-of date, dataset."""
    lang = current_lang()
    with st.sidebar:
        st.radio(
            t("lang.label", lang),
            LANGS,
            format_func=lambda code: _LANG_NAMES[code],
            key=state.LANG,
            horizontal=True,
        )
        options = [b for b in BASEMAPS if b in available_basemaps()]
        if st.session_state.get(state.BASEMAP) not in options:
            st.session_state[state.BASEMAP] = "offline"
        keep_choice(state.BASEMAP, st.selectbox(
            t("basemap.label", lang), options, format_func=lambda b: t(f"basemap.{b}", lang),
            **localized(state.BASEMAP, lang),
        ))
        if st.session_state.get(state.BASEMAP) == "amap":
            st.caption(t("basemap.amap_note", lang))
        st.date_input(t("asof.label", lang), key=state.AS_OF)
        st.session_state[_DATASET_SLOT] = st.empty()  # filled after the page ran: an upload is named at once
        account_box(lang)


_DATASET_SLOT = "frame.dataset_slot"


def name_dataset_in_use() -> None:
    """Name the dataset in use in the sidebar, after the page ran (so an upload in this run shows)."""
    from ui import data

    slot = st.session_state.pop(_DATASET_SLOT, None)
    if slot is None:
        return
    lang = current_lang()
    ds = data.current_dataset()
    name = t("dataset.embedded", lang) if ds == workspace.EMBEDDED else workspace.dataset_name(ds)
    slot.caption(f"{t('dataset.label', lang)}{t('colon', lang)}{name}")


def account_box(lang: str) -> None:
    """The login form, or who is logged in and a log-out button, or the single-user note."""
    from office.accounts import LoginError
    from ui import office

    if office.single_user():
        st.caption(t("office.single_user", lang))
        return
    who = office.actor()
    if who.name is not None:
        st.caption(t("office.logged_in", lang, name=who.name, role=t(f"role.{who.role}", lang)))
        if st.button(t("office.logout", lang), key="office_logout"):
            office.log_out()
            st.rerun()
        return
    if office.sso_configured():
        st.button(t("office.sso", lang), key="office_sso", on_click=office.sso_login)
    with st.form("office_login", clear_on_submit=True, border=True):
        name = st.text_input(t("office.username", lang), key=state.LOGIN_NAME)
        password = st.text_input(t("office.password", lang), type="password", key=state.LOGIN_PASSWORD)
        submitted = st.form_submit_button(t("office.login", lang))
    if submitted:
        try:
            office.log_in(name, password)
        except LoginError as err:
            show_error(err)
        else:
            st.rerun()


def guarded_write(action: str) -> Actor | None:
    """The actor once the server allowed ``action`` (:func:`ui.office.require`); the refusal is shown
    (both languages) and None returned otherwise."""
    from ui import office

    try:
        return office.require(action)
    except PlanningError as err:
        show_error(err)
        return None


def show_error(err: PlanningError) -> None:
    """Show a product error in both languages (never a traceback)."""
    st.error(f"**{t('error.title', 'zh')} / {t('error.title', 'en')}**\n\n{err.message_zh}\n\n{err.message_en}")


@contextlib.contextmanager
def guard() -> Iterator[None]:
    """Run a block of page code; a :class:`PlanningError` is shown, not raised."""
    try:
        yield
    except PlanningError as err:
        logger.info("shown to the user: %s", err)
        show_error(err)


def data_notice(dataset_id: str, lang: str) -> None:
    """Say plainly which data are shown (the embedded ones are illustrative; data wholly outside the
    district are said to be, in both languages)."""
    if dataset_id == workspace.EMBEDDED:
        st.info(t("demo.notice", lang), icon="ℹ️")
    else:
        options = workspace.read_options(dataset_id)
        if options.get("embedded_base"):  # the embedded parcels with a table joined on
            st.info(t("demo.notice", lang), icon="ℹ️")
        st.caption(t("uploaded.notice", lang, name=workspace.dataset_name(dataset_id)))
        usable = int(options.get("n_usable_rows") or 0)
        if 0 < usable <= int(options.get("n_outside") or 0):  # chosen on purpose, or a HULI_PARCELS layer
            n = f"{usable:,}"
            st.warning(t("data.outside_in_use", "zh", n=n) + "\n\n" + t("data.outside_in_use", "en", n=n))


def show_map(
    fmap: folium.Map,
    *,
    key: str,
    height: int = 560,
    returned_objects: Sequence[str] = (),
    feature_group: folium.FeatureGroup | None = None,
    layer_control: folium.LayerControl | None = None,
    on_change: Callable[[], None] | None = None,
) -> dict[str, Any]:
    """Show a map with streamlit-folium; only ``returned_objects`` trigger a rerun (``on_change`` runs
    first, the map's value in ``st.session_state[key]``)."""
    result = st_folium(
        fmap,
        key=key,
        height=height,
        use_container_width=True,
        returned_objects=list(returned_objects),
        feature_group_to_add=feature_group,
        layer_control=layer_control,
        on_change=on_change,
    )
    return result or {}


def show_legend(items: Sequence[LegendItem], *, title: str) -> None:
    """Legend of the active theme, as escaped HTML."""
    st.markdown(legend_html(items, title=title), unsafe_allow_html=True)
