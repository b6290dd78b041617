"""Every page renders headless (streamlit AppTest): labels, filters, language switch."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from office_support import publish_dataset, same_browser, save_layer
from streamlit.testing.v1 import AppTest
from ui_support import tiny_parcels

from ui import state, workspace
from ui.pages.airport import YEAR_SLIDER

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGES = ("overview", "parcels", "expiry", "efficiency", "airport", "data", "whatif")


def _app(page: str | None = None, *, browser: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    if browser is not None:
        same_browser(at, browser)
    at.run()
    if page is not None and page != "overview":
        at.switch_page(f"ui/pages/{page}.py").run()
    return at


def _use_tiny_upload(n: int = 30) -> str:
    ds = "00000000000000aa"
    save_layer(ds, tiny_parcels(n))
    workspace.write_options(ds, {"filename": "tiny.geojson"})
    publish_dataset(ds)  # the district's default: what a fresh session shows
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
    at.multiselect(key=f"{state.FILTER_USES}.zh").set_value(["industrial"]).run()
    # tiny_parcels: uses cycle (industrial, commercial, logistics, industrial, green) -> 12 of 30
    assert _count_caption(at) == "筛选结果：12 / 30 宗地块"
    at.text_input(key=state.FILTER_TEXT).input("T000").run()
    # T0000..T0009 among them: indices 0, 3, 5, 8
    assert _count_caption(at) == "筛选结果：4 / 30 宗地块"


def test_embedded_data_is_the_default_and_a_broken_upload_falls_back() -> None:
    at = _app()
    assert any("示意数据" in i.value for i in at.info)  # the embedded data
    publish_dataset("00000000000000bb")  # recorded and published, but no parcels stored for it
    at = _app()
    assert not at.exception, at.exception
    assert any("示意数据" in i.value for i in at.info)  # still the embedded data, no error


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_scenario_switch_changes_kpis() -> None:
    at = _app("airport")
    at.slider(key=YEAR_SLIDER).set_value(2028).run()
    assert not at.exception, at.exception
    on_schedule = _metric(at, "释放机场用地")
    at.radio(key=f"{state.SCENARIO_A}.zh").set_value("delayed").run()
    delayed = _metric(at, "释放机场用地")
    # on schedule the airport closes in 2026 and land is being released by 2028; delayed, none yet
    assert delayed == "0.0 公顷"
    assert on_schedule != delayed
    assert any("搬迁推迟" in md.value for md in at.markdown)


def test_custom_relocation_year_moves_the_release() -> None:
    at = _app("airport")
    at.slider(key=YEAR_SLIDER).set_value(2030).run()
    at.radio(key=f"{state.SCENARIO_A}.zh").set_value("custom").run()
    at.number_input(key=f"{state.SCENARIO_A}_year").set_value(2034).run()
    assert not at.exception, at.exception
    assert _metric(at, "释放机场用地") == "0.0 公顷"
    assert any("净空限高生效" in c.value for c in at.caption)


def _class_counts(at: AppTest) -> list[int]:
    table = next(d.value for d in at.dataframe if "A 类 优先发展" in list(d.value.index))
    return table["地块数"].tolist()


def test_efficiency_threshold_edit_reclassifies() -> None:
    at = _app("efficiency")
    before = _class_counts(at)  # parcels per class A, B, C, D, unrated
    at.number_input(key="eff_thr_A").set_value(70.5).run()  # default thresholds A 100 > B 70 > C 40
    assert not at.exception, at.exception
    after = _class_counts(at)
    assert after[0] > before[0]  # B parcels scoring 70.5-100 move up to A
    assert after[0] + after[1] == before[0] + before[1]
    assert after[2:] == before[2:]  # C, D and unrated are untouched
    assert any("您自己修改的方案" in i.value for i in at.info)


def test_invalid_profile_edit_is_refused_in_both_languages() -> None:
    at = _app("efficiency")
    before = _class_counts(at)
    at.number_input(key="eff_thr_A").set_value(10.0).run()  # below B: not a valid ordering
    assert not at.exception, at.exception
    assert any("A > B > C" in e.value and "必须" in e.value for e in at.error)
    assert _class_counts(at) == before


def test_expiry_page_lists_expiring_parcels_with_recommendations() -> None:
    at = _app("expiry")
    headers = [h.value for h in at.subheader]
    assert "逐年到期面积（按功能区）" in headers
    assert "已到期及10年内到期地块与建议" in headers
    assert at.dataframe[1].value.shape[0] > 0


@pytest.mark.parametrize("page", ["overview", "parcels", "airport"])
@pytest.mark.parametrize("basemap", ["osm", "amap"])
def test_online_basemaps_render(page: str, basemap: str) -> None:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state[state.BASEMAP] = basemap
    at.run()
    if page != "overview":
        at.switch_page(f"ui/pages/{page}.py").run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    if basemap == "amap":
        assert any("GCJ-02" in c.value for c in at.caption)


def test_tianditu_is_not_offered_without_a_token() -> None:
    at = _app()
    options = at.selectbox(key=f"{state.BASEMAP}.zh").options
    assert options == ["离线底图（无瓦片）", "OpenStreetMap", "高德地图（GCJ-02）"]


def test_tianditu_is_offered_with_a_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIANDITU_TOKEN", "abc")
    at = _app()
    assert "天地图" in at.selectbox(key=f"{state.BASEMAP}.zh").options


def test_data_page_shows_the_report_and_mapping_editor_of_the_upload() -> None:
    from office_support import store
    from test_ui_ingest import _geojson

    from office import records
    from office.records import LOCAL
    from ui import ingest

    out = ingest.ingest_upload(_geojson(), "园区地块.geojson", store=store(), actor=LOCAL)
    records.publish(store(), records.DEFAULT_DATASET, out.dataset_id, actor=LOCAL)
    at = _app("data")
    assert not at.exception, at.exception
    assert any("园区地块.geojson" in h.value for h in at.subheader)  # report header
    switch = next(r for r in at.radio if r.label == "切换数据集")
    assert "园区地块.geojson" in switch.options
    editor = next(d.value for d in at.dataframe if "source" in d.value.columns)
    assert "QYDM" in editor["source"].tolist()
    switch.set_value("embedded").run()
    assert at.session_state[state.DATASET] == workspace.EMBEDDED
    assert out.dataset_id in [d["id"] for d in records.list_datasets(store())]


def test_edited_profile_survives_a_new_session() -> None:
    at = _app("efficiency", browser="browser-profile-0001")
    at.number_input(key="eff_thr_A").set_value(70.5).run()
    edited = _class_counts(at)
    fresh = _app("efficiency", browser="browser-profile-0001")  # a browser refresh: new session, same browser
    assert fresh.number_input(key="eff_thr_A").value == 70.5
    assert _class_counts(fresh) == edited
    other = _app("efficiency", browser="browser-profile-0002")  # another person: the district's profile
    assert other.number_input(key="eff_thr_A").value != 70.5
    fresh.button[0].click().run()  # back to the district's (here the shipped) profile
    again = _app("efficiency", browser="browser-profile-0001")
    assert again.number_input(key="eff_thr_A").value == other.number_input(key="eff_thr_A").value


def test_choices_survive_a_new_session() -> None:
    at = _app("airport", browser="browser-choices-01")
    at.radio(key=f"{state.SCENARIO_A}.zh").set_value("custom").run()
    at.number_input(key=f"{state.SCENARIO_A}_year").set_value(2031).run()
    at.slider(key=YEAR_SLIDER).set_value(2033).run()
    at.radio(key=state.LANG).set_value("en").run()
    other = _app("airport", browser="browser-choices-02")  # someone else: their own (default) choices
    assert other.title[0].value == "机场搬迁情景"
    fresh = _app("airport", browser="browser-choices-01")  # a browser refresh: new session, same browser
    assert not fresh.exception, fresh.exception
    assert fresh.title[0].value == "Airport scenarios"
    assert fresh.radio(key=f"{state.SCENARIO_A}.en").value == "custom"  # remembered: English
    assert fresh.number_input(key=f"{state.SCENARIO_A}_year").value == 2031
    assert fresh.slider(key=YEAR_SLIDER).value == 2033
    assert not fresh.warning, [w.value for w in fresh.warning]


@pytest.mark.parametrize(("lang", "expected"), [("zh", "亩均税收（万元/亩）"), ("en", "Tax per mu (10k yuan/mu)")])
def test_efficiency_editor_names_indicators_in_the_ui_language(lang: str, expected: str) -> None:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.radio(key=state.LANG).set_value(lang).run()
    at.switch_page("ui/pages/efficiency.py").run()
    editor = at.dataframe[0]
    assert list(editor.proto.column_order) == ["label", "weight", "benchmark", "required"]  # the key is hidden
    labels = dict(zip(editor.value["name"], editor.value["label"], strict=True))
    assert labels["tax_per_mu"] == expected
    assert not any("_" in label for label in labels.values())  # no indicator key shown


def test_choices_carry_over_a_language_switch_into_widgets_labelled_in_the_new_language() -> None:
    """Selectboxes and multiselects get a key per language (the browser keeps the labels of a choice)."""
    at = _app("parcels")
    at.multiselect(key=f"{state.FILTER_USES}.zh").set_value(["industrial"]).run()
    at.selectbox(key="dl_parcels_crs.zh").set_value("EPSG:4548").run()
    before = _count_caption(at)
    at.radio(key=state.LANG).set_value("en").run()
    assert not at.exception, at.exception
    uses = at.multiselect(key=f"{state.FILTER_USES}.en")
    assert uses.value == ["industrial"] and "Industrial" in uses.options and "工业用地" not in uses.options
    crs = at.selectbox(key="dl_parcels_crs.en")
    assert crs.value == "EPSG:4548" and any("lon/lat" in o for o in crs.options)
    assert at.selectbox(key=f"{state.BASEMAP}.en").value == at.session_state[state.BASEMAP]
    theme = at.radio(key=f"{state.THEME}.en")
    assert theme.value == at.session_state[state.THEME] and "Land use" in theme.options
    digits = [int(s.replace(",", "")) for s in re.findall(r"[\d,]+", _count_caption(at))]
    assert digits == [int(s.replace(",", "")) for s in re.findall(r"[\d,]+", before)]  # the same parcels
    # a choice made in English is the one the Chinese widgets show after switching back
    at.multiselect(key=f"{state.FILTER_USES}.en").set_value(["logistics"]).run()
    at.radio(key=state.LANG).set_value("zh").run()
    assert at.multiselect(key=f"{state.FILTER_USES}.zh").value == ["logistics"]


def test_overview_of_a_layer_with_no_output_value_shows_a_dash_not_an_error() -> None:
    frame = tiny_parcels(10)
    frame["output_value"] = float("nan")
    ds = "00000000000000cc"
    save_layer(ds, frame)
    workspace.write_options(ds, {"filename": "no_output.geojson"})
    publish_dataset(ds, "no_output.geojson")
    at = _app()
    assert not at.exception, at.exception
    assert _metric(at, "产业产值（年）") == "—"


def test_filters_belong_to_the_person_and_survive_their_refresh() -> None:
    at = _app("parcels", browser="browser-filters-01")
    at.multiselect(key=f"{state.FILTER_USES}.zh").set_value(["industrial"]).run()
    at.text_input(key=state.FILTER_TEXT).input("T00").run()
    filtered = _count_caption(at)
    fresh = _app("parcels", browser="browser-filters-01")  # the same browser, a new session
    assert fresh.multiselect(key=f"{state.FILTER_USES}.zh").value == ["industrial"]
    assert fresh.text_input(key=state.FILTER_TEXT).value == "T00"
    assert _count_caption(fresh) == filtered
    other = _app("parcels", browser="browser-filters-02")  # someone else: no filter
    assert other.multiselect(key=f"{state.FILTER_USES}.zh").value == []


def test_a_city_layer_table_shows_a_page_of_rows_and_says_so() -> None:
    from ui.pages.parcels import TABLE_ROWS

    _use_tiny_upload(TABLE_ROWS + 7)
    at = _app("parcels")
    assert not at.exception, at.exception
    assert len(at.dataframe[0].value) == TABLE_ROWS
    assert any(f"列表显示前 {TABLE_ROWS:,} 宗（共 {TABLE_ROWS + 7:,} 宗）" in c.value for c in at.caption)
