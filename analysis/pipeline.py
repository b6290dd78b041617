"""The land analysis in one call: canonical parcels + zones in, analysed parcels out.

:func:`analyse` adds every derived field of :data:`parcels.schema.DERIVED_FIELDS` to a
canonical parcel frame, in this order:

1. ``area_m2``, ``area_mu`` — measured in ``settings.metric_crs`` (EPSG:4548);
2. ``zone_id`` — largest-overlap zone (:func:`zones.assign.assign_zones`; a declared zone
   is kept only for parcels overlapping no zone);
3. ``lease_end`` completed from ``lease_start + lease_years`` where missing;
   ``remaining_years``, ``expiry_status`` (:mod:`analysis.expiry`);
4. ``far``, ``converted_land`` (:mod:`analysis.landuse`);
5. indicators, ``efficiency_score``, ``efficiency_class``, ``efficiency_reason``,
   ``price_tier`` (:mod:`analysis.efficiency`); the control standard's verdicts
   (:mod:`analysis.control_check`); ``low_efficiency``, ``low_efficiency_basis`` and the
   industry median (:mod:`analysis.low_efficiency`);
6. ``recommendation``, ``recommendation_zh``, ``recommendation_rule``
   (:mod:`analysis.recommend`);
7. ``height_limit_m``, ``buildable_floor_area_m2`` — NaN here; the airport scenario model
   fills them for a chosen scenario and year.

Everything is vectorised (no per-row ``apply``); the input is never modified.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from analysis.control_check import check_control_standard
from analysis.control_standard import ControlStandard
from analysis.efficiency import EfficiencyProfile, default_profile, rate_efficiency
from analysis.expiry import effective_lease_end, expiry_status, remaining_years, resolve_as_of
from analysis.landuse import converted_land, floor_area_ratio
from analysis.low_efficiency import low_efficiency_basis
from analysis.low_efficiency_text import basis_notes
from analysis.recommend import DemonstrationAdvice, recommend
from analysis.summary import summarise
from core.errors import CRSError, SchemaError
from core.settings import GEOGRAPHIC_CRS, SQM_PER_MU, get_settings
from parcels.measure import parcel_areas_m2
from parcels.schema import CANONICAL_FIELDS, DERIVED_FIELDS
from zones.assign import assign_zones_detailed

__all__ = ["analyse", "analyse_with_metric", "Analysed", "summarise", "OUTPUT_COLUMNS"]

log = logging.getLogger(__name__)

#: Attribute columns of the analysed frame, in order (geometry last).
OUTPUT_COLUMNS: tuple[str, ...] = tuple(f.name for f in CANONICAL_FIELDS + DERIVED_FIELDS)

_EMPTY_BY_KIND = {"str": "", "category": "", "date": pd.NaT, "int": pd.NA, "float": np.nan, "bool": pd.NA}
_DTYPE_BY_KIND = {"str": "str", "category": "str", "date": "datetime64[ms]", "int": "Int64", "float": "float64",
                  "bool": "boolean"}


def _canonical(parcels: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A copy with every canonical column present (missing ones filled as missing), in EPSG:4326."""
    if not isinstance(parcels, gpd.GeoDataFrame):
        raise SchemaError(
            f"analyse() needs a GeoDataFrame of parcels, received {type(parcels).__name__}; "
            "read the layer with parcels.read.read_parcels",
            f"analyse() 需要宗地 GeoDataFrame，收到 {type(parcels).__name__}；请用 parcels.read.read_parcels 读取",
        )
    if parcels.crs is None:
        raise CRSError(
            "the parcel frame has no CRS; read it with parcels.read.read_parcels or set one with set_crs()",
            "宗地数据没有坐标系；请用 parcels.read.read_parcels 读取或用 set_crs() 设置",
        )
    frame = parcels.to_crs(GEOGRAPHIC_CRS) if not parcels.crs.equals(GEOGRAPHIC_CRS) else parcels.copy()
    if frame.geometry.name != "geometry":
        frame = frame.rename_geometry("geometry")
    for spec in CANONICAL_FIELDS:
        if spec.name not in frame.columns:
            frame[spec.name] = pd.Series(_EMPTY_BY_KIND[spec.kind], index=frame.index, dtype=_DTYPE_BY_KIND[spec.kind])
        elif spec.kind == "date":
            frame[spec.name] = pd.to_datetime(frame[spec.name]).astype("datetime64[ms]")
        elif spec.kind in ("str", "category"):
            frame[spec.name] = frame[spec.name].fillna("").astype("str")
        elif spec.kind == "bool":
            frame[spec.name] = frame[spec.name].astype("boolean")
    return frame


@dataclass(frozen=True)
class Analysed:
    """The analysed parcels and the metric geometry they were measured on.

    Attributes
    ----------
    frame
        :func:`analyse`'s output (EPSG:4326).
    metric
        The same parcels' geometry in the metric CRS, aligned to ``frame.index``: what later
        steps measured in metres (the airport's height limits) use instead of projecting again.
    """

    frame: gpd.GeoDataFrame
    metric: gpd.GeoSeries


def analyse(
    parcels: gpd.GeoDataFrame,
    zones: gpd.GeoDataFrame,
    *,
    as_of: dt.date | str | None = None,
    profile: EfficiencyProfile | None = None,
    demonstration: DemonstrationAdvice | None = None,
    metric_crs: str | None = None,
    metric_geometry: gpd.GeoSeries | None = None,
    standard: ControlStandard | None = None,
) -> gpd.GeoDataFrame:
    """Canonical parcels plus every derived field (see :func:`analyse_with_metric` for the parameters)."""
    return analyse_with_metric(parcels, zones, as_of=as_of, profile=profile, demonstration=demonstration,
                               metric_crs=metric_crs, metric_geometry=metric_geometry, standard=standard).frame


def analyse_with_metric(
    parcels: gpd.GeoDataFrame,
    zones: gpd.GeoDataFrame,
    *,
    as_of: dt.date | str | None = None,
    profile: EfficiencyProfile | None = None,
    demonstration: DemonstrationAdvice | None = None,
    metric_crs: str | None = None,
    metric_geometry: gpd.GeoSeries | None = None,
    standard: ControlStandard | None = None,
) -> Analysed:
    """Canonical parcels plus every derived field, and the metric geometry they were measured on.

    Parameters
    ----------
    parcels
        Canonical parcel frame (see :mod:`parcels.schema`); missing canonical columns are
        treated as missing data.
    zones
        Zone layer with ``zone_id`` (see :func:`zones.load_zones`).
    as_of
        Reference date for remaining years and expiry; default today.
    profile
        Efficiency evaluation profile; default ``analysis/profiles/default.yaml``.
    demonstration
        Advice for demonstration-zone parcels from the airport scenario; None gives the
        neutral ``demonstration_pending`` recommendation.
    metric_crs
        Projected CRS for areas; default ``settings.metric_crs``.
    metric_geometry
        The parcels' geometry already in ``metric_crs``, aligned to ``parcels.index`` (e.g. a
        layer read in the metric CRS, :attr:`parcels.read.IngestResult.metric`); by default
        the parcels are projected here, once.
    standard
        Land control standard; default ``analysis/config/control_standard.yaml``.

    Returns
    -------
    Analysed
        ``frame``: EPSG:4326, columns :data:`OUTPUT_COLUMNS` then ``geometry``, same index as
        ``parcels``; ``metric``: its geometry in ``metric_crs``.

    Raises
    ------
    CRSError
        Either layer has no CRS.
    SchemaError
        ``parcels`` is not a GeoDataFrame or ``zones`` lacks ``zone_id``.
    """
    ref = resolve_as_of(as_of)
    crs = metric_crs or get_settings().metric_crs
    frame = _canonical(parcels)
    log.info("analysing %d parcels as of %s", len(frame), ref)

    # project once; measuring, zone overlap and the airport's limits all work on the metric geometry
    geometry = _metric_geometry(frame, crs, metric_geometry)
    metric = gpd.GeoDataFrame({"zone_id": frame["zone_id"]}, geometry=geometry, crs=crs)
    frame["area_m2"] = parcel_areas_m2(metric, metric_crs=crs)
    frame["area_mu"] = frame["area_m2"] / SQM_PER_MU

    assignment = assign_zones_detailed(metric, zones, metric_crs=crs)
    frame["zone_id"] = assignment.zone_id

    frame["lease_end"] = effective_lease_end(frame)
    frame["remaining_years"] = remaining_years(frame, as_of=ref)
    frame["expiry_status"] = expiry_status(frame, as_of=ref)

    frame["far"] = floor_area_ratio(frame)
    frame["converted_land"] = converted_land(frame)

    derived = efficiency_fields(frame, profile=profile, standard=standard)
    for col in derived.columns:
        frame[col] = derived[col]

    recs = recommend(frame, demonstration=demonstration)
    for col in recs.columns:
        frame[col] = recs[col]

    frame["height_limit_m"] = np.nan
    frame["buildable_floor_area_m2"] = np.nan

    out = frame[[*OUTPUT_COLUMNS, "geometry"]]
    out.attrs = {
        "as_of": ref.isoformat(),
        "zone_disagreements": assignment.disagreements,
    }
    return Analysed(out, geometry)


def efficiency_fields(frame: pd.DataFrame, *, profile: EfficiencyProfile | None = None,
                      standard: ControlStandard | None = None) -> pd.DataFrame:
    """The efficiency fields of ``frame`` (areas, land use, zones and lease already derived): the
    亩均 rating, the control standard's verdicts, ``low_efficiency`` with its basis, and the notes
    explaining it; index-aligned with ``frame``.  Also what a what-if derives again after edits."""
    prof = profile or default_profile()
    work = frame.copy(deep=False)  # copy-on-write: the new columns stay here
    rated = rate_efficiency(work, profile=prof)
    for col in rated.columns:
        work[col] = rated[col]
    fallbacks = {"fallback_output_per_mu": prof.low_output_per_mu, "fallback_tax_per_mu": prof.low_tax_per_mu}
    checked = check_control_standard(work, standard=standard, **fallbacks)
    for col in checked.columns:
        work[col] = checked[col]
    basis = low_efficiency_basis(work)
    for col in basis.columns:
        work[col] = basis[col]
    notes = basis_notes(work, standard=standard, **fallbacks)
    for col in notes.columns:
        work[col] = notes[col]
    columns = [*rated.columns, *checked.columns, *basis.columns, *notes.columns]
    return pd.DataFrame({c: work[c] for c in dict.fromkeys(columns)}, index=frame.index)


def _metric_geometry(frame: gpd.GeoDataFrame, crs: str, given: gpd.GeoSeries | None) -> gpd.GeoSeries:
    """``given`` when it is the frame's geometry in ``crs``, else the frame projected to ``crs``."""
    if given is None:
        return frame.geometry.to_crs(crs)
    if given.crs is None or not given.crs.equals(crs) or not given.index.equals(frame.index):
        raise SchemaError(
            f"metric_geometry must be the parcels' geometry in {crs} with the parcels' index",
            f"metric_geometry 必须是宗地在 {crs} 下的几何，且索引与宗地一致",
        )
    return given.rename("geometry")
