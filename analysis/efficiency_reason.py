"""Why a parcel is unrated, worded in Chinese or English.

``efficiency_reason`` (:func:`analysis.efficiency.rate_efficiency`) joins English phrases with
``"; "`` — ``"not industrial land"``, ``"zero or missing parcel area"``, ``"missing output_value"``,
``"zero or negative employees"``, ``"negative tax"``, ``"no weighted indicator available"`` — the
field names canonical.  :func:`reason_parts` reads them back as ``(kind, argument)`` pairs and
:func:`reason_text` words them in a language: the table exports' ``efficiency_reason_zh``
(:mod:`analysis.export.labels`) and the app (:func:`ui.value_labels.efficiency_reason_text`,
with its own field and land-use labels).  A phrase worded otherwise is kept as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd

from parcels.schema import FIELD_BY_NAME, LAND_USE_ZH

__all__ = ["REASON_TEXT", "reason_parts", "reason_text"]

#: The wording of each kind of reason: (Chinese, English); ``{field}`` a field's label, ``{uses}`` the
#: rated land uses' labels joined with ``or``.
REASON_TEXT: dict[str, tuple[str, str]] = {
    "not_rated_use": ("非{uses}，不参与亩均评价", "not {uses}, not rated"),
    "no_area": ("地块面积为零或缺失", "zero or missing parcel area"),
    "missing": ("缺少{field}", "missing {field}"),
    "not_positive": ("{field}为零或负数", "zero or negative {field}"),
    "negative": ("{field}为负数", "negative {field}"),
    "no_indicator": ("没有可用的加权指标", "no weighted indicator available"),
    "or": ("或", " or "),
    "sep": ("；", "; "),
}

_NOT_RATED = re.compile(r"^not (?P<uses>.+) land$")
_FIELD_REASONS = (("zero or negative ", "not_positive"), ("negative ", "negative"), ("missing ", "missing"))
_WHOLE = {"zero or missing parcel area": "no_area", "no weighted indicator available": "no_indicator"}


def reason_parts(reason: object) -> list[tuple[str, str | tuple[str, ...]]]:
    """The phrases of ``reason`` as ``(kind, argument)``: ``("not_rated_use", ("industrial", ...))``,
    ``("missing", "output_value")``, ``("no_area", "")``, ..., ``("other", phrase)`` for a phrase of
    another wording; empty for no reason."""
    text = "" if reason is None or reason is pd.NA or (isinstance(reason, float) and reason != reason) else str(reason)
    out: list[tuple[str, str | tuple[str, ...]]] = []
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        if part in _WHOLE:
            out.append((_WHOLE[part], ""))
            continue
        found = _NOT_RATED.match(part)
        if found:
            out.append(("not_rated_use", tuple(u.replace("/", "_") for u in found["uses"].split(" or "))))
            continue
        kind = next(((k, part[len(prefix):]) for prefix, k in _FIELD_REASONS if part.startswith(prefix)), None)
        out.append(kind if kind is not None else ("other", part))
    return out


def _field_label(name: str, lang: str) -> str:
    spec = FIELD_BY_NAME.get(name)
    if spec is None:
        return name
    return spec.en if lang == "en" else spec.zh


def _use_label(code: str, lang: str) -> str:
    return code.replace("_", " ") if lang == "en" else LAND_USE_ZH.get(code, code)


def reason_text(reason: object, lang: str = "zh", *, field_label: Callable[[str, str], str] | None = None,
                use_label: Callable[[str, str], str] | None = None) -> str:
    """``reason`` worded in ``lang`` (``"zh"`` or ``"en"``); "" for no reason.

    ``field_label(name, lang)`` and ``use_label(code, lang)`` name fields and land uses (default:
    the schema's labels and the Chinese land-use names; the English default spells the code).
    """
    i = 1 if lang == "en" else 0
    fields = field_label or _field_label
    uses_of = use_label or _use_label
    words = []
    for kind, arg in reason_parts(reason):
        if kind == "other":
            words.append(str(arg))
        elif kind == "not_rated_use":
            uses = [uses_of(u, lang) for u in arg]
            uses = [u.lower() for u in uses] if lang == "en" else uses
            words.append(REASON_TEXT[kind][i].format(uses=REASON_TEXT["or"][i].join(uses)))
        else:
            words.append(REASON_TEXT[kind][i].format(field=fields(str(arg), lang)))
    return REASON_TEXT["sep"][i].join(words)
