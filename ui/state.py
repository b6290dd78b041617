"""Session-state keys of the app, in one place (no string literals scattered in pages)."""

from __future__ import annotations

__all__ = [
    "LANG",
    "BASEMAP",
    "AS_OF",
    "THEME",
    "FILTER_ZONES",
    "FILTER_USES",
    "FILTER_EXPIRY",
    "FILTER_CLASSES",
    "FILTER_AREA",
    "FILTER_TEXT",
    "MAP_PARCELS",
    "MAP_OVERVIEW",
    "MAP_VIEW_SESSION",
    "SCENARIO_A",
    "SCENARIO_B",
    "SCENARIO_YEAR",
    "CUSTOM_YEAR",
    "PROFILE_OVERRIDES",
    "UPLOAD",
    "UPLOAD_CRS",
    "UPLOAD_ENCODING",
    "UPLOAD_LAYER",
    "DATASET_CHOICE",
    "DATASET",
    "LOGIN_NAME",
    "LOGIN_PASSWORD",
    "STANDARD_PUBLISHED",
    "WHATIF_STACK",
    "WHATIF_SELECTION",
    "WHATIF_SELECTION_SET",
    "WHATIF_SEQ",
    "WHATIF_BASE",
    "WHATIF_OPENED",
    "WHATIF_ERROR",
]

LANG = "lang"
BASEMAP = "basemap"
AS_OF = "as_of"
THEME = "parcels_theme"
FILTER_ZONES = "filter_zones"
FILTER_USES = "filter_uses"
FILTER_EXPIRY = "filter_expiry"
FILTER_CLASSES = "filter_classes"
FILTER_AREA = "filter_area"
FILTER_TEXT = "filter_text"
MAP_PARCELS = "map_parcels"
MAP_OVERVIEW = "map_overview"
#: This session's mark on the maps' kept views (a new session opens the maps fitted to their layers).
MAP_VIEW_SESSION = "map_view_session"
SCENARIO_A = "scenario_a"
SCENARIO_B = "scenario_b"
SCENARIO_YEAR = "scenario_year"
CUSTOM_YEAR = "scenario_custom_year"
PROFILE_OVERRIDES = "profile_overrides"
UPLOAD = "upload_file"
UPLOAD_CRS = "upload_crs"
UPLOAD_ENCODING = "upload_encoding"
UPLOAD_LAYER = "upload_layer"
DATASET_CHOICE = "dataset_choice"
DATASET = "dataset"
LOGIN_NAME = "login_name"
LOGIN_PASSWORD = "login_password"
#: The control standard was published in the run before (the Efficiency page says so once after its rerun).
STANDARD_PUBLISHED = "standard_published"
#: The What-if page's edit stack (:class:`ui.whatif_edits.EditStack`), this session's own.
WHATIF_STACK = "whatif.stack"
#: The parcels selected on the What-if map: ``{"ids": [...], "within": GeoJSON or None}``.
WHATIF_SELECTION = "whatif.selection"
#: The selection as the page last set it on the map: ``(ids, nonce)`` (:func:`ui.map_select.select_options`).
WHATIF_SELECTION_SET = "whatif.selection_set"
#: The last selection change read from the map (its ``seq``).
WHATIF_SEQ = "whatif.seq"
#: The base scenario's choice (a built-in, or ``saved:<name>``).
WHATIF_BASE = "whatif.base"
#: The saved scenario opened as the base, ``(name, version)``, or None.
WHATIF_OPENED = "whatif.opened"
#: A refused edit's error, shown on the next run of the editor.
WHATIF_ERROR = "whatif.error"
