"""Roles and what each may do: the one table every write is checked against.

``viewer`` reads and downloads; ``editor`` also uploads, joins, edits profiles and scenarios and
publishes district defaults; ``admin`` also manages accounts, reads the audit trail and deletes
other people's items.  The checks run on the server (:func:`require`), whatever the page shows.
"""

from __future__ import annotations

from core.errors import PlanningError

__all__ = ["ROLES", "ACTIONS", "PermissionDenied", "allowed", "require", "check_role"]

#: Roles, lowest first.
ROLES: tuple[str, ...] = ("viewer", "editor", "admin")

#: Every action that changes something, with the lowest role allowed to do it.
ACTIONS: dict[str, str] = {
    "upload": "editor",
    "join": "editor",
    "activate_dataset": "viewer",  # choosing what one looks at changes only one's own view
    "delete_dataset": "editor",  # one's own; others' need admin (see :func:`allowed`)
    "edit_profile": "editor",
    "save_scenario": "editor",
    "delete_scenario": "editor",
    "publish": "editor",
    "manage_accounts": "admin",
    "read_audit": "admin",
}


class PermissionDenied(PlanningError, PermissionError):
    """The person's role does not allow the action (or nobody is logged in)."""


def check_role(role: str) -> str:
    """``role`` when it is one of :data:`ROLES`; raises a bilingual error otherwise."""
    from core.errors import ConfigError

    if role not in ROLES:
        raise ConfigError(f"unknown role {role!r}; use one of {', '.join(ROLES)}",
                          f"未知角色 {role!r}；请使用 {'、'.join(ROLES)} 之一")
    return role


def allowed(role: str | None, action: str, *, owner: str | None = None, user: str | None = None) -> bool:
    """Whether ``role`` may do ``action``; deleting someone else's item needs ``admin``.

    ``role`` None is an anonymous visitor: allowed only what a viewer may do that changes
    nothing shared (choosing a dataset to look at).
    """
    need = ACTIONS[action]
    if role is None:
        return need == "viewer"
    rank = ROLES.index(role)
    if rank < ROLES.index(need):
        return False
    if action in ("delete_dataset", "delete_scenario") and owner is not None and owner != user:
        return rank >= ROLES.index("admin")
    return True


def require(role: str | None, action: str, *, owner: str | None = None, user: str | None = None) -> None:
    """Raise :class:`PermissionDenied` unless ``role`` may do ``action``."""
    if allowed(role, action, owner=owner, user=user):
        return
    need = ACTIONS[action]
    if role is None:
        raise PermissionDenied(f"log in as an {need} to do this ({action})",
                               f"请以{_ROLE_ZH[need]}身份登录后再操作（{action}）")
    if action in ("delete_dataset", "delete_scenario") and owner is not None and owner != user:
        raise PermissionDenied(f"{owner!r} owns this item; only an admin may delete it",
                               f"该项属于 {owner!r}，只有管理员可以删除")
    raise PermissionDenied(f"your role ({role}) may not do this ({action}); it needs {need}",
                           f"您的角色（{_ROLE_ZH[role]}）无权执行此操作（{action}），需要{_ROLE_ZH[need]}")


_ROLE_ZH = {"viewer": "查看者", "editor": "编辑者", "admin": "管理员"}
