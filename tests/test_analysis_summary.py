"""District and per-zone key figures."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest

from analysis.summary import jsonable, summarise


def _analysed() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "zone_id": ["hq", "incubation", "incubation", ""],
            "area_mu": [15.0, 30.0, 7.5, 3.0],
            "land_use": ["industrial", "industrial", "commercial_office", "residential"],
            "planned_use": ["industrial", "commercial_office", None, None],
            "lease_end": pd.to_datetime(["2030-01-01", "2026-05-01", None, "2080-01-01"]).astype("datetime64[ms]"),
            "expiry_status": ["within_5y", "within_5y", "unknown", "beyond_10y"],
            "efficiency_class": ["B", "D", "unrated", "unrated"],
            "low_efficiency": pd.array([False, True, False, False], dtype="boolean"),
            "output_value": [6000.0, 300.0, np.nan, np.nan],
            "tax": [300.0, 6.0, np.nan, np.nan],
            "output_per_mu": [400.0, 10.0, np.nan, np.nan],
            "converted_land": [False, False, True, False],
            "recommendation": ["hq_electronics", "reserve_industrial", "building_economy", "none"],
        }
    )


def test_jsonable() -> None:
    data = {"a": np.int64(3), "b": np.float64("nan"), "c": [pd.NA, pd.NaT, np.bool_(True)],
            "d": pd.Timestamp("2025-01-02"), "e": dt.date(2025, 1, 3), "f": float("inf")}
    assert jsonable(data) == {"a": 3, "b": None, "c": [None, None, True], "d": "2025-01-02", "e": "2025-01-03",
                              "f": None}


def test_summary_by_hand() -> None:
    s = summarise(_analysed(), as_of=dt.date(2025, 6, 30), until_year=2030)
    json.dumps(s, allow_nan=False, ensure_ascii=False)
    d = s["district"]
    assert d["parcel_count"] == 4
    assert d["area_mu"] == pytest.approx(55.5)
    assert d["industrial_area_mu"] == pytest.approx(45.0)
    assert d["area_mu_by_expiry_status"]["within_5y"] == pytest.approx(45.0)
    assert d["count_by_efficiency_class"] == {"A": 0, "B": 1, "C": 0, "D": 1, "unrated": 2}
    assert d["low_efficiency_count"] == 1
    assert d["output_value_wan_yuan"] == pytest.approx(6300.0)
    assert d["tax_per_mu_overall"] == pytest.approx(306.0 / 45.0)
    assert d["reserve_parcels"] == 1 and d["reserve_area_mu"] == pytest.approx(30.0)
    assert d["converted_land_area_mu"] == pytest.approx(7.5)
    assert d["recommendations"]["hq_electronics"] == 1
    assert d["planned_use_changed_count"] == 1 and d["planned_use_changed_area_mu"] == pytest.approx(30.0)
    inc = s["zones"]["incubation"]
    assert inc["name_zh"] == "智能网联系统产业孵化区"
    assert inc["parcel_count"] == 2
    assert s["zones"]["demonstration"]["parcel_count"] == 0
    assert s["zones"]["demonstration"]["output_value_wan_yuan"] is None
    assert s["outside"]["area_mu"] == pytest.approx(3.0)
    ends_2026 = [r for r in s["expiry_timeline"] if r["year"] == 2026 and r["zone_id"] == "incubation"]
    assert ends_2026 == [{"year": 2026, "zone_id": "incubation", "count": 1, "area_mu": 30.0}]
    assert {r["year"] for r in s["expiry_timeline"]} == set(range(2025, 2031))
    assert s["as_of"] == "2025-06-30"


def test_low_efficiency_by_basis_by_hand() -> None:
    f = _analysed()
    f["low_efficiency_basis"] = ["", "hazard_conflict;below_standard", "", ""]
    f.loc[0, "low_efficiency_basis"] = "below_industry_level"
    d = summarise(f, as_of=dt.date(2025, 6, 30))["district"]
    # 30 mu with two bases counts in both; 15 mu below its industry's level
    assert d["low_efficiency_by_basis"] == {
        "hazard_conflict": {"count": 1, "area_mu": 30.0},
        "below_standard": {"count": 1, "area_mu": 30.0},
        "below_industry_level": {"count": 1, "area_mu": 15.0},
    }
    inc = summarise(f, as_of=dt.date(2025, 6, 30))["zones"]["incubation"]
    assert inc["low_efficiency_by_basis"]["below_industry_level"] == {"count": 0, "area_mu": 0.0}
    bare = summarise(_analysed(), as_of=dt.date(2025, 6, 30))["district"]  # a frame without the column
    assert bare["low_efficiency_by_basis"]["below_standard"] == {"count": 0, "area_mu": 0.0}
