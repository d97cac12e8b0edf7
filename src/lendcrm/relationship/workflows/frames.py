"""pandas faces of the relationship workflows: frames in, checked once, frames out.

- Coverage: `managers_frame` / `managers_from_frame` (one row per RM),
  `check_managers_frame`, `check_assignments_frame` (client, tier, primary RM),
  `coverage_from_frames` (managers, assignments and roles frames → `Coverage`),
  `coverage_frame` (one row per RM: clients, workload, over capacity) and
  `moves_frame` (one row per move of a `RebalanceProposal`).
- Action plans: `tasks_frame` (tasks or `tasks_from_actions` output → one row per
  task), `check_tasks_frame`, `completion_frame` (per RM or per tier).

Column names are the `lendcrm.relationship.workflows.columns` constants; every check
names the first offending row labels (`lendcrm.errors.InvalidRowsError`).
"""

from __future__ import annotations

from lendcrm.relationship.workflows._frames_coverage import (
    check_assignments_frame,
    check_managers_frame,
    coverage_frame,
    coverage_from_frames,
    managers_frame,
    managers_from_frame,
    moves_frame,
)
from lendcrm.relationship.workflows._frames_task_counts import client_tasks_frame
from lendcrm.relationship.workflows._frames_tasks import (
    check_tasks_frame,
    completion_frame,
    tasks_frame,
)

__all__ = [
    "check_assignments_frame",
    "check_managers_frame",
    "check_tasks_frame",
    "client_tasks_frame",
    "completion_frame",
    "coverage_frame",
    "coverage_from_frames",
    "managers_frame",
    "managers_from_frame",
    "moves_frame",
    "tasks_frame",
]
