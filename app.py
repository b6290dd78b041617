"""Entry point: ``.venv/bin/streamlit run app.py``.

Streamlit serves the app through ``app`` below: its own routes plus the map's service
(:mod:`ui.map_service`: parcel details and vector tiles for the maps, from the app's server
itself) and the route that sets the app's cookies ``HttpOnly`` (:mod:`ui.session_cookies`).  For every browser session Streamlit runs this file as the app's script, which hands
over to the page router (:func:`ui.main.run`).  Pages live in ``ui/pages/``; all labels come
from ``ui/i18n.py``; Leaflet is served locally from ``static/vendor/``.
"""

from __future__ import annotations

import logging

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from ui import map_service, session_cookies

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
_BASE = str(st.get_option("server.baseUrlPath") or "")
app = st.App(__file__, routes=[*map_service.routes(_BASE), *session_cookies.routes(_BASE)])

if get_script_run_ctx(suppress_warning=True) is not None:  # a browser session's run (not the server importing its app)
    from ui.main import run

    run()
