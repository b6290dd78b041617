"""Selecting parcels on the map, in the browser: a click selects one parcel, a shift-click adds or
removes one, a polygon or a rectangle drawn on the map selects what lies inside; the selection goes
to the page as the map's component value.

Drawing needs no library from outside the app (nothing from a CDN): a small tool in the map
(:data:`SELECT_JS`'s ``huliDrawTool``), a Leaflet control ``.huli-draw`` with three buttons:

- polygon (``data-tool="polygon"``): each click puts a vertex; a double-click, or a click on the
  first vertex, closes the polygon (three vertices at least); Escape gives up;
- rectangle (``data-tool="rectangle"``): press, drag, release (the map does not pan meanwhile);
- clear (``data-tool="clear"``): nothing selected.

A parcel layer that selects (:class:`ui.map_layers.ParcelLayer`, or a large layer served in vector
tiles, :class:`ui.tile_layer.TileParcelLayer`, with ``select``, the options of
:func:`select_options`) outlines the selected parcels and sends every change to the page as a
GeoJSON feature through streamlit-folium's drawing value (``last_active_drawing``): properties
``huli`` = ``"selection"``, ``kind`` (``"ids"``: the parcels clicked; ``"within"``: a shape drawn,
its geometry as drawn, lon/lat, GCJ-02 on AMap), ``ids`` and ``seq`` (unique per change, so the
page tells a new change from the last one it read).  The page decides what a shape selects (the
parcels whose representative point lies inside, :func:`analysis.whatif.edits.select_parcels`)
and hands the selection back in the layer's options with a new ``nonce``; a layer whose ``nonce``
the frame has seen keeps the selection the person made since.

The selection is ``window.__huliSelection`` (an array of ids) in the map's frame; the test hook
gives it as ``huliMap.selection()``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["SELECT_JS", "select_options", "read_selection"]

#: Defines ``huliSelectFromPage(options)``, ``huliSelectClick(e, layer)``, ``huliSelectId(map, id, shift, layer)``,
#: ``huliSelected(id)``, ``huliDrawing(map)`` and ``huliDrawTool(map, options, layer)`` (see the module); ``layer``
#: is anything with ``resetStyle()`` (the selection redrawn).
SELECT_JS = """
function huliSelectionSet() {
    var sel = window.__huliSelection || [], set = {};
    for (var i = 0; i < sel.length; i++) { set[sel[i]] = true; }
    window.__huliSelectionIndex = set;
    return set;
}
function huliSelected(id) {
    var set = window.__huliSelectionIndex || huliSelectionSet();
    return set[id] === true;
}
function huliSelectSend(map, kind, ids, geometry) {
    var seq = Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 8);
    var feature = {type: "Feature", geometry: geometry || null,
                   properties: {huli: "selection", kind: kind, ids: ids.slice(), seq: seq}};
    // after every other handler of the same click: streamlit-folium's own click handler sets the
    // drawing value to the clicked parcel, which would otherwise be what the page gets
    setTimeout(function () {
        map.fire("draw:created", {layer: {toGeoJSON: function () { return feature; }}, layerType: "huli_selection"});
    }, 0);
}
function huliSelectFromPage(options) {  // the page's selection, unless the frame has it already
    if (options.nonce !== window.__huliSelectionNonce) {
        window.__huliSelection = (options.ids || []).slice();
        window.__huliSelectionNonce = options.nonce;
        huliSelectionSet();
    }
}
function huliDrawing(map) {  // drawing, or the click that ends a rectangle's press and release
    var tool = map && map.__huliDraw;
    return !!tool && (!!tool.mode || Date.now() - tool.finished < 500);
}
function huliSelectClick(e, layer) {  // a click on a parcel of a layer in the page
    huliSelectId(layer._map, e.layer.feature.properties.parcel_id, e.originalEvent && e.originalEvent.shiftKey, layer);
}
function huliSelectId(map, id, shift, layer) {  // that parcel alone; with shift: added or removed
    if (!map || huliDrawing(map)) { return; }
    var sel = (window.__huliSelection || []).slice();
    if (shift) {
        var k = sel.indexOf(id);
        if (k >= 0) { sel.splice(k, 1); } else { sel.push(id); }
    } else {
        sel = [id];
    }
    window.__huliSelection = sel;
    huliSelectionSet();
    if (map.__huliDraw) { map.__huliDraw.clearShape(); }
    layer.resetStyle();
    huliSelectSend(map, "ids", sel, null);
}
function huliDrawTool(map, options, layer) {
    if (map.__huliDraw) { map.__huliDraw.layer = layer; return map.__huliDraw; }
    var tool = {mode: null, layer: layer, points: [], preview: null, shape: null, start: null, finished: 0};
    var labels = options.labels || {};
    if (map.boxZoom) { map.boxZoom.disable(); }  // shift is for adding parcels, a drag with it draws nothing
    function style() { return {color: "#ff6f00", weight: 2, dashArray: "6 4", fill: true, fillOpacity: 0.08,
                               interactive: false}; }
    function clearPreview() { if (tool.preview) { map.removeLayer(tool.preview); tool.preview = null; } }
    tool.clearShape = function () { if (tool.shape) { map.removeLayer(tool.shape); tool.shape = null; } };
    function setMode(mode) {
        tool.mode = mode;
        tool.points = [];
        tool.start = null;
        clearPreview();
        var box = map.getContainer();
        box.style.cursor = mode ? "crosshair" : "";
        box.setAttribute("data-huli-draw", mode || "");
        if (mode === "rectangle") { map.dragging.disable(); } else { map.dragging.enable(); }
        if (mode === "polygon") { map.doubleClickZoom.disable(); } else { map.doubleClickZoom.enable(); }
        for (var b in buttons) { buttons[b].classList.toggle("huli-draw-on", b === mode); }
    }
    function finish(ring) {
        var coords = ring.map(function (ll) { return [ll.lng, ll.lat]; });
        coords.push(coords[0]);
        tool.clearShape();
        tool.shape = L.polygon(ring, style()).addTo(map);
        tool.finished = Date.now();  // the click a release makes is not a parcel's selection
        setMode(null);
        huliSelectSend(map, "within", window.__huliSelection || [], {type: "Polygon", coordinates: [coords]});
    }
    function near(a, b, px) {
        var p = map.latLngToContainerPoint(a), q = map.latLngToContainerPoint(b);
        return Math.abs(p.x - q.x) <= px && Math.abs(p.y - q.y) <= px;
    }
    function drawPreview(extra) {
        clearPreview();
        var pts = extra ? tool.points.concat([extra]) : tool.points;
        if (pts.length) { tool.preview = L.polyline(pts, style()).addTo(map); }
    }
    map.on("click", function (e) {
        if (tool.mode !== "polygon") { return; }
        var pts = tool.points;
        if (pts.length >= 3 && near(e.latlng, pts[0], 8)) { finish(pts.slice()); return; }
        if (pts.length && near(e.latlng, pts[pts.length - 1], 3)) { return; }  // the second click of a double-click
        pts.push(e.latlng);
        drawPreview(null);
    });
    map.on("dblclick", function () {
        if (tool.mode === "polygon" && tool.points.length >= 3) { finish(tool.points.slice()); }
    });
    map.on("mousemove", function (e) {
        if (tool.mode === "polygon" && tool.points.length) { drawPreview(e.latlng); }
        if (tool.mode === "rectangle" && tool.start) {
            tool.corner = e.latlng;
            clearPreview();
            tool.preview = L.rectangle(L.latLngBounds(tool.start, e.latlng), style()).addTo(map);
        }
    });
    map.on("mousedown", function (e) { if (tool.mode === "rectangle") { tool.start = tool.corner = e.latlng; } });
    map.on("mouseup", function () {
        // the corner is where the last move went: a mouseup's own position is read at its mousedown
        // (ui.map_hook.CLICK_AT_DOWN_JS)
        if (tool.mode !== "rectangle" || !tool.start) { return; }
        var b = L.latLngBounds(tool.start, tool.corner);
        tool.start = null;
        if (near(b.getSouthWest(), b.getNorthEast(), 3)) { return; }  // a click, not a rectangle
        finish([b.getSouthWest(), b.getSouthEast(), b.getNorthEast(), b.getNorthWest()]);
    });
    document.addEventListener("keydown", function (e) { if (e.key === "Escape" && tool.mode) { setMode(null); } });
    var buttons = {};
    var control = L.control({position: "topleft"});
    control.onAdd = function () {
        var div = L.DomUtil.create("div", "huli-draw leaflet-bar");
        [["polygon", "\\u2b20"], ["rectangle", "\\u25ad"], ["clear", "\\u2715"]].forEach(function (item) {
            var a = L.DomUtil.create("a", "huli-draw-" + item[0], div);
            a.href = "#";
            a.setAttribute("role", "button");
            a.setAttribute("data-tool", item[0]);
            a.title = labels[item[0]] || item[0];
            a.setAttribute("aria-label", a.title);
            a.textContent = item[1];
            a.style.fontSize = "16px";
            L.DomEvent.on(a, "click", function (ev) {
                L.DomEvent.stop(ev);
                if (item[0] === "clear") {
                    setMode(null);
                    tool.clearShape();
                    window.__huliSelection = [];
                    huliSelectionSet();
                    if (tool.layer) { tool.layer.resetStyle(); }
                    huliSelectSend(map, "ids", [], null);
                    return;
                }
                setMode(tool.mode === item[0] ? null : item[0]);
            });
            L.DomEvent.disableClickPropagation(a);
            buttons[item[0]] = a;
        });
        return div;
    };
    control.addTo(map);
    var css = document.createElement("style");
    css.textContent = ".huli-draw a.huli-draw-on { background: #ffe0b2; }";
    document.head.appendChild(css);
    map.__huliDraw = tool;
    return tool;
}
"""


def select_options(ids: Sequence[str], *, nonce: str, labels: Mapping[str, str]) -> dict[str, Any]:
    """The ``select`` options of a parcel layer: the page's selection (``ids``), the ``nonce`` it was
    set under (a new one replaces what the person selected in the frame since) and the tool's
    button titles (``polygon``, ``rectangle``, ``clear``)."""
    return {"ids": [str(i) for i in ids], "nonce": str(nonce), "labels": dict(labels)}


def read_selection(value: object) -> dict[str, Any] | None:
    """The selection change a map sent (its ``last_active_drawing``), or None for anything else.

    Returns
    -------
    dict or None
        ``seq`` (str), ``kind`` (``"ids"`` or ``"within"``), ``ids`` (list of str) and, for a drawn
        shape, ``geometry`` (a GeoJSON Polygon as drawn).
    """
    if not isinstance(value, Mapping):
        return None
    props = value.get("properties")
    if not isinstance(props, Mapping) or props.get("huli") != "selection":
        return None
    kind = props.get("kind")
    ids = props.get("ids")
    if kind not in ("ids", "within") or not isinstance(ids, list):
        return None
    out: dict[str, Any] = {"seq": str(props.get("seq", "")), "kind": kind, "ids": [str(i) for i in ids]}
    if kind == "within":
        geometry = value.get("geometry")
        if not isinstance(geometry, Mapping) or geometry.get("type") != "Polygon":
            return None
        out["geometry"] = dict(geometry)
    return out
