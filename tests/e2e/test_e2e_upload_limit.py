"""The app's own upload limit in a real browser: a server started with HULI_MAX_UPLOAD_MB=1."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from e2e_support import ARTIFACTS, PageProbe, running_app

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def small_limit_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A second app server whose upload limit is 1 MB (the server's ceiling stays 200 MB)."""
    workspace = tmp_path_factory.mktemp("limit_workspace")
    with running_app(workspace, ARTIFACTS / "e2e-streamlit-limit.log", HULI_MAX_UPLOAD_MB="1") as url:
        yield url, workspace


def test_a_file_above_the_app_limit_is_refused_in_both_languages(
    small_limit_url: tuple[str, Path], probe: PageProbe
) -> None:
    url, workspace = small_limit_url
    page = probe.page
    page.goto(url + "/data")
    page.get_by_text("上限 1 MB").first.wait_for(timeout=90_000)
    body = b'{"type": "FeatureCollection", "features": []}'
    big = body + b" " * (1024 * 1024 + 1 - len(body))  # one byte above 1 MB
    page.locator(".st-key-upload_file [data-testid='stFileUploaderDropzoneInput']").set_input_files(
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
