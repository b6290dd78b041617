"""Rasters on the map: a permitted-height grid as a coloured, transparent PNG overlay.

The grid (in the metric CRS) is warped to Web Mercator, the map's own projection, so
Leaflet's ``ImageOverlay`` — which stretches an image between two lat/lon corners in
the map's projection — places every cell where it belongs.  Colours are the bins of
the parcel theme ``height_limit_m`` so one legend serves both.  The PNG goes into the
page as a ``data:`` URL: nothing is fetched.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from folium.utilities import image_to_url
from pyproj import Transformer
from rasterio.transform import Affine
from rasterio.warp import Resampling, reproject

from core.gcj02 import wgs84_to_gcj02
from core.raster import Raster
from ui.map_theme import theme_bins

__all__ = ["colourise", "height_overlay", "png_data_url"]

_MERCATOR = "EPSG:3857"


def colourise(array: npt.NDArray[np.floating], *, alpha: int = 120) -> npt.NDArray[np.uint8]:
    """RGBA image of a height grid in the ``height_limit_m`` theme colours (NaN transparent)."""
    edges, colours, _ = theme_bins("height_limit_m")
    rgb = np.array([[int(c[i:i + 2], 16) for i in (1, 3, 5)] for c in colours], dtype=np.uint8)
    finite = np.isfinite(array)
    idx = np.clip(np.searchsorted(np.asarray(edges), np.where(finite, array, 0.0), side="right"), 0, len(colours) - 1)
    out = np.zeros((*array.shape, 4), dtype=np.uint8)
    out[..., :3] = rgb[idx]
    out[..., 3] = np.where(finite, alpha, 0).astype(np.uint8)
    return out


def png_data_url(rgba: npt.NDArray[np.uint8]) -> str:
    """A PNG ``data:`` URL of an RGBA image."""
    return str(image_to_url(rgba, origin="upper"))


def height_overlay(
    raster: Raster,
    *,
    max_pixels: int = 600,
    gcj02: bool = False,
) -> tuple[str, list[list[float]]]:
    """A height grid as a PNG data URL and its ``[[south, west], [north, east]]`` bounds.

    Parameters
    ----------
    raster
        The grid (NaN = no cap) with its transform and CRS.
    max_pixels
        Longest side of the image (the grid is resampled, nearest neighbour).
    gcj02
        Shift the corners to GCJ-02 (display over AMap tiles).
    """
    array, transform, crs = raster.array, raster.transform, raster.crs
    rows, cols = raster.shape
    left, top = transform @ (0, 0)
    right, bottom = transform @ (cols, rows)
    # corners and edge midpoints of the grid in Web Mercator give the target extent
    xs = np.array([left, right, right, left, (left + right) / 2, (left + right) / 2, left, right])
    ys = np.array([top, top, bottom, bottom, top, bottom, (top + bottom) / 2, (top + bottom) / 2])
    mx, my = Transformer.from_crs(crs, _MERCATOR, always_xy=True).transform(xs, ys)
    west, east, south, north = float(mx.min()), float(mx.max()), float(my.min()), float(my.max())
    res = max(east - west, north - south) / max_pixels
    res = max(res, abs(transform.a))
    width = max(1, int(np.ceil((east - west) / res)))
    height = max(1, int(np.ceil((north - south) / res)))
    dst_transform = Affine(res, 0.0, west, 0.0, -res, north)
    dst = np.full((height, width), np.nan, dtype=np.float32)
    reproject(
        source=np.asarray(array, dtype=np.float32), destination=dst, src_transform=transform, src_crs=crs,
        dst_transform=dst_transform, dst_crs=_MERCATOR, src_nodata=np.nan, dst_nodata=np.nan,
        resampling=Resampling.nearest,
    )
    east, south = dst_transform @ (width, height)
    to_ll = Transformer.from_crs(_MERCATOR, "EPSG:4326", always_xy=True)
    lon, lat = to_ll.transform([west, east], [south, north])
    if gcj02:
        lon, lat = wgs84_to_gcj02(lon, lat)
    bounds = [[float(lat[0]), float(lon[0])], [float(lat[1]), float(lon[1])]]
    return png_data_url(colourise(dst)), bounds
