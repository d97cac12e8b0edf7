"""Tasks of an action plan and their audited status machine.

A `Task` is one thing the relationship team owes a client: an action code, an owner
(the client's RM), a due date. Its status moves through `TASK_STATUS`, a machine of
the lifecycle engine (`lendcrm.lifecycle.Machine`): open → in progress → done, or
cancelled (with a written reason), or overdue when the due date passes (an overdue
task can still be done, late, or cancelled). Every move is a record of the task's
hash-chained `lendcrm.lifecycle.History`, so the status is audited like a client's
stage.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Final

import attrs

from lendcrm._dates import check_as_of
from lendcrm._validators import identifier, is_date, non_empty_str, require_instance
from lendcrm.errors import IllegalTransitionError, InvalidValueError
from lendcrm.lifecycle import (
    Guard,
    LifecycleState,
    Machine,
    advance,
    reason_required,
    start,
)

__all__ = [
    "TASK_STATUS",
    "Task",
    "TaskEvent",
    "TaskStatus",
    "advance_task",
    "mark_overdue",
]


class TaskStatus(StrEnum):
    """Status of a task: open, in progress, done, cancelled, overdue.

    Examples:
        >>> [s.value for s in TaskStatus]
        ['open', 'in_progress', 'done', 'cancelled', 'overdue']
    """

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"
    OVERDUE = "overdue"


class TaskEvent(StrEnum):
    """What moves a task: start, complete, cancel, lapse (the due date passed).

    Examples:
        >>> TaskEvent("lapse")
        <TaskEvent.LAPSE: 'lapse'>
    """

    START = "start"
    COMPLETE = "complete"
    CANCEL = "cancel"
    LAPSE = "lapse"


_S, _E = TaskStatus, TaskEvent

#: Task statuses: open → in progress → done; cancel (with a reason) or lapse into
#: overdue from open or in progress; an overdue task is completed late or cancelled.
TASK_STATUS: Final[Machine[TaskStatus, TaskEvent]] = Machine(
    name="task_status",
    subject="task",
    stages=TaskStatus,
    events=TaskEvent,
    initial=_S.OPEN,
    terminal={_S.DONE, _S.CANCELLED},
    transitions={
        _S.OPEN: {
            _E.START: _S.IN_PROGRESS,
            _E.COMPLETE: _S.DONE,
            _E.CANCEL: _S.CANCELLED,
            _E.LAPSE: _S.OVERDUE,
        },
        _S.IN_PROGRESS: {
            _E.COMPLETE: _S.DONE,
            _E.CANCEL: _S.CANCELLED,
            _E.LAPSE: _S.OVERDUE,
        },
        _S.OVERDUE: {_E.COMPLETE: _S.DONE, _E.CANCEL: _S.CANCELLED},
    },
    guards=[
        Guard(name="reason_given", stage=stage, event=_E.CANCEL, check=reason_required)
        for stage in (_S.OPEN, _S.IN_PROGRESS, _S.OVERDUE)
    ],
)

TaskState = LifecycleState[TaskStatus, TaskEvent]


def _new_state(task: Task) -> TaskState:
    return start(TASK_STATUS, entity_id=task.id)


@attrs.frozen(kw_only=True)
class Task:
    """One task of an action plan, with its audited status.

    Attributes:
        id: Stable task id.
        client_id: The client it is for.
        action: The action code (a next-best-action rule's name, or a playbook step).
        owner: Id of the RM who owns it (the client's primary RM).
        created_on: Business date it was opened.
        due_on: Business date it is due (on or after ``created_on``).
        tier: The client's tier value when the task was opened ("" if unknown).
        rule: The rule or template that produced it ("" if entered by hand).
        state: Its status and audit history (starts open with an empty history).

    Raises:
        InvalidValueError: an empty id, client, action or owner, a date that is not
            a ``datetime.date``, or ``due_on`` before ``created_on``.

    Examples:
        >>> import datetime as dt
        >>> t = Task(id="T-1", client_id="C-1", action="annual_review", owner="RM-1",
        ...          created_on=dt.date(2026, 1, 5), due_on=dt.date(2026, 2, 4))
        >>> t.status, t.closed_on
        (<TaskStatus.OPEN: 'open'>, None)
    """

    id: str = attrs.field(validator=identifier)
    client_id: str = attrs.field(validator=identifier)
    action: str = attrs.field(validator=non_empty_str)
    owner: str = attrs.field(validator=non_empty_str)
    created_on: dt.date = attrs.field(validator=is_date)
    due_on: dt.date = attrs.field(validator=is_date)
    tier: str = ""
    rule: str = ""
    state: TaskState = attrs.field(
        default=attrs.Factory(_new_state, takes_self=True), repr=False
    )

    def __attrs_post_init__(self) -> None:
        """A task cannot be due before it was opened."""
        if self.due_on < self.created_on:
            raise InvalidValueError(
                field=f"task[{self.id!r}].due_on",
                value=self.due_on,
                expected=f"on or after created_on ({self.created_on})",
            )

    @property
    def status(self) -> TaskStatus:
        """The current status."""
        return self.state.stage

    @property
    def closed_on(self) -> dt.date | None:
        """The date it was done or cancelled, ``None`` while it is live."""
        if not TASK_STATUS.is_terminal(self.status):
            return None
        return self.state.history.records[-1].on


def advance_task(
    task: Task,
    event: TaskEvent | str,
    *,
    on: dt.date,
    actor: str | None = None,
    reason: str | None = None,
) -> Task:
    """Apply ``event`` to the task's status and return the task with the move recorded.

    Args:
        task: The task (unchanged).
        event: ``start``, ``complete``, ``cancel`` (needs a ``reason``) or ``lapse``.
        on: Business date of the move (not before the last move).
        actor: Who moves it (staff id).
        reason: Why (required to cancel).

    Raises:
        IllegalTransitionError: the status does not allow the event (any event
            once done or cancelled); the message names the task and its
            ``status`` field and lists the allowed events.
        GuardRefusedError: a cancellation without a written reason.
        OutOfOrderTransitionError: ``on`` is before the last recorded move.

    Examples:
        >>> import datetime as dt
        >>> t = Task(id="T-1", client_id="C-1", action="annual_review", owner="RM-1",
        ...          created_on=dt.date(2026, 1, 5), due_on=dt.date(2026, 2, 4))
        >>> t = advance_task(t, "start", on=dt.date(2026, 1, 6), actor="RM-1")
        >>> t = advance_task(t, "complete", on=dt.date(2026, 1, 20), actor="RM-1")
        >>> t.status.value, t.closed_on, len(t.state.history)
        ('done', datetime.date(2026, 1, 20), 2)
        >>> advance_task(t, "start", on=dt.date(2026, 1, 21))
        Traceback (most recent call last):
        ...
        lendcrm.errors.IllegalTransitionError: Cannot apply event 'start' to a task 'T-1' (field `status`) in stage 'done'. Allowed events from 'done': none ('done' is terminal).
    """
    require_instance(task, Task, name="task", what="a Task")
    try:
        state = advance(task.state, event, on=on, actor=actor, reason=reason)
    except IllegalTransitionError as exc:
        raise IllegalTransitionError(
            stage=exc.stage,
            event=exc.event,
            allowed=exc.allowed,
            subject=f"task {task.id!r} (field `status`)",
        ) from None
    return attrs.evolve(task, state=state)


def task_sequence(tasks: object, *, name: str) -> tuple[Task, ...]:
    """Return ``tasks`` as a tuple, or refuse what is not an iterable of `Task`.

    Examples:
        >>> task_sequence(None, name="tasks")
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `tasks` must be an iterable of Task; got None.
    """
    if isinstance(tasks, str | bytes | Mapping) or not isinstance(tasks, Iterable):
        raise InvalidValueError(field=name, value=tasks, expected="an iterable of Task")
    out = tuple(tasks)
    for i, task in enumerate(out):
        require_instance(task, Task, name=f"{name}[{i}]", what="a Task")
    return out


def mark_overdue(
    tasks: tuple[Task, ...] | list[Task], *, as_of: dt.date
) -> tuple[Task, ...]:
    """Lapse every open or in-progress task due before ``as_of`` into ``overdue``.

    The move is recorded on ``as_of`` with the actor ``"system"``; other tasks
    are returned unchanged, in the same order.

    Examples:
        >>> import datetime as dt
        >>> t = Task(id="T-1", client_id="C-1", action="call", owner="RM-1",
        ...          created_on=dt.date(2026, 1, 5), due_on=dt.date(2026, 1, 10))
        >>> [x.status.value for x in mark_overdue([t], as_of=dt.date(2026, 1, 11))]
        ['overdue']
    """
    check_as_of(as_of)
    tasks = task_sequence(tasks, name="tasks")
    live = (TaskStatus.OPEN, TaskStatus.IN_PROGRESS)
    return tuple(
        advance_task(t, TaskEvent.LAPSE, on=as_of, actor="system")
        if t.status in live and t.due_on < as_of
        else t
        for t in tasks
    )
