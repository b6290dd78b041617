"""Numeric text coercion (parcels/numbers.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parcels.numbers import coerce_numeric


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
