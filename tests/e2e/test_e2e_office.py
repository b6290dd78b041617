"""The office in real browsers, several at once, on a server whose store has accounts: who may
upload, each person's own view, the lockout, a published default reaching everyone."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from e2e_support import ARTIFACTS, CHROMIUM_ARGS, PageProbe, running_app, server_cookie  # noqa: F401

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from test_e2e_app import _wait_idle
from ui_support import tiny_parcels

pytestmark = pytest.mark.e2e

EDITOR, EDITOR_PW = "wang", "editor pass 1"
VIEWER, VIEWER_PW = "zhao", "viewer pass 1"
LOCKED, LOCKED_PW = "sun", "right pass 99"
PUBLISHER, PUBLISHER_PW = "li", "publisher pass 1"
UPLOADER = ".st-key-upload_file [data-testid='stFileUploaderDropzoneInput']"


@pytest.fixture(scope="module")
def office_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server of its own whose store has editors and a viewer."""
    workspace = tmp_path_factory.mktemp("office_workspace")
    before = os.environ.get("HULI_WORKSPACE")
    os.environ["HULI_WORKSPACE"] = str(workspace)
    try:
        from office import accounts
        from office.opening import forget_stores, open_store

        store = open_store()
        accounts.add_user(store, EDITOR, "editor", EDITOR_PW, by="(test)")
        accounts.add_user(store, VIEWER, "viewer", VIEWER_PW, by="(test)")
        accounts.add_user(store, LOCKED, "editor", LOCKED_PW, by="(test)")
        accounts.add_user(store, PUBLISHER, "editor", PUBLISHER_PW, by="(test)")
        forget_stores()
    finally:
        if before is None:
            os.environ.pop("HULI_WORKSPACE", None)
        else:
            os.environ["HULI_WORKSPACE"] = before
    with running_app(workspace, ARTIFACTS / "e2e-office-streamlit.log") as url:
        yield url


@pytest.fixture()
def people(browser: object) -> Iterator[list[PageProbe]]:
    """Three browsers at once (separate contexts: separate cookies), each a person."""
    contexts = [browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")  # type: ignore[attr-defined]
                for _ in range(3)]
    probes = []
    for context in contexts:
        page = context.new_page()
        probe = PageProbe(page)
        context.on("request", lambda req, p=probe: p.requests.append(req.url))
        probes.append(probe)
    try:
        yield probes
    finally:
        for context in contexts:
            context.close()


def _open(probe: PageProbe, url: str) -> None:
    probe.page.goto(url)
    _wait_idle(probe)


def _log_in(probe: PageProbe, name: str, password: str) -> None:
    page = probe.page
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_label("用户名").fill(name)
    sidebar.get_by_label("密码").fill(password)
    sidebar.get_by_role("button", name="登录").click()
    _wait_idle(probe)


def _geojson(n: int = 8) -> bytes:
    frame = tiny_parcels(n)[["parcel_id", "enterprise", "land_use", "output_value", "geometry"]]
    frame = frame.rename(columns={"parcel_id": "宗地编号", "enterprise": "权利人", "land_use": "土地用途"})
    return frame.to_json(drop_id=True).encode("utf-8")


def _upload(probe: PageProbe, name: str, n: int = 8) -> None:
    page = probe.page
    page.locator(UPLOADER).set_input_files(files=[{"name": name, "mimeType": "application/geo+json",
                                                    "buffer": _geojson(n)}])
    page.get_by_text(name).first.wait_for(timeout=30_000)
    page.get_by_role("button", name="读取并校验").click()
    page.get_by_text(f"已读取 {n} 宗地块").wait_for(timeout=60_000)
    _wait_idle(probe)


def _dataset_in_sidebar(probe: PageProbe) -> str:
    sidebar = probe.page.locator('[data-testid="stSidebar"]')
    return sidebar.locator('[data-testid="stCaptionContainer"]').filter(has_text="数据集").first.inner_text()


def test_anonymous_visitors_and_viewers_cannot_upload_an_editor_can(office_url: str,
                                                                   people: list[PageProbe]) -> None:
    anonymous, viewer, editor = people
    for probe in people:
        _open(probe, office_url + "/data")
    _log_in(viewer, VIEWER, VIEWER_PW)
    viewer.page.get_by_text(f"已登录：{VIEWER}（查看者）").wait_for(timeout=30_000)
    _log_in(editor, EDITOR, EDITOR_PW)
    editor.page.get_by_text(f"已登录：{EDITOR}（编辑者）").wait_for(timeout=30_000)
    for probe in (anonymous, viewer):
        assert probe.page.locator(UPLOADER).count() == 0
        probe.page.get_by_text("上传、关联统计表需要编辑者登录").wait_for(timeout=30_000)
    editor.page.locator(UPLOADER).wait_for(state="attached", timeout=30_000)
    _upload(editor, "编辑者上传.geojson")
    # named in the sidebar at once, not one rerun later
    assert "编辑者上传.geojson" in _dataset_in_sidebar(editor)
    editor.page.screenshot(path=str(ARTIFACTS / "e2e-office-editor-upload.png"), full_page=True)
    for probe in people:
        assert probe.external_requests() == []


def test_one_persons_language_switch_and_upload_do_not_change_anothers_view(office_url: str,
                                                                           people: list[PageProbe]) -> None:
    editor, other, _ = people
    _open(editor, office_url + "/data")
    _open(other, office_url + "/")
    _log_in(editor, EDITOR, EDITOR_PW)
    editor.page.get_by_text(f"已登录：{EDITOR}（编辑者）").wait_for(timeout=30_000)
    _wait_idle(editor)
    editor.page.locator('[data-testid="stSidebar"]').get_by_text("English").click()
    editor.page.get_by_role("heading", name="Data").first.wait_for(timeout=60_000)
    editor.page.get_by_text(f"Logged in: {EDITOR} (editor)").wait_for(timeout=30_000)
    _wait_idle(editor)
    editor.page.locator(UPLOADER).wait_for(state="attached", timeout=30_000)
    editor.page.locator(UPLOADER).set_input_files(files=[{"name": "mine.geojson", "mimeType": "application/geo+json",
                                                           "buffer": _geojson(6)}])
    editor.page.get_by_text("mine.geojson").first.wait_for(timeout=30_000)
    editor.page.get_by_role("button", name="Read and validate").click()
    editor.page.get_by_text("Read 6 parcels").wait_for(timeout=60_000)
    # the other person, looking at the same server at the same time
    other.page.reload()
    _wait_idle(other)
    other.page.get_by_role("heading", name="总览").first.wait_for(timeout=60_000)
    assert "内置示意数据" in _dataset_in_sidebar(other)
    # the login is kept in a cookie the server set: no script in the page can read it
    login = server_cookie(editor.page, "huli_login")
    assert login["httpOnly"] is True and login["sameSite"] == "Strict"
    assert "huli_login" not in str(editor.page.evaluate("() => document.cookie"))
    assert server_cookie(other.page, "huli_browser")["httpOnly"] is True
    # the editor's own choices survive their refresh
    editor.page.reload()
    _wait_idle(editor)
    editor.page.get_by_role("heading", name="Data").first.wait_for(timeout=60_000)
    editor.page.get_by_text(f"Logged in: {EDITOR} (editor)").wait_for(timeout=30_000)
    assert "mine.geojson" in editor.page.locator('[data-testid="stSidebar"]').inner_text()


def test_five_wrong_passwords_lock_the_name(office_url: str, people: list[PageProbe]) -> None:
    probe = people[0]
    _open(probe, office_url + "/")
    for _ in range(4):
        _log_in(probe, LOCKED, "wrong password")
        probe.page.get_by_text("用户名或密码错误").first.wait_for(timeout=30_000)
    _log_in(probe, LOCKED, "wrong password")
    probe.page.get_by_text("已锁定").first.wait_for(timeout=30_000)
    assert "locked" in probe.page.locator('[data-testid="stAlert"]').first.inner_text()
    _log_in(probe, LOCKED, LOCKED_PW)  # the right password: still locked
    probe.page.get_by_text("已锁定").first.wait_for(timeout=30_000)
    assert probe.page.get_by_text(f"已登录：{LOCKED}").count() == 0
    probe.page.screenshot(path=str(ARTIFACTS / "e2e-office-locked.png"), full_page=True)


def test_a_published_default_reaches_everyone(office_url: str, people: list[PageProbe]) -> None:
    editor, watcher, newcomer = people
    _open(editor, office_url + "/data")
    _open(watcher, office_url + "/")
    assert "内置示意数据" in _dataset_in_sidebar(watcher)
    _log_in(editor, PUBLISHER, PUBLISHER_PW)
    editor.page.get_by_text(f"已登录：{PUBLISHER}（编辑者）").wait_for(timeout=30_000)
    _wait_idle(editor)
    editor.page.locator(UPLOADER).wait_for(state="attached", timeout=30_000)
    _upload(editor, "全区底图.geojson", n=9)
    editor.page.get_by_role("button", name="将“全区底图.geojson").click()
    editor.page.get_by_text("已发布为全区默认数据").wait_for(timeout=30_000)
    for i, probe in enumerate((watcher, newcomer)):
        _open(probe, office_url + "/")
        probe.page.screenshot(path=str(ARTIFACTS / f"e2e-office-published-{i}.png"), full_page=True)
        assert "全区底图.geojson" in _dataset_in_sidebar(probe)
