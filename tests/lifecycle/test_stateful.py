"""Random event sequences never leave the table, never lose a record, always verify."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from lendcrm.errors import GuardRefusedError, IllegalTransitionError
from lendcrm.lifecycle import (
    CLIENT_LIFECYCLE,
    FACILITY_STATUS,
    PROJECT_PHASE,
    History,
    Machine,
    advance,
    replay,
    start,
)

MACHINES: dict[str, Machine[Any, Any]] = {
    m.name: m for m in (CLIENT_LIFECYCLE, FACILITY_STATUS, PROJECT_PHASE)
}


class LifecycleWalk(RuleBasedStateMachine):
    """Apply random events (legal or not) to one entity of a random machine."""

    @initialize(name=st.sampled_from(sorted(MACHINES)))
    def begin(self, name):
        self.machine = MACHINES[name]
        self.state = start(self.machine, entity_id="E-1")
        self.today = dt.date(2026, 1, 1)
        self.applied = 0
        self.was_terminal = False

    @rule(
        data=st.data(),
        days=st.integers(min_value=0, max_value=400),
        reason=st.one_of(st.none(), st.just(""), st.text(min_size=1, max_size=20)),
    )
    def apply_random_event(self, data, days, reason):
        events: list[Any] = [*self.machine.events.__members__.values()]
        event = data.draw(st.sampled_from(events))
        self.today += dt.timedelta(days=days)
        before = self.state
        legal = event in self.machine.transitions.get(before.stage, {})
        try:
            after = advance(before, event, on=self.today, reason=reason, actor="prop")
        except IllegalTransitionError:
            assert not legal
            assert before.machine.is_terminal(before.stage) or event not in (
                before.machine.allowed_events(before.stage)
            )
            return
        except GuardRefusedError:
            assert legal
            assert reason is None or not reason.strip()
            return
        assert legal
        assert not self.was_terminal, "a terminal stage was left"
        assert after.stage is self.machine.transitions[before.stage][event]
        self.state = after
        self.applied += 1
        self.was_terminal = self.machine.is_terminal(after.stage)

    @invariant()
    def stage_is_in_the_table(self):
        assert isinstance(self.state.stage, self.machine.stages)

    @invariant()
    def no_record_is_lost_and_the_chain_verifies(self):
        history = self.state.history
        assert len(history) == self.applied == len(history.records)
        history.verify()
        assert replay(self.machine, history) is self.state.stage
        assert History.from_dict(history.to_dict()) == history


TestLifecycleWalk = LifecycleWalk.TestCase


@pytest.mark.parametrize("name", sorted(MACHINES))
def test_every_machine_has_a_terminal_path_from_every_stage(name):
    machine = MACHINES[name]
    for stage in machine.stages:
        assert any(machine.path(stage, t) is not None for t in machine.terminal)
