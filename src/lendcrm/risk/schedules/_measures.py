r"""What a schedule says about a loan: its balance on a date, its WAL and its EIR.

- balance on a date: the balance outstanding in the period that holds the date
  (0 before the start and from the maturity on);
- weighted average life, in day-count years: $WAL = \sum_k t_k P_k / \sum_k P_k
  = \sum_k \alpha_k O_k / O_1$ (summation by parts), for a linear loan of $n$
  regular periods $(n+1)/(2f)$ years; a revolver's commitment does not amortise, so
  its WAL is its tenor;
- effective interest rate (IFRS 9, Appendix A and B5.4.1-B5.4.3): the rate $i$ that
  discounts the contractual cash flows $CF_k$ (principal, interest, fees) to the
  carrying amount $C$ (the initial balance less the upfront fee received),
  $\sum_k CF_k \prod_{j \le k} (1 + i\,\alpha_j)^{-1} = C$. It compounds once per
  accrual period, the convention the contractual rate is quoted in, so a fixed-rate
  loan without fees has an EIR equal to its rate exactly; with $f$ regular periods a
  year the annual effective rate is $(1 + i/f)^f - 1$.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

from lendcrm._arrays import FloatArray, IntArray, align, align_to, as_float_array
from lendcrm._dates import whole_months
from lendcrm._loan_terms import Amortisation
from lendcrm._validators import require_instance
from lendcrm.errors import ConvergenceError, InvalidValueError
from lendcrm.risk.schedules._calendar import MonthGrid
from lendcrm.risk.schedules._engine import Schedule
from lendcrm.risk.schedules._inputs import (
    KINDS,
    days_of,
    facility_field,
)

__all__ = [
    "EIR_TOLERANCE",
    "annual_effective_rate",
    "balance_at",
    "balances_on",
    "effective_interest_rate",
    "periods_paid",
    "weighted_average_life",
]

#: Convergence of `effective_interest_rate`: the rate moves by less than this (1e-10
#: = 0.000001 basis point) or the discounted cash flows miss the carrying amount by
#: less than this fraction of it.
EIR_TOLERANCE: Final = 1e-10
_MAX_ITERATIONS: Final = 100
_REVOLVER = KINDS.index(Amortisation.REVOLVER)


def balance_at(schedule: Schedule, on: npt.ArrayLike) -> FloatArray:
    """Balance outstanding on a date (one for all facilities, or one each).

    Args:
        schedule: The book's schedules.
        on: A date or ``(n,)`` dates (anything ``numpy.datetime64`` reads).

    Returns:
        Float64 ``(n,)``: the opening balance of the period holding the date; 0
        before the start and on or after the maturity.

    Examples:
        >>> from lendcrm.risk.schedules import repayment_schedules
        >>> s = repayment_schedules(principal=1200.0, start="2026-01-01",
        ...     maturity="2027-01-01", amortisation="linear", rate=0.05)
        >>> balance_at(s, ["2025-12-31"]).tolist(), balance_at(s, "2026-05-01").tolist()
        ([0.0], [900.0])
    """
    require_instance(schedule, Schedule, name="schedule", what="a Schedule")
    day = days_of(on, "on", schedule.balance.shape[0])
    out: FloatArray = balances_on(schedule, day[:, None])[:, 0]
    return out


def periods_paid(schedule: Schedule, day: IntArray) -> IntArray:
    """How many of each facility's payment dates fall on or before ``day``.

    ``day`` is ``(n,)`` or ``(n, H)`` (days since 1970-01-01). The payment dates roll
    by whole months from the start (clamped to the month's end), so the count is
    the whole months elapsed, corrected for the clamp, over the step; on or after
    the maturity it is the number of periods.
    """
    column = (slice(None), None) if day.ndim == 2 else (slice(None),)  # noqa: PLR2004
    start = schedule.start.astype(np.int64)
    step = (12 // schedule.payments_per_year)[column]
    periods = schedule.periods[column]
    elapsed = whole_months(start[column], day)
    grid = MonthGrid(start, int(elapsed.max(initial=0)) + 2)
    elapsed = elapsed + (grid.after(elapsed + 1) <= day)
    paid = np.minimum(elapsed // step, periods - 1)
    out: IntArray = np.where(
        day >= schedule.maturity.astype(np.int64)[column], periods, paid
    )
    return out


def balances_on(schedule: Schedule, day: IntArray) -> FloatArray:
    """Balance outstanding on ``(n, H)`` days (days since 1970-01-01), ``(n, H)``."""
    paid = periods_paid(schedule, day)
    t = schedule.balance.shape[1]
    held = schedule.balance[np.arange(paid.shape[0])[:, None], np.minimum(paid, t - 1)]
    live = (paid < schedule.periods[:, None]) & (
        day >= schedule.start.astype(np.int64)[:, None]
    )
    out: FloatArray = np.where(live, held, 0.0)
    return out


def weighted_average_life(schedule: Schedule) -> FloatArray:
    r"""Weighted average life of each facility, in day-count years from its start.

    Returns:
        Float64 ``(n,)``: $\sum_k \alpha_k O_k / O_1$; a revolver's tenor (its
        commitment does not amortise); 0 for a zero principal.

    Examples:
        A linear loan of 4 quarterly periods, 30/360: (4 + 1) / 2 quarters = 0.625
        years:

        >>> from lendcrm.risk.schedules import repayment_schedules
        >>> s = repayment_schedules(principal=1e6, start="2026-01-01",
        ...     maturity="2027-01-01", amortisation="linear", rate=0.05,
        ...     day_count="30/360")
        >>> weighted_average_life(s).tolist()
        [0.625]
    """
    require_instance(schedule, Schedule, name="schedule", what="a Schedule")
    area = np.einsum("ij,ij->i", schedule.accrual, schedule.balance)
    first = schedule.balance[:, 0]
    wal = np.divide(area, first, out=np.zeros_like(area), where=first > 0)
    out: FloatArray = np.where(
        schedule.kind == _REVOLVER, schedule.accrual.sum(axis=1), wal
    )
    return out


def annual_effective_rate(
    rate: npt.ArrayLike, payments_per_year: npt.ArrayLike
) -> FloatArray:
    """A rate compounding ``f`` times a year as an annual effective rate.

    Examples:
        >>> annual_effective_rate(0.12, 12).round(6).tolist()
        [0.126825]
    """
    i, f = align(
        rate=as_float_array(rate, name="rate", lower=-1.0, lower_open=True),
        payments_per_year=as_float_array(
            payments_per_year, name="payments_per_year", lower=0.0, lower_open=True
        ),
    )
    out: FloatArray = np.expm1(f * np.log1p(i / f))
    return out


def _npv(
    rate: FloatArray, flows: FloatArray, accrual: FloatArray, carrying: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Discounted flows less the carrying amount, and its derivative in the rate."""
    step = 1.0 + rate[:, None] * accrual
    log_df = -np.cumsum(np.log(step), axis=1)
    pv = flows * np.exp(log_df)
    slope = -(pv * np.cumsum(accrual / step, axis=1)).sum(axis=1)
    out: FloatArray = pv.sum(axis=1) - carrying
    return out, slope


def _carrying(schedule: Schedule, carrying_amount: npt.ArrayLike | None) -> FloatArray:
    n = schedule.balance.shape[0]
    if carrying_amount is None:
        c = schedule.balance[:, 0] - schedule.upfront_fee
    else:
        c = as_float_array(carrying_amount, name="carrying_amount", allow_nan=True)
        (c,) = align_to(n, "facility", carrying_amount=c)
    bad = ~(c > 0)
    if bad.any():
        i = int(np.argmax(bad))
        raise InvalidValueError(
            field=facility_field(schedule.facility_ids, i, "carrying_amount"),
            value=float(c[i]),
            expected="> 0 (an amount lent, less the fees received)",
        )
    return c


def effective_interest_rate(
    schedule: Schedule, *, carrying_amount: npt.ArrayLike | None = None
) -> FloatArray:
    """The rate that discounts each facility's contractual cash flows to its carrying amount.

    Solved for the whole book at once by Newton's method, safeguarded by bisection
    on the bracket ``(-1 / max accrual, 10]``, until the rate moves by less than
    `EIR_TOLERANCE` or the discounted flows miss the carrying amount by less than
    `EIR_TOLERANCE` of it.

    Args:
        schedule: The book's schedules.
        carrying_amount: Carrying amount at the start, > 0, one or ``(n,)``; default
            the first period's balance less the upfront fee (IFRS 9 B5.4.1-B5.4.2:
            fees that are an integral part of the EIR).

    Returns:
        Float64 ``(n,)`` EIR per facility, a nominal annual rate compounding each
        accrual period (`annual_effective_rate` converts it). This is the ``(n,)``
        input that discounts expected credit losses (IFRS 9 B5.5.44).

    Raises:
        InvalidValueError: a carrying amount <= 0, naming the facility.
        ConvergenceError: a facility whose flows have no root in the bracket.

    Examples:
        A fixed-rate loan without fees: the EIR is its rate. A 2 % upfront fee on a
        5-year annuity raises it:

        >>> from lendcrm.risk.schedules import repayment_schedules
        >>> s = repayment_schedules(principal=1e6, start="2026-01-01",
        ...     maturity="2031-01-01", amortisation="annuity", rate=0.06,
        ...     upfront_fee=[0.0, 20_000.0])
        >>> effective_interest_rate(s).round(6).tolist()
        [0.06, 0.068135]
    """
    require_instance(schedule, Schedule, name="schedule", what="a Schedule")
    c = _carrying(schedule, carrying_amount)
    flows, accrual = schedule.cash_flows, schedule.accrual
    n = c.shape[0]
    lo = np.full(n, -1.0 / np.maximum(accrual.max(axis=1, initial=0.0), 1e-9) + 1e-9)
    hi = np.full(n, 10.0)
    rate = np.zeros(n)
    todo = np.arange(n)
    for _ in range(_MAX_ITERATIONS):
        if todo.size == 0:
            return rate
        r = rate[todo]
        gap, slope = _npv(r, flows[todo], accrual[todo], c[todo])
        hit = np.abs(gap) < EIR_TOLERANCE * c[todo]
        above = gap > 0  # flows worth more than the carrying amount: rate too low
        lo[todo] = np.where(above, r, lo[todo])
        hi[todo] = np.where(above, hi[todo], r)
        step = np.divide(gap, slope, out=np.full_like(gap, np.inf), where=slope != 0)
        new = r - step
        outside = ~((new > lo[todo]) & (new < hi[todo]))
        new = np.where(outside, 0.5 * (lo[todo] + hi[todo]), new)
        new = np.where(hit, r, new)
        rate[todo] = new
        todo = todo[~(hit | (np.abs(new - r) < EIR_TOLERANCE))]
    i = int(todo[0])
    raise ConvergenceError(
        model="effective_interest_rate",
        iterations=_MAX_ITERATIONS,
        detail=f"{facility_field(schedule.facility_ids, i, 'cash flows')} have no "
        "rate in (-1 per period, 1000 %] that discounts them to the carrying amount",
    )
