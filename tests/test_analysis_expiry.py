"""Lease end, remaining years, expiry status and the expiry timeline."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.expiry import (
    effective_lease_end,
    expiry_status,
    expiry_timeline,
    remaining_years,
    resolve_as_of,
    status_from_years,
)
from core.errors import ConfigError

AS_OF = dt.date(2024, 1, 1)


def _frame(ends=None, starts=None, years=None) -> pd.DataFrame:
    n = len(ends if ends is not None else starts)
    return pd.DataFrame(
        {
            "lease_end": pd.to_datetime(pd.Series(ends if ends is not None else [None] * n)).astype("datetime64[ms]"),
            "lease_start": pd.to_datetime(pd.Series(starts if starts is not None else [None] * n)).astype(
                "datetime64[ms]"
            ),
            "lease_years": pd.array(years if years is not None else [None] * n, dtype="Int64"),
        }
    )


@pytest.mark.parametrize(
    ("start", "years", "expected"),
    [
        ("2000-02-29", 20, "2020-02-29"),  # target year is a leap year: 29 Feb kept
        ("2000-02-29", 21, "2021-02-28"),  # common year: 29 Feb -> 28 Feb
        ("2003-05-12", 50, "2053-05-12"),
        ("1999-12-31", 1, "2000-12-31"),
    ],
)
def test_lease_end_is_start_plus_calendar_years(start: str, years: int, expected: str) -> None:
    end = effective_lease_end(_frame(starts=[start], years=[years]))
    assert end.iloc[0] == pd.Timestamp(expected)


def test_declared_lease_end_wins_over_derived() -> None:
    f = _frame(ends=["2030-06-30"], starts=["2000-01-01"], years=[50])
    assert effective_lease_end(f).iloc[0] == pd.Timestamp("2030-06-30")


def test_remaining_years_is_days_over_365_25() -> None:
    f = _frame(ends=["2034-01-01", "2023-01-01"])
    r = remaining_years(f, as_of=AS_OF)
    assert r.iloc[0] == pytest.approx(3653 / 365.25)  # 2024-01-01 -> 2034-01-01: 3653 days
    assert r.iloc[1] == pytest.approx(-365 / 365.25)


@pytest.mark.parametrize(
    ("end", "status"),
    [
        ("2023-12-31", "expired"),  # one day before as-of
        ("2024-01-01", "within_5y"),  # ends on the as-of date: r = 0
        ("2029-01-01", "within_5y"),  # exactly 5 calendar years (1827 days, two leap days)
        ("2029-01-02", "within_10y"),
        ("2034-01-01", "within_10y"),  # exactly 10 calendar years
        ("2034-01-02", "beyond_10y"),
        (None, "unknown"),
    ],
)
def test_status_boundaries_on_dates(end: str | None, status: str) -> None:
    assert expiry_status(_frame(ends=[end]), as_of=AS_OF).iloc[0] == status


def test_status_exactly_five_years_with_one_leap_day() -> None:
    # 2025-03-01 -> 2030-03-01 holds one 29 Feb (2028): 1826 days
    f = _frame(ends=["2030-03-01", "2030-03-02"])
    assert expiry_status(f, as_of=dt.date(2025, 3, 1)).tolist() == ["within_5y", "within_10y"]


def test_status_as_of_leap_day() -> None:
    # as-of 29 Feb 2024: the 5th anniversary is 28 Feb 2029
    f = _frame(ends=["2029-02-28", "2029-03-01"])
    assert expiry_status(f, as_of=dt.date(2024, 2, 29)).tolist() == ["within_5y", "within_10y"]


@pytest.mark.parametrize(
    ("years", "status"),
    [
        (-0.001, "expired"),
        (0.0, "within_5y"),
        (5.0, "within_5y"),
        (5.0001, "within_10y"),
        (10.0, "within_10y"),
        (10.0001, "beyond_10y"),
        (np.nan, "unknown"),
    ],
)
def test_status_from_years_boundaries(years: float, status: str) -> None:
    assert status_from_years(pd.Series([years])).iloc[0] == status


def test_missing_start_or_term_is_unknown() -> None:
    f = _frame(starts=["2000-01-01", None], years=[None, 20])
    assert expiry_status(f, as_of=AS_OF).tolist() == ["unknown", "unknown"]
    assert remaining_years(f, as_of=AS_OF).isna().all()


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=-8000, max_value=8000))
def test_status_agrees_with_remaining_years_away_from_boundaries(days: int) -> None:
    end = pd.Timestamp(AS_OF) + pd.Timedelta(days=days)
    f = _frame(ends=[end])
    r = remaining_years(f, as_of=AS_OF).iloc[0]
    assert r == pytest.approx(days / 365.25)
    by_date = expiry_status(f, as_of=AS_OF).iloc[0]
    by_years = status_from_years(pd.Series([r])).iloc[0]
    near_boundary = min(abs(r - 5.0), abs(r - 10.0)) < 2 / 365.25
    assert by_date == by_years or near_boundary


def test_as_of_defaults_to_today_and_rejects_bad_text() -> None:
    assert resolve_as_of(None) == dt.date.today()
    assert resolve_as_of("2025-06-30") == dt.date(2025, 6, 30)
    with pytest.raises(ConfigError, match="YYYY-MM-DD"):
        resolve_as_of("30/06/2025")


def test_expiry_timeline_counts_and_areas_per_year_and_zone() -> None:
    f = _frame(ends=["2024-03-01", "2026-05-01", "2026-07-01", "2040-01-01", "2020-01-01", None])
    f["zone_id"] = ["hq", "incubation", "incubation", "hq", "hq", ""]
    f["area_mu"] = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    t = expiry_timeline(f, as_of=AS_OF, until_year=2030)
    assert list(t.columns) == ["year", "zone_id", "count", "area_mu"]
    assert sorted(t["year"].unique()) == list(range(2024, 2031))
    assert len(t) == 7 * 4  # every year x (hq, incubation, demonstration, "")
    row = t[(t.year == 2026) & (t.zone_id == "incubation")].iloc[0]
    assert (row["count"], row["area_mu"]) == (2, 5.0)
    row = t[(t.year == 2024) & (t.zone_id == "hq")].iloc[0]
    assert (row["count"], row["area_mu"]) == (1, 1.0)
    assert t["count"].sum() == 3  # 2040, 2020 and unknown are outside the window
