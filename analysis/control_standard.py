"""Industrial land control indicators per manufacturing division (工业项目建设用地控制指标).

The table is data (``analysis/config/control_standard.yaml``, the 2020 edition of Xiamen's
standard by default): per GB/T 4754 manufacturing division (two-digit code, 13–43), the
seven indicators a project's land must meet at once —

=========================  =====================================  ==============
far_min                    容积率 floor area ratio, at least       ratio
investment_per_mu_min      固定资产投资强度, at least               万元/亩
output_per_mu_min          土地产出率, at least                     万元/亩
tax_per_mu_min             地均税收, at least                       万元/亩
building_coverage_min      建筑系数, at least                       share (0-1)
admin_land_share_max       行政办公及生活服务设施用地占比, at most   share (0-1)
green_ratio_max            绿地率, at most                          share (0-1)
=========================  =====================================  ==============

(and optionally ``building_coverage_min_standard_factory`` and ``admin_floor_share_max``).
Indicators shared by every industry sit under ``common``; a division may override them.
Every value carries its ``status``: ``published`` (the figure printed in the standard) or
``illustrative`` (a placeholder, not the published figure).  Editors replace the file like an
efficiency profile; the wrong shape is refused with a bilingual :class:`~core.errors.ConfigError`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from analysis._yamlconfig import CONFIG_DIR, check_keys, mapping, read_yaml
from core.errors import ConfigError

__all__ = [
    "STANDARD_INDICATORS",
    "OPTIONAL_INDICATORS",
    "VALUE_STATUSES",
    "DEFAULT_STANDARD_PATH",
    "StandardValue",
    "DivisionStandard",
    "ControlStandard",
    "standard_from_dict",
    "standard_from_text",
    "load_control_standard",
    "default_control_standard",
]

#: The seven indicators every division must have (after ``common`` is applied).
STANDARD_INDICATORS: tuple[str, ...] = (
    "far_min",
    "investment_per_mu_min",
    "output_per_mu_min",
    "tax_per_mu_min",
    "building_coverage_min",
    "admin_land_share_max",
    "green_ratio_max",
)
#: Indicators a table may give but need not.
OPTIONAL_INDICATORS: tuple[str, ...] = ("building_coverage_min_standard_factory", "admin_floor_share_max")
_SHARES = frozenset({
    "building_coverage_min", "admin_land_share_max", "green_ratio_max",
    "building_coverage_min_standard_factory", "admin_floor_share_max",
})
VALUE_STATUSES: tuple[str, ...] = ("published", "illustrative")

DEFAULT_STANDARD_PATH: Path = CONFIG_DIR / "control_standard.yaml"

_WHAT_EN = "control standard"
_WHAT_ZH = "用地控制标准"


@dataclass(frozen=True)
class StandardValue:
    """One figure of the table and whether it is the published one."""

    value: float
    status: str

    @property
    def published(self) -> bool:
        """True when the figure is the one printed in the standard."""
        return self.status == "published"


@dataclass(frozen=True)
class DivisionStandard:
    """The indicators of one manufacturing division (``common`` already applied)."""

    code: str
    name_zh: str
    name_en: str
    values: dict[str, StandardValue]


@dataclass(frozen=True)
class ControlStandard:
    """A validated control-indicator table."""

    title: str
    title_en: str
    issued_by: str
    edition: int
    divisions: dict[str, DivisionStandard]

    def division(self, code: str) -> DivisionStandard | None:
        """The row of a two-digit division code, None when the table has none."""
        return self.divisions.get(code)


def _fail(where: str, en: str, zh: str) -> ConfigError:
    return ConfigError(f"{_WHAT_EN} {where}: {en}", f"{_WHAT_ZH} {where}：{zh}")


def _value(where: str, raw: Any, name: str) -> StandardValue:
    if isinstance(raw, bool) or not isinstance(raw, dict):
        raise _fail(where, f"expected {{value: <number>, status: published|illustrative}}, received {raw!r}",
                    f"应写成 {{value: 数值, status: published|illustrative}}，收到 {raw!r}")
    check_keys(raw, where=f"{_WHAT_EN} {where}", valid=("value", "status"), required=("value", "status"))
    v, status = raw["value"], raw["status"]
    if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(float(v)) or v < 0:
        raise _fail(where, f"value must be a number >= 0, received {v!r}; write a plain number",
                    f"value 须为不小于 0 的数值，收到 {v!r}；请填写数值")
    if name in _SHARES and v > 1:
        raise _fail(where, f"a share is a fraction between 0 and 1, received {v!r}; write 0.40 for 40 %",
                    f"比例应为 0 到 1 之间的小数，收到 {v!r}；40 % 请写 0.40")
    if status not in VALUE_STATUSES:
        raise _fail(where, f"status must be published or illustrative, received {status!r}; "
                    "mark a figure you have not taken from the standard illustrative",
                    f"status 须为 published 或 illustrative，收到 {status!r}；未取自标准原文的数值请标为 illustrative")
    return StandardValue(float(v), str(status))


def _values(where: str, raw: Any, allowed: tuple[str, ...]) -> dict[str, StandardValue]:
    data = mapping(raw, where=f"{_WHAT_EN} {where}")
    check_keys(data, where=f"{_WHAT_EN} {where}", valid=allowed)
    return {k: _value(f"{where}.{k}", v, k) for k, v in data.items()}


def standard_from_dict(data: Any) -> ControlStandard:
    """Validate a control-indicator table given as plain data (as read from YAML).

    Parameters
    ----------
    data
        Mapping with the keys of ``analysis/config/control_standard.yaml``.

    Returns
    -------
    ControlStandard

    Raises
    ------
    ConfigError
        Unknown or missing keys, a division code that is not a two-digit manufacturing
        division (13–43), a value that is not a number, a share above 1, a status other than
        ``published``/``illustrative``, or a division lacking one of the seven indicators.
    """
    top = mapping(data, where=f"{_WHAT_EN} (top level)")
    check_keys(top, where=f"{_WHAT_EN} (top level)",
               valid=("title", "title_en", "issued_by", "edition", "common", "divisions"),
               required=("title", "edition", "divisions"))
    edition = top["edition"]
    if isinstance(edition, bool) or not isinstance(edition, int):
        raise _fail("edition", f"expected the year of the edition, received {edition!r}",
                    f"应为版本年份，收到 {edition!r}")
    indicators = STANDARD_INDICATORS + OPTIONAL_INDICATORS
    common = _values("common", top.get("common") or {}, indicators)
    divisions_raw = mapping(top["divisions"], where=f"{_WHAT_EN} divisions")
    if not divisions_raw:
        raise _fail("divisions", "no division is given", "未给出任何行业大类")
    divisions: dict[str, DivisionStandard] = {}
    for raw_code, raw_row in divisions_raw.items():
        code = str(raw_code)
        if not (len(code) == 2 and code.isdigit() and 13 <= int(code) <= 43):
            raise _fail(f"divisions.{code}", "the key must be a two-digit GB/T 4754 manufacturing division "
                        "(13-43), quoted, e.g. \"39\"", "键须为国民经济行业分类制造业大类两位代码（13-43），加引号，如 \"39\"")
        row = mapping(raw_row, where=f"{_WHAT_EN} divisions.{code}")
        check_keys(row, where=f"{_WHAT_EN} divisions.{code}", valid=("name_zh", "name_en", *indicators),
                   required=("name_zh",))
        own = _values(f"divisions.{code}", {k: v for k, v in row.items() if k in indicators}, indicators)
        values = {**common, **own}
        missing = [k for k in STANDARD_INDICATORS if k not in values]
        if missing:
            raise _fail(f"divisions.{code}", f"missing indicator(s) {missing}; give them here or under common",
                        f"缺少指标 {missing}；请在此处或 common 下补充")
        divisions[code] = DivisionStandard(code, str(row["name_zh"]), str(row.get("name_en", "")), values)
    return ControlStandard(
        title=str(top["title"]),
        title_en=str(top.get("title_en", "")),
        issued_by=str(top.get("issued_by", "")),
        edition=edition,
        divisions=divisions,
    )


def standard_from_text(text: str) -> tuple[dict[str, Any], ControlStandard]:
    """Read and validate a control-indicator table written as YAML text (an editor's edit).

    Returns
    -------
    (data, standard)
        The plain data (to store as it was written) and the validated table.

    Raises
    ------
    ConfigError
        The text is not YAML, or fails validation (see :func:`standard_from_dict`).
    """
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise ConfigError(f"{_WHAT_EN}: the text is not valid YAML ({err}); fix the syntax",
                          f"{_WHAT_ZH}：文本不是合法的 YAML（{err}），请修正语法") from err
    return data, standard_from_dict(data)


def load_control_standard(path: str | Path | None = None) -> ControlStandard:
    """Read and validate a control-indicator table from YAML.

    Parameters
    ----------
    path
        YAML file; None for the table shipped with the product.

    Returns
    -------
    ControlStandard

    Raises
    ------
    ConfigError
        The file is missing, not YAML, or fails validation (see :func:`standard_from_dict`).
    """
    data = read_yaml(DEFAULT_STANDARD_PATH if path is None else path, what_en=_WHAT_EN, what_zh=_WHAT_ZH)
    return standard_from_dict(data)


_DEFAULT: ControlStandard | None = None


def default_control_standard() -> ControlStandard:
    """The table in ``analysis/config/control_standard.yaml`` (read once)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = load_control_standard()
    return _DEFAULT
