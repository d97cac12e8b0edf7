r"""Payment dates and day counts, vectorised over a book (days since 1970-01-01).

Dates roll from the start date by whole months, clamped to the month's end (a loan
signed on 31 January pays on 30 April, 31 July, ...); the last date is the maturity,
so a maturity off the grid gives a short last period. Accrual fractions follow the
ISDA 2006 Definitions, section 4.16:

- ACT/360 (4.16(e)): $\alpha = (d_2 - d_1) / 360$;
- ACT/365F (4.16(d)): $\alpha = (d_2 - d_1) / 365$;
- 30/360 bond basis (4.16(f)): $\alpha = [360 (Y_2 - Y_1) + 30 (M_2 - M_1) +
  (D_2 - D_1)] / 360$ with $D_1 = \min(D_1, 30)$ and $D_2 = 30$ when it is 31 and
  $D_1$ is 30.
"""

from __future__ import annotations

from typing import Final

import numpy as np

from lendcrm._arrays import FloatArray, IntArray
from lendcrm._dates import month_numbers, month_starts, whole_months
from lendcrm._loan_terms import DayCount

_THIRTY_360 = 2  # code of DayCount.THIRTY_360
_MONTH_DAYS = 30
_LONG_MONTH = 31

__all__ = [
    "DAY_COUNTS",
    "MonthGrid",
    "accrual_fraction",
    "add_months",
    "period_counts",
]

#: Day-count conventions in code order (the code is the index).
DAY_COUNTS: Final = tuple(DayCount)


def add_months(days: IntArray, months: IntArray | int) -> IntArray:
    """Days ``months`` calendar months after ``days``, clamped to the month's end.

    Examples:
        >>> d = np.array(["2026-01-31"], dtype="datetime64[D]").astype(np.int64)
        >>> add_months(d, 1).astype("datetime64[D]").tolist()
        [datetime.date(2026, 2, 28)]
    """
    m0 = month_numbers(days)
    day0 = days - month_starts(m0)
    m = m0 + months
    first = month_starts(m)
    length = month_starts(m + 1) - first
    out: IntArray = first + np.minimum(day0, length - 1)
    return out


class MonthGrid:
    """Dates whole months after fixed start days, with the month tables built once.

    Examples:
        >>> d = np.array(["2026-01-31"], dtype="datetime64[D]").astype(np.int64)
        >>> MonthGrid(d, 12 * 40).after(np.array([1])).astype("datetime64[D]").tolist()
        [datetime.date(2026, 2, 28)]
    """

    def __init__(self, start: IntArray, horizon_months: int) -> None:
        """Tables for ``start`` plus 0 to ``horizon_months`` months."""
        self.month = month_numbers(start)
        self.day = start - month_starts(self.month)
        self.low = int(self.month.min()) if self.month.size else 0
        high = (int(self.month.max()) if self.month.size else 0) + horizon_months + 1
        self.table = month_starts(np.arange(self.low, high + 1))

    def after(self, months: IntArray) -> IntArray:
        """Days ``months`` months after each start, clamped to the month's end.

        ``months`` is ``(n,)`` (one per start) or ``(n, H)`` (H per start).
        """
        base, day = self.month - self.low, self.day
        if np.ndim(months) == 2:  # noqa: PLR2004 - a (starts, horizons) matrix
            base, day = base[:, None], day[:, None]
        i = base + months
        first = self.table[i]
        out: IntArray = first + np.minimum(day, self.table[i + 1] - first - 1)
        return out


def period_counts(start: IntArray, maturity: IntArray, step: IntArray) -> IntArray:
    """Number of payment periods: the first k with start + k·step months >= maturity.

    Examples:
        >>> s = np.array(["2026-01-31"], dtype="datetime64[D]").astype(np.int64)
        >>> m = np.array(["2026-08-15"], dtype="datetime64[D]").astype(np.int64)
        >>> period_counts(s, m, np.array([3])).tolist()
        [3]
    """
    full = whole_months(start, maturity) // step
    on_grid = add_months(start, full * step)
    n: IntArray = full + (on_grid < maturity)
    return n


def accrual_fraction(begin: IntArray, end: IntArray, day_count: IntArray) -> FloatArray:
    """Year fraction of each accrual period under its day-count code.

    Args:
        begin: Accrual start days.
        end: Accrual end days.
        day_count: Index into `DAY_COUNTS` per row.

    Examples:
        >>> b = np.array(["2026-01-31"] * 3, dtype="datetime64[D]").astype(np.int64)
        >>> e = np.array(["2026-04-30"] * 3, dtype="datetime64[D]").astype(np.int64)
        >>> accrual_fraction(b, e, np.array([0, 1, 2])).round(6).tolist()
        [0.247222, 0.243836, 0.25]
    """
    out: FloatArray = (end - begin).astype(np.float64)
    out *= np.where(day_count == 0, 1.0 / 360.0, 1.0 / 365.0)
    thirty = day_count == _THIRTY_360
    if thirty.any():
        b, e = begin[thirty], end[thirty]
        mb, me = month_numbers(b), month_numbers(e)
        d1 = np.minimum(b - month_starts(mb) + 1, _MONTH_DAYS)
        d2 = e - month_starts(me) + 1
        d2 = np.where((d2 == _LONG_MONTH) & (d1 == _MONTH_DAYS), _MONTH_DAYS, d2)
        out[thirty] = (30 * (me - mb) + (d2 - d1)) / 360.0
    return out
