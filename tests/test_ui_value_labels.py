"""Codes and English wordings of the analysis read in the UI language: the validation report, the
detail panel, the recommendation rules, the Airport comparison, amounts in 亿元, empty cells."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from ui import state
from ui.filters import detail_rows
from ui.value_labels import efficiency_reason_text, report_table, yi_text

APP = str(Path(__file__).resolve().parents[1] / "app.py")
CJK = re.compile(r"[\u3400-\u9fff]")


def _report() -> pd.DataFrame:
    return pd.DataFrame({
        "row": [3.0, None],
        "parcel_id": ["P3", None],
        "code": ["invalid_geometry_repaired", "unmapped_field"],
        "severity": ["warning", "info"],
        "action": ["repaired", "kept"],
        "field": ["geometry", "lease_end"],
        "value": ["Self-intersection[118.1 24.5]", None],
    })


def test_the_report_reads_in_chinese_with_dashes_for_empty_cells() -> None:
    zh = report_table(_report(), "zh")
    assert zh.loc[0].tolist() == ["3", "P3", "无效几何已修复", "警告", "已修复", "geometry", "自相交（位置 118.1 24.5）"]
    assert zh.loc[1].tolist() == ["—", "—", "未映射的字段", "提示", "保留", "终止日期", "—"]


def test_the_report_reads_in_english() -> None:
    en = report_table(_report(), "en")
    assert en.loc[0].tolist() == ["3", "P3", "Invalid geometry repaired", "warning", "repaired", "geometry",
                                  "self-intersection at 118.1 24.5"]
    assert en.loc[1, "field"] == "Lease end" and en.loc[1, "value"] == "—"


def test_every_issue_code_severity_and_action_has_labels() -> None:
    from parcels.validate import ISSUE_CODES
    from ui.i18n import TEXT

    keys = {f"issue.{c}" for c in ISSUE_CODES} | {f"sev.{s}" for s, _ in ISSUE_CODES.values()} | {
        f"act.{a}" for _, a in ISSUE_CODES.values()}
    assert sorted(keys - set(TEXT)) == []


@pytest.mark.parametrize(("reason", "zh", "en"), [
    ("not industrial land", "非工业用地，不参与亩均评价", "not industrial, not rated"),
    ("not industrial or logistics land", "非工业用地或物流仓储用地，不参与亩均评价",
     "not industrial or logistics & warehousing, not rated"),
    ("missing output_value; zero or negative employees", "缺少工业总产值；从业人员为零或负数",
     "missing Output value; zero or negative Employees"),
    ("negative tax", "实缴税金为负数", "negative Tax paid"),
    ("zero or missing parcel area", "地块面积为零或缺失", "zero or missing parcel area"),
    ("no weighted indicator available", "没有可用的加权指标", "no weighted indicator available"),
    ("", "—", "—"),
])
def test_why_a_parcel_is_unrated_in_both_languages(reason: str, zh: str, en: str) -> None:
    assert efficiency_reason_text(reason, "zh") == zh
    assert efficiency_reason_text(reason, "en") == en


@pytest.mark.parametrize(("value", "lang", "kwargs", "text"), [
    (263.7, "zh", {}, "263.7 亿元"),
    (263.7, "en", {}, "¥26.37 bn"),
    (200.0, "en", {"digits": 0}, "¥20.0 bn"),
    (-12.3, "en", {"sign": True}, "-¥1.23 bn"),
    (12.3, "zh", {"sign": True}, "+12.3 亿元"),
    (1.5, "en", {}, "¥150 M"),
])
def test_amounts_in_yi_yuan(value: float, lang: str, kwargs: dict, text: str) -> None:
    assert yi_text(value, lang, **kwargs) == text


def _unrated_parcel() -> pd.Series:
    return pd.Series({
        "parcel_id": "P8", "land_use": "commercial_office", "efficiency_class": "unrated",
        "efficiency_reason": "not industrial land", "price_tier": "相对控制",
        "recommendation": "none", "recommendation_zh": "维持现状",
        "recommendation_rule": "R8: no other rule applies", "recommendation_rule_zh": "R8：其他规则均不适用",
    })


def test_the_detail_panel_in_chinese_has_no_english_wording() -> None:
    rows = detail_rows(_unrated_parcel(), "zh")
    shown = dict(zip(rows["字段"], rows["值"], strict=True))
    assert shown["未评价原因"] == "非工业用地，不参与亩均评价"
    assert shown["触发规则（中文）"] == "R8：其他规则均不适用"
    assert shown["规划建议"] == "维持现状"
    assert "触发规则" not in shown and "建议代码" not in shown  # the English rule and the code: their twins show
    assert not [v for v in shown.values() if re.search(r"[a-z]{3,}", v)]


def test_the_detail_panel_in_english_has_no_chinese_wording() -> None:
    rows = detail_rows(_unrated_parcel(), "en")
    shown = dict(zip(rows["Field"], rows["Value"], strict=True))
    assert shown["Why unrated"] == "not industrial, not rated"
    assert shown["Rule that fired"] == "R8: no other rule applies"
    assert shown["Recommendation"] == "Keep the current use"
    assert shown["Differentiated price tier"] == "relative control"
    assert not [v for v in shown.values() if CJK.search(v)]


def test_a_field_without_its_twin_still_shows() -> None:
    row = pd.Series({"parcel_id": "P1", "recommendation_zh": "维持现状"})
    assert detail_rows(row, "en")["Field"].tolist() == ["Parcel ID", "Recommendation (Chinese)"]


def test_the_airport_comparison_of_all_years_names_kpis_in_the_ui_language() -> None:
    from ui.pages.airport import _all_years

    cmp = pd.DataFrame({"year": [2028, 2028], "kpi": ["released_land_ha[commerce]", "projected_output_yi"],
                        "A": [1.0, 150.0], "B": [0.0, 140.0], "difference": [1.0, 10.0], "unit": ["ha", "亿元"]})
    zh = _all_years(cmp, ("甲", "乙"), "zh")
    assert zh["指标"].tolist() == ["释放用地（按用途） · 商业配套", "预计产业产值"]
    assert zh["单位"].tolist() == ["公顷", "亿元"]
    en = _all_years(cmp, ("A1", "B1"), "en")
    assert en["Indicator"].tolist() == ["Released land by use · commerce", "Projected cluster output"]
    assert en["Unit"].tolist() == ["ha", "100 M yuan"]
    assert "released_land_ha[commerce]" not in zh.to_string() + en.to_string()


def test_the_overview_zone_table_shows_a_dash_where_a_zone_has_no_figure() -> None:
    from ui.pages.overview import _zone_table

    zone = {"name_zh": "孵化区", "name_en": "Incubation", "parcel_count": 2, "area_mu": 10.0,
            "area_mu_by_expiry_status": {}, "low_efficiency_area_mu": 0.0}
    summary = {"zones": {"incubation": {**zone, "output_value_wan_yuan": None, "output_per_mu_overall": np.nan},
                         "hq": {**zone, "output_value_wan_yuan": 1234.4, "output_per_mu_overall": 123.44}}}
    table = _zone_table(summary, "zh")
    assert table["产业产值（年）（万元）"].tolist() == ["—", "1,234"]
    assert table["亩均产值（万元/亩）"].tolist() == ["—", "123.4"]
    assert "None" not in table.to_string() and "nan" not in table.to_string()


def _app(page: str, lang: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state[state.LANG] = lang
    at.run()
    at.switch_page(f"ui/pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


def test_the_rules_table_states_its_conditions_in_the_ui_language() -> None:
    zh = next(t.value for t in _app("expiry", "zh").table if "条件" in t.value.columns)
    assert zh.loc["R8", "条件"] == "其他规则均不适用"
    assert zh.loc["R1", "条件"] == "产业孵化区内的工业用地，土地使用年限已到期或十年内到期"
    en = next(t.value for t in _app("expiry", "en").table if "Condition" in t.value.columns)
    assert en.loc["R8", "Condition"] == "no other rule applies"


def test_the_overview_states_the_output_and_target_in_english_units() -> None:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state[state.LANG] = "en"
    at.run()
    output = next(m for m in at.metric if m.label == "Cluster output (per year)")
    assert re.fullmatch(r"¥[\d,]+\.\d\d bn|—", output.value), output.value
    assert any(c.value == "Plan target ¥20.0 bn" for c in at.caption)
    zh = AppTest.from_file(APP, default_timeout=120)
    zh.run()
    assert any(c.value == "规划目标 200 亿元" for c in zh.caption)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_data_page_report_is_in_the_ui_language(lang: str) -> None:
    from office_support import store
    from test_ui_ingest import _geojson

    from office import records
    from office.records import LOCAL
    from ui import ingest

    out = ingest.ingest_upload(_geojson(), "园区地块.geojson", store=store(), actor=LOCAL)
    records.publish(store(), records.DEFAULT_DATASET, out.dataset_id, actor=LOCAL)
    at = _app("data", lang)
    severity = {"zh": "严重程度", "en": "Severity"}[lang]
    tables = [d.value for d in at.dataframe if severity in d.value.columns]
    assert len(tables) == 2  # the counts and the issues
    cells = [str(v) for table in tables for c in table.columns for v in table[c]]
    assert "None" not in cells and "nan" not in cells
    if lang == "zh":
        assert "提示" in cells and "未映射的字段" in cells and "info" not in cells and "unmapped_field" not in cells
    else:
        assert "info" in cells and "Unmapped column" in cells and not [c for c in cells if CJK.search(c)
                                                                      and c not in ("园区地块.geojson",)
                                                                      and "QYDM" not in c]


def test_a_failed_upload_says_so_in_both_languages() -> None:
    def page() -> None:
        from core.errors import InputFileError
        from ui.pages.data import _ingest

        def read():  # type: ignore[no-untyped-def]
            raise InputFileError("the file is broken", "文件已损坏")

        _ingest(read, "en", failed="data.failed")

    at = AppTest.from_function(page, default_timeout=60)
    at.run()
    assert [w.value for w in at.warning] == ["上传失败，继续使用之前的数据。 / The upload failed; the previous data stay in use."]
