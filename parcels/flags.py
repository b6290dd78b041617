"""Yes/no values as tables write them: 是/否, 有/无, Y/N, yes/no, true/false, 1/0, √/×."""

from __future__ import annotations

import pandas as pd

__all__ = ["YES_TOKENS", "NO_TOKENS", "parse_yes_no"]

#: Values read as yes / no (after NFKC, stripping and case-folding).
YES_TOKENS: frozenset[str] = frozenset({"是", "有", "存在", "y", "yes", "true", "t", "1", "√", "✓", "对"})
NO_TOKENS: frozenset[str] = frozenset({"否", "无", "没有", "不存在", "n", "no", "false", "f", "0", "×", "✗", "不"})


def parse_yes_no(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Yes/no values as a nullable boolean Series.

    Parameters
    ----------
    values
        Any Series (booleans and the numbers 1/0 are read as they are).

    Returns
    -------
    (flags, unrecognised)
        ``flags`` is ``boolean`` (<NA> where empty or not understood); ``unrecognised`` is True
        where a non-empty value is neither a yes nor a no.
    """
    if pd.api.types.is_bool_dtype(values.dtype):
        return values.astype("boolean"), pd.Series(False, index=values.index)
    if pd.api.types.is_float_dtype(values.dtype):
        values = values.astype("Int64")
    text = values.astype("str").fillna("").str.normalize("NFKC").str.strip().str.casefold()
    empty = values.isna() | (text == "")
    yes = text.isin(YES_TOKENS) & ~empty
    no = text.isin(NO_TOKENS) & ~empty
    flags = pd.Series(pd.NA, index=values.index, dtype="boolean")
    flags[yes] = True
    flags[no] = False
    return flags, (~empty & ~yes & ~no).astype(bool)
