"""Low-efficiency industrial land: each basis by hand, the industry median and its sample size."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from analysis.low_efficiency import BASIS_COLUMNS, industry_medians, low_efficiency_basis

# an industrial parcel in the incubation zone, division 39, output and tax meeting the standard
_ROW: dict[str, Any] = {"land_use": "industrial", "planned_use": "industrial", "zone_id": "incubation",
                        "industry_code": "39", "safety_hazard": False, "output_per_mu": 800.0,
                        "standard_output_met": True, "standard_tax_met": True}


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    for col in ("safety_hazard", "standard_output_met", "standard_tax_met"):
        frame[col] = frame[col].astype("boolean")
    return frame


def _basis(rows: list[dict[str, Any]], **kw: Any) -> pd.DataFrame:
    return low_efficiency_basis(_frame(rows), **kw)


@pytest.mark.parametrize(
    ("changes", "basis"),
    [
        ({}, ""),
        # hazard and planned for commercial use: conflicts with the plan
        ({"safety_hazard": True, "planned_use": "commercial_office"}, "hazard_conflict"),
        # hazard, division 29 inside an ICV zone: conflicts
        ({"safety_hazard": True, "industry_code": "29"}, "hazard_conflict"),
        # hazard, division 39 in the zone, planned industrial: no conflict
        ({"safety_hazard": True}, ""),
        # hazard, division 29 outside the zones, planned industrial: no conflict
        ({"safety_hazard": True, "industry_code": "29", "zone_id": ""}, ""),
        # hazard, planned use and industry unknown: nothing shows a conflict
        ({"safety_hazard": True, "planned_use": "", "industry_code": ""}, ""),
        # no hazard recorded: a conflict alone is no basis
        ({"safety_hazard": None, "planned_use": "commercial_office"}, ""),
        ({"standard_output_met": False}, "below_standard"),
        ({"standard_tax_met": False}, "below_standard"),
        ({"standard_output_met": False, "standard_tax_met": None}, "below_standard"),
        ({"safety_hazard": True, "planned_use": "logistics", "standard_tax_met": False},
         "hazard_conflict;below_standard"),
    ],
)
def test_hazard_and_standard_bases(changes: dict[str, Any], basis: str) -> None:
    out = _basis([{**_ROW, **changes}]).iloc[0]
    assert out["low_efficiency_basis"] == basis
    assert bool(out["low_efficiency"]) is (basis != "")


def test_below_the_industry_median_with_enough_parcels() -> None:
    # six division-39 parcels meeting the standard: outputs 700, 750, 800, 900, 1000, 1200 -> median 850
    outputs = [700.0, 750.0, 800.0, 900.0, 1000.0, 1200.0]
    rows = [{**_ROW, "output_per_mu": v} for v in outputs]
    rows.append({**_ROW, "output_per_mu": 300.0, "standard_output_met": False})  # 7th: median of 7 = 800
    out = _basis(rows)
    assert out["industry_median_output_per_mu"].tolist() == [800.0] * 7
    assert out["industry_sample_size"].tolist() == [7] * 7
    assert out["low_efficiency_basis"].tolist() == ["below_industry_level", "below_industry_level", "", "", "", "",
                                                    "below_standard"]
    assert out["low_efficiency"].tolist() == [True, True, False, False, False, False, True]


def test_too_few_parcels_give_no_industry_basis() -> None:
    # four parcels: median of 600, 700, 900, 1000 = 800, but 4 < 5
    rows = [{**_ROW, "output_per_mu": v} for v in (600.0, 700.0, 900.0, 1000.0)]
    out = _basis(rows)
    assert out["industry_median_output_per_mu"].tolist() == [800.0] * 4
    assert out["industry_sample_size"].tolist() == [4] * 4
    assert (out["low_efficiency_basis"] == "").all()
    assert _basis(rows, min_sample=4)["low_efficiency_basis"].tolist()[:2] == ["below_industry_level"] * 2


def test_medians_are_per_industry_and_ignore_other_land() -> None:
    rows = [{**_ROW, "industry_code": "36", "output_per_mu": 100.0},
            {**_ROW, "industry_code": "36", "output_per_mu": 300.0},
            {**_ROW, "industry_code": "38", "output_per_mu": 50.0},
            {**_ROW, "industry_code": "36", "output_per_mu": np.nan},
            {**_ROW, "land_use": "commercial_office", "industry_code": "36", "output_per_mu": 9000.0},
            {**_ROW, "industry_code": "", "output_per_mu": 10.0}]
    median, sample = industry_medians(_frame(rows))
    np.testing.assert_allclose(median.to_numpy(), [200.0, 200.0, 50.0, 200.0, np.nan, np.nan])
    assert sample.iloc[:4].tolist() == [2, 2, 1, 2]
    assert sample.iloc[4:].isna().all()


def test_non_industrial_land_never_gets_a_basis() -> None:
    rows = [{**_ROW, "land_use": use, "safety_hazard": True, "planned_use": "residential",
             "standard_output_met": False} for use in ("commercial_office", "logistics", "residential")]
    out = _basis(rows)
    assert list(out.columns) == list(BASIS_COLUMNS)
    assert (out["low_efficiency_basis"] == "").all()
    assert out["low_efficiency"].tolist() == [False, False, False]


def test_industrial_land_that_cannot_be_judged_is_unknown() -> None:
    out = _basis([{**_ROW, "standard_output_met": None, "standard_tax_met": None},
                  {**_ROW, "standard_output_met": True, "standard_tax_met": None}])
    assert out["low_efficiency"].isna().all()
    assert (out["low_efficiency_basis"] == "").all()
