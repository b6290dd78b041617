"""The basis in words: the figures behind it, the standard's row and edition, in both languages."""

from __future__ import annotations

from typing import Any

import pandas as pd

from analysis.control_standard import standard_from_dict
from analysis.low_efficiency_text import basis_notes


def _v(value: float) -> dict[str, Any]:
    return {"value": value, "status": "illustrative"}


STANDARD = standard_from_dict({
    "title": "t", "edition": 2020,
    "common": {"building_coverage_min": _v(0.4), "admin_land_share_max": _v(0.07), "green_ratio_max": _v(0.2)},
    "divisions": {"39": {"name_zh": "电子", "far_min": _v(1.0), "investment_per_mu_min": _v(400.0),
                         "output_per_mu_min": _v(600.0), "tax_per_mu_min": _v(30.0)}},
})


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    base = {"industry_code": "39", "planned_use": "industrial", "low_efficiency_basis": "", "output_per_mu": 800.0,
            "tax_per_mu": 40.0, "standard_output_met": True, "standard_tax_met": True,
            "industry_median_output_per_mu": 900.0, "industry_sample_size": 12}
    frame = pd.DataFrame([{**base, **r} for r in rows])
    for col in ("standard_output_met", "standard_tax_met"):
        frame[col] = frame[col].astype("boolean")
    return frame


def test_output_below_the_standard() -> None:
    out = basis_notes(_frame([{"low_efficiency_basis": "below_standard", "output_per_mu": 412.0,
                               "standard_output_met": False}]), standard=STANDARD).iloc[0]
    assert out["low_efficiency_note_zh"] == "产值 412 万元/亩，低于标准 600 万元/亩（C39，2020版）"
    assert out["low_efficiency_note"] == "Output 412 × 10k yuan/mu, below the standard's 600 × 10k yuan/mu (C39, 2020 edition)"


def test_output_and_tax_below_small_figures_keep_a_decimal() -> None:
    out = basis_notes(_frame([{"low_efficiency_basis": "below_standard", "output_per_mu": 412.0, "tax_per_mu": 12.34,
                               "standard_output_met": False, "standard_tax_met": False}]), standard=STANDARD).iloc[0]
    assert out["low_efficiency_note_zh"] == ("产值 412 万元/亩，低于标准 600 万元/亩（C39，2020版）；"
                                             "税收 12.3 万元/亩，低于标准 30.0 万元/亩（C39，2020版）")
    assert out["low_efficiency_note"].count("; ") == 1


def test_hazard_conflict_says_why() -> None:
    out = basis_notes(_frame([{"low_efficiency_basis": "hazard_conflict", "planned_use": "commercial_office"},
                              {"low_efficiency_basis": "hazard_conflict", "industry_code": "29"}]), standard=STANDARD)
    assert out["low_efficiency_note_zh"].tolist() == [
        "存在安全环保消防隐患，且与产业规划冲突（规划用途为商业商务用地）",
        "存在安全环保消防隐患，且与产业规划冲突（行业 C29 不属于功能区主导产业 36/38/39）"]
    assert out["low_efficiency_note"].iloc[0] == ("Safety, environmental or fire hazard in conflict with the "
                                                  "industrial plan (planned use commercial_office)")


def test_below_the_industry_level_carries_the_median_and_its_sample() -> None:
    out = basis_notes(_frame([{"low_efficiency_basis": "below_industry_level", "output_per_mu": 700.0}]),
                      standard=STANDARD).iloc[0]
    assert out["low_efficiency_note_zh"] == "产值 700 万元/亩，达到标准，但低于本行业（C39）全区中位数 900 万元/亩（12 宗）"
    assert out["low_efficiency_note"] == ("Output 700 × 10k yuan/mu meets the standard but is below the district "
                                          "median of its industry (C39) 900 × 10k yuan/mu (12 parcels)")


def test_the_fallback_minimum_is_named_as_such_and_no_basis_gives_no_text() -> None:
    out = basis_notes(_frame([{"low_efficiency_basis": "below_standard", "industry_code": "32", "output_per_mu": 250.0,
                               "standard_output_met": False}, {}]), standard=STANDARD, fallback_output_per_mu=300.0)
    assert out["low_efficiency_note_zh"].tolist() == ["产值 250 万元/亩，低于标准 300 万元/亩（该行业无控制标准，按评价方案下限）", ""]
    assert out["low_efficiency_note"].iloc[1] == ""
