"""The GeoTIFF export of a raster, reprojected to a chosen CRS when asked, written by the product's
one GeoTIFF writer (:func:`core.raster.write_geotiff`, a COG)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from analysis.export.formats import resolve_crs
from core.raster import Raster, filled, write_geotiff

__all__ = ["write_raster"]


def write_raster(raster: Raster, path: Path, *, crs: Any) -> Path:
    """Write ``raster`` as a COG at ``path``, reprojected to ``crs`` (nearest neighbour, the same number of
    cells spread over the reprojected bounds) when that differs from the raster's own CRS."""
    from affine import Affine
    from rasterio.warp import Resampling, reproject, transform_bounds

    array = filled(raster)  # cells without a value as the raster's nodata, before any resampling
    src_crs = resolve_crs(raster.crs)
    transform = raster.transform
    nodata = raster.nodata
    if crs is not None and not resolve_crs(crs).equals(src_crs):
        dst_crs = resolve_crs(crs)
        height, width = array.shape
        corners = np.array([transform @ (c, r) for c, r in ((0, 0), (width, 0), (0, height), (width, height))])
        west, south, east, north = transform_bounds(src_crs, dst_crs, corners[:, 0].min(), corners[:, 1].min(),
                                                    corners[:, 0].max(), corners[:, 1].max(), densify_pts=21)
        dst_w, dst_h = width, height
        dst_transform = Affine((east - west) / dst_w, 0.0, west, 0.0, -(north - south) / dst_h, north)
        fill = nodata if nodata is not None else (np.nan if np.issubdtype(array.dtype, np.floating) else 0)
        out = np.full((dst_h, dst_w), fill, dtype=array.dtype)
        reproject(array, out, src_transform=transform, src_crs=src_crs, dst_transform=dst_transform,
                  dst_crs=dst_crs, src_nodata=nodata, dst_nodata=fill, resampling=Resampling.nearest)
        array, transform, src_crs, nodata = out, dst_transform, dst_crs, fill
    return write_geotiff(Raster(array, transform, src_crs.to_wkt(), nodata=nodata, name=raster.name), path, cog=True)
