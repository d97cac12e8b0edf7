"""Exact tests of the shipped lifecycle machines and `transitions_to_reach` (issue #23).

The machine tables and the stage/event enumerations are module-level data, which
mutmut does not mutate: they are pinned here entry by entry, so a changed arrow, guard,
terminal stage or persisted value fails a test.
"""

from __future__ import annotations

import pytest

from lendcrm import FacilityStatus, ProjectPhase
from lendcrm.errors import InvalidValueError
from lendcrm.lifecycle import (
    CLIENT_LIFECYCLE,
    FACILITY_STATUS,
    PROJECT_PHASE,
    ClientEvent,
    ClientStage,
    FacilityEvent,
    ProjectEvent,
    transitions_to_reach,
)

ALL_CLIENT_STAGES = "acquisition, activation, growth, maturity, decline, exited"


def _table(machine) -> dict[str, dict[str, str]]:
    return {
        str(stage): {str(e): str(to) for e, to in row.items()}
        for stage, row in machine.transitions.items()
    }


def _guards(machine) -> list[tuple[str, str, str]]:
    return [(g.name, str(g.stage), str(g.event)) for g in machine.guards]


def test_the_stage_and_event_values_are_pinned():
    assert [s.value for s in ClientStage] == ALL_CLIENT_STAGES.split(", ")
    assert [e.value for e in ClientEvent] == [
        "first_drawdown", "expand", "stabilise", "deteriorate", "recover", "exit",
        "terminate",
    ]  # fmt: skip
    assert [e.value for e in FacilityEvent] == [
        "approve", "reject", "cancel", "disburse", "flag", "clear", "default",
        "restructure", "cure", "repay", "write_off",
    ]  # fmt: skip
    assert [e.value for e in ProjectEvent] == [
        "reach_financial_close", "start_construction", "complete_construction",
        "reach_cod", "refinance", "resume_construction", "default", "repay",
        "write_off", "abandon",
    ]  # fmt: skip
    assert FacilityStatus.APPLICATION.value == "application"
    assert ProjectPhase.DEVELOPMENT.value == "development"


def test_the_client_lifecycle_table_is_pinned():
    m = CLIENT_LIFECYCLE
    assert (m.name, m.subject, str(m.initial)) == (
        "client_lifecycle",
        "client",
        "acquisition",
    )
    assert sorted(map(str, m.terminal)) == ["exited"]
    assert _table(m) == {
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
    }
    assert _guards(m) == [
        ("reason_given", s, "terminate")
        for s in ("acquisition", "activation", "growth", "maturity", "decline")
    ]


def test_the_facility_status_table_is_pinned():
    m = FACILITY_STATUS
    assert (m.name, m.subject, str(m.initial)) == (
        "facility_status",
        "facility",
        "application",
    )
    assert sorted(map(str, m.terminal)) == ["cancelled", "repaid", "written_off"]
    assert _table(m) == {
        "application": {"approve": "approved", "reject": "cancelled"},
        "approved": {"disburse": "active", "cancel": "cancelled"},
        "active": {"flag": "watchlist", "default": "non_performing", "repay": "repaid"},
        "watchlist": {
            "clear": "active",
            "default": "non_performing",
            "restructure": "restructured",
            "repay": "repaid",
        },
        "non_performing": {
            "restructure": "restructured",
            "cure": "active",
            "repay": "repaid",
            "write_off": "written_off",
        },
        "restructured": {
            "cure": "active",
            "default": "non_performing",
            "repay": "repaid",
        },
    }
    assert _guards(m) == [
        ("reason_given", "non_performing", "write_off"),
        ("reason_given", "watchlist", "restructure"),
        ("reason_given", "non_performing", "restructure"),
    ]


def test_the_project_phase_table_is_pinned():
    m = PROJECT_PHASE
    assert (m.name, m.subject, str(m.initial)) == (
        "project_phase",
        "project",
        "development",
    )
    assert sorted(map(str, m.terminal)) == ["abandoned", "repaid", "written_off"]
    assert _table(m) == {
        "development": {
            "reach_financial_close": "financial_close",
            "abandon": "abandoned",
        },
        "financial_close": {
            "start_construction": "construction",
            "abandon": "abandoned",
        },
        "construction": {
            "complete_construction": "commissioning",
            "default": "defaulted",
        },
        "commissioning": {"reach_cod": "operations", "default": "defaulted"},
        "operations": {
            "refinance": "operations",
            "repay": "repaid",
            "default": "defaulted",
        },
        "defaulted": {
            "refinance": "operations",
            "resume_construction": "construction",
            "write_off": "written_off",
        },
    }
    assert _guards(m) == [
        ("reason_given", "defaulted", "write_off"),
        ("reason_given", "development", "abandon"),
        ("reason_given", "financial_close", "abandon"),
    ]


@pytest.mark.parametrize(
    ("current", "assessed", "events"),
    [
        ("acquisition", "maturity", ("first_drawdown", "expand", "stabilise")),
        ("acquisition", "exited", ("terminate",)),
        (ClientStage.DECLINE, ClientStage.GROWTH, ("recover",)),
        ("exited", "exited", ()),
    ],
)
def test_transitions_to_reach_takes_the_shortest_path(current, assessed, events):
    out = transitions_to_reach(current, assessed)
    assert isinstance(out, tuple)
    assert all(type(e) is ClientEvent for e in out)
    assert tuple(e.value for e in out) == events


@pytest.mark.parametrize(
    ("current", "assessed", "field", "shown"),
    [
        ("x", "growth", "current", "'x'"),
        (1, "growth", "current", "1"),
        ("growth", "x", "assessed", "'x'"),
        ("growth", None, "assessed", "None"),
    ],
)
def test_transitions_to_reach_refuses_an_unknown_stage(current, assessed, field, shown):
    with pytest.raises(InvalidValueError) as info:
        transitions_to_reach(current, assessed)
    assert info.value.field == field
    assert str(info.value) == (
        f"`{field}` must be a client stage ({ALL_CLIENT_STAGES}); got {shown}."
    )


@pytest.mark.parametrize(
    ("current", "assessed", "reachable"),
    [
        ("maturity", "activation", "growth, maturity, decline, exited"),
        (ClientStage.EXITED, ClientStage.GROWTH, "exited"),
    ],
)
def test_transitions_to_reach_refuses_an_unreachable_stage(
    current, assessed, reachable
):
    with pytest.raises(InvalidValueError) as info:
        transitions_to_reach(current, assessed)
    err = info.value
    assert err.field == "assessed"
    assert err.value == str(assessed)
    assert type(err.value) is str
    assert str(err) == (
        f"`assessed` must be a stage reachable from '{current}' ({reachable}); "
        f"got '{assessed}'. Keep the stored stage and review the client by hand."
    )
