"""Gaoqi airport's obstacle limitation surfaces (净空限高) as a height surface.

The surfaces follow ICAO Annex 14 Volume I, Table 4-1, for a code 4 precision approach
runway; the dimensions are data (``analysis/config/ols_annex14.yaml``, loaded by
:func:`load_ols_params`), never constants in the code.

Geometry, in a metric CRS, in the runway frame (``u`` along the centreline from the
runway midpoint, ``v`` across it, ``L`` the runway length):

* runway strip: ``|u| <= L/2 + 60``, ``|v| <= 150``; permitted height 0 m.
* inner horizontal: 45 m within 4,000 m of the segment joining the two strip ends
  (a racetrack: circles around both strip ends joined by tangents).
* conical: 45 m + 5 % × (distance − 4,000 m), up to 145 m (i.e. to 6,000 m).
* approach (both ends): ``s = |u| − L/2`` is the distance beyond the nearer threshold;
  the inner edge lies 60 m beyond the threshold and is 300 m wide; the sides diverge
  15 % each; the height rises 2 % for 3,000 m, 2.5 % for 3,600 m, then stays level to
  15,000 m from the inner edge.
* transitional: 14.3 % up and out from the strip edges and from the approach sides, up
  to the inner horizontal height, the slope measured across the centreline.

The permitted height at a point is the lowest surface over it, in metres above the
aerodrome elevation; NaN where no surface applies (no cap).

Functions here are pure, apart from :func:`cached_height_surface`, which writes its cache file
(through :func:`core.raster.write_geotiff`).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pyproj
import shapely
from numpy.typing import ArrayLike, NDArray
from shapely.geometry import LineString, Polygon
from shapely.geometry.base import BaseGeometry

from analysis import _yamlconfig as cfg
from core.crs import transformer
from core.errors import ConfigError, CRSError, SchemaError
from core.settings import get_settings

__all__ = [
    "NODATA",
    "Runway",
    "OLSParams",
    "load_ols_params",
    "permitted_height",
    "surface_extent",
    "surface_footprint",
    "PlanarPiece",
    "planar_pieces",
]

log = logging.getLogger(__name__)

#: Nodata value written to GeoTIFFs (arrays in memory use NaN).
NODATA: float = -9999.0

_DEFAULT_OLS = cfg.CONFIG_DIR / "ols_annex14.yaml"


# --- inputs -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Runway:
    """A runway centreline between its two thresholds, in a metric CRS.

    Attributes
    ----------
    start, end
        ``(x, y)`` of the two thresholds (taken at the runway ends) in ``crs``.
    elevation_m
        Aerodrome elevation, metres above sea level.
    crs
        The metric CRS of ``start`` and ``end``.
    designator
        Runway designator, e.g. ``"05/23"``.
    """

    start: tuple[float, float]
    end: tuple[float, float]
    elevation_m: float = 0.0
    crs: str = "EPSG:4548"
    designator: str = ""

    @property
    def length_m(self) -> float:
        """Distance between the thresholds."""
        return math.hypot(self.end[0] - self.start[0], self.end[1] - self.start[1])

    @property
    def midpoint(self) -> tuple[float, float]:
        """Centre of the runway."""
        return ((self.start[0] + self.end[0]) / 2.0, (self.start[1] + self.end[1]) / 2.0)

    @property
    def axis(self) -> tuple[float, float]:
        """Unit vector from ``start`` to ``end``."""
        n = self.length_m
        return ((self.end[0] - self.start[0]) / n, (self.end[1] - self.start[1]) / n)

    def to_local(self, x: ArrayLike, y: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """``(u, v)``: along-axis offset from the midpoint and signed offset across it."""
        mx, my = self.midpoint
        ax, ay = self.axis
        dx = np.asarray(x, dtype=np.float64) - mx
        dy = np.asarray(y, dtype=np.float64) - my
        return dx * ax + dy * ay, dy * ax - dx * ay

    def to_crs(self, crs: str) -> Runway:
        """The same runway with its thresholds transformed to ``crs``."""
        if pyproj.CRS.from_user_input(crs) == pyproj.CRS.from_user_input(self.crs):
            return self
        tr = transformer(self.crs, crs)
        xs, ys = tr.transform([self.start[0], self.end[0]], [self.start[1], self.end[1]])
        return Runway((float(xs[0]), float(ys[0])), (float(xs[1]), float(ys[1])),
                      self.elevation_m, str(crs), self.designator)

    def line(self) -> LineString:
        """The centreline as a shapely line in :attr:`crs`."""
        return LineString([self.start, self.end])

    @classmethod
    def from_layer(cls, layer: gpd.GeoDataFrame, *, crs: str | None = None) -> Runway:
        """Build from a runway layer (one LineString with ``elevation_m``).

        Parameters
        ----------
        layer
            GeoDataFrame with exactly one LineString, e.g. ``geodata.read_layer("runway")``.
            Its two end vertices are taken as the thresholds.
        crs
            Metric CRS to work in; default ``get_settings().metric_crs``.
        """
        if layer.crs is None:
            raise CRSError(
                "The runway layer has no CRS. Set one (e.g. EPSG:4326) before use.",
                "跑道图层没有坐标参考系，请先设置（如 EPSG:4326）。",
            )
        if len(layer) != 1 or layer.geometry.iloc[0].geom_type != "LineString":
            raise SchemaError(
                f"The runway layer must hold exactly one LineString; got {len(layer)} feature(s) "
                f"of type {sorted(set(layer.geom_type))}.",
                f"跑道图层必须且只能包含一条线（LineString），实际为 {len(layer)} 个要素，"
                f"类型 {sorted(set(layer.geom_type))}。",
            )
        crs = crs or get_settings().metric_crs
        geom = layer.to_crs(crs).geometry.iloc[0]
        coords = np.asarray(geom.coords)
        row = layer.iloc[0]
        elevation = float(row["elevation_m"]) if "elevation_m" in layer.columns else 0.0
        designator = str(row["designator"]) if "designator" in layer.columns else ""
        return cls((float(coords[0, 0]), float(coords[0, 1])), (float(coords[-1, 0]), float(coords[-1, 1])),
                   elevation, str(crs), designator)

    @classmethod
    def from_reference_point(
        cls,
        lon: float,
        lat: float,
        *,
        length_m: float,
        true_bearing_deg: float,
        elevation_m: float,
        crs: str | None = None,
        designator: str = "",
    ) -> Runway:
        """A runway centred on a reference point, with a length and a true bearing.

        The thresholds are found on the WGS84 ellipsoid (``pyproj.Geod``) at half the
        length either side of the point, then projected to ``crs``.
        """
        geod = pyproj.Geod(ellps="WGS84")
        lon2, lat2, _ = geod.fwd([lon, lon], [lat, lat], [true_bearing_deg + 180.0, true_bearing_deg],
                                 [length_m / 2.0, length_m / 2.0])
        crs = crs or get_settings().metric_crs
        tr = pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)
        xs, ys = tr.transform(lon2, lat2)
        return cls((float(xs[0]), float(ys[0])), (float(xs[1]), float(ys[1])), elevation_m, str(crs), designator)


@dataclass(frozen=True)
class OLSParams:
    """Dimensions and slopes of the obstacle limitation surfaces (see the YAML file).

    Heights are metres above the aerodrome elevation, lengths metres, slopes fractions.
    """

    inner_horizontal_height_m: float
    inner_horizontal_radius_m: float
    conical_slope: float
    conical_height_m: float
    approach_inner_edge_width_m: float
    approach_distance_from_threshold_m: float
    approach_divergence: float
    approach_sections: tuple[tuple[float, float], ...]
    approach_total_length_m: float
    transitional_slope: float
    strip_half_width_m: float
    strip_beyond_runway_end_m: float
    source: str = ""
    edition: str = ""

    @property
    def conical_outer_distance_m(self) -> float:
        """Distance from the strip-end segment where the conical surface ends."""
        return self.inner_horizontal_radius_m + self.conical_height_m / self.conical_slope


_OLS_KEYS = ("source", "edition", "notes", "inner_horizontal", "conical", "approach", "transitional", "strip")


def load_ols_params(path: str | Path | None = None, *, overrides: Mapping[str, Any] | None = None) -> OLSParams:
    """Read obstacle-limitation-surface parameters from YAML.

    Parameters
    ----------
    path
        YAML file; default the Annex 14 code 4 precision approach file shipped with the
        package (``analysis/config/ols_annex14.yaml``).
    overrides
        Nested mapping merged over the file, e.g. ``{"approach": {"inner_edge_width_m": 280}}``.

    Raises
    ------
    ConfigError
        Unknown or missing keys, or values out of range.
    """
    data = cfg.read_yaml(path or _DEFAULT_OLS, what_en="Obstacle limitation surface", what_zh="净空限制面参数")
    if overrides:
        data = {k: (dict(v) if isinstance(v, dict) else v) for k, v in data.items()}
        for key, val in overrides.items():
            if isinstance(val, Mapping) and isinstance(data.get(key), dict):
                data[key].update(val)
            else:
                data[key] = val
    return _parse_ols(data)


def _parse_ols(data: Mapping[str, Any]) -> OLSParams:
    where = "OLS parameters"
    cfg.check_keys(data, where=where, valid=_OLS_KEYS,
                   required=("inner_horizontal", "conical", "approach", "transitional", "strip"))
    ih = cfg.mapping(data["inner_horizontal"], where="inner_horizontal")
    cfg.check_keys(ih, where="inner_horizontal", valid=("height_m", "radius_m"), required=("height_m", "radius_m"))
    co = cfg.mapping(data["conical"], where="conical")
    cfg.check_keys(co, where="conical", valid=("slope", "height_m"), required=("slope", "height_m"))
    ap = cfg.mapping(data["approach"], where="approach")
    ap_keys = ("inner_edge_width_m", "distance_from_threshold_m", "divergence", "sections", "total_length_m")
    cfg.check_keys(ap, where="approach", valid=ap_keys, required=ap_keys)
    tr = cfg.mapping(data["transitional"], where="transitional")
    cfg.check_keys(tr, where="transitional", valid=("slope",), required=("slope",))
    st = cfg.mapping(data["strip"], where="strip")
    cfg.check_keys(st, where="strip", valid=("half_width_m", "beyond_runway_end_m"),
                   required=("half_width_m", "beyond_runway_end_m"))
    sections = []
    for i, sec in enumerate(cfg.sequence(ap["sections"], where="approach.sections")):
        w = f"approach.sections[{i}]"
        sec = cfg.mapping(sec, where=w)
        cfg.check_keys(sec, where=w, valid=("length_m", "slope"), required=("length_m", "slope"))
        sections.append((cfg.number(sec["length_m"], where=f"{w}.length_m", minimum=0, strict_minimum=True),
                         cfg.number(sec["slope"], where=f"{w}.slope", minimum=0)))
    total = cfg.number(ap["total_length_m"], where="approach.total_length_m", minimum=0, strict_minimum=True)
    if sum(s[0] for s in sections) > total:
        raise ConfigError(
            f"approach.sections are {sum(s[0] for s in sections):g} m long in all, more than "
            f"approach.total_length_m = {total:g} m. Shorten the sections or raise the total.",
            f"approach.sections 总长 {sum(s[0] for s in sections):g} 米，超过 approach.total_length_m = "
            f"{total:g} 米，请缩短分段或加大总长。",
        )
    return OLSParams(
        inner_horizontal_height_m=cfg.number(ih["height_m"], where="inner_horizontal.height_m", minimum=0),
        inner_horizontal_radius_m=cfg.number(ih["radius_m"], where="inner_horizontal.radius_m", minimum=0,
                                             strict_minimum=True),
        conical_slope=cfg.number(co["slope"], where="conical.slope", minimum=0, strict_minimum=True),
        conical_height_m=cfg.number(co["height_m"], where="conical.height_m", minimum=0),
        approach_inner_edge_width_m=cfg.number(ap["inner_edge_width_m"], where="approach.inner_edge_width_m",
                                               minimum=0, strict_minimum=True),
        approach_distance_from_threshold_m=cfg.number(ap["distance_from_threshold_m"],
                                                      where="approach.distance_from_threshold_m", minimum=0),
        approach_divergence=cfg.number(ap["divergence"], where="approach.divergence", minimum=0),
        approach_sections=tuple(sections),
        approach_total_length_m=total,
        transitional_slope=cfg.number(tr["slope"], where="transitional.slope", minimum=0, strict_minimum=True),
        strip_half_width_m=cfg.number(st["half_width_m"], where="strip.half_width_m", minimum=0),
        strip_beyond_runway_end_m=cfg.number(st["beyond_runway_end_m"], where="strip.beyond_runway_end_m",
                                             minimum=0),
        source=str(data.get("source", "")).strip(),
        edition=str(data.get("edition", "")).strip(),
    )


# --- the surface --------------------------------------------------------------------------------


def _approach_height(a: NDArray[np.float64], params: OLSParams) -> NDArray[np.float64]:
    """Approach-surface height at distance ``a`` from the inner edge (sections, then level)."""
    xp = [0.0]
    fp = [0.0]
    for length, slope in params.approach_sections:
        xp.append(xp[-1] + length)
        fp.append(fp[-1] + length * slope)
    xp.append(max(params.approach_total_length_m, xp[-1] + 1e-9))
    fp.append(fp[-1])
    return np.interp(a, xp, fp)


def permitted_height(x: ArrayLike, y: ArrayLike, *, runway: Runway, params: OLSParams) -> NDArray[np.float64]:
    """Lowest obstacle limitation surface over each point.

    Parameters
    ----------
    x, y
        Coordinates in ``runway.crs`` (metres); any broadcastable shapes.
    runway
        Thresholds and aerodrome elevation.
    params
        Surface dimensions, see :func:`load_ols_params`.

    Returns
    -------
    Permitted height in metres above the aerodrome elevation; NaN where no surface
    applies (outside the conical and approach surfaces).
    """
    u, v = runway.to_local(x, y)
    u, v = np.broadcast_arrays(u, v)
    au, av = np.abs(u), np.abs(v)
    half = runway.length_m / 2.0
    strip_half_len = half + params.strip_beyond_runway_end_m
    ih = params.inner_horizontal_height_m
    radius = params.inner_horizontal_radius_m
    inf = np.inf

    # racetrack distance: to the segment between the strip ends
    d = np.hypot(np.maximum(au - strip_half_len, 0.0), av)
    h = np.where(d <= radius, ih, inf)
    conical = ih + (d - radius) * params.conical_slope
    h = np.where((d > radius) & (d <= params.conical_outer_distance_m), np.minimum(h, conical), h)

    # runway strip and the transitional surface along its sides
    along_strip = au <= strip_half_len
    h = np.where(along_strip & (av <= params.strip_half_width_m), 0.0, h)
    t_strip = (av - params.strip_half_width_m) * params.transitional_slope
    h = np.where(along_strip & (av > params.strip_half_width_m) & (t_strip <= ih), np.minimum(h, t_strip), h)

    # approach surfaces beyond each threshold, and the transitional surface along their sides
    a = au - half - params.approach_distance_from_threshold_m
    in_length = (a >= 0.0) & (a <= params.approach_total_length_m)
    half_width = params.approach_inner_edge_width_m / 2.0 + params.approach_divergence * np.maximum(a, 0.0)
    h_app = _approach_height(a, params)
    inside = in_length & (av <= half_width)
    h = np.where(inside, np.minimum(h, h_app), h)
    t_app = h_app + (av - half_width) * params.transitional_slope
    beside = in_length & (av > half_width) & (h_app < ih) & (t_app <= ih)
    h = np.where(beside, np.minimum(h, t_app), h)

    return np.where(np.isfinite(h), h, np.nan)


@dataclass(frozen=True)
class PlanarPiece:
    """A convex polygon of the runway frame over which a surface is the plane ``c0 + cu·u + cv·v``."""

    polygon: Polygon
    c0: float
    cu: float
    cv: float


def _approach_polygon(av: list[tuple[float, float]], end: float, offset: float, side: float = 1.0) -> Polygon:
    """Polygon of the runway frame from ``(a, v)`` corners beyond runway end ``end`` (±1)."""
    pts = [(end * (offset + a), side * v) for a, v in av]
    return Polygon([p for i, p in enumerate(pts) if i == 0 or p != pts[i - 1]])


def planar_pieces(runway: Runway, params: OLSParams) -> list[PlanarPiece]:
    """The surfaces other than the inner horizontal and conical, as convex pieces of the runway frame.

    Over each piece the surface is the plane ``c0 + cu·u + cv·v``; the strip and its
    transitional surface, and per runway end and approach section the approach surface and
    its two transitional surfaces (where the approach lies below the inner horizontal).
    """
    half = runway.length_m / 2.0
    strip_u = half + params.strip_beyond_runway_end_m
    ws, st, ih = params.strip_half_width_m, params.transitional_slope, params.inner_horizontal_height_m
    top = ws + ih / st
    pieces = [PlanarPiece(shapely.box(-strip_u, -ws, strip_u, ws), 0.0, 0.0, 0.0)]
    for side in (1.0, -1.0):
        band = shapely.box(-strip_u, min(side * ws, side * top), strip_u, max(side * ws, side * top))
        pieces.append(PlanarPiece(band, -ws * st, 0.0, side * st))

    total, w0, div = params.approach_total_length_m, params.approach_inner_edge_width_m / 2.0, params.approach_divergence
    offset = half + params.approach_distance_from_threshold_m  # u of the inner edge
    knots = [0.0]
    for length, _slope in params.approach_sections:
        knots.append(knots[-1] + length)
    knots = sorted({min(k, total) for k in [*knots, total]})

    def happ(a: float) -> float:
        return float(_approach_height(np.asarray(a, dtype=np.float64), params))

    for end in (1.0, -1.0):
        for a0, a1 in pairwise(knots):
            f0, f1 = happ(a0), happ(a1)
            s = (f1 - f0) / (a1 - a0)
            hw0, hw1 = w0 + div * a0, w0 + div * a1
            # approach: h = f0 + s·(a − a0) with a = end·u − offset
            trapezoid = _approach_polygon([(a0, -hw0), (a1, -hw1), (a1, hw1), (a0, hw0)], end, offset)
            pieces.append(PlanarPiece(trapezoid, f0 - s * (a0 + offset), end * s, 0.0))
            if f0 >= ih:
                continue
            # transitional beside it, up to the inner horizontal height:
            # h = happ(a) + (|v| − hw(a))·st, between v = hw(a) and v = hw(a) + (ih − happ(a))/st
            b1 = a1 if f1 <= ih else a0 + (ih - f0) / s
            g1 = f0 + s * (b1 - a0)
            hb1 = w0 + div * b1
            k_a = s - st * div
            for side in (1.0, -1.0):
                corners = [(a0, hw0), (b1, hb1), (b1, hb1 + (ih - g1) / st), (a0, hw0 + (ih - f0) / st)]
                poly = _approach_polygon(corners, end, offset, side)
                pieces.append(PlanarPiece(poly, f0 - s * a0 - st * w0 - k_a * offset, end * k_a, side * st))
    return pieces


def surface_footprint(runway: Runway, params: OLSParams, *, margin: float = 0.0) -> BaseGeometry:
    """Polygon in ``runway.crs`` holding every point where :func:`permitted_height` is not NaN.

    The union of the inner horizontal and conical surfaces (within the larger of their radii
    of the segment between the strip ends) and the planar pieces (:func:`planar_pieces`),
    widened by ``margin`` metres plus the largest gap between a circle and its polygon.
    """
    half_len = runway.length_m / 2.0 + params.strip_beyond_runway_end_m
    reach = max(params.inner_horizontal_radius_m, params.conical_outer_distance_m)
    quad_segs = 32
    sagitta = reach * (1.0 - math.cos(math.pi / (4 * quad_segs)))  # circle vs its inscribed polygon
    parts = [LineString([(-half_len, 0.0), (half_len, 0.0)]).buffer(reach, quad_segs=quad_segs)]
    parts.extend(p.polygon for p in planar_pieces(runway, params))
    local = shapely.union_all(parts).buffer(margin + sagitta, quad_segs=quad_segs)
    (mx, my), (ax, ay) = runway.midpoint, runway.axis
    # back from the runway frame: x = mx + u·ax − v·ay, y = my + u·ay + v·ax
    return shapely.transform(local, lambda uv: np.column_stack([mx + uv[:, 0] * ax - uv[:, 1] * ay,
                                                                my + uv[:, 0] * ay + uv[:, 1] * ax]))


def surface_extent(runway: Runway, params: OLSParams) -> tuple[float, float, float, float]:
    """Bounding box ``(minx, miny, maxx, maxy)`` in ``runway.crs`` outside which no surface applies.

    :func:`permitted_height` is NaN everywhere outside it.  In the runway frame the surfaces
    stay within ``|u| <= max(strip half-length + R, runway half-length + approach distance from
    the threshold + approach length)`` and ``|v| <= max(R, strip half-width + inner horizontal
    height / transitional slope, approach half-width at its end + the same)``, where ``R`` is the
    larger of the inner horizontal radius and the conical surface's outer distance; the box
    holds that rectangle.  Grids need not extend beyond it.
    """
    half = runway.length_m / 2.0
    strip_half_len = half + params.strip_beyond_runway_end_m
    reach = max(params.inner_horizontal_radius_m, params.conical_outer_distance_m)
    rise = params.inner_horizontal_height_m / params.transitional_slope
    u = max(strip_half_len + reach,
            half + params.approach_distance_from_threshold_m + params.approach_total_length_m)
    v = max(reach, params.strip_half_width_m + rise,
            params.approach_inner_edge_width_m / 2.0 + params.approach_divergence * params.approach_total_length_m
            + rise)
    (mx, my), (ax, ay) = runway.midpoint, runway.axis
    cu = np.array([u, u, -u, -u])
    cv = np.array([v, -v, v, -v])
    xs = mx + cu * ax - cv * ay
    ys = my + cu * ay + cv * ax
    return float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max())
