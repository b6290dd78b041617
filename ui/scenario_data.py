"""Cached access to the airport-relocation model for the Airport page.

Keys are cheap values: dataset id + stamp, as-of date, profile JSON, the control standard in use
(:func:`ui.data.standard_json`, read by the public functions at each call) and a scenario key
(:func:`ui.scenarios.scenario_key`: ``(builtin, relocation_year_or_None)`` or, for a
scenario saved in the workspace, ``("saved:<name>", None, yaml_text)``).  The model itself is
:mod:`analysis.scenario` / :mod:`analysis.scenario_io`.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import streamlit as st
import yaml

from analysis import compare
from analysis import scenario as sc
from analysis import scenario_io as sio
from analysis.whatif.edits import parse_edits
from core.raster import Raster
from ui import data
from ui.whatif_types import development_types

__all__ = [
    "ScenarioKey",
    "scenario_of",
    "airport_inputs",
    "height_grid",
    "status_quo_heights",
    "timeline",
    "year_frame",
    "year_frame_under",
    "year_layers",
    "comparison",
]

#: (built-in scenario name, custom relocation year or None[, saved scenario's YAML text, library text]),
#: or a what-if's key (:func:`ui.whatif_data.whatif_key`)
ScenarioKey = tuple[Any, ...]


@st.cache_data(show_spinner=False)
def scenario_of(key: ScenarioKey) -> sc.Scenario:
    """The scenario of ``key``: a built-in, a built-in with another relocation year (titled as a custom
    one, not as the built-in), a saved one, a what-if (:func:`ui.whatif_data.whatif_key`)."""
    from ui import scenarios

    base, year = key[0], key[1]
    if base == "whatif":  # a what-if: the base's timeline with the key's edits, checked against the library
        _, base_key, edits_text, types_text = key
        scenario = scenario_of(tuple(base_key))
        edits = parse_edits(yaml.safe_load(edits_text) or [], horizon=scenario.horizon,
                            types=development_types(types_text))
        return dataclasses.replace(scenario, edits=edits)
    name = scenarios.saved_name(base)
    if name is not None:
        return scenarios.parse_saved(str(key[2]), name, development_types(key[3] if len(key) > 3 else None))
    scenario = sc.load_scenario(base)
    return scenario if year is None else scenarios.custom_titled(scenario.with_relocation_year(year))


@st.cache_data(show_spinner=False)
def airport_inputs() -> sio.AirportInputs:
    """Runway, airport boundary, district and obstacle-surface parameters."""
    return sio.load_airport_inputs()


@st.cache_resource(show_spinner=False, max_entries=4)
def height_grid(dataset_id: str, stamp: float) -> Raster:
    """The permitted-height grid over the district and the dataset, shared by every session and
    read-only (its array cannot be written)."""
    frame = data.raw_parcels(dataset_id, stamp)
    grid, _ = sio.district_height_surface(airport_inputs(), parcels=frame)
    array = np.array(grid.array, copy=True)
    array.flags.writeable = False
    return Raster(array, grid.transform, grid.crs, nodata=grid.nodata, name=grid.name)


@st.cache_data(show_spinner=False, max_entries=4)
def status_quo_heights(dataset_id: str, stamp: float) -> pd.Series:
    """``height_limit_m`` of every parcel with the airport operating (NaN: no cap)."""
    from analysis.heights import parcel_height_limits

    inputs = airport_inputs()
    return parcel_height_limits(data.raw_parcels(dataset_id, stamp), runway=inputs.runway, params=inputs.params)


def timeline(dataset_id: str, stamp: float, as_of: str, profile: str, key: ScenarioKey) -> pd.DataFrame:
    """Year-by-year KPIs of a scenario on the analysed dataset (against the control standard in use)."""
    return _timeline(dataset_id, stamp, as_of, profile, data.standard_json(), key)


def year_frame(dataset_id: str, stamp: float, as_of: str, profile: str, key: ScenarioKey, year: int) -> gpd.GeoDataFrame:
    """Parcels with the scenario year's edits, advice, height limits and conflicts, overlaid on the frame
    analysed once (:func:`analysis.scenario.scenario_year_frame`: no re-analysis when the year changes),
    against the control standard in use."""
    return year_frame_under(dataset_id, stamp, as_of, profile, data.standard_json(), key, year)


def year_layers(dataset_id: str, stamp: float, as_of: str, profile: str, key: ScenarioKey, year: int) -> dict[str, Any]:
    """Released land, test roads, projects and the advice of a scenario year."""
    return _year_layers(dataset_id, stamp, as_of, profile, data.standard_json(), key, year)


def comparison(dataset_id: str, stamp: float, as_of: str, profile: str, a: ScenarioKey, b: ScenarioKey) -> pd.DataFrame:
    """Two scenario timelines side by side: year, kpi, A, B, difference, unit."""
    standard = data.standard_json()
    return _comparison(dataset_id, stamp, as_of, profile, standard, a, b)


# The cached functions take the control standard's text (:func:`ui.data.standard_json`) as a key: a
# table an editor publishes is used at the next rerun, and a result is never one of another table.

@st.cache_data(show_spinner=False, max_entries=16)
def _timeline(dataset_id: str, stamp: float, as_of: str, profile: str, standard: str, key: ScenarioKey) -> pd.DataFrame:
    frame = data.analysed_parcels(dataset_id, stamp, as_of, profile, standard)
    inputs = airport_inputs()
    return sc.scenario_timeline(
        scenario_of(key), parcels_analysed=frame, airport=inputs.airport, runway=inputs.runway,
        params=inputs.params, zones=data.zones_layer(), height_limits=status_quo_heights(dataset_id, stamp),
    )


@st.cache_data(show_spinner=False, max_entries=16)
def year_frame_under(dataset_id: str, stamp: float, as_of: str, profile: str, standard: str, key: ScenarioKey,
                     year: int) -> gpd.GeoDataFrame:
    """:func:`year_frame` against the control standard of ``standard`` (:func:`ui.data.standard_json` text)."""
    import json

    from analysis import efficiency

    inputs = airport_inputs()
    types_text = key[3] if len(key) > 3 else None  # the development-type library the key was made under
    out, _ = sc.scenario_year_frame(data.analysed_parcels(dataset_id, stamp, as_of, profile, standard),
                                    scenario_of(key), year,
                                    runway=inputs.runway, params=inputs.params, raster=height_grid(dataset_id, stamp),
                                    height_limits=status_quo_heights(dataset_id, stamp),
                                    types=development_types(types_text),
                                    profile=efficiency.profile_from_dict(json.loads(profile)) if profile else None,
                                    standard=data.standard_of(standard))
    return out


@st.cache_data(show_spinner=False, max_entries=16)
def _year_layers(dataset_id: str, stamp: float, as_of: str, profile: str, standard: str, key: ScenarioKey,
                 year: int) -> dict[str, Any]:
    inputs = airport_inputs()
    state = sc.scenario_year_state(
        scenario_of(key), year, parcels_analysed=year_frame_under(dataset_id, stamp, as_of, profile, standard, key, year),
        airport=inputs.airport, runway=inputs.runway, zones=data.zones_layer(),
    )
    return {"released": state.released, "test_roads": state.test_roads, "projects": state.projects,
            "advice_zh": state.advice.zh, "advice_en": state.advice.en,
            "height_limit_active": state.height_limit_active}


@st.cache_data(show_spinner=False, max_entries=16)
def _comparison(dataset_id: str, stamp: float, as_of: str, profile: str, standard: str, a: ScenarioKey,
                b: ScenarioKey) -> pd.DataFrame:
    return compare.compare_timelines(
        _timeline(dataset_id, stamp, as_of, profile, standard, a),
        _timeline(dataset_id, stamp, as_of, profile, standard, b),
        a_name="A", b_name="B",
    )
