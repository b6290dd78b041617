"""Parcel areas measured in the metric CRS (never in degrees).

The metric CRS is ``settings.metric_crs`` (default EPSG:4548, CGCS2000 3-degree
Gauss-Kruger CM 117E).  Near Huli (about 118.1°E) its scale error is about 1.5e-4,
so planar areas agree with geodesic areas within a few hundredths of a percent.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from core.errors import CRSError
from core.settings import SQM_PER_MU, get_settings

__all__ = ["parcel_areas_m2", "parcel_areas_mu", "analysed_areas_m2"]


def parcel_areas_m2(frame: gpd.GeoDataFrame, *, metric_crs: str | None = None) -> pd.Series:
    """Area of each parcel in square metres, aligned to ``frame``'s index.

    Parameters
    ----------
    frame
        Parcels with a CRS (normally the canonical EPSG:4326 frame).
    metric_crs
        Projected CRS to measure in; default ``settings.metric_crs``.

    Raises
    ------
    CRSError
        ``frame`` has no CRS, or ``metric_crs`` is not projected.
    """
    if frame.crs is None:
        raise CRSError(
            "Cannot measure areas: the parcel frame has no CRS. Read it with parcels.read_parcels.",
            "无法计算面积：地块图层没有坐标系。请用 parcels.read_parcels 读取。",
        )
    crs = metric_crs or get_settings().metric_crs
    projected = frame.geometry.to_crs(crs)
    if not projected.crs.is_projected:
        raise CRSError(
            f"Cannot measure areas in {crs}: it is not a projected (metric) CRS. Use e.g. EPSG:4548.",
            f"无法在 {crs} 中计算面积：它不是投影（米制）坐标系。请使用 EPSG:4548 等。",
        )
    return pd.Series(projected.area.to_numpy(), index=frame.index, name="area_m2", dtype="float64")


def parcel_areas_mu(frame: gpd.GeoDataFrame, *, metric_crs: str | None = None) -> pd.Series:
    """Area of each parcel in mu (亩, 10000/15 m²), aligned to ``frame``'s index."""
    return (parcel_areas_m2(frame, metric_crs=metric_crs) / SQM_PER_MU).rename("area_mu")


def analysed_areas_m2(frame: gpd.GeoDataFrame, *, metric_crs: str | None = None) -> pd.Series:
    """Parcel areas in m²: the frame's ``area_m2`` when the analysis measured it for every parcel, else
    :func:`parcel_areas_m2`.

    ``analysis.pipeline.analyse`` measures ``area_m2`` in the metric CRS; reusing it saves projecting
    every parcel again.
    """
    if "area_m2" in frame.columns:
        area = pd.to_numeric(frame["area_m2"], errors="coerce")
        if area.notna().all():
            return area.astype("float64")
    return parcel_areas_m2(frame, metric_crs=metric_crs)
