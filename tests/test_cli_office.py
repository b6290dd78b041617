"""``python -m analysis users`` and ``audit``, run as a planner's admin would (a process, the
password on standard input), on the workspace's SQLite store and on PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pg_support import fresh_database

ROOT = Path(__file__).resolve().parents[1]


def _cli(*args: str, stdin: str = "", env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "analysis", *args], input=stdin, capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}, timeout=120,
                          check=False)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_env(request: pytest.FixtureRequest) -> dict[str, str]:
    if request.param == "sqlite":
        return {}
    return {"HULI_DATABASE_URL": fresh_database(request.getfixturevalue("postgis_url"))}


def test_users_add_list_set_role_remove(db_env: dict[str, str], _isolated_workspace: Path) -> None:
    empty = _cli("users", "list", env=db_env)
    assert empty.returncode == 0 and "no accounts" in empty.stdout
    added = _cli("users", "add", "李工", "--role", "editor", stdin="a long password 1\n", env=db_env)
    assert added.returncode == 0, added.stderr
    assert "added 李工 (editor)" in added.stdout
    assert _cli("users", "add", "chen", "--role", "admin", stdin="another password\n", env=db_env).returncode == 0
    listed = _cli("users", "list", env=db_env).stdout.splitlines()
    assert [line.split()[:2] for line in listed[1:]] == [["chen", "admin"], ["李工", "editor"]]
    assert _cli("users", "set-role", "李工", "viewer", env=db_env).returncode == 0
    assert ["李工", "viewer"] in [line.split()[:2] for line in _cli("users", "list", env=db_env).stdout.splitlines()]
    assert _cli("users", "remove", "chen", env=db_env).returncode == 0
    assert "chen" not in _cli("users", "list", env=db_env).stdout
    for path in _isolated_workspace.rglob("*"):
        if path.is_file():
            assert b"a long password 1" not in path.read_bytes()


@pytest.mark.parametrize(("args", "stdin", "message"), [
    (["users", "add", "wang", "--role", "editor"], "short\n", "too short"),
    (["users", "add", "wang", "--role", "editor"], "", "no password on standard input"),
    (["users", "add", "bad name!", "--role", "editor"], "long enough pw\n", "not usable"),
    (["users", "remove", "nobody"], "", "no account named 'nobody'"),
    (["users", "set-role", "nobody", "admin"], "", "no account named 'nobody'"),
])
def test_users_errors_exit_2_with_a_bilingual_message(args: list[str], stdin: str, message: str) -> None:
    result = _cli(*args, stdin=stdin)
    assert result.returncode == 2
    assert message in result.stderr and "错误 / error" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_taken_name_and_an_unknown_role_are_refused() -> None:
    assert _cli("users", "add", "wang", "--role", "editor", stdin="long enough pw\n").returncode == 0
    again = _cli("users", "add", "wang", "--role", "admin", stdin="long enough pw\n")
    assert again.returncode == 2 and "already an account" in again.stderr
    role = _cli("users", "add", "li", "--role", "boss", stdin="long enough pw\n")
    assert role.returncode == 2 and "invalid choice: 'boss'" in role.stderr


def test_audit_lists_filters_and_formats(db_env: dict[str, str]) -> None:
    _cli("users", "add", "wang", "--role", "editor", stdin="long enough pw\n", env=db_env)
    _cli("users", "set-role", "wang", "admin", env=db_env)
    table = _cli("audit", env=db_env)
    assert table.returncode == 0 and "user_add" in table.stdout and "role_change" in table.stdout
    rows = list(csv.DictReader(io.StringIO(_cli("audit", "--format", "csv", env=db_env).stdout)))
    assert [r["action"] for r in rows] == ["workspace_import", "user_add", "role_change"]
    assert rows[2]["user"] == "(cli)" and rows[2]["object"] == "wang"
    assert json.loads(rows[2]["before"]) == {"role": "editor"} and json.loads(rows[2]["after"]) == {"role": "admin"}
    only = json.loads(_cli("audit", "--format", "json", "--action", "role_change", env=db_env).stdout)
    assert [e["action"] for e in only] == ["role_change"]
    assert json.loads(_cli("audit", "--format", "json", "--user", "nobody", env=db_env).stdout) == []
    assert json.loads(_cli("audit", "--format", "json", "--since", "2999-01-01", env=db_env).stdout) == []
    bad = _cli("audit", "--since", "yesterday", env=db_env)
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr


def test_users_add_sso_makes_an_account_without_a_password() -> None:
    from office_support import store

    from office import accounts

    added = _cli("users", "add", "li@huli.example", "--role", "editor", "--sso")
    assert added.returncode == 0, added.stderr
    assert "added li@huli.example (editor, single sign-on)" in added.stdout
    assert accounts.account(store(), "li@huli.example") == accounts.Account("li@huli.example", "editor")
    with pytest.raises(accounts.LoginError):  # no password opens it
        accounts.authenticate(store(), "li@huli.example", "")
    assert accounts.sso_account(store(), "li@huli.example").role == "editor"
    assert accounts.sso_account(store(), "someone@else.example").role == "viewer"
