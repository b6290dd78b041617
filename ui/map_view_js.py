"""The map's view, the same for every parcel layer: fitted to the layer, re-fitted when the layer
changes unless the person has moved the map since, kept through a basemap switch.

A parcel layer calls :data:`VIEW_JS`'s ``huliFitView(map, extent, options)`` when it is added to
a map, with ``extent`` the bounds ``[w, s, e, n]`` of what it shows (lon/lat as drawn, null when
it shows nothing; ``huliExtent(n, bbox)`` gives them from a per-feature ``bbox(i)``) and
``options`` the layer's ``view`` (:func:`view_options`, null: the layer leaves the view alone):

==========  ==================================================================================
``key``     whose view this is: a page and the person's Streamlit session (:func:`ui.frame.view_key`);
            a new session (a new tab, a reload) has no view yet and opens fitted to the layer
``search``  the search text in force ("" none): a new search always fits to its hits, even after
            the person moved the map (a search is a request to see what it found)
``label``   text of the "zoom to selection" button, in the UI language
``shift``   ``[dx, dy]`` degrees the map draws everything shifted by (GCJ-02 on AMap, else
            ``[0, 0]``): views are kept unshifted, so a switch between basemaps keeps the place
``extent``  optional ``[w, s, e, n]`` (as drawn) to fit instead of the layer's own: the parcels
            in the district when some are (:func:`geodata.region.view_bounds`), so that one
            stray parcel far away does not zoom the map out to a continent
==========  ==================================================================================

What it does:

- the first layer of a key (a fresh visit): fit the map to ``extent``;
- a later layer on the same map (the page's filters changed): fit again, unless the person has
  moved the map since the last fit; then the view stays and the "zoom to selection" button (a
  Leaflet control, ``.huli-zoom-selection``) fits to the layer when pressed;
- a new map of a key seen before (a basemap or language switch draws a new map): the view the
  person had, when they had moved it, else the fit.

A move is the person's when the view starts moving within a second of their input on the map
(pointer, wheel, key, touch): dragging, the wheel, the zoom buttons, a box zoom, a click on an
overview grid cell. The fits made here and views set by code (a resize, the test hook) are not.
The view is kept in the frame's ``sessionStorage`` (the map frames share the app's origin, so
every map of the tab reads it), under ``"huli.view." + key``.
"""

from __future__ import annotations

from ui.map_theme import to_json_script

__all__ = ["VIEW_JS", "view_options", "attach_view"]

#: Defines ``huliFitView(map, extent, options)`` and ``huliExtent(n, bbox)`` (see the module).
VIEW_JS = """
function huliExtent(n, bbox) {
    if (!n) { return null; }
    var w = Infinity, s = Infinity, e = -Infinity, no = -Infinity;
    for (var i = 0; i < n; i++) {
        var b = bbox(i);
        if (b[0] < w) { w = b[0]; } if (b[1] < s) { s = b[1]; }
        if (b[2] > e) { e = b[2]; } if (b[3] > no) { no = b[3]; }
    }
    return [w, s, e, no];
}
function huliFitView(map, extent, options) {
    var o = options || {}, key = "huli.view." + (o.key || "map"), shift = o.shift || [0, 0];
    function read() {
        try { return JSON.parse(window.sessionStorage.getItem(key) || "null"); } catch (err) { return null; }
    }
    function write(rec) {
        try { window.sessionStorage.setItem(key, JSON.stringify(rec)); } catch (err) { /* no storage: kept in the map */ }
        v.rec = rec;
    }
    var v = map.__huliView;
    if (!v) {  // once per map: who moved it, the button, the view kept on every move
        v = map.__huliView = {auto: 0, input: 0, started: false, rec: null};
        var box = map.getContainer();
        ["pointerdown", "pointerup", "wheel", "keydown", "touchstart", "dblclick"].forEach(function (name) {
            box.addEventListener(name, function () { v.input = Date.now(); }, true);
        });
        v.save = function () {
            var c = map.getCenter(), rec = v.rec || {};
            rec.c = [c.lng - v.shift[0], c.lat - v.shift[1]];
            rec.z = map.getZoom();
            write(rec);
        };
        map.on("movestart", function () {
            if (v.auto > 0 || Date.now() - v.input > 1000 || !v.rec || v.rec.moved) { return; }
            v.rec.moved = true;
            v.save();
            v.show();
        });
        map.on("moveend", function () { if (v.rec) { v.save(); } });
        v.fit = function () {  // the map on the layer's extent, not counted as the person's move
            var b = v.extent, t0 = Date.now();
            if (!b) { return; }
            function go() {
                // Leaflet lets a running zoom animation end on its own view: wait for it
                if (map._animatingZoom && Date.now() - t0 < 5000) { requestAnimationFrame(go); return; }
                v.auto += 1;
                try {
                    // the detail panel covers the map's right: the layer is fitted beside it
                    var d = map.__huliDetail, panel = d && d.div && d.div.style.display !== "none" ? d.div.offsetWidth : 0;
                    map.fitBounds([[b[1], b[0]], [b[3], b[2]]], {paddingTopLeft: [12, 12],
                                  paddingBottomRight: [12 + panel, 12], maxZoom: 18, animate: false});
                } finally { v.auto -= 1; }
                v.rec.moved = false;
                v.save();
                v.show();
            }
            go();
        };
        var Button = L.Control.extend({
            options: {position: "topleft"},
            onAdd: function () {
                var div = L.DomUtil.create("div", "leaflet-bar huli-zoom-selection");
                var a = L.DomUtil.create("a", "", div);
                a.href = "#";
                a.setAttribute("role", "button");
                a.style.cssText = "width: auto; padding: 0 8px; white-space: nowrap; font-size: 13px;";
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.on(a, "click", function (e) { L.DomEvent.preventDefault(e); v.fit(); });
                v.link = a;
                return div;
            }
        });
        v.button = new Button();
        v.show = function () {
            var want = !!(v.rec && v.rec.moved && v.extent);
            if (want && !v.button._map) { v.button.addTo(map); }
            if (!want && v.button._map) { v.button.remove(); }
            if (v.link) { v.link.textContent = v.label; v.link.title = v.label; }
        };
    }
    v.extent = o.extent || extent;
    v.shift = shift;
    v.label = o.label || "";
    var rec = read() || v.rec, fresh = !v.started, search = o.search || "";
    v.started = true;
    if (!rec) {  // a fresh visit
        v.rec = {moved: false, search: search};
        v.fit();
        v.save();
        v.show();
        return;
    }
    var searched = search !== "" && search !== rec.search;
    rec.search = search;
    v.rec = rec;
    if (searched || !rec.moved) {
        v.fit();
    } else if (fresh && rec.c) {  // a new map (a basemap switch): the view the person had
        v.auto += 1;
        try {
            map.setView([rec.c[1] + shift[1], rec.c[0] + shift[0]], rec.z, {animate: false});
        } finally { v.auto -= 1; }
    }
    v.save();
    v.show();
}
"""


def view_options(*, key: str, label: str, search: str = "", shift: tuple[float, float] = (0.0, 0.0),
                 extent: tuple[float, float, float, float] | None = None) -> str:
    """The ``options`` of ``huliFitView`` as script-safe JSON (see the module)."""
    options: dict[str, object] = {"key": key, "search": search.strip(), "label": label,
                                  "shift": [float(shift[0]), float(shift[1])]}
    if extent is not None:
        options["extent"] = [float(v) for v in extent]
    return to_json_script(options)


def attach_view(group: object, options: str | None) -> None:
    """Give every parcel layer of ``group`` (a folium element) the view ``options``
    (:func:`view_options`; None: the layers leave the view alone)."""
    for child in getattr(group, "_children", {}).values():
        if hasattr(child, "view"):
            setattr(child, "view", "null" if options is None else options)  # noqa: B010 (any layer with a view)
