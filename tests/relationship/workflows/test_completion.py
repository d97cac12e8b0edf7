"""Completion analytics: by hand, and the batch figures equal the one-group form."""

import datetime as dt
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lendcrm.errors import InvalidValueError
from lendcrm.relationship.workflows import (
    Task,
    advance_task,
    completion_by,
    completion_of,
    task_outcome,
)

AS_OF = dt.date(2026, 3, 1)
D0 = dt.date(2026, 1, 1)


def _columns(tasks, key):
    return (
        [getattr(t, key) for t in tasks],
        [t.status.value for t in tasks],
        [t.created_on for t in tasks],
        [t.due_on for t in tasks],
        [t.closed_on for t in tasks],
    )


def test_by_hand():
    """RM-1: done 2 days early (on time, 9 days), done 5 days late (20 days), live past
    due (overdue). RM-2: live not due (open), cancelled, done on the due day (on time,
    10 days). Medians: RM-1 (9 + 20) / 2 = 14.5; RM-2 10."""

    def task(tid, owner, due, created=D0):
        return Task(
            id=tid,
            client_id="C",
            action="a",
            owner=owner,
            created_on=created,
            due_on=due,
        )

    tasks = [
        advance_task(
            task("1", "RM-1", dt.date(2026, 1, 12)), "complete", on=dt.date(2026, 1, 10)
        ),
        advance_task(
            task("2", "RM-1", dt.date(2026, 1, 16)), "complete", on=dt.date(2026, 1, 21)
        ),
        task("3", "RM-1", dt.date(2026, 2, 1)),
        task("4", "RM-2", dt.date(2026, 4, 1)),
        advance_task(
            task("5", "RM-2", dt.date(2026, 2, 1)), "cancel", on=D0, reason="dup"
        ),
        advance_task(
            task("6", "RM-2", dt.date(2026, 1, 11)), "complete", on=dt.date(2026, 1, 11)
        ),
    ]
    c = completion_by(*_columns(tasks, "owner"), as_of=AS_OF)
    assert c.keys == ("RM-1", "RM-2")
    assert c.counts.tolist() == [[1, 1, 1, 0, 0], [1, 0, 0, 1, 1]]
    assert c.median_days_to_close.tolist() == [14.5, 10.0]
    assert [task_outcome(t, as_of=AS_OF) for t in tasks] == [
        "done_on_time",
        "done_late",
        "overdue",
        "open",
        "cancelled",
        "done_on_time",
    ]


EVENTS = st.lists(st.sampled_from(["start", "complete", "cancel", "lapse"]), max_size=3)


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["RM-1", "RM-2", "RM-3"]),
            st.sampled_from(["diamond", "gold", "basic"]),
            st.integers(0, 60),
            st.integers(0, 80),
            EVENTS,
        ),
        max_size=25,
    )
)
def test_batch_equals_one_group_per_rm_and_per_tier(rows):
    tasks = []
    for i, (owner, tier, due_in, step, events) in enumerate(rows):
        t = Task(
            id=str(i),
            client_id="C",
            action="a",
            owner=owner,
            tier=tier,
            created_on=D0,
            due_on=D0 + dt.timedelta(days=due_in),
        )
        on = D0
        for event in events:
            on += dt.timedelta(days=step // 3)
            if event in {str(e) for e in t.state.machine.allowed_events(t.status)}:
                t = advance_task(t, event, on=on, reason="r")
        tasks.append(t)
    for key in ("owner", "tier"):
        batch = completion_by(*_columns(tasks, key), as_of=AS_OF) if tasks else None
        groups = sorted({getattr(t, key) for t in tasks})
        if batch is None:
            continue
        assert batch.keys == tuple(groups)
        for row in batch.rows():
            one = completion_of(
                row.key, [t for t in tasks if getattr(t, key) == row.key], as_of=AS_OF
            )
            assert row.tasks == one.tasks
            assert (
                row.done_on_time,
                row.done_late,
                row.overdue,
                row.open,
                row.cancelled,
            ) == (one.done_on_time, one.done_late, one.overdue, one.open, one.cancelled)
            assert (
                math.isnan(row.median_days_to_close)
                and math.isnan(one.median_days_to_close)
            ) or row.median_days_to_close == one.median_days_to_close


def test_a_done_task_needs_its_closing_date():
    with pytest.raises(InvalidValueError) as info:
        completion_by(["RM-1"], ["done"], [D0], [D0], [None], as_of=AS_OF)
    assert str(info.value) == (
        "`closed_on[0]` must be the completion date of a done task; got None."
    )


def test_unknown_status():
    with pytest.raises(InvalidValueError) as info:
        completion_by(["RM-1"], ["finished"], [D0], [D0], [None], as_of=AS_OF)
    assert str(info.value).startswith(
        "`status[0]` must be one of 'open', 'in_progress'"
    )


def test_medians_are_vectorised_over_many_groups():
    rng = np.random.default_rng(1)
    n = 5000
    owners = rng.integers(0, 50, n).astype(str)
    days = rng.integers(0, 90, n)
    created = np.full(n, np.datetime64("2026-01-01"))
    closed = created + days.astype("timedelta64[D]")
    c = completion_by(
        owners,
        ["done"] * n,
        created,
        created + np.timedelta64(45, "D"),
        closed,
        as_of=AS_OF,
    )
    for key, med in zip(c.keys, c.median_days_to_close.tolist(), strict=True):
        assert med == float(np.median(days[owners == key]))
