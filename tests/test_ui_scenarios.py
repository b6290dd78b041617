"""Saved airport scenarios: YAML checked by the model, kept in the workspace, offered in A and B."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from office_support import save_scenario, starting_choices, store
from streamlit.testing.v1 import AppTest

from core.errors import ConfigError
from office import records
from office.records import LOCAL
from ui import scenarios, state
from ui.pages.airport import YEAR_SLIDER

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def _text(**changes: object) -> str:
    data = yaml.safe_load(scenarios.template_text("on_schedule"))
    data.update(changes)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def test_template_is_a_valid_scenario() -> None:
    for base in scenarios.BUILTINS:
        assert scenarios.parse_text(scenarios.template_text(base)).name == base


@pytest.mark.parametrize(("text", "match"), [
    ("relocation_year: [2030\n", "YAML"),
    ("- just\n- a list\n", "mapping"),
    (_text(relocation_year=2040), "relocation_year"),
    (_text(release_phases=[{"years_after_relocation": 1, "share_pct": 140, "uses_pct": {"rd_office": 100}}]), "100"),
    (_text(colour="red"), "colour"),
])
def test_bad_text_is_refused_in_both_languages(text: str, match: str) -> None:
    with pytest.raises(ConfigError, match=match) as info:
        scenarios.parse_text(text)
    assert info.value.message_zh and info.value.message_en != info.value.message_zh


def test_name_fills_a_missing_name_only() -> None:
    data = yaml.safe_load(_text())
    del data["name"]
    assert scenarios.parse_text(yaml.safe_dump(data, allow_unicode=True), name="mine").name == "mine"
    assert scenarios.parse_text(_text(), name="mine").name == "on_schedule"


def test_saved_scenario_takes_its_saved_name_and_copied_titles_do_not_pass_for_the_built_in() -> None:
    copied = scenarios.parse_saved(_text(relocation_year=2028), "早搬迁")
    assert (copied.name, copied.title_zh, copied.title_en, copied.relocation_year) == ("早搬迁", "早搬迁", "早搬迁", 2028)
    own = scenarios.parse_saved(_text(title_zh="提前两年", title_en="Two years early"), "early")
    assert (own.name, own.title_zh, own.title_en) == ("early", "提前两年", "Two years early")


def test_saved_scenarios_are_listed_and_deleted_in_the_store() -> None:
    assert records.list_scenarios(store()) == []
    save_scenario("2028年搬迁", _text(relocation_year=2028))
    save_scenario("b-plan", _text(relocation_year=None))
    assert records.list_scenarios(store()) == sorted(["2028年搬迁", "b-plan"])
    assert "relocation_year: 2028" in records.scenario_text(store(), "2028年搬迁")[0]  # type: ignore[index]
    records.delete_scenario(store(), "b-plan", actor=LOCAL)
    assert records.list_scenarios(store()) == ["2028年搬迁"]
    assert records.scenario_text(store(), "b-plan") is None


@pytest.mark.parametrize("name", ["", "   ", "../x", "a/b", ".hidden", "x" * 61])
def test_unusable_names_are_refused(name: str) -> None:
    with pytest.raises(ConfigError, match="name"):
        records.check_scenario_name(name)


@pytest.mark.parametrize(("choice", "year", "expected"), [
    ("on_schedule", None, ("on_schedule", None)),
    ("delayed", 2030, ("delayed", None)),
    ("custom", 2031, ("on_schedule", 2031)),
    ("saved:gone", None, ("on_schedule", None)),
    ("nonsense", None, ("on_schedule", None)),
])
def test_scenario_key(choice: str, year: int | None, expected: tuple) -> None:
    assert scenarios.scenario_key(choice, year) == expected


def test_saved_key_carries_the_text_and_the_library_its_edits_use() -> None:
    from office_support import store

    from office import records
    from office.records import LOCAL

    text = _text(relocation_year=2029)
    save_scenario("p29", text)
    # None: the shipped library; (): no saved scenario in its base chain
    assert scenarios.scenario_key("saved:p29") == ("saved:p29", None, text, None, ())
    records.publish_development_types(store(), "edition: x\n", actor=LOCAL)
    assert scenarios.scenario_key("saved:p29") == ("saved:p29", None, text, "edition: x\n", ())


@pytest.mark.parametrize(("a", "b"), [("delayed", "on_schedule"), ("on_schedule", "delayed"), ("custom", "delayed")])
def test_other_builtin(a: str, b: str) -> None:
    assert scenarios.other_builtin(a) == b


def _airport() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("ui/pages/airport.py").run()
    assert not at.exception, at.exception
    return at


def test_b_defaults_to_the_other_built_in() -> None:
    at = _airport()
    assert at.radio(key=f"{state.SCENARIO_A}.zh").value == "on_schedule"
    assert at.radio(key=f"{state.SCENARIO_B}.zh").value == "delayed"
    at.radio(key=f"{state.SCENARIO_A}.zh").set_value("delayed").run()
    assert at.radio(key=f"{state.SCENARIO_B}.zh").value == "on_schedule"


def test_b_follows_a_delayed_from_the_start() -> None:
    starting_choices({state.SCENARIO_A: "delayed"})
    at = _airport()
    assert at.radio(key=f"{state.SCENARIO_B}.zh").value == "on_schedule"


def test_bad_yaml_shows_both_languages_and_keeps_the_text() -> None:
    at = _airport()
    bad = _text(relocation_year=2040)
    at.text_input(key="ap_new_name").input("太晚").run()
    at.text_area(key="ap_new_yaml").input(bad).run()
    at.button(key="ap_save").click().run()
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    assert any("is outside the horizon 2022-2035" in e and "超出规划期 2022-2035 年" in e for e in errors), errors
    assert at.text_area(key="ap_new_yaml").value == bad  # what the user typed is kept
    assert records.list_scenarios(store()) == []


def test_saved_scenario_is_offered_in_a_and_b_survives_a_new_session_and_can_be_deleted() -> None:
    at = _airport()
    at.text_input(key="ap_new_name").input("无搬迁").run()
    at.text_area(key="ap_new_yaml").input(_text(relocation_year=None, test_road_phases=[])).run()
    at.button(key="ap_save").click().run()
    assert not at.exception, at.exception
    assert records.list_scenarios(store()) == ["无搬迁"]
    for key in (state.SCENARIO_A, state.SCENARIO_B):
        assert "已保存：无搬迁" in at.radio(key=f"{key}.zh").options
    fresh = _airport()  # a refresh or restart: new session, same workspace
    fresh.radio(key=f"{state.SCENARIO_A}.zh").set_value("saved:无搬迁").run()
    fresh.slider(key=YEAR_SLIDER).set_value(2035).run()
    assert not fresh.exception, fresh.exception
    assert any("净空限高生效" in c.value for c in fresh.caption)  # never relocated: limits stay
    assert any("无搬迁" in md.value for md in fresh.markdown)
    fresh.selectbox(key="ap_delete_name").set_value("无搬迁").run()
    fresh.button(key="ap_delete").click().run()
    assert not fresh.exception, fresh.exception
    assert records.list_scenarios(store()) == []
    assert fresh.radio(key=f"{state.SCENARIO_A}.zh").value == "on_schedule"  # back to a built-in


def test_a_new_version_of_a_saved_base_is_a_new_key_for_the_scenarios_built_on_it() -> None:
    from ui.scenario_data import scenario_of

    base = yaml.safe_load(scenarios.template_text("delayed"))
    save_scenario("晚搬", yaml.safe_dump({**base, "relocation_year": 2031}, allow_unicode=True))
    save_scenario("在晚搬上", yaml.safe_dump({"name": "在晚搬上", "base": "晚搬",
                                            "edits": [{"parcels": ["HL-000001"], "far": 2.0}]}, allow_unicode=True))
    before = scenarios.scenario_key(f"{scenarios.SAVED_PREFIX}在晚搬上")
    assert scenario_of(before).relocation_year == 2031
    records.save_scenario(store(), "晚搬", yaml.safe_dump({**base, "relocation_year": 2033}, allow_unicode=True),
                          actor=LOCAL, base_version=1)
    after = scenarios.scenario_key(f"{scenarios.SAVED_PREFIX}在晚搬上")
    assert after != before  # its own text did not change, its base's did
    assert scenario_of(after).relocation_year == 2033
