"""Audited lifecycles for clients, facilities and projects, and book-wide stage assessment.

- A table-driven engine: `Machine` (validated when defined), the pure functions
  `start`, `advance`, `can_advance`, `allowed_events`, `replay`, `restore`, and
  `to_mermaid` for the documentation diagrams.
- Three machines: `CLIENT_LIFECYCLE`, `FACILITY_STATUS`, `PROJECT_PHASE`.
- A hash-chained, immutable `History` of every transition.

Examples:
    >>> import datetime as dt
    >>> from lendcrm.lifecycle import CLIENT_LIFECYCLE, advance, start
    >>> s = start(CLIENT_LIFECYCLE, entity_id="C-1")
    >>> s = advance(s, "first_drawdown", on=dt.date(2026, 1, 15), actor="rm-42")
    >>> s.stage.value, len(s.history)
    ('activation', 1)
"""

from __future__ import annotations

from lendcrm.lifecycle.engine import (
    LifecycleState,
    advance,
    allowed_events,
    can_advance,
    replay,
    restore,
    start,
)
from lendcrm.lifecycle.history import (
    ENCODING_VERSION,
    History,
    TransitionRecord,
    register_history_hooks,
)
from lendcrm.lifecycle.machine import (
    Guard,
    Machine,
    TransitionRequest,
    reason_required,
    to_mermaid,
)
from lendcrm.lifecycle.machines import (
    CLIENT_LIFECYCLE,
    FACILITY_STATUS,
    PROJECT_PHASE,
    transitions_to_reach,
)
from lendcrm.lifecycle.states import (
    ClientEvent,
    ClientStage,
    FacilityEvent,
    FacilityStatus,
    ProjectEvent,
    ProjectPhase,
)

__all__ = [  # noqa: RUF022 - plain sorted(), as tests/test_public_api.py checks
    "CLIENT_LIFECYCLE",
    "ClientEvent",
    "ClientStage",
    "ENCODING_VERSION",
    "FACILITY_STATUS",
    "FacilityEvent",
    "FacilityStatus",
    "Guard",
    "History",
    "LifecycleState",
    "Machine",
    "PROJECT_PHASE",
    "ProjectEvent",
    "ProjectPhase",
    "TransitionRecord",
    "TransitionRequest",
    "advance",
    "allowed_events",
    "can_advance",
    "reason_required",
    "register_history_hooks",
    "replay",
    "restore",
    "start",
    "to_mermaid",
    "transitions_to_reach",
]
