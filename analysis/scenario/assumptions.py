"""The assumptions behind a scenario's numbers, as bilingual items (:func:`scenario_assumptions`)."""

from __future__ import annotations

from analysis.scenario.schema import PLANNED_USE_EN, PLANNED_USE_ZH, Scenario
from parcels.schema import LAND_USE_ZH

__all__ = ["scenario_assumptions"]


def _yuan_en(yi: float) -> str:
    """An amount given in 亿元 (10^8 yuan) in English: ``¥12 bn`` from 10 亿元 up, ``¥150 M`` below."""
    return f"¥{yi / 10:g} bn" if abs(yi) >= 10 else f"¥{round(yi * 100, 6):g} M"


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
        "en": f"Output model: {_yuan_en(o.base_yi)} in {o.base_year}, growing {o.growth_pct_per_year:g} % a year; "
              f"{_yuan_en(o.uplift_yi_per_host_ha)} per released hectare of host use (full after {o.ramp_years} "
              f"year(s)); {_yuan_en(o.uplift_yi_per_project_demonstration)} per project in the demonstration zone, "
              f"{_yuan_en(o.uplift_yi_per_project_incubation)} per project hosted in the incubation zone.",
    })
    for t in o.targets:
        items.append({"zh": f"规划目标：{t.year}年{t.yi:g}亿元（{t.source_zh}）。",
                      "en": f"Plan target: {_yuan_en(t.yi)} in {t.year} ({t.source_en})."})
    items.extend(_edit_items(scenario))
    return items


def _edit_items(s: Scenario) -> list[dict[str, str]]:
    """The base and each what-if edit as a sentence (development types by code, see docs/what-if.md)."""
    items = []
    if s.base is not None:
        items.append({"zh": f"搬迁时间线取自情景 {s.base}。", "en": f"Relocation timeline taken from the scenario {s.base}."})
    for i, e in enumerate(s.edits, 1):
        where_zh = f"{len(e.parcels)}个宗地" if e.within is None else "多边形范围内（代表点）的宗地"
        where_en = f"{len(e.parcels)} parcel(s)" if e.within is None else "the parcels inside a polygon (representative point)"
        zh, en = [], []
        if e.development_type is not None:
            zh.append(f"开发类型 {e.development_type}")
            en.append(f"development type {e.development_type}")
        if e.land_use is not None:
            zh.append(f"用途 {LAND_USE_ZH.get(e.land_use, e.land_use)}")
            en.append(f"land use {e.land_use}")
        if e.far is not None:
            zh.append(f"容积率 {e.far:g}")
            en.append(f"FAR {e.far:g}")
        start = e.start_year(s.horizon)
        note_zh = "（开发类型数值为示意）" if e.development_type is not None else ""
        note_en = " (development-type figures are illustrative)" if e.development_type is not None else ""
        items.append({"zh": f"编辑第{i}项：{where_zh}自{start}年起设为{'、'.join(zh)}{note_zh}。",
                      "en": f"Edit {i}: {where_en} from {start}: {', '.join(en)}{note_en}."})
    return items
