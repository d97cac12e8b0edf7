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
