"""What the map sends to the browser, measured (used by ``python -m analysis bench``)."""

from __future__ import annotations

from typing import Any

from branca.element import Figure

from ui.mapview import parcel_group

__all__ = ["parcel_layer_payload"]


def parcel_layer_payload(parcels: Any, *, theme: str = "land_use") -> tuple[int, list[str]]:
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
