"""The history of a district-wide setting on its page: every publication with who and when, and for
editors the restoring of an earlier one (:func:`office.records.publication_history`).

A restore is a new publication (audited, role checked on the server like any other) of the value
as it was published, checked again first by the page's own parser, so a value an older edition of
the product accepted and this one refuses is refused with the usual bilingual message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from core.errors import PlanningError
from office.records import Actor
from ui import office
from ui.frame import guarded_write, show_error
from ui.i18n import t

__all__ = ["render_history"]

_RESTORED = "publish_history.restored"


def render_history(key: str, lang: str, *, describe: Callable[[Any, str], str],
                   restore: Callable[[Any, Actor], None], widget_key: str) -> None:
    """An expander with the publications of ``key`` (newest first) and, for editors, a restore.

    Parameters
    ----------
    key
        The shared setting (:data:`office.records.CONTROL_STANDARD`, ...).
    lang
        UI language.
    describe
        ``describe(value, lang)``: one line on a published value (None: the shipped one).
    restore
        ``restore(value, actor)``: checks ``value`` and publishes it again (raises PlanningError when
        it no longer passes).
    widget_key
        Prefix of the widgets' keys.
    """
    from office import records

    history = records.publication_history(office.store(), key)
    restored = st.session_state.pop(f"{_RESTORED}.{widget_key}", None)
    if restored is not None:
        st.success(t("hist.restored", lang, what=restored))
    with st.expander(t("hist.title", lang, n=len(history))):
        if not history:
            st.caption(t("hist.none", lang))
            return
        st.dataframe(pd.DataFrame({
            t("hist.at", lang): [h["at"].replace("T", " ").rstrip("Z") + " UTC" for h in history],
            t("hist.by", lang): [h["by"] or "—" for h in history],
            t("hist.what", lang): [describe(h["value"], lang) for h in history],
        }), hide_index=True, width="stretch")
        # the earlier publications, and the shipped version unless it is the one in force
        choices: list[int | None] = [*range(1, len(history)), *([None] if history[0]["value"] is not None else [])]
        if not office.can("publish") or not choices:
            return

        def label(i: int | None) -> str:
            if i is None:
                return describe(None, lang)
            h = history[i]
            return f"{h['at'].replace('T', ' ').rstrip('Z')} UTC · {h['by'] or '—'} · {describe(h['value'], lang)}"

        pick = st.selectbox(t("hist.pick", lang), choices, key=f"{widget_key}_pick", format_func=label)
        if st.button(t("hist.restore", lang), key=f"{widget_key}_restore"):
            who = guarded_write("publish")
            if who is None:
                return
            value = None if pick is None else history[int(pick)]["value"]
            try:
                restore(value, who)
            except PlanningError as err:
                show_error(err)
                return
            st.session_state[f"{_RESTORED}.{widget_key}"] = label(pick)
            st.rerun()
