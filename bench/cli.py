"""Command line of the benchmark: ``python -m bench [--sizes 1000,10000,...] [--quick] ...``.

Generates N illustrative parcels per size (not timed), measures every stage
(:mod:`bench.stages`) in a fresh process per size, prints a table and the targets and
writes the JSON document. See docs/benchmarks.md.

Exit codes: 0 success, 2 bad arguments (a clear message on stderr).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from bench.options import DEFAULT_SIZES, QUICK_SIZES, BenchOptions, parse_sizes
from bench.report import default_output_path, format_markdown, format_table, format_targets, write_document
from bench.run import run_bench
from core.errors import PlanningError

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """The benchmark's argument parser."""
    p = argparse.ArgumentParser(
        prog="python -m bench",
        description="Benchmark ingest, analysis, scenario year, exports and map payload on generated parcels: "
        "generates N illustrative parcels per size (not timed), measures every stage in a fresh process per "
        "size, prints a table and writes JSON. See docs/benchmarks.md.",
    )
    p.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    p.add_argument("--sizes", help="parcel counts, comma-separated (default 1000,10000,100000,1000000)")
    p.add_argument("--quick", action="store_true", help="sizes 1000 and 5000 only (a smoke run, under a minute)")
    p.add_argument("--out", help="JSON result file (default ./benchmarks/output/bench-<UTC timestamp>.json)")
    p.add_argument("--seed", type=int, help="generator seed (default: the generator's)")
    p.add_argument("--scenario", default="delayed", help="scenario of the height limits (default delayed)")
    p.add_argument("--year", type=int, default=2028, help="scenario year (default 2028, height limits in force)")
    p.add_argument("--as-of", dest="as_of", help="as-of date YYYY-MM-DD of the land analysis (default: today)")
    p.add_argument("--profile", metavar="DIR", help="run every stage under cProfile; write .prof files to DIR")
    p.add_argument("--data-dir", dest="data_dir", metavar="DIR",
                   help="keep the generated GeoPackages in DIR and reuse them on later runs")
    p.add_argument("--markdown", action="store_true", help="also print the figures as Markdown tables")
    p.add_argument("--in-process", dest="isolate", action="store_false",
                   help="measure in this process (peak memory is then the lifetime peak)")
    p.add_argument("--browser", action="store_true",
                   help="instead: the running app in Chromium (first map cold and warm, click to details); "
                   "sizes default 600 (the embedded data),100000,1000000; needs requirements-dev.txt and chromium")
    p.add_argument("--clicks", type=int, default=20, help="with --browser: parcels clicked per size (default 20)")
    return p


def _browser(args: argparse.Namespace) -> int:
    from bench.browser import EMBEDDED, browser_figures, format_browser_table
    from bench.machine import commit, machine

    sizes = parse_sizes(args.sizes) if args.sizes else (EMBEDDED, 100_000, 1_000_000)
    rows = []
    for n in sizes:
        rows.append(browser_figures(n, data_dir=args.data_dir, clicks=args.clicks, seed=args.seed))
        print(f"measured {n:,} parcels in the browser", file=sys.stderr, flush=True)
    path = write_document({"browser": rows, "machine": machine(), "commit": commit()},
                          args.out or default_output_path().with_name(default_output_path().stem + "-browser.json"))
    print(format_browser_table(rows))
    print(f"wrote {path}")
    return 0


def _bench(args: argparse.Namespace) -> int:
    if args.browser:
        return _browser(args)
    sizes = QUICK_SIZES if args.quick else (parse_sizes(args.sizes) if args.sizes else DEFAULT_SIZES)
    options = BenchOptions(seed=args.seed, scenario=args.scenario, year=args.year, as_of=args.as_of,
                           isolate=args.isolate, profile_dir=args.profile, data_dir=args.data_dir)

    def progress(res: dict[str, object]) -> None:
        print(f"measured {res['parcels']:,} parcels: run {res['run_seconds']:.2f} s, "
              f"I/O floor {res['io_floor_seconds']:.2f} s", file=sys.stderr, flush=True)

    document = run_bench(sizes, options=options, progress=progress)
    path = write_document(document, args.out or default_output_path())
    print(format_table(document))
    print(format_targets(document))
    if args.markdown:
        print(format_markdown(document))
    print(f"wrote {path}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark's command line; return the process exit code."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        return _bench(args)
    except PlanningError as err:
        print(f"错误 / error: {err.message_zh}\n{err.message_en}", file=sys.stderr)
        return 2
