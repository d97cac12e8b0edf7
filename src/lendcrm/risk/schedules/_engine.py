r"""Repayment schedules of a whole book, period by period, vectorised over facilities.

The schedule is computed one period at a time for every facility at once (a loop of
at most the longest loan's number of periods, each step a handful of numpy
operations over the book). In period $k$ of $n$, with opening balance $O_k$,
all-in annual rate $r_k$, accrual fraction $\alpha_k$ (the day count) and nominal
periodic rate $\rho_k = r_k / f$ ($f$ payments a year):

- interest $I_k = O_k \, r_k \, \alpha_k$;
- principal $P_k$: annuity $P_k = (O_k - F)\,\rho_k / ((1+\rho_k)^{j} - 1)$ with
  $j = n - k + 1$ periods left and $F$ the balloon ($F = 0$ for an annuity; the
  limit $\rho \to 0$ is $(O_k - F)/j$), which for a fixed rate and regular periods is
  the textbook level instalment $A = P\rho/(1 - (1+\rho)^{-n})$; linear
  $P_k = O_k / j$; bullet $P_n = O_n$; sculpted $P_k = \pi_k P$ for the given
  profile $\pi$; a grace period pays no principal; the last period repays the
  balance (and the balloon), so the principal is repaid exactly;
- revolver: the balance follows the expected utilisation, $O_k = u_k L$, and
  $P_k = O_k - O_{k+1}$ (negative when the line is drawn further);
- commitment fee on a revolver's undrawn limit: $c\,(L - O_k)\,\alpha_k$.

Arrays are ``(facilities, periods)``: row $i$ is facility $i$, column $k$ its
period $k+1$, padded with zeros (NaT for dates) after its last period; `mask`
marks the real periods.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import BoolArray, FloatArray, IntArray
from lendcrm._loan_terms import Amortisation
from lendcrm.risk.schedules._calendar import MonthGrid, accrual_fraction
from lendcrm.risk.schedules._curves import ForwardCurve
from lendcrm.risk.schedules._inputs import KINDS, ScheduleInputs, schedule_inputs

__all__ = ["Schedule", "repayment_schedules"]

_NAT = np.iinfo(np.int64).min
#: Facilities per block of the recursion (temporaries of 512 KB stay in cache).
BLOCK_ROWS = 1 << 16
_FLAT = 1e-14  # |(1 + rho)^j - 1| below which the annuity is linear (rho -> 0)
_ANNUITY = KINDS.index(Amortisation.ANNUITY)
_LINEAR = KINDS.index(Amortisation.LINEAR)
_BULLET = KINDS.index(Amortisation.BULLET)
_BALLOON = KINDS.index(Amortisation.BALLOON)
_SCULPTED = KINDS.index(Amortisation.SCULPTED)
_REVOLVER = KINDS.index(Amortisation.REVOLVER)


@attrs.frozen(kw_only=True, eq=False)
class Schedule:
    """The contractual schedules of a book, ``(facilities, periods)`` arrays.

    Attributes:
        facility_ids: The ids given, ``(n,)``, or `None`.
        kind: Amortisation code per facility, an index into `Amortisation`, ``(n,)``.
        periods: Number of payment periods per facility, ``(n,)``.
        payments_per_year: Payment periods a year per facility, ``(n,)``.
        start: Start dates, ``datetime64[D]`` ``(n,)``.
        maturity: Maturity dates, ``datetime64[D]`` ``(n,)``.
        limit: Principal (term loans) or limit (revolvers), ``(n,)``.
        upfront_fee: Fee received at the start, currency amount, ``(n,)``.
        accrual: Day-count year fraction of each period, ``(n, T)``.
        balance: Balance outstanding during each period (opening), ``(n, T)``.
        interest: Interest paid at the period's end, ``(n, T)``.
        fees: Commitment fees paid at the period's end, ``(n, T)`` (a read-only
            zero array when the book has no revolver).
    """

    facility_ids: npt.NDArray[np.object_] | None
    kind: IntArray
    periods: IntArray
    payments_per_year: IntArray
    start: npt.NDArray[np.datetime64]
    maturity: npt.NDArray[np.datetime64]
    limit: FloatArray
    upfront_fee: FloatArray
    accrual: FloatArray
    balance: FloatArray
    interest: FloatArray
    fees: FloatArray

    @property
    def mask(self) -> BoolArray:
        """True on each facility's real periods, ``(n, T)``."""
        t = self.balance.shape[1]
        out: BoolArray = np.arange(t) < self.periods[:, None]
        return out

    @property
    def principal(self) -> FloatArray:
        """Principal repaid at each period's end, net of new drawings, ``(n, T)``.

        The fall of the balance: $P_k = O_k - O_{k+1}$, $O_{n+1} = 0$.
        """
        out: FloatArray = np.empty_like(self.balance)
        np.subtract(self.balance[:, :-1], self.balance[:, 1:], out=out[:, :-1])
        out[:, -1] = self.balance[:, -1]
        return out

    @property
    def closing_balance(self) -> FloatArray:
        """Balance after each period's payment, ``(n, T)``."""
        out: FloatArray = np.zeros_like(self.balance)
        out[:, :-1] = self.balance[:, 1:]
        return out

    @property
    def dates(self) -> npt.NDArray[np.datetime64]:
        """Payment (period end) dates, ``datetime64[D]`` ``(n, T)``, NaT after the last."""
        start = self.start.astype(np.int64)
        step = 12 // self.payments_per_year
        t = self.balance.shape[1]
        grid = MonthGrid(start, int(step.max(initial=1)) * (t + 1))
        k = np.arange(1, t + 1)
        days = grid.table[(grid.month - grid.low)[:, None] + k * step[:, None]]
        nxt = grid.table[(grid.month - grid.low)[:, None] + k * step[:, None] + 1]
        days = days + np.minimum(grid.day[:, None], nxt - days - 1)
        mask = self.mask
        last = np.arange(t) == (self.periods - 1)[:, None]
        days = np.where(last, self.maturity.astype(np.int64)[:, None], days)
        return np.where(mask, days, _NAT).view("datetime64[D]")

    @property
    def times(self) -> FloatArray:
        """Payment times in day-count years from the start, ``(n, T)``."""
        out: FloatArray = np.cumsum(self.accrual, axis=1)
        return out

    @property
    def cash_flows(self) -> FloatArray:
        """What the lender receives at each period's end: principal + interest + fees."""
        out: FloatArray = self.principal + self.interest + self.fees
        return out


def _rates(inp: ScheduleInputs, begin: IntArray) -> FloatArray:
    """All-in annual rate of the period starting on ``begin``: fixed or curve + margin."""
    if not inp.curves:
        return inp.rate
    rate = np.array(inp.rate, dtype=np.float64)
    for c, curve in enumerate(inp.curves):
        rows = inp.curve == c
        if rows.any():
            rate[rows] += curve.rate_on_days(begin[rows])
            floor = rows & inp.zero_floor
            rate[floor] = np.maximum(rate[floor], 0.0)
    return rate


class _Kinds:
    """Row masks of the amortisation kinds present, computed once."""

    def __init__(self, inp: ScheduleInputs) -> None:
        kind = inp.kind
        self.level = (kind == _ANNUITY) | (kind == _BALLOON)
        self.linear = kind == _LINEAR
        self.bullet = kind == _BULLET
        self.sculpted = kind == _SCULPTED
        self.revolver = kind == _REVOLVER
        self.balloon = inp.balloon * inp.principal
        self.grace = bool((inp.grace > 0).any())
        self.periods = inp.periods.astype(np.float64)
        self.last = inp.periods - 1


def _principal(
    inp: ScheduleInputs,
    kinds: _Kinds,
    k: int,
    *,
    opening: FloatArray,
    rho: FloatArray,
    log_growth: FloatArray,
) -> FloatArray:
    """Principal repaid at the end of period ``k`` (0-based) by amortisation kind."""
    left = kinds.periods - k  # periods left, this one included
    np.maximum(left, 1.0, out=left)
    pay = np.zeros_like(opening)
    if kinds.level.any():
        due = opening - kinds.balloon
        growth = np.expm1(left * log_growth)
        flat = np.abs(growth) < _FLAT
        level = due / left
        due *= rho
        np.divide(due, growth, out=level, where=~flat)
        pay = np.where(kinds.level, level, pay)
    if kinds.linear.any():
        pay = np.where(kinds.linear, opening / left, pay)
    if kinds.sculpted.any():
        share = inp.profile[:, min(k, inp.profile.shape[1] - 1)] * inp.principal
        pay = np.where(kinds.sculpted, share, pay)
    if kinds.grace:
        pay = np.where(k < inp.grace, 0.0, pay)
    out: FloatArray = np.where(k >= kinds.last, opening, pay)  # last: repay all
    return out


def _drawn(inp: ScheduleInputs, k: int) -> FloatArray:
    """A revolver's expected drawn balance in period ``k`` (0 past the profile)."""
    if k >= inp.profile.shape[1]:
        return np.zeros(inp.principal.shape[0])
    out: FloatArray = inp.profile[:, k] * inp.principal
    return np.where(k < inp.periods, out, 0.0)


def _rows(inp: ScheduleInputs, rows: slice) -> ScheduleInputs:
    """The inputs of a block of facilities."""
    per_row = {
        f.name: getattr(inp, f.name)[rows]
        for f in attrs.fields(ScheduleInputs)
        if f.name not in ("ids", "curves")
    }
    ids = None if inp.ids is None else inp.ids[rows]
    return attrs.evolve(inp, ids=ids, **per_row)


def _recurse(inp: ScheduleInputs, out: dict[str, FloatArray]) -> None:
    """The period recursion of one block of facilities, into ``out`` ``(T, rows)``."""
    t = int(inp.periods.max()) if inp.periods.size else 0
    kinds = _Kinds(inp)
    fees = out["fees"] if kinds.revolver.any() and "fees" in out else None
    ppy = (12 // inp.step).astype(np.float64)
    grid = MonthGrid(inp.start, int(inp.step.max(initial=1)) * (t + 1))
    opening = np.where(kinds.revolver, _drawn(inp, 0), inp.principal)
    begin = inp.start
    fixed_log_growth = None if inp.curves else np.log1p(inp.rate / ppy)
    for k in range(t):
        end = np.where(k == kinds.last, inp.maturity, grid.after((k + 1) * inp.step))
        alpha = accrual_fraction(begin, end, inp.day_count)
        alpha[k > kinds.last] = 0.0
        rate = _rates(inp, begin)
        rho = rate / ppy
        log_growth = np.log1p(rho) if fixed_log_growth is None else fixed_log_growth
        pay = _principal(inp, kinds, k, opening=opening, rho=rho, log_growth=log_growth)
        if fees is not None:
            pay = np.where(kinds.revolver, opening - _drawn(inp, k + 1), pay)
            fees[k] = np.where(kinds.revolver, inp.commitment_fee * alpha, 0.0) * (
                inp.principal - opening
            )
        out["accrual"][k] = alpha
        out["balance"][k] = opening
        np.multiply(opening * rate, alpha, out=out["interest"][k])
        opening = opening - pay
        begin = end


def build_schedule(inp: ScheduleInputs) -> Schedule:
    """Run the period recursion over the validated inputs, a block of rows at a time.

    Blocks of `BLOCK_ROWS` facilities keep each step's temporaries in the CPU
    cache; the result does not depend on the block size.
    """
    n = inp.principal.shape[0]
    t = int(inp.periods.max()) if n else 0
    names = ["accrual", "balance", "interest"]
    if (inp.kind == _REVOLVER).any():
        names.append("fees")
    out = {name: np.zeros((t, n)) for name in names}
    for lo in range(0, n, BLOCK_ROWS):
        rows = slice(lo, min(lo + BLOCK_ROWS, n))
        _recurse(_rows(inp, rows), {k: v[:, rows] for k, v in out.items()})
    ppy = (12 // inp.step).astype(np.float64)
    fees = out.get("fees")
    return Schedule(
        facility_ids=inp.ids,
        kind=inp.kind,
        periods=inp.periods,
        payments_per_year=ppy.astype(np.int64),
        start=inp.start.astype("datetime64[D]"),
        maturity=inp.maturity.astype("datetime64[D]"),
        limit=inp.principal,
        upfront_fee=inp.upfront_fee,
        accrual=out["accrual"].T,
        balance=out["balance"].T,
        interest=out["interest"].T,
        fees=np.broadcast_to(0.0, (n, t)) if fees is None else fees.T,
    )


def repayment_schedules(
    *,
    principal: npt.ArrayLike,
    start: npt.ArrayLike,
    maturity: npt.ArrayLike,
    amortisation: object,
    rate: npt.ArrayLike,
    reference: npt.ArrayLike | None = None,
    curves: Mapping[str, ForwardCurve] | None = None,
    payments_per_year: npt.ArrayLike = 4,
    day_count: object = "ACT/360",
    grace_periods: npt.ArrayLike = 0,
    balloon_fraction: npt.ArrayLike = 0.0,
    profile: npt.ArrayLike | None = None,
    commitment_fee: npt.ArrayLike = 0.0,
    upfront_fee: npt.ArrayLike = 0.0,
    zero_floor: npt.ArrayLike = True,
    facility_ids: npt.ArrayLike | None = None,
) -> Schedule:
    """Contractual repayment schedules of a book, one row per facility.

    Every argument is one value for the book or one per facility (``(n,)``);
    `profile` is ``(n, T)``.

    Args:
        principal: Principal of a term loan (drawn in full at the start) or limit of
            a revolver, >= 0, in the facility's currency.
        start: Start dates (anything ``numpy.datetime64`` reads).
        maturity: Final maturity dates, after the start.
        amortisation: `Amortisation` kinds (or their values, ``"annuity"``, ...).
        rate: A fixed-rate facility's rate (>= 0), or a floating one's margin over
            its reference (may be negative), annual fractions.
        reference: Reference rate name per facility: ``"FIXED"`` or a key of
            `curves`; `None` for a book of fixed-rate loans.
        curves: The `ForwardCurve` of each floating reference.
        payments_per_year: 1, 2, 4 or 12 payment periods a year.
        day_count: `DayCount` conventions (``"ACT/360"``, ``"ACT/365F"``,
            ``"30/360"``).
        grace_periods: Interest-only periods before an annuity, linear or balloon
            loan amortises, fewer than its periods.
        balloon_fraction: Share of a balloon loan's principal paid at maturity, in
            (0, 1); 0 for other kinds.
        profile: Per period, a sculpted loan's principal fractions (summing to 1,
            e.g. ``SculptedDebt.principal / SculptedDebt.debt_capacity`` from
            `lendcrm.risk.project_finance.sculpt`) or a revolver's expected drawn
            fraction of the limit; NaN or 0 elsewhere.
        commitment_fee: A revolver's annual fee on its undrawn limit, in [0, 1].
        upfront_fee: Fee received at the start (currency amount, >= 0): it enters
            the effective interest rate.
        zero_floor: Whether a floating all-in rate is floored at 0 (per facility).
        facility_ids: Ids, to name a facility in errors and results.

    Returns:
        A `Schedule` of ``(n, T)`` arrays, T the longest number of periods.

    Raises:
        InvalidValueError: maturity on or before the start, a negative fixed rate,
            a sculpted profile that does not repay the principal (sum != 1), a
            utilisation outside [0, 1], a grace period as long as the loan, an
            unknown reference, a profile shorter than the loan; each names the
            facility (its id or row) and the field.

    Examples:
        A 1,000,000 annuity at 6 % over 5 annual periods, 30/360: the level
        instalment is 1,000,000 x 0.06 / (1 - 1.06^-5) = 237,396.40:

        >>> s = repayment_schedules(principal=1e6, start="2026-01-15",
        ...     maturity="2031-01-15", amortisation="annuity", rate=0.06,
        ...     payments_per_year=1, day_count="30/360")
        >>> s.cash_flows.round(2).tolist()
        [[237396.4, 237396.4, 237396.4, 237396.4, 237396.4]]
        >>> s.balance[0, :2].round(2).tolist(), float(s.principal.sum())
        ([1000000.0, 822603.6], 1000000.0)
    """
    inp = schedule_inputs(
        principal=principal,
        start=start,
        maturity=maturity,
        amortisation=amortisation,
        rate=rate,
        reference=reference,
        curves=curves,
        payments_per_year=payments_per_year,
        day_count=day_count,
        grace_periods=grace_periods,
        balloon_fraction=balloon_fraction,
        profile=profile,
        commitment_fee=commitment_fee,
        upfront_fee=upfront_fee,
        zero_floor=zero_floor,
        facility_ids=facility_ids,
    )
    return build_schedule(inp)
