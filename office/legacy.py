"""A workspace of a single-desk install, imported into the store once.

Before the store, everything lived in files of the workspace: ``uploads/<id>/`` (kept: parcel
layers stay GeoParquet there), ``scenarios/<name>.yaml``, ``profile.json`` (the one edited
profile, which applied to everybody), ``active.json`` (the one active dataset) and
``ui_state.json`` (the one set of choices).  On first start they become: dataset records,
scenarios (version 1), the published district profile, the district default dataset and the
choices new people start from (``ui_defaults``).  The files are left where they are; nothing
is deleted.  The import runs once per store (the ``workspace_imported`` marker) and is audited.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from office import audit
from office.store import Store
from office.tables import Dataset, Profile, Publication, Scenario, ScenarioVersion, SharedSetting, utcnow

__all__ = ["import_workspace", "MARKER", "UI_DEFAULTS"]

log = logging.getLogger(__name__)

MARKER = "workspace_imported"
UI_DEFAULTS = "ui_defaults"
_ID = re.compile(r"^[0-9a-f]{16}$")
_SCENARIO = re.compile(r"^\w[\w\- ]{0,59}$", re.UNICODE)


def _json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as err:
        log.warning("not imported, unreadable: %s (%s)", path, err)
        return None


def _report_summary(path: Path) -> dict[str, Any]:
    """Counts of a stored report.csv by severity (what the dataset list shows)."""
    import pandas as pd

    if not path.exists():
        return {}
    try:
        report = pd.read_csv(path, encoding="utf-8-sig")
    except (OSError, ValueError):
        return {}
    if "severity" not in report.columns:
        return {"issues": len(report)}
    return {"issues": len(report), **{str(k): int(v) for k, v in report["severity"].value_counts().items()}}


def import_workspace(store: Store, root: Path) -> dict[str, int] | None:
    """Import ``root``'s files into ``store`` unless done before; returns what was imported."""
    with store.session() as session:
        if session.get(SharedSetting, MARKER) is not None:
            return None
    counts = {"datasets": 0, "scenarios": 0, "profile": 0, "default_dataset": 0, "ui_defaults": 0}
    try:
        with store.session() as session:
            session.add(SharedSetting(key=MARKER, value=utcnow().isoformat(timespec="seconds") + "Z",
                                      updated_at=utcnow()))
            session.flush()  # a second server importing at the same moment stops here
            uploads = root / "uploads"
            for folder in sorted(uploads.iterdir()) if uploads.is_dir() else []:
                if not (_ID.match(folder.name) and (folder / "parcels.parquet").exists()):
                    continue
                if session.get(Dataset, folder.name) is not None:
                    continue
                opts = _json(folder / "options.json") or {}
                stamp = (folder / "parcels.parquet").stat().st_mtime
                session.add(Dataset(
                    id=folder.name, name=str(opts.get("name") or opts.get("filename") or folder.name)[:255],
                    owner=None, created_at=dt.datetime.fromtimestamp(stamp, dt.UTC).replace(tzinfo=None),
                    source_file=str(opts.get("filename") or "")[:255], read_options=opts,
                    validation=_report_summary(folder / "report.csv")))
                counts["datasets"] += 1
            scen = root / "scenarios"
            for path in sorted(scen.glob("*.yaml")) if scen.is_dir() else []:
                if not _SCENARIO.match(path.stem) or session.scalar(
                        sa.select(Scenario).where(Scenario.name == path.stem)) is not None:
                    continue
                row = Scenario(name=path.stem, owner=None, created_at=utcnow())
                session.add(row)
                session.flush()
                session.add(ScenarioVersion(scenario_id=row.id, version=1, text=path.read_text(encoding="utf-8"),
                                            saved_by=None, saved_at=utcnow()))
                counts["scenarios"] += 1
            profile = _json(root / "profile.json")
            if isinstance(profile, dict):
                prow = Profile(content=profile, saved_by=None, saved_at=utcnow())
                session.add(prow)
                session.flush()
                session.add(SharedSetting(key="default_profile", value=prow.id, updated_at=utcnow()))
                session.add(Publication(key="default_profile", value=prow.id, published_at=utcnow()))
                counts["profile"] = 1
            active = _json(root / "active.json")
            if isinstance(active, dict) and isinstance(active.get("dataset"), str):
                session.add(SharedSetting(key="default_dataset", value=active["dataset"], updated_at=utcnow()))
                session.add(Publication(key="default_dataset", value=active["dataset"], published_at=utcnow()))
                counts["default_dataset"] = 1
            ui_state = _json(root / "ui_state.json")
            if isinstance(ui_state, dict) and ui_state:
                session.add(SharedSetting(key=UI_DEFAULTS, value=ui_state, updated_at=utcnow()))
                counts["ui_defaults"] = 1
            audit.record(session, user=None, action="workspace_import", obj=str(root), after=counts)
    except sa.exc.IntegrityError:
        log.info("the workspace was imported by another process at the same moment")
        return None
    if any(counts.values()):
        log.info("imported the workspace %s into the store: %s", root, counts)
    return counts
