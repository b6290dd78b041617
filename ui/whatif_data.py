"""Cached access to the what-ifs for the What-if page: a what-if's key (a base and edits), its KPIs in
a year and year by year.

A what-if's key (:func:`whatif_key`) is ``("whatif", base_key, edits_text, types_text)``: the base's
:func:`ui.scenarios.scenario_key`, the edits as text (:func:`ui.whatif_edits.edits_key`) and the
published library's text (None: the shipped one), so a changed edit or library never reuses a stale
result.  :func:`ui.scenario_data.scenario_of` accepts these keys too, so a what-if's year is the
same overlay on the frame analysed once as any scenario's (:func:`ui.scenario_data.year_frame`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from analysis.whatif.kpis import whatif_kpis
from ui import data
from ui.scenario_data import scenario_of, year_frame_under
from ui.whatif_edits import edits_key

__all__ = ["WHATIF", "whatif_key", "year_kpis", "kpi_timeline"]

#: First item of a what-if's key.
WHATIF = "whatif"


def whatif_key(base_key: tuple[Any, ...], edits: Sequence[Mapping[str, Any]], types_text: str | None) -> tuple[Any, ...]:
    """The cache key of a what-if: ``base_key`` with ``edits``, under the library ``types_text``."""
    return (WHATIF, tuple(base_key), edits_key(edits), types_text)


def year_kpis(dataset_id: str, stamp: float, as_of: str, profile: str, key: tuple[Any, ...],
              year: int) -> dict[str, float]:
    """The what-if KPIs of a scenario (a what-if or any other) in ``year``, against the control standard
    in use."""
    return _year_kpis(dataset_id, stamp, as_of, profile, data.standard_json(), key, year)


def kpi_timeline(dataset_id: str, stamp: float, as_of: str, profile: str, key: tuple[Any, ...]) -> pd.DataFrame:
    """The what-if KPIs of every year of a scenario's horizon: one row per year, one column per KPI."""
    return _kpi_timeline(dataset_id, stamp, as_of, profile, data.standard_json(), key)


@st.cache_data(show_spinner=False, max_entries=64)
def _year_kpis(dataset_id: str, stamp: float, as_of: str, profile: str, standard: str, key: tuple[Any, ...],
               year: int) -> dict[str, float]:
    return dict(whatif_kpis(year_frame_under(dataset_id, stamp, as_of, profile, standard, key, year)))


@st.cache_data(show_spinner=False, max_entries=16)
def _kpi_timeline(dataset_id: str, stamp: float, as_of: str, profile: str, standard: str,
                  key: tuple[Any, ...]) -> pd.DataFrame:
    lo, hi = scenario_of(key).horizon
    rows = {year: _year_kpis(dataset_id, stamp, as_of, profile, standard, key, year) for year in range(lo, hi + 1)}
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("year")
