"""The Parcels map's view in a real browser (``ui.map_view_js``): fitted to the layer on a fresh
visit, re-fitted to what a filter keeps unless the person has dragged the map (then a "zoom to
selection" button), fitted to a search's hits always, kept through a basemap switch."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from e2e_support import PageProbe, detail_text, wait_settled

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from test_e2e_app import MAP_IFRAME, _map_frame, _wait_idle
from test_e2e_map_hook import _frame_where

import geodata
from ui.i18n import category_label, t

pytestmark = pytest.mark.e2e

_HOOKED = "() => window.huliMap !== undefined && window.huliMap.count() > 0"
_VIEW = "() => huliMap.view()"
_BUTTON = ".huli-zoom-selection a"
_SMALL_ZONE = "incubation"  # the zone of the smallest extent in the embedded data (about 5 % of the layer's)


def _inside(inner: list[float], outer: list[float]) -> bool:
    return outer[0] <= inner[0] and outer[1] <= inner[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


def _area(box: list[float]) -> float:
    return (box[2] - box[0]) * (box[3] - box[1])


def _same(a: list[float], b: list[float], *, of: list[float]) -> bool:
    """``a`` and ``b`` the same view, within 1 % of the width and height of ``of``."""
    tol_x, tol_y = 0.01 * (of[2] - of[0]), 0.01 * (of[3] - of[1])
    return all(abs(p - q) <= (tol_x if i % 2 == 0 else tol_y) for i, (p, q) in enumerate(zip(a, b, strict=True)))


def _open(probe: PageProbe, app_url: str):  # type: ignore[no-untyped-def]
    """The Parcels page; its map frame once the layer is on it and the view stopped moving."""
    probe.page.goto(app_url + "/parcels")
    frame = _map_frame(probe)
    frame.wait_for_function(_HOOKED, timeout=60_000)
    wait_settled(frame, _VIEW)
    return frame


def _drag(probe: PageProbe, frame, dx: float = 140.0, dy: float = 90.0) -> list[float]:  # type: ignore[no-untyped-def]
    """Drag the map with the mouse from the middle of its left half, held still before the release
    (no inertia: the map stops where the mouse let go); the view then."""
    box = probe.page.locator(MAP_IFRAME).first.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.5
    mouse = probe.page.mouse
    mouse.move(x, y)
    mouse.down()
    mouse.move(x + dx, y + dy, steps=12)
    # Leaflet throws the map on from the mouse's last 50 ms of movement: release after a still moment
    frame.wait_for_function("() => Date.now() - window.map.dragging._lastTime > 100", timeout=5_000)
    mouse.up()
    return wait_settled(frame, _VIEW)  # type: ignore[return-value]


def _other_frame(page, old, script: str, timeout_s: float = 60.0):  # type: ignore[no-untyped-def]
    """A map frame other than ``old`` once ``script`` is true in it."""
    import contextlib
    import time

    from playwright.sync_api import Error as PlaywrightError

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for frame in page.frames:
            if frame is old or "streamlit_folium" not in frame.url or frame.is_detached():
                continue
            try:
                frame.wait_for_function(script, timeout=1_000)
            except PlaywrightError:
                continue  # detached while waiting, or not yet true
            return frame
        with contextlib.suppress(PlaywrightError):
            page.wait_for_event("frameattached", timeout=1_000)
    raise AssertionError(f"no new map frame where {script} within {timeout_s:.0f} s")


def _pick_zone(probe: PageProbe, zone: str) -> None:
    page = probe.page
    page.get_by_test_id("stMultiSelect").nth(0).click()  # the zone filter, first in the sidebar
    page.get_by_role("option", name=category_label("zone_id", zone, "zh")).click()
    page.keyboard.press("Escape")
    _wait_idle(probe)


def _search(probe: PageProbe, text: str) -> None:
    box = probe.page.locator('[data-testid="stSidebar"]').get_by_label(t("filter.search", "zh"))
    box.fill(text)
    box.press("Enter")
    _wait_idle(probe)


def test_a_fresh_visit_opens_fitted_to_the_whole_layer(app_url: str, probe: PageProbe) -> None:
    frame = _open(probe, app_url)
    assert frame.evaluate("() => huliMap.count()") == len(geodata.read_layer("parcels"))
    view, extent = frame.evaluate(_VIEW), frame.evaluate("() => huliMap.extent()")
    assert _inside(extent, view)
    assert _area(view) < 4 * _area(extent)  # the layer's view, not a far wider one
    assert frame.locator(_BUTTON).count() == 0  # nothing moved by hand: no "zoom to selection"


def test_a_filter_refits_the_view_to_what_it_keeps(app_url: str, probe: PageProbe) -> None:
    frame = _open(probe, app_url)
    whole, total = frame.evaluate(_VIEW), frame.evaluate("() => huliMap.count()")
    _pick_zone(probe, _SMALL_ZONE)
    frame = _frame_where(probe.page, f"() => window.huliMap && huliMap.count() < {total}")
    view = wait_settled(frame, _VIEW)
    extent = frame.evaluate("() => huliMap.extent()")
    assert _inside(extent, view)  # the parcels kept are in view ...
    assert _area(view) < 0.25 * _area(whole)  # ... and the map zoomed in on them


def test_after_a_drag_a_filter_leaves_the_view_and_the_button_fits_to_the_set(app_url: str, probe: PageProbe) -> None:
    frame = _open(probe, app_url)
    whole, total = frame.evaluate(_VIEW), frame.evaluate("() => huliMap.count()")
    dragged = _drag(probe, frame)
    assert not _same(dragged, whole, of=whole), "the drag moved the map"
    frame.locator(_BUTTON).wait_for(timeout=10_000)  # the person moved the map: the button offers the fit
    _pick_zone(probe, _SMALL_ZONE)
    frame = _frame_where(probe.page, f"() => window.huliMap && huliMap.count() < {total}")
    assert _same(frame.evaluate(_VIEW), dragged, of=whole), "a filter does not move a map the person moved"
    button = frame.locator(_BUTTON)
    assert button.inner_text() == t("map.zoom_selection", "zh")
    button.click()
    frame.wait_for_function("() => { var v = huliMap.view(), e = huliMap.extent(); return v[0] <= e[0]"
                            " && v[1] <= e[1] && e[2] <= v[2] && e[3] <= v[3]; }", timeout=10_000)
    assert _area(wait_settled(frame, _VIEW)) < 0.25 * _area(whole)
    frame.locator(_BUTTON).wait_for(state="detached", timeout=10_000)  # fitted: no button


def test_a_basemap_switch_keeps_the_view(app_url: str, probe: PageProbe) -> None:
    page = probe.page
    frame = _open(probe, app_url)
    whole = frame.evaluate(_VIEW)
    dragged = _drag(probe, frame)
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()  # the basemap
    page.get_by_role("option", name=t("basemap.osm", "zh")).click()
    _wait_idle(probe)
    new = _other_frame(page, frame, _HOOKED)  # the new basemap draws a new map, in a new frame
    after = wait_settled(new, _VIEW)
    assert _same(after, dragged, of=whole), (after, dragged)  # offline, the tiles fail: the view stays all the same
    new.locator(_BUTTON).wait_for(timeout=10_000)  # still the person's view, not the fit


def test_a_search_fits_to_the_parcel_found_even_after_a_drag(app_url: str, probe: PageProbe) -> None:
    frame = _open(probe, app_url)
    whole = frame.evaluate(_VIEW)
    pid = frame.evaluate("() => huliMap.sample(50)[41]")
    _drag(probe, frame)
    _search(probe, pid)
    frame = _frame_where(probe.page, "() => window.huliMap && huliMap.count() === 1")
    view, extent = wait_settled(frame, _VIEW), frame.evaluate("() => huliMap.extent()")
    assert frame.evaluate("() => huliMap.sample(1)[0]") == pid
    assert _inside(extent, view)  # the parcel found is in view ...
    assert (view[2] - view[0]) < 0.2 * (whole[2] - whole[0])  # ... zoomed in on it
    assert frame.locator(_BUTTON).count() == 0


def test_a_reload_opens_fitted_again(app_url: str, probe: PageProbe) -> None:
    """A reload is a new session: the map opens on the layer, not on the view dragged before."""
    page = probe.page
    frame = _open(probe, app_url)
    whole = frame.evaluate(_VIEW)
    dragged = _drag(probe, frame)
    assert not _same(dragged, whole, of=whole)
    page.reload()
    frame = _map_frame(probe)
    frame.wait_for_function(_HOOKED, timeout=60_000)
    assert _same(wait_settled(frame, _VIEW), whole, of=whole)


def test_the_selected_parcel_stays_selected_through_a_basemap_switch(app_url: str, probe: PageProbe) -> None:
    page = probe.page
    frame = _open(probe, app_url)
    pid = frame.evaluate("() => huliMap.sample(50)[17]")
    assert frame.evaluate("(id) => huliMap.zoomTo(id)", pid) is True
    frame.wait_for_function("(id) => huliMap.pointOf(id) !== null", arg=pid, timeout=30_000)
    point = frame.evaluate("(id) => huliMap.pointOf(id)", pid)
    box = page.locator(MAP_IFRAME).first.bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    detail_text(frame, pid)
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()  # the basemap
    page.get_by_role("option", name=t("basemap.osm", "zh")).click()
    _wait_idle(probe)
    new = _other_frame(page, frame, _HOOKED)
    assert new.evaluate("() => huliMap.selected()") == pid  # still selected on the new map
    assert pid in detail_text(new, pid)  # and its details shown
    outlined = new.evaluate("""(id) => { var w = null; window.map.eachLayer(function (l) {
        if (l.feature && l.feature.properties && l.feature.properties.parcel_id === id) { w = l.options.weight; } });
        return w; }""", pid)
    assert outlined == 4  # the selection's outline
