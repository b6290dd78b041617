"""The office's commands: ``users`` (accounts) and ``audit`` (the trail).

::

    users add NAME --role viewer|editor|admin    the password from standard input (one line);
                                                 from a terminal it is asked twice, not echoed
    users add EMAIL --role ROLE --sso            an account for single sign-on (no password)
    users list
    users remove NAME
    users set-role NAME ROLE
    users set-password NAME                      the password as for ``add``; also unlocks
    audit [--since YYYY-MM-DD] [--user NAME] [--action ACTION] [--format table|csv|json]

Whoever can run these on the server administers the office: the trail records them as
``(cli)``.  The store is the one the app uses (``HULI_DATABASE_URL``, or the workspace's
SQLite file).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import getpass
import io
import json
import sys
from typing import TYPE_CHECKING

from core.errors import ConfigError

if TYPE_CHECKING:
    from office.store import Store

__all__ = ["add_office_commands", "CLI_ACTOR"]

#: How the trail names a change made with these commands.
CLI_ACTOR = "(cli)"


def add_office_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``users`` and ``audit``."""
    from office.roles import ROLES

    users = sub.add_parser("users", help="accounts of the office (add, list, remove, set-role, set-password)")
    actions = users.add_subparsers(dest="users_command", required=True)
    p = actions.add_parser("add", help="add an account; the password is read from standard input")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--role", required=True, choices=ROLES)
    p.add_argument("--sso", action="store_true",
                   help="an account for single sign-on: NAME is the e-mail the identity provider gives; no password")
    p.set_defaults(handler=_users_add)
    p = actions.add_parser("list", help="list the accounts and their roles")
    p.set_defaults(handler=_users_list)
    p = actions.add_parser("remove", help="remove an account")
    p.add_argument("name", metavar="NAME")
    p.set_defaults(handler=_users_remove)
    p = actions.add_parser("set-role", help="change an account's role")
    p.add_argument("name", metavar="NAME")
    p.add_argument("role", metavar="ROLE", choices=ROLES)
    p.set_defaults(handler=_users_set_role)
    p = actions.add_parser("set-password", help="give an account a new password (read as for add); unlocks it")
    p.add_argument("name", metavar="NAME")
    p.set_defaults(handler=_users_set_password)

    p = sub.add_parser("audit", help="the audit trail: who changed what, when")
    p.add_argument("--since", metavar="YYYY-MM-DD", type=_day, help="entries from this day on (UTC)")
    p.add_argument("--user", metavar="NAME", help="entries of one person")
    p.add_argument("--action", metavar="ACTION", help="entries of one action, e.g. login_failed")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    p.set_defaults(handler=_audit)


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD (日期格式应为 YYYY-MM-DD)") from err


def _password() -> str:
    """One line of standard input; from a terminal, asked twice without echo."""
    if sys.stdin.isatty():
        first = getpass.getpass("密码 / Password: ")
        if getpass.getpass("再次输入 / Repeat: ") != first:
            raise ConfigError("the two passwords differ", "两次输入的密码不一致")
        return first
    line = sys.stdin.readline()
    password = line[:-1] if line.endswith("\n") else line
    if not password:
        raise ConfigError("no password on standard input: pipe one line, e.g. `printf '%s\\n' \"$PW\" | ...`",
                          "标准输入中没有密码：请输入一行，例如 `printf '%s\\n' \"$PW\" | ...`")
    return password.removesuffix("\r")


def _store() -> Store:
    from office.opening import open_store

    return open_store()


def _users_add(args: argparse.Namespace) -> int:
    from office import accounts

    account = accounts.add_user(_store(), args.name, args.role, None if args.sso else _password(), by=CLI_ACTOR)
    print(f"added {account.name} ({account.role}{', single sign-on' if args.sso else ''})")
    return 0


def _users_list(args: argparse.Namespace) -> int:
    from office import accounts

    rows = accounts.list_users(_store())
    if not rows:
        print("no accounts: the app runs as a single-user local tool (没有账户：应用以单机单用户方式运行)")
        return 0
    width = max(len(str(r["name"])) for r in rows)
    print(f"{'name':<{width}}  role    created               locked until")
    for r in rows:
        print(f"{r['name']!s:<{width}}  {r['role']!s:<6}  {r['created']!s:<20}  {r['locked_until']}")
    return 0


def _users_remove(args: argparse.Namespace) -> int:
    from office import accounts

    accounts.remove_user(_store(), args.name, by=CLI_ACTOR)
    print(f"removed {args.name}")
    return 0


def _users_set_role(args: argparse.Namespace) -> int:
    from office import accounts

    accounts.set_role(_store(), args.name, args.role, by=CLI_ACTOR)
    print(f"{args.name} is now {args.role}")
    return 0


def _users_set_password(args: argparse.Namespace) -> int:
    from office import accounts

    accounts.set_password(_store(), args.name, _password(), by=CLI_ACTOR)
    print(f"new password set for {args.name}")
    return 0


def _audit(args: argparse.Namespace) -> int:
    from office import audit

    rows = audit.entries(_store(), since=args.since, user=args.user, action=args.action)
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    elif args.format == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(audit.COLUMNS), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        sys.stdout.write(buf.getvalue())
    else:
        for r in rows:
            change = " → ".join(x for x in (r["before"], r["after"]) if x)
            print(f"{r['at']}  {r['user'] or '-':<12}  {r['action']:<16}  {r['object']}  {change}".rstrip())
        print(f"{len(rows)} entries")
    return 0
