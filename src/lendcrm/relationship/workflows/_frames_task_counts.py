"""Open and overdue tasks per client: the task columns of the client view (#13).

A task is *live* while open, in progress or marked overdue; a live task is *overdue*
on ``as_of`` when marked so or due before ``as_of`` (the ``overdue`` class of
`lendcrm.relationship.workflows.task_outcome`). Per client: the live tasks, the
overdue ones and the days the oldest overdue task is past its due date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Sequence

import numpy as np
import pandas as pd

from lendcrm._collections import object_column
from lendcrm._dates import as_of_day
from lendcrm.errors import InvalidValueError, UnknownReferenceError
from lendcrm.frames.columns import CLIENT_ID, OWNER, STATUS
from lendcrm.relationship.workflows import columns as col
from lendcrm.relationship.workflows._frames_tasks import check_tasks_frame, tasks_frame
from lendcrm.relationship.workflows._tasks import Task, TaskStatus

__all__ = ["client_tasks_frame"]

_LIVE = (TaskStatus.OPEN.value, TaskStatus.IN_PROGRESS.value, TaskStatus.OVERDUE.value)


def _check_owners(frame: pd.DataFrame, known: Collection[str]) -> None:
    owner = frame[OWNER].astype(str)
    bad = ~owner.isin(list(known)).to_numpy(dtype=bool)
    if bad.any():
        i = int(np.argmax(bad))
        raise UnknownReferenceError(
            kind="relationship manager",
            key=owner.iloc[i],
            field=f"client {frame[CLIENT_ID].iloc[i]!r}: tasks[{frame.index[i]!r}].owner",
            known=sorted(known),
        )


def client_tasks_frame(
    tasks: pd.DataFrame | Iterable[Task],
    client_ids: Sequence[str] | pd.Index[str],
    *,
    as_of: dt.date,
    relationship_managers: Collection[str] | None = None,
) -> pd.DataFrame:
    """Live and overdue tasks per client on ``as_of``, one row per client.

    Args:
        tasks: A tasks frame (`tasks_frame` columns) or `Task` objects.
        client_ids: The clients, in the output's order; every task's client must be
            among them.
        as_of: The date the counts are for.
        relationship_managers: The bank's RM ids; when given, a task owned by an RM
            not in the list is refused.

    Returns:
        A frame indexed by ``client_id``: ``open_tasks`` (live: open, in progress or
        overdue), ``overdue_tasks`` and ``oldest_overdue_days`` (days the oldest
        overdue task is past its due date; 0 without one).

    Raises:
        SchemaError, BatchValidationError: a tasks frame that fails
            `check_tasks_frame`.
        UnknownReferenceError: a task for a client not in ``client_ids``, or owned by
            an RM not in ``relationship_managers`` (names the client and the row).

    Examples:
        >>> t = Task(id="T-1", client_id="C-1", action="call", owner="RM-1",
        ...          created_on=dt.date(2026, 1, 5), due_on=dt.date(2026, 1, 10))
        >>> client_tasks_frame([t], ["C-1", "C-2"], as_of=dt.date(2026, 1, 31)).to_dict("index")
        {'C-1': {'open_tasks': 1, 'overdue_tasks': 1, 'oldest_overdue_days': 21}, 'C-2': {'open_tasks': 0, 'overdue_tasks': 0, 'oldest_overdue_days': 0}}
    """
    day = as_of_day(as_of)
    frame = tasks if isinstance(tasks, pd.DataFrame) else tasks_frame(tasks)
    index = pd.Index(
        object_column(client_ids, name="client_ids"), dtype=object, name=CLIENT_ID
    )
    missing = index.isna()
    if missing.any():
        i = int(np.argmax(missing))
        raise InvalidValueError(
            field=f"client_ids[{i}]",
            value=index[i],
            expected="a client id, not missing",
        )
    if not index.is_unique:
        i = int(np.argmax(index.duplicated()))
        raise InvalidValueError(
            field=f"client_ids[{i}]",
            value=index[i],
            expected="a client id no earlier entry has (one row per client)",
        )
    n = len(index)
    if (
        len(frame) == 0
    ):  # no tasks: every count is 0 (an empty frame has no rows to check)
        zeros = np.zeros(n, dtype=np.int64)
        names = (col.OPEN_TASKS, col.OVERDUE_TASKS, col.OLDEST_OVERDUE_DAYS)
        return pd.DataFrame(dict.fromkeys(names, zeros), index=index)
    check_tasks_frame(frame)
    rows = index.get_indexer(pd.Index(frame[CLIENT_ID].astype(str)))
    if (rows < 0).any():
        i = int(np.argmax(rows < 0))
        raise UnknownReferenceError(
            kind="client",
            key=frame[CLIENT_ID].iloc[i],
            field=f"tasks[{frame.index[i]!r}].client_id",
        )
    if relationship_managers is not None:
        _check_owners(frame, relationship_managers)
    status = frame[STATUS].astype(str).to_numpy(dtype=object)
    due = frame[col.DUE_ON].to_numpy(dtype="datetime64[D]")
    live = np.isin(status, _LIVE)
    late = live & ((status == TaskStatus.OVERDUE.value) | (due < day))
    oldest = np.zeros(n, dtype=np.int64)
    days = np.maximum((day - due[late]).astype(np.int64), 0)
    np.maximum.at(oldest, rows[late], days)
    return pd.DataFrame(
        {
            col.OPEN_TASKS: np.bincount(rows[live], minlength=n).astype(np.int64),
            col.OVERDUE_TASKS: np.bincount(rows[late], minlength=n).astype(np.int64),
            col.OLDEST_OVERDUE_DAYS: oldest,
        },
        index=index,
    )
