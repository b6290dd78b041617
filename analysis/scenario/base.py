"""The ``base:`` of a scenario file: the built-in scenarios' files and a base's timeline merged under a file.

A what-if file needs only ``name``, ``base`` and ``edits``: :func:`with_base` takes every key of
the base but its name, titles, descriptions and edits (its relocation timeline), and the
file's own keys override them.  A base is a built-in scenario or, through the caller's
``resolve_base(name)``, a saved one (the office store's, in the app and the CLI).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from analysis import _yamlconfig as cfg
from core.errors import ConfigError

__all__ = ["SCENARIO_DIR", "BUILTIN_SCENARIOS", "BaseResolver", "builtin_scenario_data", "with_base"]

SCENARIO_DIR = Path(__file__).resolve().parent.parent / "scenarios"
BUILTIN_SCENARIOS: tuple[str, ...] = ("on_schedule", "delayed")
#: Keys a scenario never takes from its ``base:`` (the rest is the base's relocation timeline).
_OWN_KEYS = ("name", "title_zh", "title_en", "description_zh", "description_en", "base", "edits")
#: ``resolve_base(name)``: the mapping of a saved scenario, or None when there is none of that name.
BaseResolver = Callable[[str], Mapping[str, Any] | None]


def builtin_scenario_data(name: str) -> dict[str, Any]:
    """The mapping of a built-in scenario's YAML file."""
    data = cfg.read_yaml(SCENARIO_DIR / f"{name}.yaml", what_en="Scenario", what_zh="情景")
    data.setdefault("name", name)
    return data


def with_base(data: Mapping[str, Any], resolve: BaseResolver | None, seen: tuple[str, ...] = ()) -> Mapping[str, Any]:
    """``data`` over its ``base:``'s relocation timeline (the base's own base first); ``data`` when it has none.

    Raises
    ------
    ConfigError
        An unknown base (listing the built-in choices) or a base that leads back to itself.
    """
    name = data.get("base")
    if name is None:
        return data
    name = cfg.text(name, where="base").strip()
    chain = (*seen, str(data.get("name", "")))
    if name in chain:
        raise ConfigError(f"base: {name!r} leads back to itself ({' -> '.join((*chain, name))}).",
                          f"base：{name!r} 循环引用自身（{' -> '.join((*chain, name))}）。")
    if name in BUILTIN_SCENARIOS:
        base: Mapping[str, Any] | None = builtin_scenario_data(name)
    else:
        base = resolve(name) if resolve is not None else None
    if base is None:
        saved = " or a saved scenario" if resolve is not None else ""
        saved_zh = "或已保存情景" if resolve is not None else ""
        raise ConfigError(f"base: unknown scenario {name!r}; give a built-in scenario {list(BUILTIN_SCENARIOS)}{saved}.",
                          f"base：未知情景 {name!r}；请给出内置情景 {list(BUILTIN_SCENARIOS)}{saved_zh}的名称。")
    base = with_base(cfg.mapping(base, where=f"base {name!r}"), resolve, chain)
    merged = {k: v for k, v in base.items() if k not in _OWN_KEYS}
    merged.update(data)
    return merged

