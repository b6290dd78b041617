"""Low-efficiency industrial land (低效工业用地) the way Huli defines it, with the basis named.

《湖里区低效工业用地再开发工作方案》 (2024) names three cases; each industrial parcel gets
the ones that apply in ``low_efficiency_basis`` (joined with ``;``, in this order):

``hazard_conflict``
    ``safety_hazard`` is true **and** the parcel conflicts with the district's industrial
    plan.  Parcel data carry no plan-conflict field, so a conflict is read from what they do
    carry: the planned use is known and not industrial, or the parcel lies in one of the
    three ICV zones while its industry is known and outside the ICV divisions
    (:data:`ICV_DIVISIONS`: 36, 38, 39).  A hazard on a parcel whose planned use and industry
    are both unknown is not a basis (nothing shows the conflict).
``below_standard``
    The output or tax indicator of the control standard is not met
    (``standard_output_met`` or ``standard_tax_met`` False, :mod:`analysis.control_check`).
``below_industry_level``
    Output and tax meet the standard, but output per mu is below the district median of the
    parcel's industry (industrial parcels of the same division with a known output per mu).
    Only when that median rests on at least ``min_sample`` parcels (default
    :data:`MIN_INDUSTRY_SAMPLE`, 5): a median of two or three firms is no "level of the
    industry".  ``industry_median_output_per_mu`` and ``industry_sample_size`` carry the
    median and its sample for every industrial parcel with a known division, whatever the
    sample.  "Meets the standard" means its output and tax figures here: the other five
    indicators are about the site's layout, not its output, and are often unrecorded.

``low_efficiency`` is True exactly where a basis is given.  Otherwise it is False for
non-industrial land (never low-efficiency industrial land) and for industrial parcels whose
output and tax were both judged, and <NA> for industrial parcels that cannot be judged.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis._labels import label_series
from parcels.columns import number_column, text_column
from parcels.schema import ZONE_IDS

__all__ = ["BASES", "ICV_DIVISIONS", "MIN_INDUSTRY_SAMPLE", "BASIS_COLUMNS", "low_efficiency_basis",
           "industry_medians"]

#: The bases, in the order they are listed.
BASES: tuple[str, ...] = ("hazard_conflict", "below_standard", "below_industry_level")
#: The divisions the three zones are planned for (汽车制造, 电气机械和器材, 计算机通信电子).
ICV_DIVISIONS: tuple[str, ...] = ("36", "38", "39")
#: Fewest parcels an industry median needs to be a basis.
MIN_INDUSTRY_SAMPLE: int = 5
#: The columns :func:`low_efficiency_basis` returns, in order.
BASIS_COLUMNS: tuple[str, ...] = ("low_efficiency_basis", "low_efficiency", "industry_median_output_per_mu",
                                  "industry_sample_size")


def _flag(frame: pd.DataFrame, column: str, value: bool) -> np.ndarray:
    """Rows where a nullable boolean column equals ``value`` (<NA> and a missing column: no)."""
    if column not in frame:
        return np.zeros(len(frame), dtype=bool)
    return frame[column].astype("boolean").eq(value).fillna(False).to_numpy(dtype=bool)


def industry_medians(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """District median of output per mu of each row's industry, and how many parcels it rests on.

    Returns
    -------
    (median, sample)
        float64 (NaN) and Int64 (<NA>) for rows that are not industrial or have no division.
    """
    industrial = text_column(frame, "land_use").eq("industrial")
    codes = text_column(frame, "industry_code").where(industrial, "")
    output = number_column(frame, "output_per_mu")
    pool = output[industrial & codes.ne("") & output.notna()].groupby(codes, sort=False)
    median = codes.map(pool.median()).astype("float64").where(codes.ne(""))
    sample = codes.map(pool.size()).astype("float64").where(codes.ne("")).fillna(0.0)
    return median, pd.Series(sample, index=frame.index).astype("Int64").where(industrial & codes.ne(""))


def low_efficiency_basis(checked: pd.DataFrame, *, min_sample: int = MIN_INDUSTRY_SAMPLE) -> pd.DataFrame:
    """The bases, the flag and the industry median of every parcel.

    Parameters
    ----------
    checked
        Parcel frame with ``land_use``, ``planned_use``, ``zone_id``, ``industry_code``,
        ``safety_hazard``, ``output_per_mu`` and the verdicts of
        :func:`analysis.control_check.check_control_standard`.
    min_sample
        Fewest parcels an industry median needs (see the module docstring).

    Returns
    -------
    pandas.DataFrame
        Index-aligned :data:`BASIS_COLUMNS`: ``low_efficiency_basis`` (str, "" when none),
        ``low_efficiency`` (boolean), ``industry_median_output_per_mu`` (float64, 万元/亩),
        ``industry_sample_size`` (Int64).
    """
    idx = checked.index
    industrial = text_column(checked, "land_use").to_numpy() == "industrial"
    planned = text_column(checked, "planned_use").to_numpy()
    code = text_column(checked, "industry_code").to_numpy()
    in_zone = np.isin(text_column(checked, "zone_id").to_numpy(), ZONE_IDS)
    conflict = ((planned != "") & (planned != "industrial")) | (in_zone & (code != "") & ~np.isin(code, ICV_DIVISIONS))
    hazard = industrial & _flag(checked, "safety_hazard", True) & conflict

    output_failed = _flag(checked, "standard_output_met", False) | _flag(checked, "standard_tax_met", False)
    output_met = _flag(checked, "standard_output_met", True) & _flag(checked, "standard_tax_met", True)
    below = industrial & output_failed

    median, sample = industry_medians(checked)
    enough = sample.fillna(0).to_numpy(dtype=np.int64) >= min_sample
    with np.errstate(invalid="ignore"):
        lags = number_column(checked, "output_per_mu").to_numpy() < median.to_numpy()
    level = industrial & output_met & enough & lags

    bits = hazard.astype(np.int64) | below.astype(np.int64) << 1 | level.astype(np.int64) << 2
    labels = [";".join(b for k, b in enumerate(BASES) if combo >> k & 1) for combo in range(8)]
    low = pd.array(bits > 0, dtype="boolean")
    low[industrial & (bits == 0) & ~(output_met | output_failed)] = pd.NA
    return pd.DataFrame({
        "low_efficiency_basis": label_series(labels, bits, idx),
        "low_efficiency": pd.Series(low, index=idx),
        "industry_median_output_per_mu": median,
        "industry_sample_size": sample,
    }, index=idx)
