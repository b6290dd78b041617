"""The app with accounts in the store (streamlit AppTest): what an anonymous visitor, a viewer and an
editor are offered, the login form, HULI_REQUIRE_LOGIN, the single-user note without accounts."""

from __future__ import annotations

from pathlib import Path

import pytest
from office_support import parquet_path, save_layer, store
from streamlit.testing.v1 import AppTest

from office import accounts, audit

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def _app(page: str | None = None, *, login: tuple[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    if login is not None:
        at.text_input(key="login_name").input(login[0])
        at.text_input(key="login_password").input(login[1])
        at.button[0].click().run()  # the form's submit button (the sidebar comes first)
    if page is not None:
        at.switch_page(f"ui/pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


@pytest.fixture()
def office_accounts() -> None:
    accounts.add_user(store(), "wang", "editor", "editor pass 1", by=None)
    accounts.add_user(store(), "zhao", "viewer", "viewer pass 1", by=None)


def _uploaders(at: AppTest) -> int:
    return len(list(at.get("file_uploader")))


def test_without_accounts_the_app_is_a_single_user_tool_that_says_so() -> None:
    at = _app("data")
    assert any("单机模式" in c.value for c in at.sidebar.caption)
    assert _uploaders(at) == 2  # the layer and the statistics table
    assert not [t for t in at.text_input if t.key == "login_name"]


@pytest.mark.parametrize("login", [None, ("zhao", "viewer pass 1")])
def test_anonymous_visitors_and_viewers_are_offered_no_change(office_accounts: None,
                                                              login: tuple[str, str] | None) -> None:
    data = _app("data", login=login)
    assert _uploaders(data) == 0
    assert any("需要编辑者登录" in i.value for i in data.info)
    efficiency = _app("efficiency", login=login)
    assert not [n for n in efficiency.number_input if n.key == "eff_thr_A"]  # no profile editor
    airport = _app("airport", login=login)
    assert not [b for b in airport.button if b.key == "ap_save"]  # no scenario saving
    assert not [b for b in airport.button if b.key == "ap_delete"]


def test_an_editor_logs_in_is_offered_the_changes_and_logs_out(office_accounts: None) -> None:
    at = _app("data", login=("wang", "editor pass 1"))
    assert any("已登录：wang（编辑者）" in c.value for c in at.sidebar.caption)
    assert _uploaders(at) == 2
    assert [b for b in at.button if b.key == "office_logout"]
    at.button(key="office_logout").click().run()
    assert _uploaders(at) == 0
    trail = [e["action"] for e in audit.entries(store(), user="wang")]
    assert trail == ["login", "logout"]


def test_a_wrong_password_is_refused_in_both_languages(office_accounts: None) -> None:
    at = _app(login=("wang", "not it"))
    assert any("用户名或密码错误" in e.value and "wrong user name or password" in e.value for e in at.error)
    assert not any("已登录" in c.value for c in at.sidebar.caption)


def test_with_require_login_nothing_is_shown_before_a_login(office_accounts: None,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HULI_REQUIRE_LOGIN", "1")
    at = _app()
    assert any("请先在侧栏登录" in i.value and "Please log in" in i.value for i in at.info)
    assert not at.metric and not at.main.title
    at = _app(login=("zhao", "viewer pass 1"))
    assert at.main.title[0].value == "总览" and at.metric


def test_the_admin_page_is_for_admins_only(office_accounts: None) -> None:
    accounts.add_user(store(), "chen", "admin", "admin pass 12", by=None)
    editor = AppTest.from_file(APP, default_timeout=120)
    editor.run()
    editor.text_input(key="login_name").input("wang")
    editor.text_input(key="login_password").input("editor pass 1")
    editor.button[0].click().run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):  # not registered for an editor
        editor.switch_page("ui/pages/admin.py")
    admin = _app("admin", login=("chen", "admin pass 12"))
    assert admin.title[0].value == "管理"
    table = admin.dataframe[0].value
    assert sorted(table["用户名"]) == ["chen", "wang", "zhao"]
    trail = admin.dataframe[1].value
    assert "login" in set(trail["操作"])


def test_the_owner_deletes_an_upload_another_editor_may_not(office_accounts: None) -> None:
    from ui_support import tiny_parcels

    from office import records
    from office.records import Actor
    from ui import workspace

    accounts.add_user(store(), "li", "editor", "editor pass 2", by=None)
    ds = "00000000000000dd"
    save_layer(ds, tiny_parcels(5))
    workspace.write_options(ds, {"filename": "wangs.geojson"})
    records.register_dataset(store(), ds, name="wangs.geojson", source_file="wangs.geojson", read_options={},
                             validation={}, actor=Actor("wang", "editor"))
    records.publish(store(), records.DEFAULT_DATASET, ds, actor=Actor("wang", "editor"))
    other = _app("data", login=("li", "editor pass 2"))
    assert not [b for b in other.button if b.key == "delete_dataset"]
    owner = _app("data", login=("wang", "editor pass 1"))
    owner.button(key="delete_dataset").click().run()
    assert not owner.exception, owner.exception
    assert records.list_datasets(store()) == []
    assert parquet_path(ds).exists()  # hidden, not destroyed
    assert [e["object"] for e in audit.entries(store(), action="dataset_delete")] == [ds]
    fresh = _app()
    assert any("示意数据" in i.value for i in fresh.info)  # the default falls back to the embedded data
