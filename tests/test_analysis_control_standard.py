"""The control-indicator table: loading, the common block, statuses, refusals in both languages."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from analysis.control_standard import (
    DEFAULT_STANDARD_PATH,
    STANDARD_INDICATORS,
    default_control_standard,
    load_control_standard,
    standard_from_dict,
)
from core.errors import ConfigError


def _raw() -> dict[str, Any]:
    return yaml.safe_load(DEFAULT_STANDARD_PATH.read_text(encoding="utf-8"))


def test_shipped_table_has_the_icv_divisions_with_all_seven_indicators() -> None:
    std = default_control_standard()
    assert std.edition == 2020
    assert {"36", "38", "39"} <= set(std.divisions)
    for code in ("36", "38", "39"):
        row = std.division(code)
        assert row is not None
        assert set(STANDARD_INDICATORS) <= set(row.values)
    assert std.division("39").name_zh == "计算机、通信和其他电子设备制造业"  # type: ignore[union-attr]
    assert std.division("07") is None


def test_common_figures_of_the_text_are_published_per_industry_figures_illustrative() -> None:
    row = default_control_standard().division("36")
    assert row is not None
    # the general provisions: 建筑系数 >= 40 %, 行政办公及生活服务 <= 7 %, 绿地率 <= 20 %
    assert row.values["building_coverage_min"].value == 0.40
    assert row.values["admin_land_share_max"].value == 0.07
    assert row.values["green_ratio_max"].value == 0.20
    assert all(row.values[k].published for k in ("building_coverage_min", "admin_land_share_max", "green_ratio_max"))
    # the per-industry tables are not in the public excerpts: none may claim to be published
    for k in ("far_min", "investment_per_mu_min", "output_per_mu_min", "tax_per_mu_min"):
        assert row.values[k].status == "illustrative"


def test_a_division_overrides_the_common_block() -> None:
    data = _raw()
    data["divisions"]["39"]["green_ratio_max"] = {"value": 0.15, "status": "published"}
    std = standard_from_dict(data)
    assert std.division("39").values["green_ratio_max"].value == 0.15  # type: ignore[union-attr]
    assert std.division("36").values["green_ratio_max"].value == 0.20  # type: ignore[union-attr]


def test_an_edited_file_is_read(tmp_path: Path) -> None:
    data = _raw()
    data["divisions"] = {"39": copy.deepcopy(data["divisions"]["39"])}
    data["divisions"]["39"]["output_per_mu_min"] = {"value": 1000, "status": "published"}
    path = tmp_path / "std.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    std = load_control_standard(path)
    assert list(std.divisions) == ["39"]
    assert std.division("39").values["output_per_mu_min"].value == 1000.0  # type: ignore[union-attr]


def _set(data: dict[str, Any], keys: tuple[str, ...], value: Any) -> None:
    for k in keys[:-1]:
        data = data[k]
    data[keys[-1]] = value


@pytest.mark.parametrize(
    ("keys", "value", "match"),
    [
        (("divisions", "39", "far_min"), 1.2, "expected"),
        (("divisions", "39", "far_min"), {"value": 1.2}, "missing"),
        (("divisions", "39", "far_min"), {"value": 1.2, "status": "official"}, "illustrative"),
        (("divisions", "39", "far_min"), {"value": -1, "status": "illustrative"}, ">= 0"),
        (("divisions", "39", "far_min"), {"value": "high", "status": "illustrative"}, ">= 0"),
        (("common", "green_ratio_max"), {"value": 20, "status": "published"}, "0.40 for 40"),
        (("divisions", "39", "floor_ratio"), {"value": 1, "status": "illustrative"}, "unknown"),
        (("divisions", "07"), {"name_zh": "石油和天然气开采业"}, "manufacturing division"),
        (("divisions", "C39"), {"name_zh": "x"}, "manufacturing division"),
        (("edition",), "2020版", "year"),
        (("divisions",), {}, "no division"),
        (("divisions",), [1, 2], "mapping"),
        (("colour",), "red", "unknown"),
    ],
)
def test_wrong_shapes_are_refused_in_both_languages(keys: tuple[str, ...], value: Any, match: str) -> None:
    data = _raw()
    _set(data, keys, value)
    with pytest.raises(ConfigError, match=match) as info:
        standard_from_dict(data)
    assert info.value.message_zh and info.value.message_zh != info.value.message_en


def test_a_division_missing_an_indicator_is_refused() -> None:
    data = _raw()
    del data["common"]["green_ratio_max"]
    with pytest.raises(ConfigError, match="green_ratio_max") as info:
        standard_from_dict(data)
    assert "缺少指标" in info.value.message_zh


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_control_standard(tmp_path / "none.yaml")


def test_a_table_written_as_text_is_read_or_refused_in_both_languages() -> None:
    from analysis.control_standard import DEFAULT_STANDARD_PATH, standard_from_text

    text = DEFAULT_STANDARD_PATH.read_text(encoding="utf-8")
    data, standard = standard_from_text(text)
    assert data["edition"] == 2020 and standard.division("39") is not None
    with pytest.raises(ConfigError, match="not valid YAML") as err:
        standard_from_text("divisions: [unclosed")
    assert "YAML" in err.value.message_zh
    with pytest.raises(ConfigError, match=r"0\.40") as err:
        standard_from_text(text.replace("green_ratio_max: {value: 0.20", "green_ratio_max: {value: 20"))
    assert "比例" in err.value.message_zh
