"""Per-mu efficiency evaluation (亩均效益评价): indicators, score, class, price tier.

Indicators (per parcel)
-----------------------
=====================  ==============================  ===========
output_per_mu          output_value / area_mu           万元/亩
tax_per_mu             tax / area_mu                    万元/亩
investment_per_mu      investment / area_mu             万元/亩
energy_productivity    output_value / energy            万元/吨标煤
rd_ratio               rd_expense / revenue             share (0-1)
labour_productivity    output_value / employees         万元/人
=====================  ==============================  ===========

An indicator is NaN when an input is missing or invalid: negative money or energy, a
non-positive area, energy, revenue or head count.  Output value stands in for value added.

Score
-----
For a rated parcel with the set *S* of indicators it has data for::

    score = Σ_{i∈S} (100 · w_i / Σ_{j∈S} w_j) · min(v_i / b_i, cap)

``w`` are the profile weights, ``b`` the benchmarks.  A parcel at benchmark on every
indicator scores 100; the ceiling is ``100 · cap``.  Indicators marked ``required`` (tax
and output per mu in the default profile) must be present; a missing secondary indicator
is dropped and the remaining weights re-normalised (so a firm is not punished for data it
does not report, and not rewarded either).

Which parcels are rated
-----------------------
Parcels whose land use is in ``profile.rated_land_uses`` (industrial land by default).
Every other parcel is ``unrated`` with the reason "not industrial land"; rated-use parcels
lacking a required input are ``unrated`` with the reason(s) in ``efficiency_reason``
(never a zero score).

Classes
-------
``thresholds``: score ≥ t_A → A, ≥ t_B → B, ≥ t_C → C, else D.  ``percentiles``: rank
the rated parcels by score; a parcel is A when the share of rated parcels scoring strictly
higher is below p_A (%), B below p_B, C below p_C, else D (ties share the better class).
Either way more output never lowers a parcel's class: every indicator is non-decreasing in
output value.  ``price_tier`` is the class's tier name (A 优先保障, B 积极支持, C 相对控制,
D 严格限制); the profile carries the electricity surcharge per class.

Low efficiency
--------------
Which parcels are low-efficiency land, and on what basis, is :mod:`analysis.low_efficiency`'s
(against the control standard, :mod:`analysis.control_check`).  A profile's
``low_efficiency`` minimums are the output and tax figures used for industrial parcels whose
industry the standard has no row for.  ``unavailable`` lists (``{zh, en}``) indicators of the
scheme a profile follows that parcel data cannot supply (shown, never scored).
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from analysis._labels import label_series
from core.errors import ConfigError
from parcels.columns import area_mu_column, number_column
from parcels.schema import LAND_USES

__all__ = [
    "INDICATORS",
    "IndicatorSpec",
    "PriceTier",
    "EfficiencyProfile",
    "DEFAULT_PROFILE_PATH",
    "load_profile",
    "profile_from_dict",
    "default_profile",
    "efficiency_indicators",
    "rate_efficiency",
]

log = logging.getLogger(__name__)

#: Indicators a profile may use.
INDICATORS: tuple[str, ...] = (
    "output_per_mu",
    "tax_per_mu",
    "investment_per_mu",
    "energy_productivity",
    "rd_ratio",
    "labour_productivity",
)

#: The classes that are rated, best first.
_CLASSES: tuple[str, ...] = ("A", "B", "C", "D")
#: Labels of the class codes used internally (0 = unrated).
_ALL_CLASSES: tuple[str, ...] = ("unrated", *_CLASSES)

# inputs of each indicator, and the inputs that must be strictly positive (denominators)
_INPUTS: dict[str, tuple[str, ...]] = {
    "output_per_mu": ("output_value",),
    "tax_per_mu": ("tax",),
    "investment_per_mu": ("investment",),
    "energy_productivity": ("output_value", "energy"),
    "rd_ratio": ("rd_expense", "revenue"),
    "labour_productivity": ("output_value", "employees"),
}
_POSITIVE_INPUTS: frozenset[str] = frozenset({"energy", "revenue", "employees"})
_INPUT_ORDER: tuple[str, ...] = ("output_value", "tax", "investment", "energy", "rd_expense", "revenue", "employees")

DEFAULT_PROFILE_PATH: Path = Path(__file__).parent / "profiles" / "default.yaml"


@dataclass(frozen=True)
class IndicatorSpec:
    """Weight and benchmark of one indicator in a profile."""

    name: str
    weight: float
    benchmark: float
    required: bool = False


@dataclass(frozen=True)
class PriceTier:
    """Differentiated-price tier of one efficiency class."""

    efficiency_class: str
    zh: str
    en: str
    electricity_surcharge_yuan_per_kwh: float


@dataclass(frozen=True)
class EfficiencyProfile:
    """A validated evaluation profile (see ``analysis/profiles/default.yaml``)."""

    name: str
    indicators: tuple[IndicatorSpec, ...]
    rated_land_uses: tuple[str, ...]
    cap: float
    method: str
    thresholds: dict[str, float]
    percentiles: dict[str, float]
    price_tiers: dict[str, PriceTier]
    low_output_per_mu: float | None
    low_tax_per_mu: float | None
    name_zh: str = ""
    unavailable: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    description: str = ""
    sources: tuple[str, ...] = field(default_factory=tuple)

    @property
    def indicator_names(self) -> tuple[str, ...]:
        """Names of the indicators the profile scores."""
        return tuple(i.name for i in self.indicators)


# --- profile loading ------------------------------------------------------------------------

_TOP_KEYS = {
    "name": True,
    "name_zh": False,
    "description": False,
    "sources": False,
    "rated_land_uses": True,
    "cap": True,
    "indicators": True,
    "classification": True,
    "price_tiers": True,
    "low_efficiency": False,
    "unavailable": False,
}


def _fail(where: str, problem: str, problem_zh: str, fix: str, fix_zh: str) -> ConfigError:
    return ConfigError(f"efficiency profile {where}: {problem}; {fix}", f"亩均评价方案 {where}：{problem_zh}；{fix_zh}")


def _check_keys(where: str, data: Any, allowed: set[str], required: set[str]) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise _fail(where, f"expected a mapping, received {type(data).__name__}", f"应为键值映射，收到 {type(data).__name__}",
                    "write it as key: value lines", "请写成 key: value 形式")
    unknown = sorted(set(map(str, data)) - allowed)
    if unknown:
        raise _fail(where, f"unknown keys {unknown}", f"未知键 {unknown}",
                    f"use only {sorted(allowed)}", f"只可使用 {sorted(allowed)}")
    missing = sorted(required - set(data))
    if missing:
        raise _fail(where, f"missing keys {missing}", f"缺少键 {missing}", "add them", "请补充")
    return data


def _number(where: str, value: Any, *, minimum: float | None = None, strict: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(float(value)):
        raise _fail(where, f"expected a number, received {value!r}", f"应为数值，收到 {value!r}",
                    "write a plain number", "请填写数值")
    v = float(value)
    if minimum is not None and (v <= minimum if strict else v < minimum):
        op = ">" if strict else ">="
        raise _fail(where, f"must be {op} {minimum}, received {v}", f"必须 {op} {minimum}，收到 {v}",
                    "correct the value", "请修改该值")
    return v


def profile_from_dict(data: Any) -> EfficiencyProfile:
    """Validate a profile given as plain data (as read from YAML).

    Parameters
    ----------
    data
        Mapping with the keys of ``analysis/profiles/default.yaml``.

    Returns
    -------
    EfficiencyProfile

    Raises
    ------
    ConfigError
        Unknown or missing keys, unknown indicators or land uses, negative weights, weights
        not summing to more than zero, non-positive benchmarks or cap, unordered thresholds or
        percentiles, missing price tiers.
    """
    top = _check_keys("(top level)", data, set(_TOP_KEYS), {k for k, req in _TOP_KEYS.items() if req})
    uses = top["rated_land_uses"]
    if not isinstance(uses, list) or not uses or any(u not in LAND_USES for u in uses):
        raise _fail("rated_land_uses", f"received {uses!r}", f"收到 {uses!r}",
                    f"give a non-empty list drawn from {list(LAND_USES)}", f"请给出非空列表，取值于 {list(LAND_USES)}")
    cap = _number("cap", top["cap"], minimum=0.0, strict=True)

    raw_ind = _check_keys("indicators", top["indicators"], set(INDICATORS), set())
    specs = []
    for name, spec in raw_ind.items():
        spec = _check_keys(f"indicators.{name}", spec, {"weight", "benchmark", "required"}, {"weight", "benchmark"})
        required = spec.get("required", False)
        if not isinstance(required, bool):
            raise _fail(f"indicators.{name}.required", f"expected true/false, received {required!r}",
                        f"应为 true/false，收到 {required!r}", "write true or false", "请填写 true 或 false")
        specs.append(IndicatorSpec(
            name=name,
            weight=_number(f"indicators.{name}.weight", spec["weight"], minimum=0.0),
            benchmark=_number(f"indicators.{name}.benchmark", spec["benchmark"], minimum=0.0, strict=True),
            required=required,
        ))
    if sum(s.weight for s in specs) <= 0:
        raise _fail("indicators", "the weights sum to zero (or no indicator is given)", "权重之和为零（或未给出指标）",
                    "give at least one indicator a positive weight", "请至少为一个指标设置正权重")

    cls = _check_keys("classification", top["classification"], {"method", "thresholds", "percentiles"},
                      {"method", "thresholds", "percentiles"})
    method = cls["method"]
    if method not in ("thresholds", "percentiles"):
        raise _fail("classification.method", f"received {method!r}", f"收到 {method!r}",
                    "use thresholds or percentiles", "请使用 thresholds 或 percentiles")
    thr = _check_keys("classification.thresholds", cls["thresholds"], {"A", "B", "C"}, {"A", "B", "C"})
    thresholds = {k: _number(f"classification.thresholds.{k}", thr[k]) for k in ("A", "B", "C")}
    if not thresholds["A"] > thresholds["B"] > thresholds["C"]:
        raise _fail("classification.thresholds", f"must satisfy A > B > C, received {thresholds}",
                    f"必须满足 A > B > C，收到 {thresholds}", "order them from best to worst", "请按从高到低排列")
    pct = _check_keys("classification.percentiles", cls["percentiles"], {"A", "B", "C"}, {"A", "B", "C"})
    percentiles = {k: _number(f"classification.percentiles.{k}", pct[k], minimum=0.0, strict=True) for k in ("A", "B", "C")}
    if not percentiles["A"] < percentiles["B"] < percentiles["C"] <= 100:
        raise _fail("classification.percentiles", f"must satisfy 0 < A < B < C <= 100, received {percentiles}",
                    f"必须满足 0 < A < B < C <= 100，收到 {percentiles}", "give cumulative shares from the top",
                    "请给出自高到低的累计百分比")

    tiers_raw = _check_keys("price_tiers", top["price_tiers"], set(_CLASSES), set(_CLASSES))
    tiers = {}
    for c in _CLASSES:
        t = _check_keys(f"price_tiers.{c}", tiers_raw[c], {"zh", "en", "electricity_surcharge_yuan_per_kwh"},
                        {"zh", "en", "electricity_surcharge_yuan_per_kwh"})
        tiers[c] = PriceTier(c, str(t["zh"]), str(t["en"]), _number(
            f"price_tiers.{c}.electricity_surcharge_yuan_per_kwh", t["electricity_surcharge_yuan_per_kwh"], minimum=0.0))

    low = _check_keys("low_efficiency", top.get("low_efficiency") or {}, {"output_per_mu_min", "tax_per_mu_min"}, set())
    low_out = low.get("output_per_mu_min")
    low_tax = low.get("tax_per_mu_min")
    unavailable = top.get("unavailable", [])
    if not isinstance(unavailable, list) or not all(isinstance(u, dict) and set(u) == {"zh", "en"} for u in unavailable):
        raise _fail("unavailable", f"received {unavailable!r}", f"收到 {unavailable!r}",
                    "give a list of {zh: ..., en: ...} items", "请给出 {zh: 中文, en: English} 列表")
    sources = top.get("sources", [])
    if not isinstance(sources, list):
        raise _fail("sources", f"expected a list, received {sources!r}", f"应为列表，收到 {sources!r}",
                    "write one source per line starting with '- '", "每行一个来源，以 '- ' 开头")
    return EfficiencyProfile(
        name=str(top["name"]),
        name_zh=str(top.get("name_zh", "")),
        description=str(top.get("description", "")),
        sources=tuple(map(str, sources)),
        unavailable=tuple((str(u["zh"]), str(u["en"])) for u in unavailable),
        indicators=tuple(specs),
        rated_land_uses=tuple(uses),
        cap=cap,
        method=method,
        thresholds=thresholds,
        percentiles=percentiles,
        price_tiers=tiers,
        low_output_per_mu=None if low_out is None else _number("low_efficiency.output_per_mu_min", low_out, minimum=0.0),
        low_tax_per_mu=None if low_tax is None else _number("low_efficiency.tax_per_mu_min", low_tax, minimum=0.0),
    )


def load_profile(path: str | Path | None = None) -> EfficiencyProfile:
    """Read and validate an evaluation profile from YAML.

    Parameters
    ----------
    path
        YAML file; None for the default profile shipped with the product.

    Returns
    -------
    EfficiencyProfile

    Raises
    ------
    ConfigError
        The file is missing, not YAML, or fails validation (see :func:`profile_from_dict`).
    """
    p = DEFAULT_PROFILE_PATH if path is None else Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as err:
        raise ConfigError(f"cannot read efficiency profile {str(p)!r}: {err.strerror}; check the path",
                          f"无法读取亩均评价方案 {str(p)!r}：{err.strerror}；请检查路径") from err
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise ConfigError(f"efficiency profile {str(p)!r} is not valid YAML: {err}",
                          f"亩均评价方案 {str(p)!r} 不是有效的 YAML：{err}") from err
    return profile_from_dict(data)


_DEFAULT: EfficiencyProfile | None = None


def default_profile() -> EfficiencyProfile:
    """The profile in ``analysis/profiles/default.yaml`` (read once)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = load_profile()
    return _DEFAULT


# --- indicators -----------------------------------------------------------------------------


def efficiency_indicators(frame: pd.DataFrame) -> pd.DataFrame:
    """The six per-parcel indicators (see the module docstring).

    Parameters
    ----------
    frame
        Parcel frame with ``area_mu`` (or ``area_m2``) and the economic inputs
        ``output_value, tax, investment, energy, rd_expense, revenue, employees``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`INDICATORS` (float64), NaN where an input is missing or invalid.
    """
    area = area_mu_column(frame)
    area = area.where(area > 0)
    nonneg = {c: number_column(frame, c).where(lambda s: s >= 0) for c in ("output_value", "tax", "investment", "rd_expense")}
    positive = {c: number_column(frame, c).where(lambda s: s > 0) for c in _POSITIVE_INPUTS}
    return pd.DataFrame(
        {
            "output_per_mu": nonneg["output_value"] / area,
            "tax_per_mu": nonneg["tax"] / area,
            "investment_per_mu": nonneg["investment"] / area,
            "energy_productivity": nonneg["output_value"] / positive["energy"],
            "rd_ratio": nonneg["rd_expense"] / positive["revenue"],
            "labour_productivity": nonneg["output_value"] / positive["employees"],
        },
        index=frame.index,
    )


def _join_reasons(index: pd.Index, reasons: list[tuple[str, np.ndarray]]) -> pd.Series:
    """Reasons that apply to each row, joined with "; " in the order given ("" when none)."""
    bits = np.zeros(len(index), dtype=np.int64)
    for k, (_, mask) in enumerate(reasons):
        bits |= mask.astype(np.int64) << k
    combos, codes = np.unique(bits, return_inverse=True)
    labels = ["; ".join(text for k, (text, _) in enumerate(reasons) if combo >> k & 1) for combo in combos.tolist()]
    return label_series(labels, codes.reshape(-1), index, name="efficiency_reason")


def _classify(score: pd.Series, rated: np.ndarray, profile: EfficiencyProfile) -> np.ndarray:
    """Class code per row: 0 unrated, 1 A, 2 B, 3 C, 4 D (positions in :data:`_ALL_CLASSES`)."""
    s = score.to_numpy(dtype=float)
    codes = np.zeros(len(s), dtype=np.int64)
    if not rated.any():
        return codes
    if profile.method == "thresholds":
        t = profile.thresholds
        graded = np.select([s >= t["A"], s >= t["B"], s >= t["C"]], [1, 2, 3], 4)[rated]
    else:
        p = profile.percentiles
        # share of rated parcels scoring strictly higher
        rank = pd.Series(s[rated]).rank(method="min", ascending=False).to_numpy()
        better = (rank - 1.0) / rated.sum()
        graded = np.select([better < p["A"] / 100, better < p["B"] / 100, better < p["C"] / 100], [1, 2, 3], 4)
    codes[rated] = graded
    return codes


def _unrated_reasons(frame: pd.DataFrame, prof: EfficiencyProfile, in_scope: np.ndarray) -> dict[str, np.ndarray]:
    """Why each parcel cannot be rated: reason text -> row mask, in a fixed order."""
    n = len(frame)
    reasons: dict[str, np.ndarray] = {}

    def add(text: str, mask: np.ndarray) -> None:
        reasons[text] = reasons.get(text, np.zeros(n, dtype=bool)) | mask

    scope_name = " or ".join(u.replace("_", "/") for u in prof.rated_land_uses)
    add(f"not {scope_name} land", ~in_scope)
    add("zero or missing parcel area", in_scope & ~(area_mu_column(frame).to_numpy() > 0))
    needed = {col for spec in prof.indicators if spec.required for col in _INPUTS[spec.name]}
    for col in (c for c in _INPUT_ORDER if c in needed):
        v = number_column(frame, col).to_numpy()
        add(f"missing {col}", in_scope & np.isnan(v))
        if col in _POSITIVE_INPUTS:
            add(f"zero or negative {col}", in_scope & (v <= 0))
        else:
            add(f"negative {col}", in_scope & (v < 0))
    return reasons


def _score(ind: pd.DataFrame, prof: EfficiencyProfile) -> np.ndarray:
    """Σ (100·w/Σw) · min(v/b, cap) over the indicators each row has; NaN when it has none weighted."""
    weighted = np.zeros(len(ind))
    weights = np.zeros(len(ind))
    for spec in prof.indicators:
        v = ind[spec.name].to_numpy()
        have = ~np.isnan(v)
        ratio = np.minimum(np.where(have, v, 0.0) / spec.benchmark, prof.cap)
        weighted += np.where(have, spec.weight * ratio, 0.0)
        weights += np.where(have, spec.weight, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(weights > 0, 100.0 * weighted / weights, np.nan)


def rate_efficiency(frame: pd.DataFrame, *, profile: EfficiencyProfile | None = None) -> pd.DataFrame:
    """Indicators, score, class, reason and price tier per parcel.

    Parameters
    ----------
    frame
        Parcel frame with ``land_use``, ``area_mu`` (or ``area_m2``) and the economic inputs.
    profile
        Evaluation profile; default :func:`default_profile`.

    Returns
    -------
    pandas.DataFrame
        Index-aligned columns :data:`INDICATORS`, ``efficiency_score`` (float, NaN when
        unrated), ``efficiency_class`` (A/B/C/D/unrated), ``efficiency_reason`` (str, empty
        when rated) and ``price_tier`` (str, empty when unrated).
    """
    prof = profile or default_profile()
    idx = frame.index
    ind = efficiency_indicators(frame)
    use = frame["land_use"].fillna("").astype("str").to_numpy() if "land_use" in frame else np.full(len(idx), "")
    in_scope = np.isin(use, list(prof.rated_land_uses))

    reasons = _unrated_reasons(frame, prof, in_scope)
    score = _score(ind, prof)
    blocked = np.logical_or.reduce(list(reasons.values()))
    reasons["no weighted indicator available"] = in_scope & ~blocked & np.isnan(score)
    rated = in_scope & ~blocked & ~np.isnan(score)
    score = np.where(rated, score, np.nan)
    cls_code = _classify(pd.Series(score, index=idx), rated, prof)

    result = ind.copy()
    result["efficiency_score"] = pd.Series(score, index=idx)
    result["efficiency_class"] = label_series(_ALL_CLASSES, cls_code, idx)
    result["efficiency_reason"] = _join_reasons(idx, list(reasons.items()))
    result["price_tier"] = label_series(["", *(prof.price_tiers[c].zh for c in _CLASSES)], cls_code, idx)
    return result
