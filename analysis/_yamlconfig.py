"""Small helpers to read and check YAML configuration with bilingual errors.

Private to :mod:`analysis`: the airport parameters, the buildability parameters and
the scenarios share them so that every config file reports mistakes the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from core.errors import ConfigError

CONFIG_DIR = Path(__file__).resolve().parent / "config"


def read_yaml(path: str | Path, *, what_en: str, what_zh: str) -> dict[str, Any]:
    """Read a YAML mapping from ``path`` or raise :class:`ConfigError`."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as err:
        raise ConfigError(
            f"{what_en} file not found: {path}. Give the path of an existing YAML file.",
            f"找不到{what_zh}文件：{path}。请提供一个存在的 YAML 文件路径。",
        ) from err
    except UnicodeDecodeError as err:
        raise ConfigError(
            f"{what_en} file {path} is not UTF-8 text. Save it as UTF-8.",
            f"{what_zh}文件 {path} 不是 UTF-8 文本，请以 UTF-8 编码保存。",
        ) from err
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise ConfigError(
            f"{what_en} file {path} is not valid YAML ({err}). Fix the syntax.",
            f"{what_zh}文件 {path} 不是合法的 YAML（{err}），请修正语法。",
        ) from err
    if not isinstance(data, dict):
        raise ConfigError(
            f"{what_en} file {path} must hold a mapping of keys to values; got {type(data).__name__}.",
            f"{what_zh}文件 {path} 必须是“键: 值”映射，实际得到 {type(data).__name__}。",
        )
    return data


def check_keys(
    data: Mapping[str, Any],
    *,
    where: str,
    valid: Iterable[str],
    required: Iterable[str] = (),
) -> None:
    """Raise :class:`ConfigError` on unknown or missing keys, listing the valid ones."""
    valid = list(valid)
    unknown = [k for k in data if k not in valid]
    if unknown:
        raise ConfigError(
            f"{where}: unknown key(s) {unknown}. Valid keys: {valid}.",
            f"{where}：未知的键 {unknown}。有效的键为：{valid}。",
        )
    missing = [k for k in required if k not in data]
    if missing:
        raise ConfigError(
            f"{where}: missing required key(s) {missing}. Valid keys: {valid}.",
            f"{where}：缺少必填的键 {missing}。有效的键为：{valid}。",
        )


def mapping(value: Any, *, where: str) -> Mapping[str, Any]:
    """``value`` as a mapping, or raise :class:`ConfigError`."""
    if not isinstance(value, Mapping):
        raise ConfigError(
            f"{where} must be a mapping (key: value); got {value!r}.",
            f"{where} 必须是映射（键: 值），实际为 {value!r}。",
        )
    return value


def sequence(value: Any, *, where: str) -> list[Any]:
    """``value`` as a list, or raise :class:`ConfigError`."""
    if not isinstance(value, list):
        raise ConfigError(
            f"{where} must be a list; got {value!r}.",
            f"{where} 必须是列表，实际为 {value!r}。",
        )
    return value


def number(
    value: Any,
    *,
    where: str,
    minimum: float | None = None,
    maximum: float | None = None,
    strict_minimum: bool = False,
) -> float:
    """``value`` as a float within bounds, or raise :class:`ConfigError`."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(
            f"{where} must be a number; got {value!r}.",
            f"{where} 必须是数字，实际为 {value!r}。",
        )
    x = float(value)
    if x != x:  # NaN
        raise ConfigError(f"{where} must be a number; got NaN.", f"{where} 必须是数字，实际为 NaN。")
    if minimum is not None and (x < minimum or (strict_minimum and x == minimum)):
        rel_en = "greater than" if strict_minimum else "at least"
        rel_zh = "大于" if strict_minimum else "不小于"
        raise ConfigError(
            f"{where} must be {rel_en} {minimum:g}; got {x:g}. Negative lengths, areas or shares are not allowed.",
            f"{where} 必须{rel_zh} {minimum:g}，实际为 {x:g}。长度、面积、比例不得为负。",
        )
    if maximum is not None and x > maximum:
        raise ConfigError(
            f"{where} must be at most {maximum:g}; got {x:g}.",
            f"{where} 不得大于 {maximum:g}，实际为 {x:g}。",
        )
    return x


def integer(value: Any, *, where: str, minimum: int | None = None, maximum: int | None = None) -> int:
    """``value`` as an int within bounds, or raise :class:`ConfigError`."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(
            f"{where} must be a whole number; got {value!r}.",
            f"{where} 必须是整数，实际为 {value!r}。",
        )
    if minimum is not None and value < minimum:
        raise ConfigError(
            f"{where} must be at least {minimum}; got {value}.",
            f"{where} 不得小于 {minimum}，实际为 {value}。",
        )
    if maximum is not None and value > maximum:
        raise ConfigError(
            f"{where} must be at most {maximum}; got {value}.",
            f"{where} 不得大于 {maximum}，实际为 {value}。",
        )
    return value


def text(value: Any, *, where: str) -> str:
    """``value`` as a non-empty string, or raise :class:`ConfigError`."""
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(
            f"{where} must be a non-empty text; got {value!r}.",
            f"{where} 必须是非空文本，实际为 {value!r}。",
        )
    return value
