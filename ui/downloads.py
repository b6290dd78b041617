"""Download buttons for layers, every file written by :mod:`analysis.export`.

The page decides *what* is handed out (the filtered parcels, a scenario year's released
land ...); this module offers one button per format of
:data:`analysis.export.FORMATS`, a choice of output CRS, and builds the bytes only
when a button is clicked (``st.download_button`` with a callable), so a rerun never
exports a large frame.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import streamlit as st

from analysis.export import FORMATS, crs_outside_area_of_use, export_bytes, resolve_crs
from core.crs import transformer
from core.errors import PlanningError
from core.raster import Raster
from ui import data, state
from ui.frame import current_as_of, current_profile, keep_choice, localized, show_error
from ui.i18n import t

__all__ = [
    "VECTOR_FORMATS",
    "LAYER_FORMATS",
    "CRS_CHOICES",
    "choice_crs",
    "format_crs",
    "format_label",
    "layer_bytes",
    "year_raster",
    "crs_picker",
    "lonlat_box",
    "download_buttons",
    "raster_button",
    "scenario_choice",
    "with_scenario_columns",
    "parcel_downloads",
]

logger = logging.getLogger(__name__)

#: Every vector/table format, in the order of :data:`analysis.export.FORMATS`.
VECTOR_FORMATS: tuple[str, ...] = tuple(k for k, f in FORMATS.items() if f.kind != "raster")
#: Formats offered for the scenario layers (released land, test roads).
LAYER_FORMATS: tuple[str, ...] = ("geojson", "gpkg", "shp")
#: Output CRS choices: WGS84, CGCS2000, CGCS2000 / 3-degree Gauss-Kruger CM 117E, or any EPSG code.
CRS_CHOICES: tuple[str, ...] = ("EPSG:4326", "EPSG:4490", "EPSG:4548", "custom")


def choice_crs(choice: str, custom_epsg: int | None = None) -> str:
    """The CRS text of a CRS choice (``"custom"``: ``EPSG:<custom_epsg>``), checked with pyproj.

    Raises
    ------
    analysis.export.UnknownCRSError
        The custom EPSG code is not known to pyproj.
    """
    text = f"EPSG:{int(custom_epsg or 0)}" if choice == "custom" else choice
    resolve_crs(text)
    return text


def format_crs(fmt: str, crs: str) -> str:
    """The CRS a format is written in: the chosen one, or the format's fixed CRS (RFC 7946)."""
    return FORMATS[fmt].fixed_crs or crs


def format_label(fmt: str, lang: str) -> str:
    """Button text of a format, in the UI language."""
    info = FORMATS[fmt]
    return info.label if lang == "en" else (info.label_zh or info.label)


def layer_bytes(frame: gpd.GeoDataFrame, *, fmt: str, crs: str, layer: str) -> bytes:
    """The file of ``frame`` in ``fmt`` and ``crs`` (RFC 7946 GeoJSON: always EPSG:4326)."""
    return export_bytes(frame, fmt=fmt, crs=format_crs(fmt, crs), layer=layer)


def year_raster(grid: Raster, *, active: bool) -> Raster:
    """The permitted-height grid of a scenario year as a raster to export.

    While the height limits apply it is the airport's surface; once they are lifted every
    cell is nodata (no cap), as :func:`analysis.scenario.apply_scenario_year` states.
    """
    from analysis.airport import NODATA

    values = np.asarray(grid.array, dtype=np.float32)
    if not active:
        values = np.full_like(values, np.nan)
    return Raster(values, grid.transform, grid.crs, nodata=NODATA, name="height_limit")


def lonlat_box(frame: gpd.GeoDataFrame) -> tuple[float, ...] | None:
    """The lon/lat bounding box of ``frame`` (its corners transformed, not every vertex); None when empty."""
    if not len(frame) or frame.crs is None:
        return None
    minx, miny, maxx, maxy = (float(v) for v in frame.total_bounds)
    if frame.crs.to_epsg() != 4326:
        minx, miny, maxx, maxy = transformer(frame.crs, "EPSG:4326").transform_bounds(minx, miny, maxx, maxy,
                                                                                      densify_pts=21)
    return (minx, miny, maxx, maxy)


def crs_picker(*, key: str, lang: str, lonlat_bounds: Sequence[float] | None = None) -> str | None:
    """CRS choice widgets; the chosen CRS, or None (shown as an error) for an unknown EPSG code.

    With the layer's lon/lat box, a CRS whose area of use does not cover it is allowed but
    warned about (its coordinates would be badly distorted).
    """
    c1, c2 = st.columns([2, 1])
    choice = keep_choice(f"{key}_crs", c1.selectbox(
        t("dl.crs", lang), CRS_CHOICES, format_func=lambda c: t(f"dl.crs.{c.split(':')[-1]}", lang),
        **localized(f"{key}_crs", lang),
    ))
    custom = None
    if choice == "custom":
        custom = c2.number_input(t("dl.epsg", lang), min_value=1, max_value=999_999, value=4547, step=1,
                                 key=f"{key}_epsg")
    try:
        chosen = choice_crs(choice, custom)
    except PlanningError as err:
        show_error(err)
        return None
    area = crs_outside_area_of_use(chosen, lonlat_bounds) if lonlat_bounds is not None else None
    if area is not None:
        # a problem with what the planner chose: said in both languages, like the errors
        first, second = ("zh", "en") if lang == "zh" else ("en", "zh")
        st.warning(f"{t('dl.crs_area', first, crs=chosen, area=area)}\n\n{t('dl.crs_area', second, crs=chosen, area=area)}")
    return chosen


def download_buttons(
    frame: gpd.GeoDataFrame | Callable[[], gpd.GeoDataFrame],
    *,
    key: str,
    stem: str,
    lang: str,
    layer: str = "parcels",
    formats: Sequence[str] = VECTOR_FORMATS,
    columns: int = 3,
    lonlat_bounds: Sequence[float] | None = None,
) -> None:
    """A CRS choice and one download button per format for ``frame``.

    Parameters
    ----------
    frame
        The layer, or a function returning it (called only when a button is clicked).
    key
        Prefix of the widget keys (unique on the page).
    stem
        File name without extension.
    layer
        Layer name inside GeoPackage / Shapefile.
    formats
        Keys of :data:`analysis.export.FORMATS`.
    lonlat_bounds
        The layer's lon/lat box, to warn about a CRS that does not cover it (taken from
        ``frame`` itself when it is a layer, not a function).
    """
    if lonlat_bounds is None and isinstance(frame, gpd.GeoDataFrame):
        lonlat_bounds = lonlat_box(frame)
    crs = crs_picker(key=key, lang=lang, lonlat_bounds=lonlat_bounds)
    st.caption(t("dl.rfc7946", lang))
    cols = st.columns(columns)
    for i, fmt in enumerate(formats):
        info = FORMATS[fmt]
        target = format_crs(fmt, crs) if crs is not None else info.fixed_crs
        if target is None:  # the CRS is unusable: only RFC 7946 GeoJSON can still be offered
            continue
        suffix = "" if target == "EPSG:4326" else f"_{target.replace(':', '').lower()}"

        def _build(fmt: str = fmt, target: str = target) -> bytes:
            source = frame() if callable(frame) else frame
            logger.info("download of %d rows as %s in %s", len(source), fmt, target)
            return layer_bytes(source, fmt=fmt, crs=target, layer=layer)

        cols[i % columns].download_button(
            t("dl.button", lang, what=format_label(fmt, lang), crs=target), data=_build,
            file_name=f"{stem}{suffix}{info.extension}", mime=info.mime, on_click="ignore",
            key=f"{key}_{fmt}",
        )


def raster_button(raster: Callable[[], Raster], *, label: str, crs: str, key: str, stem: str,
                  lang: str) -> None:
    """A GeoTIFF download (in the raster's own CRS ``crs``) of a raster built on click."""
    info = FORMATS["tif"]
    st.download_button(
        f"{label} · {format_label('tif', lang)} · {crs}",
        data=lambda: export_bytes(raster(), fmt="tif", layer="height_limit"),
        file_name=f"{stem}{info.extension}", mime=info.mime, on_click="ignore", key=key,
    )


#: Columns a scenario year adds to the parcels (:func:`analysis.scenario.apply_scenario_year`).
SCENARIO_COLUMNS: tuple[str, ...] = ("height_limit_m", "buildable_floor_area_m2")


def scenario_choice() -> tuple[Any, int, str, str] | None:
    """Scenario A and year as chosen on the Airport page: ``(key, year, title_zh, title_en)``.

    The year is the Airport page's year, or the as-of year moved into the scenario's
    horizon when that page was not used yet.  None when the airport model is missing or
    the scenario cannot be read.
    """
    from ui import scenario_data, scenarios

    choice = str(st.session_state.get(state.SCENARIO_A, "on_schedule"))
    key = scenarios.scenario_key(choice, st.session_state.get(f"{state.SCENARIO_A}_year"))
    try:
        scenario = scenario_data.scenario_of(key)
    except PlanningError as err:
        logger.warning("scenario %s not usable for downloads: %s", choice, err)
        return None
    lo, hi = scenario.horizon
    year = st.session_state.get(state.SCENARIO_YEAR)
    if not isinstance(year, int) or not lo <= year <= hi:
        year = min(max(current_as_of().year, lo), hi)
    return key, int(year), scenario.title_zh, scenario.title_en


def with_scenario_columns(frame: gpd.GeoDataFrame, year_frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``frame`` with ``height_limit_m`` and ``buildable_floor_area_m2`` of ``year_frame``, matched by
    ``parcel_id`` (a filtered frame is numbered afresh, so its index is not the year frame's)."""
    cols = [c for c in SCENARIO_COLUMNS if c in year_frame.columns]
    out = frame.drop(columns=[c for c in cols if c in frame.columns])
    ids = year_frame["parcel_id"].astype(str)
    lookup = year_frame.loc[~ids.duplicated().to_numpy(), cols].set_axis(ids[~ids.duplicated()].to_numpy())
    wanted = frame["parcel_id"].astype(str).to_numpy()
    for c in cols:
        out[c] = lookup[c].reindex(wanted).to_numpy()
    return out


def parcel_downloads(frame: gpd.GeoDataFrame, *, dataset_id: str, key: str, stem: str, lang: str) -> None:
    """Downloads of parcels in every format, with the scenario year's height fields added on click."""
    choice = scenario_choice()
    if choice is None:
        download_buttons(frame, key=key, stem=stem, lang=lang)
        return
    scenario_key, year, title_zh, title_en = choice
    st.caption(t("dl.scenario_cols", lang, name=title_en if lang == "en" else title_zh, year=year))
    stamp = data.dataset_stamp(dataset_id)
    as_of = current_as_of().isoformat()
    profile = data.profile_json(current_profile())

    def _frame() -> gpd.GeoDataFrame:
        from ui import scenario_data

        year_frame = scenario_data.year_frame(dataset_id, stamp, as_of, profile, scenario_key, year)
        return with_scenario_columns(frame, year_frame)

    download_buttons(_frame, key=key, stem=f"{stem}_{year}", lang=lang, lonlat_bounds=lonlat_box(frame))
