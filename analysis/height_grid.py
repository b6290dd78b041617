"""The permitted-height grid: the obstacle limitation surface evaluated on a raster, and its cache.

:func:`height_surface_raster` evaluates :func:`analysis.airport.permitted_height` on a regular grid,
only where the surfaces reach (:func:`analysis.airport.surface_extent`); :func:`cached_height_surface`
keeps it as a GeoTIFF in the workspace, named by a hash of everything it depends on.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np
import shapely
from affine import Affine

from analysis.airport import OLSParams, Runway, permitted_height, surface_footprint
from core.errors import ConfigError
from core.raster import Raster, read_geotiff, write_geotiff
from core.settings import get_settings

__all__ = ["height_surface_raster", "cached_height_surface", "surface_cache_key"]

log = logging.getLogger(__name__)

_ROW_BLOCK = 64  # rows evaluated at once when building a raster (bounds memory use, fits the footprint)


def _grid_shape(bounds: tuple[float, float, float, float], cell_size: float) -> tuple[int, int]:
    minx, miny, maxx, maxy = bounds
    if not (maxx > minx and maxy > miny):
        raise ConfigError(
            f"bounds must be (minx, miny, maxx, maxy) with max > min; got {bounds}.",
            f"范围必须为 (minx, miny, maxx, maxy) 且 max > min，实际为 {bounds}。",
        )
    if not cell_size > 0:
        raise ConfigError(f"cell_size must be positive; got {cell_size}.", f"像元大小必须为正数，实际为 {cell_size}。")
    width = math.ceil((maxx - minx) / cell_size - 1e-9)
    height = math.ceil((maxy - miny) / cell_size - 1e-9)
    return height, width


def height_surface_raster(
    runway: Runway,
    params: OLSParams,
    *,
    bounds: tuple[float, float, float, float],
    cell_size: float = 10.0,
    crs: str = "EPSG:4548",
) -> Raster:
    """Evaluate the surface at the centres of a north-up grid.

    Parameters
    ----------
    runway, params
        See :func:`permitted_height`.
    bounds
        ``(minx, miny, maxx, maxy)`` in ``crs``. The grid's origin is ``(minx, maxy)``;
        it extends right and down by whole cells to cover ``bounds``.
    cell_size
        Cell size in metres.
    crs
        Metric CRS of the grid; the runway is transformed to it when needed.

    Returns
    -------
    Raster with heights above the aerodrome elevation (float32, NaN = no cap).
    """
    started = time.perf_counter()
    rw = runway.to_crs(crs)
    rows, cols = _grid_shape(bounds, cell_size)
    minx, _, _, maxy = bounds
    transform = Affine(cell_size, 0.0, minx, 0.0, -cell_size, maxy)
    xs = minx + (np.arange(cols, dtype=np.float64) + 0.5) * cell_size
    out = np.full((rows, cols), np.nan, dtype=np.float32)
    # evaluate, band by band, only the columns the surfaces reach (the rest stays NaN)
    footprint = surface_footprint(rw, params, margin=cell_size)
    for r0 in range(0, rows, _ROW_BLOCK):
        r1 = min(rows, r0 + _ROW_BLOCK)
        ys = maxy - (np.arange(r0, r1, dtype=np.float64) + 0.5) * cell_size
        band = shapely.clip_by_rect(footprint, minx, maxy - r1 * cell_size, minx + cols * cell_size,
                                    maxy - r0 * cell_size)
        if band.is_empty:
            continue
        bx0, _, bx1, _ = band.bounds
        c0 = max(0, int(np.floor((bx0 - minx) / cell_size)))
        c1 = min(cols, int(np.ceil((bx1 - minx) / cell_size)) + 1)
        if c1 > c0:
            out[r0:r1, c0:c1] = permitted_height(xs[None, c0:c1], ys[:, None], runway=rw, params=params)
    log.info("height surface %dx%d cells at %.1f m built in %.2f s", rows, cols, cell_size,
             time.perf_counter() - started)
    return Raster(out, transform, str(crs))


def surface_cache_key(
    runway: Runway, params: OLSParams, *, bounds: tuple[float, float, float, float], cell_size: float, crs: str
) -> str:
    """Hash of everything the grid depends on: runway, parameters, grid."""
    payload = {
        "v": 1,
        "runway": asdict(runway),
        "params": asdict(params),
        "bounds": [round(float(b), 6) for b in bounds],
        "cell_size": float(cell_size),
        "crs": str(crs),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()[:24]


def cached_height_surface(
    runway: Runway,
    params: OLSParams,
    *,
    bounds: tuple[float, float, float, float],
    cell_size: float = 10.0,
    crs: str = "EPSG:4548",
    cache_dir: str | Path | None = None,
) -> tuple[Raster, Path]:
    """:func:`height_surface_raster`, cached as a GeoTIFF on disk.

    The file lives in ``cache_dir`` (default ``<workspace>/cache/height_surface``) and is
    named by :func:`surface_cache_key`, so a change of runway, parameters or grid builds
    a new one.

    Returns
    -------
    The raster and the path of its GeoTIFF.
    """
    import rasterio.errors

    folder = Path(cache_dir) if cache_dir is not None else get_settings().workspace / "cache" / "height_surface"
    key = surface_cache_key(runway, params, bounds=bounds, cell_size=cell_size, crs=crs)
    path = folder / f"height_{key}.tif"
    if path.exists():
        try:
            cached = read_geotiff(path)
        except rasterio.errors.RasterioError as exc:  # a damaged cache file is rebuilt, not fatal
            log.warning("height surface cache %s unreadable (%s): building it again", path, exc)
        else:
            log.info("height surface read from cache %s", path)
            return cached, path
    raster = height_surface_raster(runway, params, bounds=bounds, cell_size=cell_size, crs=crs)
    # the cache is the product's own file: a plain tiled ZSTD GeoTIFF, several times faster than a COG
    write_geotiff(Raster(raster.array.astype(np.float32, copy=False), raster.transform, raster.crs, nodata=np.nan),
                  path, cog=False, compress="ZSTD",
                  tags={"units": "m above aerodrome elevation", "source": params.source, "edition": params.edition})
    return raster, path
