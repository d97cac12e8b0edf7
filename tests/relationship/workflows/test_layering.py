"""The workflows package stands beside the relationship root, never on it.

`lendcrm.relationship.workflows` may import the core, `lendcrm.lifecycle`,
`lendcrm.segmentation` and `lendcrm.risk` front doors; it must not import the
`lendcrm.relationship` root or its private modules (the root composes workflows, so
the other direction would be a cycle).
"""

import ast
from pathlib import Path

PACKAGE = (
    Path(__file__).resolve().parents[3]
    / "src"
    / "lendcrm"
    / "relationship"
    / "workflows"
)


def _imported_modules(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append(node.module)
        elif isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
    return found


def test_workflows_import_no_relationship_root():
    bad = [
        f"{path.name}: {module}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for module in _imported_modules(path)
        if module.startswith("lendcrm.relationship")
        and not module.startswith("lendcrm.relationship.workflows")
    ]
    assert bad == []


def test_the_package_is_found():
    assert (PACKAGE / "__init__.py").exists()
