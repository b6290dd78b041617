"""The app's cookies are set by its server, HttpOnly, through a one-time ticket."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.testclient import TestClient

from ui import session_cookies as sc


def _client(base: str = "") -> TestClient:
    return TestClient(Starlette(routes=sc.routes(base)))


def test_a_ticket_sets_its_cookies_httponly_strict_once() -> None:
    ticket = sc.file_cookies((sc.Cookie("huli_login", "tok_abcdefghijklmnop", 3600), sc.Cookie("huli_browser", "", 0)))
    client = _client()
    response = client.post(f"/huli-session/{ticket}")
    assert response.status_code == 204
    headers = response.headers.get_list("set-cookie")
    assert len(headers) == 2
    login = next(h for h in headers if h.startswith("huli_login="))
    parts = {p.strip().split("=")[0].lower() for p in login.split(";")}
    assert login.startswith("huli_login=tok_abcdefghijklmnop;")
    assert {"httponly", "max-age", "path", "samesite"} <= parts and "secure" not in parts
    assert "samesite=strict" in login.lower() and "max-age=3600" in login.lower() and "path=/" in login.lower()
    gone = next(h for h in headers if h.startswith("huli_browser="))
    assert "max-age=0" in gone.lower()
    # used up: the same ticket sets nothing again
    again = client.post(f"/huli-session/{ticket}")
    assert again.status_code == 404 and not again.headers.get_list("set-cookie")


def test_unknown_lapsed_and_get_requests_set_nothing() -> None:
    client = _client()
    assert client.post("/huli-session/not-a-ticket").status_code == 404
    lapsed = sc.file_cookies((sc.Cookie("huli_login", "x" * 20, 60),), now=0.0)  # filed long ago
    assert sc.take(lapsed) is None
    ticket = sc.file_cookies((sc.Cookie("huli_login", "y" * 20, 60),))
    assert client.get(f"/huli-session/{ticket}").status_code == 405
    assert sc.take(ticket) is not None  # a GET did not use it


def test_secure_behind_https_and_under_a_base_path() -> None:
    ticket = sc.file_cookies((sc.Cookie("huli_login", "z" * 20, 60),))
    response = _client("/planning/").post(f"/planning/huli-session/{ticket}", headers={"x-forwarded-proto": "https"})
    assert response.status_code == 204
    assert "secure" in {p.strip().lower() for p in response.headers["set-cookie"].split(";")}
    assert sc.url_of("t", base_path="planning") == "/planning/huli-session/t"
    assert '"/planning/huli-session/t"' in sc.script("t", base_path="/planning/")
