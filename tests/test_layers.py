"""The packages are layers and imports run only downward (DESIGN.md, "Layout").

core <- options <- pricing <- analysis <- plot <- shell (report, scenario, cli), with
``tco/__init__.py`` on top. ``pricing`` sits above ``options`` because the catalog builds
options (``prices.vendor_api(...)``); options read catalog rows without importing it.
A module may import from its own layer or below; a function may also import ``tco.plot``
lazily (a result's ``.plot()``). No import cycles, and no private name taken from another
package.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "tco"

LAYERS = {"core": 0, "options": 1, "pricing": 2, "analysis": 3, "plot": 4}
SHELL = 5
TOP = 6


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def package_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def layer_of(module: str) -> int:
    if module == "tco":
        return TOP
    return LAYERS.get(package_of(module), SHELL)


def imports(path: Path) -> list[tuple[str, tuple[str, ...], bool, int]]:
    """(imported module, names, inside a function, line) for every ``tco`` import."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
                if child.module == "tco" or child.module.startswith("tco."):
                    names = tuple(a.name for a in child.names)
                    found.append((child.module, names, in_function, child.lineno))
            elif isinstance(child, ast.Import):
                for alias in child.names:
                    if alias.name.startswith("tco"):
                        found.append((alias.name, (), in_function, child.lineno))
            visit(child, inner)

    visit(tree, False)
    return found


def in_type_checking(path: Path, line: int) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(
        isinstance(node, ast.If)
        and "TYPE_CHECKING" in ast.unparse(node.test)
        and node.lineno <= line <= (node.end_lineno or node.lineno)
        for node in ast.walk(tree)
    )


MODULES = sorted(PACKAGE.rglob("*.py"))
KNOWN = {module_name(p) for p in MODULES}


def target(module: str, names: tuple[str, ...]) -> list[str]:
    """The modules an import statement reaches: ``from tco import plot`` -> ``tco.plot``,
    ``from tco.pricing import csvtext`` -> ``tco.pricing.csvtext``."""
    subs = [f"{module}.{n}" for n in names if f"{module}.{n}" in KNOWN]
    rest = [n for n in names if f"{module}.{n}" not in KNOWN]
    if module == "tco":
        return subs + [f"tco.{n}" for n in rest]
    return subs + ([module] if rest or not names else [])


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_imports_run_downward(path: Path) -> None:
    me = module_name(path)
    mine = layer_of(me)
    for module, names, in_function, line in imports(path):
        for reached in target(module, names):
            theirs = layer_of(reached)
            if theirs <= mine or in_type_checking(path, line):
                continue
            lazy_plot = in_function and reached.startswith("tco.plot")
            assert lazy_plot, f"{me} (line {line}) imports {reached}, a layer above it"
        if package_of(me) == "core":
            assert all(package_of(r) == "core" for r in target(module, names)), (
                f"{me} (line {line}): core imports only core, not {module}"
            )


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_no_private_name_from_another_package(path: Path) -> None:
    me = module_name(path)
    for module, names, _, line in imports(path):
        if package_of(module) == package_of(me):
            continue
        private = [n for n in names if n.startswith("_") and not n.endswith("__")]
        private += [p for p in module.split(".") if p.startswith("_") and not p.endswith("__")]
        assert not private, f"{me} (line {line}) takes private {private} from {module}"


def test_no_import_cycles() -> None:
    graph: dict[str, set[str]] = {}
    for path in MODULES:
        me = module_name(path)
        graph[me] = {
            r
            for module, names, in_function, line in imports(path)
            if not in_function and not in_type_checking(path, line)
            for r in target(module, names)
            if r != me
        }
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if nxt not in graph:
                continue
            if state.get(nxt) == 1:
                cycle = [*trail[trail.index(nxt) :], nxt] if nxt in trail else [node, nxt]
                pytest.fail(f"import cycle: {' -> '.join(cycle)}")
            if nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])


def test_the_layer_test_sees_an_upward_import(tmp_path: Path) -> None:
    """The checks above read imports as written: one from core to analysis is found."""
    fake = tmp_path / "mod.py"
    fake.write_text("from tco.analysis.simulate import simulate\n", encoding="utf-8")
    (module, _, in_function, _), *_ = imports(fake)
    assert layer_of(module) > layer_of("tco.core.ledger") and not in_function


LEDGER_ONLY = ("cumsum(", "** -", "REL_TOL", "break_even_months(", "monthly_rate(")
"""What only the ledger does: running sums of months, discount factors, the break-even
tolerance and kernel."""


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_only_the_ledger_adds_up_and_discounts(path: Path) -> None:
    if module_name(path).startswith("tco.core.ledger"):
        return
    code = [
        (i, line)
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if not line.lstrip().startswith("#")
    ]
    found = [(i, token) for i, line in code for token in LEDGER_ONLY if token in line]
    docstring_lines = _docstring_lines(path)
    found = [(i, t) for i, t in found if i not in docstring_lines]
    assert not found, f"{module_name(path)}: {found} belong in tco.core.ledger"


def _docstring_lines(path: Path) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        value = getattr(node, "value", None) if isinstance(node, ast.Expr) else None
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            lines.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
    return lines
