"""The app in a real browser: the map draws offline, clicks fill the detail panel,
hostile attribute values stay text, nothing is fetched from outside localhost."""

from __future__ import annotations

import contextlib
import re
import sys
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

import geodata

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from e2e_support import ARTIFACTS, PageProbe, detail_text

pytestmark = pytest.mark.e2e

MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'

_COUNT_PARCELS = """() => {
    var n = 0, drawn = 0;
    window.map.eachLayer(function (l) {
        if (l.feature && l.feature.properties && l.feature.properties.parcel_id !== undefined) {
            n++;
            if (l._parts && l._parts.length) { drawn++; }
        }
    });
    return {features: n, drawn: drawn, canvases: document.querySelectorAll("canvas.leaflet-zoom-animated").length};
}"""

_ZOOM_TO = """(pid) => {
    var target = null;
    window.map.eachLayer(function (l) {
        if (l.feature && l.feature.properties && l.feature.properties.parcel_id === pid) { target = l; }
    });
    if (!target) { return null; }
    window.map.fitBounds(target.getBounds(), {maxZoom: 18, animate: false});
    return true;
}"""

_POINT_OF = """(pid) => {
    var target = null;
    window.map.eachLayer(function (l) {
        if (l.feature && l.feature.properties && l.feature.properties.parcel_id === pid) { target = l; }
    });
    var p = window.map.latLngToContainerPoint(target.getBounds().getCenter());
    return {x: p.x, y: p.y};
}"""

_FIRST_ID = """() => {
    var ids = [];
    window.map.eachLayer(function (l) {
        if (l.feature && l.feature.properties && l.feature.properties.parcel_id !== undefined) {
            ids.push(l.feature.properties.parcel_id);
        }
    });
    ids.sort();
    return ids[0];
}"""


def _wait_idle(probe: PageProbe) -> None:
    """Wait until the Streamlit script is not running."""
    probe.page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=90_000)


def _map_frame(probe: PageProbe):  # type: ignore[no-untyped-def]
    page = probe.page
    _wait_idle(probe)
    page.frame_locator(MAP_IFRAME).locator(".leaflet-container").first.wait_for(timeout=90_000)
    frame = next(f for f in page.frames if "streamlit_folium" in f.url)
    frame.wait_for_function("() => window.map !== undefined && window.map._loaded", timeout=60_000)
    frame.wait_for_function(
        "() => { var n = 0; window.map.eachLayer(function (l) { if (l.feature && l.feature.properties"
        " && l.feature.properties.parcel_id !== undefined) { n++; } }); return n > 0; }",
        timeout=60_000,
    )
    return frame


def _shot(probe: PageProbe, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    probe.page.screenshot(path=str(ARTIFACTS / f"e2e-{name}.png"), full_page=True)


def _click_parcel(probe: PageProbe, frame, pid: str) -> None:  # type: ignore[no-untyped-def]
    """Zoom to a parcel with the map's hook and click the point inside it the hook gives."""
    _wait_idle(probe)
    frame.wait_for_function("() => window.huliMap !== undefined", timeout=60_000)
    assert frame.evaluate("(id) => huliMap.zoomTo(id)", pid), f"parcel {pid} not on the map"
    frame.wait_for_function("(id) => huliMap.pointOf(id) !== null", arg=pid, timeout=30_000)
    point = frame.evaluate("(id) => huliMap.pointOf(id)", pid)
    probe.page.frame_locator(MAP_IFRAME).locator(".leaflet-container").first.click(
        position={"x": point["x"], "y": point["y"]})
    detail_text(frame, pid)


@pytest.mark.parametrize("path", ["/", "/parcels"])
def test_map_draws_the_parcels_with_no_request_outside_localhost(app_url: str, probe: PageProbe, path: str) -> None:
    probe.page.goto(app_url + path)
    frame = _map_frame(probe)
    expected = len(geodata.read_layer("parcels"))  # every embedded parcel, no filter set
    frame.wait_for_function(f"() => ({_COUNT_PARCELS})().drawn === {expected}", timeout=60_000)
    counts = frame.evaluate(_COUNT_PARCELS)
    _shot(probe, f"map{path.replace('/', '-') or '-root'}")
    assert counts["features"] == expected, counts
    assert counts["drawn"] == expected, counts
    assert counts["canvases"] >= 1, "parcels are drawn on a canvas"
    assert any("/app/static/vendor/leaflet/leaflet.js" in u for u in probe.requests)
    assert probe.external_requests() == []
    assert probe.dialogs == []


def test_navigating_between_pages_stays_local(app_url: str, probe: PageProbe) -> None:
    probe.page.goto(app_url + "/")
    _map_frame(probe)
    probe.page.get_by_role("link", name="地块").first.click()
    probe.page.get_by_role("heading", name="地块").first.wait_for(timeout=60_000)
    _map_frame(probe)
    probe.page.wait_for_load_state("networkidle")  # a late request would still be counted
    assert probe.external_requests() == []


def test_clicking_a_parcel_fills_the_detail_panel(app_url: str, probe: PageProbe) -> None:
    probe.page.goto(app_url + "/parcels")
    frame = _map_frame(probe)
    pid = frame.evaluate(_FIRST_ID)
    frame.locator(".huli-detail[data-state='none']").get_by_text("尚未选择地块。").wait_for(timeout=30_000)
    _click_parcel(probe, frame, pid)
    text = detail_text(frame, pid)
    assert pid in frame.locator(".huli-detail-id").inner_text()
    assert "权利人" in text and "土地用途" in text
    _shot(probe, "detail")
    assert probe.external_requests() == []


def test_airport_page_overlays_the_height_grid_offline(app_url: str, probe: PageProbe) -> None:
    page = probe.page
    page.goto(app_url + "/airport")
    _map_frame(probe)
    page.get_by_text("搬迁推迟").first.click()  # the airport still operates: limits and grid shown
    overlay = page.frame_locator(MAP_IFRAME).locator("img.leaflet-image-layer").first
    overlay.wait_for(timeout=60_000)
    _map_frame(probe)
    src = overlay.get_attribute("src") or ""
    assert src.startswith("data:image/png;base64,")
    _shot(probe, "airport")
    assert probe.external_requests() == []
    assert probe.dialogs == []


_OVERLAYS = "() => document.querySelectorAll('img.leaflet-image-layer').length"


def _airport_view(probe: PageProbe, overlays: str) -> tuple[list[str], str, int]:
    """(KPI values, the height-limit caption, number of raster overlays on the map) once the map
    shows the year: its overlay count satisfies ``overlays`` (a JS comparison such as ``">= 1"``)."""
    frame = _map_frame(probe)
    with contextlib.suppress(PlaywrightTimeout):  # the assertions say what the map shows instead
        frame.wait_for_function(f"() => ({_OVERLAYS})() {overlays}", timeout=30_000)
    values = probe.page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    caption = probe.page.locator('[data-testid="stCaptionContainer"]').filter(has_text="净空限高").first.inner_text()
    return values, caption, int(frame.evaluate(_OVERLAYS))


def _year_totals(name: str, year: int) -> dict[str, float]:
    """The scenario's total KPIs of ``year`` on the embedded data, computed without the app."""
    from analysis.pipeline import analyse
    from analysis.scenario import load_scenario, scenario_timeline
    from analysis.scenario_io import load_airport_inputs

    inputs = load_airport_inputs()
    zones = geodata.embedded_zones()
    timeline = scenario_timeline(load_scenario(name), parcels_analysed=analyse(geodata.read_layer("parcels"), zones),
                                 airport=inputs.airport, runway=inputs.runway, params=inputs.params, zones=zones)
    rows = timeline[(timeline["year"] == year) & (timeline["scope"] == "total")]
    return dict(zip(rows["kpi"], rows["value"].astype(float), strict=True))


def _number(text: str) -> float:
    """The first number of a KPI card's text ("12.3 公顷" -> 12.3)."""
    return float(re.search(r"-?[\d,]+(?:\.\d+)?", text).group(0).replace(",", ""))  # type: ignore[union-attr]


def test_switching_the_scenario_changes_the_map_and_kpis(app_url: str, probe: PageProbe) -> None:
    page = probe.page
    page.goto(app_url + "/airport")
    _map_frame(probe)
    scenario_a = page.locator('[data-testid="stRadio"]').filter(has_text="情景 A").first
    scenario_a.locator("label").filter(has_text="搬迁推迟").first.click()  # relocation delayed to 2030
    _wait_idle(probe)
    # year 2027 whatever today's date: Home goes to 2022, then five steps right
    thumb = page.locator('[data-testid="stSlider"] input[type="range"]').first
    thumb.focus()
    page.keyboard.press("Home")
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    page.get_by_text("搬迁推迟 · 2027").first.wait_for(timeout=60_000)
    delayed = _airport_view(probe, ">= 1")
    _shot(probe, "scenario-delayed-2027")

    scenario_a.locator("label").filter(has_text="按计划搬迁").first.click()  # relocated in 2026
    page.get_by_text("按计划搬迁 · 2027").first.wait_for(timeout=60_000)
    on_schedule = _airport_view(probe, "=== 0")
    _shot(probe, "scenario-on-schedule-2027")

    assert "生效" in delayed[1] and "解除" in on_schedule[1]
    assert delayed[2] >= 1, "the height-limit raster is drawn while the airport operates"
    assert on_schedule[2] == 0, "no height-limit raster once the limits are lifted"
    for name, shown in (("delayed", delayed[0]), ("on_schedule", on_schedule[0])):
        expected = _year_totals(name, 2027)
        assert _number(shown[0]) == round(expected["released_airport_land_ha"], 1), (name, shown)
        assert _number(shown[2]) == round(expected["test_road_km"], 1), (name, shown)
        assert _number(shown[3]) == round(expected["projects_in_demonstration"]), (name, shown)
    assert probe.external_requests() == []
    assert probe.dialogs == []


def _slider_and_heading(probe: PageProbe) -> tuple[int, int]:
    """(the year the slider shows, the year of the heading over the figures)."""
    page = probe.page
    shown = int(page.locator('[data-testid="stSlider"] [data-testid="stSliderThumbValue"]').first.inner_text())
    heading = page.locator("h3").filter(has_text="·").first.inner_text()
    return shown, int(re.search(r"(\d{4})\s*$", heading).group(1))  # type: ignore[union-attr]


def test_the_year_slider_and_the_figures_agree_through_a_language_switch_and_a_page_change(
        app_url: str, probe: PageProbe) -> None:
    page = probe.page
    page.goto(app_url + "/airport")
    _map_frame(probe)
    thumb = page.locator('[data-testid="stSlider"] input[type="range"]').first
    thumb.focus()
    page.keyboard.press("Home")
    for _ in range(7):  # 2022 + 7 = 2029
        page.keyboard.press("ArrowRight")
    page.get_by_text("· 2029").first.wait_for(timeout=60_000)
    _wait_idle(probe)
    assert _slider_and_heading(probe) == (2029, 2029)
    page.locator('[data-testid="stSidebar"]').get_by_text("English").click()
    page.get_by_role("heading", name="Airport scenarios").first.wait_for(timeout=60_000)
    _wait_idle(probe)
    assert _slider_and_heading(probe) == (2029, 2029)
    page.get_by_role("link", name="Parcels").first.click()
    page.get_by_role("heading", name="Parcels").first.wait_for(timeout=60_000)
    _wait_idle(probe)
    page.get_by_role("link", name="Airport scenarios").first.click()
    page.get_by_text("· 2029").first.wait_for(timeout=60_000)
    _wait_idle(probe)
    assert _slider_and_heading(probe) == (2029, 2029)
    page.locator('[data-testid="stSidebar"]').get_by_text("中文").click()
    page.get_by_role("heading", name="机场搬迁情景").first.wait_for(timeout=60_000)
    _wait_idle(probe)
    assert _slider_and_heading(probe) == (2029, 2029)


def test_an_online_basemap_that_cannot_load_says_so_and_shows_the_offline_one(app_url: str,
                                                                              probe: PageProbe) -> None:
    """The test machine has no internet: OpenStreetMap's tiles fail."""
    page = probe.page
    page.goto(app_url + "/")
    _map_frame(probe)
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name="OpenStreetMap").click()
    _wait_idle(probe)
    shown = MAP_IFRAME + ":visible"  # the map drawn for the new basemap (the old frame may linger, hidden)
    notice = page.frame_locator(shown).locator(".huli-basemap-notice").first
    notice.wait_for(timeout=60_000)
    text = notice.inner_text()
    assert "无法加载在线底图" in text and "cannot be loaded" in text
    frame = page.locator(shown).first.element_handle().content_frame()
    assert frame.evaluate("() => { var n = 0; window.map.eachLayer(function (l) {"
                          " if (l instanceof L.TileLayer) { n++; } }); return n; }") == 0
    _shot(probe, "basemap-fallback")
