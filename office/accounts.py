"""Accounts: names, roles, argon2id password hashes (argon2-cffi), logins with a lockout.

Five failed logins for a name lock it for five minutes, even for the right password; every
login, failure and lockout is in the audit trail.  A password is only ever held long enough to
hash or verify it; it is never stored, logged or audited.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from core.errors import ConfigError, PlanningError
from office import audit
from office.roles import check_role
from office.store import Store
from office.tables import User, utcnow

__all__ = ["Account", "LoginError", "AccountLocked", "MAX_FAILURES", "LOCK_MINUTES", "MIN_PASSWORD",
           "add_user", "remove_user", "set_role", "set_password", "list_users", "any_accounts",
           "authenticate", "account", "sso_account"]

MAX_FAILURES = 5
LOCK_MINUTES = 5
MIN_PASSWORD = 8
_NAME = re.compile(r"^[\w.@\-]{1,64}$", re.UNICODE)
_hasher = PasswordHasher()  # argon2id with the library's current parameters
_DUMMY_HASH = _hasher.hash("not a password of anyone")  # keeps a wrong name as slow as a wrong password


@dataclass(frozen=True)
class Account:
    """What the app knows of a logged-in person."""

    name: str
    role: str


class LoginError(PlanningError, PermissionError):
    """Wrong name or password (deliberately not saying which)."""


class AccountLocked(LoginError):
    """Too many failed logins: the name is locked for a while."""


def _check_name(name: str) -> str:
    text = str(name).strip()
    if not _NAME.match(text):
        raise ConfigError(f"user name {text!r} is not usable: 1-64 letters, digits, '.', '@', '_' or '-'",
                          f"用户名 {text!r} 不可用：请使用1-64个汉字、字母、数字或 . @ _ -")
    return text


def _check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise ConfigError(f"the password is too short: use at least {MIN_PASSWORD} characters",
                          f"密码太短：至少需要 {MIN_PASSWORD} 个字符")
    return password


def any_accounts(store: Store) -> bool:
    """Whether any account exists (none: the app is a single-user local tool)."""
    with store.session() as session:
        return bool(session.scalar(sa.select(sa.func.count()).select_from(User)))


def list_users(store: Store) -> list[dict[str, object]]:
    """Every account: name, role, created, locked until (no hash)."""
    with store.session() as session:
        return [{"name": u.name, "role": u.role, "created": u.created_at.isoformat(timespec="seconds") + "Z",
                 "locked_until": u.locked_until.isoformat(timespec="seconds") + "Z"
                 if u.locked_until and u.locked_until > utcnow() else ""}
                for u in session.scalars(sa.select(User).order_by(User.name))]


def account(store: Store, name: str) -> Account | None:
    """The account of ``name`` (its current role), or None when there is none."""
    with store.session() as session:
        user = session.scalar(sa.select(User).where(User.name == name))
        return Account(user.name, user.role) if user else None


def add_user(store: Store, name: str, role: str, password: str | None, *, by: str | None) -> Account:
    """Create an account. ``password`` None makes a single-sign-on account (``name`` is the e-mail
    address or subject the identity provider gives; it cannot log in with a password).

    Raises
    ------
    ConfigError
        A bad name, role or password, or a taken name.
    """
    name, role = _check_name(name), check_role(role)
    digest = None if password is None else _hasher.hash(_check_password(password))
    try:
        with store.session() as session:
            session.add(User(name=name, role=role, password_hash=digest, failed_logins=0))
            session.flush()
            audit.record(session, user=by, action="user_add", obj=name,
                         after={"role": role, **({"sso": True} if digest is None else {})})
    except sa.exc.IntegrityError as err:
        raise ConfigError(f"there is already an account named {name!r}",
                          f"已有名为 {name!r} 的账户") from err
    return Account(name, role)


def _user(session: sa.orm.Session, name: str) -> User:
    user = session.scalar(sa.select(User).where(User.name == name))
    if user is None:
        raise ConfigError(f"there is no account named {name!r} (see `python -m analysis users list`)",
                          f"没有名为 {name!r} 的账户（见 `python -m analysis users list`）")
    return user


def remove_user(store: Store, name: str, *, by: str | None) -> None:
    """Delete an account (its saved items stay, with their owner's name)."""
    with store.session() as session:
        user = _user(session, name)
        audit.record(session, user=by, action="user_remove", obj=name, before={"role": user.role})
        session.delete(user)


def set_role(store: Store, name: str, role: str, *, by: str | None) -> None:
    """Change an account's role."""
    role = check_role(role)
    with store.session() as session:
        user = _user(session, name)
        audit.record(session, user=by, action="role_change", obj=name, before={"role": user.role},
                     after={"role": role})
        user.role = role


def set_password(store: Store, name: str, password: str, *, by: str | None) -> None:
    """Give an account a new password (and unlock it)."""
    digest = _hasher.hash(_check_password(password))
    with store.session() as session:
        user = _user(session, name)
        user.password_hash, user.failed_logins, user.locked_until = digest, 0, None
        audit.record(session, user=by, action="password_change", obj=name)


def _locked_message(until: dt.datetime, now: dt.datetime) -> AccountLocked:
    minutes = max(1, -int(-(until - now).total_seconds() // 60))  # whole minutes, rounded up
    return AccountLocked(f"this account is locked after {MAX_FAILURES} failed logins; try again in {minutes} min "
                         "or ask an admin",
                         f"连续 {MAX_FAILURES} 次登录失败，该账户已锁定；请 {minutes} 分钟后再试或联系管理员")


def sso_account(store: Store, identity: str) -> Account:
    """The account of a person the identity provider vouched for (``identity``: their e-mail
    address, else their subject): its role when an admin added it, else a viewer's."""
    found = account(store, identity)
    return found if found is not None else Account(identity, "viewer")


def authenticate(store: Store, name: str, password: str, *, now: dt.datetime | None = None) -> Account:
    """The account when ``password`` is right; raises :class:`LoginError` or :class:`AccountLocked`.

    The fifth failure in a row locks the name for :data:`LOCK_MINUTES`; a success resets the count.
    """
    now = now or utcnow()
    name = str(name).strip()
    with store.session() as session:  # the failure count and the trail are committed, then the error raised
        user = session.scalar(sa.select(User).where(User.name == name).with_for_update())
        if user is not None and user.locked_until is not None and user.locked_until > now:
            audit.record(session, user=name, action="login_failed", obj=name, after={"reason": "locked"}, at=now)
            error: LoginError = _locked_message(user.locked_until, now)
        elif user is not None and user.password_hash and _verify(user.password_hash, password):
            if _hasher.check_needs_rehash(user.password_hash):
                user.password_hash = _hasher.hash(password)
            user.failed_logins, user.locked_until = 0, None
            audit.record(session, user=name, action="login", obj=name, at=now)
            return Account(user.name, user.role)
        else:
            if user is None:
                _verify(_DUMMY_HASH, password)  # as slow as a wrong password
            audit.record(session, user=name if user else None, action="login_failed", obj=name, at=now)
            error = LoginError("wrong user name or password", "用户名或密码错误")
            if user is not None:
                user.failed_logins = (user.failed_logins or 0) + 1
                if user.failed_logins >= MAX_FAILURES:
                    user.locked_until = now + dt.timedelta(minutes=LOCK_MINUTES)
                    user.failed_logins = 0
                    audit.record(session, user=name, action="lockout", obj=name,
                                 after={"until": user.locked_until.isoformat(timespec="seconds") + "Z"}, at=now)
                    error = _locked_message(user.locked_until, now)
    raise error


def _verify(digest: str, password: str) -> bool:
    try:
        return bool(_hasher.verify(digest, password))
    except (VerificationError, InvalidHashError):
        return False
