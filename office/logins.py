"""Logins that outlive one browser tab: a random token kept by the browser, its SHA-256 in the
store; idle longer than ``settings.session_hours`` and it is gone.  The role is read from the
account on every resume, so a role change or a removed account takes effect at once."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

import sqlalchemy as sa

from core.settings import get_settings
from office import audit
from office.accounts import Account
from office.store import Store
from office.tables import LoginSession, User, utcnow

__all__ = ["start_login", "resume_login", "end_login"]

_TOUCH = dt.timedelta(minutes=1)  # last_seen is written at most once a minute per login


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start_login(store: Store, account: Account, *, now: dt.datetime | None = None) -> str:
    """A new login of ``account``; returns the token for the browser."""
    token = secrets.token_urlsafe(32)
    now = now or utcnow()
    with store.session() as session:
        session.add(LoginSession(token_hash=_digest(token), user_name=account.name, created_at=now, last_seen=now))
    return token


def resume_login(store: Store, token: str | None, *, now: dt.datetime | None = None) -> Account | None:
    """The account of a browser's token while the login is alive (not idle too long), else None."""
    if not token:
        return None
    now = now or utcnow()
    idle = dt.timedelta(hours=get_settings().session_hours)
    with store.session() as session:
        row = session.get(LoginSession, _digest(token))
        if row is None:
            return None
        user = session.scalar(sa.select(User).where(User.name == row.user_name))
        if user is None or now - row.last_seen > idle:
            session.delete(row)
            return None
        if now - row.last_seen > _TOUCH:
            row.last_seen = now
        return Account(user.name, user.role)


def end_login(store: Store, token: str | None, *, user: str | None) -> None:
    """Log out: the token stops working."""
    with store.session() as session:
        if token:
            session.execute(sa.delete(LoginSession).where(LoginSession.token_hash == _digest(token)))
        audit.record(session, user=user, action="logout", obj=user or "")
