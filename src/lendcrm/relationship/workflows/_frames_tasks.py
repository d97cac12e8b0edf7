"""pandas faces of action plans: the tasks frame and completion figures per RM or tier."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Final, Literal

import numpy as np
import pandas as pd

from lendcrm._collections import sequence_of
from lendcrm.errors import (
    BatchValidationError,
    InvalidRowsError,
    InvalidValueError,
    LendCRMError,
)
from lendcrm.frames import ColumnSpec, check_frame
from lendcrm.frames.columns import CLIENT_ID, CLOSED_ON, CREATED_ON, OWNER, STATUS
from lendcrm.relationship.workflows import columns as col
from lendcrm.relationship.workflows._completion import OUTCOMES, completion_by
from lendcrm.relationship.workflows._plans import ProposedTasks
from lendcrm.relationship.workflows._tasks import Task, TaskStatus

__all__ = ["check_tasks_frame", "completion_frame", "tasks_frame"]

_TASK_SPECS: Final = (
    ColumnSpec(name=col.TASK_ID, kind="str"),
    ColumnSpec(name=CLIENT_ID, kind="str"),
    ColumnSpec(name=col.ACTION, kind="str"),
    ColumnSpec(name=OWNER, kind="str"),
    ColumnSpec(name=col.CLIENT_TIER, kind="str", nullable=True),
    ColumnSpec(name=col.RULE, kind="str", nullable=True),
    ColumnSpec(
        name=STATUS, kind="category", allowed=tuple(s.value for s in TaskStatus)
    ),
    ColumnSpec(name=CREATED_ON, kind="date"),
    ColumnSpec(name=col.DUE_ON, kind="date"),
    ColumnSpec(name=CLOSED_ON, kind="date", nullable=True),
)
_COUNT_COLUMNS: Final = dict(
    zip(
        OUTCOMES,
        (col.DONE_ON_TIME, col.DONE_LATE, col.OVERDUE, col.OPEN, col.CANCELLED),
        strict=True,
    )
)


def _dates(values: object) -> pd.Series:
    return pd.Series(pd.to_datetime(values), dtype="datetime64[ns]")  # type: ignore[call-overload]


def tasks_frame(tasks: Iterable[Task] | ProposedTasks) -> pd.DataFrame:
    """One row per task: ids, owner, tier, rule, status and the three dates.

    Args:
        tasks: `Task` objects, or the columns of `tasks_from_actions` (all open).

    Examples:
        >>> import datetime as dt
        >>> t = Task(id="T-1", client_id="C-1", action="call", owner="RM-1",
        ...          created_on=dt.date(2026, 1, 5), due_on=dt.date(2026, 1, 10))
        >>> tasks_frame([t])[["task_id", "status", "due_on", "closed_on"]].iloc[0].tolist()
        ['T-1', 'open', Timestamp('2026-01-10 00:00:00'), NaT]
    """
    if isinstance(tasks, ProposedTasks):
        n = len(tasks)
        data = {
            col.TASK_ID: tasks.ids,
            CLIENT_ID: tasks.client_ids,
            col.ACTION: tasks.actions,
            OWNER: tasks.owners,
            col.CLIENT_TIER: tasks.tiers,
            col.RULE: tasks.rules,
            STATUS: np.full(n, TaskStatus.OPEN.value, dtype=object),
            CREATED_ON: [tasks.created_on] * n,
            col.DUE_ON: tasks.due_on,
            CLOSED_ON: [None] * n,
        }
    else:
        rows = sequence_of(tasks, Task, name="tasks", what="Task")
        data = {
            col.TASK_ID: [t.id for t in rows],
            CLIENT_ID: [t.client_id for t in rows],
            col.ACTION: [t.action for t in rows],
            OWNER: [t.owner for t in rows],
            col.CLIENT_TIER: [t.tier for t in rows],
            col.RULE: [t.rule for t in rows],
            STATUS: [t.status.value for t in rows],
            CREATED_ON: [t.created_on for t in rows],
            col.DUE_ON: [t.due_on for t in rows],
            CLOSED_ON: [t.closed_on for t in rows],
        }
    dates = (CREATED_ON, col.DUE_ON, CLOSED_ON)
    return pd.DataFrame(
        {
            k: _dates(v) if k in dates else pd.Series(v, dtype=object)
            for k, v in data.items()
        }
    )


def check_tasks_frame(frame: pd.DataFrame) -> None:
    """Check a tasks frame: unique task ids, known statuses, dates in order.

    Raises:
        SchemaError: missing columns or wrong dtypes.
        BatchValidationError: one `InvalidRowsError` per failing rule, naming the
            first offending rows: an unknown status, a due date before the opening
            date, a done task without a closing date.

    Examples:
        >>> import pandas as pd
        >>> f = pd.DataFrame({"task_id": ["T-1"], "client_id": ["C-1"], "action": ["call"],
        ...     "owner": ["RM-1"], "tier": ["gold"], "rule": ["call"], "status": ["closed"],
        ...     "created_on": pd.to_datetime(["2026-01-01"]),
        ...     "due_on": pd.to_datetime(["2026-01-05"]), "closed_on": pd.to_datetime([None])})
        >>> check_tasks_frame(f)
        Traceback (most recent call last):
        ...
        lendcrm.errors.BatchValidationError: 1 of 1 rows are invalid: `tasks[0].status` must be one of 'cancelled', 'done', 'in_progress', 'open', 'overdue'; got 'closed'. 1 row fails this rule: 0. (1 sub-exception)
    """
    check_frame(frame, _TASK_SPECS, frame_name="tasks", unique=(col.TASK_ID,))
    errors: list[LendCRMError] = []
    rules = (
        (
            col.DUE_ON,
            frame[col.DUE_ON] < frame[CREATED_ON],
            "on or after created_on",
        ),
        (
            CLOSED_ON,
            (frame[STATUS] == TaskStatus.DONE.value) & frame[CLOSED_ON].isna(),
            "the completion date of a done task",
        ),
        (
            CLOSED_ON,
            frame[CLOSED_ON] < frame[CREATED_ON],
            "on or after created_on",
        ),
    )
    for column, mask, expected in rules:
        bad = mask.to_numpy(dtype=bool)
        if bad.any():
            labels = list(frame.index[bad])
            errors.append(
                InvalidRowsError(
                    frame="tasks",
                    column=column,
                    rows=labels,
                    count=len(labels),
                    value=frame.loc[labels[0], column],
                    expected=expected,
                )
            )
    if errors:
        raise BatchValidationError(errors, total=len(frame))


def completion_frame(
    frame: pd.DataFrame,
    *,
    as_of: dt.date,
    by: Literal["owner", "tier"] = "owner",
) -> pd.DataFrame:
    """Completion figures per RM (``by="owner"``) or per tier, from a tasks frame.

    Columns: the key, ``tasks``, ``done_on_time``, ``done_late``, ``overdue``,
    ``open``, ``cancelled``, ``median_days_to_close``; one row per key, sorted.

    Raises:
        InvalidValueError: ``by`` is neither ``owner`` nor ``tier``.

    Examples:
        >>> import datetime as dt
        >>> from lendcrm.relationship.workflows import advance_task
        >>> def task(tid):
        ...     return Task(id=tid, client_id="C-1", action="call", owner="RM-1",
        ...                 created_on=dt.date(2026, 1, 5), due_on=dt.date(2026, 1, 10))
        >>> done = advance_task(task("T-1"), "complete", on=dt.date(2026, 1, 12))
        >>> frame = completion_frame(tasks_frame([done, task("T-2")]), as_of=dt.date(2026, 2, 1))
        >>> frame.to_dict("records")
        [{'owner': 'RM-1', 'tasks': 2, 'done_on_time': 0, 'done_late': 1, 'overdue': 1, 'open': 0, 'cancelled': 0, 'median_days_to_close': 7.0}]
    """
    keys = {"owner": OWNER, "tier": col.CLIENT_TIER}
    if by not in keys:
        raise InvalidValueError(field="by", value=by, expected="'owner' or 'tier'")
    check_tasks_frame(frame)
    key = keys[by]
    result = completion_by(
        frame[key].fillna("").to_numpy(dtype=object),
        frame[STATUS].astype(str).to_numpy(dtype=object),
        frame[CREATED_ON].to_numpy(dtype="datetime64[D]"),
        frame[col.DUE_ON].to_numpy(dtype="datetime64[D]"),
        frame[CLOSED_ON].to_numpy(dtype="datetime64[D]"),
        as_of=as_of,
    )
    out = pd.DataFrame({key: pd.Series(result.keys, dtype=object)})
    out[col.TASKS] = result.counts.sum(axis=1)
    for j, outcome in enumerate(OUTCOMES):
        out[_COUNT_COLUMNS[outcome]] = result.counts[:, j]
    out[col.MEDIAN_DAYS_TO_CLOSE] = result.median_days_to_close
    return out
