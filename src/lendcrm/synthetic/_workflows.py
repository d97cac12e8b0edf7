"""The RM roster and the action-plan tasks of a synthetic book (#13).

Drawn after every other frame from a child of the generator (``rng.spawn``), so no
frame drawn before moves. The synthetic package is core and may not import
`lendcrm.relationship`: the column names are plain strings here, held equal to
`lendcrm.relationship.workflows.columns` by the tests.

- Roster: one row per RM of the clients' ``relationship_manager`` column (``RM0001``
  ...; the first fifth senior, they carry the diamond and gold clients), teams of
  eight RMs (``T01``...). The client capacity is the RM's own client count times
  U(1.05, 1.40), rounded up, so most RMs have room; 12 % of them (at least one,
  none when the book has a single RM) get 80-95 % of their count, rounded down, and are over capacity; when the others'
  spare room is less than twice the shortfall it is raised in proportion to their
  loads, so a rebalancing always exists. No workload capacity (NaN).
- Tasks: a Poisson number per client, by proxy tier (diamond 3, gold 2, silver 1,
  basic 0.5 a quarter) times the stage's factor (young and declining relationships
  more); each opened on a day of the last 120, due 7-60 days later, owned by the
  client's RM, its action one of the stage's next-best actions. A task due before
  ``as_of`` is done (70 %, on a day between opening and 15 days after its due date,
  never after ``as_of``), cancelled (5 %) or still live: 40 % of those marked
  overdue, the rest open or in progress; a task not yet due is open (60 %), in
  progress (30 %) or already done (10 %).
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from lendcrm.frames import columns as schema
from lendcrm.synthetic._contacts import proxy_tiers
from lendcrm.synthetic._frame_tools import as_ns, categorical, str_column, take_ids

__all__ = ["WORKFLOW_COLUMNS", "workflow_frames"]

#: The column names of the roster and tasks frames (equal, the tests check, to
#: ``lendcrm.relationship.workflows.columns``).
WORKFLOW_COLUMNS: Final = {
    "RM_ID": "rm_id",
    "TEAM": "team",
    "RM_LEVEL": "rm_level",
    "CLIENT_CAPACITY": "client_capacity",
    "WORKLOAD_CAPACITY": "workload_capacity",
    "TASK_ID": "task_id",
    "ACTION": "action",
    "CLIENT_TIER": "tier",
    "RULE": "rule",
    "DUE_ON": "due_on",
}
_C = WORKFLOW_COLUMNS
_TIERS: Final = ("diamond", "gold", "silver", "basic")
_LEVELS: Final = ("junior", "senior", "head")
_STATUSES: Final = ("open", "in_progress", "done", "cancelled", "overdue")
_OPEN, _IN_PROGRESS, _DONE, _CANCELLED, _OVERDUE = range(5)
#: Tasks a quarter per proxy tier, best first, and the factor per stage (acquisition,
#: activation, growth, maturity, decline).
_TASKS_BY_TIER: Final = np.array([3.0, 2.0, 1.0, 0.5])
_TASKS_BY_STAGE: Final = np.array([1.5, 1.4, 1.0, 0.8, 1.6])
#: Next-best actions per stage (rows as above); a task draws one of its stage's.
_ACTIONS: Final = (
    ("annual_review_due", "feedback_follow_up"),
    ("first_drawdown_follow_up", "feedback_follow_up"),
    ("cross_sell", "limit_increase", "referral_ask"),
    ("annual_review_due", "repricing", "referral_ask"),
    ("waiver_review", "tailored_refinancing", "exit_plan"),
)
_ACTION_CODES: Final = tuple(sorted({a for row in _ACTIONS for a in row}))
_ACTION_COUNT: Final = np.array([len(row) for row in _ACTIONS])
_ACTION_TABLE: Final = np.array(
    [[_ACTION_CODES.index(row[k % len(row)]) for k in range(3)] for row in _ACTIONS]
)
_WINDOW_DAYS: Final = 120
_TEAM_SIZE: Final = 8
_OVER_SHARE: Final = 0.12
#: Cumulative shares of a task past due: done, + cancelled (on ``u``); of the live
#: ones marked overdue, + open (on ``v``; the rest in progress).
_PAST_CUTS: Final = (0.70, 0.75, 0.40, 0.70)
#: Cumulative shares of a task not yet due: open, + in progress (the rest done).
_FUTURE_CUTS: Final = (0.60, 0.90)


def _roster(rng: np.random.Generator, rm: npt.NDArray[np.object_]) -> pd.DataFrame:
    counts = pd.Series(rm).value_counts(sort=False).sort_index()
    ids, load = counts.index.to_numpy(dtype=object), counts.to_numpy(dtype=np.int64)
    n_rm = ids.size
    senior = max(1, n_rm // 5)
    rank = np.arange(n_rm)
    room = np.ceil(load * rng.uniform(1.05, 1.40, n_rm)).astype(np.int64)
    over = np.zeros(n_rm, dtype=bool)
    picked = rng.choice(n_rm, size=max(1, round(n_rm * _OVER_SHARE)), replace=False)
    if n_rm > 1:  # a lone RM (a tiny book) has nobody to hand clients to
        over[picked] = True
    short = np.floor(load * rng.uniform(0.80, 0.95, n_rm)).astype(np.int64)
    capacity = np.where(over, short, room)
    # the others' spare room covers twice the shortfall, so a rebalancing exists
    need = 2 * int((load - capacity)[over].sum()) - int((capacity - load)[~over].sum())
    if need > 0:
        extra = np.ceil(need * load / load[~over].sum()).astype(np.int64)
        capacity = np.where(over, capacity, capacity + extra)
    return pd.DataFrame(
        {
            _C["RM_ID"]: str_column(ids),
            _C["TEAM"]: str_column(
                np.array([f"T{t + 1:02d}" for t in rank // _TEAM_SIZE], dtype=object)
            ),
            _C["RM_LEVEL"]: categorical(np.where(rank < senior, 1, 0), _LEVELS),
            _C["CLIENT_CAPACITY"]: capacity,
            _C["WORKLOAD_CAPACITY"]: np.full(n_rm, np.nan),
        }
    )


def _task_ids(m: int) -> npt.NDArray[np.str_]:
    """``T00000001``...; vectorised (``np.char.zfill`` refuses an empty array)."""
    if m == 0:
        return np.array([], dtype=str)
    return np.char.add("T", np.char.zfill(np.arange(1, m + 1).astype(str), 8))


def _tasks(
    rng: np.random.Generator,
    clients: pd.DataFrame,
    stage_codes: npt.NDArray[np.int64],
    as_of: np.datetime64,
) -> pd.DataFrame:
    n = len(clients)
    tier = proxy_tiers(clients[schema.REVENUE_TO_BANK].to_numpy(dtype=np.float64))
    count = rng.poisson(_TASKS_BY_TIER[tier] * _TASKS_BY_STAGE[stage_codes])
    owner = np.repeat(np.arange(n), count)
    m = owner.size
    day = int(as_of.astype("datetime64[D]").astype(np.int64))
    created = day - rng.integers(0, _WINDOW_DAYS, m)
    due = created + rng.integers(7, 61, m)
    stage = stage_codes[owner]
    width = _ACTION_COUNT[stage]
    action = _ACTION_TABLE[stage, np.floor(rng.random(m) * width).astype(np.int64)]
    u, v = rng.random(m), rng.random(m)
    past = due < day
    done, cancelled, marked, opened = _PAST_CUTS
    past_status = np.select(
        [u < done, u < cancelled, v < marked, v < opened],
        [_DONE, _CANCELLED, _OVERDUE, _OPEN],
        default=_IN_PROGRESS,
    )
    still_open, started = _FUTURE_CUTS
    future_status = np.select(
        [u < still_open, u < started], [_OPEN, _IN_PROGRESS], default=_DONE
    )
    status = np.where(past, past_status, future_status)
    closing = created + np.floor(rng.random(m) * (due + 16 - created)).astype(np.int64)
    closed = np.where(
        (status == _DONE) | (status == _CANCELLED),
        np.minimum(closing, day),
        np.iinfo(np.int64).min,
    )
    # ids and codes taken from string arrays (no per-row string work)
    codes = take_ids(str_column(np.array(_ACTION_CODES, dtype=object)), action)
    return pd.DataFrame(
        {
            _C["TASK_ID"]: str_column(_task_ids(m)),
            schema.CLIENT_ID: take_ids(clients[schema.CLIENT_ID], owner),
            _C["ACTION"]: codes,
            schema.OWNER: take_ids(clients[schema.RELATIONSHIP_MANAGER], owner),
            _C["CLIENT_TIER"]: take_ids(
                str_column(np.array(_TIERS, dtype=object)), tier[owner]
            ),
            _C["RULE"]: codes,
            schema.STATUS: categorical(status, _STATUSES),
            schema.CREATED_ON: as_ns(created.astype("datetime64[D]")),
            _C["DUE_ON"]: as_ns(due.astype("datetime64[D]")),
            schema.CLOSED_ON: as_ns(closed.astype("datetime64[D]")),
        }
    )


def workflow_frames(
    rng: np.random.Generator,
    clients: pd.DataFrame,
    stage_codes: npt.NDArray[np.int64],
    as_of: np.datetime64,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The roster (one row per RM) and the tasks frame of a synthetic book."""
    rm = clients[schema.RELATIONSHIP_MANAGER].to_numpy(dtype=object)
    return _roster(rng, rm), _tasks(rng, clients, stage_codes, as_of)
