"""Browser end-to-end fixtures: a real Streamlit server and Debian's headless Chromium.

The server runs ``.venv/bin/streamlit run app.py`` on a free localhost port with its
own temporary workspace.  Every request the page (and the map's component iframe)
makes is recorded; tests assert none leaves localhost.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from e2e_support import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, PageProbe, running_app


@pytest.fixture(scope="session")
def e2e_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The server's workspace (tests may write uploads into it)."""
    return tmp_path_factory.mktemp("e2e_workspace")


@pytest.fixture(scope="session")
def app_url(e2e_workspace: Path) -> Iterator[str]:
    """Base URL of a running app; the server is stopped at the end of the session."""
    with running_app(e2e_workspace, ARTIFACTS / "e2e-streamlit.log") as url:
        yield url


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
