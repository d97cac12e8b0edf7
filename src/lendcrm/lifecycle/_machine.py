"""The table-driven engine: a `Machine` is a validated, read-only transition table.

A machine is data: its stages and events are `StrEnum`s, its moves one read-only
mapping ``stage -> event -> stage``, and its guards pure predicates attached to
``(stage, event)`` pairs. The definition is checked when the machine is built, so a
broken table never ships: exactly one initial stage, every stage reachable from it,
terminal stages without exits, every live stage able to reach a terminal one, and
every guard attached to a move the table has.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Hashable, Iterable, Mapping
from enum import StrEnum
from json.encoder import encode_basestring as _quote
from types import MappingProxyType
from typing import Any, Generic, NamedTuple, TypeVar

import attrs

from lendcrm._validators import (
    enum_member,
    instance_of,
    non_empty_str,
    optional,
    refuse_object,
    tuple_converter,
)
from lendcrm.errors import LifecycleDefinitionError
from lendcrm.lifecycle._shipped import shipped_machines

__all__ = [
    "Guard",
    "Machine",
    "TransitionRequest",
    "reason_required",
    "to_mermaid",
]

S = TypeVar("S", bound=StrEnum)
_NO_EXITS: Mapping[Any, Any] = MappingProxyType({})
E = TypeVar("E", bound=StrEnum)


_TEXT = instance_of(str, what="text (a string) or None")
_MEMBER = instance_of(StrEnum, what="a member of the machine's StrEnum")


def _callable(_inst: object, attr: attrs.Attribute[Any], value: object) -> None:
    if not callable(value):
        refuse_object(value, name=attr.name, what="a function of the TransitionRequest")


@attrs.frozen(kw_only=True)
class TransitionRequest:
    """What a guard sees: the move asked for, before it is recorded.

    Attributes:
        stage: The current stage (its string value).
        event: The event asked for.
        target: The stage the table leads to.
        reason: The reason given with the event, if any.
        actor: Who asks (user id, system name), if given.
    """

    stage: str = attrs.field(validator=non_empty_str)
    event: str = attrs.field(validator=non_empty_str)
    target: str = attrs.field(validator=non_empty_str)
    reason: str | None = attrs.field(validator=optional(_TEXT))
    actor: str | None = attrs.field(validator=optional(_TEXT))


GuardCheck = Callable[[TransitionRequest], "str | None"]


def reason_required(request: TransitionRequest) -> str | None:
    """Refuse a move that comes without a written reason.

    Args:
        request: The move asked for.

    Returns:
        ``None`` to allow, or the refusal reason.

    Examples:
        >>> req = TransitionRequest(stage="decline", event="exit", target="exited",
        ...                         reason=" ", actor=None)
        >>> reason_required(req)
        'a written reason is required'
    """
    if not isinstance(request, TransitionRequest):
        refuse_object(request, name="request", what="a TransitionRequest")
    if request.reason is None or not request.reason.strip():
        return "a written reason is required"
    return None


@attrs.frozen(kw_only=True)
class Guard(Generic[S, E]):
    """A pure predicate attached to one move of the table.

    Attributes:
        name: Stable name, shown in refusals and diagrams.
        stage: The stage the move leaves.
        event: The event of the move.
        check: Pure function of the `TransitionRequest`; returns ``None`` to allow
            the move or a refusal reason (a sentence fragment, no final period).

    Examples:
        >>> from lendcrm.lifecycle import ClientEvent, ClientStage
        >>> Guard(name="reason_given", stage=ClientStage.GROWTH,
        ...       event=ClientEvent.TERMINATE, check=reason_required).name
        'reason_given'
    """

    name: str = attrs.field(validator=non_empty_str)
    stage: S = attrs.field(validator=_MEMBER)
    event: E = attrs.field(validator=_MEMBER)
    check: GuardCheck = attrs.field(repr=False, validator=_callable)


def _freeze_table(
    table: Mapping[Any, Mapping[Any, Any]],
) -> Mapping[Any, Mapping[Any, Any]]:
    if not isinstance(table, Mapping):
        refuse_object(table, name="transitions", what=_TABLE)
    for stage, row in table.items():
        if not isinstance(row, Mapping):
            refuse_object(row, name=f"transitions[{stage!r}]", what=_ROW)
    return MappingProxyType(
        {stage: MappingProxyType(dict(row)) for stage, row in table.items()}
    )


_TABLE = "a mapping stage -> (event -> stage)"
_ROW = "a mapping event -> stage"
_stage_items = tuple_converter(name="terminal", what="stages")
_guard_items = tuple_converter(name="guards", what="Guard")


def _freeze_set(values: Iterable[Any]) -> frozenset[Any]:
    items = _stage_items(values)
    for i, item in enumerate(items):
        if not isinstance(item, Hashable):
            refuse_object(item, name=f"terminal[{i}]", what="a stage")
    return frozenset(items)


def _guard_tuple(values: Iterable[Guard[Any, Any]]) -> tuple[Guard[Any, Any], ...]:
    items = _guard_items(values)
    for i, item in enumerate(items):
        if not isinstance(item, Guard):
            refuse_object(item, name=f"guards[{i}]", what="a Guard")
    return items


def _enum_class(_inst: object, attr: attrs.Attribute[Any], value: object) -> None:
    if not (isinstance(value, type) and issubclass(value, StrEnum)):
        refuse_object(value, name=attr.name, what="a StrEnum class")


def _index_guards(
    machine: Machine[Any, Any],
) -> Mapping[tuple[Any, Any], tuple[Guard[Any, Any], ...]]:
    index: dict[tuple[Any, Any], tuple[Guard[Any, Any], ...]] = {}
    for guard in machine.guards:
        key = (guard.stage, guard.event)
        index[key] = (*index.get(key, ()), guard)
    return MappingProxyType(index)


class _Move(NamedTuple):
    """One precompiled move: what `advance` needs, found with one lookup."""

    target: Any
    source_value: str
    target_value: str
    event_value: str
    guards: tuple[Guard[Any, Any], ...]
    quoted: str


def _compile_moves(machine: Machine[Any, Any]) -> Mapping[tuple[Any, Any], _Move]:
    moves: dict[tuple[Any, Any], _Move] = {}
    for stage, row in machine.transitions.items():
        for event, target in row.items():
            moves[stage, event] = _Move(
                target,
                str(stage),
                str(target),
                str(event),
                machine.guard_index.get((stage, event), ()),
                ",".join(_quote(str(v)) for v in (stage, target, event)) + ",",
            )
    return moves  # a private plain dict: the hot lookup of `advance`


@attrs.frozen(kw_only=True, eq=False)
class Machine(Generic[S, E]):
    """A validated lifecycle table over the stage enum ``S`` and the event enum ``E``.

    Machines compare by identity: each is defined once, as a module constant.

    Attributes:
        name: Stable name (stored in every history of this machine).
        subject: What moves through it (``client``, ``facility``, ``project``),
            used in messages.
        stages: The stage `StrEnum` class.
        events: The event `StrEnum` class.
        initial: The one initial stage.
        terminal: The terminal stages (no exits).
        transitions: ``stage -> event -> stage``, stored read-only; terminal
            stages may be left out (they have no row).
        guards: Guards attached to moves of the table.

    Raises:
        LifecycleDefinitionError: the table breaks a definition rule; the message
            lists every rule broken.

    Examples:
        >>> from enum import StrEnum
        >>> class Stage(StrEnum):
        ...     DRAFT = "draft"
        ...     DONE = "done"
        >>> class Event(StrEnum):
        ...     FINISH = "finish"
        >>> m = Machine(name="tiny", subject="task", stages=Stage, events=Event,
        ...             initial=Stage.DRAFT, terminal={Stage.DONE},
        ...             transitions={Stage.DRAFT: {Event.FINISH: Stage.DONE}})
        >>> m.allowed_events(Stage.DRAFT)
        (<Event.FINISH: 'finish'>,)
        >>> Machine(name="broken", subject="task", stages=Stage, events=Event,
        ...         initial=Stage.DRAFT, terminal={Stage.DONE},
        ...         transitions={Stage.DRAFT: {}})
        Traceback (most recent call last):
        ...
        lendcrm.errors.LifecycleDefinitionError: Machine 'broken' is not valid: stage 'done' is unreachable from the initial stage 'draft'; stage 'draft' cannot reach a terminal stage.
    """

    name: str = attrs.field(validator=non_empty_str)
    subject: str = attrs.field(validator=non_empty_str)
    stages: type[S] = attrs.field(validator=_enum_class)
    events: type[E] = attrs.field(validator=_enum_class)
    initial: S
    terminal: frozenset[S] = attrs.field(converter=_freeze_set)
    transitions: Mapping[S, Mapping[E, S]] = attrs.field(converter=_freeze_table)
    guards: tuple[Guard[S, E], ...] = attrs.field(default=(), converter=_guard_tuple)
    guard_index: Mapping[tuple[S, E], tuple[Guard[S, E], ...]] = attrs.field(
        init=False,
        repr=False,
        default=attrs.Factory(_index_guards, takes_self=True),
    )
    _moves: Mapping[tuple[S, E], _Move] = attrs.field(
        init=False,
        repr=False,
        default=attrs.Factory(_compile_moves, takes_self=True),
    )

    def __attrs_post_init__(self) -> None:
        """Check the definition rules; raise listing every rule broken."""
        problems = _definition_problems(self)
        if problems:
            raise LifecycleDefinitionError(machine=self.name, problems=problems)

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle through the definition; a shipped machine unpickles to itself."""
        return (
            _rebuild_machine,
            (
                {
                    "name": self.name,
                    "subject": self.subject,
                    "stages": self.stages,
                    "events": self.events,
                    "initial": self.initial,
                    "terminal": set(self.terminal),
                    "transitions": {s: dict(r) for s, r in self.transitions.items()},
                    "guards": self.guards,
                },
            ),
        )

    def allowed_events(self, stage: S) -> tuple[E, ...]:
        """Events the table allows from ``stage``, in table order (guards aside).

        Examples:
            >>> from lendcrm.lifecycle import CLIENT_LIFECYCLE, ClientStage
            >>> [str(e) for e in CLIENT_LIFECYCLE.allowed_events(ClientStage.DECLINE)]
            ['recover', 'exit', 'terminate']
        """
        return tuple(self.transitions.get(self._stage(stage, "stage"), _NO_EXITS))

    def _stage(self, value: object, name: str) -> S:
        """``value`` as a stage of this machine (a member or its value), else raise."""
        return enum_member(self.stages, value, name=name)

    def is_terminal(self, stage: S) -> bool:
        """Whether ``stage`` is terminal (no event leaves it).

        Examples:
            >>> from lendcrm.lifecycle import CLIENT_LIFECYCLE, ClientStage
            >>> CLIENT_LIFECYCLE.is_terminal(ClientStage.EXITED)
            True
        """
        return stage in self.terminal

    def path(self, start: S, goal: S) -> tuple[E, ...] | None:
        """The shortest sequence of events from ``start`` to ``goal``, or ``None``.

        Ties are broken by table order, so the answer is deterministic. Guards are
        not consulted (a path may need a reason for a guarded event).

        Examples:
            >>> from lendcrm.lifecycle import CLIENT_LIFECYCLE, ClientStage
            >>> [str(e) for e in CLIENT_LIFECYCLE.path(ClientStage.ACQUISITION,
            ...                                        ClientStage.MATURITY)]
            ['first_drawdown', 'expand', 'stabilise']
        """
        start, goal = self._stage(start, "start"), self._stage(goal, "goal")
        previous: dict[S, tuple[S, E] | None] = {start: None}
        queue = deque([start])
        while queue:
            stage = queue.popleft()
            if stage == goal:
                events: list[E] = []
                step = previous[stage]
                while step is not None:
                    events.append(step[1])
                    step = previous[step[0]]
                return tuple(reversed(events))
            for event, target in self.transitions.get(stage, _NO_EXITS).items():
                if target not in previous:
                    previous[target] = (stage, event)
                    queue.append(target)
        return None


def _rebuild_machine(definition: dict[str, Any]) -> Machine[Any, Any]:
    machine: Machine[Any, Any] = Machine(**definition)
    for candidate in shipped_machines():
        if (
            isinstance(candidate, Machine)
            and candidate.name == machine.name
            and candidate.stages is machine.stages
            and candidate.transitions == machine.transitions
            and candidate.terminal == machine.terminal
            and candidate.guards == machine.guards
        ):
            return candidate
    return machine


def _reachable(start: Iterable[Any], edges: Mapping[Any, Iterable[Any]]) -> set[Any]:
    seen = set(start)
    queue = deque(seen)
    while queue:
        for nxt in edges.get(queue.popleft(), ()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def _type_problems(machine: Machine[Any, Any]) -> list[str]:
    stages, events = machine.stages, machine.events
    problems: list[str] = []
    if not isinstance(machine.initial, stages):
        problems.append(
            f"the initial stage {machine.initial!r} is not a {stages.__name__}"
        )
    problems.extend(
        f"terminal stage {stage!r} is not a {stages.__name__}"
        for stage in machine.terminal
        if not isinstance(stage, stages)
    )
    if not machine.terminal:
        problems.append("it has no terminal stage")
    for stage, row in machine.transitions.items():
        if not isinstance(stage, stages):
            problems.append(f"row {stage!r} is not a {stages.__name__}")
        problems.extend(
            f"event {event!r} is not a {events.__name__}"
            for event in row
            if not isinstance(event, events)
        )
        problems.extend(
            f"target {target!r} is not a {stages.__name__}"
            for target in row.values()
            if not isinstance(target, stages)
        )
        if stage in machine.terminal and row:
            exits = ", ".join(str(e) for e in row)
            problems.append(f"stage '{stage}' is terminal but has exits ({exits})")
    return problems


def _definition_problems(machine: Machine[Any, Any]) -> list[str]:
    problems = _type_problems(machine)
    if problems:
        return problems
    forward = {s: list(row.values()) for s, row in machine.transitions.items()}
    reached = _reachable([machine.initial], forward)
    problems.extend(
        f"stage '{stage}' is unreachable from the initial stage '{machine.initial}'"
        for stage in machine.stages
        if stage not in reached
    )
    backward: dict[Any, list[Any]] = {}
    for stage, targets in forward.items():
        for target in targets:
            backward.setdefault(target, []).append(stage)
    can_finish = _reachable(machine.terminal, backward)
    problems.extend(
        f"stage '{stage}' cannot reach a terminal stage"
        for stage in machine.stages
        if stage not in can_finish
    )
    problems.extend(
        f"guard {guard.name!r} refers to event '{guard.event}' from stage "
        f"'{guard.stage}', which the table does not have"
        for guard in machine.guards
        if guard.event not in machine.transitions.get(guard.stage, {})
    )
    return problems


def to_mermaid(machine: Machine[Any, Any]) -> str:
    """Render ``machine`` as a Mermaid ``stateDiagram-v2`` (the docs diagrams).

    Guarded moves show their guards in parentheses after the event.

    Args:
        machine: Any machine.

    Returns:
        The diagram source, one line per move, ending with a newline.

    Examples:
        >>> from lendcrm.lifecycle import CLIENT_LIFECYCLE
        >>> print(to_mermaid(CLIENT_LIFECYCLE).splitlines()[1])
            [*] --> acquisition
    """
    if not isinstance(machine, Machine):
        refuse_object(machine, name="machine", what="a Machine")
    lines = ["stateDiagram-v2", f"    [*] --> {machine.initial}"]
    for stage, row in machine.transitions.items():
        for event, target in row.items():
            guards = machine.guard_index.get((stage, event), ())
            label = str(event)
            if guards:
                label += " (" + ", ".join(g.name for g in guards) + ")"
            lines.append(f"    {stage} --> {target} : {label}")
    lines.extend(
        f"    {stage} --> [*]" for stage in machine.stages if stage in machine.terminal
    )
    return "\n".join(lines) + "\n"
