"""Shared fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pg_support import postgis_url  # noqa: F401  (a session fixture for every test module)


@pytest.fixture(autouse=True)
def _isolated_workspace(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own workspace folder, never the user's ~/.huli-zones."""
    ws = tmp_path_factory.mktemp("workspace")
    monkeypatch.setenv("HULI_WORKSPACE", str(ws))
    return ws


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """Folder of small test fixture files (see tests/data/README.md)."""
    return Path(__file__).parent / "data"


def pytest_report_header(config: pytest.Config) -> str:
    return f"HULI_WORKSPACE isolated per test; CI={os.environ.get('CI', '')}"
