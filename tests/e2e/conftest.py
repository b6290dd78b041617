"""Browser end-to-end fixtures: a real Streamlit server and Debian's headless Chromium.

The server runs ``.venv/bin/streamlit run app.py`` on a free localhost port with its
own temporary workspace.  Every request the page (and the map's component iframe)
makes is recorded; tests assert none leaves localhost.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from e2e_support import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, ROOT, PageProbe


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_healthy(url: str, proc: subprocess.Popen[bytes], timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {proc.returncode} before it was healthy")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise RuntimeError(f"streamlit did not become healthy at {url} within {timeout:.0f} s")


@pytest.fixture(scope="session")
def e2e_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The server's workspace (tests may write uploads into it)."""
    return tmp_path_factory.mktemp("e2e_workspace")


@pytest.fixture(scope="session")
def app_url(e2e_workspace: Path) -> Iterator[str]:
    """Base URL of a running app; the server is stopped at the end of the session."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "TIANDITU_TOKEN"}
    env["HULI_WORKSPACE"] = str(e2e_workspace)
    env["PYTHONPATH"] = str(ROOT)
    log = (ARTIFACTS / "e2e-streamlit.log")
    ARTIFACTS.mkdir(exist_ok=True)
    exe = Path(sys.executable).with_name("streamlit")
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(exe), "run", "app.py", "--server.port", str(port), "--server.address", "127.0.0.1",
             "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_healthy(url, proc)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=15)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium, headless (the test fails, not skips, when it is missing)."""
    if not CHROMIUM.exists():
        pytest.fail(
            "The browser tests need Debian's Chromium at /usr/bin/chromium: run "
            "`apt-get update && apt-get install -y chromium fonts-noto-cjk` (or scripts/setup.sh --test).",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture()
def probe(browser: object) -> Iterator[PageProbe]:
    """A fresh browser context and page, recording requests (all frames) and dialogs."""
    context = browser.new_context(viewport={"width": 1500, "height": 1100}, locale="zh-CN")  # type: ignore[attr-defined]
    page = context.new_page()
    pp = PageProbe(page)
    context.on("request", lambda req: pp.requests.append(req.url))

    def _dialog(dialog: object) -> None:
        pp.dialogs.append(dialog.message)  # type: ignore[attr-defined]
        dialog.dismiss()  # type: ignore[attr-defined]

    page.on("dialog", _dialog)
    try:
        yield pp
    finally:
        context.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)
