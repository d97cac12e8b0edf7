"""Tour part (issue #13 B): coverage of a synthetic book, one RM's overdue tasks, a rebalancing.

`coverage_tour` is called by ``examples/tour.py``'s ``main()``; run this file alone to
see only this part. Everything is drawn from seeded generators: the same output on
every run.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from lendcrm.frames.columns import OWNER
from lendcrm.relationship.workflows import (
    RelationshipManager,
    Task,
    advance_task,
    coverage,
    mark_overdue,
    plan_tasks,
    propose_rebalance,
)
from lendcrm.relationship.workflows import columns as wcol
from lendcrm.relationship.workflows.frames import (
    completion_frame,
    coverage_frame,
    moves_frame,
    tasks_frame,
)
from lendcrm.segmentation import TIER_LEVELS, QuantileTiers
from lendcrm.segmentation.frames import features_from_frame
from lendcrm.synthetic import RATING_GRADES, generate_frames

AS_OF = dt.date(2025, 12, 31)
N_CLIENTS = 2_000
#: The roster: (level, team) of each RM, RM-01 first.
ROSTER = (
    ("head", "energy"),
    ("senior", "energy"),
    ("junior", "energy"),
    ("junior", "energy"),
    ("head", "infrastructure"),
    ("senior", "infrastructure"),
    ("junior", "infrastructure"),
    ("junior", "infrastructure"),
)
CLIENT_CAPACITY = 300
WORKLOAD_CAPACITY = 330.0
#: Plans opened this many days before the tour's date.
PLAN_AGE_DAYS = 75
#: Shares of the tasks the tour marks done and cancelled.
DONE_SHARE = 0.55
CANCELLED_SHARE = 0.05


def draw_roster() -> tuple[RelationshipManager, ...]:
    """The eight RMs of the tour, each with 300 clients and 330 workload units."""
    return tuple(
        RelationshipManager(
            id=f"RM-{i + 1:02d}",
            team=team,
            level=level,
            client_capacity=CLIENT_CAPACITY,
            workload_capacity=WORKLOAD_CAPACITY,
        )
        for i, (level, team) in enumerate(ROSTER)
    )


def assign_clients(
    tiers: np.ndarray, rms: tuple[RelationshipManager, ...], seed: int = 13
) -> list[str | None]:
    """A skewed, deterministic book assignment: diamond clients with senior RMs,
    the rest by uneven RM shares, 1 % of the clients still without an RM."""
    rng = np.random.default_rng(seed)
    share = np.array([3.0, 2.0, 1.0, 0.8, 1.2, 1.0, 0.6, 0.4])
    owner = rng.choice(len(rms), size=tiers.size, p=share / share.sum())
    seniors = np.flatnonzero([rm.level.is_senior for rm in rms])
    diamond = tiers == 0
    owner[diamond] = seniors[rng.integers(0, seniors.size, diamond.sum())]
    ids = [rm.id for rm in rms]
    uncovered = rng.random(tiers.size) < 0.01
    return [None if u else ids[o] for o, u in zip(owner, uncovered, strict=True)]


def work_the_plans(tasks: list[Task], seed: int = 17) -> list[Task]:
    """Some tasks done (on time or late), a few cancelled, the rest left as they are."""
    rng = np.random.default_rng(seed)
    draws = rng.random(len(tasks))
    days = rng.integers(1, PLAN_AGE_DAYS, len(tasks))
    out = []
    for task, u, d in zip(tasks, draws.tolist(), days.tolist(), strict=True):
        on = task.created_on + dt.timedelta(days=d)
        if u < DONE_SHARE:
            out.append(advance_task(task, "complete", on=on, actor=task.owner))
        elif u < DONE_SHARE + CANCELLED_SHARE:
            out.append(advance_task(task, "cancel", on=on, reason="superseded"))
        else:
            out.append(task)
    return out


def _table(frame: pd.DataFrame) -> str:
    return "\n".join("  " + line for line in frame.to_string().splitlines())


def coverage_tour() -> None:
    """Print coverage, one RM's overdue tasks and a rebalancing proposal."""
    syn = generate_frames(N_CLIENTS, seed=2025, as_of=AS_OF)
    features = features_from_frame(syn.clients, as_of=AS_OF, rating_scale=RATING_GRADES)
    tiers = QuantileTiers().assign(features).codes.astype(np.int64)
    rms = draw_roster()
    ids = syn.clients["client_id"].to_numpy(dtype=object)
    primary = assign_clients(tiers, rms)
    cov = coverage(rms, ids, tiers, primary)
    print("\nCoverage and action plans (relationship workflows)")
    print(
        f"  {len(ids):,} clients, {len(rms)} RMs; {len(cov.uncovered())} clients "
        f"without an RM; over capacity: {', '.join(cov.over_capacity())}"
    )
    print(_table(coverage_frame(cov).set_index(wcol.RM_ID)))

    stages = syn.stages.set_index("client_id")["stage"]
    opened = AS_OF - dt.timedelta(days=PLAN_AGE_DAYS)
    tasks = [
        task
        for cid, tier, rm in zip(ids.tolist(), tiers.tolist(), primary, strict=True)
        if rm is not None
        for task in plan_tasks(
            cid, stages[cid], owner=rm, as_of=opened, tier=TIER_LEVELS[tier]
        )
    ]
    tasks = list(mark_overdue(work_the_plans(tasks), as_of=AS_OF))
    frame = tasks_frame(tasks)
    print(f"\n  {len(tasks):,} playbook tasks opened on {opened}; completion by RM:")
    print(_table(completion_frame(frame, as_of=AS_OF).set_index(OWNER)))
    overdue = frame[frame["status"] == "overdue"]
    rm = overdue[OWNER].value_counts().sort_index().idxmax()
    mine = overdue[overdue[OWNER] == rm].sort_values([wcol.DUE_ON, wcol.TASK_ID])
    print(f"\n  {rm}'s overdue tasks ({len(mine)}), oldest first:")
    for row in mine.head(5).itertuples(index=False):
        print(f"    {row.due_on.date()}  {row.client_id}  {row.action}")

    proposal = propose_rebalance(cov)
    print(
        f"\n  Rebalancing: {proposal.moved} clients move (the fewest possible), "
        f"no RM over capacity after: {proposal.after.over_capacity() == ()}"
    )
    moves = moves_frame(proposal)
    flows = moves.groupby([wcol.FROM_RM, wcol.TO_RM]).size().rename("clients")
    print(_table(flows.to_frame()))


if __name__ == "__main__":
    coverage_tour()
