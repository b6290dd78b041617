"""The briefing's maps and charts, drawn offline with matplotlib from the same layers as the app
(no tiles) and written as SVG with the text as outlines (every glyph drawn, no font needed).

Plain functions of the gathered content (:class:`analysis.brief.content.BriefContent`); each returns
SVG bytes, the same bytes for the same content (fixed ids, no date).
"""

from __future__ import annotations

import functools
import io
import logging
import textwrap
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import geopandas as gpd
import numpy as np
import pandas as pd
from matplotlib import font_manager, rc_context
from matplotlib.axes import Axes
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from analysis.brief.content import BriefContent
from analysis.brief.fonts import FONT_FAMILY, font_files
from analysis.brief.labels import category, text
from analysis.palette import CATEGORY_COLOURS, HEIGHT_BINS, NODATA_COLOUR, ZONE_COLOURS
from core.settings import get_settings

__all__ = ["district_map", "scenario_map", "timeline_charts"]

log = logging.getLogger(__name__)

#: Colours of the scenario layers (the Airport page's).
_RELEASED = ("#6a3d9a", "#cab2d6")
_ROADS = "#e31a1c"
_PROJECTS = ("#08306b", "#4292c6")
#: One line colour per scenario of a comparison, and the target's grey.
_SCENARIO_LINES = ("#1f5fa8", "#d9730d", "#2e8b57")
_TARGET = "#7f7f7f"
_TIMELINE_KPIS = ("projected_output_yi", "released_airport_land_ha", "floor_area_gain_m2", "test_road_km")


#: Above this many parcels a map's parcels are drawn as an image inside the vector figure (at
#: :data:`RASTER_DPI`): a city's layer would otherwise put every polygon in the PDF (100,000
#: parcels: 8.5 MB).  Boundaries, zones, scenario layers and all text stay vector.
RASTER_ABOVE = 5_000
RASTER_DPI = 220

#: matplotlib's settings are process-wide: one drawing at a time (the app draws from many sessions).
_DRAWING = threading.Lock()


@functools.cache
def _register_fonts() -> None:
    for path in font_files():
        font_manager.fontManager.addfont(str(path))


@contextmanager
def _style() -> Iterator[None]:
    _register_fonts()
    with _DRAWING, rc_context({"font.family": "sans-serif", "font.sans-serif": [FONT_FAMILY], "font.size": 8,
                     "svg.fonttype": "path", "svg.hashsalt": "huli-brief", "axes.unicode_minus": False}):
        yield


def _svg(fig: Figure) -> bytes:
    out = io.BytesIO()
    fig.set_dpi(RASTER_DPI)  # the resolution of any rasterized layer (the vector parts do not depend on it)
    FigureCanvasSVG(fig).print_svg(out, metadata={"Date": None, "Creator": None})
    return out.getvalue()


def _metric(frame: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame | None:
    if frame is None or not len(frame):
        return None
    return frame.to_crs(get_settings().metric_crs)


def _base(ax: Axes, content: BriefContent) -> None:
    """District outline, the zones' outlines and the airport boundary, in the metric CRS."""
    district = _metric(content.inputs.district)
    if district is not None:
        district.boundary.plot(ax=ax, color="#444444", linewidth=0.6)
    zones = _metric(content.request.zones)
    if zones is not None:
        colours = [ZONE_COLOURS.get(str(z), "#555555") for z in zones["zone_id"]]
        zones.boundary.plot(ax=ax, color=colours, linewidth=1.6)
    airport = _metric(content.inputs.airport)
    if airport is not None:
        airport.boundary.plot(ax=ax, color="#333333", linewidth=0.8, linestyle=(0, (2, 3)))
    ax.set_axis_off()
    ax.set_aspect("equal")


def _zoom(fig: Figure, ax: Axes, content: BriefContent, *, pad_m: float) -> None:
    """Fit the map to the zones and the airport (where a scenario acts), ``pad_m`` around them."""
    frames = [f for f in (_metric(content.request.zones), _metric(content.inputs.airport)) if f is not None]
    if not frames:
        return
    bounds = np.array([f.total_bounds for f in frames])
    x0, y0 = bounds[:, 0].min() - pad_m, bounds[:, 1].min() - pad_m
    x1, y1 = bounds[:, 2].max() + pad_m, bounds[:, 3].max() + pad_m
    box = ax.get_position()
    fig_w, fig_h = fig.get_size_inches()
    ratio = (box.height * fig_h) / (box.width * fig_w)  # the axes' height over width
    cx, cy, w, h = (x0 + x1) / 2, (y0 + y1) / 2, x1 - x0, y1 - y0
    w, h = max(w, h / ratio), max(h, w * ratio)  # widen the short side, so nothing is cut
    ax.set_xlim(cx - w / 2, cx + w / 2)
    ax.set_ylim(cy - h / 2, cy + h / 2)
    ax.set_aspect("equal")


def _zone_handles(content: BriefContent, lang: str) -> list[Patch]:
    zones = content.summary.get("zones", {})
    return [Patch(facecolor="none", edgecolor=ZONE_COLOURS.get(z, "#555555"), linewidth=1.6,
                  label=textwrap.fill(str(v["name_en" if lang == "en" else "name_zh"]), 26))
            for z, v in zones.items()]


def district_map(content: BriefContent) -> bytes:
    """The district with the three zones and the parcels themed by land use."""
    lang = content.request.lang
    palette = CATEGORY_COLOURS["land_use"]
    with _style():
        fig = Figure(figsize=(7.0, 6.2))
        ax = fig.add_axes((0.0, 0.0, 0.68, 1.0))
        parcels = _metric(content.frame[["land_use", "geometry"]])
        if parcels is not None:
            fill = parcels["land_use"].astype("string").map(palette).fillna(NODATA_COLOUR)
            parcels.plot(ax=ax, color=fill.tolist(), edgecolor="white", linewidth=0.15,
                         rasterized=len(parcels) > RASTER_ABOVE)
        _base(ax, content)
        present = set(content.frame["land_use"].astype(str))
        uses = [Patch(facecolor=c, edgecolor="none", label=category("land_use", k, lang))
                for k, c in palette.items() if k in present]
        fig.legend(handles=uses, title=text("legend.land_use", lang), loc="upper left", bbox_to_anchor=(0.68, 0.98),
                   frameon=False, alignment="left")
        fig.legend(handles=_zone_handles(content, lang), title=text("legend.zones", lang), loc="lower left",
                   bbox_to_anchor=(0.68, 0.04), frameon=False, alignment="left")
        return _svg(fig)


def _height_bin_labels(lang: str) -> list[str]:
    edges = HEIGHT_BINS[0]
    out, lower = [], 0.0
    for e in edges:
        out.append(f"≥ {lower:g} m" if np.isinf(e) else f"{lower:g}–{e:g} m")
        lower = e
    return out


def scenario_map(content: BriefContent) -> bytes:
    """The first scenario's year: height limits of the parcels, released land, test roads, projects."""
    lang = content.request.lang
    state = content.state
    edges, colours = HEIGHT_BINS
    with _style():
        fig = Figure(figsize=(7.0, 6.2))
        ax = fig.add_axes((0.0, 0.0, 0.68, 1.0))
        parcels = _metric(content.frame[["height_limit_m", "geometry"]])
        handles: list[Patch | Line2D] = []
        if parcels is not None:
            limit = parcels["height_limit_m"].astype("float64").to_numpy()
            idx = np.searchsorted(np.asarray(edges), limit, side="right")
            fill = np.where(np.isnan(limit), NODATA_COLOUR, np.asarray(colours)[np.minimum(idx, len(colours) - 1)])
            parcels.plot(ax=ax, color=list(fill), edgecolor="white", linewidth=0.15,
                         rasterized=len(parcels) > RASTER_ABOVE)
            if state.height_limit_active:
                handles += [Patch(facecolor=c, label=lab) for c, lab in zip(colours, _height_bin_labels(lang),
                                                                            strict=True)]
            handles.append(Patch(facecolor=NODATA_COLOUR, label=text("legend.no_cap", lang)))
        released = _metric(state.released)
        if released is not None:
            released.plot(ax=ax, facecolor=_RELEASED[1], edgecolor=_RELEASED[0], linewidth=1.0, alpha=0.75)
            handles.append(Patch(facecolor=_RELEASED[1], edgecolor=_RELEASED[0], label=text("legend.released", lang)))
        roads = _metric(state.test_roads)
        if roads is not None:
            roads.plot(ax=ax, color=_ROADS, linewidth=1.6, linestyle=(0, (4, 2)))
            handles.append(Line2D([], [], color=_ROADS, linewidth=1.6, linestyle=(0, (4, 2)),
                                  label=text("legend.roads", lang)))
        projects = _metric(state.projects[state.projects.geometry.notna()] if len(state.projects) else None)
        if projects is not None and len(projects):
            projects.plot(ax=ax, color=_PROJECTS[1], edgecolor=_PROJECTS[0], markersize=14, linewidth=0.6)
            handles.append(Line2D([], [], marker="o", linestyle="none", markerfacecolor=_PROJECTS[1],
                                  markeredgecolor=_PROJECTS[0], label=text("legend.projects", lang)))
        handles.append(Line2D([], [], color="#333333", linewidth=0.8, linestyle=(0, (2, 3)),
                              label=text("legend.airport", lang)))
        _base(ax, content)
        _zoom(fig, ax, content, pad_m=1500.0)
        fig.legend(handles=handles, title=text("legend.height", lang), loc="upper left", bbox_to_anchor=(0.68, 0.98),
                   frameon=False, alignment="left")
        fig.legend(handles=_zone_handles(content, lang), title=text("legend.zones", lang), loc="lower left",
                   bbox_to_anchor=(0.68, 0.04), frameon=False, alignment="left")
        return _svg(fig)


def _series(timeline: pd.DataFrame, kpi: str) -> pd.Series:
    rows = timeline[(timeline["kpi"] == kpi) & (timeline["scope"] == "total")]
    values = rows.set_index("year")["value"].astype("float64")
    return values / 1e4 if kpi == "floor_area_gain_m2" else values


def timeline_charts(content: BriefContent) -> bytes:
    """Four KPIs year by year, one line per scenario; the plan's output targets as points."""
    lang = content.request.lang
    names = [a["title_en" if lang == "en" else "title_zh"] for a in content.assumptions]
    with _style():
        fig = Figure(figsize=(7.0, 5.4))
        axes = fig.subplots(2, 2).ravel()
        for ax, kpi in zip(axes, _TIMELINE_KPIS, strict=True):
            for tl, name, colour in zip(content.timelines, names, _SCENARIO_LINES, strict=False):
                s = _series(tl, kpi)
                ax.plot(s.index, s.to_numpy(), color=colour, linewidth=1.4, label=name)
            if kpi == "projected_output_yi":
                first = content.timelines[0]
                t = first[first["kpi"] == "output_target_yi"]
                ax.scatter(t["year"], t["value"], color=_TARGET, marker="D", s=16, zorder=3,
                           label=text("target", lang))
            title = text(f"kpi.{kpi}", lang) + (" (亿元)" if kpi == "projected_output_yi" and lang != "en" else "")
            ax.set_title(title + (" (¥100 M)" if kpi == "projected_output_yi" and lang == "en" else ""), fontsize=8)
            ax.set_xlabel(text("chart.year", lang))
            ax.grid(True, linewidth=0.3, color="#cccccc")
            ax.xaxis.get_major_locator().set_params(integer=True)
            for side in ("top", "right"):
                ax.spines[side].set_visible(False)
        handles, labels = axes[0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="lower center", ncols=min(4, len(labels)), frameon=False)
        fig.subplots_adjust(left=0.08, right=0.98, top=0.94, bottom=0.16, hspace=0.45, wspace=0.25)
        return _svg(fig)
