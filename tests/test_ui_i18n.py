"""Every label exists in Chinese and English and takes the same placeholders."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from parcels.schema import EFFICIENCY_CLASSES, EXPIRY_STATUSES, LAND_USES
from ui import i18n
from ui.mapview import THEMES

ROOT = Path(__file__).resolve().parents[1]
_LITERAL_KEY = re.compile(r"""\bt\(\s*["']([a-z_][a-z0-9_.]*)["']""")


def _used_keys() -> set[str]:
    sources = [ROOT / "app.py", *(ROOT / "ui").rglob("*.py")]
    return {k for p in sources for k in _LITERAL_KEY.findall(p.read_text(encoding="utf-8"))}


def test_every_key_used_in_the_code_has_a_label() -> None:
    used = _used_keys()
    assert len(used) > 50
    assert sorted(used - set(i18n.TEXT)) == []


@pytest.mark.parametrize("key", sorted(i18n.TEXT))
def test_both_languages_present_with_the_same_placeholders(key: str) -> None:
    zh, en = i18n.TEXT[key]
    assert zh.strip() and en.strip()
    fields = [{f for _, f, _, _ in string.Formatter().parse(text) if f} for text in (zh, en)]
    assert fields[0] == fields[1]


@pytest.mark.parametrize("prefix", ["page.overview", "page.parcels", "page.expiry", "page.efficiency",
                                    "page.airport", "page.data"])
def test_pages_have_distinct_titles(prefix: str) -> None:
    assert i18n.t(prefix, "zh") != i18n.t(prefix, "en")


def test_dynamic_keys_exist() -> None:
    for theme in THEMES:
        assert f"theme.{theme}" in i18n.TEXT
    for basemap in ("offline", "osm", "tianditu", "amap"):
        assert f"basemap.{basemap}" in i18n.TEXT


def test_category_labels() -> None:
    for use in LAND_USES:
        assert i18n.land_use_label(use, "zh") != use
        assert i18n.land_use_label(use, "en") != use
    for status in EXPIRY_STATUSES:
        assert i18n.expiry_label(status, "zh") != status
    for cls in EFFICIENCY_CLASSES:
        assert i18n.class_label(cls, "en")
    assert i18n.zone_label("", "zh") == "功能区外"
    assert i18n.zone_label(float("nan"), "en") == "Outside the zones"
    assert i18n.field_label("area_mu", "zh") == "面积（亩）"


def test_unknown_key_is_shown_as_itself() -> None:
    assert i18n.t("no.such.key", "zh") == "no.such.key"


def test_formatting() -> None:
    assert i18n.t("filter.count", "en", n=3, total=10) == "Filtered: 3 of 10 parcels"
