"""Xiamen Gaoqi International Airport (厦门高崎国际机场, ZSAM/XMN): runway and boundary.

The aeronautical information publication (AIP) with the threshold coordinates is not
public, so the runway is *derived*:

* aerodrome reference point (ARP) 24°32′38″N 118°07′39″E, elevation 18 m;
* runway 05/23, 3,400 m × 45 m, the ARP taken as its midpoint;
* designator 05 means a magnetic heading near 050° (a designator rounds to 10°, so
  045°-054°); the magnetic variation at Xiamen is about 3-4° West in recent years,
  taken as 3.5° W, so the true bearing is 050° - 3.5° = 046.5° (226.5° the other way).

The two thresholds are the geodesic points 1,700 m from the ARP along 046.5° and
226.5° (:class:`pyproj.Geod`, WGS84).  The error against the AIP is a few tens of
metres at the ends (±1° of bearing moves an end by ±30 m at 1,700 m).

The airport boundary is a rectangle aligned with the runway (documented in
``geodata/README.md``), clipped to the district outline.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Geod
from shapely.geometry import LineString, Polygon

from core.crs import transformer
from core.settings import GEOGRAPHIC_CRS, get_settings

__all__ = [
    "RunwaySpec",
    "GAOQI_RUNWAY",
    "runway_layer",
    "airport_layer",
    "airport_polygon",
]

_GEOD = Geod(ellps="WGS84")


def _dms(deg: int, minutes: int, seconds: float) -> float:
    return deg + minutes / 60.0 + seconds / 3600.0


@dataclass(frozen=True)
class RunwaySpec:
    """Published facts about a runway and the bearing derived for it.

    Attributes
    ----------
    designator
        Runway designator, e.g. ``"05/23"``.
    length_m, width_m
        Dimensions in metres.
    magnetic_bearing_deg
        Magnetic bearing of the lower-numbered direction (from the designator).
    magnetic_variation_deg
        Magnetic variation, East positive (West negative).
    elevation_m
        Aerodrome elevation above mean sea level.
    arp_lon, arp_lat
        Aerodrome reference point, taken as the runway midpoint.
    """

    designator: str
    length_m: float
    width_m: float
    magnetic_bearing_deg: float
    magnetic_variation_deg: float
    elevation_m: float
    arp_lon: float
    arp_lat: float

    @property
    def true_bearing_deg(self) -> float:
        """True bearing of the lower-numbered direction: magnetic + variation."""
        return (self.magnetic_bearing_deg + self.magnetic_variation_deg) % 360.0

    def thresholds(self) -> tuple[tuple[float, float], tuple[float, float]]:
        """(lon, lat) of the two runway ends, geodesically from the ARP."""
        half = self.length_m / 2.0
        b = self.true_bearing_deg
        lon1, lat1, _ = _GEOD.fwd(self.arp_lon, self.arp_lat, (b + 180.0) % 360.0, half)
        lon2, lat2, _ = _GEOD.fwd(self.arp_lon, self.arp_lat, b, half)
        return (lon1, lat1), (lon2, lat2)


#: Gaoqi's runway 05/23.
GAOQI_RUNWAY = RunwaySpec(
    designator="05/23",
    length_m=3400.0,
    width_m=45.0,
    magnetic_bearing_deg=50.0,
    magnetic_variation_deg=-3.5,
    elevation_m=18.0,
    arp_lon=_dms(118, 7, 39),
    arp_lat=_dms(24, 32, 38),
)

_SOURCE = (
    "Derived: ARP 24°32'38\"N 118°07'39\"E as midpoint, 3400 m, true bearing 046.5° "
    "(magnetic 050° minus 3.5° W variation), geodesic on WGS84; approximate (±30 m at the ends)"
)


def runway_layer(spec: RunwaySpec = GAOQI_RUNWAY) -> gpd.GeoDataFrame:
    """The runway centreline as a one-row layer.

    Parameters
    ----------
    spec
        Runway facts; defaults to Gaoqi 05/23.

    Returns
    -------
    geopandas.GeoDataFrame
        One LineString (south-west threshold first) in EPSG:4326 with columns
        designator, length_m, width_m, true_bearing_deg, elevation_m, arp_lon,
        arp_lat, source.
    """
    (lon1, lat1), (lon2, lat2) = spec.thresholds()
    # a few intermediate geodesic points so the line is geodesic when drawn
    mid = _GEOD.npts(lon1, lat1, lon2, lat2, 3)
    coords = [(lon1, lat1), *mid, (lon2, lat2)]
    return gpd.GeoDataFrame(
        {
            "designator": [spec.designator],
            "length_m": [spec.length_m],
            "width_m": [spec.width_m],
            "true_bearing_deg": [spec.true_bearing_deg],
            "elevation_m": [spec.elevation_m],
            "arp_lon": [spec.arp_lon],
            "arp_lat": [spec.arp_lat],
            "source": [_SOURCE],
        },
        geometry=[LineString(coords)],
        crs=GEOGRAPHIC_CRS,
    )


def _grid_bearing(spec: RunwaySpec) -> float:
    """Bearing of the runway in the metric CRS grid (true bearing minus convergence)."""
    (lon1, lat1), (lon2, lat2) = spec.thresholds()
    to_m = transformer(GEOGRAPHIC_CRS, get_settings().metric_crs)
    x1, y1 = to_m.transform(lon1, lat1)
    x2, y2 = to_m.transform(lon2, lat2)
    return float(np.degrees(np.arctan2(x2 - x1, y2 - y1)) % 360.0)


#: Airport boundary in the runway frame (metres): along -2,000 .. +1,900 from the ARP
#: (300 m beyond the south-west threshold, 200 m beyond the north-east one, where the
#: shore is), across -450 (north-west side) .. +850 (south-east side, terminals T3/T4,
#: aprons and the maintenance base).
AIRPORT_FRAME_M: tuple[float, float, float, float] = (-2000.0, 1900.0, -450.0, 850.0)


def airport_polygon(spec: RunwaySpec = GAOQI_RUNWAY) -> Polygon:
    """The approximate airport boundary, unclipped, in EPSG:4326."""
    a0, a1, c0, c1 = AIRPORT_FRAME_M
    to_m = transformer(GEOGRAPHIC_CRS, get_settings().metric_crs)
    to_ll = transformer(get_settings().metric_crs, GEOGRAPHIC_CRS)
    x0, y0 = to_m.transform(spec.arp_lon, spec.arp_lat)
    b = np.radians(_grid_bearing(spec))
    ux, uy = np.sin(b), np.cos(b)
    rx, ry = uy, -ux  # right of the runway direction
    along = np.array([a0, a1, a1, a0])
    across = np.array([c0, c0, c1, c1])
    x = x0 + along * ux + across * rx
    y = y0 + along * uy + across * ry
    lon, lat = to_ll.transform(x, y)
    return Polygon(np.column_stack([lon, lat]))


def airport_layer(district: shapely.Geometry, spec: RunwaySpec = GAOQI_RUNWAY) -> gpd.GeoDataFrame:
    """The airport boundary clipped to the district, with its area in hectares.

    Parameters
    ----------
    district
        District outline (EPSG:4326).
    spec
        Runway facts; defaults to Gaoqi 05/23.
    """
    geom = shapely.intersection(airport_polygon(spec), district)
    frame = gpd.GeoDataFrame(
        {
            "name_zh": ["厦门高崎国际机场"],
            "name_en": ["Xiamen Gaoqi International Airport"],
            "icao": ["ZSAM"],
            "iata": ["XMN"],
            "source": [
                "Approximate: rectangle aligned with runway 05/23, 300 m beyond the SW and "
                "200 m beyond the NE threshold, 450 m NW and 850 m SE of the axis, clipped to "
                "the district outline; illustrative (±200 m)"
            ],
        },
        geometry=[geom],
        crs=GEOGRAPHIC_CRS,
    )
    frame.insert(4, "area_ha", frame.to_crs(get_settings().metric_crs).area / 10_000.0)
    return frame
