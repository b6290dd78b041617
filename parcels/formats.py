"""Format readers of a parcel layer: GeoPackage, GeoJSON, Shapefile (loose or zipped), CSV.

:func:`read_raw` turns a file into a :class:`RawLayer`: the frame as the file holds it (its own
CRS, its own column names and text values), the encoding used, the layer read and the reader's
warnings as issues. It owns what is particular to each format: picking a GeoPackage layer,
unpacking a zip safely (:mod:`parcels.archive`), the Shapefile's sidecars and DBF encoding
(:mod:`parcels.encoding`), field names cut mid-character by the DBF limit, GeoJSON re-encoding and
strings kept as written, CSV geometry from a WKT column or lon/lat columns. CRS resolution and the
attributes are the business of :mod:`parcels.layer_crs` and :mod:`parcels.attributes`.
"""

from __future__ import annotations

import codecs
import io
import logging
import shutil
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pyogrio.errors
import shapely

from core.errors import InputFileError
from core.gdal import no_sidecar_files
from parcels.archive import safe_extract_zip, sniff_format
from parcels.encoding import (
    dbf_decode_failures,
    dbf_field_names,
    detect_dbf_encoding,
    detect_text_encoding,
    normalise_encoding,
)
from parcels.fields import normalise_name
from parcels.numbers import coerce_numeric
from parcels.validate import Issue

__all__ = ["RawLayer", "read_raw"]

log = logging.getLogger(__name__)

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


@dataclass
class RawLayer:
    """A layer as its file holds it.

    Attributes
    ----------
    frame
        The features (their own CRS and column names; a DataFrame when there is no geometry).
    fmt
        ``gpkg``, ``geojson``, ``shp`` (also from a zip) or ``csv``.
    encoding
        Attribute encoding used (None where the format fixes it).
    layer
        GeoPackage layer or Shapefile name read, when there is one.
    geometry_from
        ``file``, ``wkt`` (a CSV's WKT column) or ``lonlat`` (a CSV's lon/lat columns: points).
    issues
        Reader warnings and repairs (e.g. DBF field names cut mid-character).
    """

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


def _read_shp(path: Path, *, encoding: str | None, tmp: Path) -> RawLayer:
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
    return RawLayer(frame, "shp", enc, path.stem, issues=issues + more)


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


def _read_gpkg(path: Path, *, layer: str | None) -> RawLayer:
    name = _pick_layer(path, layer)
    frame, issues = _ogr_read(path, layer=name)
    return RawLayer(frame, "gpkg", None, name, issues=issues)


def _read_geojson(path: Path, *, encoding: str | None, tmp: Path) -> RawLayer:
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
    return RawLayer(frame, "geojson", enc, None, issues=issues)


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


def _read_csv(path: Path, *, encoding: str | None) -> RawLayer:
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
        return RawLayer(frame, "csv", enc, None, geometry_from="wkt")
    if lon_col is not None and lat_col is not None:
        lon, _ = coerce_numeric(df[lon_col])
        lat, _ = coerce_numeric(df[lat_col])
        ok = lon.notna() & lat.notna()
        geoms = np.full(len(df), None, dtype=object)
        geoms[ok.to_numpy()] = shapely.points(lon[ok].to_numpy(), lat[ok].to_numpy())
        frame = gpd.GeoDataFrame(df.drop(columns=[lon_col, lat_col]), geometry=geoms, crs=None)
        return RawLayer(frame, "csv", enc, None, geometry_from="lonlat")
    raise InputFileError(
        f"{path.name} has no geometry: expected a WKT column (wkt, geometry, geom, 几何) or lon/lat columns "
        f"(lon/lng/longitude/x/经度 and lat/latitude/y/纬度). Columns found: {', '.join(cols)}.",
        f"{path.name} 没有几何信息：需要 WKT 列（wkt、geometry、geom、几何）或经纬度列（经度/lon、纬度/lat）。"
        f"现有列：{'、'.join(cols)}。",
    )


def _read_zip(path: Path, *, layer: str | None, encoding: str | None, tmp: Path) -> RawLayer:
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
    raw = read_raw(inner, sniff_format(inner), layer=layer if inner.suffix.lower() == ".gpkg" else None,
                     encoding=encoding, tmp=tmp)
    return raw


def _is_polygon_shp(shp: Path) -> bool:
    try:
        info = pyogrio.read_info(shp)
    except _PYOGRIO_ERRORS:
        return False
    return "polygon" in str(info.get("geometry_type") or "").lower()


def read_raw(path: Path, fmt: str, *, layer: str | None, encoding: str | None, tmp: Path) -> RawLayer:
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
