"""Which scenario a command-line argument names: a built-in, a file, or a scenario saved in the office.

``run --scenario S``, ``compare A B`` and ``export --scenario S`` resolve ``S`` in this order:

1. a built-in scenario (``on_schedule``, ``delayed``);
2. an existing scenario YAML file;
3. a scenario saved in the office store (:func:`office.records.scenario_text`, the newest
   version), the store the app uses (``HULI_DATABASE_URL`` or the workspace's SQLite file).

Anything else is refused with the choices listed.  A ``base:`` inside a file or a saved
scenario resolves the same way (built-in first, then saved names).  The store is opened only
when a name is neither built-in nor a file.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from analysis.scenario import BUILTIN_SCENARIOS, Scenario, load_scenario, parse_scenario
from analysis.whatif.types import DevelopmentTypes
from core.errors import ConfigError

if TYPE_CHECKING:
    from office.store import Store

__all__ = ["SavedScenarios", "resolve_scenario"]


class SavedScenarios:
    """The office store's saved scenarios, opened on first use (``store`` given: that one)."""

    def __init__(self, store: Store | None = None) -> None:
        self._store = store

    def _open(self) -> Store:
        if self._store is None:
            from office.opening import open_store

            self._store = open_store()
        return self._store

    def names(self) -> list[str]:
        """Names of the saved scenarios, sorted."""
        from office.records import list_scenarios

        return list_scenarios(self._open())

    def mapping(self, name: str) -> Mapping[str, Any] | None:
        """The newest saved version of ``name`` as a mapping (its name filled in), or None."""
        from office.records import scenario_text

        found = scenario_text(self._open(), name)
        if found is None:
            return None
        text, version = found
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as err:
            raise ConfigError(f"Saved scenario {name!r} (version {version}) is not valid YAML ({err}).",
                              f"已保存情景 {name!r}（第 {version} 版）不是合法的 YAML（{err}）。") from err
        if not isinstance(data, dict):
            raise ConfigError(f"Saved scenario {name!r} (version {version}) is not a mapping of keys to values.",
                              f"已保存情景 {name!r}（第 {version} 版）不是“键: 值”映射。")
        data.setdefault("name", name)
        return data


def resolve_scenario(text: str | Path, *, saved: SavedScenarios | None = None,
                     types: DevelopmentTypes | None = None) -> Scenario:
    """The scenario ``text`` names (see the module notes).

    Raises
    ------
    ConfigError
        ``text`` is neither built-in, nor a file, nor a saved scenario (the choices listed), or
        the scenario it names is invalid.
    """
    saved = saved or SavedScenarios()
    name = str(text).strip()
    if name in BUILTIN_SCENARIOS or Path(name).is_file():
        return load_scenario(name, resolve_base=saved.mapping, types=types)
    data = saved.mapping(name) if name else None
    if data is None:
        names = saved.names()
        listed_en = f"; saved scenarios: {names}" if names else "; no scenario is saved in the office"
        listed_zh = f"；已保存情景：{names}" if names else "；办公库中尚无已保存情景"
        raise ConfigError(
            f"Unknown scenario {name!r}: not a built-in scenario {list(BUILTIN_SCENARIOS)}, no such file, and no "
            f"saved scenario of that name{listed_en}. Give one of these or the path of a scenario YAML file.",
            f"未知情景 {name!r}：既不是内置情景 {list(BUILTIN_SCENARIOS)}，也不是存在的文件，也没有同名的已保存情景"
            f"{listed_zh}。请给出其中之一，或情景 YAML 文件路径。",
        )
    return parse_scenario(data, resolve_base=saved.mapping, types=types)
