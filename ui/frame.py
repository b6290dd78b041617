"""The shared frame of every page: sidebar (written once), errors, notices, map widget."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import folium
import streamlit as st
from streamlit_folium import st_folium

from core.errors import PlanningError
from ui import state, workspace
from ui.i18n import LANGS, t
from ui.map_theme import LegendItem, legend_html
from ui.mapview import BASEMAPS, available_basemaps

__all__ = [
    "current_lang",
    "current_basemap",
    "current_as_of",
    "current_profile",
    "init_state",
    "remember_state",
    "REMEMBERED",
    "sidebar",
    "show_error",
    "guard",
    "data_notice",
    "show_map",
    "show_legend",
    "base_path",
]

logger = logging.getLogger(__name__)

_LANG_NAMES = {"zh": "中文", "en": "English"}


#: Choices remembered in the workspace, with their defaults (a refresh or restart keeps them).
REMEMBERED: dict[str, Any] = {
    state.LANG: "zh",
    state.BASEMAP: "offline",
    state.THEME: "land_use",
    state.SCENARIO_A: "on_schedule",
    f"{state.SCENARIO_A}_year": 2028,
    state.SCENARIO_B: None,  # no fixed default: the built-in that A is not (Airport page)
    f"{state.SCENARIO_B}_year": 2032,
    state.SCENARIO_YEAR: None,
}


def init_state() -> None:
    """Values of the shared widgets: remembered ones from the workspace, else defaults.

    Runs at the top of every script run; it only fills keys that are missing (a page's
    widget keys disappear while another page is shown).
    """
    stored = workspace.load_ui_state()
    for key, default in REMEMBERED.items():
        if key not in st.session_state:
            value = stored.get(key, default)
            if value is not None:
                st.session_state[key] = value
    st.session_state.setdefault(state.AS_OF, dt.date.today())


def remember_state() -> None:
    """Write the remembered choices that changed in this run to the workspace."""
    stored = workspace.load_ui_state()
    current = {k: st.session_state[k] for k in REMEMBERED if k in st.session_state}
    merged = {**stored, **{k: v for k, v in current.items() if isinstance(v, (str, int, float, bool))}}
    if merged != stored:
        workspace.save_ui_state(merged)


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
    """The edited efficiency profile (kept in the workspace; None: the shipped default)."""
    if state.PROFILE_OVERRIDES not in st.session_state:
        st.session_state[state.PROFILE_OVERRIDES] = workspace.load_profile()
    value = st.session_state.get(state.PROFILE_OVERRIDES)
    return value if isinstance(value, dict) else None


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
        ds = workspace.active_dataset()
        if ds == workspace.EMBEDDED:
            st.caption(f"{t('dataset.label', lang)}{t('colon', lang)}{t('dataset.embedded', lang)}")
        else:
            st.caption(f"{t('dataset.label', lang)}{t('colon', lang)}{workspace.dataset_name(ds)}")


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
    """Say plainly which data are shown (the embedded ones are illustrative)."""
    if dataset_id == workspace.EMBEDDED:
        st.info(t("demo.notice", lang), icon="ℹ️")
    else:
        if workspace.read_options(dataset_id).get("embedded_base"):  # the embedded parcels with a table joined on
            st.info(t("demo.notice", lang), icon="ℹ️")
        st.caption(t("uploaded.notice", lang, name=workspace.dataset_name(dataset_id)))


def show_map(
    fmap: folium.Map,
    *,
    key: str,
    height: int = 560,
    returned_objects: Sequence[str] = (),
    feature_group: folium.FeatureGroup | None = None,
    layer_control: folium.LayerControl | None = None,
) -> dict[str, Any]:
    """Show a map with streamlit-folium; only ``returned_objects`` trigger a rerun."""
    result = st_folium(
        fmap,
        key=key,
        height=height,
        use_container_width=True,
        returned_objects=list(returned_objects),
        feature_group_to_add=feature_group,
        layer_control=layer_control,
    )
    return result or {}


def show_legend(items: Sequence[LegendItem], *, title: str) -> None:
    """Legend of the active theme, as escaped HTML."""
    st.markdown(legend_html(items, title=title), unsafe_allow_html=True)
