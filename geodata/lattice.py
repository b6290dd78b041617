"""The plot lattice of the parcel generator: street blocks split into disjoint plots, clipped to the
zones and the district, and the choice of which plots a layer of ``n`` parcels uses.

One global lattice of street blocks, in the metric CRS, rotated 20° and anchored near Huli's
centre; every random draw of the lattice is a hash of (block column, block row, seed), so the
lattice does not depend on ``n`` (see :mod:`geodata.generate` for the tiers and the order).
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import shapely

from core.crs import reproject, transformer
from core.errors import ConfigError
from core.settings import GEOGRAPHIC_CRS, get_settings

__all__ = ["FIRM_USES", "Lattice", "polygonal", "frame_to_metric", "zone_geoms", "inner_candidates", "outer_plots",
           "select_plots", "spatial_order"]

# --- lattice -----------------------------------------------------------------------
_ORIGIN_LONLAT = (118.110, 24.515)  # anchor of the lattice, near Huli's centre
_ROTATION_DEG = 20.0
_PITCH_U, _PITCH_V = 280.0, 230.0  # block pitch (m)
_STREET = 16.0  # street width between blocks (m)
_SETBACK = 1.5  # half-gap between neighbouring plots (m)
_MAX_COLS, _MAX_ROWS = 5, 3
_MIN_PIECE_M2 = 1000.0  # smallest clipped piece kept
_MEAN_PLOTS_PER_BLOCK = 5.5  # for sizing the outer rings

_ZONE_ORDER = ("incubation", "hq", "demonstration")
FIRM_USES = ("industrial", "commercial_office", "logistics")


# --- hashing: per-block random numbers independent of n ---------------------------------
_M64 = (1 << 64) - 1


def _uniform(i: npt.NDArray[np.int64], j: npt.NDArray[np.int64], seed: int, stream: int) -> npt.NDArray[np.float64]:
    """Uniform [0, 1) numbers from a splitmix64 hash of (i, j, seed, stream)."""
    salt = np.uint64((seed * 0x9E3779B97F4A7C15 + stream * 0xD1B54A32D192ED03 + 0x632BE59BD9B4E019) & _M64)
    z = i.astype(np.int64).view(np.uint64) * np.uint64(0xBF58476D1CE4E5B9)
    z ^= j.astype(np.int64).view(np.uint64) * np.uint64(0x94D049BB133111EB)
    z ^= salt
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z ^= z >> np.uint64(31)
    return (z >> np.uint64(11)).astype(np.float64) / float(1 << 53)


@dataclass
class _Plots:
    """Plots of a set of blocks, in the metric CRS."""

    geometry: npt.NDArray[np.object_]
    block_i: npt.NDArray[np.int64]
    block_j: npt.NDArray[np.int64]
    local: npt.NDArray[np.int64]  # index of the plot inside its block

    def take(self, idx: npt.NDArray[np.int64]) -> _Plots:
        return _Plots(self.geometry[idx], self.block_i[idx], self.block_j[idx], self.local[idx])


class Lattice:
    """The global block lattice (metric CRS), with the airport's whole blocks."""

    def __init__(self, seed: int, whole_block_area: shapely.Geometry | None) -> None:
        self.seed = seed
        to_m = transformer(GEOGRAPHIC_CRS, get_settings().metric_crs)
        self.ox, self.oy = to_m.transform(*_ORIGIN_LONLAT)
        t = np.radians(_ROTATION_DEG)
        self.cos, self.sin = float(np.cos(t)), float(np.sin(t))
        self.whole = whole_block_area
        if whole_block_area is not None:
            shapely.prepare(whole_block_area)

    def to_world(self, u: npt.NDArray[np.floating], v: npt.NDArray[np.floating]) -> tuple[np.ndarray, np.ndarray]:
        return self.ox + u * self.cos - v * self.sin, self.oy + u * self.sin + v * self.cos

    def to_lattice(self, x: npt.NDArray[np.float64], y: npt.NDArray[np.float64]) -> tuple[np.ndarray, np.ndarray]:
        dx, dy = x - self.ox, y - self.oy
        return dx * self.cos + dy * self.sin, -dx * self.sin + dy * self.cos

    def block_range(self, bounds: tuple[float, float, float, float]) -> tuple[int, int, int, int]:
        """Block index range (i0, i1, j0, j1), inclusive, covering metric ``bounds``."""
        x0, y0, x1, y1 = bounds
        u, v = self.to_lattice(np.array([x0, x1, x1, x0]), np.array([y0, y0, y1, y1]))
        return (int(np.floor(u.min() / _PITCH_U)), int(np.floor(u.max() / _PITCH_U)),
                int(np.floor(v.min() / _PITCH_V)), int(np.floor(v.max() / _PITCH_V)))

    def plots(self, bi: npt.NDArray[np.int64], bj: npt.NDArray[np.int64]) -> _Plots:
        """All plots of blocks (bi, bj), vectorised."""
        s = self.seed
        nb = bi.size
        cols = 1 + np.floor(_uniform(bi, bj, s, 1) * _MAX_COLS).astype(np.int64)
        rows = 1 + np.floor(_uniform(bi, bj, s, 2) * _MAX_ROWS).astype(np.int64)
        whole = _uniform(bi, bj, s, 3) < 0.10
        if self.whole is not None and nb:
            cu = (bi + 0.5) * _PITCH_U
            cv = (bj + 0.5) * _PITCH_V
            cx, cy = self.to_world(cu, cv)
            whole |= shapely.contains_xy(self.whole, cx, cy)
        cols[whole] = 1
        rows[whole] = 1
        # uneven split positions, as cumulative fractions (nb x max+1)
        wc = 0.6 + 0.8 * np.column_stack([_uniform(bi, bj, s, 10 + k) for k in range(_MAX_COLS)])
        wr = 0.6 + 0.8 * np.column_stack([_uniform(bi, bj, s, 20 + k) for k in range(_MAX_ROWS)])
        wc[np.arange(_MAX_COLS)[None, :] >= cols[:, None]] = 0.0
        wr[np.arange(_MAX_ROWS)[None, :] >= rows[:, None]] = 0.0
        fc = np.column_stack([np.zeros(nb), np.cumsum(wc, axis=1)]) / wc.sum(axis=1)[:, None]
        fr = np.column_stack([np.zeros(nb), np.cumsum(wr, axis=1)]) / wr.sum(axis=1)[:, None]
        count = cols * rows
        block = np.repeat(np.arange(nb), count)
        starts = np.cumsum(count) - count
        local = np.arange(block.size) - starts[block]
        c = local % cols[block]
        r = local // cols[block]
        net_u, net_v = _PITCH_U - _STREET, _PITCH_V - _STREET
        u0 = bi[block] * _PITCH_U + _STREET / 2
        v0 = bj[block] * _PITCH_V + _STREET / 2
        ua = u0 + fc[block, c] * net_u + _SETBACK
        ub = u0 + fc[block, c + 1] * net_u - _SETBACK
        va = v0 + fr[block, r] * net_v + _SETBACK
        vb = v0 + fr[block, r + 1] * net_v - _SETBACK
        us = np.column_stack([ua, ub, ub, ua, ua])
        vs = np.column_stack([va, va, vb, vb, va])
        xs, ys = self.to_world(us, vs)
        geoms = shapely.polygons(np.stack([xs, ys], axis=-1))
        return _Plots(geoms, bi[block], bj[block], local)


def polygonal(geoms: npt.NDArray[np.object_]) -> npt.NDArray[np.object_]:
    """Keep only polygon parts (clipping may return collections); None when empty."""
    out = geoms.copy()
    types = shapely.get_type_id(out)
    odd = np.flatnonzero(~np.isin(types, (3, 6)))
    for k in odd:  # rare: collections or lines from clipping along an edge
        parts = [p for p in shapely.get_parts(out[k]) if p.geom_type == "Polygon"]
        out[k] = shapely.MultiPolygon(parts) if len(parts) > 1 else (parts[0] if parts else None)
    return out


def _clip(plots: _Plots, mask: shapely.Geometry, minus: shapely.Geometry | None = None) -> _Plots:
    """Plots inside ``mask`` and outside ``minus``.

    Whole plots are kept as they are; plots cut by an edge are clipped, and pieces under
    1,000 m² are dropped.
    """
    shapely.prepare(mask)
    touches = shapely.intersects(mask, plots.geometry)
    whole = touches & shapely.contains(mask, plots.geometry)
    if minus is not None:
        shapely.prepare(minus)
        whole &= ~shapely.intersects(minus, plots.geometry)
    kept = plots.take(np.flatnonzero(touches))
    cut = ~whole[touches]
    if cut.any():
        pieces = shapely.intersection(kept.geometry[cut], mask)
        if minus is not None:
            pieces = shapely.difference(pieces, minus)
        kept.geometry[cut] = polygonal(pieces)
    area = shapely.area(kept.geometry)  # NaN where a piece vanished
    return kept.take(np.flatnonzero(area >= _MIN_PIECE_M2))


def frame_to_metric(frame: gpd.GeoDataFrame) -> npt.NDArray[np.object_]:
    """The frame's geometries in the metric CRS."""
    if frame.crs is None:
        raise ConfigError(
            "The zone layer has no CRS. Set one (e.g. EPSG:4326) before generating parcels.",
            "功能区图层没有坐标系。生成宗地前请先设置坐标系（如 EPSG:4326）。",
        )
    return reproject(frame.geometry.values.to_numpy(), frame.crs.to_string(), get_settings().metric_crs)


def zone_geoms(zones: gpd.GeoDataFrame) -> dict[str, shapely.Geometry]:
    if "zone_id" not in zones.columns:
        raise ConfigError(
            f"The zone layer needs a 'zone_id' column; it has {list(zones.columns)}.",
            f"功能区图层需要 'zone_id' 字段；现有字段：{list(zones.columns)}。",
        )
    metric = frame_to_metric(zones)
    ids = zones["zone_id"].to_numpy()
    out: dict[str, shapely.Geometry] = {}
    for zid in _ZONE_ORDER:
        sel = metric[ids == zid]
        if len(sel):
            out[zid] = shapely.make_valid(shapely.union_all(sel))
    return out


@dataclass
class _Candidates:
    """Candidate plots and where they came from."""

    plots: _Plots
    origin: npt.NDArray[np.object_]  # zone id or "" per plot
    tier: npt.NDArray[np.int8]
    airport: npt.NDArray[np.bool_]


def _order_key(plots: _Plots, seed: int) -> npt.NDArray[np.float64]:
    return _uniform(plots.block_i, plots.block_j, seed, 99)


def inner_candidates(
    lattice: Lattice, zones: dict[str, shapely.Geometry], district: shapely.Geometry,
    airport: shapely.Geometry | None,
) -> tuple[_Candidates, tuple[int, int, int, int]]:
    """Plots of the zones (tier 0) and of the rest of the district (tier 1)."""
    geoms = [district, *zones.values()]
    bounds = shapely.total_bounds(np.array(geoms, dtype=object))
    i0, i1, j0, j1 = lattice.block_range(tuple(bounds))
    ii, jj = np.meshgrid(np.arange(i0, i1 + 1), np.arange(j0, j1 + 1), indexing="ij")
    plots = lattice.plots(ii.ravel(), jj.ravel())
    parts: list[tuple[_Plots, str, int]] = []
    for zid, zgeom in zones.items():
        kept = _clip(plots, zgeom)
        parts.append((kept, zid, 0))
    zone_union = shapely.union_all(np.array(list(zones.values()), dtype=object)) if zones else None
    rest = _clip(plots, district, zone_union)
    parts.append((rest, "", 1))
    geom = np.concatenate([p.geometry for p, _, _ in parts])
    cand = _Candidates(
        plots=_Plots(
            geom,
            np.concatenate([p.block_i for p, _, _ in parts]),
            np.concatenate([p.block_j for p, _, _ in parts]),
            np.concatenate([p.local for p, _, _ in parts]),
        ),
        origin=np.concatenate([np.full(len(p.geometry), z, dtype=object) for p, z, _ in parts]),
        tier=np.concatenate([np.full(len(p.geometry), t, dtype=np.int8) for p, _, t in parts]),
        airport=np.zeros(len(geom), bool),
    )
    if airport is not None and "demonstration" in zones:
        shapely.prepare(airport)
        c = shapely.centroid(cand.plots.geometry)
        cand.airport = (cand.origin == "demonstration") & shapely.contains(airport, c)
    return cand, (i0, i1, j0, j1)


def outer_plots(lattice: Lattice, occupied: shapely.Geometry, inner_range: tuple[int, int, int, int],
                 need: int) -> _Plots:
    """``need`` plots clear of ``occupied`` (district and zones), ring by ring outwards."""
    i0, i1, j0, j1 = inner_range
    ci, cj = (i0 + i1) // 2, (j0 + j1) // 2
    half0 = max(i1 - ci, ci - i0, j1 - cj, cj - j0)
    shapely.prepare(occupied)
    half = half0
    while True:
        side_blocks = int(np.ceil(np.sqrt((2 * half0 + 1) ** 2 + 1.15 * need / _MEAN_PLOTS_PER_BLOCK)))
        half = max(half, (side_blocks + 1) // 2)
        gi, gj = np.meshgrid(np.arange(ci - half, ci + half + 1), np.arange(cj - half, cj + half + 1), indexing="ij")
        ii, jj = gi.ravel(), gj.ravel()
        plots = lattice.plots(ii, jj)
        out = plots.take(np.flatnonzero(~shapely.intersects(occupied, plots.geometry)))
        if len(out.geometry) >= need:
            ring = np.maximum(np.abs(out.block_i - ci), np.abs(out.block_j - cj))
            order = np.lexsort((out.local, _order_key(out, lattice.seed), ring))
            return out.take(order[:need])
        half = int(half * 1.2) + 2


def select_plots(cand: _Candidates, n: int, seed: int, n_named: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices into ``cand`` for the first ``n`` parcels, and which of them are the named firms."""
    key = _order_key(cand.plots, seed)
    inc = np.flatnonzero((cand.origin == "incubation") & (cand.tier == 0))
    named = np.zeros(len(key), bool)
    if n_named and inc.size >= n_named:
        geoms = cand.plots.geometry[inc]
        area = shapely.area(geoms)
        # whole rectangular plots (5 vertices) of a plausible factory size
        ok = inc[(area >= 5_000.0) & (area <= 40_000.0) & (shapely.get_num_coordinates(geoms) == 5)]
        ok = ok if ok.size >= n_named else inc
        pick = ok[np.argsort(_uniform(cand.plots.block_i[ok], cand.plots.block_j[ok] * 8 + cand.plots.local[ok],
                                      seed, 7), kind="stable")[:n_named]]
        named[pick] = True
    prio = np.full(len(key), 9, np.int8)
    prio[cand.tier == 0] = 3
    prio[cand.airport] = 2
    prio[(cand.origin == "incubation") & (cand.tier == 0)] = 1
    prio[cand.tier == 1] = 4
    prio[named] = 0
    named_rank = np.zeros(len(key))
    named_rank[named] = np.arange(int(named.sum()))
    order = np.lexsort((cand.plots.local, key, named_rank, prio))
    chosen = order[:n]
    return chosen, named[chosen]


def spatial_order(origin: np.ndarray, tier: np.ndarray, geoms: np.ndarray, named: np.ndarray) -> np.ndarray:
    """Row order inside the district: named firms first, then tier, zone, north to south, west to east."""
    zrank = np.select([origin == z for z in _ZONE_ORDER], [0, 1, 2], 3)
    c = shapely.centroid(geoms)
    x, y = shapely.get_x(c), shapely.get_y(c)
    return np.lexsort((np.round(x, -1), -np.round(y / 100.0), zrank, tier, ~named))
