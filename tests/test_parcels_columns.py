"""Reading columns that a parcel frame may or may not have."""

from __future__ import annotations

import numpy as np
import pandas as pd

from parcels.columns import area_mu_column, number_column, text_column


def test_text_column_fills_missing_values_and_columns() -> None:
    frame = pd.DataFrame({"zone_id": ["hq", None, np.nan]}, index=[5, 6, 7])
    assert text_column(frame, "zone_id").tolist() == ["hq", "", ""]
    assert text_column(frame, "zone_id", "outside").tolist() == ["hq", "outside", "outside"]
    absent = text_column(frame, "land_use", "other")
    assert absent.tolist() == ["other"] * 3 and absent.index.tolist() == [5, 6, 7]


def test_number_column_is_float_with_nan_for_missing() -> None:
    frame = pd.DataFrame({"tax": pd.array([3, None, 7], dtype="Int64")})
    got = number_column(frame, "tax")
    assert got.dtype == np.float64
    assert got.iloc[0] == 3.0 and np.isnan(got.iloc[1]) and got.iloc[2] == 7.0
    assert number_column(frame, "output_value").isna().all()


def test_area_mu_prefers_area_mu_then_converts_square_metres() -> None:
    assert area_mu_column(pd.DataFrame({"area_mu": [1.5], "area_m2": [1.0]})).tolist() == [1.5]
    # 1 亩 = 10,000 / 15 m²: 2,000 m² is 3 亩
    np.testing.assert_allclose(area_mu_column(pd.DataFrame({"area_m2": [2000.0]})), [3.0])
    assert area_mu_column(pd.DataFrame({"x": [1]})).isna().all()
