r"""Effective maturity: the cash-flow-weighted life of an instrument (CRE32.46-32.48).

For an instrument with a determined cash-flow schedule, the IRB effective maturity is
the cash-flow-weighted average time to the payments (CRE32.47),

$$M = \frac{\sum_t t \cdot CF_t}{\sum_t CF_t},$$

where $CF_t$ are the cash flows (principal, interest and fees) contractually payable by
the borrower in period $t$, in years from the reporting date. $M$ is then floored at one
year and capped at five (CRE32.46; the one-year floor does not apply to the short-term
exposures of CRE32.51-32.53, for which pass `floor=0`). A bank that cannot compute $M$
from the cash flows may use the nominal maturity instead (CRE32.48), the conservative
reading that `lendcrm.risk.pricing.minimum_rate` uses when it is given no
`capital_maturity`; for revolving facilities $M$ runs to the facility's last
contractual date, not the current drawing (CRE32.50).

Pricing passes $M$ as `capital_maturity` (`lendcrm.risk.pricing.facility_price`
derives it from a facility's dated schedule).
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

from lendcrm._arrays import as_float_array, check_same_length
from lendcrm._concentration import without_overflow
from lendcrm.errors import InvalidValueError

__all__ = ["effective_maturity"]

#: Floor of the effective maturity in years (CRE32.46).
_MATURITY_FLOOR: Final = 1.0
#: Cap of the effective maturity in years (CRE32.46).
_MATURITY_CAP: Final = 5.0


def effective_maturity(
    times: npt.ArrayLike,
    cash_flows: npt.ArrayLike,
    *,
    floor: float = _MATURITY_FLOOR,
    cap: float = _MATURITY_CAP,
) -> float:
    r"""Cash-flow-weighted effective maturity M of one instrument, floored and capped.

    Args:
        times: When each cash flow is payable, in years from the reporting date
            (>= 0), shape `(k,)`.
        cash_flows: Principal, interest and fees payable at each time, >= 0 with a
            positive total, shape `(k,)`, any one currency.
        floor: Smallest M returned, years (1, CRE32.46; 0 for the short-term
            exposures exempt from the floor).
        cap: Largest M returned, years (5, CRE32.46), at least `floor`;
            `math.inf` for no cap.

    Returns:
        $\min(cap, \max(floor, \sum_t t\,CF_t / \sum_t CF_t))$ in years.

    Raises:
        InvalidValueError: empty, negative or non-finite times or cash flows, a zero
            total, arrays of different lengths, or `floor`/`cap` out of order.

    Notes:
        CRE32.47: $M = \sum_t t \cdot CF_t / \sum_t CF_t$. A bullet loan's M is
        below its nominal maturity because the interest is paid earlier; an
        amortising loan's M is lower still.

    Examples:
        A five-year bullet loan of 100 paying 5 % a year:
        (5·(1 + 2 + 3 + 4) + 105·5) / (4·5 + 105) = 575 / 125 = 4.6 years.

        >>> effective_maturity([1, 2, 3, 4, 5], [5, 5, 5, 5, 105])
        4.6
        >>> effective_maturity([0.25, 0.5], [1, 100])  # floored at one year
        1.0
        >>> round(effective_maturity([0.25, 0.5], [1, 100], floor=0.0), 4)
        0.4975
    """
    t = as_float_array(times, name="times", lower=0.0, allow_empty=False)
    cf = as_float_array(cash_flows, name="cash_flows", lower=0.0, allow_empty=False)
    check_same_length(times=t, cash_flows=cf)
    lo = float(as_float_array(floor, name="floor", lower=0.0, allow_empty=False)[0])
    hi = float(cap)
    if not hi >= lo:  # also refuses NaN; an infinite cap means no cap
        raise InvalidValueError(
            field="cap", value=cap, expected=f"at least floor ({lo:g} years)"
        )
    cf = without_overflow(cf)  # a weighted mean: an exact rescale near 1.8e308
    total = float(cf.sum())
    if total <= 0.0:
        raise InvalidValueError(
            field="cash_flows", value=cf.tolist(), expected="a positive total"
        )
    with np.errstate(over="ignore"):  # times near 1.8e308: inf, capped below
        m = float(np.dot(t, cf)) / total
    return min(hi, max(lo, m))
