"""Audited lifecycles for clients, facilities and projects, and book-wide stage assessment.

- A table-driven engine: `Machine` (validated when defined), the pure functions
  `start`, `advance`, `can_advance`, `allowed_events`, `replay`, `restore`, and
  `to_mermaid` for the documentation diagrams.
- Three machines: `CLIENT_LIFECYCLE`, `FACILITY_STATUS`, `PROJECT_PHASE`.
- A hash-chained, immutable `History` of every transition.
- Book-wide stage assessment: `StageSignals`, the `StageRule` Protocol, built-in
  rules, the caller's `StageRules`, `assess_signals` (numpy), `assess_stages`
  (pandas), `assess_stage` (one client) and `transitions_to_reach`.
- Stage playbooks (`playbook_for`) and project tracking (`milestone_progress`,
  `cost_outlook`, `drawdown_check`, `review_project`).

Examples:
    >>> import datetime as dt
    >>> from lendcrm.lifecycle import CLIENT_LIFECYCLE, advance, start
    >>> s = start(CLIENT_LIFECYCLE, entity_id="C-1")
    >>> s = advance(s, "first_drawdown", on=dt.date(2026, 1, 15), actor="rm-42")
    >>> s.stage.value, len(s.history)
    ('activation', 1)
"""

from __future__ import annotations

from lendcrm.lifecycle._assessment import (
    STAGE_ORDER,
    StageAssessment,
    StageAssessments,
    assess_signals,
    assess_stage,
)
from lendcrm.lifecycle._builtin import (
    CLIENT_LIFECYCLE,
    FACILITY_STATUS,
    PROJECT_PHASE,
    transitions_to_reach,
)
from lendcrm.lifecycle._engine import (
    LifecycleState,
    advance,
    allowed_events,
    can_advance,
    replay,
    restore,
    start,
)
from lendcrm.lifecycle._history import (
    ENCODING_VERSION,
    History,
    TransitionRecord,
    register_history_hooks,
)
from lendcrm.lifecycle._machine import (
    Guard,
    Machine,
    TransitionRequest,
    reason_required,
    to_mermaid,
)
from lendcrm.lifecycle._playbooks import (
    PLAYBOOKS,
    Playbook,
    playbook_for,
)
from lendcrm.lifecycle._projects import (
    CostOutlook,
    DrawdownCheck,
    Finding,
    MilestoneProgress,
    ProjectReview,
    Severity,
    cost_outlook,
    drawdown_check,
    milestone_progress,
    project_review,
    review_project,
)
from lendcrm.lifecycle._rules import (
    DEFAULT_PRECEDENCE,
    CovenantBreach,
    DscrBelowLockup,
    ExposureGrowth,
    NoDrawdownYet,
    OnWatchlist,
    PastDue,
    ProductDeepening,
    RatingDowngrade,
    RecentFirstDrawdown,
    RevenueDecline,
    RevenueGrowth,
    StageRule,
    StageRules,
    SteadyRelationship,
    UtilisationSurge,
)
from lendcrm.lifecycle._signals import (
    SIGNAL_SPECS,
    SignalSpec,
    StageSignals,
    example_columns,
)
from lendcrm.lifecycle._states import (
    ClientEvent,
    ClientStage,
    FacilityEvent,
    ProjectEvent,
)

__all__ = [  # noqa: RUF022 - plain sorted(), as tests/test_public_api.py checks
    "CLIENT_LIFECYCLE",
    "ClientEvent",
    "ClientStage",
    "CostOutlook",
    "CovenantBreach",
    "DEFAULT_PRECEDENCE",
    "DrawdownCheck",
    "DscrBelowLockup",
    "ENCODING_VERSION",
    "ExposureGrowth",
    "FACILITY_STATUS",
    "FacilityEvent",
    "Finding",
    "Guard",
    "History",
    "LifecycleState",
    "Machine",
    "MilestoneProgress",
    "NoDrawdownYet",
    "OnWatchlist",
    "PLAYBOOKS",
    "PROJECT_PHASE",
    "PastDue",
    "Playbook",
    "ProductDeepening",
    "ProjectEvent",
    "ProjectReview",
    "RatingDowngrade",
    "RecentFirstDrawdown",
    "RevenueDecline",
    "RevenueGrowth",
    "SIGNAL_SPECS",
    "STAGE_ORDER",
    "Severity",
    "SignalSpec",
    "StageAssessment",
    "StageAssessments",
    "StageRule",
    "StageRules",
    "StageSignals",
    "SteadyRelationship",
    "TransitionRecord",
    "TransitionRequest",
    "UtilisationSurge",
    "advance",
    "allowed_events",
    "assess_signals",
    "assess_stage",
    "can_advance",
    "cost_outlook",
    "drawdown_check",
    "example_columns",
    "milestone_progress",
    "playbook_for",
    "project_review",
    "reason_required",
    "register_history_hooks",
    "replay",
    "restore",
    "review_project",
    "start",
    "to_mermaid",
    "transitions_to_reach",
]
