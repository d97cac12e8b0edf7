r"""The Herfindahl-Hirschman index: one formula for every layer that measures concentration.

`lendcrm.segmentation.hhi` (value over clients) and `lendcrm.risk.portfolio.exposure_hhi`
and `sector_hhi` (credit exposure over obligors and sectors) validate their own inputs,
naming their own arguments, and then call `herfindahl`.
"""

from __future__ import annotations

import numpy as np

from lendcrm._arrays import FloatArray

__all__ = ["herfindahl"]


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
    shares = values / float(values.sum())
    return float(np.dot(shares, shares))
