"""Files in and out for the airport scenarios (the CLI's ``compare`` and ``run --scenario``).

The analysis functions (:mod:`analysis.airport`, :mod:`analysis.heights`,
:mod:`analysis.scenario`, :mod:`analysis.compare`) never touch files; this module reads
the embedded airport layers and writes ``comparison.csv`` / ``comparison.json`` and
``height_limit.tif``.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from analysis.airport import (
    NODATA,
    HeightRaster,
    OLSParams,
    Runway,
    cached_height_surface,
    load_ols_params,
    write_height_geotiff,
)
from analysis.compare import compare_scenarios, comparison_document
from analysis.scenario import Scenario
from core.errors import InputFileError
from core.settings import get_settings

__all__ = [
    "AirportInputs",
    "load_airport_inputs",
    "district_height_surface",
    "write_comparison",
    "run_comparison",
    "write_height_limit",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AirportInputs:
    """The embedded airport layers and the surface parameters.

    Attributes
    ----------
    runway
        Runway 05/23 in the metric CRS.
    airport
        Airport boundary polygon layer (EPSG:4326).
    params
        Obstacle limitation surface parameters.
    district
        District outline (EPSG:4326), or None when the data lack it.
    """

    runway: Runway
    airport: gpd.GeoDataFrame
    params: OLSParams
    district: gpd.GeoDataFrame | None


def load_airport_inputs(*, ols_path: str | Path | None = None) -> AirportInputs:
    """Read the runway, airport and district layers of the embedded data and the parameters."""
    import geodata

    runway = Runway.from_layer(geodata.read_layer("runway"), crs=get_settings().metric_crs)
    airport = geodata.read_layer("airport")
    district = geodata.read_layer("district")
    return AirportInputs(runway, airport, load_ols_params(ols_path), district)


def _snapped_bounds(frames: list[gpd.GeoDataFrame], crs: str, cell: float) -> tuple[float, float, float, float]:
    b = np.array([f.to_crs(crs).total_bounds for f in frames if f is not None and len(f)])
    minx, miny = b[:, 0].min(), b[:, 1].min()
    maxx, maxy = b[:, 2].max(), b[:, 3].max()
    return (math.floor(minx / cell) * cell, math.floor(miny / cell) * cell,
            math.ceil(maxx / cell) * cell, math.ceil(maxy / cell) * cell)


def district_height_surface(
    inputs: AirportInputs, *, parcels: gpd.GeoDataFrame | None = None, cell_size: float = 10.0
) -> tuple[HeightRaster, Path]:
    """The height grid over the district (and the parcels, when they reach beyond it), cached."""
    crs = get_settings().metric_crs
    bounds = _snapped_bounds([f for f in (inputs.district, parcels) if f is not None], crs, cell_size)
    return cached_height_surface(inputs.runway, inputs.params, bounds=bounds, cell_size=cell_size, crs=crs)


def _out_dir(out_dir: str | Path) -> Path:
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise InputFileError(
            f"cannot create the output folder {str(out)!r}: {err.strerror}; choose a writable --out folder",
            f"无法创建输出文件夹 {str(out)!r}：{err.strerror}；请指定可写的 --out 文件夹",
        ) from err
    return out


def write_comparison(frame: pd.DataFrame, document: dict[str, Any], out_dir: str | Path) -> list[Path]:
    """Write ``comparison.csv`` (UTF-8 with BOM, for spreadsheet programs) and ``comparison.json``."""
    out = _out_dir(out_dir)
    csv_path, json_path = out / "comparison.csv", out / "comparison.json"
    tmp = csv_path.with_name(csv_path.name + ".tmp")
    frame.to_csv(tmp, index=False, encoding="utf-8-sig", lineterminator="\n")
    tmp.replace(csv_path)
    tmp = json_path.with_name(json_path.name + ".tmp")
    tmp.write_text(json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False), encoding="utf-8")
    tmp.replace(json_path)
    return [csv_path, json_path]


def run_comparison(
    a: Scenario,
    b: Scenario,
    *,
    parcels_analysed: gpd.GeoDataFrame,
    zones: gpd.GeoDataFrame | None,
    out_dir: str | Path,
    inputs: AirportInputs | None = None,
) -> tuple[pd.DataFrame, list[Path]]:
    """Compare two scenarios on analysed parcels and write the two comparison files."""
    inputs = inputs or load_airport_inputs()
    frame = compare_scenarios(a, b, parcels_analysed=parcels_analysed, airport=inputs.airport,
                              runway=inputs.runway, params=inputs.params, zones=zones)
    return frame, write_comparison(frame, comparison_document(frame, a, b), out_dir)


def write_height_limit(raster: HeightRaster, out_dir: str | Path, *, params: OLSParams, label: str) -> Path:
    """Write ``height_limit.tif`` (permitted height, m above the aerodrome elevation)."""
    out = _out_dir(out_dir)
    return write_height_geotiff(out / "height_limit.tif", raster.array, raster.transform, raster.crs, NODATA,
                                tags={"source": params.source, "edition": params.edition, "scenario": label})
