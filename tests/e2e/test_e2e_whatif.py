"""The What-if page in a real browser, as an editor: three parcels painted with real clicks (shift
adds), a development type applied, the KPI tiles moving and coming back on undo, the what-if saved
under a name and compared with the two built-in scenarios."""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from e2e_support import ARTIFACTS, PageProbe, map_frame_where, running_app, server_cookie

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from test_e2e_app import MAP_IFRAME, _wait_idle

pytestmark = pytest.mark.e2e

EDITOR, EDITOR_PW = "chen", "what-if pass 1"
SAVED = "研发办公试点"
_TILES = "[data-testid='stMetric']"
_EDITOR_HOOKED = ("() => window.huliMap !== undefined && huliMap.count() > 0"
                  " && document.querySelector('.huli-draw') !== null")


@pytest.fixture(scope="module")
def whatif_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server of its own whose store has an editor."""
    workspace = tmp_path_factory.mktemp("whatif_workspace")
    before = os.environ.get("HULI_WORKSPACE")
    os.environ["HULI_WORKSPACE"] = str(workspace)
    try:
        from office import accounts
        from office.opening import forget_stores, open_store

        accounts.add_user(open_store(), EDITOR, "editor", EDITOR_PW, by="(test)")
        forget_stores()
    finally:
        if before is None:
            os.environ.pop("HULI_WORKSPACE", None)
        else:
            os.environ["HULI_WORKSPACE"] = before
    with running_app(workspace, ARTIFACTS / "e2e-whatif-streamlit.log") as url:
        yield url


def _tiles(probe: PageProbe) -> list[str]:
    """The KPI tiles' text (label, value and change), in order."""
    return [str(t) for t in probe.page.locator(_TILES).all_inner_texts()]


def _tiles_become(probe: PageProbe, *, unlike: list[str] | None = None, like: list[str] | None = None,
                  timeout_s: float = 30.0) -> list[str]:
    """The tiles once they differ from ``unlike`` (or equal ``like``) with the script idle."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        _wait_idle(probe)
        now = _tiles(probe)
        if len(now) == 6 and ((unlike is not None and now != unlike) or (like is not None and now == like)):
            return now
        probe.page.wait_for_timeout(200)
    return _tiles(probe)


def _value(tile: str) -> str:
    """A floor-area tile's value (``813.3 万m²``), not its change against the base."""
    found = re.search(r"[0-9][0-9,.]* 万m²", tile)
    assert found is not None, tile
    return found.group(0)


def _compared(probe: PageProbe, column: str, *, timeout_s: float = 30.0) -> str:
    """The comparison table's floor area of ``column``, once it stopped changing."""
    script = """(column) => {
        var table = Array.from(document.querySelectorAll("[data-testid='stTable'] table")).pop();
        if (!table) { return null; }
        var heads = Array.from(table.querySelectorAll("thead th")).map(function (h) { return h.textContent.trim(); });
        var row = Array.from(table.querySelectorAll("tbody tr")).find(function (r) {
            return r.textContent.indexOf("建筑面积") >= 0; });
        var at = heads.indexOf(column);
        if (!row || at < 0) { return null; }
        return row.querySelectorAll("th, td")[at].textContent.trim();
    }"""
    deadline, last = time.monotonic() + timeout_s, None
    while time.monotonic() < deadline:
        _wait_idle(probe)
        now = probe.page.evaluate(script, column)
        if now is not None and now == last:
            return str(now)
        last = now
        probe.page.wait_for_timeout(500)
    return str(last)


def _log_in(probe: PageProbe, url: str) -> None:
    page = probe.page
    page.goto(url + "/")
    _wait_idle(probe)
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_label("用户名").fill(EDITOR)
    sidebar.get_by_label("密码").fill(EDITOR_PW)
    sidebar.get_by_role("button", name="登录").click()
    page.get_by_text(f"已登录：{EDITOR}（编辑者）").wait_for(timeout=30_000)
    _wait_idle(probe)
    server_cookie(page, "huli_login")  # kept on reload


def _editor_frame(probe: PageProbe, timeout_s: float = 90.0):  # type: ignore[no-untyped-def]
    """The editor's map frame (the one with the drawing tool; the comparison's small maps have none),
    once its layer is hooked."""
    return map_frame_where(probe.page, _EDITOR_HOOKED, timeout_s=timeout_s, what="editor map")


def _click_parcel(probe: PageProbe, frame, pid: str, *, shift: bool) -> None:  # type: ignore[no-untyped-def]
    page = probe.page
    assert frame.evaluate("(id) => huliMap.zoomTo(id)", pid) is True
    frame.wait_for_function("(id) => huliMap.pointOf(id) !== null", arg=pid, timeout=30_000)
    point = frame.evaluate("(id) => huliMap.pointOf(id)", pid)
    box = page.locator(MAP_IFRAME).first.bounding_box()
    assert box is not None
    if shift:
        page.keyboard.down("Shift")
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    if shift:
        page.keyboard.up("Shift")


def test_paint_three_parcels_undo_save_and_compare_three(whatif_url: str, probe: PageProbe) -> None:
    from analysis.whatif.types import load_development_types

    rd_office = load_development_types()["rd_office"].name_zh
    page = probe.page
    _log_in(probe, whatif_url)
    page.goto(whatif_url + "/whatif")
    page.get_by_role("heading", name="情景编辑").first.wait_for(timeout=60_000)
    frame = _editor_frame(probe)
    pids = frame.evaluate("() => huliMap.sample(40)")[5:8]
    for i, pid in enumerate(pids):
        _click_parcel(probe, frame, pid, shift=i > 0)
    frame.wait_for_function(f"() => huliMap.selection().length === {len(pids)}", timeout=10_000)
    assert frame.evaluate("() => huliMap.selection()") == pids
    page.get_by_text("已选 3 宗地块").wait_for(timeout=30_000)  # the selection reached the page
    before = _tiles_become(probe, like=None, unlike=[])
    assert len(before) == 6 and any("建筑面积" in t for t in before)

    page.locator(".st-key-whatif-type-zh").get_by_role("combobox").click()
    page.get_by_role("option", name=rd_office, exact=True).click()
    _wait_idle(probe)
    page.get_by_role("button", name="应用").click()
    painted = _tiles_become(probe, unlike=before)
    assert painted != before, "the KPI tiles moved"
    floor_before = next(t for t in before if "建筑面积" in t)
    floor_after = next(t for t in painted if "建筑面积" in t)
    assert floor_before != floor_after and "万m²" in floor_after
    page.get_by_text("已应用 1 项修改").wait_for(timeout=30_000)
    # the detail panel fetches the parcel shown again: its FAR is the type's now
    far = load_development_types()["rd_office"].far
    frame = _editor_frame(probe)
    frame.wait_for_function("""([pid, far]) => {
        var d = document.querySelector(".huli-detail");
        if (!d || d.getAttribute("data-state") !== "shown" || d.getAttribute("data-parcel") !== pid) { return false; }
        return Array.from(d.querySelectorAll("tr")).some(function (tr) {
            var c = tr.querySelectorAll("td");
            return c.length === 2 && c[0].textContent === "容积率" && parseFloat(c[1].textContent) === far;
        });
    }""", arg=[pids[-1], far], timeout=30_000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "e2e-whatif-painted.png"), full_page=True)
    # the comparison below (the current what-if is one of its columns) follows the edit too
    assert _compared(probe, "当前编辑（未保存）") == _value(floor_after)

    page.get_by_role("button", name="撤销").click()
    assert _tiles_become(probe, like=before) == before, "undo brings the KPIs back"
    page.get_by_role("button", name="重做").click()
    assert _tiles_become(probe, like=painted) == painted, "redo applies the edit again"

    page.get_by_label("情景名称").fill(SAVED)
    page.get_by_role("button", name="保存", exact=True).click()
    page.get_by_text(f"已保存“{SAVED}”第 1 版").wait_for(timeout=30_000)
    _wait_idle(probe)

    picker = page.locator(".st-key-whatif-compare-zh")
    picker.get_by_role("button", name="Remove 当前编辑（未保存）").last.click()
    _wait_idle(probe)
    # the picker holds three at most: its list offers the saved one only once the chip is gone
    picker.get_by_role("button", name="Remove 当前编辑（未保存）").wait_for(state="detached", timeout=30_000)
    picker.get_by_role("combobox").click()
    picker.get_by_role("combobox").press_sequentially(SAVED)  # filtered: a long list renders only its top
    page.get_by_role("option", name=f"已保存：{SAVED}").click()
    page.keyboard.press("Escape")
    _wait_idle(probe)
    table = page.locator("[data-testid='stTable']").last
    page.wait_for_function("""(name) => Array.from(document.querySelectorAll("[data-testid='stTable'] thead th"))
        .some(function (th) { return th.textContent.trim() === name; })""", arg=f"已保存：{SAVED}", timeout=60_000)
    _wait_idle(probe)
    heads = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    for name in ("按计划搬迁", "搬迁推迟", f"已保存：{SAVED}"):
        assert name in heads, heads
    row = [c.strip() for c in table.locator("tbody tr").filter(has_text="建筑面积").first
           .locator("th, td").all_inner_texts()]
    cells = dict(zip(heads, row, strict=False))
    # the saved file, read back, gives what the tiles showed painted; its base (on schedule) what they showed before
    assert cells[f"已保存：{SAVED}"] == _value(floor_after)
    assert cells["按计划搬迁"] == _value(floor_before)
    page.screenshot(path=str(ARTIFACTS / "e2e-whatif-compare.png"), full_page=True)
    assert probe.external_requests() == []


def test_a_rectangle_drawn_selects_the_parcels_whose_representative_point_lies_inside(
        whatif_url: str, probe: PageProbe) -> None:
    import numpy as np
    import shapely

    import geodata

    page = probe.page
    _log_in(probe, whatif_url)
    page.goto(whatif_url + "/whatif")
    frame = _editor_frame(probe)
    pid = frame.evaluate("() => huliMap.sample(40)[20]")
    assert frame.evaluate("(id) => huliMap.zoomTo(id)", pid) is True
    frame.evaluate("() => { window.map.setZoom(window.map.getZoom() - 1, {animate: false}); }")
    size = frame.evaluate("() => { var s = window.map.getSize(); return [s.x, s.y]; }")
    start, end = [size[0] * 0.30, size[1] * 0.35], [size[0] * 0.55, size[1] * 0.65]
    corners = frame.evaluate("""([a, b]) => [a, b].map(function (p) {
        var ll = window.map.containerPointToLatLng(p); return [ll.lng, ll.lat]; })""", [start, end])
    frame.locator(".huli-draw-rectangle").click()
    box = page.locator(MAP_IFRAME).first.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + start[0], box["y"] + start[1])
    page.mouse.down()
    page.mouse.move(box["x"] + end[0], box["y"] + end[1], steps=8)
    page.mouse.up()
    # by hand: the parcels whose representative point lies in the rectangle drawn
    parcels = geodata.read_layer("parcels")
    (x0, y0), (x1, y1) = corners
    rect = shapely.box(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
    points = shapely.point_on_surface(np.asarray(parcels.geometry.values, dtype=object))
    expected = sorted(parcels.loc[shapely.covers(rect, points), "parcel_id"].astype(str))
    assert expected, "the rectangle covers parcels"
    page.get_by_text(f"已选 {len(expected)} 宗地块（绘制范围内）").wait_for(timeout=30_000)
    frame = _editor_frame(probe)
    frame.wait_for_function(f"() => huliMap.selection().length === {len(expected)}", timeout=30_000)
    assert sorted(frame.evaluate("() => huliMap.selection()")) == expected  # the page's choice, drawn
    assert probe.external_requests() == []


def test_a_polygon_drawn_closes_on_a_double_click_and_selects_by_representative_point(
        whatif_url: str, probe: PageProbe) -> None:
    import numpy as np
    import shapely

    import geodata

    page = probe.page
    _log_in(probe, whatif_url)
    page.goto(whatif_url + "/whatif")
    frame = _editor_frame(probe)
    pid = frame.evaluate("() => huliMap.sample(40)[30]")
    assert frame.evaluate("(id) => huliMap.zoomTo(id)", pid) is True
    frame.evaluate("() => { window.map.setZoom(window.map.getZoom() - 1, {animate: false}); }")
    w, h = frame.evaluate("() => { var s = window.map.getSize(); return [s.x, s.y]; }")
    vertices = [[w * 0.30, h * 0.30], [w * 0.60, h * 0.35], [w * 0.55, h * 0.70], [w * 0.28, h * 0.62]]
    ring = frame.evaluate("""(pts) => pts.map(function (p) {
        var ll = window.map.containerPointToLatLng(p); return [ll.lng, ll.lat]; })""", vertices)
    frame.locator(".huli-draw-polygon").click()
    box = page.locator(MAP_IFRAME).first.bounding_box()
    assert box is not None
    for x, y in vertices[:3]:
        page.mouse.click(box["x"] + x, box["y"] + y)
    page.mouse.dblclick(box["x"] + vertices[3][0], box["y"] + vertices[3][1])  # the last vertex, and close
    parcels = geodata.read_layer("parcels")
    polygon = shapely.Polygon(ring)
    points = shapely.point_on_surface(np.asarray(parcels.geometry.values, dtype=object))
    expected = sorted(parcels.loc[shapely.covers(polygon, points), "parcel_id"].astype(str))
    assert expected, "the polygon covers parcels"
    page.get_by_text(f"已选 {len(expected)} 宗地块（绘制范围内）").wait_for(timeout=30_000)
    frame = _editor_frame(probe)
    frame.wait_for_function(f"() => huliMap.selection().length === {len(expected)}", timeout=30_000)
    assert sorted(frame.evaluate("() => huliMap.selection()")) == expected
