"""The product's one raster value type: a single band with its georeference.

Float grids hold NaN where there is no value while in memory; ``nodata`` is the value a file
uses for those cells, applied only when the grid is written (:func:`filled`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["Raster", "filled"]


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
