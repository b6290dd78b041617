"""A large parcel layer as a map group served in vector tiles (:func:`tile_parcel_group`).

The page publishes what the map shows to the app's map service (:mod:`ui.map_service`): the
layer's geometry (cut once per dataset version and basemap, :func:`ui.vector_tiles.layer_geometry`),
the parcels the filters keep, the theme's colours and values, the details.  The page itself
carries the overview grid and a few numbers (:class:`ui.tile_layer.TileParcelLayer`).  Everything
published is keyed by what it depends on, so a rerun of the page with the same choices reuses it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable
from dataclasses import dataclass

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from analysis.efficiency import EfficiencyProfile
from core.gcj02 import geometry_wgs84_to_gcj02
from ui import map_service, overview_grid
from ui.i18n import t
from ui.lod_layer import lod_text
from ui.map_theme import LegendItem, theme_bins, theme_style
from ui.tile_layer import TileParcelLayer
from ui.vector_tiles import EXTENT, TileSource, layer_geometry

__all__ = ["TileRequest", "tile_parcel_group", "display_geometry_of"]

_SAMPLE = 200  # parcels the page names for the test hook's ``sample``


@dataclass(frozen=True)
class TileRequest:
    """What a page tells the map about a large layer it shows.

    ``layer`` is the dataset's whole layer as the details show it (the frame shown is a filtered
    or re-valued part of it, with the same index); ``version`` names its geometry (e.g. the
    dataset id and stamp); ``key`` everything its details depend on besides (e.g. the version,
    the as-of date, the profile); ``person`` whose map it is; ``base_path`` Streamlit's
    ``server.baseUrlPath``.
    """

    layer: gpd.GeoDataFrame
    version: Hashable
    key: Hashable
    person: str
    base_path: str = ""


def display_geometry_of(layer: gpd.GeoDataFrame, *, basemap: str) -> np.ndarray:
    """The layer's geometry as drawn: lon/lat, simplified for display, GCJ-02 on AMap."""
    geoms = np.asarray(layer.to_crs("EPSG:4326").geometry.values, dtype=object)
    geoms = np.asarray(shapely.simplify(geoms, overview_grid.LARGE_SIMPLIFY_M / 111_000.0, preserve_topology=True),
                       dtype=object)
    return np.asarray(geometry_wgs84_to_gcj02(geoms), dtype=object) if basemap == "amap" else geoms


def _digest(*arrays: np.ndarray) -> str:
    h = hashlib.blake2b(digest_size=16)
    for a in arrays:
        h.update(np.ascontiguousarray(a).tobytes())
        h.update(b"|")
    return h.hexdigest()


def tile_parcel_group(
    frame: gpd.GeoDataFrame,
    tiles: TileRequest,
    *,
    theme: str,
    lang: str = "zh",
    basemap: str = "offline",
    selected: str | None = None,
    profile: EfficiencyProfile | None = None,
    detail: dict[str, object] | None = None,
    select: dict[str, object] | None = None,
) -> tuple[folium.FeatureGroup, list[LegendItem]]:
    """``frame`` (rows of ``tiles.layer``) as the grid plus vector tiles; the legend of ``theme``.
    ``select`` (:func:`ui.map_select.select_options`) lets the person select several parcels.

    ``detail``'s labels are used for the detail panel (its URL is the tiles' own: the source
    answers the details of ``tiles.layer``).
    """
    rows = tiles.layer.index.get_indexer(frame.index)
    if (rows < 0).any() or not tiles.layer.index.is_unique:
        raise ValueError("the frame shown must be rows of the tile request's layer (same, unique index)")
    fill, value, legend = theme_style(frame, theme, lang=lang, profile=profile)
    fill_codes, palette = pd.factorize(fill.astype(object))
    value_codes, values = pd.factorize(value.astype(object))
    edges = theme_bins(theme, profile=profile)[0] if theme == "output_per_mu" else None
    geometry_key = ("geometry", tiles.version, basemap)
    content = ("tiles", tiles.key, basemap, theme, lang, edges, tuple(palette), tuple(values),
               _digest(rows, fill_codes, value_codes))

    def make() -> TileSource:
        geometry = layer_geometry(geometry_key, lambda: display_geometry_of(tiles.layer, basemap=basemap))
        source = TileSource(geometry, rows, ids=frame["parcel_id"].astype(str).to_numpy(),
                            fill=fill.to_numpy(dtype=object), value=value.to_numpy(dtype=object),
                            details=tiles.layer, lang=lang)
        cells = overview_grid.aggregate_grid(frame, theme=theme, lang=lang, profile=profile)
        source.grid = overview_grid.encode_grid(cells, gcj02=basemap == "amap")
        return source

    token, source = map_service.share((tiles.person, content), make, content=content)
    url = map_service.url_of(token, base_path=tiles.base_path)
    options: dict[str, object] = {
        "url": url,
        "minZoom": source.min_zoom,
        "extent": EXTENT,
        "pal": [str(p) for p in source.palette],
        "values": [str(v) for v in source.values],
        "count": source.count,
        "extentBox": source.extent(),
        "sample": source.sample(_SAMPLE),
        "label": t(f"theme.{theme}", lang),
        "countText": lod_text("count", lang, n="{n}"),
        "hintZoom": lod_text("hint_zoom", lang, z=source.min_zoom),
        "selected": selected,
        "detail": None if detail is None else {**detail, "url": url},
        "select": select,
    }
    group = folium.FeatureGroup(name=t("map.parcels", lang), control=False)
    TileParcelLayer(options, source.grid, name=t("map.parcels", lang)).add_to(group)
    return group, legend
