"""Dates as they appear in Chinese cadastral tables, and lease-term arithmetic.

Accepted forms (after Unicode NFKC, so full-width digits work):

* ``2003-05-12``, ``2003/5/12``, ``2003.5.12``, ``2003年5月12日`` (a time of day may follow,
  with a UTC offset; the calendar date as written is kept);
* ``20030512`` (eight digits, as text or number);
* Excel day serials (``37753`` -> 2003-05-12, 1900 date system), as numbers or text,
  accepted only between 1920-01-01 and 2100-12-31 (serials 7306-73415) so that a
  bare year such as ``2003`` is never mistaken for a serial (it is unparsable);
* native ``date``/``datetime``/``Timestamp`` values and datetime columns.

Dates must fall in 1900-2100.  Anything else is unparsable (NaT, flagged).  Work is
done once per distinct value.

Lease arithmetic adds calendar years; 29 February plus a number of years that lands
in a common year becomes 28 February.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import numpy as np
import pandas as pd

from parcels.numbers import NULL_TOKENS

__all__ = ["parse_dates", "add_years", "complete_lease", "DATE_DTYPE"]

#: dtype of every date column of the canonical frame.
DATE_DTYPE = "datetime64[ms]"

_EXCEL_EPOCH = dt.date(1899, 12, 30)
_SERIAL_MIN, _SERIAL_MAX = 7306, 73415  # 1920-01-01 .. 2100-12-31
_YMD = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[ T]+\d{1,2}[:时]\d{1,2}(?:[:分]\d{1,2}(?:\.\d+)?秒?)?(?:Z|[+-]\d{2}:?\d{2})?)?$"
)
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_NUMBER = re.compile(r"^\d+(?:\.\d*)?$")


def _checked(y: int, m: int, d: int) -> dt.date | None:
    if not 1900 <= y <= 2100:
        return None
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _from_number(x: float) -> dt.date | None:
    if x != x or x < 0:
        return None
    if x.is_integer() and 19000101 <= x <= 21001231:
        n = int(x)
        return _checked(n // 10000, n // 100 % 100, n % 100)
    if _SERIAL_MIN <= x <= _SERIAL_MAX + 0.99999:
        return _EXCEL_EPOCH + dt.timedelta(days=int(x))
    return None


_MISSING = object()


def _parse_one(value: object) -> dt.date | object | None:
    """A date, None (unparsable) or _MISSING (an empty value)."""
    if value is None or value is pd.NaT:
        return _MISSING
    if isinstance(value, dt.datetime | pd.Timestamp):
        return _checked(value.year, value.month, value.day)
    if isinstance(value, dt.date):
        return _checked(value.year, value.month, value.day)
    if isinstance(value, np.datetime64):
        return _parse_one(pd.Timestamp(value)) if not np.isnat(value) else _MISSING
    if isinstance(value, bool | np.bool_):
        return None
    if isinstance(value, int | float | np.integer | np.floating):
        if value != value:
            return _MISSING
        return _from_number(float(value))
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if text.casefold() in NULL_TOKENS:
        return _MISSING
    if m := _YMD.match(text):
        return _checked(int(m[1]), int(m[2]), int(m[3]))
    if m := _COMPACT.match(text):
        return _checked(int(m[1]), int(m[2]), int(m[3]))
    if _NUMBER.match(text):
        return _from_number(float(text))
    return None


def parse_dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Dates from a column of mixed date text, numbers and native dates.

    Parameters
    ----------
    values
        Any Series.

    Returns
    -------
    (dates, unparsable)
        ``dates`` is ``datetime64[ms]`` (NaT where missing or unparsable), aligned to
        ``values``; ``unparsable`` is a bool Series, True where a non-empty value could
        not be read.
    """
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        values = values.dt.tz_convert(None)
    if pd.api.types.is_datetime64_dtype(values.dtype):
        dates = values.astype(DATE_DTYPE)
        years = dates.dt.year
        bad = dates.notna() & ((years < 1900) | (years > 2100))
        return dates.mask(bad), bad.astype(bool)
    # fast path: ISO text (the common case) in one vectorised call; the rest value by value
    fast = pd.Series(pd.NaT, index=values.index, dtype=DATE_DTYPE)
    if pd.api.types.is_string_dtype(values.dtype) or values.dtype == object:
        fast = pd.to_datetime(values.astype("str"), format="%Y-%m-%d", errors="coerce").astype(DATE_DTYPE)
        fast = fast.mask((fast.dt.year < 1900) | (fast.dt.year > 2100))
    todo = np.flatnonzero((fast.isna() & values.notna()).to_numpy())
    rest = values.iloc[todo]
    parsed = {u: _parse_one(u) for u in pd.unique(rest)}
    table = {u: (pd.NaT if p is None or p is _MISSING else pd.Timestamp(p)) for u, p in parsed.items()}
    bad_values = {u for u, p in parsed.items() if p is None}
    slow = pd.to_datetime(rest.map(table), errors="raise").astype(DATE_DTYPE)
    out = fast.to_numpy(copy=True)
    out[todo] = slow.to_numpy()
    bad = np.zeros(len(values), dtype=bool)
    bad[todo] = rest.isin(bad_values).to_numpy()
    return pd.Series(out, index=values.index, dtype=DATE_DTYPE), pd.Series(bad, index=values.index)


def _is_leap(year: np.ndarray) -> np.ndarray:
    return (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))


def add_years(dates: pd.Series, years: pd.Series) -> pd.Series:
    """``dates`` plus whole calendar ``years`` (may be negative); 29 Feb -> 28 Feb in common years.

    Missing dates or years give NaT.  Returns ``datetime64[ms]`` aligned to ``dates``.
    """
    years = pd.to_numeric(years, errors="coerce").reindex(dates.index)
    ok = dates.notna() & years.notna()
    out = pd.Series(pd.NaT, index=dates.index, dtype=DATE_DTYPE)
    if not ok.any():
        return out
    d = dates[ok]
    y = d.dt.year.to_numpy() + years[ok].to_numpy().astype(np.int64)
    m = d.dt.month.to_numpy()
    day = d.dt.day.to_numpy()
    day = np.where((m == 2) & (day == 29) & ~_is_leap(y), 28, day)
    in_range = (y >= 1) & (y <= 9999)
    parts = pd.DataFrame({"year": np.where(in_range, y, 2000), "month": m, "day": day}, index=d.index)
    shifted = pd.to_datetime(parts).astype(DATE_DTYPE).where(in_range)
    out[ok] = shifted
    return out


def complete_lease(
    start: pd.Series, years: pd.Series, end: pd.Series, *, tolerance_days: int = 2
) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series]:
    """Fill whichever of lease start, term and end can be derived from the other two.

    * end = start + years (calendar years) where end is missing;
    * years = (end - start) in years, rounded to a whole number (a lease from
      2003-05-12 to 2053-05-11 is 50 years), where years is missing;
    * start = end - years where start is missing.

    Parameters
    ----------
    start, end
        ``datetime64`` Series.
    years
        Nullable integer Series.
    tolerance_days
        When all three are given, an end date more than this many days away from
        start + years is flagged as inconsistent.

    Returns
    -------
    (start, years, end, inconsistent)
        New Series (``datetime64[ms]``, ``Int64``, ``datetime64[ms]``, bool).
    """
    start = start.astype(DATE_DTYPE)
    end = end.astype(DATE_DTYPE)
    years = pd.to_numeric(years, errors="coerce").astype("Int64")
    had_all = start.notna() & years.notna() & end.notna()

    need_end = end.isna() & start.notna() & years.notna()
    end = end.where(~need_end, add_years(start, years))

    need_years = years.isna() & start.notna() & end.notna()
    span = (end - start).dt.days / 365.2425
    years = years.where(~need_years, span.round().astype("Int64"))

    need_start = start.isna() & end.notna() & years.notna()
    start = start.where(~need_start, add_years(end, -years.astype("float64")))

    expected = add_years(start, years)
    gap = (expected - end).dt.days.abs()
    inconsistent = had_all & (gap > tolerance_days)
    return start, years.astype("Int64"), end, inconsistent.fillna(False).astype(bool)
