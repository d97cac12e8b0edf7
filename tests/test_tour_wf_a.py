"""The tour's #13 part: the team's coverage and one RM's morning (synthetic roster, tasks).

It replaces the two parts tour_wf_a (calendar, contacts) and tour_wf_b (coverage,
completion, rebalancing on a hand-built roster) with one, on the generator's roster.
"""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_rm_morning_prints_calendar_tasks_contacts_and_rebalancing(capsys):
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
    assert f"Overdue tasks: {counts['overdue_tasks']}, oldest first" in out
    assert f"in their window: {counts['no_contact']}" in out
    assert f"(relationship frame): {counts['flagged']}" in out
    assert f"the rebalancing moves {counts['moved']} of them" in out
    assert f"The team: 600 clients, {counts['rms']} RMs" in out
    assert counts["over_capacity"] >= 1
    assert "Tasks by RM" in out
    assert counts["clients"] > 0
    # the morning's RM is over capacity, so the proposal moves some of its clients
    assert counts["moved"] > 0


def test_the_tour_calls_the_part_once():
    text = (ROOT / "examples" / "tour.py").read_text()
    assert text.count("tour_wf_a.py") == 1
    assert "tour_wf_b.py" not in text
