"""The browser side of a large parcel layer (:class:`TileParcelLayer`): the overview grid below
the source's lowest parcel zoom, vector tiles of the parcels from the app's map service above it
(:mod:`ui.vector_tiles`), drawn on canvases; hover, click and the detail panel work on the tiles.

The page carries the grid and a few numbers, never the parcels: a layer of a million parcels
opens as fast as one of a thousand.  Pan and zoom fetch only the tiles in view (the browser and
the app cache them); a click is hit-tested in the browser against the tile under the cursor
(even-odd rule over the parcel's rings, holes included), highlights the parcel at once and asks
the app for its details.  With ``select`` the layer selects several parcels as a layer in the page
does (:mod:`ui.map_select`: clicks, shift-clicks, a drawn polygon or rectangle, whose parcels the
page works out); the selected ones are outlined on the tiles.  Tooltips and hints are built with
``textContent``.
"""

from __future__ import annotations

from folium.map import Layer
from jinja2 import Template

from ui.detail import DETAIL_JS
from ui.map_hook import FRAME_JS
from ui.map_select import SELECT_JS
from ui.map_theme import to_json_script

__all__ = ["TileParcelLayer", "TILE_JS"]

#: Defines ``huliTileLayer(opt, grid, view)`` → an ``L.featureGroup`` (grid + tiles); see the module.
TILE_JS = """
function huliTileLayer(opt, gd, view) {
    var state = {mode: "grid", tiles: 0, drawnParcels: 0, fetched: 0, minZoom: opt.minZoom, parcels: opt.count,
                 cells: gd.n.length};
    window.__huliParcelView = state;
    if (window.__huliSelected === undefined) { window.__huliSelected = opt.selected; }
    huliKeptSelection(opt.detail);
    var store = {}, hover = null, map = null, panel = null, hint = null;
    var gq = gd.q, gx = gd.o[0], gy = gd.o[1], grid = L.featureGroup();
    for (var m = 0; m < gd.n.length; m++) {
        var ll = [];
        for (var e = 0; e < 4; e++) { ll.push([gy + gd.c[8 * m + 2 * e + 1] / gq, gx + gd.c[8 * m + 2 * e] / gq]); }
        var cell = L.polygon(ll, {fillColor: gd.pal[gd.f[m]], fillOpacity: 0.7, color: "#ffffff", weight: 0.4,
                                  opacity: 0.8});
        cell.huliCell = {count: gd.n[m], value: gd.tl[gd.t[m]]};
        grid.addLayer(cell);
    }
    grid.bindTooltip(function (l) {
        var el = document.createElement("div"), b = document.createElement("b");
        b.textContent = opt.countText.replace("{n}", l.huliCell.count.toLocaleString());
        el.appendChild(b);
        el.appendChild(document.createElement("br"));
        el.appendChild(document.createTextNode(opt.label + "：" + l.huliCell.value));
        return el;
    }, {sticky: true});
    grid.on("click", function (ev) {
        if (map && !(opt.select && huliDrawing(map))) { map.fitBounds(ev.layer.getBounds(), {maxZoom: opt.minZoom}); }
    });
    // the selection redrawn (every tile in view) when the drawing tool or a click changes it
    var selection = {resetStyle: function () { for (var key in store) { draw(store[key]); } }};

    function decode(d) {  // a tile's parcels: rings in tile units, bounding boxes
        var out = [], v = 0, ring = 0, x = 0, y = 0;
        for (var i = 0; i < d.id.length; i++) {
            var rings = [], x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
            for (var k = 0; k < d.nr[i]; k++, ring++) {
                var pts = [];
                for (var j = 0; j < d.nv[ring]; j++, v++) {
                    x += d.c[2 * v]; y += d.c[2 * v + 1];
                    pts.push(x, y);
                    if (x < x0) { x0 = x; } if (x > x1) { x1 = x; } if (y < y0) { y0 = y; } if (y > y1) { y1 = y; }
                }
                rings.push(pts);
            }
            out.push({id: d.id[i], f: d.f[i], t: d.t[i], rings: rings, box: [x0, y0, x1, y1]});
        }
        return out;
    }
    function trace(ctx, p, k) {
        ctx.beginPath();
        for (var r = 0; r < p.rings.length; r++) {
            var pts = p.rings[r];
            if (pts.length < 6) { continue; }
            ctx.moveTo(pts[0] * k, pts[1] * k);
            for (var j = 2; j < pts.length; j += 2) { ctx.lineTo(pts[j] * k, pts[j + 1] * k); }
            ctx.closePath();
        }
    }
    function draw(t) {
        var c = t.canvas, ctx = c.getContext("2d"), k = c.width / opt.extent, ratio = c.width / 256;
        ctx.clearRect(0, 0, c.width, c.height);
        var on = null, over = null;
        for (var i = 0; i < t.parcels.length; i++) {
            var p = t.parcels[i];
            trace(ctx, p, k);
            ctx.globalAlpha = 0.78;
            ctx.fillStyle = opt.pal[p.f];
            ctx.fill("evenodd");
            ctx.globalAlpha = 0.9;
            ctx.lineWidth = 0.6 * ratio;
            ctx.strokeStyle = "#4d4d4d";
            ctx.stroke();
            if (p.id === window.__huliSelected) { on = p; }
            if (p.id === hover) { over = p; }
        }
        ctx.globalAlpha = 1;
        if (opt.select) {  // the parcels selected for an edit (ui.map_select)
            ctx.lineWidth = 3 * ratio;
            ctx.strokeStyle = "#ff6f00";
            for (var s = 0; s < t.parcels.length; s++) {
                if (huliSelected(t.parcels[s].id)) { trace(ctx, t.parcels[s], k); ctx.stroke(); }
            }
        }
        if (over) { trace(ctx, over, k); ctx.lineWidth = 2 * ratio; ctx.strokeStyle = "#000000"; ctx.stroke(); }
        if (on) { trace(ctx, on, k); ctx.lineWidth = 4 * ratio; ctx.strokeStyle = "#00bcd4"; ctx.stroke(); }
    }
    function redrawWith(ids) {
        for (var key in store) {
            var t = store[key];
            for (var i = 0; i < t.parcels.length; i++) {
                if (ids.indexOf(t.parcels[i].id) >= 0) { draw(t); break; }
            }
        }
    }
    var Tiles = L.GridLayer.extend({
        createTile: function (coords, done) {
            var c = L.DomUtil.create("canvas", "huli-tile"), size = this.getTileSize(), r = window.devicePixelRatio || 1;
            c.width = size.x * r; c.height = size.y * r;
            c.style.width = size.x + "px"; c.style.height = size.y + "px";
            var key = coords.z + "/" + coords.x + "/" + coords.y;
            fetch(opt.url + "tile/" + key, {credentials: "same-origin"})
                .then(function (res) { return res.ok ? res.json() : {id: [], f: [], t: [], nr: [], nv: [], c: []}; })
                .then(function (d) {
                    var t = {canvas: c, coords: coords, parcels: decode(d)};
                    store[key] = t;
                    state.fetched += 1;
                    draw(t);
                    done(null, c);
                })
                .catch(function (err) { done(err, c); });
            return c;
        }
    });
    // no minZoom option: Leaflet would raise the map's own lowest zoom to it; the layer joins and
    // leaves the group instead (refresh)
    var tiles = new Tiles({tileSize: 256, updateWhenZooming: false, keepBuffer: 1, className: "huli-tiles"});
    tiles.on("tileunload", function (ev) { delete store[ev.coords.z + "/" + ev.coords.x + "/" + ev.coords.y]; });
    var tip = L.tooltip({sticky: true, direction: "right", offset: [12, 0]});

    function inRing(px, py, pts) {
        var hit = false;
        for (var i = 0, j = pts.length - 2; i < pts.length; j = i, i += 2) {
            var xi = pts[i], yi = pts[i + 1], xj = pts[j], yj = pts[j + 1];
            if (((yi > py) !== (yj > py)) && (px < (xj - xi) * (py - yi) / (yj - yi) + xi)) { hit = !hit; }
        }
        return hit;
    }
    function hitIn(t, p) {  // the parcel of tile t under the world pixel p (the last drawn wins, as on the canvas)
        var px = (p.x - t.coords.x * 256) / 256 * opt.extent, py = (p.y - t.coords.y * 256) / 256 * opt.extent;
        for (var i = t.parcels.length - 1; i >= 0; i--) {
            var q = t.parcels[i], b = q.box;
            if (px < b[0] || px > b[2] || py < b[1] || py > b[3]) { continue; }
            var inside = false;
            for (var r = 0; r < q.rings.length; r++) { if (inRing(px, py, q.rings[r])) { inside = !inside; } }
            if (inside) { return q; }
        }
        return null;
    }
    function at(latlng) {  // the parcel drawn under a point, or null
        if (!map || !tiles._map || map.getZoom() < opt.minZoom) { return null; }
        var z = tiles._tileZoom, p = map.project(latlng, z);
        var under = store[z + "/" + Math.floor(p.x / 256) + "/" + Math.floor(p.y / 256)];
        var hit = under ? hitIn(under, p) : null;
        if (hit || under) { return hit; }
        // the tile under the point is still loading: a parcel is whole in every tile it meets,
        // so another tile of this zoom may hold it
        for (var key in store) {
            if (store[key].coords.z === z && (hit = hitIn(store[key], p))) { return hit; }
        }
        return null;
    }
    function geometryOf(id) {  // the parcel as drawn now, in lon/lat (it is whole in every tile it meets)
        var z = tiles._tileZoom;
        for (var key in store) {
            var t = store[key];
            if (t.coords.z !== z) { continue; }
            for (var i = 0; i < t.parcels.length; i++) {
                if (t.parcels[i].id !== id) { continue; }
                var polys = [], rings = t.parcels[i].rings;
                for (var r = 0; r < rings.length; r++) {
                    var ring = [];
                    for (var j = 0; j < rings[r].length; j += 2) {
                        var ll = map.unproject([t.coords.x * 256 + rings[r][j] / opt.extent * 256,
                                                t.coords.y * 256 + rings[r][j + 1] / opt.extent * 256], z);
                        ring.push([ll.lng, ll.lat]);
                    }
                    ring.push(ring[0]);
                    polys.push([ring]);  // each ring on its own: the hook's test is even-odd too
                }
                return {type: "MultiPolygon", coordinates: polys};
            }
        }
        return null;
    }
    function onMove(ev) {
        var p = at(ev.latlng), id = p ? p.id : null;
        map.getContainer().style.cursor = id ? "pointer" : "";
        if (id !== hover) {
            var was = hover;
            hover = id;
            redrawWith([was, id]);
        }
        if (!p) { if (map.hasLayer(tip)) { map.closeTooltip(tip); } return; }
        var el = document.createElement("div"), b = document.createElement("b");
        b.textContent = p.id;
        el.appendChild(b);
        el.appendChild(document.createElement("br"));
        el.appendChild(document.createTextNode(opt.label + "：" + opt.values[p.t]));
        tip.setContent(el).setLatLng(ev.latlng);
        if (!map.hasLayer(tip)) { map.openTooltip(tip); }
    }
    function onClick(ev) {
        if (opt.select && huliDrawing(map)) { return; }  // a click of the drawing tool's
        var p = at(ev.latlng);
        if (!p) { return; }
        if (opt.select) { huliSelectId(map, p.id, ev.originalEvent && ev.originalEvent.shiftKey, selection); }
        var was = window.__huliSelected;
        window.__huliSelected = p.id;
        redrawWith([was, p.id]);
        if (panel) { panel.show(p.id); }
    }
    function setHint(text) {
        if (!hint) { return; }
        hint.getContainer().textContent = text;
        hint.getContainer().style.display = text ? "block" : "none";
    }
    function refresh() {
        if (!map) { return; }
        var parcels = map.getZoom() >= opt.minZoom;
        if (parcels) {
            if (group.hasLayer(grid)) { group.removeLayer(grid); }
            if (!group.hasLayer(tiles)) { group.addLayer(tiles); }
        } else {
            if (group.hasLayer(tiles)) { group.removeLayer(tiles); }
            if (!group.hasLayer(grid)) { group.addLayer(grid); grid.bringToBack(); }
        }
        state.mode = parcels ? "parcels" : "grid";
        setHint(parcels ? "" : opt.hintZoom);
    }
    var group = L.featureGroup([grid]);  // the tiles join at their zoom, once the view is set (refresh)
    group.huliState = state;
    if (opt.select) { huliSelectFromPage(opt.select); }
    group.on("add", function () {
        map = group._map;
        if (opt.select) { huliDrawTool(map, opt.select, selection); }
        if (opt.detail) { panel = huliDetailPanel(map, opt.detail); }
        hint = L.control({position: "bottomleft"});
        hint.onAdd = function () {
            var div = L.DomUtil.create("div", "huli-lod-hint");
            div.style.cssText = "background: rgba(255,255,255,0.9); padding: 3px 8px; font-size: 12px;"
                + " border-radius: 3px; max-width: 420px;";
            return div;
        };
        hint.addTo(map);
        map.on("zoomend", refresh);
        map.on("mousemove", onMove);
        map.on("click", onClick);
        huliInstallHook({
            map: function () { return group._map || map; },
            count: function () { return opt.count; },
            extent: function () { return opt.extentBox; },
            sample: function (n) {  // spread over the page's sample, itself spread over the layer
                var out = [], k = Math.max(1, Math.floor(opt.sample.length / Math.max(1, n)));
                for (var i = 0; i < opt.sample.length && out.length < n; i += k) { out.push(opt.sample[i].id); }
                return out;
            },
            bboxOf: function (id) {
                return fetch(opt.url + "locate/" + encodeURIComponent(id), {credentials: "same-origin"})
                    .then(function (res) { return res.ok ? res.json() : null; })
                    .then(function (d) { return d ? d.bbox : null; });
            },
            geometryOf: geometryOf
        });
        if (view) { huliFitView(map, opt.extentBox, view); }
        refresh();
    });
    group.on("remove", function () {
        if (map) { map.off("zoomend", refresh); map.off("mousemove", onMove); map.off("click", onClick); }
        if (hint) { hint.remove(); hint = null; }
        map = null;
    });
    return group;
}
"""


class TileParcelLayer(Layer):
    """A large parcel layer: the overview grid at low zoom, vector tiles from the app above.

    ``options`` (a dict, see :func:`ui.overview_grid.tile_parcel_group`) holds the tile URL
    (``url``, the map service's prefix), ``minZoom``, ``extent`` (tile units), the palette
    ``pal`` and value table ``values`` the tiles index into, ``count``, ``extentBox`` and
    ``sample`` (for the hook), ``label``, ``countText``, ``hintZoom``, ``detail`` and ``select``
    (:func:`ui.map_select.select_options`, or None: no selecting of several parcels); ``view`` is
    :func:`ui.map_view_js.view_options`'s text (or ``"null"``); ``grid`` is :func:`ui.overview_grid.encode_grid`'s output.  The layer's JavaScript object
    has ``huliState`` (also ``window.__huliParcelView``): ``mode`` (``"grid"`` or
    ``"parcels"``), ``fetched`` tiles, ``minZoom``, ``parcels``, ``cells``.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function () {
            {{ this.hook }}
            return huliTileLayer({{ this.options_json }}, {{ this.grid }}, {{ this.view }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, options: dict[str, object], grid: dict[str, object] | str, *, name: str,
                 show: bool = True) -> None:
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "TileParcelLayer"
        self.hook = FRAME_JS + DETAIL_JS + SELECT_JS + TILE_JS
        self.options_json = to_json_script(options)
        self.grid = grid if isinstance(grid, str) else to_json_script(grid)
        self.view = "null"  # :func:`ui.map_view_js.view_options` (set by attach_view)
