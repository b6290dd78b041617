"""geodata.build: the embedded GeoPackage is rebuilt deterministically from code."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyogrio
import pytest

import geodata
from geodata.build import EMBEDDED_PARCELS, main


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_rebuild_is_byte_identical(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first, second = tmp_path / "a.gpkg", tmp_path / "b.gpkg"
    assert main(["--out", str(first)]) == 0
    assert main(["--out", str(second)]) == 0
    assert "parcels 600" in capsys.readouterr().out
    assert _digest(first) == _digest(second)
    assert [str(r[0]) for r in pyogrio.list_layers(first)] == list(geodata.LAYERS)
    assert pyogrio.read_info(first, layer="parcels")["features"] == EMBEDDED_PARCELS
    assert first.stat().st_size < 5 * 1024 * 1024


def test_rebuild_keeps_the_shipped_file_untouched(tmp_path: Path) -> None:
    shipped = geodata.get_path("huli")
    before = _digest(shipped)
    assert main(["--out", str(tmp_path / "c.gpkg")]) == 0
    assert _digest(shipped) == before
