"""Columns of a parcel frame read the same way everywhere, whether or not the frame has them.

The analysis steps accept frames with any subset of the canonical and derived fields
(:mod:`parcels.schema`); a missing column reads as empty text or NaN, never as an error.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.settings import SQM_PER_MU

__all__ = ["text_column", "number_column", "area_mu_column"]


def text_column(frame: pd.DataFrame, column: str, default: str = "") -> pd.Series:
    """``column`` as ``str`` with missing values (and a missing column) as ``default``."""
    if column not in frame:
        return pd.Series(default, index=frame.index, dtype="str")
    return frame[column].fillna(default).astype("str")


def number_column(frame: pd.DataFrame, column: str) -> pd.Series:
    """``column`` as float64; NaN where missing, all NaN when the frame lacks it."""
    if column not in frame:
        return pd.Series(np.nan, index=frame.index, dtype="float64")
    return pd.to_numeric(frame[column]).astype("float64")


def area_mu_column(frame: pd.DataFrame) -> pd.Series:
    """Parcel area in 亩: ``area_mu``, else ``area_m2`` converted (1 亩 = 666.67 m²)."""
    if "area_mu" in frame:
        return number_column(frame, "area_mu")
    return number_column(frame, "area_m2") / SQM_PER_MU
