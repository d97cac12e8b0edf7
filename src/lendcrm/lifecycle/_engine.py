"""Pure functions that move an entity through a machine and audit every move.

`LifecycleState` is the whole state of one entity: its machine, its current stage and
its `History`. Nothing here mutates anything: `advance` returns a new state whose
history has one more hash-chained record. Side effects (persisting the record,
notifying the relationship team) belong to the caller, which gets both states back.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, Generic, NamedTuple, TypeVar

from lendcrm._validators import require_instance
from lendcrm.errors import (
    GuardRefusedError,
    IllegalTransitionError,
    InvalidValueError,
    TamperedHistoryError,
)
from lendcrm.lifecycle._history import History
from lendcrm.lifecycle._machine import Machine, TransitionRequest

__all__ = [
    "LifecycleState",
    "advance",
    "allowed_events",
    "can_advance",
    "replay",
    "restore",
    "start",
]

S = TypeVar("S", bound=StrEnum)
E = TypeVar("E", bound=StrEnum)
_new_state = tuple.__new__


class LifecycleState(NamedTuple, Generic[S, E]):
    """One entity's place in a machine, with its audit trail.

    Build it with `start` (a new entity) or `restore` (from a stored history), and
    move it with `advance`. An immutable named tuple (one is built per transition,
    and a tuple is the cheapest immutable object Python builds).

    Attributes:
        machine: The machine the entity moves through.
        stage: The current stage.
        history: Every transition so far, hash-chained.

    Examples:
        >>> from lendcrm.lifecycle import CLIENT_LIFECYCLE
        >>> start(CLIENT_LIFECYCLE, entity_id="C-1")
        LifecycleState(machine='client_lifecycle', stage=<ClientStage.ACQUISITION: 'acquisition'>, history=History(machine='client_lifecycle', entity_id='C-1', records=0))
    """

    machine: Machine[S, E]
    stage: S
    history: History

    def __repr__(self) -> str:
        """Short form: the machine by name."""
        return (
            f"LifecycleState(machine={self.machine.name!r}, stage={self.stage!r}, "
            f"history={self.history!r})"
        )


def start(machine: Machine[S, E], *, entity_id: str = "") -> LifecycleState[S, E]:
    """A new entity in the machine's initial stage, with an empty history.

    Args:
        machine: The machine.
        entity_id: The client, facility or project id; it is hashed into the
            history's genesis digest, so records cannot move between entities.

    Examples:
        >>> from lendcrm.lifecycle import FACILITY_STATUS
        >>> start(FACILITY_STATUS, entity_id="F-7").stage
        <FacilityStatus.APPLICATION: 'application'>
    """
    require_instance(machine, Machine, name="machine", what="a Machine")
    return LifecycleState(
        machine=machine,
        stage=machine.initial,
        history=History(machine=machine.name, entity_id=entity_id),
    )


def _refuse(
    machine: Machine[Any, Any], stage: StrEnum, event: object
) -> IllegalTransitionError:
    return IllegalTransitionError(
        stage=str(stage),
        event=str(event),
        allowed=[str(e) for e in machine.allowed_events(stage)],
        subject=machine.subject,
    )


def advance(
    state: LifecycleState[S, E],
    event: E | str,
    *,
    on: dt.date,
    reason: str | None = None,
    actor: str | None = None,
) -> LifecycleState[S, E]:
    """Apply ``event`` and return the new state, with the move recorded.

    Args:
        state: The current state (unchanged).
        event: The event, as the machine's enum or its string value.
        on: Business date of the move; not before the last recorded move.
        reason: Why (free text); some guarded events require one.
        actor: Who applies it (user id, system name).

    Returns:
        A new `LifecycleState` in the target stage whose history has one more record.

    Raises:
        IllegalTransitionError: the table has no such event from the current stage
            (any event from a terminal stage); the message lists the allowed events.
        GuardRefusedError: a guard refused; the message carries its reason.
        OutOfOrderTransitionError: ``on`` is before the last recorded move.
        InvalidValueError: ``state`` is not a `LifecycleState`, ``on`` is not a
            ``datetime.date``, or ``reason``/``actor`` is not a string.

    Examples:
        >>> import datetime as dt
        >>> from lendcrm.lifecycle import CLIENT_LIFECYCLE, ClientEvent
        >>> s = start(CLIENT_LIFECYCLE, entity_id="C-1")
        >>> s = advance(s, ClientEvent.FIRST_DRAWDOWN, on=dt.date(2026, 1, 15))
        >>> s.stage, len(s.history)
        (<ClientStage.ACTIVATION: 'activation'>, 1)
        >>> advance(s, "exit", on=dt.date(2026, 2, 1))
        Traceback (most recent call last):
        ...
        lendcrm.errors.IllegalTransitionError: Cannot apply event 'exit' to a client in stage 'activation'. Allowed events from 'activation': expand, deteriorate, terminate.
    """
    require_instance(state, LifecycleState, name="state", what="a LifecycleState")
    require_instance(
        event, str, name="event", what="an event (the machine's enum or its value)"
    )
    machine, stage, history = state
    move = machine._moves.get((stage, event))  # type: ignore[arg-type]  # noqa: SLF001
    if move is None:
        raise _refuse(machine, stage, event)
    target, source_value, target_value, event_value, guards, quoted = move
    if guards:
        request = TransitionRequest(
            stage=source_value,
            event=event_value,
            target=target_value,
            reason=reason,
            actor=actor,
        )
        for guard in guards:
            refusal = guard.check(request)
            if refusal is not None:
                raise GuardRefusedError(
                    stage=source_value,
                    event=event_value,
                    guard=guard.name,
                    reason=refusal,
                )
    history = history._append(  # noqa: SLF001 - values precompiled by the machine
        source_value, target_value, event_value, on, reason, actor, quoted
    )
    return _new_state(LifecycleState, (machine, target, history))


def can_advance(
    state: LifecycleState[S, E],
    event: E | str,
    *,
    reason: str | None = None,
    actor: str | None = None,
) -> bool:
    """Whether `advance` would accept ``event`` now (table and guards; dates aside).

    Examples:
        >>> from lendcrm.lifecycle import CLIENT_LIFECYCLE
        >>> s = start(CLIENT_LIFECYCLE)
        >>> can_advance(s, "first_drawdown"), can_advance(s, "exit")
        (True, False)
        >>> can_advance(s, "terminate"), can_advance(s, "terminate", reason="fraud")
        (False, True)
    """
    require_instance(state, LifecycleState, name="state", what="a LifecycleState")
    machine = state.machine
    stage = state.stage
    if not isinstance(event, str):  # an enum member is a str; a list is not hashable
        raise InvalidValueError(
            field="event",
            value=event,
            expected="an event (the machine's enum or its value)",
        )
    target = machine.transitions.get(stage, {}).get(event)  # type: ignore[call-overload]
    if target is None:
        return False
    guards = machine.guard_index.get((stage, event), ())  # type: ignore[arg-type]
    request = TransitionRequest(
        stage=str(stage),
        event=str(event),
        target=str(target),
        reason=reason,
        actor=actor,
    )
    return all(guard.check(request) is None for guard in guards)


def allowed_events(state: LifecycleState[S, E]) -> tuple[E, ...]:
    """Events the table allows from the current stage, in table order.

    Guarded events are included (a guard may still refuse them); terminal stages
    allow nothing.

    Examples:
        >>> from lendcrm.lifecycle import CLIENT_LIFECYCLE
        >>> [str(e) for e in allowed_events(start(CLIENT_LIFECYCLE))]
        ['first_drawdown', 'terminate']
    """
    require_instance(state, LifecycleState, name="state", what="a LifecycleState")
    return state.machine.allowed_events(state.stage)


def replay(machine: Machine[S, E], history: History) -> S:
    """Recompute the current stage from the initial stage and every record.

    The chain is verified first; then each record must be a move the table has,
    starting where the previous one ended.

    Raises:
        InvalidValueError: the history belongs to another machine.
        TamperedHistoryError: the chain is broken, or a record is a move the table
            does not have; names the first failing record.

    Examples:
        >>> import datetime as dt
        >>> from lendcrm.lifecycle import CLIENT_LIFECYCLE
        >>> s = advance(start(CLIENT_LIFECYCLE), "first_drawdown", on=dt.date(2026, 1, 5))
        >>> replay(CLIENT_LIFECYCLE, s.history) == s.stage
        True
    """
    require_instance(machine, Machine, name="machine", what="a lifecycle Machine")
    require_instance(history, History, name="history", what="a History")
    if history.machine != machine.name:
        raise InvalidValueError(
            field="history.machine",
            value=history.machine,
            expected=f"{machine.name!r} (the machine replayed)",
        )
    history.verify()
    stage = machine.initial
    for record in history.records:
        target = machine.transitions.get(stage, {}).get(record.event)  # type: ignore[call-overload]
        if record.from_stage != stage or target is None or target != record.to_stage:
            raise TamperedHistoryError(
                index=record.seq,
                reason=(
                    f"it records event '{record.event}' from '{record.from_stage}' to "
                    f"'{record.to_stage}', which machine {machine.name!r} does not "
                    f"allow from '{stage}'"
                ),
            )
        stage = target
    return stage


def restore(machine: Machine[S, E], history: History) -> LifecycleState[S, E]:
    """Rebuild a state from a stored history (verified and replayed).

    Raises:
        InvalidValueError: the history belongs to another machine.
        TamperedHistoryError: see `replay`.

    Examples:
        >>> import datetime as dt
        >>> from lendcrm.lifecycle import CLIENT_LIFECYCLE, History
        >>> s = advance(start(CLIENT_LIFECYCLE, entity_id="C-1"), "first_drawdown",
        ...             on=dt.date(2026, 1, 5))
        >>> restore(CLIENT_LIFECYCLE, History.from_dict(s.history.to_dict())) == s
        True
    """
    return LifecycleState(
        machine=machine, stage=replay(machine, history), history=history
    )
