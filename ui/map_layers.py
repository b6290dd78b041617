"""The map's vector layers: the compact parcel layer (columnar payload, delta-coded integer
coordinates, one fill per feature, drawn on a canvas; tooltips with ``textContent``) and plain
GeoJSON layers for zones, outlines and scenario geometry."""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import MacroElement
from folium.map import Layer
from jinja2 import Template

from core.gcj02 import geometry_wgs84_to_gcj02
from ui.detail import DETAIL_JS
from ui.map_hook import FRAME_JS
from ui.map_select import SELECT_JS
from ui.map_theme import to_json_script

__all__ = ["encode_parcels", "display_geometry", "ParcelLayer", "VectorLayer", "feature_collection"]

_QUANT = 1_000_000  # coordinates as integer micro-degrees (~0.1 m)


def display_geometry(geoms: np.ndarray, *, gcj02: bool, simplify_m: float = 0.5) -> np.ndarray:
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


class ParcelLayer(Layer):
    """The parcel layer: compact data, canvas-rendered, one ``fill`` per feature.

    The tooltip shows the parcel id and the theme value; clicking a parcel makes
    streamlit-folium return the feature (``last_active_drawing``) with properties
    ``parcel_id``, ``value`` and ``fill``.  ``view`` (:func:`ui.map_view_js.view_options`)
    fits the map to the layer when it is added (:mod:`ui.map_view_js`); None leaves the view alone.
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
            huliKeptSelection({{ this.detail }});
            var select = {{ this.select }};  // several parcels selected (ui.map_select), or null
            if (select) { huliSelectFromPage(select); }
            var styleOf = function (f) {
                var s = {fillColor: f.properties.fill, fillOpacity: 0.78, color: "#4d4d4d", weight: 0.6,
                         opacity: 0.9};
                if (f.properties.parcel_id === window.__huliSelected) { s.color = "#00bcd4"; s.weight = 4; }
                if (select && huliSelected(f.properties.parcel_id)) { s.color = "#ff6f00"; s.weight = 3; }
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
            var detail = {{ this.detail }}, panel = null;
            if (select) { layer.on("add", function () { huliDrawTool(layer._map, select, layer); }); }
            layer.on("click", function (e) {
                if (select) {
                    if (huliDrawing(layer._map)) { return; }  // a click of the drawing tool's
                    huliSelectClick(e, layer);
                }
                window.__huliSelected = e.layer.feature.properties.parcel_id;
                layer.resetStyle();
                e.layer.bringToFront();
                if (panel) { panel.show(window.__huliSelected); }
            });
            layer.on("add", function () {
                if (!detail) { return; }
                var had = layer._map.__huliDetail, url = had ? had.options.url : null;
                panel = huliDetailPanel(layer._map, detail);
                // a selecting layer redrawn with other figures (an edit): the parcel shown is fetched again
                if (select && had && url !== detail.url && window.__huliSelected
                        && panel.div.getAttribute("data-state") === "shown") { panel.show(window.__huliSelected); }
            });
            {{ this.hook }}
            var ids = feats.map(function (f) { return f.properties.parcel_id; }), boxes = [];
            function bbox(i) {
                if (boxes[i] === undefined) {
                    var w = Infinity, s = Infinity, e = -Infinity, n = -Infinity, polys = feats[i].geometry.coordinates;
                    for (var a = 0; a < polys.length; a++) {
                        for (var b = 0; b < polys[a].length; b++) {
                            for (var v = 0; v < polys[a][b].length; v++) {
                                var x = polys[a][b][v][0], y = polys[a][b][v][1];
                                if (x < w) { w = x; } if (x > e) { e = x; } if (y < s) { s = y; } if (y > n) { n = y; }
                            }
                        }
                    }
                    boxes[i] = [w, s, e, n];
                }
                return boxes[i];
            }
            var view = {{ this.view }};
            layer.on("add", function () {
                var drawn = layer.getLayers();  // one per feature, in order
                huliInstallHook({map: function () { return layer._map || window.map; }, ids: ids, bbox: bbox,
                                 layerOf: function (i) { return drawn[i] || null; }});
                if (view) { huliFitView(layer._map, huliExtent(ids.length, bbox), view); }
            });
            return layer;
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self,
        payload: dict[str, object],
        *,
        label: str,
        name: str,
        selected: str | None = None,
        show: bool = True,
        detail: dict[str, object] | None = None,
        view: str | None = None,
        select: dict[str, object] | None = None,
    ) -> None:
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "ParcelLayer"
        self.select = to_json_script(select)
        self.view = "null" if view is None else view  # :func:`ui.map_view_js.view_options`
        self.payload = to_json_script(payload)
        self.label = to_json_script(label)
        self.selected = to_json_script(selected)
        self.detail = to_json_script(detail)  # {url, labels} of the detail panel (ui.detail), or null
        self.hook = FRAME_JS + DETAIL_JS + (SELECT_JS if select is not None else "")


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
    geoms = display_geometry(np.asarray(frame.to_crs("EPSG:4326").geometry.values, dtype=object), gcj02=gcj02,
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


class TileFallback(MacroElement):
    """An online basemap that cannot load (no network, blocked): after a few tile errors and no
    tile loaded, the tiles are removed, the offline basemap's background shown and a notice in
    both languages put on the map (``.huli-basemap-notice``)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }}, errors = 0, loads = 0, done = false;
            var text = {{ this.text }}, background = {{ this.background }};
            function fallBack() {
                if (done) { return; }
                done = true;
                map.eachLayer(function (l) { if (l instanceof L.TileLayer) { map.removeLayer(l); } });
                map.getContainer().style.background = background;
                var notice = L.control({position: "topright"});
                notice.onAdd = function () {
                    var div = L.DomUtil.create("div", "huli-basemap-notice");
                    div.style.cssText = "background: #fff8e1; border: 1px solid #f0b400; padding: 4px 8px;"
                        + " font-size: 12px; max-width: 360px; border-radius: 3px;";
                    div.textContent = text;
                    return div;
                };
                notice.addTo(map);
            }
            map.eachLayer(function (l) {
                if (!(l instanceof L.TileLayer)) { return; }
                l.on("tileload", function () { loads += 1; });
                l.on("tileerror", function () { errors += 1; if (errors >= 3 && loads === 0) { fallBack(); } });
            });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, *, text: str, background: str) -> None:
        super().__init__()
        self._name = "TileFallback"
        self.text = to_json_script(text)
        self.background = to_json_script(background)
