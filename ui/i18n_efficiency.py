"""The Efficiency page's labels for presets, the control standard and the low-efficiency basis,
Chinese first; merged into :data:`ui.i18n.TEXT`."""

from __future__ import annotations

__all__ = ["EFFICIENCY_TEXT", "basis_text"]

EFFICIENCY_TEXT: dict[str, tuple[str, str]] = {
    "eff.preset": ("预设方案", "Preset profile"),
    "eff.preset.default": ("湖里区默认方案", "Huli default"),
    "eff.preset.zhejiang_huangyan": ("浙江六项指标（黄岩权重）", "Zhejiang six indicators (Huangyan weights)"),
    "eff.preset.use": ("使用该预设", "Use this preset"),
    "eff.unavailable": ("未纳入评分（无数据）：{items}", "Not scored (no data): {items}"),
    "eff.targets": ("亩均产值与亩均税收（虚线：提容增效目标 1,000 / 45 万元/亩）",
                    "Output and tax per mu (dashed: upgrade targets 1,000 / 45 × 10k yuan/mu)"),
    "eff.target": ("参考线", "Reference line"),
    "eff.basis": ("低效认定依据", "Low-efficiency basis"),
    "eff.basis_count": ("{basis}：{n} 宗，{area} 亩", "{basis}: {n} parcels, {area} mu"),
    "basis.hazard_conflict": ("安全隐患且与产业规划冲突", "Hazard in conflict with the industrial plan"),
    "basis.below_standard": ("产出低于控制标准", "Output below the control standard"),
    "basis.below_industry_level": ("达标但低于行业水平", "Meets the standard, below its industry's level"),
    "std.title": ("用地控制标准", "Land control standard"),
    "std.caption": ("{title}（{edition}版）；标“示意”的数值不是标准原文，请以原文替换。",
                    "{title} ({edition} edition); figures marked “illustrative” are not the published "
                    "ones: replace them from the standard."),
    "std.issued": ("发文字号：{issued}", "Issued as {issued}"),
    "eff.list_sep": ("；", "; "),
    "std.division": ("行业大类", "Division"),
    "std.illustrative": ("示意", "illustrative"),
    "std.factory_coverage": ("{coverage}（{factory}）", "{coverage} ({factory})"),
    "std.published_mark": ("原文", "published"),
    "std.edit": ("编辑控制标准（YAML）", "Edit the control standard (YAML)"),
    "std.text": ("控制标准（YAML 文本）", "Control standard (YAML text)"),
    "std.publish": ("检查并发布为全区标准", "Check and publish for the district"),
    "std.published": ("已发布：全区分析按该标准进行。", "Published: the district's analysis uses this standard."),
    "std.reset": ("恢复内置标准", "Back to the shipped standard"),
    "std.district": ("当前使用全区发布的控制标准。", "The district's published control standard is in use."),
    "std.editors_only": ("只有编辑人员可以修改控制标准。", "Only editors can change the control standard."),
}


def basis_text(value: str, lang: str) -> str:
    """A ``low_efficiency_basis`` value ("below_standard", "hazard_conflict;below_standard") in ``lang``."""
    k = 1 if lang == "en" else 0
    sep = "; " if lang == "en" else "；"
    return sep.join(EFFICIENCY_TEXT.get(f"basis.{b}", (b, b))[k] for b in value.split(";") if b)
