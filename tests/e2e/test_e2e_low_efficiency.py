"""In a real browser: a click on a low-efficiency parcel shows its basis with the figures behind it,
the Efficiency page draws the 提容增效 targets on its chart."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

import geodata
from analysis.control_standard import DEFAULT_STANDARD_PATH

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from e2e_support import PageProbe, detail_text

pytestmark = pytest.mark.e2e

MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'


def _wait_idle(probe: PageProbe) -> None:
    probe.page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=90_000)


def _below_standard_c39() -> tuple[str, str]:
    """A division-39 parcel whose output per mu is below the table's minimum, and the sentence expected for it,
    from the raw layer (area measured here in EPSG:4548) and the YAML table."""
    raw = geodata.read_layer("parcels")
    minimum = yaml.safe_load(DEFAULT_STANDARD_PATH.read_text(encoding="utf-8"))["divisions"]["39"]["output_per_mu_min"]
    mu = raw.to_crs("EPSG:4548").area / (10000 / 15)
    per_mu = raw["output_value"] / mu
    hit = raw[(raw["land_use"] == "industrial") & (raw["industry_code"] == "39") & (per_mu >= 100)
              & (per_mu < minimum["value"])].index[0]
    sentence = f"产值 {per_mu[hit]:,.0f} 万元/亩，低于标准 {minimum['value']:,.0f} 万元/亩（C39，2020版）"
    return str(raw.loc[hit, "parcel_id"]), sentence


def test_the_detail_panel_names_the_basis_and_its_figures(app_url: str, probe: PageProbe) -> None:
    pid, sentence = _below_standard_c39()
    probe.page.goto(app_url + "/parcels")
    _wait_idle(probe)
    probe.page.frame_locator(MAP_IFRAME).locator(".leaflet-container").first.wait_for(timeout=90_000)
    frame = next(f for f in probe.page.frames if "streamlit_folium" in f.url)
    frame.wait_for_function("() => window.huliMap !== undefined && huliMap.count() > 0", timeout=60_000)
    assert frame.evaluate("(id) => huliMap.zoomTo(id)", pid), f"parcel {pid} not on the map"
    frame.wait_for_function("(id) => huliMap.pointOf(id) !== null", arg=pid, timeout=30_000)
    point = frame.evaluate("(id) => huliMap.pointOf(id)", pid)
    probe.page.frame_locator(MAP_IFRAME).locator(".leaflet-container").first.click(
        position={"x": point["x"], "y": point["y"]})
    text = detail_text(frame, pid)
    assert "低效认定依据" in text
    assert sentence in text
    assert probe.external_requests() == []


def test_the_efficiency_page_draws_the_targets(app_url: str, probe: PageProbe) -> None:
    probe.page.goto(app_url + "/efficiency")
    _wait_idle(probe)
    probe.page.get_by_role("heading", name="亩均产值与亩均税收").first.wait_for(timeout=60_000)
    probe.page.get_by_text("提容增效目标 亩均产值 1,000 万元").first.wait_for(timeout=60_000)
    probe.page.get_by_text("提容增效目标 亩均税收 45 万元").first.wait_for(timeout=60_000)
    assert probe.external_requests() == []
