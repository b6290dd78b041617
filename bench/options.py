"""What a benchmark run measures: :class:`BenchOptions` and the parcel counts (sizes)."""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import ConfigError

__all__ = ["DEFAULT_SIZES", "QUICK_SIZES", "BenchOptions", "parse_sizes"]

#: Sizes of a full benchmark.
DEFAULT_SIZES: tuple[int, ...] = (1_000, 10_000, 100_000, 1_000_000)
#: Sizes of ``--quick``.
QUICK_SIZES: tuple[int, ...] = (1_000, 5_000)


@dataclass(frozen=True)
class BenchOptions:
    """What the benchmark runs.

    Attributes
    ----------
    seed
        Seed of the parcel generator.
    scenario
        Scenario name or YAML file for the height limits and the scenario year.
    year
        Scenario year; the default (2028 of ``delayed``) has the airport's height limits
        in force, so the height stage does real work.
    as_of
        As-of date of the land analysis (ISO); None for today.
    isolate
        Run every size (and its generation) in a fresh process; False runs in this process
        (peak memory is then the process lifetime peak).
    profile_dir
        When set, every stage runs under :mod:`cProfile` and its statistics are written
        there (timings then include the profiler's overhead).
    data_dir
        When set, generated GeoPackages are kept there and reused by later runs with the
        same size and seed; by default they live in a temporary folder.
    """

    seed: int | None = None
    scenario: str = "delayed"
    year: int = 2028
    as_of: str | None = None
    isolate: bool = True
    profile_dir: str | None = None
    data_dir: str | None = None


def parse_sizes(text: str) -> tuple[int, ...]:
    """Sizes from ``"1000,10000"`` (underscores and ``k``/``m`` suffixes allowed).

    Raises
    ------
    ConfigError
        An entry is not a positive whole number.
    """
    sizes = []
    for raw in text.split(","):
        item = raw.strip().lower().replace("_", "")
        if not item:
            continue
        mult = 1
        if item[-1] in "km":
            mult = 1000 if item[-1] == "k" else 1_000_000
            item = item[:-1]
        try:
            value = int(float(item) * mult) if "." in item else int(item) * mult
        except ValueError:
            value = 0
        if value <= 0:
            raise ConfigError(
                f"--sizes takes positive parcel counts separated by commas, e.g. 1000,10000; got {raw.strip()!r}.",
                f"--sizes 应为逗号分隔的正整数宗地数，如 1000,10000；收到 {raw.strip()!r}。",
            )
        sizes.append(value)
    if not sizes:
        raise ConfigError("--sizes is empty; give e.g. --sizes 1000,10000.", "--sizes 为空；请给出如 --sizes 1000,10000。")
    return tuple(sizes)
