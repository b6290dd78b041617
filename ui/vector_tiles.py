"""Vector tiles of a large parcel layer, cut by the app's own map service (:mod:`ui.map_service`).

A city's cadastre does not fit in a page: a million parcels are some 50 MB of coordinates.  The
map of a large layer (:class:`ui.tile_layer.TileParcelLayer`) therefore carries only the overview
grid; from :attr:`TileSource.min_zoom` on it asks the app for the parcels of each 256-pixel Web
Mercator tile it shows, ``{z}/{x}/{y}`` as in every slippy map.

* :class:`LayerGeometry` holds a layer's display geometry once per dataset version and basemap
  (ragged coordinate arrays in normalised Web Mercator, per-parcel bounding boxes and vertex
  ranges; numpy throughout).  A filter or a theme does not rebuild it.
* :class:`TileSource` is what one map shows: the parcels kept by the page's filters (row
  positions into the geometry), a fill colour and a display value per parcel, the details of
  the detail panel.  A tile holds every kept parcel whose bounding box meets the tile (whole, not
  clipped: a click anywhere on a parcel finds all of it), its coordinates in tile units
  (:data:`EXTENT` per tile side, like MVT), delta-coded.

:attr:`TileSource.min_zoom` is the lowest zoom at which the densest tile holds at most
:data:`TILE_CAP` parcels, so a tile stays a few hundred kilobytes before compression whatever
the layer's density; below it the map shows the overview grid.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

import numpy as np
import pandas as pd
import shapely

from ui.detail import FrameDetails

__all__ = ["EXTENT", "TILE_CAP", "LayerGeometry", "TileSource", "layer_geometry", "mercator", "tile_bounds"]

#: Tile units per tile side (coordinates in a tile are integers in about [0, EXTENT]).
EXTENT = 4096
#: Most parcels in one tile at the lowest zoom that draws parcels.
TILE_CAP = 4000
#: Zooms the tiles may start at (below the lowest: always the grid; the highest: always parcels).
ZOOMS = tuple(range(12, 19))
_CACHED_TILES = 512
_CACHED_LAYERS = 2


def mercator(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Normalised Web Mercator: x and y in [0, 1], y growing southwards (the tile scheme's)."""
    lat = np.clip(lat, -85.05112878, 85.05112878)
    x = (np.asarray(lon, dtype=np.float64) + 180.0) / 360.0
    s = np.sin(np.radians(lat))
    y = 0.5 - np.log((1.0 + s) / (1.0 - s)) / (4.0 * np.pi)
    return x, y


def tile_bounds(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """A tile's bounds in normalised Web Mercator ``(x0, y0, x1, y1)`` (y0 the north edge)."""
    n = float(2**z)
    return x / n, y / n, (x + 1) / n, (y + 1) / n


class LayerGeometry:
    """A parcel layer's display geometry as arrays (built once; read-only afterwards).

    Parameters
    ----------
    geoms
        Polygons/MultiPolygons in display lon/lat (already shifted for the basemap), one per
        row of the layer; missing or empty ones are kept as parcels with no vertex.
    """

    def __init__(self, geoms: np.ndarray) -> None:
        geoms = np.asarray(geoms, dtype=object)
        self.n = len(geoms)
        usable = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
        multi = np.empty(self.n, dtype=object)
        multi[:] = shapely.from_wkt("MULTIPOLYGON EMPTY")
        single = usable & (shapely.get_type_id(geoms) == 3)
        many = usable & (shapely.get_type_id(geoms) == 6)
        if single.any():
            multi[single] = shapely.multipolygons(geoms[single][:, None])
        multi[many] = geoms[many]
        if self.n:
            _, coords, (ring_off, poly_off, geom_off) = shapely.to_ragged_array(multi)
        else:
            coords, ring_off, poly_off, geom_off = np.zeros((0, 2)), np.zeros(1, int), np.zeros(1, int), np.zeros(1, int)
        mx, my = mercator(coords[:, 0], coords[:, 1])
        self.xy = np.column_stack([mx, my])
        self.ring_off = np.asarray(ring_off, dtype=np.int64)
        self.ring_start = np.asarray(poly_off, dtype=np.int64)[np.asarray(geom_off, dtype=np.int64)]  # per parcel
        self.vertex_start = self.ring_off[self.ring_start]  # per parcel, n + 1 entries
        has = np.diff(self.vertex_start) > 0
        box = np.full((self.n, 4), np.nan)
        if has.any():
            starts = self.vertex_start[:-1][has]
            box[has, 0] = np.minimum.reduceat(mx, starts)
            box[has, 1] = np.minimum.reduceat(my, starts)
            box[has, 2] = np.maximum.reduceat(mx, starts)
            box[has, 3] = np.maximum.reduceat(my, starts)
        self.box = box  # x0, y0 (north), x1, y1 (south) in normalised Mercator
        self.lonlat_box = np.full((self.n, 4), np.nan)
        if has.any():
            lon, lat = coords[:, 0], coords[:, 1]
            starts = self.vertex_start[:-1][has]
            self.lonlat_box[has] = np.column_stack([
                np.minimum.reduceat(lon, starts), np.minimum.reduceat(lat, starts),
                np.maximum.reduceat(lon, starts), np.maximum.reduceat(lat, starts)])

    def encode(self, rows: np.ndarray, z: int, x: int, y: int) -> dict[str, list[int]]:
        """``rows``' rings in tile units: ``nr`` rings per parcel, ``nv`` vertices per ring (the
        closing vertex dropped), ``c`` the running deltas of the integer coordinates."""
        if len(rows) == 0:
            return {"nr": [], "nv": [], "c": []}
        r0, r1 = self.ring_start[rows], self.ring_start[rows + 1]
        rings = _ranges(r0, r1)
        v0, v1 = self.ring_off[rings], self.ring_off[rings + 1] - 1  # the closing vertex dropped
        vertices = _ranges(v0, v1)
        n = float(2**z)
        q = np.rint((self.xy[vertices] * n - [x, y]) * EXTENT).astype(np.int64)
        delta = np.diff(q, axis=0, prepend=np.zeros((1, 2), dtype=np.int64))
        return {"nr": (r1 - r0).tolist(), "nv": (v1 - v0).tolist(), "c": delta.ravel().tolist()}

    def densest_tile(self, z: int, keep: np.ndarray) -> int:
        """Most ``keep`` parcels whose box centre lies in one tile at zoom ``z``."""
        b = self.box[keep]
        ok = np.isfinite(b[:, 0])
        if not ok.any():
            return 0
        n = 2**z
        tx = np.floor((b[ok, 0] + b[ok, 2]) / 2 * n).astype(np.int64)
        ty = np.floor((b[ok, 1] + b[ok, 3]) / 2 * n).astype(np.int64)
        return int(np.unique(tx * n + ty, return_counts=True)[1].max())


def _ranges(start: np.ndarray, stop: np.ndarray) -> np.ndarray:
    """The concatenation of ``arange(start[i], stop[i])`` over i, vectorised."""
    length = np.maximum(stop - start, 0)
    total = int(length.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(start - np.concatenate([[0], np.cumsum(length)[:-1]]), length)
    return offsets + np.arange(total, dtype=np.int64)


_layers: OrderedDict[Hashable, LayerGeometry] = OrderedDict()
_layers_lock = threading.Lock()


def layer_geometry(key: Hashable, make: Any) -> LayerGeometry:
    """The geometry of layer ``key`` (a dataset version and a basemap), ``make()`` the first time."""
    with _layers_lock:
        if key in _layers:
            _layers.move_to_end(key)
            return _layers[key]
    built = LayerGeometry(make())
    with _layers_lock:
        _layers[key] = built
        while len(_layers) > _CACHED_LAYERS:
            _layers.popitem(last=False)
    return built


class TileSource:
    """One large map's answers (:class:`ui.map_service.MapSource`): tiles, details, places.

    Parameters
    ----------
    geometry
        The layer's :class:`LayerGeometry`.
    rows
        Positions into ``geometry`` of the parcels the map shows (after filters).
    ids, fill, value
        Per shown parcel (aligned with ``rows``): id, fill colour, display value.
    details
        The frame the detail panel reads (all parcels of the layer; looked up by id).
    lang
        Language of the details.
    """

    def __init__(self, geometry: LayerGeometry, rows: np.ndarray, *, ids: np.ndarray, fill: np.ndarray,
                 value: np.ndarray, details: pd.DataFrame, lang: str) -> None:
        self.geometry = geometry
        order = np.argsort(rows, kind="stable")
        self.rows = np.asarray(rows, dtype=np.int64)[order]
        self.ids = np.asarray(ids, dtype=object)[order]
        fill_codes, self.palette = pd.factorize(pd.Series(np.asarray(fill, dtype=object)[order], dtype=object))
        value_codes, self.values = pd.factorize(pd.Series(np.asarray(value, dtype=object)[order], dtype=object))
        self.fill = fill_codes.astype(np.int64)
        self.value = value_codes.astype(np.int64)
        self.details = FrameDetails(details, lang)
        self._box = geometry.box[self.rows]
        self.min_zoom = next((z for z in ZOOMS if geometry.densest_tile(z, self.rows) <= TILE_CAP), ZOOMS[-1])
        self._where: pd.Index | None = None  # id -> position among the parcels shown, built when first asked
        self._tiles: OrderedDict[tuple[int, int, int], dict[str, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self.grid: dict[str, object] = {}  # the overview grid the page shows below min_zoom (set by its maker)

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def weight(self) -> int:
        """What it holds, for the map service's bound: its parcels."""
        return max(1, len(self.rows))

    def extent(self) -> list[float] | None:
        """Bounds ``[w, s, e, n]`` (display lon/lat) of the parcels shown, None when none."""
        b = self.geometry.lonlat_box[self.rows]
        ok = np.isfinite(b[:, 0])
        if not ok.any():
            return None
        b = b[ok]
        return [float(b[:, 0].min()), float(b[:, 1].min()), float(b[:, 2].max()), float(b[:, 3].max())]

    def sample(self, n: int) -> list[dict[str, Any]]:
        """Up to ``n`` parcels spread over the layer: ``{id, bbox}`` (for the map's test hook)."""
        if self.count == 0 or n <= 0:
            return []
        step = max(1, self.count // n)
        pick = np.arange(0, self.count, step)[:n]
        boxes = self.geometry.lonlat_box[self.rows[pick]]
        return [{"id": str(self.ids[i]), "bbox": [float(v) for v in boxes[k]]} for k, i in enumerate(pick)]

    def tile(self, z: int, x: int, y: int) -> dict[str, Any] | None:
        if z < self.min_zoom:
            return None
        with self._lock:
            if (z, x, y) in self._tiles:
                self._tiles.move_to_end((z, x, y))
                return self._tiles[(z, x, y)]
        x0, y0, x1, y1 = tile_bounds(z, x, y)
        b = self._box
        at = np.flatnonzero((b[:, 0] <= x1) & (b[:, 2] >= x0) & (b[:, 1] <= y1) & (b[:, 3] >= y0))
        rows = self.rows[at]
        out: dict[str, Any] = {"e": EXTENT, "id": self.ids[at].tolist(), "f": self.fill[at].tolist(),
                               "t": self.value[at].tolist(), **self.geometry.encode(rows, z, x, y)}
        with self._lock:
            self._tiles[(z, x, y)] = out
            while len(self._tiles) > _CACHED_TILES:
                self._tiles.popitem(last=False)
        return out

    def detail(self, pid: str) -> dict[str, Any] | None:
        return self.details.detail(pid)

    def locate(self, pid: str) -> list[float] | None:
        if self._where is None:
            self._where = pd.Index(self.ids)
        hits = self._where.get_indexer_for([pid])  # every position of the id (-1: none); the first wins
        if len(hits) == 0 or hits[0] < 0:
            return None
        at = int(hits[0])
        b = self.geometry.lonlat_box[self.rows[at]]
        return [float(v) for v in b] if np.isfinite(b[0]) else None
