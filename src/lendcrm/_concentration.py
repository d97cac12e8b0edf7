r"""The Herfindahl-Hirschman index: one formula for every layer that measures concentration.

`lendcrm.segmentation.hhi` (value over clients) and `lendcrm.risk.portfolio.exposure_hhi`
and `sector_hhi` (credit exposure over obligors and sectors) validate their own inputs,
naming their own arguments, and then call `herfindahl`.
"""

from __future__ import annotations

import math
from typing import Final

import numpy as np

from lendcrm._arrays import FloatArray

__all__ = ["herfindahl", "without_overflow"]

#: Sums of values whose largest magnitude times their count stays below this cannot
#: overflow; larger ones are rescaled first (float64 reaches 1.8e308).
_SAFE_SUM: Final = 2.0**1000


def without_overflow(values: FloatArray) -> FloatArray:
    """``values`` scaled by a power of two when their sum could overflow, else as is.

    Shares, Lorenz and whale curves, the Gini coefficient and the HHI are ratios to a
    total, so an exact power-of-two scaling leaves them unchanged while keeping sums of
    values near the float maximum (1.8e308) finite. Values whose sums cannot overflow
    are returned untouched (the same object), so ordinary results do not move by a bit.

    Examples:
        >>> import numpy as np
        >>> bool(without_overflow(np.array([1e308, 1e308])).sum() < np.inf)
        True
        >>> v = np.array([1.0, 2.0])
        >>> without_overflow(v) is v
        True
    """
    if values.size == 0:
        return values
    top = float(np.max(np.abs(values)))
    if not math.isfinite(top) or top * values.size < _SAFE_SUM:
        return values
    _, exponent = math.frexp(top)
    scaled: FloatArray = np.ldexp(values, -exponent)  # exact: a power of two
    return scaled


def herfindahl(values: FloatArray) -> float:
    r"""Sum of squared shares of `values`, in ``[1/n, 1]``.

    Args:
        values: Amounts (or shares) already validated: finite, >= 0, with a positive
            total, shape ``(n,)``. Shares that sum to one give the same result.

    Returns:
        $$HHI = \sum_i s_i^2, \qquad s_i = x_i / \sum_j x_j$$
        as a fraction (multiply by 10 000 for the antitrust point scale).

    Examples:
        >>> import numpy as np
        >>> round(herfindahl(np.array([50.0, 30.0, 20.0])), 4)
        0.38
        >>> herfindahl(np.array([25.0, 25.0, 25.0, 25.0]))
        0.25
    """
    values = without_overflow(values)
    shares = values / float(values.sum())
    return float(np.dot(shares, shares))
