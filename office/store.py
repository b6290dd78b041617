"""The office store: which database, an engine on it, its schema brought up to date.

``HULI_DATABASE_URL`` names the database (any SQLAlchemy URL: ``postgresql+psycopg2://...`` lets
several app servers share one store); by default it is the SQLite file ``office.sqlite`` in the
workspace.  :func:`migrate` brings the schema to the newest Alembic revision
(``office/migrations``), one process at a time (a PostgreSQL advisory lock; on SQLite the write
lock, which every transaction takes at its start).  :func:`office.opening.open_store` is how
the app and the CLI open it.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from core.errors import ConfigError
from core.settings import get_settings

__all__ = ["Store", "database_url", "make_engine", "migrate", "MIGRATIONS"]

log = logging.getLogger(__name__)

#: The Alembic scripts of the store.
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_MIGRATION_LOCK = 0x48554C49  # "HULI": the PostgreSQL advisory lock held while migrating

def database_url() -> str:
    """``HULI_DATABASE_URL``, else the SQLite file in the workspace."""
    url = get_settings().database_url
    if url:
        return url
    root = get_settings().workspace
    root.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{root / 'office.sqlite'}"


@dataclass(frozen=True)
class Store:
    """An open store: its engine and a session factory."""

    url: str
    engine: sa.Engine
    sessions: sessionmaker[Session]

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A transaction: committed when the block ends, rolled back when it raises."""
        with self.sessions.begin() as session:
            yield session

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name


def make_engine(url: str) -> sa.Engine:
    """An engine on ``url``; SQLite transactions take the write lock at their start."""
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError as err:
        raise ConfigError(f"HULI_DATABASE_URL {url!r} is not a database URL ({err}); e.g. "
                          "postgresql+psycopg2://user:password@host/huli or sqlite:////path/office.sqlite",
                          f"HULI_DATABASE_URL {url!r} 不是数据库地址（{err}）；示例："
                          "postgresql+psycopg2://user:password@host/huli 或 sqlite:////path/office.sqlite") from err
    if parsed.get_backend_name() == "sqlite":
        engine = sa.create_engine(url, connect_args={"timeout": 30})

        @sa.event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None  # the driver's own implicit BEGINs off: see _begin
            cur = dbapi_connection.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        @sa.event.listens_for(engine, "begin")
        def _begin(conn: sa.Connection) -> None:
            # every transaction takes the write lock at its start (waiting up to the busy timeout), so
            # what it read is still true when it writes: a check-then-write cannot race another process
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return sa.create_engine(url, pool_pre_ping=True)


def migrate(engine: sa.Engine) -> None:
    """Bring the schema to the newest Alembic revision (one process at a time)."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK})
        # (SQLite: the transaction holds the write lock from its start, see _engine)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
