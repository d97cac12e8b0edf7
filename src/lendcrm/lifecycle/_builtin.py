"""The three lifecycle machines of lendcrm, defined (and validated) once at import.

- `CLIENT_LIFECYCLE`: the five relationship stages of the source article plus exit.
- `FACILITY_STATUS`: one credit facility from application to repayment or write-off.
- `PROJECT_PHASE`: a financed project from development to repayment, with default,
  refinancing and abandonment paths.

Each table is the single source for code, tests and the documentation diagrams.
"""

from __future__ import annotations

from typing import Final

from lendcrm.errors import InvalidValueError
from lendcrm.lifecycle._machine import Guard, Machine, reason_required
from lendcrm.lifecycle._shipped import ship
from lendcrm.lifecycle._states import (
    ClientEvent,
    ClientStage,
    FacilityEvent,
    FacilityStatus,
    ProjectEvent,
    ProjectPhase,
)

__all__ = [
    "CLIENT_LIFECYCLE",
    "FACILITY_STATUS",
    "PROJECT_PHASE",
    "transitions_to_reach",
]

_C, _CE = ClientStage, ClientEvent

#: Client relationships: acquisition → activation (first drawdown) → growth →
#: maturity, decline from any live stage after acquisition, recovery from decline
#: back to growth, exit from decline or by an explicit, reasoned termination.
CLIENT_LIFECYCLE: Final[Machine[ClientStage, ClientEvent]] = Machine(
    name="client_lifecycle",
    subject="client",
    stages=ClientStage,
    events=ClientEvent,
    initial=_C.ACQUISITION,
    terminal={_C.EXITED},
    transitions={
        _C.ACQUISITION: {
            _CE.FIRST_DRAWDOWN: _C.ACTIVATION,
            _CE.TERMINATE: _C.EXITED,
        },
        _C.ACTIVATION: {
            _CE.EXPAND: _C.GROWTH,
            _CE.DETERIORATE: _C.DECLINE,
            _CE.TERMINATE: _C.EXITED,
        },
        _C.GROWTH: {
            _CE.STABILISE: _C.MATURITY,
            _CE.DETERIORATE: _C.DECLINE,
            _CE.TERMINATE: _C.EXITED,
        },
        _C.MATURITY: {
            _CE.EXPAND: _C.GROWTH,
            _CE.DETERIORATE: _C.DECLINE,
            _CE.TERMINATE: _C.EXITED,
        },
        _C.DECLINE: {
            _CE.RECOVER: _C.GROWTH,
            _CE.EXIT: _C.EXITED,
            _CE.TERMINATE: _C.EXITED,
        },
    },
    guards=[
        Guard(
            name="reason_given", stage=stage, event=_CE.TERMINATE, check=reason_required
        )
        for stage in (_C.ACQUISITION, _C.ACTIVATION, _C.GROWTH, _C.MATURITY, _C.DECLINE)
    ],
)

_F, _FE = FacilityStatus, FacilityEvent

#: Credit facilities: application → approved → active, the watchlist and
#: non-performing paths, restructuring and cure, and the three ends (repaid,
#: written off with a reason, cancelled before drawdown).
FACILITY_STATUS: Final[Machine[FacilityStatus, FacilityEvent]] = Machine(
    name="facility_status",
    subject="facility",
    stages=FacilityStatus,
    events=FacilityEvent,
    initial=_F.APPLICATION,
    terminal={_F.REPAID, _F.WRITTEN_OFF, _F.CANCELLED},
    transitions={
        _F.APPLICATION: {_FE.APPROVE: _F.APPROVED, _FE.REJECT: _F.CANCELLED},
        _F.APPROVED: {_FE.DISBURSE: _F.ACTIVE, _FE.CANCEL: _F.CANCELLED},
        _F.ACTIVE: {
            _FE.FLAG: _F.WATCHLIST,
            _FE.DEFAULT: _F.NON_PERFORMING,
            _FE.REPAY: _F.REPAID,
        },
        _F.WATCHLIST: {
            _FE.CLEAR: _F.ACTIVE,
            _FE.DEFAULT: _F.NON_PERFORMING,
            _FE.RESTRUCTURE: _F.RESTRUCTURED,
            _FE.REPAY: _F.REPAID,
        },
        _F.NON_PERFORMING: {
            _FE.RESTRUCTURE: _F.RESTRUCTURED,
            _FE.CURE: _F.ACTIVE,
            _FE.REPAY: _F.REPAID,
            _FE.WRITE_OFF: _F.WRITTEN_OFF,
        },
        _F.RESTRUCTURED: {
            _FE.CURE: _F.ACTIVE,
            _FE.DEFAULT: _F.NON_PERFORMING,
            _FE.REPAY: _F.REPAID,
        },
    },
    guards=[
        Guard(
            name="reason_given",
            stage=_F.NON_PERFORMING,
            event=_FE.WRITE_OFF,
            check=reason_required,
        ),
        Guard(
            name="reason_given",
            stage=_F.WATCHLIST,
            event=_FE.RESTRUCTURE,
            check=reason_required,
        ),
        Guard(
            name="reason_given",
            stage=_F.NON_PERFORMING,
            event=_FE.RESTRUCTURE,
            check=reason_required,
        ),
    ],
)

_P, _PE = ProjectPhase, ProjectEvent

#: Financed projects: development → financial close → construction → commissioning
#: → operations → repaid; default from construction, commissioning or operations,
#: then refinancing (back to operations), resumed construction or write-off;
#: refinancing of an operating project; abandonment before construction.
PROJECT_PHASE: Final[Machine[ProjectPhase, ProjectEvent]] = Machine(
    name="project_phase",
    subject="project",
    stages=ProjectPhase,
    events=ProjectEvent,
    initial=_P.DEVELOPMENT,
    terminal={_P.REPAID, _P.WRITTEN_OFF, _P.ABANDONED},
    transitions={
        _P.DEVELOPMENT: {
            _PE.REACH_FINANCIAL_CLOSE: _P.FINANCIAL_CLOSE,
            _PE.ABANDON: _P.ABANDONED,
        },
        _P.FINANCIAL_CLOSE: {
            _PE.START_CONSTRUCTION: _P.CONSTRUCTION,
            _PE.ABANDON: _P.ABANDONED,
        },
        _P.CONSTRUCTION: {
            _PE.COMPLETE_CONSTRUCTION: _P.COMMISSIONING,
            _PE.DEFAULT: _P.DEFAULTED,
        },
        _P.COMMISSIONING: {
            _PE.REACH_COD: _P.OPERATIONS,
            _PE.DEFAULT: _P.DEFAULTED,
        },
        _P.OPERATIONS: {
            _PE.REFINANCE: _P.OPERATIONS,
            _PE.REPAY: _P.REPAID,
            _PE.DEFAULT: _P.DEFAULTED,
        },
        _P.DEFAULTED: {
            _PE.REFINANCE: _P.OPERATIONS,
            _PE.RESUME_CONSTRUCTION: _P.CONSTRUCTION,
            _PE.WRITE_OFF: _P.WRITTEN_OFF,
        },
    },
    guards=[
        Guard(
            name="reason_given",
            stage=_P.DEFAULTED,
            event=_PE.WRITE_OFF,
            check=reason_required,
        ),
        Guard(
            name="reason_given",
            stage=_P.DEVELOPMENT,
            event=_PE.ABANDON,
            check=reason_required,
        ),
        Guard(
            name="reason_given",
            stage=_P.FINANCIAL_CLOSE,
            event=_PE.ABANDON,
            check=reason_required,
        ),
    ],
)


ship(CLIENT_LIFECYCLE, FACILITY_STATUS, PROJECT_PHASE)


def transitions_to_reach(
    current: ClientStage | str, assessed: ClientStage | str
) -> tuple[ClientEvent, ...]:
    """The client events that move a stored stage to an assessed one (shortest path).

    Use it to turn an `assess_stages` result into proposed events for the
    relationship team; an empty tuple means the stored stage is already right.
    Guarded events (``terminate``) need a reason when applied.

    Args:
        current: The stage stored for the client.
        assessed: The stage the assessment proposes.

    Returns:
        The events, in order.

    Raises:
        InvalidValueError: a stage is unknown, or ``assessed`` cannot be reached
            from ``current`` (e.g. back from maturity to activation, or anything
            after exit); the message lists the stages that can be reached.

    Examples:
        >>> [str(e) for e in transitions_to_reach("activation", "maturity")]
        ['expand', 'stabilise']
        >>> transitions_to_reach("decline", "decline")
        ()
        >>> transitions_to_reach("maturity", "activation")
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `assessed` must be a stage reachable from 'maturity' (growth, maturity, decline, exited); got 'activation'. Keep the stored stage and review the client by hand.
    """
    machine = CLIENT_LIFECYCLE
    stages = {s.value: s for s in ClientStage}
    for name, value in (("current", current), ("assessed", assessed)):
        if not isinstance(value, str) or value not in stages:  # type: ignore[redundant-expr]
            raise InvalidValueError(
                field=name,
                value=value,
                expected=f"a client stage ({', '.join(stages)})",
            )
    here, goal = stages[str(current)], stages[str(assessed)]
    events = machine.path(here, goal)
    if events is None:
        reachable = [s.value for s in ClientStage if machine.path(here, s) is not None]
        raise InvalidValueError(
            field="assessed",
            value=goal.value,
            expected=f"a stage reachable from '{here}' ({', '.join(reachable)})",
            hint="Keep the stored stage and review the client by hand.",
        )
    return events
