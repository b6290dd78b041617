"""The product's colours: one colour per land use, expiry status, efficiency class and zone, and the
bins of the height-limit theme.

The lowest layer that draws (the briefing's maps, :mod:`analysis.brief`) and the app's maps and
charts (:mod:`ui.map_theme`, :mod:`ui.charts`) colour from here, so a class has one colour wherever
it is drawn.
"""

from __future__ import annotations

import numpy as np

__all__ = ["ZONE_COLOURS", "NODATA_COLOUR", "OUTSIDE_ZONE_COLOUR", "CATEGORY_COLOURS", "HEIGHT_BINS"]

#: Outline colour of each functional zone.
ZONE_COLOURS: dict[str, str] = {"hq": "#1f5fa8", "incubation": "#d9730d", "demonstration": "#2e8b57"}

#: Fill of a parcel without a value.
NODATA_COLOUR = "#c8c8c8"

#: Colour of the land outside the three zones where a chart shows it beside them.
OUTSIDE_ZONE_COLOUR = "#9e9e9e"

#: Colour of every category of the categorical fields, in the categories' fixed order.
CATEGORY_COLOURS: dict[str, dict[str, str]] = {
    "land_use": {
        "industrial": "#8c6bb1",
        "commercial_office": "#e34a33",
        "logistics": "#b07a3b",
        "residential": "#f2c94c",
        "public_service": "#4f81bd",
        "transport": "#7f7f7f",
        "airport": "#5b6f8a",
        "green_open": "#5aae61",
        "other": "#bdbdbd",
    },
    "expiry_status": {
        "expired": "#b2182b",
        "within_5y": "#ef8a62",
        "within_10y": "#fddbc7",
        "beyond_10y": "#67a9cf",
        "unknown": NODATA_COLOUR,
    },
    "efficiency_class": {
        "A": "#1a9850",
        "B": "#a6d96a",
        "C": "#fdae61",
        "D": "#d73027",
        "unrated": NODATA_COLOUR,
    },
}

#: Height-limit theme: upper bin edges in m (inclusive lower, exclusive upper) and their colours.
HEIGHT_BINS: tuple[tuple[float, ...], tuple[str, ...]] = (
    (30.0, 50.0, 80.0, 120.0, np.inf),
    ("#d73027", "#fc8d59", "#fee090", "#91bfdb", "#4575b4"),
)
