"""Business dates: the one `as_of` check and the one day-count convention.

Every public function that takes a business date passes it through :func:`check_as_of`,
so a `datetime`, a string or a date outside the range numpy's nanosecond dates can hold
gets the same `InvalidValueError` everywhere. Year fractions use one convention,
actual/365.25 (:data:`DAYS_PER_YEAR`): actual days between two dates over the mean
length of a Julian year, so a year with a leap day and one without count alike on
average. It is the convention of tenure, remaining maturity and fee amortisation in
lendcrm; contractual interest accrual (actual/360, 30/360) belongs to the schedules.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import numpy as np
import numpy.typing as npt

from lendcrm.errors import InvalidValueError

#: Days in a year for year fractions (actual/365.25).
DAYS_PER_YEAR: Final = 365.25

#: The range of business dates lendcrm accepts: what pandas' datetime64[ns] columns
#: hold (1677-09-21 to 2262-04-11), in whole years.
EARLIEST_AS_OF: Final = dt.date(1678, 1, 1)
LATEST_AS_OF: Final = dt.date(2261, 12, 31)


def check_as_of(as_of: object, *, field: str = "as_of") -> dt.date:
    """Return `as_of` if it is a plain `datetime.date` in the supported range.

    Args:
        as_of: The business date to check.
        field: The argument's name, for the error message.

    Returns:
        The same date.

    Raises:
        InvalidValueError: a `datetime` (a timestamp, not a business date), a string or
            any other type, or a date outside 1678-01-01..2261-12-31.

    Examples:
        >>> check_as_of(dt.date(2025, 12, 31))
        datetime.date(2025, 12, 31)
        >>> check_as_of("2025-12-31")
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `as_of` must be a datetime.date (not a datetime or a string); got '2025-12-31'. Pass the business date, e.g. datetime.date(2025, 12, 31).
    """
    if type(as_of) is not dt.date:
        raise InvalidValueError(
            field=field,
            value=as_of,
            expected="a datetime.date (not a datetime or a string)",
            hint="Pass the business date, e.g. datetime.date(2025, 12, 31).",
        )
    if not EARLIEST_AS_OF <= as_of <= LATEST_AS_OF:
        raise InvalidValueError(
            field=field,
            value=as_of,
            expected=f"a date from {EARLIEST_AS_OF} to {LATEST_AS_OF}",
        )
    return as_of


def as_of_day(as_of: object, *, field: str = "as_of") -> np.datetime64:
    """`check_as_of`, returned as a `numpy.datetime64` day for columnar arithmetic.

    Examples:
        >>> as_of_day(dt.date(2025, 12, 31))
        np.datetime64('2025-12-31')
    """
    return np.datetime64(check_as_of(as_of, field=field), "D")


def year_fraction(days: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Days as years, actual/365.25.

    Examples:
        >>> year_fraction([365.25, 730.5]).tolist()
        [1.0, 2.0]
    """
    return np.asarray(days, dtype=np.float64) / DAYS_PER_YEAR


def month_numbers(days: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """Calendar month of each day, as months since January 1970.

    Args:
        days: Days since 1970-01-01 (int64), or ``datetime64`` values.

    Returns:
        Int64 month numbers: January 1970 is 0, December 1969 is -1.

    Examples:
        >>> month_numbers(np.array(["1970-01-31", "2025-12-31"], dtype="datetime64[D]"))
        array([  0, 671])
    """
    values = np.asarray(days)
    if values.dtype.kind == "M":
        values = values.astype("datetime64[D]").astype(np.int64)
    values = values.astype(np.int64, copy=False)
    if values.size == 0:
        return np.zeros(values.shape, dtype=np.int64)
    low, high = int(values.min()), int(values.max())
    # one conversion per distinct day in the range, then a look-up per value
    table = np.arange(low, high + 1).astype("datetime64[D]").astype("datetime64[M]")
    out: npt.NDArray[np.int64] = table.astype(np.int64)[values - low]
    return out


def whole_months(start: npt.ArrayLike, end: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """Whole calendar months from ``start`` to ``end`` (0 when ``end`` is earlier).

    A month is complete when ``end``'s day of the month has reached ``start``'s:
    15 January to 14 March is one whole month, to 15 March two.

    Args:
        start: Start days, ``datetime64[D]`` (or any datetime64 unit).
        end: End days, broadcastable against ``start``.

    Returns:
        Int64 whole months, >= 0.

    Examples:
        >>> d = np.array(["2024-01-15", "2024-01-31"], dtype="datetime64[D]")
        >>> whole_months(d, np.datetime64("2024-03-14", "D")).tolist()
        [1, 1]
        >>> whole_months(d, np.datetime64("2023-12-31", "D")).tolist()
        [0, 0]
    """
    start_d = np.asarray(start).astype("datetime64[D]").astype(np.int64)
    end_d = np.asarray(end).astype("datetime64[D]").astype(np.int64)
    start_m, end_m = month_numbers(start_d), month_numbers(end_d)
    months = end_m - start_m
    start_day = start_d - month_starts(start_m)
    end_day = end_d - month_starts(end_m)
    months -= (end_day < start_day).astype(np.int64)
    whole: npt.NDArray[np.int64] = np.maximum(months, 0)
    return whole


def month_starts(months: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """First day (days since 1970-01-01) of each month number.

    Examples:
        >>> month_starts([0, 671]).astype("datetime64[D]").tolist()
        [datetime.date(1970, 1, 1), datetime.date(2025, 12, 1)]
    """
    values = np.asarray(months, dtype=np.int64)
    if values.size == 0:
        return np.zeros(values.shape, dtype=np.int64)
    low, high = int(values.min()), int(values.max())
    table = np.arange(low, high + 1).astype("datetime64[M]").astype("datetime64[D]")
    out: npt.NDArray[np.int64] = table.astype(np.int64)[values - low]
    return out


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months earlier, clamped to the month's end.

    Examples:
        >>> months_before(dt.date(2025, 6, 30), 12)
        datetime.date(2024, 6, 30)
        >>> months_before(dt.date(2024, 2, 29), 12)
        datetime.date(2023, 2, 28)
    """
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    first_next = dt.date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    last_day = (first_next - dt.timedelta(days=1)).day
    return dt.date(year, month + 1, min(day.day, last_day))
