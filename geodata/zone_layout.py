"""The three functional zones, drawn at their carriers' approximate locations (示意范围).

No official zone boundaries are published.  Each zone is drawn around the place that
carries it, from public knowledge of Xiamen's geography (coordinates WGS84; reasoning
in ``geodata/README.md``):

* ``incubation`` — 湖里老工业区, the first 2.5 km² area of the Xiamen Special Economic
  Zone (1980), in the west of the district between the Dongdu port (东渡) and 湖里大道,
  around 118.094 E, 24.508 N;
* ``hq`` — two parks: 航空工业园 (the Gaoqi aviation industrial zone of TAECO and its
  peers, east of the airport towards the north-east shore) and 湖里区信息光电园 (the
  opto-electronics park of the Torch hi-tech zone, south-east of the airport around
  坂尚/安岭), a MultiPolygon;
* ``demonstration`` — the Gaoqi airport block: the airport boundary and a 400 m band
  around it.

The zones are clipped to the district outline and made disjoint: the airport is kept
whole in ``demonstration`` (``hq`` gives way to it), and ``demonstration`` gives way
to ``hq`` and ``incubation`` elsewhere.
"""

from __future__ import annotations

import geopandas as gpd
import shapely
from shapely.geometry import Polygon

from core.crs import to_lonlat, to_metric
from core.settings import GEOGRAPHIC_CRS
from zones.definitions import ZONES

__all__ = ["ZONE_TEXT", "CARRIER_OUTLINES", "DEMONSTRATION_BUFFER_M", "zones_layer"]

#: Approximate carrier outlines, WGS84 (lon, lat) vertex lists.
CARRIER_OUTLINES: dict[str, list[tuple[float, float]]] = {
    # 湖里老工业区: about 1.6 km x 1.6 km with cut corners, ~2.5 km²
    "old_industrial_zone": [
        (118.0865, 24.5021), (118.0988, 24.5015), (118.1019, 24.5042), (118.1020, 24.5126),
        (118.0983, 24.5157), (118.0873, 24.5159), (118.0849, 24.5124), (118.0850, 24.5052),
    ],
    # 航空工业园 (高崎航空工业区): east of the airport, up to the north-east shore
    "aviation_industrial_park": [
        (118.1425, 24.5375), (118.1580, 24.5385), (118.1600, 24.5470), (118.1545, 24.5515),
        (118.1430, 24.5505),
    ],
    # 信息光电园: south-east of the airport (坂尚/安岭 area)
    "opto_electronics_park": [
        (118.1520, 24.5195), (118.1685, 24.5200), (118.1690, 24.5300), (118.1600, 24.5320),
        (118.1525, 24.5310),
    ],
}

#: Width of the band around the airport that completes the demonstration block (m).
DEMONSTRATION_BUFFER_M: float = 400.0

#: Names, carriers and policy per zone: one source of truth, :data:`zones.definitions.ZONES`.
ZONE_TEXT: dict[str, dict[str, str]] = {
    z.zone_id: {
        "name_zh": z.name_zh,
        "name_en": z.name_en,
        "carriers_zh": z.carriers_zh,
        "carriers_en": z.carriers_en,
        "policy_zh": z.policy_zh,
        "policy_en": z.policy_en,
    }
    for z in ZONES
}


def _metric(geom: shapely.Geometry, *, inverse: bool = False) -> shapely.Geometry:
    return to_lonlat(geom) if inverse else to_metric(geom)


def _clean(geom: shapely.Geometry) -> shapely.Geometry:
    """Drop slivers (< 100 m²) and anything that is not polygonal; always a MultiPolygon."""
    parts = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon" and p.area >= 100.0]
    return shapely.MultiPolygon(parts)


def _lonlat_valid(geom_m: shapely.Geometry) -> shapely.Geometry:
    """Back to lon/lat; the inverse projection can fold a spike valid in metres, so re-validate."""
    geom = _metric(geom_m, inverse=True)
    if shapely.is_valid(geom):
        return geom
    repaired = shapely.make_valid(geom)
    return shapely.MultiPolygon([p for p in shapely.get_parts(repaired) if p.geom_type == "Polygon"])


def zones_layer(district: shapely.Geometry, airport: shapely.Geometry) -> gpd.GeoDataFrame:
    """The ``zones`` layer.

    Parameters
    ----------
    district
        District outline, EPSG:4326.
    airport
        Airport boundary (already clipped to the district), EPSG:4326.

    Returns
    -------
    geopandas.GeoDataFrame
        Rows hq, incubation, demonstration with columns zone_id, name_zh, name_en,
        carriers_zh, carriers_en, policy_zh, policy_en, geometry (EPSG:4326,
        MultiPolygon); the polygons lie inside ``district`` and do not overlap.
    """
    dist_m = _metric(district)
    airport_m = _metric(airport)
    outline = {k: _metric(Polygon(v)) for k, v in CARRIER_OUTLINES.items()}
    incubation = shapely.intersection(outline["old_industrial_zone"], dist_m)
    hq = shapely.union(outline["aviation_industrial_park"], outline["opto_electronics_park"])
    hq = shapely.difference(shapely.intersection(hq, dist_m), shapely.union(airport_m, incubation))
    block = shapely.union(airport_m, shapely.buffer(airport_m, DEMONSTRATION_BUFFER_M, join_style="mitre"))
    demonstration = shapely.difference(shapely.intersection(block, dist_m), shapely.union(hq, incubation))
    geoms_m = {"hq": _clean(hq), "incubation": _clean(incubation), "demonstration": _clean(demonstration)}
    ids = list(ZONE_TEXT)
    return gpd.GeoDataFrame(
        {"zone_id": ids, **{col: [ZONE_TEXT[z][col] for z in ids] for col in ZONE_TEXT["hq"]}},
        geometry=[_lonlat_valid(geoms_m[z]) for z in ids],
        crs=GEOGRAPHIC_CRS,
    )
