"""The app's own upload limit in a real browser: a server started with HULI_MAX_UPLOAD_MB=1."""

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

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from e2e_support import ARTIFACTS, ROOT, PageProbe

pytestmark = pytest.mark.e2e


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


@pytest.fixture(scope="module")
def small_limit_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A second app server whose upload limit is 1 MB (the server's ceiling stays 200 MB)."""
    workspace = tmp_path_factory.mktemp("limit_workspace")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "TIANDITU_TOKEN"}
    env.update(HULI_WORKSPACE=str(workspace), HULI_MAX_UPLOAD_MB="1", PYTHONPATH=str(ROOT))
    ARTIFACTS.mkdir(exist_ok=True)
    with (ARTIFACTS / "e2e-streamlit-limit.log").open("wb") as out:
        proc = subprocess.Popen(
            [str(Path(sys.executable).with_name("streamlit")), "run", "app.py", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_healthy(url, proc)
            yield url, workspace
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=15)


def test_a_file_above_the_app_limit_is_refused_in_both_languages(
    small_limit_url: tuple[str, Path], probe: PageProbe
) -> None:
    url, workspace = small_limit_url
    page = probe.page
    page.goto(url + "/data")
    page.get_by_text("上限 1 MB").first.wait_for(timeout=90_000)
    body = b'{"type": "FeatureCollection", "features": []}'
    big = body + b" " * (1024 * 1024 + 1 - len(body))  # one byte above 1 MB
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
        files=[{"name": "big.geojson", "mimeType": "application/geo+json", "buffer": big}]
    )
    page.get_by_text("big.geojson").first.wait_for(timeout=30_000)
    page.get_by_role("button", name="读取并校验").click()
    alert = page.locator("[data-testid='stAlert']").filter(has_text="超过上传上限 1 MB")
    alert.first.wait_for(timeout=60_000)
    text = alert.first.inner_text()
    assert "more than the upload limit of 1 MB" in text
    page.screenshot(path=str(ARTIFACTS / "e2e-upload-limit.png"))
    assert not (workspace / "uploads").exists()  # nothing was kept
    assert probe.external_requests() == []
