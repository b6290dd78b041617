"""Geometry checks and repair (parcels/geometry.py)."""

from __future__ import annotations

import numpy as np
import shapely

from parcels.geometry import check_geometries, polygonal_parts

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
