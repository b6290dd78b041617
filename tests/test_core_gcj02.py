"""GCJ-02 <-> WGS84: round trip, size of the shift, vectorised geometry versions.

Distances are measured independently with pyproj.Geod on WGS84.
"""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from pyproj import Geod

from core.gcj02 import gcj02_to_wgs84, geometry_gcj02_to_wgs84, geometry_wgs84_to_gcj02, wgs84_to_gcj02

GEOD = Geod(ellps="WGS84")

# a grid over Xiamen (island, Haicang, Jimei, Tong'an, Xiang'an): 117.85-118.45 E, 24.40-24.95 N
LON, LAT = np.meshgrid(np.linspace(117.85, 118.45, 13), np.linspace(24.40, 24.95, 12))
LON, LAT = LON.ravel(), LAT.ravel()


def _metres(lon1: np.ndarray, lat1: np.ndarray, lon2: np.ndarray, lat2: np.ndarray) -> np.ndarray:
    _, _, dist = GEOD.inv(lon1, lat1, lon2, lat2)
    return np.abs(np.asarray(dist))


def test_round_trip_wgs_gcj_wgs_under_half_a_metre() -> None:
    g_lon, g_lat = wgs84_to_gcj02(LON, LAT)
    w_lon, w_lat = gcj02_to_wgs84(g_lon, g_lat)
    assert _metres(LON, LAT, w_lon, w_lat).max() < 0.5


def test_round_trip_gcj_wgs_gcj_under_half_a_metre() -> None:
    # treat the grid as GCJ-02 input (as the AMap-derived outline is)
    w_lon, w_lat = gcj02_to_wgs84(LON, LAT)
    f_lon, f_lat = wgs84_to_gcj02(w_lon, w_lat)
    assert _metres(LON, LAT, f_lon, f_lat).max() < 0.5


def test_forward_shift_in_xiamen_is_hundreds_of_metres() -> None:
    g_lon, g_lat = wgs84_to_gcj02(LON, LAT)
    shift = _metres(LON, LAT, g_lon, g_lat)
    # the published offset is roughly 300-700 m across Fujian; never zero, never kilometres
    assert shift.min() > 200.0
    assert shift.max() < 1000.0


def test_no_shift_outside_china() -> None:
    lon, lat = np.array([2.35, -74.0]), np.array([48.85, 40.7])  # Paris, New York
    g_lon, g_lat = wgs84_to_gcj02(lon, lat)
    np.testing.assert_array_equal(g_lon, lon)
    np.testing.assert_array_equal(g_lat, lat)


@pytest.mark.parametrize("shape", [(), (3,), (2, 2)])
def test_shapes_are_preserved(shape: tuple[int, ...]) -> None:
    lon = np.full(shape, 118.1)
    lat = np.full(shape, 24.5)
    g_lon, g_lat = wgs84_to_gcj02(lon, lat)
    _w_lon, w_lat = gcj02_to_wgs84(g_lon, g_lat)
    assert np.shape(g_lon) == shape
    assert np.shape(w_lat) == shape


def test_geometry_round_trip() -> None:
    square = shapely.box(118.08, 24.50, 118.10, 24.52)
    line = shapely.LineString([(118.11, 24.53), (118.14, 24.55)])
    there = geometry_wgs84_to_gcj02(np.array([square, line], dtype=object))
    back = geometry_gcj02_to_wgs84(there)
    for original, moved, returned in zip([square, line], there, back, strict=True):
        a = shapely.get_coordinates(original)
        b = shapely.get_coordinates(moved)
        c = shapely.get_coordinates(returned)
        assert _metres(a[:, 0], a[:, 1], b[:, 0], b[:, 1]).min() > 200.0
        assert _metres(a[:, 0], a[:, 1], c[:, 0], c[:, 1]).max() < 0.5
        assert moved.geom_type == original.geom_type
