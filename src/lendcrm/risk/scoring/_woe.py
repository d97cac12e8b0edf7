r"""Weight of evidence and information value of a binned variable.

Convention used throughout `lendcrm.risk`: the *event* is a **bad** (default, target 1)
and a *non-event* is a **good** (target 0). The weight of evidence of bin $i$ is

$$\mathrm{WoE}_i = \ln\frac{g_i / G}{b_i / B}$$

(share of goods over share of bads): **higher WoE, lower risk**. The information value is

$$\mathrm{IV} = \sum_i \left(\frac{g_i}{G} - \frac{b_i}{B}\right)\mathrm{WoE}_i .$$

Source: N. Siddiqi, *Credit Risk Scorecards* (Wiley, 2006), ch. 6.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from lendcrm._arrays import FloatArray, as_float_array, check_same_length
from lendcrm.errors import InvalidValueError

__all__ = ["information_value", "iv_contributions", "weight_of_evidence"]


def _counts(goods: npt.ArrayLike, bads: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    g = as_float_array(goods, name="goods", lower=0, allow_empty=False)
    b = as_float_array(bads, name="bads", lower=0, allow_empty=False)
    check_same_length(goods=g, bads=b)
    for name, arr in (("goods", g), ("bads", b)):
        if arr.sum() <= 0:
            raise InvalidValueError(
                field=name, value=arr.tolist(), expected="a positive total"
            )
    zero = (g == 0) | (b == 0)
    if zero.any():
        i = int(np.argmax(zero))
        which = "goods" if g[i] == 0 else "bads"
        raise InvalidValueError(
            field=f"{which}[{i}]",
            value=0.0,
            expected="a positive count (the WoE of an empty class is infinite)",
            hint="Merge the bin with a neighbour or smooth its counts.",
        )
    return g, b


def weight_of_evidence(goods: npt.ArrayLike, bads: npt.ArrayLike) -> FloatArray:
    r"""Weight of evidence per bin, `ln(share of goods / share of bads)`.

    Higher WoE means lower risk (more goods than bads, relative to the population).

    Args:
        goods: Goods (non-events, target 0) per bin, counts or weights, shape `(k,)`.
        bads: Bads (events, target 1) per bin, same shape.

    Returns:
        Float64 array of shape `(k,)`.

    Raises:
        InvalidValueError: a count is negative or non-finite, the shapes differ, a total
            is zero, or a bin has zero goods or zero bads (infinite WoE).

    Examples:
        >>> weight_of_evidence([60, 30, 10], [10, 10, 20]).round(6)
        array([ 0.875469,  0.182322, -1.609438])

    Notes:
        $$\mathrm{WoE}_i = \ln\frac{g_i / G}{b_i / B}, \quad G = \sum g_i,\;
        B = \sum b_i.$$
    """
    g, b = _counts(goods, bads)
    out: FloatArray = np.log((g / g.sum()) / (b / b.sum()))
    return out


def iv_contributions(goods: npt.ArrayLike, bads: npt.ArrayLike) -> FloatArray:
    """Each bin's term of the information value (WoE = ln(goods share / bads share)).

    Args:
        goods: Goods per bin, shape `(k,)`.
        bads: Bads per bin, shape `(k,)`.

    Returns:
        Float64 array of shape `(k,)`, every term >= 0.

    Raises:
        InvalidValueError: as `weight_of_evidence`.

    Examples:
        >>> iv_contributions([60, 30, 10], [10, 10, 20]).round(6)
        array([0.306414, 0.009116, 0.643775])
    """
    g, b = _counts(goods, bads)
    gs, bs = g / g.sum(), b / b.sum()
    out: FloatArray = (gs - bs) * np.log(gs / bs)
    return out


def information_value(goods: npt.ArrayLike, bads: npt.ArrayLike) -> float:
    r"""Information value of a binned variable (WoE = ln(goods share / bads share)).

    Args:
        goods: Goods per bin, shape `(k,)`.
        bads: Bads per bin, shape `(k,)`.

    Returns:
        The IV, >= 0; see `lendcrm.risk.scoring.iv_strength` for the usual bands.

    Raises:
        InvalidValueError: as `weight_of_evidence`.

    Examples:
        >>> round(information_value([60, 30, 10], [10, 10, 20]), 6)
        0.959305

    Notes:
        $$\mathrm{IV} = \sum_i (g_i/G - b_i/B)\,\mathrm{WoE}_i$$
        (Siddiqi, *Credit Risk Scorecards*, 2006, ch. 6).
    """
    return float(iv_contributions(goods, bads).sum())
