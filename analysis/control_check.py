"""Each industrial parcel compared with its industry's row of the land control standard.

:func:`check_control_standard` looks a parcel's ``industry_code`` up in the
:class:`~analysis.control_standard.ControlStandard` and judges the seven indicators:

===========================  =====================  ================================  =======
column                       parcel value           standard                          passes
===========================  =====================  ================================  =======
``standard_far_met``         ``far``                ``far_min``                       ≥
``standard_investment_met``  ``investment_per_mu``  ``investment_per_mu_min`` 万元/亩  ≥
``standard_output_met``      ``output_per_mu``      ``output_per_mu_min`` 万元/亩      ≥
``standard_tax_met``         ``tax_per_mu``         ``tax_per_mu_min`` 万元/亩         ≥
``standard_coverage_met``    ``building_coverage``  ``building_coverage_min``         ≥
``standard_admin_land_met``  ``admin_land_share``   ``admin_land_share_max``          ≤
``standard_green_met``       ``green_ratio``        ``green_ratio_max``               ≤
===========================  =====================  ================================  =======

Each is True (met), False (not met) or <NA> (unknown: the value is missing, the parcel's
industry is unknown or has no row in the table, or the parcel is not industrial land).  Two
refinements where the data have the fields and the table the figures:

- a parcel whose ``standard_factory`` is true is held to the standard factories' coverage minimum
  (``building_coverage_min_standard_factory``, 35 %) instead of the general one (40 %);
- the administrative indicator also limits the floor area of the offices and services
  (``admin_floor_share`` ≤ ``admin_floor_share_max``, 20 %): ``standard_admin_land_met`` is
  False when either share exceeds its maximum, True when the land share is met and the floor
  share is met or not recorded, <NA> otherwise.

``meets_control_standard`` follows the standard's rule that a project's land must meet all
seven at once: False as soon as one indicator is not met, True when all seven are known and
met, <NA> otherwise (not enough is known).

An industrial parcel whose industry has no row (or is unknown) may be judged on output and
tax alone against fallback minimums (the efficiency profile's ``low_efficiency`` section):
pass ``fallback_output_per_mu`` / ``fallback_tax_per_mu``.  Its other five indicators stay
unknown.  Everything is vectorised over the frame.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.control_standard import ControlStandard, default_control_standard
from parcels.columns import number_column, text_column

__all__ = ["CHECKS", "CHECK_COLUMNS", "check_control_standard", "division_minimums"]

#: (column, parcel value, standard indicator, True when the value must be at least the figure).
CHECKS: tuple[tuple[str, str, str, bool], ...] = (
    ("standard_far_met", "far", "far_min", True),
    ("standard_investment_met", "investment_per_mu", "investment_per_mu_min", True),
    ("standard_output_met", "output_per_mu", "output_per_mu_min", True),
    ("standard_tax_met", "tax_per_mu", "tax_per_mu_min", True),
    ("standard_coverage_met", "building_coverage", "building_coverage_min", True),
    ("standard_admin_land_met", "admin_land_share", "admin_land_share_max", False),
    ("standard_green_met", "green_ratio", "green_ratio_max", False),
)
#: The columns :func:`check_control_standard` returns, in order.
CHECK_COLUMNS: tuple[str, ...] = (*(c[0] for c in CHECKS), "meets_control_standard")

_FALLBACK = {"output_per_mu_min": "fallback_output_per_mu", "tax_per_mu_min": "fallback_tax_per_mu"}


def division_minimums(codes: pd.Series, standard: ControlStandard, indicator: str) -> pd.Series:
    """The standard's figure of ``indicator`` for each row's division (NaN where it has no row)."""
    table = {code: row.values[indicator].value for code, row in standard.divisions.items()
             if indicator in row.values}
    return codes.map(table).astype("float64")


def _verdict(value: np.ndarray, figure: np.ndarray, known: np.ndarray, *, at_least: bool = True) -> pd.arrays.BooleanArray:
    """``value`` against ``figure`` (at least / at most) where ``known``, <NA> elsewhere."""
    with np.errstate(invalid="ignore"):
        met = value >= figure if at_least else value <= figure
    verdict = pd.array(met & known, dtype="boolean")
    verdict[~known] = pd.NA
    return verdict


def _coverage(frame: pd.DataFrame, codes: pd.Series, std: ControlStandard,
              industrial: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Building coverage, its minimum (the standard factories' where a parcel is one and the table
    has the figure) and where both are known."""
    figure = division_minimums(codes, std, "building_coverage_min").to_numpy()
    factory = frame["standard_factory"].fillna(False).astype(bool).to_numpy() if "standard_factory" in frame \
        else np.zeros(len(frame), dtype=bool)
    lower = division_minimums(codes, std, "building_coverage_min_standard_factory").to_numpy()
    figure = np.where(factory & ~np.isnan(lower), lower, figure)
    value = number_column(frame, "building_coverage").to_numpy()
    return value, figure, industrial & ~np.isnan(value) & ~np.isnan(figure)


def _admin(frame: pd.DataFrame, codes: pd.Series, std: ControlStandard, land: pd.Series,
           industrial: np.ndarray) -> pd.Series:
    """The administrative indicator: the land share's verdict with the floor share's where recorded."""
    share = number_column(frame, "admin_floor_share").to_numpy()
    figure = division_minimums(codes, std, "admin_floor_share_max").to_numpy()
    with np.errstate(invalid="ignore"):
        exceeded = industrial & ~np.isnan(share) & ~np.isnan(figure) & (share > figure)
    out = land.array.copy()
    out[exceeded] = False
    return pd.Series(out, index=land.index, name=land.name)


def check_control_standard(
    frame: pd.DataFrame,
    *,
    standard: ControlStandard | None = None,
    fallback_output_per_mu: float | None = None,
    fallback_tax_per_mu: float | None = None,
) -> pd.DataFrame:
    """Per-indicator verdicts and ``meets_control_standard`` for every parcel.

    Parameters
    ----------
    frame
        Parcel frame with ``land_use``, ``industry_code`` and the parcel values of
        :data:`CHECKS` (missing columns read as unknown).
    standard
        Control-indicator table; default :func:`~analysis.control_standard.default_control_standard`.
    fallback_output_per_mu, fallback_tax_per_mu
        Minimums (万元/亩) for industrial parcels whose industry has no row; None leaves them unknown.

    Returns
    -------
    pandas.DataFrame
        Index-aligned nullable boolean columns :data:`CHECK_COLUMNS`.
    """
    std = standard or default_control_standard()
    industrial = text_column(frame, "land_use").to_numpy() == "industrial"
    codes = text_column(frame, "industry_code")
    has_row = codes.isin(list(std.divisions)).to_numpy()
    fallbacks = {"fallback_output_per_mu": fallback_output_per_mu, "fallback_tax_per_mu": fallback_tax_per_mu}
    out = pd.DataFrame(index=frame.index)
    for column, value_col, indicator, at_least in CHECKS:
        figure = division_minimums(codes, std, indicator).to_numpy()
        fallback = fallbacks.get(_FALLBACK.get(indicator, ""))
        if fallback is not None:
            figure = np.where(industrial & ~has_row, fallback, figure)
        value = number_column(frame, value_col).to_numpy()
        out[column] = _verdict(value, figure, industrial & ~np.isnan(value) & ~np.isnan(figure), at_least=at_least)
    out["standard_coverage_met"] = _verdict(*_coverage(frame, codes, std, industrial))  # standard factories
    out["standard_admin_land_met"] = _admin(frame, codes, std, out["standard_admin_land_met"], industrial)
    verdicts = out[[c[0] for c in CHECKS]]
    any_failed = verdicts.eq(False).fillna(False).any(axis=1).to_numpy(dtype=bool)
    all_met = verdicts.eq(True).fillna(False).all(axis=1).to_numpy(dtype=bool)
    meets = pd.array(all_met, dtype="boolean")
    meets[~all_met & ~any_failed] = pd.NA
    out["meets_control_standard"] = meets
    return out
