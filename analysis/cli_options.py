"""The options every command that reads a parcel layer shares (``run``, ``compare``, ``brief``):
how to read the layer, a statistics table to join, the efficiency profile, the land control standard."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from core.errors import ConfigError

if TYPE_CHECKING:
    from analysis.control_standard import ControlStandard
    from analysis.efficiency import EfficiencyProfile

__all__ = ["add_input_options", "add_join_options", "input_options", "profile_option", "standard_option"]


def add_input_options(p: argparse.ArgumentParser) -> None:
    """How to read a user's parcel layer (the same options as ``validate``)."""
    p.add_argument("--crs", help="CRS to assume when the parcel layer declares none, e.g. EPSG:4548")
    p.add_argument("--encoding", help="attribute encoding of the parcel layer, e.g. gbk or utf-8")
    p.add_argument("--layer", help="layer name inside a parcel GeoPackage")
    p.add_argument("--gcj02", action="store_true", help="parcel lon/lat are GCJ-02 (AMap/Gaode)")
    p.add_argument("--override-crs", dest="override_crs", action="store_true",
                   help="use --crs even when the parcel layer declares another CRS (a wrong .prj)")
    p.add_argument("--profile", help="efficiency evaluation profile: a preset (default, zhejiang_huangyan) or a "
                   "YAML file (default: the shipped default)")
    p.add_argument("--standard", help="land control standard YAML (default: analysis/config/control_standard.yaml)")
    add_join_options(p)


def add_join_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--join", metavar="TABLE",
                   help="statistics table (.csv or .xlsx) whose values are joined onto the parcels by parcel number")
    p.add_argument("--join-sheet", dest="join_sheet", metavar="NAME", help="sheet of the --join workbook")


def input_options(args: argparse.Namespace, *, prefix: str = "--") -> dict[str, object]:
    """``read_parcels`` keywords from the input options (``prefix`` names them in messages)."""
    options = {"crs": args.crs, "encoding": args.encoding, "layer": args.layer, "gcj02": args.gcj02,
               "override_crs": args.override_crs}
    if args.parcels is None and any(options.values()):
        names = f"{prefix}crs, {prefix}encoding, {prefix}layer, {prefix}gcj02, --override-crs"
        raise ConfigError(
            f"{names} describe a parcel layer: give it with --parcels",
            f"{names} 用于描述宗地图层：请同时用 --parcels 指定该图层",
        )
    if getattr(args, "join_sheet", None) and not getattr(args, "join", None):
        raise ConfigError("--join-sheet names a sheet of the --join workbook: give --join too.",
                          "--join-sheet 指定 --join 工作簿中的工作表：请同时给出 --join。")
    options["join"], options["join_sheet"] = getattr(args, "join", None), getattr(args, "join_sheet", None)
    return {k: v for k, v in options.items() if v}


def profile_option(args: argparse.Namespace) -> EfficiencyProfile | None:
    """The ``--profile``: a preset's name or a file (None: the shipped default)."""
    from analysis.profile_presets import resolve_profile

    return resolve_profile(args.profile or None)


def standard_option(args: argparse.Namespace) -> ControlStandard | None:
    """The ``--standard`` file (None: the shipped land control standard)."""
    from analysis.control_standard import load_control_standard

    return load_control_standard(args.standard) if getattr(args, "standard", None) else None
