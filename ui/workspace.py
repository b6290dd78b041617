"""The app's persistent workspace: the files of uploaded layers and their field mappings.

Everything lives under ``core.settings.get_settings().workspace`` and is written
atomically with :mod:`core.files`, so a browser
refresh or a restart loses nothing and a failed write never leaves half a file.  The
embedded data are never written.  Who uploaded what, saved scenarios, profiles and each
person's choices are records of the office store (:mod:`office`; its SQLite file
``office.sqlite`` is here too unless ``HULI_DATABASE_URL`` names another database).

Layout::

    <workspace>/
        office.sqlite                  the office store (the embedded default)
        uploads/<id>/source/<name>     the file as uploaded
        uploads/<id>/tables/<n>/<name> statistics tables joined on, in order (a dataset made by joins)
        uploads/<id>/options.json      crs, encoding, layer, field_map, filename, name, joins
        uploads/<id>/parcels.parquet   canonical parcels (GeoParquet) on an SQLite store (office.layers;
                                       with PostgreSQL they are a PostGIS table)
        uploads/<id>/report.csv        validation report
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from pathlib import Path
from typing import Any

import pandas as pd

from core.errors import InputFileError
from core.files import atomic_write, atomic_write_bytes, atomic_write_json
from core.settings import get_settings

__all__ = [
    "EMBEDDED",
    "workspace_dir",
    "read_json",
    "upload_id",
    "upload_dir",
    "store_source",
    "source_path",
    "read_options",
    "write_options",
    "save_report",
    "load_report",
    "is_upload_id",
]

logger = logging.getLogger(__name__)

#: Id of the embedded illustrative dataset.
EMBEDDED = "embedded"

_ID_RE = re.compile(r"^[0-9a-f]{16}$")
_SAFE_NAME = re.compile(r"[^\w.\-]+", re.UNICODE)


def workspace_dir() -> Path:
    """The workspace folder (created if missing)."""
    root = get_settings().workspace
    root.mkdir(parents=True, exist_ok=True)
    return root


def read_json(path: Path, default: Any = None) -> Any:
    """Read a JSON file; ``default`` when it is missing or unreadable (logged)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return default
    except (OSError, ValueError) as err:
        logger.warning("ignoring unreadable %s: %s", path, err)
        return default


def upload_id(data: bytes, filename: str) -> str:
    """Stable id of an uploaded file (content and name)."""
    h = hashlib.sha256(data)
    h.update(filename.encode("utf-8"))
    return h.hexdigest()[:16]


def upload_dir(dataset_id: str) -> Path:
    """Folder of one upload; raises for an id that is not an upload id."""
    if not _ID_RE.match(dataset_id):
        raise InputFileError(
            f"Unknown dataset id {dataset_id!r}: expected 16 hex digits or {EMBEDDED!r}.",
            f"未知的数据集编号 {dataset_id!r}：应为16位十六进制或 {EMBEDDED!r}。",
        )
    return workspace_dir() / "uploads" / dataset_id


def _safe_filename(name: str) -> str:
    base = Path(name).name or "upload"
    return _SAFE_NAME.sub("_", base)[:120] or "upload"


def store_source(data: bytes, filename: str) -> str:
    """Keep an uploaded file in the workspace; returns its upload id."""
    uid = upload_id(data, filename)
    folder = upload_dir(uid) / "source"
    target = folder / _safe_filename(filename)
    if not target.exists():
        atomic_write_bytes(target, data)
    return uid


def store_joined(source: bytes, filename: str, tables: list[tuple[str, bytes]]) -> str:
    """Keep a parcel file and the statistics tables joined onto it, in order, as one dataset.

    The id hashes every file, so joining another table (or the same table onto another
    layer) makes another dataset and the one joined onto stays as it was.
    """
    h = hashlib.sha256(source)
    h.update(filename.encode("utf-8"))
    for name, data in tables:
        h.update(b"\0joined with\0")
        h.update(data)
        h.update(name.encode("utf-8"))
    uid = h.hexdigest()[:16]
    files = [(upload_dir(uid) / "source" / _safe_filename(filename), source)]
    files += [(upload_dir(uid) / "tables" / str(i) / _safe_filename(name), data) for i, (name, data) in enumerate(tables)]
    for target, data in files:
        if not target.exists():
            atomic_write_bytes(target, data)
    return uid


def table_paths(dataset_id: str) -> list[Path]:
    """The statistics tables joined onto ``dataset_id``, in the order they apply."""
    root = upload_dir(dataset_id) / "tables"
    if not root.is_dir():
        return []
    out = []
    for folder in sorted((p for p in root.iterdir() if p.is_dir() and p.name.isdigit()), key=lambda p: int(p.name)):
        files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
        out.extend(files[:1])
    return out


def dataset_name(dataset_id: str) -> str:
    """What a dataset is called in the UI: its name (a joined one: layer + table), else its file name."""
    opts = read_options(dataset_id)
    return str(opts.get("name") or opts.get("filename") or dataset_id)


def source_path(dataset_id: str) -> Path | None:
    """The uploaded file of ``dataset_id``, or None."""
    folder = upload_dir(dataset_id) / "source"
    files = sorted(p for p in folder.glob("*") if p.is_file() and not p.name.startswith("."))
    return files[0] if files else None


def read_options(dataset_id: str) -> dict[str, Any]:
    """Reading options (crs, encoding, layer, field_map, filename) of an upload."""
    return read_json(upload_dir(dataset_id) / "options.json", {}) or {}


def write_options(dataset_id: str, options: dict[str, Any]) -> None:
    """Persist the reading options of an upload."""
    atomic_write_json(upload_dir(dataset_id) / "options.json", options)


def save_report(dataset_id: str, report: pd.DataFrame) -> Path:
    """Store an upload's validation report as CSV (UTF-8 with BOM)."""
    text = report.to_csv(index=False)
    return atomic_write(
        upload_dir(dataset_id) / "report.csv", lambda tmp: tmp.write_text(text, encoding="utf-8-sig")
    )


def load_report(dataset_id: str) -> pd.DataFrame | None:
    """The stored validation report of an upload, or None."""
    path = upload_dir(dataset_id) / "report.csv"
    if not path.exists():
        return None
    return pd.read_csv(path, encoding="utf-8-sig")


def is_upload_id(dataset_id: str) -> bool:
    """Whether ``dataset_id`` has the form of an upload id (16 hex digits)."""
    return bool(_ID_RE.match(dataset_id))
