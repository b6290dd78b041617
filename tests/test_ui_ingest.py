"""Uploads persist in the workspace; a failed upload leaves the last good data in place."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from office_support import load_layer, parquet_path
from ui_support import HOSTILE, tiny_parcels

from core import files
from core.errors import PlanningError
from office import audit, records
from office.records import LOCAL, Actor
from office.roles import PermissionDenied
from ui import ingest, workspace


def _store():  # type: ignore[no-untyped-def]
    from office_support import store

    return store()


def _upload(data: bytes, name: str, **options: object) -> ingest.UploadOutcome:
    return ingest.ingest_upload(data, name, store=_store(), actor=LOCAL, **options)  # type: ignore[arg-type]


def _join(data: bytes, name: str, base: str, **options: object) -> ingest.UploadOutcome:
    return ingest.join_upload(data, name, base=base, store=_store(), actor=LOCAL, **options)  # type: ignore[arg-type]


def _reingest(dataset_id: str, field_map: dict[str, str]) -> ingest.UploadOutcome:
    return ingest.reingest(dataset_id, field_map=field_map, store=_store(), actor=LOCAL)


def _recorded() -> list[str]:
    return [d["id"] for d in records.list_datasets(_store())]


def _geojson(n: int = 6, *, extra: bool = True) -> bytes:
    frame = tiny_parcels(n)[["parcel_id", "enterprise", "land_use", "output_value", "geometry"]]
    frame = frame.rename(columns={"parcel_id": "宗地编号", "enterprise": "权利人", "land_use": "土地用途",
                                  "output_value": "工业总产值"})
    if extra:
        frame["QYDM"] = [f"91350200{i:04d}" for i in range(n)]  # an enterprise code nobody maps
    return frame.to_json(drop_id=True).encode("utf-8")


def test_usable_upload_is_stored_recorded_and_audited() -> None:
    out = _upload(_geojson(), "园区地块.geojson")
    assert out.usable and out.n_parcels == 6
    stored = load_layer(out.dataset_id)
    assert HOSTILE in stored["enterprise"].tolist()
    assert records.list_datasets(_store())[0]["name"] == "园区地块.geojson"
    assert records.dataset_record(_store(), out.dataset_id)["validation"]["n_usable_rows"] == 6
    assert "QYDM" in workspace.read_options(out.dataset_id)["unmapped"]
    assert [e["object"] for e in audit.entries(_store(), action="upload")] == [out.dataset_id]


@pytest.mark.parametrize("who", [Actor(None, None), Actor("zhao", "viewer")])
def test_an_upload_or_join_by_someone_who_may_not_is_refused_before_anything_is_kept(who: Actor) -> None:
    with pytest.raises(PermissionDenied):
        ingest.ingest_upload(_geojson(), "园区地块.geojson", store=_store(), actor=who)
    with pytest.raises(PermissionDenied):
        ingest.join_upload(*_table("T0001,1,1\n"), base=workspace.EMBEDDED, store=_store(), actor=who)
    assert not (workspace.workspace_dir() / "uploads").exists()
    assert _recorded() == []


def test_failed_upload_keeps_the_last_good_data() -> None:
    good = _upload(_geojson(), "good.geojson")
    with pytest.raises(PlanningError):
        _upload(b"this is not geojson", "broken.geojson")
    assert _recorded() == [good.dataset_id]
    assert len(load_layer(good.dataset_id)) == 6


def test_unusable_upload_keeps_the_last_good_data() -> None:
    good = _upload(_geojson(), "good.geojson")
    points_only = json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"宗地编号": "X1"}, "geometry": {"type": "Point", "coordinates": [118.1, 24.5]}}]}
    ).encode()
    out = _upload(points_only, "points.geojson")
    assert not out.usable
    assert _recorded() == [good.dataset_id]
    assert not parquet_path(out.dataset_id).exists()
    assert workspace.load_report(out.dataset_id) is not None


def test_field_mapping_is_applied_and_persisted() -> None:
    out = _upload(_geojson(), "m.geojson")
    again = _reingest(out.dataset_id, {"QYDM": "planned_use"})
    assert again.usable
    opts = workspace.read_options(out.dataset_id)
    assert opts["field_map"] == {"QYDM": "planned_use"}
    assert "QYDM" not in opts["unmapped"]


def test_atomic_write_leaves_no_temporary_files(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b.json"
    files.atomic_write_json(target, {"k": "值"})
    files.atomic_write_json(target, {"k": "新值"})
    assert json.loads(target.read_text(encoding="utf-8")) == {"k": "新值"}
    assert os.listdir(target.parent) == ["b.json"]


def test_atomic_write_keeps_old_file_when_writer_fails(tmp_path: Path) -> None:
    target = tmp_path / "x.txt"
    target.write_text("old", encoding="utf-8")

    def boom(tmp: Path) -> None:
        tmp.write_text("half", encoding="utf-8")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        files.atomic_write(target, boom)
    assert target.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["x.txt"]


@pytest.mark.parametrize("bad", ["../../etc", "embedded", "ABCDEF0123456789", ""])
def test_upload_ids_cannot_escape_the_workspace(bad: str) -> None:
    with pytest.raises(PlanningError, match="dataset id"):
        workspace.upload_dir(bad)


@pytest.mark.parametrize(("env_mb", "server_mb", "expected"), [
    (None, 200, 200),  # defaults agree
    ("5", 200, 5),  # HULI_MAX_UPLOAD_MB lowers the app's limit
    ("500", 200, 200),  # never above the server's ceiling
    ("7", None, 7),
])
def test_upload_limit_comes_from_settings_under_the_server_ceiling(
    monkeypatch: pytest.MonkeyPatch, env_mb: str | None, server_mb: int | None, expected: int
) -> None:
    if env_mb is None:
        monkeypatch.delenv("HULI_MAX_UPLOAD_MB", raising=False)
    else:
        monkeypatch.setenv("HULI_MAX_UPLOAD_MB", env_mb)
    assert ingest.upload_limit_mb(server_mb) == expected


def test_an_upload_above_the_limit_is_refused_in_both_languages_before_it_is_stored(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HULI_MAX_UPLOAD_MB", "1")
    data = _geojson()
    big = data + b" " * (1024 * 1024 + 1 - len(data))  # one byte above 1 MB, still valid JSON
    with pytest.raises(PlanningError, match="upload limit of 1 MB") as info:
        _upload(big, "big.geojson")
    assert "超过上传上限 1 MB" in info.value.message_zh and "HULI_MAX_UPLOAD_MB" in info.value.message_en
    assert not (workspace.workspace_dir() / "uploads").exists()  # nothing kept
    exact = data + b" " * (1024 * 1024 - len(data))  # exactly 1 MB is accepted
    assert _upload(exact, "exact.geojson").usable


def test_data_page_states_the_limit_from_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("HULI_MAX_UPLOAD_MB", "3")
    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("ui/pages/data.py").run()
    assert not at.exception, at.exception
    assert any("上限 3 MB" in c.value for c in at.caption)


def test_crs_override_is_applied_and_kept_when_the_mapping_is_edited() -> None:
    # GeoJSON is always lon/lat: a planner who knows these are really EPSG:4490 (CGCS2000) says so
    with pytest.raises(PlanningError, match="override"):
        _upload(_geojson(), "wgs.geojson", crs="EPSG:32650")
    out = _upload(_geojson(), "wgs.geojson", crs="EPSG:4490", override_crs=True)
    assert out.usable
    opts = workspace.read_options(out.dataset_id)
    assert opts["override_crs"] is True and opts["source_crs"] == "EPSG:4490"
    again = _reingest(out.dataset_id, {"QYDM": "planned_use"})
    assert again.usable and workspace.read_options(out.dataset_id)["source_crs"] == "EPSG:4490"


def _table(rows: str, name: str = "统计.csv") -> tuple[bytes, str]:
    return ("宗地编号,工业总产值,从业人员\n" + rows).encode("gbk"), name


def test_a_statistics_table_joins_onto_the_data_in_use_as_a_new_dataset() -> None:
    base = _upload(_geojson(), "园区地块.geojson")
    before = load_layer(base.dataset_id).set_index("parcel_id")
    data, name = _table("T0001,1.5亿元,12\nT0002,,7\nT9999,1,1\n")
    joined = _join(data, name, base.dataset_id)
    assert joined.usable and joined.dataset_id != base.dataset_id
    assert set(_recorded()) == {base.dataset_id, joined.dataset_id}
    got = load_layer(joined.dataset_id).set_index("parcel_id")
    assert got.loc["T0001", "output_value"] == 15_000.0  # 1.5 亿元 in 万元
    assert got.loc["T0002", "output_value"] == before.loc["T0002", "output_value"]  # empty cell: kept
    assert got.loc["T0002", "employees"] == 7
    # the dataset joined onto is untouched and still offered
    assert load_layer(base.dataset_id).equals(load_layer(base.dataset_id))
    assert load_layer(base.dataset_id).set_index("parcel_id").loc["T0001", "output_value"] == \
        before.loc["T0001", "output_value"]
    names = {d["id"]: d["name"] for d in records.list_datasets(_store())}
    assert names[joined.dataset_id] == "园区地块.geojson + 统计.csv"
    codes = set(joined.report["code"])
    assert {"table_unmatched", "table_values_applied", "table_joined", "unit_converted"} <= codes
    # a field-mapping edit reads the layer again and joins the table again
    again = _reingest(joined.dataset_id, {"QYDM": "planned_use"})
    assert again.usable
    assert load_layer(joined.dataset_id).set_index("parcel_id").loc["T0001", "output_value"] == 15_000.0


def test_a_second_table_keeps_the_first_tables_values() -> None:
    base = _upload(_geojson(), "园区地块.geojson")
    first = _join(*_table("T0001,1.5亿元,12\n"), base.dataset_id)
    second = _join("宗地编号,实缴税金\nT0001,88\n".encode(), "税收.csv", first.dataset_id)
    got = load_layer(second.dataset_id).set_index("parcel_id")
    assert got.loc["T0001", "output_value"] == 15_000.0 and got.loc["T0001", "tax"] == 88.0
    assert workspace.dataset_name(second.dataset_id) == "园区地块.geojson + 统计.csv + 税收.csv"


def test_a_table_joins_onto_the_embedded_data_which_stay_illustrative() -> None:
    import geodata

    first = str(geodata.read_layer("parcels")["parcel_id"].iloc[0])
    out = _join(f"宗地编号,从业人员\n{first},4321\n".encode(), "人员.csv", workspace.EMBEDDED)
    assert out.usable and _recorded() == [out.dataset_id]
    assert workspace.read_options(out.dataset_id)["embedded_base"] is True
    got = load_layer(out.dataset_id).set_index("parcel_id")
    assert got.loc[first, "employees"] == 4321
    assert len(got) == len(geodata.read_layer("parcels"))


def test_a_table_that_cannot_be_joined_changes_nothing() -> None:
    good = _upload(_geojson(), "good.geojson")
    with pytest.raises(PlanningError) as info:
        _join("企业名称,产值\n甲,1\n".encode(), "nokey.csv", good.dataset_id)
    assert "宗地编号" in info.value.message_zh
    with pytest.raises(PlanningError, match=r"\.csv or \.xlsx"):
        _join(b"x", "table.ods", good.dataset_id)
    assert _recorded() == [good.dataset_id]


def _beijing_geojson() -> bytes:
    """The issue's layer: one parcel in Beijing (116.4 E, 39.9 N)."""
    import geopandas as gpd
    import shapely

    frame = gpd.GeoDataFrame({"宗地编号": ["BJ-1"], "土地用途": ["1001"]},
                             geometry=[shapely.box(116.4, 39.9, 116.402, 39.902)], crs="EPSG:4326")
    return frame.to_json(drop_id=True).encode("utf-8")


def test_an_upload_outside_the_district_is_kept_and_flagged() -> None:
    out = _upload(_beijing_geojson(), "beijing.geojson")
    assert out.usable and (out.n_parcels, out.n_outside) == (1, 1) and out.outside_only
    [row] = out.report[out.report["code"] == "outside_district"].to_dict("records")
    assert row["value"] == "1" and row["message_en"].startswith("1 parcel(s) lie outside")
    inside = _upload(_geojson(), "园区地块.geojson")  # tiny parcels at 118.10 E, 24.50 N: in Huli
    assert (inside.n_outside, inside.outside_only) == (0, False)
    assert "outside_district" not in set(inside.report["code"])


def _upload_page() -> None:
    """The Data page after an upload made by its own form (AppTest cannot fill a file uploader)."""
    import streamlit as st

    from ui import office
    from ui.ingest import ingest_upload
    from ui.pages import data as page

    if "test_upload" in st.session_state:
        name, payload = st.session_state.pop("test_upload")
        page._show_outcome(ingest_upload(payload, name, store=office.store(), actor=office.require("upload")), "zh")
    page.render()


def _page_after(name: str, payload: bytes):  # type: ignore[no-untyped-def]
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_upload_page, default_timeout=120)
    at.session_state["test_upload"] = (name, payload)
    at.run()
    assert not at.exception, at.exception
    return at


def test_data_page_asks_before_using_a_layer_wholly_outside_the_district() -> None:
    from ui import state

    at = _page_after("beijing.geojson", _beijing_geojson())
    [uploaded] = _recorded()
    assert (at.session_state[state.DATASET] if state.DATASET in at.session_state else None) != uploaded
    warning = "\n".join(w.value for w in at.warning)
    assert "全部位于区界（含边距）之外" in warning and "All 1 usable parcels" in warning
    assert not any("当前使用该数据" in s.value for s in at.success)
    [confirm] = [b for b in at.button if b.key == "use_outside_anyway"]
    assert confirm.label == "仍然使用该数据 / Use it anyway"
    confirm.click().run()
    assert not at.exception, at.exception
    assert at.session_state[state.DATASET] == uploaded
    assert any("已读取 1 宗地块，当前使用该数据" in s.value for s in at.success)
    assert not [b for b in at.button if b.key == "use_outside_anyway"]
    assert not any("全部位于区界" in w.value for w in at.warning)


def test_picking_a_layer_wholly_outside_the_district_in_the_list_asks_too() -> None:
    from ui import state

    at = _page_after("beijing.geojson", _beijing_geojson())
    [uploaded] = _recorded()
    [switch] = [r for r in at.radio if any("全部在区界外" in o for o in r.options)]
    [label] = [o for o in switch.options if "全部在区界外" in o]
    assert label.endswith(" · 全部在区界外") and label.startswith("beijing")
    switch.set_value(uploaded).run()
    assert not at.exception, at.exception
    assert (at.session_state[state.DATASET] if state.DATASET in at.session_state else None) != uploaded
    [confirm] = [b for b in at.button if b.key == "switch_outside_anyway"]
    assert confirm.label == "仍然使用该数据 / Use it anyway"
    confirm.click().run()
    assert not at.exception, at.exception
    assert at.session_state[state.DATASET] == uploaded
    assert not [b for b in at.button if b.key == "switch_outside_anyway"]
    # in use on purpose: every page's data notice still says, in both languages, where the data lie
    from streamlit.testing.v1 import AppTest

    notice = AppTest.from_function(_data_notice, args=(uploaded,), default_timeout=60)
    notice.run()
    assert not notice.exception, notice.exception
    warned = [w.value for w in notice.warning if "当前数据的 1 宗地块全部位于区界" in w.value]
    assert warned and "All 1 parcels of the data in use lie outside the district" in warned[0]


def _data_notice(dataset_id: str) -> None:
    from ui.frame import data_notice

    data_notice(dataset_id, "zh")


def test_data_page_uses_a_layer_in_the_district_at_once() -> None:
    from ui import state

    at = _page_after("园区地块.geojson", _geojson())
    [uploaded] = _recorded()
    assert at.session_state[state.DATASET] == uploaded
    assert any("已读取 6 宗地块，当前使用该数据" in s.value for s in at.success)
    assert not [b for b in at.button if b.key == "use_outside_anyway"]


def test_data_page_uses_a_layer_with_some_strays_and_says_how_many() -> None:
    import json

    from ui import state

    mixed = json.loads(_geojson(extra=False))
    mixed["features"] += json.loads(_beijing_geojson())["features"]
    at = _page_after("mixed.geojson", json.dumps(mixed).encode("utf-8"))
    [uploaded] = _recorded()
    assert at.session_state[state.DATASET] == uploaded  # 6 of 7 in the district: in use at once
    assert any("已读取 7 宗地块，当前使用该数据" in s.value for s in at.success)
    assert any("其中 1 宗地块位于区界（含边距）之外" in w.value for w in at.warning)
    assert not [b for b in at.button if b.key == "use_outside_anyway"]


def test_the_district_default_dataset_is_restored_from_its_history_unless_deleted() -> None:
    from office.records import Actor

    editor = Actor("wang", "editor")
    at = _page_after("园区地块.geojson", _geojson())
    [uploaded] = _recorded()
    records.publish(_store(), records.DEFAULT_DATASET, uploaded, actor=editor)
    at.run()
    table = next(d.value for d in at.dataframe if "发布人" in d.value.columns)
    assert table["内容"].tolist()[0] == "园区地块.geojson"
    at.selectbox(key="dataset_history_pick").set_value(None).run()  # the embedded data
    at.button(key="dataset_history_restore").click().run()
    assert not at.exception, at.exception
    assert records.shared(_store(), records.DEFAULT_DATASET) == "embedded"
    # the upload, deleted since, cannot be the default again
    records.delete_dataset(_store(), uploaded, actor=Actor("chen", "admin"))
    at.run()
    at.selectbox(key="dataset_history_pick").set_value(1).run()
    at.button(key="dataset_history_restore").click().run()
    assert not at.exception, at.exception
    assert at.error and "已删除" in at.error[0].value and "has been deleted" in at.error[0].value
    assert records.shared(_store(), records.DEFAULT_DATASET) == "embedded"
