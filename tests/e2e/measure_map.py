"""Measure the map: payload bytes per parcel, time to first map, filter and click latency.

Usage::

    .venv/bin/python tests/e2e/measure_map.py [--no-browser]
    .venv/bin/python tests/e2e/measure_map.py --large [--no-browser]   # a 100,000-parcel layer

Prints figures (no thresholds are enforced).  The browser part starts the app on a
free localhost port with a temporary workspace and drives Debian's Chromium headless.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "e2e")]


def payload_figures() -> None:
    import streamlit_folium

    import geodata
    from ui import mapview

    frame = geodata.read_layer("parcels")
    n = len(frame)
    group, _ = mapview.parcel_group(frame, theme="land_use")
    layer = next(c for c in group._children.values() if isinstance(c, mapview.ParcelLayer))
    data_bytes = len(layer.payload.encode("utf-8"))
    fmap = mapview.build_base_map(zones=geodata.embedded_zones(), district=geodata.read_layer("district"),
                                  context=geodata.read_layer("context"))
    captured: dict[str, object] = {}

    def fake(**kwargs: object) -> dict[str, object]:
        captured.update(kwargs)
        return {}

    streamlit_folium._component_func = fake  # capture what st_folium would send to the browser
    streamlit_folium.st_folium(fmap, key="m", feature_group_to_add=group, returned_objects=[])
    base_bytes = len(str(captured["script"]).encode("utf-8")) + len(str(captured["header"]).encode("utf-8"))
    group_bytes = len(str(captured["feature_group"]).encode("utf-8"))
    print(f"parcels: {n}")
    print(f"parcel data (compact payload): {data_bytes:,} B = {data_bytes / n:.0f} B per parcel")
    print(f"parcel layer script sent to the browser: {group_bytes:,} B = {group_bytes / n:.0f} B per parcel")
    print(f"base map (district, context, zones, Leaflet setup): {base_bytes:,} B, sent once")
    from geodata.generate import generate_parcels
    from ui.overview_grid import LodParcelLayer

    for size in (10_000, 50_000):
        big = generate_parcels(size, seed=7)
        t0 = time.perf_counter()
        group, _ = mapview.parcel_group(big, theme="land_use")
        layer = next(c for c in group._children.values() if isinstance(c, (mapview.ParcelLayer, LodParcelLayer)))
        payload = layer.payload if isinstance(layer.payload, str) else json.dumps(layer.payload)
        nbytes = len(payload.encode("utf-8"))
        kind = "grid + parcels in view" if isinstance(layer, LodParcelLayer) else "all parcels"
        print(f"generated {size:,} parcels ({kind}): {nbytes / size:.0f} B per parcel, layer built in "
              f"{time.perf_counter() - t0:.2f} s")


def browser_figures() -> None:
    from e2e_support import CHROMIUM, CHROMIUM_ARGS, PARCEL_DRAWN, detail_text, running_app
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        print("Chromium missing: apt-get install -y chromium fonts-noto-cjk")
        return
    with tempfile.TemporaryDirectory() as ws, running_app(Path(ws), Path(ws) / "streamlit.log") as url:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            for label, path in (("cold (first visit, analysis not cached)", "/parcels"),
                                ("warm (cached analysis)", "/parcels")):
                page = browser.new_page(viewport={"width": 1500, "height": 1100})
                t0 = time.perf_counter()
                page.goto(url + path)  # returns at the page's load event
                loaded = time.perf_counter()
                count = _wait_parcels(page, lambda n: n > 100)
                done = time.perf_counter()
                print(f"time to first map, {label}: {done - t0:.2f} s from navigation, {done - loaded:.2f} s from "
                      f"the page's load event ({count} parcels drawn)")
                page.close()
            page = browser.new_page(viewport={"width": 1500, "height": 1100})
            page.goto(url + "/parcels")
            total = _wait_parcels(page, lambda n: n > 100)
            _idle(page)
            page.get_by_test_id("stMultiSelect").nth(1).click()
            t0 = time.perf_counter()
            page.get_by_role("option", name="工业用地").click()
            filtered = _wait_parcels(page, lambda n: 0 < n < total)
            print(f"filter change (land use = industrial): map updated in {time.perf_counter() - t0:.2f} s "
                  f"({total} -> {filtered} parcels)")
            page.keyboard.press("Escape")
            _idle(page)
            frame = next(f for f in page.frames if "streamlit_folium" in f.url)
            ids = frame.evaluate("() => { var ids = []; window.map.eachLayer(function (l) { if (l.feature &&"
                                 " l.feature.properties && l.feature.properties.parcel_id) {"
                                 " ids.push(l.feature.properties.parcel_id); } }); ids.sort(); return ids; }")
            for pid in ids[:3]:
                _idle(page)
                frame.evaluate("(pid) => { window.map.eachLayer(function (l) { if (l.feature &&"
                               " l.feature.properties && l.feature.properties.parcel_id === pid) {"
                               " window.map.fitBounds(l.getBounds(), {maxZoom: 18, animate: false}); } }); }", pid)
                frame.wait_for_function(PARCEL_DRAWN, arg=pid, timeout=30_000)
                point = frame.evaluate("(pid) => { var p = null; window.map.eachLayer(function (l) { if (l.feature"
                                       " && l.feature.properties && l.feature.properties.parcel_id === pid) {"
                                       " p = window.map.latLngToContainerPoint(l.getBounds().getCenter()); } });"
                                       " return {x: p.x, y: p.y}; }", pid)
                t0 = time.perf_counter()
                page.frame_locator('iframe[title="streamlit_folium.st_folium"]').locator(
                    ".leaflet-container").first.click(position=point)
                detail_text(frame, pid)
                print(f"click on parcel {pid}: detail panel filled in {time.perf_counter() - t0:.2f} s")
            browser.close()


def _idle(page: object) -> None:
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=90_000)  # type: ignore[attr-defined]


def _wait_parcels(page: object, ok: object, timeout: float = 90.0) -> int:
    from playwright.sync_api import Error as PlaywrightError

    last = ""
    deadline = time.perf_counter() + timeout
    js = ("() => { if (!window.map) { return -1; } var n = 0; window.map.eachLayer(function (l) {"
          " if (l.feature && l.feature.properties && l.feature.properties.parcel_id !== undefined"
          " && l._parts && l._parts.length) { n++; } }); return n; }")
    while time.perf_counter() < deadline:
        for frame in page.frames:  # type: ignore[attr-defined]
            if "streamlit_folium" in frame.url:
                try:
                    n = int(frame.evaluate(js))
                except PlaywrightError as err:
                    last = str(err)  # the frame may be navigating; poll again
                    continue
                if n >= 0 and ok(n):  # type: ignore[operator]
                    return n
        page.wait_for_timeout(20)  # type: ignore[attr-defined]  # lets Playwright process events
    raise TimeoutError(f"the map did not reach the expected parcel count ({last})")


_REDRAW = """async ([lat, lon, z]) => {
    var s = window.__huliParcelView, before = s.redraws, t0 = performance.now();
    window.map.setView([lat, lon], z, {animate: false});
    while (s.redraws === before) { await new Promise(function (r) { setTimeout(r, 1); }); }
    var t1 = performance.now();
    await new Promise(function (r) { requestAnimationFrame(function () { requestAnimationFrame(r); }); });
    return {js_ms: t1 - t0, painted_ms: performance.now() - t0, mode: s.mode, in_view: s.inView, drawn: s.drawn};
}"""


def large_payload_figures(n: int = 100_000) -> None:
    """Bytes the map sends for a large generated layer (grid + parcels-in-view path)."""
    import streamlit_folium

    from geodata.generate import generate_parcels
    from ui import mapview, overview_grid

    frame = generate_parcels(n, seed=11)
    t0 = time.perf_counter()
    group, _ = mapview.parcel_group(frame, theme="land_use")
    built = time.perf_counter() - t0
    layer = next(c for c in group._children.values() if isinstance(c, overview_grid.LodParcelLayer))
    parcels_b, grid_b = len(layer.payload.encode("utf-8")), len(layer.grid.encode("utf-8"))
    captured: dict[str, object] = {}

    def fake(**kwargs: object) -> dict[str, object]:
        captured.update(kwargs)
        return {}

    streamlit_folium._component_func = fake
    streamlit_folium.st_folium(mapview.build_base_map(), key="m", feature_group_to_add=group, returned_objects=[])
    group_b = len(str(captured["feature_group"]).encode("utf-8"))
    small = mapview.encode_parcels(np.asarray(frame.geometry.values, dtype=object), frame["parcel_id"].astype(str),
                                   ["#000000"] * n, ["x"] * n)
    small_b = len(mapview.to_json_script(small).encode("utf-8"))
    print(f"{n:,} parcels, large path (grid + parcels in view), layer built in {built:.2f} s")
    print(f"  parcel payload: {parcels_b:,} B = {parcels_b / n:.0f} B per parcel "
          f"(embedded path of the small layers: {small_b / n:.0f} B per parcel)")
    print(f"  grid payload: {grid_b:,} B ({json.loads(layer.grid)['n'].__len__():,} cells)")
    print(f"  feature group script sent to the browser: {group_b:,} B")


def large_browser_figures(n: int = 100_000, *, dense: bool = False) -> None:
    """Time to first map and zoom/pan redraws of a large layer in headless Chromium."""
    from e2e_support import CHROMIUM, CHROMIUM_ARGS, detail_text, running_app
    from playwright.sync_api import sync_playwright
    from test_e2e_large_map import _CLIENT_POINT, MAP_IFRAME, seed_workspace

    if not CHROMIUM.exists():
        print("Chromium missing: apt-get install -y chromium fonts-noto-cjk")
        return
    with tempfile.TemporaryDirectory() as ws:
        saved = os.environ.get("HULI_WORKSPACE")
        pid, (lon, lat) = seed_workspace(Path(ws), n, dense=dense)
        if dense:
            lon, lat = 118.10 + 3.0e-3, 24.48 + 3.0e-3
            print(f"dense layout: {n:,} squares of 16 m on a 20 m lattice")
        if saved is None:
            os.environ.pop("HULI_WORKSPACE", None)
        else:
            os.environ["HULI_WORKSPACE"] = saved
        with running_app(Path(ws), Path(ws) / "streamlit.log") as url, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            for label in ("cold (analysis of the upload not cached)", "warm (cached analysis)"):
                page = browser.new_page(viewport={"width": 1500, "height": 1100})
                t0 = time.perf_counter()
                page.goto(url + "/parcels")
                page.frame_locator(MAP_IFRAME).locator(".leaflet-container").first.wait_for(timeout=120_000)
                frame = next(f for f in page.frames if "streamlit_folium" in f.url)
                frame.wait_for_function("() => window.__huliParcelView !== undefined"
                                        " && window.__huliParcelView.redraws > 0", timeout=120_000)
                first = time.perf_counter() - t0
                state = frame.evaluate("() => window.__huliParcelView")
                print(f"time to first map, {label}, /parcels: {first:.2f} s "
                      f"(mode {state['mode']}, {state['cells']:,} grid cells, zoom "
                      f"{frame.evaluate('() => window.map.getZoom()')})")
                page.close()
            page = browser.new_page(viewport={"width": 1500, "height": 1100})
            page.goto(url + "/parcels")
            page.frame_locator(MAP_IFRAME).locator(".leaflet-container").first.wait_for(timeout=120_000)
            frame = next(f for f in page.frames if "streamlit_folium" in f.url)
            frame.wait_for_function("() => window.__huliParcelView && window.__huliParcelView.redraws > 0",
                                    timeout=120_000)
            steps = [
                ("first zoom-in to 17 (builds offsets and boxes)", lat, lon, 17),
                ("zoom out to 12 (grid)", lat, lon, 12),
                ("zoom-in to 17 again", lat, lon, 17),
                ("pan at 17 by about 500 m", lat + 0.004, lon + 0.003, 17),
                ("zoom to 16", lat, lon, 16),
                ("zoom to 15", lat, lon, 15),
            ]
            if dense:
                steps = [
                    ("first zoom-in to 17 (builds offsets and boxes)", lat + 0.01, lon + 0.01, 17),
                    ("zoom to 16", lat + 0.01, lon + 0.01, 16),
                    ("zoom to 15 (above the cap: grid)", lat + 0.01, lon + 0.01, 15),
                    ("zoom to 16 again", lat + 0.01, lon + 0.01, 16),
                    ("pan at 16 by about 1 km", lat + 0.019, lon + 0.02, 16),
                ]
            for label, la, lo, z in steps:
                r = frame.evaluate(_REDRAW, [la, lo, z])
                print(f"{label}: parcels chosen in {r['js_ms']:.0f} ms, painted after {r['painted_ms']:.0f} ms "
                      f"(mode {r['mode']}, {r['in_view']:,} parcels in view, {r['drawn']:,} drawn)")
            if dense:
                # past the cap: what drawing 16,000 parcels at once costs (cap raised for this step)
                frame.evaluate("() => { window.__huliParcelView.cap = 20000; }")
                r = frame.evaluate(_REDRAW, [lat + 0.01, lon + 0.01, 15])
                print(f"zoom to 15 with the cap raised to 20,000: parcels chosen in {r['js_ms']:.0f} ms, painted "
                      f"after {r['painted_ms']:.0f} ms ({r['in_view']:,} in view, {r['drawn']:,} drawn)")
                browser.close()
                return
            frame.evaluate(_REDRAW, [lat, lon, 17])
            page.locator(MAP_IFRAME).scroll_into_view_if_needed()
            page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=90_000)
            box = page.locator(MAP_IFRAME).bounding_box()
            point = frame.evaluate(_CLIENT_POINT, [lat, lon])
            t0 = time.perf_counter()
            page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
            detail_text(frame, pid, timeout_ms=90_000)
            print(f"click on parcel {pid} at zoom 17: detail panel filled in {time.perf_counter() - t0:.2f} s")
            browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-browser", action="store_true", help="payload figures only")
    parser.add_argument("--large", action="store_true", help="a 100,000-parcel layer (grid + parcels in view)")
    parser.add_argument("--dense", action="store_true", help="with --large: the parcels packed on a 20 m lattice")
    args = parser.parse_args()
    if args.large:
        large_payload_figures()
        if not args.no_browser:
            large_browser_figures(dense=args.dense)
        return
    payload_figures()
    if not args.no_browser:
        browser_figures()


if __name__ == "__main__":
    main()
