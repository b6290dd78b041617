"""The recommendation rule table: each rule, priority, and the demonstration hook."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis.recommend import RULES, DemonstrationAdvice, recommend, rule_table


def _one(zone: str, use: str, status: str = "beyond_10y", low: bool | None = False, **kw) -> pd.Series:
    f = pd.DataFrame(
        {
            "zone_id": [zone],
            "land_use": [use],
            "expiry_status": [status],
            "low_efficiency": pd.array([low], dtype="boolean"),
        }
    )
    return recommend(f, **kw).iloc[0]


@pytest.mark.parametrize(
    ("zone", "use", "status", "low", "code", "rule"),
    [
        ("incubation", "industrial", "expired", False, "reserve_industrial", "R1"),
        ("incubation", "industrial", "within_5y", False, "reserve_industrial", "R1"),
        ("incubation", "industrial", "within_10y", True, "reserve_industrial", "R1"),  # R1 before R5/R6
        ("incubation", "industrial", "beyond_10y", False, "none", "R8"),
        ("incubation", "industrial", "unknown", False, "none", "R8"),
        ("incubation", "industrial", "beyond_10y", True, "revitalize_renewal", "R6"),
        ("incubation", "commercial_office", "expired", True, "building_economy", "R2"),
        ("hq", "industrial", "beyond_10y", True, "hq_shared_capacity", "R3"),
        ("hq", "industrial", "expired", None, "hq_electronics", "R4"),  # <NA> low efficiency is not low
        ("hq", "commercial_office", "beyond_10y", False, "hq_electronics", "R4"),
        ("hq", "residential", "beyond_10y", False, "none", "R8"),
        ("", "industrial", "expired", True, "revitalize_reserve", "R5"),
        ("", "industrial", "within_5y", True, "revitalize_renewal", "R6"),
        ("", "industrial", "unknown", True, "revitalize_renewal", "R6"),
        ("demonstration", "industrial", "expired", True, "revitalize_reserve", "R5"),
        ("demonstration", "airport", "unknown", False, "demonstration_pending", "R7"),
        ("", "industrial", "expired", False, "none", "R8"),
    ],
)
def test_each_rule(zone: str, use: str, status: str, low: bool | None, code: str, rule: str) -> None:
    r = _one(zone, use, status, low)
    assert r["recommendation"] == code
    assert r["recommendation_rule"].startswith(f"{rule}: ")
    assert r["recommendation_rule_zh"].startswith(f"{rule}：")
    assert re.search(r"[\u4e00-\u9fff]", r["recommendation_rule_zh"]), "the Chinese rule text is Chinese"
    assert r["recommendation_zh"]


def test_texts_follow_the_plan() -> None:
    assert "储备地块" in _one("incubation", "industrial", "expired")["recommendation_zh"]
    assert "十年内到期" in _one("incubation", "industrial", "expired")["recommendation_rule_zh"]
    assert "楼宇经济" in _one("incubation", "commercial_office")["recommendation_zh"]
    assert "共享产能" in _one("hq", "industrial", low=True)["recommendation_zh"]
    assert "收储" in _one("", "industrial", "expired", True)["recommendation_zh"]
    assert "视高崎机场搬迁进度确定" in _one("demonstration", "other")["recommendation_zh"]
    assert _one("", "residential")["recommendation_zh"] == "维持现状"


def test_demonstration_advice_from_scenario() -> None:
    advice = DemonstrationAdvice(
        code="demonstration_test_road",
        zh="建设智能网联汽车公共测试道路",
        en="Build ICV public test roads",
        rule="airport relocated on schedule, year 2027",
    )
    r = _one("demonstration", "airport", "unknown", None, demonstration=advice)
    assert r["recommendation"] == "demonstration_test_road"
    assert r["recommendation_zh"] == "建设智能网联汽车公共测试道路"
    assert r["recommendation_rule"] == "R7: demonstration zone; airport relocated on schedule, year 2027"
    # no Chinese rule given: the English one stands in
    assert r["recommendation_rule_zh"] == "R7：场景示范区；airport relocated on schedule, year 2027"
    with_zh = DemonstrationAdvice(advice.code, advice.zh, advice.en, advice.rule, rule_zh="机场已搬迁，2027 年")
    r = _one("demonstration", "airport", "unknown", None, demonstration=with_zh)
    assert r["recommendation_rule_zh"] == "R7：场景示范区；机场已搬迁，2027 年"
    # other zones are unaffected
    assert _one("hq", "industrial", demonstration=advice)["recommendation"] == "hq_electronics"


def test_rule_table_is_ordered_and_complete() -> None:
    table = rule_table()
    assert table["rule_id"].tolist() == [f"R{i}" for i in range(1, 9)]
    assert len(RULES) == 8
    assert table["code"].iloc[-1] == "none"


def test_missing_columns_fall_through_to_none() -> None:
    f = pd.DataFrame({"land_use": ["industrial"]})
    assert recommend(f)["recommendation"].tolist() == ["none"]


def test_index_is_kept() -> None:
    f = pd.DataFrame({"zone_id": ["hq", "incubation"], "land_use": ["industrial", "commercial_office"]},
                     index=[10, 3])
    out = recommend(f)
    assert out.index.tolist() == [10, 3]
    assert out["recommendation"].tolist() == ["hq_electronics", "building_economy"]


def test_recommendation_text_in_both_languages() -> None:
    from analysis.recommend import recommendation_text

    assert recommendation_text("reserve_industrial", lang="en").startswith("Keep industrial use as a reserve parcel")
    assert "储备地块" in recommendation_text("reserve_industrial", lang="zh")
    assert recommendation_text("no_such_code") == "no_such_code"
    advice = DemonstrationAdvice("demonstration_test_road", "先建测试道路", "Build the test road first", "year 2027")
    assert recommendation_text("demonstration_test_road", demonstration=advice) == "Build the test road first"
