"""Reading a planner's parcel layer into the canonical frame, with a validation report.

:func:`read_parcels` accepts a GeoPackage, GeoJSON, zipped Shapefile (``.zip``), a
loose ``.shp`` beside its ``.shx``/``.dbf``/``.prj``/``.cpg``, or a CSV with a WKT
column or lon/lat columns.  :func:`read_parcels_bytes` does the same for an upload.

What happens, in order:

1. the file is sniffed (extension against first bytes); a zip is unpacked safely
   into a private temporary folder (:mod:`parcels.archive`);
2. the attribute encoding is taken from the ``.cpg`` or detected from the DBF/CSV
   bytes (:mod:`parcels.encoding`) unless ``encoding=`` is given, and handed to the
   reader;
3. the CRS is the file's; a file without one is refused unless ``crs=`` is given
   (the error suggests a likely CRS from the coordinates); ``gcj02=True`` declares
   lon/lat in GCJ-02 (AMap) and converts them to WGS84; output is always EPSG:4326;
4. columns are mapped onto :data:`parcels.schema.CANONICAL_FIELDS`
   (:mod:`parcels.fields`); values are coerced: land use (:mod:`parcels.landuse`),
   dates and lease terms (:mod:`parcels.dates`), numbers (:mod:`parcels.numbers`);
5. geometries are checked and repaired (:mod:`parcels.geometry`).

Nothing is dropped silently: every input record is either a row of
``IngestResult.frame`` or a row of ``IngestResult.rejected`` (null or non-polygon
geometry) listed in the report as an error.  Besides the canonical columns the
frame carries ``source_row`` (the 1-based input record number the report uses),
``land_use_source`` (the raw land-use value) and every unmapped source column
under its original name (prefixed ``src_`` when the name clashes with a canonical
or derived field), so none of the user's data is lost.

Negative amounts, areas, terms and head counts are reported (``negative_value``)
and set to missing (NaN / <NA>), never to zero: the analysis treats such a parcel
as unrated for that indicator.
"""

from __future__ import annotations

import logging
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely
from shapely.geometry.base import BaseGeometry

from core.crs import crs_label
from core.errors import InputFileError
from core.settings import GEOGRAPHIC_CRS, get_settings
from parcels.archive import sniff_format
from parcels.attributes import EXTRA_COLUMNS, canonical_attributes, extras, field_issues, issues_for
from parcels.fields import map_fields
from parcels.formats import RawLayer, read_raw
from parcels.geometry import check_geometries, validity_reason_text
from parcels.layer_crs import datum_issue, resolve_layer_crs, same_crs, to_lonlat, total_bounds
from parcels.validate import Issue, ValidationReport, row_ranges

__all__ = ["IngestResult", "read_parcels", "read_parcels_bytes", "canonical_attributes", "EXTRA_COLUMNS"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IngestResult:
    """A parcel layer read into the canonical schema.

    Attributes
    ----------
    frame
        Canonical parcels (EPSG:4326, Polygon/MultiPolygon), see the module docstring.
    report
        Every problem found, with 1-based input row numbers.
    source_crs
        CRS of the source (as declared by the file or by ``crs=``); ``GCJ-02`` noted.
    encoding
        Attribute encoding used (None for formats that are always UTF-8).
    field_mapping
        Source column -> canonical field.
    unmapped
        Source columns mapped to no field (kept in ``frame``).
    rejected
        Unusable input records (EPSG:4326, original geometry or None), same columns as
        ``frame``.  ``len(frame) + len(rejected)`` is the number of input records.
    layer
        Layer read (GeoPackage layer or Shapefile name), when there is one.
    source_format
        ``gpkg``, ``geojson``, ``shp`` (also from a zip) or ``csv``.
    metric
        When the layer is in the metric CRS (``settings.metric_crs``): ``frame``'s geometry as
        read (repaired), in that CRS and aligned to ``frame.index``, so that the analysis
        measures it without projecting the parcels back; None otherwise.
    n_outside
        Usable parcels that do not touch ``district=`` (reported as ``outside_district``); 0
        when no district was given.
    """

    frame: gpd.GeoDataFrame
    report: ValidationReport
    source_crs: str
    encoding: str | None
    field_mapping: dict[str, str]
    unmapped: list[str]
    rejected: gpd.GeoDataFrame = field(repr=False)
    layer: str | None = None
    source_format: str = ""
    metric: gpd.GeoSeries | None = field(default=None, repr=False)
    n_outside: int = 0



def read_parcels(
    source: str | Path,
    *,
    layer: str | None = None,
    crs: str | None = None,
    encoding: str | None = None,
    field_map: Mapping[str, str] | None = None,
    gcj02: bool = False,
    district: BaseGeometry | None = None,
    override_crs: bool = False,
) -> IngestResult:
    """Read a parcel layer into the canonical frame and report every problem.

    Parameters
    ----------
    source
        Path to a ``.gpkg``, ``.geojson``/``.json``, ``.zip`` (Shapefile), ``.shp`` or ``.csv``.
    layer
        GeoPackage layer (or Shapefile name inside a zip holding several).  Default:
        the only layer, else the only polygon layer.
    crs
        CRS to assume when the file declares none (e.g. ``"EPSG:4548"``).  A file whose
        own CRS differs is refused, unless ``override_crs``.
    encoding
        Attribute encoding override (``"gbk"``, ``"utf-8"`` ...); default: ``.cpg`` or detected.
    field_map
        Source column -> canonical field overrides.
    gcj02
        The lon/lat coordinates are GCJ-02 (AMap/Gaode): convert them to WGS84.
    district
        Region of interest in EPSG:4326 (:func:`geodata.region.region_of_interest`: the district
        outline with a margin); parcels not touching it are kept and reported in one
        ``outside_district`` issue (their count, and their rows in ``value``).
    override_crs
        Use ``crs`` even when the file declares another CRS (a wrong ``.prj``); reported
        as ``crs_overridden``.

    Returns
    -------
    IngestResult

    Raises
    ------
    InputFileError
        The file cannot be read (missing, empty, truncated, wrong type, unsafe archive).
    CRSError
        No CRS and none declared, a conflicting declaration, or coordinates that do not
        fit the CRS.
    SchemaError
        ``field_map`` names unknown columns or fields.
    """
    path = Path(source)
    fmt = sniff_format(path)
    with tempfile.TemporaryDirectory(prefix="huli-ingest-") as tmp:
        raw = read_raw(path, fmt, layer=layer, encoding=encoding, tmp=Path(tmp))
    return _build(raw, name=path.name, crs=crs, field_map=field_map, gcj02=gcj02, district=district,
                  override_crs=override_crs)


def _build(
    raw: RawLayer,
    *,
    name: str,
    crs: str | None,
    field_map: Mapping[str, str] | None,
    gcj02: bool,
    district: BaseGeometry | None,
    override_crs: bool = False,
) -> IngestResult:
    frame = raw.frame
    n = len(frame)
    rows = np.arange(1, n + 1)
    if isinstance(frame, gpd.GeoDataFrame):  # a table without geometry comes back as a DataFrame
        geoms = np.asarray(frame.geometry.array, dtype=object)
        attrs = pd.DataFrame(frame.drop(columns=[frame.geometry.name]))
    else:
        geoms = np.full(n, None, dtype=object)
        attrs = pd.DataFrame(frame)
    attrs.index = pd.RangeIndex(n)

    check = check_geometries(geoms)
    # bounds of the polygons (else of whatever geometry there is) for the CRS checks and hints
    polygons = check.geometry[~shapely.is_missing(check.geometry)]
    bounds = total_bounds(polygons if len(polygons) else geoms)
    file_crs = pyproj.CRS.from_user_input(frame.crs) if getattr(frame, "crs", None) is not None else None
    src_crs = resolve_layer_crs(file_crs, crs, gcj02, np.asarray(bounds, dtype=float), name, override=override_crs)

    fm = map_fields(list(attrs.columns), field_map=field_map)
    canon, issues = canonical_attributes(attrs, fm.mapping, rows)
    ids = canon["parcel_id"].to_numpy(dtype=object)
    issues = list(raw.issues) + field_issues(fm) + issues
    if override_crs and file_crs is not None and not same_crs(file_crs, src_crs):
        issues.append(Issue.make(
            "crs_overridden",
            f"文件自带坐标系 {crs_label(file_crs)} 已按指定改为 {crs_label(src_crs)}（覆盖文件的 .prj）",
            f"the file declares {crs_label(file_crs)}; {crs_label(src_crs)} was used instead as instructed "
            "(the file's .prj overridden)",
            value=crs_label(file_crs),
        ))

    # geometry issues
    issues += issues_for(check.repaired, rows, ids, "invalid_geometry_repaired",
                          "几何图形无效（{v}），已自动修复并保留面状部分",
                          "invalid geometry ({v}); repaired, polygonal parts kept", raw=pd.Series(check.reason),
                          shown=validity_reason_text)
    issues += issues_for(check.missing, rows, ids, "missing_geometry",
                          "几何图形为空或无法读取，该行不可用", "geometry is null, empty or unreadable; row unusable")
    if raw.geometry_from == "lonlat":
        zh = "该行是由经纬度列生成的点，不是宗地面；宗地分析需要面图层（请提供带 WKT 面几何的 CSV、Shapefile 或 GeoPackage）"
        en = ("row is a point built from lon/lat columns, not a parcel polygon; parcel analysis needs a polygon "
              "layer (a CSV with a WKT polygon column, a Shapefile or a GeoPackage)")
    else:
        zh = "几何类型为 {v}，不是面；宗地必须是面（Polygon/MultiPolygon），该行不可用"
        en = "geometry is a {v}, not a polygon; a parcel must be a Polygon/MultiPolygon; row unusable"
    kinds = pd.Series(check.input_type)
    collapsed = pd.Series(check.reason).notna().to_numpy()  # invalid input whose repair left no area
    kinds = kinds.where(~collapsed, kinds + " (degenerate after repair / 修复后退化)")
    issues += issues_for(check.non_polygon, rows, ids, "non_polygon_geometry", zh, en, raw=kinds)

    usable = ~(check.missing | check.non_polygon)
    reduced = usable & (check.input_type == "GeometryCollection")
    issues += issues_for(reduced, rows, ids, "polygonal_parts_kept",
                          "几何集合中只保留了面状部分（点、线已去掉）",
                          "geometry collection: only its polygonal parts were kept (points/lines dropped)")
    datum = datum_issue(src_crs)
    if datum is not None:
        issues.append(datum)
    lonlat = to_lonlat(_only(usable, check.geometry), src_crs, gcj02)
    outside = np.zeros(n, dtype=bool)
    if district is not None:
        outside = usable & ~shapely.intersects(district, _only(usable, lonlat))  # a prepared district first
        if outside.any():
            issues.append(_outside_issue(rows[outside]))

    kept, rename_issues = extras(attrs, fm.unmapped)
    issues += rename_issues
    table = pd.concat([canon, kept], axis=1)
    table.insert(len(canon.columns), "source_row", pd.array(rows, dtype="Int64"))
    good = gpd.GeoDataFrame(table[usable].reset_index(drop=True), geometry=list(lonlat[usable]), crs=GEOGRAPHIC_CRS)
    rejected_geoms = to_lonlat(geoms[~usable], src_crs, gcj02) if (~usable).any() else np.empty(0, dtype=object)
    rejected = gpd.GeoDataFrame(table[~usable].reset_index(drop=True), geometry=list(rejected_geoms),
                                crs=GEOGRAPHIC_CRS)

    if len(good) == 0:
        if raw.geometry_from == "lonlat":
            zh, en = ("没有可用的宗地：经纬度列只能给出点，宗地分析需要面图层",
                      "no usable parcel: lon/lat columns give points only, parcel analysis needs a polygon layer")
        elif n == 0:
            zh, en = "图层中没有任何要素", "the layer has no features"
        else:
            zh, en = "没有可用的宗地：所有行的几何图形均为空或不是面", "no usable parcel: every row's geometry is empty or not a polygon"
        issues.append(Issue.make("no_usable_parcels", zh, en))

    report = ValidationReport(issues=tuple(issues), n_input_rows=n, n_usable_rows=len(good))
    source_crs = crs_label(src_crs) + (" (GCJ-02)" if gcj02 else "")
    metric_crs = get_settings().metric_crs
    metric = gpd.GeoSeries(list(check.geometry[usable]), index=good.index, crs=metric_crs) \
        if not gcj02 and same_crs(src_crs, pyproj.CRS.from_user_input(metric_crs)) else None
    log.info("read %d parcels (%d rejected) from %s", len(good), len(rejected), name)
    return IngestResult(
        frame=good,
        report=report,
        source_crs=source_crs,
        encoding=raw.encoding,
        field_mapping=dict(fm.mapping),
        unmapped=list(fm.unmapped),
        rejected=rejected,
        layer=raw.layer,
        source_format=raw.fmt,
        metric=metric,
        n_outside=int(outside.sum()),
    )


def _outside_issue(rows: np.ndarray) -> Issue:
    """One issue for every parcel outside the region: a million strays cost one issue, not a million."""
    listed = row_ranges(rows, limit=20)
    return Issue.make(
        "outside_district",
        f"{len(rows):,} 宗地块不在区界范围内（含边距），已保留：第 {listed} 行",
        f"{len(rows):,} parcel(s) lie outside the district (margin included), kept: rows {listed}",
        value=row_ranges(rows),
    )


def _only(mask: np.ndarray, geoms: np.ndarray) -> np.ndarray:
    """``geoms`` where ``mask``, None elsewhere."""
    out = np.asarray(geoms, dtype=object).copy()
    out[~mask] = None
    return out


def _safe_name(filename: str) -> str:
    base = Path(str(filename).replace("\\", "/")).name
    stem, suffix = Path(base).stem, Path(base).suffix.lower()
    stem = re.sub(r"[^\w\-.]+", "_", stem).strip("._") or "upload"
    return f"{stem[:100]}{suffix}"


def read_parcels_bytes(
    data: bytes,
    filename: str,
    *,
    layer: str | None = None,
    crs: str | None = None,
    encoding: str | None = None,
    field_map: Mapping[str, str] | None = None,
    gcj02: bool = False,
    district: BaseGeometry | None = None,
    override_crs: bool = False,
) -> IngestResult:
    """:func:`read_parcels` for uploaded bytes; ``filename`` gives the format by its extension.

    The bytes are written into a private temporary folder (removed afterwards).

    Raises
    ------
    InputFileError
        The upload is larger than ``settings.max_upload_mb``, or as :func:`read_parcels`.
    """
    cap_mb = get_settings().max_upload_mb
    if len(data) > cap_mb * 1024 * 1024:
        raise InputFileError(
            f"{filename} is {len(data) / 1024 / 1024:.1f} MB, more than the upload limit of {cap_mb} MB. "
            "Clip the layer to the district or raise HULI_MAX_UPLOAD_MB.",
            f"{filename} 大小为 {len(data) / 1024 / 1024:.1f} MB，超过上传上限 {cap_mb} MB。"
            "请按区界裁剪图层，或调高 HULI_MAX_UPLOAD_MB。",
        )
    with tempfile.TemporaryDirectory(prefix="huli-upload-") as tmp:
        target = Path(tmp) / _safe_name(filename)
        target.write_bytes(data)
        return read_parcels(target, layer=layer, crs=crs, encoding=encoding, field_map=field_map, gcj02=gcj02,
                            district=district, override_crs=override_crs)
