"""Tasks: the audited status machine, illegal moves naming task and field, overdue."""

import datetime as dt

import pytest

from lendcrm.errors import (
    GuardRefusedError,
    IllegalTransitionError,
    InvalidValueError,
    OutOfOrderTransitionError,
)
from lendcrm.lifecycle import replay, to_mermaid
from lendcrm.relationship.workflows import (
    TASK_STATUS,
    Task,
    TaskStatus,
    advance_task,
    mark_overdue,
)

D = dt.date(2026, 1, 5)


def _task(tid="T-1", due=dt.date(2026, 1, 15)):
    return Task(
        id=tid,
        client_id="C-1",
        action="annual_review",
        owner="RM-1",
        created_on=D,
        due_on=due,
        tier="gold",
        rule="annual_review",
    )


def test_the_table():
    assert {
        str(s): sorted(str(e) for e in row)
        for s, row in TASK_STATUS.transitions.items()
    } == {
        "open": ["cancel", "complete", "lapse", "start"],
        "in_progress": ["cancel", "complete", "lapse"],
        "overdue": ["cancel", "complete"],
    }
    assert TASK_STATUS.terminal == {TaskStatus.DONE, TaskStatus.CANCELLED}
    assert "open --> in_progress : start" in to_mermaid(TASK_STATUS)


def test_moves_are_audited_and_replay():
    t = advance_task(_task(), "start", on=D, actor="RM-1")
    t = advance_task(t, "lapse", on=dt.date(2026, 1, 16), actor="system")
    t = advance_task(t, "complete", on=dt.date(2026, 1, 20), actor="RM-1")
    assert t.status is TaskStatus.DONE
    assert t.closed_on == dt.date(2026, 1, 20)
    assert [(r.from_stage, r.to_stage, r.actor) for r in t.state.history.records] == [
        ("open", "in_progress", "RM-1"),
        ("in_progress", "overdue", "system"),
        ("overdue", "done", "RM-1"),
    ]
    t.state.history.verify()
    assert replay(TASK_STATUS, t.state.history) is TaskStatus.DONE
    assert t.state.history.entity_id == "T-1"


def test_illegal_move_names_task_and_field():
    t = advance_task(_task("T-9"), "cancel", on=D, reason="client declined")
    assert t.status is TaskStatus.CANCELLED
    with pytest.raises(IllegalTransitionError) as info:
        advance_task(t, "complete", on=D)
    assert str(info.value) == (
        "Cannot apply event 'complete' to a task 'T-9' (field `status`) in stage "
        "'cancelled'. Allowed events from 'cancelled': none ('cancelled' is terminal)."
    )


def test_overdue_cannot_restart():
    t = advance_task(_task(), "lapse", on=D)
    with pytest.raises(IllegalTransitionError) as info:
        advance_task(t, "start", on=D)
    assert str(info.value) == (
        "Cannot apply event 'start' to a task 'T-1' (field `status`) in stage "
        "'overdue'. Allowed events from 'overdue': complete, cancel."
    )


def test_cancel_needs_a_reason():
    with pytest.raises(GuardRefusedError) as info:
        advance_task(_task(), "cancel", on=D)
    assert str(info.value) == (
        "Guard 'reason_given' refused event 'cancel' in stage 'open': "
        "a written reason is required."
    )


def test_moves_cannot_go_back_in_time():
    t = advance_task(_task(), "start", on=dt.date(2026, 1, 10))
    with pytest.raises(OutOfOrderTransitionError):
        advance_task(t, "complete", on=dt.date(2026, 1, 9))


def test_due_before_created_names_task_and_field():
    with pytest.raises(InvalidValueError) as info:
        _task(due=dt.date(2026, 1, 1))
    assert str(info.value) == (
        "`task['T-1'].due_on` must be on or after created_on (2026-01-05); "
        "got datetime.date(2026, 1, 1)."
    )


def test_mark_overdue_lapses_live_tasks_past_due_only():
    live = _task("A")
    started = advance_task(_task("B"), "start", on=D)
    not_due = _task("C", due=dt.date(2026, 2, 1))
    done = advance_task(_task("D"), "complete", on=D)
    out = mark_overdue([live, started, not_due, done], as_of=dt.date(2026, 1, 16))
    assert [t.status.value for t in out] == ["overdue", "overdue", "open", "done"]
    assert out[0].state.history.records[-1].actor == "system"
    assert out[2] is not_due
