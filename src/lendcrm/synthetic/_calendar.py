"""Calendar months for the synthetic histories (numpy only, no per-row Python).

Months are numbered as numpy's ``datetime64[M]`` counts them: months since January
1970. Month ends and "the same day n months earlier" are what the histories are dated
by: month-end observations, annual reviews on an anniversary, fiscal year ends.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from lendcrm._arrays import IntArray

DayArray = npt.NDArray[np.datetime64]


def month_of(days: DayArray) -> IntArray:
    """Month number (months since January 1970) of each day."""
    out: IntArray = days.astype("datetime64[M]").astype(np.int64)
    return out


def month_end(months: IntArray) -> DayArray:
    """Last day of each month number."""
    first_next = (months + 1).astype("datetime64[M]").astype("datetime64[D]")
    out: DayArray = (first_next.astype(np.int64) - 1).astype("datetime64[D]")
    return out


def add_months(days: DayArray, months: IntArray) -> DayArray:
    """The same day of the month ``months`` later (negative: earlier), clamped.

    A day past the end of the target month becomes that month's last day: 31 March
    minus one month is 28 (or 29) February.
    """
    start = days.astype("datetime64[M]")
    day_of_month = days - start.astype("datetime64[D]")
    target = month_of(days) + months
    first = target.astype("datetime64[M]").astype("datetime64[D]")
    out: DayArray = np.minimum(first + day_of_month, month_end(target))
    return out


def observation_ends(as_of: np.datetime64, periods: int) -> DayArray:
    """The ``periods`` monthly period ends up to ``as_of``, oldest first.

    Month ends from ``as_of``'s month back; the current month's end is ``as_of``
    itself when ``as_of`` is not a month end (nothing is dated after it).
    """
    current = int(month_of(np.array([as_of]))[0])
    months = current - np.arange(periods - 1, -1, -1, dtype=np.int64)
    out: DayArray = np.minimum(month_end(months), as_of)
    return out


def fiscal_year_ends(as_of: np.datetime64, years: int, month: int) -> DayArray:
    """The ``years`` latest fiscal year ends on or before ``as_of``, oldest first."""
    day = as_of.astype("datetime64[D]")
    year = int(day.astype("datetime64[Y]").astype(np.int64)) + 1970
    this_year = year * 12 + month - 1 - 1970 * 12
    latest = this_year if month_end(np.array([this_year]))[0] <= day else this_year - 12
    return month_end(latest - 12 * np.arange(years - 1, -1, -1, dtype=np.int64))


def anniversaries(start: DayArray, as_of: np.datetime64) -> IntArray:
    """Whole years from each ``start`` to ``as_of``: the last anniversary's number.

    The anniversary ``k`` is `add_months` (``start``, ``12 k``); the result is the
    largest ``k`` whose anniversary is on or before ``as_of`` (0 for a start within
    the last year).
    """
    years = (int(month_of(np.array([as_of]))[0]) - month_of(start)) // 12
    late = add_months(start, 12 * years) > as_of
    out: IntArray = np.maximum(years - late, 0)
    return out
