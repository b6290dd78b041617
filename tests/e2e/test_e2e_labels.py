"""Zone labels in a real browser: one per zone, none overlapping at district zoom, in both languages."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from e2e_support import ARTIFACTS, PageProbe, wait_settled
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'

_LABEL_BOXES = """() => Array.from(document.querySelectorAll(".huli-label")).map(function (el) {
    var r = el.getBoundingClientRect();
    return {text: el.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom};
})"""


def _overlap(a: dict, b: dict) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_one_label_per_zone_and_none_overlap(app_url: str, probe: PageProbe,
                                             lang: str) -> None:
    page = probe.page
    page.goto(app_url + "/")
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=90_000)
    if lang == "en":
        page.get_by_text("English").first.click()
        page.get_by_role("heading", name="Overview").first.wait_for(timeout=60_000)
        page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=90_000)
    page.locator(MAP_IFRAME).first.wait_for(timeout=90_000)
    shown = page.frame_locator(MAP_IFRAME).first
    shown.locator(".huli-label").first.wait_for(timeout=90_000)
    frame = page.locator(MAP_IFRAME).first.element_handle().content_frame()
    boxes = wait_settled(frame, _LABEL_BOXES)  # the labels placed and no longer moving
    ARTIFACTS.mkdir(exist_ok=True)
    shown.locator(".leaflet-container").first.screenshot(path=str(ARTIFACTS / f"e2e-zone-labels-{lang}.png"))
    texts = sorted(b["text"] for b in boxes)
    expected = (["Automotive-electronics headquarters zone", "ICV scenario demonstration zone", "ICV-systems incubation zone"]
                if lang == "en" else ["智能网联汽车场景示范区", "智能网联系统产业孵化区", "汽车电子总部经济区"])
    assert texts == sorted(expected)
    clashes = [(a["text"], b["text"]) for i, a in enumerate(boxes) for b in boxes[i + 1:] if _overlap(a, b)]
    assert clashes == []
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=90_000)


def test_choices_show_the_new_language_after_a_switch(app_url: str,
                                                      probe: PageProbe) -> None:
    """Selectboxes and radios keep their choice and show it in the language switched to (no reload)."""
    idle = '[data-testid="stApp"][data-test-script-state="notRunning"]'
    page = probe.page
    page.goto(app_url + "/parcels")
    page.locator(idle).wait_for(timeout=90_000)
    sidebar = page.locator('[data-testid="stSidebar"]')
    # a selectbox shows its choice as the value of its combobox input
    assert "离线底图" in sidebar.locator('[data-testid="stSelectbox"] input').first.input_value()
    page.get_by_text("English").first.click()
    page.get_by_role("heading", name="Parcels").first.wait_for(timeout=60_000)
    page.locator(idle).wait_for(timeout=90_000)
    expect(sidebar.locator('[data-testid="stSelectbox"] input').first).not_to_have_value(re.compile("离线"))
    basemap = sidebar.locator('[data-testid="stSelectbox"] input').first.input_value()
    assert "Offline" in basemap and "离线" not in basemap
    theme = page.locator('[data-testid="stRadio"]').filter(has_text="Land use").first
    assert theme.locator("input:checked").count() == 1  # the map theme is still chosen
    crs = page.locator('[data-testid="stSelectbox"]').filter(has_text="Output CRS").locator("input").first.input_value()
    assert crs == "EPSG:4326 · WGS84 lon/lat"
