"""GDAL-backed vector writers: GeoPackage, GeoJSON with a CRS, and the zipped Shapefile (``.prj``,
``.cpg`` in UTF-8 or GBK, ≤ 10-byte field names listed in ``field_names.csv``, ≤ 254-byte texts)."""

from __future__ import annotations

import csv
import io
import logging
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pyarrow as pa
import pyogrio
import pyproj
import shapely

from analysis._export_schema import field_spec
from analysis._shp_names import shapefile_names
from analysis.export.columns import attribute_columns, column_kind, typed_columns
from core.errors import ConfigError

__all__ = ["write_ogr", "promote_multi", "write_shapefile_zip"]

log = logging.getLogger(__name__)

#: dBASE limit on a text value, in bytes.
_DBF_TEXT_BYTES = 254
_ENCODINGS = {"utf-8": "UTF-8", "utf8": "UTF-8", "gbk": "GBK", "cp936": "GBK"}


def write_ogr(frame: gpd.GeoDataFrame, path: Path, *, driver: str, layer: str, encoding: str | None = None,
               names: Mapping[str, str] | None = None, layer_options: Mapping[str, str] | None = None,
               append: bool = False) -> None:
    """Write through GDAL with the schema's field types (Arrow: dates as Date fields)."""
    attrs = attribute_columns(frame)
    columns = typed_columns(attrs)
    if names is not None:
        columns = {names[c]: v for c, v in columns.items()}
    geoms = promote_multi(np.asarray(frame.geometry.values, dtype=object), always=driver != "GPKG")
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


def promote_multi(geoms: np.ndarray, *, always: bool = False) -> np.ndarray:
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
    for name in attribute_columns(frame).columns:
        s = frame[name]
        if column_kind(name, s) != "str":
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


def write_shapefile_zip(frame: gpd.GeoDataFrame, path: Path, *, layer: str, encoding: str) -> None:
    codec = _ENCODINGS.get(encoding.lower().replace("_", "-"))
    if codec is None:
        raise ConfigError(
            f"Unsupported Shapefile encoding {encoding!r}: use utf-8 or gbk.",
            f"不支持的 Shapefile 编码 {encoding!r}：请使用 utf-8 或 gbk。",
        )
    frame = _dbf_text_limit(frame, codec)
    attrs = attribute_columns(frame)
    names = shapefile_names(list(attrs.columns), encoding=codec)
    with tempfile.TemporaryDirectory(prefix="huli-shp-") as tmp:
        shp = Path(tmp) / f"{layer}.shp"
        write_ogr(frame, shp, driver="ESRI Shapefile", layer=layer, encoding=codec, names=names)
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
