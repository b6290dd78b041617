"""The shared records and each person's own settings.

- per-person settings (language, basemap, theme, filters, scenario choices, active dataset):
  :func:`person_settings`, :func:`save_person_settings`; nothing here touches anyone else's;
- district-wide settings an editor publishes on purpose (the default dataset, the default
  efficiency profile, the land control standard, the development-type library of the what-ifs):
  :func:`shared`, :func:`publish`, :func:`publish_profile`, :func:`publish_control_standard`,
  :func:`publish_development_types`;
- datasets (:func:`register_dataset`, :func:`list_datasets`, :func:`delete_dataset`);
- scenarios in versions (:func:`save_scenario` never overwrites: it adds a version, or raises
  :class:`Conflict` when the scenario changed since the version the editor opened).

Every write takes the acting person (:class:`Actor`) and checks the role first
(:func:`office.roles.require`); every change is audited in the same transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from core.errors import ConfigError, PlanningError
from office import audit
from office.roles import require
from office.store import Store
from office.tables import (
    Dataset,
    PersonSetting,
    Profile,
    Publication,
    Scenario,
    ScenarioVersion,
    SharedSetting,
    utcnow,
)

__all__ = ["Actor", "LOCAL", "Conflict", "person_settings", "save_person_settings", "save_own_profile", "OWN_PROFILE", "shared", "publish",
           "publish_profile", "district_profile", "publish_control_standard", "district_control_standard",
           "register_dataset", "list_datasets", "dataset_record",
           "delete_dataset", "check_scenario_name", "save_scenario", "list_scenarios", "scenario_text",
           "scenario_versions", "delete_scenario", "DEFAULT_DATASET", "DEFAULT_PROFILE", "CONTROL_STANDARD",
           "DEVELOPMENT_TYPES", "publish_development_types", "development_types_text", "publication_history"]

#: Shared-setting keys.
DEFAULT_DATASET = "default_dataset"
DEFAULT_PROFILE = "default_profile"
CONTROL_STANDARD = "control_standard"
#: The development-type library an editor published (its YAML text as written), or none: the shipped one.
DEVELOPMENT_TYPES = "development_types"
_SCENARIO_NAME = re.compile(r"^\w[\w\- ]{0,59}$", re.UNICODE)


@dataclass(frozen=True)
class Actor:
    """Who acts: an account's name and role; ``name`` None is an anonymous visitor (``role`` None)
    or, with ``role`` set, the single user of an install without accounts (:data:`LOCAL`)."""

    name: str | None
    role: str | None

    @property
    def label(self) -> str | None:
        """The name the audit trail records."""
        return self.name


#: The single user of an install with no account: may do everything, as a one-desk tool.
LOCAL = Actor(None, "admin")


class Conflict(PlanningError, RuntimeError):
    """Someone saved a newer version since this one was opened."""


# --- per-person settings --------------------------------------------------------------------


def person_settings(store: Store, person: str) -> dict[str, Any]:
    """Every setting of one person (``user:<name>`` or ``browser:<id>``)."""
    with store.session() as session:
        rows = session.scalars(sa.select(PersonSetting).where(PersonSetting.person == person))
        return {r.key: r.value for r in rows}


def save_person_settings(store: Store, person: str, values: dict[str, Any]) -> None:
    """Keep ``values`` as this person's settings (the keys given; others kept)."""
    if not values:
        return
    with store.session() as session:
        existing = {r.key: r for r in session.scalars(
            sa.select(PersonSetting).where(PersonSetting.person == person, PersonSetting.key.in_(list(values))))}
        for key, value in values.items():
            row = existing.get(key)
            if row is None:
                session.add(PersonSetting(person=person, key=key, value=value, updated_at=utcnow()))
            elif row.value != value:
                row.value, row.updated_at = value, utcnow()


#: The person setting that holds an editor's own edited efficiency profile.
OWN_PROFILE = "profile"


def save_own_profile(store: Store, person: str, profile: dict[str, Any] | None, *, actor: Actor) -> None:
    """Keep an editor's own efficiency profile (None: back to the district's), audited."""
    require(actor.role, "edit_profile")
    with store.session() as session:
        row = session.get(PersonSetting, (person, OWN_PROFILE))
        before = None if row is None else row.value
        if before == profile:
            return
        if row is None:
            session.add(PersonSetting(person=person, key=OWN_PROFILE, value=profile, updated_at=utcnow()))
        else:
            row.value, row.updated_at = profile, utcnow()
        audit.record(session, user=actor.label, action="profile_edit", obj=person, before=before, after=profile)


# --- shared settings ------------------------------------------------------------------------


def shared(store: Store, key: str, default: Any = None) -> Any:
    """A district-wide setting, or ``default``."""
    with store.session() as session:
        row = session.get(SharedSetting, key)
        return default if row is None else row.value


def _set_shared(session: sa.orm.Session, key: str, value: Any, by: str | None) -> Any:
    row = session.get(SharedSetting, key)
    before = None if row is None else row.value
    now = utcnow()
    if row is None:
        session.add(SharedSetting(key=key, value=value, updated_at=now, updated_by=by))
    else:
        row.value, row.updated_at, row.updated_by = value, now, by
    session.add(Publication(key=key, value=value, published_at=now, published_by=by))  # the setting's history
    return before


def publication_history(store: Store, key: str, *, limit: int = 50) -> list[dict[str, Any]]:
    """The publications of the district-wide setting ``key``, newest first: ``at`` (ISO, UTC), ``by``
    and ``value`` (as published; for the efficiency profile, its content; None: back to the shipped
    one).  At most ``limit``."""
    query = (sa.select(Publication).where(Publication.key == key)
             .order_by(Publication.published_at.desc(), Publication.id.desc()).limit(limit))
    with store.session() as session:
        rows = session.scalars(query).all()
        out = []
        for r in rows:
            value = r.value
            if key == DEFAULT_PROFILE and value is not None:  # the profile's id: its content
                profile = session.get(Profile, value)
                value = None if profile is None else profile.content
            out.append({"at": r.published_at.isoformat(timespec="seconds") + "Z", "by": r.published_by or "",
                        "value": value})
        return out


def publish(store: Store, key: str, value: Any, *, actor: Actor) -> None:
    """Make ``value`` the district's ``key`` for everyone (an editor's deliberate act)."""
    require(actor.role, "publish")
    with store.session() as session:
        before = _set_shared(session, key, value, actor.label)
        audit.record(session, user=actor.label, action="publish", obj=key, before=before, after=value)


def publish_profile(store: Store, content: dict[str, Any] | None, *, actor: Actor) -> int | None:
    """Publish an efficiency profile as the district default (None: back to the shipped one);
    returns its id."""
    require(actor.role, "publish")
    with store.session() as session:
        pid = None
        if content is not None:
            row = Profile(content=content, saved_by=actor.label, saved_at=utcnow())
            session.add(row)
            session.flush()
            pid = row.id
        before = _set_shared(session, DEFAULT_PROFILE, pid, actor.label)
        audit.record(session, user=actor.label, action="publish", obj=DEFAULT_PROFILE, before={"profile": before},
                     after={"profile": pid, "content": content})
        return pid


def district_profile(store: Store) -> dict[str, Any] | None:
    """The published district efficiency profile, or None (the shipped default)."""
    with store.session() as session:
        row = session.get(SharedSetting, DEFAULT_PROFILE)
        if row is None or row.value is None:
            return None
        profile = session.get(Profile, int(row.value))
        return None if profile is None else dict(profile.content)


def publish_control_standard(store: Store, content: dict[str, Any] | None, *, actor: Actor) -> None:
    """Publish a land control-indicator table (as plain data, already validated by the caller with
    ``analysis.control_standard.standard_from_dict``) for the whole district; None: back to the
    shipped table.  Editors only, audited with the table before and after."""
    publish(store, CONTROL_STANDARD, content, actor=actor)


def district_control_standard(store: Store) -> dict[str, Any] | None:
    """The published control-indicator table, or None (the shipped one)."""
    value = shared(store, CONTROL_STANDARD)
    return dict(value) if isinstance(value, dict) else None


def publish_development_types(store: Store, text: str | None, *, actor: Actor) -> None:
    """Publish the development-type library's YAML ``text`` for the district (None: back to the
    shipped one); the text is checked by the caller, the role here; audited with the text before and
    after (the trail keeps every edition)."""
    require(actor.role, "publish")
    value = None if text is None else {"text": str(text)}
    with store.session() as session:
        before = _set_shared(session, DEVELOPMENT_TYPES, value, actor.label)
        audit.record(session, user=actor.label, action="publish", obj=DEVELOPMENT_TYPES, before=before, after=value)


def development_types_text(store: Store) -> str | None:
    """The published development-type library's YAML text, or None (the shipped library)."""
    value = shared(store, DEVELOPMENT_TYPES)
    return str(value["text"]) if isinstance(value, dict) and "text" in value else None


# --- datasets -------------------------------------------------------------------------------


def register_dataset(store: Store, dataset_id: str, *, name: str, source_file: str, read_options: dict[str, Any],
                     validation: dict[str, Any], actor: Actor, action: str = "upload") -> None:
    """Record an upload (``action`` "upload") or a join ("join"); a dataset already recorded (the
    same files) is brought back if it was deleted, with its first owner."""
    require(actor.role, action)
    for attempt in (1, 2):  # the same file uploaded by two people at once: the second updates the first's row
        try:
            with store.session() as session:
                row = session.get(Dataset, dataset_id)
                if row is None:
                    session.add(Dataset(id=dataset_id, name=name[:255], owner=actor.label, created_at=utcnow(),
                                        source_file=source_file[:255], read_options=read_options,
                                        validation=validation))
                    session.flush()
                else:
                    row.deleted, row.read_options, row.validation = False, read_options, validation
                audit.record(session, user=actor.label, action=action, obj=dataset_id,
                             after={"name": name, "file": source_file, "rows": validation.get("n_usable_rows")})
            return
        except sa.exc.IntegrityError:
            if attempt == 2:
                raise


def list_datasets(store: Store) -> list[dict[str, Any]]:
    """Datasets not deleted, newest first: id, name, owner, created (UTC)."""
    with store.session() as session:
        rows = session.scalars(sa.select(Dataset).where(Dataset.deleted.is_(False))
                               .order_by(Dataset.created_at.desc(), Dataset.id))
        return [{"id": r.id, "name": r.name, "owner": r.owner or "", "created": r.created_at,
                 "source_file": r.source_file} for r in rows]


def dataset_record(store: Store, dataset_id: str) -> dict[str, Any] | None:
    """One dataset's record (also a deleted one), or None."""
    with store.session() as session:
        r = session.get(Dataset, dataset_id)
        if r is None:
            return None
        return {"id": r.id, "name": r.name, "owner": r.owner or "", "created": r.created_at,
                "source_file": r.source_file, "read_options": r.read_options, "validation": r.validation,
                "deleted": r.deleted}


def delete_dataset(store: Store, dataset_id: str, *, actor: Actor) -> None:
    """Hide a dataset from the lists (its files stay, so nothing is lost); one's own, or as admin."""
    with store.session() as session:
        row = session.get(Dataset, dataset_id)
        if row is None or row.deleted:
            return
        require(actor.role, "delete_dataset", owner=row.owner, user=actor.name)
        row.deleted = True
        audit.record(session, user=actor.label, action="dataset_delete", obj=dataset_id, before={"name": row.name})


# --- scenarios ------------------------------------------------------------------------------


def check_scenario_name(name: str) -> str:
    """A saved scenario's name, stripped; raises for one that is not usable."""
    text = str(name).strip()
    if not _SCENARIO_NAME.match(text):
        raise ConfigError(
            f"Scenario name {text!r} is not usable: use 1-60 letters, digits, '_', '-' or spaces, "
            "starting with a letter or digit.",
            f"情景名称 {text!r} 不可用：请使用1-60个汉字、字母、数字、下划线、连字符或空格，并以汉字、字母或数字开头。",
        )
    return text


def _latest(session: sa.orm.Session, scenario_id: int) -> ScenarioVersion | None:
    return session.scalar(sa.select(ScenarioVersion).where(ScenarioVersion.scenario_id == scenario_id)
                          .order_by(ScenarioVersion.version.desc()).limit(1))


def save_scenario(store: Store, name: str, text: str, *, actor: Actor, base_version: int | None) -> int:
    """Save a scenario's YAML text as a new version; returns its number.

    ``base_version`` is the version the editor opened (None: a new scenario).  When someone
    saved a newer one meanwhile, or a new scenario's name is taken, :class:`Conflict` is raised
    and nothing is written; two saves at the same moment cannot both take one version number.
    """
    require(actor.role, "save_scenario")
    name = check_scenario_name(name)
    try:
        with store.session() as session:
            row = session.scalar(sa.select(Scenario).where(Scenario.name == name))
            if row is None:
                if base_version is not None:
                    raise _conflict(name, "was deleted", "已被删除")
                row = Scenario(name=name, owner=actor.label, created_at=utcnow())
                session.add(row)
                session.flush()
                latest = None
            else:
                latest = _latest(session, row.id)
                current = latest.version if latest else 0
                by = latest.saved_by if latest and latest.saved_by else "?"
                if base_version is None:
                    raise _conflict(name, f"already exists (version {current}, saved by {by}); load it to save "
                                    "a new version of it", f"已存在（第 {current} 版，由 {by} 保存）；"
                                    "请先载入它再保存新版本")
                if base_version != current:
                    raise _conflict(name, f"was saved as version {current} by {latest.saved_by if latest else ''} "
                                    "since you opened it", f"在您打开后已被 {latest.saved_by if latest else ''} "
                                    f"保存为第 {current} 版")
            version = (latest.version if latest else 0) + 1
            session.add(ScenarioVersion(scenario_id=row.id, version=version, text=text, saved_by=actor.label,
                                        saved_at=utcnow()))
            session.flush()
            audit.record(session, user=actor.label, action="scenario_save", obj=name,
                         before=None if latest is None else {"version": latest.version},
                         after={"version": version, "chars": len(text)})
            return version
    except sa.exc.IntegrityError as err:  # a save at the same moment took the name or the number
        raise _conflict(name, "was saved by someone else at the same moment", "刚刚被他人同时保存") from err


def _conflict(name: str, en: str, zh: str) -> Conflict:
    return Conflict(f"scenario {name!r} {en}; open it again to see the changes, or save under another name",
                    f"情景 {name!r} {zh}；请重新打开查看改动，或另存为其他名称")


def list_scenarios(store: Store) -> list[str]:
    """Names of the saved scenarios, sorted."""
    with store.session() as session:
        return sorted(session.scalars(sa.select(Scenario.name)))


def scenario_text(store: Store, name: str, version: int | None = None) -> tuple[str, int] | None:
    """A saved scenario's text and version number (default the newest), or None."""
    with store.session() as session:
        row = session.scalar(sa.select(Scenario).where(Scenario.name == str(name).strip()))
        if row is None:
            return None
        query = sa.select(ScenarioVersion).where(ScenarioVersion.scenario_id == row.id)
        found = session.scalar(query.where(ScenarioVersion.version == version)) if version is not None \
            else _latest(session, row.id)
        return None if found is None else (found.text, found.version)


def scenario_versions(store: Store, name: str) -> list[dict[str, Any]]:
    """Every version of a scenario: version, saved_by, saved_at."""
    with store.session() as session:
        row = session.scalar(sa.select(Scenario).where(Scenario.name == str(name).strip()))
        if row is None:
            return []
        return [{"version": v.version, "saved_by": v.saved_by or "", "saved_at": v.saved_at}
                for v in session.scalars(sa.select(ScenarioVersion).where(ScenarioVersion.scenario_id == row.id)
                                         .order_by(ScenarioVersion.version))]


def delete_scenario(store: Store, name: str, *, actor: Actor) -> None:
    """Delete a saved scenario and its versions (one's own, or as admin); audited with its last text."""
    with store.session() as session:
        row = session.scalar(sa.select(Scenario).where(Scenario.name == str(name).strip()))
        if row is None:
            return
        require(actor.role, "delete_scenario", owner=row.owner, user=actor.name)
        latest = _latest(session, row.id)
        session.execute(sa.delete(ScenarioVersion).where(ScenarioVersion.scenario_id == row.id))
        audit.record(session, user=actor.label, action="scenario_delete", obj=row.name,
                     before={"version": latest.version if latest else 0, "text": latest.text if latest else ""})
        session.delete(row)
