"""Parcel filters and display formatting (downloads: test_ui_downloads.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from ui_support import HOSTILE, tiny_parcels

from ui.filters import detail_rows, filter_parcels, format_value


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, 10),
        ({"uses": ["industrial"]}, 4),  # indices 0, 3, 5, 8
        ({"zones": ["incubation"]}, 4),  # ZONES cycle: index 1, 4, 6, 9
        ({"zones": [""]}, 2),  # outside every zone: 3, 8
        ({"expiry": ["expired", "within_5y"]}, 4),
        ({"classes": ["A"]}, 2),
        ({"area_mu": (6.0, 8.5)}, 3),  # area 5.4 + i: i = 1, 2, 3
        ({"text": "t000"}, 10),  # case-insensitive, literal
        ({"text": "企业1"}, 1),
        ({"text": ".*"}, 0),  # not a regex
        ({"text": HOSTILE}, 1),
        ({"uses": ["industrial"], "zones": ["incubation"]}, 0),
    ],
)
def test_filter_counts(kwargs: dict, expected: int) -> None:
    assert len(filter_parcels(tiny_parcels(10), **kwargs)) == expected


def test_filter_ignores_absent_columns_and_keeps_input() -> None:
    frame = tiny_parcels(5).drop(columns=["expiry_status"])
    before = frame.copy()
    assert len(filter_parcels(frame, expiry=["expired"])) == 5
    pd.testing.assert_frame_equal(frame, before)


@pytest.mark.parametrize(
    ("field", "value", "lang", "text"),
    [
        ("output_value", 1234.5, "zh", "1,234 万元/年"),
        ("output_value", 12.345, "zh", "12.35 万元/年"),
        ("output_value", np.nan, "zh", "—"),
        ("employees", pd.NA, "zh", "—"),
        ("employees", 120, "zh", "120 人"),
        ("rd_ratio", 0.0312, "en", "3.1 %"),
        ("land_use", "industrial", "zh", "工业用地"),
        ("land_use", "industrial", "en", "Industrial"),
        ("expiry_status", "within_5y", "zh", "5年内到期"),
        ("low_efficiency", True, "zh", "是"),
        ("lease_end", pd.Timestamp("2031-05-01"), "zh", "2031-05-01"),
        ("planned_use", "", "zh", "—"),
        ("enterprise", HOSTILE, "zh", HOSTILE),
    ],
)
def test_format_value(field: str, value: object, lang: str, text: str) -> None:
    assert format_value(field, value, lang) == text


def test_detail_rows_cover_every_field_but_geometry() -> None:
    row = tiny_parcels(1).iloc[0]
    rows = detail_rows(row, "en")
    assert len(rows) == len(row) - 1
    assert rows.columns.tolist() == ["Field", "Value"]
    assert "Enterprise" in rows["Field"].tolist()



def test_display_table_gives_the_recommendation_in_english() -> None:
    from analysis.recommend import RULES
    from ui.filters import display_table

    r1 = next(r for r in RULES if r.rule_id == "R1")
    frame = pd.DataFrame({"parcel_id": ["a", "b"], "recommendation": [r1.code, None],
                          "recommendation_zh": [r1.zh, None], "recommendation_rule": ["R1: ...", None],
                          "recommendation_rule_zh": ["R1：……", None]})
    en = display_table(frame, "en", ("parcel_id", "recommendation_zh", "recommendation_rule_zh"))
    assert list(en.columns) == ["Parcel ID", "Recommendation", "Rule that fired"]
    assert en["Recommendation"].tolist() == [r1.en, "—"]
    assert en["Rule that fired"].iloc[0] == "R1: ..."
    zh = display_table(frame, "zh", ("parcel_id", "recommendation_zh"))
    assert zh.iloc[0, 1] == r1.zh
