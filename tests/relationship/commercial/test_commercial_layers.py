"""The commercial area stands below the relationship root: it never imports it.

`lendcrm.relationship` composes its sub-areas (the client view may read commercial
results), so `lendcrm.relationship.commercial` may import the core, lifecycle,
segmentation and the risk front doors, but no other `lendcrm.relationship` module.
"""

from __future__ import annotations

import ast
from pathlib import Path

from lendcrm.relationship import commercial

HERE = Path(commercial.__file__).resolve().parent


def _imports(path: Path) -> list[str]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.append(node.module)
        elif isinstance(node, ast.Import):
            out.extend(a.name for a in node.names)
    return out


def test_commercial_does_not_import_the_relationship_root():
    bad = [
        f"{path.name}: {target}"
        for path in sorted(HERE.glob("*.py"))
        for target in _imports(path)
        if target.startswith("lendcrm.relationship")
        and not target.startswith("lendcrm.relationship.commercial")
    ]
    assert bad == []


def test_commercial_reads_other_layers_through_their_front_doors():
    bad = [
        f"{path.name}: {target}"
        for path in sorted(HERE.glob("*.py"))
        for target in _imports(path)
        if target.startswith(
            ("lendcrm.risk.", "lendcrm.lifecycle.", "lendcrm.segmentation.")
        )
        and "._" in target
    ]
    assert bad == []
