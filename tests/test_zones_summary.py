"""Per-zone summaries: figures by hand, and conservation (zones add up to the district)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parcels.schema import EFFICIENCY_CLASSES, EXPIRY_STATUSES, LAND_USES
from zones.summary import DISTRICT, zone_summary


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "zone_id": ["hq", "hq", "incubation", "", "demonstration"],
            "area_mu": [15.0, 30.0, 45.0, 7.5, 3.0],
            "land_use": ["industrial", "commercial_office", "industrial", "industrial", "airport"],
            "expiry_status": ["expired", "within_5y", "beyond_10y", "unknown", "unknown"],
            "efficiency_class": ["A", "unrated", "D", "C", "unrated"],
            "low_efficiency": pd.array([False, False, True, None, False], dtype="boolean"),
            "output_value": [3000.0, np.nan, 450.0, 100.0, np.nan],
            "tax": [150.0, np.nan, 9.0, 2.0, np.nan],
            "output_per_mu": [200.0, np.nan, 10.0, 100.0 / 7.5, np.nan],
        }
    )


def test_rows_and_order() -> None:
    s = zone_summary(_frame())
    assert s["zone_id"].tolist() == ["hq", "incubation", "demonstration", "", DISTRICT]
    assert s.loc[4, "name_zh"] == "全区合计"
    assert s.loc[3, "name_zh"] == "功能区外"


def test_figures_by_hand() -> None:
    s = zone_summary(_frame()).set_index("zone_id")
    hq = s.loc["hq"]
    assert hq["parcel_count"] == 2
    assert hq["area_mu"] == 45.0
    assert hq["area_ha"] == pytest.approx(3.0)
    assert hq["area_mu_industrial"] == 15.0
    assert hq["area_ha_commercial_office"] == pytest.approx(2.0)
    assert hq["area_mu_expired"] == 15.0 and hq["area_mu_within_5y"] == 30.0
    assert hq["count_A"] == 1 and hq["count_unrated"] == 1
    assert hq["output_value"] == 3000.0 and hq["tax"] == 150.0
    assert hq["output_per_mu_mean"] == 200.0 and hq["output_per_mu_median"] == 200.0
    assert hq["output_per_mu_overall"] == pytest.approx(3000.0 / 15.0)
    inc = s.loc["incubation"]
    assert inc["low_efficiency_count"] == 1 and inc["low_efficiency_area_mu"] == 45.0
    demo = s.loc["demonstration"]
    assert np.isnan(demo["output_value"])  # nobody reports output: unknown, not zero
    d = s.loc[DISTRICT]
    assert d["parcel_count"] == 5
    assert d["area_mu"] == pytest.approx(100.5)
    assert d["output_value"] == pytest.approx(3550.0)
    assert d["output_per_mu_median"] == pytest.approx(100.0 / 7.5)
    assert d["output_per_mu_overall"] == pytest.approx(3550.0 / (15 + 45 + 7.5))


def test_empty_frame() -> None:
    s = zone_summary(pd.DataFrame({"zone_id": pd.Series([], dtype="str"), "area_mu": pd.Series([], dtype=float)}))
    assert s["parcel_count"].sum() == 0
    assert len(s) == 5


ZONES = ["hq", "incubation", "demonstration", ""]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(ZONES),
            st.floats(min_value=0.01, max_value=1e4),
            st.sampled_from(LAND_USES),
            st.sampled_from(EXPIRY_STATUSES),
            st.sampled_from(EFFICIENCY_CLASSES),
            st.one_of(st.none(), st.floats(min_value=0, max_value=1e6)),
            st.one_of(st.none(), st.booleans()),
        ),
        min_size=0,
        max_size=40,
    )
)
def test_zones_add_up_to_the_district(rows: list[tuple]) -> None:
    f = pd.DataFrame(rows, columns=["zone_id", "area_mu", "land_use", "expiry_status", "efficiency_class",
                                    "output_value", "low_efficiency"])
    f["output_value"] = f["output_value"].astype("float64")
    f["low_efficiency"] = f["low_efficiency"].astype("boolean")
    s = zone_summary(f).set_index("zone_id")
    zones, district = s.drop(index=DISTRICT), s.loc[DISTRICT]
    assert district["parcel_count"] == len(f) == zones["parcel_count"].sum()
    assert district["area_mu"] == pytest.approx(f["area_mu"].sum()) == pytest.approx(zones["area_mu"].sum())
    additive = [c for c in s.columns if c.startswith(("area_", "count_", "low_efficiency_"))]
    for col in additive:
        assert district[col] == pytest.approx(zones[col].sum(), rel=1e-9, abs=1e-9), col
    for prefix, cats in (("area_mu_", LAND_USES), ("area_mu_", EXPIRY_STATUSES), ("count_", EFFICIENCY_CLASSES)):
        assert sum(district[f"{prefix}{c}"] for c in cats) == pytest.approx(
            district["area_mu"] if prefix == "area_mu_" else district["parcel_count"]
        )
    assert np.nansum(zones["output_value"]) == pytest.approx(np.nansum([district["output_value"]]))
