"""The export formats (what each is and can hold), the output CRS, and the checks every export shares.

CRS values are parsed and named by :mod:`core.crs`, as at ingest; a value pyproj does not know is
refused as :class:`UnknownCRSError` (a :class:`core.errors.CRSError`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj

from core.crs import parse_crs
from core.errors import ConfigError, CRSError
from core.raster import Raster

__all__ = ["FormatInfo", "FORMATS", "SUFFIX_FORMAT", "UnknownCRSError", "resolve_crs", "crs_outside_area_of_use",
           "in_crs", "format_of", "check_kind"]


class UnknownCRSError(CRSError, ConfigError):
    """A requested CRS is not an EPSG code, WKT or PROJ string that pyproj knows."""


@dataclass(frozen=True)
class FormatInfo:
    """What a format is and what it can hold.

    Attributes
    ----------
    key
        Name used by ``fmt=`` and ``--format``.
    label
        Label for buttons and help text (English / Chinese).
    extension
        File extension of the output, with the dot.
    mime
        MIME type for a download.
    kind
        ``"vector"`` (geometry + attributes), ``"table"`` (attributes, optional WKT)
        or ``"raster"``.
    multi_layer
        True when one file holds several layers.
    fixed_crs
        The only CRS the format allows (RFC 7946 GeoJSON), else None.
    label_zh
        Chinese label.
    """

    key: str
    label: str
    extension: str
    mime: str
    kind: str
    multi_layer: bool = False
    fixed_crs: str | None = None
    label_zh: str = ""


FORMATS: dict[str, FormatInfo] = {
    f.key: f
    for f in (
        FormatInfo("geojson", "GeoJSON (RFC 7946, WGS84)", ".geojson", "application/geo+json", "vector",
                   fixed_crs="EPSG:4326", label_zh="GeoJSON（RFC 7946，WGS84 经纬度）"),
        FormatInfo("geojson-legacy", "GeoJSON with CRS", ".geojson", "application/geo+json", "vector",
                   label_zh="带坐标系的 GeoJSON"),
        FormatInfo("gpkg", "GeoPackage", ".gpkg", "application/geopackage+sqlite3", "vector", multi_layer=True,
                   label_zh="GeoPackage"),
        FormatInfo("shp", "Shapefile (zip)", ".zip", "application/zip", "vector", label_zh="Shapefile（zip 压缩包）"),
        FormatInfo("csv", "CSV (Excel)", ".csv", "text/csv; charset=utf-8", "table", label_zh="CSV 表格（Excel 可打开）"),
        FormatInfo("xlsx", "Excel (XLSX)", ".xlsx",
                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "table",
                   label_zh="Excel 表格（XLSX）"),
        FormatInfo("tif", "GeoTIFF (COG)", ".tif", "image/tiff; application=geotiff", "raster",
                   label_zh="GeoTIFF 栅格（COG）"),
    )
}

SUFFIX_FORMAT = {".geojson": "geojson", ".json": "geojson", ".gpkg": "gpkg", ".zip": "shp", ".csv": "csv",
                  ".xlsx": "xlsx", ".tif": "tif", ".tiff": "tif"}


def resolve_crs(value: Any) -> pyproj.CRS:
    """A :class:`pyproj.CRS` from an EPSG code (``4548``, ``"EPSG:4548"``), WKT, PROJ string or CRS
    (:func:`core.crs.parse_crs`).

    Raises
    ------
    UnknownCRSError
        When pyproj does not know the value.
    """
    try:
        return parse_crs(value)
    except CRSError as err:
        raise UnknownCRSError(err.message_en, err.message_zh) from err


def crs_outside_area_of_use(crs: Any, lonlat_bounds: Sequence[float]) -> str | None:
    """The area of use of ``crs`` when the layer's lon/lat box is not inside it, else None.

    Exporting into a CRS meant for another part of the world (EPSG:3031 for Antarctica, a
    Gauss-Krüger zone far from Xiamen) writes finite but badly distorted coordinates without any
    error; this is the check that warns about it.  CRSs without an area of use pass.
    """
    area = resolve_crs(crs).area_of_use
    if area is None or len(lonlat_bounds) != 4 or not np.all(np.isfinite(lonlat_bounds)):
        return None
    west, south, east, north = lonlat_bounds
    slack = 0.5  # degrees: a layer reaching just past a zone edge is still fine to project
    if west >= area.west - slack and east <= area.east + slack and south >= area.south - slack \
            and north <= area.north + slack:
        return None
    return f"{area.name} ({area.west:g}°–{area.east:g}°E, {area.south:g}°–{area.north:g}°N)"


def in_crs(frame: gpd.GeoDataFrame, crs: Any) -> gpd.GeoDataFrame:
    """``frame`` reprojected to ``crs`` (no copy needed when it is already there)."""
    if frame.crs is None:
        raise CRSError(
            "The layer has no CRS, so it cannot be exported: set one first (frame.set_crs('EPSG:4326')).",
            "图层没有坐标系，无法导出：请先设置坐标系（如 EPSG:4326）。",
        )
    if crs is None:
        return frame
    target = resolve_crs(crs)
    if pyproj.CRS(frame.crs).equals(target):
        return frame
    return frame.to_crs(target)


def format_of(path: Path, fmt: str | None) -> FormatInfo:
    key = fmt if fmt is not None else SUFFIX_FORMAT.get(path.suffix.lower())
    if key is None or key not in FORMATS:
        raise ConfigError(
            f"Unknown export format {fmt or path.suffix!r}: use one of {', '.join(FORMATS)}.",
            f"未知的导出格式 {fmt or path.suffix!r}：可用格式为 {', '.join(FORMATS)}。",
        )
    return FORMATS[key]


def check_kind(data: Any, info: FormatInfo) -> None:
    """Refuse data the format cannot hold (a frame as GeoTIFF, a raster as a table ...)."""
    is_frame = isinstance(data, pd.DataFrame)
    if info.kind == "raster" and is_frame:
        raise ConfigError(
            "GeoTIFF holds rasters only; export vector layers as geojson, gpkg, shp, csv or xlsx.",
            "GeoTIFF 只能导出栅格；矢量图层请导出为 geojson、gpkg、shp、csv 或 xlsx。",
        )
    if info.kind == "raster" and not isinstance(data, Raster):
        raise ConfigError(
            f"Cannot write {type(data).__name__} as GeoTIFF: give a raster (array, transform, CRS, nodata).",
            f"无法将 {type(data).__name__} 写为 GeoTIFF：需要栅格（数组、仿射变换、坐标系、无数据值）。",
        )
    if info.kind != "raster" and not is_frame:
        raise ConfigError(
            f"The {info.key} format needs a table or GeoDataFrame; rasters are exported as tif.",
            f"{info.key} 格式需要矢量图层或表格；栅格请导出为 tif。",
        )
    if info.kind == "vector" and not isinstance(data, gpd.GeoDataFrame):
        raise ConfigError(
            f"The {info.key} format needs a GeoDataFrame with geometry; received a plain table.",
            f"{info.key} 格式需要带几何的图层；收到的是普通表格。",
        )
