"""Per-parcel airport height limits (净空限高) and buildable floor area.

``height_limit_m`` is the minimum permitted height (metres above the aerodrome
elevation, see :mod:`analysis.airport`) over a parcel; NaN where no surface lies over
it (no cap).  Two ways to compute it, which the tests check against each other and
against ``exactextract``:

``method="raster"``
    Rasterise parcel labels onto the height grid once (cell centres, ``all_touched=False``)
    and reduce the minimum per label with numpy.  Parcels that own no cell (smaller or
    thinner than a cell, or hidden under an overlapping parcel) are sampled at their
    representative point.  Error: the surface can change by up to about
    ``0.143 × cell diagonal / 2`` inside a cell (≈ 1 m at 10 m cells).

``method="analytic"``
    Evaluate :func:`analysis.airport.permitted_height` at the parcel boundary densified
    to ``densify_m``, at the points where the boundary meets the runway centreline and
    its extensions (densified too), and at the representative point; take the minimum.

    Why the boundary is enough: in the runway frame (``u`` along the centreline, ``v``
    across), every surface is non-increasing as ``|v|`` decreases at fixed ``u`` — the
    inner horizontal is level, the conical rises with the distance to the strip-end
    segment, the approach height depends on ``u`` only and its width shrinks outward,
    the transitional rises with ``|v|``, and where one surface's footprint ends the next
    one inward is at most as high.  So from any interior point one can walk towards the
    centreline without going up until one reaches either the parcel boundary or the
    centreline; along the centreline the surface does not rise towards the runway, so
    the walk continues to the boundary or into the strip.  The minimum is therefore on
    the boundary or on the parcel's part of the extended centreline, both of which are
    sampled.  The only error is the densify step: the steepest slope is the
    transitional 14.3 %, so the true minimum is at most ``0.143 × densify_m / 2``
    (0.36 m at 5 m) below the computed one; a boundary stretch shorter than
    ``densify_m`` that pokes into a surface's outer edge can also be missed.

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
from rasterio.features import rasterize
from shapely.geometry import LineString

from analysis import _yamlconfig as cfg
from analysis.airport import HeightRaster, OLSParams, Runway, height_surface_raster, permitted_height
from core.errors import ConfigError
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
    method: Literal["raster", "analytic"] = "raster",
    raster: HeightRaster | None = None,
    cell_size: float = 10.0,
    densify_m: float = 5.0,
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
    densify_m
        Largest step along parcel boundaries for ``"analytic"``.

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
    crs = raster.crs if raster is not None and method == "raster" else runway.crs
    rw = runway.to_crs(crs)
    geoms = np.asarray(parcels.to_crs(crs).geometry.values, dtype=object)
    if method == "raster":
        values = _limits_raster(geoms, rw, params, raster=raster, cell_size=cell_size)
    else:
        values = _limits_analytic(geoms, rw, params, densify_m=densify_m)
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


def _window(raster: HeightRaster, bounds: NDArray[np.float64]) -> tuple[NDArray[np.float32], Any]:
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
    raster: HeightRaster | None,
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


def _limits_analytic(
    geoms: NDArray[np.object_], runway: Runway, params: OLSParams, *, densify_m: float
) -> NDArray[np.float64]:
    if not densify_m > 0:
        raise ConfigError(f"densify_m must be positive; got {densify_m}.", f"densify_m 必须为正数，实际为 {densify_m}。")
    n = len(geoms)
    ok = _valid_mask(geoms)
    idx = np.flatnonzero(ok)
    g = geoms[idx]
    # 1. the densified boundary (exterior and holes)
    bxy, bi = shapely.get_coordinates(shapely.segmentize(shapely.boundary(g), densify_m), return_index=True)
    # 2. where the parcel meets the runway centreline and its extensions
    reach = runway.length_m / 2.0 + params.approach_distance_from_threshold_m + params.approach_total_length_m
    (mx, my), (ax, ay) = runway.midpoint, runway.axis
    axis_line = LineString([(mx - ax * reach, my - ay * reach), (mx + ax * reach, my + ay * reach)])
    hits = shapely.intersection(g, axis_line)
    cxy, ci = shapely.get_coordinates(shapely.segmentize(hits, densify_m), return_index=True)
    # 3. the representative point
    rep = shapely.get_coordinates(shapely.point_on_surface(g))
    xy = np.concatenate([bxy, cxy, rep])
    which = np.concatenate([bi, ci, np.arange(len(g))])
    h = permitted_height(xy[:, 0], xy[:, 1], runway=runway, params=params)
    mins = np.full(n, np.inf)
    mins[idx] = _min_by_index(len(g), which, h)
    return np.where(np.isfinite(mins), mins, np.nan)


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
        measured here when None.

    Returns
    -------
    Series ``buildable_floor_area_m2`` aligned to ``parcels.index``.
    """
    limit = pd.to_numeric(height_limit.reindex(parcels.index), errors="coerce").to_numpy(dtype=np.float64)
    use = parcels["land_use"].astype("object").where(parcels["land_use"].isin(LAND_USES), "other") \
        if "land_use" in parcels.columns else pd.Series("other", index=parcels.index)
    use = use.fillna("other").astype(str)
    far_cap = use.map(params.far_cap).fillna(params.far_cap.get("other", 0.0)).to_numpy(dtype=np.float64)
    cover = use.map(params.site_coverage).fillna(params.site_coverage.get("other", 0.0)).to_numpy(dtype=np.float64)
    storey = use.map(params.storey_height_m).fillna(params.storey_height_m["default"]).to_numpy(dtype=np.float64)
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
        area_m2 = parcels.geometry.to_crs(metric_crs).area
    area = area_m2.reindex(parcels.index).to_numpy(dtype=np.float64)
    return pd.Series(area * far, index=parcels.index, name="buildable_floor_area_m2", dtype="float64")
