"""What the map sends to the browser, measured: the bytes the parcel layer adds to the map page.

The benchmark's one reach into :mod:`ui`: it measures what the app sends to the browser, so
it builds the parcel layer with :func:`ui.mapview.parcel_group` (and with it folium).
"""

from __future__ import annotations

import geopandas as gpd
from branca.element import Figure

from ui.mapview import parcel_group

__all__ = ["parcel_layer_payload"]


def parcel_layer_payload(parcels: gpd.GeoDataFrame, *, theme: str = "land_use") -> tuple[int, list[str]]:
    """UTF-8 bytes the parcel layer adds to the map page, and the classes of its layers.

    The group :func:`ui.mapview.parcel_group` builds is rendered into an otherwise empty page
    and the empty page's size subtracted, so whatever form the layer takes (compact payload,
    overview grid for large layers) is counted with its script.
    """
    group, _legend = parcel_group(parcels, theme=theme)
    page = Figure()
    page.add_child(group)
    size = len(page.render().encode("utf-8")) - len(Figure().render().encode("utf-8"))
    return size, sorted({type(child).__name__ for child in group._children.values()})
