"""The briefing's fonts: Noto Sans CJK SC (Debian's fonts-noto-cjk), found on disk and handed to the
typesetter and the charts by file, so every glyph of the PDF comes from an embedded font file."""

from __future__ import annotations

import functools
from pathlib import Path

from core.errors import ConfigError

__all__ = ["FONT_FAMILY", "FONT_DIRS", "font_files"]

#: The family every text of the briefing is set in (Latin letters included).
FONT_FAMILY = "Noto Sans CJK SC"

#: Where Debian's fonts-noto-cjk puts the OpenType collections.
FONT_DIRS: tuple[Path, ...] = (Path("/usr/share/fonts/opentype/noto"), Path("/usr/share/fonts/noto-cjk"),
                               Path("/usr/share/fonts/google-noto-cjk"))

_FILES = ("NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc")


@functools.cache
def font_files() -> tuple[Path, ...]:
    """The regular and bold Noto Sans CJK collections.

    Raises
    ------
    ConfigError
        The fonts are not installed (with how to install them).
    """
    for folder in FONT_DIRS:
        found = tuple(folder / name for name in _FILES if (folder / name).is_file())
        if found and found[0].name == _FILES[0]:
            return found
    raise ConfigError(
        "The briefing needs the Noto Sans CJK fonts (Debian package fonts-noto-cjk): run scripts/setup.sh "
        "or `apt-get install fonts-noto-cjk`.",
        "生成简报需要 Noto Sans CJK 字体（Debian 软件包 fonts-noto-cjk）：请运行 scripts/setup.sh 或 "
        "`apt-get install fonts-noto-cjk`。",
    )
