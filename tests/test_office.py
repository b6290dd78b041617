"""The office store on SQLite and on PostgreSQL: the migrated schema, accounts and the lockout,
roles checked on every write, scenario versions and conflicts, concurrent writers, per-person and
published settings, the audit trail."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from pg_support import fresh_database

from office import accounts, audit, records
from office.opening import forget_stores, open_store
from office.records import Actor, Conflict
from office.roles import PermissionDenied
from office.store import Store
from office.tables import Base, User

EDITOR = Actor("wang", "editor")
OTHER_EDITOR = Actor("li", "editor")
VIEWER = Actor("zhao", "viewer")
ADMIN = Actor("chen", "admin")
ANONYMOUS = Actor(None, None)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest) -> Iterator[Store]:
    """An empty, migrated store on each backend."""
    url = None if request.param == "sqlite" else fresh_database(request.getfixturevalue("postgis_url"))
    yield open_store(url)
    forget_stores()


def _ours(name: str | None, type_: str, parent: object) -> bool:
    return not (type_ == "table" and name == "spatial_ref_sys")  # PostGIS's own table


def test_the_migrations_create_exactly_the_schema_of_the_tables(store: Store) -> None:
    with store.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn, opts={"include_name": _ours}), Base.metadata) == []
        version = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one()
    assert version == "0004"


def test_the_default_store_is_an_sqlite_file_in_the_workspace(_isolated_workspace: Path) -> None:
    store = open_store()
    try:
        assert store.dialect == "sqlite"
        assert (_isolated_workspace / "office.sqlite").exists()
    finally:
        forget_stores()


def test_a_password_is_stored_only_as_an_argon2id_hash(store: Store, _isolated_workspace: Path) -> None:
    accounts.add_user(store, "wang", "editor", "correct horse 9", by=None)
    with store.session() as session:
        digest = session.scalar(sa.select(User.password_hash).where(User.name == "wang"))
    assert digest is not None and digest.startswith("$argon2id$")
    assert "correct horse 9" not in digest
    for path in _isolated_workspace.rglob("*"):
        if path.is_file():
            assert b"correct horse 9" not in path.read_bytes(), path
    assert all("correct horse 9" not in str(e) for e in audit.entries(store))


def test_login_with_the_right_password_and_not_with_a_wrong_one(store: Store) -> None:
    accounts.add_user(store, "wang", "editor", "correct horse 9", by=None)
    assert accounts.authenticate(store, "wang", "correct horse 9") == accounts.Account("wang", "editor")
    with pytest.raises(accounts.LoginError, match="wrong user name or password"):
        accounts.authenticate(store, "wang", "Correct horse 9")
    with pytest.raises(accounts.LoginError, match="用户名或密码错误"):
        accounts.authenticate(store, "nobody", "correct horse 9")
    actions = [e["action"] for e in audit.entries(store)]
    assert actions[-3:] == ["login", "login_failed", "login_failed"]


def test_five_wrong_passwords_lock_the_name_for_five_minutes(store: Store) -> None:
    accounts.add_user(store, "wang", "editor", "correct horse 9", by=None)
    t0 = dt.datetime(2026, 12, 3, 9, 0, 0)
    for i in range(4):
        with pytest.raises(accounts.LoginError) as err:
            accounts.authenticate(store, "wang", "wrong", now=t0 + dt.timedelta(seconds=i))
        assert not isinstance(err.value, accounts.AccountLocked)
    with pytest.raises(accounts.AccountLocked, match="locked") as err:
        accounts.authenticate(store, "wang", "wrong", now=t0 + dt.timedelta(seconds=4))
    assert "锁定" in err.value.message_zh and "5 min" in err.value.message_en
    # the right password does not open it while it is locked ...
    with pytest.raises(accounts.AccountLocked):
        accounts.authenticate(store, "wang", "correct horse 9", now=t0 + dt.timedelta(minutes=4, seconds=59))
    # ... and does once five minutes have passed
    assert accounts.authenticate(store, "wang", "correct horse 9", now=t0 + dt.timedelta(minutes=5, seconds=5))
    trail = audit.entries(store, user="wang")
    assert [e["action"] for e in trail].count("lockout") == 1
    assert [e["action"] for e in trail].count("login_failed") == 6  # five wrong, one while locked


def test_a_success_resets_the_count_of_failures(store: Store) -> None:
    accounts.add_user(store, "wang", "editor", "correct horse 9", by=None)
    t0 = dt.datetime(2026, 12, 3, 9, 0, 0)
    for i in range(4):
        with pytest.raises(accounts.LoginError):
            accounts.authenticate(store, "wang", "wrong", now=t0 + dt.timedelta(seconds=i))
    accounts.authenticate(store, "wang", "correct horse 9", now=t0 + dt.timedelta(seconds=5))
    with pytest.raises(accounts.LoginError) as err:
        accounts.authenticate(store, "wang", "wrong", now=t0 + dt.timedelta(seconds=6))
    assert not isinstance(err.value, accounts.AccountLocked)


def test_account_changes_are_checked_and_audited(store: Store) -> None:
    accounts.add_user(store, "wang", "viewer", "correct horse 9", by="chen")
    with pytest.raises(Exception, match="already an account"):
        accounts.add_user(store, "wang", "editor", "another pass 1", by="chen")
    with pytest.raises(Exception, match="too short"):
        accounts.add_user(store, "li", "editor", "short", by="chen")
    with pytest.raises(Exception, match="unknown role"):
        accounts.add_user(store, "li", "owner", "long enough 1", by="chen")
    accounts.set_role(store, "wang", "editor", by="chen")
    assert accounts.account(store, "wang") == accounts.Account("wang", "editor")
    accounts.remove_user(store, "wang", by="chen")
    assert accounts.account(store, "wang") is None
    trail = [(e["user"], e["action"], e["object"]) for e in audit.entries(store, user="chen")]
    assert trail == [("chen", "user_add", "wang"), ("chen", "role_change", "wang"), ("chen", "user_remove", "wang")]
    change = audit.entries(store, action="role_change")[0]
    assert '"viewer"' in change["before"] and '"editor"' in change["after"]


@pytest.mark.parametrize("actor", [ANONYMOUS, VIEWER])
def test_anonymous_visitors_and_viewers_change_nothing_shared(store: Store, actor: Actor) -> None:
    with pytest.raises(PermissionDenied):
        records.save_scenario(store, "s1", "name: s1", actor=actor, base_version=None)
    with pytest.raises(PermissionDenied):
        records.publish(store, records.DEFAULT_DATASET, "abc", actor=actor)
    with pytest.raises(PermissionDenied):
        records.publish_profile(store, {"x": 1}, actor=actor)
    with pytest.raises(PermissionDenied):
        records.register_dataset(store, "0123456789abcdef", name="p.gpkg", source_file="p.gpkg", read_options={},
                                 validation={}, actor=actor)
    assert records.list_scenarios(store) == []
    assert records.list_datasets(store) == []
    assert records.shared(store, records.DEFAULT_DATASET) is None
    assert audit.entries(store, action="scenario_save") == []


def test_only_the_owner_or_an_admin_deletes_a_scenario(store: Store) -> None:
    records.save_scenario(store, "早搬迁", "name: early", actor=EDITOR, base_version=None)
    with pytest.raises(PermissionDenied, match="only an admin"):
        records.delete_scenario(store, "早搬迁", actor=OTHER_EDITOR)
    assert records.list_scenarios(store) == ["早搬迁"]
    records.delete_scenario(store, "早搬迁", actor=ADMIN)
    assert records.list_scenarios(store) == []
    deleted = audit.entries(store, action="scenario_delete")
    assert deleted[0]["user"] == "chen" and "name: early" in deleted[0]["before"]


def test_saving_adds_a_version_and_a_stale_save_is_a_conflict(store: Store) -> None:
    assert records.save_scenario(store, "s1", "v: 1", actor=EDITOR, base_version=None) == 1
    assert records.save_scenario(store, "s1", "v: 2", actor=OTHER_EDITOR, base_version=1) == 2
    with pytest.raises(Conflict, match="version 2 by li"):
        records.save_scenario(store, "s1", "v: 3 from an old copy", actor=EDITOR, base_version=1)
    with pytest.raises(Conflict):
        records.save_scenario(store, "s1", "a new one of a taken name", actor=EDITOR, base_version=None)
    assert records.scenario_text(store, "s1") == ("v: 2", 2)
    assert records.scenario_text(store, "s1", 1) == ("v: 1", 1)
    assert [(v["version"], v["saved_by"]) for v in records.scenario_versions(store, "s1")] == [(1, "wang"), (2, "li")]


def _at_once(n: int, work: Callable[[int], Any]) -> list[Any]:
    """Run ``work(i)`` in ``n`` threads released together; each result or the exception raised."""
    barrier = threading.Barrier(n)
    out: list[Any] = [None] * n

    def run(i: int) -> None:
        barrier.wait()
        try:
            out[i] = work(i)
        except Exception as err:  # the test looks at what each thread got
            out[i] = err

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return out


def test_editors_saving_the_same_version_at_once_get_one_success_and_conflicts(store: Store) -> None:
    records.save_scenario(store, "s1", "v: 1", actor=EDITOR, base_version=None)
    results = _at_once(6, lambda i: records.save_scenario(store, "s1", f"v: from {i}", actor=Actor(f"e{i}", "editor"),
                                                          base_version=1))
    saved = [r for r in results if r == 2]
    assert len(saved) == 1, results
    assert all(isinstance(r, Conflict) for r in results if r != 2), results
    text, version = records.scenario_text(store, "s1")  # type: ignore[misc]
    assert version == 2 and text == f"v: from {results.index(2)}"


def test_editors_uploading_at_once_all_succeed(store: Store) -> None:
    ids = [f"{i:016x}" for i in range(6)]
    results = _at_once(6, lambda i: records.register_dataset(
        store, ids[i], name=f"p{i}.gpkg", source_file=f"p{i}.gpkg", read_options={"layer": "parcels"},
        validation={"n_usable_rows": i}, actor=Actor(f"e{i}", "editor")))
    assert results == [None] * 6
    assert sorted(d["id"] for d in records.list_datasets(store)) == ids
    assert len(audit.entries(store, action="upload")) == 6


def test_one_persons_settings_never_change_anothers(store: Store) -> None:
    records.save_person_settings(store, "browser:a", {"lang": "en", "basemap": "osm"})
    records.save_person_settings(store, "browser:b", {"lang": "zh"})
    records.save_person_settings(store, "browser:a", {"lang": "zh", "theme": "efficiency_class"})
    assert records.person_settings(store, "browser:a") == {"lang": "zh", "basemap": "osm", "theme": "efficiency_class"}
    assert records.person_settings(store, "browser:b") == {"lang": "zh"}
    assert records.person_settings(store, "user:nobody") == {}


def test_a_published_default_reaches_everyone_and_is_audited(store: Store) -> None:
    records.publish(store, records.DEFAULT_DATASET, "00000000000000aa", actor=EDITOR)
    assert records.shared(store, records.DEFAULT_DATASET) == "00000000000000aa"
    pid = records.publish_profile(store, {"low_efficiency": {"threshold": 250}}, actor=EDITOR)
    assert pid is not None
    assert records.district_profile(store) == {"low_efficiency": {"threshold": 250}}
    records.publish_profile(store, None, actor=OTHER_EDITOR)
    assert records.district_profile(store) is None
    trail = audit.entries(store, action="publish")
    assert [(e["user"], e["object"]) for e in trail] == [("wang", "default_dataset"), ("wang", "default_profile"),
                                                           ("li", "default_profile")]


def test_a_deleted_dataset_is_hidden_and_its_record_kept(store: Store) -> None:
    records.register_dataset(store, "00000000000000ab", name="p.gpkg", source_file="p.gpkg", read_options={},
                             validation={}, actor=EDITOR)
    with pytest.raises(PermissionDenied):
        records.delete_dataset(store, "00000000000000ab", actor=OTHER_EDITOR)
    records.delete_dataset(store, "00000000000000ab", actor=EDITOR)
    assert records.list_datasets(store) == []
    kept = records.dataset_record(store, "00000000000000ab")
    assert kept is not None and kept["deleted"] is True and kept["owner"] == "wang"


def test_a_bad_database_url_is_a_clear_error() -> None:
    from core.errors import ConfigError

    with pytest.raises(ConfigError, match="not a database URL"):
        open_store("not a url at all")
    with pytest.raises(ConfigError, match="cannot open the database"):
        open_store("postgresql+psycopg2://nobody:secret@127.0.0.1:1/none")


def test_a_login_survives_a_refresh_until_it_is_idle_too_long(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    from office import logins

    monkeypatch.setenv("HULI_SESSION_HOURS", "2")
    accounts.add_user(store, "wang", "editor", "correct horse 9", by=None)
    t0 = dt.datetime(2026, 12, 3, 9, 0, 0)
    token = logins.start_login(store, accounts.Account("wang", "editor"), now=t0)
    assert logins.resume_login(store, token, now=t0 + dt.timedelta(hours=1)) == accounts.Account("wang", "editor")
    # seen at 10:00, so still alive at 11:59 (idle 1 h 59 min) ...
    assert logins.resume_login(store, token, now=t0 + dt.timedelta(hours=2, minutes=59)) is not None
    # ... and gone after more than two idle hours
    assert logins.resume_login(store, token, now=t0 + dt.timedelta(hours=5)) is None
    assert logins.resume_login(store, token, now=t0 + dt.timedelta(hours=5, seconds=1)) is None
    assert logins.resume_login(store, "not a token", now=t0) is None
    with store.session() as session:  # only the token's digest is kept
        kept = session.scalars(sa.text("SELECT token_hash FROM login_sessions")).all()
    assert token not in kept


def test_a_resumed_login_has_the_accounts_current_role(store: Store) -> None:
    from office import logins

    accounts.add_user(store, "wang", "editor", "correct horse 9", by=None)
    token = logins.start_login(store, accounts.Account("wang", "editor"))
    accounts.set_role(store, "wang", "viewer", by="chen")
    assert logins.resume_login(store, token) == accounts.Account("wang", "viewer")
    accounts.remove_user(store, "wang", by="chen")
    assert logins.resume_login(store, token) is None
    token2 = logins.start_login(store, accounts.Account("li", "editor"))
    logins.end_login(store, token2, user="li")
    assert logins.resume_login(store, token2) is None
    assert audit.entries(store, action="logout")[0]["user"] == "li"


def test_a_store_of_the_first_revision_is_upgraded_with_its_records(request: pytest.FixtureRequest,
                                                                      _isolated_workspace: Path) -> None:
    from alembic import command
    from alembic.config import Config

    from office.store import MIGRATIONS, make_engine

    url = f"sqlite:///{_isolated_workspace / 'office.sqlite'}"
    engine = make_engine(url)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO users (name, role, password_hash, created_at, failed_logins) "
                             "VALUES ('wang', 'editor', NULL, '2026-01-01 00:00:00', 0)"))
        conn.execute(sa.text("INSERT INTO shared_settings (key, value, updated_at, updated_by) VALUES "
                             "('control_standard', '{\"title\": \"old\"}', '2026-01-02 00:00:00', 'wang')"))
    engine.dispose()
    store = open_store(url)
    try:
        assert accounts.account(store, "wang") == accounts.Account("wang", "editor")
        with store.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one() == "0004"
            assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
        # a setting published before the history existed starts its history
        assert records.publication_history(store, records.CONTROL_STANDARD) == [
            {"at": "2026-01-02T00:00:00Z", "by": "wang", "value": {"title": "old"}}]
    finally:
        forget_stores()


def test_an_editors_own_profile_is_theirs_and_audited(store: Store) -> None:
    records.save_own_profile(store, "user:wang", {"method": "percentiles"}, actor=EDITOR)
    assert records.person_settings(store, "user:wang") == {"profile": {"method": "percentiles"}}
    assert records.person_settings(store, "user:li") == {}
    with pytest.raises(PermissionDenied):
        records.save_own_profile(store, "user:zhao", {"method": "percentiles"}, actor=VIEWER)
    records.save_own_profile(store, "user:wang", None, actor=EDITOR)
    edits = audit.entries(store, action="profile_edit")
    assert [(e["user"], e["before"], e["after"]) for e in edits] == [
        ("wang", "", '{"method": "percentiles"}'), ("wang", '{"method": "percentiles"}', "")]


def test_a_published_control_standard_is_shared_audited_and_editors_only(store: Store) -> None:
    table = {"title": "t", "edition": 2025, "divisions": {}}
    with pytest.raises(PermissionDenied):
        records.publish_control_standard(store, table, actor=VIEWER)
    assert records.district_control_standard(store) is None
    records.publish_control_standard(store, table, actor=EDITOR)
    assert records.district_control_standard(store) == table
    records.publish_control_standard(store, None, actor=OTHER_EDITOR)
    assert records.district_control_standard(store) is None
    trail = audit.entries(store, action="publish")
    assert [(e["user"], e["object"]) for e in trail] == [("wang", "control_standard"), ("li", "control_standard")]
    assert '"edition": 2025' in trail[0]["after"]


def test_every_publication_is_kept_newest_first_with_whole_values(store: Store) -> None:
    """The history holds each value whole (the audit trail shortens long ones), with who and when."""
    big = {"title": "t" * 3000, "edition": 2020, "divisions": {}}  # longer than the audit trail keeps
    records.publish_control_standard(store, {"title": "a", "edition": 2020, "divisions": {}}, actor=EDITOR)
    records.publish_control_standard(store, big, actor=OTHER_EDITOR)
    records.publish_control_standard(store, None, actor=EDITOR)
    history = records.publication_history(store, records.CONTROL_STANDARD)
    assert [(h["by"], h["value"]) for h in history] == [
        ("wang", None), ("li", big), ("wang", {"title": "a", "edition": 2020, "divisions": {}})]
    assert all(h["at"].endswith("Z") for h in history)
    assert records.publication_history(store, records.CONTROL_STANDARD, limit=1)[0]["value"] is None
    records.publish_development_types(store, "types: {}\n", actor=EDITOR)
    assert records.publication_history(store, records.DEVELOPMENT_TYPES)[0]["value"] == {"text": "types: {}\n"}
    content = {"method": "percentiles"}
    records.publish_profile(store, content, actor=EDITOR)
    assert records.publication_history(store, records.DEFAULT_PROFILE)[0]["value"] == content  # the content, not its id
    assert records.publication_history(store, "nothing_of_that_name") == []
