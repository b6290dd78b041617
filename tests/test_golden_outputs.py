"""The outputs of ``run`` and ``compare`` on the embedded data keep the values recorded before the
module split (see ``tests/golden_support.py``): a refactor must not change a number."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.golden_support import CASES, GOLDEN_DIR, differences, run_case


@pytest.mark.parametrize("name", sorted(CASES))
def test_outputs_match_the_recorded_values(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    expected = json.loads((GOLDEN_DIR / f"{name}.json").read_text(encoding="utf-8"))
    actual = json.loads(json.dumps(run_case(name, tmp_path / "out")))  # the same JSON round trip as recording
    capsys.readouterr()
    diff = differences(expected, actual)
    assert not diff, f"{len(diff)} values changed, first ones:\n" + "\n".join(diff[:20])


def test_the_comparison_detects_a_changed_value() -> None:
    expected = {"a": [1.0, {"b": "x"}], "n": 3}
    assert differences(expected, {"a": [1.0 + 1e-12, {"b": "x"}], "n": 3}) == []
    assert differences(expected, {"a": [1.001, {"b": "x"}], "n": 3}) == ["/a[0]: 1.001, expected 1.0"]
    assert differences(expected, {"a": [1.0, {"b": "y"}], "n": 3}) == ["/a[1]/b: 'y', expected 'x'"]
    assert differences(expected, {"a": [1.0], "n": 3}) == ["/a: 1 items, expected 2"]
