"""The map's own web service, served by the app's server (no tile server outside the app):
a parcel's details for the detail panel in the map, and vector tiles of large layers.

A page that shows a map *publishes* what the map may ask for (:func:`publish`) and gets a
token; the map's JavaScript fetches ``{base}/huli-map/{token}/...``.  The token is an HMAC of
what was published (the person, the dataset and its version, the language, ...) under a
secret made at process start, so

* it is the same for the same map on every rerun (the map's HTML does not change, and the
  browser keeps the view and its tile cache), and
* it cannot be guessed: only a page the server built for that person holds it.  Nothing is
  written through it; it only reads what the page already shows.

The registry is in the process's memory (bounded, least recently used first out), like the
app's caches: a server restart makes the browser reload the page, which publishes again.

Routes (``GET``, answered in a worker thread so a large tile does not hold the event loop):

``/huli-map/{token}/parcel/{pid}``   the parcel's details (:meth:`MapSource.detail`), JSON
``/huli-map/{token}/tile/{z}/{x}/{y}``  a vector tile (:meth:`MapSource.tile`), JSON
``/huli-map/{token}/locate/{pid}``   the parcel's bounds ``[w, s, e, n]`` (:meth:`MapSource.locate`)
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any, Protocol

__all__ = ["MapSource", "ROUTE", "publish", "share", "lookup", "url_of", "routes", "forget_all"]

#: Path segment of the service, under Streamlit's ``server.baseUrlPath``.
ROUTE = "huli-map"
#: Maps kept at once (each holds references to frames the app's caches already hold).
MAX_ENTRIES = 64
#: Parcels the kept maps may show in all (a source's ``weight``, default 1): a city layer's tile
#: source holds arrays of its own, so a few filters of a million parcels fill it.
MAX_WEIGHT = 4_000_000

_SECRET = secrets.token_bytes(32)
_ENTRIES: OrderedDict[str, MapSource] = OrderedDict()
#: The latest token registered for each content (see :func:`share`); a stale token is harmless
#: (its entry is gone and the source is built again).
_BY_CONTENT: dict[str, str] = {}
_LOCK = threading.Lock()


class MapSource(Protocol):
    """What a published map answers (either may return None: not found)."""

    def detail(self, pid: str) -> dict[str, Any] | None: ...

    def tile(self, z: int, x: int, y: int) -> dict[str, Any] | None: ...

    def locate(self, pid: str) -> list[float] | None: ...


def _token(key: Hashable) -> str:
    return hmac.new(_SECRET, repr(key).encode("utf-8"), hashlib.sha256).hexdigest()[:40]


def publish(key: Hashable, make: Any) -> str:
    """The token of the map ``key``; ``make()`` builds its :class:`MapSource` the first time.

    ``key`` must name everything the source's answers depend on (person, dataset and version,
    as-of date, profile, language, theme, filters): the same key, the same answers.
    """
    return share(key, make)[0]


def share(key: Hashable, make: Any, *, content: Hashable | None = None) -> tuple[str, Any]:
    """:func:`publish`, also giving the source itself (built now or found).

    ``content`` names what the source's answers depend on without the person (the dataset and
    version, as-of date, profile, language, theme, filters): a source already built for the same
    content, for someone else, is registered under this ``key``'s token instead of being built
    again, so a new visitor's first map does not rebuild what the server already holds.  The
    token stays the person's own.
    """
    token = _token(key)
    shared = None if content is None else _token(("content", content))
    with _LOCK:
        found = _ENTRIES.get(token)
        if found is not None:
            _ENTRIES.move_to_end(token)
            return token, found
        same = _ENTRIES.get(_BY_CONTENT.get(shared, "")) if shared is not None else None
    source = same if same is not None else make()  # outside the lock: building a large source takes a while
    with _LOCK:
        _ENTRIES[token] = source
        _ENTRIES.move_to_end(token)
        if shared is not None:
            _BY_CONTENT[shared] = token
        while len(_ENTRIES) > 1 and (len(_ENTRIES) > MAX_ENTRIES or _weight() > MAX_WEIGHT):
            _ENTRIES.popitem(last=False)
    return token, source


def _weight() -> int:
    """Parcels the kept sources hold, each source counted once however many tokens name it."""
    unique = {id(s): s for s in _ENTRIES.values()}
    return sum(int(getattr(s, "weight", 1)) for s in unique.values())


def lookup(token: str) -> MapSource | None:
    with _LOCK:
        source = _ENTRIES.get(token)
        if source is not None:
            _ENTRIES.move_to_end(token)
        return source


def forget_all() -> None:
    """Drop every published map (tests)."""
    with _LOCK:
        _ENTRIES.clear()
        _BY_CONTENT.clear()


def url_of(token: str, *, base_path: str = "") -> str:
    """The service's URL prefix for ``token`` (ends with ``/``), absolute on the app's host."""
    base = "/" + base_path.strip("/") if base_path.strip("/") else ""
    return f"{base}/{ROUTE}/{token}/"


def _json(body: dict[str, Any] | None) -> Any:
    from starlette.responses import Response

    if body is None:
        return Response(b'{"error": "not found"}', status_code=404, media_type="application/json")
    data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    # private: the answers belong to the person's page; the token changes with the data
    return Response(data, media_type="application/json", headers={"Cache-Control": "private, max-age=3600"})


def routes(base_path: str = "") -> list[Any]:
    """Starlette routes of the service, mounted by the app's ASGI entry (``app.py``)."""
    from starlette.concurrency import run_in_threadpool
    from starlette.routing import Route

    async def parcel(request: Any) -> Any:
        source = lookup(request.path_params["token"])
        if source is None:
            return _json(None)
        return _json(await run_in_threadpool(source.detail, request.path_params["pid"]))

    async def tile(request: Any) -> Any:
        source = lookup(request.path_params["token"])
        p = request.path_params
        if source is None or not (0 <= p["z"] <= 24 and 0 <= p["x"] < 2 ** p["z"] and 0 <= p["y"] < 2 ** p["z"]):
            return _json(None)
        return _json(await run_in_threadpool(source.tile, p["z"], p["x"], p["y"]))

    async def locate(request: Any) -> Any:
        source = lookup(request.path_params["token"])
        if source is None:
            return _json(None)
        bounds = await run_in_threadpool(source.locate, request.path_params["pid"])
        return _json(None if bounds is None else {"bbox": bounds})

    prefix = url_of("{token}", base_path=base_path)
    return [
        Route(prefix + "parcel/{pid:path}", parcel, methods=["GET"]),
        Route(prefix + "tile/{z:int}/{x:int}/{y:int}", tile, methods=["GET"]),
        Route(prefix + "locate/{pid:path}", locate, methods=["GET"]),
    ]
