"""A layer's attributes read into the canonical fields, with every problem as an issue.

:func:`canonical_attributes` maps source columns onto :data:`parcels.schema.CANONICAL_FIELDS`
and reads their values: parcel ids (generated where missing, duplicates listed), land and planned
use (:mod:`parcels.landuse`), dates and lease terms (:mod:`parcels.dates`), numbers with units
converted (:mod:`parcels.numbers`), zone names. :func:`field_issues` reports unmapped and missing
columns, :func:`extras` keeps the unmapped columns (renamed where they clash with the schema).
Parcel layers (:mod:`parcels.read`) and statistics tables (:mod:`parcels.join`) are read by the
same functions.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from parcels.dates import DATE_DTYPE, complete_lease, parse_dates
from parcels.fields import FieldMapping
from parcels.flags import parse_yes_no
from parcels.industry import parse_industry_codes
from parcels.landuse import classify_land_use, unrecognised_land_use
from parcels.numbers import UNIT_SCALES, coerce_numeric, coerce_quantity, coerce_share
from parcels.schema import ALLOCATED_USES, CANONICAL_FIELDS, DERIVED_FIELDS, SHARE_FIELDS, ZONE_IDS
from parcels.validate import Issue

__all__ = ["EXTRA_COLUMNS", "canonical_attributes", "issues_for", "field_issues", "extras"]

#: Columns the reader adds to the canonical ones.
EXTRA_COLUMNS: tuple[str, ...] = ("source_row", "land_use_source")

_FLOAT_FIELDS = tuple(f.name for f in CANONICAL_FIELDS if f.kind == "float" and f.name not in SHARE_FIELDS)
_ZONE_WORDS = {"总部": "hq", "孵化": "incubation", "示范": "demonstration", "场景": "demonstration"}


def _as_text(values: pd.Series) -> pd.Series:
    """Text values, stripped; integral floats lose their '.0'; empty -> missing."""
    if pd.api.types.is_float_dtype(values.dtype):
        finite = values.dropna()
        if len(finite) and np.all(np.mod(finite.to_numpy(), 1) == 0):
            values = values.astype("Int64")
    text = values.astype("str").str.strip()
    return text.mask(text == "").astype("str")


def issues_for(
    mask: pd.Series | np.ndarray,
    rows: np.ndarray,
    ids: np.ndarray,
    code: str,
    zh: str,
    en: str,
    *,
    field_name: str | None = None,
    raw: pd.Series | None = None,
    shown: Callable[[object, str], str] | None = None,
) -> list[Issue]:
    """One issue per True in ``mask``; ``{v}`` in the messages is the raw value (``shown(v, lang)``
    when given: the value as each language words it, the raw value staying in ``value``)."""
    idx = np.flatnonzero(np.asarray(mask, dtype=bool))
    if idx.size == 0:
        return []
    raw_values = raw.iloc[idx].to_numpy(dtype=object) if raw is not None else np.full(idx.size, None)
    out = []
    for i, v in zip(idx, raw_values, strict=True):
        v_zh, v_en = (shown(v, "zh"), shown(v, "en")) if shown is not None else (v, v)
        out.append(Issue.make(code, zh.format(v=v_zh), en.format(v=v_en), row=int(rows[i]), parcel_id=ids[i],
                              field=field_name, value=v))
    return out


def _numbers(
    name: str, values: pd.Series, rows: np.ndarray, ids: np.ndarray, *, integer: bool
) -> tuple[pd.Series, list[Issue]]:
    spec = next(f for f in CANONICAL_FIELDS if f.name == name)
    spec_zh = spec.zh
    issues: list[Issue] = []
    if spec.unit in UNIT_SCALES:
        q = coerce_quantity(values, spec.unit)
        nums, bad = q.numbers, q.unparsable
        scaled = (q.scale != 1.0).to_numpy() & nums.notna().to_numpy()
        if scaled.any():
            shown = values.astype("str") + " → " + nums.map(lambda v: f"{v:,.6g}") + " " + spec.unit
            issues += issues_for(scaled, rows, ids, "unit_converted", f"{spec_zh}“{{v}}”（已换算单位）",
                                  f"{name} '{{v}}' (unit converted)", field_name=name, raw=shown)
    else:
        nums, bad = coerce_numeric(values)
    if integer:
        frac = nums.notna() & (np.mod(nums.fillna(0), 1) != 0)
        bad = bad | frac
        nums = nums.mask(frac)
    issues += issues_for(bad, rows, ids, "unparsable_number",
                          f"{spec_zh}“{{v}}”不是有效数值（或单位不是{spec.unit}及其换算单位），已视为缺失",
                          f"{name} '{{v}}' is not a valid number (or its unit is not {spec.unit} or one that "
                          "converts to it); set to missing", field_name=name, raw=values)
    negative = nums < 0 if name != "lease_years" else nums <= 0
    issues += issues_for(negative, rows, ids, "negative_value",
                          f"{spec_zh}为{{v}}（不能为负{'或零' if name == 'lease_years' else ''}），已视为缺失，该指标不参与评价",
                          f"{name} is {{v}} ({'not positive' if name == 'lease_years' else 'negative'}); "
                          "set to missing, the indicator is unrated", field_name=name, raw=values)
    nums = nums.mask(negative)
    return (nums.round().astype("Int64") if integer else nums.astype("float64")), issues


def _zone_ids(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    text = _as_text(values)

    def one(v: str) -> str | None:
        low = unicodedata.normalize("NFKC", v).strip().casefold()
        if low in ZONE_IDS:
            return low
        for word, zone in _ZONE_WORDS.items():
            if word in v:
                return zone
        return None

    table = {u: one(u) for u in pd.unique(text.dropna())}
    zones = text.map(table).astype(object)
    unknown = text.notna() & zones.isna()
    return zones.fillna("").astype("str"), unknown


def canonical_attributes(
    src: pd.DataFrame, mapping: Mapping[str, str], rows: np.ndarray
) -> tuple[pd.DataFrame, list[Issue]]:
    """Attribute columns read into the canonical fields, with the issues found (no geometry).

    Parameters
    ----------
    src
        Source columns (text or numbers), one row per record.
    mapping
        Source column -> canonical field (:func:`parcels.fields.map_fields`).
    rows
        1-based record numbers of ``src``'s rows, used in the issues.

    Returns
    -------
    Every canonical field (absent ones empty, ``parcel_id`` generated as ``row-N`` where
    missing) and the issues, as for a parcel layer.  Used by :mod:`parcels.join` so that a
    statistics table is read exactly like a layer's attributes.
    """
    return _canonicalise(src.reset_index(drop=True), dict(mapping), rows)


def _canonicalise(src: pd.DataFrame, mapping: dict[str, str], rows: np.ndarray) -> tuple[pd.DataFrame, list[Issue]]:
    by_field = {dst: src[col] for col, dst in mapping.items()}
    n = len(src)
    issues: list[Issue] = []
    out = pd.DataFrame(index=src.index)

    # parcel_id first: every later issue names it
    if "parcel_id" in by_field:
        pid = _as_text(by_field["parcel_id"])
    else:
        pid = pd.Series(pd.NA, index=src.index, dtype="str")
    no_id = pid.isna().to_numpy()
    generated = pd.Series([f"row-{r}" for r in rows], index=src.index, dtype="str")
    pid = pid.where(~no_id, generated).astype("str")
    ids = pid.to_numpy(dtype=object)
    if "parcel_id" in by_field:
        issues += issues_for(no_id, rows, ids, "missing_id", "缺少宗地编号，已生成编号“{v}”",
                              "no parcel_id; generated '{v}'", field_name="parcel_id", raw=generated)
    else:
        issues.append(Issue.make("missing_id", "图层没有宗地编号字段，已按行号生成编号（row-行号）",
                                 "the layer has no parcel_id column; ids generated from row numbers (row-N)",
                                 field="parcel_id"))
    dup = pid.duplicated(keep=False).to_numpy() & ~no_id
    issues += issues_for(dup, rows, ids, "duplicate_id", "宗地编号“{v}”重复出现（各行均保留）",
                          "parcel_id '{v}' occurs more than once (all rows kept)", field_name="parcel_id", raw=pid)
    out["parcel_id"] = pid

    out["enterprise"] = _as_text(by_field["enterprise"]) if "enterprise" in by_field else pd.Series(
        pd.NA, index=src.index, dtype="str")

    if "land_use" in by_field:
        raw_lu = _as_text(by_field["land_use"])
        out["land_use"] = classify_land_use(raw_lu)
        unknown = unrecognised_land_use(raw_lu)
        issues += issues_for(unknown, rows, ids, "unknown_land_use",
                              "无法识别的土地用途“{v}”，已归为“其他用地”",
                              "land use '{v}' not recognised; classed as 'other'", field_name="land_use",
                              raw=raw_lu.fillna("(空 / empty)"))
        out["land_use_source"] = raw_lu
    else:
        out["land_use"] = pd.Series("other", index=src.index, dtype="str")
        out["land_use_source"] = pd.Series(pd.NA, index=src.index, dtype="str")

    if "planned_use" in by_field:
        raw_pu = _as_text(by_field["planned_use"])
        out["planned_use"] = classify_land_use(raw_pu).mask(raw_pu.isna()).astype("str")
        unknown = unrecognised_land_use(raw_pu) & raw_pu.notna()
        issues += issues_for(unknown, rows, ids, "unknown_land_use",
                              "无法识别的规划用途“{v}”，已归为“其他用地”",
                              "planned use '{v}' not recognised; classed as 'other'", field_name="planned_use",
                              raw=raw_pu)
    else:
        out["planned_use"] = pd.Series(pd.NA, index=src.index, dtype="str")

    dates: dict[str, pd.Series] = {}
    for name in ("lease_start", "lease_end"):
        if name in by_field:
            parsed, bad = parse_dates(by_field[name])
            label = "出让日期" if name == "lease_start" else "终止日期"
            issues += issues_for(bad, rows, ids, "unparsable_date", f"{label}“{{v}}”无法识别为日期，已视为缺失",
                                  f"{name} '{{v}}' is not a recognisable date; set to missing", field_name=name,
                                  raw=by_field[name])
            dates[name] = parsed
        else:
            dates[name] = pd.Series(pd.NaT, index=src.index, dtype=DATE_DTYPE)
    if "lease_years" in by_field:
        years, more = _numbers("lease_years", by_field["lease_years"], rows, ids, integer=True)
        issues += more
    else:
        years = pd.Series(pd.NA, index=src.index, dtype="Int64")
    start, years, end, inconsistent = complete_lease(dates["lease_start"], years, dates["lease_end"])
    issues += issues_for(inconsistent, rows, ids, "inconsistent_lease",
                          "出让日期加出让年限与终止日期不一致（保留原终止日期）",
                          "lease start + term disagrees with the lease end (the given end is kept)")
    has_lease_cols = any(k in by_field for k in ("lease_start", "lease_years", "lease_end"))
    if has_lease_cols:  # allocated land (roads, green space ...) has no lease to miss
        leased = ~out["land_use"].isin(ALLOCATED_USES).to_numpy()
        issues += issues_for(end.isna().to_numpy() & leased, rows, ids, "missing_lease",
                              "无法确定土地使用权终止日期（缺少终止日期，或缺少出让日期/年限），到期状态未知",
                              "lease end unknown (no end date, nor start date and term); expiry status is unknown")
    out["lease_start"], out["lease_years"], out["lease_end"] = start, years, end

    for name in _FLOAT_FIELDS:
        if name in by_field:
            out[name], more = _numbers(name, by_field[name], rows, ids, integer=False)
            issues += more
        else:
            out[name] = pd.Series(np.nan, index=src.index, dtype="float64")
    if "employees" in by_field:
        out["employees"], more = _numbers("employees", by_field["employees"], rows, ids, integer=True)
        issues += more
    else:
        out["employees"] = pd.Series(pd.NA, index=src.index, dtype="Int64")

    if "zone_id" in by_field:
        out["zone_id"], unknown = _zone_ids(by_field["zone_id"])
        issues += issues_for(unknown, rows, ids, "unknown_zone", "功能区“{v}”无法识别，将按空间位置判定",
                              "zone '{v}' not recognised; the zone will be assigned spatially", field_name="zone_id",
                              raw=by_field["zone_id"])
    else:
        out["zone_id"] = pd.Series("", index=src.index, dtype="str")

    out["industry_code"], more = _industry(by_field, rows, ids, src.index)
    issues += more
    for name, label_zh in (("safety_hazard", "安全环保消防隐患"), ("standard_factory", "标准厂房")):
        if name in by_field:
            out[name], bad = parse_yes_no(by_field[name])
            issues += issues_for(bad, rows, ids, "unparsable_flag", label_zh + "“{v}”不是是/否，已视为缺失",
                                  name + " '{v}' is not a yes or no; set to missing", field_name=name,
                                  raw=by_field[name])
        else:
            out[name] = pd.Series(pd.NA, index=src.index, dtype="boolean")
    for name in SHARE_FIELDS:
        out[name], more = _shares(name, by_field.get(name), rows, ids, src.index)
        issues += more

    if not has_lease_cols:
        issues.append(Issue.make("missing_lease", "图层没有出让日期、出让年限或终止日期字段，所有地块到期状态未知",
                                 "the layer has no lease start, term or end column; expiry is unknown for all parcels"))
    ordered = [f.name for f in CANONICAL_FIELDS]
    out = out[[*ordered[:3], "land_use_source", *ordered[3:]]]
    assert len(out) == n
    return out, issues


def _industry(by_field: dict[str, pd.Series], rows: np.ndarray, ids: np.ndarray,
              index: pd.Index) -> tuple[pd.Series, list[Issue]]:
    if "industry_code" not in by_field:
        return pd.Series(pd.NA, index=index, dtype="str"), []
    codes, bad = parse_industry_codes(by_field["industry_code"])
    return codes, issues_for(bad, rows, ids, "unknown_industry",
                             "无法识别的行业“{v}”（应为国民经济行业分类代码或大类名称），已视为缺失",
                             "industry '{v}' not recognised (give a GB/T 4754 code or division name); set to missing",
                             field_name="industry_code", raw=by_field["industry_code"])


def _shares(name: str, values: pd.Series | None, rows: np.ndarray, ids: np.ndarray,
            index: pd.Index) -> tuple[pd.Series, list[Issue]]:
    if values is None:
        return pd.Series(np.nan, index=index, dtype="float64"), []
    zh = next(f.zh for f in CANONICAL_FIELDS if f.name == name)
    shares, bad, converted = coerce_share(values)
    issues = issues_for(converted, rows, ids, "unit_converted", f"{zh}“{{v}}”按百分数读取（已除以 100）",
                        f"{name} '{{v}}' read as a percentage (divided by 100)", field_name=name, raw=values)
    issues += issues_for(bad, rows, ids, "unparsable_number", f"{zh}“{{v}}”不是 0–100 % 之间的比例，已视为缺失",
                         f"{name} '{{v}}' is not a share between 0 and 100 %; set to missing", field_name=name,
                         raw=values)
    return shares, issues


def field_issues(fm: FieldMapping) -> list[Issue]:
    issues = []
    for col in fm.unmapped:
        if col in fm.shadowed:
            winner = fm.shadowed[col]
            issues.append(Issue.make(
                "unmapped_field",
                f"列“{col}”与列“{winner}”对应同一标准字段，已采用“{winner}”，本列原样保留",
                f"column '{col}' matches the same field as '{winner}', which was used; '{col}' kept as is",
                field=col))
        else:
            issues.append(Issue.make(
                "unmapped_field", f"列“{col}”不属于标准字段，已原样保留", f"column '{col}' is not a canonical field; kept as is",
                field=col))
    for name in fm.missing:
        spec = next(f for f in CANONICAL_FIELDS if f.name == name)
        issues.append(Issue.make("missing_field", f"图层没有“{spec.zh}”字段", f"the layer has no {spec.en} ({name}) column",
                                 field=name))
    return issues


_RESERVED = {f.name for f in CANONICAL_FIELDS + DERIVED_FIELDS} | {"geometry", *EXTRA_COLUMNS}


def extras(attrs: pd.DataFrame, unmapped: list[str]) -> tuple[pd.DataFrame, list[Issue]]:
    extras = attrs[unmapped].copy()
    issues = []
    renames = {}
    taken = set(_RESERVED) | set(unmapped)
    for col in unmapped:
        if col in _RESERVED:
            new = f"src_{col}"
            while new in taken:
                new = f"src_{new}"
            taken.add(new)
            renames[col] = new
            issues.append(Issue.make("renamed_field", f"列“{col}”与标准字段重名，已改名为“{new}”保留",
                                     f"column '{col}' clashes with a schema name; kept as '{new}'", field=col))
    return extras.rename(columns=renames), issues
