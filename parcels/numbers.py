"""Coercing numeric text from cadastral and statistics tables.

Accepted: plain numbers, thousands separators (``1,234.5``, ``1，234``), full-width
digits (``１２３``), surrounding spaces, and a trailing unit (``50年``, ``120万元``,
``3500㎡``).  Placeholders that mean "no value" (empty, ``-``, ``—``, ``/``,
``无``, ``N/A``, ``null``) become missing without complaint.  Anything else is
unparsable: NaN, and flagged so the reader can report it.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["coerce_numeric", "NULL_TOKENS"]

#: Text values that mean "no value" (compared after NFKC and case-folding).
NULL_TOKENS: frozenset[str] = frozenset(
    {"", "-", "--", "—", "——", "/", "\\", "无", "空", "暂无", "null", "none", "nan", "n/a", "na", "#n/a"}
)

_NUMBER = r"^([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*[^\d.+\-]*$"


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
