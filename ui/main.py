"""The app's page router and shared frame, run by Streamlit for every browser session
(``app.py`` is the entry point)."""

from __future__ import annotations

import streamlit as st

from core.errors import PlanningError
from ui import assets, data, office
from ui.frame import current_lang, init_state, name_dataset_in_use, remember_state, show_error, sidebar
from ui.i18n import t

__all__ = ["run"]

#: Pages after the Overview: (file and URL name, icon).
_PAGES = (("parcels", "grid_view"), ("expiry", "hourglass_bottom"), ("efficiency", "bar_chart"),
          ("airport", "flight"), ("data", "folder_open"))


@st.cache_resource(show_spinner=False)
def _vendor_assets() -> int:
    """Copy Leaflet into static/vendor once per server process."""
    return len(assets.ensure_vendor_assets())


def run() -> None:
    """One run of the app for the browser session in context."""
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
    pages = [st.Page("ui/pages/overview.py", title=t("page.overview", lang), icon=":material/map:", default=True)]
    pages += [
        st.Page(f"ui/pages/{name}.py", title=t(f"page.{name}", lang), icon=f":material/{icon}:", url_path=name)
        for name, icon in _PAGES
    ]
    if office.can("save_scenario"):  # editors (the page checks the role again, and so does every save)
        pages.append(st.Page("ui/pages/whatif.py", title=t("page.whatif", lang), icon=":material/edit_location_alt:",
                             url_path="whatif"))
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
