"""Single sign-on through Streamlit's ``st.login`` (OIDC) in a real browser, against a local OpenID
Connect provider (oidc-provider-mock): the provider vouches for the person, the office store gives
the role."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from e2e_support import ARTIFACTS, PageProbe, free_port, running_app

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from test_e2e_app import _wait_idle

# the provider (a test tool in this process) uses Authlib APIs that Authlib now marks as deprecated
pytestmark = [pytest.mark.e2e, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

SSO_EDITOR = "li@huli.example"
UPLOADER = ".st-key-upload_file [data-testid='stFileUploaderDropzoneInput']"


@pytest.fixture(scope="module")
def sso_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An app with an ``[auth]`` section pointing at a local OIDC provider, and an SSO account."""
    from oidc_provider_mock import User, run_server_in_thread

    root = tmp_path_factory.mktemp("sso")
    workspace, home = root / "workspace", root / "home"
    (home / ".streamlit").mkdir(parents=True)
    before = os.environ.get("HULI_WORKSPACE")
    os.environ["HULI_WORKSPACE"] = str(workspace)
    try:
        from office import accounts
        from office.opening import forget_stores, open_store

        accounts.add_user(open_store(), SSO_EDITOR, "editor", None, by="(test)")  # single sign-on only
        forget_stores()
    finally:
        if before is None:
            os.environ.pop("HULI_WORKSPACE", None)
        else:
            os.environ["HULI_WORKSPACE"] = before
    users = [User(sub="li", claims={"email": SSO_EDITOR, "name": "Li"}),
             User(sub="guest", claims={"email": "guest@elsewhere.example", "name": "Guest"})]
    with run_server_in_thread(user_claims=users) as idp:
        port = free_port()
        (home / ".streamlit" / "secrets.toml").write_text(
            "[auth]\n"
            f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
            'cookie_secret = "a-long-random-secret-for-the-test-only-0123456789"\n'
            'client_id = "huli-planning"\n'
            'client_secret = "not-a-real-secret"\n'
            f'server_metadata_url = "http://127.0.0.1:{idp.server_port}/.well-known/openid-configuration"\n',
            encoding="utf-8")
        with running_app(workspace, ARTIFACTS / "e2e-sso-streamlit.log", port=port, HOME=str(home)) as url:
            yield url


def _sign_on(probe: PageProbe, url: str, sub: str) -> None:
    page = probe.page
    page.goto(url + "/data")
    _wait_idle(probe)
    page.locator('[data-testid="stSidebar"]').get_by_role("button", name="统一身份认证登录").click()
    page.locator("input[name='sub']").first.wait_for(timeout=30_000)  # the provider's own page
    page.locator("input[name='sub']").first.fill(sub)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{url}/**", timeout=60_000)
    _wait_idle(probe)


def test_single_sign_on_gives_the_role_of_the_account_in_the_store(sso_url: str, probe: PageProbe) -> None:
    _sign_on(probe, sso_url, "li")
    page = probe.page
    page.get_by_text(f"已登录：{SSO_EDITOR}（编辑者）").wait_for(timeout=60_000)
    page.goto(sso_url + "/data")
    _wait_idle(probe)
    page.locator(UPLOADER).wait_for(state="attached", timeout=30_000)  # an editor may upload
    page.screenshot(path=str(ARTIFACTS / "e2e-sso-editor.png"), full_page=True)


def test_a_signed_on_person_without_an_account_is_a_viewer(sso_url: str, probe: PageProbe) -> None:
    _sign_on(probe, sso_url, "guest")
    page = probe.page
    page.get_by_text("已登录：guest@elsewhere.example（查看者）").wait_for(timeout=60_000)
    page.goto(sso_url + "/data")
    _wait_idle(probe)
    page.get_by_text("上传、关联统计表需要编辑者登录").wait_for(timeout=30_000)
    assert page.locator(UPLOADER).count() == 0
