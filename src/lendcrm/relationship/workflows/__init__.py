"""Relationship workflows: who covers each client, and the tasks the team works through.

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
- The pandas faces are in `lendcrm.relationship.workflows.frames`.

Examples:
    >>> from lendcrm.relationship.workflows import RelationshipManager, coverage
    >>> rm = RelationshipManager(id="RM-1", team="north", level="senior",
    ...                          client_capacity=1)
    >>> coverage([rm], ["C-1", "C-2"], ["gold", "basic"], ["RM-1", "RM-1"]).over_capacity()
    ('RM-1',)
"""

from __future__ import annotations

from lendcrm.relationship.workflows._completion import (
    OUTCOMES,
    Completion,
    CompletionRow,
    completion_by,
    completion_of,
    task_outcome,
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
from lendcrm.relationship.workflows._tasks import (
    TASK_STATUS,
    Task,
    TaskEvent,
    TaskStatus,
    advance_task,
    mark_overdue,
)

__all__ = [  # noqa: RUF022 - plain sorted(), as tests/test_public_api.py checks
    "Completion",
    "CompletionRow",
    "Coverage",
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
    "coverage",
    "due_dates",
    "mark_overdue",
    "plan_tasks",
    "propose_rebalance",
    "rm_load",
    "task_outcome",
    "tasks_from_actions",
    "templates_from_playbooks",
]
