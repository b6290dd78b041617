"""Parcel areas in the metric CRS agree with geodesic areas (parcels/measure.py)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pyproj
import pytest
import shapely

from core.errors import CRSError
from core.settings import SQM_PER_MU
from parcels.measure import parcel_areas_m2, parcel_areas_mu

GEOD = pyproj.Geod(ellps="GRS80")
TO_4548 = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:4548", always_xy=True)


def _parcels() -> gpd.GeoDataFrame:
    """Parcels near Huli (118.05-118.2E, 24.45-24.56N) of sizes from 0.2 ha to 40 ha, in lon/lat."""
    polys = []
    for lon, lat, w, h in [(118.08, 24.50, 0.0005, 0.0004), (118.12, 24.52, 0.002, 0.0015),
                           (118.18, 24.47, 0.006, 0.006), (118.06, 24.55, 0.001, 0.003)]:
        polys.append(shapely.Polygon([(lon, lat), (lon + w, lat), (lon + w, lat + h), (lon, lat + h)]))
    polys.append(shapely.MultiPolygon([shapely.box(118.1, 24.5, 118.101, 24.501), shapely.box(118.103, 24.5, 118.104, 24.501)]))
    return gpd.GeoDataFrame({"parcel_id": list("abcde")}, geometry=polys, crs="EPSG:4326", index=[10, 11, 12, 13, 14])


def test_metric_area_matches_geodesic_within_0_05_percent() -> None:
    frame = _parcels()
    areas = parcel_areas_m2(frame)
    assert areas.index.equals(frame.index)
    for geom, area in zip(frame.geometry, areas, strict=True):
        geodesic = abs(GEOD.geometry_area_perimeter(geom)[0])
        assert abs(area - geodesic) / geodesic < 5e-4


def test_area_of_a_known_rectangle_in_4548() -> None:
    x, y = TO_4548.transform(118.1, 24.5)
    rect = shapely.box(x, y, x + 80, y + 60)
    frame = gpd.GeoDataFrame(geometry=[rect], crs="EPSG:4548").to_crs("EPSG:4326")
    assert parcel_areas_m2(frame).iloc[0] == pytest.approx(4800.0, rel=1e-6)
    assert parcel_areas_mu(frame).iloc[0] == pytest.approx(4800.0 / SQM_PER_MU, rel=1e-6)
    assert 4800.0 / SQM_PER_MU == pytest.approx(7.2)


def test_settings_metric_crs_used(monkeypatch: pytest.MonkeyPatch) -> None:
    frame = _parcels()
    monkeypatch.setenv("HULI_METRIC_CRS", "EPSG:32650")  # UTM 50N also covers Xiamen
    utm = parcel_areas_m2(frame)
    assert np.allclose(utm, parcel_areas_m2(frame, metric_crs="EPSG:4548"), rtol=2e-3)


def test_refuses_missing_or_geographic_crs() -> None:
    frame = _parcels()
    with pytest.raises(CRSError, match="has no CRS"):
        parcel_areas_m2(frame.set_crs(None, allow_override=True))
    with pytest.raises(CRSError, match="not a projected"):
        parcel_areas_m2(frame, metric_crs="EPSG:4490")
