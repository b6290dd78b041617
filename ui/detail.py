"""The detail panel in the map: a click shows the parcel's details at once, in the browser.

The panel is a Leaflet control in the map's frame (:data:`DETAIL_JS`).  A click selects the
parcel in the browser and the panel fetches its details from the app's own service
(:mod:`ui.map_service`, ``.../parcel/{pid}``, answered by :class:`FrameDetails`): no rerun of
the page, so the details come in a few tens of milliseconds whatever the layer's size.  The
details are the same as the table's: every field, labelled and formatted in the UI language
(:func:`ui.filters.detail_rows`), with the recommendation, the rule that fired and, for
low-efficiency land, its basis with the figures behind it on top.
Everything is put in the page with ``textContent``: attribute values cannot inject markup.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import pandas as pd

from analysis.recommend import recommendation_text
from ui import map_service
from ui.filters import detail_rows
from ui.i18n import t

__all__ = ["FrameDetails", "detail_payload", "panel_labels", "map_detail", "DETAIL_JS"]


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def detail_payload(row: pd.Series, lang: str = "zh") -> dict[str, Any]:
    """One parcel's details: ``id``, ``lines`` ([label, text]: recommendation, rule, low-efficiency
    basis when there is one) and ``rows``
    ([field, value]: every field but the geometry), all text in ``lang``."""
    lines: list[list[str]] = []
    if "recommendation_zh" in row.index or "recommendation" in row.index:
        code = row.get("recommendation")
        rec = _text(row.get("recommendation_zh")) if lang == "zh" else (
            recommendation_text(code, lang="en") if isinstance(code, str) else None)
        lines.append([t("detail.recommendation", lang), rec or "—"])
    if "recommendation_rule" in row.index:
        rule = (_text(row.get("recommendation_rule_zh")) if lang == "zh" else None) or _text(
            row.get("recommendation_rule"))
        lines.append([t("detail.rule", lang), rule or "—"])
    note = _text(row.get("low_efficiency_note_zh" if lang == "zh" else "low_efficiency_note"))
    if note:
        lines.append([t("eff.basis", lang), note])
    table = detail_rows(row, lang)
    return {
        "id": str(row["parcel_id"]),
        "lines": lines,
        "rows": [[str(f), str(v)] for f, v in zip(table.iloc[:, 0], table.iloc[:, 1], strict=True)],
    }


class FrameDetails:
    """A :class:`ui.map_service.MapSource` answering details from a parcel frame (no tiles).

    ``frame`` is the app's cached frame (held, not copied); the id index is built at the first
    question.
    """

    def __init__(self, frame: pd.DataFrame, lang: str) -> None:
        self.frame = frame
        self.lang = lang
        self._position: pd.Index | None = None

    def detail(self, pid: str) -> dict[str, Any] | None:
        if self._position is None:
            self._position = pd.Index(self.frame["parcel_id"].astype(str).to_numpy())
        hits = self._position.get_indexer_for([pid])  # every row of the id (-1: none); the first wins
        return None if len(hits) == 0 or hits[0] < 0 else detail_payload(self.frame.iloc[int(hits[0])], self.lang)

    def tile(self, z: int, x: int, y: int) -> dict[str, Any] | None:
        del z, x, y
        return None  # a small layer is in the page

    def locate(self, pid: str) -> list[float] | None:
        del pid
        return None  # the page has every parcel's place


def panel_labels(lang: str) -> dict[str, str]:
    """The panel's fixed texts (``{pid}`` filled in the browser)."""
    return {
        "header": t("detail.header", lang),
        "none": t("detail.none", lang),
        "hint": t("map.click_hint", lang),
        "loading": t("detail.loading", lang, pid="{pid}"),
        "failed": t("detail.failed", lang, pid="{pid}"),
        "missing": t("detail.missing", lang, pid="{pid}"),
        "field": t("detail.field", lang),
        "value": t("detail.value", lang),
        "colon": t("colon", lang),
        "close": t("detail.close", lang),
    }


def map_detail(frame: pd.DataFrame, *, key: Hashable, lang: str, base_path: str = "") -> dict[str, object]:
    """The ``detail`` option of a parcel layer (:func:`ui.mapview.parcel_group`): the panel's
    URL and texts, ``frame``'s details published under ``key`` (everything the frame depends
    on: person, dataset and version, as-of date, profile)."""
    token = map_service.publish(("detail", key, lang), lambda: FrameDetails(frame, lang))
    return {"url": map_service.url_of(token, base_path=base_path), "labels": panel_labels(lang)}


#: Defines ``huliDetailPanel(map, options)`` → the map's panel (one per map; options
#: ``{url, labels, key}``, the latest layer's win) with ``show(id)``, and
#: ``huliKeptSelection(options)``: a layer calls it before styling, so the parcel selected on the
#: page's map before (kept under ``key`` in the tab's ``sessionStorage``) is outlined on a new map; ``.huli-detail`` in the page,
#: ``data-parcel`` the id shown (``data-state``: ``none``, ``loading``, ``shown``, ``missing``,
#: ``failed``).
DETAIL_JS = """
function huliDetailPanel(map, options) {
    if (map.__huliDetail) { map.__huliDetail.options = options; return map.__huliDetail; }
    var panel = {options: options, seq: 0, div: null, body: null};
    function fill(id, pattern) { return pattern.split("{pid}").join(id); }
    function el(tag, cls, text) {
        var e = document.createElement(tag);
        if (cls) { e.className = cls; }
        if (text !== undefined) { e.textContent = text; }
        return e;
    }
    function state(s, id) {
        panel.div.setAttribute("data-state", s);
        panel.div.setAttribute("data-parcel", id || "");
        while (panel.body.firstChild) { panel.body.removeChild(panel.body.firstChild); }
    }
    function empty() {
        var l = panel.options.labels;
        state("none", null);
        panel.body.appendChild(el("p", "huli-detail-note", l.none));
        panel.body.appendChild(el("p", "huli-detail-note", l.hint));
    }
    function render(d) {
        var l = panel.options.labels;
        state("shown", d.id);
        panel.body.appendChild(el("div", "huli-detail-id", d.id));
        for (var i = 0; i < d.lines.length; i++) {
            var p = el("p", "huli-detail-line");
            p.appendChild(el("b", null, d.lines[i][0] + l.colon));
            p.appendChild(document.createTextNode(d.lines[i][1]));
            panel.body.appendChild(p);
        }
        var table = el("table", "huli-detail-table"), head = el("tr");
        head.appendChild(el("th", null, l.field));
        head.appendChild(el("th", null, l.value));
        table.appendChild(head);
        for (var k = 0; k < d.rows.length; k++) {
            var tr = el("tr");
            tr.appendChild(el("td", null, d.rows[k][0]));
            tr.appendChild(el("td", null, d.rows[k][1]));
            table.appendChild(tr);
        }
        panel.body.appendChild(table);
    }
    panel.show = function (id) {
        var l = panel.options.labels, seq = ++panel.seq;
        if (panel.options.key) {
            try { window.sessionStorage.setItem("huli.selected." + panel.options.key, id); } catch (err) { /* none */ }
        }
        if (panel.div.style.display === "none") { panel.div.style.display = ""; }
        state("loading", id);
        panel.body.appendChild(el("p", "huli-detail-note", fill(id, l.loading)));
        fetch(panel.options.url + "parcel/" + encodeURIComponent(id), {credentials: "same-origin"})
            .then(function (r) { return r.status === 404 ? {missing: true} : (r.ok ? r.json() : null); })
            .then(function (d) {
                if (seq !== panel.seq) { return; }  // a later click won
                if (d && d.missing) { state("missing", id); panel.body.appendChild(el("p", "huli-detail-note", fill(id, l.missing))); }
                else if (d) { render(d); }
                else { state("failed", id); panel.body.appendChild(el("p", "huli-detail-note", fill(id, l.failed))); }
            })
            .catch(function () {
                if (seq !== panel.seq) { return; }
                state("failed", id);
                panel.body.appendChild(el("p", "huli-detail-note", fill(id, l.failed)));
            });
    };
    var control = L.control({position: "topright"});
    control.onAdd = function () {
        var div = L.DomUtil.create("div", "huli-detail"), l = panel.options.labels;
        var height = Math.max(200, map.getSize().y - 80);
        div.style.cssText = "background: rgba(255,255,255,0.96); padding: 6px 10px; width: 300px;"
            + " max-height: " + height + "px; overflow-y: auto; font-size: 12px; line-height: 1.45;"
            + " border-radius: 4px; box-shadow: 0 1px 5px rgba(0,0,0,0.3);";
        var bar = el("div", "huli-detail-bar"), title = el("b", "huli-detail-header", l.header);
        var hide = el("a", "huli-detail-hide", l.close);
        hide.href = "#";
        hide.style.cssText = "float: right; color: #555;";
        bar.appendChild(hide);
        bar.appendChild(title);
        div.appendChild(bar);
        panel.body = el("div", "huli-detail-body");
        div.appendChild(panel.body);
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.disableScrollPropagation(div);
        L.DomEvent.on(hide, "click", function (e) { L.DomEvent.preventDefault(e); div.style.display = "none"; });
        panel.div = div;
        return div;
    };
    control.addTo(map);
    var css = document.createElement("style");
    css.textContent = ".huli-detail-id { font-family: monospace; font-size: 14px; font-weight: 600; margin: 4px 0; }"
        + " .huli-detail-line { margin: 2px 0; } .huli-detail-note { color: #555; margin: 4px 0; }"
        + " .huli-detail-table { border-collapse: collapse; width: 100%; margin-top: 4px; }"
        + " .huli-detail-table th, .huli-detail-table td { border-bottom: 1px solid #e4e4e4; padding: 2px 4px;"
        + " text-align: left; vertical-align: top; } .huli-detail-table td:first-child { color: #444; width: 42%; }";
    document.head.appendChild(css);
    map.__huliDetail = panel;
    if (window.__huliSelected) { panel.show(window.__huliSelected); } else { empty(); }
    return panel;
}

function huliKeptSelection(options) {  // the parcel selected on this page's map before (a new map: a basemap switch)
    if (!options || !options.key || (window.__huliSelected !== undefined && window.__huliSelected !== null)) { return; }
    try {
        var kept = window.sessionStorage.getItem("huli.selected." + options.key);
        if (kept) { window.__huliSelected = kept; }
    } catch (err) { /* no storage */ }
}
"""
