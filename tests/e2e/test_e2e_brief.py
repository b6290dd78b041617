"""The briefing downloaded in a real browser from the Airport page: a PDF with the page's choices."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from e2e_support import ARTIFACTS, PageProbe

pytestmark = pytest.mark.e2e


def test_airport_page_downloads_the_briefing(app_url: str, probe: PageProbe, tmp_path: Path) -> None:
    page = probe.page
    page.goto(app_url + "/airport")
    page.get_by_text("搬迁推迟").first.wait_for(timeout=90_000)
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=90_000)
    button = page.locator("[data-testid='stDownloadButton'] button").filter(has_text="下载决策简报").first
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=120_000) as info:
        button.click()
    download = info.value
    assert re.fullmatch(r"briefing_on_schedule_\d{4}_zh\.pdf", download.suggested_filename)
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "e2e-brief.png"), full_page=True)
    assert target.read_bytes().startswith(b"%PDF-")
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(target).pages))
    assert "决策简报" in text and "示意数据" in text
    assert "按计划搬迁" in text and "搬迁推迟" in text  # scenario A, compared with B
    assert "情景比较" in text
    assert probe.external_requests() == []
