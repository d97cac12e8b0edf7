"""Small vectorised sampling helpers of the synthetic draws (numpy only)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from lendcrm._arrays import BoolArray, FloatArray, IntArray
from lendcrm.synthetic._tables import LOOKUP


def bernoulli(rng: np.random.Generator, size: int, p: float) -> BoolArray:
    """``size`` independent draws that are true with probability ``p``."""
    return rng.random(size) < p


def categorical_draw(
    rng: np.random.Generator, size: int, weights: npt.ArrayLike
) -> IntArray:
    """Codes ``0..k-1`` drawn with probabilities proportional to ``weights``.

    When every probability is a whole number of thousandths (all the tables are), a
    1,000-entry lookup table indexed by a uniform integer gives exactly those
    probabilities at the cost of one gather; otherwise the inverse CDF is searched.
    """
    w = np.asarray(weights, dtype=np.float64)
    thousandths = w / w.sum() * LOOKUP
    counts = np.round(thousandths).astype(np.int64)
    if np.allclose(thousandths, counts, rtol=0.0, atol=1e-9):
        table = np.repeat(np.arange(w.size, dtype=np.int64), counts)
        return table[rng.integers(0, LOOKUP, size)]
    cdf = np.cumsum(w)
    codes = np.searchsorted(cdf / cdf[-1], rng.random(size), side="right")
    return np.minimum(codes, len(cdf) - 1).astype(np.int64)


def beta_by_group(
    rng: np.random.Generator, group: IntArray, a: FloatArray, b: FloatArray
) -> FloatArray:
    """Beta(a, b) draws where ``a`` and ``b`` are constant within each group.

    numpy's Beta with array parameters is several times slower than one call per
    distinct parameter pair; the loop runs over the few groups, never over rows.
    """
    out = np.empty(group.size)
    for g in np.unique(group):  # a handful of kinds or seniorities
        rows = np.flatnonzero(group == g)
        out[rows] = rng.beta(a[rows[0]], b[rows[0]], rows.size)
    return out


def group_sum(index: IntArray, values: FloatArray, n: int) -> FloatArray:
    return np.asarray(np.bincount(index, weights=values, minlength=n), dtype=np.float64)


def round_to(values: FloatArray, step: float) -> FloatArray:
    return np.round(values / step) * step
