"""Uploads into the workspace: read, validate, keep the last good data (no Streamlit here).

Every upload, join and re-read is a write: the acting person's role is checked first
(:func:`office.roles.require`, before any file is kept), and a usable result is recorded in the
office store (:func:`office.records.register_dataset`, audited).  Which dataset a person looks
at is theirs to choose (the caller makes the result the person's dataset in use).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from core.errors import InputFileError
from core.settings import get_settings
from geodata.region import region_of_interest
from office import layers, records
from office.records import Actor
from office.roles import require
from office.store import Store
from parcels.join import TABLE_SUFFIXES, join_file
from parcels.read import read_parcels_bytes
from ui import workspace

__all__ = ["UploadOutcome", "upload_limit_mb", "check_upload_size", "ingest_upload", "reingest",
           "ingest_startup_layer", "STARTUP_ACTOR"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class UploadOutcome:
    """What became of an upload.

    Attributes
    ----------
    dataset_id
        Upload id (its folder in the workspace).
    usable
        True when the parcels were stored (the caller makes it the dataset in use).
    n_parcels
        Usable parcels read.
    report
        The validation report as a table.
    n_outside
        Usable parcels outside the region of interest (:func:`geodata.region.region_of_interest`).
    """

    dataset_id: str
    usable: bool
    n_parcels: int
    report: pd.DataFrame
    n_outside: int = 0

    @property
    def outside_only(self) -> bool:
        """Every usable parcel lies outside the region: the caller makes the dataset the one in use
        only when the person confirms (a layer in the wrong CRS or place would replace the district's)."""
        return self.usable and 0 < self.n_parcels <= self.n_outside


def _read(dataset_id: str, options: dict[str, Any], *, store: Store, actor: Actor, action: str) -> UploadOutcome:
    source = workspace.source_path(dataset_id)
    if source is None:
        raise InputFileError(
            f"The uploaded file of dataset {dataset_id} is no longer in the workspace; upload it again.",
            f"数据集 {dataset_id} 的上传文件已不在工作区中，请重新上传。",
        )
    result = read_parcels_bytes(
        source.read_bytes(),
        options.get("filename", source.name),
        district=region_of_interest(),
        layer=options.get("layer") or None,
        crs=options.get("crs") or None,
        encoding=options.get("encoding") or None,
        field_map=options.get("field_map") or None,
        gcj02=bool(options.get("gcj02", False)),
        override_crs=bool(options.get("override_crs", False)),
    )
    joins = list(options.get("joins") or [])
    tables = workspace.table_paths(dataset_id)
    if len(tables) != len(joins):
        raise InputFileError(
            f"The statistics tables of dataset {dataset_id} are no longer all in the workspace; join them again.",
            f"数据集 {dataset_id} 的统计表已不全在工作区中，请重新关联。",
        )
    for join, table in zip(joins, tables, strict=True):
        result = join_file(result, table, sheet=join.get("sheet") or None)
    report = result.report.to_frame()
    stored = {
        **options,
        "field_mapping": dict(result.field_mapping),
        "unmapped": list(result.unmapped),
        "source_crs": str(result.source_crs),
        "encoding_used": result.encoding,
        "source_format": result.source_format,
        "n_input_rows": int(result.report.n_input_rows),
        "n_usable_rows": int(result.report.n_usable_rows),
        "usable": bool(result.report.usable),
        "n_outside": int(result.n_outside),  # outside the region of interest: all of them asks before use
    }
    workspace.save_report(dataset_id, report)
    workspace.write_options(dataset_id, stored)
    if result.report.usable:
        layers.save_layer(store, dataset_id, result.frame)
        records.register_dataset(store, dataset_id, name=workspace.dataset_name(dataset_id),
                                 source_file=str(options.get("filename") or ""), read_options=stored,
                                 validation={"n_input_rows": stored["n_input_rows"],
                                             "n_usable_rows": stored["n_usable_rows"], "issues": len(report)},
                                 actor=actor, action=action)
        logger.info("upload %s: %d usable parcels", dataset_id, len(result.frame))
    else:
        logger.info("upload %s is not usable; the dataset in use is unchanged", dataset_id)
    return UploadOutcome(dataset_id, bool(result.report.usable), len(result.frame), report, result.n_outside)


def upload_limit_mb(server_mb: int | None = None) -> int:
    """The largest upload the app accepts, in MB: ``settings.max_upload_mb`` (``HULI_MAX_UPLOAD_MB``).

    ``server_mb`` is Streamlit's ``server.maxUploadSize`` (``.streamlit/config.toml``), the
    hard ceiling above which the server refuses a file before the app sees it; the limit
    is never above it.
    """
    limit = get_settings().max_upload_mb
    return min(limit, int(server_mb)) if server_mb else limit


def check_upload_size(size: int, filename: str, *, server_mb: int | None = None) -> None:
    """Refuse an upload of ``size`` bytes above :func:`upload_limit_mb`.

    Raises
    ------
    InputFileError
        The file is larger than the limit (says the size, the limit and how to raise it).
    """
    limit = upload_limit_mb(server_mb)
    if size > limit * 1024 * 1024:
        mb = size / 1024 / 1024
        raise InputFileError(
            f"{filename} is {mb:.2f} MB, more than the upload limit of {limit} MB. "
            "Clip the layer to the district, or ask the administrator to raise HULI_MAX_UPLOAD_MB "
            "(and server.maxUploadSize in .streamlit/config.toml, the server's ceiling).",
            f"{filename} 大小为 {mb:.2f} MB，超过上传上限 {limit} MB。请按区界裁剪图层，"
            "或请管理员调高 HULI_MAX_UPLOAD_MB（以及服务器上限 .streamlit/config.toml 中的 server.maxUploadSize）。",
        )


def ingest_upload(
    data: bytes,
    filename: str,
    *,
    crs: str | None = None,
    encoding: str | None = None,
    layer: str | None = None,
    gcj02: bool = False,
    field_map: dict[str, str] | None = None,
    override_crs: bool = False,
    store: Store,
    actor: Actor,
) -> UploadOutcome:
    """Keep an uploaded file in the workspace, read and validate it.

    A usable layer is stored (atomically) and recorded; an unusable one, or one that raises,
    changes no dataset.

    Raises
    ------
    office.roles.PermissionDenied
        ``actor`` may not upload (checked before anything is stored).
    InputFileError
        The file is larger than :func:`upload_limit_mb` (checked before anything is stored).
    core.errors.PlanningError
        As :func:`parcels.read.read_parcels_bytes` (unreadable, no CRS ...).
    """
    require(actor.role, "upload")
    check_upload_size(len(data), filename)
    dataset_id = workspace.store_source(data, filename)
    options = {"filename": filename, "crs": crs or "", "encoding": encoding or "", "layer": layer or "",
               "gcj02": gcj02, "override_crs": override_crs, "field_map": dict(field_map or {})}
    workspace.write_options(dataset_id, {**workspace.read_options(dataset_id), **options})
    return _read(dataset_id, options, store=store, actor=actor, action="upload")


#: Options that say how to read a parcel file (carried over to a dataset made by a join).
_READ_KEYS = ("filename", "crs", "encoding", "layer", "gcj02", "override_crs", "field_map")


def join_upload(table: bytes, table_name: str, *, base: str, sheet: str | None = None, store: Store,
                actor: Actor) -> UploadOutcome:
    """Join a statistics table (CSV or XLSX) onto the dataset ``base`` (the one in use), as a new dataset.

    The parcel file of the dataset in use (the embedded GeoPackage for the embedded data)
    and the table are kept together; reading them applies the table by parcel number
    (:func:`parcels.join.join_file`).  The dataset joined onto stays as it was; a usable
    result becomes the dataset in use, a table that cannot be read or joined changes nothing.

    Raises
    ------
    office.roles.PermissionDenied
        ``actor`` may not join (checked before anything is stored).
    InputFileError
        Too large, not a .csv/.xlsx, or unreadable; core.errors.SchemaError: no parcel
        number column, or nothing to join.
    """
    require(actor.role, "join")
    check_upload_size(len(table), table_name)
    if Path(table_name).suffix.lower() not in TABLE_SUFFIXES:
        raise InputFileError(
            f"{table_name}: a statistics table must be a .csv or .xlsx file.",
            f"{table_name}：统计表必须是 .csv 或 .xlsx 文件。",
        )
    earlier: list[tuple[str, bytes]] = []
    joins: list[dict[str, str]] = []
    if base == workspace.EMBEDDED:
        import geodata

        source = geodata.get_path("huli")
        options: dict[str, Any] = {"filename": source.name, "layer": "parcels", "embedded_base": True,
                                   "name": f"{source.name} + {table_name}"}
    else:
        found = workspace.source_path(base)
        if found is None:
            raise InputFileError(
                f"The parcel file of dataset {base} is no longer in the workspace; upload it again.",
                f"数据集 {base} 的地块文件已不在工作区中，请重新上传。",
            )
        source = found
        base_options = workspace.read_options(base)
        options = {k: base_options[k] for k in _READ_KEYS if k in base_options}
        options["embedded_base"] = bool(base_options.get("embedded_base", False))
        options["name"] = f"{workspace.dataset_name(base)} + {table_name}"
        joins = list(base_options.get("joins") or [])  # tables joined before keep their values
        earlier = [(p.name, p.read_bytes()) for p in workspace.table_paths(base)]
    dataset_id = workspace.store_joined(source.read_bytes(), str(options["filename"]),
                                        [*earlier, (table_name, table)])
    options["joins"] = [*joins, {"filename": table_name, "sheet": sheet or ""}]
    workspace.write_options(dataset_id, {**workspace.read_options(dataset_id), **options})
    return _read(dataset_id, options, store=store, actor=actor, action="join")


def reingest(dataset_id: str, *, field_map: dict[str, str], store: Store, actor: Actor) -> UploadOutcome:
    """Read a stored upload again with an edited field mapping (persisted); an editor's change."""
    require(actor.role, "upload")
    options = workspace.read_options(dataset_id)
    options["field_map"] = dict(field_map)
    return _read(dataset_id, options, store=store, actor=actor, action="upload")


#: How the trail names the app itself publishing ``HULI_PARCELS`` at start.
STARTUP_ACTOR = Actor("(HULI_PARCELS)", "admin")


def ingest_startup_layer(path: str | Path, *, crs: str | None, encoding: str | None, layer: str | None,
                         store: Store) -> UploadOutcome:
    """Read the layer ``HULI_PARCELS`` names and make it the district's default dataset.

    The file stays where it is (an office keeps its cadastre on a share); its canonical parcels,
    report and reading options are kept like an upload's, under an id of its path, size, time
    and options, so a changed file is read again at the next start and an unchanged one is not.

    Raises
    ------
    InputFileError
        The file does not exist or is not usable (says why); core.errors.PlanningError as
        :func:`parcels.read.read_parcels`.
    """
    import hashlib

    from parcels.read import read_parcels

    source = Path(path).expanduser()
    if not source.is_file():
        raise InputFileError(f"HULI_PARCELS={str(source)!r} is not a file; give the path of a parcel layer",
                             f"HULI_PARCELS={str(source)!r} 不是文件；请给出宗地图层的路径")
    info = source.stat()
    h = hashlib.sha256(f"{source.resolve()}\0{info.st_size}\0{info.st_mtime_ns}\0{crs}\0{encoding}\0{layer}".encode())
    dataset_id = h.hexdigest()[:16]
    if layers.has_layer(store, dataset_id) and records.dataset_record(store, dataset_id) is not None:
        outcome = UploadOutcome(dataset_id, True, int(read_options_rows(dataset_id)), pd.DataFrame())
    else:
        result = read_parcels(source, layer=layer, crs=crs, encoding=encoding, district=region_of_interest())
        report = result.report.to_frame()
        if not result.report.usable:
            raise InputFileError(
                f"HULI_PARCELS={source.name} cannot be used: "
                + "; ".join(i.message_en for i in result.report.fatal)
                + f". Run `python -m analysis validate {source}` for the report.",
                f"HULI_PARCELS={source.name} 无法使用：" + "；".join(i.message_zh for i in result.report.fatal)
                + f"。请运行 `python -m analysis validate {source}` 查看报告。",
            )
        options = {"filename": source.name, "name": source.name, "path": str(source), "crs": crs or "",
                   "encoding": encoding or "", "layer": layer or "", "field_mapping": dict(result.field_mapping),
                   "unmapped": list(result.unmapped), "source_crs": str(result.source_crs),
                   "n_input_rows": int(result.report.n_input_rows), "n_usable_rows": int(result.report.n_usable_rows),
                   "usable": True, "n_outside": int(result.n_outside)}
        workspace.save_report(dataset_id, report)
        workspace.write_options(dataset_id, options)
        layers.save_layer(store, dataset_id, result.frame)
        records.register_dataset(store, dataset_id, name=source.name, source_file=str(source), read_options=options,
                                 validation={"n_input_rows": options["n_input_rows"],
                                             "n_usable_rows": options["n_usable_rows"], "issues": len(report)},
                                 actor=STARTUP_ACTOR)
        outcome = UploadOutcome(dataset_id, True, len(result.frame), report, result.n_outside)
        if outcome.outside_only:  # an administrator's choice, made the default as configured, but said
            logger.warning("HULI_PARCELS=%s: all %d parcels lie outside the district (region of interest)",
                           source, outcome.n_parcels)
    if records.shared(store, records.DEFAULT_DATASET) != dataset_id:
        records.publish(store, records.DEFAULT_DATASET, dataset_id, actor=STARTUP_ACTOR)
    return outcome


def read_options_rows(dataset_id: str) -> int:
    """Usable rows recorded for a stored dataset (0 when unknown)."""
    return int(workspace.read_options(dataset_id).get("n_usable_rows") or 0)
