"""The tour's #13 part A: one RM's morning runs and its counts hold together."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_rm_morning_prints_calendar_overdue_and_lapsed_clients(capsys):
    spec = importlib.util.spec_from_file_location(
        "tour_wf_a", ROOT / "examples" / "tour_wf_a.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    counts = module.rm_morning(n_clients=600, seed=3)
    out = capsys.readouterr().out
    assert f"{counts['clients']} clients" in out
    assert f"Due in the next 30 days: {counts['upcoming']} items" in out
    assert f"Overdue: {counts['overdue']} items" in out
    assert f"in their window: {counts['no_contact']}" in out
    assert counts["clients"] > 0
