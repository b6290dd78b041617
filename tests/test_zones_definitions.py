"""Zone definitions and loading a zone layer."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import box

import geodata
from core.errors import CRSError, InputFileError, SchemaError
from parcels.schema import ZONE_IDS
from zones.definitions import ZONE_BY_ID, ZONE_COLUMNS, ZONES, load_zones, normalise_zones, zone_id_from_name


def test_three_zones_with_bilingual_text() -> None:
    assert tuple(z.zone_id for z in ZONES) == ZONE_IDS
    for z in ZONES:
        assert z.name_zh and z.name_en and z.carriers_zh and z.carriers_en and z.policy_zh and z.policy_en
    assert "信息光电园" in ZONE_BY_ID["hq"].carriers_zh
    assert "金鹭特种" in ZONE_BY_ID["incubation"].policy_zh
    assert "高崎机场" in ZONE_BY_ID["demonstration"].carriers_zh


@pytest.mark.parametrize(
    ("value", "zone"),
    [
        ("hq", "hq"),
        ("HQ", "hq"),
        ("汽车电子总部经济区", "hq"),
        ("智能网联系统产业孵化区", "incubation"),
        ("Incubation zone", "incubation"),
        ("场景示范区", "demonstration"),
        ("", None),
        (None, None),
        ("zone 9", None),
    ],
)
def test_zone_id_from_name(value: object, zone: str | None) -> None:
    assert zone_id_from_name(value) == zone


def _write(tmp_path: Path, frame: gpd.GeoDataFrame, name: str = "zones.gpkg") -> Path:
    path = tmp_path / name
    frame.to_file(path, engine="pyogrio")
    return path


def test_load_user_file_with_chinese_names_in_metric_crs(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame(
        {"名称": ["智能网联系统产业孵化区", "汽车电子总部经济区", "汽车电子总部经济区"]},
        geometry=[box(500000, 2715000, 501000, 2716000), box(502000, 2715000, 503000, 2716000),
                  box(503000, 2715000, 504000, 2716000)],
        crs="EPSG:4548",
    )
    zones = load_zones(_write(tmp_path, frame))
    assert list(zones.columns) == list(ZONE_COLUMNS)
    assert zones["zone_id"].tolist() == ["hq", "incubation"]  # canonical order; two hq features merged
    assert zones.crs.to_epsg() == 4326
    assert zones.loc[0, "name_zh"] == "汽车电子总部经济区"
    assert zones.loc[0, "policy_en"] == ZONE_BY_ID["hq"].policy_en
    hq_area = gpd.GeoSeries([zones.geometry.iloc[0]], crs=4326).to_crs(4548).area.iloc[0]
    assert hq_area == pytest.approx(2_000_000, rel=1e-6)


def test_zone_id_column_preferred(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame(
        {"zone_id": ["demonstration"], "name_zh": ["我的示范区"]},
        geometry=[box(118.1, 24.5, 118.11, 24.51)],
        crs="EPSG:4490",
    )
    zones = load_zones(_write(tmp_path, frame, "z.geojson"))
    assert zones["zone_id"].tolist() == ["demonstration"]
    assert zones["name_zh"].tolist() == ["我的示范区"]


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="does not exist"):
        load_zones(tmp_path / "nope.gpkg")


def test_no_crs_is_refused() -> None:
    frame = gpd.GeoDataFrame({"zone_id": ["hq"]}, geometry=[box(0, 0, 1, 1)])
    with pytest.raises(CRSError, match="no CRS"):
        normalise_zones(frame)


def test_no_identifying_column() -> None:
    frame = gpd.GeoDataFrame({"area": [1.0]}, geometry=[box(0, 0, 1, 1)], crs=4326)
    with pytest.raises(SchemaError, match="no zone_id or name column"):
        normalise_zones(frame)


def test_unknown_zone_value() -> None:
    frame = gpd.GeoDataFrame({"zone_id": ["hq", "port"]}, geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)], crs=4326)
    with pytest.raises(SchemaError, match="port"):
        normalise_zones(frame)



def test_embedded_zones() -> None:
    zones = geodata.embedded_zones()
    assert zones["zone_id"].tolist() == list(ZONE_IDS)
    assert zones.crs.to_epsg() == 4326
    assert zones.geometry.is_valid.all()


def test_self_intersecting_zone_is_repaired_to_polygons() -> None:
    bowtie = shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1)])
    frame = gpd.GeoDataFrame({"zone_id": ["hq"]}, geometry=[bowtie], crs=4326)
    zones = normalise_zones(frame)
    geom = zones.geometry.iloc[0]
    assert geom.is_valid
    assert geom.geom_type in ("Polygon", "MultiPolygon")
    assert geom.area == pytest.approx(0.5)
