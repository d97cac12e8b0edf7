"""The engine: definition-time validation, advance, guards, queries and diagrams."""

from __future__ import annotations

import datetime as dt
import pickle
from enum import StrEnum

import pytest

from lendcrm import FacilityStatus, ProjectPhase
from lendcrm.errors import (
    GuardRefusedError,
    IllegalTransitionError,
    InvalidValueError,
    LendCRMError,
    LifecycleDefinitionError,
    OutOfOrderTransitionError,
)
from lendcrm.lifecycle import (
    CLIENT_LIFECYCLE,
    FACILITY_STATUS,
    PROJECT_PHASE,
    ClientEvent,
    ClientStage,
    FacilityEvent,
    Guard,
    Machine,
    ProjectEvent,
    TransitionRequest,
    advance,
    allowed_events,
    can_advance,
    reason_required,
    start,
    to_mermaid,
    transitions_to_reach,
)

D = dt.date(2026, 1, 15)


class Stage(StrEnum):
    DRAFT = "draft"
    REVIEW = "review"
    DONE = "done"
    LIMBO = "limbo"


class Event(StrEnum):
    SUBMIT = "submit"
    FINISH = "finish"
    REOPEN = "reopen"


def _machine(transitions, *, terminal=(Stage.DONE,), guards=(), stages=Stage):
    return Machine(
        name="test",
        subject="task",
        stages=stages,
        events=Event,
        initial=Stage.DRAFT,
        terminal=terminal,
        transitions=transitions,
        guards=guards,
    )


# --- definition-time validation ------------------------------------------------------


def test_unreachable_stage_is_refused_with_its_name():
    with pytest.raises(
        LifecycleDefinitionError,
        match=r"Machine 'test' is not valid: stage 'limbo' is unreachable from the "
        r"initial stage 'draft'",
    ):
        _machine(
            {
                Stage.DRAFT: {Event.SUBMIT: Stage.REVIEW},
                Stage.REVIEW: {Event.FINISH: Stage.DONE},
                Stage.LIMBO: {Event.FINISH: Stage.DONE},
            }
        )


def test_terminal_stage_with_exits_is_refused():
    with pytest.raises(
        LifecycleDefinitionError,
        match=r"stage 'done' is terminal but has exits \(reopen\)",
    ) as info:
        _machine(
            {
                Stage.DRAFT: {Event.SUBMIT: Stage.REVIEW},
                Stage.REVIEW: {Event.FINISH: Stage.DONE},
                Stage.DONE: {Event.REOPEN: Stage.DRAFT},
                Stage.LIMBO: {},
            },
            terminal=(Stage.DONE, Stage.LIMBO),
        )
    assert info.value.machine == "test"


def test_stage_that_cannot_finish_is_refused():
    with pytest.raises(
        LifecycleDefinitionError, match=r"stage 'limbo' cannot reach a terminal stage"
    ):
        _machine(
            {
                Stage.DRAFT: {Event.SUBMIT: Stage.REVIEW, Event.REOPEN: Stage.LIMBO},
                Stage.REVIEW: {Event.FINISH: Stage.DONE},
                Stage.LIMBO: {Event.REOPEN: Stage.LIMBO},
            }
        )


def test_guard_on_a_missing_move_is_refused():
    guard = Guard(
        name="nope", stage=Stage.DRAFT, event=Event.FINISH, check=reason_required
    )
    with pytest.raises(
        LifecycleDefinitionError,
        match=r"guard 'nope' refers to event 'finish' from stage 'draft', which the "
        r"table does not have",
    ):
        _machine(
            {
                Stage.DRAFT: {Event.SUBMIT: Stage.REVIEW, Event.REOPEN: Stage.LIMBO},
                Stage.REVIEW: {Event.FINISH: Stage.DONE},
                Stage.LIMBO: {Event.FINISH: Stage.DONE},
            },
            guards=[guard],
        )


def test_foreign_members_and_missing_terminal_are_refused():
    with pytest.raises(LifecycleDefinitionError) as info:
        _machine({Stage.DRAFT: {"submit": "review"}}, terminal=())
    assert info.value.problems == (
        "it has no terminal stage",
        "event 'submit' is not a Event",
        "target 'review' is not a Event".replace("Event", "Stage"),
    )


def test_every_problem_is_listed_at_once():
    with pytest.raises(LifecycleDefinitionError) as info:
        _machine({Stage.DRAFT: {Event.FINISH: Stage.DONE}})
    assert info.value.problems == (
        "stage 'review' is unreachable from the initial stage 'draft'",
        "stage 'limbo' is unreachable from the initial stage 'draft'",
        "stage 'review' cannot reach a terminal stage",
        "stage 'limbo' cannot reach a terminal stage",
    )


@pytest.mark.parametrize("machine", [CLIENT_LIFECYCLE, FACILITY_STATUS, PROJECT_PHASE])
def test_shipped_machines_are_consistent(machine):
    # every stage has exits unless terminal; terminal stages have none
    for stage in machine.stages:
        assert bool(machine.allowed_events(stage)) != machine.is_terminal(stage)
    assert machine.stages(machine.initial) is machine.initial


# --- the three machines: exact tables ------------------------------------------------


def test_client_lifecycle_table():
    # The source article: five stages plus exit; first drawdown activates; recovery
    # from decline back to growth; exit from decline or by a reasoned termination.
    table = {
        str(s): {
            str(e): str(t) for e, t in CLIENT_LIFECYCLE.transitions.get(s, {}).items()
        }
        for s in ClientStage
    }
    assert table == {
        "acquisition": {"first_drawdown": "activation", "terminate": "exited"},
        "activation": {
            "expand": "growth",
            "deteriorate": "decline",
            "terminate": "exited",
        },
        "growth": {
            "stabilise": "maturity",
            "deteriorate": "decline",
            "terminate": "exited",
        },
        "maturity": {
            "expand": "growth",
            "deteriorate": "decline",
            "terminate": "exited",
        },
        "decline": {"recover": "growth", "exit": "exited", "terminate": "exited"},
        "exited": {},
    }


def test_facility_and_project_terminals():
    assert FACILITY_STATUS.terminal == {
        FacilityStatus.REPAID,
        FacilityStatus.WRITTEN_OFF,
        FacilityStatus.CANCELLED,
    }
    assert PROJECT_PHASE.terminal == {
        ProjectPhase.REPAID,
        ProjectPhase.WRITTEN_OFF,
        ProjectPhase.ABANDONED,
    }
    assert [str(s) for s in FacilityStatus] == [
        "application",
        "approved",
        "active",
        "watchlist",
        "non_performing",
        "restructured",
        "repaid",
        "written_off",
        "cancelled",
    ]


def test_project_happy_path_default_and_refinancing():
    s = start(PROJECT_PHASE, entity_id="P-1")
    for event in (
        ProjectEvent.REACH_FINANCIAL_CLOSE,
        ProjectEvent.START_CONSTRUCTION,
        ProjectEvent.COMPLETE_CONSTRUCTION,
        ProjectEvent.REACH_COD,
        ProjectEvent.REFINANCE,
    ):
        s = advance(s, event, on=D)
    assert s.stage is ProjectPhase.OPERATIONS
    s = advance(s, ProjectEvent.DEFAULT, on=D)
    s = advance(s, ProjectEvent.REFINANCE, on=D, reason="rescue refinancing")
    s = advance(s, ProjectEvent.REPAY, on=D)
    assert s.stage is ProjectPhase.REPAID
    assert [r.to_stage for r in s.history] == [
        "financial_close",
        "construction",
        "commissioning",
        "operations",
        "operations",
        "defaulted",
        "operations",
        "repaid",
    ]


# --- advance, guards and queries -----------------------------------------------------


def test_advance_is_pure_and_records_the_move():
    s0 = start(CLIENT_LIFECYCLE, entity_id="C-1")
    s1 = advance(s0, ClientEvent.FIRST_DRAWDOWN, on=D, actor="rm-42", reason="loan A")
    assert s0.stage is ClientStage.ACQUISITION
    assert len(s0.history) == 0
    assert s1.stage is ClientStage.ACTIVATION
    record = s1.history.last
    assert record is not None
    assert (record.from_stage, record.to_stage, record.event) == (
        "acquisition",
        "activation",
        "first_drawdown",
    )
    assert (record.on, record.reason, record.actor, record.seq) == (
        D,
        "loan A",
        "rm-42",
        0,
    )


def test_string_events_are_accepted_and_recorded_as_values():
    s = advance(start(FACILITY_STATUS), "approve", on=D)
    assert s.stage is FacilityStatus.APPROVED
    assert s.history.last is not None
    assert type(s.history.last.event) is str


def test_illegal_event_lists_allowed_events():
    s = start(CLIENT_LIFECYCLE)
    with pytest.raises(
        IllegalTransitionError,
        match=r"Cannot apply event 'exit' to a client in stage 'acquisition'\. "
        r"Allowed events from 'acquisition': first_drawdown, terminate\.",
    ) as info:
        advance(s, ClientEvent.EXIT, on=D)
    assert info.value.allowed == ("first_drawdown", "terminate")
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, LendCRMError)


def test_unknown_event_string_is_an_illegal_transition():
    with pytest.raises(IllegalTransitionError, match=r"event 'explode' to a facility"):
        advance(start(FACILITY_STATUS), "explode", on=D)


def test_any_event_from_a_terminal_stage_is_refused():
    s = advance(start(FACILITY_STATUS), FacilityEvent.REJECT, on=D)
    for event in FacilityEvent:
        with pytest.raises(
            IllegalTransitionError,
            match=r"in stage 'cancelled'\. Allowed events from 'cancelled': none "
            r"\('cancelled' is terminal\)\.",
        ):
            advance(s, event, on=D)


def test_guard_refusal_carries_the_reason():
    s = start(CLIENT_LIFECYCLE)
    with pytest.raises(
        GuardRefusedError,
        match=r"Guard 'reason_given' refused event 'terminate' in stage 'acquisition': "
        r"a written reason is required\.",
    ) as info:
        advance(s, ClientEvent.TERMINATE, on=D, reason="   ")
    assert info.value.reason == "a written reason is required"
    s = advance(s, ClientEvent.TERMINATE, on=D, reason="prospect chose another bank")
    assert s.stage is ClientStage.EXITED


def test_transition_dated_before_the_last_one_is_refused():
    s = advance(start(CLIENT_LIFECYCLE), "first_drawdown", on=dt.date(2026, 3, 1))
    with pytest.raises(
        OutOfOrderTransitionError,
        match=r"A transition on 2026-02-28 cannot follow the last one on 2026-03-01: "
        r"dates may not go backwards\.",
    ):
        advance(s, "expand", on=dt.date(2026, 2, 28))
    # the same day is allowed
    assert advance(s, "expand", on=dt.date(2026, 3, 1)).stage is ClientStage.GROWTH


@pytest.mark.parametrize(
    "on", [dt.datetime(2026, 1, 1, tzinfo=dt.UTC), "2026-01-01", None]
)
def test_on_must_be_a_date(on):
    with pytest.raises(
        InvalidValueError, match=r"`on` must be a datetime.date \(not a datetime\)"
    ):
        advance(start(CLIENT_LIFECYCLE), "first_drawdown", on=on)


def test_reason_and_actor_must_be_text():
    with pytest.raises(
        InvalidValueError, match=r"`actor` must be a string or None; got 7"
    ):
        advance(start(CLIENT_LIFECYCLE), "first_drawdown", on=D, actor=7)  # type: ignore[arg-type]


def test_can_advance_and_allowed_events():
    s = start(CLIENT_LIFECYCLE)
    assert allowed_events(s) == (ClientEvent.FIRST_DRAWDOWN, ClientEvent.TERMINATE)
    assert can_advance(s, ClientEvent.FIRST_DRAWDOWN)
    assert not can_advance(s, ClientEvent.EXPAND)
    assert not can_advance(s, ClientEvent.TERMINATE)
    assert can_advance(s, ClientEvent.TERMINATE, reason="sanctions hit")
    assert not can_advance(s, "nonsense")


def test_custom_guard_sees_the_request():
    seen: list[TransitionRequest] = []

    def only_committee(request: TransitionRequest) -> str | None:
        seen.append(request)
        return None if request.actor == "committee" else "only the committee may finish"

    m = _machine(
        {
            Stage.DRAFT: {Event.SUBMIT: Stage.REVIEW, Event.REOPEN: Stage.LIMBO},
            Stage.REVIEW: {Event.FINISH: Stage.DONE},
            Stage.LIMBO: {Event.FINISH: Stage.DONE},
        },
        guards=[
            Guard(
                name="committee",
                stage=Stage.REVIEW,
                event=Event.FINISH,
                check=only_committee,
            )
        ],
    )
    s = advance(start(m), Event.SUBMIT, on=D)
    with pytest.raises(GuardRefusedError, match="only the committee may finish"):
        advance(s, Event.FINISH, on=D, actor="analyst")
    assert advance(s, Event.FINISH, on=D, actor="committee").stage is Stage.DONE
    assert seen[-1] == TransitionRequest(
        stage="review", event="finish", target="done", reason=None, actor="committee"
    )


def test_states_pickle_and_compare():
    s = advance(start(CLIENT_LIFECYCLE, entity_id="C-9"), "first_drawdown", on=D)
    again = pickle.loads(pickle.dumps(s))
    assert again == s
    assert again.machine is CLIENT_LIFECYCLE


# --- paths and diagrams --------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "assessed", "events"),
    [
        ("acquisition", "activation", ("first_drawdown",)),
        ("acquisition", "decline", ("first_drawdown", "deteriorate")),
        ("growth", "growth", ()),
        ("decline", "maturity", ("recover", "stabilise")),
        ("maturity", "exited", ("terminate",)),
    ],
)
def test_transitions_to_reach(current, assessed, events):
    assert tuple(str(e) for e in transitions_to_reach(current, assessed)) == events


def test_transitions_to_reach_refuses_unreachable_and_unknown():
    with pytest.raises(
        InvalidValueError,
        match=r"`assessed` must be a stage reachable from 'exited' \(exited\); "
        r"got 'growth'",
    ):
        transitions_to_reach(ClientStage.EXITED, ClientStage.GROWTH)
    with pytest.raises(InvalidValueError, match=r"`current` must be a client stage"):
        transitions_to_reach("prospect", "growth")


def test_to_mermaid_of_the_client_lifecycle():
    assert to_mermaid(CLIENT_LIFECYCLE) == (
        "stateDiagram-v2\n"
        "    [*] --> acquisition\n"
        "    acquisition --> activation : first_drawdown\n"
        "    acquisition --> exited : terminate (reason_given)\n"
        "    activation --> growth : expand\n"
        "    activation --> decline : deteriorate\n"
        "    activation --> exited : terminate (reason_given)\n"
        "    growth --> maturity : stabilise\n"
        "    growth --> decline : deteriorate\n"
        "    growth --> exited : terminate (reason_given)\n"
        "    maturity --> growth : expand\n"
        "    maturity --> decline : deteriorate\n"
        "    maturity --> exited : terminate (reason_given)\n"
        "    decline --> growth : recover\n"
        "    decline --> exited : exit\n"
        "    decline --> exited : terminate (reason_given)\n"
        "    exited --> [*]\n"
    )


@pytest.mark.parametrize("machine", [CLIENT_LIFECYCLE, FACILITY_STATUS, PROJECT_PHASE])
def test_to_mermaid_has_one_line_per_move(machine):
    moves = sum(len(row) for row in machine.transitions.values())
    lines = to_mermaid(machine).splitlines()
    assert len(lines) == 1 + 1 + moves + len(machine.terminal)


def test_custom_machines_pickle_by_definition():
    m = _machine(
        {
            Stage.DRAFT: {Event.SUBMIT: Stage.REVIEW, Event.REOPEN: Stage.LIMBO},
            Stage.REVIEW: {Event.FINISH: Stage.DONE},
            Stage.LIMBO: {Event.FINISH: Stage.DONE},
        }
    )
    again = pickle.loads(pickle.dumps(m))
    assert again is not m
    assert again.transitions == m.transitions
    assert again.terminal == m.terminal
    assert m.path(Stage.DONE, Stage.DRAFT) is None
    assert [str(e) for e in again.path(Stage.DRAFT, Stage.DONE) or ()] == [
        "submit",
        "finish",
    ]


def test_state_repr_names_the_machine():
    s = advance(start(PROJECT_PHASE, entity_id="P-1"), "reach_financial_close", on=D)
    assert repr(s) == (
        "LifecycleState(machine='project_phase', "
        "stage=<ProjectPhase.FINANCIAL_CLOSE: 'financial_close'>, "
        "history=History(machine='project_phase', entity_id='P-1', records=1))"
    )
