"""GCJ-02 (the obfuscated datum of AMap/Gaode tiles) to and from WGS84.

The forward transform is the published one (krasovsky ellipsoid, the well-known
polynomial offset).  There is no closed-form inverse: :func:`gcj02_to_wgs84` iterates
``x <- x - (f(x) - target)`` until the residual is below ``tolerance_m``.  All
functions are vectorised over numpy arrays.  Outside China the offset is zero.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import shapely

__all__ = ["wgs84_to_gcj02", "gcj02_to_wgs84", "geometry_wgs84_to_gcj02", "geometry_gcj02_to_wgs84"]

_A = 6378245.0  # krasovsky semi-major axis, as used by GCJ-02
_EE = 0.00669342162296594323  # its first eccentricity squared

Array = npt.NDArray[np.float64]


def _in_china(lon: Array, lat: Array) -> npt.NDArray[np.bool_]:
    return (lon > 72.004) & (lon < 137.8347) & (lat > 0.8293) & (lat < 55.8271)


def _delta(lon: Array, lat: Array) -> tuple[Array, Array]:
    x = lon - 105.0
    y = lat - 35.0
    sq = np.sqrt(np.abs(x))
    d_lat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sq
    d_lat += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    d_lat += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    d_lat += (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    d_lon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sq
    d_lon += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    d_lon += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    d_lon += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    rad = lat / 180.0 * np.pi
    magic = 1.0 - _EE * np.sin(rad) ** 2
    sqrt_magic = np.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrt_magic) * np.pi)
    d_lon = (d_lon * 180.0) / (_A / sqrt_magic * np.cos(rad) * np.pi)
    inside = _in_china(lon, lat)
    return np.where(inside, d_lon, 0.0), np.where(inside, d_lat, 0.0)


def wgs84_to_gcj02(lon: npt.ArrayLike, lat: npt.ArrayLike) -> tuple[Array, Array]:
    """Shift WGS84 lon/lat (degrees) to GCJ-02."""
    lon_a = np.asarray(lon, dtype=np.float64)
    lat_a = np.asarray(lat, dtype=np.float64)
    d_lon, d_lat = _delta(lon_a, lat_a)
    return lon_a + d_lon, lat_a + d_lat


def gcj02_to_wgs84(
    lon: npt.ArrayLike, lat: npt.ArrayLike, *, tolerance_m: float = 0.01, max_iter: int = 30
) -> tuple[Array, Array]:
    """Invert :func:`wgs84_to_gcj02` iteratively.

    Parameters
    ----------
    lon, lat
        GCJ-02 coordinates in degrees.
    tolerance_m
        Stop when the forward transform of the estimate lands within this many
        metres of the input everywhere.
    max_iter
        Safety bound on iterations (the scheme converges in 3-5 in practice).
    """
    g_lon = np.asarray(lon, dtype=np.float64)
    g_lat = np.asarray(lat, dtype=np.float64)
    w_lon, w_lat = g_lon.copy(), g_lat.copy()
    tol_deg = tolerance_m / 111_000.0
    for _ in range(max_iter):
        f_lon, f_lat = wgs84_to_gcj02(w_lon, w_lat)
        e_lon, e_lat = f_lon - g_lon, f_lat - g_lat
        w_lon = w_lon - e_lon
        w_lat = w_lat - e_lat
        if np.all(np.abs(e_lon) < tol_deg) and np.all(np.abs(e_lat) < tol_deg):
            break
    return w_lon, w_lat


def _transform_geometry(geoms: npt.ArrayLike, fn: object) -> npt.NDArray[np.object_]:
    arr = np.asarray(geoms, dtype=object)

    def _xy(coords: Array) -> Array:
        x, y = fn(coords[:, 0], coords[:, 1])  # type: ignore[operator]
        return np.column_stack([x, y])

    return shapely.transform(arr, _xy)


def geometry_wgs84_to_gcj02(geoms: npt.ArrayLike) -> npt.NDArray[np.object_]:
    """Shift an array of shapely geometries from WGS84 to GCJ-02 (display on AMap)."""
    return _transform_geometry(geoms, wgs84_to_gcj02)


def geometry_gcj02_to_wgs84(geoms: npt.ArrayLike) -> npt.NDArray[np.object_]:
    """Shift an array of shapely geometries from GCJ-02 back to WGS84."""
    return _transform_geometry(geoms, gcj02_to_wgs84)
