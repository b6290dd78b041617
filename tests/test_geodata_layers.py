"""The embedded layers: district, context, zones, airport, runway (geometry facts).

Expected values are computed here by hand or with pyproj.Geod, never read from the code.
"""

from __future__ import annotations

import itertools

import geopandas as gpd
import numpy as np
import pytest
import shapely
from pyproj import Geod

import geodata

GEOD = Geod(ellps="WGS84")
METRIC = "EPSG:4548"
# aerodrome reference point 24°32′38″N 118°07′39″E
ARP_LON = 118 + 7 / 60 + 39 / 3600
ARP_LAT = 24 + 32 / 60 + 38 / 3600


@pytest.fixture(scope="module")
def layers() -> dict[str, gpd.GeoDataFrame]:
    return {name: geodata.read_layer(name) for name in ("district", "context", "zones", "airport", "runway")}


def _metric(frame: gpd.GeoDataFrame) -> gpd.GeoSeries:
    return frame.to_crs(METRIC).geometry


def test_district_is_huli(layers: dict[str, gpd.GeoDataFrame]) -> None:
    d = layers["district"]
    assert list(d["adcode"]) == ["350206"]
    assert list(d["name_zh"]) == ["湖里区"]
    area_km2 = _metric(d).area.iloc[0] / 1e6
    # the official land area is about 66 km²; the AMap outline is generalised and runs
    # offshore along the coast, so it is somewhat larger
    assert 60.0 < area_km2 < 80.0
    assert d["area_km2"].iloc[0] == pytest.approx(area_km2, rel=1e-6)
    minx, miny, maxx, maxy = d.total_bounds
    assert 118.0 < minx < maxx < 118.25
    assert 24.45 < miny < maxy < 24.60
    assert d.geometry.iloc[0].contains(shapely.Point(ARP_LON, ARP_LAT))


def test_context_is_the_other_five_xiamen_districts(layers: dict[str, gpd.GeoDataFrame]) -> None:
    c = layers["context"]
    assert sorted(c["adcode"]) == ["350203", "350205", "350211", "350212", "350213"]
    huli = _metric(layers["district"]).iloc[0]
    for geom in _metric(c):
        # neighbours share edges, they do not overlap (allow generalisation slivers)
        assert geom.intersection(huli).area < 0.01 * huli.area


def test_zone_ids_and_text(layers: dict[str, gpd.GeoDataFrame]) -> None:
    z = layers["zones"]
    assert sorted(z["zone_id"]) == ["demonstration", "hq", "incubation"]
    row = z.set_index("zone_id")
    assert "信息光电园" in row.loc["hq", "carriers_zh"]
    assert "航空工业园" in row.loc["hq", "carriers_zh"]
    assert "老工业区" in row.loc["incubation", "carriers_zh"]
    assert "高崎" in row.loc["demonstration", "carriers_zh"]
    for firm in ("金鹭特种", "夏顺铝箔", "民兴工业", "信华塑胶"):
        assert firm in row.loc["incubation", "policy_zh"]
    for col in ("name_zh", "name_en", "carriers_en", "policy_zh", "policy_en"):
        assert z[col].str.len().min() > 5, col


def test_zones_lie_inside_the_district(layers: dict[str, gpd.GeoDataFrame]) -> None:
    district = _metric(layers["district"]).iloc[0]
    for zid, geom in zip(layers["zones"]["zone_id"], _metric(layers["zones"]), strict=True):
        assert geom.difference(district).area < 1.0, zid


def test_zones_do_not_overlap(layers: dict[str, gpd.GeoDataFrame]) -> None:
    geoms = dict(zip(layers["zones"]["zone_id"], _metric(layers["zones"]), strict=True))
    for a, b in itertools.combinations(geoms, 2):
        assert geoms[a].intersection(geoms[b]).area < 1.0, (a, b)


def test_incubation_zone_is_about_two_and_a_half_km2_in_the_west(layers: dict[str, gpd.GeoDataFrame]) -> None:
    z = layers["zones"].set_index("zone_id")
    area_km2 = gpd.GeoSeries([z.loc["incubation", "geometry"]], crs=4326).to_crs(METRIC).area.iloc[0] / 1e6
    assert 2.0 <= area_km2 <= 3.0
    c = z.loc["incubation", "geometry"].centroid
    _, _, dist = GEOD.inv(c.x, c.y, 118.09, 24.50)
    assert dist < 2_000.0  # around 118.09 E, 24.50 N
    assert c.x < ARP_LON  # west of the airport


def test_hq_is_two_parks_off_the_airport(layers: dict[str, gpd.GeoDataFrame]) -> None:
    z = layers["zones"].set_index("zone_id")
    hq = z.loc["hq", "geometry"]
    assert len(shapely.get_parts(hq)) == 2
    assert not hq.contains(shapely.Point(ARP_LON, ARP_LAT))
    assert hq.centroid.x > ARP_LON  # east of the airport


def test_demonstration_zone_holds_the_airport(layers: dict[str, gpd.GeoDataFrame]) -> None:
    demo = _metric(layers["zones"][layers["zones"]["zone_id"] == "demonstration"]).iloc[0]
    airport = _metric(layers["airport"]).iloc[0]
    assert airport.difference(demo).area < 1.0
    assert demo.area > airport.area


def test_runway_length_and_midpoint(layers: dict[str, gpd.GeoDataFrame]) -> None:
    rw = layers["runway"]
    assert len(rw) == 1
    line = rw.geometry.iloc[0]
    assert line.geom_type == "LineString"
    xy = shapely.get_coordinates(line)
    az, _, length = GEOD.inv(xy[0, 0], xy[0, 1], xy[-1, 0], xy[-1, 1])
    assert length == pytest.approx(3400.0, abs=1.0)
    assert GEOD.line_length(xy[:, 0], xy[:, 1]) == pytest.approx(3400.0, abs=1.0)
    mid_lon, mid_lat, _ = GEOD.fwd(xy[0, 0], xy[0, 1], az, length / 2)
    _, _, off = GEOD.inv(mid_lon, mid_lat, ARP_LON, ARP_LAT)
    assert off < 5.0
    # 05/23: magnetic ~050°, variation 3-4° W -> true 046-047°
    assert 46.0 <= az % 360 <= 47.0
    row = rw.iloc[0]
    assert row["designator"] == "05/23"
    assert row["length_m"] == 3400
    assert row["width_m"] == 45
    assert row["elevation_m"] == 18
    assert row["true_bearing_deg"] == pytest.approx(az % 360, abs=0.01)
    assert row["arp_lon"] == pytest.approx(ARP_LON, abs=1e-9)
    assert row["arp_lat"] == pytest.approx(ARP_LAT, abs=1e-9)
    assert "ARP" in row["source"]


def test_airport_contains_the_runway_with_margins(layers: dict[str, gpd.GeoDataFrame]) -> None:
    airport = _metric(layers["airport"]).iloc[0]
    runway = _metric(layers["runway"]).iloc[0]
    # a 150 m band around the centreline: the runway strip of a code 4 instrument runway
    # (140-150 m each side, by Annex 14 edition) and the ends
    assert airport.contains(runway.buffer(150.0))
    district = _metric(layers["district"]).iloc[0]
    assert airport.difference(district).area < 1.0
    assert layers["airport"]["area_ha"].iloc[0] == pytest.approx(airport.area / 1e4, rel=1e-6)
    assert 300.0 < airport.area / 1e4 < 800.0  # hectares


def test_layers_are_what_the_build_makes(layers: dict[str, gpd.GeoDataFrame]) -> None:
    from geodata.build import build_layers

    built = build_layers(layers["district"], layers["context"])
    for name in ("zones", "airport", "runway", "parcels"):
        shipped = geodata.read_layer(name)
        fresh = geodata._normalise(built[name].reset_index(drop=True))  # the same dtype rules as read_layer
        assert list(shipped.columns) == list(fresh.columns), name
        assert len(shipped) == len(fresh), name
        for col in shipped.columns.drop("geometry"):
            left, right = shipped[col], fresh[col]
            if left.dtype.kind == "f":
                np.testing.assert_allclose(left.to_numpy(), right.to_numpy(), rtol=1e-12, err_msg=f"{name}.{col}")
            else:
                assert left.astype(object).fillna("<NA>").tolist() == right.astype(object).fillna("<NA>").tolist(), (
                    f"{name}.{col}")
        assert shapely.equals_exact(shipped.geometry.values, fresh.geometry.values, tolerance=1e-9).all(), name


@pytest.mark.parametrize("name", ["district", "context", "zones", "airport", "parcels"])
def test_every_shipped_polygon_is_valid_in_lon_lat(name: str) -> None:
    # Valid in metres is not enough: the inverse projection can fold a thin spike.
    frame = geodata.read_layer(name)
    reasons = shapely.is_valid_reason(frame.geometry.values)
    assert set(reasons) == {"Valid Geometry"}, reasons
