r"""RAROC and EVA: what a facility earns on its capital, and after charging for it.

$$RAROC = \frac{revenue - funding - EL - opex + r_f \cdot capital}{capital}, \qquad
EVA = revenue - funding - EL - opex - (h - r_f)\,capital$$

All amounts are per year in one currency (or all per unit of exposure); $h$ is the
hurdle rate and $r_f$ the risk-free return the capital earns.

**Tax basis.** RAROC here is **pre-tax**, so the hurdle it is compared with must be
pre-tax too. That is the default (`HurdleBasis.PRE_TAX`). A hurdle stated after tax
(a cost of equity, say 9 % after a 25 % tax) is grossed up with `HurdleBasis.POST_TAX`
and the tax rate $\tau$: $h_{pre} = h_{post} / (1 - \tau)$ (0.09 / 0.75 = 0.12). The
gross-up assumes the whole risk-adjusted profit is taxed at the flat rate $\tau$, the
expected loss being deductible like a provision, so that after-tax RAROC is
$(1 - \tau)$ × pre-tax RAROC.
"""

from __future__ import annotations

from enum import StrEnum

import numpy as np
import numpy.typing as npt

from lendcrm._arrays import FloatArray, align, as_float_array, refuse_overflow
from lendcrm.errors import InvalidValueError

__all__ = ["HurdleBasis", "check_hurdle", "eva", "pre_tax_hurdle", "raroc"]


class HurdleBasis(StrEnum):
    """Whether a hurdle rate is stated before or after tax.

    RAROC in lendcrm is pre-tax; a `POST_TAX` hurdle is grossed up to pre-tax with
    `pre_tax_hurdle` before the two are compared.

    Examples:
        >>> HurdleBasis("post_tax")
        <HurdleBasis.POST_TAX: 'post_tax'>
    """

    PRE_TAX = "pre_tax"
    POST_TAX = "post_tax"


def pre_tax_hurdle(
    hurdle_rate: npt.ArrayLike,
    *,
    hurdle_basis: HurdleBasis | str = HurdleBasis.PRE_TAX,
    tax_rate: float = 0.0,
) -> FloatArray:
    r"""The pre-tax hurdle to compare with (pre-tax) RAROC.

    Args:
        hurdle_rate: Required return on capital, annual fraction(s).
        hurdle_basis: `"pre_tax"` (the default: returned as given) or `"post_tax"`
            (grossed up by the tax rate).
        tax_rate: Tax rate on the risk-adjusted profit, in [0, 1); must be 0 for a
            pre-tax hurdle.

    Returns:
        Float64 array `(n,)` of pre-tax hurdle rates.

    Raises:
        InvalidValueError: a non-finite hurdle, an unknown basis, a tax rate outside
            [0, 1), or a non-zero tax rate with a pre-tax hurdle.

    Notes:
        $$h_{pre} = \frac{h_{post}}{1 - \tau}$$ so that an after-tax RAROC of
        $(1 - \tau)\,RAROC_{pre}$ meets $h_{post}$ exactly when $RAROC_{pre} =
        h_{pre}$.

    Examples:
        >>> pre_tax_hurdle(0.09, hurdle_basis="post_tax", tax_rate=0.25)
        array([0.12])
        >>> pre_tax_hurdle(0.12)
        array([0.12])
    """
    h = as_float_array(hurdle_rate, name="hurdle_rate", lower=-1.0)
    try:
        basis = HurdleBasis(hurdle_basis)
    except ValueError:
        raise InvalidValueError(
            field="hurdle_basis",
            value=hurdle_basis,
            expected="'pre_tax' or 'post_tax'",
        ) from None
    tau = float(
        as_float_array(
            tax_rate,
            name="tax_rate",
            lower=0.0,
            upper=1.0,
            upper_open=True,
            allow_empty=False,
        )[0]
    )
    if basis is HurdleBasis.PRE_TAX:
        if tau != 0.0:
            raise InvalidValueError(
                field="tax_rate",
                value=tax_rate,
                expected="0 with a pre-tax hurdle",
                hint="Pass hurdle_basis='post_tax' to gross up an after-tax hurdle.",
            )
        return h
    return h / (1.0 - tau)


def check_hurdle(hurdle: FloatArray, risk_free: FloatArray) -> None:
    """Refuse a hurdle rate below the risk-free rate, naming the first such row."""
    below = hurdle < risk_free
    if below.any():
        i = int(np.argmax(below))
        field = "hurdle_rate" if hurdle.shape[0] == 1 else f"hurdle_rate[{i}]"
        # either side may be one value for every row (found by fuzzing: several
        # hurdles against one risk-free rate indexed past its end)
        h, rf = np.broadcast_arrays(hurdle, risk_free)
        raise InvalidValueError(
            field=field,
            value=float(h[i]),
            expected=f"at least the risk-free rate ({float(rf[i]):g})",
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

    All amounts are per year in one currency (or all per unit of exposure). Compare
    the result with a pre-tax hurdle; `pre_tax_hurdle` grosses up an after-tax one.

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
    hurdle_basis: HurdleBasis | str = HurdleBasis.PRE_TAX,
    tax_rate: float = 0.0,
) -> FloatArray:
    r"""Economic value added, pre-tax: profit after charging capital at the hurdle.

    Args:
        revenue: Interest and fee income per year.
        funding_cost: Cost of funds per year.
        expected_loss: Expected loss per year, >= 0.
        operating_cost: Operating cost per year, >= 0.
        capital: Capital allocated, >= 0.
        risk_free_rate: Return earned on the capital.
        hurdle_rate: Required return on capital; once pre-tax, >= `risk_free_rate`.
        hurdle_basis: Whether `hurdle_rate` is `"pre_tax"` (the default) or
            `"post_tax"` (grossed up with `pre_tax_hurdle`).
        tax_rate: Tax rate for a post-tax hurdle, in [0, 1); 0 otherwise.

    Returns:
        Float64 array `(n,)` in the currency of the inputs; equals
        `capital × (raroc − pre-tax hurdle)` where capital > 0.

    Raises:
        InvalidValueError: a hurdle below the risk-free rate, negative EL, cost or
            capital, non-finite values or arrays of different lengths; as
            `pre_tax_hurdle` for the basis and tax rate; a result that overflows a
            float (amounts or a hurdle near 1.8e308).

    Notes:
        $$EVA = revenue - funding - EL - opex - (h - r_f)\,capital$$

    Examples:
        >>> eva(revenue=60.0, funding_cost=30.0, expected_loss=4.5, operating_cost=4.0,
        ...     capital=130.0, risk_free_rate=0.03, hurdle_rate=0.12).round(2)
        array([9.8])
        >>> eva(revenue=60.0, funding_cost=30.0, expected_loss=4.5, operating_cost=4.0,
        ...     capital=130.0, risk_free_rate=0.03, hurdle_rate=0.09,
        ...     hurdle_basis="post_tax", tax_rate=0.25).round(2)
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
    h = pre_tax_hurdle(h, hurdle_basis=hurdle_basis, tax_rate=tax_rate)
    check_hurdle(h, rf)
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is refused
        value = rev - fund - el - opex - (h - rf) * cap
    # the inputs are finite, so a NaN is inf - inf: two terms overflowed (refused as inf)
    refuse_overflow(
        np.where(np.isnan(value), np.inf, value),
        name="eva",
        inputs="the amounts, capital or hurdle_rate",
    )
    return value
