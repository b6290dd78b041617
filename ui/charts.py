"""The pages' charts (Vega-Lite through altair), coloured like the map and labelled in the UI language.

A category (land use, expiry status, efficiency class, functional zone) has one colour wherever it
is drawn: the colour scale of every chart is built by :func:`category_scale` from
:func:`ui.map_theme.category_colours`, with the categories' labels in the UI language as the domain
in the categories' fixed order, so neither the language nor the order of the data moves a colour.
Plain functions that return charts; the pages hand them to ``st.altair_chart``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

import altair as alt
import pandas as pd

from analysis.targets import UPGRADE_TARGETS
from ui.i18n import category_label, t
from ui.map_theme import category_colours

__all__ = ["LABEL_LIMIT", "category_scale", "category_title", "category_bars", "series_lines", "per_mu_scatter"]

#: Widest axis or legend label in pixels before it is cut (Vega-Lite's default of 180 cut
#: "C · regulate and assist" and the zones' English names).
LABEL_LIMIT = 360

#: Colour of the target reference lines (not a category colour).
_TARGET_COLOUR = "#b2182b"

_TITLES = {"land_use": "theme.land_use", "planned_use": "theme.land_use", "expiry_status": "theme.expiry_status",
           "efficiency_class": "theme.efficiency_class", "zone_id": "filter.zone"}


def category_scale(field: str, lang: str) -> alt.Scale:
    """The colour scale of ``field``: labels in ``lang`` (fixed category order) → the map's colours."""
    palette = category_colours(field)
    return alt.Scale(domain=[category_label(field, code, lang) for code in palette], range=list(palette.values()))


def category_title(field: str, lang: str) -> str:
    """Title of the legend (or axis) of ``field`` in ``lang``."""
    return t(_TITLES[field], lang)


def category_bars(
    data: pd.DataFrame,
    *,
    colour: str,
    value: str,
    lang: str,
    value_title: str,
    along: str | None = None,
    along_title: str | None = None,
    horizontal: bool = False,
) -> alt.Chart:
    """Bars of ``value`` coloured by the categories of the column ``colour`` (stacked when ``along`` is given).

    Parameters
    ----------
    data
        Long table: a column ``colour`` of category codes (``land_use``, ``efficiency_class`` ...),
        a numeric column ``value`` and, when ``along`` is given, the column of the bars' positions
        (display text such as years or zone labels, kept in the order it first appears).
    colour
        The categorical field the bars are coloured by; without ``along`` each category is a bar.
    value
        The numeric column (the bars' length).
    lang
        Label language.
    value_title
        Title of the value axis, with its unit.
    along, along_title
        The column and title of the bars' positions; ``None``: the categories themselves.
    horizontal
        Bars along the x axis (long labels read better on the y axis).
    """
    palette = category_colours(colour)
    order = {code: i for i, code in enumerate(palette)}
    codes = data[colour].astype("string").fillna("unrated" if colour == "efficiency_class" else "")
    frame = pd.DataFrame({
        "category": [category_label(colour, c, lang) for c in codes],
        "rank": [order.get(str(c), len(order)) for c in codes],
        "value": pd.to_numeric(data[value], errors="coerce").to_numpy(),
    })
    title = category_title(colour, lang)
    if along is None:
        frame["along"] = frame["category"]
        along_title = title
        positions = [category_label(colour, c, lang) for c in palette if c in set(codes)]
    else:
        frame["along"] = data[along].astype(str).to_numpy()
        positions = list(dict.fromkeys(frame["along"]))
    value_axis = alt.Axis(labelLimit=LABEL_LIMIT)
    along_axis = alt.Axis(labelLimit=LABEL_LIMIT, labelAngle=0 if horizontal or along is None else -45)
    value_enc = alt.X("value:Q", title=value_title, axis=value_axis) if horizontal else \
        alt.Y("value:Q", title=value_title, axis=value_axis)
    along_enc = (alt.Y if horizontal else alt.X)("along:N", title=along_title or "", sort=positions, axis=along_axis)
    return alt.Chart(frame).mark_bar().encode(
        value_enc,
        along_enc,
        color=alt.Color("category:N", scale=category_scale(colour, lang),
                        legend=alt.Legend(title=title, labelLimit=LABEL_LIMIT, orient="bottom", columns=2)),
        order=alt.Order("rank:Q"),
        tooltip=[alt.Tooltip("along:N", title=along_title or title), alt.Tooltip("category:N", title=title),
                 alt.Tooltip("value:Q", title=value_title, format=",.1f")],
    )


def series_lines(data: pd.DataFrame, colours: Mapping[str, str], *, x_title: str, y_title: str,
                 series_title: str) -> alt.Chart:
    """Lines of the columns of a wide table (index along x), each in its fixed colour.

    ``colours`` maps every column (its label in the UI language) to its colour, in legend order,
    so a line keeps its colour whatever the language sorts first.  The y axis spans the values, not
    from zero: scenarios a few edits apart differ by a fraction of a district's total.
    """
    long = data.rename_axis("x").reset_index().melt("x", var_name="series", value_name="value").dropna()
    long["x"] = long["x"].astype(str)
    return alt.Chart(long).mark_line(point=True).encode(
        alt.X("x:O", title=x_title, axis=alt.Axis(labelAngle=0)),
        alt.Y("value:Q", title=y_title, axis=alt.Axis(labelLimit=LABEL_LIMIT), scale=alt.Scale(zero=False)),
        color=alt.Color("series:N", scale=alt.Scale(domain=list(colours), range=list(colours.values())),
                        legend=alt.Legend(title=None, orient="bottom", labelLimit=LABEL_LIMIT)),
        tooltip=[alt.Tooltip("x:O", title=x_title), alt.Tooltip("series:N", title=series_title),
                 alt.Tooltip("value:Q", title=y_title, format=",.2f")],
    )


def per_mu_scatter(frame: pd.DataFrame, *, lang: str, x_title: str, y_title: str) -> alt.LayerChart:
    """Output per mu (x) against tax per mu (y) of the rated parcels, coloured by class, with the
    提容增效 targets (:data:`analysis.targets.UPGRADE_TARGETS`) as dashed reference lines.

    Parameters
    ----------
    frame
        Parcels with ``output_per_mu``, ``tax_per_mu``, ``efficiency_class`` and ``parcel_id``.
    lang
        Label language.
    x_title, y_title
        Axis titles with their units.
    """
    rated = frame[frame["efficiency_class"].astype("string").fillna("unrated") != "unrated"]
    data = pd.DataFrame({
        "x": pd.to_numeric(rated["output_per_mu"], errors="coerce").to_numpy(),
        "y": pd.to_numeric(rated["tax_per_mu"], errors="coerce").to_numpy(),
        "category": [category_label("efficiency_class", c, lang) for c in rated["efficiency_class"].astype(str)],
        "id": rated["parcel_id"].astype(str).to_numpy(),
    }).dropna(subset=["x", "y"])
    title = category_title("efficiency_class", lang)
    points = alt.Chart(data).mark_circle(size=28, opacity=0.75).encode(
        alt.X("x:Q", title=x_title, axis=alt.Axis(labelLimit=LABEL_LIMIT)),
        alt.Y("y:Q", title=y_title, axis=alt.Axis(labelLimit=LABEL_LIMIT)),
        color=alt.Color("category:N", scale=category_scale("efficiency_class", lang),
                        legend=alt.Legend(title=title, orient="bottom", columns=2, labelLimit=LABEL_LIMIT)),
        tooltip=[alt.Tooltip("id:N", title="ID"), alt.Tooltip("category:N", title=title),
                 alt.Tooltip("x:Q", title=x_title, format=",.1f"), alt.Tooltip("y:Q", title=y_title, format=",.1f")],
    )
    targets = {target.indicator: target for target in UPGRADE_TARGETS}
    label = {k: (v.en if lang == "en" else v.zh) for k, v in targets.items()}
    vertical = alt.Chart(pd.DataFrame({"x": [targets["output_per_mu"].value], "label": [label["output_per_mu"]]}))
    horizontal = alt.Chart(pd.DataFrame({"y": [targets["tax_per_mu"].value], "label": [label["tax_per_mu"]]}))
    def rule(chart: alt.Chart) -> alt.Chart:
        return chart.mark_rule(strokeDash=[6, 4], color=_TARGET_COLOUR, strokeWidth=1.5)

    layered = alt.layer(
        points,
        rule(vertical).encode(x="x:Q", tooltip=alt.Tooltip("label:N", title=t("eff.target", lang))),
        vertical.mark_text(align="left", dx=4, dy=-6, color=_TARGET_COLOUR, baseline="bottom").encode(
            x="x:Q", y=alt.value(0), text="label:N"),
        rule(horizontal).encode(y="y:Q", tooltip=alt.Tooltip("label:N", title=t("eff.target", lang))),
        horizontal.mark_text(align="right", dy=-4, color=_TARGET_COLOUR, x="width").encode(y="y:Q", text="label:N"),
    )
    return cast(alt.LayerChart, layered)  # alt.layer of plain charts is a LayerChart
