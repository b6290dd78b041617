"""The land control standard on the Efficiency page: shown to everyone, edited and published by editors.

The table in use is the district's published one (:func:`office.records.district_control_standard`)
or the shipped ``analysis/config/control_standard.yaml``.  An editor edits it as YAML text; the
text is validated by :func:`analysis.control_standard.standard_from_text` before anything is
stored, so a table of the wrong shape is refused with the bilingual message and the table in
use stays.  Publishing checks the role on the server (``publish``) and is audited.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
import yaml

from analysis import control_standard
from analysis.control_standard import ControlStandard
from core.errors import PlanningError
from office import records
from office.records import Actor
from ui import data, office, state
from ui.frame import guarded_write, show_error
from ui.i18n import field_label, t, unit_label, with_unit
from ui.publish_history import render_history

__all__ = ["standard_table", "render_standard"]

_COLUMNS = (("far_min", "far", ""), ("investment_per_mu_min", "investment_per_mu", "万元/亩"),
            ("output_per_mu_min", "output_per_mu", "万元/亩"), ("tax_per_mu_min", "tax_per_mu", "万元/亩"),
            ("building_coverage_min", "building_coverage", "%"), ("admin_land_share_max", "admin_land_share", "%"),
            ("green_ratio_max", "green_ratio", "%"))
#: Figures a table may have besides the seven (shown when a division has them).
_OPTIONAL = (("building_coverage_min_standard_factory", "building_coverage", "%"),
             ("admin_floor_share_max", "admin_floor_share", "%"))


def standard_table(standard: ControlStandard, lang: str) -> pd.DataFrame:
    """One row per division: the seven figures (and the standard factories' coverage and the admin floor
    share where the table has them), an illustrative one marked as such, in ``lang``."""
    mark = t("std.illustrative", lang)
    rows = []
    for code, row in standard.divisions.items():
        name = row.name_en if lang == "en" and row.name_en else row.name_zh
        out = {t("std.division", lang): f"C{code} {name}"}
        for indicator, field, unit in (*_COLUMNS, *_OPTIONAL):
            value = row.values.get(indicator)
            if value is None:
                continue
            shown = f"{value.value * 100:.0f} %" if unit == "%" else f"{value.value:,.1f}"
            prefix = "≥ " if indicator.endswith("_min") or "_min_" in indicator else "≤ "
            label = field_label(field, lang)
            if indicator.endswith("_standard_factory"):
                label = t("std.factory_coverage", lang, coverage=label, factory=field_label("standard_factory", lang))
            head = with_unit(label, unit_label(unit, lang) if unit != "%" else "", lang)
            out[head] = prefix + shown + ("" if value.published else f" ({mark})")
        rows.append(out)
    return pd.DataFrame(rows)


def _yaml_text(content: dict[str, object] | None) -> str:
    if content is None:
        return control_standard.DEFAULT_STANDARD_PATH.read_text(encoding="utf-8")
    return yaml.safe_dump(content, allow_unicode=True, sort_keys=False)


def _editor(published: dict[str, object] | None, lang: str) -> None:
    with st.expander(t("std.edit", lang)):
        text = st.text_area(t("std.text", lang), value=_yaml_text(published), height=320, key="std_text")
        c1, c2 = st.columns(2)
        if c1.button(t("std.publish", lang), key="std_publish"):
            try:
                content, _ = control_standard.standard_from_text(text)
            except PlanningError as err:
                show_error(err)  # the wrong shape: refused, the table in use stays
                return
            who = guarded_write("publish")
            if who is not None:
                records.publish_control_standard(office.store(), content, actor=who)
                st.session_state[state.STANDARD_PUBLISHED] = True
                st.rerun()  # the page above is analysed again against the table just published
        if published is not None and c2.button(t("std.reset", lang), key="std_reset"):
            who = guarded_write("publish")
            if who is not None:
                records.publish_control_standard(office.store(), None, actor=who)
                st.session_state.pop("std_text", None)
                st.rerun()


def _describe(value: object, lang: str) -> str:
    if not isinstance(value, dict):
        return t("hist.shipped", lang)
    title = value.get("title_en") if lang == "en" and value.get("title_en") else value.get("title")
    return f"{title} ({value.get('edition')})"


def _restore(value: object, who: Actor) -> None:
    if isinstance(value, dict):
        control_standard.standard_from_dict(value)  # still a valid table (else the bilingual refusal)
    records.publish_control_standard(office.store(), value if isinstance(value, dict) else None, actor=who)
    st.session_state.pop("std_text", None)


def render_standard(lang: str) -> None:
    """The standard in use as a table; the editor for editors."""
    standard = data.standard_in_use()
    published = records.district_control_standard(office.store())
    st.subheader(t("std.title", lang))
    title = standard.title_en if lang == "en" and standard.title_en else standard.title
    st.caption(t("std.caption", lang, title=title, edition=standard.edition))
    if lang == "zh" and standard.issued_by:  # the document number is Chinese: shown in Chinese only
        st.caption(t("std.issued", lang, issued=standard.issued_by))
    if st.session_state.pop(state.STANDARD_PUBLISHED, False):
        st.success(t("std.published", lang))
    if published is not None:
        st.info(t("std.district", lang))
    st.dataframe(standard_table(standard, lang), hide_index=True, width="stretch")
    if office.can("publish"):
        _editor(published, lang)
    else:
        st.caption(t("std.editors_only", lang))
    render_history(records.CONTROL_STANDARD, lang, describe=_describe, restore=_restore, widget_key="std_history")
