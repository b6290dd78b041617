"""Browser figures of the running app: ``python -m bench --browser [--sizes 600,100000,1000000]``.

For each size the app is started on its own localhost port with a fresh workspace, the layer
given as ``HULI_PARCELS`` (the embedded 600 parcels need none), and driven by Debian's Chromium
through Playwright (a development dependency) at 1400×900:

``ingest_s``        the server's first visit: the layer read, validated, stored and analysed (not
                    for the embedded data); the server is then restarted
``first_map_cold``  the first visit after that restart (the stored layer read and analysed), from
                    ``goto`` to the map's hook counting the parcels shown
``first_map_warm``  median of three later visits, each in a new browser context (a new session)
``click_*``         clicks on parcels spread over the layer (the hook's ``sample``): each is
                    zoomed to with the hook, clicked at the hook's point, and timed from the mouse
                    press to the detail panel showing that parcel; median and max in seconds

The figures measure the machine they run on; docs/benchmarks.md records them.
"""

from __future__ import annotations

import contextlib
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from core.errors import ConfigError

__all__ = ["EMBEDDED", "browser_figures", "format_browser_table"]

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
#: The size meaning "the embedded data" (no layer given).
EMBEDDED = 600
_MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
_HOOKED = "() => !!(window.huliMap && window.huliMap.count() > 0)"
_SHOWN = """(pid) => { var d = document.querySelector(".huli-detail");
    return !!d && d.getAttribute("data-state") === "shown" && d.getAttribute("data-parcel") === pid; }"""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def _app(workspace: Path, env_extra: dict[str, str], log: Path) -> Iterator[str]:
    """``streamlit run app.py`` on a free localhost port; yields its URL."""
    env = {k: v for k, v in os.environ.items() if k != "TIANDITU_TOKEN"}
    env.update(HULI_WORKSPACE=str(workspace), PYTHONPATH=str(ROOT), **env_extra)
    port = _free_port()
    streamlit = Path(sys.executable).with_name("streamlit")
    with log.open("ab") as out:
        proc = subprocess.Popen(
            [str(streamlit), "run", "app.py", "--server.port", str(port), "--server.address", "127.0.0.1",
             "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while True:
                if proc.poll() is not None:
                    raise ConfigError(f"the app exited with code {proc.returncode} (see {log})",
                                      message_zh=f"应用启动失败，退出码 {proc.returncode}（见 {log}）")
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                        if resp.status == 200:
                            break
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    pass
                if time.monotonic() > deadline:
                    raise ConfigError(f"the app did not start within 120 s (see {log})",
                                      message_zh=f"应用 120 秒内未启动（见 {log}）")
                time.sleep(0.3)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


def _map_frame(page: Any, timeout_s: float) -> Any:
    """The frame holding the map, once its hook counts the parcels shown."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for frame in page.frames:
            with contextlib.suppress(Exception):
                if frame.evaluate(_HOOKED):
                    return frame
        time.sleep(0.02)
    raise ConfigError(f"no map within {timeout_s:.0f} s", message_zh=f"{timeout_s:.0f} 秒内未显示地图")


def _visit(browser: Any, url: str, timeout_s: float) -> tuple[float, Any, Any]:
    """Seconds from ``goto`` to the map's hook counting parcels; the context and page (open)."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url + "/parcels")
    frame = _map_frame(page, timeout_s)
    return time.perf_counter() - start, context, (page, frame)


def _clicks(page: Any, frame: Any, n: int) -> list[float]:
    times: list[float] = []
    for pid in frame.evaluate("(n) => huliMap.sample(n)", n):
        if not frame.evaluate("(id) => huliMap.zoomTo(id)", pid):
            continue
        frame.wait_for_function("(id) => huliMap.pointOf(id) !== null", arg=pid, timeout=60_000)
        page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=120_000)
        point = frame.evaluate("(id) => huliMap.pointOf(id)", pid)
        box = page.locator(_MAP_IFRAME).first.bounding_box()
        start = time.perf_counter()
        page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
        try:
            frame.wait_for_function(_SHOWN, arg=pid, polling="raf", timeout=30_000)
        except Exception as err:
            state = frame.evaluate("() => [huliMap.selected(), (document.querySelector('.huli-detail') || {}).outerHTML]")
            raise ConfigError(f"a click on parcel {pid} at {point} (frame at {box}) did not show it: {state!r:.300}",
                              message_zh=f"点击地块 {pid} 未显示其详情") from err
        times.append(time.perf_counter() - start)
    return times


def browser_figures(n: int, *, data_dir: str | None = None, clicks: int = 20, seed: int | None = None) -> dict[str, Any]:
    """The browser figures of a layer of ``n`` generated parcels (:data:`EMBEDDED`: the embedded data)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as err:
        raise ConfigError("the browser figures need Playwright: pip install -r requirements-dev.txt",
                          message_zh="浏览器指标需要 Playwright：pip install -r requirements-dev.txt") from err
    if not CHROMIUM.exists():
        raise ConfigError("the browser figures need Debian's Chromium: apt-get install -y chromium",
                          message_zh="浏览器指标需要 Debian 的 Chromium：apt-get install -y chromium")
    from bench.inputs import generate_input

    out: dict[str, Any] = {"parcels": n}
    with tempfile.TemporaryDirectory(prefix="huli-bench-browser-") as tmp:
        workspace, log = Path(tmp) / "workspace", Path(tmp) / "streamlit.log"
        workspace.mkdir()
        env: dict[str, str] = {}
        if n != EMBEDDED:
            folder = Path(data_dir) if data_dir else Path(tmp)
            folder.mkdir(parents=True, exist_ok=True)
            layer = folder / f"parcels_{n}.gpkg"
            if not layer.exists():
                generate_input(n, layer, seed=seed)
            env["HULI_PARCELS"] = str(layer)
        timeout_s = 120 + n / 2_000  # a million parcels: some ten minutes at most
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                        args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
            try:
                if n != EMBEDDED:  # the layer read and stored once, like an office's first start
                    with _app(workspace, env, log) as url:
                        out["ingest_s"], context, _ = _visit(browser, url, timeout_s)
                        context.close()
                with _app(workspace, env, log) as url:
                    out["first_map_cold_s"], context, _ = _visit(browser, url, timeout_s)
                    context.close()
                    warm = []
                    for _ in range(3):
                        seconds, context, (page, frame) = _visit(browser, url, timeout_s)
                        warm.append(seconds)
                        if len(warm) < 3:
                            context.close()
                    out["first_map_warm_s"] = statistics.median(warm)
                    times = _clicks(page, frame, clicks)
                    context.close()
            finally:
                browser.close()
    out["clicks"] = len(times)
    out["click_median_s"] = statistics.median(times) if times else float("nan")
    out["click_max_s"] = max(times) if times else float("nan")
    return out


def format_browser_table(rows: list[dict[str, Any]]) -> str:
    """The figures as a plain-text table (seconds)."""
    head = f"{'parcels':>10}  {'ingest':>8}  {'first map cold':>14}  {'warm':>6}  {'click median':>12}  {'max':>6}  clicks"
    lines = [head, "-" * len(head)]
    for r in rows:
        ingest = f"{r['ingest_s']:.1f}" if "ingest_s" in r else "—"
        lines.append(f"{r['parcels']:>10,}  {ingest:>8}  {r['first_map_cold_s']:>14.2f}  {r['first_map_warm_s']:>6.2f}"
                     f"  {r['click_median_s']:>12.3f}  {r['click_max_s']:>6.3f}  {r['clicks']}")
    return "\n".join(lines)
