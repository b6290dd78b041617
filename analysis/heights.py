"""Per-parcel airport height limits (净空限高) and buildable floor area.

``height_limit_m`` is the minimum permitted height (metres above the aerodrome
elevation, see :mod:`analysis.airport`) over a parcel; NaN where no surface lies over
it (no cap).  Two ways to compute it, which the tests check against each other and
against ``exactextract``:

``method="analytic"`` (the default)
    The exact minimum, from the geometry.  The permitted height is the lowest surface over
    a point, so its minimum over a parcel is the lowest of each surface's minimum over the
    part of the parcel it covers (the two minima can be swapped):

    * inner horizontal and conical surfaces: both depend only on the distance ``d`` to the
      segment between the strip ends, and the conical rises with it, so their minimum is
      45 m when the parcel comes within 4,000 m and ``45 + 5 % × (d − 4,000)`` when its
      shortest distance ``d`` (``shapely.distance``) lies between 4,000 and 6,000 m;
    * every other surface (strip, its transitional surfaces, and per runway end and
      approach section the approach surface and its transitional surfaces) is a plane over
      a convex polygon of the runway frame (:func:`analysis.airport.planar_pieces`); a
      plane's minimum over ``parcel ∩ polygon`` lies at a vertex of that intersection.
      Parcels inside the polygon (``covers``) use their own vertices; only those crossing
      its edge are intersected.

    Parcels are moved into the runway frame once and found with an STRtree, so the cost
    grows with the number of parcels near the airport, not with a grid.  Checked against a
    1 m sampling of :func:`analysis.airport.permitted_height` inside random parcels and
    against ``exactextract`` on the height grid (``tests/test_analysis_heights.py``).

``method="raster"``
    Rasterise parcel labels onto the height grid once (cell centres, ``all_touched=False``)
    and reduce the minimum per label with numpy.  Parcels that own no cell (smaller or
    thinner than a cell, or hidden under an overlapping parcel) are sampled at their
    representative point.  Error: a cell centre inside the parcel lies within a cell
    diagonal of its lowest point, so with 10 m cells the result can be up to
    ``0.143 × 14.1 m ≈ 2 m`` above the exact minimum on the transitional surface (on the
    generated 100,000-parcel layer: mean 0.11 m, largest 3.0 m, for parcels thinner than a
    cell sampled at one point).  Kept for comparison with zonal statistics of the exported
    GeoTIFF.

Buildable floor area::

    floors = floor((height_limit_m + aerodrome elevation − ground elevation) / storey height)
    FAR    = min(FAR cap of the use, floors × site coverage of the use)   (FAR cap when no limit)
    buildable_floor_area_m2 = parcel area (metric CRS) × FAR

Ground elevation: a ``ground_elevation_m`` column when the frame has one (missing values,
and frames without it, take the configured ground elevation, by default the aerodrome
elevation — i.e. the parcel's ground is assumed level with the runway).
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from affine import Affine
from numpy.typing import NDArray
from shapely.geometry import LineString

from analysis import _yamlconfig as cfg
from analysis.airport import OLSParams, Runway, permitted_height, planar_pieces
from analysis.height_grid import height_surface_raster
from core.crs import transformer
from core.errors import ConfigError, CRSError
from core.raster import Raster
from parcels.measure import analysed_areas_m2
from parcels.schema import LAND_USES

__all__ = [
    "BuildabilityParams",
    "load_buildability",
    "parcel_height_limits",
    "buildable_floor_area",
]

log = logging.getLogger(__name__)

_DEFAULT_BUILDABILITY = cfg.CONFIG_DIR / "buildability.yaml"


@dataclass(frozen=True)
class BuildabilityParams:
    """Floor-area assumptions by land use (see ``analysis/config/buildability.yaml``).

    Attributes
    ----------
    far_cap
        Maximum floor area ratio per land use.
    site_coverage
        Building footprint share of the parcel per land use (0-1).
    storey_height_m
        Storey height per land use; key ``"default"`` for the others.
    ground_elevation_m
        Ground elevation assumed for every parcel (metres above sea level); None means
        the aerodrome elevation.
    source
        Where the figures come from.
    """

    far_cap: Mapping[str, float] = field(default_factory=dict)
    site_coverage: Mapping[str, float] = field(default_factory=dict)
    storey_height_m: Mapping[str, float] = field(default_factory=dict)
    ground_elevation_m: float | None = None
    source: str = ""


def load_buildability(path: str | Path | None = None) -> BuildabilityParams:
    """Read buildability parameters from YAML (default: the packaged file).

    Raises
    ------
    ConfigError
        Unknown keys, land uses outside the product's list, or values out of range.
    """
    data = cfg.read_yaml(path or _DEFAULT_BUILDABILITY, what_en="Buildability", what_zh="可建面积参数")
    cfg.check_keys(data, where="buildability", valid=("source", "ground_elevation_m", "far_cap",
                                                       "site_coverage", "storey_height_m"),
                   required=("far_cap", "site_coverage", "storey_height_m"))
    far = _per_use(data["far_cap"], where="far_cap", maximum=None, need_all=True)
    cover = _per_use(data["site_coverage"], where="site_coverage", maximum=1.0, need_all=True)
    storey = _per_use(data["storey_height_m"], where="storey_height_m", maximum=None, need_all=False,
                      extra=("default",), strict=True)
    if "default" not in storey:
        raise ConfigError(
            "storey_height_m needs a 'default' entry for land uses not listed.",
            "storey_height_m 需要一个 default 项，用于未列出的用地类型。",
        )
    ground = data.get("ground_elevation_m")
    return BuildabilityParams(
        far_cap=far,
        site_coverage=cover,
        storey_height_m=storey,
        ground_elevation_m=None if ground is None else cfg.number(ground, where="ground_elevation_m"),
        source=str(data.get("source", "")).strip(),
    )


def _per_use(
    value: Any,
    *,
    where: str,
    maximum: float | None,
    need_all: bool,
    extra: tuple[str, ...] = (),
    strict: bool = False,
) -> dict[str, float]:
    m = cfg.mapping(value, where=where)
    cfg.check_keys(m, where=where, valid=(*LAND_USES, *extra), required=LAND_USES if need_all else ())
    return {k: cfg.number(v, where=f"{where}.{k}", minimum=0, maximum=maximum, strict_minimum=strict)
            for k, v in m.items()}


# --- height limits --------------------------------------------------------------------------


def parcel_height_limits(
    parcels: gpd.GeoDataFrame,
    *,
    runway: Runway,
    params: OLSParams,
    method: Literal["raster", "analytic"] = "analytic",
    raster: Raster | None = None,
    cell_size: float = 10.0,
) -> pd.Series:
    """Minimum permitted height over each parcel.

    Parameters
    ----------
    parcels
        Parcel frame with a CRS (any; measured in ``runway.crs``).
    runway, params
        The runway and the surface dimensions.
    method
        ``"raster"`` or ``"analytic"`` (see the module notes).
    raster
        For ``"raster"``: a grid to use (e.g. the cached district grid); by default one is
        built over the parcels' extent with ``cell_size``.
    cell_size
        Cell size of the grid built for ``"raster"``.

    Returns
    -------
    Series ``height_limit_m`` aligned to ``parcels.index``: metres above the aerodrome
    elevation, NaN where no surface applies (no cap) or the geometry is empty.
    """
    if method not in ("raster", "analytic"):
        raise ConfigError(
            f"method must be 'raster' or 'analytic'; got {method!r}.",
            f"method 必须为 'raster' 或 'analytic'，实际为 {method!r}。",
        )
    if parcels.crs is None:
        raise CRSError("The parcel layer has no CRS; read it with parcels.read_parcels or set one.",
                       "地块图层没有坐标参考系，请用 parcels.read_parcels 读取或先设置坐标系。")
    if method == "raster":
        crs = raster.crs if raster is not None else runway.crs
        geoms = np.asarray(parcels.to_crs(crs).geometry.values, dtype=object)
        values = _limits_raster(geoms, runway.to_crs(crs), params, raster=raster, cell_size=cell_size)
    else:
        values = _limits_analytic(_in_runway_frame(parcels, runway), runway, params)
    return pd.Series(values, index=parcels.index, name="height_limit_m", dtype="float64")


def _valid_mask(geoms: NDArray[np.object_]) -> NDArray[np.bool_]:
    return ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))


def _min_by_index(n: int, index: NDArray[np.intp], values: NDArray[np.floating[Any]]) -> NDArray[np.float64]:
    """Minimum of ``values`` grouped by ``index`` (0..n-1), NaN treated as +inf (no cap)."""
    out = np.full(n, np.inf)
    if len(index) == 0:
        return out
    order = np.argsort(index, kind="stable")
    idx = index[order]
    vals = np.where(np.isnan(values), np.inf, values)[order].astype(np.float64)
    starts = np.flatnonzero(np.r_[True, idx[1:] != idx[:-1]])
    out[idx[starts]] = np.minimum.reduceat(vals, starts)
    return out


def _geojson_like(geoms: NDArray[np.object_]) -> list[dict[str, Any]]:
    """GeoJSON-like mappings of (Multi)Polygons with numpy rings, built with vectorised shapely.

    Much faster to hand to :func:`rasterio.features.rasterize` than shapely objects, whose
    ``__geo_interface__`` is built in Python one coordinate at a time.
    """
    parts, part_of = shapely.get_parts(geoms, return_index=True)
    rings, ring_of = shapely.get_rings(parts, return_index=True)
    coords, coord_of = shapely.get_coordinates(rings, return_index=True)
    ring_arrays = np.split(coords, np.flatnonzero(np.diff(coord_of)) + 1)
    ring_starts = np.r_[0, np.flatnonzero(np.diff(ring_of)) + 1, len(rings)]
    part_rings = [ring_arrays[a:b] for a, b in itertools.pairwise(ring_starts)]
    out: list[dict[str, Any]] = [{"type": "Polygon", "coordinates": []} for _ in range(len(geoms))]
    part_starts = np.r_[0, np.flatnonzero(np.diff(part_of)) + 1, len(parts)]
    for a, b in itertools.pairwise(part_starts):
        if b - a == 1:
            out[part_of[a]] = {"type": "Polygon", "coordinates": part_rings[a]}
        else:
            out[part_of[a]] = {"type": "MultiPolygon", "coordinates": part_rings[a:b]}
    return out


def _window(raster: Raster, bounds: NDArray[np.float64]) -> tuple[NDArray[np.float32], Any]:
    """The part of ``raster`` covering ``bounds`` (plus a cell), and its transform."""
    t = raster.transform
    rows, cols = raster.array.shape
    c0 = int(np.clip(np.floor((bounds[0] - t.c) / t.a) - 1, 0, cols))
    c1 = int(np.clip(np.ceil((bounds[2] - t.c) / t.a) + 1, 0, cols))
    r0 = int(np.clip(np.floor((bounds[3] - t.f) / t.e) - 1, 0, rows))
    r1 = int(np.clip(np.ceil((bounds[1] - t.f) / t.e) + 1, 0, rows))
    if c1 <= c0 or r1 <= r0:  # no overlap: an empty window at the origin
        return raster.array[:0, :0], t
    return raster.array[r0:r1, c0:c1], t @ Affine.translation(c0, r0)


def _limits_raster(
    geoms: NDArray[np.object_],
    runway: Runway,
    params: OLSParams,
    *,
    raster: Raster | None,
    cell_size: float,
) -> NDArray[np.float64]:
    n = len(geoms)
    ok = _valid_mask(geoms)
    if not ok.any():
        return np.full(n, np.nan)
    if raster is None:
        minx, miny, maxx, maxy = shapely.total_bounds(geoms[ok])
        # snap the grid to whole cells so that the same parcels always meet the same grid
        bounds = (np.floor(minx / cell_size) * cell_size - cell_size, np.floor(miny / cell_size) * cell_size - cell_size,
                  np.ceil(maxx / cell_size) * cell_size + cell_size, np.ceil(maxy / cell_size) * cell_size + cell_size)
        raster = height_surface_raster(runway, params, bounds=bounds, cell_size=cell_size, crs=runway.crs)
    arr, transform = _window(raster, shapely.total_bounds(geoms[ok]))
    idx = np.flatnonzero(ok)
    if arr.size:
        # parcels whose box misses the window own no cell: leave them to the sampling below
        gb = shapely.bounds(geoms[idx])
        wx = (transform.c, transform.c + transform.a * arr.shape[1])
        wy = (transform.f, transform.f + transform.e * arr.shape[0])
        meets = (gb[:, 2] >= min(wx)) & (gb[:, 0] <= max(wx)) & (gb[:, 3] >= min(wy)) & (gb[:, 1] <= max(wy))
        idx = idx[meets]
    if arr.size and idx.size:
        from rasterio.features import rasterize

        labels = rasterize(
            zip(_geojson_like(geoms[idx]), (idx + 1).astype(np.int32), strict=True),
            out_shape=arr.shape,
            transform=transform,
            fill=0,
            all_touched=False,
            dtype="int32",
        )
    else:
        labels = np.zeros(arr.shape, dtype=np.int32)
    flat = labels.ravel()
    inside = flat > 0
    mins = _min_by_index(n + 1, flat[inside], arr.ravel()[inside])[1:]
    counts = np.bincount(flat[inside], minlength=n + 1)[1:]
    small = np.flatnonzero(ok & (counts == 0))
    if small.size:
        pts = shapely.point_on_surface(geoms[small])
        px, py = shapely.get_x(pts), shapely.get_y(pts)
        inv = ~transform
        cols = inv.a * px + inv.b * py + inv.c
        rows = inv.d * px + inv.e * py + inv.f
        rows = np.floor(rows).astype(np.int64)
        cols = np.floor(cols).astype(np.int64)
        on_grid = (rows >= 0) & (rows < arr.shape[0]) & (cols >= 0) & (cols < arr.shape[1])
        sampled = permitted_height(px, py, runway=runway, params=params)  # off the grid: the surface itself
        sampled[on_grid] = arr[rows[on_grid], cols[on_grid]]
        mins[small] = np.where(np.isnan(sampled), np.inf, sampled)
        log.info("%d parcel(s) smaller than a cell sampled at their representative point", small.size)
    mins[~ok] = np.inf
    return np.where(np.isfinite(mins), mins, np.nan)


def _in_runway_frame(parcels: gpd.GeoDataFrame, runway: Runway) -> NDArray[np.object_]:
    """The parcel geometries in the runway frame (``u`` along the centreline, ``v`` across), in one pass
    (no projection when the parcels are already in the runway's CRS)."""
    if parcels.crs.equals(runway.crs):
        def move(xy: NDArray[np.float64]) -> NDArray[np.float64]:
            return np.column_stack(runway.to_local(xy[:, 0], xy[:, 1]))
    else:
        to_metric = transformer(parcels.crs, runway.crs)

        def move(xy: NDArray[np.float64]) -> NDArray[np.float64]:
            x, y = to_metric.transform(xy[:, 0], xy[:, 1])
            return np.column_stack(runway.to_local(x, y))

    return shapely.transform(np.asarray(parcels.geometry.values, dtype=object), move)


def _limits_analytic(geoms: NDArray[np.object_], runway: Runway, params: OLSParams) -> NDArray[np.float64]:
    """Exact minima (see the module notes) of parcels already in the runway frame of ``runway``."""
    n = len(geoms)
    idx = np.flatnonzero(_valid_mask(geoms))
    if not idx.size:
        return np.full(n, np.nan)
    local = geoms[idx]
    best = np.full(len(idx), np.inf)
    # inner horizontal and conical: functions of the distance to the segment between the strip ends
    strip_u = runway.length_m / 2.0 + params.strip_beyond_runway_end_m
    d = shapely.distance(local, LineString([(-strip_u, 0.0), (strip_u, 0.0)]))
    radius, ih = params.inner_horizontal_radius_m, params.inner_horizontal_height_m
    best[d <= radius] = ih
    cone = (d > radius) & (d <= params.conical_outer_distance_m)
    best[cone] = ih + (d[cone] - radius) * params.conical_slope
    # the planar pieces: the lowest vertex of (parcel ∩ piece)
    tree = shapely.STRtree(local)
    for piece in planar_pieces(runway, params):
        hit = tree.query(piece.polygon, predicate="intersects")
        if not hit.size:
            continue
        if piece.cu == 0.0 and piece.cv == 0.0:
            best[hit] = np.minimum(best[hit], piece.c0)
            continue
        parts = local[hit]
        shapely.prepare(piece.polygon)
        cut = ~shapely.covers(piece.polygon, parts)
        if cut.any():
            parts = parts.copy()
            parts[cut] = shapely.intersection(parts[cut], piece.polygon)
        xy, which = shapely.get_coordinates(parts, return_index=True)
        h = piece.c0 + piece.cu * xy[:, 0] + piece.cv * xy[:, 1]
        best[hit] = np.minimum(best[hit], _min_by_index(len(hit), which, h))
    out = np.full(n, np.nan)
    out[idx] = np.where(np.isfinite(best), best, np.nan)
    return out


# --- floor area ---------------------------------------------------------------------------


def buildable_floor_area(
    parcels: gpd.GeoDataFrame,
    *,
    height_limit: pd.Series,
    aerodrome_elevation_m: float,
    params: BuildabilityParams,
    metric_crs: str = "EPSG:4548",
    area_m2: pd.Series | None = None,
) -> pd.Series:
    """Floor area that may be built on each parcel under a height limit.

    Parameters
    ----------
    parcels
        Parcel frame with ``land_use`` (unknown or missing uses count as ``other``) and,
        optionally, ``ground_elevation_m``.
    height_limit
        ``height_limit_m`` aligned to ``parcels.index``; NaN = no height cap, so the FAR
        cap alone applies (e.g. after the airport's relocation).
    aerodrome_elevation_m
        Elevation the height limits are measured from.
    params
        FAR caps, site coverage and storey heights by land use.
    metric_crs
        CRS in which parcel areas are measured.
    area_m2
        Parcel areas already measured in ``metric_crs`` (aligned to ``parcels.index``);
        when None, :func:`parcels.measure.analysed_areas_m2` (the frame's ``area_m2``, or measured).

    Returns
    -------
    Series ``buildable_floor_area_m2`` aligned to ``parcels.index``.
    """
    limit = pd.to_numeric(height_limit.reindex(parcels.index), errors="coerce").to_numpy(dtype=np.float64)
    # one lookup per distinct use, not per parcel; unknown and missing uses count as "other"
    codes, uses = pd.factorize(parcels["land_use"]) if "land_use" in parcels.columns \
        else (np.full(len(parcels), -1), pd.Index([]))
    known = [u if u in LAND_USES else "other" for u in uses.astype(str)] + ["other"]  # code -1 -> "other"
    far_cap = np.array([params.far_cap.get(u, params.far_cap.get("other", 0.0)) for u in known])[codes]
    cover = np.array([params.site_coverage.get(u, params.site_coverage.get("other", 0.0)) for u in known])[codes]
    storey = np.array([params.storey_height_m.get(u, params.storey_height_m["default"]) for u in known])[codes]
    default_ground = aerodrome_elevation_m if params.ground_elevation_m is None else params.ground_elevation_m
    if "ground_elevation_m" in parcels.columns:
        ground = pd.to_numeric(parcels["ground_elevation_m"], errors="coerce").fillna(default_ground)
        ground_arr = ground.to_numpy(dtype=np.float64)
    else:
        ground_arr = np.full(len(parcels), default_ground)
    clearance = limit + aerodrome_elevation_m - ground_arr
    floors = np.floor(np.maximum(clearance, 0.0) / storey)
    far = np.where(np.isnan(limit), far_cap, np.minimum(far_cap, floors * cover))
    if area_m2 is None:
        area_m2 = analysed_areas_m2(parcels, metric_crs=metric_crs)
    area = area_m2.reindex(parcels.index).to_numpy(dtype=np.float64)
    return pd.Series(area * far, index=parcels.index, name="buildable_floor_area_m2", dtype="float64")
