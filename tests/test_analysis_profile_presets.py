"""The shipped profile presets (the Zhejiang/Huangyan one scored by hand, chosen by name in the CLI) and the
CLI's --standard."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from analysis.cli import main
from analysis.efficiency import rate_efficiency
from analysis.profile_presets import preset_dict, preset_names, resolve_profile
from core.errors import ConfigError


def test_presets_are_listed_and_valid() -> None:
    assert preset_names() == ("default", "zhejiang_huangyan")
    assert preset_dict("zhejiang_huangyan")["name"] == "zhejiang_huangyan"
    assert resolve_profile(None) is None
    with pytest.raises(ConfigError, match="zhejiang_huangyan") as err:
        preset_dict("nowhere")
    assert "预设" in err.value.message_zh


def test_zhejiang_preset_weights_benchmarks_and_the_unavailable_indicator() -> None:
    prof = resolve_profile("zhejiang_huangyan")
    assert prof is not None
    assert {i.name: i.weight for i in prof.indicators} == {
        "tax_per_mu": 30, "output_per_mu": 20, "energy_productivity": 20, "labour_productivity": 10, "rd_ratio": 10}
    assert {i.name: i.benchmark for i in prof.indicators} == {
        "tax_per_mu": 24.097, "output_per_mu": 136.16, "energy_productivity": 2.694, "labour_productivity": 18.14,
        "rd_ratio": 0.0302}
    assert len(prof.unavailable) == 1 and "单位排放增加值" in prof.unavailable[0][0]
    assert "emission" in prof.unavailable[0][1]
    assert prof.method == "percentiles"
    assert "stands in for value added" in prof.description


def test_zhejiang_score_by_hand() -> None:
    prof = resolve_profile("zhejiang_huangyan")
    # 10 mu; tax 481.94 -> 48.194/mu = 2 x 24.097 (ratio 2, the cap); output 680.8 -> 68.08/mu = 0.5 x 136.16;
    # energy 252.71 tce -> 680.8 / 252.71 = 2.69400 万元/tce (ratio 1.0000); 20 employees -> 34.04 万元/人
    # (ratio 34.04 / 18.14); R&D 15.1 of revenue 1000 -> 0.0151 (ratio 0.5)
    f = pd.DataFrame({"land_use": ["industrial"], "area_mu": [10.0], "tax": [481.94], "output_value": [680.8],
                      "energy": [680.8 / 2.694], "employees": [20], "rd_expense": [15.1], "revenue": [1000.0]})
    score = rate_efficiency(f, profile=prof)["efficiency_score"].iloc[0]
    expected = 100 * (30 * 2.0 + 20 * 0.5 + 20 * 1.0 + 10 * (34.04 / 18.14) + 10 * 0.5) / 90
    assert score == pytest.approx(expected)
    # with only tax and output known: the two weights (30 + 20) are re-normalised
    g = f[["land_use", "area_mu", "tax", "output_value"]]
    assert rate_efficiency(g, profile=prof)["efficiency_score"].iloc[0] == pytest.approx(100 * (60 + 10) / 50)


def test_zhejiang_classes_by_percentile() -> None:
    prof = resolve_profile("zhejiang_huangyan")
    # four scores, best first: strictly better shares 0, 1/4, 2/4, 3/4 -> A (< 25 %), B, B (< 70 %), C (< 95 %)
    f = pd.DataFrame({"land_use": ["industrial"] * 4, "area_mu": [10.0] * 4, "tax": [400.0, 300.0, 200.0, 100.0],
                      "output_value": [1000.0] * 4})
    assert rate_efficiency(f, profile=prof)["efficiency_class"].tolist() == ["A", "B", "B", "C"]


def test_cli_run_takes_a_preset_name(tmp_path: Path) -> None:
    out = tmp_path / "zj"
    assert main(["run", "--as-of", "2025-06-30", "--profile", "zhejiang_huangyan", "--out", str(out)]) == 0
    doc = json.loads((out / "parcels.geojson").read_text(encoding="utf-8"))
    classes = {f["properties"]["efficiency_class"] for f in doc["features"]}
    assert {"A", "B", "C"} <= classes


def test_cli_refuses_an_unknown_profile(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--profile", "nowhere", "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert "zhejiang_huangyan" in err and "预设" in err


def test_cli_run_takes_a_control_standard_file(tmp_path: Path) -> None:
    import yaml

    from analysis.control_standard import DEFAULT_STANDARD_PATH

    data = yaml.safe_load(DEFAULT_STANDARD_PATH.read_text(encoding="utf-8"))
    for row in data["divisions"].values():  # nothing can be below these minimums
        row["output_per_mu_min"]["value"] = 0.0
        row["tax_per_mu_min"]["value"] = 0.0
    path = tmp_path / "standard.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "std"
    assert main(["run", "--as-of", "2025-06-30", "--standard", str(path), "--out", str(out)]) == 0
    doc = json.loads((out / "parcels.geojson").read_text(encoding="utf-8"))
    bases = [f["properties"]["low_efficiency_basis"] for f in doc["features"]
             if f["properties"]["industry_code"] in data["divisions"]]
    assert bases and "below_standard" not in "".join(bases)


def test_cli_refuses_a_control_standard_of_the_wrong_shape(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("title: x\nedition: 2020\ndivisions:\n  '99': {name_zh: x}\n", encoding="utf-8")
    assert main(["run", "--standard", str(path), "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert "13-43" in err and "大类" in err
