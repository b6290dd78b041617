"""Writing one layer, or several, to a file or to bytes: the entry points of the exports.

:func:`export_layer` picks the writer of the format, checks the data and the CRS the format allows
and writes atomically (a reader never sees half a file); :func:`export_layers` writes a
multi-layer GeoPackage, :func:`export_bytes` the bytes for a download button.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyproj

from analysis.export.formats import FORMATS, FormatInfo, check_kind, format_of, in_crs, resolve_crs
from analysis.export.geojson import to_geojson_bytes, write_geojson
from analysis.export.ogr import write_ogr, write_shapefile_zip
from analysis.export.raster import write_raster
from analysis.export.tables import write_csv, write_xlsx
from core.crs import is_wgs84
from core.errors import ConfigError, InputFileError
from core.files import atomic_write
from core.raster import Raster

__all__ = ["export_layer", "export_layers", "export_bytes", "output_folder"]

log = logging.getLogger(__name__)


def export_layer(
    data: gpd.GeoDataFrame | pd.DataFrame | Raster,
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
        :class:`Raster` (tif only).  Not modified.
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
    info = format_of(path, fmt)
    check_kind(data, info)
    name = layer or path.stem
    if info.fixed_crs is not None and crs is not None and not is_wgs84(resolve_crs(crs)):
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
    if isinstance(data, Raster):
        write_raster(data, path, crs=crs)
    else:
        frame = data
        atomic_write(path, lambda tmp: _write_vector(frame, tmp, info=info, crs=crs, name=name, encoding=encoding,
                                                     wkt=wkt))
    log.info("exported %s as %s to %s", name, info.key, path)
    return path


def _write_vector(data: gpd.GeoDataFrame | pd.DataFrame, path: Path, *, info: FormatInfo, crs: Any, name: str,
                  encoding: str, wkt: bool) -> None:
    frame = data
    if isinstance(frame, gpd.GeoDataFrame):
        frame = in_crs(frame, crs)
    elif crs is not None:
        raise ConfigError("A table without geometry has no CRS to convert; drop --crs.",
                          "无几何的表格没有坐标系可转换；请去掉坐标系参数。")
    if info.key == "geojson":
        write_geojson(frame, path)
    elif info.key == "geojson-legacy":
        precision = "7" if pyproj.CRS(frame.crs).is_geographic else "3"
        _unlink(path)
        write_ogr(frame, path, driver="GeoJSON", layer=name,
                   layer_options={"RFC7946": "NO", "COORDINATE_PRECISION": precision, "WRITE_NAME": "NO"})
    elif info.key == "gpkg":
        write_ogr(frame, path, driver="GPKG", layer=name, layer_options={"OVERWRITE": "YES"})
    elif info.key == "shp":
        write_shapefile_zip(frame, path, layer=name, encoding=encoding)
    elif info.key == "csv":
        write_csv(frame, path, wkt=wkt)
    else:
        write_xlsx(frame, path)


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
    data: gpd.GeoDataFrame | pd.DataFrame | Raster | Mapping[str, gpd.GeoDataFrame],
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
    info = format_of(Path(f"{layer}{FORMATS.get(fmt, FORMATS['geojson']).extension}"), fmt)
    if info.key == "geojson" and isinstance(data, gpd.GeoDataFrame):
        if crs is not None and not is_wgs84(resolve_crs(crs)):
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
