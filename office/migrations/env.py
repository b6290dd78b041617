"""Alembic environment of the office store: run by :func:`office.store.migrate` on a connection it
passes in (``config.attributes["connection"]``), or by the ``alembic`` command with a URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, engine_from_config, pool

from office.tables import Base

config = context.config
target_metadata = Base.metadata


def _ours(name: str | None, type_: str, parent_names: object) -> bool:
    """PostGIS's own ``spatial_ref_sys`` is not the store's (autogenerate leaves it alone)."""
    return not (type_ == "table" and name == "spatial_ref_sys")


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, include_name=_ours,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = engine_from_config(config.get_section(config.config_ini_section) or {}, prefix="sqlalchemy.",
                                poolclass=pool.NullPool)
    with engine.connect() as conn:
        _run(conn)
