"""数据 Data: upload a parcel layer, override CRS/encoding, map fields, read the report, switch data."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from core.errors import InputFileError, PlanningError
from office.records import Actor
from parcels.schema import CANONICAL_FIELDS
from ui import data, office, state, workspace
from ui.downloads import parcel_downloads
from ui.frame import current_as_of, current_lang, current_profile, guard, guarded_write, show_error
from ui.i18n import field_label, t
from ui.ingest import UploadOutcome, check_upload_size, ingest_upload, join_upload, reingest, upload_limit_mb
from ui.publish_history import render_history
from ui.value_labels import report_table

__all__ = ["render"]

_LAST = "data_last_upload"
#: An upload wholly outside the district, kept but not in use until the person confirms: (id, parcels).
_PENDING = "data_outside_pending"
_JOIN_UPLOAD = "join_upload"
_ENCODINGS = ("", "utf-8", "gbk", "gb18030", "big5", "latin-1")


def _wholly_outside(dataset_id: str) -> int | None:
    """The number of usable parcels of an upload that lies wholly outside the district; None otherwise."""
    if dataset_id == workspace.EMBEDDED:
        return None
    options = workspace.read_options(dataset_id)
    n = int(options.get("n_usable_rows") or 0)
    return n if 0 < n <= int(options.get("n_outside") or 0) else None


def _switcher(lang: str) -> None:
    st.subheader(t("data.current", lang))
    found = data.datasets()
    options = [workspace.EMBEDDED, *[d["id"] for d in found]]
    outside = {d["id"]: n for d in found if (n := _wholly_outside(d["id"])) is not None}
    names = {workspace.EMBEDDED: t("dataset.embedded", lang),
             **{d["id"]: d["name"] + (f" · {d['owner']}" if d["owner"] else "")
                + (f" · {t('data.outside_tag', lang)}" if d["id"] in outside else "") for d in found}}
    active = data.current_dataset()
    choice = st.radio(
        t("data.switch", lang), options, index=options.index(active) if active in options else 0,
        format_func=lambda d: names.get(d, d),
    )
    if choice != active and choice in outside:  # as after its upload: in use only once the person says so
        count = f"{outside[choice]:,}"
        st.warning(t("data.outside_only", "zh", n=count) + "\n\n" + t("data.outside_only", "en", n=count))
        if st.button(f"{t('data.use_anyway', 'zh')} / {t('data.use_anyway', 'en')}", key="switch_outside_anyway"):
            data.set_current_dataset(choice)
            st.rerun()
    elif choice != active:
        data.set_current_dataset(choice)  # this person's choice only
        st.rerun()
    _publish(active, names.get(active, active), lang)
    _delete(active, found, names.get(active, active), lang)
    from office import records

    render_history(records.DEFAULT_DATASET, lang, describe=_describe_dataset, restore=_restore_dataset,
                   widget_key="dataset_history")


def _delete(active: str, found: list[dict], name: str, lang: str) -> None:
    """The owner of an upload (or an admin) hides it from everyone's lists; its files stay."""
    from office import records, roles

    owner = next((d["owner"] or None for d in found if d["id"] == active), None)
    who = office.actor()
    if active == workspace.EMBEDDED or not roles.allowed(who.role, "delete_dataset", owner=owner, user=who.name):
        return
    if st.button(t("data.delete", lang, name=name), key="delete_dataset"):
        try:
            records.delete_dataset(office.store(), active, actor=office.require("delete_dataset", owner=owner))
        except PlanningError as err:
            show_error(err)
            return
        data.set_current_dataset(workspace.EMBEDDED)
        st.success(t("data.deleted", lang, name=name))
        st.rerun()


def _publish(active: str, name: str, lang: str) -> None:
    """An editor makes the dataset in use the district's default, for everyone who has not chosen."""
    from office import records

    if not office.can("publish"):
        return
    district = records.shared(office.store(), records.DEFAULT_DATASET) or workspace.EMBEDDED
    if district == active:
        st.caption(t("data.is_default", lang))
        return
    if st.button(t("data.publish", lang, name=name), key="publish_dataset"):
        who = guarded_write("publish")
        if who is not None:
            records.publish(office.store(), records.DEFAULT_DATASET, active, actor=who)
            st.success(t("data.published", lang, name=name))


def _describe_dataset(value: object, lang: str) -> str:
    if not isinstance(value, str) or value == workspace.EMBEDDED:
        return t("dataset.embedded", lang)
    return workspace.dataset_name(value)


def _restore_dataset(value: object, who: Actor) -> None:
    """An earlier district default again, if it is still there to be used."""
    from office import records

    dataset = value if isinstance(value, str) else workspace.EMBEDDED
    if dataset != workspace.EMBEDDED and dataset not in {d["id"] for d in data.datasets()}:
        name = _describe_dataset(dataset, "en")
        raise InputFileError(t("hist.dataset_gone", "en", name=name), t("hist.dataset_gone", "zh", name=name))
    records.publish(office.store(), records.DEFAULT_DATASET, dataset, actor=who)


def _show_outcome(outcome: UploadOutcome, lang: str) -> None:
    st.session_state.pop(_PENDING, None)
    if outcome.outside_only:
        st.session_state[_PENDING] = (outcome.dataset_id, outcome.n_parcels)  # asked in _confirm_outside
    elif outcome.usable:
        data.set_current_dataset(outcome.dataset_id)  # the uploader looks at it; nobody else's view changes
        st.success(t("data.loaded", lang, n=f"{outcome.n_parcels:,}"))
        if outcome.n_outside:
            st.warning(t("data.some_outside", lang, n=f"{outcome.n_outside:,}"))
    else:
        st.error(t("data.unusable", "zh") + "\n\n" + t("data.unusable", "en"))


def _confirm_outside(lang: str) -> None:
    """An upload wholly outside the district stays out of use until the person says to use it."""
    pending = st.session_state.get(_PENDING)
    if pending is None:
        return
    dataset_id, n = pending
    box = st.empty()
    with box.container():
        st.warning(t("data.outside_only", "zh", n=f"{n:,}") + "\n\n" + t("data.outside_only", "en", n=f"{n:,}"))
        confirmed = st.button(f"{t('data.use_anyway', 'zh')} / {t('data.use_anyway', 'en')}", key="use_outside_anyway")
    if confirmed:
        box.empty()
        del st.session_state[_PENDING]
        data.set_current_dataset(dataset_id)
        st.success(t("data.loaded", lang, n=f"{n:,}"))


def _upload_form(lang: str) -> None:
    server_mb = int(st.get_option("server.maxUploadSize") or 0)
    mb = upload_limit_mb(server_mb)
    st.subheader(t("data.upload_header", lang))
    st.caption(t("data.upload_help", lang, mb=mb))
    # the uploader's own "200MB per file" line states the server's ceiling, not the app's limit
    # (and only in English): the caption above says the limit and the formats in the UI language
    st.html(f"<style>.st-key-{state.UPLOAD} [data-testid='stFileUploaderDropzoneInstructions'], "
            f".st-key-{_JOIN_UPLOAD} [data-testid='stFileUploaderDropzoneInstructions'] "
            "{ display: none; }</style>")
    with st.form("upload_form"):
        file = st.file_uploader(
            t("data.file", lang), type=["gpkg", "geojson", "json", "zip", "csv"], key=state.UPLOAD
        )
        c1, c2, c3 = st.columns(3)
        crs = c1.text_input(t("data.crs", lang), key=state.UPLOAD_CRS, help=t("data.crs_help", lang))
        # a key per language, so that the label of the choice follows the language (see ui.frame.localized;
        # a widget in a form takes no callback, and the choice only matters when the form is sent)
        encoding = c2.selectbox(
            t("data.encoding", lang), _ENCODINGS, key=f"{state.UPLOAD_ENCODING}.{lang}",
            format_func=lambda e: e or t("data.encoding_auto", lang),
        )
        layer = c3.text_input(t("data.layer", lang), key=state.UPLOAD_LAYER)
        o1, o2 = st.columns(2)
        gcj02 = o1.checkbox(t("data.gcj02", lang), key="upload_gcj02")
        override = o2.checkbox(t("data.override_crs", lang), key="upload_override_crs",
                               help=t("data.override_crs_help", lang))
        submitted = st.form_submit_button(t("data.submit", lang), type="primary")
    if not submitted or file is None:
        return
    def read() -> UploadOutcome:
        payload = file.getvalue()
        check_upload_size(len(payload), file.name, server_mb=server_mb)
        return ingest_upload(payload, file.name, crs=crs.strip() or None, encoding=encoding or None,
                             layer=layer.strip() or None, gcj02=gcj02, override_crs=override,
                             store=office.store(), actor=office.require("upload"))

    _ingest(read, lang, failed="data.failed")


def _ingest(read: Callable[[], UploadOutcome], lang: str, *, failed: str) -> UploadOutcome | None:
    """Run an upload or a join; show its outcome, or the error and that the data in use stay."""
    try:
        outcome = read()
    except PlanningError as err:
        show_error(err)
        st.warning(f"{t(failed, 'zh')} / {t(failed, 'en')}")  # like the error above it, in both languages
        return None
    st.session_state[_LAST] = outcome.dataset_id
    _show_outcome(outcome, lang)
    return outcome


def _join_form(lang: str) -> None:
    st.subheader(t("data.join_header", lang))
    active = data.current_dataset()
    name = t("dataset.embedded", lang) if active == workspace.EMBEDDED else workspace.dataset_name(active)
    st.caption(t("data.join_help", lang, name=name) + " " + t("data.join_limit", lang, mb=upload_limit_mb(
        int(st.get_option("server.maxUploadSize") or 0))))
    with st.form("join_form"):
        file = st.file_uploader(t("data.join_file", lang), type=["csv", "xlsx"], key=_JOIN_UPLOAD)
        sheet = st.text_input(t("data.join_sheet", lang), key="join_sheet")
        submitted = st.form_submit_button(t("data.join_submit", lang))
    if not submitted or file is None:
        return
    outcome = _ingest(lambda: join_upload(file.getvalue(), file.name, base=active, sheet=sheet.strip() or None,
                                          store=office.store(), actor=office.require("join")),
                      lang, failed="data.join_failed")
    if outcome is None:
        return
    report = outcome.report
    if "code" in report.columns:  # the summary of each table joined (the last is this one)
        message = "message_en" if lang == "en" else "message_zh"
        for text in report.loc[report["code"] == "table_joined", message]:
            st.info(str(text))


def _labelled(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The report in the UI language: its columns labelled, codes, severities, actions and fields as
    labels, GEOS reasons worded, "—" where a cell has no value."""
    names = {c: t(f"data.col.{'message' if c.startswith('message_') else c}", lang) for c in table.columns}
    return report_table(table, lang).rename(columns=names)


def _report(dataset_id: str, lang: str) -> None:
    options = workspace.read_options(dataset_id)
    st.subheader(t("data.report", lang, name=workspace.dataset_name(dataset_id)))
    report = workspace.load_report(dataset_id)
    if report is None or report.empty:
        st.caption(t("data.report_none", lang))
    else:
        counts = report.groupby(["code", "severity"]).size().rename("n").reset_index()
        st.markdown(f"**{t('data.report_counts', lang)}**")
        st.dataframe(_labelled(counts, lang), hide_index=True, width="stretch")
        message = "message_en" if lang == "en" else "message_zh"
        cols = [c for c in ("row", "parcel_id", "code", "severity", message, "action", "field", "value")
                if c in report.columns]
        st.dataframe(_labelled(report[cols], lang), hide_index=True, width="stretch", height=260)
    _mapping_editor(dataset_id, options, lang)


def _mapping_editor(dataset_id: str, options: dict, lang: str) -> None:
    st.subheader(t("data.mapping", lang))
    st.caption(t("data.mapping_help", lang))
    recognised = options.get("field_mapping") or {}
    if recognised:
        with st.expander(t("data.mapping_current", lang)):
            st.table(pd.DataFrame({
                t("data.mapping_source", lang): list(recognised),
                t("data.mapping_target", lang): [f"{v} · {field_label(v, lang)}" for v in recognised.values()],
            }))
    unmapped = [c for c in options.get("unmapped") or [] if c != "geometry"]
    if not unmapped:
        return
    current = options.get("field_map") or {}
    table = pd.DataFrame({"source": unmapped, "target": [current.get(c, "") for c in unmapped]})
    targets = ["", *[f.name for f in CANONICAL_FIELDS]]
    edited = st.data_editor(
        table,
        hide_index=True,
        disabled=["source"],
        column_config={
            "source": st.column_config.TextColumn(t("data.mapping_source", lang)),
            "target": st.column_config.SelectboxColumn(t("data.mapping_target", lang), options=targets),
        },
        key=f"mapping_{dataset_id}",
    )
    if not office.can("upload"):
        return
    if st.button(t("data.mapping_apply", lang), key=f"apply_{dataset_id}"):
        field_map = dict(current)
        for src, target in zip(edited["source"], edited["target"], strict=True):
            if isinstance(target, str) and target:
                field_map[str(src)] = target
            else:
                field_map.pop(str(src), None)
        try:
            outcome = reingest(dataset_id, field_map=field_map, store=office.store(), actor=office.require("upload"))
        except PlanningError as err:
            show_error(err)
            return
        _show_outcome(outcome, lang)


def _downloads(lang: str) -> None:
    st.subheader(t("dl.header", lang))
    dataset_id, frame = data.current_frame(current_as_of(), current_profile())
    st.caption(t("dl.all", lang, n=f"{len(frame):,}"))
    parcel_downloads(frame, dataset_id=dataset_id, key="dl_data", stem=f"parcels_{dataset_id}", lang=lang)


def render() -> None:
    """Draw the page."""
    lang = current_lang()
    st.title(t("page.data", lang))
    with guard():
        if office.can("upload"):
            _upload_form(lang)
            _confirm_outside(lang)
            _join_form(lang)
        else:
            st.info(t("office.editors_only", lang))
        _switcher(lang)
        inspected = st.session_state.get(_LAST)
        active = data.current_dataset()
        if inspected is None and active != workspace.EMBEDDED:
            inspected = active
        if inspected is not None:
            _report(inspected, lang)
        _downloads(lang)


if __name__ == "__main__":
    render()
