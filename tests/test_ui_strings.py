"""Every text the pages show goes through ui.i18n: no Chinese literal in a page, no Chinese in English mode."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from analysis.efficiency import DEFAULT_PROFILE_PATH
from ui import state

ROOT = Path(__file__).resolve().parents[1]
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
SOURCES = sorted([ROOT / "app.py", *(ROOT / "ui" / "pages").glob("*.py")])
#: Chinese kept in English mode on purpose: the language switch names itself and the illustrative-data
#: notice quotes the Chinese tag the exports carry (amounts in 亿元 read ¥… bn or 100 M yuan in English).
ALLOWED = ("语言 / Language", "中文", "(示意数据)")


def _docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                out.add(id(first.value))
    return out


def _cjk_literals(path: Path) -> list[str]:
    """String literals with Chinese characters (docstrings aside), as ``line: text``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = _docstrings(tree)
    return [
        f"{node.lineno}: {node.value!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs
        and CJK.search(node.value)
    ]


def test_the_scan_finds_chinese_literals_but_not_docstrings(tmp_path: Path) -> None:
    fake = tmp_path / "page.py"
    fake.write_text('"""文档 is fine."""\nst.title("地块")\nst.caption(f"{n} 宗")\n', encoding="utf-8")
    assert [hit.split(":")[0] for hit in _cjk_literals(fake)] == ["2", "3"]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_no_chinese_literal_outside_i18n(path: Path) -> None:
    assert _cjk_literals(path) == []


def _texts(at: AppTest) -> list[str]:
    out: list[str] = []
    for kind in ("title", "subheader", "header", "caption", "markdown", "info", "warning", "error", "success", "text"):
        out += [e.value for e in at.get(kind)]
    out += [f"{m.label} {m.value}" for m in at.metric]
    for kind in ("button", "download_button", "checkbox", "radio", "selectbox", "multiselect", "slider",
                 "number_input", "text_input", "text_area", "date_input", "expander", "tab"):
        for e in at.get(kind):
            label = getattr(e, "label", None) or getattr(getattr(e, "proto", None), "label", "")
            out.append(str(label))
            out += [str(o) for o in (getattr(e, "options", None) or [])]
            out.append(str(getattr(e, "placeholder", "") or ""))
    for kind in ("dataframe", "table"):
        for d in at.get(kind):
            out += [str(c) for c in d.value.columns]
            out += [str(v) for c in d.value.columns if str(c) not in _PROPER_NAMES for v in d.value[c].unique()]
            out += [str(v) for v in d.value.index]
    for chart in at.get("vega_lite_chart"):
        out += _chart_texts(json.loads(chart.proto.spec))
    return out


#: The efficiency profile's sources: the cited documents by their (Chinese) names, with notes.
_SOURCES = tuple(f"· {source}" for source in yaml.safe_load(
    Path(DEFAULT_PROFILE_PATH).read_text(encoding="utf-8")).get("sources") or ())

#: Columns whose values are names in the data (firms), shown as they are in both languages.
_PROPER_NAMES = ("Enterprise", "权利人")


def _chart_texts(spec: dict) -> list[str]:
    """Titles and category labels of a chart (legend, axes, colour domain)."""
    out: list[str] = []
    for channel in spec.get("encoding", {}).values():
        if isinstance(channel, dict):
            out += [str(channel.get("title") or "")]
            out += [str(v) for v in (channel.get("scale") or {}).get("domain", [])]
            out += [str((channel.get("legend") or {}).get("title") or "")]
    return out


@pytest.mark.parametrize("page", ["overview", "parcels", "expiry", "efficiency", "airport", "data"])
def test_english_mode_shows_no_chinese(page: str) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state[state.LANG] = "en"
    at.run()
    if page != "overview":
        at.switch_page(f"ui/pages/{page}.py").run()
    assert not at.exception, at.exception
    found = []
    for text in _texts(at):
        rest = text
        for ok in (*ALLOWED, *_SOURCES):
            rest = rest.replace(ok, "")
        if CJK.search(rest):
            found.append(text)
    assert found == []


def test_labels_looked_up_by_computed_keys_exist() -> None:
    from ui import i18n
    from ui.downloads import CRS_CHOICES
    from ui.pages.airport import _SCOPES

    keys = [f"dl.crs.{c.split(':')[-1]}" for c in CRS_CHOICES]
    keys += [f"ap.scope.{s}" for s in _SCOPES]
    keys += [f"data.col.{c}" for c in ("row", "parcel_id", "code", "severity", "message", "action", "field", "value",
                                       "n")]
    keys += ["ap.on_schedule", "ap.delayed", "ap.custom"]
    assert [k for k in keys if k not in i18n.TEXT] == []
