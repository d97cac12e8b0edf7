"""Machine: every refusal with its field and words, the type checks, paths, pickling (#23).

Each test pins a behaviour of ``lendcrm/lifecycle/_machine.py`` that the broad engine
tests leave open: the refusals of a malformed definition (each with the field it
names), the type problems listed for every foreign stage, exits and guards, stages
given by value, and the shipped machines unpickling to themselves.
"""

from __future__ import annotations

import datetime as dt
import pickle
from enum import StrEnum
from typing import Any

import pytest

from lendcrm.errors import InvalidValueError, LifecycleDefinitionError
from lendcrm.lifecycle import (
    CLIENT_LIFECYCLE,
    FACILITY_STATUS,
    PROJECT_PHASE,
    ClientEvent,
    ClientStage,
    Guard,
    History,
    Machine,
    TransitionRequest,
    advance,
    reason_required,
    start,
    to_mermaid,
)


class Stage(StrEnum):
    DRAFT = "draft"
    REVIEW = "review"
    DONE = "done"


class Event(StrEnum):
    SUBMIT = "submit"
    FINISH = "finish"


TABLE = {
    Stage.DRAFT: {Event.SUBMIT: Stage.REVIEW},
    Stage.REVIEW: {Event.FINISH: Stage.DONE},
}


def machine(**changes: object) -> Machine[Stage, Event]:
    fields: dict[str, object] = {
        "name": "m",
        "subject": "task",
        "stages": Stage,
        "events": Event,
        "initial": Stage.DRAFT,
        "terminal": {Stage.DONE},
        "transitions": TABLE,
    }
    fields.update(changes)
    return Machine(**fields)  # type: ignore[arg-type]


def request(**changes: object) -> TransitionRequest:
    fields: dict[str, object] = {
        "stage": "draft",
        "event": "submit",
        "target": "review",
        "reason": None,
        "actor": None,
    }
    fields.update(changes)
    return TransitionRequest(**fields)  # type: ignore[arg-type]


def refusal(call: object) -> InvalidValueError:
    with pytest.raises(InvalidValueError) as info:
        call()  # type: ignore[operator]
    return info.value


def test_reason_required_allows_a_written_reason_and_refuses_the_rest():
    assert reason_required(request(reason="fraud")) is None
    assert reason_required(request(reason="")) == "a written reason is required"
    assert reason_required(request()) == "a written reason is required"
    err = refusal(lambda: reason_required("draft"))  # type: ignore[arg-type]
    assert err.field == "request"
    assert str(err) == "`request` must be a TransitionRequest; got a 'str'."


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"reason": 3}, "reason", "text (a string) or None"),
        ({"actor": 3}, "actor", "text (a string) or None"),
        ({"stage": ""}, "stage", "non-empty"),
    ],
)
def test_transition_request_fields_are_checked(changes, field, words):
    err = refusal(lambda: request(**changes))
    assert err.field == field
    assert words in str(err)


TEXT: Any = "draft"  # a string where a member or a function is required
NOPE: Any = "nope"


def test_guard_fields_are_checked():
    err = refusal(
        lambda: Guard(name="g", stage=Stage.DRAFT, event=Event.SUBMIT, check=TEXT)
    )
    assert err.field == "check"
    assert str(err) == (
        "`check` must be a function of the TransitionRequest; got a 'str'."
    )
    err = refusal(
        lambda: Guard(name="g", stage=TEXT, event=Event.SUBMIT, check=reason_required)
    )
    assert err.field == "stage"
    assert "a member of the machine's StrEnum" in str(err)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"stages": "Stage"},
            "stages",
            "`stages` must be a StrEnum class; got a 'str'.",
        ),
        ({"events": int}, "events", "`events` must be a StrEnum class; got a 'type'."),
        (
            {"transitions": [(Stage.DRAFT, {})]},
            "transitions",
            "`transitions` must be a mapping stage -> (event -> stage); got a 'list'.",
        ),
        (
            {"transitions": {Stage.DRAFT: [Event.SUBMIT]}},
            "transitions[<Stage.DRAFT: 'draft'>]",
            (
                "`transitions[<Stage.DRAFT: 'draft'>]` must be a mapping event -> "
                "stage; got a 'list'."
            ),
        ),
        (
            {"terminal": [[1]]},
            "terminal[0]",
            "`terminal[0]` must be a stage; got a 'list'.",
        ),
        ({"terminal": "done"}, "terminal", "`terminal` must be a sequence of stages"),
        (
            {"guards": ["g"]},
            "guards[0]",
            "`guards[0]` must be a Guard; got a 'str'.",
        ),
        ({"guards": "g"}, "guards", "`guards` must be a sequence of Guard"),
    ],
)
def test_malformed_definitions_name_their_field(changes, field, message):
    err = refusal(lambda: machine(**changes))
    assert err.field == field
    assert str(err).startswith(message)


def test_every_foreign_value_is_a_type_problem():
    with pytest.raises(LifecycleDefinitionError) as info:
        machine(
            initial="draft",
            terminal={"done"},
            transitions={"draft": {Event.SUBMIT: Stage.REVIEW}},
        )
    assert info.value.problems == (
        "the initial stage 'draft' is not a Stage",
        "terminal stage 'done' is not a Stage",
        "row 'draft' is not a Stage",
    )
    assert info.value.machine == "m"


def test_a_terminal_stage_lists_every_exit():
    with pytest.raises(LifecycleDefinitionError) as info:
        machine(
            transitions={
                **TABLE,
                Stage.DONE: {Event.SUBMIT: Stage.DRAFT, Event.FINISH: Stage.REVIEW},
            }
        )
    assert info.value.problems == (
        "stage 'done' is terminal but has exits (submit, finish)",
    )


def test_a_terminal_stage_may_have_an_empty_row():
    m = machine(transitions={**TABLE, Stage.DONE: {}})
    assert m.allowed_events(Stage.DONE) == ()
    assert m.is_terminal(Stage.DONE)
    assert not m.is_terminal(Stage.REVIEW)


def test_stages_may_be_given_by_value():
    m = machine()
    review: Any = "review"
    done: Any = "done"
    assert m.allowed_events(review) == (Event.FINISH,)
    assert m.path(TEXT, done) == (Event.SUBMIT, Event.FINISH)
    assert m.path(Stage.REVIEW, Stage.REVIEW) == ()
    for call, field in (
        (lambda: m.allowed_events(NOPE), "stage"),
        (lambda: m.path(NOPE, Stage.DONE), "start"),
        (lambda: m.path(Stage.DRAFT, NOPE), "goal"),
    ):
        err = refusal(call)
        assert err.field == field
        assert "'nope'" in str(err)


def test_path_takes_the_shortest_route_in_table_order():
    assert CLIENT_LIFECYCLE.path(ClientStage.ACTIVATION, ClientStage.EXITED) == (
        ClientEvent.TERMINATE,
    )
    assert CLIENT_LIFECYCLE.path(ClientStage.DECLINE, ClientStage.MATURITY) == (
        ClientEvent.RECOVER,
        ClientEvent.STABILISE,
    )


def test_guards_are_indexed_by_their_move_in_order():
    first = Guard(
        name="a", stage=Stage.DRAFT, event=Event.SUBMIT, check=reason_required
    )
    second = Guard(
        name="b", stage=Stage.DRAFT, event=Event.SUBMIT, check=reason_required
    )
    m = machine(guards=[first, second])
    assert m.guards == (first, second)
    assert m.guard_index == {(Stage.DRAFT, Event.SUBMIT): (first, second)}
    assert to_mermaid(m) == (
        "stateDiagram-v2\n"
        "    [*] --> draft\n"
        "    draft --> review : submit (a, b)\n"
        "    review --> done : finish\n"
        "    done --> [*]\n"
    )
    assert machine().guards == ()


def test_to_mermaid_refuses_anything_but_a_machine():
    err = refusal(lambda: to_mermaid("m"))  # type: ignore[arg-type]
    assert err.field == "machine"
    assert str(err) == "`machine` must be a Machine; got a 'str'."


@pytest.mark.parametrize("shipped", [CLIENT_LIFECYCLE, FACILITY_STATUS, PROJECT_PHASE])
def test_shipped_machines_unpickle_to_themselves(shipped):
    assert pickle.loads(pickle.dumps(shipped)) is shipped


def client_like(**changes: Any) -> Machine[Any, Any]:
    fields: dict[str, Any] = {
        "name": CLIENT_LIFECYCLE.name,
        "subject": "client",
        "stages": ClientStage,
        "events": ClientEvent,
        "initial": ClientStage.ACQUISITION,
        "terminal": CLIENT_LIFECYCLE.terminal,
        "transitions": CLIENT_LIFECYCLE.transitions,
        "guards": CLIENT_LIFECYCLE.guards,
    }
    fields.update(changes)
    return Machine(**fields)


def test_a_lookalike_of_a_shipped_machine_stays_itself():
    # same name and stages as the shipped client lifecycle, one move fewer
    table = {s: dict(r) for s, r in CLIENT_LIFECYCLE.transitions.items()}
    del table[ClientStage.DECLINE][ClientEvent.EXIT]
    lookalike = client_like(transitions=table)
    again = pickle.loads(pickle.dumps(lookalike))
    assert again is not CLIENT_LIFECYCLE
    assert again.transitions == lookalike.transitions
    for other in (client_like(guards=()), client_like(name="client_copy")):
        assert pickle.loads(pickle.dumps(other)) is not CLIENT_LIFECYCLE
    assert pickle.loads(pickle.dumps(client_like())) is CLIENT_LIFECYCLE


def test_a_guard_on_a_stage_without_a_row_is_a_definition_problem():
    guard = Guard(
        name="late", stage=Stage.DONE, event=Event.FINISH, check=reason_required
    )
    with pytest.raises(LifecycleDefinitionError) as info:
        machine(guards=[guard])
    assert info.value.problems == (
        (
            "guard 'late' refers to event 'finish' from stage 'done', which the "
            "table does not have"
        ),
    )


def test_advance_appends_the_records_history_append_makes():
    # `advance` appends with the values the machine precompiled for each move (the
    # machine is built here, so its moves are compiled by the code under test); the
    # records and their digests are the ones the low-level History.append makes
    on = dt.date(2026, 1, 15)
    state = advance(start(machine(), entity_id="T-1"), Event.SUBMIT, on=on)
    state = advance(state, "finish", on=on, reason="checked", actor="rm")
    ledger = (
        History(machine="m", entity_id="T-1")
        .append(from_stage="draft", to_stage="review", event="submit", on=on)
        .append(
            from_stage="review",
            to_stage="done",
            event="finish",
            on=on,
            reason="checked",
            actor="rm",
        )
    )
    assert state.history == ledger
    assert [r.record_hash for r in state.history.records] == [
        r.record_hash for r in ledger.records
    ]
    state.history.verify()
