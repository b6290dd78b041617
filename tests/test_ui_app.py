"""Every page renders headless (streamlit AppTest): labels, filters, language switch."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from ui_support import HOSTILE, tiny_parcels

from ui import state, workspace

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGES = ("overview", "parcels", "expiry", "efficiency", "airport", "data")


def _app(page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    if page is not None and page != "overview":
        at.switch_page(f"ui/pages/{page}.py").run()
    return at


def _use_tiny_upload(n: int = 30) -> str:
    ds = "00000000000000aa"
    workspace.save_parcels(ds, tiny_parcels(n))
    workspace.write_options(ds, {"filename": "tiny.geojson"})
    workspace.set_active_dataset(ds)
    return ds


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_without_exception(page: str) -> None:
    at = _app(page)
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.title, "every page has a title"


def test_overview_shows_kpis_and_the_illustrative_notice() -> None:
    at = _app()
    labels = [m.label for m in at.metric]
    assert "地块数" in labels and "总面积" in labels
    assert any("示意数据" in i.value for i in at.info)
    assert at.dataframe, "zone table"


def test_language_switch_changes_labels() -> None:
    at = _app()
    assert at.title[0].value == "总览"
    at.radio(key=state.LANG).set_value("en").run()
    assert at.title[0].value == "Overview"
    assert "Parcels" in [m.label for m in at.metric]
    assert any("Illustrative data" in i.value for i in at.info)


def _count_caption(at: AppTest) -> str:
    return next(c.value for c in at.caption if "筛选结果" in c.value or "Filtered" in c.value)


def test_parcel_filters_change_counts() -> None:
    _use_tiny_upload(30)
    at = _app("parcels")
    assert _count_caption(at) == "筛选结果：30 / 30 宗地块"
    at.multiselect(key=state.FILTER_USES).set_value(["industrial"]).run()
    # tiny_parcels: uses cycle (industrial, commercial, logistics, industrial, green) -> 12 of 30
    assert _count_caption(at) == "筛选结果：12 / 30 宗地块"
    at.text_input(key=state.FILTER_TEXT).input("T000").run()
    # T0000..T0009 among them: indices 0, 3, 5, 8
    assert _count_caption(at) == "筛选结果：4 / 30 宗地块"


def test_selected_parcel_shows_every_field_as_text() -> None:
    _use_tiny_upload(5)
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state[state.SELECTED] = "T0000"
    at.run()
    at.switch_page("ui/pages/parcels.py").run()
    assert not at.exception
    frames = [df.value for df in at.dataframe]
    detail = next(f for f in frames if "字段" in f.columns)
    assert HOSTILE in detail["值"].tolist()  # shown as text, in a data grid
    assert "权利人" in detail["字段"].tolist()


def test_embedded_data_is_the_default_and_a_broken_upload_falls_back() -> None:
    assert workspace.active_dataset() == workspace.EMBEDDED
    workspace.set_active_dataset("00000000000000bb")  # no parcels stored for it
    assert workspace.active_dataset() == workspace.EMBEDDED
