"""The store's schema (SQLAlchemy 2 declarative); the Alembic migrations in ``office/migrations``
create exactly these tables.

Times are UTC without a zone (SQLite keeps none), written by :func:`utcnow`.  A person is
``user:<name>`` when logged in, ``browser:<id>`` for an anonymous visitor's browser.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = ["Base", "User", "LoginSession", "StoredLayer", "AuditEntry", "PersonSetting", "SharedSetting", "Publication", "Dataset",
           "Scenario", "ScenarioVersion", "Profile", "utcnow"]


def utcnow() -> dt.datetime:
    """Now, in UTC, without a zone (as stored)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    """Declarative base of the store's tables."""


class User(Base):
    """An account. ``password_hash`` is an argon2id hash (None for a single-sign-on account)."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str | None] = mapped_column(String(255), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class LoginSession(Base):
    """A login kept across browser refreshes: the SHA-256 of the browser's random token (the
    token itself is never stored); it ends when idle longer than the session setting."""

    __tablename__ = "login_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_name: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_seen: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class StoredLayer(Base):
    """Where a dataset's canonical parcels are kept: ``parquet`` (the workspace) or ``postgis``."""

    __tablename__ = "stored_layers"
    dataset_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    storage: Mapped[str] = mapped_column(String(16))
    stored_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    rows: Mapped[int] = mapped_column(Integer)
    dtypes: Mapped[Any] = mapped_column(JSON, nullable=True)


class AuditEntry(Base):
    """One change: who (None: anonymous or the system), what, on which object, before and after."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    user_name: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    action: Mapped[str] = mapped_column(String(32))
    object: Mapped[str] = mapped_column(String(255), default="")
    before: Mapped[str | None] = mapped_column(Text, nullable=True)
    after: Mapped[str | None] = mapped_column(Text, nullable=True)


class PersonSetting(Base):
    """A person's own choice (language, basemap, theme, filters, scenarios, active dataset ...)."""

    __tablename__ = "person_settings"
    person: Mapped[str] = mapped_column(String(96), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class SharedSetting(Base):
    """A district-wide setting (the default dataset, the default efficiency profile ...)."""

    __tablename__ = "shared_settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(64), nullable=True)


class Publication(Base):
    """One publication of a district-wide setting: the value it was given, by whom and when (the
    history an editor looks back on and restores from; :class:`SharedSetting` holds the current one)."""

    __tablename__ = "publications"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), index=True)
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    published_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    published_by: Mapped[str | None] = mapped_column(String(64), nullable=True)


class Dataset(Base):
    """An uploaded (or joined) parcel dataset; its parcels are kept in the workspace by id."""

    __tablename__ = "datasets"
    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    owner: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    source_file: Mapped[str] = mapped_column(String(255), default="")
    read_options: Mapped[Any] = mapped_column(JSON, nullable=True, default=dict)
    validation: Mapped[Any] = mapped_column(JSON, nullable=True, default=dict)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)


class Scenario(Base):
    """A saved airport scenario; its text lives in numbered versions, never overwritten."""

    __tablename__ = "scenarios"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    owner: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ScenarioVersion(Base):
    """One saved text of a scenario (version 1, 2, ...)."""

    __tablename__ = "scenario_versions"
    __table_args__ = (UniqueConstraint("scenario_id", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    saved_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    saved_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Profile(Base):
    """An efficiency profile as published (the district default points to one)."""

    __tablename__ = "profiles"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    content: Mapped[Any] = mapped_column(JSON)
    saved_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    saved_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
