"""The What-if page and the one scenario context headless (streamlit AppTest): an edit applied to a
selection moves the tiles and undo brings them back, a save keeps name, base and edits, the Airport
page refuses a scenario compared with itself, the Parcels height theme names the scenario it shows."""

from __future__ import annotations

from pathlib import Path

import yaml
from streamlit.testing.v1 import AppTest

from ui import state
from ui.pages.airport import YEAR_SLIDER

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def _whatif() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    at.switch_page("ui/pages/whatif.py").run()
    assert not at.exception, at.exception
    return at


def _tiles(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_an_edit_moves_the_tiles_undo_brings_them_back_and_a_save_keeps_it() -> None:
    import geodata

    at = _whatif()
    assert at.title[0].value == "情景编辑"
    before = _tiles(at)
    assert set(before) >= {"建筑面积", "产业产值", "就业岗位", "保留工业用地", "启用储备地块", "限高冲突"}
    ids = geodata.read_layer("parcels")["parcel_id"].astype(str).tolist()[:3]
    at.session_state[state.WHATIF_SELECTION] = {"ids": ids, "within": None}
    at.run()
    assert any(c.value == "已选 3 宗地块" for c in at.caption)
    at.selectbox(key="whatif.type.zh").set_value("rd_office").run()
    at.button(key="whatif_apply").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    painted = _tiles(at)
    assert painted["建筑面积"] != before["建筑面积"]
    assert any(c.value == "已应用 1 项修改" for c in at.caption)
    at.button(key="whatif_undo").click().run()
    assert _tiles(at) == before
    at.button(key="whatif_redo").click().run()
    assert _tiles(at) == painted
    at.text_input(key="whatif.name").set_value("研发试点").run()
    at.button(key="whatif_save").click().run()
    assert any("已保存“研发试点”第 1 版" in s.value for s in at.success), [e.value for e in at.error]
    from office_support import store

    from office import records

    text, version = records.scenario_text(store(), "研发试点")  # type: ignore[misc]
    saved = yaml.safe_load(text)
    assert version == 1 and saved["name"] == "研发试点" and saved["base"] == "on_schedule"
    assert saved["edits"] == [{"parcels": ids, "development_type": "rd_office",
                               "from_year": at.session_state[state.SCENARIO_YEAR]}]


def test_a_new_base_keeps_the_unsaved_edits_and_says_so() -> None:
    import geodata

    at = _whatif()
    ids = geodata.read_layer("parcels")["parcel_id"].astype(str).tolist()[3:5]
    at.session_state[state.WHATIF_SELECTION] = {"ids": ids, "within": None}
    at.run()
    at.selectbox(key="whatif.type.zh").set_value("pilot_base").run()
    at.button(key="whatif_apply").click().run()
    assert any(c.value == "已应用 1 项修改" for c in at.caption)
    at.selectbox(key=f"{state.WHATIF_BASE}.zh").set_value("delayed").run()
    assert not at.exception, at.exception
    assert any(c.value == "已应用 1 项修改" for c in at.caption)  # not dropped with the old base
    assert any("未保存的 1 项修改已保留" in i.value for i in at.info), [i.value for i in at.info]
    stack = at.session_state[state.WHATIF_STACK]
    assert [dict(e)["parcels"] for e in stack.edits] == [ids] and stack.can_undo
    at.button(key="whatif_revert").click().run()
    assert any(c.value == "已应用 0 项修改" for c in at.caption)
    assert not any("已保留" in i.value for i in at.info)  # said once


def test_an_edit_with_a_new_term_is_kept_with_it() -> None:
    import geodata

    at = _whatif()
    ids = geodata.read_layer("parcels")["parcel_id"].astype(str).tolist()[6:8]
    at.session_state[state.WHATIF_SELECTION] = {"ids": ids, "within": None}
    at.run()
    at.checkbox(key="whatif.set_lease").check().run()
    at.number_input(key="whatif.lease_years").set_value(20).run()
    at.button(key="whatif_apply").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    [edit] = at.session_state[state.WHATIF_STACK].edits
    assert edit["parcels"] == ids and edit["lease_years"] == 20 and edit["development_type"]


def test_an_apply_without_a_selection_is_refused() -> None:
    at = _whatif()
    assert at.button(key="whatif_apply").disabled  # nothing selected yet


def test_the_airport_page_refuses_a_scenario_compared_with_itself() -> None:
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    at.switch_page("ui/pages/airport.py").run()
    at.slider(key=YEAR_SLIDER).set_value(2030).run()
    at.radio(key=f"{state.SCENARIO_A}.zh").set_value("custom").run()
    at.number_input(key=f"{state.SCENARIO_A}_year").set_value(2031).run()
    at.radio(key=f"{state.SCENARIO_B}.zh").set_value("custom").run()
    at.number_input(key=f"{state.SCENARIO_B}_year").set_value(2031).run()
    assert not at.exception, at.exception
    warnings = [w.value for w in at.warning]
    assert any("不能与自身比较" in w and "cannot be compared with itself" in w for w in warnings), warnings
    assert any("自定义（2031年搬迁）" in md.value for md in at.markdown)
    assert not any("按计划搬迁（2031年搬迁）" in md.value for md in at.markdown)


def test_the_parcels_height_theme_follows_the_airport_pages_scenario_and_year() -> None:
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    at.switch_page("ui/pages/airport.py").run()
    at.radio(key=f"{state.SCENARIO_A}.zh").set_value("delayed").run()
    at.slider(key=YEAR_SLIDER).set_value(2028).run()
    at.switch_page("ui/pages/parcels.py").run()
    at.radio(key=f"{state.THEME}.zh").set_value("height_limit_m").run()
    assert not at.exception, at.exception
    assert any("搬迁推迟" in c.value and "2028年" in c.value for c in at.caption), [c.value for c in at.caption]


def test_the_parcels_pages_filter_becomes_the_selection() -> None:
    import geodata

    parcels = geodata.read_layer("parcels")
    logistics = int((parcels["land_use"] == "logistics").sum())
    assert logistics > 0
    at = _whatif()
    at.session_state[state.FILTER_USES] = ["logistics"]
    at.button(key="whatif_use_filter").click().run()
    assert not at.exception, at.exception
    assert any(c.value == f"已选 {logistics} 宗地块" for c in at.caption), [c.value for c in at.caption]
    assert sorted(at.session_state[state.WHATIF_SELECTION]["ids"]) == \
        sorted(parcels.loc[parcels["land_use"] == "logistics", "parcel_id"].astype(str))


def test_the_parcels_pages_area_range_is_part_of_the_filter() -> None:
    import geodata
    from analysis.pipeline import analyse

    frame = analyse(geodata.read_layer("parcels"), geodata.embedded_zones())
    industrial = frame[frame["land_use"] == "industrial"]
    lo, hi = 10.0, 30.0
    expected = sorted(industrial.loc[(industrial["area_mu"] >= lo) & (industrial["area_mu"] <= hi), "parcel_id"]
                      .astype(str))
    assert 0 < len(expected) < len(industrial)
    at = _whatif()
    at.session_state[state.FILTER_USES] = ["industrial"]
    at.session_state[state.FILTER_AREA] = [lo, hi]  # as remembered (JSON): a list
    at.button(key="whatif_use_filter").click().run()
    assert not at.exception, at.exception
    assert sorted(at.session_state[state.WHATIF_SELECTION]["ids"]) == expected


def test_a_broken_library_is_refused_in_both_languages_and_a_valid_one_published() -> None:
    from office_support import store

    from analysis.whatif.types import development_types_yaml, load_development_types
    from office import records

    at = _whatif()
    at.text_area(key="whatif.types_text").set_value("types:\n  rd_office:\n    far: -2\n").run()
    at.button(key="whatif_types_publish").click().run()
    assert not at.exception, at.exception
    assert at.error and "far" in at.error[0].value
    assert records.development_types_text(store()) is None  # nothing published
    text = development_types_yaml(load_development_types()).replace("far: 3.5", "far: 4.0", 1)
    at.text_area(key="whatif.types_text").set_value(text).run()
    at.button(key="whatif_types_publish").click().run()
    assert any("已发布开发类型库" in s.value for s in at.success), [e.value for e in at.error]
    assert records.development_types_text(store()) == text


def test_the_shipped_library_is_restored_from_the_history() -> None:
    from office_support import store

    from analysis.whatif.types import development_types_yaml, load_development_types
    from office import records
    from office.records import Actor

    text = development_types_yaml(load_development_types()).replace("far: 3.5", "far: 4.0", 1)
    records.publish_development_types(store(), text, actor=Actor("wang", "editor"))
    at = _whatif()
    assert at.text_area(key="whatif.types_text").value == text
    table = next(d.value for d in at.dataframe if "发布人" in d.value.columns)
    assert table["内容"].tolist()[0] == f"{len(load_development_types())} 种开发类型"
    at.selectbox(key="whatif_types_history_pick").set_value(None).run()  # the shipped library
    at.button(key="whatif_types_history_restore").click().run()
    assert not at.exception, at.exception
    assert records.development_types_text(store()) is None  # back to the shipped library
    assert at.text_area(key="whatif.types_text").value != text  # the editor shows what is in force


def test_the_page_in_english_has_every_label_in_english() -> None:
    at = AppTest.from_file(APP, default_timeout=180)
    at.session_state[state.LANG] = "en"
    at.run()
    at.switch_page("ui/pages/whatif.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "What-if"
    labels = [m.label for m in at.metric]
    assert labels == ["Floor area", "Output", "Jobs", "Industrial land kept", "Reserve parcels used",
                      "Height conflicts"]
    texts = [*(c.value for c in at.caption), *(b.label for b in at.button), *labels]
    assert not [x for x in texts if x.startswith("wi.")], "no label key left untranslated"
    assert not [x for x in texts if any("\u4e00" <= ch <= "\u9fff" for ch in x)], "nothing left in Chinese"


def test_the_page_is_not_listed_for_a_visitor_who_may_not_edit_scenarios() -> None:
    import pytest
    from office_support import store

    from office import accounts

    accounts.add_user(store(), "zhao", "viewer", "viewer pass 1", by="(test)")  # accounts: no more single user
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    assert not at.exception, at.exception
    with pytest.raises(ValueError, match="Could not find a navigation page") as err:
        at.switch_page("ui/pages/whatif.py")
    assert "airport.py" in str(err.value) and "whatif.py'" not in str(err.value).split("Known pages")[1]


def test_the_unedited_what_if_and_its_base_are_not_compared_as_two_scenarios() -> None:
    at = _whatif()  # no edit yet: the current what-if is its base, on schedule
    at.multiselect(key="whatif.compare.zh").set_value(["current", "on_schedule"]).run()
    assert not at.exception, at.exception
    warnings = [w.value for w in at.warning]
    assert any("不与自身比较" in w and "not compared with itself" in w for w in warnings), warnings
    assert not at.table  # one scenario left: nothing to compare
    at.multiselect(key="whatif.compare.zh").set_value(["current", "on_schedule", "delayed"]).run()
    assert list(at.table[0].value.columns) == ["当前编辑（未保存）", "搬迁推迟"]


def test_a_use_alone_or_a_use_with_a_far_of_its_own() -> None:
    import geodata

    ids = geodata.read_layer("parcels")["parcel_id"].astype(str).tolist()[10:12]
    at = _whatif()
    at.session_state[state.WHATIF_SELECTION] = {"ids": ids, "within": None}
    at.run()
    at.radio(key="whatif.mode.zh").set_value("use").run()
    at.selectbox(key="whatif.use.zh").set_value("commercial_office").run()
    at.button(key="whatif_apply").click().run()
    at.checkbox(key="whatif.set_far").check().run()
    at.number_input(key="whatif.far").set_value(3.0).run()
    at.button(key="whatif_apply").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    year = at.session_state[state.SCENARIO_YEAR]
    stack = at.session_state[state.WHATIF_STACK]
    assert stack.edits == ({"parcels": ids, "land_use": "commercial_office", "from_year": year},
                           {"parcels": ids, "land_use": "commercial_office", "far": 3.0, "from_year": year})


def test_the_airport_pages_scenario_check_knows_the_published_types() -> None:
    import yaml as _yaml
    from office_support import store

    from analysis.whatif.types import development_types_yaml, load_development_types
    from office import records
    from office.records import LOCAL

    library = _yaml.safe_load(development_types_yaml(load_development_types()))
    library["types"]["lab_campus"] = {**library["types"]["rd_office"], "name_zh": "实验园区", "name_en": "Lab campus"}
    records.publish_development_types(store(), _yaml.safe_dump(library, allow_unicode=True), actor=LOCAL)
    text = "name: labs\nbase: on_schedule\nedits:\n- parcels: [HL-000001]\n  development_type: lab_campus\n"
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    at.switch_page("ui/pages/airport.py").run()
    at.text_area(key="ap_new_yaml").set_value(text).run()
    at.button(key="ap_check").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.success
