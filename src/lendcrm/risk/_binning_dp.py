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

is exact. It costs `O(K m^3)` operations, vectorised over `(h, i, j)`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

import numpy as np

from lendcrm._arrays import FloatArray

_NEG: Final = -np.inf


class Trend(StrEnum):
    """Shape required of the event rate (bad rate) across the bins of a variable.

    `ASCENDING`: event rate strictly increases with the variable (WoE decreases).
    `DESCENDING`: strictly decreases. `AUTO`: the better (higher IV) of the two.
    `PEAK`: increases then decreases (at most one turn). `VALLEY`: decreases then
    increases. `NONE`: no shape constraint.

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


def solve(  # noqa: C901 - one loop per bin count, one branch per trend phase
    iv: FloatArray, rate: FloatArray, *, trend: Trend, max_bins: int
) -> tuple[tuple[int, ...], float]:
    """Best partition of pre-bins `[0, m)`; returns inner cut indices and its IV.

    `iv` and `rate` come from `interval_stats`. `trend` must not be `AUTO` (the caller
    solves both directions). Returns `((), -inf)` when no partition is feasible.
    """
    m = iv.shape[0] - 1
    transitions = _TRANSITIONS[trend]
    phases = 1 + max(t[1] for t in transitions)
    masks: dict[str, np.ndarray] = {}
    prev_rate = rate[:, :, None]  # [h, i]
    next_rate = rate[None, :, :]  # [i, j]
    with np.errstate(invalid="ignore"):
        for _, _, op in transitions:
            if op not in masks:
                if op == "<":
                    masks[op] = prev_rate < next_rate
                elif op == ">":
                    masks[op] = prev_rate > next_rate
                else:
                    masks[op] = np.isfinite(prev_rate) & np.isfinite(next_rate)
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
            cand = np.where(masks[op], value[src][:, :, None], _NEG)
            h = cand.argmax(axis=0)
            v = np.take_along_axis(cand, h[None, :, :], axis=0)[0] + iv
            better = v > new[dst]
            new[dst] = np.where(better, v, new[dst])
            arg_h[dst] = np.where(better, h, arg_h[dst])
            arg_p[dst] = np.where(better, src, arg_p[dst])
        history.append((arg_h, arg_p))
        value = new
        top = float(value[:, :, m].max())
        if not np.isfinite(value).any():
            break
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
