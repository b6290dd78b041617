"""Building string columns from a few labels fast.

Derived text columns (classes, statuses, recommendation texts) hold a handful of distinct
values over up to millions of rows.  Building them as Arrow dictionary arrays and casting
to strings is an order of magnitude faster than converting Python object arrays.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa

__all__ = ["label_series"]


def label_series(labels: Sequence[str], codes: np.ndarray, index: pd.Index, *, name: str | None = None) -> pd.Series:
    """A ``str`` Series whose row ``i`` is ``labels[codes[i]]``.

    Parameters
    ----------
    labels
        The distinct values.
    codes
        Integer positions into ``labels``, one per row (all valid).
    index
        Index of the result.
    name
        Name of the result.

    Returns
    -------
    pandas.Series
        dtype ``str``.
    """
    dictionary = pa.array(list(labels), type=pa.large_string())
    arrow = pa.DictionaryArray.from_arrays(pa.array(np.asarray(codes, dtype=np.int32)), dictionary)
    return pd.Series(pd.array(arrow.cast(pa.large_string()), dtype="str"), index=index, name=name)
