"""What the map sends to the browser, measured: the bytes the parcel layer adds to the map page
and, for a layer served in vector tiles, what a tile weighs and takes to cut.

The benchmark's one reach into :mod:`ui`: it measures what the app sends to the browser, so
it builds the parcel layer as the app's pages do, with :func:`ui.mapview.parcel_group` and a
:class:`ui.tile_group.TileRequest` (and with it folium).
"""

from __future__ import annotations

import json
import statistics
import time
from typing import Any

import geopandas as gpd
from branca.element import Figure

from ui import map_service
from ui.mapview import parcel_group
from ui.tile_group import TileRequest
from ui.vector_tiles import TileSource, mercator

__all__ = ["parcel_layer_payload", "tile_figures"]

_TILES = 40  # tiles cut for the tile figures (around parcels spread over the layer)


def parcel_layer_payload(parcels: gpd.GeoDataFrame, *, theme: str = "land_use") -> tuple[int, list[str]]:
    """UTF-8 bytes the parcel layer adds to the map page, and the classes of its layers.

    The group is rendered into an otherwise empty page and the empty page's size subtracted,
    so whatever form the layer takes (compact payload; overview grid and tile options for a large
    layer) is counted with its script.
    """
    group, _legend = parcel_group(parcels, theme=theme, tiles=_request(parcels))
    page = Figure()
    page.add_child(group)
    size = len(page.render().encode("utf-8")) - len(Figure().render().encode("utf-8"))
    return size, sorted({type(child).__name__ for child in group._children.values()})


def _request(parcels: gpd.GeoDataFrame) -> TileRequest:
    return TileRequest(parcels, version=("bench", len(parcels)), key=("bench", len(parcels)), person="bench")


def tile_figures(parcels: gpd.GeoDataFrame, *, theme: str = "land_use") -> dict[str, Any] | None:
    """For a layer served in tiles: ``tile_min_zoom``, and of tiles at that zoom around parcels spread
    over the layer the median JSON bytes (``tile_bytes_median``, before HTTP compression) and
    the median and max milliseconds to cut one (``tile_ms_median``, ``tile_ms_max``, a fresh
    source: no tile cached). None for a layer sent whole in the page."""
    group, _ = parcel_group(parcels, theme=theme, tiles=_request(parcels))
    layer = next(iter(group._children.values()))
    text = getattr(layer, "options_json", "")
    if "/huli-map/" not in text:
        return None
    source = map_service.lookup(text.split("/huli-map/")[1].split("/")[0])
    assert isinstance(source, TileSource)
    z, n = source.min_zoom, 2**source.min_zoom
    boxes = source.geometry.lonlat_box[source.rows[:: max(1, source.count // _TILES)]]
    x, y = mercator(boxes[:, 0], boxes[:, 1])
    sizes, millis = [], []
    for tx, ty in sorted({(int(a * n), int(b * n)) for a, b in zip(x, y, strict=True)}):
        start = time.perf_counter()
        tile = source.tile(z, tx, ty)
        millis.append((time.perf_counter() - start) * 1000.0)
        sizes.append(len(json.dumps(tile, separators=(",", ":")).encode("utf-8")))
    return {"tile_min_zoom": z, "tile_bytes_median": statistics.median(sizes),
            "tile_ms_median": statistics.median(millis), "tile_ms_max": max(millis)}
