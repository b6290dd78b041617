"""Filtering and formatting of the parcel table (plain functions, no Streamlit)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd

from analysis.recommend import recommendation_text
from parcels.schema import FIELD_BY_NAME
from ui.i18n import category_label, field_label, field_unit, t, unit_label, with_unit
from ui.i18n_efficiency import basis_text
from ui.value_labels import efficiency_reason_text, price_tier_en

__all__ = [
    "filter_parcels",
    "area_slider_top",
    "area_range_filter",
    "format_value",
    "detail_rows",
    "display_table",
]


def area_slider_top(frame: pd.DataFrame) -> float:
    """The top of the Parcels page's area slider (亩): the largest parcel rounded, plus one (at least 1)."""
    area = pd.to_numeric(frame["area_mu"], errors="coerce") if "area_mu" in frame.columns else pd.Series(dtype=float)
    largest = area.max(skipna=True) if len(area) else 1.0
    return float(max(1.0, round(float(largest if pd.notna(largest) else 1.0) + 1.0)))


def area_range_filter(frame: pd.DataFrame, chosen: object) -> tuple[float, float] | None:
    """The area range the slider's value ``chosen`` filters by, or None: no valid range, or the whole
    slider (every parcel, the unknown areas too)."""
    if not (isinstance(chosen, (tuple, list)) and len(chosen) == 2):
        return None
    lo, hi = float(chosen[0]), float(chosen[1])
    top = area_slider_top(frame)
    if (lo <= 0.0 and hi >= top) or hi > top:
        return None
    return lo, hi


def filter_parcels(
    frame: gpd.GeoDataFrame,
    *,
    zones: Sequence[str] | None = None,
    uses: Sequence[str] | None = None,
    expiry: Sequence[str] | None = None,
    classes: Sequence[str] | None = None,
    area_mu: tuple[float, float] | None = None,
    text: str = "",
) -> gpd.GeoDataFrame:
    """Rows of ``frame`` matching every given criterion (None or empty: no criterion).

    Parameters
    ----------
    zones, uses, expiry, classes
        Allowed values of ``zone_id``, ``land_use``, ``expiry_status``,
        ``efficiency_class`` (a column that is absent does not filter).
    area_mu
        Inclusive (low, high) range of ``area_mu``.
    text
        Case-insensitive substring of ``parcel_id`` or ``enterprise`` (literal, not a regex).
    """
    keep = pd.Series(True, index=frame.index)
    for column, allowed in (("zone_id", zones), ("land_use", uses), ("expiry_status", expiry),
                            ("efficiency_class", classes)):
        if allowed and column in frame.columns:
            keep &= frame[column].astype("string").fillna("").isin([str(a) for a in allowed]).to_numpy()
    if area_mu is not None and "area_mu" in frame.columns:
        a = pd.to_numeric(frame["area_mu"], errors="coerce")
        keep &= ((a >= area_mu[0]) & (a <= area_mu[1])).fillna(False).to_numpy()
    needle = text.strip().casefold()
    if needle:
        hit = pd.Series(False, index=frame.index)
        for column in ("parcel_id", "enterprise"):
            if column in frame.columns:
                hit |= (
                    frame[column].astype("string").fillna("").str.casefold().str.contains(needle, regex=False)
                ).to_numpy()
        keep &= hit
    return frame[keep.to_numpy()]


def format_value(field: str, value: object, lang: str = "zh") -> str:
    """A field value as display text with its unit ("—" when missing)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return "—"
    if isinstance(value, float) and math.isnan(value):
        return "—"
    if isinstance(value, str) and not value.strip():
        return "—"
    spec = FIELD_BY_NAME.get(field)
    kind = spec.kind if spec else ""
    unit = unit_label(field_unit(field), lang)
    if field in ("land_use", "planned_use", "expiry_status", "efficiency_class", "zone_id"):
        return category_label(field, value, lang)
    if isinstance(value, (bool, np.bool_)):
        return t("yes", lang) if value else t("no", lang)
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if kind == "float" or isinstance(value, (float, np.floating)):
        v = float(value)  # type: ignore[arg-type]  # a number by the schema or by its type
        if field == "rd_ratio":
            return f"{v * 100:.1f} %"
        text = f"{v:,.2f}" if abs(v) < 1000 else f"{v:,.0f}"
        return f"{text} {unit}".strip()
    if kind == "int" or isinstance(value, (int, np.integer)):
        return f"{int(value):,} {unit}".strip()  # type: ignore[call-overload]  # an integer, as above
    return str(value)


#: A field written once per language: in each UI language the other language's twin is left out
#: of the details when its own is there (``recommendation`` is the code, read as its English sentence).
_TWINS: dict[str, dict[str, str]] = {
    "zh": {"recommendation": "recommendation_zh", "recommendation_rule": "recommendation_rule_zh",
           "low_efficiency_note": "low_efficiency_note_zh"},
    "en": {"recommendation_zh": "recommendation", "recommendation_rule_zh": "recommendation_rule",
           "low_efficiency_note_zh": "low_efficiency_note"},
}


def _detail_value(field: str, value: object, lang: str) -> str:
    """A field of the detail panel as text in ``lang``: analysis wordings and codes in the UI language."""
    if isinstance(value, str) and value:
        if field == "efficiency_reason":
            return efficiency_reason_text(value, lang)
        if field == "recommendation":
            return recommendation_text(value, lang=lang)
        if field == "price_tier" and lang == "en":
            return price_tier_en().get(value, value)
        if field == "low_efficiency_basis":
            return basis_text(value, lang)
    return format_value(field, value, lang)


def detail_rows(row: pd.Series, lang: str = "zh") -> pd.DataFrame:
    """Every field of one parcel as a two-column (field, value) table of text in ``lang``.

    A field the analysis writes in both languages shows once, in ``lang``; the reason a parcel is
    unrated, the recommendation and the price tier read in ``lang`` too.
    """
    twins = _TWINS["en" if lang == "en" else "zh"]
    names = [c for c in row.index if c != "geometry" and not (c in twins and twins[c] in row.index)]
    return pd.DataFrame(
        {
            t("detail.field", lang): [field_label(c, lang) for c in names],
            t("detail.value", lang): [_detail_value(c, row[c], lang) for c in names],
        }
    )


_TABLE_COLUMNS = (
    "parcel_id", "enterprise", "zone_id", "land_use", "area_mu", "expiry_status", "remaining_years",
    "output_per_mu", "efficiency_class", "recommendation_zh",
)


def display_table(frame: pd.DataFrame, lang: str = "zh", columns: Iterable[str] = _TABLE_COLUMNS) -> pd.DataFrame:
    """A compact, labelled table of parcels (categories as labels, no geometry).

    The recommendation reads in the UI language: in English the Chinese text columns give way
    to the English sentence of the code and to the rule in English.
    """
    if lang == "en":
        english = {"recommendation_zh": "recommendation", "recommendation_rule_zh": "recommendation_rule",
                   "low_efficiency_note_zh": "low_efficiency_note"}
        columns = list(dict.fromkeys(english.get(c, c) for c in columns))
    cols = [c for c in columns if c in frame.columns]
    out = pd.DataFrame(index=frame.index)
    for c in cols:
        s = frame[c]
        if c in ("zone_id", "land_use", "expiry_status", "efficiency_class"):
            s = s.map(lambda v, c=c: category_label(c, v, lang) if isinstance(v, str) else "—")
        elif c == "low_efficiency_basis":
            s = s.map(lambda v: basis_text(v, lang) if isinstance(v, str) and v else "—")
        elif c == "recommendation" and lang == "en":
            sentences = {v: recommendation_text(v, lang="en") for v in s.dropna().unique() if isinstance(v, str)}
            s = s.astype("object").map(sentences).fillna("—")
        elif c in ("area_mu", "remaining_years", "output_per_mu", "tax_per_mu", "efficiency_score", "height_limit_m"):
            s = pd.to_numeric(s, errors="coerce").round(2)
        elif pd.api.types.is_datetime64_any_dtype(s):
            s = s.dt.strftime("%Y-%m-%d")
        label = field_label(c, lang) if c == "area_mu" else with_unit(field_label(c, lang), field_unit(c), lang)
        out[label] = s.to_numpy()
    return out.reset_index(drop=True)

