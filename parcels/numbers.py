"""Coercing numeric text from cadastral and statistics tables.

Accepted: plain numbers, thousands separators (``1,234.5``, ``1，234``), full-width
digits (``１２３``), surrounding spaces, and a trailing unit.  Placeholders that mean "no
value" (empty, ``-``, ``—``, ``/``, ``无``, ``N/A``, ``null``) become missing without
complaint.  Anything else is unparsable: NaN, and flagged so the reader can report it.

Units: :func:`coerce_quantity` reads a value for a field with a known unit (the schema's
``万元``, ``m²``, ``吨标煤``, ``年``, ``人``) and converts the units people write in Chinese
tables into it — ``1.2亿元`` is 12,000 万元, ``800元`` 0.08 万元, ``2.5亩`` 1,666.7 m²,
``1.2公顷`` 12,000 m², ``3万吨标煤`` 30,000 吨标煤; a ``/年`` or ``每年`` after the unit is
ignored.  A unit that does not belong to the field (``120kg`` as a tax) is unparsable rather
than silently dropped.  :func:`coerce_numeric` (no unit known) strips any trailing unit.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from core.settings import SQM_PER_MU

__all__ = ["coerce_numeric", "coerce_quantity", "coerce_share", "Quantity", "NULL_TOKENS", "UNIT_SCALES"]

#: Text values that mean "no value" (compared after NFKC and case-folding).
NULL_TOKENS: frozenset[str] = frozenset(
    {"", "-", "--", "—", "——", "/", "\\", "无", "空", "暂无", "null", "none", "nan", "n/a", "na", "#n/a"}
)

_NUMBER = r"^([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*[^\d.+\-]*$"
_NUMBER_AND_UNIT = r"^([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)(.*)$"

_MONEY = {"": 1.0, "万元": 1.0, "万": 1.0, "万元人民币": 1.0, "亿元": 1e4, "亿": 1e4, "元": 1e-4, "人民币元": 1e-4,
          "千元": 0.1, "百万元": 100.0, "百万": 100.0, "千万元": 1e3, "千万": 1e3}
_AREA = {"": 1.0, "m2": 1.0, "平方米": 1.0, "平米": 1.0, "万m2": 1e4, "万平方米": 1e4, "亩": SQM_PER_MU,
         "公顷": 1e4, "ha": 1e4, "hm2": 1e4, "km2": 1e6, "平方公里": 1e6, "平方千米": 1e6}
_ENERGY = {"": 1.0, "吨标煤": 1.0, "吨标准煤": 1.0, "tce": 1.0, "吨": 1.0, "t": 1.0, "万吨标煤": 1e4,
           "万吨标准煤": 1e4, "万吨": 1e4, "千克标煤": 1e-3, "千克标准煤": 1e-3, "kgce": 1e-3}

#: For each unit of the schema, the written units it accepts and their factor into it
#: (keys after NFKC and case-folding, without spaces, brackets or a per-year suffix).
UNIT_SCALES: dict[str, dict[str, float]] = {
    "万元/年": _MONEY, "万元": _MONEY, "m²": _AREA, "吨标煤/年": _ENERGY,
    "年": {"": 1.0, "年": 1.0}, "人": {"": 1.0, "人": 1.0, "名": 1.0, "万人": 1e4},
}
_PER_YEAR = r"(?:/年|/a|/yr|每年|/year)$"


def coerce_numeric(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Numbers from a column of numbers or numeric text.

    Parameters
    ----------
    values
        Any Series.

    Returns
    -------
    (numbers, unparsable)
        ``numbers`` is float64 (NaN where missing or unparsable), aligned to ``values``;
        ``unparsable`` is a bool Series, True where a non-empty value could not be read.
    """
    if pd.api.types.is_bool_dtype(values.dtype):
        return values.astype("float64"), pd.Series(False, index=values.index)
    if pd.api.types.is_numeric_dtype(values.dtype):
        return values.astype("float64"), pd.Series(False, index=values.index)
    text = values.astype("str").str.normalize("NFKC").str.strip()
    missing = values.isna() | text.str.casefold().isin(NULL_TOKENS)
    cleaned = text.str.replace(r"(?<=\d)[,，\s](?=\d{3})", "", regex=True).str.replace(r"\s+", "", regex=True)
    cleaned = cleaned.str.replace(r"(?i)[mk]m?[23]$", "", regex=True)  # m2, km2, m3 (㎡ after NFKC)
    extracted = cleaned.str.extract(_NUMBER, expand=False)
    numbers = pd.to_numeric(extracted, errors="coerce").astype("float64")
    numbers = numbers.where(~missing)
    unparsable = numbers.isna() & ~missing
    return numbers, unparsable.astype(bool)


@dataclass(frozen=True)
class Quantity:
    """Values read for a field with a unit.

    Attributes
    ----------
    numbers
        float64 in the field's unit (NaN where missing or unparsable).
    unparsable
        True where a non-empty value could not be read (or had a unit foreign to the field).
    scale
        The factor applied (1.0 where the value was in the field's unit or had none).
    """

    numbers: pd.Series
    unparsable: pd.Series
    scale: pd.Series


def coerce_quantity(values: pd.Series, unit: str) -> Quantity:
    """Numbers for a field whose unit is ``unit`` (a key of :data:`UNIT_SCALES`), units converted.

    Raises
    ------
    KeyError
        ``unit`` is not one of the schema's units.
    """
    scales = UNIT_SCALES[unit]
    one = pd.Series(1.0, index=values.index)
    if pd.api.types.is_bool_dtype(values.dtype) or pd.api.types.is_numeric_dtype(values.dtype):
        return Quantity(values.astype("float64"), pd.Series(False, index=values.index), one)
    text = values.astype("str").str.normalize("NFKC").str.strip()
    missing = values.isna() | text.str.casefold().isin(NULL_TOKENS)
    cleaned = text.str.replace(r"(?<=\d)[,，\s](?=\d{3})", "", regex=True).str.replace(r"\s+", "", regex=True)
    parts = cleaned.str.extract(_NUMBER_AND_UNIT)
    suffix = (parts[1].fillna("").str.casefold().str.replace(r"[()（）\[\]]", "", regex=True)
              .str.replace(_PER_YEAR, "", regex=True))
    scale = suffix.map(scales)  # NaN: a unit this field does not take
    numbers = pd.to_numeric(parts[0], errors="coerce").astype("float64") * scale
    numbers = numbers.where(~missing)
    unparsable = numbers.isna() & ~missing
    return Quantity(numbers, unparsable.astype(bool), scale.where(numbers.notna(), 1.0).astype("float64"))


def coerce_share(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Shares (0-1) from fractions or percentages: ``0.35``, ``35%``, ``35`` all give 0.35.

    A value with a ``%`` sign, or a plain number above 1 and at most 100, is a percentage;
    anything above 100 (or below 0) is not a share.

    Returns
    -------
    (shares, unparsable, converted)
        ``shares`` float64 in 0-1 (NaN where missing or unreadable); ``unparsable`` True where a
        non-empty value is not a share; ``converted`` True where a percentage was divided by 100.
    """
    numbers, unparsable = coerce_numeric(values)
    if pd.api.types.is_numeric_dtype(values.dtype) or pd.api.types.is_bool_dtype(values.dtype):
        percent_sign = pd.Series(False, index=values.index)
    else:
        percent_sign = values.astype("str").fillna("").str.normalize("NFKC").str.strip().str.endswith("%")
    converted = numbers.notna() & (percent_sign | (numbers > 1))
    shares = numbers.where(~converted, numbers / 100.0)
    out_of_range = shares.notna() & ((shares < 0) | (shares > 1))
    return shares.mask(out_of_range).astype("float64"), (unparsable | out_of_range).astype(bool), (converted & ~out_of_range).astype(bool)
