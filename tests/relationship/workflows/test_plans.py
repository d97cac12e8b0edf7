"""Action plans: playbook templates, due dates per action and tier, tasks from actions."""

import datetime as dt
from collections.abc import Mapping

import numpy as np
import pytest

from lendcrm.errors import InvalidValueError, UnknownReferenceError
from lendcrm.lifecycle import PLAYBOOKS, ClientStage
from lendcrm.relationship.workflows import (
    PLAN_TEMPLATES,
    TaskStatus,
    due_dates,
    plan_tasks,
    tasks_from_actions,
)

AS_OF = dt.date(2026, 1, 1)


def test_templates_spread_the_playbook_steps_over_the_review_period():
    """Review period = months x 30 days; step i of n due at ceil(i x period / n)."""
    got = {str(s): [x.due_in_days for x in t.steps] for s, t in PLAN_TEMPLATES.items()}
    assert got == {
        "acquisition": [10, 20, 30],  # 1 month
        "activation": [30, 60, 90],  # 3 months
        "growth": [60, 120, 180],  # 6 months
        "maturity": [120, 240, 360],  # 12 months
        "decline": [10, 20, 30],  # 1 month
        "exited": [15, 30],  # no periodic review: 30 days
    }
    for stage, template in PLAN_TEMPLATES.items():
        assert [s.action for s in template.steps] == list(PLAYBOOKS[stage].actions)
        assert template.owner_role == PLAYBOOKS[stage].owner_role


def test_plan_tasks_opens_one_task_per_step():
    tasks = plan_tasks(
        "C-1", ClientStage.MATURITY, owner="RM-3", as_of=AS_OF, tier="gold"
    )
    assert [(t.id, t.due_on, t.status) for t in tasks] == [
        ("C-1/maturity/1", dt.date(2026, 5, 1), TaskStatus.OPEN),
        ("C-1/maturity/2", dt.date(2026, 8, 29), TaskStatus.OPEN),
        ("C-1/maturity/3", dt.date(2026, 12, 27), TaskStatus.OPEN),
    ]
    assert {t.owner for t in tasks} == {"RM-3"}
    assert {t.rule for t in tasks} == {"playbook:maturity"}


def test_plan_for_an_unknown_stage():
    with pytest.raises(UnknownReferenceError) as info:
        plan_tasks("C-1", "dormant", owner="RM-1", as_of=AS_OF)
    assert str(info.value).startswith(
        "No action-plan template with id 'dormant' (referenced by `stage`)."
    )


TABLE: dict[str, int | Mapping[str, int]] = {
    "limit_review": {"diamond": 5, "gold": 10, "silver": 20, "basic": 30},
    "call": 7,
}


def test_due_dates_by_action_and_tier():
    got = due_dates(
        ["limit_review", "call", "limit_review", "limit_review"],
        ["gold", "basic", "diamond", "basic"],
        as_of=AS_OF,
        due_in_days=TABLE,
    )
    assert got.astype(str).tolist() == [
        "2026-01-11",
        "2026-01-08",
        "2026-01-06",
        "2026-01-31",
    ]


def test_batch_due_dates_equal_row_by_row():
    rng = np.random.default_rng(0)
    actions = rng.choice(["limit_review", "call"], size=200).tolist()
    tiers = rng.choice(["diamond", "gold", "silver", "basic"], size=200).tolist()
    batch = due_dates(actions, tiers, as_of=AS_OF, due_in_days=TABLE)
    for a, t, d in zip(actions, tiers, batch.tolist(), strict=True):
        entry = TABLE[a]
        days = entry if isinstance(entry, int) else entry[t]
        assert d == AS_OF + dt.timedelta(days=days)


@pytest.mark.parametrize(
    ("table", "error", "message"),
    [
        (
            {"call": 7},
            UnknownReferenceError,
            "No due-in-days entry with id 'limit_review' (referenced by `actions[0]`).",
        ),
        (
            {"limit_review": {"gold": 3}, "call": 1},
            UnknownReferenceError,
            "No due-in-days entry with id 'limit_review/basic' (referenced by `tiers[0]`).",
        ),
        (
            {"limit_review": -3, "call": 1},
            InvalidValueError,
            "`due_in_days['limit_review']` must be an int >= 0 (days); got -3.",
        ),
        (
            {"limit_review": {"basic": -1}, "call": 1},
            InvalidValueError,
            "`due_in_days['limit_review']['basic']` must be an int >= 0 (days); got -1.",
        ),
    ],
)
def test_bad_due_table(table: dict[str, int | Mapping[str, int]], error, message):
    with pytest.raises(error) as info:
        due_dates(
            ["limit_review", "call"], ["basic", "gold"], as_of=AS_OF, due_in_days=table
        )
    assert str(info.value).startswith(message)


def test_tasks_from_actions_columns_and_objects():
    proposed = tasks_from_actions(
        ["C-1", "C-2", "C-3"],
        ["limit_review", "", "call"],
        ["diamond", "gold", "basic"],
        as_of=AS_OF,
        owners={"C-1": "RM-1", "C-3": "RM-2"},
        due_in_days=TABLE,
        rules=["limit_review", "", "no_contact"],
    )
    assert len(proposed) == 2
    tasks = proposed.tasks()
    assert [(t.id, t.owner, t.due_on, t.rule, t.tier) for t in tasks] == [
        (
            "C-1/limit_review/2026-01-01",
            "RM-1",
            dt.date(2026, 1, 6),
            "limit_review",
            "diamond",
        ),
        ("C-3/call/2026-01-01", "RM-2", dt.date(2026, 1, 8), "no_contact", "basic"),
    ]
    assert all(t.status is TaskStatus.OPEN for t in tasks)


def test_action_without_an_rm_names_the_client():
    with pytest.raises(InvalidValueError) as info:
        tasks_from_actions(
            ["C-1"], ["call"], ["gold"], as_of=AS_OF, owners={}, due_in_days=TABLE
        )
    assert str(info.value) == (
        "`owners['C-1']` must be the client's primary RM (the client has an action but "
        "no RM); got None. Cover the client first: see Coverage.uncovered()."
    )


def test_columns_of_different_lengths():
    with pytest.raises(InvalidValueError) as info:
        tasks_from_actions(
            ["C-1"],
            ["call", "call"],
            ["gold"],
            as_of=AS_OF,
            owners={"C-1": "RM-1"},
            due_in_days=TABLE,
        )
    assert (
        str(info.value)
        == "`actions` must be one value per client row (1); got 'length 2'."
    )


def test_an_unknown_action_is_named_by_its_row_in_the_input():
    """Row 1 has no action (skipped); the unknown action of row 2 is named as row 2."""
    with pytest.raises(UnknownReferenceError) as info:
        tasks_from_actions(
            ["C-1", "C-2", "C-3"],
            ["call", "", "visit"],
            ["gold", "gold", "gold"],
            as_of=AS_OF,
            owners={"C-1": "RM-1", "C-2": "RM-1", "C-3": "RM-1"},
            due_in_days=TABLE,
        )
    assert str(info.value).startswith(
        "No due-in-days entry with id 'visit' (referenced by `actions[2]`)."
    )


def test_an_unknown_tier_is_named_by_its_row_in_the_input():
    with pytest.raises(InvalidValueError) as info:
        tasks_from_actions(
            ["C-1", "C-2"],
            ["", "call"],
            ["gold", "platinum"],
            as_of=AS_OF,
            owners={"C-2": "RM-1"},
            due_in_days=TABLE,
        )
    assert str(info.value) == (
        "`tiers[1]` must be one of 'diamond', 'gold', 'silver', 'basic'; got 'platinum'."
    )
