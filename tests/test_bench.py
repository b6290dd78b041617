"""The city-scale benchmark: ``python -m bench`` (no timing assertions)."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import pytest

from bench.cli import main
from bench.options import QUICK_SIZES, parse_sizes
from bench.report import default_output_path, format_markdown, format_table, format_targets
from bench.stages import FLOOR_STAGES, RUN_STAGES, STAGES
from core.errors import ConfigError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1000", (1000,)),
        ("1000,10000", (1000, 10000)),
        (" 1_000 , 5k ,1m", (1000, 5000, 1_000_000)),
        ("2.5k", (2500,)),
        ("100000,", (100000,)),
    ],
)
def test_parse_sizes(text: str, expected: tuple[int, ...]) -> None:
    assert parse_sizes(text) == expected


@pytest.mark.parametrize("text", ["0", "-5", "abc", "", ",", "1000,x"])
def test_parse_sizes_refuses_bad_counts(text: str) -> None:
    with pytest.raises(ConfigError, match="--sizes"):
        parse_sizes(text)


def test_default_output_path_is_timestamped_under_benchmarks_output() -> None:
    when = dt.datetime(2026, 11, 25, 8, 30, 5, tzinfo=dt.UTC)
    assert default_output_path(when) == Path("benchmarks/output/bench-20261125T083005Z.json")


def _fake_document(n: int, seconds: dict[str, float], *, payload: int, peak_mib: float) -> dict[str, object]:
    run = sum(seconds[s] for s in RUN_STAGES)
    floor = sum(seconds[s] for s in FLOOR_STAGES)
    stages = {s: {"seconds": v, "parcels_per_second": n / v, "peak_rss_mib": peak_mib, "rss_after_mib": 1.0}
              for s, v in seconds.items()}
    return {
        "stages": list(STAGES),
        "run_stages": list(RUN_STAGES),
        "floor_stages": list(FLOOR_STAGES),
        "sizes": [{
            "parcels": n, "generate_seconds": 1.0, "generate_peak_rss_mib": 10.0, "stages": stages,
            "run_seconds": run, "io_floor_seconds": floor, "ratio": run / floor,
            "ratio_without_heights": (run - seconds["heights"]) / floor,
            "ratio_warm_cache": (run - seconds["heights"] + seconds["heights_warm"]) / floor,
            "map_payload_bytes_per_parcel": payload / n, "geojson_bytes_per_parcel": 1000.0, "peak_rss_mib": peak_mib,
        }],
    }


def test_table_and_targets_from_a_known_document() -> None:
    # 100,000 parcels; run = 1 + 2 + 0.5 + 1.5 = 5 s, floor = 1 + 1.5 = 2.5 s -> ratio 2.00 (target met)
    seconds = dict.fromkeys(STAGES, 0.25)
    seconds.update(io_floor_read=1.0, io_floor_write=1.5, ingest=1.0, analysis=2.0, heights=0.5, write_outputs=1.5)
    doc = _fake_document(100_000, seconds, payload=30_000_000, peak_mib=2048.0)
    table = format_table(doc)
    assert "run / I/O floor = 2.00 at 100,000 parcels" in table
    assert "(warm height cache 1.90, without heights 1.80)" in table  # (5 - 0.5 + 0.25) / 2.5; (5 - 0.5) / 2.5
    assert "map payload 300 B/parcel" in table
    for stage in STAGES:
        assert stage in table
    # 5 s for 100,000 parcels -> 20,000 parcels/s on the "= run" row
    assert any(line.split()[1:3] == ["=", "run"] and "20,000" in line for line in table.splitlines())
    targets = format_targets(doc)
    assert "at 100,000: 2.00 met" in targets
    assert "1,000,000 end to end: not measured" in targets
    assert "300 (largest over sizes) MISSED" in targets  # 300 > 250 B/parcel
    assert "briefing of the embedded data <= 15 s: not measured" in targets
    doc["briefing"] = {"seconds": 16.0, "parts": {"analysis": 1.0, "gather": 5.0, "figures_typeset": 10.0},
                       "pdf_bytes": 2048}
    assert "briefing of the embedded data <= 15 s: 16.00 s MISSED (analysis 1.00 s, gather 5.00 s, " \
           "figures_typeset 10.00 s; 2 KiB)" in format_targets(doc)


def test_markdown_tables_from_a_known_document() -> None:
    seconds = dict.fromkeys(STAGES, 0.5)  # run = 4 x 0.5 = 2 s; floor = 1 s; 10,000 / 2 s = 5,000 parcels/s
    doc = _fake_document(10_000, seconds, payload=800_000, peak_mib=512.0)
    md = format_markdown(doc)
    assert "| stage | 10,000 |" in md
    assert "| **run** | 2.00 |" in md
    assert "| **run** | 5,000 |" in md
    assert "| heights | 0.50 |" in md and "| heights | 20,000 |" in md and "| heights | 512 |" in md
    assert "| 10,000 | 2.00 | 2.00 | 1.50 | 80 | 1000 | 0.50 |" in md  # (2 - 0.5 + 0.5) / 1; (2 - 0.5) / 1


def test_targets_for_a_million_parcels() -> None:
    seconds = dict.fromkeys(STAGES, 10.0)  # run = 4 x 10 s = 40 s; floor 20 s -> ratio 2.0
    doc = _fake_document(1_000_000, seconds, payload=100_000_000, peak_mib=9 * 1024.0)
    targets = format_targets(doc)
    assert "40.0 s met" in targets
    assert "9.00 GiB MISSED" in targets
    assert "100 (largest over sizes) met" in targets


def test_bench_quick_writes_every_stage(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "bench.json"
    assert main(["--quick", "--markdown", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "headline: run / I/O floor" in printed
    assert f"wrote {out}" in printed
    assert "| **I/O floor** |" in printed
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert [r["parcels"] for r in doc["sizes"]] == list(QUICK_SIZES)
    brief = doc["briefing"]
    assert brief["seconds"] >= sum(brief["parts"].values()) * 0.99 > 0 and brief["pdf_bytes"] > 10_000
    assert "briefing of the embedded data <= 15 s: " in printed
    assert doc["machine"]["cores"] >= 1
    for res in doc["sizes"]:
        assert set(res["stages"]) == set(STAGES)
        for stage, figures in res["stages"].items():
            for key in ("seconds", "parcels_per_second", "peak_rss_mib"):
                assert figures[key] > 0 and math.isfinite(figures[key]), (res["parcels"], stage, key)
        assert res["rows_read"] == res["parcels"]
        assert res["run_seconds"] == pytest.approx(sum(res["stages"][s]["seconds"] for s in RUN_STAGES))
        assert res["io_floor_seconds"] == pytest.approx(sum(res["stages"][s]["seconds"] for s in FLOOR_STAGES))
        assert res["ratio"] == pytest.approx(res["run_seconds"] / res["io_floor_seconds"])
        warm = res["run_seconds"] - res["stages"]["heights"]["seconds"] + res["stages"]["heights_warm"]["seconds"]
        assert res["ratio_warm_cache"] == pytest.approx(warm / res["io_floor_seconds"])
        for key in ("generate_seconds", "map_payload_bytes", "map_payload_bytes_per_parcel", "geojson_bytes",
                    "gpkg_out_bytes", "peak_rss_mib", "run_peak_rss_mib"):
            assert res[key] > 0, key


def test_bench_refuses_bad_sizes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--sizes", "10,zero"]) == 2
    assert "--sizes" in capsys.readouterr().err


def test_tile_figures_of_a_large_layer_and_none_for_a_small_one() -> None:
    from bench.map_payload import tile_figures
    from geodata.generate import generate_parcels

    small = generate_parcels(50, seed=3)
    assert tile_figures(small) is None  # sent whole in the page
    large = generate_parcels(25_000, seed=3)  # above the 20,000 of a large layer
    figures = tile_figures(large)
    assert figures is not None
    assert 12 <= figures["tile_min_zoom"] <= 18
    assert figures["tile_bytes_median"] > 0 and figures["tile_ms_max"] >= figures["tile_ms_median"] >= 0


def test_the_browser_table_from_known_figures() -> None:
    from bench.browser import format_browser_table

    text = format_browser_table([
        {"parcels": 600, "first_map_cold_s": 3.96, "first_map_warm_s": 2.37, "click_median_s": 0.028,
         "click_max_s": 0.04, "clicks": 15},
        {"parcels": 100_000, "ingest_s": 8.1, "first_map_cold_s": 7.06, "first_map_warm_s": 2.64,
         "click_median_s": 0.075, "click_max_s": 0.139, "clicks": 15},
    ])
    lines = text.splitlines()
    assert lines[2].split() == ["600", "—", "3.96", "2.37", "0.028", "0.040", "15"]
    assert lines[3].split() == ["100,000", "8.1", "7.06", "2.64", "0.075", "0.139", "15"]
