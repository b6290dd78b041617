"""Running one measurement in a fresh Python process, so its peak memory is its own.

A plain subprocess (``python -m bench.isolate CALL.json RESULT.json``) rather than
:mod:`multiprocessing`: a ``spawn`` child would re-run the parent's ``__main__``
(``python -m bench``). The function is named by module and name; arguments and result
travel as JSON files.
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bench.options import BenchOptions

__all__ = ["in_process"]

log = logging.getLogger(__name__)

_ROOT = Path(__file__).resolve().parent.parent


def in_process(isolate: bool, fn: Callable[..., dict[str, Any]], *args: Any, **kwargs: Any) -> dict[str, Any]:
    """``fn(*args, **kwargs)`` in a fresh Python process (or here when not isolating).

    ``fn`` is a module-level function of the project; its arguments are JSON-able values,
    paths and :class:`~bench.options.BenchOptions`, its result is JSON-able.

    Raises
    ------
    RuntimeError
        The worker process failed (its traceback is on stderr).
    """
    if not isolate:
        return fn(*args, **kwargs)
    with tempfile.TemporaryDirectory(prefix="huli-bench-call-") as tmp:
        spec, result = Path(tmp) / "call.json", Path(tmp) / "result.json"
        call = {"module": fn.__module__, "fn": fn.__name__, "args": _plain(args), "kwargs": _plain(kwargs)}
        spec.write_text(json.dumps(call), encoding="utf-8")
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(_ROOT), env.get("PYTHONPATH", "")) if p)
        verbose = ["--verbose"] if log.isEnabledFor(logging.INFO) else []
        proc = subprocess.run([sys.executable, "-m", "bench.isolate", str(spec), str(result), *verbose], env=env,
                              cwd=os.getcwd(), check=False)
        if proc.returncode != 0 or not result.exists():
            raise RuntimeError(f"benchmark worker {fn.__name__}{args} failed with exit code {proc.returncode}")
        return dict(json.loads(result.read_text(encoding="utf-8")))


def _plain(value: Any) -> Any:
    """Arguments as JSON: paths as strings, options as a tagged dict."""
    if isinstance(value, BenchOptions):
        return {"__options__": asdict(value)}
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _unplain(value: Any) -> Any:
    if isinstance(value, dict):
        if "__options__" in value:
            return BenchOptions(**value["__options__"])
        return {k: _unplain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_unplain(v) for v in value]
    return value


def _worker(argv: Sequence[str]) -> int:
    """Entry of a worker process: ``python -m bench.isolate CALL.json RESULT.json [--verbose]``."""
    spec_path, result_path = argv[:2]
    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    if not str(spec["module"]).startswith("bench."):
        raise ValueError(f"the benchmark worker runs bench functions only, not {spec['module']}")
    fn = getattr(importlib.import_module(spec["module"]), spec["fn"])
    out = fn(*_unplain(spec["args"]), **_unplain(spec["kwargs"]))
    Path(result_path).write_text(json.dumps(out, allow_nan=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO if "--verbose" in sys.argv[3:] else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    raise SystemExit(_worker(sys.argv[1:]))
