"""Tables: CSV (UTF-8 with BOM, Chinese headers with units, WKT geometry) and XLSX (the same headers
and a field-dictionary sheet), each category code with its Chinese label beside it
(:mod:`analysis.export.labels`)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from analysis._export_schema import MEANINGS, field_spec, header
from analysis._shp_names import shapefile_names
from analysis.export.columns import attribute_columns, column_kind, python_columns
from analysis.export.labels import with_labels

__all__ = ["write_csv", "write_xlsx"]


def _headers(columns: Sequence[str]) -> list[str]:
    heads = [header(c) for c in columns]
    seen: dict[str, int] = {}
    for h in heads:
        seen[h] = seen.get(h, 0) + 1
    return [f"{h} {c}" if seen[h] > 1 else h for h, c in zip(heads, columns, strict=True)]


def write_csv(frame: gpd.GeoDataFrame | pd.DataFrame, path: Path, *, wkt: bool) -> None:
    attrs = attribute_columns(with_labels(frame))
    columns = python_columns(attrs)
    for name in attrs.columns:
        if column_kind(name, attrs[name]) == "bool":
            columns[name] = [None if v is None else ("true" if v else "false") for v in columns[name]]
    table = pd.DataFrame(columns, index=range(len(attrs)), dtype=object)
    table.columns = _headers(list(attrs.columns))
    if wkt and isinstance(frame, gpd.GeoDataFrame):
        table["WKT"] = shapely.to_wkt(np.asarray(frame.geometry.values, dtype=object), rounding_precision=-1)
    table.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\r\n", float_format=None)


def _field_rows(columns: Sequence[str]) -> list[list[Any]]:
    names = shapefile_names(list(columns))
    rows = []
    for c in columns:
        spec = field_spec(c)
        rows.append([c, header(c), names[c], spec.kind if spec else "", spec.unit if spec else "",
                     spec.zh if spec else "", spec.en if spec else "", MEANINGS.get(c, "")])
    return rows


def write_xlsx(frame: gpd.GeoDataFrame | pd.DataFrame, path: Path) -> None:
    from openpyxl import Workbook

    attrs = attribute_columns(with_labels(frame))
    columns = python_columns(attrs, date_format="python")
    book = Workbook(write_only=True)
    data = book.create_sheet("数据")
    data.append(_headers(list(attrs.columns)))
    for row in zip(*columns.values(), strict=True):
        data.append(list(row))
    fields = book.create_sheet("字段说明")
    fields.append(["字段 field", "表头 header", "Shapefile 字段", "类型 type", "单位 unit", "中文名", "English",
                   "说明 meaning"])
    for field_row in _field_rows(list(attrs.columns)):
        fields.append(field_row)
    book.save(path)
