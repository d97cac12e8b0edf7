r"""Exact optimal merging of pre-bins: a dynamic programme over pre-bin boundaries.

Given `m` ordered pre-bins with goods `g` and bads `b`, choose cut points among the
`m - 1` inner boundaries so that the information value of the resulting bins is maximal,
subject to: every bin has at least `min_weight` total weight, `min_goods` goods and
`min_bads` bads; at most `max_bins` bins; and the bins' event rates follow the trend.

State `(p, i, j)`: the best IV of a partition of pre-bins `[0, j)` whose last bin is
`[i, j)` and whose trend phase is `p` (peak and valley trends have two phases: before
and after the turn). The event rate of the last bin is all a transition needs to check
the trend, so the recursion

$$V_k(p', i, j) = \mathrm{IV}(i, j) + \max_{h,\,p:\ (p \to p') \text{ allowed by }
r(h, i), r(i, j)} V_{k-1}(p, h, i)$$

is exact. Because the allowed predecessors of `[i, j)` are the `h` whose rate is below
(or above) that of `[i, j)`, a prefix of the `h` sorted by rate, each level costs
`O(m^2)` after sorting once: `O(K m^2 + m^2 log m)` in all.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

import attrs
import numpy as np

from lendcrm._arrays import FloatArray

_NEG: Final = -np.inf


class Trend(StrEnum):
    """Shape required of the event rate (bad rate) across the bins of a variable.

    `ASCENDING`: event rate strictly increases with the variable (WoE decreases).
    `DESCENDING`: strictly decreases. `PEAK`: increases then decreases (at most one
    turn). `VALLEY`: decreases then increases. `NONE`: no shape constraint. `AUTO`:
    chosen among `BinningConfig.auto_trends` (by default ascending, descending, peak and
    valley): the monotone shape with the higher IV, replaced by a peak or valley only
    when a likelihood-ratio test finds it significantly better (`TrendChoice` reports
    the choice).

    Examples:
        >>> Trend("auto") is Trend.AUTO
        True
    """

    ASCENDING = "ascending"
    DESCENDING = "descending"
    AUTO = "auto"
    PEAK = "peak"
    VALLEY = "valley"
    NONE = "none"


# (from phase, to phase, comparison of previous rate with next rate)
_TRANSITIONS: Final[dict[Trend, tuple[tuple[int, int, str], ...]]] = {
    Trend.ASCENDING: ((0, 0, "<"),),
    Trend.DESCENDING: ((0, 0, ">"),),
    Trend.NONE: ((0, 0, "*"),),
    Trend.PEAK: ((0, 0, "<"), (0, 1, ">"), (1, 1, ">")),
    Trend.VALLEY: ((0, 0, ">"), (0, 1, "<"), (1, 1, "<")),
}


def interval_stats(
    goods: FloatArray,
    bads: FloatArray,
    total_goods: float,
    total_bads: float,
    *,
    min_weight: float,
    min_goods: float,
    min_bads: float,
) -> tuple[FloatArray, FloatArray]:
    """IV and event rate of every interval `[i, j)` of pre-bins, `-inf`/NaN if infeasible."""
    cg = np.concatenate(([0.0], np.cumsum(goods)))
    cb = np.concatenate(([0.0], np.cumsum(bads)))
    g = cg[None, :] - cg[:, None]
    b = cb[None, :] - cb[:, None]
    m1 = len(cg)
    upper = np.triu(np.ones((m1, m1), dtype=bool), k=1)
    feasible = (
        upper
        & (g >= min_goods)
        & (b >= min_bads)
        & (g + b >= min_weight)
        & (g > 0)
        & (b > 0)
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        gs = g / total_goods
        bs = b / total_bads
        iv = np.where(feasible, (gs - bs) * np.log(gs / bs), _NEG)
        rate = np.where(feasible, b / (g + b), np.nan)
    return iv, rate


@attrs.frozen
class Prepared:
    """`_prepare`'s order and counts, as flat indices reused at every level."""

    order: np.ndarray  # h by increasing key, per column i
    gather: np.ndarray  # flat index of value[order[r, i], i]
    last: np.ndarray  # flat index of [count[i, j] - 1, i] (0 where count is 0)
    none: np.ndarray  # count[i, j] == 0: no predecessor qualifies
    column: np.ndarray  # i of every [i, j], shape (m1, 1)


def _prepare(rate: FloatArray, op: str) -> Prepared:
    """Sort order of `h` by the rate of `[h, i)` per `i`, and how many `h` qualify.

    `order[:, i]` lists `h` by increasing key (the rate for `<`, minus the rate for
    `>`; infeasible intervals, NaN, last). `count[i, j]` is the number of `h` whose key
    is strictly below the key of `[i, j)`, so the qualifying predecessors of `[i, j)`
    are exactly `order[:count[i, j], i]`.
    """
    key = rate if op == "<" else -rate
    order = np.argsort(key, axis=0, kind="stable")
    sorted_key = np.take_along_axis(key, order, axis=0)
    count = np.empty(key.shape, dtype=np.int64)
    for i in range(key.shape[0]):
        count[i] = np.searchsorted(sorted_key[:, i], key[i, :], side="left")
    m1 = key.shape[0]
    column = np.arange(m1)[:, None]
    return Prepared(
        order=order,
        gather=order * m1 + column.T,
        last=np.maximum(count - 1, 0) * m1 + column,
        none=count == 0,
        column=column,
    )


def _best_predecessor(
    value: np.ndarray, op: str, prepared: dict[str, Prepared]
) -> tuple[np.ndarray, np.ndarray]:
    """Best value of a predecessor `[h, i)` allowed before each `[i, j)`, and its `h`."""
    m1 = value.shape[0]
    if op == "*":
        cols = np.arange(m1)
        h = value.argmax(axis=0)
        v = value[h, cols]
        return np.broadcast_to(v[:, None], (m1, m1)), np.broadcast_to(
            h[:, None], (m1, m1)
        )
    p = prepared[op]
    vs = value.ravel().take(p.gather)
    running = np.maximum.accumulate(vs, axis=0)
    where = np.maximum.accumulate(
        np.where(vs >= running, np.arange(m1)[:, None], 0), axis=0
    )
    best = running.ravel().take(p.last)
    best[p.none] = _NEG
    h = p.order.ravel().take(where.ravel().take(p.last) * m1 + p.column)
    return best, h


def solve(
    iv: FloatArray,
    rate: FloatArray,
    *,
    trend: Trend,
    max_bins: int,
    cache: dict[str, Prepared] | None = None,
) -> tuple[tuple[int, ...], float]:
    """Best partition of pre-bins `[0, m)`; returns inner cut indices and its IV.

    `iv` and `rate` come from `interval_stats`. `trend` must not be `AUTO` (the caller
    solves both directions). Returns `((), -inf)` when no partition is feasible.
    `cache` (a dict the caller keeps for one `rate`) shares the sorting of the
    predecessors between the trends solved over the same intervals.

    For each `[i, j)` the allowed predecessors `[h, i)` are a prefix of the `h` sorted
    by rate (computed once), so each level costs `O(m^2)` after an `O(m^2 log m)`
    preparation: `O(K m^2)` in all.
    """
    m = iv.shape[0] - 1
    transitions = _TRANSITIONS[trend]
    phases = 1 + max(t[1] for t in transitions)
    prepared = {} if cache is None else cache
    with np.errstate(invalid="ignore"):
        for op in {op for _, _, op in transitions if op != "*"} - prepared.keys():
            prepared[op] = _prepare(rate, op)
    value = np.full((phases, m + 1, m + 1), _NEG)
    value[0, 0, :] = iv[0, :]
    history: list[tuple[np.ndarray, np.ndarray]] = []
    best = float(value[:, :, m].max())
    best_state: tuple[int, int, int] = (1, *_argmax_end(value, m))
    for k in range(2, max_bins + 1):
        new = np.full_like(value, _NEG)
        arg_h = np.zeros((phases, m + 1, m + 1), dtype=np.int64)
        arg_p = np.zeros((phases, m + 1, m + 1), dtype=np.int64)
        for src, dst, op in transitions:
            cand, h = _best_predecessor(value[src], op, prepared)
            v = cand + iv
            better = v > new[dst]
            new[dst] = np.where(better, v, new[dst])
            arg_h[dst] = np.where(better, h, arg_h[dst])
            arg_p[dst] = np.where(better, src, arg_p[dst])
        history.append((arg_h, arg_p))
        value = new
        if not np.isfinite(value).any():
            break
        top = float(value[:, :, m].max())
        if top > best + 1e-12 * max(1.0, abs(best)):
            best = top
            best_state = (k, *_argmax_end(value, m))
    if not np.isfinite(best):
        return (), _NEG
    k, p, i = best_state
    cuts: list[int] = []
    j = m
    while k > 1:
        cuts.append(i)
        arg_h, arg_p = history[k - 2]
        i, p, j = int(arg_h[p, i, j]), int(arg_p[p, i, j]), i
        k -= 1
    return tuple(sorted(cuts)), best


def _argmax_end(value: np.ndarray, m: int) -> tuple[int, int]:
    flat = int(np.argmax(value[:, :, m]))
    p, i = divmod(flat, m + 1)
    return p, i
