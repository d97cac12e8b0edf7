"""Project-finance cover ratios, debt sculpting and covenant tests, over periods.

Inputs are per-period arrays in one currency: ``cfads`` (cash flow available for debt
service) over the project's life, shape ``(n_project,)``, and ``debt_service``
(interest + principal due) over the debt's life, shape ``(n_debt,)`` with
``n_debt <= n_project``; period ``t`` of both is the same period. ``debt_rate`` is the
debt's interest rate *per period* (a fraction: 0.03 for 3 % a half-year), a scalar or
one rate per project period, > -100 %. Cash flows fall at the end of their period;
ratios "at period ``t``" are measured at its start (the calculation date), with the
balance outstanding then.

The ``project_*`` functions read the same arrays from a `lendcrm.entities.Project`:
CFADS from its ``cash_flows`` and the debt schedule from the leading run of cash flows
whose ``debt_service`` is set (the periods after the debt's maturity leave it unset
and count only for the PLCR). Amounts become floats in the project's currency.

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

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import BoolArray, FloatArray, as_float_array
from lendcrm.entities import Project
from lendcrm.errors import InvalidValueError
from lendcrm.values import Covenant, CovenantMetric, CovenantOperator

__all__ = [
    "CovenantTest",
    "SculptedDebt",
    "average_dscr",
    "covenant_test",
    "debt_capacity",
    "dscr",
    "llcr",
    "min_dscr",
    "plcr",
    "project_cfads",
    "project_covenant_test",
    "project_debt_capacity",
    "project_debt_service",
    "project_dscr",
    "project_llcr",
    "project_plcr",
    "sculpt",
]


def _cfads(cfads: npt.ArrayLike) -> FloatArray:
    return as_float_array(cfads, name="cfads", allow_empty=False)


def _service(
    cfads: FloatArray, debt_service: npt.ArrayLike, *, allow_zero_service: bool
) -> FloatArray:
    ds = as_float_array(debt_service, name="debt_service", lower=0.0, allow_empty=False)
    if len(cfads) < len(ds):
        raise InvalidValueError(
            field="cfads",
            value=f"length {len(cfads)}",
            expected=(
                f"at least as many periods as `debt_service` ({len(ds)}): "
                "CFADS must cover every period of the debt schedule"
            ),
        )
    zero = ds == 0.0
    if zero.any() and not allow_zero_service:
        i = int(np.argmax(zero))
        raise InvalidValueError(
            field=f"debt_service[{i}]",
            value=0.0,
            expected="a positive amount (DSCR is undefined with nothing due)",
            hint=(
                "Pass allow_zero_service=True to report DSCR = +inf for periods "
                "with no debt service and leave them out of the min and average."
            ),
        )
    if not (~zero).any():
        raise InvalidValueError(
            field="debt_service",
            value="all zero",
            expected="at least one period with debt service due",
        )
    return ds


def _rates(debt_rate: npt.ArrayLike, n: int) -> FloatArray:
    r = as_float_array(
        debt_rate, name="debt_rate", lower=-1.0, lower_open=True, allow_empty=False
    )
    if len(r) == 1:
        return np.full(n, r[0])
    if len(r) != n:
        raise InvalidValueError(
            field="debt_rate",
            value=f"length {len(r)}",
            expected=f"a scalar or one rate per period ({n})",
        )
    return r


def _pv_at_each_start(flows: FloatArray, rates: FloatArray) -> FloatArray:
    """PV at the start of each period ``t`` of ``flows[t:]`` (end-of-period flows)."""
    growth = np.cumprod(1.0 + rates)
    discounted = flows / growth
    tail = np.cumsum(discounted[::-1])[::-1]
    prev = np.concatenate(([1.0], growth[:-1]))
    return np.asarray(tail * prev, dtype=np.float64)


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
    cf = _cfads(cfads)
    ds = _service(cf, debt_service, allow_zero_service=allow_zero_service)
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
        bal = _pv_at_each_start(ds, rates[: len(ds)])
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
        InvalidValueError: as :func:`dscr`; ``debt_rate <= -1``; a zero balance.

    Examples:
        >>> llcr([130.0, 143.0, 156.0], [100.0, 110.0, 120.0], debt_rate=0.1).round(4)
        array([1.3, 1.3, 1.3])
    """
    cf = _cfads(cfads)
    ds = _service(cf, debt_service, allow_zero_service=True)
    r = _rates(debt_rate, len(cf))
    bal = _balance(ds, r, balance)
    pv = _pv_at_each_start(cf[: len(ds)], r[: len(ds)])
    return pv / bal


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
    cf = _cfads(cfads)
    ds = _service(cf, debt_service, allow_zero_service=True)
    r = _rates(debt_rate, len(cf))
    bal = _balance(ds, r, balance)
    pv = _pv_at_each_start(cf, r)[: len(ds)]
    return pv / bal


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
    cf_all = _cfads(cfads)
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
    r = _rates(debt_rate, len(cf_all))[:n]
    ds = cf / target
    opening = _pv_at_each_start(ds, r)
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


@attrs.frozen(kw_only=True, eq=False)
class CovenantTest:
    """Per-period DSCR covenant test (see :func:`covenant_test`).

    Attributes:
        dscr: Float64 ``(n_debt,)`` DSCR (``+inf`` where nothing is due, if allowed).
        lock_up: Bool ``(n_debt,)``: DSCR below the lock-up ratio (distributions to
            sponsors blocked).
        event_of_default: Bool ``(n_debt,)``: DSCR below the default ratio.
        headroom_to_lock_up: Float64 ``(n_debt,)`` ``DSCR - lock-up ratio``
            (negative when locked up).
        headroom_to_default: Float64 ``(n_debt,)`` ``DSCR - default ratio``.
        cfads_headroom: Float64 ``(n_debt,)`` how far CFADS could fall, in
            currency, before the default ratio is breached,
            ``CFADS - default ratio × debt service`` (negative once breached; the
            whole CFADS where nothing is due).
        lock_up_ratio: The lock-up threshold.
        default_ratio: The event-of-default threshold.
    """

    dscr: FloatArray
    lock_up: BoolArray
    event_of_default: BoolArray
    headroom_to_lock_up: FloatArray
    headroom_to_default: FloatArray
    cfads_headroom: FloatArray
    lock_up_ratio: float
    default_ratio: float

    @property
    def first_default_period(self) -> int | None:
        """Index of the first period in default, or ``None``.

        Examples:
            >>> covenant_test([130.0, 100.0], [100.0, 100.0], lock_up=1.2,
            ...               default=1.05).first_default_period
            1
        """
        hit = np.flatnonzero(self.event_of_default)
        return int(hit[0]) if len(hit) else None


def covenant_test(
    cfads: npt.ArrayLike,
    debt_service: npt.ArrayLike,
    *,
    lock_up: float,
    default: float,
    allow_zero_service: bool = False,
) -> CovenantTest:
    """Test each period's DSCR against a lock-up and an event-of-default ratio.

    A period *fails* a test when its DSCR is strictly below the threshold; a DSCR
    exactly at the threshold passes.

    Args:
        cfads: CFADS per period, ``(n_project,)``.
        debt_service: Debt service per period, >= 0, ``(n_debt,)``.
        lock_up: Lock-up DSCR (> 0), typically 1.10-1.20.
        default: Event-of-default DSCR, in (0, ``lock_up``], typically 1.00-1.05.
        allow_zero_service: As in :func:`dscr`.

    Returns:
        A :class:`CovenantTest`.

    Raises:
        InvalidValueError: as :func:`dscr`; a threshold <= 0, or ``default`` above
            ``lock_up``.

    Examples:
        >>> res = covenant_test([130.0, 112.0, 100.0], [100.0, 100.0, 100.0],
        ...                     lock_up=1.15, default=1.05)
        >>> res.lock_up.tolist(), res.event_of_default.tolist()
        ([False, True, True], [False, False, True])
        >>> res.headroom_to_default.round(2).tolist()
        [0.25, 0.07, -0.05]
    """
    lk = float(as_float_array(lock_up, name="lock_up", lower=0.0, lower_open=True)[0])
    df = float(
        as_float_array(default, name="default", lower=0.0, upper=lk, lower_open=True)[0]
    )
    d = dscr(cfads, debt_service, allow_zero_service=allow_zero_service)
    cf = _cfads(cfads)[: len(d)]
    ds = as_float_array(debt_service, name="debt_service")
    return CovenantTest(
        dscr=d,
        lock_up=d < lk,
        event_of_default=d < df,
        headroom_to_lock_up=d - lk,
        headroom_to_default=d - df,
        cfads_headroom=cf - df * ds,
        lock_up_ratio=lk,
        default_ratio=df,
    )


# ------------------------------------------------------------- Project entities


def project_cfads(project: Project) -> FloatArray:
    """CFADS of each of the project's cash-flow periods, as floats.

    Raises:
        InvalidValueError: the project has no cash-flow forecast.

    Examples:
        >>> from lendcrm.risk.project_finance._ratios import _example_project
        >>> project_cfads(_example_project()).tolist()
        [130.0, 143.0, 156.0, 110.0]
    """
    if not project.cash_flows:
        raise InvalidValueError(
            field="project.cash_flows",
            value=(),
            expected="a CFADS forecast (at least one cash-flow period)",
        )
    return np.array([float(c.cfads.amount) for c in project.cash_flows])


def project_debt_service(project: Project) -> FloatArray:
    """Debt service of the project's debt periods: the leading cash flows that set it.

    Raises:
        InvalidValueError: no cash flow sets a debt service, or one sets it after a
            period that did not (the debt schedule must be one leading run).

    Examples:
        >>> from lendcrm.risk.project_finance._ratios import _example_project
        >>> project_debt_service(_example_project()).tolist()
        [100.0, 110.0, 120.0]
    """
    project_cfads(project)
    known = [c.debt_service is not None for c in project.cash_flows]
    n_debt = known.index(False) if False in known else len(known)
    if n_debt == 0:
        raise InvalidValueError(
            field="project.cash_flows[0].debt_service",
            value=None,
            expected="a debt service amount (the debt schedule starts in period 0)",
        )
    if any(known[n_debt:]):
        i = n_debt + known[n_debt:].index(True)
        raise InvalidValueError(
            field=f"project.cash_flows[{i}].debt_service",
            value=project.cash_flows[i].debt_service,
            expected=(
                f"unset, as in period {n_debt}: the debt schedule must be one "
                "leading run of periods"
            ),
        )
    return np.array(
        [
            float(c.debt_service.amount)
            for c in project.cash_flows[:n_debt]
            if c.debt_service is not None
        ]
    )


def project_dscr(project: Project, *, allow_zero_service: bool = False) -> FloatArray:
    """:func:`dscr` of a `Project`'s cash-flow forecast.

    Raises:
        InvalidValueError: as :func:`dscr` and :func:`project_debt_service`.

    Examples:
        >>> from lendcrm.risk.project_finance._ratios import _example_project
        >>> project_dscr(_example_project()).round(2).tolist()
        [1.3, 1.3, 1.3]
    """
    return dscr(
        project_cfads(project),
        project_debt_service(project),
        allow_zero_service=allow_zero_service,
    )


def project_llcr(project: Project, *, debt_rate: npt.ArrayLike) -> FloatArray:
    """:func:`llcr` of a `Project` (debt rate per cash-flow period).

    Raises:
        InvalidValueError: as :func:`llcr` and :func:`project_debt_service`.

    Examples:
        >>> from lendcrm.risk.project_finance._ratios import _example_project
        >>> project_llcr(_example_project(), debt_rate=0.10).round(4).tolist()
        [1.3, 1.3, 1.3]
    """
    return llcr(
        project_cfads(project), project_debt_service(project), debt_rate=debt_rate
    )


def project_plcr(project: Project, *, debt_rate: npt.ArrayLike) -> FloatArray:
    """:func:`plcr` of a `Project`: CFADS to the end of its forecast.

    Raises:
        InvalidValueError: as :func:`plcr` and :func:`project_debt_service`.

    Examples:
        >>> from lendcrm.risk.project_finance._ratios import _example_project
        >>> project_plcr(_example_project(), debt_rate=0.10).round(4).tolist()
        [1.5762, 1.7149, 2.1333]
    """
    return plcr(
        project_cfads(project), project_debt_service(project), debt_rate=debt_rate
    )


def project_debt_capacity(
    project: Project,
    target_dscr: npt.ArrayLike,
    *,
    debt_rate: npt.ArrayLike,
    tenor: int | None = None,
) -> float:
    """Debt a `Project`'s CFADS forecast supports at a target DSCR (its currency).

    Compare with ``float(project.debt.amount)`` to see the sizing headroom.

    Raises:
        InvalidValueError: as :func:`sculpt`.

    Examples:
        >>> from lendcrm.risk.project_finance._ratios import _example_project
        >>> round(project_debt_capacity(_example_project(), 1.30, debt_rate=0.10,
        ...                             tenor=3), 2)
        271.98
    """
    return debt_capacity(
        project_cfads(project), target_dscr, debt_rate=debt_rate, tenor=tenor
    )


def project_covenant_test(
    project: Project, covenant: Covenant, *, allow_zero_service: bool = False
) -> CovenantTest:
    """:func:`covenant_test` of a `Project` against a DSCR `Covenant`'s levels.

    The covenant's ``lock_up_level`` and ``default_level`` are the thresholds (a
    breach is strictly below, as in `Covenant.is_locked_up`).

    Raises:
        InvalidValueError: the covenant is not a DSCR floor or lacks a lock-up or
            default level; or as :func:`covenant_test`.

    Examples:
        >>> from lendcrm.values import Covenant, CovenantMetric, CovenantOperator
        >>> from lendcrm.risk.project_finance._ratios import _example_project
        >>> cov = Covenant(metric=CovenantMetric.DSCR,
        ...                operator=CovenantOperator.AT_LEAST, threshold=1.35,
        ...                lock_up_level=1.30, default_level=1.10)
        >>> project_covenant_test(_example_project(), cov).lock_up.tolist()
        [False, False, False]
    """
    if (
        covenant.metric is not CovenantMetric.DSCR
        or covenant.operator is not CovenantOperator.AT_LEAST
    ):
        raise InvalidValueError(
            field="covenant.metric",
            value=f"{covenant.metric.value} {covenant.operator.value}",
            expected="a DSCR floor (metric dscr, operator at_least)",
        )
    if covenant.lock_up_level is None or covenant.default_level is None:
        raise InvalidValueError(
            field="covenant",
            value=(covenant.lock_up_level, covenant.default_level),
            expected="both a lock_up_level and a default_level",
        )
    return covenant_test(
        project_cfads(project),
        project_debt_service(project),
        lock_up=covenant.lock_up_level,
        default=covenant.default_level,
        allow_zero_service=allow_zero_service,
    )


def _example_project() -> Project:
    """The worked example of the docs as a `Project` (used in doctests)."""
    import datetime as dt  # noqa: PLC0415

    from lendcrm.money import Money  # noqa: PLC0415
    from lendcrm.values import (  # noqa: PLC0415
        CashFlow,
        ClientId,
        ProjectId,
        ProjectPhase,
        Sector,
        Sponsor,
    )

    flows = [("130", "100"), ("143", "110"), ("156", "120"), ("110", None)]
    return Project(
        id=ProjectId("P-1"),
        name="Example solar park",
        sponsors=(Sponsor(sponsor_id=ClientId("S-1"), equity_share=1.0),),
        sector=Sector.ELECTRICITY_GAS_STEAM,
        country="ES",
        total_cost=Money.of("400", "EUR"),
        debt=Money.of("272", "EUR"),
        equity=Money.of("128", "EUR"),
        phase=ProjectPhase.OPERATIONS,
        cash_flows=tuple(
            CashFlow(
                period_end=dt.date(2027 + i, 12, 31),
                cfads=Money.of(c, "EUR"),
                debt_service=None if d is None else Money.of(d, "EUR"),
            )
            for i, (c, d) in enumerate(flows)
        ),
    )
