"""Completion analytics of action plans: per RM or per tier, on time, late, overdue, open.

On a date ``as_of`` every task is in exactly one class (`task_outcome`):

- ``done_on_time``: done on or before its due date;
- ``done_late``: done after its due date;
- ``overdue``: marked overdue, or still open or in progress with its due date
  before ``as_of``;
- ``open``: open or in progress and not yet due;
- ``cancelled``.

`completion_by` counts the classes per group key (an RM id, a tier) in one
vectorised pass and takes the median days from opening to completion of the done
tasks; `completion_of` is the one-group counterpart over `Task` objects.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable, Sequence
from typing import Final

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import FloatArray, IntArray, enum_codes
from lendcrm._collections import object_column
from lendcrm._dates import as_of_day, check_as_of
from lendcrm._validators import require_instance
from lendcrm.errors import InvalidValueError
from lendcrm.relationship.workflows._tasks import Task, TaskStatus, task_sequence

__all__ = [
    "OUTCOMES",
    "Completion",
    "CompletionRow",
    "completion_by",
    "completion_of",
    "task_outcome",
]

#: The outcome classes, in column order.
OUTCOMES: Final = ("done_on_time", "done_late", "overdue", "open", "cancelled")
#: A date column: ``datetime64`` values, or ``datetime.date`` / ISO strings / ``None``.
DateColumn = npt.ArrayLike | Sequence[dt.date | str | None]
_STATUS = tuple(TaskStatus)
_DONE, _CANCELLED, _OVERDUE = (
    _STATUS.index(TaskStatus.DONE),
    _STATUS.index(TaskStatus.CANCELLED),
    _STATUS.index(TaskStatus.OVERDUE),
)


def task_outcome(task: Task, *, as_of: dt.date) -> str:
    """The outcome class of one task on ``as_of`` (one of `OUTCOMES`).

    Examples:
        >>> import datetime as dt
        >>> t = Task(id="T-1", client_id="C-1", action="call", owner="RM-1",
        ...          created_on=dt.date(2026, 1, 5), due_on=dt.date(2026, 1, 10))
        >>> task_outcome(t, as_of=dt.date(2026, 1, 10)), task_outcome(t, as_of=dt.date(2026, 1, 11))
        ('open', 'overdue')
    """
    check_as_of(as_of)
    require_instance(task, Task, name="task", what="a Task")
    status = task.status
    if status is TaskStatus.DONE:
        closed = task.closed_on
        return (
            "done_on_time"
            if closed is not None and closed <= task.due_on
            else "done_late"
        )
    if status is TaskStatus.CANCELLED:
        return "cancelled"
    if status is TaskStatus.OVERDUE or task.due_on < as_of:
        return "overdue"
    return "open"


@attrs.frozen(kw_only=True)
class CompletionRow:
    """The completion figures of one group (an RM, a tier).

    Attributes:
        key: The group key.
        tasks: Tasks in the group.
        done_on_time, done_late, overdue, open, cancelled: Tasks per outcome.
        median_days_to_close: Median days from opening to completion of the done
            tasks (NaN when none is done).
    """

    key: str
    tasks: int
    done_on_time: int
    done_late: int
    overdue: int
    open: int
    cancelled: int
    median_days_to_close: float


def completion_of(key: str, tasks: Iterable[Task], *, as_of: dt.date) -> CompletionRow:
    """The completion figures of one group of tasks (the one-group form).

    Examples:
        >>> import datetime as dt
        >>> from lendcrm.relationship.workflows import advance_task
        >>> t = Task(id="T-1", client_id="C-1", action="call", owner="RM-1",
        ...          created_on=dt.date(2026, 1, 5), due_on=dt.date(2026, 1, 10))
        >>> done = advance_task(t, "complete", on=dt.date(2026, 1, 8))
        >>> row = completion_of("RM-1", [done], as_of=dt.date(2026, 2, 1))
        >>> row.done_on_time, row.median_days_to_close
        (1, 3.0)
    """
    items = list(task_sequence(tasks, name="tasks"))
    counts = dict.fromkeys(OUTCOMES, 0)
    days: list[int] = []
    for task in items:
        counts[task_outcome(task, as_of=as_of)] += 1
        if task.status is TaskStatus.DONE and task.closed_on is not None:
            days.append((task.closed_on - task.created_on).days)
    return CompletionRow(
        key=key,
        tasks=len(items),
        median_days_to_close=float(statistics.median(days)) if days else float("nan"),
        **counts,
    )


@attrs.frozen(kw_only=True, eq=False)
class Completion:
    """Completion figures per group, as aligned arrays (groups sorted by key).

    Attributes:
        keys: The group keys, sorted.
        counts: Tasks per group (rows) and outcome (columns, in `OUTCOMES` order).
        median_days_to_close: Per group (NaN when none is done).
    """

    keys: tuple[str, ...]
    counts: IntArray
    median_days_to_close: FloatArray

    def rows(self) -> tuple[CompletionRow, ...]:
        """One `CompletionRow` per group (equals `completion_of` group by group)."""
        return tuple(
            CompletionRow(
                key=key,
                tasks=int(row.sum()),
                median_days_to_close=float(med),
                **dict(zip(OUTCOMES, (int(c) for c in row), strict=True)),
            )
            for key, row, med in zip(
                self.keys, self.counts, self.median_days_to_close.tolist(), strict=True
            )
        )


def _dates(values: object, name: str) -> npt.NDArray[np.datetime64]:
    try:
        return np.asarray(values, dtype="datetime64[D]").reshape(-1)
    except (TypeError, ValueError):
        raise InvalidValueError(
            field=name, value=type(values).__name__, expected="dates (datetime64[D])"
        ) from None


def _group_medians(group: IntArray, days: IntArray, n_groups: int) -> FloatArray:
    """Median of ``days`` per group code, vectorised (NaN for empty groups)."""
    out = np.full(n_groups, np.nan)
    if days.size == 0:
        return out
    order = np.lexsort((days, group))
    g, d = group[order], days[order].astype(np.float64)
    counts = np.bincount(g, minlength=n_groups)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    has = counts > 0
    lo = starts[has] + (counts[has] - 1) // 2
    hi = starts[has] + counts[has] // 2
    out[has] = (d[lo] + d[hi]) / 2
    return out


def completion_by(
    keys: Sequence[str] | npt.NDArray[np.object_],
    status: Sequence[str] | npt.NDArray[np.object_],
    created_on: DateColumn,
    due_on: DateColumn,
    closed_on: DateColumn,
    *,
    as_of: dt.date,
) -> Completion:
    """Completion figures per group key (RM or tier), vectorised over a book's tasks.

    Args:
        keys: Group key per task (its owner for per-RM figures, its tier for
            per-tier figures).
        status: Status value per task (`TaskStatus` values).
        created_on: Opening date per task.
        due_on: Due date per task.
        closed_on: Completion or cancellation date per task (NaT while live).
        as_of: The date the figures are for.

    Raises:
        InvalidValueError: columns of different lengths, an unknown status, or a
            done task without a closing date.

    Examples:
        >>> import datetime as dt
        >>> c = completion_by(
        ...     ["RM-1", "RM-1", "RM-2"], ["done", "open", "in_progress"],
        ...     ["2026-01-01", "2026-01-01", "2026-01-01"],
        ...     ["2026-01-10", "2026-01-20", "2026-01-05"],
        ...     ["2026-01-04", None, None], as_of=dt.date(2026, 1, 15))
        >>> c.keys, c.counts.tolist(), c.median_days_to_close.tolist()
        (('RM-1', 'RM-2'), [[1, 0, 0, 1, 0], [0, 0, 1, 0, 0]], [3.0, nan])
    """
    day = as_of_day(as_of)
    key_arr = object_column(keys, name="keys").astype(str)
    codes = enum_codes(object_column(status, name="status"), TaskStatus, name="status")[
        1
    ]
    created, due, closed = (
        _dates(created_on, "created_on"),
        _dates(due_on, "due_on"),
        _dates(closed_on, "closed_on"),
    )
    n = key_arr.shape[0]
    for name, arr in (
        ("status", codes),
        ("created_on", created),
        ("due_on", due),
        ("closed_on", closed),
    ):
        if arr.shape[0] != n:
            raise InvalidValueError(
                field=name,
                value=f"length {arr.shape[0]}",
                expected=f"one per task ({n})",
            )
    done = codes == _DONE
    if (done & np.isnat(closed)).any():
        i = int(np.argmax(done & np.isnat(closed)))
        raise InvalidValueError(
            field=f"closed_on[{i}]",
            value=None,
            expected="the completion date of a done task",
        )
    live = ~done & (codes != _CANCELLED)
    late_live = live & ((codes == _OVERDUE) | (due < day))
    outcome = np.select(
        [done & (closed <= due), done, late_live, live],
        [0, 1, 2, 3],
        default=4,
    )
    uniq, group = np.unique(key_arr, return_inverse=True)
    group = group.reshape(-1).astype(np.int64)
    counts = np.bincount(
        group * len(OUTCOMES) + outcome, minlength=len(uniq) * len(OUTCOMES)
    )
    days = (closed[done] - created[done]).astype(np.int64)
    return Completion(
        keys=tuple(uniq.tolist()),
        counts=counts.reshape(len(uniq), len(OUTCOMES)).astype(np.int64),
        median_days_to_close=_group_medians(group[done], days, len(uniq)),
    )
