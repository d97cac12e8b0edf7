"""Coverage rebalancing: lendcrm against a plain pandas/numpy greedy baseline.

The book: ``n`` clients over ``n / 400`` RMs, tiers drawn 5 % diamond, 15 % gold, 30 % silver, 50 % basic, 40 % of the RMs
senior or head, each RM with a capacity of 480 clients and 520 workload units, and
clients assigned with a skew (gamma-distributed RM shares) so that about a third of
the RMs are over capacity. Ids are strings, as a bank's extract gives them.

Contestants, each from the same id and tier arrays to a list of moves:

- lendcrm: `lendcrm.relationship.workflows.coverage` (validation and factorisation
  included) then `propose_rebalance` (release heaviest first, best-fit decreasing
  placement with the seniority rule);
- pandas: the natural greedy a team would write: ``groupby`` + ``cumsum`` to release
  each over-capacity RM's heaviest clients, then a ``heapq`` worst-fit placement
  (the RM with the most spare workload first, seniors for diamond clients).

Both release the same clients, so both move the same (fewest) number; this is
asserted, as is that neither leaves an RM over capacity. Each contestant runs three
times (median and range) at 10k, 100k and 1M clients through the shared harness (the
pandas greedy is the floor); the process's peak RSS is printed at the end.

Run: ``python benchmarks/bench_coverage.py``.
"""

from __future__ import annotations

import heapq
import resource
from functools import partial

import _harness
import numpy as np
import pandas as pd

from lendcrm.relationship.workflows import (
    TIER_WEIGHTS,
    RelationshipManager,
    coverage,
    propose_rebalance,
)

NO_ROOM = "baseline found no room"
CLIENTS_PER_RM = 400
CLIENT_CAPACITY = 480
WORKLOAD_CAPACITY = 520.0
WEIGHTS = np.array([TIER_WEIGHTS[t] for t in ("diamond", "gold", "silver", "basic")])


def build_book(n: int, seed: int = 11) -> dict[str, object]:
    """RMs, client ids, tier codes and each client's primary RM id."""
    rng = np.random.default_rng(seed)
    m = max(2, n // CLIENTS_PER_RM)
    senior = rng.random(m) < 0.4
    rms = [
        RelationshipManager(
            id=f"RM-{i:05d}",
            team=f"T-{i % 25:02d}",
            level="senior" if senior[i] else "junior",
            client_capacity=CLIENT_CAPACITY,
            workload_capacity=WORKLOAD_CAPACITY,
        )
        for i in range(m)
    ]
    share = rng.gamma(6.0, size=m)
    owner = rng.choice(m, size=n, p=share / share.sum())
    tiers = rng.choice(4, size=n, p=[0.05, 0.15, 0.30, 0.50])
    # diamond clients start with senior RMs (the bank's rule before any rebalancing)
    diamond = tiers == 0
    seniors = np.flatnonzero(senior)
    owner[diamond] = seniors[owner[diamond] % seniors.size]
    ids = np.array([f"C-{i:07d}" for i in range(n)], dtype=object)
    rm_ids = np.array([r.id for r in rms], dtype=object)
    return {"rms": rms, "ids": ids, "tiers": tiers, "primary": rm_ids[owner]}


def lendcrm_moves(book: dict[str, object]) -> int:
    """Moves proposed by lendcrm (coverage + propose_rebalance)."""
    cov = coverage(book["rms"], book["ids"], book["tiers"], book["primary"])  # type: ignore[arg-type]
    proposal = propose_rebalance(cov)
    assert proposal.after.over_capacity() == ()
    return proposal.moved


def pandas_moves(book: dict[str, object]) -> int:
    """The greedy baseline: groupby/cumsum release, heapq worst-fit placement."""
    rms: list[RelationshipManager] = book["rms"]  # type: ignore[assignment]
    rm_ids = pd.Index([r.id for r in rms])
    frame = pd.DataFrame(
        {
            "client_id": book["ids"],
            "tier": book["tiers"],
            "rm": pd.Categorical(book["primary"], categories=rm_ids).codes,
        }
    )
    frame["weight"] = WEIGHTS[frame["tier"].to_numpy()]
    load = (
        frame.groupby("rm")["weight"]
        .agg(["size", "sum"])
        .reindex(range(len(rms)), fill_value=0)
    )
    excess_c = np.maximum(load["size"].to_numpy() - CLIENT_CAPACITY, 0)
    excess_w = np.maximum(load["sum"].to_numpy() - WORKLOAD_CAPACITY, 0.0)
    over = (excess_c > 0) | (excess_w > 0)
    cand = frame[over[frame["rm"].to_numpy()]].sort_values(
        ["rm", "weight", "client_id"], ascending=[True, False, True]
    )
    grp = cand.groupby("rm")["weight"]
    pos = grp.cumcount().to_numpy()
    before = (grp.cumsum() - cand["weight"]).to_numpy()
    r = cand["rm"].to_numpy()
    moved = cand[(pos < excess_c[r]) | (before < excess_w[r] - 1e-9)]
    spare_c = (
        CLIENT_CAPACITY
        - load["size"].to_numpy()
        + np.bincount(moved["rm"], minlength=len(rms))
    )
    spare_w = (
        WORKLOAD_CAPACITY
        - load["sum"].to_numpy()
        + np.bincount(moved["rm"], weights=moved["weight"], minlength=len(rms))
    )
    senior = np.array([x.level.is_senior for x in rms])
    heaps: dict[bool, list[tuple[float, int]]] = {True: [], False: []}
    for i in range(len(rms)):
        heapq.heappush(heaps[True] if senior[i] else heaps[False], (-spare_w[i], i))
    order = moved.sort_values(
        ["tier", "weight", "client_id"], ascending=[True, False, True]
    )
    count = 0
    for tier, w in zip(order["tier"], order["weight"], strict=True):
        pools = [heaps[True]] if tier == 0 else [heaps[True], heaps[False]]
        for pool in pools:  # drop RMs without a free client slot
            while pool and spare_c[pool[0][1]] < 1:
                heapq.heappop(pool)
        live = [p for p in pools if p]
        if not live:
            raise RuntimeError(NO_ROOM)
        best = min(live, key=lambda p: p[0][0])
        neg, i = heapq.heappop(best)
        if -neg < w:
            raise RuntimeError(NO_ROOM)
        spare_w[i] -= w
        spare_c[i] -= 1
        heapq.heappush(best, (-spare_w[i], i))
        count += 1
    return count


def setup(n: int) -> _harness.Contest:
    """One book; both contestants move the same clients (the baseline may find no room)."""
    book = build_book(n)
    m = len(book["rms"])  # type: ignore[arg-type]
    moved = lendcrm_moves(book)
    try:
        moved_pd = pandas_moves(book)
    except RuntimeError:
        print(f"  {n:,} clients, {m} RMs: the pandas worst-fit greedy found no room")
        floor = None
    else:
        assert moved == moved_pd, (moved, moved_pd)
        floor = partial(pandas_moves, book)
    print(f"  {n:,} clients, {m} RMs: {moved:,} moves")
    return _harness.Contest(
        ours=partial(lendcrm_moves, book), floor=floor, floor_name="pandas greedy"
    )


def main() -> None:
    """Run at 10k, 100k and 1M clients (200k was the issue's bound: <= 5 s)."""
    _harness.scale("coverage + propose_rebalance", setup)
    print(f"peak RSS of the process: {_rss_mb():.0f} MB")


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    main()
