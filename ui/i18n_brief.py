"""The briefing download's labels, Chinese first; merged into :data:`ui.i18n.TEXT`."""

from __future__ import annotations

__all__ = ["BRIEF_TEXT"]

BRIEF_TEXT: dict[str, tuple[str, str]] = {
    "brief.download": ("下载决策简报（PDF）", "Download briefing (PDF)"),
    "brief.help": ("按当前所选情景、年份、基准日、数据集、评价方案和语言生成，点击时生成。",
                   "Made for the scenarios, year, as-of date, dataset, profile and language on screen, when clicked."),
    "brief.profile_edited": ("编辑后的方案（全区发布或个人编辑）", "an edited profile (published or one's own)"),
    "brief.no_fonts": ("服务器未安装 Noto Sans CJK 字体（fonts-noto-cjk），无法生成简报。",
                       "The server lacks the Noto Sans CJK fonts (fonts-noto-cjk); no briefing can be made."),
}
