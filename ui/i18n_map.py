"""The map's own labels (view controls), Chinese first; merged into :data:`ui.i18n.TEXT`."""

from __future__ import annotations

__all__ = ["MAP_TEXT"]

MAP_TEXT: dict[str, tuple[str, str]] = {
    "map.zoom_selection": ("缩放至所选", "Zoom to selection"),
}
