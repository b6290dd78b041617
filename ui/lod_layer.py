"""The browser side of a large parcel layer (:class:`LodParcelLayer`): the overview grid below
:data:`DETAIL_MIN_ZOOM`, the parcels in view above it, at most :data:`VIEW_CAP` at once; see
:mod:`ui.overview_grid` for the data it is given."""

from __future__ import annotations

from folium.map import Layer
from jinja2 import Template

from ui.detail import DETAIL_JS
from ui.map_hook import FRAME_JS
from ui.map_theme import to_json_script

__all__ = ["DETAIL_MIN_ZOOM", "VIEW_CAP", "LodParcelLayer", "lod_text"]

#: Lowest zoom at which single parcels are drawn (below it: the grid).
DETAIL_MIN_ZOOM = 15
#: Most parcels drawn at once; with more in view the grid stays and a hint asks to zoom in.
VIEW_CAP = 15_000

_TEXT: dict[str, tuple[str, str]] = {
    "count": ("{n} 宗地块", "{n} parcels"),
    "dominant": ("主要类别", "Most common"),
    "mean": ("平均", "Mean"),
    "hint_zoom": ("网格为概览（每格主要类别与地块数）；放大到第 {z} 级查看单个地块。",
                  "Grid overview (most common class and parcel count per cell); zoom to level {z} for parcels."),
    "hint_many": ("当前视图内有 {n} 宗地块，超过 {cap} 宗上限；请继续放大。",
                  "{n} parcels in view, more than the {cap} drawn at once; zoom in further."),
}


def lod_text(key: str, lang: str, **kwargs: object) -> str:
    zh, en = _TEXT[key]
    return (en if lang == "en" else zh).format(**kwargs)


class LodParcelLayer(Layer):
    """A large parcel layer: the grid at low zoom, the parcels in view at high zoom.

    The JavaScript object it creates is an ``L.featureGroup`` holding the grid and one
    ``L.geoJSON`` parcel layer; its ``huliState`` (also ``window.__huliParcelView``) tells
    the mode (``"grid"`` or ``"parcels"``), the parcels in view, the parcels drawn, the
    number of redraws and the cap in force (``cap``, read at every redraw).  Parcel
    features carry ``parcel_id``, ``value`` and ``fill`` like :class:`ui.mapview.ParcelLayer`.

    ``payload`` (:func:`encode_large_parcels`) and ``grid`` (:func:`encode_grid`) are dicts,
    or their text from :func:`ui.mapview.to_json_script`.  ``view``
    (:func:`ui.map_view_js.view_options`) fits the map to the layer when it is added; None leaves
    the view alone.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function () {
            {{ this.hook }}
            var d = {{ this.payload }}, gd = {{ this.grid }}, opt = {{ this.options_json }}, view = {{ this.view }};
            var q = d.q, ox = d.o[0], oy = d.o[1], n = d.id.length;
            var g = null, p = null, r = null, xy = null, bb = null;
            var state = {mode: "grid", inView: 0, drawn: 0, redraws: 0, parcels: n, cells: gd.n.length, cap: opt.cap};
            window.__huliParcelView = state;
            if (window.__huliSelected === undefined) { window.__huliSelected = opt.selected; }
            huliKeptSelection(opt.detail);
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
            var panel = null;
            parcels.on("click", function (e) {
                window.__huliSelected = e.layer.feature.properties.parcel_id;
                parcels.resetStyle();
                e.layer.bringToFront();
                if (panel) { panel.show(window.__huliSelected); }
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
            group.on("add", function () { if (opt.detail) { panel = huliDetailPanel(group._map, opt.detail); } });
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
                if (bb === null) { prepare(); }
                huliInstallHook({
                    map: function () { return group._map || map; },
                    ids: d.id,
                    bbox: function (i) { return [bb[4 * i], bb[4 * i + 1], bb[4 * i + 2], bb[4 * i + 3]]; },
                    layerOf: function (i) { return shown[i] || null; }
                });
                if (view) {
                    huliFitView(map, huliExtent(n, function (i) { return [bb[4 * i], bb[4 * i + 1], bb[4 * i + 2],
                                                                          bb[4 * i + 3]]; }), view);
                }
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
        detail: dict[str, object] | None = None,
        view: str | None = None,
    ) -> None:
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "LodParcelLayer"
        self.view = "null" if view is None else view  # :func:`ui.map_view_js.view_options`
        self.hook = FRAME_JS + DETAIL_JS
        self.payload = payload if isinstance(payload, str) else to_json_script(payload)
        self.grid = grid if isinstance(grid, str) else to_json_script(grid)
        self.options_json = to_json_script(
            {
                "label": label,
                "selected": selected,
                "detail": detail,  # {url, labels} of the detail panel (ui.detail), or None
                "minZoom": int(min_zoom),
                "cap": int(cap),
                "count": lod_text("count", lang, n="{n}"),
                "hintZoom": lod_text("hint_zoom", lang, z=int(min_zoom)),
                "hintMany": lod_text("hint_many", lang, n="{n}", cap="{cap}"),
            }
        )
