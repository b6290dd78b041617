"""The product's one raster value type: a single band with its georeference.

Float grids hold NaN where there is no value while in memory; ``nodata`` is the value a file
uses for those cells, applied only when the grid is written (:func:`filled`). One writer
(:func:`write_geotiff`: a COG for other GIS or a plain tiled GeoTIFF for caches) and one reader.
rasterio is imported only inside them, so code that never touches a GeoTIFF does not load it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["Raster", "filled", "write_geotiff", "read_geotiff"]


@dataclass(frozen=True)
class Raster:
    """A single-band grid held in memory.

    Attributes
    ----------
    array
        2-D array (rows, cols); float grids use NaN for cells without a value.
    transform
        Affine transform of the upper-left corner (``affine.Affine``, as rasterio uses).
    crs
        CRS of the grid (anything :func:`core.crs.parse_crs` accepts).
    nodata
        The value that marks cells without a value when written to a file, or None.
    name
        Layer name (file name stem, band description).
    """

    array: NDArray[Any]
    transform: Any
    crs: Any
    nodata: float | None = None
    name: str = "height_limit"

    def __post_init__(self) -> None:
        if np.ndim(self.array) != 2:
            from core.errors import ConfigError

            shape = np.shape(self.array)
            raise ConfigError(f"A raster needs a 2-D array; received shape {shape}.",
                              f"栅格需要二维数组；收到的形状为 {shape}。")

    @property
    def shape(self) -> tuple[int, int]:
        rows, cols = np.shape(self.array)
        return int(rows), int(cols)


def filled(raster: Raster) -> NDArray[Any]:
    """The array with NaN cells set to ``raster.nodata`` (the array itself when there is nothing to fill)."""
    array = np.asarray(raster.array)
    if raster.nodata is None or not np.issubdtype(array.dtype, np.floating) or np.isnan(raster.nodata):
        return array
    return np.where(np.isnan(array), array.dtype.type(raster.nodata), array)


def write_geotiff(
    raster: Raster,
    path: str | Path,
    *,
    cog: bool = True,
    compress: str = "DEFLATE",
    tags: Mapping[str, str] | None = None,
    description: str | None = None,
) -> Path:
    """Write ``raster`` as a single-band GeoTIFF, atomically: the product's one GeoTIFF writer.

    Parameters
    ----------
    raster
        The grid; NaN cells are written as ``raster.nodata`` when it is set (NaN stays NaN when
        ``nodata`` is NaN or None).
    path
        The file to create or replace.
    cog
        A Cloud-Optimised GeoTIFF with overviews (for other GIS); False writes a plain tiled
        GeoTIFF, several times faster to write and read (for the product's own caches).
    compress
        GDAL compression (``DEFLATE``, ``ZSTD`` ...).
    tags, description
        Dataset tags and the band description (default: ``raster.name``).

    Returns
    -------
    The path written.
    """
    import rasterio
    import rasterio.shutil
    from rasterio.io import MemoryFile

    from core.crs import parse_crs
    from core.files import atomic_write

    array = filled(raster)
    rows, cols = raster.shape
    profile: dict[str, Any] = {
        "driver": "GTiff", "height": rows, "width": cols, "count": 1, "dtype": array.dtype,
        "crs": parse_crs(raster.crs).to_wkt(), "transform": raster.transform, "nodata": raster.nodata,
        "tiled": True, "blockxsize": 256, "blockysize": 256, "compress": compress,
    }

    def _fill(dst: Any) -> None:
        dst.write(array, 1)
        if tags:
            dst.update_tags(**tags)
        dst.set_band_description(1, description or raster.name)

    def _write(tmp: Path) -> None:
        if not cog:
            with rasterio.open(tmp, "w", **profile) as dst:
                _fill(dst)
            return
        with MemoryFile() as mem:
            with mem.open(**profile) as dst:
                _fill(dst)
            with mem.open() as src:
                rasterio.shutil.copy(src, tmp, driver="COG", COMPRESS=compress, PREDICTOR="YES", BLOCKSIZE="256",
                                     OVERVIEW_RESAMPLING="NEAREST", NUM_THREADS="ALL_CPUS")

    return atomic_write(path, _write)


def read_geotiff(path: str | Path, *, name: str | None = None) -> Raster:
    """Read band 1 of a GeoTIFF; float cells equal to the file's nodata come back as NaN."""
    import rasterio

    with rasterio.open(path) as src:
        array = src.read(1)
        nodata = src.nodata
        if np.issubdtype(array.dtype, np.floating) and nodata is not None and not np.isnan(nodata):
            array[array == array.dtype.type(nodata)] = np.nan
        crs = src.crs.to_string() if src.crs else None
        return Raster(array, src.transform, crs, nodata=nodata, name=name or Path(path).stem)
