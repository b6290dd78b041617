"""Command-line interface: ``python -m analysis <command>``.

Commands (the contract in DESIGN.md)::

    validate PATH [--crs CRS] [--encoding ENC] [--layer NAME]
    run [--parcels PATH] [--zones PATH] [--scenario S] [--year Y] [--as-of DATE] [--out DIR]
    compare SCENARIO_A SCENARIO_B [--out DIR]
    export --layer LAYER --format FMT [--crs CRS] [--scenario S --year Y] [--as-of DATE] --out PATH
    bench [--sizes 1000,10000,...] [--quick]

Exit codes: 0 success, 2 unusable input or bad arguments (a clear message on stderr).
The CLI prints its own output; library code never prints.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from core.errors import PlanningError

__all__ = ["main", "build_parser"]

log = logging.getLogger(__name__)


# --- validate -------------------------------------------------------------------------------


def _add_validate(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("validate", help="print the validation report of a parcel layer; writes nothing")
    p.add_argument("path", help="GeoPackage, GeoJSON, zipped or loose Shapefile, or CSV")
    p.add_argument("--crs", help="CRS to assume when the file declares none, e.g. EPSG:4548")
    p.add_argument("--encoding", help="attribute encoding override, e.g. gbk or utf-8")
    p.add_argument("--layer", help="layer name inside a GeoPackage")
    p.set_defaults(handler=_cmd_validate)


def _cmd_validate(args: argparse.Namespace) -> int:
    """Print the validation report; 0 when the layer is usable, 2 when not. Writes nothing."""
    from core.errors import InputFileError
    from parcels.read import read_parcels

    try:
        result = read_parcels(
            args.path,
            layer=args.layer,
            crs=args.crs,
            encoding=args.encoding,
            gcj02=bool(getattr(args, "gcj02", False)),
        )
    except OSError as err:  # permission denied, a folder given as PATH ...
        raise InputFileError(
            f"{args.path} cannot be opened: {err.strerror or err}.", f"无法打开 {args.path}：{err.strerror or err}。"
        ) from err
    report = result.report
    print(f"文件 / file: {args.path}")
    print(
        f"格式 / format: {result.source_format}"
        + (f"  图层 / layer: {result.layer}" if result.layer else "")
        + f"  坐标系 / CRS: {result.source_crs}"
        + (f"  编码 / encoding: {result.encoding}" if result.encoding else "")
    )
    print(report.render_text())
    if report.usable:
        return 0
    reasons = report.fatal or (report.issues[-1:] if report.issues else ())
    for issue in reasons:
        print(f"不可用 / unusable: {issue.message_zh} / {issue.message_en}", file=sys.stderr)
    return 2


# --- run ------------------------------------------------------------------------------------


def _add_run(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("run", help="analyse parcels and write GeoJSON/JSON results")
    p.add_argument("--parcels", help="parcel layer (default: the embedded Huli data)")
    p.add_argument("--zones", help="zone layer (default: the embedded three functional zones)")
    p.add_argument("--scenario", help="on_schedule, delayed, or a scenario YAML file")
    p.add_argument("--year", type=int, help="scenario year, e.g. 2027")
    p.add_argument("--as-of", dest="as_of", help="as-of date YYYY-MM-DD (default: today)")
    p.add_argument("--out", default="out", help="output folder (default: ./out)")
    p.set_defaults(handler=_cmd_run)


def _cmd_run(args: argparse.Namespace) -> int:
    from analysis.expiry import resolve_as_of
    from analysis.run import run_analysis, write_outputs

    as_of = resolve_as_of(args.as_of)  # ConfigError (exit 2) on a bad date
    result = run_analysis(args.parcels, args.zones, as_of=as_of)
    if args.scenario is not None or args.year is not None:
        # the airport scenario step (heights, demonstration-zone advice) plugs in here
        print("note: --scenario/--year are not applied by this run; demonstration-zone advice is pending",
              file=sys.stderr)
    written = write_outputs(result, args.out)
    district = result.summary["district"]
    print(f"analysed {district['parcel_count']} parcels ({district['area_mu']:.1f} mu) as of {as_of.isoformat()}")
    for path in written:
        print(f"wrote {path}")
    return 0


# --- parser ---------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command registered."""
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description="Huli three-zone planning analysis (湖里区三大产业功能区空间规划分析)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    sub = parser.add_subparsers(dest="command", required=True)
    _add_validate(sub)
    _add_run(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        return int(args.handler(args))
    except PlanningError as err:
        print(f"错误 / error: {err.message_zh}\n{err.message_en}", file=sys.stderr)
        return 2
