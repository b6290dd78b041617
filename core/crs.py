"""Cached pyproj transformers and geometry reprojection (building a transformer costs 0.04-0.1 s)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely
from pyproj import CRS, Transformer

from core.settings import GEOGRAPHIC_CRS, get_settings

__all__ = ["transformer", "reproject", "to_metric", "to_lonlat"]


def transformer(src: Any, dst: Any) -> Transformer:
    """An ``always_xy`` transformer from ``src`` to ``dst`` (CRS strings or pyproj CRS objects), cached."""
    return _cached_transformer(_key(src), _key(dst))


def _key(crs: Any) -> str:
    return crs if isinstance(crs, str) else CRS.from_user_input(crs).to_wkt()


@lru_cache(maxsize=32)
def _cached_transformer(src: str, dst: str) -> Transformer:
    return Transformer.from_crs(src, dst, always_xy=True)


def reproject(geoms: npt.ArrayLike, src: str, dst: str) -> npt.NDArray[np.object_]:
    """Shapely geometries (scalar or array) from ``src`` to ``dst``."""
    tr = transformer(src, dst)

    def _xy(coords: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        x, y = tr.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geoms, _xy)


def to_metric(geoms: npt.ArrayLike) -> npt.NDArray[np.object_]:
    """From lon/lat (EPSG:4326) to the configured metric CRS."""
    return reproject(geoms, GEOGRAPHIC_CRS, get_settings().metric_crs)


def to_lonlat(geoms: npt.ArrayLike) -> npt.NDArray[np.object_]:
    """From the configured metric CRS to lon/lat (EPSG:4326)."""
    return reproject(geoms, get_settings().metric_crs, GEOGRAPHIC_CRS)
