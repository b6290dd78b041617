"""Industry codes, yes/no flags and shares read from the forms tables write them in."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from parcels.attributes import canonical_attributes
from parcels.fields import map_fields
from parcels.flags import parse_yes_no
from parcels.industry import parse_industry_codes
from parcels.numbers import coerce_share


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("C39", "39"), ("39", "39"), ("c39", "39"), ("Ｃ３９", "39"), ("C3961", "39"), ("3670", "36"),
        ("计算机、通信和其他电子设备制造业", "39"), ("计算机，通信和其他电子设备制造业", "39"),
        ("C38 电气机械和器材制造业", "38"), ("汽车制造业", "36"),
        ("金属制品、机械和设备修理业", "43"), ("金属制品业", "33"),
        ("F52", "52"),  # a division outside manufacturing is kept; the control standard does not rate it
    ],
)
def test_industry_codes_and_names_give_the_division(raw: str, code: str) -> None:
    codes, bad = parse_industry_codes(pd.Series([raw], dtype=object))
    assert codes.iloc[0] == code
    assert not bad.iloc[0]


def test_numbers_empty_and_unknown_industries() -> None:
    codes, bad = parse_industry_codes(pd.Series([39.0, np.nan]))
    assert codes.iloc[0] == "39" and pd.isna(codes.iloc[1])
    assert bad.tolist() == [False, False]
    codes, bad = parse_industry_codes(pd.Series(["C99", "汽车", "", None], dtype=object))
    assert codes.isna().all()
    assert bad.tolist() == [True, True, False, False]


@pytest.mark.parametrize("raw", ["是", "有", "Y", "y", "yes", "TRUE", "true", "1", 1, " Ｙ ", "√"])
def test_yes_values(raw: object) -> None:
    flags, bad = parse_yes_no(pd.Series([raw], dtype=object))
    assert flags.iloc[0] is np.True_ or flags.iloc[0] is True
    assert not bad.iloc[0]


@pytest.mark.parametrize("raw", ["否", "无", "N", "no", "False", "false", "0", 0, "×"])
def test_no_values(raw: object) -> None:
    flags, bad = parse_yes_no(pd.Series([raw], dtype=object))
    assert not bool(flags.iloc[0])
    assert not pd.isna(flags.iloc[0])
    assert not bad.iloc[0]


def test_flags_from_numbers_booleans_and_unknowns() -> None:
    flags, bad = parse_yes_no(pd.Series([1.0, 0.0, np.nan]))
    assert flags.tolist()[:2] == [True, False] and pd.isna(flags.iloc[2])
    flags, _ = parse_yes_no(pd.Series([True, False]))
    assert flags.tolist() == [True, False]
    flags, bad = parse_yes_no(pd.Series(["maybe", "", None], dtype=object))
    assert flags.isna().all()
    assert bad.tolist() == [True, False, False]


def test_shares_from_fractions_and_percentages() -> None:
    shares, bad, converted = coerce_share(pd.Series(["0.35", "35%", "35", "１５％", None, "150", "x", "1"], dtype=object))
    expected = [0.35, 0.35, 0.35, 0.15, np.nan, np.nan, np.nan, 1.0]
    np.testing.assert_allclose(shares.to_numpy(), expected)
    assert bad.tolist() == [False, False, False, False, False, True, True, False]
    assert converted.tolist() == [False, True, True, True, False, False, False, False]


def test_the_reader_maps_and_parses_the_new_fields() -> None:
    src = pd.DataFrame({
        "宗地编号": ["a", "b", "c"],
        "国民经济行业": ["C39", "汽车制造业", "??"],
        "安全隐患": ["是", "无", "maybe"],
        "绿地率": ["15%", "0.2", None],
        "建筑系数": [45, 0.4, None],
        "行政办公及生活服务设施用地占比": [0.05, 0.1, None],
    })
    fm = map_fields(src.columns)
    assert fm.mapping["国民经济行业"] == "industry_code"
    assert fm.mapping["安全隐患"] == "safety_hazard"
    out, issues = canonical_attributes(src, fm.mapping, np.arange(1, 4))
    assert out["industry_code"].iloc[:2].tolist() == ["39", "36"] and pd.isna(out["industry_code"].iloc[2])
    assert out["safety_hazard"].iloc[:2].tolist() == [True, False] and pd.isna(out["safety_hazard"].iloc[2])
    np.testing.assert_allclose(out["green_ratio"].to_numpy(), [0.15, 0.2, np.nan])
    np.testing.assert_allclose(out["building_coverage"].to_numpy(), [0.45, 0.4, np.nan])
    np.testing.assert_allclose(out["admin_land_share"].to_numpy(), [0.05, 0.1, np.nan])
    codes = {(i.code, i.parcel_id) for i in issues}
    assert ("unknown_industry", "c") in codes
    assert ("unparsable_flag", "c") in codes
    assert ("unit_converted", "a") in codes  # 15 % and 45 read as percentages


@pytest.mark.parametrize("alias", ["行业代码", "行业类别", "所属行业", "国民经济行业", "industry_code"])
def test_industry_aliases(alias: str) -> None:
    assert map_fields([alias]).mapping == {alias: "industry_code"}


def test_a_layer_without_the_new_fields_gets_them_empty() -> None:
    src = pd.DataFrame({"宗地编号": ["a"]})
    out, _ = canonical_attributes(src, map_fields(src.columns).mapping, np.arange(1, 2))
    assert pd.isna(out["industry_code"].iloc[0]) and pd.isna(out["safety_hazard"].iloc[0])
    assert out["safety_hazard"].dtype == "boolean"
    assert np.isnan(out["green_ratio"].iloc[0])


def test_standard_factory_and_the_admin_floor_share_are_read() -> None:
    src = pd.DataFrame({
        "宗地编号": ["a", "b", "c"],
        "是否标准厂房": ["是", "否", "unknown"],
        "行政办公及生活服务设施建筑面积占比": ["18%", 0.25, None],
    })
    fm = map_fields(src.columns)
    assert fm.mapping == {"宗地编号": "parcel_id", "是否标准厂房": "standard_factory",
                          "行政办公及生活服务设施建筑面积占比": "admin_floor_share"}
    out, issues = canonical_attributes(src, fm.mapping, np.arange(1, 4))
    assert out["standard_factory"].iloc[:2].tolist() == [True, False] and pd.isna(out["standard_factory"].iloc[2])
    assert out["standard_factory"].dtype == "boolean"
    np.testing.assert_allclose(out["admin_floor_share"].to_numpy(), [0.18, 0.25, np.nan])
    flagged = [i for i in issues if i.code == "unparsable_flag"]
    assert [(i.parcel_id, i.field) for i in flagged] == [("c", "standard_factory")]
    assert "标准厂房“unknown”不是是/否" in flagged[0].message_zh


@pytest.mark.parametrize("alias", ["标准厂房", "是否标准厂房", "standard_factory"])
def test_standard_factory_aliases(alias: str) -> None:
    assert map_fields([alias]).mapping == {alias: "standard_factory"}
