"""The What-if page's edit stack, edits made from a selection, the saved text, and the selection a
map sends (plain functions, no Streamlit)."""

from __future__ import annotations

import pytest
import yaml

from core.errors import ConfigError
from ui.map_select import read_selection, select_options
from ui.whatif_edits import EditStack, edits_key, make_edit, read_whatif

A = {"parcels": ["P1"], "development_type": "rd_office"}
B = {"parcels": ["P2", "P3"], "land_use": "commercial_office", "far": 2.5}
C = {"parcels": ["P4"], "far": 1.2, "from_year": 2030}


def test_apply_undo_redo_walk_the_stack() -> None:
    stack = EditStack().apply(A).apply(B)
    assert stack.edits == (A, B) and stack.can_undo and not stack.can_redo
    once = stack.undo()
    assert once.edits == (A,) and once.undone == (B,)
    twice = once.undo()
    assert twice.edits == () and twice.undone == (A, B) and not twice.can_undo  # A is redone first
    assert twice.undo() == twice  # nothing left to undo: unchanged
    again = twice.redo()
    assert again.edits == (A,) and again.undone == (B,)
    assert again.redo().edits == (A, B) and not again.redo().can_redo
    assert EditStack().redo() == EditStack()


def test_a_new_edit_after_an_undo_drops_what_was_undone() -> None:
    stack = EditStack().apply(A).apply(B).undo().apply(C)
    assert stack.edits == (A, C) and stack.undone == () and not stack.can_redo


def test_revert_keeps_the_base_scenarios_own_edits_only() -> None:
    stack = EditStack(base=(A,)).apply(B).apply(C).undo()
    assert stack.edits == (A, B)
    back = stack.revert()
    assert back.edits == (A,) and not back.can_undo and not back.can_redo
    assert back.undo() == back  # the base's edits are not this page's to undo


def test_the_stack_keeps_copies_not_the_callers_mappings() -> None:
    edit = {"parcels": ["P1"], "far": 2.0}
    stack = EditStack().apply(edit)
    edit["parcels"].append("P9")
    edit["far"] = 9.0
    assert stack.edits == ({"parcels": ["P1"], "far": 2.0},)


def test_an_edit_of_clicked_parcels_or_of_a_drawn_shape() -> None:
    assert make_edit(ids=["P1", "P2"], development_type="rd_office", from_year=2027) == {
        "parcels": ["P1", "P2"], "development_type": "rd_office", "from_year": 2027}
    shape = {"type": "Polygon", "coordinates": [[[118.1, 24.5], [118.2, 24.5], [118.2, 24.6], [118.1, 24.5]]]}
    edit = make_edit(ids=["P1"], within=shape, land_use="industrial", far=3)
    assert edit == {"within": shape, "land_use": "industrial", "far": 3.0}  # the shape, not the ids it selected
    assert edit["within"] is not shape


@pytest.mark.parametrize(("kwargs", "needle"), [
    ({"development_type": "rd_office"}, "Select parcels first"),
    ({"ids": ["P1"]}, "Choose a development type"),
    ({"ids": ["P1"], "far": 0.0}, "FAR must be above 0; received 0.0"),
    ({"ids": ["P1"], "far": -1.5}, "received -1.5"),
])
def test_an_edit_that_selects_or_changes_nothing_is_refused_in_both_languages(kwargs: dict, needle: str) -> None:
    with pytest.raises(ConfigError, match=needle) as err:
        make_edit(**kwargs)
    assert err.value.message_zh and err.value.message_zh != err.value.message_en


def test_a_saved_texts_base_and_edits_are_read_back() -> None:
    text = yaml.safe_dump({"name": "研发办公试点", "base": "delayed", "edits": [A, B]}, allow_unicode=True)
    assert read_whatif(text) == ("delayed", (A, B))
    assert read_whatif("name: x\nrelocation_year: 2030\n") == (None, ())


@pytest.mark.parametrize("text", ["- a\n- b\n", "edits: 3\n", "edits: [1, 2]\n", "name: [unclosed\n"])
def test_a_text_that_is_not_a_scenario_mapping_is_refused(text: str) -> None:
    with pytest.raises(ConfigError):
        read_whatif(text)


def test_the_edits_key_is_the_same_for_the_same_edits_only() -> None:
    assert edits_key([A, B]) == edits_key([dict(A), dict(B)])
    assert edits_key([A, B]) != edits_key([B, A])  # order matters: later edits win
    assert edits_key([]) != edits_key([A])


def test_a_selection_sent_by_the_map_is_read_and_anything_else_ignored() -> None:
    clicked = {"type": "Feature", "geometry": None,
               "properties": {"huli": "selection", "kind": "ids", "ids": ["P1", 7], "seq": "k1-ab"}}
    assert read_selection(clicked) == {"seq": "k1-ab", "kind": "ids", "ids": ["P1", "7"]}
    ring = [[118.1, 24.5], [118.2, 24.5], [118.2, 24.6], [118.1, 24.5]]
    drawn = {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
             "properties": {"huli": "selection", "kind": "within", "ids": [], "seq": "k2"}}
    assert read_selection(drawn) == {"seq": "k2", "kind": "within", "ids": [],
                                     "geometry": {"type": "Polygon", "coordinates": [ring]}}
    for other in (None, "x", {"type": "Feature", "properties": {"name": "a marker"}},
                  {"properties": {"huli": "selection", "kind": "lasso", "ids": []}},
                  {"properties": {"huli": "selection", "kind": "within", "ids": []}, "geometry": None}):
        assert read_selection(other) is None


def test_the_layers_select_options() -> None:
    assert select_options(["P1", 2], nonce="n1", labels={"polygon": "多边形"}) == {
        "ids": ["P1", "2"], "nonce": "n1", "labels": {"polygon": "多边形"}}
