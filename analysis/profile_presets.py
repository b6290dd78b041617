"""The shipped efficiency profiles (presets), chosen by name or given as a file.

==================  ===========================================================================
``default``         ``analysis/profiles/default.yaml``: Huli's default (six indicators, tax 40)
``zhejiang_huangyan``  ``analysis/profiles/zhejiang_huangyan.yaml``: Zhejiang's six indicators with
                    the Huangyan weights 30/20/20/10/10/10 (emission unavailable, not scored)
==================  ===========================================================================

``python -m analysis run --profile NAME_OR_FILE`` and the Efficiency page's preset choice use
the same names.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from analysis._yamlconfig import read_yaml
from analysis.efficiency import DEFAULT_PROFILE_PATH, EfficiencyProfile, load_profile, profile_from_dict
from core.errors import ConfigError

__all__ = ["PRESETS", "preset_names", "preset_dict", "resolve_profile"]

#: Preset name -> its YAML file.
PRESETS: dict[str, Path] = {
    "default": DEFAULT_PROFILE_PATH,
    "zhejiang_huangyan": DEFAULT_PROFILE_PATH.parent / "zhejiang_huangyan.yaml",
}


def preset_names() -> tuple[str, ...]:
    """Names of the shipped profiles, the default first."""
    return tuple(PRESETS)


def preset_dict(name: str) -> dict[str, Any]:
    """A preset as plain data (as in its YAML file), validated.

    Raises
    ------
    ConfigError
        ``name`` is not a preset; the message lists them.
    """
    if name not in PRESETS:
        names = ", ".join(PRESETS)
        raise ConfigError(f"no efficiency profile preset {name!r}; the presets are {names}",
                          f"没有名为 {name!r} 的亩均评价预设方案；可选：{names}")
    data = read_yaml(PRESETS[name], what_en="efficiency profile", what_zh="亩均评价方案")
    profile_from_dict(data)
    return data


def resolve_profile(value: str | None) -> EfficiencyProfile | None:
    """A preset by name, or a profile YAML file by path; None stays None (the shipped default).

    Raises
    ------
    ConfigError
        Neither a preset nor a readable, valid profile file.
    """
    if value is None:
        return None
    if value in PRESETS:
        return load_profile(PRESETS[value])
    if not Path(value).exists():
        names = ", ".join(PRESETS)
        raise ConfigError(f"efficiency profile {value!r} is neither a preset ({names}) nor an existing file",
                          f"亩均评价方案 {value!r} 既不是预设方案（{names}），也不是存在的文件")
    return load_profile(value)
