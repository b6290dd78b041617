"""The validation report (parcels/validate.py)."""

from __future__ import annotations

import json

import pytest

from parcels.validate import ISSUE_CODES, Issue, ValidationReport, row_ranges


def _report() -> ValidationReport:
    return ValidationReport(
        issues=(
            Issue.make("duplicate_id", "重复", "duplicate", row=2, parcel_id="A"),
            Issue.make("duplicate_id", "重复", "duplicate", row=4, parcel_id="A"),
            Issue.make("missing_geometry", "空几何", "null geometry", row=7, parcel_id="G"),
            Issue.make("unmapped_field", "未对应", "unmapped", field="备注"),
        ),
        n_input_rows=9,
        n_usable_rows=8,
    )


def test_make_takes_severity_and_action_from_the_catalogue() -> None:
    issue = Issue.make("missing_geometry", "zh", "en", row=3, value=5)
    assert (issue.severity, issue.action, issue.value) == ("error", "rejected", "5")
    with pytest.raises(KeyError):
        Issue.make("no_such_code", "zh", "en")


def test_summaries() -> None:
    r = _report()
    assert r.counts() == {"duplicate_id": 2, "missing_geometry": 1, "unmapped_field": 1}
    assert r.unusable_rows == [7]
    assert r.usable and r.fatal == ()
    assert [i.row for i in r.for_row(4)] == [4]
    assert len(r.of_code("duplicate_id")) == 2


def test_fatal_makes_unusable() -> None:
    r = ValidationReport(issues=(Issue.make("no_usable_parcels", "无", "none"),), n_input_rows=2, n_usable_rows=0)
    assert not r.usable and r.fatal[0].code == "no_usable_parcels"
    assert not ValidationReport(n_input_rows=0, n_usable_rows=0).usable


def test_exports() -> None:
    r = _report()
    frame = r.to_frame()
    assert frame["row"].tolist()[:3] == [2, 4, 7] and frame["row"].isna().iloc[3]
    assert str(frame["row"].dtype) == "Int64"
    d = json.loads(r.to_json())
    assert "空几何" in r.to_json(indent=2)
    assert d["usable"] and d["unusable_rows"] == [7] and len(d["issues"]) == 4
    text = r.render_text()
    assert "9 input rows, 8 usable, 1 unusable" in text
    assert text.index("missing_geometry  ") < text.index("row      2")  # counts come before issues
    assert "row      7  G" in text
    assert "... 3 more" in r.render_text(max_issues=1)


def test_empty_report_frame_has_columns() -> None:
    assert list(ValidationReport().to_frame().columns)[:3] == ["row", "parcel_id", "code"]


def test_catalogue_is_consistent() -> None:
    for severity, action in ISSUE_CODES.values():
        assert severity in ("error", "warning", "info") and action


def test_absent_fields_rendered_on_one_line() -> None:
    issues = tuple(Issue.make("missing_field", "无", "absent", field=f) for f in ("tax", "energy"))
    text = ValidationReport(issues=issues, n_input_rows=1, n_usable_rows=1).render_text()
    assert "absent fields: tax, energy" in text
    assert text.count("missing_field") == 2  # once in the counts, once in the list


@pytest.mark.parametrize(("rows", "limit", "expected"), [
    ([], None, ""),
    ([5], None, "5"),
    ([9, 3, 7, 8, 12, 8], None, "3, 7-9, 12"),
    ([1, 2, 3, 5, 7, 8], 2, "1-3, 5, …"),
    ([1, 2, 3, 5], 2, "1-3, 5"),
])
def test_row_ranges(rows: list[int], limit: int | None, expected: str) -> None:
    assert row_ranges(rows, limit=limit) == expected
