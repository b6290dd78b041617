"""What a benchmark run prints and keeps: the table, the targets, Markdown tables, the JSON file."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.brief import format_brief
from bench.stages import FLOOR_STAGES, RUN_STAGES, STAGES
from core.files import atomic_write_text

__all__ = [
    "TARGET_E2E_AT",
    "TARGET_E2E_SECONDS",
    "TARGET_PAYLOAD_BYTES",
    "TARGET_PEAK_GIB",
    "TARGET_RATIO",
    "TARGET_RATIO_AT",
    "default_output_path",
    "format_markdown",
    "format_table",
    "format_targets",
    "write_document",
]

#: Targets (measured and reported, never asserted).
TARGET_RATIO_AT = 100_000
TARGET_RATIO = 2.0
TARGET_E2E_AT = 1_000_000
TARGET_E2E_SECONDS = 90.0
TARGET_PEAK_GIB = 8.0
TARGET_PAYLOAD_BYTES = 250.0


def format_table(document: dict[str, Any]) -> str:
    """Plain-text table: size, stage, seconds, parcels/second, peak RSS; then the ratios."""
    lines = [f"{'parcels':>10}  {'stage':<19} {'seconds':>9} {'parcels/s':>12} {'peak RSS MiB':>13}"]
    for res in document["sizes"]:
        n = res["parcels"]
        gen = res.get("generate_seconds")
        gen_text = f"{gen:9.2f}" if isinstance(gen, int | float) else f"{'reused':>9}"
        gen_peak = res.get("generate_peak_rss_mib")
        peak_text = f"{gen_peak:>13,.0f}" if isinstance(gen_peak, int | float) else ""
        lines.append(f"{n:>10,}  {'(generate)':<19} {gen_text} {'':>12} {peak_text}")
        for name in document.get("stages", STAGES):
            st = res["stages"][name]
            lines.append(f"{n:>10,}  {name:<19} {st['seconds']:9.2f} {st['parcels_per_second']:>12,.0f} "
                         f"{st['peak_rss_mib']:>13,.0f}")
        lines.append(f"{n:>10,}  {'= run':<19} {res['run_seconds']:9.2f} {n / res['run_seconds']:>12,.0f} "
                     f"{res.get('run_peak_rss_mib', res['peak_rss_mib']):>13,.0f}")
        lines.append(f"{n:>10,}  {'= I/O floor':<19} {res['io_floor_seconds']:9.2f} "
                     f"{n / res['io_floor_seconds']:>12,.0f}")
    lines.append("")
    lines.append("run = " + " + ".join(document.get("run_stages", RUN_STAGES))
                 + "; I/O floor = " + " + ".join(document.get("floor_stages", FLOOR_STAGES)))
    for res in document["sizes"]:
        lines.append(
            f"{res['parcels']:>10,} parcels: run / I/O floor = {res['ratio']:.2f} "
            f"(warm height cache {res['ratio_warm_cache']:.2f}, without heights {res['ratio_without_heights']:.2f}); "
            "map payload "
            f"{res['map_payload_bytes_per_parcel']:.0f} B/parcel, RFC 7946 GeoJSON "
            f"{res['geojson_bytes_per_parcel']:.0f} B/parcel; peak RSS of the run "
            f"{res.get('run_peak_rss_mib', res['peak_rss_mib']) / 1024:.2f} GiB"
            + (f"; vector tiles from zoom {tiles['tile_min_zoom']}: {tiles['tile_bytes_median'] / 1024:.0f} KiB a tile"
               f" (median), cut in {tiles['tile_ms_median']:.0f} ms (max {tiles['tile_ms_max']:.0f})"
               if (tiles := res.get("map_tiles")) else "")
        )
    if document["sizes"]:
        big = max(document["sizes"], key=lambda r: r["parcels"])
        lines.append(f"headline: run / I/O floor = {big['ratio']:.2f} at {big['parcels']:,} parcels")
    return "\n".join(lines)


def format_markdown(document: dict[str, Any]) -> str:
    """The figures as Markdown tables (stages down, sizes across), for docs/benchmarks.md."""
    sizes = document["sizes"]
    head = "| stage | " + " | ".join(f"{r['parcels']:,}" for r in sizes) + " |"
    rule = "|---|" + "---:|" * len(sizes)
    out: list[str] = []

    def table(title: str, cell: Callable[[dict[str, Any], str], str], totals: bool, generate: bool = False) -> None:
        out.extend([f"**{title}**", "", head, rule])
        gen = ["-" if not isinstance(r.get("generate_seconds"), int | float) else f"{r['generate_seconds']:.2f}"
               for r in sizes]
        if generate:
            out.append("| *generate (not counted)* | " + " | ".join(gen) + " |")
        for name in document.get("stages", STAGES):
            out.append(f"| {name} | " + " | ".join(cell(r, name) for r in sizes) + " |")
        if totals:
            for key, label in (("run_seconds", "**run**"), ("io_floor_seconds", "**I/O floor**")):
                out.append(f"| {label} | " + " | ".join(cell(r, key) for r in sizes) + " |")
        out.append("")

    def seconds(r: dict[str, Any], key: str) -> str:
        return f"{r[key]:.2f}" if key in r else f"{r['stages'][key]['seconds']:.2f}"

    def rate(r: dict[str, Any], key: str) -> str:
        sec = r[key] if key in r else r["stages"][key]["seconds"]
        return f"{r['parcels'] / sec:,.0f}"

    def peak(r: dict[str, Any], key: str) -> str:
        return f"{r['stages'][key]['peak_rss_mib']:,.0f}"

    table("Seconds", seconds, True, generate=True)
    table("Parcels per second", rate, True)
    table("Peak RSS during the stage (MiB)", peak, False)
    out.append("| parcels | run / I/O floor | with a warm height cache | without heights | map payload (B/parcel) "
               "| RFC 7946 GeoJSON (B/parcel) | peak RSS of the run (GiB) |")
    out.append("|---:|---:|---:|---:|---:|---:|---:|")
    for r in sizes:
        out.append(f"| {r['parcels']:,} | {r['ratio']:.2f} | {r['ratio_warm_cache']:.2f} | "
                   f"{r['ratio_without_heights']:.2f} | "
                   f"{r['map_payload_bytes_per_parcel']:.0f} | {r['geojson_bytes_per_parcel']:.0f} | "
                   f"{r.get('run_peak_rss_mib', r['peak_rss_mib']) / 1024:.2f} |")
    return "\n".join(out)


def format_targets(document: dict[str, Any]) -> str:
    """The targets of the city-scale issue, each marked met / missed / not measured."""
    by_n = {r["parcels"]: r for r in document["sizes"]}

    def mark(ok: bool) -> str:
        return "met" if ok else "MISSED"

    lines = ["targets (measured, not enforced):"]
    r = by_n.get(TARGET_RATIO_AT)
    lines.append(f"  run <= {TARGET_RATIO:g} x I/O floor at {TARGET_RATIO_AT:,}: "
                 + (f"{r['ratio']:.2f} {mark(r['ratio'] <= TARGET_RATIO)}" if r else "not measured"))
    r = by_n.get(TARGET_E2E_AT)
    if r:
        gib = r.get("run_peak_rss_mib", r["peak_rss_mib"]) / 1024
        lines.append(f"  {TARGET_E2E_AT:,} end to end <= {TARGET_E2E_SECONDS:g} s: {r['run_seconds']:.1f} s "
                     f"{mark(r['run_seconds'] <= TARGET_E2E_SECONDS)}; peak <= {TARGET_PEAK_GIB:g} GiB: {gib:.2f} GiB "
                     f"{mark(gib <= TARGET_PEAK_GIB)}")
    else:
        lines.append(f"  {TARGET_E2E_AT:,} end to end: not measured")
    worst = max((r["map_payload_bytes_per_parcel"] for r in document["sizes"]), default=None)
    lines.append(f"  map payload <= {TARGET_PAYLOAD_BYTES:g} B/parcel: "
                 + (f"{worst:.0f} (largest over sizes) {mark(worst <= TARGET_PAYLOAD_BYTES)}"
                    if worst is not None else "not measured"))
    lines.append(format_brief(document.get("briefing")))
    return "\n".join(lines)


def default_output_path(now: dt.datetime | None = None, *, base: str | Path = "benchmarks/output") -> Path:
    """``benchmarks/output/bench-<UTC timestamp>.json`` under ``base``."""
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%SZ")
    return Path(base) / f"bench-{stamp}.json"


def write_document(document: dict[str, Any], path: str | Path) -> Path:
    """Write the benchmark document as JSON (atomically: temporary file, then rename)."""
    return atomic_write_text(path, json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False))
