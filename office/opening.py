"""Opening the office store: one per database URL and process, migrated, the single-desk
workspace imported once (:mod:`office.legacy`)."""

from __future__ import annotations

import threading

import sqlalchemy as sa
from sqlalchemy.orm import sessionmaker

from core.errors import ConfigError
from core.settings import get_settings
from office.legacy import import_workspace as _import
from office.store import Store, database_url, make_engine, migrate

__all__ = ["open_store", "forget_stores"]

_stores: dict[str, Store] = {}
_stores_lock = threading.Lock()


def open_store(url: str | None = None, *, import_workspace: bool = True) -> Store:
    """The store at ``url`` (default :func:`database_url`), migrated; one per URL and process.

    Raises
    ------
    ConfigError
        The URL is malformed or the database cannot be reached.
    """
    url = url or database_url()
    with _stores_lock:
        store = _stores.get(url)
        if store is not None:
            return store
        engine = make_engine(url)
        try:
            migrate(engine)
        except sa.exc.OperationalError as err:
            engine.dispose()
            raise ConfigError(f"cannot open the database {sa.make_url(url).render_as_string(hide_password=True)}: "
                              f"{err.orig}; check HULI_DATABASE_URL and that the server runs",
                              f"无法打开数据库 {sa.make_url(url).render_as_string(hide_password=True)}："
                              f"{err.orig}；请检查 HULI_DATABASE_URL 以及数据库服务是否运行") from err
        store = Store(url, engine, sessionmaker(engine, expire_on_commit=False))
        if import_workspace:
            _import(store, get_settings().workspace)
        _stores[url] = store
        return store


def forget_stores() -> None:
    """Close every open store (tests, or after the workspace moved)."""
    with _stores_lock:
        for store in _stores.values():
            store.engine.dispose()
        _stores.clear()
