"""The house stays standing: layers, risk areas, private names, cycles, file sizes.

The picture these tests keep true is drawn in ``docs/explanation/architecture.md``:

- the core (``lendcrm`` and its ``frames``/``synthetic`` folders) imports no subpackage;
- ``lifecycle``, ``segmentation`` and ``risk`` import no sibling and not ``relationship``;
- nothing in the library but ``relationship`` itself imports ``relationship``;
- ``plot`` draws the results of the layers below it and nothing imports ``plot``
  (like ``relationship``, only the user does);
- inside ``risk`` the areas import each other only downwards in ``RISK_AREA_RANK``;
- no module imports another module's underscored name, and a private module
  (``_name``) is imported only from its own layer (the core's private helper modules,
  such as ``lendcrm._arrays``, serve every layer);
- the module import graph has no cycle;
- no source file is over ``MAX_LINES`` lines;
- no function or method has a body over ``MAX_FUNCTION_LINES`` lines.

The checks read the source with :mod:`ast`, so they see imports inside functions too
(a deferred import still ties two modules together).
"""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "lendcrm"
SUBPACKAGES = ("lifecycle", "segmentation", "risk", "relationship", "plot")
MAX_LINES = 600
MAX_FUNCTION_LINES = 80

# Dependency order inside lendcrm.risk: an area may import areas of a lower rank only
# (rank 0 is the shared root of lendcrm.risk: its private helpers such as _vasicek).
RISK_AREA_RANK = {
    "": 0,
    "scoring": 1,
    "capital": 1,
    "portfolio": 1,
    "project_finance": 1,
    "schedules": 1,
    "pricing": 2,
    "impairment": 2,
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_package(path: Path) -> bool:
    return path.name == "__init__.py"


MODULES: dict[str, Path] = {
    _module_name(p): p for p in sorted((SRC / PACKAGE).rglob("*.py"))
}


def _resolve(module: str, path: Path, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = module.split(".")
    if not _is_package(path):
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _imports(module: str) -> list[tuple[str, str | None, int]]:
    """(imported module, imported name or None, line) for every lendcrm import."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[str, str | None, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend(
                (alias.name, None, node.lineno)
                for alias in node.names
                if alias.name.split(".")[0] == PACKAGE
            )
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, path, node)
            if target.split(".")[0] != PACKAGE:
                continue
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                if submodule in MODULES:  # `from lendcrm import risk` imports a module
                    found.append((submodule, None, node.lineno))
                else:
                    found.append((target, alias.name, node.lineno))
    return found


EDGES: dict[str, list[tuple[str, str | None, int]]] = {m: _imports(m) for m in MODULES}


def _layer(module: str) -> str:
    parts = module.split(".")
    if len(parts) > 1 and parts[1] in SUBPACKAGES:
        return parts[1]
    return "core"


def _risk_area(module: str) -> str | None:
    parts = module.split(".")
    if len(parts) < 2 or parts[1] != "risk":
        return None
    if len(parts) == 2 or parts[2].startswith("_"):
        return ""
    return parts[2]


def _violations(check: object) -> list[str]:
    out: list[str] = []
    for module, edges in EDGES.items():
        for target, name, line in edges:
            reason = check(module, target, name)  # type: ignore[operator]
            if reason:
                out.append(f"{MODULES[module].relative_to(SRC)}:{line}: {reason}")
    return out


def test_the_source_tree_is_found():
    assert "lendcrm.risk" in MODULES
    assert len(MODULES) > 50


def test_core_imports_no_subpackage():
    def check(module: str, target: str, _name: str | None) -> str:
        if _layer(module) == "core" and _layer(target) != "core" and module != PACKAGE:
            return f"core module {module} imports {target}"
        return ""

    assert _violations(check) == []


def test_subpackages_import_no_sibling():
    def check(module: str, target: str, _name: str | None) -> str:
        mine, theirs = _layer(module), _layer(target)
        if mine in {"lifecycle", "segmentation", "risk"} and theirs not in {
            "core",
            mine,
        }:
            return f"{mine} module {module} imports {target}"
        return ""

    assert _violations(check) == []


def test_only_relationship_imports_relationship():
    def check(module: str, target: str, _name: str | None) -> str:
        if _layer(target) == "relationship" and _layer(module) != "relationship":
            return f"{module} imports {target}"
        return ""

    assert _violations(check) == []


def test_nothing_imports_plot():
    def check(module: str, target: str, _name: str | None) -> str:
        if _layer(target) == "plot" and _layer(module) != "plot":
            return f"{module} imports {target}"
        return ""

    assert _violations(check) == []


def test_plot_does_not_import_relationship_internals():
    def check(module: str, target: str, _name: str | None) -> str:
        if _layer(module) == "plot" and _layer(target) == "relationship":
            return f"{module} imports {target}"
        return ""

    assert _violations(check) == []


def test_risk_areas_import_downwards_only():
    def check(module: str, target: str, _name: str | None) -> str:
        mine, theirs = _risk_area(module), _risk_area(target)
        if mine is None or theirs is None or mine == theirs:
            return ""
        if module == "lendcrm.risk":  # the map lists its areas
            return ""
        if RISK_AREA_RANK[theirs] >= RISK_AREA_RANK[mine]:
            return f"risk area {mine!r} imports area {theirs!r} ({target})"
        return ""

    assert _violations(check) == []


def test_every_risk_area_has_a_rank():
    areas = {_risk_area(m) for m in MODULES} - {None}
    assert areas == set(RISK_AREA_RANK)


def test_no_underscored_name_crosses_a_module():
    def check(module: str, target: str, name: str | None) -> str:
        if name is not None and name.startswith("_") and target != module:
            return f"imports {target}.{name}"
        return ""

    assert _violations(check) == []


def test_private_modules_stay_inside_their_layer():
    """Across layers only front doors and the core's private helper modules are used."""

    def check(module: str, target: str, _name: str | None) -> str:
        parts = target.split(".")
        for i, part in enumerate(parts):
            if part.startswith("_") and not part.startswith("__"):
                owner = ".".join(parts[:i])
                if owner != PACKAGE and _layer(module) != _layer(target):
                    return f"{module} reaches into {target} (private to {owner})"
        return ""

    assert _violations(check) == []


def _cycles() -> list[list[str]]:
    """Strongly connected components of the import graph with more than one module."""
    names = sorted(MODULES)
    pos = {m: i for i, m in enumerate(names)}
    rows, cols = [], []
    for module, edges in EDGES.items():
        for target, _name, _line in edges:
            # A package's __init__ re-exports its children, and a child may import
            # from its own package: edges up to an ancestor are that shape, not a cycle.
            if target in pos and not module.startswith(target + "."):
                rows.append(pos[module])
                cols.append(pos[target])
    graph = csr_matrix(
        (np.ones(len(rows)), (rows, cols)), shape=(len(names), len(names))
    )
    _n, labels = connected_components(graph, directed=True, connection="strong")
    components: dict[int, list[str]] = {}
    for name, label in zip(names, labels, strict=True):
        components.setdefault(int(label), []).append(name)
    return sorted(c for c in components.values() if len(c) > 1)


def test_no_import_cycle():
    assert _cycles() == []


def _line_count(module: str) -> int:
    return MODULES[module].read_text(encoding="utf-8").count("\n")


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_file_over_the_limit(module):
    lines = _line_count(module)
    assert lines <= MAX_LINES, f"{MODULES[module]} has {lines} lines (> {MAX_LINES})"


def _body_lines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """Lines from the first statement after the docstring to the function's end."""
    body = node.body
    first = body[0]
    if (
        len(body) > 1
        and isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    ):
        first = body[1]
    assert node.end_lineno is not None
    return node.end_lineno - first.lineno + 1


def _function_lines() -> dict[str, int]:
    """Body length of every function and method, keyed ``module.qualname``."""
    found: dict[str, int] = {}

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                found[prefix + child.name] = _body_lines(child)
                visit(child, f"{prefix}{child.name}.")
            elif isinstance(child, ast.ClassDef):
                visit(child, f"{prefix}{child.name}.")
            else:
                visit(child, prefix)

    for module, path in MODULES.items():
        visit(ast.parse(path.read_text(encoding="utf-8")), f"{module}.")
    return found


FUNCTION_LINES = _function_lines()


def test_functions_are_found():
    assert FUNCTION_LINES["lendcrm.risk.scoring._logistic.fit_logistic"] > 0
    assert "lendcrm.risk.scoring._logistic.LogisticModel.aic" in FUNCTION_LINES


def test_no_function_over_the_limit():
    too_long = {
        f"{f} ({n} lines)" for f, n in FUNCTION_LINES.items() if n > MAX_FUNCTION_LINES
    }
    assert too_long == set(), f"function bodies over {MAX_FUNCTION_LINES} lines"


# Each rule must be able to fail: one forbidden import per rule, added to the real
# graph, is reported.
_BROKEN = [
    (test_core_imports_no_subpackage, "lendcrm._arrays", "lendcrm.risk", None),
    (
        test_subpackages_import_no_sibling,
        "lendcrm.lifecycle._rules",
        "lendcrm.risk",
        None,
    ),
    (
        test_only_relationship_imports_relationship,
        "lendcrm.risk",
        "lendcrm.relationship",
        None,
    ),
    (test_nothing_imports_plot, "lendcrm.relationship", "lendcrm.plot", None),
    (
        test_plot_does_not_import_relationship_internals,
        "lendcrm.plot._scoring",
        "lendcrm.relationship",
        None,
    ),
    (
        test_risk_areas_import_downwards_only,
        "lendcrm.risk.capital._irb",
        "lendcrm.risk.pricing",
        None,
    ),
    (
        test_no_underscored_name_crosses_a_module,
        "lendcrm._dates",
        "lendcrm._arrays",
        "_x",
    ),
    (
        test_private_modules_stay_inside_their_layer,
        "lendcrm.relationship._view",
        "lendcrm.risk.capital._irb",
        None,
    ),
    (test_no_import_cycle, "lendcrm._arrays", "lendcrm._dates", None),
]


@pytest.mark.parametrize(("rule", "module", "target", "name"), _BROKEN)
def test_each_rule_reports_a_forbidden_import(monkeypatch, rule, module, target, name):
    edges = [*EDGES[module], (target, name, 1)]
    if rule is test_no_import_cycle:  # add the way back too, so the two form a loop
        monkeypatch.setitem(EDGES, target, [*EDGES[target], (module, None, 1)])
    monkeypatch.setitem(EDGES, module, edges)
    with pytest.raises(AssertionError):
        rule()


def test_relationship_workflows_do_not_import_the_relationship_root():
    """``relationship.workflows`` is composed by the root; it never imports it back."""
    area = f"{PACKAGE}.relationship.workflows"
    bad = [
        f"{module}:{line} imports {target}"
        for module in MODULES
        if module == area or module.startswith(f"{area}.")
        for target, _name, line in EDGES[module]
        if target.startswith(f"{PACKAGE}.relationship")
        and not (target == area or target.startswith(f"{area}."))
    ]
    assert not bad, bad
