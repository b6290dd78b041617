"""The validation report of a parcel ingest: every problem found, row by row.

Nothing is dropped silently.  Each input record is either in the canonical frame
or listed here as unusable (an issue of severity ``"error"`` with its row number).

Row numbers are **1-based input record numbers**: record 1 is the first feature of
the layer (the first data line of a CSV, after its header), in the order the file
stores them.  Issues about the whole layer (an unmapped column, no usable parcel)
have ``row=None``.

Issue codes
-----------
=========================  ========  ============  =====================================================
code                       severity  action        meaning
=========================  ========  ============  =====================================================
missing_geometry           error     rejected      null, empty or unreadable geometry
non_polygon_geometry       error     rejected      point or line: a parcel needs a polygon
invalid_geometry_repaired  warning   repaired      self-intersection etc. fixed with ``make_valid``
duplicate_id               warning   kept          the same parcel_id on several rows (all kept)
missing_id                 warning   generated     no parcel_id: ``row-N`` generated
missing_lease              warning   kept          no lease end and no start+term: expiry unknown (not
                                                     raised for allocated uses: roads, airport, green, public)
inconsistent_lease         warning   kept          start + term disagrees with the end date
unparsable_date            warning   set_missing   a date that cannot be read: NaT
unparsable_number          warning   set_missing   a number that cannot be read (or in a unit foreign to the field): NaN
unit_converted             info      converted     a value written in another unit (1.2亿元, 2.5亩) converted to the field's
negative_value             warning   set_missing   a negative amount/area/term: NaN (unrated)
unknown_land_use           warning   defaulted     land use not recognised: ``other``
unknown_zone               info      set_missing   zone value not recognised: assigned spatially
unknown_industry           warning   set_missing   industry neither a GB/T 4754 code nor a division name: missing
unparsable_flag            warning   set_missing   a yes/no field (safety_hazard, standard_factory) that is neither: missing
outside_district           warning   kept          parcels not touching the region of interest (district and
                                                     margin): one issue for the layer, their count in the
                                                     message, their rows in ``value`` (ranges ``3, 7-9``)
approximate_datum          warning   kept          source datum (Xi'an 1980, Beijing 1954 ...) converts only approximately
crs_overridden             warning   kept          the file's own CRS (.prj) replaced by the one given, as instructed
polygonal_parts_kept       info      repaired      geometry collection: points/lines dropped, polygons kept
unmapped_field             info      kept          source column not in the schema: kept as-is
renamed_field              info      kept          kept column renamed to avoid a clash
truncated_field_name       info      repaired      DBF name cut mid-character: read without the broken tail
missing_field              info      none          canonical field absent from the source
reader_warning             info      kept          a warning the file reader raised
no_usable_parcels          error     rejected      the layer has no usable parcel at all
table_missing_key          warning   not_applied   a statistics-table row without a parcel number
table_unmatched            warning   not_applied   a table row whose parcel number is not in the layer
table_duplicate_key        warning   not_applied   several table rows for one parcel: none applied
table_values_applied       info      updated       a field the table filled in, and on how many parcels
table_joined               info      updated       a table joined: rows joined of all, parcels updated
=========================  ========  ============  =====================================================
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field, fields
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = ["Issue", "ValidationReport", "ISSUE_CODES", "Severity", "row_ranges"]

Severity = Literal["error", "warning", "info"]

#: Every issue code with its severity and the action taken (see the module docstring).
ISSUE_CODES: dict[str, tuple[Severity, str]] = {
    "missing_geometry": ("error", "rejected"),
    "non_polygon_geometry": ("error", "rejected"),
    "invalid_geometry_repaired": ("warning", "repaired"),
    "duplicate_id": ("warning", "kept"),
    "missing_id": ("warning", "generated"),
    "missing_lease": ("warning", "kept"),
    "inconsistent_lease": ("warning", "kept"),
    "unparsable_date": ("warning", "set_missing"),
    "unparsable_number": ("warning", "set_missing"),
    "unit_converted": ("info", "converted"),
    "negative_value": ("warning", "set_missing"),
    "unknown_land_use": ("warning", "defaulted"),
    "unknown_zone": ("info", "set_missing"),
    "unknown_industry": ("warning", "set_missing"),
    "unparsable_flag": ("warning", "set_missing"),
    "outside_district": ("warning", "kept"),
    "approximate_datum": ("warning", "kept"),
    "crs_overridden": ("warning", "kept"),
    "polygonal_parts_kept": ("info", "repaired"),
    "unmapped_field": ("info", "kept"),
    "renamed_field": ("info", "kept"),
    "truncated_field_name": ("info", "repaired"),
    "missing_field": ("info", "none"),
    "reader_warning": ("info", "kept"),
    "no_usable_parcels": ("error", "rejected"),
    "table_missing_key": ("warning", "not_applied"),
    "table_unmatched": ("warning", "not_applied"),
    "table_duplicate_key": ("warning", "not_applied"),
    "table_values_applied": ("info", "updated"),
    "table_joined": ("info", "updated"),
}

_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def row_ranges(rows: npt.ArrayLike, *, limit: int | None = None) -> str:
    """Row numbers as ranges, ``"3, 7-9, 12"`` (sorted, without repeats).

    Parameters
    ----------
    rows
        1-based row numbers.
    limit
        Write at most this many ranges, then ``"…"``; ``None`` writes all.
    """
    values = np.unique(np.asarray(rows, dtype=np.int64))
    if values.size == 0:
        return ""
    breaks = np.flatnonzero(np.diff(values) != 1)
    starts = values[np.r_[0, breaks + 1]]
    ends = values[np.r_[breaks, values.size - 1]]
    shown = len(starts) if limit is None else min(limit, len(starts))
    parts = [str(a) if a == b else f"{a}-{b}" for a, b in zip(starts[:shown], ends[:shown], strict=True)]
    return ", ".join(parts) + (", …" if shown < len(starts) else "")


@dataclass(frozen=True)
class Issue:
    """One problem found while reading a parcel layer.

    Attributes
    ----------
    row
        1-based input record number, ``None`` for the whole layer.
    parcel_id
        The parcel's id as read (or generated), ``None`` when unknown.
    code
        Issue code, a key of :data:`ISSUE_CODES`.
    severity
        ``"error"`` (row or layer unusable), ``"warning"`` or ``"info"``.
    message_zh, message_en
        What was found, in Chinese and English.
    action
        What was done: ``rejected``, ``repaired``, ``kept``, ``generated``,
        ``set_missing``, ``defaulted`` or ``none``.
    field
        Canonical field (or source column) concerned, when there is one.
    value
        The raw offending value as text, when there is one.
    """

    row: int | None
    parcel_id: str | None
    code: str
    severity: Severity
    message_zh: str
    message_en: str
    action: str
    field: str | None = None
    value: str | None = None

    @classmethod
    def make(
        cls,
        code: str,
        message_zh: str,
        message_en: str,
        *,
        row: int | None = None,
        parcel_id: str | None = None,
        field: str | None = None,
        value: object = None,
    ) -> Issue:
        """An issue whose severity and action come from :data:`ISSUE_CODES`."""
        severity, action = ISSUE_CODES[code]
        return cls(
            row=row,
            parcel_id=parcel_id,
            code=code,
            severity=severity,
            message_zh=message_zh,
            message_en=message_en,
            action=action,
            field=field,
            value=None if value is None else str(value),
        )


_ISSUE_FIELDS = tuple(f.name for f in fields(Issue))


def _as_tuple(issue: Issue) -> tuple[object, ...]:
    # dataclasses.asdict deep-copies every value: far too slow for 100k issues
    return tuple(getattr(issue, name) for name in _ISSUE_FIELDS)


@dataclass(frozen=True)
class ValidationReport:
    """All issues of one ingest, with the row counts they refer to.

    Attributes
    ----------
    issues
        The issues, in the order they were found.
    n_input_rows
        Number of records in the source layer.
    n_usable_rows
        Number of records in the canonical frame.
    """

    issues: tuple[Issue, ...] = ()
    n_input_rows: int = 0
    n_usable_rows: int = 0
    _counts: Counter[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "issues", tuple(self.issues))
        object.__setattr__(self, "_counts", Counter(i.code for i in self.issues))

    # -- summaries -----------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Number of issues per code, most frequent first."""
        return dict(self._counts.most_common())

    @property
    def fatal(self) -> tuple[Issue, ...]:
        """Layer-level errors (``row is None``): the layer cannot be used at all."""
        return tuple(i for i in self.issues if i.severity == "error" and i.row is None)

    @property
    def usable(self) -> bool:
        """At least one usable parcel and no layer-level error."""
        return self.n_usable_rows > 0 and not self.fatal

    @property
    def unusable_rows(self) -> list[int]:
        """Sorted 1-based row numbers of the records left out of the frame."""
        return sorted({i.row for i in self.issues if i.severity == "error" and i.row is not None})

    def for_row(self, row: int) -> list[Issue]:
        """Issues of one 1-based input row."""
        return [i for i in self.issues if i.row == row]

    def of_code(self, code: str) -> list[Issue]:
        """Issues with one code."""
        return [i for i in self.issues if i.code == code]

    # -- exports -------------------------------------------------------------------------

    def to_frame(self) -> pd.DataFrame:
        """One row per issue; ``row`` is a nullable integer column."""
        frame = pd.DataFrame([_as_tuple(i) for i in self.issues], columns=list(_ISSUE_FIELDS))
        frame["row"] = frame["row"].astype("Int64")
        return frame

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable summary plus every issue."""
        return {
            "usable": self.usable,
            "n_input_rows": self.n_input_rows,
            "n_usable_rows": self.n_usable_rows,
            "unusable_rows": self.unusable_rows,
            "counts": self.counts(),
            "issues": [dict(zip(_ISSUE_FIELDS, _as_tuple(i), strict=True)) for i in self.issues],
        }

    def to_json(self, *, indent: int | None = None) -> str:
        """:meth:`to_dict` as JSON text (Chinese kept as characters)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def render_text(self, *, max_issues: int | None = None) -> str:
        """Plain-text rendering for the CLI: summary, counts by code, then each issue.

        Parameters
        ----------
        max_issues
            Print at most this many issues (errors first); ``None`` prints all.
        """
        unusable = self.unusable_rows
        lines = [
            f"校验报告 / validation report: {self.n_input_rows} input rows, "
            f"{self.n_usable_rows} usable, {len(unusable)} unusable",
            "状态 / status: " + ("可用 / usable" if self.usable else "不可用 / NOT usable"),
        ]
        for issue in self.fatal:
            lines.append(f"  原因 / reason: {issue.message_zh} / {issue.message_en}")
        lines.append("按代码计数 / counts by code:")
        if not self.issues:
            lines.append("  (none)")
        for code, n in self.counts().items():
            severity = ISSUE_CODES.get(code, ("info", ""))[0]
            lines.append(f"  {code:<26} {severity:<8} {n}")
        # absent schema fields are listed on one line rather than one line each
        absent = [i.field for i in self.issues if i.code == "missing_field" and i.field]
        ordered = sorted(
            (i for i in self.issues if i.code != "missing_field"),
            key=lambda i: (_SEVERITY_ORDER[i.severity], i.row if i.row is not None else 0),
        )
        shown = ordered if max_issues is None else ordered[:max_issues]
        if shown:
            lines.append("问题 / issues (row = 1-based input record):")
        for i in shown:
            row = "-" if i.row is None else str(i.row)
            pid = "-" if i.parcel_id is None else i.parcel_id
            lines.append(f"  row {row:>6}  {pid:<16} {i.severity:<7} {i.code:<26} {i.message_zh} / {i.message_en}")
        if len(shown) < len(ordered):
            lines.append(f"  ... {len(ordered) - len(shown)} more")
        if absent:
            lines.append(f"  row      -  {'-':<16} info    {'missing_field':<26} 图层没有这些字段 / absent fields: "
                         + ", ".join(absent))
        return "\n".join(lines)
