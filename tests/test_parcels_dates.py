"""Date parsing and lease arithmetic (parcels/dates.py)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parcels.dates import add_years, complete_lease, parse_dates

MAY_12 = pd.Timestamp("2003-05-12")


@pytest.mark.parametrize(
    "raw",
    [
        "2003-05-12", "2003-5-12", "2003/5/12", "2003/05/12", "2003.5.12", "2003.05.12",
        "2003年5月12日", "2003年05月12日", "2003 年 5 月 12 日", "20030512", 20030512, 20030512.0,
        "２００３－０５－１２", "2003-05-12 00:00:00", "2003/5/12 8:30", "2003-05-12T00:00:00", "2003-05-12T00:00:00+08:00", "2003-05-12T23:00:00Z",
        37753, 37753.0, "37753", "37753.0", 37753.6,  # Excel serials (1900 system; 37753 = 2003-05-12)
        dt.date(2003, 5, 12), dt.datetime(2003, 5, 12, 15, 30), pd.Timestamp("2003-05-12"),
        np.datetime64("2003-05-12"),
    ],
)
def test_every_format_parses(raw: object) -> None:
    dates, bad = parse_dates(pd.Series([raw], dtype=object))
    assert dates.iloc[0] == MAY_12
    assert not bad.iloc[0]
    assert str(dates.dtype) == "datetime64[ms]"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2004-02-29", "2004-02-29"),  # leap day
        ("2000年2月29日", "2000-02-29"),  # 2000 is a leap year (divisible by 400)
        ("20240229", "2024-02-29"),
        (38046, "2004-02-29"),  # Excel serial of a leap day: 1899-12-30 + 38046 days
        (7306, "1920-01-01"),  # lowest accepted serial
        (73415, "2100-12-31"),  # highest accepted serial
    ],
)
def test_leap_days_and_serial_range(raw: object, expected: str) -> None:
    assert parse_dates(pd.Series([raw], dtype=object))[0].iloc[0] == pd.Timestamp(expected)


@pytest.mark.parametrize(
    "raw",
    [
        "2003-02-29",  # not a leap year
        "1900-02-29",  # 1900 is not a leap year
        "2003-13-01", "2003-00-10", "2003-04-31", "garbage", "2003", 2003, "不详", "12/05/2003",
        7305, 73416, "1899-12-31", "2101-01-01", True,
    ],
)
def test_unparsable(raw: object) -> None:
    dates, bad = parse_dates(pd.Series([raw], dtype=object))
    assert pd.isna(dates.iloc[0]) and bad.iloc[0]


@pytest.mark.parametrize("raw", [None, np.nan, "", "  ", "-", "—", "无", "NULL", pd.NaT])
def test_empty_is_missing_not_unparsable(raw: object) -> None:
    dates, bad = parse_dates(pd.Series([raw], dtype=object))
    assert pd.isna(dates.iloc[0]) and not bad.iloc[0]


def test_datetime_column_passes_through_and_index_kept() -> None:
    s = pd.Series(pd.to_datetime(["2003-05-12", None]), index=[10, 20])
    dates, bad = parse_dates(s)
    assert dates.index.tolist() == [10, 20] and dates.iloc[0] == MAY_12 and pd.isna(dates.iloc[1])
    assert not bad.any() and str(dates.dtype) == "datetime64[ms]"


def test_tz_aware_column() -> None:
    s = pd.Series(pd.to_datetime(["2003-05-12T00:00:00"]).tz_localize("Asia/Shanghai"))
    assert parse_dates(s)[0].iloc[0] == pd.Timestamp("2003-05-11 16:00")


def _ts(*values: str | None) -> pd.Series:
    return pd.Series(pd.to_datetime(list(values))).astype("datetime64[ms]")


@pytest.mark.parametrize(
    ("start", "years", "end"),
    [
        ("2003-05-12", 50, "2053-05-12"),
        ("2004-02-29", 50, "2054-02-28"),  # 2054 is a common year
        ("2004-02-29", 20, "2024-02-29"),  # 2024 is a leap year
        ("2000-02-29", 100, "2100-02-28"),  # 2100 is not a leap year
        ("2053-05-12", -50, "2003-05-12"),
    ],
)
def test_add_years(start: str, years: int, end: str) -> None:
    assert add_years(_ts(start), pd.Series([years])).iloc[0] == pd.Timestamp(end)


def test_add_years_missing() -> None:
    out = add_years(_ts("2003-05-12", None), pd.Series([None, 5], dtype="Int64"))
    assert out.isna().all()


def test_complete_lease_each_direction() -> None:
    start = _ts("2003-05-12", None, "2003-05-12", "2003-05-12", None, "2010-01-01")
    years = pd.Series([50, 50, None, None, None, 20], dtype="Int64")
    end = _ts(None, "2053-05-12", "2053-05-11", "2043-05-12", "2040-01-01", "2040-01-01")
    s, y, e, bad = complete_lease(start, years, end)
    assert e.tolist()[:2] == [pd.Timestamp("2053-05-12"), pd.Timestamp("2053-05-12")]
    assert s.iloc[1] == pd.Timestamp("2003-05-12")  # start from end - years
    assert y.tolist()[2:4] == [50, 40]  # whole years; an end the day before still counts as 50
    assert pd.isna(s.iloc[4]) and pd.isna(y.iloc[4])  # nothing to derive from
    assert bad.tolist() == [False, False, False, False, False, True]  # 2010 + 20 != 2040
    assert str(y.dtype) == "Int64" and str(e.dtype) == "datetime64[ms]"


def test_duplicate_index_labels_and_mixed_column() -> None:
    s = pd.Series(["2003-05-12", "2003年5月12日", "bad", None], index=[1, 1, 2, 2], dtype=object)
    dates, bad = parse_dates(s)
    assert dates.tolist()[:2] == [MAY_12, MAY_12] and pd.isna(dates.iloc[2]) and pd.isna(dates.iloc[3])
    assert bad.tolist() == [False, False, True, False] and dates.index.tolist() == [1, 1, 2, 2]


def test_string_dtype_column() -> None:
    s = pd.Series(["2003-05-12", "37753", None], dtype="str")
    dates, bad = parse_dates(s)
    assert dates.tolist()[:2] == [MAY_12, MAY_12] and not bad.any()


# --- properties -----------------------------------------------------------------------------------


DATES = st.dates(min_value=dt.date(1920, 1, 1), max_value=dt.date(2049, 12, 31))


@settings(max_examples=200, deadline=None)
@given(day=DATES, years=st.integers(min_value=1, max_value=50))
def test_add_years_property(day: dt.date, years: int) -> None:
    out = add_years(pd.Series([pd.Timestamp(day)]).astype("datetime64[ms]"), pd.Series([years])).iloc[0]
    assert out.year == day.year + years and out.month == day.month
    expected_day = 28 if (day.month, day.day) == (2, 29) and not _leap(day.year + years) else day.day
    assert out.day == expected_day


@settings(max_examples=200, deadline=None)
@given(day=DATES, years=st.integers(min_value=1, max_value=50))
def test_complete_lease_round_trip(day: dt.date, years: int) -> None:
    start = pd.Series([pd.Timestamp(day)]).astype("datetime64[ms]")
    term = pd.Series([years], dtype="Int64")
    none = pd.Series([pd.NaT], dtype="datetime64[ms]")
    _, _, end, _ = complete_lease(start, term, none)
    s2, _, _, _ = complete_lease(none, term, end)
    _, y3, _, bad = complete_lease(start, pd.Series([None], dtype="Int64"), end)
    assert y3.iloc[0] == years and not bad.iloc[0]
    # going back from 28 Feb cannot know the start was 29 Feb: at most one day apart
    assert abs((s2.iloc[0] - start.iloc[0]).days) <= 1


@settings(max_examples=200, deadline=None)
@given(day=DATES)
def test_every_written_form_parses_to_the_same_day(day: dt.date) -> None:
    forms = [day.isoformat(), f"{day.year}/{day.month}/{day.day}", f"{day.year}.{day.month}.{day.day}",
             f"{day.year}年{day.month}月{day.day}日", day.strftime("%Y%m%d"), (day - dt.date(1899, 12, 30)).days]
    dates, bad = parse_dates(pd.Series(forms, dtype=object))
    assert (dates == pd.Timestamp(day)).all() and not bad.any()


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
