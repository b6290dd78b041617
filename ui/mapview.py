"""Build the folium maps of the app, as plain functions testable without Streamlit.

The parcel layer is sent to the browser in a compact columnar form (ids, a value
table, a colour palette and delta-encoded integer coordinates at 1e-6 degree, about
0.1 m) and turned into GeoJSON features by a few lines of JavaScript, so a map of a
thousand parcels weighs about a hundred kilobytes.  Colours are computed in Python and
carried as one ``fill`` property per feature; a tiny style function reads it (no
per-feature style lookup table).  Tooltips and labels are built with ``textContent``,
never ``innerHTML``, so attribute values cannot inject markup; values that end up in
HTML elsewhere (the legend) are escaped with :func:`html.escape`.

The default basemap needs no tile server: the district outline, the surrounding land
and the functional zones are drawn as vectors on a light background.  OpenStreetMap,
Tianditu (天地图, only with a token) and AMap/Gaode (高德, GCJ-02: every layer is shifted
to GCJ-02 for display on that basemap only) are optional.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

import folium
import geopandas as gpd
import numpy as np
import orjson
import pandas as pd
import shapely
from branca.element import Element, Figure
from folium.map import Layer
from jinja2 import Template

from core.gcj02 import geometry_wgs84_to_gcj02, wgs84_to_gcj02
from core.settings import get_settings
from ui import assets
from ui.i18n import category_label, t

__all__ = [
    "THEMES",
    "BASEMAPS",
    "ZONE_COLOURS",
    "LegendItem",
    "theme_bins",
    "available_basemaps",
    "theme_style",
    "encode_parcels",
    "ParcelLayer",
    "VectorLayer",
    "feature_collection",
    "zone_label_points",
    "build_base_map",
    "parcel_group",
    "build_map",
    "legend_html",
    "to_json_script",
]

logger = logging.getLogger(__name__)

#: Thematic colourings of the parcel layer.
THEMES: tuple[str, ...] = ("land_use", "expiry_status", "efficiency_class", "output_per_mu", "height_limit_m")
#: Basemaps, offline default first.
BASEMAPS: tuple[str, ...] = ("offline", "osm", "tianditu", "amap")

#: Outline colour of each functional zone.
ZONE_COLOURS: dict[str, str] = {"hq": "#1f5fa8", "incubation": "#d9730d", "demonstration": "#2e8b57"}

_NODATA = "#c8c8c8"
_BACKGROUND = "#eaf1f6"  # sea / outside, light
_LAND = "#fbfaf5"

_CATEGORY_COLOURS: dict[str, dict[str, str]] = {
    "land_use": {
        "industrial": "#8c6bb1",
        "commercial_office": "#e34a33",
        "logistics": "#b07a3b",
        "residential": "#f2c94c",
        "public_service": "#4f81bd",
        "transport": "#7f7f7f",
        "airport": "#5b6f8a",
        "green_open": "#5aae61",
        "other": "#bdbdbd",
    },
    "expiry_status": {
        "expired": "#b2182b",
        "within_5y": "#ef8a62",
        "within_10y": "#fddbc7",
        "beyond_10y": "#67a9cf",
        "unknown": _NODATA,
    },
    "efficiency_class": {
        "A": "#1a9850",
        "B": "#a6d96a",
        "C": "#fdae61",
        "D": "#d73027",
        "unrated": _NODATA,
    },
}

# Numeric themes: upper bin edges (inclusive lower, exclusive upper) and colours.
_NUMERIC_BINS: dict[str, tuple[tuple[float, ...], tuple[str, ...], str]] = {
    "output_per_mu": (
        (100.0, 300.0, 600.0, 1000.0, np.inf),
        ("#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15"),
        "万元/亩",
    ),
    "height_limit_m": (
        (30.0, 50.0, 80.0, 120.0, np.inf),
        ("#d73027", "#fc8d59", "#fee090", "#91bfdb", "#4575b4"),
        "m",
    ),
}

_QUANT = 1_000_000  # coordinates as integer micro-degrees (~0.1 m)


@dataclass(frozen=True)
class LegendItem:
    """One entry of a map legend."""

    colour: str
    label: str


def theme_bins(theme: str) -> tuple[tuple[float, ...], tuple[str, ...], str]:
    """Upper bin edges, colours and unit of a numeric theme (``output_per_mu``, ``height_limit_m``)."""
    return _NUMERIC_BINS[theme]


def available_basemaps(*, tianditu_token: str | None = None) -> tuple[str, ...]:
    """Basemaps the user may choose (Tianditu only when a token is configured)."""
    token = get_settings().tianditu_token if tianditu_token is None else tianditu_token
    return tuple(b for b in BASEMAPS if b != "tianditu" or token)


def _fmt_number(value: float) -> str:
    if not np.isfinite(value):
        return "∞"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.1f}"


def theme_style(frame: pd.DataFrame, theme: str, *, lang: str = "zh") -> tuple[pd.Series, pd.Series, list[LegendItem]]:
    """Colour and display value of every parcel for ``theme``, and the legend.

    Parameters
    ----------
    frame
        Parcel frame; a missing theme column colours every parcel "no data".
    theme
        One of :data:`THEMES`.
    lang
        Label language.

    Returns
    -------
    fill : Series of str
        Hex colour per parcel, aligned to ``frame.index``.
    value : Series of str
        Display value per parcel (label or number with unit).
    legend : list of LegendItem
    """
    if theme not in THEMES:
        raise ValueError(f"theme must be one of {THEMES}, got {theme!r}")
    nodata = t("nocap", lang) if theme == "height_limit_m" else t("nodata", lang)
    n = len(frame)
    if theme in _CATEGORY_COLOURS:
        palette = _CATEGORY_COLOURS[theme]
        if theme in frame.columns:
            raw = frame[theme].astype("string").fillna("")
        else:
            raw = pd.Series([""] * n, index=frame.index, dtype="string")
        fill = raw.map(palette).fillna(_NODATA).astype(str)
        codes, uniques = pd.factorize(raw)
        labels = np.array([category_label(theme, u, lang) if u else nodata for u in uniques] + [nodata], dtype=object)
        value = pd.Series(labels[codes], index=frame.index, dtype=object)
        legend = [LegendItem(c, category_label(theme, k, lang)) for k, c in palette.items()]
        if (fill == _NODATA).any() and not any(li.colour == _NODATA for li in legend):
            legend.append(LegendItem(_NODATA, nodata))
        return fill, value, legend
    edges, colours, unit = _NUMERIC_BINS[theme]
    if theme in frame.columns:
        x = pd.to_numeric(frame[theme], errors="coerce").astype("float64").to_numpy(na_value=np.nan)
    else:
        x = np.full(n, np.nan)
    finite = np.isfinite(x)
    idx = np.searchsorted(np.asarray(edges), np.where(finite, x, 0.0), side="right")
    idx = np.clip(idx, 0, len(colours) - 1)
    fill_arr = np.where(finite, np.asarray(colours, dtype=object)[idx], _NODATA)
    value_arr = np.array(
        [f"{_fmt_number(v)} {unit}" if ok else nodata for v, ok in zip(x, finite, strict=True)], dtype=object
    )
    legend = []
    lower = 0.0
    for upper, colour in zip(edges, colours, strict=True):
        label = f"≥ {_fmt_number(lower)} {unit}" if not np.isfinite(upper) else f"{_fmt_number(lower)}–{_fmt_number(upper)} {unit}"
        legend.append(LegendItem(colour, label))
        lower = upper
    legend.append(LegendItem(_NODATA, nodata))
    return (
        pd.Series(fill_arr, index=frame.index, dtype=object),
        pd.Series(value_arr, index=frame.index, dtype=object),
        legend,
    )


def _display_geometry(geoms: np.ndarray, *, gcj02: bool, simplify_m: float = 0.5) -> np.ndarray:
    out = shapely.simplify(geoms, simplify_m / 111_000.0, preserve_topology=True)
    if gcj02:
        out = geometry_wgs84_to_gcj02(out)
    return np.asarray(out, dtype=object)


def encode_parcels(
    geometry: Sequence[object] | np.ndarray,
    ids: Sequence[str],
    fill: Sequence[str],
    value: Sequence[str],
) -> dict[str, object]:
    """Compact, JSON-ready form of a parcel layer (decoded by :class:`ParcelLayer`).

    Parameters
    ----------
    geometry
        Polygons/MultiPolygons in display lon/lat.
    ids, fill, value
        Parcel id, fill colour and display value per geometry.

    Returns
    -------
    dict
        ``o`` origin (lon, lat), ``q`` quantisation, ``id`` ids, ``t`` value index into
        ``tl``, ``f`` fill index into ``pal``, ``r``/``p``/``g`` ring/polygon/geometry
        offsets and ``c`` the flat delta-encoded integer coordinates (rings unclosed).
    """
    geoms = np.asarray(geometry, dtype=object)
    n = len(geoms)
    value_codes, value_table = pd.factorize(pd.Series(list(value), dtype=object))
    fill_codes, palette = pd.factorize(pd.Series(list(fill), dtype=object))
    out: dict[str, object] = {
        "q": _QUANT,
        "id": [str(i) for i in ids],
        "t": value_codes.tolist(),
        "tl": [str(v) for v in value_table],
        "f": fill_codes.tolist(),
        "pal": [str(c) for c in palette],
    }
    if n == 0:
        out.update(o=[0, 0], r=[0], p=[0], g=[0], c=[])
        return out
    multi = np.array(
        [g if g.geom_type == "MultiPolygon" else shapely.MultiPolygon([g]) for g in geoms], dtype=object
    )
    _, coords, (ring_off, poly_off, geom_off) = shapely.to_ragged_array(multi)
    x0 = float(np.floor(coords[:, 0].min() * 100) / 100)
    y0 = float(np.floor(coords[:, 1].min() * 100) / 100)
    q = np.rint((coords - [x0, y0]) * _QUANT).astype(np.int64)
    # drop each ring's closing vertex (Leaflet closes rings itself)
    starts, ends = ring_off[:-1], ring_off[1:]
    keep = np.ones(len(q), dtype=bool)
    keep[ends - 1] = False
    new_len = (ends - starts) - 1
    new_off = np.concatenate([[0], np.cumsum(new_len)])
    q = q[keep]
    delta = np.diff(q, axis=0, prepend=np.zeros((1, 2), dtype=np.int64))
    first = new_off[:-1][new_len > 0]
    delta[first] = q[first]
    out.update(
        o=[x0, y0],
        r=new_off.tolist(),
        p=poly_off.tolist(),
        g=geom_off.tolist(),
        c=delta.ravel().tolist(),
    )
    return out


def to_json_script(obj: object) -> str:
    """JSON text safe to embed in a ``<script>`` (``<``, ``>``, ``&`` escaped)."""
    text = orjson.dumps(obj).decode("utf-8")
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


class ParcelLayer(Layer):
    """The parcel layer: compact data, canvas-rendered, one ``fill`` per feature.

    The tooltip shows the parcel id and the theme value; clicking a parcel makes
    streamlit-folium return the feature (``last_active_drawing``) with properties
    ``parcel_id``, ``value`` and ``fill``.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function () {
            var d = {{ this.payload }};
            var q = d.q, ox = d.o[0], oy = d.o[1], c = d.c, feats = [];
            for (var i = 0; i < d.id.length; i++) {
                var polys = [];
                for (var j = d.g[i]; j < d.g[i + 1]; j++) {
                    var rings = [];
                    for (var k = d.p[j]; k < d.p[j + 1]; k++) {
                        var ring = [], x = 0, y = 0;
                        for (var v = d.r[k]; v < d.r[k + 1]; v++) {
                            if (v === d.r[k]) { x = c[2 * v]; y = c[2 * v + 1]; }
                            else { x += c[2 * v]; y += c[2 * v + 1]; }
                            ring.push([ox + x / q, oy + y / q]);
                        }
                        if (ring.length) { ring.push(ring[0]); }
                        rings.push(ring);
                    }
                    polys.push(rings);
                }
                feats.push({type: "Feature",
                            geometry: {type: "MultiPolygon", coordinates: polys},
                            properties: {parcel_id: d.id[i], value: d.tl[d.t[i]], fill: d.pal[d.f[i]]}});
            }
            var label = {{ this.label }};
            // the selection lives in the map's frame, so a click restyles at once and
            // the app's rerun does not have to resend the layer
            if (window.__huliSelected === undefined) { window.__huliSelected = {{ this.selected }}; }
            var styleOf = function (f) {
                var s = {fillColor: f.properties.fill, fillOpacity: 0.78, color: "#4d4d4d", weight: 0.6,
                         opacity: 0.9};
                if (f.properties.parcel_id === window.__huliSelected) { s.color = "#00bcd4"; s.weight = 4; }
                return s;
            };
            var layer = L.geoJSON({type: "FeatureCollection", features: feats}, {style: styleOf});
            layer.bindTooltip(function (l) {
                var p = l.feature.properties, el = document.createElement("div");
                var b = document.createElement("b");
                b.textContent = p.parcel_id;
                el.appendChild(b);
                el.appendChild(document.createElement("br"));
                el.appendChild(document.createTextNode(label + "：" + p.value));
                return el;
            }, {sticky: true});
            layer.on("mouseover", function (e) { e.layer.setStyle({weight: 2, color: "#000000"}); });
            layer.on("mouseout", function (e) { layer.resetStyle(e.layer); });
            layer.on("click", function (e) {
                window.__huliSelected = e.layer.feature.properties.parcel_id;
                layer.resetStyle();
                e.layer.bringToFront();
            });
            return layer;
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self, payload: dict[str, object], *, label: str, name: str, selected: str | None = None, show: bool = True
    ) -> None:
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "ParcelLayer"
        self.payload = to_json_script(payload)
        self.label = to_json_script(label)
        self.selected = to_json_script(selected)


class VectorLayer(Layer):
    """A static vector layer (zones, district, context, highlights) from GeoJSON.

    Style is one Leaflet path-style object for all features, optionally overridden
    per feature by a ``stroke``/``fill`` property.  ``label_property`` adds a
    permanent centred label, ``tooltip_property`` a hover tooltip, both built with
    ``textContent``.  Points are drawn as circle markers.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function () {
            var base = {{ this.style }};
            var labelProp = {{ this.label_property }};
            var tipProp = {{ this.tooltip_property }};
            var layer = L.geoJSON({{ this.data }}, {
                interactive: {{ this.interactive }},
                pointToLayer: function (f, latlng) {
                    if (f.properties && f.properties.anchor) {  // a label's anchor: not drawn
                        return L.circleMarker(latlng, {radius: 1, interactive: false});
                    }
                    return L.circleMarker(latlng, {radius: 6});
                },
                style: function (f) {
                    var s = Object.assign({}, base);
                    if (f.properties && f.properties.stroke) { s.color = f.properties.stroke; }
                    if (f.properties && f.properties.fill) { s.fillColor = f.properties.fill; }
                    if (f.properties && f.properties.anchor) { s.opacity = 0; s.fillOpacity = 0; s.weight = 0; }
                    return s;
                }
            });
            if (labelProp) {
                var offsets = {center: [0, 0], left: [-4, 0], right: [4, 0], top: [0, -4], bottom: [0, 4]};
                layer.eachLayer(function (l) {
                    var text = l.feature.properties[labelProp];
                    if (!text) { return; }
                    var dir = offsets[l.feature.properties.anchor] ? l.feature.properties.anchor : "center";
                    var el = document.createElement("span");
                    el.textContent = text;
                    l.bindTooltip(el, {permanent: true, direction: dir, offset: offsets[dir],
                                       className: "huli-label", interactive: false});
                });
            }
            if (tipProp) {
                layer.bindTooltip(function (l) {
                    var el = document.createElement("span");
                    el.textContent = l.feature.properties[tipProp] || "";
                    return el;
                }, {sticky: true});
            }
            return layer;
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self,
        data: dict[str, object],
        *,
        name: str,
        style: dict[str, object],
        interactive: bool = False,
        label_property: str | None = None,
        tooltip_property: str | None = None,
        control: bool = True,
        show: bool = True,
    ) -> None:
        super().__init__(name=name, overlay=True, control=control, show=show)
        self._name = "VectorLayer"
        self.data = to_json_script(data)
        self.style = to_json_script(style)
        self.interactive = "true" if interactive else "false"
        self.label_property = to_json_script(label_property)
        self.tooltip_property = to_json_script(tooltip_property)


def feature_collection(
    frame: gpd.GeoDataFrame | None,
    properties: dict[str, Sequence[object]] | None = None,
    *,
    gcj02: bool = False,
    simplify_m: float = 0.5,
) -> dict[str, object]:
    """A layer as a display GeoJSON FeatureCollection (lon/lat, 1e-6 precision, text properties).

    Parameters
    ----------
    frame
        Any layer with a CRS (None or empty gives an empty collection).
    properties
        Property name -> values aligned with ``frame`` rows (turned into text).
    gcj02
        Shift the geometry to GCJ-02 for display over AMap tiles.
    simplify_m
        Display-only simplification tolerance, in metres (about).
    """
    if frame is None or len(frame) == 0:
        return {"type": "FeatureCollection", "features": []}
    geoms = _display_geometry(np.asarray(frame.to_crs("EPSG:4326").geometry.values, dtype=object), gcj02=gcj02,
                              simplify_m=simplify_m)
    geoms = shapely.set_precision(geoms, 1e-6)
    props = properties or {}
    feats = []
    for i, geom in enumerate(geoms):
        if geom is None or geom.is_empty:
            continue
        feats.append(
            {
                "type": "Feature",
                "geometry": shapely.geometry.mapping(geom),
                "properties": {k: ("" if v[i] is None else str(v[i])) for k, v in props.items()},
            }
        )
    return {"type": "FeatureCollection", "features": feats}


def zone_label_points(zones: gpd.GeoDataFrame, *, near_m: tuple[float, float] = (6000.0, 1500.0)) -> gpd.GeoDataFrame:
    """One label anchor per zone: a representative point of the zone's largest part.

    The point is the pole of inaccessibility of the largest polygon (the point inside it
    farthest from its edge), so a zone in several parts gets one label, inside a part,
    never between the parts.  ``direction`` says where the label sits relative to its
    anchor: of two anchors on about the same row (closer than ``near_m`` = (dx, dy)
    metres), the western label goes left and the eastern one right, so they do not
    overlap at district zoom; every other label is centred.

    Returns
    -------
    GeoDataFrame
        ``zone_id``, ``direction`` ("center", "left", "right"), point geometry, EPSG:4326,
        in the order the zones first appear.
    """
    from shapely.ops import polylabel

    empty = gpd.GeoDataFrame({"zone_id": pd.Series([], dtype="str"), "direction": pd.Series([], dtype="str")},
                             geometry=[], crs="EPSG:4326")
    if zones is None or len(zones) == 0 or "zone_id" not in zones.columns:
        return empty
    metric = zones.to_crs(get_settings().metric_crs)
    ids, points = [], []
    for zone_id, rows in metric.groupby(metric["zone_id"].astype(str), sort=False):
        parts = shapely.get_parts(np.asarray(rows.geometry.values, dtype=object))
        parts = parts[shapely.get_type_id(parts) == 3]  # polygons
        if len(parts) == 0:
            continue
        largest = parts[int(np.argmax(shapely.area(parts)))]
        tolerance = max(1.0, float(np.sqrt(largest.area)) / 200.0)
        ids.append(zone_id)
        points.append(polylabel(largest, tolerance))
    if not ids:
        return empty
    xy = shapely.get_coordinates(np.asarray(points, dtype=object))
    direction = ["center"] * len(ids)
    for i in range(len(ids)):
        for j in range(i + 1, len(ids)):
            dx, dy = xy[j, 0] - xy[i, 0], xy[j, 1] - xy[i, 1]
            if abs(dx) < near_m[0] and abs(dy) < near_m[1]:
                west, east = (i, j) if dx > 0 else (j, i)
                direction[west], direction[east] = "left", "right"
    out = gpd.GeoDataFrame({"zone_id": ids, "direction": direction}, geometry=points, crs=metric.crs)
    return out.to_crs("EPSG:4326")


def _tile_layer(basemap: str, *, lang: str, tianditu_token: str) -> list[folium.TileLayer]:
    if basemap == "osm":
        return [folium.TileLayer("OpenStreetMap", name=t("basemap.osm", lang), control=False)]
    if basemap == "tianditu":
        if not tianditu_token:
            return []
        tpl = "https://t{s}.tianditu.gov.cn/DataServer?T=%s&x={x}&y={y}&l={z}&tk=" + tianditu_token
        attr = "&copy; 天地图 Tianditu"
        return [
            folium.TileLayer(tpl % "vec_w", attr=attr, name=t("basemap.tianditu", lang), subdomains="01234567",
                             max_zoom=18, control=False),
            folium.TileLayer(tpl % "cva_w", attr=attr, name="注记", subdomains="01234567", max_zoom=18,
                             overlay=True, control=False),
        ]
    if basemap == "amap":
        return [
            folium.TileLayer(
                "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
                attr="&copy; 高德地图 AMap",
                name=t("basemap.amap", lang),
                subdomains="1234",
                max_zoom=18,
                control=False,
            )
        ]
    return []


def _bounds(frames: Sequence[gpd.GeoDataFrame | None]) -> list[list[float]] | None:
    boxes = [f.to_crs("EPSG:4326").total_bounds for f in frames if f is not None and len(f)]
    if not boxes:
        return None
    b = np.vstack(boxes)
    return [[float(b[:, 1].min()), float(b[:, 0].min())], [float(b[:, 3].max()), float(b[:, 2].max())]]


def build_base_map(
    *,
    lang: str = "zh",
    basemap: str = "offline",
    zones: gpd.GeoDataFrame | None = None,
    district: gpd.GeoDataFrame | None = None,
    context: gpd.GeoDataFrame | None = None,
    fit: gpd.GeoDataFrame | None = None,
    tianditu_token: str | None = None,
    base_path: str = "",
) -> folium.Map:
    """The map frame: background or tiles, context, district outline and zones.

    The result is already localized (:func:`ui.assets.localize`).  Add parcel
    layers to it (or pass them to streamlit-folium's ``feature_group_to_add``) and
    finish with :class:`folium.LayerControl`.
    """
    if basemap not in BASEMAPS:
        raise ValueError(f"basemap must be one of {BASEMAPS}, got {basemap!r}")
    token = get_settings().tianditu_token if tianditu_token is None else tianditu_token
    gcj = basemap == "amap"
    fmap = folium.Map(
        location=[24.51, 118.12],
        zoom_start=13,
        tiles=None,
        prefer_canvas=True,
        control_scale=True,
        max_zoom=19,
    )
    for tile in _tile_layer(basemap, lang=lang, tianditu_token=token):
        tile.add_to(fmap)
    root = cast(Figure, fmap.get_root())  # a folium map's root is the page Figure
    if basemap == "offline":
        root.header.add_child(
            Element(f"<style>.leaflet-container {{ background: {_BACKGROUND}; }}</style>"), name="huli_background"
        )
    root.header.add_child(
        Element(
            "<style>.huli-label { background: rgba(255,255,255,0.8); border: none; box-shadow: none;"
            " font-weight: 600; color: #333; font-size: 12px; }"
            " .huli-label::before { display: none; }</style>"
        ),
        name="huli_label_css",
    )
    if context is not None and len(context) and basemap == "offline":
        VectorLayer(
            feature_collection(context, gcj02=gcj, simplify_m=15.0),
            name=t("map.context", lang),
            style={"color": "#b9b4a6", "weight": 0.8, "fillColor": _LAND, "fillOpacity": 1.0},
            control=False,
        ).add_to(fmap)
    if district is not None and len(district):
        VectorLayer(
            feature_collection(district, gcj02=gcj, simplify_m=3.0),
            name=t("map.district", lang),
            style={"color": "#555555", "weight": 2, "dashArray": "6 4",
                   "fillColor": "#ffffff", "fillOpacity": 0.55 if basemap == "offline" else 0.0},
        ).add_to(fmap)
    if zones is not None and len(zones):
        ids = zones["zone_id"].astype(str).tolist() if "zone_id" in zones.columns else [""] * len(zones)
        name_col = "name_en" if lang == "en" else "name_zh"
        names = (
            zones[name_col].astype(str).tolist()
            if name_col in zones.columns
            else [category_label("zone_id", z, lang) for z in ids]
        )
        outlines = feature_collection(
            zones,
            {"stroke": [ZONE_COLOURS.get(z, "#333333") for z in ids], "fill": [ZONE_COLOURS.get(z, "#333333") for z in ids]},
            gcj02=gcj,
        )
        anchors = zone_label_points(zones)
        label_of = dict(zip(ids, names, strict=True))
        labels = feature_collection(
            anchors,
            {"label": [label_of.get(z, "") for z in anchors["zone_id"]], "anchor": anchors["direction"].tolist()},
            gcj02=gcj,
        )
        VectorLayer(
            {"type": "FeatureCollection",
             "features": [*cast(list[object], outlines["features"]), *cast(list[object], labels["features"])]},
            name=t("map.zones", lang),
            style={"weight": 3, "fillOpacity": 0.08, "opacity": 0.95},
            label_property="label",
        ).add_to(fmap)
    bounds = _bounds([fit, district, zones])
    if bounds is not None:
        if gcj:
            lon, lat = wgs84_to_gcj02([bounds[0][1], bounds[1][1]], [bounds[0][0], bounds[1][0]])
            bounds = [[float(lat[0]), float(lon[0])], [float(lat[1]), float(lon[1])]]
        fmap.fit_bounds(bounds)
    assets.localize(fmap, base_path=base_path)
    return fmap


def parcel_group(
    frame: gpd.GeoDataFrame,
    *,
    theme: str,
    lang: str = "zh",
    basemap: str = "offline",
    selected: str | None = None,
    large_threshold: int | None = None,
) -> tuple[folium.FeatureGroup, list[LegendItem]]:
    """The parcel layer as one feature group, ``selected`` outlined.

    In the browser a click outlines the clicked parcel at once and remembers it in the
    map's frame (the page then need not resend the layer); ``selected`` only sets the
    outline of a freshly loaded map.  Above ``large_threshold`` parcels (default: the setting
    ``HULI_LARGE_LAYER_PARCELS``, 20,000) the layer is a grid overview at low
    zoom and only the parcels in view at high zoom (:func:`ui.overview_grid.large_parcel_group`).

    Returns
    -------
    group : folium.FeatureGroup
        Ready for ``build_base_map(...).add_child`` or streamlit-folium's
        ``feature_group_to_add``.
    legend : list of LegendItem
        Legend of ``theme``.
    """
    from ui import overview_grid  # imports this module

    if overview_grid.is_large(len(frame), threshold=large_threshold):
        return overview_grid.large_parcel_group(frame, theme=theme, lang=lang, basemap=basemap, selected=selected)
    gcj = basemap == "amap"
    group = folium.FeatureGroup(name=t("map.parcels", lang), control=False)
    fill, value, legend = theme_style(frame, theme, lang=lang)
    if len(frame):
        geoms = _display_geometry(np.asarray(frame.to_crs("EPSG:4326").geometry.values, dtype=object), gcj02=gcj)
        ok = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
        payload = encode_parcels(
            geoms[ok],
            frame["parcel_id"].astype(str).to_numpy()[ok],
            fill.to_numpy()[ok],
            value.to_numpy()[ok],
        )
    else:
        payload = encode_parcels(np.array([], dtype=object), [], [], [])
    ParcelLayer(
        payload, label=t(f"theme.{theme}", lang), name=t("map.parcels", lang),
        selected=None if selected is None else str(selected),
    ).add_to(group)
    return group, legend


def build_map(
    frame: gpd.GeoDataFrame,
    *,
    theme: str = "land_use",
    lang: str = "zh",
    basemap: str = "offline",
    zones: gpd.GeoDataFrame | None = None,
    district: gpd.GeoDataFrame | None = None,
    context: gpd.GeoDataFrame | None = None,
    selected: str | None = None,
    overlays: Sequence[Layer] = (),
    tianditu_token: str | None = None,
    base_path: str = "",
) -> folium.Map:
    """One complete, offline-safe map of parcels over the zones.

    Parameters
    ----------
    frame
        Parcel frame (EPSG:4326, with ``parcel_id``; theme columns optional).
    theme
        One of :data:`THEMES`.
    lang
        ``"zh"`` or ``"en"``.
    basemap
        One of :data:`BASEMAPS`; ``"amap"`` shifts every layer to GCJ-02.
    zones, district, context
        Reference layers drawn under the parcels.
    selected
        Parcel id to highlight.
    overlays
        Extra layers (e.g. a height raster) added above the parcels.
    tianditu_token
        Overrides the configured Tianditu token.
    base_path
        Streamlit's ``server.baseUrlPath`` for the local asset links.
    """
    fmap = build_base_map(
        lang=lang, basemap=basemap, zones=zones, district=district, context=context, fit=frame,
        tianditu_token=tianditu_token, base_path=base_path,
    )
    group, _ = parcel_group(frame, theme=theme, lang=lang, basemap=basemap, selected=selected)
    group.add_to(fmap)
    for layer in overlays:
        layer.add_to(fmap)
    folium.LayerControl(collapsed=True).add_to(fmap)
    assets.localize(fmap, base_path=base_path)
    return fmap


def legend_html(items: Sequence[LegendItem], *, title: str) -> str:
    """The legend as small, escaped HTML for ``st.markdown(..., unsafe_allow_html=True)``."""
    rows = "".join(
        '<span style="display:inline-flex;align-items:center;margin:0 12px 4px 0;">'
        f'<span style="display:inline-block;width:14px;height:14px;background:{html.escape(i.colour)};'
        'border:1px solid #666;margin-right:5px;"></span>'
        f"{html.escape(i.label)}</span>"
        for i in items
    )
    return f'<div class="huli-legend"><b>{html.escape(title)}</b><br/>{rows}</div>'
