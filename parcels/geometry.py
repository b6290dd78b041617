"""Parcel geometry checks and repair (vectorised over shapely arrays).

* null or empty geometry: unusable (``missing_geometry``);
* points and lines: unusable (``non_polygon_geometry``) — a parcel is an area;
* invalid polygons: repaired with :func:`shapely.make_valid` (``"linework"``), keeping
  only the polygonal parts (a bow-tie becomes a MultiPolygon of two triangles); the
  reason from :func:`shapely.is_valid_reason` is kept for the report;
* a GeometryCollection (given or produced by the repair) keeps its polygonal parts;
  if none are left the row is unusable;
* Z/M coordinates are dropped (parcels are 2D).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import shapely
from shapely import GeometryType

__all__ = ["GeometryCheck", "check_geometries", "polygonal_parts", "validity_reason_text"]

#: The common GEOS validity reasons (:func:`shapely.is_valid_reason`), in Chinese and English.
_REASONS: dict[str, tuple[str, str]] = {
    "self-intersection": ("自相交", "self-intersection"),
    "ring self-intersection": ("环自相交", "ring self-intersection"),
    "too few points in geometry component": ("几何部件的点数过少", "too few points in a geometry component"),
    "too few points": ("点数过少", "too few points"),
    "hole lies outside shell": ("内环位于外环之外", "hole lies outside the shell"),
    "nested shells": ("外环相互嵌套", "nested shells"),
    "interior is disconnected": ("内部不连通", "interior is disconnected"),
    "invalid coordinate": ("坐标无效", "invalid coordinate"),
    "duplicate rings": ("环重复", "duplicate rings"),
    "nested holes": ("内环相互嵌套", "nested holes"),
}
_REASON = re.compile(r"^\s*(?P<reason>[^\[]*?)\s*(?:\[(?P<where>[^\]]*)\])?\s*$")

_POLYGONAL = (GeometryType.POLYGON, GeometryType.MULTIPOLYGON)
_TYPE_NAMES = np.array(
    ["", "Point", "LineString", "LinearRing", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon",
     "GeometryCollection"],
    dtype=object,
)


@dataclass(frozen=True)
class GeometryCheck:
    """Result of :func:`check_geometries`; arrays aligned to the input.

    Attributes
    ----------
    geometry
        Repaired geometries (Polygon/MultiPolygon), None where unusable.
    missing
        True where the geometry was null, empty or unreadable.
    non_polygon
        True where the geometry has no polygonal part (point, line ...).
    repaired
        True where an invalid geometry was repaired.
    reason
        ``is_valid_reason`` of the original geometry where repaired, else None.
    input_type
        Geometry type name of the original geometry (``""`` when null).
    """

    geometry: npt.NDArray[np.object_]
    missing: npt.NDArray[np.bool_]
    non_polygon: npt.NDArray[np.bool_]
    repaired: npt.NDArray[np.bool_]
    reason: npt.NDArray[np.object_]
    input_type: npt.NDArray[np.object_]


def polygonal_parts(geoms: npt.ArrayLike) -> npt.NDArray[np.object_]:
    """The polygonal part of each geometry: Polygon, MultiPolygon, or None when it has none."""
    arr = np.asarray(geoms, dtype=object)
    out = np.full(arr.shape, None, dtype=object)
    types = shapely.get_type_id(arr)
    direct = np.isin(types, [int(t) for t in _POLYGONAL]) & ~shapely.is_empty(arr)
    out[direct] = arr[direct]
    coll = np.flatnonzero(types == int(GeometryType.GEOMETRYCOLLECTION))
    if coll.size:
        parts, idx = shapely.get_parts(arr[coll], return_index=True)
        # a collection may hold MultiPolygons: explode those as well
        parts, sub = shapely.get_parts(parts, return_index=True)
        idx = idx[sub]
        keep = (shapely.get_type_id(parts) == int(GeometryType.POLYGON)) & ~shapely.is_empty(parts)
        if keep.any():
            merged = shapely.multipolygons(parts[keep], indices=idx[keep])
            owners = np.unique(idx[keep])
            n_parts = np.bincount(idx[keep])[owners]
            single = shapely.get_geometry(merged, 0)
            out[coll[owners]] = np.where(n_parts == 1, single, merged)
    return out


def check_geometries(geoms: npt.ArrayLike) -> GeometryCheck:
    """Classify and repair parcel geometries (see the module docstring).

    Parameters
    ----------
    geoms
        Array of shapely geometries (None allowed).
    """
    arr = np.asarray(geoms, dtype=object)
    type_id = shapely.get_type_id(arr)  # -1 for None
    input_type = _TYPE_NAMES[type_id + 1]
    missing = shapely.is_missing(arr) | shapely.is_empty(arr)
    geom = arr.copy()
    geom[missing] = None
    has_z = shapely.has_z(geom)
    if has_z.any():
        geom[has_z] = shapely.force_2d(geom[has_z])
    valid = np.ones(arr.shape, dtype=bool)
    valid[~missing] = shapely.is_valid(geom[~missing])
    repaired = ~missing & ~valid
    reason = np.full(arr.shape, None, dtype=object)
    if repaired.any():
        reason[repaired] = shapely.is_valid_reason(geom[repaired])
        geom[repaired] = shapely.make_valid(geom[repaired], method="linework")
    geom[missing] = None
    poly = polygonal_parts(geom)
    non_polygon = ~missing & shapely.is_missing(poly)
    repaired &= ~non_polygon
    return GeometryCheck(
        geometry=poly,
        missing=missing,
        non_polygon=non_polygon,
        repaired=repaired,
        reason=reason,
        input_type=input_type,
    )


def validity_reason_text(reason: object, lang: str = "zh") -> str:
    """A GEOS validity reason (``"Self-intersection[118.1 24.5]"``) in ``lang``, with its coordinates.

    ``"zh"`` gives ``自相交（位置 118.1 24.5）``, ``"en"`` ``self-intersection at 118.1 24.5``;
    a reason GEOS words otherwise is returned as it is.
    """
    text = "" if reason is None else str(reason)
    found = _REASON.match(text)
    pair = _REASONS.get(found["reason"].casefold()) if found else None
    if found is None or pair is None:
        return text
    where = (found["where"] or "").strip()
    if lang == "en":
        return f"{pair[1]} at {where}" if where else pair[1]
    return f"{pair[0]}（位置 {where}）" if where else pair[0]
