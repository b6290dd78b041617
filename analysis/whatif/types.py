"""The development-type library of the what-if scenarios (开发类型库): what a parcel becomes.

A development type names a canonical land use, a floor area ratio (容积率), a site coverage
(建筑密度), a storey height, the output and tax per mu at full operation (万元/亩/年), the jobs
per hectare and the years to reach full operation (linear ramp-up).  The shipped library is
``analysis/config/development_types.yaml`` (every figure illustrative, with its source); an
editor may change it in the app, which keeps it as the text :func:`development_types_yaml`
writes and :func:`parse_development_types` reads back.

The ``keep`` type (维持现状) changes nothing: its use, FAR and figures are None, so an edit with
``keep`` changes only what the edit itself sets (``land_use``, ``far``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from analysis import _yamlconfig as cfg
from core.errors import ConfigError
from parcels.schema import LAND_USES

__all__ = [
    "KEEP",
    "DEFAULT_TYPES_PATH",
    "DevelopmentType",
    "DevelopmentTypes",
    "load_development_types",
    "parse_development_types",
    "development_types_yaml",
]

#: Code of the keep-as-is type.
KEEP = "keep"
DEFAULT_TYPES_PATH = cfg.CONFIG_DIR / "development_types.yaml"

_TYPE_KEYS = ("name_zh", "name_en", "land_use", "far", "site_coverage", "storey_height_m", "output_per_mu",
              "tax_per_mu", "jobs_per_ha", "ramp_up_years", "source", "illustrative")
_FIGURES = ("far", "site_coverage", "storey_height_m", "output_per_mu", "tax_per_mu", "jobs_per_ha")


@dataclass(frozen=True)
class DevelopmentType:
    """One development type (see the module notes).

    Attributes
    ----------
    code
        Identifier used in scenario edits (``rd_office`` …).
    name_zh, name_en
        Names in Chinese and English.
    land_use
        Canonical land use (:data:`parcels.schema.LAND_USES`); None only for ``keep``.
    far
        Floor area ratio (> 0); None only for ``keep``.
    site_coverage
        Building footprint share of the parcel (0-1]; None only for ``keep``.
    storey_height_m
        Storey height (m, > 0); None only for ``keep``.
    output_per_mu, tax_per_mu
        Output and tax at full operation (万元/亩/年, ≥ 0); None only for ``keep``.
    jobs_per_ha
        Jobs at full operation per hectare (≥ 0); None only for ``keep``.
    ramp_up_years
        Years from the edit's year to full operation (linear; 0 or 1: full from the first year).
    source
        Where the figures come from.
    illustrative
        True when the figures are illustrative assumptions (示意), not regulatory figures.
    """

    code: str
    name_zh: str
    name_en: str
    land_use: str | None
    far: float | None
    site_coverage: float | None
    storey_height_m: float | None
    output_per_mu: float | None
    tax_per_mu: float | None
    jobs_per_ha: float | None
    ramp_up_years: int
    source: str
    illustrative: bool

    @property
    def keeps(self) -> bool:
        """True for the keep-as-is type."""
        return self.code == KEEP

    def ramp(self, years_since_start: int) -> float:
        """Share of full operation ``years_since_start`` years after the start year (0 in the start year)."""
        if years_since_start < 0:
            return 0.0
        if self.ramp_up_years <= 1:
            return 1.0
        return min(1.0, (years_since_start + 1) / self.ramp_up_years)


@dataclass(frozen=True)
class DevelopmentTypes(Mapping[str, DevelopmentType]):
    """The library: development types by code, with its edition and notes (zh, en)."""

    types: Mapping[str, DevelopmentType]
    edition: str = ""
    notes_zh: str = ""
    notes_en: str = ""

    def __getitem__(self, code: str) -> DevelopmentType:
        return self.types[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self.types)

    def __len__(self) -> int:
        return len(self.types)

    def require(self, code: Any, *, where: str) -> DevelopmentType:
        """The type ``code``, or a bilingual :class:`ConfigError` naming it and the valid codes."""
        if not isinstance(code, str) or code not in self.types:
            raise ConfigError(
                f"{where}: unknown development type {code!r}. Valid types: {list(self.types)}.",
                f"{where}：未知的开发类型 {code!r}。有效的开发类型为：{list(self.types)}。",
            )
        return self.types[code]


def load_development_types(path: str | Path | None = None) -> DevelopmentTypes:
    """Read a development-type library from YAML (default: the shipped one).

    Raises
    ------
    ConfigError
        Unreadable file or any schema error (see :func:`parse_development_types`).
    """
    data = cfg.read_yaml(path or DEFAULT_TYPES_PATH, what_en="Development types", what_zh="开发类型库")
    return parse_development_types(data)


def parse_development_types(data: Any) -> DevelopmentTypes:
    """Validate a development-type library (a mapping as read from YAML, or its YAML text).

    Raises
    ------
    ConfigError
        Not a mapping, unknown or missing keys, an unknown land use, FAR ≤ 0, a coverage
        outside (0, 1], a negative figure, no ``keep`` type; the message names the offending
        key and value in English and Chinese.
    """
    if isinstance(data, str):
        try:
            data = yaml.safe_load(data)
        except yaml.YAMLError as err:
            raise ConfigError(f"The development types are not valid YAML ({err}). Fix the syntax.",
                              f"开发类型库不是合法的 YAML（{err}），请修正语法。") from err
    top = cfg.mapping(data, where="development_types")
    cfg.check_keys(top, where="development_types", valid=("edition", "notes", "types"), required=("types",))
    notes = top.get("notes") or {}
    if isinstance(notes, str):
        notes = {"zh": notes, "en": notes}
    notes = cfg.mapping(notes, where="notes")
    cfg.check_keys(notes, where="notes", valid=("zh", "en"))
    raw = cfg.mapping(top["types"], where="types")
    if not raw:
        raise ConfigError("types: the library holds no development type.", "types：开发类型库中没有任何开发类型。")
    types = {str(code): _parse_type(str(code), value) for code, value in raw.items()}
    if KEEP not in types:
        raise ConfigError(f"types: the library needs the {KEEP!r} type (keep as is). Types: {list(types)}.",
                          f"types：开发类型库须包含 {KEEP!r}（维持现状）类型。现有类型：{list(types)}。")
    return DevelopmentTypes(types, edition=str(top.get("edition", "") or ""),
                            notes_zh=str(notes.get("zh", "") or ""), notes_en=str(notes.get("en", "") or ""))


def _parse_type(code: str, value: Any) -> DevelopmentType:
    w = f"types.{code}"
    if not code.replace("_", "").isalnum() or not code.isascii():
        raise ConfigError(f"{w}: a type code is letters, digits and '_' only; got {code!r}.",
                          f"{w}：开发类型代码只能由字母、数字和下划线组成，实际为 {code!r}。")
    m = cfg.mapping(value, where=w)
    cfg.check_keys(m, where=w, valid=_TYPE_KEYS, required=("name_zh", "name_en", *_FIGURES[:2]))
    keep = code == KEEP
    figures: dict[str, float | None] = {}
    for key in _FIGURES:
        v = m.get(key)
        if v is None and keep:
            figures[key] = None
            continue
        if v is None:
            raise ConfigError(f"{w}.{key} is missing; only the {KEEP!r} type may leave it empty.",
                              f"{w}.{key} 缺失；只有 {KEEP!r} 类型可以留空。")
        strict = key in ("far", "site_coverage", "storey_height_m")
        figures[key] = cfg.number(v, where=f"{w}.{key}", minimum=0, strict_minimum=strict,
                                  maximum=1.0 if key == "site_coverage" else None)
    use = m.get("land_use")
    if use is None and not keep:
        raise ConfigError(f"{w}.land_use is missing. Valid land uses: {list(LAND_USES)}.",
                          f"{w}.land_use 缺失。有效的用地类型为：{list(LAND_USES)}。")
    if use is not None and use not in LAND_USES:
        raise ConfigError(f"{w}.land_use: unknown land use {use!r}. Valid land uses: {list(LAND_USES)}.",
                          f"{w}.land_use：未知的用地类型 {use!r}。有效的用地类型为：{list(LAND_USES)}。")
    illustrative = m.get("illustrative", True)
    if not isinstance(illustrative, bool):
        raise ConfigError(f"{w}.illustrative must be true or false; got {illustrative!r}.",
                          f"{w}.illustrative 必须为 true 或 false，实际为 {illustrative!r}。")
    return DevelopmentType(
        code=code,
        name_zh=cfg.text(m["name_zh"], where=f"{w}.name_zh"),
        name_en=cfg.text(m["name_en"], where=f"{w}.name_en"),
        land_use=use,
        ramp_up_years=cfg.integer(m.get("ramp_up_years", 0), where=f"{w}.ramp_up_years", minimum=0, maximum=30),
        source=str(m.get("source", "") or "").strip(),
        illustrative=illustrative,
        **figures,
    )


def _type_mapping(t: DevelopmentType) -> dict[str, Any]:
    return {"name_zh": t.name_zh, "name_en": t.name_en, "land_use": t.land_use, "far": t.far,
            "site_coverage": t.site_coverage, "storey_height_m": t.storey_height_m,
            "output_per_mu": t.output_per_mu, "tax_per_mu": t.tax_per_mu, "jobs_per_ha": t.jobs_per_ha,
            "ramp_up_years": t.ramp_up_years, "source": t.source, "illustrative": t.illustrative}


def development_types_yaml(types: DevelopmentTypes) -> str:
    """The library as YAML text that :func:`parse_development_types` reads back to an equal library."""
    data: dict[str, Any] = {}
    if types.edition:
        data["edition"] = types.edition
    if types.notes_zh or types.notes_en:
        data["notes"] = {"zh": types.notes_zh, "en": types.notes_en}
    data["types"] = {code: _type_mapping(t) for code, t in types.items()}
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
