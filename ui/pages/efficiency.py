"""亩均效益 Efficiency per mu: choose or edit the profile, see classes re-computed, output and tax per
mu against the 提容增效 targets, low-efficiency land with its basis, price tiers, the control standard."""

from __future__ import annotations

import copy
from typing import Any

import pandas as pd
import streamlit as st

from analysis import efficiency, profile_presets
from core.errors import PlanningError
from office.records import Actor
from parcels.schema import EFFICIENCY_CLASSES
from ui import data, office, state
from ui.charts import category_bars, per_mu_scatter
from ui.filters import display_table
from ui.frame import (
    PROFILE_SETTING,
    current_as_of,
    current_lang,
    current_profile,
    data_notice,
    guard,
    guarded_write,
    keep_choice,
    localized,
    set_own_profile,
    show_error,
)
from ui.i18n import class_label, field_label, field_unit, t, with_unit
from ui.i18n_efficiency import basis_text
from ui.publish_history import render_history
from ui.standard_editor import render_standard

__all__ = ["render", "edited_profile"]

_KEYS = ("eff_indicators", "eff_method", "eff_thr_A", "eff_thr_B", "eff_thr_C", "eff_pct_A", "eff_pct_B",
         "eff_pct_C", "eff_low_output", "eff_low_tax")


def edited_profile(
    base: dict[str, Any],
    *,
    indicators: pd.DataFrame,
    method: str,
    thresholds: dict[str, float],
    percentiles: dict[str, float],
    low_output: float | None,
    low_tax: float | None,
) -> dict[str, Any]:
    """A copy of the profile dict ``base`` with the page's edits applied."""
    out = copy.deepcopy(base)
    out["indicators"] = {
        str(r["name"]): {"weight": float(r["weight"]), "benchmark": float(r["benchmark"]), "required": bool(r["required"])}
        for _, r in indicators.iterrows()
        if float(r["weight"]) > 0
    }
    out["classification"] = {**out.get("classification", {}), "method": method, "thresholds": thresholds,
                             "percentiles": percentiles}
    low = dict(out.get("low_efficiency") or {})
    low["output_per_mu_min"] = low_output
    low["tax_per_mu_min"] = low_tax
    out["low_efficiency"] = low
    return out


def _init_widgets(current: dict[str, Any]) -> None:
    """Seed the editor's widgets from the profile in use (kept when the user comes back)."""
    cls = current.get("classification") or {}
    low = current.get("low_efficiency") or {}
    defaults: dict[str, Any] = {"eff_method": cls.get("method", "thresholds"),
                                "eff_low_output": low.get("output_per_mu_min"),
                                "eff_low_tax": low.get("tax_per_mu_min")}
    for c in "ABC":
        defaults[f"eff_thr_{c}"] = float((cls.get("thresholds") or {}).get(c, 0.0))
        defaults[f"eff_pct_{c}"] = float((cls.get("percentiles") or {}).get(c, 0.0))
    for key, value in defaults.items():
        if key not in st.session_state:
            st.session_state[key] = value


def _presets(current: dict[str, Any], lang: str) -> None:
    """Choose a shipped profile (a preset) as this editor's own; the widgets follow it."""
    names = profile_presets.preset_names()
    now = str(current.get("name") or "")
    c1, c2 = st.columns([3, 1])
    chosen = c1.selectbox(t("eff.preset", lang), names, index=names.index(now) if now in names else 0,
                          format_func=lambda n: t(f"eff.preset.{n}", lang), key="eff_preset")
    if c2.button(t("eff.preset.use", lang), key="eff_preset_use", disabled=chosen == now):
        set_own_profile(profile_presets.preset_dict(chosen))
        for key in _KEYS:
            st.session_state.pop(key, None)
        st.rerun()


def _editor(base: dict[str, Any], lang: str) -> dict[str, Any]:
    current = current_profile() or base
    _init_widgets(current)
    st.subheader(t("eff.profile", lang) + t("colon", lang) + str(current.get("name_zh" if lang == "zh" else "name") or ""))
    st.markdown(f"**{t('eff.indicators', lang)}**")
    table = pd.DataFrame(
        [{"name": k, "label": with_unit(field_label(k, lang), field_unit(k), lang), "weight": v.get("weight", 0.0),
          "benchmark": v.get("benchmark", 1.0), "required": bool(v.get("required", False))}
         for k, v in (current.get("indicators") or {}).items()],
        columns=["name", "label", "weight", "benchmark", "required"],
    )
    # the indicator shows by its name in the UI language (with the benchmark's unit); its key
    # stays in the frame, hidden, for the profile
    edited = st.data_editor(
        table, hide_index=True, disabled=["name", "label"], key="eff_indicators",
        column_order=("label", "weight", "benchmark", "required"),
        column_config={
            "label": st.column_config.TextColumn(t("eff.indicator", lang)),
            "weight": st.column_config.NumberColumn(t("eff.weight", lang), min_value=0.0, step=1.0),
            "benchmark": st.column_config.NumberColumn(t("eff.benchmark", lang), min_value=0.0),
            "required": st.column_config.CheckboxColumn(t("eff.required", lang)),
        },
    )
    unavailable = [u for u in current.get("unavailable") or [] if isinstance(u, dict)]
    if unavailable:
        items = t("eff.list_sep", lang).join(str(u.get(lang, "")) for u in unavailable)
        st.caption(t("eff.unavailable", lang, items=items))
    method = keep_choice("eff_method", st.radio(
        t("eff.method", lang), ("thresholds", "percentiles"), horizontal=True,
        format_func=lambda m: t(f"eff.method.{m}", lang), **localized("eff_method", lang)))
    cols = st.columns(3)
    thr = {c: cols[i].number_input(t("eff.threshold", lang, c=c), key=f"eff_thr_{c}", disabled=method != "thresholds")
           for i, c in enumerate("ABC")}
    pct = {c: cols[i].number_input(t("eff.percentile", lang, c=c), min_value=0.0, max_value=100.0,
                                   key=f"eff_pct_{c}", disabled=method != "percentiles")
           for i, c in enumerate("ABC")}
    c1, c2 = st.columns(2)
    low_output = c1.number_input(t("eff.low_output", lang), min_value=0.0, key="eff_low_output")
    low_tax = c2.number_input(t("eff.low_tax", lang), min_value=0.0, key="eff_low_tax")
    return edited_profile(current, indicators=edited, method=method, thresholds=thr, percentiles=pct,
                          low_output=low_output, low_tax=low_tax)


def _apply(base: dict[str, Any], candidate: dict[str, Any]) -> None:
    try:
        parsed = efficiency.profile_from_dict(candidate)
    except PlanningError as err:
        show_error(err)
        return
    if parsed != efficiency.profile_from_dict(current_profile() or base):
        set_own_profile(candidate)  # this editor's own profile; others see theirs or the district's
        st.rerun()


def _own_and_published(base: dict[str, Any], lang: str) -> None:
    """Whether the profile in use is this editor's own, going back to the district's, and publishing it."""
    from office import records

    own = office.load_settings().get(PROFILE_SETTING)
    district = records.district_profile(office.store())
    if isinstance(own, dict):
        st.info(t("eff.own", lang))
        if st.button(t("eff.reset", lang)):
            set_own_profile(None)
            for key in _KEYS:
                st.session_state.pop(key, None)
            st.rerun()
    elif district is not None:
        st.info(t("eff.district", lang))
    in_use = current_profile()
    if office.can("publish") and data.profile_json(in_use) != data.profile_json(district):
        if st.button(t("eff.publish", lang), key="publish_profile"):
            who = guarded_write("publish")
            if who is not None:
                records.publish_profile(office.store(), in_use, actor=who)
                st.success(t("eff.published", lang))
    render_history(records.DEFAULT_PROFILE, lang, describe=_describe_profile, restore=_restore_profile,
                   widget_key="profile_history")


def _describe_profile(value: object, lang: str) -> str:
    if not isinstance(value, dict):
        return t("hist.shipped", lang)
    name = value.get("name_zh") if lang == "zh" and value.get("name_zh") else value.get("name")
    indicators = value.get("indicators")
    return f"{name or '—'} · {t('hist.indicators', lang, n=len(indicators) if isinstance(indicators, list) else 0)}"


def _restore_profile(value: object, who: Actor) -> None:
    from office import records

    if isinstance(value, dict):
        efficiency.profile_from_dict(value)  # still a valid profile (else the bilingual refusal)
    records.publish_profile(office.store(), value if isinstance(value, dict) else None, actor=who)
    if not isinstance(office.load_settings().get(PROFILE_SETTING), dict):  # an editor's own edit stays theirs
        st.session_state.pop(state.PROFILE_OVERRIDES, None)
        for key in _KEYS:
            st.session_state.pop(key, None)


def _distribution(frame: pd.DataFrame, lang: str) -> None:
    st.subheader(t("eff.distribution", lang))
    cls = frame["efficiency_class"].astype("string").fillna("unrated")
    area = frame["area_mu"]
    table = pd.DataFrame({
        t("kpi.parcels", lang): cls.value_counts().reindex(EFFICIENCY_CLASSES, fill_value=0),
        t("unit.mu", lang): area.groupby(cls.to_numpy()).sum().reindex(EFFICIENCY_CLASSES, fill_value=0.0).round(1),
    })
    table.index = [class_label(c, lang) for c in table.index]
    c1, c2 = st.columns([2, 3])
    c1.dataframe(table, width="stretch")
    rated = pd.DataFrame({"efficiency_class": list(EFFICIENCY_CLASSES[:4]),
                          "area_mu": table[t("unit.mu", lang)].iloc[:4].to_numpy()})
    c2.altair_chart(category_bars(rated, colour="efficiency_class", value="area_mu", lang=lang,
                                  value_title=field_label("area_mu", lang), horizontal=True),
                    width="stretch")


def _per_mu(frame: pd.DataFrame, lang: str) -> None:
    st.subheader(t("eff.targets", lang))
    if {"output_per_mu", "tax_per_mu"} <= set(frame.columns):
        st.altair_chart(per_mu_scatter(frame, lang=lang,
                                       x_title=with_unit(field_label("output_per_mu", lang), field_unit("output_per_mu"), lang),
                                       y_title=with_unit(field_label("tax_per_mu", lang), field_unit("tax_per_mu"), lang)),
                        width="stretch")


def _low_list(frame: pd.DataFrame, by_basis: dict[str, Any], lang: str) -> None:
    st.subheader(t("eff.low_list", lang))
    low = frame[frame["low_efficiency"].astype("boolean").fillna(False).to_numpy()] \
        if "low_efficiency" in frame.columns else frame.iloc[:0]
    st.caption(t("exp.count", lang, n=f"{len(low):,}", area=f"{low['area_mu'].sum():,.1f}"))
    for basis, figures in by_basis.items():
        st.caption(t("eff.basis_count", lang, basis=basis_text(basis, lang), n=f"{figures['count']:,}",
                     area=f"{figures['area_mu']:,.1f}"))
    cols = ("parcel_id", "enterprise", "zone_id", "area_mu", "output_per_mu", "tax_per_mu", "efficiency_class",
            "low_efficiency_basis", "low_efficiency_note_zh", "recommendation_zh")
    st.dataframe(display_table(low.sort_values("output_per_mu"), lang, cols), hide_index=True, width="stretch",
                 height=300)


def _price_tiers(frame: pd.DataFrame, profile: dict[str, Any], lang: str) -> None:
    st.subheader(t("eff.price", lang))
    tiers = profile.get("price_tiers") or {}
    cls = frame["efficiency_class"].astype("string").fillna("unrated")
    area = frame["area_mu"]
    rows = []
    for c in ("A", "B", "C", "D"):
        tier = tiers.get(c) or {}
        rows.append({
            t("filter.class", lang): class_label(c, lang),
            t("eff.tier", lang): tier.get("en" if lang == "en" else "zh", ""),
            t("eff.surcharge", lang): f"{float(tier.get('electricity_surcharge_yuan_per_kwh') or 0.0):.2f}",
            t("kpi.parcels", lang): f"{int((cls == c).sum()):,}",
            t("unit.mu", lang): f"{float(area[(cls == c).to_numpy()].sum()):,.1f}",
        })
    st.table(pd.DataFrame(rows).set_index(t("filter.class", lang)))


def render() -> None:
    """Draw the page."""
    lang = current_lang()
    st.title(t("page.efficiency", lang))
    with guard():
        base = data.default_profile_dict()
        if base is None:
            st.info(t("pending.page", lang, what="analysis.efficiency"))
            return
        if office.can("edit_profile"):
            candidate = _editor(base, lang)
            _apply(base, candidate)
            _own_and_published(base, lang)
            _presets(current_profile() or base, lang)
        else:
            st.info(t("office.editors_only_profile", lang))
        dataset_id, frame = data.current_frame(current_as_of(), current_profile())
        data_notice(dataset_id, lang)
        if "efficiency_class" not in frame.columns:
            return
        _distribution(frame, lang)
        _per_mu(frame, lang)
        _low_list(frame, data.summary(dataset_id, current_as_of(), current_profile())["district"]
                  .get("low_efficiency_by_basis") or {}, lang)
        _price_tiers(frame, current_profile() or base, lang)
        render_standard(lang)
        with st.expander(t("eff.sources", lang)):
            for src in base.get("sources") or []:
                st.text(f"· {src}")


if __name__ == "__main__":
    render()
