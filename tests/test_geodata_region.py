"""The region of interest: the district outline (or ``HULI_REGION``) with a margin, in lon/lat."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pyproj
import pytest
import shapely

import geodata
from core.errors import ConfigError
from geodata.region import region_of_interest

TO_4548 = pyproj.Transformer.from_crs(4326, 4548, always_xy=True)
TO_4326 = pyproj.Transformer.from_crs(4548, 4326, always_xy=True)


@pytest.fixture(autouse=True)
def _defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HULI_REGION", raising=False)
    monkeypatch.delenv("HULI_REGION_MARGIN_M", raising=False)


def test_default_is_the_district_with_its_margin() -> None:
    region = region_of_interest()
    assert region is region_of_interest()  # built once
    district = shapely.union_all(geodata.read_layer("district").geometry.to_numpy())
    assert region.contains(district.representative_point())
    assert not region.intersects(shapely.Point(116.4, 39.9))  # Beijing
    # the district's westmost vertex moved 900 m west is inside (margin 1000 m), 1100 m west is not
    x, y = shapely.get_coordinates(district)[shapely.get_coordinates(district)[:, 0].argmin()]
    mx, my = TO_4548.transform(x, y)
    assert region.contains(shapely.Point(TO_4326.transform(mx - 900, my)))
    assert not region.contains(shapely.Point(TO_4326.transform(mx - 1100, my)))


def _square(tmp_path: Path) -> tuple[Path, float, float]:
    """A 1 km square in EPSG:4548 near Huli, as a GeoPackage; its east edge and mid height."""
    x0, y0 = TO_4548.transform(118.1, 24.5)
    path = tmp_path / "region.gpkg"
    gpd.GeoDataFrame(geometry=[shapely.box(x0, y0, x0 + 1000, y0 + 1000)], crs="EPSG:4548").to_file(path)
    return path, x0 + 1000, y0 + 500


def test_region_layer_and_margin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path, east, mid = _square(tmp_path)
    monkeypatch.setenv("HULI_REGION", str(path))
    monkeypatch.setenv("HULI_REGION_MARGIN_M", "200")
    region = region_of_interest()
    assert region.contains(shapely.Point(TO_4326.transform(east + 150, mid)))
    assert not region.contains(shapely.Point(TO_4326.transform(east + 250, mid)))
    monkeypatch.setenv("HULI_REGION_MARGIN_M", "0")
    assert not region_of_interest().contains(shapely.Point(TO_4326.transform(east + 150, mid)))


def test_region_not_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HULI_REGION", str(tmp_path / "none.gpkg"))
    with pytest.raises(ConfigError, match=r"HULI_REGION=.*is not a file"):
        region_of_interest()


def test_region_without_polygons(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "points.gpkg"
    gpd.GeoDataFrame(geometry=[shapely.Point(118.1, 24.5)], crs="EPSG:4326").to_file(path)
    monkeypatch.setenv("HULI_REGION", str(path))
    with pytest.raises(ConfigError, match=r"polygon layer with a CRS \(received no polygons\)") as info:
        region_of_interest()
    assert "没有面要素" in info.value.message_zh
