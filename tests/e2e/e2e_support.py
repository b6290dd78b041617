"""Shared pieces of the browser tests (paths, Chromium flags, the request/dialog probe)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}


class PageProbe:
    """A page plus every request it made and every dialog it tried to open."""

    def __init__(self, page: object) -> None:
        self.page = page
        self.requests: list[str] = []
        self.dialogs: list[str] = []

    def external_requests(self) -> list[str]:
        out = []
        for url in self.requests:
            parts = urlsplit(url)
            if parts.scheme in ("data", "blob", "about", "chrome-extension"):
                continue
            if parts.hostname not in LOCAL_HOSTS:
                out.append(url)
        return out


def map_frame_where(page: object, script: str, *, timeout_s: float = 90.0, what: str = "map") -> object:
    """The first map frame (streamlit-folium's) in which ``script`` (a JS function of no argument)
    is true, polled until ``timeout_s``; frames replaced meanwhile are skipped."""
    from playwright.sync_api import Error as PlaywrightError

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for frame in page.frames:  # type: ignore[attr-defined]
            if "streamlit_folium" not in frame.url or frame.is_detached():
                continue
            try:
                if frame.evaluate(script):
                    return frame
            except PlaywrightError:
                continue  # replaced meanwhile
        page.wait_for_timeout(250)  # type: ignore[attr-defined]
    raise AssertionError(f"no {what} within {timeout_s:.0f} s")


def server_cookie(page: object, name: str, *, timeout_s: float = 30.0) -> dict[str, object]:
    """Wait until the browser holds the app's cookie ``name`` (set by the server, so a reload keeps
    it); the cookie as Playwright reports it (``httpOnly``, ``sameSite``, ...)."""
    deadline = time.monotonic() + timeout_s
    while True:
        found = [c for c in page.context.cookies() if c["name"] == name and c["value"]]  # type: ignore[attr-defined]
        if found:
            return dict(found[0])
        if time.monotonic() > deadline:
            raise AssertionError(f"the browser never got the cookie {name!r}")
        page.wait_for_timeout(100)  # type: ignore[attr-defined]


#: True once the parcel ``pid`` is projected for the map's current view (its canvas parts computed,
#: so a click on it hits it) and no zoom animation is running.
PARCEL_DRAWN = """(pid) => {
    if (!window.map || !window.map._loaded || window.map._animatingZoom) { return false; }
    var drawn = false;
    window.map.eachLayer(function (l) {
        if (l.feature && l.feature.properties && l.feature.properties.parcel_id === pid) {
            drawn = !!(l._parts && l._parts.length);
        }
    });
    return drawn;
}"""


#: True once the map's detail panel (in the map's frame) shows parcel ``pid``, its details fetched
#: from the app's map service.
DETAIL_SHOWN = """(pid) => {
    var d = document.querySelector(".huli-detail");
    return !!d && d.getAttribute("data-state") === "shown" && d.getAttribute("data-parcel") === pid;
}"""


def detail_text(frame: object, pid: str, *, timeout_ms: float = 30_000) -> str:
    """Wait until the map's detail panel in ``frame`` shows ``pid``; its text (cells tab-separated)."""
    frame.wait_for_function(DETAIL_SHOWN, arg=pid, timeout=timeout_ms)  # type: ignore[attr-defined]
    return str(frame.evaluate("() => document.querySelector('.huli-detail').innerText"))  # type: ignore[attr-defined]


def wait_settled(frame: object, script: str, *, timeout_ms: float = 30_000) -> object:
    """Wait until ``script`` (a JS function of no argument returning JSON-able data) gives the same
    non-empty result on two consecutive animation frames of ``frame``, e.g. label boxes that
    stopped moving; returns that result."""
    probe = f"""() => {{
        var now = JSON.stringify(({script})());
        var same = now === window.__huliSettled && now !== "[]" && now !== "null";
        window.__huliSettled = now;
        return same;
    }}"""
    frame.wait_for_function(probe, polling="raf", timeout=timeout_ms)  # type: ignore[attr-defined]
    return frame.evaluate(script)  # type: ignore[attr-defined]


def wait_for_text(page: object, selector: str, needles: list[str], *, timeout_ms: float = 30_000) -> str:
    """Wait until the text of every element matching ``selector`` together contains each of
    ``needles`` (e.g. issue codes in the report's grids); returns that text, also when the wait
    timed out, so that the caller's assertion names what is missing."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    script = ("([sel, needles]) => { var t = Array.from(document.querySelectorAll(sel))"
              ".map(function (e) { return e.textContent; }).join(' ');"
              " return needles.every(function (n) { return t.indexOf(n) >= 0; }); }")
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(script, arg=[selector, needles], timeout=timeout_ms)  # type: ignore[attr-defined]
    return " ".join(page.locator(selector).evaluate_all("els => els.map(e => e.textContent)"))  # type: ignore[attr-defined]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_healthy(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {proc.returncode} before it was healthy (see {log})")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise RuntimeError(f"streamlit did not become healthy at {url} within {timeout:.0f} s (see {log})")


@contextlib.contextmanager
def running_app(workspace: Path, log: Path, *, port: int | None = None, **env_extra: str) -> Iterator[str]:
    """``streamlit run app.py`` on a localhost port (default a free one) with ``workspace``; yields
    its base URL.

    Extra keyword arguments are environment variables for the server (e.g.
    ``HULI_MAX_UPLOAD_MB="1"``). The server is stopped when the block ends.
    """
    env = {k: v for k, v in os.environ.items() if k != "TIANDITU_TOKEN"}
    env.update(HULI_WORKSPACE=str(workspace), PYTHONPATH=str(ROOT), **env_extra)
    port = port or free_port()
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(Path(sys.executable).with_name("streamlit")), "run", "app.py", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_healthy(url, proc, log)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=15)
