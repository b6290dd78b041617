"""Each industrial parcel against its industry's row of the control standard, indicator by indicator."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from analysis.control_check import CHECK_COLUMNS, check_control_standard
from analysis.control_standard import ControlStandard, standard_from_dict


def _v(value: float) -> dict[str, Any]:
    return {"value": value, "status": "illustrative"}


def _standard() -> ControlStandard:
    """Division 39: FAR ≥ 1.2, investment ≥ 450, output ≥ 700, tax ≥ 35; common coverage ≥ 0.40,
    admin land ≤ 0.07, green ≤ 0.20."""
    return standard_from_dict({
        "title": "test", "edition": 2020,
        "common": {"building_coverage_min": _v(0.40), "admin_land_share_max": _v(0.07), "green_ratio_max": _v(0.20)},
        "divisions": {"39": {"name_zh": "计算机、通信和其他电子设备制造业", "far_min": _v(1.2),
                             "investment_per_mu_min": _v(450.0), "output_per_mu_min": _v(700.0),
                             "tax_per_mu_min": _v(35.0)}},
    })


# a parcel meeting every indicator of division 39
_GOOD: dict[str, Any] = {"land_use": "industrial", "industry_code": "39", "far": 1.5, "investment_per_mu": 500.0,
                         "output_per_mu": 800.0, "tax_per_mu": 40.0, "building_coverage": 0.45,
                         "admin_land_share": 0.05, "green_ratio": 0.15}


def _check(rows: list[dict[str, Any]], **kw: Any) -> pd.DataFrame:
    return check_control_standard(pd.DataFrame(rows), standard=_standard(), **kw)


def test_a_parcel_meeting_all_seven_meets_the_standard() -> None:
    out = _check([_GOOD])
    assert list(out.columns) == list(CHECK_COLUMNS)
    assert out.iloc[0].tolist() == [True] * 8


@pytest.mark.parametrize(
    ("column", "value", "met"),
    [
        ("far", 1.2, True), ("far", 1.19, False),                      # ≥ 1.2
        ("investment_per_mu", 450.0, True), ("investment_per_mu", 449.9, False),
        ("output_per_mu", 700.0, True), ("output_per_mu", 412.0, False),
        ("tax_per_mu", 35.0, True), ("tax_per_mu", 34.9, False),
        ("building_coverage", 0.40, True), ("building_coverage", 0.36, False),  # 36 % < 40 %
        ("admin_land_share", 0.07, True), ("admin_land_share", 0.08, False),    # ≤ 7 %
        ("green_ratio", 0.20, True), ("green_ratio", 0.21, False),              # ≤ 20 %
    ],
)
def test_each_indicator_at_and_beyond_its_limit(column: str, value: float, met: bool) -> None:
    verdict = {"far": "standard_far_met", "investment_per_mu": "standard_investment_met",
               "output_per_mu": "standard_output_met", "tax_per_mu": "standard_tax_met",
               "building_coverage": "standard_coverage_met", "admin_land_share": "standard_admin_land_met",
               "green_ratio": "standard_green_met"}[column]
    out = _check([{**_GOOD, column: value}]).iloc[0]
    assert bool(out[verdict]) is met
    assert bool(out["meets_control_standard"]) is met  # the other six are met
    others = [c for c in CHECK_COLUMNS[:-1] if c != verdict]
    assert out[others].tolist() == [True] * 6


def test_one_unknown_value_leaves_the_standard_unknown_one_failure_decides() -> None:
    out = _check([{**_GOOD, "green_ratio": np.nan}, {**_GOOD, "green_ratio": np.nan, "tax_per_mu": 10.0}])
    assert out["standard_green_met"].isna().all()
    assert out["meets_control_standard"].iloc[0] is pd.NA  # six met, one unknown
    assert not out["meets_control_standard"].iloc[1]       # tax 10 < 35 decides


def test_unknown_industry_no_row_and_non_industrial_land_are_unknown() -> None:
    out = _check([{**_GOOD, "industry_code": ""}, {**_GOOD, "industry_code": "32"},
                  {**_GOOD, "land_use": "commercial_office"}])
    assert out.isna().all().all()


def test_fallback_minimums_judge_output_and_tax_of_parcels_without_a_row() -> None:
    rows = [{**_GOOD, "industry_code": "32", "output_per_mu": 250.0, "tax_per_mu": 20.0},
            {**_GOOD, "industry_code": "", "output_per_mu": 350.0, "tax_per_mu": 20.0},
            {**_GOOD, "output_per_mu": 650.0}]  # division 39 keeps its own 700
    out = _check(rows, fallback_output_per_mu=300.0, fallback_tax_per_mu=15.0)
    assert out["standard_output_met"].tolist() == [False, True, False]
    assert out["standard_tax_met"].tolist() == [True, True, True]
    assert out["standard_far_met"].iloc[:2].isna().all()  # no fallback for the other five
    assert not out["meets_control_standard"].iloc[0]  # output 250 < 300
    assert out["meets_control_standard"].iloc[1] is pd.NA


def test_the_input_is_not_modified_and_the_index_kept() -> None:
    frame = pd.DataFrame([_GOOD, _GOOD], index=[10, 20])
    before = frame.copy()
    out = check_control_standard(frame, standard=_standard())
    pd.testing.assert_frame_equal(frame, before)
    assert out.index.tolist() == [10, 20]


def _with_factory_and_floor() -> ControlStandard:
    """The test table plus the standard factories' coverage minimum (0.35) and the admin floor maximum (0.20)."""
    return standard_from_dict({
        "title": "test", "edition": 2020,
        "common": {"building_coverage_min": _v(0.40), "building_coverage_min_standard_factory": _v(0.35),
                   "admin_land_share_max": _v(0.07), "admin_floor_share_max": _v(0.20), "green_ratio_max": _v(0.20)},
        "divisions": {"39": {"name_zh": "计算机、通信和其他电子设备制造业", "far_min": _v(1.2),
                             "investment_per_mu_min": _v(450.0), "output_per_mu_min": _v(700.0),
                             "tax_per_mu_min": _v(35.0)}},
    })


@pytest.mark.parametrize(("factory", "coverage", "met"), [
    (True, 0.37, True),     # a standard factory: 37 % ≥ 35 %
    (True, 0.34, False),    # 34 % < 35 %
    (False, 0.37, False),   # any other plant: 37 % < 40 %
    (None, 0.37, False),    # not recorded: the general 40 %
    (False, 0.40, True),
])
def test_a_standard_factory_is_held_to_its_own_coverage_minimum(factory: bool | None, coverage: float,
                                                                  met: bool) -> None:
    row = {**_GOOD, "standard_factory": factory, "building_coverage": coverage}
    out = check_control_standard(pd.DataFrame([row]).astype({"standard_factory": "boolean"}),
                                 standard=_with_factory_and_floor())
    assert bool(out["standard_coverage_met"].iloc[0]) is met


def test_without_the_factory_figure_a_standard_factory_takes_the_general_minimum() -> None:
    out = _check([{**_GOOD, "standard_factory": True, "building_coverage": 0.37}])  # the table has no 35 %
    assert bool(out["standard_coverage_met"].iloc[0]) is False


@pytest.mark.parametrize(("land", "floor", "met"), [
    (0.05, 0.15, True),     # both within: 5 % ≤ 7 %, 15 % ≤ 20 %
    (0.05, 0.25, False),    # the offices' floor area over 20 %
    (0.05, None, True),     # the floor share not recorded: judged on the land share
    (0.08, 0.15, False),    # the land share over 7 %
    (None, 0.25, False),    # land unknown, but the floor share alone fails it
    (None, 0.15, None),     # land unknown, floor within: not enough is known
])
def test_the_admin_indicator_limits_land_and_floor_shares(land: float | None, floor: float | None,
                                                          met: bool | None) -> None:
    row = {**_GOOD, "admin_land_share": land, "admin_floor_share": floor}
    out = check_control_standard(pd.DataFrame([row]), standard=_with_factory_and_floor())
    got = out["standard_admin_land_met"].iloc[0]
    assert (got is pd.NA) if met is None else (bool(got) is met)
    meets = out["meets_control_standard"].iloc[0]
    assert (meets is pd.NA) if met is None else (bool(meets) is met)  # the other six are met
