"""Column-name mapping onto the canonical schema (parcels/fields.py)."""

from __future__ import annotations

import pytest

from core.errors import SchemaError
from parcels.fields import map_fields, normalise_name
from parcels.schema import CANONICAL_FIELDS


@pytest.mark.parametrize(
    ("column", "field"),
    [
        ("宗地编号", "parcel_id"), ("地块编号", "parcel_id"), ("ZDBH", "parcel_id"), ("zdbh", "parcel_id"),
        (" ZdBh ", "parcel_id"), ("ＺＤＢＨ", "parcel_id"), ("ZD_BH", "parcel_id"), ("Parcel ID", "parcel_id"),
        ("权利人", "enterprise"), ("企业名称", "enterprise"), ("QLR", "enterprise"),
        ("土地用途", "land_use"), ("用地性质", "land_use"), ("地类名称", "land_use"),
        ("出让日期", "lease_start"), ("出让年限", "lease_years"), ("终止日期", "lease_end"),
        ("使用期限止", "lease_end"), ("产值", "output_value"), ("工业总产值", "output_value"),
        ("税收", "tax"), ("实缴税金", "tax"), ("投资总额", "investment"), ("综合能耗", "energy"),
        ("研发经费", "rd_expense"), ("营业收入", "revenue"), ("从业人员", "employees"),
        ("建筑面积", "floor_area"), ("宗地面积", "declared_area"), ("功能区", "zone_id"),
        ("主营业务收", "revenue"),  # 主营业务收入 cut by the DBF 10-byte name limit (GBK)
        ("宗地编", "parcel_id"),  # 宗地编号 cut mid-character in UTF-8
    ],
)
def test_alias(column: str, field: str) -> None:
    assert map_fields([column]).mapping == {column: field}


def test_every_alias_of_the_schema_maps_to_its_field() -> None:
    for spec in CANONICAL_FIELDS:
        for alias in (spec.name, *spec.aliases):
            assert map_fields([alias]).mapping == {alias: spec.name}, alias


def test_unmapped_and_missing() -> None:
    fm = map_fields(["宗地编号", "备注", "OBJECTID", "Shape_Area"])
    assert fm.mapping == {"宗地编号": "parcel_id"}
    assert fm.unmapped == ["备注", "OBJECTID", "Shape_Area"]
    assert "enterprise" in fm.missing and "parcel_id" not in fm.missing


@pytest.mark.parametrize("short", ["使用", "用地", "ab", "zd"])
def test_short_or_ambiguous_prefix_not_mapped(short: str) -> None:
    assert map_fields([short]).mapping == {}


def test_two_columns_for_one_field_earliest_alias_wins() -> None:
    fm = map_fields(["用途", "土地用途", "ZDBH", "宗地编号"])
    assert fm.mapping == {"土地用途": "land_use", "宗地编号": "parcel_id"}
    assert fm.shadowed == {"用途": "土地用途", "ZDBH": "宗地编号"}
    assert fm.unmapped == ["用途", "ZDBH"]


def test_override_wins() -> None:
    fm = map_fields(["备注", "土地用途"], field_map={"备注": "land_use"})
    assert fm.mapping == {"备注": "land_use"}
    assert fm.shadowed == {"土地用途": "备注"}


@pytest.mark.parametrize(
    ("field_map", "match"),
    [
        ({"nope": "tax"}, "does not have"),
        ({"备注": "taxes"}, "not a canonical field"),
        ({"备注": "tax", "其他": "tax"}, "same field"),
    ],
)
def test_bad_overrides(field_map: dict[str, str], match: str) -> None:
    with pytest.raises(SchemaError, match=match):
        map_fields(["备注", "其他"], field_map=field_map)


def test_normalise_name() -> None:
    assert normalise_name("  Ｚｄ_ Bh\u3000") == "zdbh"
