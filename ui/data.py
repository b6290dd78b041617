"""Cached data access for the pages: load and analyse once, never re-read on a rerun.

Every function here is a thin cache wrapper keyed on cheap, hashable
inputs: the dataset id, a stamp that changes when the stored file changes, and the
analysis parameters as plain values (ISO date, the profile and the control standard as
JSON text).  The
analysis itself lives in ``analysis/``, ``zones/`` and ``parcels/``.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

import geopandas as gpd
import pandas as pd
import streamlit as st
import yaml
from pyogrio.errors import DataLayerError

import geodata
from analysis import control_standard, efficiency, pipeline
from core.errors import PlanningError
from ui import state, workspace

__all__ = [
    "reference_layer",
    "zones_layer",
    "dataset_stamp",
    "raw_parcels",
    "analysed_parcels",
    "current_dataset",
    "startup_layer",
    "set_current_dataset",
    "usable_dataset",
    "datasets",
    "current_frame",
    "summary",
    "default_profile_dict",
    "profile_json",
    "standard_json",
    "standard_in_use",
    "standard_of",
]

logger = logging.getLogger(__name__)


@st.cache_data(show_spinner=False)
def reference_layer(name: str) -> gpd.GeoDataFrame | None:
    """An embedded reference layer (district, context, zones, airport, runway), or None."""
    try:
        return geodata.read_layer(name)
    except (PlanningError, DataLayerError) as err:
        logger.warning("reference layer %s not available: %s", name, err)
        return None


def zones_layer() -> gpd.GeoDataFrame:
    """The functional zones (an empty layer when none is available)."""
    zones = reference_layer("zones")
    if zones is None:
        return gpd.GeoDataFrame({"zone_id": pd.Series([], dtype="str")}, geometry=[], crs="EPSG:4326")
    return zones


def dataset_stamp(dataset_id: str) -> float:
    """Changes whenever the stored data of ``dataset_id`` change (file mtime)."""
    if dataset_id == workspace.EMBEDDED:
        try:
            return geodata.get_path("huli").stat().st_mtime
        except (PlanningError, OSError):
            return 0.0
    from office import layers
    from ui import office

    return layers.stamp(office.store(), dataset_id)


@st.cache_data(show_spinner=False, max_entries=8)
def raw_parcels(dataset_id: str, stamp: float) -> gpd.GeoDataFrame:
    """Canonical parcels of a dataset (embedded layer or stored upload)."""
    del stamp  # part of the cache key only
    if dataset_id == workspace.EMBEDDED:
        return geodata.read_layer("parcels")
    from office import layers
    from ui import office

    return layers.load_layer(office.store(), dataset_id)


@st.cache_data(show_spinner=False)
def default_profile_dict() -> dict[str, Any]:
    """The shipped efficiency profile as plain data (as in its YAML file)."""
    with open(efficiency.DEFAULT_PROFILE_PATH, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def profile_json(profile: dict[str, Any] | None) -> str:
    """Canonical JSON text of a profile dict (a cache key)."""
    return json.dumps(profile, sort_keys=True, ensure_ascii=False, default=str) if profile else ""


def standard_json() -> str:
    """The control standard in use as canonical JSON text: the district's published table, ""
    for the shipped one (a cache key, read from the store on every call so a table another
    editor publishes is used at the next rerun)."""
    from office import records
    from ui import office

    return profile_json(records.district_control_standard(office.store()))


def standard_in_use() -> control_standard.ControlStandard:
    """The control standard the analysis uses (published, else shipped), validated."""
    return standard_of(standard_json())


@st.cache_resource(show_spinner=False, max_entries=4)
def standard_of(text: str) -> control_standard.ControlStandard:
    """The control standard of :func:`standard_json` text ("": the shipped one)."""
    if not text:
        return control_standard.default_control_standard()
    return control_standard.standard_from_dict(json.loads(text))


def analysed_parcels(dataset_id: str, stamp: float, as_of: str, profile: str = "",
                     standard: str | None = None) -> gpd.GeoDataFrame:
    """Parcels with every derived field, for one dataset, as-of date and profile, analysed once,
    against the control standard ``standard`` (:func:`standard_json` text; None: the one in use;
    see :func:`_analysed`)."""
    return _analysed(dataset_id, stamp, as_of, profile, standard_json() if standard is None else standard)


@st.cache_resource(show_spinner=False, max_entries=8)
def _analysed(dataset_id: str, stamp: float, as_of: str, profile: str, standard: str) -> gpd.GeoDataFrame:
    """Parcels with every derived field, for one dataset, as-of date, profile and standard, analysed once.

    The frame is shared by every rerun and every person looking at the same dataset, date and
    profile (``st.cache_resource``: a cache hit hands out the same object, no pickled copy), so
    it is read-only: a page that adds columns works on ``frame.assign(...)`` or a copy.

    Parameters
    ----------
    dataset_id, stamp
        Dataset and its change stamp (:func:`dataset_stamp`).
    as_of
        ISO date of the evaluation.
    profile
        Efficiency profile as JSON text (:func:`profile_json`); "" for the default.
    standard
        Control standard as JSON text (:func:`standard_json`); "" for the shipped one.
    """
    frame = raw_parcels(dataset_id, stamp)
    parsed = efficiency.profile_from_dict(json.loads(profile)) if profile else None
    return pipeline.analyse(frame, zones_layer(), as_of=dt.date.fromisoformat(as_of), profile=parsed,
                            standard=standard_of(standard))


def usable_dataset(dataset_id: str | None) -> bool:
    """Whether ``dataset_id`` can be shown: the embedded data, or a recorded upload not deleted
    whose parcels are kept (:mod:`office.layers`)."""
    from office import layers, records
    from ui import office

    if dataset_id == workspace.EMBEDDED:
        return True
    if not isinstance(dataset_id, str) or not workspace.is_upload_id(dataset_id):
        return False
    found = records.dataset_record(office.store(), dataset_id)
    return found is not None and not found["deleted"] and layers.has_layer(office.store(), dataset_id)


def current_dataset() -> str:
    """Id of the dataset this person looks at: their own choice, else the district's default
    (published by an editor), else the embedded data."""
    from office import records
    from ui import office

    chosen = st.session_state.get(state.DATASET)
    if chosen and usable_dataset(chosen):
        return str(chosen)
    district = records.shared(office.store(), records.DEFAULT_DATASET)
    return str(district) if district and usable_dataset(district) else workspace.EMBEDDED


def set_current_dataset(dataset_id: str) -> None:
    """Make ``dataset_id`` the dataset this person looks at (kept at once: a rerun may follow)."""
    from ui import office

    st.session_state[state.DATASET] = dataset_id
    office.save_settings({state.DATASET: dataset_id})


def datasets() -> list[dict[str, Any]]:
    """The datasets anyone may look at, newest first: ``{"id", "name", "owner"}``."""
    from office import layers, records
    from ui import office

    return [{"id": d["id"], "name": d["name"], "owner": d["owner"]} for d in records.list_datasets(office.store())
            if workspace.is_upload_id(d["id"]) and layers.has_layer(office.store(), d["id"])]


def current_frame(as_of: dt.date, profile: dict[str, Any] | None = None) -> tuple[str, gpd.GeoDataFrame]:
    """The analysed frame of the current dataset: ``(dataset_id, frame)``."""
    ds = current_dataset()
    return ds, analysed_parcels(ds, dataset_stamp(ds), as_of.isoformat(), profile_json(profile))


@st.cache_data(show_spinner=False, max_entries=16)
def _summary(dataset_id: str, stamp: float, as_of: str, profile: str, standard: str) -> dict[str, Any]:
    frame = analysed_parcels(dataset_id, stamp, as_of, profile, standard)
    return pipeline.summarise(frame, as_of=dt.date.fromisoformat(as_of))


def summary(dataset_id: str, as_of: dt.date, profile: dict[str, Any] | None = None) -> dict[str, Any]:
    """:func:`analysis.pipeline.summarise` of the analysed frame: the district and zone figures the
    pages show (the same as ``summary.json`` of ``python -m analysis run``)."""
    return _summary(dataset_id, dataset_stamp(dataset_id), as_of.isoformat(), profile_json(profile), standard_json())


@st.cache_resource(show_spinner=False, max_entries=4)
def _startup_layer(path: str, stamp: float, crs: str, encoding: str, layer: str, url: str) -> PlanningError | None:
    from ui import ingest, office

    del stamp, url  # cache keys: a changed file or another store is read again
    try:
        ingest.ingest_startup_layer(path, crs=crs or None, encoding=encoding or None, layer=layer or None,
                                    store=office.store())
    except PlanningError as err:
        logger.warning("HULI_PARCELS not used: %s", err.message_en)
        return err
    return None


def startup_layer() -> PlanningError | None:
    """Make ``HULI_PARCELS`` (if set) the district's default dataset, once per server and file
    version; the error when it cannot be used (the app goes on with the data it had)."""
    from pathlib import Path

    from core.settings import get_settings
    from office.store import database_url

    cfg = get_settings()
    if not cfg.parcels:
        return None
    path = Path(cfg.parcels).expanduser()
    stamp = path.stat().st_mtime if path.exists() else 0.0
    return _startup_layer(str(path), stamp, cfg.parcels_crs, cfg.parcels_encoding, cfg.parcels_layer, database_url())
