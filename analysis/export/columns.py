"""The one column-type table of the exports: every column's kind, and its values for each writer.

:func:`column_kind` names a column's kind (``str``, ``int``, ``float``, ``date``, ``datetime``,
``bool``) from the export schema (:mod:`analysis._export_schema`) or, for a column the schema does
not know, from its dtype; :func:`typed_columns` gives Arrow arrays for GDAL writers,
:func:`python_columns` plain Python values (GeoJSON, XLSX), :func:`sql_columns` SQL-ready
columns (PostGIS). Missing values (NaN, NaT, <NA>, ±inf) become nulls everywhere.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa

from analysis._export_schema import field_spec

__all__ = ["column_kind", "attribute_columns", "as_datetime", "typed_columns", "as_text", "nullable",
           "python_columns", "sql_columns"]


def column_kind(name: str, series: pd.Series) -> str:
    """``str``, ``int``, ``float``, ``date``, ``datetime`` or ``bool`` for a column."""
    spec = field_spec(name)
    if spec is not None:
        return "str" if spec.kind == "category" else spec.kind
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return "bool"
    if pd.api.types.is_integer_dtype(dtype):
        return "int"
    if pd.api.types.is_float_dtype(dtype):
        return "float"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "datetime"
    return "str"


def attribute_columns(frame: gpd.GeoDataFrame | pd.DataFrame) -> pd.DataFrame:
    geometry = frame.geometry.name if isinstance(frame, gpd.GeoDataFrame) else None
    return pd.DataFrame({c: frame[c] for c in frame.columns if c != geometry}, index=frame.index)


def as_datetime(series: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        return series
    return pd.to_datetime(series, errors="coerce")


def typed_columns(attrs: pd.DataFrame) -> dict[str, pa.Array]:
    """Arrow arrays with the schema's types (dates as date32, nulls kept) for GDAL writers."""
    out: dict[str, pa.Array] = {}
    for name in attrs.columns:
        s = attrs[name]
        kind = column_kind(name, s)
        missing = s.isna().to_numpy()
        if kind == "date":
            values = as_datetime(s).to_numpy(dtype="datetime64[ms]").astype("datetime64[D]")
            out[name] = pa.array(values, type=pa.date32(), mask=missing)
        elif kind == "datetime":
            out[name] = pa.array(as_datetime(s).to_numpy(dtype="datetime64[ms]"), type=pa.timestamp("ms"),
                                 mask=missing)
        elif kind == "int":
            values = pd.to_numeric(s, errors="coerce").astype("Float64").fillna(0).to_numpy(dtype="int64")
            out[name] = pa.array(values, type=pa.int64(), mask=missing)
        elif kind == "float":
            values = pd.to_numeric(s, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
            out[name] = pa.array(values, type=pa.float64(), mask=~np.isfinite(values))
        elif kind == "bool":
            values = s.astype("boolean").fillna(False).to_numpy(dtype=bool)
            out[name] = pa.array(values, type=pa.bool_(), mask=missing)
        else:
            out[name] = pa.array(nullable(s.astype(object).map(as_text).tolist(), missing), type=pa.string())
    return out


def as_text(value: Any) -> Any:
    return value if value is None or isinstance(value, str) else str(value)


def nullable(values: list[Any], missing: np.ndarray) -> list[Any]:
    """``values`` with None where ``missing`` (pandas' ``where`` would put NaN back)."""
    if missing.any():
        return [None if m else v for v, m in zip(values, missing.tolist(), strict=True)]
    return values


def python_columns(attrs: pd.DataFrame, *, date_format: str = "iso") -> dict[str, list[Any]]:
    """Plain Python values per column: None for NaN/NaT/<NA>/±inf, dates as ISO strings."""
    out: dict[str, list[Any]] = {}
    for name in attrs.columns:
        s = attrs[name]
        kind = column_kind(name, s)
        missing = s.isna().to_numpy()
        if kind in ("date", "datetime"):
            stamps = as_datetime(s)
            if date_format == "iso":
                fmt = "%Y-%m-%d" if kind == "date" else "%Y-%m-%dT%H:%M:%S"
                values = stamps.dt.strftime(fmt).astype(object)
            else:  # Python date/datetime objects (XLSX, SQL)
                values = pd.Series(stamps.dt.date if kind == "date" else stamps.dt.to_pydatetime(),
                                   index=s.index, dtype=object)
        elif kind == "float":
            arr = pd.to_numeric(s, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
            missing = ~np.isfinite(arr)
            out[name] = nullable(arr.tolist(), missing)
            continue
        elif kind == "int":
            values = pd.to_numeric(s, errors="coerce").astype("Int64").astype(object)
        elif kind == "bool":
            values = s.astype("boolean").astype(object)
        elif pd.api.types.is_string_dtype(s.dtype) and not pd.api.types.is_object_dtype(s.dtype):
            out[name] = s.to_numpy(dtype=object, na_value=None).tolist()  # str or None already
            continue
        else:
            values = s.astype(object).map(as_text)
        out[name] = nullable(values.tolist(), missing)
    return out


def sql_columns(attrs: pd.DataFrame) -> dict[str, pd.Series]:
    """Columns typed for SQL: dates as Python dates, categories as text, nullable ints/bools."""
    out = {}
    for name in attrs.columns:
        s = attrs[name]
        kind = column_kind(name, s)
        if kind == "date":
            stamps = as_datetime(s)
            out[name] = pd.Series(nullable(list(stamps.dt.date), stamps.isna().to_numpy()), index=s.index,
                                  dtype=object)
        elif kind == "int":
            out[name] = pd.to_numeric(s, errors="coerce").astype("Int64")
        elif kind == "float":
            out[name] = pd.to_numeric(s, errors="coerce").astype("float64")
        elif kind == "bool":
            out[name] = s.astype("boolean")
        elif kind == "str":
            out[name] = pd.Series(nullable(s.astype(object).map(as_text).tolist(), s.isna().to_numpy()),
                                  index=s.index, dtype=object)
        else:
            out[name] = s
    return out
