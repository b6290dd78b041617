"""管理 Admin: the accounts and the audit trail (admins only; the server checks the role on every
action, the page is not even listed for others)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd
import streamlit as st

from core.errors import PlanningError
from office import accounts, audit
from office.roles import ROLES
from ui import office
from ui.frame import current_lang, guard, show_error
from ui.i18n import t

__all__ = ["render"]


def _accounts(lang: str) -> None:
    st.subheader(t("admin.accounts", lang))
    rows = accounts.list_users(office.store())
    table = pd.DataFrame(rows, columns=["name", "role", "created", "locked_until"])
    table["role"] = [t(f"role.{r}", lang) for r in table["role"]]
    st.dataframe(table.rename(columns={c: t(f"admin.col.{c}", lang) for c in table.columns}), hide_index=True,
                 width="stretch")
    with st.form("admin_add", clear_on_submit=True):
        st.markdown(f"**{t('admin.add', lang)}**")
        c1, c2, c3 = st.columns(3)
        name = c1.text_input(t("office.username", lang), key="admin_add_name")
        password = c2.text_input(t("office.password", lang), type="password", key="admin_add_password")
        role = c3.selectbox(t("admin.role", lang), ROLES, format_func=lambda r: t(f"role.{r}", lang),
                            key="admin_add_role")
        if st.form_submit_button(t("admin.add", lang)):
            try:
                who = office.require("manage_accounts")
                accounts.add_user(office.store(), name, role, password, by=who.name)
            except PlanningError as err:
                show_error(err)
            else:
                st.success(t("admin.added", lang, name=name))
    names = [str(r["name"]) for r in rows]
    if not names:
        return
    c1, c2, c3, c4 = st.columns([2, 2, 1, 1])
    target = c1.selectbox(t("admin.user", lang), names, key="admin_target")
    role = c2.selectbox(t("admin.role", lang), ROLES, format_func=lambda r: t(f"role.{r}", lang),
                        key="admin_target_role")
    if c3.button(t("admin.set_role", lang), key="admin_set_role"):
        _do(lambda by: accounts.set_role(office.store(), target, role, by=by), lang)
    if c4.button(t("admin.remove", lang), key="admin_remove"):
        _do(lambda by: accounts.remove_user(office.store(), target, by=by), lang)
    st.caption(t("admin.cli", lang))


def _do(change: Callable[[str | None], None], lang: str) -> None:
    try:
        who = office.require("manage_accounts")
        change(who.name)
    except PlanningError as err:
        show_error(err)
    else:
        st.success(t("admin.done", lang))
        st.rerun()


def _audit(lang: str) -> None:
    st.subheader(t("admin.audit", lang))
    office.require("read_audit")
    c1, c2, c3 = st.columns(3)
    since = c1.date_input(t("admin.since", lang), value=dt.date.today() - dt.timedelta(days=30), key="admin_since")
    user = c2.text_input(t("admin.user", lang), key="admin_user").strip() or None
    action = c3.text_input(t("admin.action", lang), key="admin_action").strip() or None
    rows = audit.entries(office.store(), since=since, user=user, action=action)
    st.caption(t("admin.count", lang, n=f"{len(rows):,}"))
    table = pd.DataFrame(rows, columns=list(audit.COLUMNS)).iloc[::-1]  # newest first
    st.dataframe(table.rename(columns={c: t(f"admin.col.{c}", lang) for c in table.columns}), hide_index=True,
                 width="stretch", height=420)


def render() -> None:
    """Draw the page."""
    lang = current_lang()
    st.title(t("admin.title", lang))
    with guard():
        office.require("manage_accounts")
        _accounts(lang)
        _audit(lang)


if __name__ == "__main__":
    render()
