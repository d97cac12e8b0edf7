"""Relationship workflows: the service model, coverage and the tasks the team works.

A map of this area (#13):

- Service strategies the bank owns: `ServiceStrategies` (one
  `lendcrm.segmentation.ServiceStrategy` per tier, optional per-stage overrides, the
  risk rules that bring reviews forward).
- Contact standard: `contact_standard` (one client) and
  `service_frames.contact_standard_frame` (a book): meaningful interactions in the
  window against the tier's standard, days since the last contact, the gap;
  `ContactCompliance`, `ContactStanding`.
- Review and KYC calendar: `review_calendar` (one client: `CalendarItem` of each
  `CalendarKind`) and `service_frames.review_dates_frame`,
  `service_frames.calendar_frame` (a book and a date range).
- Coverage: `RelationshipManager` (seniority `RmLevel`, capacity in clients and/or
  weighted workload), `Team`, team roles (`TeamRole`, `RoleAssignment`), the tier
  weights (`TIER_WEIGHTS`); `coverage` validates a roster and a client → RM
  assignment and returns a `Coverage` (workload per RM and tier, uncovered clients,
  RMs over capacity; `rm_load` is the one-RM form).
- Rebalancing: `propose_rebalance` moves the fewest clients so that every RM is
  within capacity, keeping diamond clients with senior RMs (`RebalanceProposal`,
  `Move`).
- Action plans: `Task` with an audited status (`TASK_STATUS`: open → in progress →
  done / cancelled / overdue; `advance_task`, `mark_overdue`); stage templates from
  the playbooks (`PLAN_TEMPLATES`, `templates_from_playbooks`, `plan_tasks`); tasks
  from next-best actions taken as plain columns (`tasks_from_actions`,
  `due_dates`, `ProposedTasks`).
- Completion analytics: `completion_by` (per RM or tier, vectorised),
  `completion_of` and `task_outcome` (one group, one task).

The pandas faces: `lendcrm.relationship.workflows.service_frames` (strategies,
contact standard, calendar) and `lendcrm.relationship.workflows.frames` (managers,
coverage, moves, tasks, completion); column names in
`lendcrm.relationship.workflows.columns`.

Examples:
    >>> import datetime as dt
    >>> from lendcrm import Client, ClientId, Money, Sector
    >>> c = Client(id=ClientId("C-1"), legal_name="Nordwind GmbH",
    ...     sector=Sector.MANUFACTURING, country="DE",
    ...     onboarded_on=dt.date(2020, 3, 1), annual_revenue=Money.of("1", "EUR"))
    >>> contact_standard(c, as_of=dt.date(2026, 1, 31), tier="diamond").standing.value
    'no_contact'

    >>> from lendcrm.relationship.workflows import RelationshipManager, coverage
    >>> rm = RelationshipManager(id="RM-1", team="north", level="senior",
    ...                          client_capacity=1)
    >>> coverage([rm], ["C-1", "C-2"], ["gold", "basic"], ["RM-1", "RM-1"]).over_capacity()
    ('RM-1',)
"""

from __future__ import annotations

from lendcrm.relationship.workflows._calendar import (
    DEFAULT_STRATEGIES,
    CalendarItem,
    CalendarKind,
    review_calendar,
)
from lendcrm.relationship.workflows._completion import (
    OUTCOMES,
    Completion,
    CompletionRow,
    completion_by,
    completion_of,
    task_outcome,
)
from lendcrm.relationship.workflows._contact_standard import (
    ContactCompliance,
    ContactStanding,
    contact_standard,
)
from lendcrm.relationship.workflows._coverage import (
    Coverage,
    RmLoad,
    coverage,
    rm_load,
)
from lendcrm.relationship.workflows._plans import (
    PLAN_TEMPLATES,
    PlanStep,
    PlanTemplate,
    ProposedTasks,
    due_dates,
    plan_tasks,
    tasks_from_actions,
    templates_from_playbooks,
)
from lendcrm.relationship.workflows._rebalance import (
    Move,
    RebalanceProposal,
    propose_rebalance,
)
from lendcrm.relationship.workflows._staff import (
    TIER_WEIGHTS,
    RelationshipManager,
    RmLevel,
    RoleAssignment,
    Team,
    TeamRole,
)
from lendcrm.relationship.workflows._strategies import ServiceStrategies
from lendcrm.relationship.workflows._tasks import (
    TASK_STATUS,
    Task,
    TaskEvent,
    TaskStatus,
    advance_task,
    mark_overdue,
)

__all__ = [  # noqa: RUF022 - plain sorted(), as tests/test_public_api.py checks
    "CalendarItem",
    "CalendarKind",
    "Completion",
    "CompletionRow",
    "ContactCompliance",
    "ContactStanding",
    "Coverage",
    "DEFAULT_STRATEGIES",
    "Move",
    "OUTCOMES",
    "PLAN_TEMPLATES",
    "PlanStep",
    "PlanTemplate",
    "ProposedTasks",
    "RebalanceProposal",
    "RelationshipManager",
    "RmLevel",
    "RmLoad",
    "RoleAssignment",
    "ServiceStrategies",
    "TASK_STATUS",
    "TIER_WEIGHTS",
    "Task",
    "TaskEvent",
    "TaskStatus",
    "Team",
    "TeamRole",
    "advance_task",
    "completion_by",
    "completion_of",
    "contact_standard",
    "coverage",
    "due_dates",
    "mark_overdue",
    "plan_tasks",
    "propose_rebalance",
    "review_calendar",
    "rm_load",
    "task_outcome",
    "tasks_from_actions",
    "templates_from_playbooks",
]
