"""The app's own cookies, set by its server with ``HttpOnly`` (no script in the page can read them).

A Streamlit run cannot answer with HTTP headers: it talks to the browser over a WebSocket.  So a
run that wants cookies set (:func:`ui.office.flush_cookies`) files them here under a one-time
*ticket* and puts a short script in the page that posts to ``{base}/huli-session/{ticket}``; that
request is answered by the app's server (a route of the ASGI entry, ``app.py``) with the
``Set-Cookie`` headers: ``HttpOnly``, ``SameSite=Strict``, ``Path=/``, ``Secure`` when the page
came over HTTPS.  The browser then sends them with every request, the WebSocket's included, where
:func:`ui.office` reads them (``st.context.cookies``).

A ticket is random (192 bits), used once, and lapses after :data:`TICKET_TTL_S`; the registry is
bounded and in the process's memory, like the map service's.  The values are the server's own (a
login token, a browser id), never the request's.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

__all__ = ["ROUTE", "TICKET_TTL_S", "Cookie", "file_cookies", "take", "url_of", "routes", "script"]

#: Path segment of the route, under Streamlit's ``server.baseUrlPath``.
ROUTE = "huli-session"
#: Seconds a ticket stays valid (the page posts it as soon as it is drawn).
TICKET_TTL_S = 120.0
#: Tickets kept at once (the oldest lapse first).
MAX_TICKETS = 4096


@dataclass(frozen=True)
class Cookie:
    """A cookie to set: ``max_age_s`` 0 deletes it."""

    name: str
    value: str
    max_age_s: int


_LOCK = threading.Lock()
_TICKETS: OrderedDict[str, tuple[float, tuple[Cookie, ...]]] = OrderedDict()


def file_cookies(cookies: tuple[Cookie, ...], *, now: float | None = None) -> str:
    """File ``cookies`` under a new ticket and return it."""
    ticket = secrets.token_urlsafe(24)
    stamp = time.monotonic() if now is None else now
    with _LOCK:
        _TICKETS[ticket] = (stamp + TICKET_TTL_S, cookies)
        while len(_TICKETS) > MAX_TICKETS:
            _TICKETS.popitem(last=False)
    return ticket


def take(ticket: str, *, now: float | None = None) -> tuple[Cookie, ...] | None:
    """The cookies filed under ``ticket`` (which is used up), or None: unknown, used or lapsed."""
    with _LOCK:
        entry = _TICKETS.pop(ticket, None)
    if entry is None:
        return None
    expires, cookies = entry
    return cookies if (time.monotonic() if now is None else now) <= expires else None


def url_of(ticket: str, *, base_path: str = "") -> str:
    """The route's URL for ``ticket``, absolute on the app's host."""
    base = "/" + base_path.strip("/") if base_path.strip("/") else ""
    return f"{base}/{ROUTE}/{ticket}"


def script(ticket: str, *, base_path: str = "") -> str:
    """The page's script that has the server set the ticket's cookies (and then leaves no trace of it)."""
    import json

    url = json.dumps(url_of(ticket, base_path=base_path))
    return ("<script>(function (s) { fetch(" + url + ", {method: 'POST', credentials: 'same-origin'})"
            ".finally(function () { if (s && s.parentNode) { s.parentNode.removeChild(s); } }); })"
            "(document.currentScript);</script>")


def routes(base_path: str = "") -> list[Any]:
    """The Starlette route that answers a ticket with its ``Set-Cookie`` headers (``POST`` only)."""
    from starlette.responses import Response
    from starlette.routing import Route

    async def set_cookies(request: Any) -> Any:
        cookies = take(str(request.path_params["ticket"]))
        if cookies is None:
            return Response(status_code=404, headers={"Cache-Control": "no-store"})
        response = Response(status_code=204, headers={"Cache-Control": "no-store"})
        secure = request.url.scheme == "https" or request.headers.get("x-forwarded-proto", "") == "https"
        for c in cookies:
            response.set_cookie(c.name, c.value, max_age=c.max_age_s, path="/", secure=secure, httponly=True,
                                samesite="strict")
        return response

    return [Route(url_of("{ticket}", base_path=base_path), set_cookies, methods=["POST"])]
