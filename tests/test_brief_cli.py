"""``python -m analysis brief``: the PDF's text against ``summary.json`` of the same run, its fonts,
the English edition, the same file for the same inputs, and bad input (exit 2, no file)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject

from analysis.cli import main

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts" / "brief"
AS_OF, YEAR, EPOCH = "2026-01-01", "2030", "1767225600"  # 2026-01-01 00:00 UTC
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")


def _text(pdf: Path) -> str:
    """Every page's text, whitespace runs collapsed to one space."""
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(pdf).pages))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """One run and three briefings of the embedded data: Chinese with a comparison (twice), English."""
    out = tmp_path_factory.mktemp("brief")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HULI_WORKSPACE", str(out / "ws"))
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        common = ["--year", YEAR, "--as-of", AS_OF]
        assert main(["run", "--scenario", "on_schedule", *common, "--out", str(out / "run")]) == 0
        assert main(["brief", "--scenario", "on_schedule", "--compare", "delayed", *common,
                     "--out", str(out / "zh.pdf")]) == 0
        assert main(["brief", "--scenario", "on_schedule", "--compare", "delayed", *common,
                     "--out", str(out / "zh_again.pdf")]) == 0
        assert main(["brief", "--scenario", "on_schedule", "--lang", "en", *common, "--out", str(out / "en.pdf")]) == 0
    summary = json.loads((out / "run" / "summary.json").read_text(encoding="utf-8"))
    parcels = json.loads((out / "run" / "parcels.geojson").read_text(encoding="utf-8"))
    yield {"dir": out, "summary": summary, "parcels": parcels}


def _kpi(summary: dict[str, Any], name: str) -> float:
    (value,) = [k["value"] for k in summary["scenario"]["kpis"] if k["kpi"] == name and k["scope"] == "total"]
    return float(value)


def test_the_figures_are_those_of_summary_json(built: dict[str, Any]) -> None:
    text = _text(built["dir"] / "zh.pdf")
    s = built["summary"]
    d = s["district"]
    assert f"{d['parcel_count']:,}" in text
    assert f"{d['area_mu']:,.1f} 亩" in text
    assert f"{d['industrial_area_mu']:,.1f} 亩" in text
    expiring = sum(d["area_mu_by_expiry_status"][k] for k in ("expired", "within_5y", "within_10y"))
    assert f"{expiring:,.1f} 亩" in text
    assert f"{d['output_value_wan_yuan'] / 1e4:,.1f} 亿元" in text  # 万元 → 亿元
    for zone in s["zones"].values():
        assert zone["name_zh"] in text
        assert f"{zone['area_mu']:,.1f} 亩" in text
    # the year's KPIs, printed as the briefing prints them: 亿元 one decimal, ha/km one decimal, 万m²
    assert f"{_kpi(s, 'projected_output_yi'):,.1f} 亿元" in text
    assert f"{_kpi(s, 'released_airport_land_ha'):,.1f}" in text
    assert f"{_kpi(s, 'floor_area_gain_m2') / 1e4:,.1f}" in text
    assert f"{_kpi(s, 'test_road_km'):,.1f}" in text
    assert f"{_kpi(s, 'developable_land_ha'):,.1f}" in text
    # the plan's targets: 150 亿元 in 2022, 200 亿元 in 2025
    assert "150.0 亿元" in text and "200.0 亿元" in text
    assert "示意数据" in text and AS_OF in text and "2026-01-01 00:00 UTC" in text and "内置默认方案" in text
    assert "按计划搬迁" in text and "搬迁推迟" in text  # both scenarios' titles
    assert re.search(r"第 1 页，共 (\d+) 页", text)


def test_pages_fonts_and_page_count(built: dict[str, Any]) -> None:
    reader = PdfReader(built["dir"] / "zh.pdf")
    assert 4 <= len(reader.pages) <= 12
    fonts = _fonts(reader)
    assert fonts, "the text is set in some font"
    assert all(embedded for embedded in fonts.values()), {k: v for k, v in fonts.items() if not v}
    assert any("NotoSansCJK" in name for name in fonts)


def _fonts(reader: PdfReader) -> dict[str, bool]:
    """Every font of every page (and of the forms the pages draw), and whether its file is embedded."""
    found: dict[str, bool] = {}
    seen: set[int] = set()

    def resolve(obj: Any) -> Any:
        return obj.get_object() if isinstance(obj, IndirectObject) else obj

    def walk(resources: Any) -> None:
        resources = resolve(resources)
        if not isinstance(resources, DictionaryObject) or id(resources) in seen:
            return
        seen.add(id(resources))
        for font in resolve(resources.get("/Font", DictionaryObject())).values():
            font = resolve(font)
            descendants = [resolve(f) for f in resolve(font.get("/DescendantFonts", []))] or [font]
            for f in descendants:
                desc = resolve(f.get("/FontDescriptor", DictionaryObject()))
                name = str(f.get("/BaseFont", font.get("/BaseFont", "?")))
                found[name] = any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
        for xobject in resolve(resources.get("/XObject", DictionaryObject())).values():
            xobject = resolve(xobject)
            if "/Resources" in xobject:
                walk(xobject["/Resources"])

    for page in reader.pages:
        walk(page.get("/Resources"))
    return found


def test_english_has_no_chinese_but_names_and_the_notice(built: dict[str, Any]) -> None:
    text = _text(built["dir"] / "en.pdf")
    s = built["summary"]
    assert "Decision briefing" in text
    assert f"{s['district']['area_mu']:,.1f} mu" in text
    for zone in s["zones"].values():
        assert zone["name_en"] in text
    names = {str(f["properties"].get("enterprise") or "") for f in built["parcels"]["features"]}
    allowed = {"示意数据"}
    stray = [run for run in CJK.findall(text) if run not in allowed and not any(run in n for n in names)]
    assert stray == []
    assert "亿元" not in text and "亩" not in text


def test_same_inputs_same_document(built: dict[str, Any]) -> None:
    assert _text(built["dir"] / "zh.pdf") == _text(built["dir"] / "zh_again.pdf")
    assert (built["dir"] / "zh.pdf").read_bytes() == (built["dir"] / "zh_again.pdf").read_bytes()


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) not installed")
def test_pages_render_to_png(built: dict[str, Any]) -> None:
    """Every page as a PNG under artifacts/brief/ (looked at when the layout changes)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name in ("zh", "en"):
        for old in ARTIFACTS.glob(f"{name}-*.png"):
            old.unlink()
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(built["dir"] / f"{name}.pdf"), str(ARTIFACTS / name)],
                       check=True)
        pages = sorted(ARTIFACTS.glob(f"{name}-*.png"))
        assert len(pages) == len(PdfReader(built["dir"] / f"{name}.pdf").pages)
        assert all(p.stat().st_size > 5_000 for p in pages)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--scenario", "no_such_scenario"], "no_such_scenario"),
        (["--scenario", "on_schedule", "--year", "1999"], "1999"),
        (["--scenario", "on_schedule", "--compare", "delayed", "nope"], "nope"),
        (["--scenario", "on_schedule", "--lang", "en", "--parcels", "BROKEN"], "broken"),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                              args: list[str], message: str) -> None:
    broken = tmp_path / "broken.geojson"
    broken.write_text("{not json", encoding="utf-8")
    args = [str(broken) if a == "BROKEN" else a for a in args]
    out = tmp_path / "b.pdf"
    assert main(["brief", *args, "--as-of", AS_OF, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "错误 / error" in err and message in err
    assert CJK.search(err) and re.search(r"[A-Za-z]{4}", err)  # both languages
    assert list(tmp_path.iterdir()) == [broken]


@pytest.mark.parametrize("where", ["under_a_file", "a_folder", "not_pdf"])
def test_unwritable_out_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str) -> None:
    blocker = tmp_path / "file.txt"
    blocker.write_text("x", encoding="utf-8")
    out = {"under_a_file": blocker / "b.pdf", "a_folder": tmp_path, "not_pdf": tmp_path / "b.txt"}[where]
    assert main(["brief", "--scenario", "on_schedule", "--out", str(out)]) == 2
    assert "--out" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt"]


def test_a_scenario_saved_in_the_office(tmp_path: Path) -> None:
    """A saved scenario's name: read from the store through the scenario loader, named as saved."""
    import yaml
    from office_support import save_scenario

    from ui import scenarios

    data = yaml.safe_load(scenarios.template_text("delayed"))
    data.update(relocation_year=2031, title_zh="晚一年搬迁", title_en="One year later")
    save_scenario("晚一年", yaml.safe_dump(data, allow_unicode=True))
    out = tmp_path / "saved.pdf"
    assert main(["brief", "--scenario", "晚一年", "--year", "2032", "--as-of", AS_OF, "--out", str(out)]) == 0
    text = _text(out)
    assert "晚一年搬迁" in text and "搬迁年份：2031 年" in text  # its title and its own assumptions (Typst spaces digits from CJK)


def test_the_cover_names_the_control_standard(built: dict[str, Any], tmp_path: Path) -> None:
    """The shipped table by default; a table given with --standard by its own title."""
    import yaml

    from analysis.control_standard import DEFAULT_STANDARD_PATH

    def bare(text: str) -> str:  # Typst spaces digits from CJK text: compare without spaces
        return re.sub(r"\s+", "", text)

    assert "厦门市工业项目建设用地控制标准（2020版）" in bare(_text(built["dir"] / "zh.pdf"))
    assert bare("Xiamen control standard for industrial project land (2020 edition)") in bare(
        _text(built["dir"] / "en.pdf"))
    table = yaml.safe_load(DEFAULT_STANDARD_PATH.read_text(encoding="utf-8"))
    table.update(title="湖里区试行控制标准", title_en="Huli trial control standard", edition=2025)
    path = tmp_path / "standard.yaml"
    path.write_text(yaml.safe_dump(table, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "own.pdf"
    assert main(["brief", "--scenario", "delayed", "--year", YEAR, "--as-of", AS_OF, "--standard", str(path),
                 "--out", str(out)]) == 0
    assert "湖里区试行控制标准(2025)" in bare(_text(out))
