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
from folium.map import Layer
from jinja2 import Template
from pyproj import Transformer

from core.gcj02 import geometry_wgs84_to_gcj02, wgs84_to_gcj02
from core.settings import get_settings
from parcels.schema import EFFICIENCY_CLASSES, EXPIRY_STATUSES, LAND_USES
from ui.i18n import category_label, t
from ui.mapview import LegendItem, theme_bins, theme_style, to_json_script

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
#: Lowest zoom at which single parcels are drawn (below it: the grid).
DETAIL_MIN_ZOOM = 15
#: Most parcels drawn at once; with more in view the grid stays and a hint asks to zoom in.
VIEW_CAP = 15_000
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

_TEXT: dict[str, tuple[str, str]] = {
    "count": ("{n} 宗地块", "{n} parcels"),
    "dominant": ("主要类别", "Most common"),
    "mean": ("平均", "Mean"),
    "hint_zoom": ("网格为概览（每格主要类别与地块数）；放大到第 {z} 级查看单个地块。",
                  "Grid overview (most common class and parcel count per cell); zoom to level {z} for parcels."),
    "hint_many": ("当前视图内有 {n} 宗地块，超过 {cap} 宗上限；请继续放大。",
                  "{n} parcels in view, more than the {cap} drawn at once; zoom in further."),
}


def _text(key: str, lang: str, **kwargs: object) -> str:
    zh, en = _TEXT[key]
    return (en if lang == "en" else zh).format(**kwargs)


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
        edges, colours, unit = theme_bins(theme)
        finite = np.isfinite(mean)
        idx = np.clip(np.searchsorted(np.asarray(edges), np.where(finite, mean, 0.0), side="right"),
                      0, len(colours) - 1)
        fill = np.where(finite, np.asarray(colours, dtype=object)[idx], _NODATA)
        value = np.array([f"{_text('mean', lang)} {m:,.0f} {unit}" if np.isfinite(m) else nodata for m in mean],
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


class LodParcelLayer(Layer):
    """A large parcel layer: the grid at low zoom, the parcels in view at high zoom.

    The JavaScript object it creates is an ``L.featureGroup`` holding the grid and one
    ``L.geoJSON`` parcel layer; its ``huliState`` (also ``window.__huliParcelView``) tells
    the mode (``"grid"`` or ``"parcels"``), the parcels in view, the parcels drawn, the
    number of redraws and the cap in force (``cap``, read at every redraw).  Parcel
    features carry ``parcel_id``, ``value`` and ``fill`` like :class:`ui.mapview.ParcelLayer`.

    ``payload`` (:func:`encode_large_parcels`) and ``grid`` (:func:`encode_grid`) are dicts,
    or their text from :func:`ui.mapview.to_json_script`.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function () {
            var d = {{ this.payload }}, gd = {{ this.grid }}, opt = {{ this.options_json }};
            var q = d.q, ox = d.o[0], oy = d.o[1], n = d.id.length;
            var g = null, p = null, r = null, xy = null, bb = null;
            var state = {mode: "grid", inView: 0, drawn: 0, redraws: 0, parcels: n, cells: gd.n.length, cap: opt.cap};
            window.__huliParcelView = state;
            if (window.__huliSelected === undefined) { window.__huliSelected = opt.selected; }
            function offsets(counts) {
                var o = new Uint32Array(counts.length + 1);
                for (var i = 0; i < counts.length; i++) { o[i + 1] = o[i] + counts[i]; }
                return o;
            }
            function prepare() {  // offsets, absolute coordinates and bounding boxes, once
                g = offsets(d.np); p = offsets(d.nr); r = offsets(d.nv);
                xy = new Int32Array(d.c.length);
                var x = 0, y = 0, i, v;
                for (v = 0; v < d.c.length; v += 2) {
                    x += d.c[v]; y += d.c[v + 1]; xy[v] = x; xy[v + 1] = y;
                }
                bb = new Float64Array(4 * n);
                for (i = 0; i < n; i++) {
                    var a = r[p[g[i]]], b = r[p[g[i + 1]]];
                    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
                    for (v = a; v < b; v++) {
                        x = xy[2 * v]; y = xy[2 * v + 1];
                        if (x < x0) { x0 = x; } if (x > x1) { x1 = x; }
                        if (y < y0) { y0 = y; } if (y > y1) { y1 = y; }
                    }
                    bb[4 * i] = ox + x0 / q; bb[4 * i + 1] = oy + y0 / q;
                    bb[4 * i + 2] = ox + x1 / q; bb[4 * i + 3] = oy + y1 / q;
                }
            }
            function feature(i) {
                var polys = [];
                for (var j = g[i]; j < g[i + 1]; j++) {
                    var rings = [];
                    for (var k = p[j]; k < p[j + 1]; k++) {
                        var ring = [];
                        for (var v = r[k]; v < r[k + 1]; v++) { ring.push([ox + xy[2 * v] / q, oy + xy[2 * v + 1] / q]); }
                        if (ring.length) { ring.push(ring[0]); }
                        rings.push(ring);
                    }
                    polys.push(rings);
                }
                return {type: "Feature", geometry: {type: "MultiPolygon", coordinates: polys},
                        properties: {parcel_id: d.id[i], value: d.tl[d.t[i]], fill: d.pal[d.f[i]]}};
            }
            var styleOf = function (f) {
                var s = {fillColor: f.properties.fill, fillOpacity: 0.78, color: "#4d4d4d", weight: 0.6,
                         opacity: 0.9};
                if (f.properties.parcel_id === window.__huliSelected) { s.color = "#00bcd4"; s.weight = 4; }
                return s;
            };
            var parcels = L.geoJSON(null, {style: styleOf});
            parcels.bindTooltip(function (l) {
                var p = l.feature.properties, el = document.createElement("div");
                var b = document.createElement("b");
                b.textContent = p.parcel_id;
                el.appendChild(b);
                el.appendChild(document.createElement("br"));
                el.appendChild(document.createTextNode(opt.label + "：" + p.value));
                return el;
            }, {sticky: true});
            parcels.on("mouseover", function (e) { e.layer.setStyle({weight: 2, color: "#000000"}); });
            parcels.on("mouseout", function (e) { parcels.resetStyle(e.layer); });
            parcels.on("click", function (e) {
                window.__huliSelected = e.layer.feature.properties.parcel_id;
                parcels.resetStyle();
                e.layer.bringToFront();
            });
            var gq = gd.q, gx = gd.o[0], gy = gd.o[1], grid = L.featureGroup();
            for (var m = 0; m < gd.n.length; m++) {
                var ll = [];
                for (var e = 0; e < 4; e++) {
                    ll.push([gy + gd.c[8 * m + 2 * e + 1] / gq, gx + gd.c[8 * m + 2 * e] / gq]);
                }
                var cell = L.polygon(ll, {fillColor: gd.pal[gd.f[m]], fillOpacity: 0.7, color: "#ffffff",
                                          weight: 0.4, opacity: 0.8});
                cell.huliCell = {count: gd.n[m], value: gd.tl[gd.t[m]]};
                grid.addLayer(cell);
            }
            grid.bindTooltip(function (l) {
                var el = document.createElement("div"), b = document.createElement("b");
                b.textContent = opt.count.replace("{n}", l.huliCell.count.toLocaleString());
                el.appendChild(b);
                el.appendChild(document.createElement("br"));
                el.appendChild(document.createTextNode(opt.label + "：" + l.huliCell.value));
                return el;
            }, {sticky: true});
            grid.on("click", function (e) {
                if (grid._map) { grid._map.fitBounds(e.layer.getBounds(), {maxZoom: opt.minZoom + 1}); }
            });
            var group = L.featureGroup([grid, parcels]), shown = {}, map = null, hint = null;
            group.huliState = state;
            function setHint(text) {
                if (!hint) { return; }
                hint.getContainer().textContent = text;
                hint.getContainer().style.display = text ? "block" : "none";
            }
            function showParcels(idx) {
                var want = {}, i;
                for (var a = 0; a < idx.length; a++) { want[idx[a]] = true; }
                for (i in shown) { if (!want[i]) { parcels.removeLayer(shown[i]); delete shown[i]; } }
                for (var b2 = 0; b2 < idx.length; b2++) {
                    i = idx[b2];
                    if (shown[i]) { continue; }
                    var f = feature(i), l = L.GeoJSON.geometryToLayer(f, parcels.options);
                    l.feature = f;
                    l.defaultOptions = l.options;
                    parcels.resetStyle(l);
                    parcels.addLayer(l);
                    shown[i] = l;
                }
                state.drawn = idx.length;
            }
            function refresh() {
                if (!map) { return; }
                var zoom = map.getZoom(), idx = [], text = "";
                state.inView = 0;
                if (zoom >= opt.minZoom) {
                    if (bb === null) { prepare(); }
                    var vb = map.getBounds(), w = vb.getWest(), s = vb.getSouth(), ea = vb.getEast(),
                        no = vb.getNorth();
                    for (var i = 0; i < n; i++) {
                        if (bb[4 * i] <= ea && bb[4 * i + 2] >= w && bb[4 * i + 1] <= no && bb[4 * i + 3] >= s) {
                            idx.push(i);
                        }
                    }
                    state.inView = idx.length;
                    if (idx.length > state.cap) {
                        idx = [];
                        text = opt.hintMany.replace("{n}", state.inView.toLocaleString())
                            .replace("{cap}", state.cap.toLocaleString());
                    }
                } else {
                    text = opt.hintZoom;
                }
                var detail = zoom >= opt.minZoom && text === "";
                if (detail) {
                    if (group.hasLayer(grid)) { group.removeLayer(grid); }
                } else if (!group.hasLayer(grid)) {
                    group.addLayer(grid);
                    grid.bringToBack();
                }
                showParcels(idx);
                state.mode = detail ? "parcels" : "grid";
                state.redraws += 1;
                setHint(text);
            }
            group.on("add", function () {
                map = group._map;
                hint = L.control({position: "bottomleft"});
                hint.onAdd = function () {
                    var div = L.DomUtil.create("div", "huli-lod-hint");
                    div.style.cssText = "background: rgba(255,255,255,0.9); padding: 3px 8px; font-size: 12px;"
                        + " border-radius: 3px; max-width: 420px;";
                    return div;
                };
                hint.addTo(map);
                map.on("moveend", refresh);
                refresh();
            });
            group.on("remove", function () {
                if (map) { map.off("moveend", refresh); }
                if (hint) { hint.remove(); hint = null; }
                map = null;
            });
            return group;
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self,
        payload: dict[str, object] | str,
        grid: dict[str, object] | str,
        *,
        label: str,
        name: str,
        lang: str = "zh",
        selected: str | None = None,
        min_zoom: int = DETAIL_MIN_ZOOM,
        cap: int = VIEW_CAP,
        show: bool = True,
    ) -> None:
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "LodParcelLayer"
        self.payload = payload if isinstance(payload, str) else to_json_script(payload)
        self.grid = grid if isinstance(grid, str) else to_json_script(grid)
        self.options_json = to_json_script(
            {
                "label": label,
                "selected": selected,
                "minZoom": int(min_zoom),
                "cap": int(cap),
                "count": _text("count", lang, n="{n}"),
                "hintZoom": _text("hint_zoom", lang, z=int(min_zoom)),
                "hintMany": _text("hint_many", lang, n="{n}", cap="{cap}"),
            }
        )


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
    frame: gpd.GeoDataFrame, *, theme: str, lang: str, basemap: str, cell_m: float | None
) -> tuple[str, str, list[LegendItem]]:
    """Parcel payload and grid as script-safe JSON text, and the legend (the last few kept).

    A rerun of the page (a click, a widget elsewhere) rebuilds the map; the layer data are
    taken from memory when the parcels, theme, language, basemap and cell size are the same.
    """
    key = (_fingerprint(frame, theme), theme, lang, basemap, cell_m)
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    gcj = basemap == "amap"
    fill, value, legend = theme_style(frame, theme, lang=lang)
    geoms = np.asarray(frame.to_crs("EPSG:4326").geometry.values, dtype=object)
    geoms = np.asarray(shapely.simplify(geoms, LARGE_SIMPLIFY_M / 111_000.0, preserve_topology=True), dtype=object)
    if gcj:
        geoms = np.asarray(geometry_wgs84_to_gcj02(geoms), dtype=object)
    ok = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    payload = encode_large_parcels(
        geoms[ok], frame["parcel_id"].astype(str).to_numpy()[ok], fill.to_numpy()[ok], value.to_numpy()[ok],
    )
    cells = aggregate_grid(frame, theme=theme, lang=lang, cell_m=cell_m)
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
) -> tuple[folium.FeatureGroup, list[LegendItem]]:
    """A large parcel layer as one feature group: grid overview plus parcels in view.

    Same call and result as :func:`ui.mapview.parcel_group` (which uses it above
    :data:`LARGE_LAYER_PARCELS` parcels).

    Parameters
    ----------
    frame
        Parcel frame (EPSG:4326, ``parcel_id``; theme columns optional).
    theme, lang, basemap, selected
        As for :func:`ui.mapview.parcel_group`.
    cell_m
        Grid cell size in metres (default from the extent, :func:`grid_cell_size`).
    min_zoom, cap
        Lowest zoom of single parcels; most parcels drawn at once.
    """
    group = folium.FeatureGroup(name=t("map.parcels", lang), control=False)
    payload, grid, legend = _layer_data(frame, theme=theme, lang=lang, basemap=basemap, cell_m=cell_m)
    LodParcelLayer(
        payload, grid, label=t(f"theme.{theme}", lang), name=t("map.parcels", lang),
        lang=lang, selected=None if selected is None else str(selected), min_zoom=min_zoom, cap=cap,
    ).add_to(group)
    return group, legend
