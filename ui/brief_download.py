"""The decision briefing's download button: the PDF of what a page shows, made when clicked.

:func:`render_brief_download` is called by the Airport page (and by any page that shows scenarios,
such as the What-if page); it builds the same document as ``python -m analysis brief`` for the
page's dataset, as-of date, profile, scenarios, year and language (:func:`analysis.brief.build_brief`).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Sequence

import streamlit as st

from analysis import efficiency
from analysis.brief import BriefRequest, build_brief
from analysis.brief.fonts import font_files
from core.errors import PlanningError
from ui import data, workspace
from ui.i18n import t
from ui.scenario_data import ScenarioKey, scenario_of

__all__ = ["brief_file_name", "brief_pdf", "render_brief_download"]

log = logging.getLogger(__name__)


def brief_file_name(scenario_name: str, year: int, lang: str) -> str:
    """The download's file name, e.g. ``briefing_on_schedule_2030_zh.pdf``."""
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in scenario_name) or "scenario"
    return f"briefing_{safe}_{year}_{lang}.pdf"


def brief_pdf(dataset_id: str, stamp: float, as_of: dt.date, profile: str, keys: Sequence[ScenarioKey], year: int,
              lang: str) -> bytes:
    """The briefing PDF of a dataset (its analysed frame, shared), as-of date, profile, scenarios and year."""
    standard = data.standard_json()  # read once: the frame and the edited parcels' checks use the same table
    parcels = data.analysed_parcels(dataset_id, stamp, as_of.isoformat(), profile, standard)
    unique = list(dict.fromkeys(keys))
    scenarios = tuple(scenario_of(k) for k in unique)
    embedded = dataset_id == workspace.EMBEDDED or bool(workspace.read_options(dataset_id).get("embedded_base"))
    request = BriefRequest(parcels=parcels, zones=data.zones_layer(), as_of=as_of, scenarios=scenarios, year=year,
                           lang=lang, parcels_source=None if embedded else workspace.dataset_name(dataset_id),
                           profile_source=t("brief.profile_edited", lang) if profile else None,
                           profile=efficiency.profile_from_dict(json.loads(profile)) if profile else None,
                           standard=data.standard_of(standard))
    return build_brief(request)


def render_brief_download(*, dataset_id: str, stamp: float, as_of: dt.date, profile: str,
                          keys: Sequence[ScenarioKey], year: int, lang: str, key: str) -> None:
    """A download button of the briefing (the first scenario of ``keys``, compared with the others).

    The PDF is made only when the button is clicked (``data`` is a callable), never on a rerun.

    Parameters
    ----------
    dataset_id, stamp
        The dataset shown and its change stamp.
    as_of, profile
        The as-of date and the efficiency profile JSON of the page.
    keys
        The page's scenario keys (:data:`ui.scenario_data.ScenarioKey`), the shown one first; up to
        three, duplicates dropped.
    year, lang
        The year and the language on screen.
    key
        Widget key.
    """
    try:
        font_files()
    except PlanningError as err:
        log.warning("briefing not offered: %s", err)
        st.caption(t("brief.no_fonts", lang))
        return
    first = scenario_of(keys[0])
    st.download_button(
        t("brief.download", lang),
        data=lambda: brief_pdf(dataset_id, stamp, as_of, profile, list(keys)[:3], year, lang),
        file_name=brief_file_name(first.name, year, lang), mime="application/pdf", on_click="ignore", key=key,
        help=t("brief.help", lang), icon=":material/picture_as_pdf:",
    )
