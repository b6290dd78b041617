"""Geometry checks and repair (parcels/geometry.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import shapely

from parcels.geometry import check_geometries, polygonal_parts, validity_reason_text

BOWTIE = shapely.Polygon([(0, 0), (2, 2), (2, 0), (0, 2)])


def test_bowtie_becomes_two_triangles() -> None:
    c = check_geometries([BOWTIE])
    g = c.geometry[0]
    assert g.geom_type == "MultiPolygon" and len(g.geoms) == 2 and g.is_valid
    assert abs(g.area - 2.0) < 1e-12  # two triangles of area 1 each
    assert c.repaired[0] and c.reason[0].startswith("Self-intersection")


def test_classification() -> None:
    geoms = [
        shapely.box(0, 0, 1, 1),
        None,
        shapely.Polygon(),
        shapely.Point(0, 0),
        shapely.LineString([(0, 0), (1, 1)]),
        shapely.MultiPolygon([shapely.box(0, 0, 1, 1), shapely.box(2, 2, 3, 3)]),
        shapely.GeometryCollection([shapely.Point(0, 0), shapely.box(0, 0, 1, 1)]),
        shapely.Polygon([(0, 0), (1, 1), (2, 2), (0, 0)]),  # collapses to a line when repaired
        shapely.Polygon([(0, 0, 5), (1, 0, 5), (1, 1, 5)]),
    ]
    c = check_geometries(geoms)
    assert c.missing.tolist() == [False, True, True, False, False, False, False, False, False]
    assert c.non_polygon.tolist() == [False, False, False, True, True, False, False, True, False]
    assert c.repaired.tolist() == [False] * 9
    assert c.input_type.tolist()[:5] == ["Polygon", "", "Polygon", "Point", "LineString"]
    assert c.geometry[5].geom_type == "MultiPolygon"
    assert c.geometry[6].equals(shapely.box(0, 0, 1, 1))
    assert not shapely.has_z(c.geometry[8])
    usable = ~(c.missing | c.non_polygon)
    assert set(shapely.get_type_id(c.geometry[usable])) <= {3, 6}


def test_polygonal_parts_of_nested_collection() -> None:
    coll = shapely.GeometryCollection(
        [shapely.MultiPolygon([shapely.box(0, 0, 1, 1), shapely.box(2, 0, 3, 1)]), shapely.box(5, 5, 6, 6),
         shapely.LineString([(0, 0), (9, 9)])]
    )
    out = polygonal_parts(np.array([coll, shapely.Point(1, 1)], dtype=object))
    assert out[0].geom_type == "MultiPolygon" and len(out[0].geoms) == 3 and out[1] is None


def test_input_not_modified() -> None:
    geoms = np.array([BOWTIE], dtype=object)
    check_geometries(geoms)
    assert geoms[0] is BOWTIE and not geoms[0].is_valid


@pytest.mark.parametrize(("reason", "zh", "en"), [
    ("Self-intersection[118.1 24.5]", "自相交（位置 118.1 24.5）", "self-intersection at 118.1 24.5"),
    ("Ring Self-intersection[1 2]", "环自相交（位置 1 2）", "ring self-intersection at 1 2"),
    ("Too few points in geometry component[118.2 24.6]", "几何部件的点数过少（位置 118.2 24.6）",
     "too few points in a geometry component at 118.2 24.6"),
    ("Hole lies outside shell[3 4]", "内环位于外环之外（位置 3 4）", "hole lies outside the shell at 3 4"),
    ("Nested shells[5 6]", "外环相互嵌套（位置 5 6）", "nested shells at 5 6"),
    ("Interior is disconnected[7 8]", "内部不连通（位置 7 8）", "interior is disconnected at 7 8"),
    ("Invalid Coordinate[nan nan]", "坐标无效（位置 nan nan）", "invalid coordinate at nan nan"),
    ("Duplicate Rings[0 0]", "环重复（位置 0 0）", "duplicate rings at 0 0"),
    ("Nested holes[1.5 2.5]", "内环相互嵌套（位置 1.5 2.5）", "nested holes at 1.5 2.5"),
    ("Hole lies outside shell", "内环位于外环之外", "hole lies outside the shell"),
    ("Some new GEOS wording[1 2]", "Some new GEOS wording[1 2]", "Some new GEOS wording[1 2]"),
])
def test_validity_reasons_in_both_languages_keep_the_coordinates(reason: str, zh: str, en: str) -> None:
    assert validity_reason_text(reason, "zh") == zh
    assert validity_reason_text(reason, "en") == en


def test_a_repaired_bow_tie_is_reported_in_words_of_each_language(tmp_path: Path) -> None:
    import geopandas as gpd

    from parcels.read import read_parcels

    bow = shapely.from_wkt("POLYGON((118.1 24.5, 118.101 24.501, 118.101 24.5, 118.1 24.501, 118.1 24.5))")
    path = tmp_path / "bow.geojson"
    gpd.GeoDataFrame({"parcel_id": ["B1"]}, geometry=[bow], crs="EPSG:4326").to_file(path, driver="GeoJSON")
    result = read_parcels(path)
    issue = result.report.of_code("invalid_geometry_repaired")[0]
    assert "自相交（位置 118.1005 24.5005）" in issue.message_zh and "Self-intersection" not in issue.message_zh
    assert "self-intersection at 118.1005 24.5005" in issue.message_en
    assert issue.value == "Self-intersection[118.1005 24.5005]"  # the raw reason stays in the value
