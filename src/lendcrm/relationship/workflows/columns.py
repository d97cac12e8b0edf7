"""Column names of the workflows frames: RMs, assignments, roles, coverage, moves, tasks.

One constant per column, one meaning per name. The client id and the task status use
the core schema's `lendcrm.frames.columns.CLIENT_ID` and
`lendcrm.frames.columns.STATUS`.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "ACTION",
    "CANCELLED",
    "CLIENTS",
    "CLIENT_CAPACITY",
    "CLIENT_TIER",
    "DONE_LATE",
    "DONE_ON_TIME",
    "DUE_ON",
    "FROM_RM",
    "MEDIAN_DAYS_TO_CLOSE",
    "MEMBER_ID",
    "OLDEST_OVERDUE_DAYS",
    "OPEN",
    "OPEN_TASKS",
    "OVERDUE",
    "OVERDUE_TASKS",
    "OVER_CAPACITY",
    "PRIMARY_RM",
    "RM_ID",
    "RM_LEVEL",
    "RULE",
    "TASKS",
    "TASK_ID",
    "TEAM",
    "TO_RM",
    "WEIGHT",
    "WORKLOAD",
    "WORKLOAD_CAPACITY",
]

# -- coverage (issue #13 part B) ------------------------------------------------------
#: Relationship manager id (managers and coverage frames).
RM_ID: Final = "rm_id"
#: Team id of an RM.
TEAM: Final = "team"
#: Seniority of an RM: ``junior``, ``senior`` or ``head``.
RM_LEVEL: Final = "rm_level"
#: Most clients an RM may cover (NaN: no limit).
CLIENT_CAPACITY: Final = "client_capacity"
#: Most weighted workload an RM may carry (NaN: no limit).
WORKLOAD_CAPACITY: Final = "workload_capacity"
#: The client's value tier (``diamond`` ... ``basic``), as in the relationship frame.
CLIENT_TIER: Final = "tier"
#: The client's primary RM (missing: uncovered).
PRIMARY_RM: Final = "primary_rm"
#: The staff id of a team member in a role.
MEMBER_ID: Final = "member_id"
#: Clients an RM covers as primary RM.
CLIENTS: Final = "clients"
#: Weighted workload of an RM (sum of its clients' tier weights).
WORKLOAD: Final = "workload"
#: Whether an RM is over either capacity.
OVER_CAPACITY: Final = "over_capacity"
#: Workload weight of one client (its tier's weight).
WEIGHT: Final = "weight"
#: The RM a moved client leaves.
FROM_RM: Final = "from_rm"
#: The RM a moved client joins.
TO_RM: Final = "to_rm"

# -- action plans (issue #13 part B) --------------------------------------------------
#: Task id.
TASK_ID: Final = "task_id"
#: Action code of a task.
ACTION: Final = "action"
#: The rule or template that produced a task.
RULE: Final = "rule"
#: Date a task is due.
DUE_ON: Final = "due_on"
#: Tasks in a group (completion frame).
TASKS: Final = "tasks"
#: Tasks done on or before their due date.
DONE_ON_TIME: Final = "done_on_time"
#: Tasks done after their due date.
DONE_LATE: Final = "done_late"
#: Live tasks past their due date (or marked overdue).
OVERDUE: Final = "overdue"
#: Live tasks not yet due.
OPEN: Final = "open"
#: Cancelled tasks.
CANCELLED: Final = "cancelled"
#: Median days from opening to completion of the done tasks.
MEDIAN_DAYS_TO_CLOSE: Final = "median_days_to_close"

# -- tasks per client (client view and relationship frame, issue #13) -----------------
#: Live tasks of a client: open, in progress or overdue.
OPEN_TASKS: Final = "open_tasks"
#: Live tasks of a client past their due date (or marked overdue).
OVERDUE_TASKS: Final = "overdue_tasks"
#: Days the client's oldest overdue task is past its due date (0: none overdue).
OLDEST_OVERDUE_DAYS: Final = "oldest_overdue_days"
