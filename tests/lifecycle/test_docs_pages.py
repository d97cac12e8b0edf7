"""The checked-in diagrams and tables of the lifecycle pages equal the machines."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from lendcrm.lifecycle import to_mermaid

ROOT = Path(__file__).resolve().parents[2]


def _script() -> ModuleType:
    path = ROOT / "docs" / "scripts" / "lifecycle_pages.py"
    spec = importlib.util.spec_from_file_location("lifecycle_pages", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SCRIPT = _script()


@pytest.mark.parametrize("relative", sorted(SCRIPT.PAGES))
def test_checked_in_block_equals_the_generated_one(relative):
    machine = SCRIPT.PAGES[relative]
    text = (ROOT / "docs" / relative).read_text(encoding="utf-8")
    block = SCRIPT.current_block(text)
    assert block, f"{relative} has no generated block"
    assert block == SCRIPT.render_block(machine), (
        f"{relative} drifted from {machine.name}: run "
        "`.venv/bin/python docs/scripts/lifecycle_pages.py`"
    )
    assert to_mermaid(machine).rstrip("\n") in block


def test_check_mode_reports_no_drift():
    assert SCRIPT.main(["--check"]) == 0
