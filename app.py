"""Streamlit entry point: page router and shared frame.

Run with ``.venv/bin/streamlit run app.py``.  Pages live in ``ui/pages/``; all labels
come from ``ui/i18n.py``; Leaflet is served locally from ``static/vendor/``.
"""

from __future__ import annotations

import logging

import streamlit as st

from core.errors import PlanningError
from ui import assets, data, office
from ui.frame import current_lang, init_state, name_dataset_in_use, remember_state, show_error, sidebar
from ui.i18n import t

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


@st.cache_resource(show_spinner=False)
def _vendor_assets() -> int:
    """Copy Leaflet into static/vendor once per server process."""
    return len(assets.ensure_vendor_assets())


init_state()
lang = current_lang()
st.set_page_config(page_title=t("app.tab_title", lang), page_icon="🗺️", layout="wide")

try:
    _vendor_assets()
except PlanningError as err:
    show_error(err)
startup_error = data.startup_layer()  # HULI_PARCELS: the district's default dataset
if startup_error is not None:
    show_error(startup_error)

pages = [
    st.Page("ui/pages/overview.py", title=t("page.overview", lang), icon=":material/map:", default=True),
    st.Page("ui/pages/parcels.py", title=t("page.parcels", lang), icon=":material/grid_view:", url_path="parcels"),
    st.Page("ui/pages/expiry.py", title=t("page.expiry", lang), icon=":material/hourglass_bottom:", url_path="expiry"),
    st.Page("ui/pages/efficiency.py", title=t("page.efficiency", lang), icon=":material/bar_chart:", url_path="efficiency"),
    st.Page("ui/pages/airport.py", title=t("page.airport", lang), icon=":material/flight:", url_path="airport"),
    st.Page("ui/pages/data.py", title=t("page.data", lang), icon=":material/folder_open:", url_path="data"),
]
if office.can("manage_accounts") and not office.single_user():
    pages.append(st.Page("ui/pages/admin.py", title=t("admin.title", lang), icon=":material/admin_panel_settings:",
                         url_path="admin"))
navigation = st.navigation(pages)
st.sidebar.title(t("app.title", lang))
st.sidebar.caption(t("app.caption", lang))
sidebar()
if office.login_required():
    st.info(f"{t('office.login_required', 'zh')}\n\n{t('office.login_required', 'en')}")
else:
    navigation.run()
name_dataset_in_use()
remember_state()
office.flush_cookies()
