"""A small synthetic airport world for the airport/heights/scenario/compare tests.

Everything is built here from first principles, not from the embedded data: a runway of
3,400 m on a 046.5° true bearing through Gaoqi's reference point (geodesic thresholds,
projected to EPSG:4548), a 4,200 × 1,200 m airport rectangle around it, three zones and
a grid of parcels.  Helpers place points in the runway's own frame (u along the
centreline from the midpoint, v across it) so that expected heights can be worked out by
hand from the Annex 14 geometry.
"""

from __future__ import annotations

import numpy as np
import pyproj
import shapely
from geopandas import GeoDataFrame

from analysis.airport import Runway

ARP_LON = 118 + 7 / 60 + 39 / 3600
ARP_LAT = 24 + 32 / 60 + 38 / 3600
LENGTH_M = 3400.0
BEARING_DEG = 46.5
ELEVATION_M = 18.0
AIRPORT_HALF_LEN = 2100.0
AIRPORT_HALF_WIDTH = 600.0


def make_runway() -> Runway:
    """Thresholds 1,700 m either side of the reference point (pyproj.Geod), in EPSG:4548."""
    geod = pyproj.Geod(ellps="WGS84")
    lons, lats, _ = geod.fwd([ARP_LON, ARP_LON], [ARP_LAT, ARP_LAT], [BEARING_DEG + 180.0, BEARING_DEG],
                             [LENGTH_M / 2, LENGTH_M / 2])
    xs, ys = pyproj.Transformer.from_crs(4326, 4548, always_xy=True).transform(lons, lats)
    return Runway((xs[0], ys[0]), (xs[1], ys[1]), ELEVATION_M, "EPSG:4548", "05/23")


def frame_of(rw: Runway) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Midpoint, unit vector along the runway, unit normal, half the threshold distance."""
    t1, t2 = np.asarray(rw.start), np.asarray(rw.end)
    along = (t2 - t1) / np.linalg.norm(t2 - t1)
    normal = np.array([-along[1], along[0]])
    return (t1 + t2) / 2, along, normal, float(np.linalg.norm(t2 - t1)) / 2


def at(rw: Runway, u: float, v: float) -> tuple[float, float]:
    """Map coordinates of the point ``u`` m along and ``v`` m across the runway from its midpoint."""
    m, a, n, _ = frame_of(rw)
    p = m + u * a + v * n
    return float(p[0]), float(p[1])


def rect(rw: Runway, u0: float, u1: float, v0: float, v1: float) -> shapely.Polygon:
    """Rectangle in the runway frame."""
    return shapely.Polygon([at(rw, u0, v0), at(rw, u1, v0), at(rw, u1, v1), at(rw, u0, v1)])


def airport_layer(rw: Runway) -> GeoDataFrame:
    poly = rect(rw, -AIRPORT_HALF_LEN, AIRPORT_HALF_LEN, -AIRPORT_HALF_WIDTH, AIRPORT_HALF_WIDTH)
    return GeoDataFrame({"name_zh": ["高崎机场"]}, geometry=[poly], crs=4548).to_crs(4326)


def zones_layer(rw: Runway) -> GeoDataFrame:
    geoms = [rect(rw, -2600, 2600, -1100, 1100), rect(rw, -5200, -3000, 1500, 3500), rect(rw, 3000, 5200, -3500, -1500)]
    return GeoDataFrame({"zone_id": ["demonstration", "incubation", "hq"]}, geometry=geoms, crs=4548).to_crs(4326)


def parcels_layer(rw: Runway) -> GeoDataFrame:
    """150 parcels, 180 × 50 m: 50 per zone; the first 15 incubation parcels are reserve parcels."""
    rows = []
    for zone, (u0, v0) in (("incubation", (-5000, 1600)), ("hq", (3100, -3400)), ("demonstration", (-2500, 700))):
        for i in range(10):
            for j in range(5):
                rows.append({
                    "parcel_id": f"{zone}-{i}-{j}",
                    "zone_id": zone,
                    "land_use": "commercial_office" if (i + j) % 3 == 0 else "industrial",
                    "recommendation": "reserve_industrial" if zone == "incubation" and i < 3 else "none",
                    "geometry": rect(rw, u0 + i * 200 + 10, u0 + i * 200 + 190, v0 + j * 60 + 5, v0 + j * 60 + 55),
                })
    return GeoDataFrame(rows, geometry="geometry", crs=4548).to_crs(4326)
