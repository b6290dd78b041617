"""``window.huliMap``: the map's state, read in the frame that holds the map (for browser tests
and for anyone automating the app).  It reads what the parcel layer holds and what Leaflet
shows; it never fakes either.

=================  ==========================================================================
``count()``        parcels in the layer shown (after the page's filters)
``extent()``       their bounds ``[w, s, e, n]`` in lon/lat (as drawn), or null when none
``view()``         the map's bounds ``[w, s, e, n]``
``sample(n)``      up to ``n`` parcel ids spread over the layer
``zoomTo(id)``     fit the view to that parcel (drawn and clickable afterwards): a Promise of
                   true, of false for an unknown id
``pointOf(id)``    ``{x, y}``: a point inside that parcel in the frame's CSS pixels where the
                   map shows (not under a control such as the detail panel), or null while it
                   is not drawn or wholly covered
``selected()``     the selected parcel id, or null
``selection()``    the ids of the parcels selected on a map that selects several (the What-if
                   page, :mod:`ui.map_select`), in the order they were selected; ``[]`` when none
=================  ==========================================================================

Each parcel layer hands :data:`HOOK_JS`'s ``huliInstallHook`` a *source* when it is added to the
map: ``map()`` → the map it is on now, and either (a layer in the page,
:class:`ui.map_layers.ParcelLayer`) ``ids`` (array), ``bbox(i)`` → ``[w, s, e, n]``, ``layerOf(i)``
→ the drawn Leaflet layer or null; or (a layer in tiles, :class:`ui.tile_layer.TileParcelLayer`)
``count()``, ``extent()``, ``sample(n)``, ``bboxOf(id)`` → a Promise of ``[w, s, e, n]`` or null
(asked of the app) and ``geometryOf(id)`` → the parcel as drawn now (GeoJSON, lon/lat) or null.
"""

from __future__ import annotations

from ui.map_view_js import VIEW_JS

__all__ = ["HOOK_JS", "CLICK_AT_DOWN_JS", "FRAME_JS"]

#: Defines ``huliInstallHook(source)`` (idempotent per frame: the last layer added wins).
HOOK_JS = """
function huliInstallHook(source) {
    var index = null, local = !!source.ids;
    function current() { return source.map(); }  // the map the layer is on now (it may be re-added)
    function indexOf(id) {
        if (index === null) {
            index = {};
            for (var i = 0; i < source.ids.length; i++) { index[source.ids[i]] = i; }
        }
        var k = index[id];
        return k === undefined ? -1 : k;
    }
    function inside(pt, ring) {  // ray casting on [lon, lat] pairs
        var x = pt[0], y = pt[1], hit = false;
        for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
            var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
            if (((yi > y) !== (yj > y)) && (x < (xj - xi) * (y - yi) / (yj - yi) + xi)) { hit = !hit; }
        }
        return hit;
    }
    function inParcel(pt, geometry) {  // even-odd over every ring: holes and parts as drawn
        var polys = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates, hit = false;
        for (var a = 0; a < polys.length; a++) {
            for (var r = 0; r < polys[a].length; r++) { if (inside(pt, polys[a][r])) { hit = !hit; } }
        }
        return hit;
    }
    function boundsOf(geometry) {
        var polys = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
        var w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
        for (var a = 0; a < polys.length; a++) {
            for (var r = 0; r < polys[a].length; r++) {
                for (var v = 0; v < polys[a][r].length; v++) {
                    var x = polys[a][r][v][0], y = polys[a][r][v][1];
                    if (x < w) { w = x; } if (x > e) { e = x; } if (y < s) { s = y; } if (y > n) { n = y; }
                }
            }
        }
        return [w, s, e, n];
    }
    function lonLatInside(g, usable) {
        var b = boundsOf(g);
        for (var steps = 1; steps <= 16; steps *= 2) {  // the centre first, then finer and finer grids
            for (var u = 1; u < 2 * steps; u += 2) {
                for (var v = 1; v < 2 * steps; v += 2) {
                    var pt = [b[0] + (b[2] - b[0]) * u / (2 * steps), b[1] + (b[3] - b[1]) * v / (2 * steps)];
                    if (inParcel(pt, g) && usable(pt)) { return pt; }
                }
            }
        }
        return null;
    }
    function onMap(map) {  // a point of the page shows the map there, not a control (the detail panel, ...)
        return function (pt) {
            var p = map.latLngToContainerPoint([pt[1], pt[0]]), box = map.getContainer().getBoundingClientRect();
            var hit = document.elementFromPoint(box.left + p.x, box.top + p.y);
            return !!hit && map.getContainer().contains(hit) && !(hit.closest && hit.closest(".leaflet-control"));
        };
    }
    function panelWidth(map) {  // the detail panel covers the map's right: fit the view beside it
        var d = map.__huliDetail;
        return d && d.div && d.div.style.display !== "none" ? d.div.offsetWidth + 20 : 0;
    }
    function geometryOf(id) {  // the parcel as drawn now (lon/lat), or null
        if (!local) { return source.geometryOf(id); }
        var i = indexOf(id), layer = i < 0 ? null : source.layerOf(i);
        return layer && layer._map ? layer.feature.geometry : null;
    }
    function bboxOf(id) {  // [w, s, e, n] or null, or a Promise of either (a layer served in tiles)
        if (!local) { return source.bboxOf(id); }
        var i = indexOf(id);
        return i < 0 ? null : source.bbox(i);
    }
    window.huliMap = {
        count: function () { return local ? source.ids.length : source.count(); },
        extent: function () {
            if (!local) { return source.extent(); }
            if (!source.ids.length) { return null; }
            var w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
            for (var i = 0; i < source.ids.length; i++) {
                var b = source.bbox(i);
                if (b[0] < w) { w = b[0]; } if (b[1] < s) { s = b[1]; }
                if (b[2] > e) { e = b[2]; } if (b[3] > n) { n = b[3]; }
            }
            return [w, s, e, n];
        },
        view: function () {
            var b = current().getBounds();
            return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()];
        },
        sample: function (n) {
            if (!local) { return source.sample(n); }
            var out = [], total = source.ids.length, k = Math.max(1, Math.floor(total / Math.max(1, n)));
            for (var i = 0; i < total && out.length < n; i += k) { out.push(source.ids[i]); }
            return out;
        },
        zoomTo: function (id) {  // a Promise of true once the view is on the parcel, false for an unknown id
            return Promise.resolve(bboxOf(id)).then(function (b) {
                if (!b) { return false; }
                var map = current(), t0 = Date.now();
                return new Promise(function (resolve) {
                    function go() {
                        // Leaflet ignores a new view while a zoom animation runs: wait for it to end
                        if (map._animatingZoom && Date.now() - t0 < 5000) { requestAnimationFrame(go); return; }
                        map.fitBounds([[b[1], b[0]], [b[3], b[2]]],
                                      {maxZoom: 18, animate: false, paddingBottomRight: [panelWidth(map), 0]});
                        requestAnimationFrame(function () { resolve(true); });
                    }
                    go();
                });
            });
        },
        pointOf: function (id) {
            var g = geometryOf(id);
            if (!g) { return null; }
            var map = current(), pt = lonLatInside(g, onMap(map));
            if (pt === null) { return null; }
            var p = map.latLngToContainerPoint([pt[1], pt[0]]);
            var box = map.getContainer().getBoundingClientRect();
            return {x: box.left + p.x, y: box.top + p.y};
        },
        selected: function () {
            return window.__huliSelected === undefined || window.__huliSelected === null ? null : window.__huliSelected;
        },
        selection: function () { return (window.__huliSelection || []).slice(); }
    };
}
"""


#: A click is where the button went down. Chromium can report the ``mouseup``/``click`` of a
#: click in a map whose frame is partly scrolled out of the page at a position shifted by the
#: scroll (the ``mousedown`` is right), so the canvas picked the parcel above or below the one
#: under the cursor (the tooltip named one parcel, the panel showed its neighbour). The map reads
#: a click's position from the ``mousedown`` of the same click (within a second, no drag: Leaflet
#: itself treats a moved press as a drag, not a click).
CLICK_AT_DOWN_JS = """
(function () {
    if (L.Map.prototype.__huliClickAtDown) { return; }
    var down = null, original = L.Map.prototype.mouseEventToContainerPoint;
    document.addEventListener("mousedown", function (e) {
        down = {x: e.clientX, y: e.clientY, t: Date.now()};
    }, true);
    L.Map.prototype.mouseEventToContainerPoint = function (e) {
        if (down && e && (e.type === "click" || e.type === "mouseup" || e.type === "dblclick")
                && Date.now() - down.t < 1000) {
            return original.call(this, {clientX: down.x, clientY: down.y, type: e.type});
        }
        return original.call(this, e);
    };
    L.Map.prototype.__huliClickAtDown = true;
})();
"""

#: What every parcel layer puts in its frame: the hook, the click position and the view
#: (:mod:`ui.map_view_js`).
FRAME_JS = HOOK_JS + CLICK_AT_DOWN_JS + VIEW_JS
