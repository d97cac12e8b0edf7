"""Exposure at default and expected loss, vectorised.

Amounts are in one currency per call (the caller's); PD and LGD are fractions and the
credit conversion factor (CCF) is the fraction of the undrawn commitment expected to be
drawn by the time of default (Basel II §§310-316; CRE32.28-32.33).
"""

from __future__ import annotations

import numpy.typing as npt

from lendcrm._arrays import FloatArray, as_float_array
from lendcrm.risk._pricing_arrays import align

__all__ = ["expected_loss", "exposure_at_default"]


def exposure_at_default(
    drawn: npt.ArrayLike, undrawn: npt.ArrayLike, ccf: npt.ArrayLike
) -> FloatArray:
    r"""Exposure at default $EAD = drawn + CCF \times undrawn$.

    Args:
        drawn: Drawn (outstanding) amount, >= 0, scalar or `(n,)`.
        undrawn: Undrawn committed amount, >= 0.
        ccf: Credit conversion factor, fraction in [0, 1].

    Returns:
        Float64 array `(n,)` of EAD >= drawn.

    Raises:
        InvalidValueError: a negative or non-finite amount, a CCF outside [0, 1] or
            arrays of different lengths (length-1 inputs broadcast).

    Examples:
        >>> exposure_at_default([80.0, 0.0], [20.0, 50.0], 0.75)
        array([95. , 37.5])
    """
    d, u, c = align(
        drawn=as_float_array(drawn, name="drawn", lower=0.0),
        undrawn=as_float_array(undrawn, name="undrawn", lower=0.0),
        ccf=as_float_array(ccf, name="ccf", lower=0.0, upper=1.0),
    )
    return d + c * u


def expected_loss(
    pd: npt.ArrayLike, lgd: npt.ArrayLike, ead: npt.ArrayLike
) -> FloatArray:
    r"""One-year expected loss $EL = PD \times LGD \times EAD$ (CRE35.3).

    Args:
        pd: One-year probability of default, fraction in [0, 1].
        lgd: Loss given default, fraction in [0, 1].
        ead: Exposure at default, >= 0, in the currency of the result.

    Returns:
        Float64 array `(n,)` of expected losses, non-decreasing in each argument.

    Raises:
        InvalidValueError: PD or LGD outside [0, 1], a negative or non-finite EAD or
            arrays of different lengths.

    Examples:
        >>> expected_loss([0.01, 0.02], 0.45, [1_000_000.0, 500_000.0])
        array([4500., 4500.])
    """
    p, g, e = align(
        pd=as_float_array(pd, name="pd", lower=0.0, upper=1.0),
        lgd=as_float_array(lgd, name="lgd", lower=0.0, upper=1.0),
        ead=as_float_array(ead, name="ead", lower=0.0),
    )
    return p * g * e
