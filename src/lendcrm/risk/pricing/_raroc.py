r"""RAROC and EVA: what a facility earns on its capital, and after charging for it.

$$RAROC = \frac{revenue - funding - EL - opex + r_f \cdot capital}{capital}, \qquad
EVA = revenue - funding - EL - opex - (h - r_f)\,capital$$

All amounts are per year in one currency (or all per unit of exposure); $h$ is the
hurdle rate and $r_f$ the risk-free return the capital earns. RAROC is pre-tax.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from lendcrm._arrays import FloatArray, align, as_float_array
from lendcrm.errors import InvalidValueError

__all__ = ["check_hurdle", "eva", "raroc"]


def check_hurdle(hurdle: FloatArray, risk_free: FloatArray) -> None:
    """Refuse a hurdle rate below the risk-free rate, naming the first such row."""
    below = hurdle < risk_free
    if below.any():
        i = int(np.argmax(below))
        field = "hurdle_rate" if hurdle.shape[0] == 1 else f"hurdle_rate[{i}]"
        raise InvalidValueError(
            field=field,
            value=float(hurdle[i]),
            expected=f"at least the risk-free rate ({float(risk_free[i]):g})",
            hint="A hurdle below the risk-free rate would price capital as a subsidy.",
        )


def raroc(
    *,
    revenue: npt.ArrayLike,
    funding_cost: npt.ArrayLike,
    expected_loss: npt.ArrayLike,
    operating_cost: npt.ArrayLike,
    capital: npt.ArrayLike,
    risk_free_rate: npt.ArrayLike,
) -> FloatArray:
    r"""Risk-adjusted return on capital, pre-tax.

    All amounts are per year in one currency (or all per unit of exposure).

    Args:
        revenue: Interest and fee income.
        funding_cost: Cost of funds (transfer price × balance).
        expected_loss: Expected loss.
        operating_cost: Operating cost, >= 0.
        capital: Economic or regulatory capital allocated, > 0.
        risk_free_rate: Return earned on the capital, annual fraction.

    Returns:
        Float64 array `(n,)` of RAROC as fractions.

    Raises:
        InvalidValueError: capital <= 0, negative expected loss or operating cost,
            non-finite values or arrays of different lengths.

    Notes:
        $$RAROC = \frac{revenue - funding - EL - opex + r_f \cdot capital}{capital}$$

    Examples:
        >>> raroc(revenue=60.0, funding_cost=30.0, expected_loss=4.5,
        ...       operating_cost=4.0, capital=130.0, risk_free_rate=0.03).round(4)
        array([0.1954])
    """
    rev, fund, el, opex, cap, rf = align(
        revenue=as_float_array(revenue, name="revenue"),
        funding_cost=as_float_array(funding_cost, name="funding_cost"),
        expected_loss=as_float_array(expected_loss, name="expected_loss", lower=0.0),
        operating_cost=as_float_array(operating_cost, name="operating_cost", lower=0.0),
        capital=as_float_array(capital, name="capital", lower=0.0, lower_open=True),
        risk_free_rate=as_float_array(
            risk_free_rate, name="risk_free_rate", lower=-1.0, upper=1.0
        ),
    )
    return (rev - fund - el - opex + rf * cap) / cap


def eva(
    *,
    revenue: npt.ArrayLike,
    funding_cost: npt.ArrayLike,
    expected_loss: npt.ArrayLike,
    operating_cost: npt.ArrayLike,
    capital: npt.ArrayLike,
    risk_free_rate: npt.ArrayLike,
    hurdle_rate: npt.ArrayLike,
) -> FloatArray:
    r"""Economic value added: profit after charging capital at the hurdle.

    Args:
        revenue: Interest and fee income per year.
        funding_cost: Cost of funds per year.
        expected_loss: Expected loss per year, >= 0.
        operating_cost: Operating cost per year, >= 0.
        capital: Capital allocated, >= 0.
        risk_free_rate: Return earned on the capital.
        hurdle_rate: Required return on capital, >= `risk_free_rate`.

    Returns:
        Float64 array `(n,)` in the currency of the inputs; equals
        `capital × (raroc − hurdle)` where capital > 0.

    Raises:
        InvalidValueError: a hurdle below the risk-free rate, negative EL, cost or
            capital, non-finite values or arrays of different lengths.

    Notes:
        $$EVA = revenue - funding - EL - opex - (h - r_f)\,capital$$

    Examples:
        >>> eva(revenue=60.0, funding_cost=30.0, expected_loss=4.5, operating_cost=4.0,
        ...     capital=130.0, risk_free_rate=0.03, hurdle_rate=0.12).round(2)
        array([9.8])
    """
    rev, fund, el, opex, cap, rf, h = align(
        revenue=as_float_array(revenue, name="revenue"),
        funding_cost=as_float_array(funding_cost, name="funding_cost"),
        expected_loss=as_float_array(expected_loss, name="expected_loss", lower=0.0),
        operating_cost=as_float_array(operating_cost, name="operating_cost", lower=0.0),
        capital=as_float_array(capital, name="capital", lower=0.0),
        risk_free_rate=as_float_array(
            risk_free_rate, name="risk_free_rate", lower=-1.0, upper=1.0
        ),
        hurdle_rate=as_float_array(hurdle_rate, name="hurdle_rate", lower=-1.0),
    )
    check_hurdle(h, rf)
    return rev - fund - el - opex - (h - rf) * cap
