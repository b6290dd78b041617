"""The plan's recommendations per parcel, as one ordered rule table.

Rules are tried in the order of :data:`RULES`; the **first rule that matches wins**.  The
order encodes priority: the plan's zone-specific instructions (专栏5-1) come first, then the
district-wide low-efficiency revitalisation (盘活低效用地), then the demonstration zone (whose
advice depends on the airport scenario), then "keep as is".

====  =====================  ===============================================================
R1    reserve_industrial     incubation zone, industrial land, lease expired or ending within
                             ten years (expiry_status expired / within_5y / within_10y)
R2    building_economy       incubation zone, commercial/office land
R3    hq_shared_capacity     hq zone, low-efficiency land
R4    hq_electronics         hq zone, industrial or commercial/office land
R5    revitalize_reserve     low-efficiency land (any zone), lease expired → government
                             recovery into the land reserve (收储)
R6    revitalize_renewal     low-efficiency land (any zone), lease not expired or unknown →
                             firm-led renewal (企业自主更新)
R7    demonstration_*        demonstration zone: the airport scenario's advice for the chosen
                             year (:class:`DemonstrationAdvice`), or ``demonstration_pending``
                             (视高崎机场搬迁进度确定) when no scenario is given
R8    none                   everything else: 维持现状 (keep the current use)
====  =====================  ===============================================================

``low_efficiency`` <NA> (cannot be judged) counts as not low-efficiency here.  Each parcel
gets ``recommendation`` (the code), ``recommendation_zh`` (the Chinese text) and
``recommendation_rule`` ("R1: <condition>").
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis._labels import label_series
from parcels.columns import text_column

__all__ = [
    "Rule", "DemonstrationAdvice", "RULES", "PENDING_DEMONSTRATION", "recommend", "recommendation_text", "rule_table",
]

log = logging.getLogger(__name__)

Predicate = Callable[[pd.DataFrame], pd.Series]


@dataclass(frozen=True)
class Rule:
    """One recommendation rule.

    Attributes
    ----------
    rule_id
        Short id, e.g. ``"R1"`` (also gives the priority).
    code
        Recommendation code written to ``recommendation``.
    zh, en
        The recommendation in Chinese and English.
    condition
        When the rule fires, in words (written to ``recommendation_rule``).
    predicate
        Vectorised test: parcel frame in, boolean Series out.
    condition_zh
        The condition in Chinese (written to ``recommendation_rule_zh``).
    """

    rule_id: str
    code: str
    zh: str
    en: str
    condition: str
    predicate: Predicate
    condition_zh: str = ""


@dataclass(frozen=True)
class DemonstrationAdvice:
    """Advice for demonstration-zone parcels, supplied by the airport scenario model.

    Attributes
    ----------
    code
        Recommendation code, e.g. ``"demonstration_test_road"``.
    zh, en
        The recommendation in Chinese and English.
    rule
        Why it applies, in words (e.g. the scenario and year).
    rule_zh
        The same in Chinese; empty falls back to ``rule``.
    """

    code: str
    zh: str
    en: str
    rule: str
    rule_zh: str = ""


def _zone(name: str) -> Predicate:
    return lambda f: text_column(f, "zone_id") == name


def _use(*uses: str) -> Predicate:
    return lambda f: text_column(f, "land_use").isin(uses)


def _low(f: pd.DataFrame) -> pd.Series:
    if "low_efficiency" not in f:
        return pd.Series(False, index=f.index)
    return f["low_efficiency"].astype("boolean").fillna(False).astype(bool)


def _status(*statuses: str) -> Predicate:
    return lambda f: text_column(f, "expiry_status").isin(statuses)


def _all(*preds: Predicate) -> Predicate:
    def test(f: pd.DataFrame) -> pd.Series:
        out = pd.Series(True, index=f.index)
        for p in preds:
            out &= p(f).to_numpy(dtype=bool)
        return out

    return test


PENDING_DEMONSTRATION = DemonstrationAdvice(
    code="demonstration_pending",
    zh="视高崎机场搬迁进度确定：按计划搬迁则建设智能网联汽车公共测试道路和产业社区；搬迁推迟则先行选址启动测试道路",
    en=(
        "Decide with the Gaoqi airport relocation: on schedule, ICV public test roads and an industry "
        "community; delayed, start a test road on a site in the block first"
    ),
    rule="demonstration zone; no airport scenario chosen",
    rule_zh="场景示范区；未选择机场搬迁情景",
)

#: The rule table, in priority order (R7 is filled in by :func:`recommend`).
RULES: tuple[Rule, ...] = (
    Rule(
        "R1",
        "reserve_industrial",
        "保留工业用途，作为智能网联系统硬件设备产能导入和本地孵化项目落地的储备地块",
        "Keep industrial use as a reserve parcel for ICV hardware capacity and locally incubated projects",
        "incubation zone, industrial land, lease expired or ending within 10 years",
        _all(_zone("incubation"), _use("industrial"), _status("expired", "within_5y", "within_10y")),
        condition_zh="产业孵化区内的工业用地，土地使用年限已到期或十年内到期",
    ),
    Rule(
        "R2",
        "building_economy",
        "导入楼宇经济项目：智能网联系统软件开发、智能诊断检测与云服务、车载信息产品及服务、智慧交通平台经济",
        "Building-economy projects: ICV software, smart diagnostics and cloud services, in-vehicle "
        "information services, smart-transport platforms",
        "incubation zone, commercial/office land",
        _all(_zone("incubation"), _use("commercial_office")),
        condition_zh="产业孵化区内已变更为商业办公的用地",
    ),
    Rule(
        "R3",
        "hq_shared_capacity",
        "对接战略合作伙伴，探索共享产能，挖掘现有产能升级潜力（高端传感器等智能网联核心硬件）",
        "Shared production capacity with strategic partners; upgrade existing capacity (high-end ICV sensors)",
        "hq zone, low-efficiency land",
        _all(_zone("hq"), _low),
        condition_zh="总部经济区内的低效用地",
    ),
    Rule(
        "R4",
        "hq_electronics",
        "发展中控显示等车载显示零部件、新能源汽车核心电子元器件，布局智能网联汽车与车路协同高端传感器",
        "In-vehicle displays and core EV electronic components; high-end ICV and V2X sensors",
        "hq zone, industrial or commercial/office land",
        _all(_zone("hq"), _use("industrial", "commercial_office")),
        condition_zh="总部经济区内的工业或商业办公用地",
    ),
    Rule(
        "R5",
        "revitalize_reserve",
        "盘活低效用地：土地使用年限已到期，由政府收回纳入土地储备（收储）",
        "Revitalise low-efficiency land: the lease has expired, recover it into the government land reserve",
        "low-efficiency land, lease expired",
        _all(_low, _status("expired")),
        condition_zh="低效用地，土地使用年限已到期",
    ),
    Rule(
        "R6",
        "revitalize_renewal",
        "盘活低效用地：土地使用期内由企业自主更新改造（延长年期、增加容积率、分割等）",
        "Revitalise low-efficiency land: firm-led renewal while the lease runs (term extension, extra floor area, splitting)",
        "low-efficiency land, lease not expired (or end date unknown)",
        _low,
        condition_zh="低效用地，土地使用期未满（或到期日未知）",
    ),
    Rule(
        "R7",
        PENDING_DEMONSTRATION.code,
        PENDING_DEMONSTRATION.zh,
        PENDING_DEMONSTRATION.en,
        PENDING_DEMONSTRATION.rule,
        _zone("demonstration"),
        condition_zh=PENDING_DEMONSTRATION.rule_zh,
    ),
    Rule(
        "R8",
        "none",
        "维持现状",
        "Keep the current use",
        "no other rule applies",
        lambda f: pd.Series(True, index=f.index),
        condition_zh="其他规则均不适用",
    ),
)


def recommendation_text(code: str, *, lang: str = "en", demonstration: DemonstrationAdvice | None = None) -> str:
    """The recommendation sentence of ``code`` in ``lang`` ("zh" or "en"); the code itself if unknown.

    Parameters
    ----------
    code
        A recommendation code as written to ``recommendation``.
    lang
        "zh" or "en".
    demonstration
        The scenario advice in force, whose code and texts replace the pending rule's.
    """
    for rule in _rules_for(demonstration):
        if rule.code == code:
            return rule.zh if lang == "zh" else rule.en
    return code


def _rules_for(demonstration: DemonstrationAdvice | None) -> tuple[Rule, ...]:
    advice = demonstration or PENDING_DEMONSTRATION
    rule_zh = advice.rule_zh or advice.rule
    return tuple(
        Rule(
            r.rule_id, advice.code, advice.zh, advice.en,
            f"demonstration zone; {advice.rule}" if demonstration is not None else advice.rule,
            r.predicate,
            condition_zh=f"场景示范区；{rule_zh}" if demonstration is not None else rule_zh,
        )
        if r.rule_id == "R7"
        else r
        for r in RULES
    )


def rule_table(*, demonstration: DemonstrationAdvice | None = None) -> pd.DataFrame:
    """The rules as a table (for display and documentation).

    Parameters
    ----------
    demonstration
        Scenario advice for the demonstration zone, or None for the pending rule.

    Returns
    -------
    pandas.DataFrame
        Columns ``rule_id, code, zh, en, condition, condition_zh`` in priority order.
    """
    return pd.DataFrame(
        [(r.rule_id, r.code, r.zh, r.en, r.condition, r.condition_zh) for r in _rules_for(demonstration)],
        columns=["rule_id", "code", "zh", "en", "condition", "condition_zh"],
    )


def recommend(frame: pd.DataFrame, *, demonstration: DemonstrationAdvice | None = None) -> pd.DataFrame:
    """The plan's recommendation for each parcel (first matching rule of :data:`RULES`).

    Parameters
    ----------
    frame
        Parcel frame with ``zone_id``, ``land_use``, ``expiry_status`` and ``low_efficiency``.
    demonstration
        Advice for demonstration-zone parcels from the airport scenario for the chosen year;
        None gives ``demonstration_pending``.

    Returns
    -------
    pandas.DataFrame
        Index-aligned ``recommendation``, ``recommendation_zh``, ``recommendation_rule`` and
        ``recommendation_rule_zh`` (str).
    """
    rules = _rules_for(demonstration)
    conditions = [r.predicate(frame).to_numpy(dtype=bool) for r in rules]
    fired = np.select(conditions, np.arange(len(rules)), default=len(rules) - 1)

    def pick(values: list[str]) -> pd.Series:
        return label_series(values, fired, frame.index)

    return pd.DataFrame(
        {
            "recommendation": pick([r.code for r in rules]),
            "recommendation_zh": pick([r.zh for r in rules]),
            "recommendation_rule": pick([f"{r.rule_id}: {r.condition}" for r in rules]),
            "recommendation_rule_zh": pick([f"{r.rule_id}：{r.condition_zh or r.condition}" for r in rules]),
        },
        index=frame.index,
    )
