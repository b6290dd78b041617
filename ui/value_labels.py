"""Values the analysis writes as codes or English words, shown in the UI language.

The validation report's issue codes, severities and actions; the reasons a parcel is unrated
(``efficiency_reason``); amounts in 亿元 (10^8 yuan: ``¥… bn`` or ``¥… M`` in English); cells
with no value (``—``).  The labels are in :mod:`ui.i18n_labels`.
"""

from __future__ import annotations

import math
from functools import lru_cache

import pandas as pd

from analysis.efficiency import load_profile
from analysis.efficiency_reason import reason_text
from parcels.geometry import validity_reason_text
from ui.i18n import TEXT, field_label, land_use_label, t

__all__ = ["MISSING", "issue_label", "severity_label", "action_label", "report_table", "efficiency_reason_text",
           "price_tier_en", "yi_text", "text_or_dash"]

#: What a cell without a value shows.
MISSING = "—"


def _coded(prefix: str, code: object, lang: str) -> str:
    key = f"{prefix}.{code}"
    return t(key, lang) if key in TEXT else str(code)


def issue_label(code: object, lang: str = "zh") -> str:
    """Label of an issue code of the validation report (the code itself when unknown)."""
    return _coded("issue", code, lang)


def severity_label(severity: object, lang: str = "zh") -> str:
    """Label of an issue severity (``error``, ``warning``, ``info``)."""
    return _coded("sev", severity, lang)


def action_label(action: object, lang: str = "zh") -> str:
    """Label of the action taken on an issue (``rejected``, ``repaired``, ``kept`` ...)."""
    return _coded("act", action, lang)


def text_or_dash(value: object) -> str:
    """``value`` as text, :data:`MISSING` for None, NaN, <NA> or empty text."""
    if value is None or value is pd.NA or value is pd.NaT:
        return MISSING
    if isinstance(value, float) and math.isnan(value):
        return MISSING
    text = str(value)
    return text if text.strip() else MISSING


def report_table(report: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The validation report's columns as text in ``lang``: codes, severities, actions and fields as
    labels, GEOS reasons worded, row numbers as integers, empty cells as ``—`` (headers unchanged)."""
    out = pd.DataFrame(index=report.index)
    for column in report.columns:
        s = report[column]
        if column == "code":
            values = [issue_label(v, lang) for v in s]
        elif column == "severity":
            values = [severity_label(v, lang) for v in s]
        elif column == "action":
            values = [action_label(v, lang) for v in s]
        elif column == "field":
            values = [text_or_dash(v if not isinstance(v, str) or not v else field_label(v, lang)) for v in s]
        elif column == "row":
            values = [text_or_dash(v if text_or_dash(v) == MISSING else int(v)) for v in s]
        elif column == "value" and "code" in report.columns:
            geometry = (report["code"] == "invalid_geometry_repaired").to_numpy()
            values = [text_or_dash(validity_reason_text(v, lang) if g and isinstance(v, str) else v)
                      for v, g in zip(s, geometry, strict=True)]
        else:
            values = [text_or_dash(v) for v in s]
        out[column] = values
    return out


def efficiency_reason_text(reason: object, lang: str = "zh") -> str:
    """Why a parcel is unrated (``efficiency_reason``, "; "-joined English phrases) in ``lang``
    (:func:`analysis.efficiency_reason.reason_text` with the app's field and land-use labels).

    ``"not industrial land; missing output_value"`` reads ``非工业用地，不参与亩均评价；缺少工业总产值``
    in Chinese and ``not industrial, not rated; missing Output value`` in English; a phrase the
    analysis words otherwise is kept as it is.
    """
    return reason_text(reason, lang, field_label=field_label, use_label=land_use_label) or MISSING


@lru_cache(maxsize=1)
def price_tier_en() -> dict[str, str]:
    """English names of the price tiers (``price_tier`` holds the Chinese one), from the shipped profile
    (the profile editor changes weights and thresholds, not the tiers' names)."""
    return {tier.zh: tier.en for tier in load_profile().price_tiers.values() if tier.zh and tier.en}


def yi_text(value: float, lang: str = "zh", *, sign: bool = False, digits: int = 1) -> str:
    """An amount in 亿元 (10^8 yuan): ``263.7 亿元``; in English in billions to the same precision,
    ``¥26.37 bn`` (``¥150 M`` below 10 亿元), the sign before the currency (``-¥1.23 bn``)."""
    if lang != "en":
        return t("yi.amount", lang, v=format(value, f"{'+' if sign else ''},.{digits}f"))
    mark = "-" if value < 0 else ("+" if sign and value > 0 else "")
    size = abs(value)
    if size >= 10 or size == 0:
        return mark + t("yi.amount", lang, v=format(size / 10.0, f",.{digits + 1}f"))
    return mark + t("yi.amount_m", lang, v=format(size * 100.0, ",.0f"))
