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
industry is unknown or has no row in the table, or the parcel is not industrial land).  The
standard factories' lower coverage minimum (35 %) is not applied: parcel data do not say
whether a site is a standard factory, so the general 40 % is used.

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
        known = industrial & ~np.isnan(value) & ~np.isnan(figure)
        with np.errstate(invalid="ignore"):
            met = value >= figure if at_least else value <= figure
        verdict = pd.array(met & known, dtype="boolean")
        verdict[~known] = pd.NA
        out[column] = verdict
    verdicts = out[[c[0] for c in CHECKS]]
    any_failed = verdicts.eq(False).fillna(False).any(axis=1).to_numpy(dtype=bool)
    all_met = verdicts.eq(True).fillna(False).all(axis=1).to_numpy(dtype=bool)
    meets = pd.array(all_met, dtype="boolean")
    meets[~all_met & ~any_failed] = pd.NA
    out["meets_control_standard"] = meets
    return out
