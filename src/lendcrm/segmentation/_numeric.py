"""Vectorised building blocks shared by the strategies: ranks, normalisation, tiering.

Private: the public strategies document the conventions. Inputs are already
validated float64 arrays (`ClientFeatures` checked them).
"""

from __future__ import annotations

import enum
import math
from collections.abc import Sequence

import numpy as np
from scipy.special import ndtr

from lendcrm._arrays import FloatArray, IntArray
from lendcrm._dates import DAYS_PER_YEAR

#: Relative slack when turning ``p * n`` into a count, so 0.1 * 30 counts as 3.
_COUNT_SLACK = 1e-9


class Normalisation(enum.StrEnum):
    """How a factor is put on the common [0, 1] scale before weighting.

    ``percentile_rank``: ``(r - 1) / (n - 1)`` with ``r`` the average (mid) rank of
    tied values, ascending; robust to outliers and to the unit of the factor.
    ``min_max``: ``(x - min) / (max - min)``; keeps distances, sensitive to outliers.
    ``z_score``: ``Φ((x - mean) / std)`` (population std, Φ the standard normal CDF),
    so the result stays in (0, 1). A constant factor maps to 0.5 under all three.

    Examples:
        >>> Normalisation("min_max")
        <Normalisation.MIN_MAX: 'min_max'>
    """

    PERCENTILE_RANK = "percentile_rank"
    MIN_MAX = "min_max"
    Z_SCORE = "z_score"


#: Largest value, relative to n, for which integer ranks use counting (O(n + max)).
_COUNTING_LIMIT = 4
#: Smallest share of clients at the minimum for which they are ranked apart.
_MODAL_MINIMUM = 0.25
#: Integer scales tried before sorting: whole numbers (counts) and whole days over
#: `DAYS_PER_YEAR` (tenure in years); ranks of ``x`` are those of ``x * scale``.
_INTEGER_SCALES = (1.0, DAYS_PER_YEAR)


def _counted_rank(x: FloatArray) -> FloatArray | None:
    """Ranks by counting when ``x * scale`` is a small whole number for a scale, else None.

    Exact: when ``k / scale == x`` for every value, ``x -> k`` keeps order and ties
    (it is monotone and ``x`` is recovered from ``k``), so both rank alike. O(n + max).
    """
    n = len(x)
    top = float(x.max())
    for scale in _INTEGER_SCALES:
        if top * scale > _COUNTING_LIMIT * n:
            continue
        whole = x if scale == 1.0 else np.rint(x * scale)
        as_int = whole.astype(np.intp)
        if not np.array_equal(as_int, whole) or (
            scale != 1.0 and not np.array_equal(as_int / scale, x)
        ):
            continue
        counts = np.bincount(as_int)
        below_or_equal = np.cumsum(counts)
        mean_rank = below_or_equal - (counts - 1) / 2.0
        ranks: FloatArray = mean_rank[as_int]
        return ranks
    return None


def sorted_order(x: FloatArray) -> tuple[IntArray, FloatArray]:
    """A permutation that sorts finite ``x`` ascending (ties in any order), and ``x[it]``.

    One ``np.sort`` of uint64 keys instead of an argsort: the order-preserving bit
    pattern of each float, its low bits replaced by the element's index. Values that
    share their high bits may come out of order; a stable argsort of the (nearly
    sorted) gathered values then puts them right, so the result is always a sorting
    permutation.
    """
    n = len(x)
    index_bits = max(1, (n - 1).bit_length())
    bits = x.view(np.uint64)
    key = np.where(x < 0.0, ~bits, bits | np.uint64(1 << 63))
    key >>= np.uint64(index_bits)
    key <<= np.uint64(index_bits)
    key |= np.arange(n, dtype=np.uint64)
    key.sort()
    key &= np.uint64((1 << index_bits) - 1)
    order: IntArray = key.astype(np.intp)
    ordered = x[order]
    if (ordered[1:] < ordered[:-1]).any():  # values that shared their high bits
        fix = np.argsort(ordered, kind="stable")
        order, ordered = order[fix], ordered[fix]
    return order, ordered


def average_rank(x: FloatArray) -> FloatArray:
    """1-based ascending ranks; tied values share the mean of their ranks.

    Exact in every path, chosen by the data: counting for values on a small integer
    scale (product and referral counts, tenure in whole days, O(n)); when many clients
    sit at the minimum (a referral amount that is mostly zero) they get their shared
    rank directly and only the others are sorted; otherwise one sort (`sorted_order`).
    O(n log n) at most.
    """
    n = len(x)
    if n == 0:
        return np.empty(0, dtype=np.float64)
    lowest = float(x.min())
    if lowest >= 0.0 and (counted := _counted_rank(x)) is not None:
        return counted
    above = x != lowest
    n_low = n - int(np.count_nonzero(above))
    if n_low < n and n_low >= _MODAL_MINIMUM * n:
        out = np.full(n, (n_low + 1) / 2.0)
        out[above] = average_rank(x[above]) + n_low
        return out
    order, ordered = sorted_order(np.ascontiguousarray(x, dtype=np.float64))
    new = np.empty(n, dtype=np.bool_)
    new[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=new[1:])
    out = np.empty(n, dtype=np.float64)
    if new.all():  # no ties: ranks are the positions
        out[order] = np.arange(1, n + 1, dtype=np.float64)
        return out
    starts = np.flatnonzero(new)
    ends = np.append(starts[1:], n)
    mean_rank = (starts + ends + 1) / 2.0
    out[order] = np.repeat(mean_rank, ends - starts)
    return out


def normalise(x: FloatArray, method: Normalisation) -> FloatArray:
    """Map ``x`` to [0, 1] by ``method``; a constant array maps to 0.5."""
    n = len(x)
    if method is Normalisation.PERCENTILE_RANK:
        if n == 1:
            return np.full(1, 0.5)
        ranks = average_rank(x)
        ranks -= 1.0
        ranks *= 1.0 / (n - 1)
        return ranks
    if method is Normalisation.MIN_MAX:
        lo, hi = float(x.min()), float(x.max())
        if hi == lo:
            return np.full(n, 0.5)
        return (x - lo) / (hi - lo)
    std = float(x.std())
    if std == 0.0:
        return np.full(n, 0.5)
    result: FloatArray = ndtr((x - x.mean()) / std)
    return result


def codes_by_cutoffs(values: FloatArray, cutoffs: Sequence[float]) -> IntArray:
    """Level code per value: the number of (descending) cutoffs above it.

    ``values >= cutoffs[0]`` is code 0; ``cutoffs[k-1] > values >= cutoffs[k]`` is
    code ``k``; below every cutoff is ``len(cutoffs)``. Monotone: a higher value never
    gets a higher code.
    """
    codes = np.zeros(len(values), dtype=np.int64)
    for cutoff in cutoffs:  # a handful of cut-offs, each a vectorised comparison
        codes += values < cutoff
    return codes


def count_of(share: float, n: int) -> int:
    """``ceil(share * n)``, with a tiny slack so float error does not add one."""
    return math.ceil(share * n * (1.0 - _COUNT_SLACK))


def cutoffs_by_shares(values: FloatArray, top_shares: Sequence[float]) -> FloatArray:
    """Value thresholds such that about ``top_shares[k]`` of the clients reach level k.

    Threshold ``k`` is the ``ceil(top_shares[k] * n)``-th largest value. O(n) via
    ``np.partition``.
    """
    n = len(values)
    counts = [max(1, min(n, count_of(s, n))) for s in top_shares]
    kth = [n - c for c in counts]
    part = np.partition(values, sorted(set(kth)))
    return part[kth]
