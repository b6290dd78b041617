"""The per-mu targets Xiamen's planners measure against (提容增效 reference lines).

《厦门市工业用地提容增效行动方案（2024—2027年）》: projects at full output are to reach
亩均产值 1,000 万元 and 亩均税收 45 万元 a year, and the average FAR is to rise by 1.0 to 2.0
or more.  The charts draw the two per-mu figures as reference lines; a briefing may quote them.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PerMuTarget", "UPGRADE_TARGETS", "UPGRADE_SOURCE"]

#: The programme the targets come from.
UPGRADE_SOURCE: str = "厦门市工业用地提容增效行动方案（2024—2027年）"


@dataclass(frozen=True)
class PerMuTarget:
    """One target: the indicator it applies to and its value (万元/亩 a year)."""

    indicator: str
    value: float
    zh: str
    en: str


#: 亩均产值 1,000 万元 and 亩均税收 45 万元 (projects at full output).
UPGRADE_TARGETS: tuple[PerMuTarget, ...] = (
    PerMuTarget("output_per_mu", 1000.0, "提容增效目标 亩均产值 1,000 万元", "Upgrade target: output 1,000 × 10k yuan/mu"),
    PerMuTarget("tax_per_mu", 45.0, "提容增效目标 亩均税收 45 万元", "Upgrade target: tax 45 × 10k yuan/mu"),
)
