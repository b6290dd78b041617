"""What a scenario says about one year: height limits in force, land released, test roads built,
and the demonstration zone's advice for the land analysis (the plan's 专栏5-1 branches).

* The height limits apply in every year before the relocation year and are lifted from
  that year on (:func:`height_limit_active`).
* Released airport land accumulates phase by phase; it never decreases and never exceeds
  the airport area (shares total at most 100 %).
"""

from __future__ import annotations

from analysis.recommend import DemonstrationAdvice
from analysis.scenario.schema import PLANNED_USES, Scenario

__all__ = ["height_limit_active", "phase_years", "released_share_pct", "released_use_ha", "test_road_km",
           "demonstration_advice"]


def height_limit_active(scenario: Scenario, year: int) -> bool:
    """Whether the airport's height limits apply in ``year`` (before the relocation year)."""
    return scenario.relocation_year is None or year < scenario.relocation_year


def phase_years(scenario: Scenario) -> list[int | None]:
    r = scenario.relocation_year
    return [None if r is None else r + ph.years_after_relocation for ph in scenario.release_phases]


def released_share_pct(scenario: Scenario, year: int) -> float:
    """Cumulative share of the airport area released by the end of ``year`` (0-100)."""
    return float(sum(ph.share_pct for ph, y in zip(scenario.release_phases, phase_years(scenario), strict=True)
                     if y is not None and y <= year))


def released_use_ha(scenario: Scenario, year: int, airport_ha: float) -> dict[str, float]:
    out = dict.fromkeys(PLANNED_USES, 0.0)
    for ph, y in zip(scenario.release_phases, phase_years(scenario), strict=True):
        if y is not None and y <= year:
            for use, pct in ph.uses_pct.items():
                out[use] += airport_ha * ph.share_pct / 100.0 * pct / 100.0
    return out


def test_road_km(scenario: Scenario, year: int) -> float:
    return float(sum(ph.length_km for ph in scenario.test_road_phases
                     if (y := ph.effective_year(scenario.relocation_year)) is not None and y <= year))


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
