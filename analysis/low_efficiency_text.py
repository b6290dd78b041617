"""The low-efficiency basis in words, with the figures behind it, in Chinese and English.

``low_efficiency_note_zh`` / ``low_efficiency_note`` say, for each parcel with a basis
(:mod:`analysis.low_efficiency`), what was found and against which figure, e.g.

- 产值 412 万元/亩，低于标准 600 万元/亩（C39，2020版）
- Output 412 × 10k yuan/mu, below the standard's 600 × 10k yuan/mu (C39, 2020 edition)

(the English says 10k yuan for 万元, as the app's English does, so it holds no Chinese).

One sentence per basis (and per failing figure), joined with "；" / "; ".  Text is built
only for the rows that have a basis; every other row is "".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.control_check import division_minimums
from analysis.control_standard import ControlStandard, default_control_standard
from analysis.low_efficiency import ICV_DIVISIONS
from parcels.columns import number_column, text_column
from parcels.schema import LAND_USE_ZH

__all__ = ["NOTE_COLUMNS", "basis_notes"]

#: The columns :func:`basis_notes` returns.
NOTE_COLUMNS: tuple[str, ...] = ("low_efficiency_note_zh", "low_efficiency_note")

_ICV = "/".join(ICV_DIVISIONS)


def _num(values: pd.Series) -> pd.Series:
    return values.map(lambda v: "—" if np.isnan(v) else f"{v:,.1f}" if abs(v) < 100 else f"{v:,.0f}")


def _joined(parts: list[pd.Series], sep: str, rows: np.ndarray, index: pd.Index) -> pd.Series:
    """The non-empty parts of each row joined with ``sep``, placed at ``rows`` of a ""-filled column."""
    text = np.full(len(index), "", dtype=object)
    if parts:
        joined = pd.Series("", index=parts[0].index, dtype=object)
        for part in parts:
            bit = part.astype(object).fillna("")
            joined = joined.where(bit == "", joined.where(joined == "", joined + sep) + bit)
        text[rows] = joined.to_numpy()
    return pd.Series(text, index=index).astype("str")


def basis_notes(
    frame: pd.DataFrame,
    *,
    standard: ControlStandard | None = None,
    fallback_output_per_mu: float | None = None,
    fallback_tax_per_mu: float | None = None,
) -> pd.DataFrame:
    """The notes of every parcel (see the module docstring).

    Parameters
    ----------
    frame
        Analysed parcels with ``low_efficiency_basis``, the verdicts of
        :func:`analysis.control_check.check_control_standard`, ``industry_code``, ``planned_use``,
        ``output_per_mu``, ``tax_per_mu`` and the industry median columns.
    standard, fallback_output_per_mu, fallback_tax_per_mu
        As given to :func:`~analysis.control_check.check_control_standard`.

    Returns
    -------
    pandas.DataFrame
        Index-aligned ``str`` columns :data:`NOTE_COLUMNS`.
    """
    std = standard or default_control_standard()
    idx = frame.index
    basis = text_column(frame, "low_efficiency_basis")
    rows = basis.ne("")
    f = frame.loc[rows.to_numpy()]
    zh: list[pd.Series] = []
    en: list[pd.Series] = []
    if len(f):
        code = text_column(f, "industry_code")
        has_row = code.isin(list(std.divisions))
        ref_zh = ("（C" + code + f"，{std.edition}版）").where(has_row, "（该行业无控制标准，按评价方案下限）")
        ref_en = (" (C" + code + f", {std.edition} edition)").where(has_row, " (no row for the industry: the profile's minimum)")

        hazard = text_column(f, "low_efficiency_basis").str.contains("hazard_conflict", regex=False)
        planned = text_column(f, "planned_use")
        by_plan = planned.ne("") & planned.ne("industrial")
        why_zh = ("规划用途为" + planned.map(LAND_USE_ZH).fillna(planned)).where(
            by_plan, "行业 C" + code + f" 不属于功能区主导产业 {_ICV}")
        why_en = ("planned use " + planned).where(by_plan, "industry C" + code + f" outside the zones' divisions {_ICV}")
        zh.append(("存在安全环保消防隐患，且与产业规划冲突（" + why_zh + "）").where(hazard, ""))
        en.append(("Safety, environmental or fire hazard in conflict with the industrial plan (" + why_en + ")")
                  .where(hazard, ""))

        for value_col, indicator, fallback, word_zh, word_en in (
            ("output_per_mu", "output_per_mu_min", fallback_output_per_mu, "产值", "Output"),
            ("tax_per_mu", "tax_per_mu_min", fallback_tax_per_mu, "税收", "Tax"),
        ):
            verdict = "standard_output_met" if value_col == "output_per_mu" else "standard_tax_met"
            failed = f[verdict].astype("boolean").eq(False).fillna(False) if verdict in f else pd.Series(False, f.index)
            figure = division_minimums(code, std, indicator)
            if fallback is not None:
                figure = figure.where(has_row, fallback)
            value = number_column(f, value_col)
            v, m = _num(value), _num(figure)
            zh.append((word_zh + " " + v + " 万元/亩，低于标准 " + m + " 万元/亩" + ref_zh).where(failed, ""))
            en.append((word_en + " " + v + " × 10k yuan/mu, below the standard's " + m + " × 10k yuan/mu" + ref_en)
                      .where(failed, ""))

        level = text_column(f, "low_efficiency_basis").str.contains("below_industry_level", regex=False)
        v = _num(number_column(f, "output_per_mu").fillna(0.0))
        med = _num(number_column(f, "industry_median_output_per_mu").fillna(0.0))
        n = pd.to_numeric(f["industry_sample_size"]).fillna(0).astype(np.int64).astype(str) \
            if "industry_sample_size" in f else pd.Series("0", index=f.index)
        zh.append(("产值 " + v + " 万元/亩，达到标准，但低于本行业（C" + code + "）全区中位数 " + med + " 万元/亩（" + n
                   + " 宗）").where(level, ""))
        en.append(("Output " + v + " × 10k yuan/mu meets the standard but is below the district median of its industry (C"
                   + code + ") " + med + " × 10k yuan/mu (" + n + " parcels)").where(level, ""))
    where = np.flatnonzero(rows.to_numpy())
    return pd.DataFrame({"low_efficiency_note_zh": _joined(zh, "；", where, idx),
                         "low_efficiency_note": _joined(en, "; ", where, idx)}, index=idx)
