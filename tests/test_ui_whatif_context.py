"""One scenario context for the app: a custom relocation year titled as custom, a scenario never
compared with itself, the development-type library published in the store."""

from __future__ import annotations

import pytest

from analysis import scenario as sc
from ui import scenarios


def test_a_custom_relocation_year_is_titled_custom_not_as_the_builtin() -> None:
    moved = scenarios.custom_titled(sc.load_scenario("on_schedule").with_relocation_year(2031))
    assert moved.title_zh == "自定义（2031年搬迁）"
    assert moved.title_en == "Custom (relocation 2031)"
    assert "按计划" not in moved.title_zh and moved.relocation_year == 2031
    never = scenarios.custom_titled(sc.load_scenario("on_schedule").with_relocation_year(None))
    assert never.title_zh == "自定义（规划期内不搬迁）" and never.relocation_year is None


@pytest.mark.parametrize(("a", "b", "same"), [
    (("on_schedule", None), ("on_schedule", None), True),
    (("on_schedule", 2031), ("on_schedule", 2031), True),
    (("on_schedule", 2031), ("on_schedule", 2030), False),
    (("on_schedule", None), ("delayed", None), False),
    (("saved:甲", None, "text 1"), ("saved:甲", None, "text 1"), True),
    (("saved:甲", None, "text 1"), ("saved:乙", None, "text 1"), False),
])
def test_a_scenario_is_the_same_as_another_only_when_its_key_is(a: tuple, b: tuple, same: bool) -> None:
    assert scenarios.same_scenario(a, b) is same


def test_the_development_types_are_published_by_editors_only_and_audited(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from office import audit, records
    from office.opening import forget_stores, open_store
    from office.records import Actor
    from office.roles import PermissionDenied

    monkeypatch.setenv("HULI_WORKSPACE", str(tmp_path))
    forget_stores()
    store = open_store()
    try:
        assert records.development_types_text(store) is None  # the shipped library
        with pytest.raises(PermissionDenied):
            records.publish_development_types(store, "types: {}\n", actor=Actor("zhao", "viewer"))
        assert records.development_types_text(store) is None
        records.publish_development_types(store, "edition: 2026\n", actor=Actor("wang", "editor"))
        assert records.development_types_text(store) == "edition: 2026\n"
        records.publish_development_types(store, None, actor=Actor("wang", "editor"))
        assert records.development_types_text(store) is None
        trail = audit.entries(store, action="publish")
        assert [e["object"] for e in trail] == [records.DEVELOPMENT_TYPES] * 2
        assert "edition: 2026" in trail[0]["after"] and "edition: 2026" in trail[1]["before"]
        assert [e["user"] for e in trail] == ["wang", "wang"]
    finally:
        forget_stores()
