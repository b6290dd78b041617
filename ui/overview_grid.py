"""The parcel layer at city scale: a grid overview at low zoom, the parcels in view at high zoom.

Above :data:`LARGE_LAYER_PARCELS` parcels the map no longer builds one Leaflet layer per
parcel.  Two things are sent instead, once:

* an overview grid computed here with numpy: square cells of :func:`grid_cell_size`
  metres in the metric CRS, each with its parcel count and the dominant class of the
  theme (most parcels; ties go to the class listed first in the legend) or, for a
  numeric theme, the mean value coloured with the theme's bins;
* the compact parcel payload of :func:`ui.mapview.encode_parcels`, simplified more
  coarsely (:data:`LARGE_SIMPLIFY_M`) and quantised at 1e-5 degree (about 1 m,
  :data:`LARGE_QUANT`) to cut bytes.

In the browser, :class:`LodParcelLayer` shows the grid below :data:`DETAIL_MIN_ZOOM`.
At or above it, every ``moveend`` computes which parcels' bounding boxes (built once,
lazily, from the payload) intersect the view and adds only those to the one canvas
``L.geoJSON`` layer, removing those that left the view; when more than
:data:`VIEW_CAP` parcels are in view the grid stays and a hint asks to zoom in.  Pan and
zoom never rerun the Streamlit script.  The parcel features have the same properties
(``parcel_id``, ``value``, ``fill``) and the same click behaviour as the small-layer
path, so a click still returns the parcel to the page.  Tooltips and the hint are built
with ``textContent``.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Sequence

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from analysis.efficiency import EfficiencyProfile
from core.gcj02 import geometry_wgs84_to_gcj02, wgs84_to_gcj02
from core.settings import get_settings
from parcels.schema import EFFICIENCY_CLASSES, EXPIRY_STATUSES, LAND_USES
from ui.i18n import category_label, t
from ui.lod_layer import DETAIL_MIN_ZOOM, VIEW_CAP, LodParcelLayer, lod_text
from ui.map_theme import LegendItem, theme_bins, theme_style, to_json_script

__all__ = [
    "LARGE_LAYER_PARCELS",
    "DETAIL_MIN_ZOOM",
    "VIEW_CAP",
    "LARGE_SIMPLIFY_M",
    "LARGE_QUANT",
    "CELL_SIZES_M",
    "is_large",
    "grid_cell_size",
    "aggregate_grid",
    "encode_grid",
    "encode_large_parcels",
    "LodParcelLayer",
    "large_parcel_group",
]

logger = logging.getLogger(__name__)

#: Above this many parcels the map uses the grid overview and draws only the parcels in view
#: (the default of ``HULI_LARGE_LAYER_PARCELS``, :attr:`core.settings.Settings.large_layer_parcels`).
LARGE_LAYER_PARCELS = 20_000
#: Display simplification of a large layer, metres (about).
LARGE_SIMPLIFY_M = 2.0
#: Coordinate quantisation of a large layer (1e-5 degree, about 1 m).
LARGE_QUANT = 100_000
#: Cell sizes the overview grid may use, metres.
CELL_SIZES_M: tuple[float, ...] = (200.0, 250.0, 500.0, 1000.0, 2000.0, 5000.0, 10000.0)

_NODATA = "#c8c8c8"
#: Category themes and their classes in legend order (ties of the dominant class go to the first).
_CATEGORY_THEMES: dict[str, tuple[str, ...]] = {
    "land_use": LAND_USES,
    "expiry_status": EXPIRY_STATUSES,
    "efficiency_class": EFFICIENCY_CLASSES,
}
_TARGET_CELLS = 100  # cells along the longer side of the extent


def is_large(n_parcels: int, *, threshold: int | None = None) -> bool:
    """Whether a layer of ``n_parcels`` takes the grid + parcels-in-view path.

    ``threshold`` defaults to the setting ``HULI_LARGE_LAYER_PARCELS`` (20,000).
    """
    return n_parcels > (get_settings().large_layer_parcels if threshold is None else threshold)


def grid_cell_size(width_m: float, height_m: float, *, target_cells: int = _TARGET_CELLS) -> float:
    """Cell size of the overview grid for an extent, in metres.

    The smallest of :data:`CELL_SIZES_M` that gives at most ``target_cells`` cells
    along the longer side (the largest size when none does).

    Parameters
    ----------
    width_m, height_m
        Extent of the parcels in the metric CRS.
    target_cells
        Most cells wanted along the longer side.
    """
    longest = max(float(width_m), float(height_m), 0.0)
    for size in CELL_SIZES_M:
        if longest / size <= target_cells:
            return size
    return CELL_SIZES_M[-1]


def _parcel_points(frame: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Centroids of the parcels in the metric CRS (x, y); NaN for a missing geometry."""
    geoms = np.asarray(frame.to_crs("EPSG:4326").geometry.values, dtype=object)
    xy = shapely.get_coordinates(shapely.centroid(geoms), include_z=False)
    ok = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    x = np.full(len(geoms), np.nan)
    y = np.full(len(geoms), np.nan)
    if ok.any():
        to_metric = Transformer.from_crs("EPSG:4326", get_settings().metric_crs, always_xy=True)
        mx, my = to_metric.transform(xy[:, 0], xy[:, 1])
        x[ok], y[ok] = mx, my
    return x, y


def _class_order(theme: str, raw: pd.Series) -> list[str]:
    """Classes of a category theme in legend order, then any others, missing ("") last."""
    known = list(_CATEGORY_THEMES[theme])
    present = [str(v) for v in pd.unique(raw) if v not in known and v != ""]
    return [*known, *sorted(present), ""]


def aggregate_grid(
    frame: gpd.GeoDataFrame,
    *,
    theme: str,
    lang: str = "zh",
    cell_m: float | None = None,
    profile: EfficiencyProfile | None = None,
) -> gpd.GeoDataFrame:
    """Square-cell overview of a parcel layer for ``theme`` (vectorised numpy).

    Each parcel counts in the cell holding its centroid.  Cells are aligned to multiples
    of ``cell_m`` in the metric CRS (``settings.metric_crs``); only cells with parcels
    are returned.

    Parameters
    ----------
    frame
        Parcel frame (any CRS); the theme column is optional (missing: "no data").
    theme
        One of :data:`ui.mapview.THEMES`.
    lang
        Language of the ``value`` labels.
    cell_m
        Cell size in metres; default :func:`grid_cell_size` of the parcels' extent.

    Returns
    -------
    geopandas.GeoDataFrame
        In the metric CRS, one row per occupied cell: ``ix``, ``iy`` (cell index: the cell
        spans ``[ix*cell_m, (ix+1)*cell_m)`` in x, likewise in y), ``count`` (parcels),
        ``dominant`` (most common class, "" for no data; for a numeric theme the mean as
        text), ``mean`` (numeric themes, NaN otherwise or when no parcel has a value),
        ``fill`` (colour), ``value`` (display text), ``cell_m`` and the square geometry.
    """
    metric_crs = get_settings().metric_crs
    x, y = _parcel_points(frame)
    ok = np.isfinite(x) & np.isfinite(y)
    columns = ["ix", "iy", "count", "dominant", "mean", "fill", "value", "cell_m"]
    if not ok.any():
        empty = pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})
        return gpd.GeoDataFrame(empty, geometry=[], crs=metric_crs)
    if cell_m is None:
        cell_m = grid_cell_size(float(np.ptp(x[ok])), float(np.ptp(y[ok])))
    if not (np.isfinite(cell_m) and cell_m > 0):
        raise ValueError(f"cell_m must be a positive number of metres, got {cell_m!r}")
    ix = np.floor(x[ok] / cell_m).astype(np.int64)
    iy = np.floor(y[ok] / cell_m).astype(np.int64)
    cells, cell_of = np.unique(np.column_stack([ix, iy]), axis=0, return_inverse=True)
    cell_of = cell_of.ravel()
    n_cells = len(cells)
    count = np.bincount(cell_of, minlength=n_cells)
    nodata = t("nocap", lang) if theme == "height_limit_m" else t("nodata", lang)
    sub = frame.iloc[np.flatnonzero(ok)]
    if theme in _CATEGORY_THEMES:
        raw = (sub[theme].astype("string").fillna("") if theme in sub.columns
               else pd.Series([""] * len(sub), dtype="string"))
        order = _class_order(theme, raw)
        code = pd.Categorical(raw.to_numpy(dtype=object), categories=order).codes.astype(np.int64)
        table = np.bincount(cell_of * len(order) + code, minlength=n_cells * len(order)).reshape(n_cells, len(order))
        dominant = np.asarray(order, dtype=object)[np.argmax(table, axis=1)]  # argmax: first class on a tie
        fill_of, _, _ = theme_style(pd.DataFrame({theme: pd.Series(order, dtype="string")}), theme, lang=lang)
        colour = dict(zip(order, fill_of.to_numpy(), strict=True))
        fill = np.array([colour[d] for d in dominant], dtype=object)
        value = np.array([category_label(theme, d, lang) if d else nodata for d in dominant], dtype=object)
        mean = np.full(n_cells, np.nan)
    else:
        vals = (pd.to_numeric(sub[theme], errors="coerce").astype("float64").to_numpy(na_value=np.nan)
                if theme in sub.columns else np.full(len(sub), np.nan))
        has = np.isfinite(vals)
        total = np.bincount(cell_of[has], weights=vals[has], minlength=n_cells)
        n_val = np.bincount(cell_of[has], minlength=n_cells)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.where(n_val > 0, total / np.maximum(n_val, 1), np.nan)
        edges, colours, unit = theme_bins(theme, profile=profile)
        finite = np.isfinite(mean)
        idx = np.clip(np.searchsorted(np.asarray(edges), np.where(finite, mean, 0.0), side="right"),
                      0, len(colours) - 1)
        fill = np.where(finite, np.asarray(colours, dtype=object)[idx], _NODATA)
        value = np.array([f"{lod_text('mean', lang)} {m:,.0f} {unit}" if np.isfinite(m) else nodata for m in mean],
                         dtype=object)
        dominant = np.array([f"{m:.6g}" if np.isfinite(m) else "" for m in mean], dtype=object)
    x0 = cells[:, 0] * cell_m
    y0 = cells[:, 1] * cell_m
    return gpd.GeoDataFrame(
        {
            "ix": cells[:, 0], "iy": cells[:, 1], "count": count, "dominant": dominant, "mean": mean,
            "fill": fill, "value": value, "cell_m": np.full(n_cells, float(cell_m)),
        },
        geometry=shapely.box(x0, y0, x0 + cell_m, y0 + cell_m),
        crs=metric_crs,
    )


def encode_grid(cells: gpd.GeoDataFrame, *, gcj02: bool = False) -> dict[str, object]:
    """Compact, JSON-ready form of :func:`aggregate_grid`'s cells (decoded by :class:`LodParcelLayer`).

    Returns
    -------
    dict
        ``q`` quantisation, ``o`` origin (lon, lat), ``c`` four corners per cell
        (SW, SE, NE, NW) as integer lon/lat offsets, ``n`` parcel counts, ``f`` fill index
        into ``pal``, ``t`` value index into ``tl``.
    """
    q = 1_000_000
    if len(cells) == 0:
        return {"q": q, "o": [0, 0], "c": [], "n": [], "f": [], "pal": [], "t": [], "tl": []}
    b = shapely.bounds(np.asarray(cells.geometry.values, dtype=object))
    cx = np.column_stack([b[:, 0], b[:, 2], b[:, 2], b[:, 0]]).ravel()
    cy = np.column_stack([b[:, 1], b[:, 1], b[:, 3], b[:, 3]]).ravel()
    to_geo = Transformer.from_crs(cells.crs, "EPSG:4326", always_xy=True)
    lon, lat = to_geo.transform(cx, cy)
    if gcj02:
        lon, lat = wgs84_to_gcj02(lon, lat)
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    x0 = float(np.floor(lon.min() * 100) / 100)
    y0 = float(np.floor(lat.min() * 100) / 100)
    qx = np.rint((lon - x0) * q).astype(np.int64)
    qy = np.rint((lat - y0) * q).astype(np.int64)
    fill_codes, palette = pd.factorize(pd.Series(cells["fill"].to_numpy(), dtype=object))
    value_codes, values = pd.factorize(pd.Series(cells["value"].to_numpy(), dtype=object))
    return {
        "q": q,
        "o": [x0, y0],
        "c": np.column_stack([qx, qy]).ravel().tolist(),
        "n": cells["count"].astype(np.int64).tolist(),
        "f": fill_codes.tolist(),
        "pal": [str(p) for p in palette],
        "t": value_codes.tolist(),
        "tl": [str(v) for v in values],
    }


def encode_large_parcels(
    geometry: Sequence[object] | np.ndarray,
    ids: Sequence[str],
    fill: Sequence[str],
    value: Sequence[str],
    *,
    quant: int = LARGE_QUANT,
) -> dict[str, object]:
    """Compact, JSON-ready form of a large parcel layer (decoded by :class:`LodParcelLayer`).

    Smaller than :func:`ui.mapview.encode_parcels` for many parcels: counts instead of
    cumulative offsets, and one running delta over every vertex of the layer (the browser
    rebuilds offsets and absolute coordinates once, on first zoom-in).

    Parameters
    ----------
    geometry
        Polygons/MultiPolygons in display lon/lat.
    ids, fill, value
        Parcel id, fill colour and display value per geometry.
    quant
        Coordinate units per degree (default 1e5, about 1 m).

    Returns
    -------
    dict
        ``q`` quantisation, ``o`` origin (lon, lat), ``id``, ``t`` value index into ``tl``,
        ``f`` fill index into ``pal``, ``np`` polygons per parcel, ``nr`` rings per polygon,
        ``nv`` vertices per ring (closing vertex dropped) and ``c`` the flat running deltas
        of the integer coordinates (x, y, x, y, ...; the first pair is absolute).
    """
    geoms = np.asarray(geometry, dtype=object)
    value_codes, value_table = pd.factorize(pd.Series(list(value), dtype=object))
    fill_codes, palette = pd.factorize(pd.Series(list(fill), dtype=object))
    out: dict[str, object] = {
        "q": int(quant),
        "id": [str(i) for i in ids],
        "t": value_codes.tolist(),
        "tl": [str(v) for v in value_table],
        "f": fill_codes.tolist(),
        "pal": [str(c) for c in palette],
    }
    if len(geoms) == 0:
        out.update(o=[0, 0], np=[], nr=[], nv=[], c=[])
        return out
    single = shapely.get_type_id(geoms) == 3
    multi = geoms.copy()
    if single.any():
        multi[single] = shapely.multipolygons(geoms[single][:, None])
    _, coords, (ring_off, poly_off, geom_off) = shapely.to_ragged_array(multi)
    x0 = float(np.floor(coords[:, 0].min() * 100) / 100)
    y0 = float(np.floor(coords[:, 1].min() * 100) / 100)
    qc = np.rint((coords - [x0, y0]) * quant).astype(np.int64)
    keep = np.ones(len(qc), dtype=bool)
    keep[ring_off[1:] - 1] = False  # the closing vertex of every ring
    qc = qc[keep]
    delta = np.diff(qc, axis=0, prepend=np.zeros((1, 2), dtype=np.int64))
    out.update(
        o=[x0, y0],
        np=np.diff(geom_off).tolist(),
        nr=np.diff(poly_off).tolist(),
        nv=(np.diff(ring_off) - 1).tolist(),
        c=delta.ravel().tolist(),
    )
    return out


_CACHE_ENTRIES = 4
_cache: OrderedDict[tuple[object, ...], tuple[str, str, list[LegendItem]]] = OrderedDict()
_cache_lock = threading.Lock()


def _fingerprint(frame: gpd.GeoDataFrame, theme: str) -> str:
    """Digest of what the layer shows: ids, the theme column, the geometry and its CRS."""
    h = hashlib.blake2b(digest_size=16)
    cols = ["parcel_id", *([theme] if theme in frame.columns else [])]
    h.update(pd.util.hash_pandas_object(pd.DataFrame(frame[cols]), index=False).to_numpy().tobytes())
    h.update(str(frame.crs).encode("utf-8"))
    wkb = shapely.to_wkb(np.asarray(frame.geometry.values, dtype=object))
    h.update(b"".join(w if w is not None else b"-" for w in wkb))
    return h.hexdigest()


def _layer_data(
    frame: gpd.GeoDataFrame, *, theme: str, lang: str, basemap: str, cell_m: float | None,
    profile: EfficiencyProfile | None = None,
) -> tuple[str, str, list[LegendItem]]:
    """Parcel payload and grid as script-safe JSON text, and the legend (the last few kept).

    A rerun of the page (a click, a widget elsewhere) rebuilds the map; the layer data are
    taken from memory when the parcels, theme, language, basemap and cell size are the same.
    """
    edges = theme_bins(theme, profile=profile)[0] if theme == "output_per_mu" else None
    key = (_fingerprint(frame, theme), theme, lang, basemap, cell_m, edges)
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    gcj = basemap == "amap"
    fill, value, legend = theme_style(frame, theme, lang=lang, profile=profile)
    geoms = np.asarray(frame.to_crs("EPSG:4326").geometry.values, dtype=object)
    geoms = np.asarray(shapely.simplify(geoms, LARGE_SIMPLIFY_M / 111_000.0, preserve_topology=True), dtype=object)
    if gcj:
        geoms = np.asarray(geometry_wgs84_to_gcj02(geoms), dtype=object)
    ok = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    payload = encode_large_parcels(
        geoms[ok], frame["parcel_id"].astype(str).to_numpy()[ok], fill.to_numpy()[ok], value.to_numpy()[ok],
    )
    cells = aggregate_grid(frame, theme=theme, lang=lang, cell_m=cell_m, profile=profile)
    out = (to_json_script(payload), to_json_script(encode_grid(cells, gcj02=gcj)), legend)
    logger.debug("large parcel layer: %d parcels, %d grid cells", int(ok.sum()), len(cells))
    with _cache_lock:
        _cache[key] = out
        while len(_cache) > _CACHE_ENTRIES:
            _cache.popitem(last=False)
    return out


def large_parcel_group(
    frame: gpd.GeoDataFrame,
    *,
    theme: str,
    lang: str = "zh",
    basemap: str = "offline",
    selected: str | None = None,
    cell_m: float | None = None,
    min_zoom: int = DETAIL_MIN_ZOOM,
    cap: int = VIEW_CAP,
    profile: EfficiencyProfile | None = None,
    detail: dict[str, object] | None = None,
) -> tuple[folium.FeatureGroup, list[LegendItem]]:
    """A large parcel layer as one feature group: grid overview plus parcels in view.

    Same call and result as :func:`ui.mapview.parcel_group` (which uses it above
    :data:`LARGE_LAYER_PARCELS` parcels).

    Parameters
    ----------
    frame
        Parcel frame (EPSG:4326, ``parcel_id``; theme columns optional).
    theme, lang, basemap, selected, detail
        As for :func:`ui.mapview.parcel_group`.
    cell_m
        Grid cell size in metres (default from the extent, :func:`grid_cell_size`).
    min_zoom, cap
        Lowest zoom of single parcels; most parcels drawn at once.
    """
    group = folium.FeatureGroup(name=t("map.parcels", lang), control=False)
    payload, grid, legend = _layer_data(frame, theme=theme, lang=lang, basemap=basemap, cell_m=cell_m,
                                        profile=profile)
    LodParcelLayer(
        payload, grid, label=t(f"theme.{theme}", lang), name=t("map.parcels", lang),
        lang=lang, selected=None if selected is None else str(selected), min_zoom=min_zoom, cap=cap,
        detail=detail,
    ).add_to(group)
    return group, legend
