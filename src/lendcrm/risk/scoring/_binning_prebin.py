"""Numeric pre-binning: candidate cut points and the goods and bads of each pre-bin.

Candidates are quantiles, optionally with the splits of a CART tree; the optimal merge
(`_binning_dp`) then works over them. The event is a **bad** (target 1). Boundaries are observed values, so equal values
always share a pre-bin (ties are never split).
"""

from __future__ import annotations

import heapq
from typing import Final

import numpy as np
import numpy.typing as npt

from lendcrm._arrays import FloatArray
from lendcrm.risk.scoring._binning_check import check_not_constant
from lendcrm.risk.scoring._binning_config import BinningConfig, PreBinning

#: Candidate values searched by the tree pre-binning (a 1/4096 quantile grid).
_TREE_GRID: Final = 4096


def prebin_counts(  # noqa: PLR0917 - private helper over aligned arrays
    x: FloatArray,
    y: FloatArray,
    w: FloatArray | None,
    clean: npt.NDArray[np.bool_],
    missing: npt.NDArray[np.bool_],
    cfg: BinningConfig,
    *,
    name: str,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Candidate splits, then goods and bads per pre-bin, missing bin, special bins.

    Unweighted data are summarised by sorting the values and the bads' values: the
    weight and bads below any cut point are then binary searches, so no pass over all
    rows per pre-bin is needed.

    Raises:
        InvalidValueError: the ordinary values are all equal (checked on the sorted
            values, so no extra pass).
    """
    all_clean = bool(clean.all())
    xc = x if all_clean else x[clean]
    yc = y if all_clean else y[clean]
    extra = [missing, *(x == c for c in cfg.special_codes)]
    if w is None:
        ext_w = np.array([m.sum() for m in extra], dtype=np.float64)
        ext_b = np.array([y[m].sum() for m in extra], dtype=np.float64)
        xs = np.sort(xc)
        check_not_constant(xs, xc, name)
        xb = np.sort(xc[yc == 1.0])
        total_w, total_b = float(len(xs)), float(len(xb))

        def below(v: FloatArray) -> tuple[FloatArray, FloatArray]:
            return (
                np.searchsorted(xs, v, side="left").astype(np.float64),
                np.searchsorted(xb, v, side="left").astype(np.float64),
            )

        positions = (np.arange(1, cfg.max_prebins) * len(xs)) // cfg.max_prebins
        cand = xs[positions]
    else:
        ext_w = np.array([w[m].sum() for m in extra], dtype=np.float64)
        ext_b = np.array([(w[m] * y[m]).sum() for m in extra], dtype=np.float64)
        order = np.argsort(xc, kind="stable")
        xs = xc[order]
        check_not_constant(xs, xc, name)
        cw = np.concatenate(([0.0], np.cumsum(w[clean][order])))
        cb = np.concatenate(([0.0], np.cumsum((w[clean] * yc)[order])))
        total_w, total_b = float(cw[-1]), float(cb[-1])

        def below(v: FloatArray) -> tuple[FloatArray, FloatArray]:
            k = np.searchsorted(xs, v, side="left")
            return cw[k], cb[k]

        q = np.arange(1, cfg.max_prebins) / cfg.max_prebins * total_w
        cand = xs[np.searchsorted(cw[1:], q, side="right").clip(0, len(xs) - 1)]
    if cfg.user_splits is not None:
        splits = np.asarray(cfg.user_splits, dtype=np.float64)
    else:
        splits = np.unique(cand)
        if cfg.prebinning is PreBinning.TREE:
            # the tree searches a fine grid of observed values (at most _TREE_GRID)
            grid = (np.arange(1, _TREE_GRID) * len(xs)) // _TREE_GRID
            u = np.unique(xs[grid])
            u = u[u > xs[0]]
            uw, ub = below(u)
            leaf = max(cfg.min_bin_share * (total_w + ext_w.sum()), 1.0)
            tree = _tree_splits(u, uw, ub, total_w, total_b, cfg.max_prebins, leaf)
            splits = np.union1d(splits, tree)
        splits = splits[splits > xs[0]]
    sw, sb = below(splits)
    reg_w = np.diff(np.concatenate(([0.0], sw, [total_w])))
    reg_b = np.diff(np.concatenate(([0.0], sb, [total_b])))
    g_all = np.concatenate((reg_w - reg_b, ext_w - ext_b))
    b_all = np.concatenate((reg_b, ext_b))
    return splits, g_all, b_all


def _gini_mass(n: FloatArray, b: FloatArray) -> FloatArray:
    with np.errstate(invalid="ignore", divide="ignore"):
        out: FloatArray = np.where(n > 0, 2.0 * b * (n - b) / n, 0.0)
    return out


def _tree_splits(  # noqa: PLR0917 - private helper over aligned arrays
    u: FloatArray,
    uw: FloatArray,
    ub: FloatArray,
    total_w: float,
    total_b: float,
    max_leaves: int,
    min_leaf: float,
) -> FloatArray:
    """Best-first CART (Gini) split points among the candidate values `u`.

    `uw[k]`, `ub[k]`: weight and bads of the values below `u[k]`. A node is a range of
    candidate indices with its edge totals; the leaf whose best split lowers the
    weighted Gini impurity most is split next, until `max_leaves` leaves or no split
    leaves both children at least `min_leaf` weight.
    """
    heap: list[tuple[float, int, int, int, float, float, float, float]] = []

    def push(lo: int, hi: int, w0: float, b0: float, w1: float, b1: float) -> None:  # noqa: PLR0917
        # candidates strictly inside the node: indices lo..hi-1
        if hi <= lo:
            return
        lw = uw[lo:hi] - w0
        lb = ub[lo:hi] - b0
        rw = w1 - uw[lo:hi]
        rb = b1 - ub[lo:hi]
        ok = (lw >= min_leaf) & (rw >= min_leaf)
        if not ok.any():
            return
        parent = float(_gini_mass(np.array([w1 - w0]), np.array([b1 - b0]))[0])
        gain = np.where(ok, parent - _gini_mass(lw, lb) - _gini_mass(rw, rb), -np.inf)
        k = int(np.argmax(gain))
        if gain[k] > 0:
            heapq.heappush(heap, (-float(gain[k]), lo + k, lo, hi, w0, b0, w1, b1))

    push(0, len(u), 0.0, 0.0, total_w, total_b)
    cuts: list[float] = []
    leaves = 1
    while heap and leaves < max_leaves:
        _, k, lo, hi, w0, b0, w1, b1 = heapq.heappop(heap)
        cuts.append(float(u[k]))
        leaves += 1
        push(lo, k, w0, b0, float(uw[k]), float(ub[k]))
        push(k + 1, hi, float(uw[k]), float(ub[k]), w1, b1)
    return np.asarray(sorted(cuts), dtype=np.float64)
