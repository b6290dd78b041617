"""The project's own layering and lint rules, checked mechanically.

Besides ruff and mypy, four rules read the product code (app.py, core/, parcels/, zones/,
geodata/, analysis/, bench/, ui/) with :mod:`ast`:

- layers: a module imports only its own or lower layers (core → parcels → zones → geodata →
  office → analysis → ui; bench and app at the top, nothing imports them). Every import counts:
  module level, inside functions, under ``TYPE_CHECKING``, ``import x``, ``from x import y``
  and relative imports.
- no import circles between modules. The graph has an edge for every import of a product
  module, module level or deferred inside a function (a deferred import that closes a circle
  still ties the two modules to each other); imports under ``TYPE_CHECKING`` are left out
  (they never run). Circles are the strongly connected components (Tarjan).
- no product module over 500 lines.
- no ``optional_module`` (fallback imports of modules that always exist).

Each rule has a self-test on a small synthetic tree, so the checker itself can fail.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORE_PACKAGES = ("core", "parcels", "zones", "analysis", "geodata", "office")
UI_IMPORT = re.compile(r"^\s*(import|from)\s+(streamlit|folium|streamlit_folium|branca)\b", re.M)


def test_analysis_layers_never_import_the_ui() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for pkg in CORE_PACKAGES
        for path in (ROOT / pkg).rglob("*.py")
        if UI_IMPORT.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], f"these modules import the UI layer: {offenders}"


def test_ruff_is_clean() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_is_clean(tmp_path: Path) -> None:
    """Type checking of the product code (settings in pyproject.toml); the cache is kept out of the tree."""
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "mypy-cache")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --- the checker ----------------------------------------------------------------------------------


#: Product code: the app's entry file and the packages (tests, scripts and docs are not product).
PRODUCT = ("app.py", "core", "parcels", "zones", "geodata", "office", "analysis", "bench", "ui")
#: Layers, low to high: a module imports only its own or lower layers. ``bench`` (a tool) and
#: ``app`` share the top: the benchmark may import the UI (its map-payload stage measures what the
#: app sends to the browser), and nothing imports either of them.
LAYER_RANK = {"core": 0, "parcels": 1, "zones": 2, "geodata": 3, "office": 4, "analysis": 5, "ui": 6, "bench": 7,
              "app": 7}
#: The most lines a product module may have.
MAX_LINES = 500


@dataclass(frozen=True)
class Import:
    """One import statement's edge: ``source`` imports ``target`` (both product modules or packages)."""

    source: str
    target: str
    line: int
    in_function: bool
    type_only: bool


def product_modules(root: Path) -> dict[str, Path]:
    """Dotted module name -> file, for every product module under ``root``."""
    modules: dict[str, Path] = {}
    for entry in PRODUCT:
        path = root / entry
        files = [path] if entry.endswith(".py") else sorted(path.rglob("*.py"))
        for file in files:
            if file.is_file():
                modules[_module_name(root, file)] = file
    return modules


def _module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> list[Import]:
    """Every import of a product module in ``path`` (module level, in functions, relative)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[Import] = []

    def target_of(base: str, alias: str) -> str:
        candidate = f"{base}.{alias}" if base else alias
        return candidate if candidate in modules else base

    def add(target: str, node: ast.stmt, in_function: bool, type_only: bool) -> None:
        if target.split(".")[0] in LAYER_RANK:
            found.append(Import(name, target, node.lineno, in_function, type_only))

    def visit(node: ast.AST, in_function: bool, type_only: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                for alias in child.names:
                    add(alias.name, child, in_function, type_only)
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    parts = package.split(".") if package else []
                    parts = parts[: len(parts) - (child.level - 1)] if child.level > 1 else parts
                    base = ".".join([*parts, child.module] if child.module else parts)
                else:
                    base = child.module or ""
                for alias in child.names:
                    add(target_of(base, alias.name), child, in_function, type_only)
            elif isinstance(child, ast.If) and _is_type_checking(child.test):
                for stmt in child.body:
                    visit(ast.Module(body=[stmt], type_ignores=[]), in_function, True)
                for stmt in child.orelse:
                    visit(ast.Module(body=[stmt], type_ignores=[]), in_function, type_only)
            elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                visit(child, True, type_only)
            else:
                visit(child, in_function, type_only)

    visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)), False, False)
    return found


def all_imports(root: Path) -> list[Import]:
    """Imports of product modules by every product module under ``root``."""
    modules = product_modules(root)
    return [imp for name, path in modules.items() for imp in imports_of(name, path, modules)]


def layer_of(module: str) -> str:
    """The layer (top-level package, or ``app``) of a dotted module name."""
    return module.split(".")[0]


def upward_imports(root: Path) -> list[str]:
    """``module:line imports target`` for every import of a higher layer."""
    return [
        f"{imp.source}:{imp.line} ({layer_of(imp.source)}) imports {imp.target} ({layer_of(imp.target)})"
        for imp in all_imports(root)
        if not may_import(layer_of(imp.source), layer_of(imp.target))
    ]


def may_import(source: str, target: str) -> bool:
    """True when layer ``source`` may import layer ``target`` (its own or a lower one)."""
    return source == target or LAYER_RANK[target] < LAYER_RANK[source]


def import_cycles(root: Path) -> list[list[str]]:
    """Import circles between product modules: each one as a path ``[a, b, ..., a]``."""
    modules = product_modules(root)
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for imp in all_imports(root):
        if not imp.type_only and imp.target in modules and imp.target != imp.source:
            graph[imp.source].add(imp.target)
    cycles = []
    for component in _strongly_connected(graph):
        if len(component) > 1:
            cycles.append(_cycle_through(sorted(component)[0], component, graph))
    return sorted(cycles)


def _strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's strongly connected components (iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            for succ in successors:
                if succ not in index:
                    index[succ] = low[succ] = len(index)
                    stack.append(succ)
                    on_stack.add(succ)
                    work.append((succ, iter(sorted(graph[succ]))))
                    break
                if succ in on_stack:
                    low[node] = min(low[node], index[succ])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    components.append(component)
    return components


def _cycle_through(start: str, component: set[str], graph: dict[str, set[str]]) -> list[str]:
    """A shortest path ``start -> ... -> start`` inside one strongly connected component."""
    previous: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for succ in sorted(graph[node] & component):
                if succ == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(previous[path[-1]])
                    return [*reversed(path), start]
                if succ not in previous:
                    previous[succ] = node
                    following.append(succ)
        frontier = following
    return sorted(component)


def long_modules(root: Path, limit: int = MAX_LINES) -> dict[str, int]:
    """Product modules over ``limit`` lines, with their line counts."""
    counts = {
        str(path.relative_to(root)): len(path.read_text(encoding="utf-8").splitlines())
        for path in product_modules(root).values()
    }
    return {path: n for path, n in sorted(counts.items()) if n > limit}


def optional_module_uses(root: Path) -> list[str]:
    """``file:line`` of every definition, call, import or mention of ``optional_module``."""
    uses = []
    for path in product_modules(root).values():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            named = (
                (isinstance(node, ast.FunctionDef) and node.name == "optional_module")
                or (isinstance(node, ast.Name) and node.id == "optional_module")
                or (isinstance(node, ast.Attribute) and node.attr == "optional_module")
                or (isinstance(node, ast.alias) and node.name == "optional_module")
            )
            if named:
                uses.append(f"{path.relative_to(root)}:{getattr(node, 'lineno', 0)}")
    return sorted(set(uses))


# --- the rules on the product code ----------------------------------------------------------------


def test_no_module_imports_a_higher_layer() -> None:
    offenders = upward_imports(ROOT)
    assert offenders == [], "imports of a higher layer:\n" + "\n".join(offenders)


def test_no_import_circles() -> None:
    cycles = import_cycles(ROOT)
    assert cycles == [], "import circles:\n" + "\n".join(" -> ".join(cycle) for cycle in cycles)


def test_no_product_module_over_500_lines() -> None:
    long = long_modules(ROOT)
    assert long == {}, f"modules over {MAX_LINES} lines: " + ", ".join(f"{p} ({n})" for p, n in long.items())


def test_no_optional_module() -> None:
    uses = optional_module_uses(ROOT)
    assert uses == [], f"optional_module (fallback imports of modules that always exist) at: {uses}"


# --- the rules catch a violation ------------------------------------------------------------------


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_layer_rule_catches_upward_imports_anywhere(tmp_path: Path) -> None:
    root = _tree(tmp_path, {
        "core/__init__.py": "",
        "core/a.py": "import os\nimport ui.m\nfrom . import b\n",
        "core/b.py": "def f():\n    from analysis import x\n    return x\n",
        "core/sub/__init__.py": "",
        "core/sub/c.py": "from .. import b\nfrom ..b import f\n",
        "analysis/__init__.py": "",
        "analysis/x.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from bench import stages\n",
        "ui/__init__.py": "",
        "ui/m.py": "from analysis.x import y\nimport bench.stages\n",
        "bench/__init__.py": "",
        "bench/stages.py": "from ui.m import z\nfrom analysis import x\n",
        "app.py": "from ui import m\nimport bench\n",
    })
    assert sorted(upward_imports(root)) == sorted([
        "core.a:2 (core) imports ui.m (ui)",
        "core.b:2 (core) imports analysis.x (analysis)",
        "analysis.x:3 (analysis) imports bench.stages (bench)",
        "ui.m:2 (ui) imports bench.stages (bench)",
        "app:2 (app) imports bench (bench)",
    ])
    relative = {imp.target for imp in all_imports(root) if imp.source == "core.sub.c"}
    assert relative == {"core.b"}


def test_circle_rule_lists_the_modules_of_a_circle(tmp_path: Path) -> None:
    root = _tree(tmp_path, {
        "core/__init__.py": "",
        "core/a.py": "from core import b\n",
        "core/b.py": "def f():\n    from core.c import g\n    return g\n",
        "core/c.py": "import core.a\n",
        "core/d.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from core.e import X\n",
        "core/e.py": "from core import d\n",
        "core/f.py": "from core import a\n",
    })
    assert import_cycles(root) == [["core.a", "core.b", "core.c", "core.a"]]


def test_size_rule_lists_modules_over_the_limit(tmp_path: Path) -> None:
    root = _tree(tmp_path, {
        "core/__init__.py": "",
        "core/big.py": "x = 1\n" * (MAX_LINES + 1),
        "core/limit.py": "x = 1\n" * MAX_LINES,
        "ui/pages/long.py": "x = 1\n" * 600,
        "tests/test_long.py": "x = 1\n" * 900,
    })
    assert long_modules(root) == {"core/big.py": MAX_LINES + 1, "ui/pages/long.py": 600}


def test_optional_module_rule_finds_definition_and_calls(tmp_path: Path) -> None:
    root = _tree(tmp_path, {
        "ui/__init__.py": "",
        "ui/data.py": "def optional_module(name):\n    return None\n",
        "ui/page.py": "from ui import data\n\n\ndef render():\n    return data.optional_module('analysis')\n",
        "ui/other.py": "from ui.data import optional_module\n",
        "ui/clean.py": "import importlib\n",
    })
    assert optional_module_uses(root) == ["ui/data.py:1", "ui/other.py:1", "ui/page.py:5"]
