"""Parcel -> zone assignment by largest overlap."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import MultiPolygon, box

from core.errors import CRSError, SchemaError
from zones.assign import assign_zones, assign_zones_detailed, spatial_zones

METRIC = "EPSG:4548"
X0, Y0 = 500_000.0, 2_715_000.0  # inside EPSG:4548's area near Xiamen


def _zones() -> gpd.GeoDataFrame:
    # three 1 km squares side by side: hq | incubation | demonstration
    return gpd.GeoDataFrame(
        {"zone_id": ["hq", "incubation", "demonstration"]},
        geometry=[box(X0 + 1000 * i, Y0, X0 + 1000 * (i + 1), Y0 + 1000) for i in range(3)],
        crs=METRIC,
    )


def _parcels(geoms, **cols) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(cols, geometry=geoms, crs=METRIC)


def test_parcel_takes_zone_of_largest_overlap() -> None:
    parcels = _parcels(
        [
            box(X0 + 100, Y0 + 100, X0 + 200, Y0 + 200),  # inside hq
            box(X0 + 900, Y0 + 100, X0 + 1300, Y0 + 200),  # 100 m in hq, 300 m in incubation
            box(X0 + 1950, Y0 + 100, X0 + 2010, Y0 + 200),  # 50 in incubation, 10 in demonstration
            box(X0 + 5000, Y0, X0 + 5100, Y0 + 100),  # outside
        ]
    )
    assert assign_zones(parcels, _zones()).tolist() == ["hq", "incubation", "incubation", ""]


def test_result_is_index_aligned_and_named() -> None:
    parcels = _parcels([box(X0 + 100, Y0 + 100, X0 + 200, Y0 + 200), box(X0 + 5000, Y0, X0 + 5100, Y0 + 100)])
    parcels.index = pd.Index([42, 7])
    out = assign_zones(parcels, _zones())
    assert out.name == "zone_id"
    assert out.index.tolist() == [42, 7]
    assert out.loc[42] == "hq" and out.loc[7] == ""


def test_exact_tie_goes_to_canonical_zone_order() -> None:
    # half in hq, half in incubation; zones given in reverse order
    parcels = _parcels([box(X0 + 900, Y0 + 100, X0 + 1100, Y0 + 200)])
    zones = _zones().iloc[::-1].reset_index(drop=True)
    assert assign_zones(parcels, zones).tolist() == ["hq"]


def test_touching_only_is_outside() -> None:
    parcels = _parcels([box(X0 + 3000, Y0, X0 + 3100, Y0 + 100)])  # shares an edge with demonstration
    assert assign_zones(parcels, _zones()).tolist() == [""]


def test_multipolygon_parts_add_up() -> None:
    # two parts in incubation (2 x 100 m^2) outweigh one larger part in hq (150 m^2)
    geom = MultiPolygon(
        [
            box(X0 + 500, Y0 + 500, X0 + 515, Y0 + 510),
            box(X0 + 1100, Y0 + 100, X0 + 1110, Y0 + 110),
            box(X0 + 1200, Y0 + 100, X0 + 1210, Y0 + 110),
        ]
    )
    assert assign_zones(_parcels([geom]), _zones()).tolist() == ["incubation"]


def test_works_across_crs() -> None:
    parcels = _parcels([box(X0 + 1100, Y0 + 100, X0 + 1200, Y0 + 200)]).to_crs("EPSG:4326")
    assert assign_zones(parcels, _zones(), metric_crs=METRIC).tolist() == ["incubation"]


def test_declared_zone_precedence_and_disagreements() -> None:
    parcels = _parcels(
        [
            box(X0 + 100, Y0 + 100, X0 + 200, Y0 + 200),  # overlaps hq, declares incubation -> hq
            box(X0 + 5000, Y0, X0 + 5100, Y0 + 100),  # outside, declares 示范区 -> demonstration
            box(X0 + 5200, Y0, X0 + 5300, Y0 + 100),  # outside, declares nonsense -> ""
            box(X0 + 1100, Y0 + 100, X0 + 1200, Y0 + 200),  # overlaps incubation, declares it too
        ],
        zone_id=["incubation", "智能网联汽车场景示范区", "zone 9", "incubation"],
    )
    result = assign_zones_detailed(parcels, _zones())
    assert result.zone_id.tolist() == ["hq", "demonstration", "", "incubation"]
    assert result.source.tolist() == ["spatial", "declared", "none", "spatial"]
    assert result.disagreements == 1
    assert result.spatial.tolist() == ["hq", "", "", "incubation"]


def test_empty_parcels() -> None:
    out = assign_zones(_parcels([]), _zones())
    assert len(out) == 0


def test_missing_crs_is_refused() -> None:
    parcels = gpd.GeoDataFrame(geometry=[box(0, 0, 1, 1)])
    with pytest.raises(CRSError, match="no CRS"):
        assign_zones(parcels, _zones())


def test_zone_layer_needs_zone_id() -> None:
    zones = _zones().rename(columns={"zone_id": "name"})
    with pytest.raises(SchemaError, match="zone_id"):
        spatial_zones(_parcels([box(X0, Y0, X0 + 1, Y0 + 1)]), zones)


def test_input_is_not_modified() -> None:
    parcels = _parcels([box(X0 + 100, Y0 + 100, X0 + 200, Y0 + 200)], zone_id=["demonstration"])
    before = parcels.copy()
    assign_zones(parcels, _zones())
    pd.testing.assert_frame_equal(parcels, before)
