"""The engine functions: each refusal's field and words, guards in order, replay (#23).

Each test pins a behaviour of ``lendcrm/lifecycle/_engine.py`` that the broad engine
tests leave open: the arguments each function refuses (with the field named), every
guard of a move consulted in order with the refusing one named, ``reason`` and
``actor`` passed on by `can_advance`, and `replay` refusing a record that starts from
the wrong stage at the index of that record.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

import pytest

from lendcrm.errors import GuardRefusedError, InvalidValueError, TamperedHistoryError
from lendcrm.lifecycle import (
    CLIENT_LIFECYCLE,
    ClientStage,
    Guard,
    History,
    Machine,
    TransitionRequest,
    advance,
    allowed_events,
    can_advance,
    replay,
    restore,
    start,
)

D = dt.date(2026, 1, 15)
#: Wrong arguments, typed Any so the refusals can be called.
GROWTH: Any = ClientStage.GROWTH
NAME: Any = "client_lifecycle"


class Stage(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class Event(StrEnum):
    CLOSE = "close"


def two_guards(seen: list[str]) -> Machine[Stage, Event]:
    """One move with two guards: "signed" needs a reason, "four_eyes" an actor."""

    def signed(request: TransitionRequest) -> str | None:
        seen.append("signed")
        return None if request.reason else "no signature"

    def four_eyes(request: TransitionRequest) -> str | None:
        seen.append("four_eyes")
        return None if request.actor == "checker" else "no second pair of eyes"

    guards = [
        Guard(name=name, stage=Stage.OPEN, event=Event.CLOSE, check=check)
        for name, check in (("signed", signed), ("four_eyes", four_eyes))
    ]
    return Machine(
        name="two_guards",
        subject="case",
        stages=Stage,
        events=Event,
        initial=Stage.OPEN,
        terminal={Stage.CLOSED},
        transitions={Stage.OPEN: {Event.CLOSE: Stage.CLOSED}},
        guards=guards,
    )


def refusal(call: Any) -> InvalidValueError:
    with pytest.raises(InvalidValueError) as info:
        call()
    return info.value


def test_every_guard_is_consulted_in_order_and_the_refusing_one_named():
    seen: list[str] = []
    s = start(two_guards(seen), entity_id="K-1")
    with pytest.raises(GuardRefusedError) as info:
        advance(s, Event.CLOSE, on=D, reason="settled", actor="maker")
    assert (
        info.value.stage,
        info.value.event,
        info.value.guard,
        info.value.reason,
    ) == (
        "open",
        "close",
        "four_eyes",
        "no second pair of eyes",
    )
    assert seen == ["signed", "four_eyes"]
    done = advance(s, "close", on=D, reason="settled", actor="checker")
    assert done.stage is Stage.CLOSED
    record = done.history.last
    assert record is not None
    assert (record.reason, record.actor, record.event) == (
        "settled",
        "checker",
        "close",
    )


def test_can_advance_passes_reason_and_actor_to_every_guard():
    seen: list[str] = []
    s = start(two_guards(seen))
    assert not can_advance(s, Event.CLOSE, reason="settled")
    assert not can_advance(s, Event.CLOSE, actor="checker")
    assert can_advance(s, "close", reason="settled", actor="checker")
    assert not can_advance(
        advance(s, "close", on=D, reason="x", actor="checker"), "close"
    )


def test_start_names_the_entity_and_refuses_anything_but_a_machine():
    assert start(CLIENT_LIFECYCLE).history.entity_id == ""
    assert start(CLIENT_LIFECYCLE, entity_id="C-7").history.entity_id == "C-7"
    err = refusal(lambda: start(NAME))
    assert err.field == "machine"
    assert str(err) == "`machine` must be a Machine; got a 'str'."


def test_every_function_refuses_a_bad_state_or_event():
    s = start(CLIENT_LIFECYCLE)
    for call in (
        lambda: advance(GROWTH, "expand", on=D),
        lambda: can_advance(GROWTH, "expand"),
        lambda: allowed_events(GROWTH),
    ):
        err = refusal(call)
        assert err.field == "state"
        assert "a LifecycleState" in str(err)
    event: Any = ["expand"]
    for call in (
        lambda: advance(s, event, on=D),
        lambda: can_advance(s, event),
    ):
        err = refusal(call)
        assert err.field == "event"
        assert "an event (the machine's enum or its value)" in str(err)


def test_replay_refuses_what_is_not_a_machine_or_a_history():
    history = start(CLIENT_LIFECYCLE).history
    err = refusal(lambda: replay(NAME, history))
    assert err.field == "machine"
    assert "a lifecycle Machine" in str(err)
    bad: Any = history.to_dict()
    err = refusal(lambda: replay(CLIENT_LIFECYCLE, bad))
    assert err.field == "history"
    assert "a History" in str(err)


def test_replay_refuses_a_first_record_that_starts_from_another_stage():
    # "stabilise" from growth is a move the table has and the chain is intact (its
    # check cannot know the initial stage), but the entity starts in acquisition
    h = History(machine="client_lifecycle", entity_id="C-1").append(
        from_stage="growth", to_stage="maturity", event="stabilise", on=D
    )
    h.verify()
    with pytest.raises(TamperedHistoryError) as info:
        replay(CLIENT_LIFECYCLE, h)
    assert info.value.index == 0
    assert str(info.value) == (
        "History record 0 fails verification: it records event 'stabilise' from "
        "'growth' to 'maturity', which machine 'client_lifecycle' does not allow "
        "from 'acquisition'."
    )


def test_restore_gives_the_replayed_stage_and_the_history():
    s = advance(start(CLIENT_LIFECYCLE, entity_id="C-1"), "first_drawdown", on=D)
    s = advance(s, "expand", on=D)
    again = restore(CLIENT_LIFECYCLE, s.history)
    assert again.machine is CLIENT_LIFECYCLE
    assert again.stage is ClientStage.GROWTH
    assert again.history is s.history
