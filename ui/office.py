"""The office in the app: who is looking (an account, or this browser), what they may change,
and their own settings.

- A person is ``user:<name>`` once logged in, else ``browser:<id>``: a random id the browser
  keeps in the cookie ``huli_browser``, so an anonymous visitor's choices survive a refresh and
  are nobody else's.  A login is kept in the cookie ``huli_login`` (a random token; the store
  keeps only its SHA-256) until it is idle longer than ``HULI_SESSION_HOURS``.  Both are set by
  the server, ``HttpOnly`` and ``SameSite=Strict`` (:mod:`ui.session_cookies`): no script in the
  page can read them.
- With no account in the store the app is a single-user local tool (:data:`office.records.LOCAL`
  may do everything) and the sidebar says so; once one exists, every change needs the role
  :mod:`office.roles` asks for, checked here on the server before each write
  (:func:`require`), whatever the page shows.
- Each person's language, basemap, theme, scenario choices, active dataset and edited profile
  live in the store (:func:`load_settings`, :func:`save_settings`); the district's default
  dataset and profile are shared settings an editor publishes.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import time
from typing import Any

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from core.settings import get_settings
from office import accounts, logins, records, roles
from office.legacy import UI_DEFAULTS
from office.opening import open_store
from office.records import LOCAL, Actor
from office.store import Store, database_url

__all__ = ["COOKIE_BROWSER", "COOKIE_LOGIN", "store", "actor", "person", "single_user", "can", "require",
           "sso_configured", "sso_login",
           "load_settings", "save_settings", "log_in", "log_out", "flush_cookies", "login_required"]

log = logging.getLogger(__name__)

COOKIE_BROWSER = "huli_browser"
COOKIE_LOGIN = "huli_login"
_BROWSER_ID = re.compile(r"^[A-Za-z0-9_\-]{16,64}$")
_ACCOUNT = "office.account"
_TOKEN = "office.token"
_BROWSER = "office.browser"
_COOKIES = "office.cookies_to_set"
_SINGLE = "office.single_user"
_SSO_AUDITED = "office.sso_audited"
_RECHECK_S = 30.0


@st.cache_resource(show_spinner=False)
def _store(url: str) -> Store:
    return open_store(url)


def store() -> Store:
    """The office store of this server (opened and migrated once per process)."""
    return _store(database_url())


def _cookie(name: str) -> str | None:
    try:
        value = st.context.cookies.get(name)
    except (AttributeError, RuntimeError):  # no browser request (a test harness)
        return None
    return str(value) if value else None


def _set_cookie(name: str, value: str, *, max_age_s: int) -> None:
    pending = dict(st.session_state.get(_COOKIES) or {})
    pending[name] = (value, max_age_s)
    st.session_state[_COOKIES] = pending


def _browser_id() -> str:
    if _BROWSER not in st.session_state:
        found = _cookie(COOKIE_BROWSER)
        if found is None or not _BROWSER_ID.match(found):
            found = secrets.token_urlsafe(18)
        st.session_state[_BROWSER] = found
        _set_cookie(COOKIE_BROWSER, found, max_age_s=400 * 24 * 3600)  # refreshed: a browser is never left without
    return str(st.session_state[_BROWSER])


def _fresh(key: str) -> bool:
    """Whether what was looked up under ``key`` is recent enough to use again in this session."""
    checked = st.session_state.get(f"{key}.checked")
    return checked is not None and time.monotonic() - float(checked) < _RECHECK_S


def _checked(key: str) -> None:
    st.session_state[f"{key}.checked"] = time.monotonic()


def single_user() -> bool:
    """True while the store has no account: the app is a single-user local tool."""
    if not _fresh(_SINGLE):
        st.session_state[_SINGLE] = not accounts.any_accounts(store())
        _checked(_SINGLE)
    return bool(st.session_state[_SINGLE])


def sso_configured() -> bool:
    """Whether single sign-on is set up: an ``[auth]`` section in Streamlit's secrets (``st.login``)."""
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, KeyError, StreamlitSecretNotFoundError):
        return False


def _sso_identity() -> str | None:
    """The e-mail (else the subject) of a person signed on through the identity provider, or None."""
    if not sso_configured():
        return None
    try:
        user = st.user
        if not user.get("is_logged_in"):
            return None
        found = user.get("email") or user.get("sub")
    except (AttributeError, KeyError, RuntimeError):
        return None
    return str(found) if found else None


def sso_login() -> None:
    """Start the identity provider's login (the browser leaves for it and comes back)."""
    st.login()


def _account() -> accounts.Account | None:
    """The logged-in account, its role read from the store again every half minute (a role
    change, a removed account or an idle login takes effect within that)."""
    identity = _sso_identity()
    if identity is not None:  # signed on: the provider vouches for the person, the store gives the role
        if not (_fresh(_ACCOUNT) and st.session_state.get(_ACCOUNT) is not None):
            signed = accounts.sso_account(store(), identity)
            if st.session_state.get(_SSO_AUDITED) != identity:
                audit_sso_login(identity)
                st.session_state[_SSO_AUDITED] = identity
            st.session_state[_ACCOUNT] = signed
            _checked(_ACCOUNT)
        return st.session_state[_ACCOUNT]
    if _ACCOUNT not in st.session_state:
        st.session_state[_TOKEN] = _cookie(COOKIE_LOGIN)  # a login from before a refresh
        st.session_state[_ACCOUNT] = None
    elif _fresh(_ACCOUNT):
        return st.session_state[_ACCOUNT]
    token = st.session_state.get(_TOKEN)
    found = logins.resume_login(store(), str(token)) if token else None
    st.session_state[_TOKEN] = token if found else None
    st.session_state[_ACCOUNT] = found
    _checked(_ACCOUNT)
    return found


def actor() -> Actor:
    """Who acts in this run: the account, the single local user, or an anonymous visitor."""
    account = _account()
    if account is not None:
        return Actor(account.name, account.role)
    return LOCAL if single_user() else Actor(None, None)


def person() -> str:
    """Whose settings this run reads and writes."""
    account = _account()
    return f"user:{account.name}" if account is not None else f"browser:{_browser_id()}"


def can(action: str) -> bool:
    """Whether the acting person may do ``action`` (for showing or hiding a control)."""
    return roles.allowed(actor().role, action)


def require(action: str, *, owner: str | None = None) -> Actor:
    """The actor, once the server checked that they may do ``action``; raises PermissionDenied."""
    who = actor()
    roles.require(who.role, action, owner=owner, user=who.name)
    return who


def login_required() -> bool:
    """True when this visitor must log in before seeing anything (``HULI_REQUIRE_LOGIN=1``)."""
    return get_settings().require_login and not single_user() and _account() is None


def load_settings() -> dict[str, Any]:
    """This person's settings over the district's starting choices."""
    base = records.shared(store(), UI_DEFAULTS, {}) or {}
    return {**base, **records.person_settings(store(), person())}


def save_settings(values: dict[str, Any]) -> None:
    """Keep ``values`` (JSON-able) as this person's settings."""
    clean = {k: v for k, v in values.items() if _jsonable(v)}
    records.save_person_settings(store(), person(), clean)


def _jsonable(value: Any) -> bool:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return False
    return True


def log_in(name: str, password: str) -> accounts.Account:
    """Check the password (the lockout applies) and keep the login in this browser."""
    account = accounts.authenticate(store(), name, password)
    token = logins.start_login(store(), account)
    st.session_state[_TOKEN] = token
    st.session_state[_ACCOUNT] = account
    _checked(_ACCOUNT)
    _set_cookie(COOKIE_LOGIN, token, max_age_s=get_settings().session_hours * 3600)
    return account


def audit_sso_login(identity: str) -> None:
    """Record a single sign-on in the trail (once per browser session)."""
    from office import audit

    with store().session() as session:
        audit.record(session, user=identity, action="login", obj=identity, after={"via": "sso"})


def log_out() -> None:
    """End the login (the token stops working) and forget it in this browser."""
    if _sso_identity() is not None:
        logins.end_login(store(), None, user=_sso_identity())
        st.session_state.pop(_ACCOUNT, None)
        st.session_state.pop(_SSO_AUDITED, None)
        st.logout()
        return
    account = st.session_state.get(_ACCOUNT)
    logins.end_login(store(), st.session_state.get(_TOKEN), user=account.name if account else None)
    st.session_state[_TOKEN] = None
    st.session_state[_ACCOUNT] = None
    _checked(_ACCOUNT)
    _set_cookie(COOKIE_LOGIN, "", max_age_s=0)


def flush_cookies() -> None:
    """Have the server set the cookies of this run in the browser, ``HttpOnly``
    (:mod:`ui.session_cookies`: a one-time ticket the page posts back to the app's server)."""
    from ui import session_cookies

    pending = st.session_state.pop(_COOKIES, None)
    if not pending:
        return
    cookies = tuple(session_cookies.Cookie(name, value, age) for name, (value, age) in pending.items()
                    if _BROWSER_ID.match(value) or value == "")
    if not cookies:
        return
    ticket = session_cookies.file_cookies(cookies)
    base = str(st.get_option("server.baseUrlPath") or "")
    st.html(session_cookies.script(ticket, base_path=base), unsafe_allow_javascript=True)
