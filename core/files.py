"""Atomic file writes: the one way the product replaces a file.

A file is written to a temporary sibling and renamed over the target with :func:`os.replace`,
so a reader (another browser, another app server, a crash mid-write) never sees half a file.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["atomic_write", "atomic_write_bytes", "atomic_write_text", "atomic_write_json"]


def atomic_write(path: str | Path, writer: Callable[[Path], object], *, mode: int = 0o644) -> Path:
    """Write ``path`` by calling ``writer(tmp)`` on a temporary sibling, then renaming it.

    Parameters
    ----------
    path
        The file to create or replace (its folder is created when missing).
    writer
        Called with the temporary path; it writes the whole content there.
    mode
        Permission bits of the finished file (``mkstemp`` creates it private).

    Returns
    -------
    ``path``. On any error the temporary file is removed and ``path`` is left as it was.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    # the temporary name ends like the target, so drivers that check the extension (GDAL) accept it
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}.tmp", suffix=target.suffix)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        writer(tmp)
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()
    return target


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically."""
    return atomic_write(path, lambda tmp: tmp.write_bytes(data))


def atomic_write_text(path: str | Path, text: str) -> Path:
    """Write ``text`` as UTF-8 to ``path`` atomically."""
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def atomic_write_json(path: str | Path, obj: Any, *, indent: int | None = 2) -> Path:
    """Write ``obj`` as UTF-8 JSON (non-ASCII kept, dates as text) to ``path`` atomically."""
    return atomic_write_text(path, json.dumps(obj, ensure_ascii=False, indent=indent, default=str))
