"""The ``run`` command's work: read the inputs, analyse, and write the result files.

:func:`run_analysis` reads a parcel layer (or the embedded data) and a zone layer,
analyses them (:func:`analysis.pipeline.analyse`) and returns every frame the command
writes, as a :class:`RunResult`; :func:`write_outputs` writes them:

=================  ==============================================================
file               content
=================  ==============================================================
parcels.geojson    canonical + derived fields per parcel, RFC 7946
zones.geojson      the zones with their summaries (:func:`zones.zone_summary`)
                   as properties, RFC 7946
summary.json       district and per-zone key figures (:func:`analysis.summary.summarise`)
validation.json    the ingest report of the parcel layer
=================  ==============================================================

A scenario step (airport heights) can add per-parcel height fields to
``RunResult.parcels`` and extra files (``height_limit.tif``) before writing; this module
keeps reading, analysing and writing apart for that reason.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import pandas as pd

import geodata
from analysis.control_standard import ControlStandard
from analysis.efficiency import EfficiencyProfile
from analysis.expiry import resolve_as_of
from analysis.export import export_layer, output_folder
from analysis.pipeline import analyse_with_metric
from analysis.recommend import DemonstrationAdvice
from analysis.summary import jsonable, summarise
from core.errors import InputFileError
from core.files import atomic_write_text
from core.settings import get_settings
from zones.definitions import load_zones
from zones.summary import zone_summary

if TYPE_CHECKING:
    from parcels.read import IngestResult

__all__ = ["RunResult", "run_analysis", "zones_with_summary", "write_outputs", "OUTPUT_FILES"]

log = logging.getLogger(__name__)

#: Files written by :func:`write_outputs`.
OUTPUT_FILES: tuple[str, ...] = ("parcels.geojson", "zones.geojson", "summary.json", "validation.json")


@dataclass(frozen=True)
class RunResult:
    """Everything ``python -m analysis run`` writes.

    Attributes
    ----------
    parcels
        Analysed parcels (canonical + derived fields), EPSG:4326.
    zones
        Zone layer with the per-zone summary columns, EPSG:4326.
    summary
        JSON-able district and per-zone key figures.
    validation
        JSON-able ingest report of the parcel layer.
    as_of
        The as-of date used.
    extras
        Additional JSON-able sections a scenario step may add to ``summary.json``.
    rasters
        Rasters to write as GeoTIFF, by file name (e.g. ``{"height_limit.tif": Raster}``),
        added by a scenario step.
    metric
        The parcels' geometry in the metric CRS, aligned to ``parcels.index`` (what the
        analysis measured; a scenario step measures on it too), or None.
    """

    parcels: gpd.GeoDataFrame
    zones: gpd.GeoDataFrame
    summary: dict[str, Any]
    validation: dict[str, Any]
    as_of: dt.date
    extras: dict[str, Any] = field(default_factory=dict)
    rasters: dict[str, Any] = field(default_factory=dict)
    metric: gpd.GeoSeries | None = field(default=None, repr=False)

    def with_parcels(self, parcels: gpd.GeoDataFrame) -> RunResult:
        """A copy with ``parcels`` replaced (e.g. after adding height fields); the metric geometry
        is kept while the parcels are the same rows."""
        same = self.metric is not None and self.metric.index.equals(parcels.index)
        return replace(self, parcels=parcels, metric=self.metric if same else None)

    def metric_parcels(self) -> gpd.GeoDataFrame:
        """The parcels' geometry in the metric CRS as a frame (projected here when not kept)."""
        if self.metric is not None:
            return gpd.GeoDataFrame(geometry=self.metric, crs=self.metric.crs)
        return self.parcels[["geometry"]].to_crs(get_settings().metric_crs)


def _read_parcels(
    path: str | Path | None, read_options: Mapping[str, Any]
) -> tuple[IngestResult, dict[str, Any], bool]:
    """The ingested parcels and their report (as a dict); the flag says the data are embedded."""
    from geodata.region import region_of_interest
    from parcels.read import read_parcels  # deferred: pulls in the readers only when running

    options = dict(read_options)
    table = options.pop("join", None)
    table_sheet = options.pop("join_sheet", None)
    if path is None:
        import geodata

        source: Path = geodata.get_path("huli")
        result = read_parcels(source, layer="parcels")
        embedded = True
    else:
        source = Path(path)
        if not source.exists():
            raise InputFileError(
                f"parcel layer {str(source)!r} does not exist; give an existing file or omit --parcels "
                "to use the embedded data",
                f"宗地图层 {str(source)!r} 不存在；请给出存在的文件，或不指定 --parcels 以使用内置数据",
            )
        result = read_parcels(source, district=region_of_interest(), **options)
        embedded = False
    if table is not None:
        from parcels.join import join_file

        result = join_file(result, table, sheet=table_sheet)
    report = result.report
    if not report.usable:
        reasons_en = "; ".join(i.message_en for i in report.fatal) or "no usable parcel"
        reasons_zh = "；".join(i.message_zh for i in report.fatal) or "没有可用的宗地"
        raise InputFileError(
            f"{source.name} cannot be analysed: {reasons_en}. "
            f"Run `python -m analysis validate {source}` for the full report and fix the layer.",
            f"{source.name} 无法分析：{reasons_zh}。请运行 `python -m analysis validate {source}` 查看完整报告并修正图层。",
        )
    return result, jsonable(report.to_dict()), embedded


def zones_with_summary(zones: gpd.GeoDataFrame, parcels: pd.DataFrame) -> gpd.GeoDataFrame:
    """The zone layer with each zone's summary row (:func:`zones.zone_summary`) joined on.

    Parameters
    ----------
    zones
        Normalised zone layer (``zone_id`` + geometry).
    parcels
        Analysed parcels.

    Returns
    -------
    geopandas.GeoDataFrame
        ``zones`` columns, then the summary columns (names from the summary win).
    """
    summary = zone_summary(parcels).drop(columns=["name_zh", "name_en"])
    merged = zones.merge(summary, on="zone_id", how="left")
    return gpd.GeoDataFrame(merged, geometry="geometry", crs=zones.crs)


def run_analysis(
    parcels_path: str | Path | None = None,
    zones_path: str | Path | None = None,
    *,
    as_of: dt.date | str | None = None,
    profile: EfficiencyProfile | None = None,
    demonstration: DemonstrationAdvice | None = None,
    read_options: Mapping[str, Any] | None = None,
    standard: ControlStandard | None = None,
) -> RunResult:
    """Read, analyse and summarise; nothing is written.

    Parameters
    ----------
    parcels_path
        Parcel layer (any format :func:`parcels.read.read_parcels` reads); None for the
        embedded Huli data.
    zones_path
        Zone layer; None for the embedded three zones.
    as_of
        Reference date; default today.
    profile
        Efficiency profile; default the shipped one.
    demonstration
        Demonstration-zone advice from the airport scenario; None for the neutral rule.
    read_options
        Keywords for :func:`parcels.read.read_parcels` on a user's layer (``crs``,
        ``encoding``, ``layer``, ``gcj02``, ``override_crs``, ``field_map``), and ``join``
        (``join_sheet``): a statistics table (CSV or XLSX) whose values are joined onto the
        parcels by parcel number (:func:`parcels.join.join_file`), for the embedded data too.
    standard
        Land control standard; default the shipped one.

    Returns
    -------
    RunResult

    Raises
    ------
    PlanningError
        Any input problem (missing file, no CRS, unusable layer, bad date).
    """
    ref = resolve_as_of(as_of)
    ingest, validation, embedded = _read_parcels(parcels_path, read_options or {})
    zones = load_zones(zones_path) if zones_path is not None else geodata.embedded_zones()
    done = analyse_with_metric(ingest.frame, zones, as_of=ref, profile=profile, demonstration=demonstration,
                               metric_geometry=ingest.metric, standard=standard)
    analysed = done.frame
    summary = summarise(analysed, as_of=ref)
    summary["data"] = {
        "parcels": "embedded illustrative data (示意数据, not real cadastre)" if embedded else str(parcels_path),
        "zones": "embedded zones" if zones_path is None else str(zones_path),
        "zone_disagreements": int(analysed.attrs.get("zone_disagreements", 0)),
    }
    return RunResult(
        parcels=analysed,
        zones=zones_with_summary(zones, analysed),
        summary=summary,
        validation=validation,
        as_of=ref,
        metric=done.metric,
    )


def _write_json(path: Path, data: Any) -> None:
    atomic_write_text(path, json.dumps(jsonable(data), ensure_ascii=False, indent=2, allow_nan=False))


def write_outputs(result: RunResult, out_dir: str | Path) -> list[Path]:
    """Write :data:`OUTPUT_FILES` (and any ``result.rasters``) into ``out_dir`` (created when missing).

    Parameters
    ----------
    result
        Output of :func:`run_analysis` (possibly extended by a scenario step).
    out_dir
        Output folder.

    Returns
    -------
    list of Path
        The files written.
    """
    out = output_folder(out_dir)
    written = [
        export_layer(result.parcels, out / "parcels.geojson", fmt="geojson"),
        export_layer(result.zones, out / "zones.geojson", fmt="geojson"),
    ]
    for name, raster in result.rasters.items():
        written.append(export_layer(raster, out / name, fmt="tif"))
    summary = {**result.summary, **result.extras}
    for name, data in (("summary.json", summary), ("validation.json", result.validation)):
        _write_json(out / name, data)
        written.append(out / name)
    log.info("wrote %s", ", ".join(p.name for p in written))
    return written
