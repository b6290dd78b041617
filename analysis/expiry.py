"""Lease expiry: end dates, remaining years, expiry status and a year-by-year timeline.

Conventions
-----------
* **Lease end.**  When ``lease_end`` is missing it is derived as ``lease_start`` plus
  ``lease_years`` *calendar* years (:func:`parcels.dates.add_years`, the one implementation
  shared with the reader).  A start on 29 February lands on
  29 February when the target year is a leap year and on 28 February otherwise:
  2000-02-29 + 20 years = 2020-02-29, 2000-02-29 + 21 years = 2021-02-28.  A declared
  ``lease_end`` always wins over the derived one.
* **Remaining years.**  ``(lease_end - as_of).days / 365.25`` (negative once expired).
* **Status.**  Boundaries are calendar anniversaries of the as-of date, so that a lease
  ending exactly five (ten) calendar years after ``as_of`` is ``within_5y``
  (``within_10y``) however many leap days lie between:

  ============  ==============================================
  expired       lease_end < as_of                 (r < 0)
  within_5y     as_of <= lease_end <= as_of + 5y  (0 <= r <= 5)
  within_10y    as_of + 5y < lease_end <= as_of + 10y  (5 < r <= 10)
  beyond_10y    lease_end > as_of + 10y           (r > 10)
  unknown       no lease_end and no lease_start + lease_years
  ============  ==============================================

  A lease ending on its as-of date is ``within_5y`` (r = 0).  Because a calendar year
  has 365 or 366 days, ``remaining_years`` of a lease ending exactly on the 5th (10th)
  anniversary reads 4.999-5.003 (9.999-10.003); the status is decided by the dates.
  :func:`status_from_years` applies the same thresholds to plain numbers
  (exactly 5.0 → within_5y, exactly 10.0 → within_10y).
* ``as_of`` defaults to today (local date) and is a parameter everywhere.
"""

from __future__ import annotations

import datetime as dt
import logging

import numpy as np
import pandas as pd

from analysis._labels import label_series
from core.errors import ConfigError
from parcels.dates import add_years
from parcels.schema import EXPIRY_STATUSES, ZONE_IDS

__all__ = [
    "effective_lease_end",
    "remaining_years",
    "expiry_status",
    "status_from_years",
    "expiry_timeline",
    "resolve_as_of",
]

log = logging.getLogger(__name__)

_DAYS_PER_YEAR = 365.25
_CODE = {status: i for i, status in enumerate(EXPIRY_STATUSES)}


def resolve_as_of(as_of: dt.date | str | None) -> dt.date:
    """The as-of date: ``as_of`` itself, an ISO string parsed, or today when None.

    Parameters
    ----------
    as_of
        A date, a ``YYYY-MM-DD`` string, or None.

    Returns
    -------
    datetime.date
    """
    if as_of is None:
        return dt.date.today()
    if isinstance(as_of, dt.datetime):
        return as_of.date()
    if isinstance(as_of, dt.date):
        return as_of
    try:
        return dt.date.fromisoformat(str(as_of))
    except ValueError as err:
        raise ConfigError(
            f"as-of date {as_of!r} is not a date; write it as YYYY-MM-DD, e.g. 2025-06-30",
            f"基准日期 {as_of!r} 不是有效日期；请写成 YYYY-MM-DD，例如 2025-06-30",
        ) from err


def effective_lease_end(frame: pd.DataFrame) -> pd.Series:
    """The lease end of each parcel: declared ``lease_end``, else ``lease_start + lease_years``.

    Parameters
    ----------
    frame
        Parcel frame with any of ``lease_end``, ``lease_start``, ``lease_years``.

    Returns
    -------
    pandas.Series
        ``datetime64[ms]`` named ``lease_end``; NaT when neither source is available.
    """
    if "lease_end" in frame:
        end = pd.to_datetime(frame["lease_end"]).astype("datetime64[ms]").rename("lease_end")
    else:
        end = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ms]", name="lease_end")
    if "lease_start" in frame and "lease_years" in frame:
        start = pd.to_datetime(frame["lease_start"]).astype("datetime64[ms]")
        years = pd.to_numeric(frame["lease_years"]).astype("Int64")
        need = (end.isna() & start.notna() & years.notna()).to_numpy()
        if need.any():
            end = end.copy()
            end[need] = add_years(start[need], years[need])
    return end


def remaining_years(frame: pd.DataFrame, *, as_of: dt.date | str | None = None) -> pd.Series:
    """Years from ``as_of`` to the lease end: days / 365.25 (negative once expired).

    Parameters
    ----------
    frame
        Parcel frame (see :func:`effective_lease_end`).
    as_of
        Reference date; default today.

    Returns
    -------
    pandas.Series
        float64 named ``remaining_years``; NaN when the lease end is unknown.
    """
    ref = pd.Timestamp(resolve_as_of(as_of))
    end = effective_lease_end(frame)
    days = (end - ref) / pd.Timedelta(days=1)
    return (days / _DAYS_PER_YEAR).astype("float64").rename("remaining_years")


def expiry_status(frame: pd.DataFrame, *, as_of: dt.date | str | None = None) -> pd.Series:
    """Expiry status per parcel (see the module docstring for the exact boundaries).

    Parameters
    ----------
    frame
        Parcel frame (see :func:`effective_lease_end`).
    as_of
        Reference date; default today.

    Returns
    -------
    pandas.Series
        str named ``expiry_status``, one of :data:`parcels.schema.EXPIRY_STATUSES`.
    """
    ref_date = resolve_as_of(as_of)
    end = effective_lease_end(frame).to_numpy()
    idx = frame.index
    ref = np.datetime64(ref_date, "ms")
    anchors = add_years(pd.Series([pd.Timestamp(ref_date)] * 2, dtype="datetime64[ms]"), pd.Series([5, 10]))
    in5, in10 = anchors.to_numpy()
    codes = np.select([np.isnat(end), end < ref, end <= in5, end <= in10], [_CODE["unknown"], _CODE["expired"], _CODE["within_5y"], _CODE["within_10y"]], _CODE["beyond_10y"])
    return label_series(EXPIRY_STATUSES, codes, idx, name="expiry_status")


def status_from_years(years: pd.Series) -> pd.Series:
    """Expiry status from remaining years given as numbers.

    ``r < 0`` expired; ``0 <= r <= 5`` within_5y; ``5 < r <= 10`` within_10y;
    ``r > 10`` beyond_10y; NaN unknown.

    Parameters
    ----------
    years
        Remaining years (float, NaN allowed).

    Returns
    -------
    pandas.Series
        str named ``expiry_status``.
    """
    r = pd.to_numeric(years).astype("float64").to_numpy()
    codes = np.select([np.isnan(r), r < 0, r <= 5.0, r <= 10.0], [_CODE["unknown"], _CODE["expired"], _CODE["within_5y"], _CODE["within_10y"]], _CODE["beyond_10y"])
    return label_series(EXPIRY_STATUSES, codes, years.index, name="expiry_status")


def expiry_timeline(
    frame: pd.DataFrame, *, as_of: dt.date | str | None = None, until_year: int | None = None
) -> pd.DataFrame:
    """Parcels and land whose lease ends in each year, per zone.

    Years run from the as-of year to ``until_year`` (inclusive); a lease that ended earlier
    in the as-of year is counted in that year.  Every (year, zone) pair is present, zones in
    the order hq, incubation, demonstration, ``""`` (outside), with zero rows where nothing ends.

    Parameters
    ----------
    frame
        Parcel frame with ``zone_id`` and ``area_mu`` (see :func:`analysis.pipeline.analyse`)
        and lease fields.
    as_of
        Reference date; default today.
    until_year
        Last year shown; default the as-of year + 10.

    Returns
    -------
    pandas.DataFrame
        Columns ``year`` (int), ``zone_id`` (str), ``count`` (int), ``area_mu`` (float).
    """
    ref = resolve_as_of(as_of)
    last = ref.year + 10 if until_year is None else int(until_year)
    years = np.arange(ref.year, max(last, ref.year - 1) + 1)
    end_year = effective_lease_end(frame).dt.year
    zone = frame["zone_id"].fillna("").astype("str") if "zone_id" in frame else pd.Series("", index=frame.index)
    area = pd.to_numeric(frame["area_mu"]) if "area_mu" in frame else pd.Series(np.nan, index=frame.index)
    zones = [*ZONE_IDS, *sorted(set(zone.unique()) - set(ZONE_IDS) - {""}), ""]
    grid = pd.MultiIndex.from_product([years, zones], names=["year", "zone_id"])
    sel = end_year.between(ref.year, last)
    data = pd.DataFrame({"year": end_year[sel].astype("int64"), "zone_id": zone[sel], "area_mu": area[sel]})
    grouped = data.groupby(["year", "zone_id"]).agg(count=("area_mu", "size"), area_mu=("area_mu", "sum"))
    out = grouped.reindex(grid).reset_index()
    out["count"] = out["count"].fillna(0).astype("int64")
    out["area_mu"] = out["area_mu"].fillna(0.0).astype("float64")
    out["year"] = out["year"].astype("int64")
    out["zone_id"] = out["zone_id"].astype("str")
    return out

