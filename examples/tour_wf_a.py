"""Tour, part #13: the team's coverage and one relationship manager's morning.

The synthetic book carries its RM roster (``managers``: team, level, client capacity)
and its action-plan tasks (``tasks``). First the team: who is over capacity, and the
completion of the tasks by RM. Then the morning of the RM over capacity
with the most overdue tasks: the calendar of the next 30 days (credit reviews, annual
reviews, KYC refreshes, covenant tests) and the reviews already overdue, the overdue
tasks, the clients below their tier's contact standard, the clients the relationship
frame flags (with the roster checked and the tasks passed in, so the rules
`OverdueTasks` and `NoRecentContact` can fire), and the rebalancing proposal that
brings the RM back under capacity. Tiers are cut on revenue to the bank (top 5 %
diamond, next 15 % gold, next 30 % silver); the service strategies are the built-in
ones.

Run alone with ``python examples/tour_wf_a.py``; `examples/tour.py` calls
`rm_morning`.
"""

from __future__ import annotations

import datetime as dt

import attrs
import numpy as np
import pandas as pd

from lendcrm.frames import columns as schema
from lendcrm.relationship import (
    ActionRules,
    NoRecentContact,
    OverdueTasks,
    RelationshipModels,
)
from lendcrm.relationship.frames import fit_tiering, relationship_frame
from lendcrm.relationship.workflows import Coverage, propose_rebalance
from lendcrm.relationship.workflows import columns as wcol
from lendcrm.relationship.workflows.frames import (
    completion_frame,
    coverage_frame,
    coverage_from_frames,
    moves_frame,
)
from lendcrm.relationship.workflows.service_frames import (
    CONTACT_STANDING,
    DAYS_SINCE_CONTACT,
    DUE_ON,
    ITEM,
    OVERDUE_DAYS,
    calendar_frame,
    contact_standard_frame,
)
from lendcrm.synthetic import SyntheticFrames, generate_frames

AS_OF = dt.date(2025, 12, 31)
RATES = {"GBP": 1.17, "USD": 0.92, "PLN": 0.23, "SEK": 0.088, "DKK": 0.134,
         "NOK": 0.086, "CHF": 1.05}  # fmt: skip
_LIVE = ("open", "in_progress", "overdue")


def _tiers(clients: pd.DataFrame) -> pd.Series:
    rank = clients[schema.REVENUE_TO_BANK].rank(ascending=False, method="first")
    share = (rank - 1) / len(clients)
    tier = np.select(
        [share < 0.05, share < 0.20, share < 0.50],
        ["diamond", "gold", "silver"],
        "basic",
    )
    return pd.Series(tier, index=clients[schema.CLIENT_ID].astype(str))


def _overdue_tasks(tasks: pd.DataFrame) -> pd.DataFrame:
    live = tasks[schema.STATUS].astype(str).isin(_LIVE)
    late = (tasks[schema.STATUS] == "overdue") | (
        tasks[wcol.DUE_ON] < pd.Timestamp(AS_OF)
    )
    return tasks[live & late]


def _morning_rm(book: SyntheticFrames, cov: Coverage) -> str:
    """The RM over capacity with the most overdue tasks (ties: RM id)."""
    late = _overdue_tasks(book.tasks)[schema.OWNER].value_counts()
    over = sorted(cov.over_capacity(), key=lambda rm: (-late.get(rm, 0), rm))
    return over[0]


def rm_morning(n_clients: int = 3000, seed: int = 21) -> dict[str, int]:
    """Print one RM's morning and return the counts it printed."""
    book = generate_frames(n_clients, seed=seed, as_of=AS_OF)
    frames = book.book_frames()
    tiers = _tiers(book.clients)
    stages = book.stages.set_index(schema.CLIENT_ID)[schema.STAGE].astype(str)
    assignments = pd.DataFrame(
        {
            schema.CLIENT_ID: tiers.index,
            wcol.CLIENT_TIER: pd.Categorical(tiers.to_numpy()),
            wcol.PRIMARY_RM: book.clients[schema.RELATIONSHIP_MANAGER].to_numpy(),
        }
    )
    cov = coverage_from_frames(book.managers, assignments)
    rm = _morning_rm(book, cov)
    mine = set(assignments.loc[assignments[wcol.PRIMARY_RM] == rm, schema.CLIENT_ID])
    cal = calendar_frame(
        frames, as_of=AS_OF, until=AS_OF + dt.timedelta(days=30),
        tiers=tiers, stages=stages,
    )  # fmt: skip
    cal = cal[cal[schema.CLIENT_ID].isin(mine)]
    overdue = cal[cal[OVERDUE_DAYS] > 0]
    upcoming = cal[cal[OVERDUE_DAYS] == 0]
    contact = contact_standard_frame(frames, as_of=AS_OF, tiers=tiers, stages=stages)
    contact = contact[contact.index.isin(mine)]
    lapsed = contact[contact[CONTACT_STANDING] == "no_contact"]
    late = _overdue_tasks(book.tasks)
    late = late[late[schema.OWNER] == rm].sort_values([wcol.DUE_ON, wcol.TASK_ID])
    table = coverage_frame(cov).set_index(wcol.RM_ID)
    load = table.loc[rm]
    print(f"\n== The team: {len(cov.client_ids):,} clients, {len(table)} RMs")
    print(f"Over capacity: {', '.join(cov.over_capacity())}")
    done = completion_frame(book.tasks, as_of=AS_OF).set_index(schema.OWNER)
    print(f"Tasks by RM ({len(book.tasks):,}), the five with the most overdue:")
    print(done.sort_values(wcol.OVERDUE, ascending=False).head(5).to_string())
    print(f"\n== {rm}'s morning, {AS_OF}: {len(mine)} clients")
    print(f"Due in the next 30 days: {len(upcoming)} items")
    print(upcoming[ITEM].value_counts().sort_index().to_string())
    print(f"Overdue: {len(overdue)} items")
    worst = overdue.sort_values(OVERDUE_DAYS, ascending=False).head(5)
    print(worst[[schema.CLIENT_ID, ITEM, DUE_ON, OVERDUE_DAYS]].to_string(index=False))
    print(f"Overdue tasks: {len(late)}, oldest first")
    for row in late.head(5).itertuples(index=False):
        print(f"  {row.due_on.date()}  {row.client_id}  {row.tier:8s} {row.action}")
    print(f"Clients without a meaningful contact in their window: {len(lapsed)}")
    print(
        lapsed.assign(tier=tiers.reindex(lapsed.index))
        .sort_values(DAYS_SINCE_CONTACT, ascending=False, na_position="first")
        .head(5)[["tier", DAYS_SINCE_CONTACT]]
        .to_string()
    )
    flagged = _flagged(book, mine)
    moved = _rebalance(cov, rm, int(load[wcol.CLIENTS]), load[wcol.CLIENT_CAPACITY])
    return {
        "rms": len(table),
        "over_capacity": len(cov.over_capacity()),
        "clients": len(mine),
        "upcoming": len(upcoming),
        "overdue": len(overdue),
        "overdue_tasks": len(late),
        "no_contact": len(lapsed),
        "flagged": flagged,
        "moved": moved,
    }


def _flagged(book: SyntheticFrames, mine: set[str]) -> int:
    """The relationship frame's rows of the RM's clients whose next action is one of
    the two service rules (tiers fitted on the book itself)."""
    rules = ActionRules(
        rules=(OverdueTasks(tiers=("diamond", "gold")), NoRecentContact())
    )
    base = RelationshipModels(fx_rates=RATES, actions=rules)
    frames = book.book_frames()
    tiering = fit_tiering(frames, as_of=AS_OF, models=base, measure="revenue")
    models = attrs.evolve(base, roster=book.managers[wcol.RM_ID], tiering=tiering)
    rf = relationship_frame(frames, as_of=AS_OF, models=models, tasks=book.tasks)
    rows = rf[
        rf.index.isin(mine) & rf["next_action"].isin([r.name for r in rules.rules])
    ]
    print(f"Flagged by the service rules (relationship frame): {len(rows)}")
    columns = ["tier", "overdue_tasks", "oldest_overdue_days", DAYS_SINCE_CONTACT,
               "next_action"]  # fmt: skip
    print(
        rows.sort_values("oldest_overdue_days", ascending=False)
        .head(5)[columns]
        .to_string()
    )
    return len(rows)


def _rebalance(cov: Coverage, rm: str, clients: int, capacity: float) -> int:
    proposal = propose_rebalance(cov)
    moves = moves_frame(proposal)
    out = moves[moves[wcol.FROM_RM] == rm]
    print(
        f"Capacity: {clients} clients for {capacity:g}; the rebalancing moves "
        f"{len(out)} of them ({proposal.moved} in the book, the fewest possible):"
    )
    print(out.groupby(wcol.TO_RM).size().rename("clients").to_string())
    return len(out)


if __name__ == "__main__":
    rm_morning()
