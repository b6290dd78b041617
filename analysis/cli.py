"""Command-line interface: ``python -m analysis <command>``.

Commands (the contract in DESIGN.md)::

    validate PATH [--crs CRS] [--encoding ENC] [--layer NAME]
    run [--parcels PATH] [--zones PATH] [--scenario S] [--year Y] [--as-of DATE] [--out DIR]
    compare SCENARIO_A SCENARIO_B [--out DIR]   (two different scenarios)

A scenario argument is a built-in name (on_schedule, delayed), a scenario YAML file (with
``base:`` and ``edits:`` for a what-if, docs/what-if.md) or the name of a scenario saved in the
office (see :mod:`analysis.scenario_names`).
    export --layer LAYER --format FMT [--crs CRS] [--scenario S --year Y] [--as-of DATE] --out PATH
           [--parcels FILE [--parcels-crs CRS] [--parcels-encoding ENC] [--parcels-layer NAME] ...]
    brief --scenario S [--compare S2 [S3]] [--year Y] [--as-of DATE] [--lang zh|en] --out FILE.pdf
          (the decision briefing, see analysis.cli_brief)
    users add|list|remove|set-role|set-password ...     (accounts, see analysis.cli_office)
    audit [--since YYYY-MM-DD] [--user NAME] [--action A] [--format table|csv|json]

Exit codes: 0 success, 2 unusable input or bad arguments (a clear message on stderr).
The CLI prints its own output; library code never prints.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from analysis.cli_options import add_input_options as _add_input_options
from analysis.cli_options import add_join_options as _add_join_options
from analysis.cli_options import input_options as _input_options
from analysis.cli_options import profile_option as _profile
from analysis.cli_options import standard_option as _standard
from core.errors import ConfigError, PlanningError

__all__ = ["main", "build_parser"]

log = logging.getLogger(__name__)


# --- validate -------------------------------------------------------------------------------


def _add_validate(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("validate", help="print the validation report of a parcel layer; writes nothing")
    p.add_argument("path", help="GeoPackage, GeoJSON, zipped or loose Shapefile, or CSV")
    p.add_argument("--crs", help="CRS to assume when the file declares none, e.g. EPSG:4548")
    p.add_argument("--encoding", help="attribute encoding override, e.g. gbk or utf-8")
    p.add_argument("--layer", help="layer name inside a GeoPackage")
    p.add_argument(
        "--gcj02", action="store_true", help="lon/lat are GCJ-02 (AMap/Gaode); convert them to WGS84"
    )
    p.add_argument("--override-crs", dest="override_crs", action="store_true",
                   help="use --crs even when the file declares another CRS (a wrong .prj)")
    _add_join_options(p)
    p.set_defaults(handler=_cmd_validate)


def _cmd_validate(args: argparse.Namespace) -> int:
    """Print the validation report; 0 when the layer is usable, 2 when not. Writes nothing."""
    from core.errors import InputFileError
    from geodata.region import region_of_interest
    from parcels.read import read_parcels

    try:
        result = read_parcels(
            args.path,
            district=region_of_interest(),
            layer=args.layer,
            crs=args.crs,
            encoding=args.encoding,
            gcj02=bool(getattr(args, "gcj02", False)),
            override_crs=bool(getattr(args, "override_crs", False)),
        )
        if args.join:
            from parcels.join import join_file

            result = join_file(result, args.join, sheet=args.join_sheet)
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
    p.add_argument("--scenario", help="on_schedule, delayed, a scenario YAML file or a saved scenario's name")
    p.add_argument("--year", type=int, help="scenario year, e.g. 2027")
    p.add_argument("--as-of", dest="as_of", help="as-of date YYYY-MM-DD (default: today)")
    p.add_argument("--out", default="out", help="output folder (default: ./out)")
    _add_input_options(p)
    p.set_defaults(handler=_cmd_run)


def _cmd_run(args: argparse.Namespace) -> int:
    from analysis.expiry import resolve_as_of
    from analysis.run import run_analysis, write_outputs

    as_of = resolve_as_of(args.as_of)  # ConfigError (exit 2) on a bad date
    scenario, year = None, 0
    if args.scenario is not None or args.year is not None:
        from analysis.scenario import demonstration_advice
        from analysis.scenario_io import apply_scenario_to_run, resolve_scenario_year

        scenario, year = resolve_scenario_year(args.scenario, args.year, as_of_year=as_of.year)
    advice = demonstration_advice(scenario, year) if scenario is not None else None
    profile, standard = _profile(args), _standard(args)
    result = run_analysis(
        args.parcels, args.zones, as_of=as_of, demonstration=advice,
        profile=profile, read_options=_input_options(args), standard=standard,
    )
    if scenario is not None:
        result = apply_scenario_to_run(result, scenario, year, profile=profile, standard=standard)
        print(f"scenario {scenario.name} ({scenario.title_zh}), year {year}")
        if scenario.edits:
            section = result.extras["scenario"]
            print(f"what-if: {section['edited_parcels']} parcel(s) edited in {year}, "
                  f"{section['height_conflicts']['count']} height conflict(s), "
                  f"{section['height_conflicts']['edited_count']} of them on edited parcels")
    written = write_outputs(result, args.out)
    district = result.summary["district"]
    print(f"analysed {district['parcel_count']} parcels ({district['area_mu']:.1f} mu) as of {as_of.isoformat()}")
    for path in written:
        print(f"wrote {path}")
    return 0


# --- compare --------------------------------------------------------------------------------


def _add_compare(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("compare", help="compare two airport scenarios year by year (comparison.csv/.json)")
    p.add_argument("scenario_a", metavar="SCENARIO_A",
                   help="on_schedule, delayed, a scenario YAML file or a saved scenario's name")
    p.add_argument("scenario_b", metavar="SCENARIO_B", help="another scenario, given the same way")
    p.add_argument("--parcels", help="parcel layer (default: the embedded Huli data)")
    p.add_argument("--zones", help="zone layer (default: the embedded three functional zones)")
    p.add_argument("--as-of", dest="as_of", help="as-of date YYYY-MM-DD for the land analysis (default: today)")
    p.add_argument("--out", default="out", help="output folder (default: ./out)")
    _add_input_options(p)
    p.set_defaults(handler=_cmd_compare)


def _cmd_compare(args: argparse.Namespace) -> int:
    from analysis.expiry import resolve_as_of
    from analysis.run import run_analysis
    from analysis.scenario_io import run_comparison
    from analysis.scenario_names import SavedScenarios, resolve_scenario
    from analysis.whatif.edits import check_edits

    saved = SavedScenarios()
    a = resolve_scenario(args.scenario_a, saved=saved)
    b = resolve_scenario(args.scenario_b, saved=saved)
    if a == b:
        raise ConfigError(
            f"{args.scenario_a!r} and {args.scenario_b!r} are the same scenario ({a.name}); a scenario compared "
            "with itself shows no difference. Give two different scenarios.",
            f"{args.scenario_a!r} 与 {args.scenario_b!r} 是同一情景（{a.name}），与自身比较没有差异。请给出两个不同的情景。",
        )
    result = run_analysis(
        args.parcels, args.zones, as_of=resolve_as_of(args.as_of),
        profile=_profile(args), read_options=_input_options(args), standard=_standard(args),
    )
    for scenario in (a, b):
        check_edits(result.parcels, scenario.edits)
    frame, written = run_comparison(a, b, parcels_analysed=result.parcels, zones=result.zones, out_dir=args.out,
                                    metric=result.metric)
    print(f"compared {a.name} ({a.title_zh}) with {b.name} ({b.title_zh}): {frame['year'].nunique()} years, "
          f"{frame['kpi'].nunique()} KPIs; difference = B - A")
    for path in written:
        print(f"wrote {path}")
    return 0


# --- export ---------------------------------------------------------------------------------

_EXPORT_LAYERS = ("zones", "parcels", "released_land", "test_roads", "height_limit")
_EXPORT_FORMATS = ("geojson", "geojson-legacy", "gpkg", "shp", "csv", "xlsx", "tif")


def _add_export(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "export",
        help="export a layer for the city GIS (GeoJSON, GeoPackage, Shapefile, CSV, XLSX, GeoTIFF) or to PostGIS",
        description="Field schema: docs/export-schema.md. geojson is RFC 7946 (always EPSG:4326); "
        "geojson-legacy carries a crs member for any CRS.",
    )
    p.add_argument("--layer", choices=(*_EXPORT_LAYERS, "all"),
                   help="layer to export; 'all' (gpkg or --postgis) writes zones, parcels and the scenario layers")
    p.add_argument("--format", dest="fmt", choices=_EXPORT_FORMATS, help="output format (shp writes a .zip)")
    p.add_argument("--crs", help="output CRS: EPSG:4326 (default), EPSG:4490, EPSG:4548, any EPSG code or WKT")
    p.add_argument("--scenario", help="on_schedule, delayed, a scenario YAML file or a saved scenario's name "
                   "(with --year)")
    p.add_argument("--year", type=int, help="scenario year, e.g. 2030")
    p.add_argument("--as-of", dest="as_of", help="as-of date YYYY-MM-DD of the land analysis (default: today)")
    p.add_argument("--parcels", help="parcel layer (default: the embedded Huli data)")
    p.add_argument("--parcels-crs", dest="in_crs",
                   help="CRS to assume when the parcel layer declares none, e.g. EPSG:4548")
    p.add_argument("--parcels-encoding", dest="in_encoding", help="attribute encoding of the parcel layer, e.g. gbk")
    p.add_argument("--parcels-layer", dest="in_layer", help="layer name inside a parcel GeoPackage")
    p.add_argument("--parcels-gcj02", dest="in_gcj02", action="store_true",
                   help="parcel lon/lat are GCJ-02 (AMap/Gaode)")
    p.add_argument("--override-crs", dest="override_crs", action="store_true",
                   help="use --parcels-crs even when the parcel layer declares another CRS (a wrong .prj)")
    p.add_argument("--profile", help="efficiency evaluation profile: a preset (default, zhejiang_huangyan) or a "
                   "YAML file (default: the shipped default)")
    p.add_argument("--standard", help="land control standard YAML (default: analysis/config/control_standard.yaml)")
    _add_join_options(p)
    p.add_argument("--encoding", default="utf-8", choices=("utf-8", "gbk"), help="Shapefile encoding (default utf-8)")
    p.add_argument("--no-wkt", dest="wkt", action="store_false", help="CSV without the WKT geometry column")
    p.add_argument("--out", help="output file (.geojson, .gpkg, .zip, .csv, .xlsx, .tif)")
    p.add_argument("--postgis", metavar="URL", help="write to PostGIS instead: postgresql://user:pass@host:port/db")
    p.add_argument("--schema", default="public", help="PostGIS schema (default: public)")
    p.set_defaults(handler=_cmd_export)


def _cmd_export(args: argparse.Namespace) -> int:
    from analysis._export_layers import SCENARIO_LAYERS, LayerRequest, build_layers
    from analysis.export import export_layer, export_layers, export_postgis
    from core.raster import Raster

    reading = argparse.Namespace(parcels=args.parcels, crs=args.in_crs, encoding=args.in_encoding,
                                 layer=args.in_layer, gcj02=args.in_gcj02, override_crs=args.override_crs,
                                 join=args.join, join_sheet=args.join_sheet)
    request = LayerRequest(args.parcels, args.scenario, args.year, args.as_of,
                           read_options=_input_options(reading, prefix="--parcels-"), profile=_profile(args),
                           standard=_standard(args))
    every = ("zones", "parcels", *(SCENARIO_LAYERS if args.scenario else ()))
    if args.postgis:
        names = every if args.layer in (None, "all") else (args.layer,)
        if "height_limit" in names:
            raise ConfigError("The height raster is not written to PostGIS; export it with --format tif.",
                              "限高栅格不写入 PostGIS；请用 --format tif 导出。")
        built = build_layers(names, request)
        written = export_postgis({k: v for k, v in built.items() if not isinstance(v, Raster)},
                                 args.postgis, schema=args.schema, crs=args.crs)
        for table, rows in written.items():
            print(f"wrote {rows} rows to {args.schema}.{table}")
        return 0
    if not (args.layer and args.fmt and args.out):
        raise ConfigError("export needs --layer, --format and --out (or --postgis URL).",
                          "export 需要 --layer、--format 和 --out（或 --postgis 数据库地址）。")
    if args.layer == "all":
        if args.fmt != "gpkg":
            raise ConfigError("--layer all needs --format gpkg (one file, several layers).",
                              "--layer all 需要 --format gpkg（一个文件含多个图层）。")
        built = build_layers(every, request)
        path = export_layers(built, args.out, crs=args.crs)
        print(f"wrote {path} (layers: {', '.join(built)})")
        return 0
    data = build_layers((args.layer,), request)[args.layer]
    path = export_layer(data, args.out, fmt=args.fmt, crs=args.crs, layer=args.layer, encoding=args.encoding,
                        wkt=args.wkt)
    size = "raster" if isinstance(data, Raster) else f"{len(data)} features"
    print(f"wrote {path} ({args.layer}, {size}, {args.fmt})")
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
    _add_compare(sub)
    _add_export(sub)
    from analysis.cli_brief import add_brief_command
    from analysis.cli_office import add_office_commands

    add_brief_command(sub)
    add_office_commands(sub)
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
