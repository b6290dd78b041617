"""The ``brief`` command: the decision briefing (决策简报) as one PDF.

::

    brief --scenario S [--compare S2 [S3]] [--year Y] [--as-of YYYY-MM-DD] [--lang zh|en]
          [--parcels PATH [--crs CRS] [--encoding ENC] [--layer NAME] [--gcj02] [--override-crs]]
          [--zones PATH] [--profile FILE] [--join TABLE] --out FILE.pdf

A scenario is a built-in (``on_schedule``, ``delayed``), a scenario YAML file (what-if files
included) or the name of a scenario saved in the office store.  The generation stamp is the
current time, or ``SOURCE_DATE_EPOCH`` when set (reproducible files).  Bad input exits 2 with a
message in both languages and writes nothing.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import tempfile
from pathlib import Path

from analysis.cli_options import add_input_options, input_options, profile_option, standard_option
from analysis.scenario import BUILTIN_SCENARIOS, Scenario, load_scenario
from core.errors import ConfigError, InputFileError

__all__ = ["add_brief_command", "resolve_scenario", "check_output"]


def add_brief_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``brief``."""
    p = sub.add_parser("brief", help="the decision briefing: one PDF of a scenario year or a comparison")
    p.add_argument("--scenario", required=True,
                   help="on_schedule, delayed, a scenario YAML file or a scenario saved in the office")
    p.add_argument("--compare", nargs="+", metavar="S", default=[],
                   help="one or two more scenarios to compare with --scenario")
    p.add_argument("--year", type=int, help="scenario year (default: the as-of year within the horizon)")
    p.add_argument("--as-of", dest="as_of", help="as-of date YYYY-MM-DD (default: today)")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the briefing (default zh)")
    p.add_argument("--parcels", help="parcel layer (default: the embedded Huli data)")
    p.add_argument("--zones", help="zone layer (default: the embedded three functional zones)")
    add_input_options(p)
    p.add_argument("--out", required=True, help="the PDF file to write")
    p.set_defaults(handler=_cmd_brief)


def _saved(name: str) -> Scenario | None:
    """A scenario saved in the office store, read through the scenario loader; None when not saved."""
    from office import records
    from office.opening import open_store

    found = records.scenario_text(open_store(), name)
    if found is None:
        return None
    with tempfile.TemporaryDirectory(prefix="huli-scenario-") as tmp:
        path = Path(tmp) / "saved.yaml"
        path.write_text(found[0], encoding="utf-8")
        scenario = load_scenario(path)
    return dataclasses.replace(scenario, name=name.strip())


def resolve_scenario(value: str) -> Scenario:
    """The scenario ``value`` names: a built-in, a YAML file, or a saved scenario of the office.

    Raises
    ------
    ConfigError
        None of these (the message lists the built-ins), or an invalid scenario file.
    """
    if value in BUILTIN_SCENARIOS or Path(value).exists():
        return load_scenario(value)
    saved = _saved(value)
    if saved is None:
        raise ConfigError(
            f"Unknown scenario {value!r}: not a built-in scenario {list(BUILTIN_SCENARIOS)}, no such file and no "
            "scenario of that name saved in the office. Give a built-in name, a scenario YAML file or a saved name.",
            f"未知情景 {value!r}：既不是内置情景 {list(BUILTIN_SCENARIOS)}，也找不到该文件，办公库中也没有该名称的已保存情景。"
            "请给出内置情景名称、情景 YAML 文件或已保存情景的名称。",
        )
    return saved


def check_output(path: str | Path) -> Path:
    """``path`` as a PDF file that can be written (checked before the work starts).

    Raises
    ------
    InputFileError
        Not a ``.pdf`` name, a folder, or in a folder that cannot be written.
    """
    out = Path(path)
    if out.suffix.lower() != ".pdf":
        raise InputFileError(f"--out {str(out)!r} must name a .pdf file.", f"--out {str(out)!r} 必须是 .pdf 文件。")
    if out.is_dir():
        raise InputFileError(f"--out {str(out)!r} is a folder; give a file name ending in .pdf.",
                             f"--out {str(out)!r} 是文件夹；请给出以 .pdf 结尾的文件名。")
    folder = out.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK) or (out.exists() and not os.access(out, os.W_OK)):
        raise InputFileError(f"--out {str(out)!r} cannot be written: {str(folder)!r} is not a writable folder.",
                             f"无法写入 --out {str(out)!r}：{str(folder)!r} 不是可写的文件夹。")
    return out


def _cmd_brief(args: argparse.Namespace) -> int:
    from analysis.brief import BriefRequest, build_brief
    from analysis.expiry import resolve_as_of
    from analysis.run import run_analysis
    from core.files import atomic_write_bytes

    out = check_output(args.out)
    if len(args.compare) > 2:
        raise ConfigError("--compare takes one or two scenarios.", "--compare 只接受一个或两个情景。")
    scenarios = tuple(resolve_scenario(s) for s in (args.scenario, *args.compare))
    as_of = resolve_as_of(args.as_of)
    profile, standard = profile_option(args), standard_option(args)
    result = run_analysis(args.parcels, args.zones, as_of=as_of, profile=profile,
                          read_options=input_options(args), standard=standard)
    request = BriefRequest(parcels=result.parcels, zones=result.zones, as_of=as_of, scenarios=scenarios,
                           year=args.year, lang=args.lang, parcels_source=args.parcels, zones_source=args.zones,
                           profile_source=args.profile, metric=result.metric, profile=profile, standard=standard)
    pdf = build_brief(request)
    try:
        atomic_write_bytes(out, pdf)
    except OSError as err:
        raise InputFileError(f"{str(out)!r} cannot be written: {err.strerror or err}.",
                             f"无法写入 {str(out)!r}：{err.strerror or err}。") from err
    print(f"wrote {out} ({len(pdf):,} bytes; {', '.join(s.name for s in scenarios)})")
    return 0
