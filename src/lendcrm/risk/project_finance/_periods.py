"""Shared inputs of the project-finance ratios: CFADS, debt service, per-period rates.

Conventions as set out in `_ratios`: per-period arrays in one currency, cash flows at
the end of their period, ``debt_rate`` a rate *per period*.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

from lendcrm._arrays import FloatArray, as_float_array
from lendcrm.errors import InvalidValueError


def as_cfads(cfads: npt.ArrayLike) -> FloatArray:
    """CFADS per period as a non-empty finite float64 array."""
    return as_float_array(cfads, name="cfads", allow_empty=False)


def as_debt_service(
    cfads: FloatArray, debt_service: npt.ArrayLike, *, allow_zero_service: bool
) -> FloatArray:
    """Validated debt service (>= 0, no longer than ``cfads``); zeros only if allowed."""
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


def per_period_rates(debt_rate: npt.ArrayLike, n: int) -> FloatArray:
    """``debt_rate`` as one rate per period (> -1), a scalar broadcast to ``n``."""
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


def pv_at_each_start(flows: FloatArray, rates: FloatArray) -> FloatArray:
    """PV at the start of each period ``t`` of ``flows[t:]`` (end-of-period flows)."""
    growth = np.cumprod(1.0 + rates)
    discounted = flows / growth
    tail = np.cumsum(discounted[::-1])[::-1]
    prev = np.concatenate(([1.0], growth[:-1]))
    return np.asarray(tail * prev, dtype=np.float64)


def debt_run_length(
    known: Sequence[bool], *, field: str, value_at: Callable[[int], object]
) -> int:
    """Number of periods in the debt schedule: the leading run of known debt service.

    Args:
        known: Per cash-flow period, whether its debt service is set.
        field: Path of the cash flows in messages (``"project.cash_flows"``).
        value_at: The debt service of period ``i`` as given, for the message.

    Raises:
        InvalidValueError: period 0 sets no debt service, or a period sets one after
            a period that did not (the debt schedule must be one leading run).
    """
    n_debt = known.index(False) if False in known else len(known)
    if n_debt == 0:
        raise InvalidValueError(
            field=f"{field}[0].debt_service",
            value=None,
            expected="a debt service amount (the debt schedule starts in period 0)",
        )
    if any(known[n_debt:]):
        i = n_debt + list(known[n_debt:]).index(True)
        raise InvalidValueError(
            field=f"{field}[{i}].debt_service",
            value=value_at(i),
            expected=(
                f"unset, as in period {n_debt}: the debt schedule must be one "
                "leading run of periods"
            ),
        )
    return n_debt
