"""The project's own layering and lint rules, checked mechanically."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORE_PACKAGES = ("core", "parcels", "zones", "analysis", "geodata")
UI_IMPORT = re.compile(r"^\s*(import|from)\s+(streamlit|folium|streamlit_folium|branca)\b", re.M)


def test_analysis_layers_never_import_the_ui() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for pkg in CORE_PACKAGES
        for path in (ROOT / pkg).rglob("*.py")
        if UI_IMPORT.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], f"these modules import the UI layer: {offenders}"


def test_ruff_is_clean() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_is_clean(tmp_path: Path) -> None:
    """Type checking of the product code (settings in pyproject.toml); the cache is kept out of the tree."""
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "mypy-cache")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
