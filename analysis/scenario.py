"""Airport-relocation scenarios: schema, year-by-year KPIs and map layers for a year.

A scenario is a YAML file (built-ins in ``analysis/scenarios/``: ``on_schedule`` and
``delayed``) read by :func:`load_scenario` into a frozen :class:`Scenario`.  It states
when Gaoqi airport closes (or ``null``: not within the horizon), how its land is released
afterwards (phases in years after the relocation, each a share of the airport area with a
planned-use mix), the ICV test-road phases, and the V2X / smart-transport projects to
place.  Every figure is an assumption stated in the file; :func:`scenario_assumptions`
lists them.

Rules of the model (also in the scenario's ``assumptions``):

* The height limits apply in every year before the relocation year and are lifted from
  that year on (:func:`height_limit_active`).
* Released airport land accumulates phase by phase; it never decreases and never
  exceeds the airport area (shares total at most 100 %).  On the map the airport
  polygon is cut into strips across the runway, from the runway's first threshold
  onward, one strip per phase, each with the phase's share of the area.
* Test roads: ``airport_block`` phases lie inside the airport boundary and need the
  airport closed; ``block_site`` phases lie in the demonstration zone outside the
  airport boundary (the plan's "pick a site in the block and start the test road first").
* Projects, taken in order of start year: a project goes to the demonstration zone when
  the released land of the host uses (default R&D offices, pilot bases, plants) still
  has room for it that year; otherwise to an incubation-zone reserve parcel
  (``recommendation`` in ``placement.incubation_recommendations``) with room; otherwise
  it waits.  Each placement carries a sentence in Chinese and English.
* Output of the cluster (亿元): the base-year output grown at a fixed rate, plus an
  uplift per hectare of released host-use land (ramping up over ``ramp_years``) and per
  project by where it sits.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import LineString, MultiLineString, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.ops import substring

from analysis import _yamlconfig as cfg
from analysis.airport import HeightRaster, OLSParams, Runway, height_surface_raster
from analysis.heights import (
    BuildabilityParams,
    buildable_floor_area,
    load_buildability,
    metric_area_m2,
    parcel_height_limits,
)
from analysis.recommend import DemonstrationAdvice
from core.errors import ConfigError, CRSError, SchemaError
from core.settings import GEOGRAPHIC_CRS, get_settings

__all__ = [
    "HORIZON",
    "PLANNED_USES",
    "PLANNED_USE_ZH",
    "PROJECT_KINDS",
    "TEST_ROAD_PLACES",
    "BUILTIN_SCENARIOS",
    "ReleasePhase",
    "TestRoadPhase",
    "Project",
    "Placement",
    "OutputModel",
    "Scenario",
    "YearState",
    "load_scenario",
    "parse_scenario",
    "scenario_assumptions",
    "height_limit_active",
    "released_share_pct",
    "place_projects",
    "scenario_timeline",
    "scenario_year_state",
    "demonstration_advice",
    "apply_scenario_year",
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

_SCENARIO_DIR = Path(__file__).resolve().parent / "scenarios"
BUILTIN_SCENARIOS: tuple[str, ...] = ("on_schedule", "delayed")

_TOP_KEYS = ("name", "title_zh", "title_en", "description_zh", "description_en", "horizon", "relocation_year",
             "release_phases", "test_road_phases", "projects", "placement", "output", "assumptions")
_SHARE_TOLERANCE = 1e-6
_HA = 10_000.0


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


def load_scenario(name_or_path: str | Path) -> Scenario:
    """Load a built-in scenario by name or a scenario YAML file.

    Parameters
    ----------
    name_or_path
        ``"on_schedule"``, ``"delayed"`` or the path of a YAML file.

    Raises
    ------
    ConfigError
        Unknown name, unreadable file, or a schema error (with the valid keys or range).
    """
    text = str(name_or_path)
    if text in BUILTIN_SCENARIOS:
        path = _SCENARIO_DIR / f"{text}.yaml"
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
    return parse_scenario(data)


def parse_scenario(data: Mapping[str, Any]) -> Scenario:
    """Validate a scenario mapping (as read from YAML) into a :class:`Scenario`.

    Raises
    ------
    ConfigError
        Unknown keys (listing the valid ones), years outside 2022-2035, negative lengths or
        areas, shares above 100 %, phases out of order, test roads in the airport block
        before the relocation.
    """
    data = cfg.mapping(data, where="scenario")
    cfg.check_keys(data, where="scenario", valid=_TOP_KEYS, required=("name", "relocation_year"))
    name = cfg.text(data["name"], where="name")
    horizon = _parse_horizon(data.get("horizon", {"start": HORIZON[0], "end": HORIZON[1]}))
    reloc_raw = data["relocation_year"]
    relocation = None if reloc_raw is None else _year(reloc_raw, "relocation_year", horizon,
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
    )
    _check_road_timing(scenario)
    return scenario


def _year(value: Any, where: str, horizon: tuple[int, int], *, hint_en: str = "", hint_zh: str = "") -> int:
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
    start = _year(m["start"], "horizon.start", HORIZON)
    end = _year(m["end"], "horizon.end", HORIZON)
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
        year = _year(m["year"], f"{w}.year", horizon) if "year" in m else None
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
            m["kind"], _year(m["start_year"], f"{w}.start_year", horizon),
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
        targets.append(OutputTarget(_year(t["year"], f"{w}.year", HORIZON),
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


def scenario_assumptions(scenario: Scenario) -> list[dict[str, str]]:
    """Every assumption behind the scenario's numbers, as ``{"zh": ..., "en": ...}`` items.

    The free-text assumptions of the YAML file come first, then the figures the model uses.
    """
    s, o = scenario, scenario.output
    reloc_zh = f"{s.relocation_year}年" if s.relocation_year is not None else "规划期内不搬迁"
    reloc_en = str(s.relocation_year) if s.relocation_year is not None else "not within the horizon"
    items = [{"zh": zh, "en": en} for zh, en in s.assumptions]
    items.append({"zh": f"搬迁年份：{reloc_zh}；规划期 {s.horizon[0]}-{s.horizon[1]} 年。",
                  "en": f"Relocation year: {reloc_en}; horizon {s.horizon[0]}-{s.horizon[1]}."})
    for i, ph in enumerate(s.release_phases, 1):
        mix_zh = "、".join(f"{PLANNED_USE_ZH[k]}{v:g}%" for k, v in ph.uses_pct.items())
        mix_en = ", ".join(f"{PLANNED_USE_EN[k]} {v:g} %" for k, v in ph.uses_pct.items())
        items.append({"zh": f"释放第{i}期：搬迁后第{ph.years_after_relocation}年释放机场面积的{ph.share_pct:g}%（{mix_zh}）。",
                      "en": f"Release phase {i}: {ph.share_pct:g} % of the airport area "
                            f"{ph.years_after_relocation} year(s) after the relocation ({mix_en})."})
    for i, rd in enumerate(s.test_road_phases, 1):
        when_zh = f"{rd.year}年" if rd.year is not None else f"搬迁后第{rd.years_after_relocation}年"
        when_en = str(rd.year) if rd.year is not None else f"{rd.years_after_relocation} year(s) after the relocation"
        where_zh = "机场地块内" if rd.place == "airport_block" else "示范区块内机场围界外选址"
        where_en = "in the airport block" if rd.place == "airport_block" else "at a site in the block outside the airport"
        items.append({"zh": f"测试道路第{i}期：{when_zh}，{rd.length_km:g}公里，{where_zh}。",
                      "en": f"Test road phase {i}: {rd.length_km:g} km {where_en}, {when_en}."})
    items.append({
        "zh": f"产值模型：{o.base_year}年基数{o.base_yi:g}亿元，年增长{o.growth_pct_per_year:g}%；"
              f"每公顷承载用途释放用地增产{o.uplift_yi_per_host_ha:g}亿元（{o.ramp_years}年达产）；"
              f"每个示范区项目{o.uplift_yi_per_project_demonstration:g}亿元，每个孵化区过渡项目"
              f"{o.uplift_yi_per_project_incubation:g}亿元。",
        "en": f"Output model: {o.base_yi:g} 亿元 in {o.base_year}, growing {o.growth_pct_per_year:g} % a year; "
              f"{o.uplift_yi_per_host_ha:g} 亿元 per released hectare of host use (full after {o.ramp_years} "
              f"year(s)); {o.uplift_yi_per_project_demonstration:g} 亿元 per project in the demonstration zone, "
              f"{o.uplift_yi_per_project_incubation:g} 亿元 per project hosted in the incubation zone.",
    })
    for t in o.targets:
        items.append({"zh": f"规划目标：{t.year}年{t.yi:g}亿元（{t.source_zh}）。",
                      "en": f"Plan target: {t.yi:g} 亿元 in {t.year} ({t.source_en})."})
    return items


# --- year rules ---------------------------------------------------------------------------------


def height_limit_active(scenario: Scenario, year: int) -> bool:
    """Whether the airport's height limits apply in ``year`` (before the relocation year)."""
    return scenario.relocation_year is None or year < scenario.relocation_year


def _phase_years(scenario: Scenario) -> list[int | None]:
    r = scenario.relocation_year
    return [None if r is None else r + ph.years_after_relocation for ph in scenario.release_phases]


def released_share_pct(scenario: Scenario, year: int) -> float:
    """Cumulative share of the airport area released by the end of ``year`` (0-100)."""
    return float(sum(ph.share_pct for ph, y in zip(scenario.release_phases, _phase_years(scenario), strict=True)
                     if y is not None and y <= year))


def _released_use_ha(scenario: Scenario, year: int, airport_ha: float) -> dict[str, float]:
    out = dict.fromkeys(PLANNED_USES, 0.0)
    for ph, y in zip(scenario.release_phases, _phase_years(scenario), strict=True):
        if y is not None and y <= year:
            for use, pct in ph.uses_pct.items():
                out[use] += airport_ha * ph.share_pct / 100.0 * pct / 100.0
    return out


def _test_road_km(scenario: Scenario, year: int) -> float:
    return float(sum(ph.length_km for ph in scenario.test_road_phases
                     if (y := ph.effective_year(scenario.relocation_year)) is not None and y <= year))


# --- project placement -------------------------------------------------------------------------


def place_projects(
    scenario: Scenario,
    year: int,
    *,
    airport_ha: float,
    reserve: pd.DataFrame,
) -> pd.DataFrame:
    """Where each project sits in ``year``.

    Parameters
    ----------
    scenario
        The scenario (projects, placement rules, release phases).
    year
        The year.
    airport_ha
        Area of the airport boundary in hectares.
    reserve
        Incubation-zone reserve parcels: columns ``parcel_id`` and ``area_ha``, in the order
        they are offered (largest first is a good choice).

    Returns
    -------
    DataFrame, one row per project started by ``year`` (by start year, then id), with
    ``project_id``, ``name_zh``, ``name_en``, ``kind``, ``start_year``, ``land_ha``,
    ``zone_id`` ("demonstration", "incubation" or "" while waiting), ``parcel_id`` (the
    reserve parcel(s) hosting it, ``;``-separated, or ""), ``explanation_zh``,
    ``explanation_en``.  A project goes to the first reserve parcel with room for all of
    it, else across several reserve parcels in order.
    """
    return _place(scenario, year, airport_ha=airport_ha, reserve=reserve)[0]


def _place(
    scenario: Scenario, year: int, *, airport_ha: float, reserve: pd.DataFrame
) -> tuple[pd.DataFrame, dict[str, float]]:
    """:func:`place_projects` and the hectares taken from each reserve parcel."""
    uses = _released_use_ha(scenario, year, airport_ha)
    host_total = sum(uses[u] for u in scenario.placement.host_uses)
    host_left = host_total
    free = {str(pid): float(a) for pid, a in zip(reserve["parcel_id"], reserve["area_ha"], strict=True)}
    taken = dict.fromkeys(free, 0.0)
    rows: list[dict[str, Any]] = []
    host_zh = "、".join(PLANNED_USE_ZH[u] for u in scenario.placement.host_uses)
    host_en = ", ".join(PLANNED_USE_EN[u] for u in scenario.placement.host_uses)
    for p in sorted(scenario.projects, key=lambda p: (p.start_year, p.id)):
        if p.start_year > year:
            continue
        row = {"project_id": p.id, "name_zh": p.name_zh, "name_en": p.name_en, "kind": p.kind,
               "start_year": p.start_year, "land_ha": p.land_ha, "zone_id": "", "parcel_id": ""}
        if p.land_ha <= host_left + 1e-9:
            row["zone_id"] = "demonstration"
            row["explanation_zh"] = (f"{year}年机场地块已释放{host_zh}用地{host_total:.1f}公顷，尚余"
                                     f"{host_left:.1f}公顷，{p.name_zh}（需{p.land_ha:g}公顷）落户场景示范区。")
            row["explanation_en"] = (f"In {year} the airport block has {host_total:.1f} ha released for {host_en} "
                                     f"with {host_left:.1f} ha still free, so {p.name_en} "
                                     f"({p.land_ha:g} ha) goes to the demonstration zone.")
            host_left -= p.land_ha
            rows.append(row)
            continue
        why_zh = ("机场尚未搬迁，示范区暂无释放用地" if host_total == 0
                  else f"示范区释放的{host_zh}用地仅余{host_left:.1f}公顷，不足{p.land_ha:g}公顷")
        why_en = ("the airport has not been relocated, so no land is released in the demonstration zone"
                  if host_total == 0 else
                  f"only {host_left:.1f} ha of released land for {host_en} is free in the demonstration "
                  f"zone, less than the {p.land_ha:g} ha needed")
        ids = _take_reserve(free, p.land_ha)
        if ids:
            for pid, ha in ids.items():
                free[pid] -= ha
                taken[pid] += ha
            row["zone_id"] = "incubation"
            row["parcel_id"] = ";".join(ids)
            row["explanation_zh"] = f"{year}年{why_zh}，{p.name_zh}由孵化区储备地块{'、'.join(ids)}承接过渡。"
            row["explanation_en"] = (f"In {year} {why_en}; {p.name_en} is hosted on incubation-zone reserve "
                                     f"parcel(s) {', '.join(ids)} in the meantime.")
        else:
            row["explanation_zh"] = f"{year}年{why_zh}，孵化区储备地块也无足够空间，{p.name_zh}暂缓落地。"
            row["explanation_en"] = (f"In {year} {why_en}, and the incubation-zone reserve parcels have no room "
                                     f"left; {p.name_en} waits.")
        rows.append(row)
    cols = ["project_id", "name_zh", "name_en", "kind", "start_year", "land_ha", "zone_id", "parcel_id",
            "explanation_zh", "explanation_en"]
    return pd.DataFrame(rows, columns=cols), taken


def _take_reserve(free: Mapping[str, float], need: float) -> dict[str, float]:
    """Hectares to take from each reserve parcel for ``need`` ha; empty when they cannot."""
    one = next((k for k, a in free.items() if a + 1e-9 >= need), None)
    if one is not None:
        return {one: need}
    if sum(free.values()) + 1e-9 < need:
        return {}
    out: dict[str, float] = {}
    for k, a in free.items():
        if a <= 1e-9:
            continue
        take = min(a, need)
        out[k] = take
        need -= take
        if need <= 1e-9:
            break
    return out


def _reserve_parcels(parcels: gpd.GeoDataFrame, scenario: Scenario, metric_crs: str) -> pd.DataFrame:
    if "recommendation" not in parcels.columns or "parcel_id" not in parcels.columns:
        log.info("parcels carry no recommendation/parcel_id column: no incubation reserve parcels to host projects")
        return pd.DataFrame({"parcel_id": pd.Series(dtype=str), "area_ha": pd.Series(dtype=float)})
    zone = parcels["zone_id"].astype("object").fillna("") if "zone_id" in parcels.columns else ""
    mask = parcels["recommendation"].isin(scenario.placement.incubation_recommendations) & (zone == "incubation")
    sel = parcels[mask]
    out = pd.DataFrame({"parcel_id": sel["parcel_id"].astype(str).to_numpy(),
                        "area_ha": metric_area_m2(sel, metric_crs).to_numpy() / _HA})
    return out.sort_values(["area_ha", "parcel_id"], ascending=[False, True], kind="stable").reset_index(drop=True)


# --- timeline -------------------------------------------------------------------------------------


def _airport_polygon(airport: gpd.GeoDataFrame, metric_crs: str) -> BaseGeometry:
    if airport.crs is None:
        raise CRSError("The airport layer has no CRS; set one (e.g. EPSG:4326).",
                          "机场图层没有坐标参考系，请先设置（如 EPSG:4326）。")
    geom = shapely.union_all(airport.to_crs(metric_crs).geometry.values)
    if geom.is_empty or geom.area <= 0:
        raise SchemaError("The airport layer holds no polygon area.", "机场图层不含面状范围。")
    return geom


def _zone_of(parcels: gpd.GeoDataFrame) -> pd.Series:
    if "zone_id" not in parcels.columns:
        return pd.Series("outside", index=parcels.index)
    z = parcels["zone_id"].astype("object").fillna("")
    return z.where(z != "", "outside").astype(str)


def scenario_timeline(
    scenario: Scenario,
    *,
    parcels_analysed: gpd.GeoDataFrame,
    airport: gpd.GeoDataFrame,
    runway: Runway,
    params: OLSParams,
    zones: gpd.GeoDataFrame | None = None,
    buildability: BuildabilityParams | None = None,
    height_limits: pd.Series | None = None,
) -> pd.DataFrame:
    """Year-by-year KPIs of a scenario.

    Parameters
    ----------
    scenario
        The scenario.
    parcels_analysed
        Parcel frame after the land analysis (``zone_id``, ``land_use``, ``recommendation``).
    airport
        Airport boundary polygon layer.
    runway, params
        Runway and obstacle-limitation parameters for the height limits.
    zones
        Zone layer; its ``zone_id`` values always appear among the per-zone rows.
    buildability
        Floor-area assumptions (default: the packaged file).
    height_limits
        Precomputed ``height_limit_m`` with the airport operating (default: computed
        with :func:`analysis.heights.parcel_height_limits`, exact analytic method).

    Returns
    -------
    DataFrame with columns ``year``, ``kpi``, ``scope`` ("total", a zone id, "outside" or a
    planned use), ``value`` and ``unit``.  KPIs: ``height_limit_active``,
    ``released_airport_land_ha``, ``released_land_ha`` (by planned use),
    ``floor_area_gain_m2`` (total and by zone), ``developable_land_ha`` (total and by
    zone), ``test_road_km``, ``projects_in_demonstration``, ``projects_in_incubation``,
    ``projects_waiting``, ``projected_output_yi`` and, in target years,
    ``output_target_yi`` and ``output_gap_yi``.  ``frame.attrs["assumptions"]`` holds
    :func:`scenario_assumptions`.
    """
    metric = get_settings().metric_crs
    airport_ha = _airport_polygon(airport, metric).area / _HA
    buildability = buildability or load_buildability()
    if height_limits is None:
        height_limits = parcel_height_limits(parcels_analysed, runway=runway, params=params)
    area_m2 = metric_area_m2(parcels_analysed, metric)
    capped = buildable_floor_area(parcels_analysed, height_limit=height_limits, aerodrome_elevation_m=runway.elevation_m,
                                  params=buildability, metric_crs=metric, area_m2=area_m2)
    lifted = buildable_floor_area(parcels_analysed, height_limit=pd.Series(np.nan, index=parcels_analysed.index),
                                  aerodrome_elevation_m=runway.elevation_m, params=buildability, metric_crs=metric,
                                  area_m2=area_m2)
    zone = _zone_of(parcels_analysed)
    zone_ids = list(dict.fromkeys([*(zones["zone_id"].astype(str) if zones is not None else []),
                                   "hq", "incubation", "demonstration", *sorted(zone.unique())]))
    gain_by_zone = (lifted - capped).groupby(zone).sum().reindex(zone_ids, fill_value=0.0)
    area_ha = area_m2 / _HA
    if "recommendation" in parcels_analysed.columns:
        dev_mask = parcels_analysed["recommendation"].isin(scenario.placement.developable_recommendations)
    else:
        dev_mask = pd.Series(False, index=parcels_analysed.index)
    dev_parcels = area_ha[dev_mask].groupby(zone[dev_mask]).sum().reindex(zone_ids, fill_value=0.0)
    reserve = _reserve_parcels(parcels_analysed, scenario, metric)
    dev_ids = set(parcels_analysed.loc[dev_mask, "parcel_id"].astype(str)) \
        if "parcel_id" in parcels_analysed.columns else set()

    o = scenario.output
    rows: list[tuple[int, str, str, float, str]] = []
    for year in scenario.years:
        active = height_limit_active(scenario, year)
        uses = _released_use_ha(scenario, year, airport_ha)
        released = min(airport_ha, airport_ha * released_share_pct(scenario, year) / 100.0)
        placed, taken = _place(scenario, year, airport_ha=airport_ha, reserve=reserve)
        in_demo = placed[placed["zone_id"] == "demonstration"]
        in_inc = placed[placed["zone_id"] == "incubation"]
        rows.append((year, "height_limit_active", "total", float(active), "1/0"))
        rows.append((year, "released_airport_land_ha", "total", released, "ha"))
        rows.extend((year, "released_land_ha", use, ha, "ha") for use, ha in uses.items())
        gains = gain_by_zone * (0.0 if active else 1.0)
        rows.append((year, "floor_area_gain_m2", "total", float(gains.sum()), "m²"))
        rows.extend((year, "floor_area_gain_m2", z, float(g), "m²") for z, g in gains.items())
        dev = dev_parcels.copy()
        dev["demonstration"] += max(0.0, released - uses["test_road"] - float(in_demo["land_ha"].sum()))
        used_dev_reserve = sum(ha for pid, ha in taken.items() if pid in dev_ids)
        dev["incubation"] = max(0.0, dev["incubation"] - used_dev_reserve)
        rows.append((year, "developable_land_ha", "total", float(dev.sum()), "ha"))
        rows.extend((year, "developable_land_ha", z, float(v), "ha") for z, v in dev.items())
        rows.append((year, "test_road_km", "total", _test_road_km(scenario, year), "km"))
        rows.append((year, "projects_in_demonstration", "total", float(len(in_demo)), "projects"))
        rows.append((year, "projects_in_incubation", "total", float(len(in_inc)), "projects"))
        rows.append((year, "projects_waiting", "total", float((placed["zone_id"] == "").sum()), "projects"))
        projected = _projected_output(scenario, year, airport_ha, len(in_demo), len(in_inc))
        rows.append((year, "projected_output_yi", "total", projected, "亿元"))
        for t in o.targets:
            if t.year == year:
                rows.append((year, "output_target_yi", "total", t.yi, "亿元"))
                rows.append((year, "output_gap_yi", "total", projected - t.yi, "亿元"))
    frame = pd.DataFrame(rows, columns=["year", "kpi", "scope", "value", "unit"])
    frame["year"] = frame["year"].astype("int64")
    frame.attrs["scenario"] = scenario.name
    frame.attrs["assumptions"] = scenario_assumptions(scenario)
    return frame


def _projected_output(scenario: Scenario, year: int, airport_ha: float, n_demo: int, n_inc: int) -> float:
    o = scenario.output
    value = o.base_yi * (1.0 + o.growth_pct_per_year / 100.0) ** (year - o.base_year)
    for ph, y in zip(scenario.release_phases, _phase_years(scenario), strict=True):
        if y is None or y > year:
            continue
        host_ha = airport_ha * ph.share_pct / 100.0 * sum(ph.uses_pct.get(u, 0.0) for u in scenario.placement.host_uses) / 100.0
        ramp = min(1.0, (year - y + 1) / o.ramp_years)
        value += o.uplift_yi_per_host_ha * host_ha * ramp
    value += n_demo * o.uplift_yi_per_project_demonstration + n_inc * o.uplift_yi_per_project_incubation
    return float(value)


# --- map layers for one year ----------------------------------------------------------------------


@dataclass(frozen=True)
class YearState:
    """Map layers and advice of a scenario in one year (all layers in EPSG:4326).

    Attributes
    ----------
    scenario, year
        Which scenario and year.
    height_limit_active
        Whether the airport's height limits apply.
    released
        Released airport land: one polygon per phase released by ``year`` with ``phase``,
        ``release_year``, ``share_pct``, ``area_ha``, ``uses_zh``, ``uses_en``.
    test_roads
        Test-road lines built by ``year``: ``phase``, ``year``, ``place``, ``length_km``
        (planned) and ``drawn_km`` (what fits on the map).
    projects
        Placed projects as points (see :func:`place_projects` for the columns).
    advice
        The demonstration zone's advice for the land analysis.
    """

    scenario: str
    year: int
    height_limit_active: bool
    released: gpd.GeoDataFrame
    test_roads: gpd.GeoDataFrame
    projects: gpd.GeoDataFrame
    advice: DemonstrationAdvice


def demonstration_advice(scenario: Scenario, year: int) -> DemonstrationAdvice:
    """The demonstration zone's advice in ``year`` (the plan's 专栏5-1 branches)."""
    r = scenario.relocation_year
    if r is not None and year >= r:
        return DemonstrationAdvice(
            code="demonstration_icv_community",
            zh="建设智能网联汽车公共测试道路，综合布局办公楼宇、科研用房、中试基地、工业厂房、会议中心、商业配套、人才公寓，"
               "打造研发、生产、商务、生活于一体的智能网联系统产业社区",
            en="Build ICV public test roads and an ICV industry community: offices, research buildings, pilot "
               "bases, industrial plants, a conference centre, commerce and talent apartments — R&D, production, "
               "business and living in one place",
            rule=f"scenario {scenario.name}: airport relocated in {r}; year {year}",
            rule_zh=f"情景 {scenario.name}：机场已于 {r} 年搬迁；{year} 年",
        )
    when = f"relocation planned for {r}" if r is not None else "relocation not within the horizon"
    when_zh = f"计划 {r} 年搬迁" if r is not None else "规划期内不搬迁"
    if any(ph.place == "block_site" for ph in scenario.test_road_phases):
        return DemonstrationAdvice(
            code="demonstration_test_road_first",
            zh="机场搬迁推迟：在该区块选址先行启动智能网联汽车测试道路建设，车路协同设备、智慧交通配套产业项目由湖里老工业区"
               "（产业孵化区）承接过渡",
            en="Relocation delayed: start the ICV test road first at a site in the block; V2X-equipment and "
               "smart-transport projects are hosted in the old industrial zone (incubation zone) in the meantime",
            rule=f"scenario {scenario.name}: airport still operating in {year} ({when})",
            rule_zh=f"情景 {scenario.name}：{year} 年机场仍在运行（{when_zh}）",
        )
    return DemonstrationAdvice(
        code="demonstration_await_relocation",
        zh="机场计划搬迁前：预留场景示范区用地，做好测试道路和产业社区规划准备，相关项目由产业孵化区储备地块承接过渡",
        en="Before the planned relocation: keep the demonstration zone's land in reserve and prepare the test "
           "roads and the industry community; related projects are hosted on incubation-zone reserve parcels",
        rule=f"scenario {scenario.name}: airport still operating in {year} ({when})",
        rule_zh=f"情景 {scenario.name}：{year} 年机场仍在运行（{when_zh}）",
    )


def _axis_frame(runway: Runway) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return np.asarray(runway.midpoint), np.asarray(runway.axis), np.asarray((-runway.axis[1], runway.axis[0]))


def _band(runway: Runway, u0: float, u1: float, reach: float) -> Polygon:
    """Rectangle ``u0 <= u <= u1`` across the runway axis, ``reach`` metres either side."""
    m, a, n = _axis_frame(runway)
    pts = [m + u * a + v * n for u, v in ((u0, -reach), (u1, -reach), (u1, reach), (u0, reach))]
    return Polygon(pts)


def _phase_strips(polygon: BaseGeometry, runway: Runway, shares_pct: Sequence[float]) -> list[BaseGeometry]:
    """Cut ``polygon`` across the runway axis into strips with the given area shares."""
    m, a, _ = _axis_frame(runway)
    coords = shapely.get_coordinates(polygon)
    u = (coords - m) @ a
    lo, hi = float(u.min()) - 1.0, float(u.max()) + 1.0
    reach = float(np.hypot(*(coords - m).T).max()) + 10.0
    total = polygon.area
    cuts = [lo]
    cum = 0.0
    for share in shares_pct:
        cum = min(100.0, cum + share)
        target = total * cum / 100.0
        a_lo, a_hi = cuts[-1], hi
        if cum >= 100.0 - 1e-9:
            cuts.append(hi)
            continue
        for _ in range(60):  # bisection on the cut position
            mid = (a_lo + a_hi) / 2.0
            if polygon.intersection(_band(runway, lo, mid, reach)).area < target:
                a_lo = mid
            else:
                a_hi = mid
        cuts.append((a_lo + a_hi) / 2.0)
    return [polygon.intersection(_band(runway, cuts[i], cuts[i + 1], reach)) for i in range(len(shares_pct))]


def _road_path(area: BaseGeometry, runway: Runway, *, spacing: float = 150.0) -> list[LineString]:
    """Parallel lines along the runway axis inside ``area``, in drawing order."""
    if area.is_empty:
        return []
    m, a, n = _axis_frame(runway)
    coords = shapely.get_coordinates(area)
    u = (coords - m) @ a
    v = (coords - m) @ n
    lines: list[LineString] = []
    offsets = np.arange(np.floor(v.min() / spacing) * spacing + spacing / 2, v.max(), spacing)
    for k, off in enumerate(offsets):
        p0, p1 = m + (u.min() - 10) * a + off * n, m + (u.max() + 10) * a + off * n
        line = LineString([p0, p1] if k % 2 == 0 else [p1, p0])
        part = area.intersection(line)
        pieces = list(part.geoms) if isinstance(part, MultiLineString) else [part]
        lines.extend(p for p in pieces if isinstance(p, LineString) and not p.is_empty and p.length > 1.0)
    return lines


def _take(path: list[LineString], start_m: float, end_m: float) -> BaseGeometry:
    """The stretch ``start_m``-``end_m`` of the concatenated ``path``."""
    out: list[LineString] = []
    pos = 0.0
    for seg in path:
        s0, s1 = pos, pos + seg.length
        lo, hi = max(start_m, s0), min(end_m, s1)
        if hi > lo:
            out.append(substring(seg, lo - s0, hi - s0))
        pos = s1
        if pos >= end_m:
            break
    return MultiLineString(out) if out else MultiLineString()


def _spread_points(area: BaseGeometry, n: int, *, spacing: float = 60.0) -> list[BaseGeometry]:
    """``n`` points spread over ``area`` (grid points inside it, evenly picked)."""
    if n == 0 or area.is_empty:
        return []
    minx, miny, maxx, maxy = area.bounds
    xs, ys = np.meshgrid(np.arange(minx + spacing / 2, maxx, spacing), np.arange(miny + spacing / 2, maxy, spacing))
    pts = shapely.points(xs.ravel(), ys.ravel())
    inside = pts[shapely.contains(area, pts)]
    if len(inside) == 0:
        return [area.point_on_surface()] * n
    idx = np.linspace(0, len(inside) - 1, n + 2)[1:-1].round().astype(int)
    return list(inside[idx])


def scenario_year_state(
    scenario: Scenario,
    year: int,
    *,
    parcels_analysed: gpd.GeoDataFrame,
    airport: gpd.GeoDataFrame,
    runway: Runway,
    zones: gpd.GeoDataFrame | None = None,
) -> YearState:
    """Map layers of a scenario in ``year``: released land, test roads, projects, advice.

    Parameters
    ----------
    scenario, year
        The scenario and a year within its horizon.
    parcels_analysed
        Parcel frame after the land analysis (for the reserve parcels hosting projects).
    airport
        Airport boundary polygon layer.
    runway
        The runway (the airport land is cut into strips across its axis).
    zones
        Zone layer; its demonstration zone outside the airport boundary is where a
        ``block_site`` test road goes (the airport's edge when there is none).
    """
    _year(year, "year", scenario.horizon)
    metric = get_settings().metric_crs
    rw = runway.to_crs(metric)
    poly = _airport_polygon(airport, metric)
    airport_ha = poly.area / _HA

    # released land
    strips = _phase_strips(poly, rw, [ph.share_pct for ph in scenario.release_phases])
    rel_rows = []
    for i, (ph, y, geom) in enumerate(zip(scenario.release_phases, _phase_years(scenario), strips, strict=True), 1):
        if y is None or y > year:
            continue
        rel_rows.append({
            "phase": i, "release_year": y, "share_pct": ph.share_pct, "area_ha": geom.area / _HA,
            "uses_zh": "、".join(f"{PLANNED_USE_ZH[k]}{v:g}%" for k, v in ph.uses_pct.items()),
            "uses_en": ", ".join(f"{PLANNED_USE_EN[k]} {v:g} %" for k, v in ph.uses_pct.items()),
            "geometry": geom,
        })
    released = gpd.GeoDataFrame(rel_rows, columns=["phase", "release_year", "share_pct", "area_ha", "uses_zh",
                                                   "uses_en", "geometry"], geometry="geometry", crs=metric)

    # test roads
    site: BaseGeometry = Polygon()
    if zones is not None and "zone_id" in zones.columns:
        demo = zones[zones["zone_id"].astype(str) == "demonstration"]
        if len(demo):
            site = shapely.union_all(demo.to_crs(metric).geometry.values).difference(poly.buffer(30.0))
    if site.is_empty or site.area < _HA:
        site = poly.difference(poly.buffer(-200.0))  # the airport's edge band
    paths = {"airport_block": _road_path(poly, rw), "block_site": _road_path(site, rw)}
    used = dict.fromkeys(TEST_ROAD_PLACES, 0.0)
    road_rows = []
    for i, road in enumerate(scenario.test_road_phases, 1):
        y = road.effective_year(scenario.relocation_year)
        if y is None:
            continue
        start = used[road.place]
        used[road.place] += road.length_km * 1000.0
        if y > year:
            continue
        geom = _take(paths[road.place], start, used[road.place])
        road_rows.append({"phase": i, "year": y, "place": road.place, "length_km": road.length_km,
                          "drawn_km": geom.length / 1000.0, "geometry": geom})
    roads = gpd.GeoDataFrame(road_rows, columns=["phase", "year", "place", "length_km", "drawn_km", "geometry"],
                             geometry="geometry", crs=metric)

    # projects
    reserve = _reserve_parcels(parcels_analysed, scenario, metric)
    placed = place_projects(scenario, year, airport_ha=airport_ha, reserve=reserve)
    geoms: list[BaseGeometry | None] = [None] * len(placed)
    demo_idx = np.flatnonzero(placed["zone_id"].to_numpy() == "demonstration")
    host_area = shapely.union_all(released.geometry.values) if len(released) else Polygon()
    for k, pt in zip(demo_idx, _spread_points(host_area, len(demo_idx)), strict=False):
        geoms[k] = pt
    if "parcel_id" in parcels_analysed.columns:
        wanted = {p.split(";")[0] for p in placed.loc[placed["zone_id"] == "incubation", "parcel_id"]}
        ids = parcels_analysed["parcel_id"].astype(str)
        hosts = parcels_analysed[ids.isin(wanted)]
        reps = hosts.to_crs(metric).set_index(ids[ids.isin(wanted)]).geometry
        reps = reps[~reps.index.duplicated()]
        for k in np.flatnonzero(placed["zone_id"].to_numpy() == "incubation"):
            geoms[k] = reps.loc[placed["parcel_id"].iat[k].split(";")[0]].point_on_surface()
    projects = gpd.GeoDataFrame(placed, geometry=gpd.GeoSeries(geoms, crs=metric), crs=metric)

    return YearState(
        scenario=scenario.name,
        year=year,
        height_limit_active=height_limit_active(scenario, year),
        released=released.to_crs(GEOGRAPHIC_CRS),
        test_roads=roads.to_crs(GEOGRAPHIC_CRS),
        projects=projects.to_crs(GEOGRAPHIC_CRS),
        advice=demonstration_advice(scenario, year),
    )


# --- one year on the parcels ---------------------------------------------------------------------


def apply_scenario_year(
    frame: gpd.GeoDataFrame,
    scenario: Scenario,
    year: int,
    *,
    runway: Runway,
    params: OLSParams,
    buildability: BuildabilityParams | None = None,
    raster: HeightRaster | None = None,
    bounds: tuple[float, float, float, float] | None = None,
    cell_size: float = 10.0,
    height_limits: pd.Series | None = None,
) -> tuple[gpd.GeoDataFrame, HeightRaster]:
    """Add ``height_limit_m`` and ``buildable_floor_area_m2`` for a scenario year.

    Parameters
    ----------
    frame
        Parcel frame (not modified).
    scenario, year
        The scenario and a year of its horizon.
    runway, params
        Runway and obstacle-limitation parameters.
    buildability
        Floor-area assumptions (default: the packaged file).
    raster
        The airport's height grid to use (e.g. from
        :func:`analysis.airport.cached_height_surface`); by default one is built over
        ``bounds`` (default: the frame's extent, snapped to whole cells) in the metric CRS.
    cell_size
        Cell size of the grid built here.
    height_limits
        ``height_limit_m`` with the airport operating, when already computed (by default
        :func:`analysis.heights.parcel_height_limits`, exact analytic method).

    Returns
    -------
    A new frame with the two fields, and the permitted-height grid of that year: the
    airport's surface while the limits apply, all NaN (no cap) once they are lifted.
    ``height_limit_m`` is NaN where no cap applies.
    """
    _year(year, "year", scenario.horizon)
    metric = get_settings().metric_crs
    buildability = buildability or load_buildability()
    if raster is None:
        if bounds is None:
            minx, miny, maxx, maxy = frame.to_crs(metric).total_bounds
            c = cell_size
            bounds = (np.floor(minx / c) * c - c, np.floor(miny / c) * c - c,
                      np.ceil(maxx / c) * c + c, np.ceil(maxy / c) * c + c)
        raster = height_surface_raster(runway, params, bounds=bounds, cell_size=cell_size, crs=metric)
    if height_limit_active(scenario, year):
        if height_limits is None:
            limits = parcel_height_limits(frame, runway=runway, params=params)
        else:
            limits = height_limits.reindex(frame.index).astype("float64").rename("height_limit_m")
        year_raster = raster
    else:
        limits = pd.Series(np.nan, index=frame.index, name="height_limit_m", dtype="float64")
        year_raster = HeightRaster(np.full_like(raster.array, np.nan), raster.transform, raster.crs)
    out = frame.copy()
    out["height_limit_m"] = limits
    out["buildable_floor_area_m2"] = buildable_floor_area(
        frame, height_limit=limits, aerodrome_elevation_m=runway.elevation_m, params=buildability, metric_crs=metric)
    return out, year_raster
