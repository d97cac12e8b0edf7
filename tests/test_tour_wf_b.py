"""The tour's coverage part (examples/tour_wf_b.py): deterministic and consistent.

It prints the coverage of a seeded synthetic book, one RM's overdue tasks and a
rebalancing proposal; ``examples/tour.py``'s ``main()`` calls it.
"""

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def part() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "tour_wf_b", ROOT / "examples" / "tour_wf_b.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def output(part: ModuleType) -> str:
    import contextlib
    import io

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        part.coverage_tour()
    return buffer.getvalue()


def test_the_part_shows_coverage_overdue_tasks_and_a_rebalancing(output):
    assert "2,000 clients, 8 RMs" in output
    assert re.search(r"over capacity: RM-\d\d", output)
    assert re.search(r"RM-\d\d's overdue tasks \(\d+\), oldest first:", output)
    moved = re.search(r"Rebalancing: (\d+) clients move", output)
    assert moved is not None
    assert int(moved.group(1)) > 0
    assert "no RM over capacity after: True" in output


def test_the_part_is_deterministic(part, output):
    import contextlib
    import io

    again = io.StringIO()
    with contextlib.redirect_stdout(again):
        part.coverage_tour()
    assert again.getvalue() == output


def test_the_tour_calls_the_part():
    assert "tour_wf_b.py" in (ROOT / "examples" / "tour.py").read_text()
