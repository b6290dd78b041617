"""Attributes from a statistics table (CSV or XLSX) joined onto parcels by parcel id.

Output, tax, energy and head counts usually reach the planning office as spreadsheets from
the statistics and tax bureaus, keyed by the parcel number (宗地编号), while the parcels come
from the land registry.  :func:`join_table` puts the table's values onto the parcels:

* columns are recognised with the same alias table as a parcel layer
  (:func:`parcels.fields.map_fields`, overridable with ``field_map``), and values are read
  the same way (dates, numbers with their units converted, land-use codes), so a table
  behaves exactly like the attribute part of a parcel layer;
* a table row applies to the parcel with the same ``parcel_id``; a cell that is empty
  leaves the parcel's value as it was; ``parcel_id`` and geometry never change;
* nothing is guessed and nothing is dropped silently: a row whose id matches no parcel
  (``table_unmatched``), several rows for one parcel (``table_duplicate_key``, none of them
  applied) and a row without an id (``table_missing_key``) are listed with their table row
  numbers; values that cannot be read are listed as for a layer; the fields filled are
  counted (``table_values_applied``), and the whole join summed up (``table_joined``).

Row numbers in the report are the table's data rows, 1-based (row 1 is the first row under
the header), and every message says it is about the table.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import logging
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd

from core.errors import InputFileError, SchemaError, UnsafeArchiveError
from core.settings import get_settings
from parcels.attributes import canonical_attributes  # the same value readers as a layer
from parcels.encoding import detect_text_encoding, normalise_encoding
from parcels.fields import map_fields
from parcels.schema import FIELD_BY_NAME
from parcels.validate import Issue, ValidationReport

if TYPE_CHECKING:
    from parcels.read import IngestResult

__all__ = ["JoinResult", "read_table", "join_table", "join_file", "TABLE_SUFFIXES"]

log = logging.getLogger(__name__)

#: File types :func:`read_table` reads.
TABLE_SUFFIXES: tuple[str, ...] = (".csv", ".xlsx")

_HEADER_SEARCH_ROWS = 10  # statistics sheets often carry a title above the header
_MB = 1024 * 1024


@dataclass(frozen=True)
class JoinResult:
    """Parcels with a table's values applied.

    Attributes
    ----------
    frame
        The parcels (same rows, order, geometry and ids) with the table's fields filled in.
    report
        Problems of the table and the join, with table row numbers (see the module notes).
    fields
        Canonical fields the table supplied.
    n_table_rows
        Data rows in the table.
    n_applied_rows
        Table rows whose values went onto a parcel.
    n_parcels_updated
        Parcels that received at least one value.
    """

    frame: gpd.GeoDataFrame
    report: ValidationReport
    fields: tuple[str, ...]
    n_table_rows: int
    n_applied_rows: int
    n_parcels_updated: int


# --- reading ----------------------------------------------------------------------------------


def read_table(source: str | Path, *, encoding: str | None = None, sheet: str | None = None) -> pd.DataFrame:
    """A statistics table as text columns (values are read later, field by field).

    Parameters
    ----------
    source
        A ``.csv`` (encoding detected: UTF-8 with or without BOM, GBK/GB18030) or ``.xlsx``.
    encoding
        CSV encoding override.
    sheet
        XLSX sheet name; default the first sheet.

    Raises
    ------
    InputFileError
        Missing, empty, unsupported or unreadable file; an unknown sheet.
    UnsafeArchiveError
        An XLSX (a zip) that would unpack beyond the archive caps of the settings.
    """
    path = Path(source)
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise InputFileError(
            f"Unsupported table type '{suffix or path.name}': use a .csv or .xlsx file.",
            f"不支持的表格类型“{suffix or path.name}”：请使用 .csv 或 .xlsx 文件。",
        )
    if not path.is_file() or path.stat().st_size == 0:
        raise InputFileError(f"{path.name} is missing or empty.", f"{path.name} 不存在或为空文件。")
    if suffix == ".csv":
        data = path.read_bytes()
        enc = normalise_encoding(encoding) if encoding else detect_text_encoding(data)
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError) as err:
            raise InputFileError(
                f"{path.name} is not valid {enc} text ({err}). Give the right encoding (e.g. gbk or utf-8).",
                f"{path.name} 不是有效的 {enc} 文本（{err}）。请指定正确的编码（如 gbk 或 utf-8）。",
            ) from err
        raw = _csv_rows(text, path.name)
    else:
        _check_xlsx(path)
        try:
            raw = pd.read_excel(path, sheet_name=sheet or 0, dtype=str, header=None, keep_default_na=False,
                                engine="openpyxl")
        except ValueError as err:  # an unknown sheet name
            raise InputFileError(f"{path.name}: {err}. Give the sheet name that holds the table.",
                                 f"{path.name}：找不到工作表（{err}）。请指定数据所在的工作表名称。") from err
        except (zipfile.BadZipFile, KeyError, OSError) as err:
            raise InputFileError(
                f"{path.name} is not a readable .xlsx workbook ({err}). Save it again from Excel or WPS as .xlsx.",
                f"{path.name} 不是可读取的 .xlsx 工作簿（{err}）。请用 Excel 或 WPS 重新另存为 .xlsx。",
            ) from err
    return _with_header(raw, path.name)


def _csv_rows(text: str, name: str) -> pd.DataFrame:
    """Every line of a CSV as text cells; lines may differ in length (a title above the header)."""
    # the delimiter that splits the top lines into the most columns (a title line has one)
    top = text.splitlines()[:_HEADER_SEARCH_ROWS]
    delimiter = max(",;\t", key=lambda d: (max((len(next(csv.reader([line], delimiter=d), [])) for line in top),
                                                default=0), d == ","))
    try:
        rows = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    except csv.Error as err:
        raise InputFileError(
            f"{name} cannot be read as CSV ({err}). Save it as comma-separated text with a header line.",
            f"{name} 无法按 CSV 读取（{err}）。请另存为逗号分隔、带表头的文本。",
        ) from err
    width = max((len(r) for r in rows), default=0)
    if width == 0:
        raise InputFileError(f"{name} holds no rows.", f"{name} 没有任何数据行。")
    return pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=str)


def _check_xlsx(path: Path) -> None:
    """Refuse an .xlsx that would unpack beyond the archive caps (a workbook is a zip)."""
    settings = get_settings()
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, EOFError) as err:
        raise InputFileError(
            f"{path.name} is not a readable .xlsx workbook ({err}). Save it again from Excel or WPS as .xlsx.",
            f"{path.name} 不是可读取的 .xlsx 工作簿（{err}）。请用 Excel 或 WPS 重新另存为 .xlsx。",
        ) from err
    total = sum(i.file_size for i in infos)
    if len(infos) > settings.max_archive_members or total > settings.max_unpacked_mb * _MB:
        raise UnsafeArchiveError(
            f"{path.name} would unpack to {total / _MB:.0f} MB in {len(infos)} parts, beyond the limits "
            f"({settings.max_unpacked_mb} MB, {settings.max_archive_members} parts). Save only the data sheet.",
            f"{path.name} 解压后为 {total / _MB:.0f} MB、{len(infos)} 个部件，超过上限"
            f"（{settings.max_unpacked_mb} MB，{settings.max_archive_members} 个）。请只保留数据工作表。",
        )


def _with_header(raw: pd.DataFrame, name: str) -> pd.DataFrame:
    """The table under its header row: the first of the top rows naming a parcel id column."""
    raw = raw.dropna(how="all")
    if raw.empty:
        raise InputFileError(f"{name} holds no rows.", f"{name} 没有任何数据行。")
    for i in range(min(_HEADER_SEARCH_ROWS, len(raw))):
        names = [str(v).strip() for v in raw.iloc[i].tolist()]
        if "parcel_id" in map_fields([n for n in names if n]).mapping.values():
            header = _unique_names(names)
            body = raw.iloc[i + 1:].reset_index(drop=True)
            body.columns = pd.Index(header)
            keep = [c for c, n in zip(header, names, strict=True) if n]  # drop unnamed columns
            body = body[keep]
            return body[~(body.astype(str).apply(lambda s: s.str.strip()) == "").all(axis=1)].reset_index(drop=True)
    first = [str(v).strip() for v in raw.iloc[0].tolist()]
    raise SchemaError(
        f"{name} has no parcel number column to join on (宗地编号, 地块编号, parcel_id ...). "
        f"Header found: {', '.join(n for n in first if n)}. Name the column 宗地编号 or map it to parcel_id.",
        f"{name} 中没有可用于关联的宗地编号列（宗地编号、地块编号、parcel_id 等）。表头为：{'、'.join(n for n in first if n)}。"
        "请将该列命名为“宗地编号”，或在字段对应中把它对应到 parcel_id。",
    )


def _unique_names(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i, n in enumerate(names):
        base = n or f"column_{i + 1}"
        seen[base] = seen.get(base, 0) + 1
        out.append(base if seen[base] == 1 else f"{base}_{seen[base]}")
    return out


# --- joining ----------------------------------------------------------------------------------


def join_table(
    parcels: gpd.GeoDataFrame,
    table: pd.DataFrame,
    *,
    field_map: Mapping[str, str] | None = None,
    name: str = "table",
) -> JoinResult:
    """Put the values of ``table`` onto ``parcels`` by ``parcel_id`` (see the module notes).

    Parameters
    ----------
    parcels
        Canonical parcels (:func:`parcels.read.read_parcels`), with ``parcel_id``.
    table
        A table from :func:`read_table` (or any frame of text or numbers).
    field_map
        Table column -> canonical field overrides.
    name
        The table's name in messages (e.g. its file name).

    Raises
    ------
    SchemaError
        ``parcels`` has no ``parcel_id``; the table has no parcel id column or no other
        column that maps to a field.
    """

    if "parcel_id" not in parcels.columns:
        raise SchemaError("The parcels have no parcel_id to join on.", "地块没有 parcel_id，无法关联统计表。")
    table = table.reset_index(drop=True)
    fm = map_fields([str(c) for c in table.columns], field_map=field_map)
    if "parcel_id" not in fm.mapping.values():
        raise SchemaError(
            f"{name} has no parcel number column to join on; name it 宗地编号 or map it to parcel_id.",
            f"{name} 中没有宗地编号列，无法关联；请将该列命名为“宗地编号”或对应到 parcel_id。",
        )
    supplied = tuple(f for f in dict.fromkeys(fm.mapping.values()) if f != "parcel_id")
    if not supplied:
        raise SchemaError(
            f"{name} has no column besides the parcel number that maps to a parcel field "
            f"(columns: {', '.join(map(str, table.columns))}).",
            f"{name} 除宗地编号外没有可对应到地块字段的列（现有列：{'、'.join(map(str, table.columns))}）。",
        )
    n = len(table)
    rows = np.arange(1, n + 1)
    canon, value_issues = canonical_attributes(table, fm.mapping, rows)
    ids = canon["parcel_id"]
    has_key = table[_column_of(fm.mapping, "parcel_id")].astype(str).str.strip().ne("").to_numpy()
    issues = [_about_table(i, name) for i in value_issues if _relevant(i, supplied)]

    known = set(parcels["parcel_id"].astype(str))
    duplicated = ids.duplicated(keep=False).to_numpy() & has_key
    matched = ids.isin(known).to_numpy() & has_key
    issues += _row_issues(~has_key, rows, ids, "table_missing_key", name,
                          "该行没有宗地编号，未关联", "the row has no parcel number; not applied")
    issues += _row_issues(has_key & ~matched, rows, ids, "table_unmatched", name,
                          "宗地编号“{pid}”在地块图层中不存在，未关联",
                          "parcel number '{pid}' is not in the parcel layer; not applied")
    issues += _row_issues(duplicated & matched, rows, ids, "table_duplicate_key", name,
                          "宗地编号“{pid}”在统计表中出现多次，这些行均未关联（请合并为一行）",
                          "parcel number '{pid}' appears on several rows of the table; none applied (merge them)")
    use = matched & ~duplicated
    source = canon[use].set_index("parcel_id")

    out = parcels.copy()
    pid = out["parcel_id"].astype(str)
    updated = np.zeros(len(out), dtype=bool)
    for f in supplied:
        given = source[f][_present(source[f])]
        if given.empty:
            continue
        hit = pid.isin(given.index)
        mapped = pid.map(given)
        out[f] = mapped.where(hit, out[f]) if f in out.columns else mapped
        hit = hit.to_numpy()
        updated |= hit
        label = FIELD_BY_NAME[f]
        issues.append(Issue.make(
            "table_values_applied",
            f"统计表 {name}：{label.zh} 填入 {int(hit.sum())} 宗地块",
            f"table {name}: {label.en} filled in on {int(hit.sum())} parcels",
            field=f, value=int(hit.sum()),
        ))
    issues.append(Issue.make(
        "table_joined",
        f"统计表 {name}：{n} 行中 {int(use.sum())} 行已关联，{int(updated.sum())} 宗地块已更新",
        f"table {name}: {int(use.sum())} of {n} rows joined, {int(updated.sum())} parcels updated",
        value=f"{int(use.sum())}/{n}",
    ))
    report = ValidationReport(issues=tuple(issues), n_input_rows=n, n_usable_rows=int(use.sum()))
    log.info("joined %s: %d of %d rows onto %d parcels (%s)", name, int(use.sum()), n, int(updated.sum()),
             ", ".join(supplied))
    return JoinResult(out, report, supplied, n, int(use.sum()), int(updated.sum()))


def join_file(
    ingest: IngestResult,
    table_path: str | Path,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
    field_map: Mapping[str, str] | None = None,
) -> IngestResult:
    """``ingest`` with the table at ``table_path`` joined on; the table's issues added to its report.

    Raises
    ------
    InputFileError, SchemaError
        As :func:`read_table` and :func:`join_table`.
    """
    path = Path(table_path)
    joined = join_table(ingest.frame, read_table(path, encoding=encoding, sheet=sheet), field_map=field_map,
                        name=path.name)
    report = dataclasses.replace(ingest.report, issues=ingest.report.issues + joined.report.issues)
    return dataclasses.replace(ingest, frame=joined.frame, report=report)


def _column_of(mapping: Mapping[str, str], field: str) -> str:
    return next(src for src, dst in mapping.items() if dst == field)


def _present(values: pd.Series) -> np.ndarray:
    present = values.notna().to_numpy()
    if values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
        present &= values.astype(str).str.strip().ne("").to_numpy()
    return present


_LEASE = ("lease_start", "lease_years", "lease_end")


def _relevant(issue: Issue, supplied: tuple[str, ...]) -> bool:
    """Value issues about the fields the table supplies (not the layer-level notes of an ingest)."""
    if issue.row is None:
        return False
    if issue.code in ("missing_lease", "inconsistent_lease"):
        return any(f in supplied for f in _LEASE)
    return issue.field in supplied


def _about_table(issue: Issue, name: str) -> Issue:
    return dataclasses.replace(issue, message_zh=f"统计表 {name} 第 {issue.row} 行：{issue.message_zh}",
                               message_en=f"table {name}, row {issue.row}: {issue.message_en}")


def _row_issues(mask: np.ndarray, rows: np.ndarray, ids: pd.Series, code: str, name: str, zh: str,
                en: str) -> list[Issue]:
    out = []
    keyed = code != "table_missing_key"  # a row without a number has only a generated one
    for i in np.flatnonzero(mask):
        pid = str(ids.iloc[i])
        out.append(Issue.make(code, f"统计表 {name} 第 {rows[i]} 行：{zh.format(pid=pid)}",
                              f"table {name}, row {rows[i]}: {en.format(pid=pid)}",
                              row=int(rows[i]), parcel_id=pid if keyed else None, field="parcel_id"))
    return out
