"""Build the folium maps of the app, as plain functions testable without Streamlit.

The parcel layer is sent to the browser in a compact columnar form (ids, a value
table, a colour palette and delta-encoded integer coordinates at 1e-6 degree, about
0.1 m) and turned into GeoJSON features by a few lines of JavaScript, so a map of a
thousand parcels weighs about a hundred kilobytes.  Colours are computed in Python and
carried as one ``fill`` property per feature; a tiny style function reads it (no
per-feature style lookup table).  Tooltips and labels are built with ``textContent``,
never ``innerHTML``, so attribute values cannot inject markup; values that end up in
HTML elsewhere (the legend) are escaped with :func:`html.escape`.

The default basemap needs no tile server: the district outline, the surrounding land
and the functional zones are drawn as vectors on a light background.  OpenStreetMap,
Tianditu (天地图, only with a token) and AMap/Gaode (高德, GCJ-02: every layer is shifted
to GCJ-02 for display on that basemap only) are optional.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from typing import cast

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Element, Figure
from folium.map import Layer

from analysis.efficiency import EfficiencyProfile
from core.gcj02 import wgs84_to_gcj02
from core.settings import get_settings
from geodata.region import view_bounds
from ui import assets, overview_grid
from ui.i18n import category_label, t
from ui.map_layers import (
    ParcelLayer,
    TileFallback,
    VectorLayer,
    display_geometry,
    encode_parcels,
    feature_collection,
)
from ui.map_theme import (
    THEMES,
    ZONE_COLOURS,
    LegendItem,
    legend_html,
    theme_bins,
    theme_style,
    to_json_script,
)
from ui.map_view_js import attach_view, view_options
from ui.tile_group import TileRequest, tile_parcel_group

__all__ = [
    "THEMES",
    "BASEMAPS",
    "ZONE_COLOURS",
    "LegendItem",
    "theme_bins",
    "available_basemaps",
    "theme_style",
    "encode_parcels",
    "ParcelLayer",
    "VectorLayer",
    "feature_collection",
    "zone_label_points",
    "build_base_map",
    "parcel_group",
    "build_map",
    "legend_html",
    "to_json_script",
]

logger = logging.getLogger(__name__)

#: Basemaps, offline default first.
BASEMAPS: tuple[str, ...] = ("offline", "osm", "tianditu", "amap")

_DISTRICT_CENTRE = (118.12, 24.51)  # lon, lat
_BACKGROUND = "#eaf1f6"  # sea / outside, light
_LAND = "#fbfaf5"


def available_basemaps(*, tianditu_token: str | None = None) -> tuple[str, ...]:
    """Basemaps the user may choose (Tianditu only when a token is configured)."""
    token = get_settings().tianditu_token if tianditu_token is None else tianditu_token
    return tuple(b for b in BASEMAPS if b != "tianditu" or token)


_LABELS: dict[str, gpd.GeoDataFrame] = {}


def _zone_labels(zones: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """:func:`zone_label_points` of ``zones``, kept for the same outlines (a pole of
    inaccessibility of a district-sized zone takes a while; every map of every visit draws it)."""
    h = hashlib.blake2b(digest_size=16)
    h.update(repr(zones.crs).encode())
    h.update("|".join(zones["zone_id"].astype(str)).encode() if "zone_id" in zones.columns else b"-")
    for wkb in shapely.to_wkb(np.asarray(zones.geometry.values, dtype=object)):
        h.update(wkb or b"")
    key = h.hexdigest()
    found = _LABELS.get(key)
    if found is None:
        found = zone_label_points(zones)
        if len(_LABELS) > 16:
            _LABELS.clear()
        _LABELS[key] = found
    return found.copy()


def zone_label_points(zones: gpd.GeoDataFrame, *, near_m: tuple[float, float] = (6000.0, 1500.0)) -> gpd.GeoDataFrame:
    """One label anchor per zone: a representative point of the zone's largest part.

    The point is the pole of inaccessibility of the largest polygon (the point inside it
    farthest from its edge), so a zone in several parts gets one label, inside a part,
    never between the parts.  ``direction`` says where the label sits relative to its
    anchor: of two anchors on about the same row (closer than ``near_m`` = (dx, dy)
    metres), the western label goes left and the eastern one right, so they do not
    overlap at district zoom; every other label is centred.

    Returns
    -------
    GeoDataFrame
        ``zone_id``, ``direction`` ("center", "left", "right"), point geometry, EPSG:4326,
        in the order the zones first appear.
    """
    from shapely.ops import polylabel

    empty = gpd.GeoDataFrame({"zone_id": pd.Series([], dtype="str"), "direction": pd.Series([], dtype="str")},
                             geometry=[], crs="EPSG:4326")
    if zones is None or len(zones) == 0 or "zone_id" not in zones.columns:
        return empty
    metric = zones.to_crs(get_settings().metric_crs)
    ids, points = [], []
    for zone_id, rows in metric.groupby(metric["zone_id"].astype(str), sort=False):
        parts = shapely.get_parts(np.asarray(rows.geometry.values, dtype=object))
        parts = parts[shapely.get_type_id(parts) == 3]  # polygons
        if len(parts) == 0:
            continue
        largest = parts[int(np.argmax(shapely.area(parts)))]
        tolerance = max(1.0, float(np.sqrt(largest.area)) / 200.0)
        ids.append(zone_id)
        points.append(polylabel(largest, tolerance))
    if not ids:
        return empty
    xy = shapely.get_coordinates(np.asarray(points, dtype=object))
    direction = ["center"] * len(ids)
    for i in range(len(ids)):
        for j in range(i + 1, len(ids)):
            dx, dy = xy[j, 0] - xy[i, 0], xy[j, 1] - xy[i, 1]
            if abs(dx) < near_m[0] and abs(dy) < near_m[1]:
                west, east = (i, j) if dx > 0 else (j, i)
                direction[west], direction[east] = "left", "right"
    out = gpd.GeoDataFrame({"zone_id": ids, "direction": direction}, geometry=points, crs=metric.crs)
    return out.to_crs("EPSG:4326")


def _tile_layer(basemap: str, *, lang: str, tianditu_token: str) -> list[folium.TileLayer]:
    if basemap == "osm":
        return [folium.TileLayer("OpenStreetMap", name=t("basemap.osm", lang), control=False)]
    if basemap == "tianditu":
        if not tianditu_token:
            return []
        tpl = "https://t{s}.tianditu.gov.cn/DataServer?T=%s&x={x}&y={y}&l={z}&tk=" + tianditu_token
        attr = "&copy; 天地图 Tianditu"
        return [
            folium.TileLayer(tpl % "vec_w", attr=attr, name=t("basemap.tianditu", lang), subdomains="01234567",
                             max_zoom=18, control=False),
            folium.TileLayer(tpl % "cva_w", attr=attr, name="注记", subdomains="01234567", max_zoom=18,
                             overlay=True, control=False),
        ]
    if basemap == "amap":
        return [
            folium.TileLayer(
                "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
                attr="&copy; 高德地图 AMap",
                name=t("basemap.amap", lang),
                subdomains="1234",
                max_zoom=18,
                control=False,
            )
        ]
    return []


def _bounds(frames: Sequence[gpd.GeoDataFrame | None]) -> list[list[float]] | None:
    boxes = [f.to_crs("EPSG:4326").total_bounds for f in frames if f is not None and len(f)]
    if not boxes:
        return None
    b = np.vstack(boxes)
    return [[float(b[:, 1].min()), float(b[:, 0].min())], [float(b[:, 3].max()), float(b[:, 2].max())]]


def _fit_extent(frame: gpd.GeoDataFrame, *, gcj: bool, strays_only: bool = False) -> tuple[float, float, float, float] | None:
    """The extent a map of ``frame`` fits to, as drawn (:func:`geodata.region.view_bounds`);
    ``strays_only``: None when that is the layer's own (no parcel far away left out)."""
    geoms = np.asarray(frame.to_crs("EPSG:4326").geometry.array, dtype=object)
    box = view_bounds(geoms)
    if box is None or (strays_only and np.allclose(box, shapely.total_bounds(geoms), rtol=0, atol=1e-9)):
        return None
    if not gcj:
        return box
    lon, lat = wgs84_to_gcj02([box[0], box[2]], [box[1], box[3]])
    return float(lon[0]), float(lat[0]), float(lon[1]), float(lat[1])


def build_base_map(
    *,
    lang: str = "zh",
    basemap: str = "offline",
    zones: gpd.GeoDataFrame | None = None,
    district: gpd.GeoDataFrame | None = None,
    context: gpd.GeoDataFrame | None = None,
    fit: gpd.GeoDataFrame | None = None,
    tianditu_token: str | None = None,
    base_path: str = "",
) -> folium.Map:
    """The map frame: background or tiles, context, district outline and zones.

    The result is already localized (:func:`ui.assets.localize`).  Add parcel
    layers to it (or pass them to streamlit-folium's ``feature_group_to_add``) and
    finish with :class:`folium.LayerControl`.
    """
    if basemap not in BASEMAPS:
        raise ValueError(f"basemap must be one of {BASEMAPS}, got {basemap!r}")
    token = get_settings().tianditu_token if tianditu_token is None else tianditu_token
    gcj = basemap == "amap"
    fmap = folium.Map(
        location=[_DISTRICT_CENTRE[1], _DISTRICT_CENTRE[0]],
        zoom_start=13,
        tiles=None,
        prefer_canvas=True,
        control_scale=True,
        max_zoom=19,
    )
    tiles = _tile_layer(basemap, lang=lang, tianditu_token=token)
    for tile in tiles:
        tile.add_to(fmap)
    if tiles:  # online: without a network, say so and show the offline background
        TileFallback(text=f"{t('basemap.failed', 'zh')} / {t('basemap.failed', 'en')}",
                     background=_BACKGROUND).add_to(fmap)
    root = cast(Figure, fmap.get_root())  # a folium map's root is the page Figure
    if basemap == "offline":
        root.header.add_child(
            Element(f"<style>.leaflet-container {{ background: {_BACKGROUND}; }}</style>"), name="huli_background"
        )
    root.header.add_child(
        Element(
            "<style>.huli-label { background: rgba(255,255,255,0.8); border: none; box-shadow: none;"
            " font-weight: 600; color: #333; font-size: 12px; }"
            " .huli-label::before { display: none; }</style>"
        ),
        name="huli_label_css",
    )
    if context is not None and len(context) and basemap == "offline":
        VectorLayer(
            feature_collection(context, gcj02=gcj, simplify_m=15.0),
            name=t("map.context", lang),
            style={"color": "#b9b4a6", "weight": 0.8, "fillColor": _LAND, "fillOpacity": 1.0},
            control=False,
        ).add_to(fmap)
    if district is not None and len(district):
        VectorLayer(
            feature_collection(district, gcj02=gcj, simplify_m=3.0),
            name=t("map.district", lang),
            style={"color": "#555555", "weight": 2, "dashArray": "6 4",
                   "fillColor": "#ffffff", "fillOpacity": 0.55 if basemap == "offline" else 0.0},
        ).add_to(fmap)
    if zones is not None and len(zones):
        ids = zones["zone_id"].astype(str).tolist() if "zone_id" in zones.columns else [""] * len(zones)
        name_col = "name_en" if lang == "en" else "name_zh"
        names = (
            zones[name_col].astype(str).tolist()
            if name_col in zones.columns
            else [category_label("zone_id", z, lang) for z in ids]
        )
        outlines = feature_collection(
            zones,
            {"stroke": [ZONE_COLOURS.get(z, "#333333") for z in ids], "fill": [ZONE_COLOURS.get(z, "#333333") for z in ids]},
            gcj02=gcj,
        )
        anchors = _zone_labels(zones)
        label_of = dict(zip(ids, names, strict=True))
        labels = feature_collection(
            anchors,
            {"label": [label_of.get(z, "") for z in anchors["zone_id"]], "anchor": anchors["direction"].tolist()},
            gcj02=gcj,
        )
        VectorLayer(
            {"type": "FeatureCollection",
             "features": [*cast(list[object], outlines["features"]), *cast(list[object], labels["features"])]},
            name=t("map.zones", lang),
            style={"weight": 3, "fillOpacity": 0.08, "opacity": 0.95},
            label_property="label",
        ).add_to(fmap)
    # open on the data (a small upload fills the map, not the whole district; strays far away
    # left out), else on the district
    box = _fit_extent(fit, gcj=gcj) if fit is not None and len(fit) else None
    bounds = [[box[1], box[0]], [box[3], box[2]]] if box is not None else _bounds([district, zones])
    if bounds is not None:
        if gcj and box is None:
            lon, lat = wgs84_to_gcj02([bounds[0][1], bounds[1][1]], [bounds[0][0], bounds[1][0]])
            bounds = [[float(lat[0]), float(lon[0])], [float(lat[1]), float(lon[1])]]
        fmap.fit_bounds(bounds, padding=(12, 12), max_zoom=18)
    assets.localize(fmap, base_path=base_path)
    return fmap


def parcel_group(
    frame: gpd.GeoDataFrame,
    *,
    theme: str,
    lang: str = "zh",
    basemap: str = "offline",
    selected: str | None = None,
    large_threshold: int | None = None,
    profile: EfficiencyProfile | None = None,
    detail: dict[str, object] | None = None,
    view_key: str | None = None,
    search: str = "",
    tiles: TileRequest | None = None,
    select: dict[str, object] | None = None,
) -> tuple[folium.FeatureGroup, list[LegendItem]]:
    """The parcel layer as one feature group, ``selected`` outlined.

    ``profile`` is the efficiency profile in use: the ``output_per_mu`` bins follow it
    (:func:`ui.map_theme.theme_bins`).  ``detail`` (``{url, labels}``, see :mod:`ui.detail`)
    puts the detail panel in the map: a click shows the parcel's details without a rerun.

    In the browser a click outlines the clicked parcel at once and remembers it in the
    map's frame (the page then need not resend the layer); ``selected`` only sets the
    outline of a freshly loaded map.  Above ``large_threshold`` parcels (default: the setting
    ``HULI_LARGE_LAYER_PARCELS``, 20,000) the layer is a grid overview at low
    zoom and only the parcels in view at high zoom (:func:`ui.overview_grid.large_parcel_group`).

    ``tiles`` (:class:`ui.tile_group.TileRequest`) lets a large layer be served in vector tiles
    by the app's map service (only the grid in the page, :mod:`ui.tile_group`); without it a
    large layer is sent whole (:func:`ui.overview_grid.large_parcel_group`).

    ``view_key`` (:func:`ui.frame.view_key`) makes the browser fit the map to the layer, again
    when the layer changes unless the person has moved the map since, and keep the view through
    a basemap switch; ``search`` is the search text in force (a new one always fits to its hits),
    see :mod:`ui.map_view_js`.  Without ``view_key`` the layer leaves the view alone.

    ``select`` (:func:`ui.map_select.select_options`) lets the person select several parcels by
    clicks and drawn shapes, on a layer in the page or served in tiles (a layer sent whole above the
    threshold, outside the app, ignores it).

    Returns
    -------
    group : folium.FeatureGroup
        Ready for ``build_base_map(...).add_child`` or streamlit-folium's
        ``feature_group_to_add``.
    legend : list of LegendItem
        Legend of ``theme``.
    """
    gcj = basemap == "amap"
    if detail is not None and view_key is not None:  # the selection is kept with the view (a basemap switch)
        detail = {**detail, "key": view_key}
    view = None if view_key is None else view_options(
        key=view_key, label=t("map.zoom_selection", lang), search=search,
        shift=_display_shift(frame) if gcj else (0.0, 0.0),
        extent=_fit_extent(frame, gcj=gcj, strays_only=True))
    if overview_grid.is_large(len(frame), threshold=large_threshold):
        if tiles is not None:  # served in vector tiles by the app (the app's pages)
            group, legend = tile_parcel_group(frame, tiles, theme=theme, lang=lang, basemap=basemap,
                                              selected=selected, profile=profile, detail=detail, select=select)
        else:  # everything in the page (a map built outside the app)
            group, legend = overview_grid.large_parcel_group(frame, theme=theme, lang=lang, basemap=basemap,
                                                             selected=selected, profile=profile, detail=detail)
        attach_view(group, view)
        return group, legend
    group = folium.FeatureGroup(name=t("map.parcels", lang), control=False)
    fill, value, legend = theme_style(frame, theme, lang=lang, profile=profile)
    if len(frame):
        geoms = display_geometry(np.asarray(frame.to_crs("EPSG:4326").geometry.values, dtype=object), gcj02=gcj)
        ok = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
        payload = encode_parcels(
            geoms[ok],
            frame["parcel_id"].astype(str).to_numpy()[ok],
            fill.to_numpy()[ok],
            value.to_numpy()[ok],
        )
    else:
        payload = encode_parcels(np.array([], dtype=object), [], [], [])
    ParcelLayer(
        payload, label=t(f"theme.{theme}", lang), name=t("map.parcels", lang),
        selected=None if selected is None else str(selected), detail=detail, view=view, select=select,
    ).add_to(group)
    return group, legend


def _display_shift(frame: gpd.GeoDataFrame) -> tuple[float, float]:
    """How far (degrees lon, lat) GCJ-02 moves the middle of ``frame`` (the district's when empty)."""
    if len(frame):
        x0, y0, x1, y1 = frame.to_crs("EPSG:4326").total_bounds
        lon, lat = (x0 + x1) / 2.0, (y0 + y1) / 2.0
    else:
        lon, lat = _DISTRICT_CENTRE
    glon, glat = wgs84_to_gcj02([lon], [lat])
    return float(glon[0] - lon), float(glat[0] - lat)


def build_map(
    frame: gpd.GeoDataFrame,
    *,
    theme: str = "land_use",
    lang: str = "zh",
    basemap: str = "offline",
    zones: gpd.GeoDataFrame | None = None,
    district: gpd.GeoDataFrame | None = None,
    context: gpd.GeoDataFrame | None = None,
    selected: str | None = None,
    overlays: Sequence[Layer] = (),
    tianditu_token: str | None = None,
    base_path: str = "",
    view_key: str | None = None,
    detail: dict[str, object] | None = None,
    tiles: TileRequest | None = None,
) -> folium.Map:
    """One complete, offline-safe map of parcels over the zones.

    Parameters
    ----------
    frame
        Parcel frame (EPSG:4326, with ``parcel_id``; theme columns optional).
    theme
        One of :data:`THEMES`.
    lang
        ``"zh"`` or ``"en"``.
    basemap
        One of :data:`BASEMAPS`; ``"amap"`` shifts every layer to GCJ-02.
    zones, district, context
        Reference layers drawn under the parcels.
    selected
        Parcel id to highlight.
    overlays
        Extra layers (e.g. a height raster) added above the parcels.
    tianditu_token
        Overrides the configured Tianditu token.
    base_path
        Streamlit's ``server.baseUrlPath`` for the local asset links.
    view_key
        Whose view the map is (:func:`ui.frame.view_key`): kept through a basemap switch; see
        :func:`parcel_group`.
    detail, tiles
        The detail panel and, for a large layer, its vector tiles (see :func:`parcel_group`).
    """
    fmap = build_base_map(
        lang=lang, basemap=basemap, zones=zones, district=district, context=context, fit=frame,
        tianditu_token=tianditu_token, base_path=base_path,
    )
    group, _ = parcel_group(frame, theme=theme, lang=lang, basemap=basemap, selected=selected, view_key=view_key,
                            detail=detail, tiles=tiles)
    group.add_to(fmap)
    for layer in overlays:
        layer.add_to(fmap)
    folium.LayerControl(collapsed=True).add_to(fmap)
    assets.localize(fmap, base_path=base_path)
    return fmap
