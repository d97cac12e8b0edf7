"""Project-finance cover ratios over periods: DSCR, LLCR and PLCR.

Inputs are per-period arrays in one currency: ``cfads`` (cash flow available for debt
service) over the project's life, shape ``(n_project,)``, and ``debt_service``
(interest + principal due) over the debt's life, shape ``(n_debt,)`` with
``n_debt <= n_project``; period ``t`` of both is the same period. ``debt_rate`` is the
debt's interest rate *per period* (a fraction: 0.03 for 3 % a half-year), a scalar or
one rate per project period, > -100 %. Cash flows fall at the end of their period;
ratios "at period ``t``" are measured at its start (the calculation date), with the
balance outstanding then.

These conventions hold for the whole area: sculpting (`_sculpting`), covenant tests
(`_covenants`) and the ``project_*`` forms (`_project`), which read the same arrays from
a `lendcrm.Project`.

**DSCR convention for zero debt service.** DSCR is ``CFADS / debt service``; a period
with no debt service due (a grace period, a fully repaid tail) has no ratio. By default
such a period is refused with an `InvalidValueError`, because a silent number would be
wrong either way. With ``allow_zero_service=True`` the period's DSCR is ``+inf`` (no
obligation, so no cover test can fail), and it is left out of the minimum and
average DSCR. There is never a NaN.

References:
    Yescombe, E. R. (2014). *Principles of Project Finance*, 2nd ed., Academic Press,
    ch. 12-13 (cover ratios, sculpting, lock-up and default ratios).

    Gatti, S. (2018). *Project Finance in Theory and Practice*, 3rd ed., Academic
    Press, ch. 5 (DSCR, LLCR, PLCR).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from lendcrm._arrays import FloatArray, as_float_array, refuse_overflow
from lendcrm.errors import InvalidValueError
from lendcrm.risk.project_finance._periods import (
    as_cfads,
    as_debt_service,
    per_period_rates,
    pv_at_each_start,
)

__all__ = [
    "average_dscr",
    "dscr",
    "llcr",
    "min_dscr",
    "plcr",
]


def dscr(
    cfads: npt.ArrayLike,
    debt_service: npt.ArrayLike,
    *,
    allow_zero_service: bool = False,
) -> FloatArray:
    r"""Debt service cover ratio of each period of the debt schedule.

    Notes:
        $$DSCR_t = \frac{CFADS_t}{DS_t}, \qquad t = 0, \dots, n_{debt} - 1$$

    Args:
        cfads: CFADS per period, ``(n_project,)``; may be negative.
        debt_service: Debt service due per period, >= 0, ``(n_debt,)``.
        allow_zero_service: Report ``+inf`` for periods with no debt service
            instead of raising (see the module's convention).

    Returns:
        Float64 ``(n_debt,)``.

    Raises:
        InvalidValueError: non-finite values, negative debt service, CFADS shorter
            than the debt schedule, or a zero debt service unless allowed.

    Examples:
        >>> dscr([130.0, 143.0, 156.0], [100.0, 110.0, 120.0]).round(2)
        array([1.3, 1.3, 1.3])
        >>> dscr([130.0, 50.0], [100.0, 0.0], allow_zero_service=True)
        array([1.3, inf])
    """
    cf = as_cfads(cfads)
    ds = as_debt_service(cf, debt_service, allow_zero_service=allow_zero_service)
    cf = cf[: len(ds)]
    out = np.full(len(ds), np.inf)
    due = ds > 0.0
    out[due] = cf[due] / ds[due]
    return out


def min_dscr(
    cfads: npt.ArrayLike,
    debt_service: npt.ArrayLike,
    *,
    allow_zero_service: bool = False,
) -> float:
    """Minimum DSCR over the periods with debt service due.

    Raises:
        InvalidValueError: as :func:`dscr`.

    Examples:
        >>> min_dscr([130.0, 120.0], [100.0, 100.0])
        1.2
    """
    d = dscr(cfads, debt_service, allow_zero_service=allow_zero_service)
    return float(d[np.isfinite(d)].min())


def average_dscr(
    cfads: npt.ArrayLike,
    debt_service: npt.ArrayLike,
    *,
    allow_zero_service: bool = False,
) -> float:
    """Arithmetic mean of the period DSCRs with debt service due.

    The simple average of the ratios, as lenders' term sheets usually define it (not
    ``sum(CFADS) / sum(DS)``).

    Raises:
        InvalidValueError: as :func:`dscr`.

    Examples:
        >>> average_dscr([130.0, 120.0], [100.0, 100.0])
        1.25
    """
    d = dscr(cfads, debt_service, allow_zero_service=allow_zero_service)
    return float(d[np.isfinite(d)].mean())


def _balance(
    ds: FloatArray, rates: FloatArray, balance: npt.ArrayLike | None
) -> FloatArray:
    if balance is None:
        bal = pv_at_each_start(ds, rates[: len(ds)])
    else:
        bal = as_float_array(balance, name="balance", lower=0.0)
        if len(bal) != len(ds):
            raise InvalidValueError(
                field="balance",
                value=f"length {len(bal)}",
                expected=f"one opening balance per debt period ({len(ds)})",
            )
    nil = bal <= 0.0
    if nil.any():
        i = int(np.argmax(nil))
        if balance is None:
            raise InvalidValueError(
                field=f"debt_service[{i}:]",
                value="all zero",
                expected=(
                    "some debt service due from every calculation date on (the debt "
                    "is repaid before the schedule ends: shorten `debt_service`)"
                ),
            )
        raise InvalidValueError(
            field=f"balance[{i}]",
            value=float(bal[i]),
            expected="a positive debt balance at every calculation date",
        )
    return bal


def llcr(
    cfads: npt.ArrayLike,
    debt_service: npt.ArrayLike,
    *,
    debt_rate: npt.ArrayLike,
    balance: npt.ArrayLike | None = None,
) -> FloatArray:
    r"""Loan life cover ratio at the start of each debt period.

    Notes:
        $$LLCR_t = \frac{\sum_{k=t}^{n_{debt}-1} CFADS_k \prod_{j=t}^{k}
        (1+r_j)^{-1}}{B_t}$$
        with $B_t$ the debt outstanding at the start of period $t$. Unless given,
        $B_t$ is the present value of the remaining debt service at the debt rate,
        which is the balance of a loan that bears interest at ``debt_rate`` and is
        repaid by ``debt_service`` with no balloon.

    Args:
        cfads: CFADS per period, ``(n_project,)``.
        debt_service: Debt service per period, >= 0, ``(n_debt,)``.
        debt_rate: Interest rate per period, > -1, scalar or ``(n_project,)``.
        balance: Opening balance per debt period, ``(n_debt,)``, if known.

    Returns:
        Float64 ``(n_debt,)``.

    Raises:
        InvalidValueError: as :func:`dscr`; ``debt_rate <= -1``; a zero balance; a
            ratio that overflows a float (CFADS near 1.8e308).

    Examples:
        >>> llcr([130.0, 143.0, 156.0], [100.0, 110.0, 120.0], debt_rate=0.1).round(4)
        array([1.3, 1.3, 1.3])
    """
    cf = as_cfads(cfads)
    ds = as_debt_service(cf, debt_service, allow_zero_service=True)
    r = per_period_rates(debt_rate, len(cf))
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is refused below
        bal = refuse_overflow(
            _balance(ds, r, balance), name="balance", inputs="debt_service"
        )
        pv = pv_at_each_start(cf[: len(ds)], r[: len(ds)])
    return refuse_overflow(pv / bal, name="llcr", inputs="cfads or debt_service")


def plcr(
    cfads: npt.ArrayLike,
    debt_service: npt.ArrayLike,
    *,
    debt_rate: npt.ArrayLike,
    balance: npt.ArrayLike | None = None,
) -> FloatArray:
    """Project life cover ratio at the start of each debt period.

    As :func:`llcr`, but the CFADS are summed to the end of the project's life
    (all of ``cfads``), not only to the debt's maturity, so ``PLCR >= LLCR`` when
    the tail CFADS are positive.

    Returns:
        Float64 ``(n_debt,)``.

    Raises:
        InvalidValueError: as :func:`llcr`.

    Examples:
        >>> plcr([130.0, 143.0, 156.0, 110.0], [100.0, 110.0, 120.0],
        ...      debt_rate=0.1).round(4)
        array([1.5762, 1.7149, 2.1333])
    """
    cf = as_cfads(cfads)
    ds = as_debt_service(cf, debt_service, allow_zero_service=True)
    r = per_period_rates(debt_rate, len(cf))
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is refused below
        bal = refuse_overflow(
            _balance(ds, r, balance), name="balance", inputs="debt_service"
        )
        pv = pv_at_each_start(cf, r)[: len(ds)]
    return refuse_overflow(pv / bal, name="plcr", inputs="cfads or debt_service")
