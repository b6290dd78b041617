"""The Efficiency page: presets, the low-efficiency basis explained, the control standard edited and published,
a wrong one refused in both languages (streamlit AppTest); the detail panel's basis line."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml
from office_support import store
from streamlit.testing.v1 import AppTest

from analysis.control_standard import DEFAULT_STANDARD_PATH
from office import records
from ui import state
from ui.detail import detail_payload

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def _app(lang: str = "zh") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state[state.LANG] = lang
    at.run()
    at.switch_page("ui/pages/efficiency.py").run()
    assert not at.exception, at.exception
    return at


def _low_caption(at: AppTest) -> str:
    return next(c.value for c in at.caption if "宗" in c.value and "亩" in c.value and "：" not in c.value)


def test_the_low_list_names_each_basis_with_its_figures() -> None:
    at = _app()
    low = next(d.value for d in at.dataframe if "低效认定依据" in d.value.columns)
    assert len(low) > 0
    assert set(low["低效认定依据"]) <= {"安全隐患且与产业规划冲突", "产出低于控制标准", "达标但低于行业水平",
                                   "安全隐患且与产业规划冲突；产出低于控制标准"}
    assert low["低效认定说明"].str.contains("万元/亩，低于标准").any()
    assert any(c.value.startswith("产出低于控制标准：") for c in at.caption)
    en = _app("en")
    low_en = next(d.value for d in en.dataframe if "Low-efficiency basis" in d.value.columns)
    assert low_en["Low-efficiency basis explained"].str.contains("below the standard's").any()


def test_a_wrong_control_standard_is_refused_in_both_languages_and_the_table_in_use_stays() -> None:
    at = _app()
    before = _low_caption(at)
    bad = DEFAULT_STANDARD_PATH.read_text(encoding="utf-8").replace("green_ratio_max: {value: 0.20", "green_ratio_max: {value: 20")
    at.text_area(key="std_text").set_value(bad).run()
    at.button(key="std_publish").click().run()
    assert not at.exception, at.exception
    assert any("0.40" in e.value and "比例" in e.value for e in at.error)  # the share fix, in both languages
    assert records.district_control_standard(store()) is None
    assert _low_caption(at) == before


def test_an_editor_publishes_a_control_standard_and_the_analysis_uses_it() -> None:
    at = _app()
    before = _low_caption(at)
    data = yaml.safe_load(DEFAULT_STANDARD_PATH.read_text(encoding="utf-8"))
    for row in data["divisions"].values():  # no output or tax minimum: nothing is below the standard
        row["output_per_mu_min"]["value"] = 0.0
        row["tax_per_mu_min"]["value"] = 0.0
    at.text_area(key="std_text").set_value(yaml.safe_dump(data, allow_unicode=True)).run()
    at.button(key="std_publish").click().run()
    assert not at.exception, at.exception
    assert records.district_control_standard(store())["divisions"]["39"]["output_per_mu_min"]["value"] == 0.0
    fresh = _app()
    assert any("全区发布的控制标准" in i.value for i in fresh.info)
    after = _low_caption(fresh)
    assert after != before
    # what is still below standard is judged on the profile's fallback minimums (industries without a row)
    low = next(d.value for d in fresh.dataframe if "低效认定说明" in d.value.columns)
    below = low[low["低效认定依据"].str.contains("产出低于控制标准")]
    assert len(below) > 0 and below["低效认定说明"].str.contains("该行业无控制标准").all()
    standard = next(d.value for d in fresh.dataframe if "行业大类" in d.value.columns)
    assert standard.iloc[0, 3].startswith("≥ 0.0")


def test_choosing_the_zhejiang_preset_makes_it_the_editors_profile() -> None:
    at = _app()
    at.selectbox(key="eff_preset").set_value("zhejiang_huangyan").run()
    at.button(key="eff_preset_use").click().run()
    assert not at.exception, at.exception
    assert any("浙江六项指标" in s.value for s in at.subheader)
    assert any("单位排放增加值" in c.value for c in at.caption)  # the unavailable indicator is named
    assert at.session_state["eff_method"] == "percentiles"


def test_the_detail_panel_explains_the_basis_in_the_ui_language() -> None:
    row = pd.Series({"parcel_id": "HL-1", "recommendation": "none", "recommendation_zh": "维持现状",
                     "recommendation_rule": "RN", "low_efficiency_basis": "below_standard",
                     "low_efficiency_note_zh": "产值 412 万元/亩，低于标准 600 万元/亩（C39，2020版）",
                     "low_efficiency_note": "Output 412 × 10k yuan/mu, below the standard's 600 × 10k yuan/mu "
                                            "(C39, 2020 edition)"})
    zh = detail_payload(row, "zh")
    assert ["低效认定依据", "产值 412 万元/亩，低于标准 600 万元/亩（C39，2020版）"] in zh["lines"]
    assert ["低效认定依据", "产出低于控制标准"] in zh["rows"]
    en = detail_payload(row, "en")
    assert ["Low-efficiency basis", row["low_efficiency_note"]] in en["lines"]
    assert ["Low-efficiency basis", "Output below the control standard"] in en["rows"]
    assert not any("产值" in v for _, v in en["rows"])  # the Chinese note gives way to the English one


def test_publishing_says_so_once_and_the_page_is_analysed_again_at_once() -> None:
    at = _app()
    text = DEFAULT_STANDARD_PATH.read_text(encoding="utf-8").replace("edition: 2020", "edition: 2025")
    at.text_area(key="std_text").set_value(text).run()
    at.button(key="std_publish").click().run()
    assert not at.exception, at.exception
    assert any("已发布" in s.value for s in at.success)
    assert any("全区发布的控制标准" in i.value for i in at.info)
    low = next(d.value for d in at.dataframe if "低效认定说明" in d.value.columns)
    assert low["低效认定说明"].str.contains("2025版").any()  # the list above already uses the new table
    at.run()
    assert not any("已发布" in s.value for s in at.success)


def test_the_standard_table_shows_the_factory_coverage_and_the_admin_floor_share() -> None:
    from analysis.control_standard import default_control_standard
    from ui.standard_editor import standard_table

    zh = standard_table(default_control_standard(), "zh")
    row = zh[zh["行业大类"].str.startswith("C39")].iloc[0]
    assert row["建筑系数（标准厂房）"] == "≥ 35 %" and row["建筑系数"] == "≥ 40 %"
    assert row["行政办公及生活服务设施建筑面积占比"] == "≤ 20 %"
    en = standard_table(default_control_standard(), "en")
    assert {"Building coverage (Standard factory)", "Administrative and service floor share"} <= set(en.columns)


def _shipped_table() -> dict:
    return yaml.safe_load(DEFAULT_STANDARD_PATH.read_text(encoding="utf-8"))


def test_an_earlier_control_standard_is_restored_from_its_history() -> None:
    from office.records import Actor

    editor = Actor("wang", "editor")
    first = {**_shipped_table(), "title": "第一版标准"}
    second = {**_shipped_table(), "title": "第二版标准"}
    records.publish_control_standard(store(), first, actor=editor)
    records.publish_control_standard(store(), second, actor=editor)
    at = _app()
    table = next(d.value for d in at.dataframe if "发布人" in d.value.columns)
    assert table["发布人"].tolist()[:2] == ["wang", "wang"]
    assert table["内容"].tolist()[:2] == ["第二版标准 (2020)", "第一版标准 (2020)"]
    at.selectbox(key="std_history_pick").set_value(1).run()  # the older one
    at.button(key="std_history_restore").click().run()
    assert not at.exception, at.exception
    assert records.district_control_standard(store())["title"] == "第一版标准"
    assert any("已恢复" in s.value for s in at.success), [s.value for s in at.success]
    restored = records.publication_history(store(), records.CONTROL_STANDARD)
    assert [h["value"]["title"] for h in restored[:3]] == ["第一版标准", "第二版标准", "第一版标准"]
    assert restored[0]["by"] == ""  # the single-user tool (no accounts): nobody by name


def test_a_restore_no_longer_valid_is_refused_in_both_languages() -> None:
    from office.records import Actor

    editor = Actor("wang", "editor")
    records.publish(store(), records.CONTROL_STANDARD, {"title": "旧表", "edition": 2020}, actor=editor)  # no divisions
    records.publish_control_standard(store(), {**_shipped_table(), "title": "在用"}, actor=editor)
    at = _app()
    at.selectbox(key="std_history_pick").set_value(1).run()
    at.button(key="std_history_restore").click().run()
    assert not at.exception, at.exception
    assert at.error and "divisions" in at.error[0].value
    assert records.district_control_standard(store())["title"] == "在用"  # the table in use stays
