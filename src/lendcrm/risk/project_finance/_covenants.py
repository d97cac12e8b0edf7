"""DSCR covenant tests: lock-up and event-of-default ratios, period by period.

A period fails a test when its DSCR is strictly below the threshold.

References:
    Yescombe, E. R. (2014). *Principles of Project Finance*, 2nd ed., Academic Press,
    ch. 12-13 (cover ratios, sculpting, lock-up and default ratios).
"""

from __future__ import annotations

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import BoolArray, FloatArray, as_float_array
from lendcrm.risk.project_finance._periods import as_cfads
from lendcrm.risk.project_finance._ratios import dscr

__all__ = ["CovenantTest", "covenant_test"]


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
    lk = float(
        as_float_array(
            lock_up, name="lock_up", lower=0.0, lower_open=True, allow_empty=False
        )[0]
    )
    df = float(
        as_float_array(
            default,
            name="default",
            lower=0.0,
            upper=lk,
            lower_open=True,
            allow_empty=False,
        )[0]
    )
    d = dscr(cfads, debt_service, allow_zero_service=allow_zero_service)
    cf = as_cfads(cfads)[: len(d)]
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
