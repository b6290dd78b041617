"""Per-mu efficiency: indicators, score, classes, unrated reasons, profiles."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.efficiency import (
    DEFAULT_PROFILE_PATH,
    INDICATORS,
    default_profile,
    efficiency_indicators,
    load_profile,
    profile_from_dict,
    rate_efficiency,
)
from core.errors import ConfigError


def _raw() -> dict[str, Any]:
    return yaml.safe_load(DEFAULT_PROFILE_PATH.read_text(encoding="utf-8"))


def _simple_profile(method: str = "thresholds", **low: float) -> Any:
    """Two indicators, easy numbers: tax_per_mu w=3 b=10, output_per_mu w=1 b=100, cap 2."""
    data = _raw()
    data["indicators"] = {
        "tax_per_mu": {"weight": 3, "benchmark": 10.0, "required": True},
        "output_per_mu": {"weight": 1, "benchmark": 100.0, "required": True},
        "labour_productivity": {"weight": 1, "benchmark": 50.0},
    }
    data["classification"]["method"] = method
    data["classification"]["thresholds"] = {"A": 100, "B": 70, "C": 40}
    data["low_efficiency"] = {"output_per_mu_min": low.get("out", 50.0), "tax_per_mu_min": low.get("tax", 5.0)}
    return profile_from_dict(data)


def _parcels(**cols: Any) -> pd.DataFrame:
    n = len(next(iter(cols.values())))
    base = {"land_use": ["industrial"] * n, "area_mu": [10.0] * n}
    base.update(cols)
    return pd.DataFrame(base)


def test_indicators_by_hand() -> None:
    f = pd.DataFrame(
        {
            "area_mu": [20.0],
            "output_value": [5000.0],
            "tax": [300.0],
            "investment": [8000.0],
            "energy": [250.0],
            "rd_expense": [90.0],
            "revenue": [3000.0],
            "employees": [100],
        }
    )
    ind = efficiency_indicators(f).iloc[0]
    assert ind["output_per_mu"] == pytest.approx(250.0)
    assert ind["tax_per_mu"] == pytest.approx(15.0)
    assert ind["investment_per_mu"] == pytest.approx(400.0)
    assert ind["energy_productivity"] == pytest.approx(20.0)
    assert ind["rd_ratio"] == pytest.approx(0.03)
    assert ind["labour_productivity"] == pytest.approx(50.0)


def test_area_from_m2_when_no_mu_column() -> None:
    f = pd.DataFrame({"area_m2": [10000.0 / 15.0 * 4], "tax": [8.0]})
    assert efficiency_indicators(f)["tax_per_mu"].iloc[0] == pytest.approx(2.0)


@pytest.mark.parametrize(
    ("col", "value", "indicator"),
    [
        ("energy", 0.0, "energy_productivity"),
        ("energy", -1.0, "energy_productivity"),
        ("revenue", 0.0, "rd_ratio"),
        ("employees", 0, "labour_productivity"),
        ("output_value", -5.0, "output_per_mu"),
        ("area_mu", 0.0, "tax_per_mu"),
    ],
)
def test_invalid_inputs_give_nan_indicators(col: str, value: float, indicator: str) -> None:
    row = {"area_mu": 10.0, "output_value": 100.0, "tax": 5.0, "energy": 10.0, "rd_expense": 1.0,
           "revenue": 50.0, "employees": 5}
    row[col] = value
    assert np.isnan(efficiency_indicators(pd.DataFrame([row]))[indicator].iloc[0])


def test_score_formula_by_hand() -> None:
    prof = _simple_profile()
    # tax/mu 15 -> 1.5 ; output/mu 50 -> 0.5 ; labour 500/10 = 50 -> 1.0 ; weights 3,1,1
    f = _parcels(output_value=[500.0], tax=[150.0], employees=[10])
    score = rate_efficiency(f, profile=prof)["efficiency_score"].iloc[0]
    assert score == pytest.approx(100 * (3 * 1.5 + 1 * 0.5 + 1 * 1.0) / 5)


def test_missing_secondary_indicator_renormalises_weights() -> None:
    prof = _simple_profile()
    f = _parcels(output_value=[500.0], tax=[150.0], employees=pd.array([None], dtype="Int64"))
    r = rate_efficiency(f, profile=prof).iloc[0]
    assert r["efficiency_score"] == pytest.approx(100 * (3 * 1.5 + 1 * 0.5) / 4)
    assert r["efficiency_class"] == "A"
    assert r["efficiency_reason"] == ""


def test_cap_limits_each_ratio() -> None:
    prof = _simple_profile()
    f = _parcels(output_value=[100000.0], tax=[0.0])  # output/mu 10000 -> ratio capped at 2
    assert rate_efficiency(f, profile=prof)["efficiency_score"].iloc[0] == pytest.approx(100 * (1 * 2.0) / 4)


@pytest.mark.parametrize(
    ("tax", "cls"),
    [
        # output/mu 100 -> ratio 1 (weight 1); tax/mu t/10 (weight 3); score = 25 * (3 * t/10 + 1)
        (100.0, "A"),  # tax/mu 10 -> score 100 exactly -> A
        (99.9, "B"),
        (60.0, "B"),  # score 70 exactly
        (59.9, "C"),
        (20.0, "C"),  # score 40 exactly
        (19.9, "D"),
        (0.0, "D"),
    ],
)
def test_class_thresholds(tax: float, cls: str) -> None:
    f = _parcels(output_value=[1000.0], tax=[tax])
    assert rate_efficiency(f, profile=_simple_profile())["efficiency_class"].iloc[0] == cls


def test_price_tier_follows_class() -> None:
    f = _parcels(output_value=[1000.0] * 4, tax=[100.0, 60.0, 20.0, 0.0])
    r = rate_efficiency(f, profile=_simple_profile())
    assert r["efficiency_class"].tolist() == ["A", "B", "C", "D"]
    assert r["price_tier"].tolist() == ["优先保障", "积极支持", "相对控制", "严格限制"]


def test_percentile_classes() -> None:
    prof = _simple_profile("percentiles")  # A top 25 %, B to 70 %, C to 95 %
    taxes = [float(t) for t in range(20, 0, -1)]  # 20 distinct scores, best first
    r = rate_efficiency(_parcels(output_value=[1000.0] * 20, tax=taxes), profile=prof)
    # share strictly better = i / 20: A for i < 5, B for i < 14, C for i < 19, D for the last
    assert r["efficiency_class"].tolist() == ["A"] * 5 + ["B"] * 9 + ["C"] * 5 + ["D"]


def test_percentile_ties_share_the_better_class() -> None:
    prof = _simple_profile("percentiles")
    r = rate_efficiency(_parcels(output_value=[1000.0] * 4, tax=[10.0, 10.0, 5.0, 1.0]), profile=prof)
    assert r["efficiency_class"].tolist() == ["A", "A", "B", "C"]


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ({"land_use": "commercial_office"}, "not industrial land"),
        ({"land_use": "logistics"}, "not industrial land"),
        ({"area_mu": 0.0}, "zero or missing parcel area"),
        ({"area_mu": np.nan}, "zero or missing parcel area"),
        ({"output_value": np.nan}, "missing output_value"),
        ({"tax": np.nan}, "missing tax"),
        ({"tax": -3.0}, "negative tax"),
        ({"output_value": np.nan, "tax": np.nan}, "missing output_value; missing tax"),
    ],
)
def test_unrated_with_reason_never_zero(row: dict[str, Any], reason: str) -> None:
    base = {"land_use": "industrial", "area_mu": 10.0, "output_value": 1000.0, "tax": 50.0}
    base.update(row)
    r = rate_efficiency(pd.DataFrame([base]), profile=_simple_profile()).iloc[0]
    assert r["efficiency_class"] == "unrated"
    assert np.isnan(r["efficiency_score"])
    assert r["efficiency_reason"] == reason
    assert r["price_tier"] == ""


def test_zero_output_is_a_valid_low_score() -> None:
    r = rate_efficiency(_parcels(output_value=[0.0], tax=[0.0]), profile=_simple_profile()).iloc[0]
    assert r["efficiency_class"] == "D"
    assert r["efficiency_score"] == 0.0


def test_logistics_rated_when_profile_says_so() -> None:
    data = _raw()
    data["rated_land_uses"] = ["industrial", "logistics"]
    prof = profile_from_dict(data)
    f = pd.DataFrame([{"land_use": "logistics", "area_mu": 10.0, "output_value": 1000.0, "tax": 50.0},
                      {"land_use": "residential", "area_mu": 10.0, "output_value": 1000.0, "tax": 50.0}])
    r = rate_efficiency(f, profile=prof)
    assert r["efficiency_class"].iloc[0] != "unrated"
    assert r["efficiency_reason"].iloc[1] == "not industrial or logistics land"


def test_default_profile_documents_itself() -> None:
    prof = default_profile()
    assert set(prof.indicator_names) <= set(INDICATORS)
    weights = {i.name: i.weight for i in prof.indicators}
    assert max(weights, key=weights.get) == "tax_per_mu"
    assert {i.name for i in prof.indicators if i.required} == {"tax_per_mu", "output_per_mu"}
    text = " ".join(prof.sources)
    for source in ("浙政发〔2018〕5号", "黄岩", "厦门市工业项目建设用地控制标准"):
        assert source in text
    assert "stands in for value added" in prof.description
    assert prof.rated_land_uses == ("industrial",)
    assert set(prof.price_tiers) == {"A", "B", "C", "D"}


def _broken(path: tuple[str, ...], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(_raw())
    node = data
    for key in path[:-1]:
        node = node[key]
    if value is KeyError:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "match"),
    [
        (("colour",), "red", "unknown keys"),
        (("indicators", "tax_per_mu", "wieght"), 3, "unknown keys"),
        (("indicators", "value_added_per_mu"), {"weight": 1, "benchmark": 1}, "unknown keys"),
        (("indicators", "tax_per_mu", "weight"), -1, "must be >= 0"),
        (("indicators", "tax_per_mu", "benchmark"), 0, "must be > 0"),
        (("indicators", "tax_per_mu", "weight"), "forty", "expected a number"),
        (("indicators",), {"tax_per_mu": {"weight": 0, "benchmark": 1}}, "sum to zero"),
        (("classification", "thresholds"), {"A": 40, "B": 70, "C": 100}, "A > B > C"),
        (("classification", "percentiles"), {"A": 70, "B": 25, "C": 95}, "A < B < C"),
        (("classification", "method"), "quantiles", "thresholds or percentiles"),
        (("rated_land_uses",), ["factory"], "rated_land_uses"),
        (("price_tiers", "D"), KeyError, "missing keys"),
        (("cap",), 0, "must be > 0"),
        (("name",), KeyError, "missing keys"),
    ],
)
def test_profile_validation(path: tuple[str, ...], value: Any, match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        profile_from_dict(_broken(path, value))


def test_load_profile_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_profile(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("indicators: [unclosed", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_profile(bad)
    good = tmp_path / "good.yaml"
    good.write_text(yaml.safe_dump(_raw(), allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert load_profile(good) == load_profile()


@settings(max_examples=60, deadline=None)
@given(
    outputs=st.lists(st.floats(min_value=0, max_value=1e5), min_size=1, max_size=12),
    taxes=st.lists(st.floats(min_value=0, max_value=1e4), min_size=12, max_size=12),
    which=st.integers(min_value=0, max_value=11),
    extra=st.floats(min_value=0, max_value=1e5),
    method=st.sampled_from(["thresholds", "percentiles"]),
)
def test_more_output_never_lowers_the_class(
    outputs: list[float], taxes: list[float], which: int, extra: float, method: str
) -> None:
    n = len(outputs)
    i = which % n
    data = _raw()
    data["classification"]["method"] = method
    prof = profile_from_dict(data)
    f = pd.DataFrame({"land_use": "industrial", "area_mu": 10.0, "output_value": outputs, "tax": taxes[:n],
                      "energy": 50.0, "employees": 20})
    g = f.copy()
    g.loc[i, "output_value"] += extra
    order = {"A": 0, "B": 1, "C": 2, "D": 3}
    before = rate_efficiency(f, profile=prof)
    after = rate_efficiency(g, profile=prof)
    assert after["efficiency_score"].iloc[i] >= before["efficiency_score"].iloc[i] - 1e-9
    assert order[after["efficiency_class"].iloc[i]] <= order[before["efficiency_class"].iloc[i]]


def test_only_zero_weight_indicators_available_is_unrated_with_reason() -> None:
    data = _raw()
    data["indicators"] = {
        "tax_per_mu": {"weight": 0, "benchmark": 10.0, "required": True},
        "energy_productivity": {"weight": 1, "benchmark": 5.0},
    }
    prof = profile_from_dict(data)
    r = rate_efficiency(_parcels(output_value=[100.0], tax=[10.0]), profile=prof).iloc[0]
    assert r["efficiency_class"] == "unrated"
    assert r["efficiency_reason"] == "no weighted indicator available"
