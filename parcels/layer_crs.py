"""The CRS of a parcel layer: the file's, a declared one, an override, GCJ-02; checks and hints.

:func:`resolve_layer_crs` decides which CRS a layer's coordinates are in (refusing a layer without
one, a declaration that contradicts the file unless overridden, and coordinates that do not fit the
CRS, with a likely CRS suggested from the coordinates); :func:`datum_issue` warns about datums that
convert to WGS84 only approximately; :func:`to_lonlat` brings geometries to EPSG:4326 (GCJ-02
converted). CRS values are parsed and named by :mod:`core.crs`, as in every other part of the
product.
"""

from __future__ import annotations

import warnings

import geopandas as gpd
import numpy as np
import pyproj
import shapely

from core.crs import crs_label, parse_crs
from core.errors import CRSError
from core.gcj02 import geometry_gcj02_to_wgs84
from core.settings import GEOGRAPHIC_CRS
from parcels.validate import Issue

__all__ = ["resolve_layer_crs", "same_crs", "total_bounds", "datum_issue", "to_lonlat"]


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




def same_crs(a: pyproj.CRS, b: pyproj.CRS) -> bool:
    if a.equals(b, ignore_axis_order=True):
        return True
    lonlat = {4326, 4490}
    return a.to_epsg() in lonlat and b.to_epsg() in lonlat


def resolve_layer_crs(
    file_crs: pyproj.CRS | None, crs: str | None, gcj02: bool, bounds: np.ndarray, name: str, *, override: bool = False
) -> pyproj.CRS:
    declared = parse_crs(crs) if crs else None
    if override and declared is None:
        raise CRSError(
            "Overriding the file's CRS needs the CRS to use instead (CLI: --crs EPSG:xxxx with --override-crs).",
            "覆盖文件自带坐标系需要同时指定要使用的坐标系（命令行：--override-crs 与 --crs EPSG:xxxx 一起使用）。",
        )
    if file_crs is not None and declared is not None and not same_crs(file_crs, declared) and not override:
        raise CRSError(
            f"{name} declares {crs_label(file_crs)} but {crs_label(declared)} was given. Remove the CRS "
            "option to use the file's CRS; if the file's .prj is wrong, keep the CRS and also choose "
            "'override the file's CRS' (CLI: --override-crs).",
            f"{name} 自带坐标系 {crs_label(file_crs)}，但指定了 {crs_label(declared)}。请去掉坐标系参数以使用文件自带坐标系；"
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
            f"gcj02 was declared but {name} is in the projected CRS {crs_label(chosen)}; GCJ-02 applies to "
            "lon/lat only. Drop the gcj02 option.",
            f"声明了 GCJ-02，但 {name} 是投影坐标系 {crs_label(chosen)}；GCJ-02 只适用于经纬度。请去掉 gcj02 选项。",
        )
    if np.all(np.isfinite(bounds)):
        looks_lonlat = bounds[0] >= -180 and bounds[2] <= 180 and bounds[1] >= -90 and bounds[3] <= 90
        if chosen.is_geographic and not looks_lonlat:
            hint_en, hint_zh = _crs_hint(bounds)
            raise CRSError(
                f"{name} is said to be in {crs_label(chosen)} (lon/lat) but its coordinates reach "
                f"{bounds[2]:.0f}, {bounds[3]:.0f}, which are not degrees.{hint_en} Declare the right CRS.",
                f"{name} 的坐标系为 {crs_label(chosen)}（经纬度），但坐标达到 {bounds[2]:.0f}, {bounds[3]:.0f}，"
                f"不是度。{hint_zh}请指定正确的坐标系。",
            )
        if chosen.is_projected and looks_lonlat and max(abs(bounds[2]), abs(bounds[3])) > 1:
            raise CRSError(
                f"{name} is said to be in the projected CRS {crs_label(chosen)} but its coordinates look like "
                "degrees of lon/lat. Declare EPSG:4326 or EPSG:4490 instead.",
                f"{name} 的坐标系为投影坐标系 {crs_label(chosen)}，但坐标看起来是经纬度。请改为 EPSG:4326 或 EPSG:4490。",
            )
    return chosen


def total_bounds(geoms: np.ndarray) -> np.ndarray:
    """(minx, miny, maxx, maxy) of the non-empty geometries; all NaN when there are none."""
    present = geoms[~(shapely.is_missing(geoms) | shapely.is_empty(geoms))]
    return shapely.total_bounds(present) if len(present) else np.full(4, np.nan)




_EXACT_DATUMS = ("World Geodetic System 1984", "China 2000")


def datum_issue(src: pyproj.CRS) -> Issue | None:
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
        value=crs_label(src),
    )


def to_lonlat(geoms: np.ndarray, src: pyproj.CRS, gcj02: bool) -> np.ndarray:
    series = gpd.GeoSeries(geoms, crs=src).to_crs(GEOGRAPHIC_CRS)
    out = np.asarray(series.array, dtype=object)
    if gcj02:
        present = ~shapely.is_missing(out)
        out[present] = geometry_gcj02_to_wgs84(out[present])
    return out
