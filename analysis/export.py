"""Exports for the city GIS: every layer in every format, in a chosen CRS.

One module writes everything the product hands out:

==================  ==========================================================
format              what is written
==================  ==========================================================
``geojson``         RFC 7946 GeoJSON: EPSG:4326 lon/lat, counter-clockwise
                    exterior rings, ≤ 7 decimals, no ``crs`` member
``geojson-legacy``  GeoJSON 2008 in any CRS, with a ``crs`` member naming it
``gpkg``            GeoPackage; several layers per file; Date fields
``shp``             zipped Shapefile with ``.prj``, ``.cpg`` (UTF-8 or GBK),
                    ≤ 10-byte field names and ``field_names.csv``
``csv``             UTF-8 with BOM, Chinese headers with units, WKT geometry
``xlsx``            Chinese headers with units + a field-dictionary sheet
``tif``             cloud-optimised GeoTIFF of a raster (height surface)
==================  ==========================================================

The field schema is documented in ``docs/export-schema.md``.  Writers never
mutate their input.  Use :func:`export_layer` for a file, :func:`export_bytes`
for a download button, :func:`export_layers` for a multi-layer GeoPackage and
:func:`export_postgis` for a database.
"""

from __future__ import annotations

import csv
import io
import logging
import os
import tempfile
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import orjson
import pandas as pd
import pyarrow as pa
import pyogrio
import pyproj
import shapely
from pyproj.exceptions import CRSError as PyprojCRSError

from analysis._export_schema import MEANINGS, field_spec, header
from analysis._shp_names import shapefile_names
from core.errors import ConfigError, CRSError, InputFileError

__all__ = [
    "output_folder",
    "FormatInfo",
    "FORMATS",
    "RasterLayer",
    "UnknownCRSError",
    "resolve_crs",
    "export_layer",
    "export_layers",
    "export_bytes",
    "export_postgis",
    "to_geojson_bytes",
    "crs_outside_area_of_use",
    "write_geojson",
]

log = logging.getLogger(__name__)

#: Decimals kept in RFC 7946 output (1e-7 degree is about 1 cm on the ground).
GEOJSON_DECIMALS = 7
#: dBASE limit on a text value, in bytes.
_DBF_TEXT_BYTES = 254


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

_SUFFIX_FORMAT = {".geojson": "geojson", ".json": "geojson", ".gpkg": "gpkg", ".zip": "shp", ".csv": "csv",
                  ".xlsx": "xlsx", ".tif": "tif", ".tiff": "tif"}
_ENCODINGS = {"utf-8": "UTF-8", "utf8": "UTF-8", "gbk": "GBK", "cp936": "GBK"}


@dataclass(frozen=True)
class RasterLayer:
    """A single-band raster held in memory.

    Attributes
    ----------
    array
        2-D array (rows, cols).
    transform
        Affine transform of the upper-left corner (``rasterio.transform``).
    crs
        CRS of the grid (anything :func:`resolve_crs` accepts).
    nodata
        Value marking cells without data, or None.
    name
        Layer name (file name stem, band description).
    """

    array: np.ndarray
    transform: Any
    crs: Any
    nodata: float | None = None
    name: str = "height_limit"


# --- CRS ------------------------------------------------------------------------------------


def resolve_crs(value: Any) -> pyproj.CRS:
    """A :class:`pyproj.CRS` from an EPSG code (``4548``, ``"EPSG:4548"``), WKT, PROJ string or CRS.

    Raises
    ------
    UnknownCRSError
        When pyproj does not know the value.
    """
    if isinstance(value, pyproj.CRS):
        return value
    text = str(value).strip()
    if text.isdigit():
        text = f"EPSG:{text}"
    try:
        return pyproj.CRS.from_user_input(text)
    except PyprojCRSError as err:
        raise UnknownCRSError(
            f"Unknown CRS {value!r}: give an EPSG code such as EPSG:4326, EPSG:4490 or EPSG:4548, or a WKT "
            f"string ({err}).",
            f"无法识别的坐标系 {value!r}：请给出 EPSG 代码（如 EPSG:4326、EPSG:4490、EPSG:4548）或 WKT 文本。",
        ) from err


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


def _crs_label(crs: pyproj.CRS) -> str:
    epsg = crs.to_epsg()
    return f"EPSG:{epsg}" if epsg else crs.name


def _is_wgs84(crs: pyproj.CRS) -> bool:
    return crs.to_epsg() == 4326 or crs.equals("OGC:CRS84", ignore_axis_order=True)


def _in_crs(frame: gpd.GeoDataFrame, crs: Any) -> gpd.GeoDataFrame:
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


# --- attribute typing -----------------------------------------------------------------------


def _kind(name: str, series: pd.Series) -> str:
    """``str``, ``int``, ``float``, ``date``, ``datetime`` or ``bool`` for a column."""
    spec = field_spec(name)
    if spec is not None:
        return "str" if spec.kind == "category" else spec.kind
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return "bool"
    if pd.api.types.is_integer_dtype(dtype):
        return "int"
    if pd.api.types.is_float_dtype(dtype):
        return "float"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "datetime"
    return "str"


def _attributes(frame: gpd.GeoDataFrame | pd.DataFrame) -> pd.DataFrame:
    geometry = frame.geometry.name if isinstance(frame, gpd.GeoDataFrame) else None
    return pd.DataFrame({c: frame[c] for c in frame.columns if c != geometry}, index=frame.index)


def _as_datetime(series: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        return series
    return pd.to_datetime(series, errors="coerce")


def _typed_columns(attrs: pd.DataFrame) -> dict[str, pa.Array]:
    """Arrow arrays with the schema's types (dates as date32, nulls kept) for GDAL writers."""
    out: dict[str, pa.Array] = {}
    for name in attrs.columns:
        s = attrs[name]
        kind = _kind(name, s)
        missing = s.isna().to_numpy()
        if kind == "date":
            values = _as_datetime(s).to_numpy(dtype="datetime64[ms]").astype("datetime64[D]")
            out[name] = pa.array(values, type=pa.date32(), mask=missing)
        elif kind == "datetime":
            out[name] = pa.array(_as_datetime(s).to_numpy(dtype="datetime64[ms]"), type=pa.timestamp("ms"),
                                 mask=missing)
        elif kind == "int":
            values = pd.to_numeric(s, errors="coerce").astype("Float64").fillna(0).to_numpy(dtype="int64")
            out[name] = pa.array(values, type=pa.int64(), mask=missing)
        elif kind == "float":
            values = pd.to_numeric(s, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
            out[name] = pa.array(values, type=pa.float64(), mask=~np.isfinite(values))
        elif kind == "bool":
            values = s.astype("boolean").fillna(False).to_numpy(dtype=bool)
            out[name] = pa.array(values, type=pa.bool_(), mask=missing)
        else:
            out[name] = pa.array(_nullable(s.astype(object).map(_text).tolist(), missing), type=pa.string())
    return out


def _text(value: Any) -> Any:
    return value if value is None or isinstance(value, str) else str(value)


def _nullable(values: list[Any], missing: np.ndarray) -> list[Any]:
    """``values`` with None where ``missing`` (pandas' ``where`` would put NaN back)."""
    if missing.any():
        return [None if m else v for v, m in zip(values, missing.tolist(), strict=True)]
    return values


def _python_columns(attrs: pd.DataFrame, *, date_format: str = "iso") -> dict[str, list[Any]]:
    """Plain Python values per column: None for NaN/NaT/<NA>/±inf, dates as ISO strings."""
    out: dict[str, list[Any]] = {}
    for name in attrs.columns:
        s = attrs[name]
        kind = _kind(name, s)
        missing = s.isna().to_numpy()
        if kind in ("date", "datetime"):
            stamps = _as_datetime(s)
            if date_format == "iso":
                fmt = "%Y-%m-%d" if kind == "date" else "%Y-%m-%dT%H:%M:%S"
                values = stamps.dt.strftime(fmt).astype(object)
            else:  # Python date/datetime objects (XLSX, SQL)
                values = pd.Series(stamps.dt.date if kind == "date" else stamps.dt.to_pydatetime(),
                                   index=s.index, dtype=object)
        elif kind == "float":
            arr = pd.to_numeric(s, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
            missing = ~np.isfinite(arr)
            out[name] = _nullable(arr.tolist(), missing)
            continue
        elif kind == "int":
            values = pd.to_numeric(s, errors="coerce").astype("Int64").astype(object)
        elif kind == "bool":
            values = s.astype("boolean").astype(object)
        elif pd.api.types.is_string_dtype(s.dtype) and not pd.api.types.is_object_dtype(s.dtype):
            out[name] = s.to_numpy(dtype=object, na_value=None).tolist()  # str or None already
            continue
        else:
            values = s.astype(object).map(_text)
        out[name] = _nullable(values.tolist(), missing)
    return out


# --- GeoJSON (RFC 7946) ---------------------------------------------------------------------


#: Features converted and serialised at a time by the GeoJSON writer (bounds its memory).
GEOJSON_CHUNK = 20_000


def to_geojson_bytes(frame: gpd.GeoDataFrame, *, decimals: int = GEOJSON_DECIMALS) -> bytes:
    """RFC 7946 FeatureCollection of ``frame`` as UTF-8 bytes.

    Geometry is reprojected to EPSG:4326, rounded to ``decimals`` decimals and
    oriented (exterior rings counter-clockwise, holes clockwise); there is no
    ``crs`` member; dates become ISO-8601 strings and every missing value
    (NaN, NaT, <NA>, ±inf) ``null``; Chinese text stays UTF-8 (no ``\\u`` escapes).
    A ``bbox`` of the whole collection is included.
    """
    return b"".join(geojson_chunks(frame, decimals=decimals))


def write_geojson(frame: gpd.GeoDataFrame, path: str | Path, *, decimals: int = GEOJSON_DECIMALS) -> Path:
    """Write :func:`to_geojson_bytes` to ``path`` a chunk at a time (memory grows with the chunk, not the layer)."""
    path = Path(path)
    # the disk write of one chunk (no GIL) overlaps the conversion of the next
    with path.open("wb") as fh, ThreadPoolExecutor(max_workers=1) as writer:
        pending = None
        for chunk in geojson_chunks(frame, decimals=decimals):
            if pending is not None:
                pending.result()
            pending = writer.submit(fh.write, chunk)
        if pending is not None:
            pending.result()
    return path


def geojson_chunks(frame: gpd.GeoDataFrame, *, decimals: int = GEOJSON_DECIMALS) -> Iterator[bytes]:
    """The bytes of :func:`to_geojson_bytes`, in pieces of at most :data:`GEOJSON_CHUNK` features."""
    gdf = _in_crs(frame, "EPSG:4326")
    geoms = np.asarray(gdf.geometry.values, dtype=object)
    rounded = shapely.transform(geoms, lambda xy: np.round(xy, decimals))
    # rounding can make a geometry invalid (a sliver collapses, a spike crosses itself): those
    # are repaired and snapped to the 10^-decimals grid, which keeps polygons valid
    bad = ~shapely.is_valid(rounded) & ~shapely.is_missing(rounded)
    if bad.any():
        log.warning("%d geometries invalid at %d decimals made valid for RFC 7946 output", int(bad.sum()), decimals)
        fixed = shapely.set_precision(shapely.make_valid(geoms[bad]), 10.0**-decimals)
        rounded[bad] = shapely.transform(fixed, lambda xy: np.round(xy, decimals))
    geoms = shapely.orient_polygons(rounded, exterior_cw=False)
    empty = shapely.is_empty(geoms) | shapely.is_missing(geoms)
    head: dict[str, Any] = {"type": "FeatureCollection"}
    if not empty.all():
        head["bbox"] = [round(float(v), decimals) for v in shapely.total_bounds(geoms[~empty])]
    yield orjson.dumps(head)[:-1] + b',"features":['
    attrs = _attributes(gdf)
    names = list(attrs.columns)
    for start in range(0, len(gdf), GEOJSON_CHUNK):
        stop = min(start + GEOJSON_CHUNK, len(gdf))
        texts = shapely.to_geojson(geoms[start:stop])
        texts[empty[start:stop]] = None  # RFC 7946 3.2: a feature without geometry has null
        columns = _python_columns(attrs.iloc[start:stop])
        rows = zip(*columns.values(), strict=True) if names else ([] for _ in range(stop - start))
        features = [
            {
                "type": "Feature",
                "properties": dict(zip(names, row, strict=True)),
                "geometry": orjson.Fragment(text) if text is not None else None,
            }
            for row, text in zip(rows, texts, strict=True)
        ]
        body = orjson.dumps(features, option=orjson.OPT_SERIALIZE_NUMPY)[1:-1]
        yield (b"," + body) if start else body
    yield b"]}"


# --- GDAL-backed vector writers -------------------------------------------------------------


def _write_ogr(frame: gpd.GeoDataFrame, path: Path, *, driver: str, layer: str, encoding: str | None = None,
               names: Mapping[str, str] | None = None, layer_options: Mapping[str, str] | None = None,
               append: bool = False) -> None:
    """Write through GDAL with the schema's field types (Arrow: dates as Date fields)."""
    attrs = _attributes(frame)
    columns = _typed_columns(attrs)
    if names is not None:
        columns = {names[c]: v for c, v in columns.items()}
    geoms = _promote_multi(np.asarray(frame.geometry.values, dtype=object), always=driver != "GPKG")
    columns["geometry"] = pa.array(shapely.to_wkb(geoms).tolist(), type=pa.binary())
    table = pa.table(columns)
    geom_type = _geometry_type(geoms)
    kwargs: dict[str, Any] = {}
    if encoding is not None:
        kwargs["encoding"] = encoding
    pyogrio.write_arrow(
        table,
        str(path),
        layer=layer,
        driver=driver,
        geometry_name="geometry",
        geometry_type=geom_type,
        crs=pyproj.CRS(frame.crs).to_wkt(),
        append=append,
        layer_options=dict(layer_options or {}),
        **kwargs,
    )


def _promote_multi(geoms: np.ndarray, *, always: bool = False) -> np.ndarray:
    """Polygons/LineStrings made Multi* when the layer mixes them with Multi* (or ``always``)."""
    types = shapely.get_type_id(geoms)
    out = geoms
    for single, multi, build in (
        (shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON, shapely.multipolygons),
        (shapely.GeometryType.LINESTRING, shapely.GeometryType.MULTILINESTRING, shapely.multilinestrings),
    ):
        is_single = types == single
        if is_single.any() and (always or (types == multi).any()):
            out = out.copy() if out is geoms else out
            out[is_single] = [build([g]) for g in geoms[is_single]]
    return out


def _geometry_type(geoms: np.ndarray) -> str:
    types = {t for t in shapely.get_type_id(geoms[~shapely.is_missing(geoms)]).tolist()}
    names = {int(shapely.GeometryType.POLYGON): "Polygon", int(shapely.GeometryType.MULTIPOLYGON): "MultiPolygon",
             int(shapely.GeometryType.POINT): "Point", int(shapely.GeometryType.MULTIPOINT): "MultiPoint",
             int(shapely.GeometryType.LINESTRING): "LineString",
             int(shapely.GeometryType.MULTILINESTRING): "MultiLineString"}
    if len(types) == 1 and next(iter(types)) in names:
        return names[next(iter(types))]
    if types <= {int(shapely.GeometryType.POLYGON), int(shapely.GeometryType.MULTIPOLYGON)} and types:
        return "MultiPolygon"
    return "Unknown"


def _dbf_text_limit(frame: gpd.GeoDataFrame, encoding: str) -> gpd.GeoDataFrame:
    """Text cut to the dBASE limit of 254 bytes (whole characters), checked encodable."""
    out = frame
    for name in _attributes(frame).columns:
        s = frame[name]
        if _kind(name, s) != "str":
            continue
        present = s[s.notna()].astype(object).map(str)
        try:
            encoded = present.map(lambda v: v.encode(encoding))
        except UnicodeEncodeError as err:
            bad = next(v for v in present if not _encodable(v, encoding))
            raise ConfigError(
                f"Field {name!r} has text that {encoding} cannot hold ({bad!r}); export with encoding utf-8.",
                f"字段 {name!r} 含有 {encoding} 无法表示的文字（{bad!r}）；请改用 UTF-8 编码导出。",
            ) from err
        long = encoded.map(len) > _DBF_TEXT_BYTES
        if long.any():
            log.warning("field %s: %d values longer than %d bytes cut for the Shapefile", name, int(long.sum()),
                        _DBF_TEXT_BYTES)
            cut = encoded[long].map(lambda b: b[:_DBF_TEXT_BYTES].decode(encoding, errors="ignore"))
            if out is frame:
                out = frame.copy()
            out.loc[cut.index, name] = cut
    return out


def _encodable(value: str, encoding: str) -> bool:
    try:
        value.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def _write_shapefile_zip(frame: gpd.GeoDataFrame, path: Path, *, layer: str, encoding: str) -> None:
    codec = _ENCODINGS.get(encoding.lower().replace("_", "-"))
    if codec is None:
        raise ConfigError(
            f"Unsupported Shapefile encoding {encoding!r}: use utf-8 or gbk.",
            f"不支持的 Shapefile 编码 {encoding!r}：请使用 utf-8 或 gbk。",
        )
    frame = _dbf_text_limit(frame, codec)
    attrs = _attributes(frame)
    names = shapefile_names(list(attrs.columns), encoding=codec)
    with tempfile.TemporaryDirectory(prefix="huli-shp-") as tmp:
        shp = Path(tmp) / f"{layer}.shp"
        _write_ogr(frame, shp, driver="ESRI Shapefile", layer=layer, encoding=codec, names=names)
        mapping = io.StringIO()
        writer = csv.writer(mapping, lineterminator="\n")
        writer.writerow(["field", "shapefile_name", "zh", "unit"])
        for col, short in names.items():
            spec = field_spec(col)
            writer.writerow([col, short, spec.zh if spec else "", spec.unit if spec else ""])
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for part in sorted(Path(tmp).iterdir()):
                zf.write(part, part.name)
            zf.writestr("field_names.csv", "\ufeff" + mapping.getvalue())


# --- tables ---------------------------------------------------------------------------------


def _headers(columns: Sequence[str]) -> list[str]:
    heads = [header(c) for c in columns]
    seen: dict[str, int] = {}
    for h in heads:
        seen[h] = seen.get(h, 0) + 1
    return [f"{h} {c}" if seen[h] > 1 else h for h, c in zip(heads, columns, strict=True)]


def _write_csv(frame: gpd.GeoDataFrame | pd.DataFrame, path: Path, *, wkt: bool) -> None:
    attrs = _attributes(frame)
    columns = _python_columns(attrs)
    for name in attrs.columns:
        if _kind(name, attrs[name]) == "bool":
            columns[name] = [None if v is None else ("true" if v else "false") for v in columns[name]]
    table = pd.DataFrame(columns, index=range(len(attrs)), dtype=object)
    table.columns = _headers(list(attrs.columns))
    if wkt and isinstance(frame, gpd.GeoDataFrame):
        table["WKT"] = shapely.to_wkt(np.asarray(frame.geometry.values, dtype=object), rounding_precision=-1)
    table.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\r\n", float_format=None)


def _field_rows(columns: Sequence[str]) -> list[list[Any]]:
    names = shapefile_names(list(columns))
    rows = []
    for c in columns:
        spec = field_spec(c)
        rows.append([c, header(c), names[c], spec.kind if spec else "", spec.unit if spec else "",
                     spec.zh if spec else "", spec.en if spec else "", MEANINGS.get(c, "")])
    return rows


def _write_xlsx(frame: gpd.GeoDataFrame | pd.DataFrame, path: Path) -> None:
    from openpyxl import Workbook

    attrs = _attributes(frame)
    columns = _python_columns(attrs, date_format="python")
    book = Workbook(write_only=True)
    data = book.create_sheet("数据")
    data.append(_headers(list(attrs.columns)))
    for row in zip(*columns.values(), strict=True):
        data.append(list(row))
    fields = book.create_sheet("字段说明")
    fields.append(["字段 field", "表头 header", "Shapefile 字段", "类型 type", "单位 unit", "中文名", "English",
                   "说明 meaning"])
    for field_row in _field_rows(list(attrs.columns)):
        fields.append(field_row)
    book.save(path)


# --- rasters --------------------------------------------------------------------------------


def _as_raster(data: Any) -> RasterLayer:
    if isinstance(data, RasterLayer):
        return data
    if isinstance(data, tuple) and len(data) in (3, 4):
        return RasterLayer(np.asarray(data[0]), data[1], data[2], data[3] if len(data) == 4 else None)
    array = next((getattr(data, a) for a in ("array", "values", "data") if hasattr(data, a)), None)
    if array is not None and hasattr(data, "transform") and hasattr(data, "crs"):
        return RasterLayer(np.asarray(array), data.transform, data.crs, getattr(data, "nodata", None),
                           str(getattr(data, "name", "height_limit")))
    raise ConfigError(
        f"Cannot write {type(data).__name__} as GeoTIFF: give a RasterLayer (array, transform, crs, nodata).",
        f"无法将 {type(data).__name__} 写为 GeoTIFF：需要栅格（数组、仿射变换、坐标系、无数据值）。",
    )


def _write_tif(data: Any, path: Path, *, crs: Any) -> None:
    import rasterio
    from affine import Affine
    from rasterio.warp import Resampling, reproject, transform_bounds

    raster = _as_raster(data)
    array = np.asarray(raster.array)
    if array.ndim != 2:
        raise ConfigError(f"A GeoTIFF export needs a 2-D array; received shape {array.shape}.",
                          f"GeoTIFF 导出需要二维数组；收到的形状为 {array.shape}。")
    src_crs = resolve_crs(raster.crs)
    transform = raster.transform
    nodata = raster.nodata
    if crs is not None and not resolve_crs(crs).equals(src_crs):
        dst_crs = resolve_crs(crs)
        height, width = array.shape
        corners = np.array([transform @ (c, r) for c, r in ((0, 0), (width, 0), (0, height), (width, height))])
        west, south, east, north = transform_bounds(src_crs, dst_crs, corners[:, 0].min(), corners[:, 1].min(),
                                                    corners[:, 0].max(), corners[:, 1].max(), densify_pts=21)
        dst_w, dst_h = width, height  # same number of cells, spread over the reprojected bounds
        dst_transform = Affine((east - west) / dst_w, 0.0, west, 0.0, -(north - south) / dst_h, north)
        fill = nodata if nodata is not None else (np.nan if np.issubdtype(array.dtype, np.floating) else 0)
        out = np.full((dst_h, dst_w), fill, dtype=array.dtype)
        reproject(array, out, src_transform=transform, src_crs=src_crs, dst_transform=dst_transform,
                  dst_crs=dst_crs, src_nodata=nodata, dst_nodata=fill, resampling=Resampling.nearest)
        array, transform, src_crs, nodata = out, dst_transform, dst_crs, fill
    profile: dict[str, Any] = {
        "count": 1, "height": array.shape[0], "width": array.shape[1], "dtype": array.dtype,
        "crs": src_crs.to_wkt(), "transform": transform, "nodata": nodata,
    }
    if _has_driver("COG"):
        profile.update(driver="COG", compress="DEFLATE", blocksize=256, overview_resampling="nearest",
                       num_threads="ALL_CPUS")
        with rasterio.open(path, "w", **profile) as dst:
            dst.write(array, 1)
            dst.set_band_description(1, raster.name)
    else:  # pragma: no cover - GDAL < 3.1
        profile.update(driver="GTiff", compress="DEFLATE", tiled=True, blockxsize=256, blockysize=256)
        with rasterio.open(path, "w", **profile) as dst:
            dst.write(array, 1)
            dst.set_band_description(1, raster.name)
            factors = [f for f in (2, 4, 8, 16) if min(array.shape) // f >= 1]
            dst.build_overviews(factors, rasterio.enums.Resampling.nearest)


def _has_driver(name: str) -> bool:
    import rasterio

    with rasterio.Env() as env:
        return name in env.drivers()


# --- public API -----------------------------------------------------------------------------


def _format_of(path: Path, fmt: str | None) -> FormatInfo:
    key = fmt if fmt is not None else _SUFFIX_FORMAT.get(path.suffix.lower())
    if key is None or key not in FORMATS:
        raise ConfigError(
            f"Unknown export format {fmt or path.suffix!r}: use one of {', '.join(FORMATS)}.",
            f"未知的导出格式 {fmt or path.suffix!r}：可用格式为 {', '.join(FORMATS)}。",
        )
    return FORMATS[key]


def _check_kind(data: Any, info: FormatInfo) -> None:
    is_frame = isinstance(data, pd.DataFrame)
    if info.kind == "raster" and is_frame:
        raise ConfigError(
            "GeoTIFF holds rasters only; export vector layers as geojson, gpkg, shp, csv or xlsx.",
            "GeoTIFF 只能导出栅格；矢量图层请导出为 geojson、gpkg、shp、csv 或 xlsx。",
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


def export_layer(
    data: gpd.GeoDataFrame | pd.DataFrame | RasterLayer,
    path: str | Path,
    *,
    fmt: str | None = None,
    crs: Any = None,
    layer: str | None = None,
    encoding: str = "utf-8",
    wkt: bool = True,
) -> Path:
    """Write one layer to ``path`` in ``fmt``.

    Parameters
    ----------
    data
        A GeoDataFrame (any CRS), a plain DataFrame (csv/xlsx only) or a
        :class:`RasterLayer` (tif only).  Not modified.
    path
        Output file; for ``shp`` a ``.zip``.  For ``gpkg`` an existing file
        keeps its other layers and gets ``layer`` added or replaced.
    fmt
        A key of :data:`FORMATS`; by default taken from the file suffix.
    crs
        Output CRS (EPSG code, ``"EPSG:4548"``, WKT); default: the data's own.
        ``geojson`` (RFC 7946) is always EPSG:4326 and refuses another CRS:
        use ``geojson-legacy`` for that.
    layer
        Layer name (GeoPackage layer, Shapefile stem); default: the file stem.
    encoding
        Shapefile ``.dbf`` encoding, ``utf-8`` (default) or ``gbk``; written to the ``.cpg``.
    wkt
        CSV only: add the geometry as a ``WKT`` column (in ``crs``).

    Returns
    -------
    Path
        The written file.

    Raises
    ------
    ConfigError
        Unknown format, a CRS the format does not allow, wrong kind of data.
    UnknownCRSError
        ``crs`` not known to pyproj.
    CRSError
        The layer has no CRS.
    """
    path = Path(path)
    info = _format_of(path, fmt)
    _check_kind(data, info)
    name = layer or path.stem
    if info.fixed_crs is not None and crs is not None and not _is_wgs84(resolve_crs(crs)):
        raise ConfigError(
            f"RFC 7946 GeoJSON is always EPSG:4326 (lon/lat); received crs={crs!r}. "
            "Use format geojson-legacy for GeoJSON in another CRS.",
            f"RFC 7946 GeoJSON 固定为 EPSG:4326（经纬度），不能使用 {crs!r}；其他坐标系请用 geojson-legacy 格式。",
        )
    if info.key == "shp" and path.suffix.lower() != ".zip":
        raise ConfigError(f"A Shapefile export is a .zip; received {path.name!r}.",
                          f"Shapefile 导出为 .zip 压缩包；收到的文件名为 {path.name!r}。")
    path.parent.mkdir(parents=True, exist_ok=True)
    if info.key == "gpkg":  # adds or replaces one layer of a possibly existing file
        _write_vector(data, path, info=info, crs=crs, name=name, encoding=encoding, wkt=wkt)
        return path
    # everything else is written beside the target and renamed: a reader never sees half a file
    partial = path.with_name(f".{path.stem}.partial{path.suffix}")
    try:
        if info.kind == "raster":
            _write_tif(data, partial, crs=crs)
        else:
            _write_vector(data, partial, info=info, crs=crs, name=name, encoding=encoding, wkt=wkt)
        os.replace(partial, path)
    finally:
        _unlink(partial)
    log.info("exported %s as %s to %s", name, info.key, path)
    return path


def _write_vector(data: gpd.GeoDataFrame | pd.DataFrame, path: Path, *, info: FormatInfo, crs: Any, name: str,
                  encoding: str, wkt: bool) -> None:
    frame = data
    if isinstance(frame, gpd.GeoDataFrame):
        frame = _in_crs(frame, crs)
    elif crs is not None:
        raise ConfigError("A table without geometry has no CRS to convert; drop --crs.",
                          "无几何的表格没有坐标系可转换；请去掉坐标系参数。")
    if info.key == "geojson":
        write_geojson(frame, path)
    elif info.key == "geojson-legacy":
        precision = "7" if pyproj.CRS(frame.crs).is_geographic else "3"
        _unlink(path)
        _write_ogr(frame, path, driver="GeoJSON", layer=name,
                   layer_options={"RFC7946": "NO", "COORDINATE_PRECISION": precision, "WRITE_NAME": "NO"})
    elif info.key == "gpkg":
        _write_ogr(frame, path, driver="GPKG", layer=name, layer_options={"OVERWRITE": "YES"})
    elif info.key == "shp":
        _write_shapefile_zip(frame, path, layer=name, encoding=encoding)
    elif info.key == "csv":
        _write_csv(frame, path, wkt=wkt)
    else:
        _write_xlsx(frame, path)


def _unlink(path: Path) -> None:
    if path.exists():
        path.unlink()


def export_layers(
    layers: Mapping[str, gpd.GeoDataFrame],
    path: str | Path,
    *,
    crs: Any = None,
) -> Path:
    """Write several layers into one GeoPackage, each named by its key.

    Parameters
    ----------
    layers
        ``{layer_name: frame}``.
    path
        ``.gpkg`` file; replaced when it exists.
    crs
        Output CRS for every layer; default: each frame's own.
    """
    path = Path(path)
    _unlink(path)
    for name, frame in layers.items():
        export_layer(frame, path, fmt="gpkg", crs=crs, layer=name)
    return path


def export_bytes(
    data: gpd.GeoDataFrame | pd.DataFrame | RasterLayer | Mapping[str, gpd.GeoDataFrame],
    *,
    fmt: str,
    crs: Any = None,
    layer: str = "layer",
    encoding: str = "utf-8",
    wkt: bool = True,
) -> bytes:
    """The bytes of an export, for a download button (``st.download_button``).

    Same options as :func:`export_layer`; ``shp`` gives the zip's bytes.  A
    mapping of frames gives a multi-layer GeoPackage (``fmt="gpkg"`` only).
    Use ``FORMATS[fmt].extension`` and ``FORMATS[fmt].mime`` for the file name and type.
    """
    info = _format_of(Path(f"{layer}{FORMATS.get(fmt, FORMATS['geojson']).extension}"), fmt)
    if info.key == "geojson" and isinstance(data, gpd.GeoDataFrame):
        if crs is not None and not _is_wgs84(resolve_crs(crs)):
            export_layer(data, Path("unused.geojson"), fmt="geojson", crs=crs)  # raises: RFC 7946 is WGS84
        return to_geojson_bytes(data)
    with tempfile.TemporaryDirectory(prefix="huli-export-") as tmp:
        target = Path(tmp) / f"{layer}{info.extension}"
        if isinstance(data, Mapping):
            if info.key != "gpkg":
                raise ConfigError("Several layers can only be exported together as gpkg.",
                                  "多个图层只能一起导出为 GeoPackage（gpkg）。")
            export_layers(data, target, crs=crs)
        else:
            export_layer(data, target, fmt=info.key, crs=crs, layer=layer, encoding=encoding, wkt=wkt)
        return target.read_bytes()


# --- PostGIS --------------------------------------------------------------------------------


def _sql_frame(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Columns typed for SQL: dates as Python dates, categories as text, nullable ints/bools."""
    attrs = _attributes(frame)
    out = {}
    for name in attrs.columns:
        s = attrs[name]
        kind = _kind(name, s)
        if kind == "date":
            stamps = _as_datetime(s)
            out[name] = pd.Series(_nullable(list(stamps.dt.date), stamps.isna().to_numpy()), index=s.index,
                                  dtype=object)
        elif kind == "int":
            out[name] = pd.to_numeric(s, errors="coerce").astype("Int64")
        elif kind == "float":
            out[name] = pd.to_numeric(s, errors="coerce").astype("float64")
        elif kind == "bool":
            out[name] = s.astype("boolean")
        elif kind == "str":
            out[name] = pd.Series(_nullable(s.astype(object).map(_text).tolist(), s.isna().to_numpy()),
                                  index=s.index, dtype=object)
        else:
            out[name] = s
    geoms = _promote_multi(np.asarray(frame.geometry.values, dtype=object))
    return gpd.GeoDataFrame(out, geometry=gpd.GeoSeries(geoms, index=frame.index), crs=frame.crs)


def export_postgis(
    layers: Mapping[str, gpd.GeoDataFrame],
    url: str,
    *,
    schema: str = "public",
    crs: Any = None,
) -> dict[str, int]:
    """Write layers to PostGIS tables (replaced when present), each with a GiST spatial index.

    Parameters
    ----------
    layers
        ``{table_name: frame}``.
    url
        ``postgresql://user:password@host:port/database``.
    schema
        Database schema; created when missing.
    crs
        Output CRS (the column SRID); default: each frame's own.

    Returns
    -------
    dict
        ``{table_name: rows written}``.

    Raises
    ------
    ConfigError
        Bad URL, database unreachable, PostGIS extension missing.
    """
    import sqlalchemy
    from sqlalchemy import exc as sa_exc

    try:
        parsed = sqlalchemy.engine.make_url(url)
        if parsed.drivername in ("postgresql", "postgres"):  # SQLAlchemy 2.1 would pick psycopg 3
            parsed = parsed.set(drivername="postgresql+psycopg2")
        engine = sqlalchemy.create_engine(parsed)
    except sa_exc.ArgumentError as err:
        raise ConfigError(
            "Not a database URL: give postgresql://user:password@host:port/database.",
            "数据库地址格式不对：应为 postgresql://用户:密码@主机:端口/数据库。",
        ) from err
    shown = engine.url.render_as_string(hide_password=True)
    quoted_schema = engine.dialect.identifier_preparer.quote(schema)
    written: dict[str, int] = {}
    try:
        with engine.begin() as conn:
            conn.execute(sqlalchemy.text("CREATE EXTENSION IF NOT EXISTS postgis"))
            conn.execute(sqlalchemy.text(f"CREATE SCHEMA IF NOT EXISTS {quoted_schema}"))
        for name, frame in layers.items():
            table = _sql_frame(_in_crs(frame, crs))
            empties = {c: np.flatnonzero((table[c] == "").to_numpy()) for c in table.columns
                       if c != table.geometry.name and table[c].dtype == object}
            empties = {c: rows for c, rows in empties.items() if len(rows)}
            if empties:
                table = table.assign(**{_ROW: np.arange(len(table))})
            table.to_postgis(name, engine, schema=schema, if_exists="replace", index=False)
            if empties:
                _restore_empty_text(engine, schema, name, empties)
            _ensure_spatial_index(engine, schema, name, table.geometry.name)
            written[name] = len(table)
            log.info("wrote %d rows to %s.%s at %s", len(table), schema, name, shown)
    except sa_exc.OperationalError as err:
        raise ConfigError(
            f"Cannot write to the database {shown}: {err.orig}. Check host, port, user and password.",
            f"无法写入数据库 {shown}：{err.orig}。请检查主机、端口、用户和密码。",
        ) from err
    except sa_exc.ProgrammingError as err:
        raise ConfigError(
            f"The database {shown} refused the export: {err.orig}. PostGIS must be installed and the user "
            "allowed to create tables in the schema.",
            f"数据库 {shown} 拒绝写入：{err.orig}。需要安装 PostGIS 扩展，且用户可在该模式下建表。",
        ) from err
    finally:
        engine.dispose()
    return written


_ROW = "_export_row"


def _restore_empty_text(engine: Any, schema: str, table: str, empties: Mapping[str, np.ndarray]) -> None:
    """Put back empty strings that geopandas' COPY (CSV) turned into NULL, then drop the row key."""
    import sqlalchemy

    prep = engine.dialect.identifier_preparer
    target = f"{prep.quote(schema)}.{prep.quote(table)}"
    with engine.begin() as conn:
        for column, rows in empties.items():
            conn.execute(
                sqlalchemy.text(f"UPDATE {target} SET {prep.quote(column)} = '' WHERE {_ROW} = ANY(:rows)"),
                {"rows": rows.tolist()},
            )
        conn.execute(sqlalchemy.text(f"ALTER TABLE {target} DROP COLUMN {_ROW}"))


def _ensure_spatial_index(engine: Any, schema: str, table: str, column: str) -> None:
    import sqlalchemy

    prep = engine.dialect.identifier_preparer
    with engine.begin() as conn:
        found = conn.execute(
            sqlalchemy.text(
                "SELECT indexdef FROM pg_indexes WHERE schemaname = :s AND tablename = :t"
            ),
            {"s": schema, "t": table},
        ).scalars().all()
        if any("gist" in d.lower() and column in d for d in found):
            return
        index = prep.quote(f"idx_{table}_{column}")
        conn.execute(sqlalchemy.text(
            f"CREATE INDEX IF NOT EXISTS {index} ON {prep.quote(schema)}.{prep.quote(table)} "
            f"USING GIST ({prep.quote(column)})"))


def output_folder(path: str | Path) -> Path:
    """``path`` as an existing folder (created when missing) for a command's output files.

    Raises
    ------
    InputFileError
        The folder cannot be created; the message names it and the reason.
    """
    out = Path(path)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise InputFileError(
            f"cannot create the output folder {str(out)!r}: {err.strerror}; choose a writable --out folder",
            f"无法创建输出文件夹 {str(out)!r}：{err.strerror}；请指定可写的 --out 文件夹",
        ) from err
    return out
