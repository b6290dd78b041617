"""Which airport scenario a choice means: built-ins, a custom relocation year, saved ones.

A scenario choice (the value of the Scenario A / B selectors, remembered in the
workspace) is ``"on_schedule"``, ``"delayed"``, ``"custom"`` (on schedule with another
relocation year) or ``"saved:<name>"`` (a scenario an editor saved in the office store).
:func:`scenario_key` turns a choice into the cache key of :mod:`ui.scenario_data`; a saved
scenario's key carries its YAML text, so editing it never reuses a stale result.
No Streamlit here.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import yaml

from analysis import scenario as sc
from analysis.whatif.types import DevelopmentTypes
from core.errors import ConfigError

__all__ = [
    "BUILTINS",
    "CUSTOM",
    "SAVED_PREFIX",
    "choices",
    "saved_name",
    "other_builtin",
    "scenario_key",
    "saved_mapping",
    "parse_text",
    "parse_saved",
    "template_text",
    "custom_titled",
    "same_scenario",
]

#: The built-in scenarios, in the order the selectors show them.
BUILTINS: tuple[str, ...] = ("on_schedule", "delayed")
#: Choice of a built-in (on schedule) with another relocation year.
CUSTOM = "custom"
#: Prefix of a saved scenario's choice.
SAVED_PREFIX = "saved:"

_SCENARIO_DIR = sc.SCENARIO_DIR


def choices(saved: list[str]) -> list[str]:
    """Every choice of a selector: built-ins, custom year, then the saved scenarios."""
    return [*BUILTINS, CUSTOM, *(f"{SAVED_PREFIX}{n}" for n in saved)]


def saved_name(choice: str) -> str | None:
    """The saved scenario's name of a choice, or None for a built-in/custom one."""
    return choice[len(SAVED_PREFIX):] if isinstance(choice, str) and choice.startswith(SAVED_PREFIX) else None


def other_builtin(choice: str) -> str:
    """The built-in that differs from ``choice`` (``delayed`` for anything but ``delayed``)."""
    return "on_schedule" if choice == "delayed" else "delayed"


def scenario_key(choice: str, custom_year: int | None = None) -> tuple[Any, ...]:
    """Cache key of :func:`ui.scenario_data.scenario_of` for a choice.

    Returns ``(name, None)`` for a built-in, ``("on_schedule", year)`` for a custom
    year, ``("saved:<name>", None, yaml_text, types_text, base_texts)`` for a saved scenario
    (``types_text``: the published development-type library its edits use, None for the shipped one;
    ``base_texts``: the texts of the saved scenarios its ``base:`` leads through, so a new version
    of any of them is a new key); a saved scenario that no longer exists falls back to
    ``("on_schedule", None)``.
    """
    name = saved_name(choice)
    if name is not None:
        from office import records
        from ui import office

        found = records.scenario_text(office.store(), name)
        return ("on_schedule", None) if found is None else \
            (choice, None, found[0], records.development_types_text(office.store()), _base_texts(found[0], name))
    if choice == CUSTOM:
        return ("on_schedule", None if custom_year is None else int(custom_year))
    return (choice if choice in BUILTINS else "on_schedule", None)


def _base_texts(text: str, name: str, *, most: int = 16) -> tuple[str, ...]:
    """The YAML texts of the saved scenarios a saved scenario's ``base:`` chain passes through
    (built-ins end it; a loop or a missing name ends it too, where parsing refuses it)."""
    from office import records
    from ui import office

    out: list[str] = []
    seen = {name}
    while len(out) < most:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError:
            break
        base = data.get("base") if isinstance(data, dict) else None
        if not isinstance(base, str) or base in BUILTINS or base in seen:
            break
        found = records.scenario_text(office.store(), base)
        if found is None:
            break
        seen.add(base)
        text = found[0]
        out.append(text)
    return tuple(out)


def saved_mapping(name: str) -> dict[str, Any] | None:
    """The mapping of the saved scenario ``name`` (a ``base:`` naming it), or None when none is saved."""
    from office import records
    from ui import office

    found = records.scenario_text(office.store(), name)
    if found is None:
        return None
    data = yaml.safe_load(found[0])
    return {**data, "name": data.get("name", name)} if isinstance(data, dict) else None


def parse_text(text: str, *, name: str | None = None, types: DevelopmentTypes | None = None) -> sc.Scenario:
    """A scenario from YAML text, validated by :func:`analysis.scenario.parse_scenario`.

    ``name`` fills the scenario's ``name`` when the text has none; a ``base:`` may name a saved
    scenario (:func:`saved_mapping`); edits are checked against ``types`` (default the shipped library).

    Raises
    ------
    ConfigError
        The text is not YAML, not a mapping, or not a valid scenario (the model's
        messages say which key and why).
    """
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
        where_zh = f"（第 {mark.line + 1} 行第 {mark.column + 1} 列）" if mark is not None else ""
        raise ConfigError(
            f"The scenario text is not valid YAML{where}: {getattr(err, 'problem', err)}. "
            "Check indentation and colons.",
            f"情景文本不是有效的 YAML{where_zh}：{getattr(err, 'problem', err)}。请检查缩进和冒号。",
        ) from err
    if not isinstance(data, dict):
        raise ConfigError(
            f"The scenario text must be a YAML mapping (key: value lines); received {type(data).__name__}.",
            f"情景文本必须是 YAML 映射（“键: 值”形式）；收到的是 {type(data).__name__}。",
        )
    if name and "name" not in data:
        data = {**data, "name": name}
    return sc.parse_scenario(data, resolve_base=saved_mapping, types=types)


def parse_saved(text: str, name: str, types: DevelopmentTypes | None = None) -> sc.Scenario:
    """A saved scenario: :func:`parse_text`, named by its saved name.

    Titles copied unchanged from a built-in template would pass a saved scenario off as
    the built-in one; they become the saved name (titles the user wrote are kept).
    """
    scenario = parse_text(text, name=name, types=types)
    builtin_titles = {(b.title_zh, b.title_en) for b in (sc.load_scenario(n) for n in BUILTINS)}
    zh, en = scenario.title_zh, scenario.title_en
    if (zh, en) in builtin_titles or zh == scenario.name:
        zh = en = name
    return dataclasses.replace(scenario, name=name, title_zh=zh, title_en=en)


def custom_titled(scenario: sc.Scenario) -> sc.Scenario:
    """A built-in moved to another relocation year, titled as the custom scenario it is
    (“自定义（2031年搬迁）”, not the built-in's “按计划搬迁（2031年搬迁）”)."""
    from ui.i18n import t

    year = scenario.relocation_year
    if year is None:
        return dataclasses.replace(scenario, title_zh=t("scn.custom_never", "zh"), title_en=t("scn.custom_never", "en"))
    return dataclasses.replace(scenario, title_zh=t("scn.custom_title", "zh", year=year),
                               title_en=t("scn.custom_title", "en", year=year))


def same_scenario(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
    """Whether two scenario keys (:func:`scenario_key`) name the same scenario (comparing one with
    itself says nothing)."""
    return tuple(a) == tuple(b)


def template_text(base: str = "on_schedule") -> str:
    """The YAML of a built-in scenario without its comment lines, as a starting point."""
    path = _SCENARIO_DIR / f"{base if base in BUILTINS else 'on_schedule'}.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    return "\n".join(line for line in lines if not line.lstrip().startswith("#")).strip() + "\n"
