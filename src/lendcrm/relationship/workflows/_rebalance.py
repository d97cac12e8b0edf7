"""A rebalancing proposal: move the fewest clients so that every RM is within capacity.

The algorithm (stated in full in `propose_rebalance` and in
``docs/explanation/coverage-and-action-plans.md``) has two steps:

1. **Release** (vectorised): each over-capacity RM gives up the fewest clients it
   can (``k``: its client excess, or the number of its heaviest clients needed to
   cover its workload excess, whichever is larger; the sum over RMs is a lower bound
   on any rebalancing, and the proposal meets it), choosing the lightest ``k``
   clients that cover the excess (the first window of ``k`` in lightest-first order,
   ties by client id).
2. **Place** (best-fit decreasing): the released clients, diamond first, then by
   weight (heaviest first) and id, each go to the eligible RM with the least spare
   workload left after the move (ties: fewest spare client slots, then RM id).
   Eligible means another RM with a free client slot and room for the weight,
   senior or head for a diamond client.

It is deterministic: the same inputs give the same moves, whatever the input order
of RMs with equal keys.
"""

from __future__ import annotations

import bisect
from typing import NoReturn

import attrs
import numpy as np

from lendcrm._arrays import BoolArray, FloatArray, IntArray
from lendcrm._validators import non_empty_str, number_in, require_instance
from lendcrm.errors import InfeasibleConstraintError
from lendcrm.relationship.workflows._coverage import Coverage
from lendcrm.segmentation import TIER_LEVELS

__all__ = ["Move", "RebalanceProposal", "propose_rebalance"]

_DIAMOND = 0
#: Relative tolerance on workload comparisons (sums of float weights).
_EPS = 1e-9


@attrs.frozen(kw_only=True)
class Move:
    """One client moved from one RM to another.

    Attributes:
        client_id: The client.
        tier: Its tier value.
        weight: Its workload weight.
        from_rm: The RM it leaves.
        to_rm: The RM it joins.
    """

    client_id: str = attrs.field(validator=non_empty_str)
    tier: str = attrs.field(validator=non_empty_str)
    weight: float = attrs.field(validator=number_in(0))
    from_rm: str = attrs.field(validator=non_empty_str)
    to_rm: str = attrs.field(validator=non_empty_str)


@attrs.frozen(kw_only=True, eq=False)
class RebalanceProposal:
    """The moves that bring every RM within capacity, and the coverage after them.

    Attributes:
        before: The coverage given.
        after: The coverage once every move is made.
        clients: Index (into ``before.client_ids``) of each moved client, in
            client order.
        from_codes: Roster index of the RM each client leaves.
        to_codes: Roster index of the RM each client joins.
    """

    before: Coverage
    after: Coverage
    clients: IntArray
    from_codes: IntArray
    to_codes: IntArray

    @property
    def moved(self) -> int:
        """How many clients move (the fewest possible, see `propose_rebalance`)."""
        return int(self.clients.shape[0])

    def moves(self) -> tuple[Move, ...]:
        """Every move, in client order."""
        ids = self.before.client_ids
        rms = self.before.manager_ids
        weights = self.before.client_weights
        codes = self.before.tier_codes
        return tuple(
            Move(
                client_id=str(ids[c]),
                tier=TIER_LEVELS[int(codes[c])],
                weight=float(weights[c]),
                from_rm=rms[f],
                to_rm=rms[t],
            )
            for c, f, t in zip(
                self.clients.tolist(),
                self.from_codes.tolist(),
                self.to_codes.tolist(),
                strict=True,
            )
        )


def _check_totals(cov: Coverage) -> None:
    """Raise when the roster cannot hold the book whatever the moves."""
    require_instance(cov, Coverage, name="cov", what="a Coverage")
    n = len(cov.managers)
    checks = (
        (
            "client_capacity",
            float(cov.clients_per_rm.sum()),
            cov.client_capacity,
            "clients",
        ),
        (
            "workload_capacity",
            float(cov.workload.sum()),
            cov.workload_capacity,
            "workload",
        ),
    )
    for field, need, capacity, unit in checks:
        total = float(capacity.sum())
        if need > total * (1 + _EPS):
            raise InfeasibleConstraintError(
                field=f"relationship_managers.{field}",
                value=need,
                expected=(
                    f"at most the total {field.replace('_', ' ')} {total:g} of the "
                    f"{n} relationship managers, so that a rebalancing exists"
                ),
                hint=(
                    f"No feasible rebalancing: shortfall {need - total:g} {unit}. "
                    "Add relationship managers or raise capacities."
                ),
            )


def _release(cov: Coverage) -> tuple[IntArray, IntArray]:
    """The clients each over-capacity RM releases: its lightest sufficient window.

    Per RM, ``k`` = the fewest clients to release (the larger of the client excess
    and the count of heaviest clients whose weight covers the workload excess); in
    the RM's clients sorted lightest first (ties by client id), the released set is
    the first window of ``k`` consecutive clients whose weight covers the excess.
    """
    over = cov.over_capacity_mask
    rows = np.flatnonzero((cov.primary >= 0) & over[np.maximum(cov.primary, 0)])
    if rows.size == 0:
        return rows.astype(np.int64), rows.astype(np.int64)
    rm = cov.primary[rows]
    weight = cov.client_weights[rows]
    id_rank = np.argsort(np.argsort(cov.client_ids[rows], kind="stable"), kind="stable")
    order = np.lexsort((id_rank, weight, rm))
    rows, rm, weight = rows[order], rm[order], weight[order]
    new_group = np.r_[True, rm[1:] != rm[:-1]]
    starts = np.flatnonzero(new_group)
    ends = np.r_[starts[1:], rows.size]  # one past each group's last row
    group = np.cumsum(new_group) - 1
    cum0 = np.r_[0.0, np.cumsum(weight)]
    g_rm = rm[starts]
    excess_c = np.maximum(cov.clients_per_rm - cov.client_capacity, 0.0)[g_rm]
    need = np.maximum(cov.workload - cov.workload_capacity, 0.0)[g_rm] * (1 - _EPS)
    idx = np.arange(rows.size)
    # heaviest-first count: rows whose heavier neighbours alone fall short of the excess
    heavier = cum0[ends[group]] - cum0[idx + 1]
    k_work = np.bincount(group, weights=heavier < need[group], minlength=starts.size)
    k = np.maximum(excess_c, k_work).astype(np.int64)
    # first window of k[g] consecutive rows (lightest first) covering the excess
    lo = idx + 1 - k[group]
    valid = lo >= starts[group]
    window = cum0[idx + 1] - cum0[np.maximum(lo, 0)]
    ok = valid & (window >= need[group])
    last = np.full(starts.size, rows.size, dtype=np.int64)
    np.minimum.at(last, group[ok], idx[ok])
    take = (idx <= last[group]) & (idx > last[group] - k[group])
    return rows[take], rm[take]


def _spare_after(
    cov: Coverage, rows: IntArray, donors: IntArray
) -> tuple[FloatArray, FloatArray]:
    n = len(cov.managers)
    counts = cov.clients_per_rm - np.bincount(donors, minlength=n)
    work = cov.workload - np.bincount(
        donors, weights=cov.client_weights[rows], minlength=n
    )
    return cov.client_capacity - counts, cov.workload_capacity - work


def _check_senior_room(
    cov: Coverage, rows: IntArray, spare_c: FloatArray, spare_w: FloatArray
) -> None:
    """Raise when the senior RMs cannot take every released diamond client.

    Diamond clients all weigh the diamond weight ``w``, so a senior RM can take
    ``min(spare slots, floor(spare workload / w))`` of them: the sum over the
    senior RMs is exactly how many diamond clients can be placed.
    """
    need = int((cov.tier_codes[rows] == _DIAMOND).sum())
    if need == 0:
        return
    w = float(cov.tier_weights[_DIAMOND])
    senior = cov.senior
    slots = np.maximum(spare_c[senior], 0.0)
    if w > 0:
        fit = np.floor(np.maximum(spare_w[senior], 0.0) / w + _EPS)
        slots = np.minimum(slots, fit)
    room = float(slots.sum())
    if need > room:
        raise InfeasibleConstraintError(
            field="relationship_managers.level",
            value=f"{need} diamond clients to move",
            expected="room for them on senior or head RMs",
            hint=(
                "No feasible rebalancing keeps diamond clients with senior RMs: "
                f"room for {room:g}, shortfall {need - room:g} diamond clients "
                f"(each a free slot and {w:g} workload). Add senior capacity or "
                "reassign diamond clients by hand."
            ),
        )


#: One receiving RM in a best-fit pool: (spare workload, spare slots, id rank, index).
_Entry = tuple[float, float, int, int]


def _pools(
    cov: Coverage, spare_c: FloatArray, spare_w: FloatArray
) -> tuple[list[_Entry], list[_Entry]]:
    """Senior and junior RMs with a free slot, sorted by the best-fit key."""
    ids = np.asarray(cov.manager_ids, dtype=object)
    rank = np.argsort(np.argsort(ids, kind="stable"), kind="stable").tolist()
    senior: BoolArray = cov.senior
    pools: tuple[list[_Entry], list[_Entry]] = ([], [])
    for i, (c, w) in enumerate(zip(spare_c.tolist(), spare_w.tolist(), strict=True)):
        if c >= 1:
            pools[0 if senior[i] else 1].append((w, c, rank[i], i))
    pools[0].sort()
    pools[1].sort()
    return pools


def _place(
    cov: Coverage,
    rows: IntArray,
    donors: IntArray,
    spare_c: FloatArray,
    spare_w: FloatArray,
) -> IntArray:
    """Best-fit decreasing: each released client to the tightest eligible RM.

    The eligible RMs are kept in two lists (senior, junior) sorted by the key
    (spare workload, spare slots, id rank), so the tightest RM with room is found
    by bisection; an RM whose last slot is taken leaves its list.
    """
    weights = cov.client_weights[rows].tolist()
    diamond = (cov.tier_codes[rows] == _DIAMOND).tolist()
    donors_ = donors.tolist()
    id_rank = np.argsort(np.argsort(cov.client_ids[rows], kind="stable"), kind="stable")
    order = np.lexsort((id_rank, -cov.client_weights[rows], ~np.array(diamond, bool)))
    pools = _pools(cov, spare_c, spare_w)
    seniors_only = pools[:1]
    targets = np.empty(rows.size, dtype=np.int64)
    for k in order.tolist():
        w, donor = weights[k], donors_[k]
        key = (w - _EPS * max(w, 1.0),)
        best: _Entry | None = None
        best_pool: list[_Entry] = []
        best_j = 0
        for pool in seniors_only if diamond[k] else pools:
            j, end = bisect.bisect_left(pool, key), len(pool)
            while j < end and pool[j][3] == donor:
                j += 1
            if j < end and (best is None or pool[j] < best):
                best, best_pool, best_j = pool[j], pool, j
        if best is None:
            _no_room(cov, int(rows[k]), w, diamond=diamond[k])
        best_pool.pop(best_j)
        left, slots, rank, to = best
        targets[k] = to
        if slots > 1:
            bisect.insort(best_pool, (left - w, slots - 1, rank, to))
    return targets


def _no_room(cov: Coverage, row: int, weight: float, *, diamond: bool) -> NoReturn:
    who = "a senior or head RM" if diamond else "an RM"
    raise InfeasibleConstraintError(
        field=f"primary[{cov.client_ids[row]!r}]",
        value=f"a {TIER_LEVELS[int(cov.tier_codes[row])]} client of weight {weight:g}",
        expected=f"{who} with a free client slot and {weight:g} spare workload",
        hint=(
            "No feasible placement found: the spare capacity is split across RMs "
            "in pieces smaller than this client. Raise a capacity or move clients "
            "by hand."
        ),
    )


def propose_rebalance(cov: Coverage) -> RebalanceProposal:
    """Move the fewest clients so that every RM is within both capacities.

    **Algorithm.** (1) Every RM over capacity releases ``k`` clients, the smallest
    ``k`` with ``count - k <= client_capacity`` and the sum of the ``k`` heaviest
    weights ``>= workload - workload_capacity``. No ``k`` clients of that RM weigh
    more than its ``k`` heaviest, so no smaller set works: the number released per
    RM is minimal, and their sum is a lower bound on the moves of any rebalancing.
    Which ``k``: in the RM's clients sorted lightest first (ties by client id), the
    first window of ``k`` consecutive clients whose weight covers the workload
    excess; no set of ``k`` clients covering it has a lighter heaviest client, so
    diamond clients move only when no lighter set will do. (2) The released
    clients are placed by
    best-fit decreasing: diamond clients first, then heaviest first, ties by client
    id; each goes to the RM (not the one it left) with a free client slot and room
    for its weight, senior or head for a diamond client, that has the least spare
    workload left after the move (ties: fewest spare client slots, then RM id).
    When every client is placed the proposal meets the lower bound, so it moves
    the fewest clients possible. Clients of RMs within capacity never move, and
    uncovered clients stay uncovered.

    Cost: the release is sorting and cumulative sums over the over-capacity RMs'
    clients; the placement is one bisection of a sorted list of RMs per released
    client.

    Args:
        cov: The coverage to rebalance (see `coverage`).

    Returns:
        The proposal: its moves and the coverage after them (no RM over capacity).

    Raises:
        InfeasibleConstraintError: no rebalancing exists: more clients or workload
            than the roster's total capacity, or more diamond workload to move than
            the senior RMs' spare room (the message gives the shortfall); or
            best-fit placement found no room for a client (the message names it).

    Examples:
        >>> from lendcrm.relationship.workflows import RelationshipManager, coverage
        >>> rms = [
        ...     RelationshipManager(id="RM-1", team="t", level="senior", workload_capacity=6),
        ...     RelationshipManager(id="RM-2", team="t", level="senior", workload_capacity=6),
        ...     RelationshipManager(id="RM-3", team="t", level="junior", workload_capacity=6),
        ... ]
        >>> cov = coverage(rms, ["A", "B", "C", "D"], ["diamond", "diamond", "gold", "basic"],
        ...                ["RM-1", "RM-1", "RM-1", "RM-2"])
        >>> proposal = propose_rebalance(cov)
        >>> [(m.client_id, m.from_rm, m.to_rm) for m in proposal.moves()]
        [('A', 'RM-1', 'RM-2')]
        >>> proposal.after.workload.tolist(), proposal.after.over_capacity()
        ([6.0, 4.5, 0.0], ())
    """
    _check_totals(cov)
    rows, donors = _release(cov)
    spare_c, spare_w = _spare_after(cov, rows, donors)
    _check_senior_room(cov, rows, spare_c, spare_w)
    targets = _place(cov, rows, donors, spare_c, spare_w)
    primary = cov.primary.copy()
    primary[rows] = targets
    order = np.argsort(rows, kind="stable")
    return RebalanceProposal(
        before=cov,
        after=cov.with_primary(primary),
        clients=rows[order],
        from_codes=donors[order],
        to_codes=targets[order],
    )
