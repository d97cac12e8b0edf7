r"""Exposure at default in each future period, from the schedules.

For period $h = 0, 1, \dots, H-1$ after the reporting date, starting on
$d_h = $ as_of $+ h \cdot 12/f$ months:

$$EAD_h = D_h\,(1 - CPR)^{h/f} + CCF \cdot U_h$$

where $D_h$ is the contractual balance outstanding on $d_h$ (`balance_at`), $CPR$
the annual conditional prepayment rate (applied to term loans: a prepaying
borrower repays a share of the balance each year, $SMM = 1 - (1-CPR)^{1/f}$ a
period, and the schedule re-amortises in proportion), and $U_h$ a revolver's
undrawn limit, $L - D_h$, converted with the credit conversion factor. A period
that starts on or after the maturity has no exposure (mask False).

The arrays are ``(facilities, periods)``: row $i$ is facility $i$ in the schedule's
order, column $h$ the period starting on $d_h$; this is the exposure input of a
lifetime expected-credit-loss calculation (with annual periods, $f = 1$, the EAD of
each future year).
"""

from __future__ import annotations

import datetime as dt

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import BoolArray, FloatArray, align_to, as_float_array
from lendcrm._dates import check_as_of
from lendcrm._loan_terms import Amortisation
from lendcrm._validators import is_real_number, require_instance
from lendcrm.errors import InvalidValueError
from lendcrm.risk.schedules._calendar import MonthGrid
from lendcrm.risk.schedules._engine import Schedule
from lendcrm.risk.schedules._inputs import KINDS
from lendcrm.risk.schedules._measures import balances_on

__all__ = ["EadProfile", "ead_profile"]

_REVOLVER = KINDS.index(Amortisation.REVOLVER)


@attrs.frozen(kw_only=True, eq=False)
class EadProfile:
    """Exposure per facility and future period, ``(facilities, periods)`` arrays.

    Attributes:
        ead: Exposure at default, ``(n, H)``: drawn + CCF × undrawn, 0 where the
            mask is False.
        drawn: Expected drawn balance after prepayments, ``(n, H)``.
        undrawn: A revolver's undrawn limit, ``(n, H)`` (0 for term loans).
        mask: True where the period starts before the facility's maturity, ``(n, H)``.
        starts: Start date of each period, ``datetime64[D]`` ``(H,)``.
        times: Start of each period in years from the reporting date, ``(H,)``
            (``h / periods_per_year``).
    """

    ead: FloatArray
    drawn: FloatArray
    undrawn: FloatArray
    mask: BoolArray
    starts: npt.NDArray[np.datetime64]
    times: FloatArray


def ead_profile(
    schedule: Schedule,
    *,
    as_of: dt.date,
    periods: int,
    periods_per_year: int = 1,
    ccf: npt.ArrayLike = 0.0,
    prepayment_rate: npt.ArrayLike = 0.0,
) -> EadProfile:
    """The exposure of each facility in each of ``periods`` future periods.

    Args:
        schedule: The book's schedules.
        as_of: Reporting date: the first period starts on it.
        periods: Number of future periods H, >= 1 (e.g. 30 annual periods).
        periods_per_year: 1 (annual), 2, 4 or 12.
        ccf: Credit conversion factor of the undrawn limit, in [0, 1], one or ``(n,)``.
        prepayment_rate: Annual conditional prepayment rate (CPR) of term loans, in
            [0, 1), one or ``(n,)``.

    Returns:
        An `EadProfile` of ``(n, H)`` arrays.

    Raises:
        InvalidValueError: a bad date, ``periods < 1``, a frequency other than 1, 2,
            4 or 12, a CCF outside [0, 1] or a CPR outside [0, 1).

    Examples:
        A linear 1,200 loan over 2026 (quarterly) and a 1,000 revolver drawn 40 %,
        CCF 50 %, seen quarterly from 2026-01-01:

        >>> from lendcrm.risk.schedules import repayment_schedules
        >>> import numpy as np
        >>> s = repayment_schedules(principal=[1200.0, 1000.0], start="2026-01-01",
        ...     maturity="2027-01-01", amortisation=["linear", "revolver"], rate=0.05,
        ...     profile=[[0.0] * 4, [0.4] * 4])
        >>> p = ead_profile(s, as_of=dt.date(2026, 1, 1), periods=5,
        ...                 periods_per_year=4, ccf=0.5)
        >>> p.ead.tolist()
        [[1200.0, 900.0, 600.0, 300.0, 0.0], [700.0, 700.0, 700.0, 700.0, 0.0]]
    """
    require_instance(schedule, Schedule, name="schedule", what="a Schedule")
    day = np.datetime64(check_as_of(as_of), "D").astype(np.int64)
    if type(periods) is not int or periods < 1:
        raise InvalidValueError(field="periods", value=periods, expected="an int >= 1")
    if not is_real_number(periods_per_year) or periods_per_year not in (1, 2, 4, 12):
        raise InvalidValueError(
            field="periods_per_year", value=periods_per_year, expected="1, 2, 4 or 12"
        )
    n = schedule.balance.shape[0]
    ccf_a, cpr = align_to(
        n,
        "facility",
        ccf=as_float_array(ccf, name="ccf", lower=0.0, upper=1.0),
        prepayment_rate=as_float_array(
            prepayment_rate,
            name="prepayment_rate",
            lower=0.0,
            upper=1.0,
            upper_open=True,
        ),
    )
    step = 12 // periods_per_year
    grid = MonthGrid(np.array([day]), step * periods + 1)
    starts = np.array(
        [int(grid.after(np.array([h * step]))[0]) for h in range(periods)]
    )
    times = np.arange(periods) / periods_per_year
    revolver = (schedule.kind == _REVOLVER)[:, None]
    live = starts[None, :] < schedule.maturity.astype(np.int64)[:, None]
    live &= starts[None, :] >= schedule.start.astype(np.int64)[:, None]
    drawn = balances_on(schedule, np.broadcast_to(starts, (n, periods)))
    undrawn = np.where(revolver & live, schedule.limit[:, None] - drawn, 0.0)
    survive = np.exp(np.log1p(-cpr)[:, None] * times[None, :])
    drawn = np.where(revolver, drawn, drawn * survive)
    ead = np.where(live, drawn + ccf_a[:, None] * undrawn, 0.0)
    return EadProfile(
        ead=ead,
        drawn=drawn,
        undrawn=undrawn,
        mask=starts[None, :] < schedule.maturity.astype(np.int64)[:, None],
        starts=starts.astype("datetime64[D]"),
        times=times,
    )
