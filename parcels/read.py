"""Reading a planner's parcel layer into the canonical frame, with a validation report.

:func:`read_parcels` accepts a GeoPackage, GeoJSON, zipped Shapefile (``.zip``), a
loose ``.shp`` beside its ``.shx``/``.dbf``/``.prj``/``.cpg``, or a CSV with a WKT
column or lon/lat columns.  :func:`read_parcels_bytes` does the same for an upload.

What happens, in order:

1. the file is sniffed (extension against first bytes); a zip is unpacked safely
   into a private temporary folder (:mod:`parcels.archive`);
2. the attribute encoding is taken from the ``.cpg`` or detected from the DBF/CSV
   bytes (:mod:`parcels.encoding`) unless ``encoding=`` is given, and handed to the
   reader;
3. the CRS is the file's; a file without one is refused unless ``crs=`` is given
   (the error suggests a likely CRS from the coordinates); ``gcj02=True`` declares
   lon/lat in GCJ-02 (AMap) and converts them to WGS84; output is always EPSG:4326;
4. columns are mapped onto :data:`parcels.schema.CANONICAL_FIELDS`
   (:mod:`parcels.fields`); values are coerced: land use (:mod:`parcels.landuse`),
   dates and lease terms (:mod:`parcels.dates`), numbers (:mod:`parcels.numbers`);
5. geometries are checked and repaired (:mod:`parcels.geometry`).

Nothing is dropped silently: every input record is either a row of
``IngestResult.frame`` or a row of ``IngestResult.rejected`` (null or non-polygon
geometry) listed in the report as an error.  Besides the canonical columns the
frame carries ``source_row`` (the 1-based input record number the report uses),
``land_use_source`` (the raw land-use value) and every unmapped source column
under its original name (prefixed ``src_`` when the name clashes with a canonical
or derived field), so none of the user's data is lost.

Negative amounts, areas, terms and head counts are reported (``negative_value``)
and set to missing (NaN / <NA>), never to zero: the analysis treats such a parcel
as unrated for that indicator.
"""

from __future__ import annotations

import codecs
import io
import logging
import re
import shutil
import tempfile
import unicodedata
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pyogrio.errors
import pyproj
import shapely
from shapely.geometry.base import BaseGeometry

from core.errors import CRSError, InputFileError
from core.gcj02 import geometry_gcj02_to_wgs84
from core.gdal import no_sidecar_files
from core.settings import GEOGRAPHIC_CRS, get_settings
from parcels.archive import safe_extract_zip, sniff_format
from parcels.dates import DATE_DTYPE, complete_lease, parse_dates
from parcels.encoding import (
    dbf_decode_failures,
    dbf_field_names,
    detect_dbf_encoding,
    detect_text_encoding,
    normalise_encoding,
)
from parcels.fields import FieldMapping, map_fields, normalise_name
from parcels.geometry import check_geometries
from parcels.landuse import classify_land_use, unrecognised_land_use
from parcels.numbers import UNIT_SCALES, coerce_numeric, coerce_quantity
from parcels.schema import ALLOCATED_USES, CANONICAL_FIELDS, DERIVED_FIELDS, ZONE_IDS
from parcels.validate import Issue, ValidationReport

__all__ = ["IngestResult", "read_parcels", "read_parcels_bytes", "canonical_attributes", "EXTRA_COLUMNS"]

log = logging.getLogger(__name__)

#: Columns the reader adds to the canonical ones.
EXTRA_COLUMNS: tuple[str, ...] = ("source_row", "land_use_source")

_PYOGRIO_ERRORS = (
    pyogrio.errors.DataSourceError,
    pyogrio.errors.DataLayerError,
    pyogrio.errors.FieldError,
    pyogrio.errors.GeometryError,
    pyogrio.errors.FeatureError,
    pyogrio.errors.CRSError,
)
_WKT_NAMES = ("wkt", "geometry", "geom", "thegeom", "shape", "wktgeom", "geometrywkt", "几何", "几何图形")
_LON_NAMES = ("lon", "lng", "long", "longitude", "x", "经度", "东经")
_LAT_NAMES = ("lat", "latitude", "y", "纬度", "北纬")
_FLOAT_FIELDS = tuple(f.name for f in CANONICAL_FIELDS if f.kind == "float")
_ZONE_WORDS = {"总部": "hq", "孵化": "incubation", "示范": "demonstration", "场景": "demonstration"}


@dataclass(frozen=True)
class IngestResult:
    """A parcel layer read into the canonical schema.

    Attributes
    ----------
    frame
        Canonical parcels (EPSG:4326, Polygon/MultiPolygon), see the module docstring.
    report
        Every problem found, with 1-based input row numbers.
    source_crs
        CRS of the source (as declared by the file or by ``crs=``); ``GCJ-02`` noted.
    encoding
        Attribute encoding used (None for formats that are always UTF-8).
    field_mapping
        Source column -> canonical field.
    unmapped
        Source columns mapped to no field (kept in ``frame``).
    rejected
        Unusable input records (EPSG:4326, original geometry or None), same columns as
        ``frame``.  ``len(frame) + len(rejected)`` is the number of input records.
    layer
        Layer read (GeoPackage layer or Shapefile name), when there is one.
    source_format
        ``gpkg``, ``geojson``, ``shp`` (also from a zip) or ``csv``.
    """

    frame: gpd.GeoDataFrame
    report: ValidationReport
    source_crs: str
    encoding: str | None
    field_mapping: dict[str, str]
    unmapped: list[str]
    rejected: gpd.GeoDataFrame = field(repr=False)
    layer: str | None = None
    source_format: str = ""


@dataclass
class _Raw:
    frame: gpd.GeoDataFrame
    fmt: str
    encoding: str | None
    layer: str | None
    geometry_from: str = "file"  # file | wkt | lonlat
    issues: list[Issue] = field(default_factory=list)


# --- reading ----------------------------------------------------------------------------------


def _ogr_read(
    path: Path, *, encoding: str | None = None, layer: str | None = None, open_options: Mapping[str, str] | None = None
) -> tuple[gpd.GeoDataFrame, list[Issue]]:
    """Read with pyogrio, turning reader errors into InputFileError and warnings into issues."""
    kwargs: dict[str, object] = {"on_invalid": "ignore", **(open_options or {})}
    if encoding is not None:
        kwargs["encoding"] = encoding
    if layer is not None:
        kwargs["layer"] = layer
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            frame = pyogrio.read_dataframe(path, use_arrow=True, **kwargs)
        except UnicodeDecodeError as err:
            raise InputFileError(
                f"{path.name}: text in the file is not valid {encoding or 'UTF-8'} ({err}). Give the right "
                "encoding (e.g. gbk or utf-8; CLI: --encoding).",
                f"{path.name}：文件中的文字不是有效的 {encoding or 'UTF-8'} 编码（{err}）。请指定正确的编码（如 gbk 或 utf-8，"
                "命令行 --encoding）。",
            ) from err
        except _PYOGRIO_ERRORS as err:
            if "use_arrow=False" not in str(err):
                raise _unreadable(path, err) from err
            try:
                frame = pyogrio.read_dataframe(path, use_arrow=False, **kwargs)
            except _PYOGRIO_ERRORS as err2:
                raise _unreadable(path, err2) from err2
    issues = [
        Issue.make("reader_warning", f"读取时的提示：{w.message}", f"reader warning: {w.message}")
        for w in caught
    ]
    return frame, issues


def _unreadable(path: Path, err: Exception) -> InputFileError:
    return InputFileError(
        f"{path.name} cannot be read as a GIS layer ({type(err).__name__}: {err}). The file may be "
        "truncated, damaged or not what its extension says; export the layer again.",
        f"{path.name} 无法作为 GIS 图层读取（{type(err).__name__}：{err}）。文件可能不完整、已损坏或与扩展名不符，请重新导出图层。",
    )


def _sidecar(shp: Path, suffix: str) -> Path | None:
    for cand in shp.parent.iterdir():
        if cand.stem == shp.stem and cand.suffix.lower() == suffix:
            return cand
    return None


def _read_shp(path: Path, *, encoding: str | None, tmp: Path) -> _Raw:
    missing = [s for s in (".shx", ".dbf") if _sidecar(path, s) is None]
    if missing:
        raise InputFileError(
            f"The Shapefile {path.name} comes without its {', '.join(missing)} file(s). A Shapefile is several "
            "files (.shp, .shx, .dbf, .prj, .cpg): put them all in one .zip and load the zip.",
            f"Shapefile {path.name} 缺少 {'、'.join(missing)} 文件。Shapefile 由多个文件组成（.shp/.shx/.dbf/.prj/.cpg），"
            "请将它们一起压缩为 .zip 后上传。",
        )
    dbf = _sidecar(path, ".dbf")
    assert dbf is not None
    if encoding is not None:
        enc = normalise_encoding(encoding)
        if dbf_decode_failures(dbf, enc):
            likely, _ = detect_dbf_encoding(dbf)
            raise InputFileError(
                f"The attributes of {path.name} are not valid {enc} text; they look like {likely}. "
                f"Give encoding {likely} (CLI: --encoding {likely.lower()}) or leave it out to detect it.",
                f"{path.name} 的属性不是有效的 {enc} 编码，看起来是 {likely}。请指定编码 {likely}"
                f"（命令行 --encoding {likely.lower()}），或不指定以自动识别。",
            )
    else:
        enc, how = detect_dbf_encoding(dbf)
        log.info("encoding of %s: %s (%s)", dbf.name, enc, how)
    path, issues = _repair_field_names(path, dbf, enc, tmp)
    frame, more = _ogr_read(path, encoding=enc)
    return _Raw(frame, "shp", enc, path.stem, issues=issues + more)


def _repair_field_names(shp: Path, dbf: Path, enc: str, tmp: Path) -> tuple[Path, list[Issue]]:
    """Copy the Shapefile with DBF field names cut mid-character trimmed to whole characters.

    DBF field names hold at most 10 bytes; writers cut longer names bytewise, which
    leaves half a UTF-8 character (宗地编号 is 12 bytes) that no reader can decode.
    """
    names = dbf_field_names(dbf)
    fixed: dict[int, bytes] = {}
    issues = []
    for k, raw in enumerate(names):
        try:
            raw.decode(enc)
        except UnicodeDecodeError:
            # only an incomplete last character is repaired; anything else stays for the reader to refuse
            try:
                text = codecs.getincrementaldecoder(enc)().decode(raw, final=False)
            except UnicodeDecodeError:
                continue
            fixed[k] = text.encode(enc)
            issues.append(Issue.make(
                "truncated_field_name",
                f"字段名在 DBF 中被截断（上限 10 字节），半个字符已去掉，按“{text}”读取",
                f"a field name was cut mid-character by the DBF 10-byte limit; read as '{text}'",
                field=text, value=raw.hex()))
    if not fixed:
        return shp, []
    folder = tmp / "renamed"
    folder.mkdir(exist_ok=True)
    for sidecar in shp.parent.iterdir():
        if sidecar.stem == shp.stem and sidecar.is_file():
            shutil.copyfile(sidecar, folder / sidecar.name)
    data = bytearray((folder / dbf.name).read_bytes())
    for k, name in fixed.items():
        off = 32 + 32 * k
        data[off : off + 11] = name.ljust(11, b"\x00")[:11]
    (folder / dbf.name).write_bytes(bytes(data))
    return folder / shp.name, issues


def _pick_layer(path: Path, layer: str | None) -> str:
    try:
        layers = pyogrio.list_layers(path)
    except _PYOGRIO_ERRORS as err:
        raise _unreadable(path, err) from err
    names = [str(n) for n, _ in layers]
    described = ", ".join(f"{n} ({t or 'no geometry'})" for n, t in layers)
    if layer is not None:
        if layer not in names:
            raise InputFileError(
                f"{path.name} has no layer '{layer}'. Its layers: {described}.",
                f"{path.name} 中没有图层“{layer}”。现有图层：{described}。",
            )
        return layer
    if len(names) == 1:
        return names[0]
    polygons = [str(n) for n, t in layers if t and "polygon" in str(t).lower()]
    if len(polygons) == 1:
        return polygons[0]
    raise InputFileError(
        f"{path.name} holds several layers and {'none' if not polygons else 'more than one'} of them is a "
        f"polygon layer: {described or '(none)'}. Choose one with layer= (CLI: --layer NAME).",
        f"{path.name} 含有多个图层，{'其中没有' if not polygons else '其中有不止一个'}面图层：{described or '（无）'}。"
        "请用 layer=（命令行 --layer NAME）指定图层。",
    )


def _read_gpkg(path: Path, *, layer: str | None) -> _Raw:
    name = _pick_layer(path, layer)
    frame, issues = _ogr_read(path, layer=name)
    return _Raw(frame, "gpkg", None, name, issues=issues)


def _read_geojson(path: Path, *, encoding: str | None, tmp: Path) -> _Raw:
    data = path.read_bytes()
    enc = normalise_encoding(encoding) if encoding else detect_text_encoding(data)
    source = path
    if enc not in ("UTF-8", "UTF-8-SIG"):
        # GeoJSON is UTF-8 by definition (RFC 7946); re-encode a GBK file for the reader
        source = tmp / "reencoded.geojson"
        source.write_text(_decode(data, enc, path), encoding="utf-8")
    # GDAL's GeoJSON driver turns strings that look like dates or times into date/time fields
    # ("T0001" becomes 00:01:00): keep every string as written; dates are read by parcels.dates
    frame, issues = _ogr_read(source, open_options={"DATE_AS_STRING": "YES"})
    return _Raw(frame, "geojson", enc, None, issues=issues)


def _decode(data: bytes, enc: str, path: Path) -> str:
    try:
        return data.decode(enc)
    except (UnicodeDecodeError, LookupError) as err:
        raise InputFileError(
            f"{path.name} is not valid {enc} text ({err}). Give the right encoding (e.g. gbk or utf-8).",
            f"{path.name} 不是有效的 {enc} 文本（{err}）。请指定正确的编码（如 gbk 或 utf-8）。",
        ) from err


def _find_column(columns: list[str], names: tuple[str, ...]) -> str | None:
    by_norm = {normalise_name(c): c for c in columns}
    for n in names:
        if n in by_norm:
            return by_norm[n]
    return None


def _read_csv(path: Path, *, encoding: str | None) -> _Raw:
    data = path.read_bytes()
    enc = normalise_encoding(encoding) if encoding else detect_text_encoding(data)
    text = _decode(data, enc, path)
    try:
        df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        raise InputFileError(
            f"{path.name} cannot be read as CSV ({err}). Save it as comma-separated text with one header line.",
            f"{path.name} 无法按 CSV 读取（{err}）。请另存为逗号分隔、带一行表头的文本。",
        ) from err
    cols = [str(c) for c in df.columns]
    wkt_col = _find_column(cols, _WKT_NAMES)
    lon_col = _find_column(cols, _LON_NAMES)
    lat_col = _find_column(cols, _LAT_NAMES)
    if wkt_col is not None:
        wkt = df[wkt_col].str.strip().replace("", None)
        geoms = shapely.from_wkt(wkt.to_numpy(dtype=object), on_invalid="ignore")
        frame = gpd.GeoDataFrame(df.drop(columns=[wkt_col]), geometry=geoms, crs=None)
        return _Raw(frame, "csv", enc, None, geometry_from="wkt")
    if lon_col is not None and lat_col is not None:
        lon, _ = coerce_numeric(df[lon_col])
        lat, _ = coerce_numeric(df[lat_col])
        ok = lon.notna() & lat.notna()
        geoms = np.full(len(df), None, dtype=object)
        geoms[ok.to_numpy()] = shapely.points(lon[ok].to_numpy(), lat[ok].to_numpy())
        frame = gpd.GeoDataFrame(df.drop(columns=[lon_col, lat_col]), geometry=geoms, crs=None)
        return _Raw(frame, "csv", enc, None, geometry_from="lonlat")
    raise InputFileError(
        f"{path.name} has no geometry: expected a WKT column (wkt, geometry, geom, 几何) or lon/lat columns "
        f"(lon/lng/longitude/x/经度 and lat/latitude/y/纬度). Columns found: {', '.join(cols)}.",
        f"{path.name} 没有几何信息：需要 WKT 列（wkt、geometry、geom、几何）或经纬度列（经度/lon、纬度/lat）。"
        f"现有列：{'、'.join(cols)}。",
    )


def _read_zip(path: Path, *, layer: str | None, encoding: str | None, tmp: Path) -> _Raw:
    unpacked = tmp / "unpacked"
    unpacked.mkdir()
    files = safe_extract_zip(path, unpacked)
    data_files = [
        f for f in files
        if not any(p.startswith(".") or p == "__MACOSX" for p in f.relative_to(unpacked).parts)
    ]
    shps = [f for f in data_files if f.suffix.lower() == ".shp"]
    others = [f for f in data_files if f.suffix.lower() in (".gpkg", ".geojson", ".json", ".csv")]
    nested = [f.name for f in data_files if f.suffix.lower() == ".zip"]
    candidates = shps or others
    if not candidates:
        listed = ", ".join(f.relative_to(unpacked).as_posix() for f in files) or "(empty)"
        extra_en = " Archives inside the zip are not opened; zip the layer's files directly." if nested else ""
        extra_zh = "压缩包内的压缩包不会被打开，请直接压缩图层文件。" if nested else ""
        raise InputFileError(
            f"{path.name} contains no .shp (nor .gpkg/.geojson/.csv) layer. Found: {listed}.{extra_en}",
            f"{path.name} 中没有 .shp（或 .gpkg/.geojson/.csv）图层。找到：{listed}。{extra_zh}",
        )
    if len(candidates) > 1:
        chosen = [f for f in candidates if layer is not None and f.stem == layer]
        if not chosen and layer is None:
            chosen = [f for f in candidates if f.suffix.lower() == ".shp" and _is_polygon_shp(f)]
        if len(chosen) != 1:
            names = ", ".join(f.relative_to(unpacked).as_posix() for f in candidates)
            raise InputFileError(
                f"{path.name} holds several layers ({names}); choose one with layer= (CLI: --layer NAME, "
                "the file name without extension).",
                f"{path.name} 含有多个图层（{names}），请用 layer=（命令行 --layer 文件名，不含扩展名）指定。",
            )
        candidates = chosen
    inner = candidates[0]
    raw = _read_path(inner, sniff_format(inner), layer=layer if inner.suffix.lower() == ".gpkg" else None,
                     encoding=encoding, tmp=tmp)
    return raw


def _is_polygon_shp(shp: Path) -> bool:
    try:
        info = pyogrio.read_info(shp)
    except _PYOGRIO_ERRORS:
        return False
    return "polygon" in str(info.get("geometry_type") or "").lower()


def _read_path(path: Path, fmt: str, *, layer: str | None, encoding: str | None, tmp: Path) -> _Raw:
    no_sidecar_files()  # reading never writes beside the user's file
    if fmt == "zip":
        return _read_zip(path, layer=layer, encoding=encoding, tmp=tmp)
    if fmt == "shp":
        return _read_shp(path, encoding=encoding, tmp=tmp)
    if fmt == "gpkg":
        return _read_gpkg(path, layer=layer)
    if fmt == "geojson":
        return _read_geojson(path, encoding=encoding, tmp=tmp)
    return _read_csv(path, encoding=encoding)


# --- CRS --------------------------------------------------------------------------------------


def _crs_hint(bounds: np.ndarray) -> tuple[str, str]:
    minx, miny, maxx, maxy = bounds
    if not np.all(np.isfinite(bounds)):
        return "", ""
    if 300_000 <= minx and maxx <= 700_000 and 2_500_000 <= miny and maxy <= 3_000_000:
        return (" The coordinates look like CGCS2000 / 3-degree Gauss-Kruger CM 117E: EPSG:4548?",
                "坐标看起来像 CGCS2000 3 度带高斯-克吕格投影（中央经线 117°E）：EPSG:4548？")
    if 39_300_000 <= minx and maxx <= 39_700_000 and 2_500_000 <= miny and maxy <= 3_000_000:
        return (" The coordinates look like CGCS2000 / 3-degree Gauss-Kruger zone 39 (with zone prefix): EPSG:4527?",
                "坐标看起来像带带号的 CGCS2000 3 度带第 39 带：EPSG:4527？")
    if 73 <= minx and maxx <= 136 and 3 <= miny and maxy <= 54:
        return (" The coordinates look like lon/lat: EPSG:4326 (WGS84) or EPSG:4490 (CGCS2000)? If they come "
                "from AMap/Gaode they are GCJ-02: declare gcj02.",
                "坐标看起来是经纬度：EPSG:4326（WGS84）或 EPSG:4490（CGCS2000）？若来自高德地图则为 GCJ-02，请声明 gcj02。")
    return "", ""


def _parse_crs(crs: str) -> pyproj.CRS:
    try:
        return pyproj.CRS.from_user_input(crs)
    except pyproj.exceptions.CRSError as err:
        raise CRSError(
            f"'{crs}' is not a CRS pyproj understands ({err}). Use an EPSG code such as EPSG:4548.",
            f"无法识别坐标系“{crs}”（{err}）。请使用 EPSG 代码，如 EPSG:4548。",
        ) from err


def _same_crs(a: pyproj.CRS, b: pyproj.CRS) -> bool:
    if a.equals(b, ignore_axis_order=True):
        return True
    lonlat = {4326, 4490}
    return a.to_epsg() in lonlat and b.to_epsg() in lonlat


def _resolve_crs(
    file_crs: pyproj.CRS | None, crs: str | None, gcj02: bool, bounds: np.ndarray, name: str, *, override: bool = False
) -> pyproj.CRS:
    declared = _parse_crs(crs) if crs else None
    if override and declared is None:
        raise CRSError(
            "Overriding the file's CRS needs the CRS to use instead (CLI: --crs EPSG:xxxx with --override-crs).",
            "覆盖文件自带坐标系需要同时指定要使用的坐标系（命令行：--override-crs 与 --crs EPSG:xxxx 一起使用）。",
        )
    if file_crs is not None and declared is not None and not _same_crs(file_crs, declared) and not override:
        raise CRSError(
            f"{name} declares {_crs_label(file_crs)} but {_crs_label(declared)} was given. Remove the CRS "
            "option to use the file's CRS; if the file's .prj is wrong, keep the CRS and also choose "
            "'override the file's CRS' (CLI: --override-crs).",
            f"{name} 自带坐标系 {_crs_label(file_crs)}，但指定了 {_crs_label(declared)}。请去掉坐标系参数以使用文件自带坐标系；"
            "若文件的 .prj 有误，请保留所指定的坐标系并勾选“覆盖文件自带坐标系”（命令行：--override-crs）。",
        )
    chosen = declared if override else (file_crs or declared)
    if chosen is None and gcj02:
        chosen = pyproj.CRS.from_epsg(4326)
    if chosen is None:
        hint_en, hint_zh = _crs_hint(bounds)
        raise CRSError(
            f"{name} has no coordinate reference system (no .prj or CRS definition), so its positions "
            f"cannot be placed on the map.{hint_en} Declare the CRS (CLI: --crs followed by the EPSG code, e.g. --crs EPSG:4548) or add a .prj.",
            f"{name} 没有坐标系信息（缺少 .prj 或坐标系定义），无法确定位置。{hint_zh}"
            "请指定坐标系（命令行 --crs 加 EPSG 代码，例如 --crs EPSG:4548）或补充 .prj 文件。",
        )
    if gcj02 and not chosen.is_geographic:
        raise CRSError(
            f"gcj02 was declared but {name} is in the projected CRS {_crs_label(chosen)}; GCJ-02 applies to "
            "lon/lat only. Drop the gcj02 option.",
            f"声明了 GCJ-02，但 {name} 是投影坐标系 {_crs_label(chosen)}；GCJ-02 只适用于经纬度。请去掉 gcj02 选项。",
        )
    if np.all(np.isfinite(bounds)):
        looks_lonlat = bounds[0] >= -180 and bounds[2] <= 180 and bounds[1] >= -90 and bounds[3] <= 90
        if chosen.is_geographic and not looks_lonlat:
            hint_en, hint_zh = _crs_hint(bounds)
            raise CRSError(
                f"{name} is said to be in {_crs_label(chosen)} (lon/lat) but its coordinates reach "
                f"{bounds[2]:.0f}, {bounds[3]:.0f}, which are not degrees.{hint_en} Declare the right CRS.",
                f"{name} 的坐标系为 {_crs_label(chosen)}（经纬度），但坐标达到 {bounds[2]:.0f}, {bounds[3]:.0f}，"
                f"不是度。{hint_zh}请指定正确的坐标系。",
            )
        if chosen.is_projected and looks_lonlat and max(abs(bounds[2]), abs(bounds[3])) > 1:
            raise CRSError(
                f"{name} is said to be in the projected CRS {_crs_label(chosen)} but its coordinates look like "
                "degrees of lon/lat. Declare EPSG:4326 or EPSG:4490 instead.",
                f"{name} 的坐标系为投影坐标系 {_crs_label(chosen)}，但坐标看起来是经纬度。请改为 EPSG:4326 或 EPSG:4490。",
            )
    return chosen


def _total_bounds(geoms: np.ndarray) -> np.ndarray:
    """(minx, miny, maxx, maxy) of the non-empty geometries; all NaN when there are none."""
    present = geoms[~(shapely.is_missing(geoms) | shapely.is_empty(geoms))]
    return shapely.total_bounds(present) if len(present) else np.full(4, np.nan)


def _crs_label(crs: pyproj.CRS) -> str:
    """``EPSG:nnnn`` when the CRS can be identified (also from an ESRI .prj), else its name."""
    code = crs.to_epsg(min_confidence=70)
    return f"EPSG:{code}" if code is not None else crs.name


_EXACT_DATUMS = ("World Geodetic System 1984", "China 2000")


def _datum_issue(src: pyproj.CRS) -> Issue | None:
    """A warning when the source datum converts to WGS84 only approximately (Xi'an 1980, Beijing 1954 ...).

    CGCS2000 and WGS84 agree within a few centimetres and are treated as equal.
    """
    geodetic = src.geodetic_crs
    datum = geodetic.datum.name if geodetic is not None and geodetic.datum is not None else ""
    if any(name in datum for name in _EXACT_DATUMS):
        return None
    with warnings.catch_warnings(record=True):  # "missing grids" notices: the accuracy tells the story
        warnings.simplefilter("always")
        group = pyproj.transformer.TransformerGroup(src, GEOGRAPHIC_CRS, always_xy=True)
    first = group.transformers[0] if group.transformers else None  # PROJ's preferred operation
    accuracy = first.accuracy if first is not None and first.accuracy > 0 else None
    how_en = f"about {accuracy:g} m" if accuracy else "an unknown amount (no published parameters; tens of metres or more)"
    how_zh = f"约 {accuracy:g} 米" if accuracy else "未知（无公开转换参数，可能达数十米以上）"
    return Issue.make(
        "approximate_datum",
        f"源坐标系的基准“{datum}”转换到 WGS84/CGCS2000 只能近似，位置误差{how_zh}。"
        "如有当地转换参数，请先将图层转换到 CGCS2000 后再导入。",
        f"the source datum '{datum}' converts to WGS84/CGCS2000 only approximately: positions may be off by "
        f"{how_en}. Reproject the layer to CGCS2000 with local parameters before loading it, if available.",
        value=_crs_label(src),
    )


def _to_lonlat(geoms: np.ndarray, src: pyproj.CRS, gcj02: bool) -> np.ndarray:
    series = gpd.GeoSeries(geoms, crs=src).to_crs(GEOGRAPHIC_CRS)
    out = np.asarray(series.array, dtype=object)
    if gcj02:
        present = ~shapely.is_missing(out)
        out[present] = geometry_gcj02_to_wgs84(out[present])
    return out


# --- attributes -------------------------------------------------------------------------------


def _as_text(values: pd.Series) -> pd.Series:
    """Text values, stripped; integral floats lose their '.0'; empty -> missing."""
    if pd.api.types.is_float_dtype(values.dtype):
        finite = values.dropna()
        if len(finite) and np.all(np.mod(finite.to_numpy(), 1) == 0):
            values = values.astype("Int64")
    text = values.astype("str").str.strip()
    return text.mask(text == "").astype("str")


def _issues_for(
    mask: pd.Series | np.ndarray,
    rows: np.ndarray,
    ids: np.ndarray,
    code: str,
    zh: str,
    en: str,
    *,
    field_name: str | None = None,
    raw: pd.Series | None = None,
) -> list[Issue]:
    """One issue per True in ``mask``; ``{v}`` in the messages is the raw value."""
    idx = np.flatnonzero(np.asarray(mask, dtype=bool))
    if idx.size == 0:
        return []
    raw_values = raw.iloc[idx].to_numpy(dtype=object) if raw is not None else np.full(idx.size, None)
    out = []
    for i, v in zip(idx, raw_values, strict=True):
        out.append(Issue.make(code, zh.format(v=v), en.format(v=v), row=int(rows[i]), parcel_id=ids[i],
                              field=field_name, value=v))
    return out


def _numbers(
    name: str, values: pd.Series, rows: np.ndarray, ids: np.ndarray, *, integer: bool
) -> tuple[pd.Series, list[Issue]]:
    spec = next(f for f in CANONICAL_FIELDS if f.name == name)
    spec_zh = spec.zh
    issues: list[Issue] = []
    if spec.unit in UNIT_SCALES:
        q = coerce_quantity(values, spec.unit)
        nums, bad = q.numbers, q.unparsable
        scaled = (q.scale != 1.0).to_numpy() & nums.notna().to_numpy()
        if scaled.any():
            shown = values.astype("str") + " → " + nums.map(lambda v: f"{v:,.6g}") + " " + spec.unit
            issues += _issues_for(scaled, rows, ids, "unit_converted", f"{spec_zh}“{{v}}”（已换算单位）",
                                  f"{name} '{{v}}' (unit converted)", field_name=name, raw=shown)
    else:
        nums, bad = coerce_numeric(values)
    if integer:
        frac = nums.notna() & (np.mod(nums.fillna(0), 1) != 0)
        bad = bad | frac
        nums = nums.mask(frac)
    issues += _issues_for(bad, rows, ids, "unparsable_number",
                          f"{spec_zh}“{{v}}”不是有效数值（或单位不是{spec.unit}及其换算单位），已视为缺失",
                          f"{name} '{{v}}' is not a valid number (or its unit is not {spec.unit} or one that "
                          "converts to it); set to missing", field_name=name, raw=values)
    negative = nums < 0 if name != "lease_years" else nums <= 0
    issues += _issues_for(negative, rows, ids, "negative_value",
                          f"{spec_zh}为{{v}}（不能为负{'或零' if name == 'lease_years' else ''}），已视为缺失，该指标不参与评价",
                          f"{name} is {{v}} ({'not positive' if name == 'lease_years' else 'negative'}); "
                          "set to missing, the indicator is unrated", field_name=name, raw=values)
    nums = nums.mask(negative)
    return (nums.round().astype("Int64") if integer else nums.astype("float64")), issues


def _zone_ids(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    text = _as_text(values)

    def one(v: str) -> str | None:
        low = unicodedata.normalize("NFKC", v).strip().casefold()
        if low in ZONE_IDS:
            return low
        for word, zone in _ZONE_WORDS.items():
            if word in v:
                return zone
        return None

    table = {u: one(u) for u in pd.unique(text.dropna())}
    zones = text.map(table).astype(object)
    unknown = text.notna() & zones.isna()
    return zones.fillna("").astype("str"), unknown


def canonical_attributes(
    src: pd.DataFrame, mapping: Mapping[str, str], rows: np.ndarray
) -> tuple[pd.DataFrame, list[Issue]]:
    """Attribute columns read into the canonical fields, with the issues found (no geometry).

    Parameters
    ----------
    src
        Source columns (text or numbers), one row per record.
    mapping
        Source column -> canonical field (:func:`parcels.fields.map_fields`).
    rows
        1-based record numbers of ``src``'s rows, used in the issues.

    Returns
    -------
    Every canonical field (absent ones empty, ``parcel_id`` generated as ``row-N`` where
    missing) and the issues, as for a parcel layer.  Used by :mod:`parcels.join` so that a
    statistics table is read exactly like a layer's attributes.
    """
    return _canonicalise(src.reset_index(drop=True), dict(mapping), rows)


def _canonicalise(src: pd.DataFrame, mapping: dict[str, str], rows: np.ndarray) -> tuple[pd.DataFrame, list[Issue]]:
    by_field = {dst: src[col] for col, dst in mapping.items()}
    n = len(src)
    issues: list[Issue] = []
    out = pd.DataFrame(index=src.index)

    # parcel_id first: every later issue names it
    if "parcel_id" in by_field:
        pid = _as_text(by_field["parcel_id"])
    else:
        pid = pd.Series(pd.NA, index=src.index, dtype="str")
    no_id = pid.isna().to_numpy()
    generated = pd.Series([f"row-{r}" for r in rows], index=src.index, dtype="str")
    pid = pid.where(~no_id, generated).astype("str")
    ids = pid.to_numpy(dtype=object)
    if "parcel_id" in by_field:
        issues += _issues_for(no_id, rows, ids, "missing_id", "缺少宗地编号，已生成编号“{v}”",
                              "no parcel_id; generated '{v}'", field_name="parcel_id", raw=generated)
    else:
        issues.append(Issue.make("missing_id", "图层没有宗地编号字段，已按行号生成编号（row-行号）",
                                 "the layer has no parcel_id column; ids generated from row numbers (row-N)",
                                 field="parcel_id"))
    dup = pid.duplicated(keep=False).to_numpy() & ~no_id
    issues += _issues_for(dup, rows, ids, "duplicate_id", "宗地编号“{v}”重复出现（各行均保留）",
                          "parcel_id '{v}' occurs more than once (all rows kept)", field_name="parcel_id", raw=pid)
    out["parcel_id"] = pid

    out["enterprise"] = _as_text(by_field["enterprise"]) if "enterprise" in by_field else pd.Series(
        pd.NA, index=src.index, dtype="str")

    if "land_use" in by_field:
        raw_lu = _as_text(by_field["land_use"])
        out["land_use"] = classify_land_use(raw_lu)
        unknown = unrecognised_land_use(raw_lu)
        issues += _issues_for(unknown, rows, ids, "unknown_land_use",
                              "无法识别的土地用途“{v}”，已归为“其他用地”",
                              "land use '{v}' not recognised; classed as 'other'", field_name="land_use",
                              raw=raw_lu.fillna("(空 / empty)"))
        out["land_use_source"] = raw_lu
    else:
        out["land_use"] = pd.Series("other", index=src.index, dtype="str")
        out["land_use_source"] = pd.Series(pd.NA, index=src.index, dtype="str")

    if "planned_use" in by_field:
        raw_pu = _as_text(by_field["planned_use"])
        out["planned_use"] = classify_land_use(raw_pu).mask(raw_pu.isna()).astype("str")
        unknown = unrecognised_land_use(raw_pu) & raw_pu.notna()
        issues += _issues_for(unknown, rows, ids, "unknown_land_use",
                              "无法识别的规划用途“{v}”，已归为“其他用地”",
                              "planned use '{v}' not recognised; classed as 'other'", field_name="planned_use",
                              raw=raw_pu)
    else:
        out["planned_use"] = pd.Series(pd.NA, index=src.index, dtype="str")

    dates: dict[str, pd.Series] = {}
    for name in ("lease_start", "lease_end"):
        if name in by_field:
            parsed, bad = parse_dates(by_field[name])
            label = "出让日期" if name == "lease_start" else "终止日期"
            issues += _issues_for(bad, rows, ids, "unparsable_date", f"{label}“{{v}}”无法识别为日期，已视为缺失",
                                  f"{name} '{{v}}' is not a recognisable date; set to missing", field_name=name,
                                  raw=by_field[name])
            dates[name] = parsed
        else:
            dates[name] = pd.Series(pd.NaT, index=src.index, dtype=DATE_DTYPE)
    if "lease_years" in by_field:
        years, more = _numbers("lease_years", by_field["lease_years"], rows, ids, integer=True)
        issues += more
    else:
        years = pd.Series(pd.NA, index=src.index, dtype="Int64")
    start, years, end, inconsistent = complete_lease(dates["lease_start"], years, dates["lease_end"])
    issues += _issues_for(inconsistent, rows, ids, "inconsistent_lease",
                          "出让日期加出让年限与终止日期不一致（保留原终止日期）",
                          "lease start + term disagrees with the lease end (the given end is kept)")
    has_lease_cols = any(k in by_field for k in ("lease_start", "lease_years", "lease_end"))
    if has_lease_cols:  # allocated land (roads, green space ...) has no lease to miss
        leased = ~out["land_use"].isin(ALLOCATED_USES).to_numpy()
        issues += _issues_for(end.isna().to_numpy() & leased, rows, ids, "missing_lease",
                              "无法确定土地使用权终止日期（缺少终止日期，或缺少出让日期/年限），到期状态未知",
                              "lease end unknown (no end date, nor start date and term); expiry status is unknown")
    out["lease_start"], out["lease_years"], out["lease_end"] = start, years, end

    for name in _FLOAT_FIELDS:
        if name in by_field:
            out[name], more = _numbers(name, by_field[name], rows, ids, integer=False)
            issues += more
        else:
            out[name] = pd.Series(np.nan, index=src.index, dtype="float64")
    if "employees" in by_field:
        out["employees"], more = _numbers("employees", by_field["employees"], rows, ids, integer=True)
        issues += more
    else:
        out["employees"] = pd.Series(pd.NA, index=src.index, dtype="Int64")

    if "zone_id" in by_field:
        out["zone_id"], unknown = _zone_ids(by_field["zone_id"])
        issues += _issues_for(unknown, rows, ids, "unknown_zone", "功能区“{v}”无法识别，将按空间位置判定",
                              "zone '{v}' not recognised; the zone will be assigned spatially", field_name="zone_id",
                              raw=by_field["zone_id"])
    else:
        out["zone_id"] = pd.Series("", index=src.index, dtype="str")

    if not has_lease_cols:
        issues.append(Issue.make("missing_lease", "图层没有出让日期、出让年限或终止日期字段，所有地块到期状态未知",
                                 "the layer has no lease start, term or end column; expiry is unknown for all parcels"))
    ordered = [f.name for f in CANONICAL_FIELDS]
    out = out[[*ordered[:3], "land_use_source", *ordered[3:]]]
    assert len(out) == n
    return out, issues


# --- main entry points ------------------------------------------------------------------------


def read_parcels(
    source: str | Path,
    *,
    layer: str | None = None,
    crs: str | None = None,
    encoding: str | None = None,
    field_map: Mapping[str, str] | None = None,
    gcj02: bool = False,
    district: BaseGeometry | None = None,
    override_crs: bool = False,
) -> IngestResult:
    """Read a parcel layer into the canonical frame and report every problem.

    Parameters
    ----------
    source
        Path to a ``.gpkg``, ``.geojson``/``.json``, ``.zip`` (Shapefile), ``.shp`` or ``.csv``.
    layer
        GeoPackage layer (or Shapefile name inside a zip holding several).  Default:
        the only layer, else the only polygon layer.
    crs
        CRS to assume when the file declares none (e.g. ``"EPSG:4548"``).  A file whose
        own CRS differs is refused, unless ``override_crs``.
    encoding
        Attribute encoding override (``"gbk"``, ``"utf-8"`` ...); default: ``.cpg`` or detected.
    field_map
        Source column -> canonical field overrides.
    gcj02
        The lon/lat coordinates are GCJ-02 (AMap/Gaode): convert them to WGS84.
    district
        District outline in EPSG:4326; parcels not touching it are reported
        (``outside_district``) and kept.
    override_crs
        Use ``crs`` even when the file declares another CRS (a wrong ``.prj``); reported
        as ``crs_overridden``.

    Returns
    -------
    IngestResult

    Raises
    ------
    InputFileError
        The file cannot be read (missing, empty, truncated, wrong type, unsafe archive).
    CRSError
        No CRS and none declared, a conflicting declaration, or coordinates that do not
        fit the CRS.
    SchemaError
        ``field_map`` names unknown columns or fields.
    """
    path = Path(source)
    fmt = sniff_format(path)
    with tempfile.TemporaryDirectory(prefix="huli-ingest-") as tmp:
        raw = _read_path(path, fmt, layer=layer, encoding=encoding, tmp=Path(tmp))
    return _build(raw, name=path.name, crs=crs, field_map=field_map, gcj02=gcj02, district=district,
                  override_crs=override_crs)


def _build(
    raw: _Raw,
    *,
    name: str,
    crs: str | None,
    field_map: Mapping[str, str] | None,
    gcj02: bool,
    district: BaseGeometry | None,
    override_crs: bool = False,
) -> IngestResult:
    frame = raw.frame
    n = len(frame)
    rows = np.arange(1, n + 1)
    if isinstance(frame, gpd.GeoDataFrame):  # a table without geometry comes back as a DataFrame
        geoms = np.asarray(frame.geometry.array, dtype=object)
        attrs = pd.DataFrame(frame.drop(columns=[frame.geometry.name]))
    else:
        geoms = np.full(n, None, dtype=object)
        attrs = pd.DataFrame(frame)
    attrs.index = pd.RangeIndex(n)

    check = check_geometries(geoms)
    # bounds of the polygons (else of whatever geometry there is) for the CRS checks and hints
    polygons = check.geometry[~shapely.is_missing(check.geometry)]
    bounds = _total_bounds(polygons if len(polygons) else geoms)
    file_crs = pyproj.CRS.from_user_input(frame.crs) if getattr(frame, "crs", None) is not None else None
    src_crs = _resolve_crs(file_crs, crs, gcj02, np.asarray(bounds, dtype=float), name, override=override_crs)

    fm = map_fields(list(attrs.columns), field_map=field_map)
    canon, issues = _canonicalise(attrs, fm.mapping, rows)
    ids = canon["parcel_id"].to_numpy(dtype=object)
    issues = list(raw.issues) + _field_issues(fm) + issues
    if override_crs and file_crs is not None and not _same_crs(file_crs, src_crs):
        issues.append(Issue.make(
            "crs_overridden",
            f"文件自带坐标系 {_crs_label(file_crs)} 已按指定改为 {_crs_label(src_crs)}（覆盖文件的 .prj）",
            f"the file declares {_crs_label(file_crs)}; {_crs_label(src_crs)} was used instead as instructed "
            "(the file's .prj overridden)",
            value=_crs_label(file_crs),
        ))

    # geometry issues
    issues += _issues_for(check.repaired, rows, ids, "invalid_geometry_repaired",
                          "几何图形无效（{v}），已自动修复并保留面状部分",
                          "invalid geometry ({v}); repaired, polygonal parts kept", raw=pd.Series(check.reason))
    issues += _issues_for(check.missing, rows, ids, "missing_geometry",
                          "几何图形为空或无法读取，该行不可用", "geometry is null, empty or unreadable; row unusable")
    if raw.geometry_from == "lonlat":
        zh = "该行是由经纬度列生成的点，不是宗地面；宗地分析需要面图层（请提供带 WKT 面几何的 CSV、Shapefile 或 GeoPackage）"
        en = ("row is a point built from lon/lat columns, not a parcel polygon; parcel analysis needs a polygon "
              "layer (a CSV with a WKT polygon column, a Shapefile or a GeoPackage)")
    else:
        zh = "几何类型为 {v}，不是面；宗地必须是面（Polygon/MultiPolygon），该行不可用"
        en = "geometry is a {v}, not a polygon; a parcel must be a Polygon/MultiPolygon; row unusable"
    kinds = pd.Series(check.input_type)
    collapsed = pd.Series(check.reason).notna().to_numpy()  # invalid input whose repair left no area
    kinds = kinds.where(~collapsed, kinds + " (degenerate after repair / 修复后退化)")
    issues += _issues_for(check.non_polygon, rows, ids, "non_polygon_geometry", zh, en, raw=kinds)

    usable = ~(check.missing | check.non_polygon)
    reduced = usable & (check.input_type == "GeometryCollection")
    issues += _issues_for(reduced, rows, ids, "polygonal_parts_kept",
                          "几何集合中只保留了面状部分（点、线已去掉）",
                          "geometry collection: only its polygonal parts were kept (points/lines dropped)")
    datum = _datum_issue(src_crs)
    if datum is not None:
        issues.append(datum)
    lonlat = _to_lonlat(_only(usable, check.geometry), src_crs, gcj02)
    if district is not None:
        outside = usable & ~shapely.intersects(_only(usable, lonlat), district)
        issues += _issues_for(outside, rows, ids, "outside_district", "地块不在区界范围内（已保留）",
                              "parcel lies outside the district boundary (kept)")

    extras, rename_issues = _extras(attrs, fm.unmapped)
    issues += rename_issues
    table = pd.concat([canon, extras], axis=1)
    table.insert(len(canon.columns), "source_row", pd.array(rows, dtype="Int64"))
    good = gpd.GeoDataFrame(table[usable].reset_index(drop=True), geometry=list(lonlat[usable]), crs=GEOGRAPHIC_CRS)
    rejected_geoms = _to_lonlat(geoms[~usable], src_crs, gcj02) if (~usable).any() else np.empty(0, dtype=object)
    rejected = gpd.GeoDataFrame(table[~usable].reset_index(drop=True), geometry=list(rejected_geoms),
                                crs=GEOGRAPHIC_CRS)

    if len(good) == 0:
        if raw.geometry_from == "lonlat":
            zh, en = ("没有可用的宗地：经纬度列只能给出点，宗地分析需要面图层",
                      "no usable parcel: lon/lat columns give points only, parcel analysis needs a polygon layer")
        elif n == 0:
            zh, en = "图层中没有任何要素", "the layer has no features"
        else:
            zh, en = "没有可用的宗地：所有行的几何图形均为空或不是面", "no usable parcel: every row's geometry is empty or not a polygon"
        issues.append(Issue.make("no_usable_parcels", zh, en))

    report = ValidationReport(issues=tuple(issues), n_input_rows=n, n_usable_rows=len(good))
    source_crs = _crs_label(src_crs) + (" (GCJ-02)" if gcj02 else "")
    log.info("read %d parcels (%d rejected) from %s", len(good), len(rejected), name)
    return IngestResult(
        frame=good,
        report=report,
        source_crs=source_crs,
        encoding=raw.encoding,
        field_mapping=dict(fm.mapping),
        unmapped=list(fm.unmapped),
        rejected=rejected,
        layer=raw.layer,
        source_format=raw.fmt,
    )


def _only(mask: np.ndarray, geoms: np.ndarray) -> np.ndarray:
    """``geoms`` where ``mask``, None elsewhere."""
    out = np.asarray(geoms, dtype=object).copy()
    out[~mask] = None
    return out


def _field_issues(fm: FieldMapping) -> list[Issue]:
    issues = []
    for col in fm.unmapped:
        if col in fm.shadowed:
            winner = fm.shadowed[col]
            issues.append(Issue.make(
                "unmapped_field",
                f"列“{col}”与列“{winner}”对应同一标准字段，已采用“{winner}”，本列原样保留",
                f"column '{col}' matches the same field as '{winner}', which was used; '{col}' kept as is",
                field=col))
        else:
            issues.append(Issue.make(
                "unmapped_field", f"列“{col}”不属于标准字段，已原样保留", f"column '{col}' is not a canonical field; kept as is",
                field=col))
    for name in fm.missing:
        spec = next(f for f in CANONICAL_FIELDS if f.name == name)
        issues.append(Issue.make("missing_field", f"图层没有“{spec.zh}”字段", f"the layer has no {spec.en} ({name}) column",
                                 field=name))
    return issues


_RESERVED = {f.name for f in CANONICAL_FIELDS + DERIVED_FIELDS} | {"geometry", *EXTRA_COLUMNS}


def _extras(attrs: pd.DataFrame, unmapped: list[str]) -> tuple[pd.DataFrame, list[Issue]]:
    extras = attrs[unmapped].copy()
    issues = []
    renames = {}
    taken = set(_RESERVED) | set(unmapped)
    for col in unmapped:
        if col in _RESERVED:
            new = f"src_{col}"
            while new in taken:
                new = f"src_{new}"
            taken.add(new)
            renames[col] = new
            issues.append(Issue.make("renamed_field", f"列“{col}”与标准字段重名，已改名为“{new}”保留",
                                     f"column '{col}' clashes with a schema name; kept as '{new}'", field=col))
    return extras.rename(columns=renames), issues


def _safe_name(filename: str) -> str:
    base = Path(str(filename).replace("\\", "/")).name
    stem, suffix = Path(base).stem, Path(base).suffix.lower()
    stem = re.sub(r"[^\w\-.]+", "_", stem).strip("._") or "upload"
    return f"{stem[:100]}{suffix}"


def read_parcels_bytes(
    data: bytes,
    filename: str,
    *,
    layer: str | None = None,
    crs: str | None = None,
    encoding: str | None = None,
    field_map: Mapping[str, str] | None = None,
    gcj02: bool = False,
    district: BaseGeometry | None = None,
    override_crs: bool = False,
) -> IngestResult:
    """:func:`read_parcels` for uploaded bytes; ``filename`` gives the format by its extension.

    The bytes are written into a private temporary folder (removed afterwards).

    Raises
    ------
    InputFileError
        The upload is larger than ``settings.max_upload_mb``, or as :func:`read_parcels`.
    """
    cap_mb = get_settings().max_upload_mb
    if len(data) > cap_mb * 1024 * 1024:
        raise InputFileError(
            f"{filename} is {len(data) / 1024 / 1024:.1f} MB, more than the upload limit of {cap_mb} MB. "
            "Clip the layer to the district or raise HULI_MAX_UPLOAD_MB.",
            f"{filename} 大小为 {len(data) / 1024 / 1024:.1f} MB，超过上传上限 {cap_mb} MB。"
            "请按区界裁剪图层，或调高 HULI_MAX_UPLOAD_MB。",
        )
    with tempfile.TemporaryDirectory(prefix="huli-upload-") as tmp:
        target = Path(tmp) / _safe_name(filename)
        target.write_bytes(data)
        return read_parcels(target, layer=layer, crs=crs, encoding=encoding, field_map=field_map, gcj02=gcj02,
                            district=district, override_crs=override_crs)
