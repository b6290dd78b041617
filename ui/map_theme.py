"""Map themes: the palettes of land use, expiry status, efficiency class and zones, the bins of the
numeric themes, each parcel's fill colour and value, legends (escaped HTML) and script-safe JSON.

The maps (:mod:`ui.mapview`, :mod:`ui.overview_grid`) and the raster overlay (:mod:`ui.rasterview`)
colour from here, so a class has one colour wherever it is drawn.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import orjson
import pandas as pd

from analysis.efficiency import EfficiencyProfile, load_profile
from analysis.palette import CATEGORY_COLOURS, HEIGHT_BINS, NODATA_COLOUR, OUTSIDE_ZONE_COLOUR, ZONE_COLOURS
from ui.i18n import category_label, t

__all__ = ["THEMES", "ZONE_COLOURS", "LegendItem", "category_colours", "theme_bins", "output_per_mu_edges",
           "theme_style", "legend_html", "to_json_script"]

#: Thematic colourings of the parcel layer.
THEMES: tuple[str, ...] = ("land_use", "expiry_status", "efficiency_class", "output_per_mu", "height_limit_m")

# The colours themselves live in :mod:`analysis.palette` (the one source, also for the briefing).
_NODATA = NODATA_COLOUR

_CATEGORY_COLOURS: dict[str, dict[str, str]] = CATEGORY_COLOURS

#: Colour of the land outside the three zones where a chart shows it beside them.
_OUTSIDE_ZONE = OUTSIDE_ZONE_COLOUR


def category_colours(field: str) -> dict[str, str]:
    """Colour of every category of ``field``, in the fixed order of the categories.

    The one source of category colours: the map themes (``land_use``, ``expiry_status``,
    ``efficiency_class``) and the zone outlines (``zone_id``, with ``""`` for the land outside the
    zones) colour from here, and so do the pages' charts (:mod:`ui.charts`).

    Raises
    ------
    ValueError
        ``field`` has no palette.
    """
    if field == "zone_id":
        return {**ZONE_COLOURS, "": _OUTSIDE_ZONE}
    if field == "planned_use":
        field = "land_use"
    if field not in _CATEGORY_COLOURS:
        raise ValueError(f"no palette for {field!r}; fields with one: zone_id, planned_use, {', '.join(_CATEGORY_COLOURS)}")
    return dict(_CATEGORY_COLOURS[field])


# Numeric themes: upper bin edges (inclusive lower, exclusive upper) and colours.
_NUMERIC_BINS: dict[str, tuple[tuple[float, ...], tuple[str, ...], str]] = {
    "output_per_mu": (
        (100.0, 300.0, 600.0, 1000.0, np.inf),
        ("#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15"),
        "万元/亩",
    ),
    "height_limit_m": (*HEIGHT_BINS, "m"),
}


@dataclass(frozen=True)
class LegendItem:
    """One entry of a map legend."""

    colour: str
    label: str


def theme_bins(theme: str, *, profile: EfficiencyProfile | None = None) -> tuple[tuple[float, ...], tuple[str, ...], str]:
    """Upper bin edges, colours and unit of a numeric theme (``output_per_mu``, ``height_limit_m``).

    The ``output_per_mu`` bins follow the efficiency profile in use (default: the shipped one):
    a third of the low-efficiency threshold, the threshold, the benchmark and 5/3 of the
    benchmark (the shipped 300 and 600 万元/亩 give 100, 300, 600, 1,000), so a planner who edits
    the profile sees the legend move with it.
    """
    edges, colours, unit = _NUMERIC_BINS[theme]
    if theme == "output_per_mu":
        edges = output_per_mu_edges(profile or _default_profile())
    return edges, colours, unit


def output_per_mu_edges(profile: EfficiencyProfile) -> tuple[float, ...]:
    """Upper bin edges of the ``output_per_mu`` theme for ``profile`` (万元/亩)."""
    benchmark = next((i.benchmark for i in profile.indicators if i.name == "output_per_mu"), None)
    low = profile.low_output_per_mu
    if benchmark is None or low is None or not 0 < low < benchmark:
        return _NUMERIC_BINS["output_per_mu"][0]
    return (low / 3.0, low, benchmark, benchmark * 5.0 / 3.0, np.inf)


@lru_cache(maxsize=1)
def _default_profile() -> EfficiencyProfile:
    return load_profile()


def _fmt_number(value: float) -> str:
    if not np.isfinite(value):
        return "∞"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.1f}"


def theme_style(
    frame: pd.DataFrame, theme: str, *, lang: str = "zh", profile: EfficiencyProfile | None = None
) -> tuple[pd.Series, pd.Series, list[LegendItem]]:
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
    edges, colours, unit = theme_bins(theme, profile=profile)
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
