"""The audit trail: every change with its time, person, object and a short before/after.

Actions: ``login``, ``login_failed``, ``lockout``, ``logout``, ``user_add``, ``user_remove``,
``role_change``, ``password_change``, ``upload``, ``join``, ``dataset_delete``, ``publish``,
``profile_edit``, ``scenario_save``, ``scenario_delete``, ``workspace_import``.  Passwords and
their hashes never enter it.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from office.store import Store
from office.tables import AuditEntry, utcnow

__all__ = ["record", "entries", "COLUMNS"]

#: Columns of :func:`entries`, in order.
COLUMNS = ("at", "user", "action", "object", "before", "after")
_MAX_TEXT = 2000


def _short(value: Any) -> str | None:
    if value is None:
        return None
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return text if len(text) <= _MAX_TEXT else text[: _MAX_TEXT - 1] + "…"


def record(session: Session, *, user: str | None, action: str, obj: str = "", before: Any = None,
           after: Any = None, at: dt.datetime | None = None) -> None:
    """Add one entry to the trail, in the caller's transaction (so it lands with the change)."""
    session.add(AuditEntry(at=at or utcnow(), user_name=user, action=action, object=obj[:255],
                           before=_short(before), after=_short(after)))


def entries(store: Store, *, since: dt.date | None = None, user: str | None = None,
            action: str | None = None) -> list[dict[str, Any]]:
    """The trail, oldest first, optionally from a day on (UTC), of one person or one action."""
    query = sa.select(AuditEntry).order_by(AuditEntry.at, AuditEntry.id)
    if since is not None:
        query = query.where(AuditEntry.at >= dt.datetime.combine(since, dt.time()))
    if user is not None:
        query = query.where(AuditEntry.user_name == user)
    if action is not None:
        query = query.where(AuditEntry.action == action)
    with store.session() as session:
        rows = session.scalars(query).all()
        return [{"at": r.at.isoformat(timespec="seconds") + "Z", "user": r.user_name or "", "action": r.action,
                 "object": r.object, "before": r.before or "", "after": r.after or ""} for r in rows]
