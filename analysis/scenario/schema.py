"""The scenario file: its schema, read into a frozen :class:`Scenario`, and its stated assumptions.

A scenario is a YAML file (built-ins in ``analysis/scenarios/``: ``on_schedule`` and
``delayed``) read by :func:`load_scenario`.  It states when Gaoqi airport closes (or ``null``:
not within the horizon), how its land is released afterwards (phases in years after the
relocation, each a share of the airport area with a planned-use mix), the ICV test-road
phases, the V2X / smart-transport projects to place, the output model and its targets.  Every
figure is an assumption stated in the file;
:func:`analysis.scenario.assumptions.scenario_assumptions` lists them.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis import _yamlconfig as cfg
from analysis.scenario.base import BUILTIN_SCENARIOS, SCENARIO_DIR, BaseResolver, with_base
from analysis.whatif.edits import Edit, parse_edits
from analysis.whatif.types import DevelopmentTypes, load_development_types
from core.errors import ConfigError

__all__ = [
    "HORIZON", "PLANNED_USES", "PLANNED_USE_ZH", "PLANNED_USE_EN", "PROJECT_KINDS", "TEST_ROAD_PLACES",
    "BUILTIN_SCENARIOS", "SCENARIO_DIR", "SQM_PER_HA", "ReleasePhase", "TestRoadPhase", "Project", "Placement", "OutputTarget",
    "OutputModel", "Scenario", "BaseResolver", "load_scenario", "parse_scenario", "check_year",
]

log = logging.getLogger(__name__)

#: Years a scenario may cover (the plan period 2022-2025 and ten years after it).
HORIZON: tuple[int, int] = (2022, 2035)

#: Planned uses of the released airport land (the plan's ICV industry community).
PLANNED_USE_ZH: dict[str, str] = {
    "rd_office": "研发办公",
    "pilot_base": "中试基地",
    "industrial_plant": "工业厂房",
    "conference_centre": "会议中心",
    "commerce": "商业配套",
    "talent_housing": "人才公寓",
    "test_road": "测试道路",
}
PLANNED_USE_EN: dict[str, str] = {
    "rd_office": "R&D offices",
    "pilot_base": "pilot bases",
    "industrial_plant": "industrial plants",
    "conference_centre": "conference centre",
    "commerce": "commerce",
    "talent_housing": "talent housing",
    "test_road": "test roads",
}
PLANNED_USES: tuple[str, ...] = tuple(PLANNED_USE_ZH)
PROJECT_KINDS: tuple[str, ...] = ("v2x", "smart_transport", "smart_energy")
TEST_ROAD_PLACES: tuple[str, ...] = ("airport_block", "block_site")


_TOP_KEYS = ("name", "title_zh", "title_en", "description_zh", "description_en", "base", "horizon", "relocation_year",
             "release_phases", "test_road_phases", "projects", "placement", "output", "assumptions", "edits")

_SHARE_TOLERANCE = 1e-6
SQM_PER_HA = 10_000.0


# --- the scenario -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReleasePhase:
    """Airport land released ``years_after_relocation`` years after the relocation year."""

    years_after_relocation: int
    share_pct: float
    uses_pct: Mapping[str, float]


@dataclass(frozen=True)
class TestRoadPhase:
    """A test-road segment: a fixed ``year`` or ``years_after_relocation``, length, place."""

    length_km: float
    place: str
    year: int | None = None
    years_after_relocation: int | None = None

    def effective_year(self, relocation_year: int | None) -> int | None:
        """Calendar year of the phase; None when it depends on a relocation that never comes."""
        if self.year is not None:
            return self.year
        if relocation_year is None or self.years_after_relocation is None:
            return None
        return relocation_year + self.years_after_relocation


@dataclass(frozen=True)
class Project:
    """A V2X / smart-transport / smart-energy project to place."""

    id: str
    name_zh: str
    name_en: str
    kind: str
    start_year: int
    land_ha: float


@dataclass(frozen=True)
class Placement:
    """Where projects may go and which parcels count as developable."""

    host_uses: tuple[str, ...] = ("rd_office", "pilot_base", "industrial_plant")
    incubation_recommendations: tuple[str, ...] = ("reserve_industrial",)
    developable_recommendations: tuple[str, ...] = ("reserve_industrial",)


@dataclass(frozen=True)
class OutputTarget:
    """A plan target for the cluster output."""

    year: int
    yi: float
    source_zh: str
    source_en: str


@dataclass(frozen=True)
class OutputModel:
    """Assumptions of the cluster-output projection (亿元)."""

    base_year: int = 2021
    base_yi: float = 120.0
    growth_pct_per_year: float = 8.0
    uplift_yi_per_host_ha: float = 0.15
    ramp_years: int = 3
    uplift_yi_per_project_demonstration: float = 2.0
    uplift_yi_per_project_incubation: float = 1.2
    targets: tuple[OutputTarget, ...] = ()


@dataclass(frozen=True)
class Scenario:
    """One airport-relocation scenario (see the module notes and the YAML files)."""

    name: str
    title_zh: str
    title_en: str
    horizon: tuple[int, int]
    relocation_year: int | None
    release_phases: tuple[ReleasePhase, ...]
    test_road_phases: tuple[TestRoadPhase, ...]
    projects: tuple[Project, ...]
    placement: Placement
    output: OutputModel
    assumptions: tuple[tuple[str, str], ...] = ()
    description_zh: str = ""
    description_en: str = ""
    edits: tuple[Edit, ...] = ()
    base: str | None = None

    @property
    def years(self) -> list[int]:
        """Every year of the horizon."""
        return list(range(self.horizon[0], self.horizon[1] + 1))

    def with_relocation_year(self, year: int | None) -> Scenario:
        """The same scenario with another relocation year (None: not within the horizon).

        The name and titles say which year; the phases keep their offsets from the
        relocation year.
        """
        if year is not None:
            cfg.integer(year, where="relocation_year", minimum=self.horizon[0], maximum=self.horizon[1])
        suffix = "never" if year is None else str(year)
        zh = "搬迁不在规划期内" if year is None else f"{year}年搬迁"
        en = "no relocation within the horizon" if year is None else f"relocated {year}"
        new = dataclasses.replace(
            self,
            name=f"{self.name}_{suffix}",
            title_zh=f"{self.title_zh}（{zh}）",
            title_en=f"{self.title_en} ({en})",
            relocation_year=year,
        )
        _check_road_timing(new)
        return new


def load_scenario(name_or_path: str | Path, *, resolve_base: BaseResolver | None = None,
                  types: DevelopmentTypes | None = None) -> Scenario:
    """Load a built-in scenario by name or a scenario YAML file.

    Parameters
    ----------
    name_or_path
        ``"on_schedule"``, ``"delayed"`` or the path of a YAML file.
    resolve_base, types
        As for :func:`parse_scenario`.

    Raises
    ------
    ConfigError
        Unknown name, unreadable file, or a schema error (with the valid keys or range).
    """
    text = str(name_or_path)
    if text in BUILTIN_SCENARIOS:
        path = SCENARIO_DIR / f"{text}.yaml"
    else:
        path = Path(text)
        if not path.exists():
            raise ConfigError(
                f"Unknown scenario {text!r}: not a built-in scenario {list(BUILTIN_SCENARIOS)} and no such file. "
                "Give a built-in name or the path of a scenario YAML file.",
                f"未知情景 {text!r}：既不是内置情景 {list(BUILTIN_SCENARIOS)}，也找不到该文件。"
                "请给出内置情景名称或情景 YAML 文件路径。",
            )
    data = cfg.read_yaml(path, what_en="Scenario", what_zh="情景")
    data.setdefault("name", path.stem)
    return parse_scenario(data, resolve_base=resolve_base, types=types)


def parse_scenario(data: Mapping[str, Any], *, resolve_base: BaseResolver | None = None,
                   types: DevelopmentTypes | None = None) -> Scenario:
    """Validate a scenario mapping (as read from YAML) into a :class:`Scenario`.

    Parameters
    ----------
    data
        The mapping.  ``base: NAME`` takes the relocation timeline (every key but the name,
        titles, descriptions and edits) of a built-in scenario or, through ``resolve_base``, of
        a saved one; the mapping's own keys override the base's.  ``edits:`` is a list of
        what-if edits (:func:`analysis.whatif.edits.parse_edits`).
    resolve_base
        ``resolve_base(name)`` gives the mapping of a saved scenario (None: no such scenario);
        without it only built-in names are bases.
    types
        The development-type library the edits' codes are checked against (default: the
        shipped one).

    Raises
    ------
    ConfigError
        Unknown keys (listing the valid ones), an unknown base (listing the choices), years
        outside 2022-2035, negative lengths or areas, shares above 100 %, phases out of order,
        test roads in the airport block before the relocation, invalid edits.
    """
    data = cfg.mapping(data, where="scenario")
    cfg.check_keys(data, where="scenario", valid=_TOP_KEYS, required=("name",))
    data = with_base(data, resolve_base)
    cfg.check_keys(data, where="scenario", valid=_TOP_KEYS, required=("name", "relocation_year"))
    name = cfg.text(data["name"], where="name")
    horizon = _parse_horizon(data.get("horizon", {"start": HORIZON[0], "end": HORIZON[1]}))
    reloc_raw = data["relocation_year"]
    relocation = None if reloc_raw is None else check_year(reloc_raw, "relocation_year", horizon,
                                                      hint_en=" Use null when the airport is not relocated "
                                                      "within the horizon.",
                                                      hint_zh="若规划期内不搬迁，请填 null。")
    scenario = Scenario(
        name=name,
        title_zh=str(data.get("title_zh", name)),
        title_en=str(data.get("title_en", name)),
        horizon=horizon,
        relocation_year=relocation,
        release_phases=_parse_release(data.get("release_phases", [])),
        test_road_phases=_parse_roads(data.get("test_road_phases", []), horizon),
        projects=_parse_projects(data.get("projects", []), horizon),
        placement=_parse_placement(data.get("placement", {})),
        output=_parse_output(data.get("output", {})),
        assumptions=_parse_assumptions(data.get("assumptions", [])),
        description_zh=str(data.get("description_zh", "")),
        description_en=str(data.get("description_en", "")).strip(),
        edits=_parse_edits(data.get("edits"), horizon, types),
        base=None if data.get("base") is None else str(data["base"]),
    )
    _check_road_timing(scenario)
    return scenario


def _parse_edits(value: Any, horizon: tuple[int, int], types: DevelopmentTypes | None) -> tuple[Edit, ...]:
    if value is None or (isinstance(value, list) and not value):
        return ()
    return parse_edits(value, horizon=horizon, types=types if types is not None else load_development_types())


def check_year(value: Any, where: str, horizon: tuple[int, int], *, hint_en: str = "", hint_zh: str = "") -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(f"{where} must be a year (whole number); got {value!r}.",
                          f"{where} 必须是年份（整数），实际为 {value!r}。")
    if not horizon[0] <= value <= horizon[1]:
        raise ConfigError(
            f"{where} = {value} is outside the horizon {horizon[0]}-{horizon[1]}.{hint_en}",
            f"{where} = {value} 超出规划期 {horizon[0]}-{horizon[1]} 年。{hint_zh}",
        )
    return value


def _parse_horizon(value: Any) -> tuple[int, int]:
    m = cfg.mapping(value, where="horizon")
    cfg.check_keys(m, where="horizon", valid=("start", "end"), required=("start", "end"))
    start = check_year(m["start"], "horizon.start", HORIZON)
    end = check_year(m["end"], "horizon.end", HORIZON)
    if end < start:
        raise ConfigError(f"horizon.end ({end}) is before horizon.start ({start}).",
                          f"horizon.end（{end}）早于 horizon.start（{start}）。")
    return start, end


def _parse_release(value: Any) -> tuple[ReleasePhase, ...]:
    phases: list[ReleasePhase] = []
    for i, item in enumerate(cfg.sequence(value, where="release_phases")):
        w = f"release_phases[{i}]"
        m = cfg.mapping(item, where=w)
        cfg.check_keys(m, where=w, valid=("years_after_relocation", "share_pct", "uses_pct"),
                       required=("years_after_relocation", "share_pct", "uses_pct"))
        after = cfg.integer(m["years_after_relocation"], where=f"{w}.years_after_relocation", minimum=0)
        share = cfg.number(m["share_pct"], where=f"{w}.share_pct", minimum=0, maximum=100)
        uses = cfg.mapping(m["uses_pct"], where=f"{w}.uses_pct")
        cfg.check_keys(uses, where=f"{w}.uses_pct", valid=PLANNED_USES)
        pct = {k: cfg.number(v, where=f"{w}.uses_pct.{k}", minimum=0, maximum=100) for k, v in uses.items()}
        if abs(sum(pct.values()) - 100.0) > 0.01:
            raise ConfigError(
                f"{w}.uses_pct must add up to 100 %; got {sum(pct.values()):g} %.",
                f"{w}.uses_pct 各用途比例之和必须为 100%，实际为 {sum(pct.values()):g}%。",
            )
        if phases and after <= phases[-1].years_after_relocation:
            raise ConfigError(
                f"release_phases are out of order: phase {i} is {after} year(s) after the relocation, "
                f"not later than the phase before ({phases[-1].years_after_relocation}). "
                "List phases in increasing years_after_relocation.",
                f"release_phases 顺序错误：第 {i} 期为搬迁后第 {after} 年，不晚于上一期"
                f"（第 {phases[-1].years_after_relocation} 年）。请按 years_after_relocation 递增排列。",
            )
        phases.append(ReleasePhase(after, share, pct))
    total = sum(p.share_pct for p in phases)
    if total > 100.0 + _SHARE_TOLERANCE:
        raise ConfigError(
            f"release_phases share_pct add up to {total:g} %, more than 100 % of the airport area. "
            "Lower the shares.",
            f"release_phases 释放比例合计 {total:g}%，超过机场面积的 100%，请调低比例。",
        )
    return tuple(phases)


def _parse_roads(value: Any, horizon: tuple[int, int]) -> tuple[TestRoadPhase, ...]:
    phases: list[TestRoadPhase] = []
    for i, item in enumerate(cfg.sequence(value, where="test_road_phases")):
        w = f"test_road_phases[{i}]"
        m = cfg.mapping(item, where=w)
        cfg.check_keys(m, where=w, valid=("year", "years_after_relocation", "length_km", "place"),
                       required=("length_km", "place"))
        if ("year" in m) == ("years_after_relocation" in m):
            raise ConfigError(
                f"{w} needs exactly one of 'year' or 'years_after_relocation'; got {sorted(m)}.",
                f"{w} 必须且只能给出 year 或 years_after_relocation 之一，实际为 {sorted(m)}。",
            )
        length = cfg.number(m["length_km"], where=f"{w}.length_km", minimum=0, strict_minimum=True)
        place = m["place"]
        if place not in TEST_ROAD_PLACES:
            raise ConfigError(f"{w}.place must be one of {list(TEST_ROAD_PLACES)}; got {place!r}.",
                              f"{w}.place 必须为 {list(TEST_ROAD_PLACES)} 之一，实际为 {place!r}。")
        year = check_year(m["year"], f"{w}.year", horizon) if "year" in m else None
        after = (cfg.integer(m["years_after_relocation"], where=f"{w}.years_after_relocation", minimum=0)
                 if "years_after_relocation" in m else None)
        phases.append(TestRoadPhase(length, place, year, after))
    return tuple(phases)


def _check_road_timing(s: Scenario) -> None:
    """Test-road phases in calendar order; none in the airport block while it operates."""
    last: int | None = None
    for i, ph in enumerate(s.test_road_phases):
        y = ph.effective_year(s.relocation_year)
        if y is None:
            continue
        if ph.place == "airport_block" and (s.relocation_year is None or y < s.relocation_year):
            raise ConfigError(
                f"test_road_phases[{i}] is in the airport block in {y}, while the airport still operates "
                f"(relocation {s.relocation_year or 'not within the horizon'}). Use place: block_site or a "
                "year from the relocation on.",
                f"test_road_phases[{i}] 于 {y} 年位于机场地块内，但机场仍在运营（搬迁年份："
                f"{s.relocation_year or '规划期内不搬迁'}）。请改为 place: block_site，或改在搬迁后。",
            )
        if last is not None and y < last:
            raise ConfigError(
                f"test_road_phases are out of order: phase {i} falls in {y}, before the phase before it ({last}). "
                "List phases in calendar order.",
                f"test_road_phases 顺序错误：第 {i} 期在 {y} 年，早于上一期（{last} 年）。请按时间先后排列。",
            )
        last = y


def _parse_projects(value: Any, horizon: tuple[int, int]) -> tuple[Project, ...]:
    projects: list[Project] = []
    seen: set[str] = set()
    for i, item in enumerate(cfg.sequence(value, where="projects")):
        w = f"projects[{i}]"
        m = cfg.mapping(item, where=w)
        keys = ("id", "name_zh", "name_en", "kind", "start_year", "land_ha")
        cfg.check_keys(m, where=w, valid=keys, required=keys)
        pid = cfg.text(m["id"], where=f"{w}.id")
        if pid in seen:
            raise ConfigError(f"{w}.id {pid!r} is used twice; give each project its own id.",
                              f"{w}.id {pid!r} 重复，请为每个项目设置唯一编号。")
        seen.add(pid)
        if m["kind"] not in PROJECT_KINDS:
            raise ConfigError(f"{w}.kind must be one of {list(PROJECT_KINDS)}; got {m['kind']!r}.",
                              f"{w}.kind 必须为 {list(PROJECT_KINDS)} 之一，实际为 {m['kind']!r}。")
        projects.append(Project(
            pid, cfg.text(m["name_zh"], where=f"{w}.name_zh"), cfg.text(m["name_en"], where=f"{w}.name_en"),
            m["kind"], check_year(m["start_year"], f"{w}.start_year", horizon),
            cfg.number(m["land_ha"], where=f"{w}.land_ha", minimum=0, strict_minimum=True),
        ))
    return tuple(projects)


def _parse_placement(value: Any) -> Placement:
    m = cfg.mapping(value, where="placement")
    keys = ("host_uses", "incubation_recommendations", "developable_recommendations")
    cfg.check_keys(m, where="placement", valid=keys)
    default = Placement()
    host = tuple(str(x) for x in cfg.sequence(m.get("host_uses", list(default.host_uses)), where="placement.host_uses"))
    bad = [u for u in host if u not in PLANNED_USES]
    if bad:
        raise ConfigError(f"placement.host_uses has unknown use(s) {bad}. Valid uses: {list(PLANNED_USES)}.",
                          f"placement.host_uses 含未知用途 {bad}。有效用途：{list(PLANNED_USES)}。")
    inc = m.get("incubation_recommendations", list(default.incubation_recommendations))
    dev = m.get("developable_recommendations", list(default.developable_recommendations))
    return Placement(
        host,
        tuple(str(x) for x in cfg.sequence(inc, where="placement.incubation_recommendations")),
        tuple(str(x) for x in cfg.sequence(dev, where="placement.developable_recommendations")),
    )


def _parse_output(value: Any) -> OutputModel:
    m = cfg.mapping(value, where="output")
    fields = [f.name for f in dataclasses.fields(OutputModel)]
    cfg.check_keys(m, where="output", valid=fields)
    d = OutputModel()
    targets: list[OutputTarget] = []
    for i, item in enumerate(cfg.sequence(m.get("targets", []), where="output.targets")):
        w = f"output.targets[{i}]"
        t = cfg.mapping(item, where=w)
        cfg.check_keys(t, where=w, valid=("year", "yi", "source_zh", "source_en"), required=("year", "yi"))
        targets.append(OutputTarget(check_year(t["year"], f"{w}.year", HORIZON),
                                    cfg.number(t["yi"], where=f"{w}.yi", minimum=0),
                                    str(t.get("source_zh", "")), str(t.get("source_en", ""))))
    return OutputModel(
        base_year=cfg.integer(m.get("base_year", d.base_year), where="output.base_year", minimum=2000,
                              maximum=HORIZON[1]),
        base_yi=cfg.number(m.get("base_yi", d.base_yi), where="output.base_yi", minimum=0),
        growth_pct_per_year=cfg.number(m.get("growth_pct_per_year", d.growth_pct_per_year),
                                       where="output.growth_pct_per_year", minimum=-50, maximum=100),
        uplift_yi_per_host_ha=cfg.number(m.get("uplift_yi_per_host_ha", d.uplift_yi_per_host_ha),
                                         where="output.uplift_yi_per_host_ha", minimum=0),
        ramp_years=cfg.integer(m.get("ramp_years", d.ramp_years), where="output.ramp_years", minimum=1),
        uplift_yi_per_project_demonstration=cfg.number(
            m.get("uplift_yi_per_project_demonstration", d.uplift_yi_per_project_demonstration),
            where="output.uplift_yi_per_project_demonstration", minimum=0),
        uplift_yi_per_project_incubation=cfg.number(
            m.get("uplift_yi_per_project_incubation", d.uplift_yi_per_project_incubation),
            where="output.uplift_yi_per_project_incubation", minimum=0),
        targets=tuple(targets),
    )


def _parse_assumptions(value: Any) -> tuple[tuple[str, str], ...]:
    out: list[tuple[str, str]] = []
    for i, item in enumerate(cfg.sequence(value, where="assumptions")):
        if isinstance(item, str):
            out.append((item, item))
            continue
        m = cfg.mapping(item, where=f"assumptions[{i}]")
        cfg.check_keys(m, where=f"assumptions[{i}]", valid=("zh", "en"), required=("zh", "en"))
        out.append((str(m["zh"]), str(m["en"])))
    return tuple(out)
