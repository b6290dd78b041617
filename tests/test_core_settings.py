"""Settings read from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import ConfigError
from core.settings import SQM_PER_MU, get_settings


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HULI_METRIC_CRS", "HULI_MAX_UPLOAD_MB", "HULI_MAX_UNPACKED_MB", "HULI_MAX_ARCHIVE_MEMBERS"):
        monkeypatch.delenv(name, raising=False)
    s = get_settings()
    assert s.metric_crs == "EPSG:4548"
    assert (s.max_upload_mb, s.max_unpacked_mb, s.max_archive_members) == (200, 1024, 2000)


def test_overrides(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HULI_WORKSPACE", str(tmp_path))
    monkeypatch.setenv("HULI_MAX_UNPACKED_MB", "5")
    monkeypatch.setenv("HULI_MAX_ARCHIVE_MEMBERS", "12")
    s = get_settings()
    assert s.workspace == tmp_path
    assert (s.max_unpacked_mb, s.max_archive_members) == (5, 12)


@pytest.mark.parametrize("value", ["abc", "0", "-3", "1.5"])
def test_bad_numbers_are_refused_with_the_fix(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("HULI_MAX_UPLOAD_MB", value)
    with pytest.raises(ConfigError, match=r"HULI_MAX_UPLOAD_MB.*positive whole number"):
        get_settings()


def test_region_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("HULI_REGION", raising=False)
    monkeypatch.delenv("HULI_REGION_MARGIN_M", raising=False)
    assert (get_settings().region, get_settings().region_margin_m) == ("", 1000.0)
    monkeypatch.setenv("HULI_REGION", str(tmp_path / "r.gpkg"))
    monkeypatch.setenv("HULI_REGION_MARGIN_M", "0")
    assert (get_settings().region, get_settings().region_margin_m) == (str(tmp_path / "r.gpkg"), 0.0)


@pytest.mark.parametrize("value", ["abc", "-1", "inf", "nan"])
def test_bad_margin_is_refused_with_the_fix(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("HULI_REGION_MARGIN_M", value)
    with pytest.raises(ConfigError, match=r"HULI_REGION_MARGIN_M.*0 or more"):
        get_settings()


def test_one_mu_is_a_fifteenth_of_a_hectare() -> None:
    assert SQM_PER_MU * 15 == pytest.approx(10000.0)
