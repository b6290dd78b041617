"""Floor-area ratio, converted land, planned-use change and land-use summaries."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.landuse import converted_land, floor_area_ratio, landuse_summary, use_change_matrix, use_changed
from parcels.schema import LAND_USES


@pytest.mark.parametrize(
    ("floor", "area", "far"),
    [
        (20000.0, 10000.0, 2.0),
        (0.0, 5000.0, 0.0),
        (np.nan, 10000.0, np.nan),
        (20000.0, np.nan, np.nan),
        (20000.0, 0.0, np.nan),
        (-1.0, 100.0, np.nan),
    ],
)
def test_far(floor: float, area: float, far: float) -> None:
    got = floor_area_ratio(pd.DataFrame({"floor_area": [floor], "area_m2": [area]})).iloc[0]
    assert (np.isnan(got) and np.isnan(far)) or got == pytest.approx(far)


def test_converted_land_only_commercial_office_in_incubation() -> None:
    f = pd.DataFrame(
        {
            "land_use": ["commercial_office", "commercial_office", "industrial", "commercial_office"],
            "zone_id": ["incubation", "hq", "incubation", ""],
        }
    )
    out = converted_land(f)
    assert out.tolist() == [True, False, False, False]
    assert out.dtype == bool and out.name == "converted_land"


def test_use_changed_is_na_without_planned_use() -> None:
    f = pd.DataFrame({"land_use": ["industrial", "industrial", "industrial"],
                      "planned_use": ["commercial_office", "industrial", None]})
    out = use_changed(f)
    assert out.iloc[0] is np.True_ or bool(out.iloc[0]) is True
    assert bool(out.iloc[1]) is False
    assert out.iloc[2] is pd.NA


def test_landuse_summary_by_hand() -> None:
    f = pd.DataFrame(
        {
            "land_use": ["industrial", "industrial", "residential"],
            "area_mu": [15.0, 30.0, 15.0],
            "floor_area": [20000.0, np.nan, 5000.0],
        }
    )
    s = landuse_summary(f).set_index("land_use")
    assert list(s.index[: len(LAND_USES)]) == list(LAND_USES)
    assert s.loc["industrial", "count"] == 2
    assert s.loc["industrial", "area_mu"] == 45.0
    assert s.loc["industrial", "area_ha"] == pytest.approx(3.0)
    assert s.loc["industrial", "share"] == pytest.approx(0.75)
    # FAR over parcels with a floor area: 20000 m2 / (15 mu = 10000 m2)
    assert s.loc["industrial", "far"] == pytest.approx(2.0)
    assert s.loc["logistics", "count"] == 0
    assert s.loc["industrial", "land_use_zh"] == "工业用地"


def test_landuse_summary_by_zone_conserves_area() -> None:
    f = pd.DataFrame({"land_use": ["industrial", "logistics", "industrial"], "area_mu": [1.0, 2.0, 4.0],
                      "zone_id": ["hq", "hq", ""]})
    s = landuse_summary(f, by="zone_id")
    assert s["area_mu"].sum() == pytest.approx(7.0)
    assert s.groupby("zone_id")["share"].sum().to_dict() == pytest.approx({"": 1.0, "hq": 1.0})


def test_use_change_matrix() -> None:
    f = pd.DataFrame({"land_use": ["industrial", "industrial", "logistics"],
                      "planned_use": ["commercial_office", None, "industrial"], "area_mu": [3.0, 5.0, 2.0]})
    m = use_change_matrix(f)
    assert m.loc["industrial", "commercial_office"] == 3.0
    assert m.loc["logistics", "industrial"] == 2.0
    assert m.to_numpy().sum() == 5.0
