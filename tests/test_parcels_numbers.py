"""Numeric text coercion (parcels/numbers.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parcels.numbers import coerce_numeric, coerce_quantity


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1234.5", 1234.5), ("1,234.5", 1234.5), ("1，234", 1234.0), ("12,345,678", 12345678.0),
        ("１２３", 123.0), ("１，２３４．５", 1234.5), (" 50 ", 50.0), ("50年", 50.0), ("120万元", 120.0),
        ("3500㎡", 3500.0), ("3500 m2", 3500.0), ("-5", -5.0), ("+7", 7.0), ("1e3", 1000.0), (".5", 0.5),
        (42, 42.0), (4.25, 4.25),
    ],
)
def test_parses(raw: object, expected: float) -> None:
    nums, bad = coerce_numeric(pd.Series([raw], dtype=object))
    assert nums.iloc[0] == expected and not bad.iloc[0]


@pytest.mark.parametrize("raw", ["abc", "12abc34", "1.2.3", "约50", "N 5"])
def test_unparsable(raw: str) -> None:
    nums, bad = coerce_numeric(pd.Series([raw]))
    assert np.isnan(nums.iloc[0]) and bad.iloc[0]


@pytest.mark.parametrize("raw", [None, "", " ", "-", "—", "/", "无", "N/A", "null", np.nan])
def test_placeholders_are_missing(raw: object) -> None:
    nums, bad = coerce_numeric(pd.Series([raw], dtype=object))
    assert np.isnan(nums.iloc[0]) and not bad.iloc[0]


def test_numeric_dtypes_pass_through() -> None:
    s = pd.Series([1, None], dtype="Int64", index=[5, 6])
    nums, bad = coerce_numeric(s)
    assert nums.dtype == np.float64 and nums.index.tolist() == [5, 6]
    assert nums.iloc[0] == 1.0 and np.isnan(nums.iloc[1]) and not bad.any()




@settings(max_examples=200, deadline=None)
@given(value=st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False))
def test_thousands_separated_text_round_trips(value: object) -> None:
    number = float(value)  # type: ignore[arg-type]
    text = f"{number:,.2f}"
    full_width = text.translate(str.maketrans("0123456789,.", "０１２３４５６７８９，．"))
    nums, bad = coerce_numeric(pd.Series([text, full_width, f"{text}万元"]))
    assert not bad.any()
    assert nums.tolist() == pytest.approx([round(number, 2)] * 3)


@pytest.mark.parametrize(
    ("raw", "unit", "expected", "scale"),
    [
        ("1.2亿元", "万元/年", 12_000.0, 1e4),          # 1 亿 = 10,000 万
        ("800元", "万元/年", 0.08, 1e-4),
        ("3,500 千元", "万元", 350.0, 0.1),
        ("120万元/年", "万元/年", 120.0, 1.0),
        ("120（万元）", "万元/年", 120.0, 1.0),
        ("45", "万元/年", 45.0, 1.0),
        ("2.5亩", "m²", 2.5 * 10_000 / 15, 10_000 / 15),  # 1 亩 = 10,000/15 m²
        ("1.2公顷", "m²", 12_000.0, 1e4),
        ("1.5万平方米", "m²", 15_000.0, 1e4),
        ("3500㎡", "m²", 3_500.0, 1.0),
        ("2 km²", "m²", 2_000_000.0, 1e6),
        ("3万吨标煤", "吨标煤/年", 30_000.0, 1e4),
        ("50年", "年", 50.0, 1.0),
        ("1.2万人", "人", 12_000.0, 1e4),
    ],
)
def test_units_are_converted_into_the_fields_unit(raw: str, unit: str, expected: float, scale: float) -> None:
    q = coerce_quantity(pd.Series([raw]), unit)
    assert q.numbers.iloc[0] == pytest.approx(expected) and not q.unparsable.iloc[0]
    assert q.scale.iloc[0] == pytest.approx(scale)


@pytest.mark.parametrize(("raw", "unit"), [("120kg", "万元/年"), ("2.5亩", "万元/年"), ("1.2亿元", "m²"),
                                           ("50月", "年"), ("1.2.3", "万元"), ("约50", "万元")])
def test_a_unit_foreign_to_the_field_is_unparsable(raw: str, unit: str) -> None:
    q = coerce_quantity(pd.Series([raw]), unit)
    assert np.isnan(q.numbers.iloc[0]) and q.unparsable.iloc[0]


def test_quantity_placeholders_and_numbers() -> None:
    q = coerce_quantity(pd.Series(["—", None, "无"], dtype=object), "万元")
    assert q.numbers.isna().all() and not q.unparsable.any()
    n = coerce_quantity(pd.Series([1.5, None]), "m²")
    assert n.numbers.iloc[0] == 1.5 and np.isnan(n.numbers.iloc[1]) and (n.scale == 1.0).all()
