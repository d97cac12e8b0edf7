"""Debt sculpting: the debt service that holds a target DSCR, and the debt it supports.

Per-period arrays with the conventions of `_ratios`; ``debt_rate`` is per period.

References:
    Yescombe, E. R. (2014). *Principles of Project Finance*, 2nd ed., Academic Press,
    ch. 12-13 (cover ratios, sculpting, lock-up and default ratios).
"""

from __future__ import annotations

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import FloatArray, as_float_array
from lendcrm.errors import InvalidValueError
from lendcrm.risk.project_finance._periods import (
    as_cfads,
    per_period_rates,
    pv_at_each_start,
)

__all__ = ["SculptedDebt", "debt_capacity", "sculpt"]


@attrs.frozen(kw_only=True, eq=False)
class SculptedDebt:
    """A debt schedule sculpted to a target DSCR (see :func:`sculpt`).

    Attributes:
        debt_service: Float64 ``(n_debt,)`` debt service per period,
            ``CFADS_t / target_t``.
        debt_capacity: The debt the schedule supports: its present value at the
            debt rate, the opening balance at financial close.
        opening_balance: Float64 ``(n_debt,)`` balance at the start of each period.
        interest: Float64 ``(n_debt,)`` ``rate × opening balance``.
        principal: Float64 ``(n_debt,)`` ``debt service - interest`` (negative in a
            period where the debt service does not cover the interest: the balance
            grows).
        closing_balance: Float64 ``(n_debt,)``; the last is 0 up to round-off.
    """

    debt_service: FloatArray
    debt_capacity: float
    opening_balance: FloatArray
    interest: FloatArray
    principal: FloatArray
    closing_balance: FloatArray


def sculpt(
    cfads: npt.ArrayLike,
    target_dscr: npt.ArrayLike,
    *,
    debt_rate: npt.ArrayLike,
    tenor: int | None = None,
) -> SculptedDebt:
    r"""Sculpt debt service to a target DSCR and size the debt it supports.

    Notes:
        $$DS_t = \frac{CFADS_t}{DSCR^{*}_t}, \qquad
        D = \sum_{t=0}^{n-1} DS_t \prod_{j=0}^{t} (1+r_j)^{-1}$$
        and the schedule then repays ``D`` exactly: interest ``r_t B_t``,
        principal ``DS_t - r_t B_t``. By construction every period's DSCR equals
        its target and the LLCR at close equals the target when it is constant.

    Args:
        cfads: CFADS per period, ``(n_project,)``; must be > 0 over the tenor.
        target_dscr: Target DSCR (> 0), scalar or one per debt period.
        debt_rate: Interest rate per period, > -1, scalar or ``(n_project,)``.
        tenor: Number of debt periods (1 to ``n_project``); default: all periods.

    Returns:
        A :class:`SculptedDebt`.

    Raises:
        InvalidValueError: a non-positive CFADS or target, ``debt_rate <= -1``, or a
            tenor outside 1..n_project.

    Examples:
        >>> debt = sculpt([125.0, 156.25, 195.3125], 1.25, debt_rate=0.25)
        >>> debt.debt_service.tolist(), debt.debt_capacity
        ([100.0, 125.0, 156.25], 240.0)
        >>> debt.opening_balance.tolist(), debt.principal.tolist()
        ([240.0, 200.0, 125.0], [40.0, 75.0, 125.0])
    """
    cf_all = as_cfads(cfads)
    n = len(cf_all) if tenor is None else tenor
    if int(n) != n or not 1 <= n <= len(cf_all):
        raise InvalidValueError(
            field="tenor",
            value=tenor,
            expected=f"a whole number of periods in 1..{len(cf_all)}",
        )
    n = int(n)
    cf = as_float_array(cf_all[:n], name="cfads", lower=0.0, lower_open=True)
    target = as_float_array(target_dscr, name="target_dscr", lower=0.0, lower_open=True)
    if len(target) == 1:
        target = np.full(n, target[0])
    elif len(target) != n:
        raise InvalidValueError(
            field="target_dscr",
            value=f"length {len(target)}",
            expected=f"a scalar or one target per debt period ({n})",
        )
    r = per_period_rates(debt_rate, len(cf_all))[:n]
    ds = cf / target
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is refused below
        opening = pv_at_each_start(ds, r)
    bad = ~np.isfinite(opening)
    if bad.any():
        i = int(np.argmax(bad))
        raise InvalidValueError(
            field=f"opening_balance[{i}]",
            value=float(opening[i]),
            expected="a finite balance (cfads or debt_rate too large for a float, "
            "whose maximum is 1.8e308)",
        )
    interest = r * opening
    principal = ds - interest
    closing = np.append(opening[1:], opening[-1] - principal[-1])
    return SculptedDebt(
        debt_service=ds,
        debt_capacity=float(opening[0]),
        opening_balance=opening,
        interest=interest,
        principal=principal,
        closing_balance=closing,
    )


def debt_capacity(
    cfads: npt.ArrayLike,
    target_dscr: npt.ArrayLike,
    *,
    debt_rate: npt.ArrayLike,
    tenor: int | None = None,
) -> float:
    """The debt a CFADS profile supports at a target DSCR (``sculpt(...).debt_capacity``).

    Raises:
        InvalidValueError: as :func:`sculpt`.

    Examples:
        >>> debt_capacity([125.0, 156.25, 195.3125], 1.25, debt_rate=0.25)
        240.0
    """
    return sculpt(cfads, target_dscr, debt_rate=debt_rate, tenor=tenor).debt_capacity
