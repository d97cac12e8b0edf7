"""The covenant test calendar: the period ends on which each covenant is tested.

A covenant tested every ``k`` months (`TestFrequency.months`: 1, 3, 6 or 12) is tested
on the calendar period ends of that frequency — month ends, quarter ends (31 March,
30 June, 30 September, 31 December), half-year ends (30 June, 31 December) or year ends
(31 December) — that fall strictly after the facility's ``start_on`` and on or before
both its ``maturity_on`` and the business date ``as_of``. A period end on the signing
date is not tested (no period has run); one on the maturity date is.

`covenant_calendar` builds the calendars of many covenants at once with month
arithmetic on `numpy.datetime64`; `facility_covenant_calendar` walks one covenant's
months in plain Python, and the tests check that both agree.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Final

import numpy as np
import numpy.typing as npt

from lendcrm._arrays import IntArray, check_same_length
from lendcrm._dates import as_of_day, check_as_of
from lendcrm._entities import Facility
from lendcrm._enums import TestFrequency
from lendcrm._validators import require_instance
from lendcrm._values import Covenant
from lendcrm.errors import InvalidValueError

__all__ = [
    "DayArray",
    "as_day_array",
    "covenant_calendar",
    "facility_covenant_calendar",
    "month_end",
]

#: A 1-d array of calendar days, ``datetime64[D]``.
DayArray = npt.NDArray[np.datetime64]

MONTHS_PER_YEAR: Final = 12
#: The months between two tests that `TestFrequency` allows.
FREQUENCY_MONTHS: Final = tuple(f.months for f in TestFrequency)


def as_day_array(values: npt.ArrayLike, *, name: str) -> DayArray:
    """``values`` as a 1-d ``datetime64[D]`` array without NaT (times are dropped).

    Raises:
        InvalidValueError: not dates, not 1-d, or a missing date (names the index).

    Examples:
        >>> as_day_array(["2025-03-31"], name="start_on")
        array(['2025-03-31'], dtype='datetime64[D]')
    """
    arr: DayArray | None = None
    try:
        raw = np.asarray(values)
        if raw.size == 0 or raw.dtype.kind not in "biufc":  # a number is no date
            arr = np.asarray(values, dtype="datetime64[D]")
    except (TypeError, ValueError, OverflowError):
        pass
    if arr is None:
        raise InvalidValueError(
            field=name, value=values, expected="dates (datetime64 or ISO strings)"
        )
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim != 1:
        raise InvalidValueError(
            field=name, value=f"array of shape {arr.shape}", expected="one-dimensional"
        )
    nat = np.isnat(arr)
    if nat.any():
        i = int(np.argmax(nat))
        raise InvalidValueError(field=f"{name}[{i}]", value=None, expected="a date")
    return arr


def month_end(months: IntArray) -> DayArray:
    """Last day of each month, months counted from January 1970 (month 0).

    Examples:
        >>> month_end(np.array([0, 1, 661])).astype(str).tolist()
        ['1970-01-31', '1970-02-28', '2025-02-28']
    """
    following = (months + 1).astype("datetime64[M]").astype("datetime64[D]")
    last: DayArray = (following - np.timedelta64(1, "D")).astype("datetime64[D]")
    return last


def _months(days: DayArray) -> IntArray:
    return days.astype("datetime64[M]").astype(np.int64)


def _frequency_months(values: npt.ArrayLike, n: int) -> IntArray:
    k = np.asarray(values)
    if k.ndim == 0:
        k = np.full(n, k)
    bad = ~np.isin(k, FREQUENCY_MONTHS)
    if k.ndim != 1 or bad.any():
        i = int(np.argmax(bad)) if k.ndim == 1 else 0
        raise InvalidValueError(
            field=f"frequency_months[{i}]",
            value=k.reshape(-1)[i] if k.size else k,
            expected=f"months between tests, one of {FREQUENCY_MONTHS}",
        )
    return k.astype(np.int64)


def covenant_calendar(
    start_on: npt.ArrayLike,
    maturity_on: npt.ArrayLike,
    frequency_months: npt.ArrayLike,
    *,
    as_of: dt.date,
) -> tuple[IntArray, DayArray]:
    """Test dates of many covenants up to ``as_of``, vectorised.

    Each covenant ``i`` is tested on the calendar period ends of its frequency with
    ``start_on[i] < date <= min(maturity_on[i], as_of)`` (see the module docstring).

    Args:
        start_on: Start date of each covenant's facility, ``(n,)`` ``datetime64``.
        maturity_on: Maturity date of each covenant's facility, ``(n,)``.
        frequency_months: Months between tests (1, 3, 6 or 12; `TestFrequency.months`),
            a scalar or ``(n,)``.
        as_of: Business date; later period ends are not tested yet.

    Returns:
        ``(covenant, test_date)``: for every test, the covenant's position in the
        inputs (int64) and the test date (``datetime64[D]``), ordered by covenant,
        then date.

    Raises:
        InvalidValueError: a missing date, arrays of different lengths, a frequency
            that is not 1, 3, 6 or 12 months, or an invalid ``as_of``.

    Examples:
        >>> import datetime as dt
        >>> cov, day = covenant_calendar(["2024-02-15", "2024-11-30"],
        ...     ["2030-02-15", "2025-12-31"], [3, 6], as_of=dt.date(2025, 7, 1))
        >>> cov.tolist()
        [0, 0, 0, 0, 0, 0, 1, 1]
        >>> day.astype(str).tolist()
        ['2024-03-31', '2024-06-30', '2024-09-30', '2024-12-31', '2025-03-31', '2025-06-30', '2024-12-31', '2025-06-30']
    """
    start = as_day_array(start_on, name="start_on")
    maturity = as_day_array(maturity_on, name="maturity_on")
    n = check_same_length(start_on=start, maturity_on=maturity)
    k = _frequency_months(frequency_months, n)
    check_same_length(start_on=start, frequency_months=k)
    last = np.minimum(maturity, as_of_day(as_of))
    first = _months(start)
    first = np.where(month_end(first) > start, first, first + 1)
    first = first + (-(first + 1)) % k  # the first period end: (month + 1) % k == 0
    final = _months(last)
    final = np.where(month_end(final) > last, final - 1, final)
    final = final - (final + 1) % k
    count = np.where(final >= first, (final - first) // k + 1, 0)
    owner = np.repeat(np.arange(n, dtype=np.int64), count)
    offset = np.arange(len(owner), dtype=np.int64) - np.repeat(
        np.cumsum(count) - count, count
    )
    return owner, month_end(first[owner] + offset * k[owner])


def facility_covenant_calendar(
    facility: Facility, covenant: Covenant, *, as_of: dt.date
) -> tuple[dt.date, ...]:
    """Test dates of one covenant of a `Facility` up to ``as_of``, oldest first.

    The one-covenant form of `covenant_calendar`: the calendar period ends of the
    covenant's `test_frequency` after the facility's ``start_on`` and on or before
    its ``maturity_on`` and ``as_of``.

    Raises:
        InvalidValueError: an invalid ``as_of``.

    Examples:
        >>> import datetime as dt
        >>> from lendcrm import (ClientId, Covenant, CovenantMetric, CovenantOperator,
        ...     Facility, FacilityId, FacilityKind, FacilityStatus, Money, Pricing,
        ...     Seniority)
        >>> eur = lambda x: Money.of(x, "EUR")
        >>> cov = Covenant(metric=CovenantMetric.INTEREST_COVER,
        ...     operator=CovenantOperator.AT_LEAST, threshold=3.0,
        ...     test_frequency=TestFrequency.SEMI_ANNUAL)
        >>> facility = Facility(id=FacilityId("F-1"), client_id=ClientId("C-1"),
        ...     kind=FacilityKind.TERM_LOAN, currency="EUR", limit=eur("10"),
        ...     drawn=eur("8"), start_on=dt.date(2024, 1, 15),
        ...     maturity_on=dt.date(2031, 1, 15), seniority=Seniority.SENIOR_UNSECURED,
        ...     pricing=Pricing(reference_rate="EURIBOR_3M", margin_bps=200,
        ...                     arrangement_fee=eur("0")),
        ...     status=FacilityStatus.ACTIVE, covenants=(cov,))
        >>> facility_covenant_calendar(facility, cov, as_of=dt.date(2025, 6, 30))
        (datetime.date(2024, 6, 30), datetime.date(2024, 12, 31), datetime.date(2025, 6, 30))
    """
    require_instance(covenant, Covenant, name="covenant", what="a Covenant")
    require_instance(facility, Facility, name="facility", what="a Facility")
    last = min(facility.maturity_on, check_as_of(as_of))
    k = covenant.test_frequency.months
    year, month = facility.start_on.year, facility.start_on.month
    dates: list[dt.date] = []
    while (year, month) <= (last.year, last.month):
        end = dt.date(year, month, calendar.monthrange(year, month)[1])
        if month % k == 0 and facility.start_on < end <= last:
            dates.append(end)
        year, month = (year + 1, 1) if month == MONTHS_PER_YEAR else (year, month + 1)
    return tuple(dates)
