"""Exact boundaries of the business-date helpers `_dates` (issue #23).

The accepted range is tried on its first and last day and one day outside; the error's
field, message and hint are checked; month arithmetic is pinned at month ends, across
years, on leap days and before 1970.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from lendcrm._dates import (
    DAYS_PER_YEAR,
    EARLIEST_AS_OF,
    LATEST_AS_OF,
    as_of_day,
    check_as_of,
    month_numbers,
    month_starts,
    months_before,
    whole_months,
    year_fraction,
)
from lendcrm.errors import InvalidValueError


def _days(*texts: str) -> np.ndarray:
    return np.array(texts, dtype="datetime64[D]")


def test_constants_are_pinned() -> None:
    assert DAYS_PER_YEAR == 365.25
    assert dt.date(1678, 1, 1) == EARLIEST_AS_OF
    assert dt.date(2261, 12, 31) == LATEST_AS_OF


def test_check_as_of_range_ends_exactly() -> None:
    assert check_as_of(EARLIEST_AS_OF) is EARLIEST_AS_OF
    assert check_as_of(LATEST_AS_OF) is LATEST_AS_OF
    for outside in (dt.date(1677, 12, 31), dt.date(2262, 1, 1)):
        with pytest.raises(InvalidValueError) as info:
            check_as_of(outside, field="when")
        err = info.value
        assert (err.field, err.value) == ("when", outside)
        assert err.expected == "a date from 1678-01-01 to 2261-12-31"
        assert err.hint == ""


def test_check_as_of_refuses_other_types_with_hint() -> None:
    for bad in (
        dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
        "2025-01-01",
        None,
        np.datetime64("2025-01-01"),
    ):
        with pytest.raises(InvalidValueError) as info:
            check_as_of(bad)
        err = info.value
        assert err.field == "as_of"
        assert err.value is bad
        assert err.expected == "a datetime.date (not a datetime or a string)"
        assert err.hint == "Pass the business date, e.g. datetime.date(2025, 12, 31)."
    with pytest.raises(InvalidValueError) as info:
        check_as_of("x", field="start")
    assert info.value.field == "start"


def test_as_of_day() -> None:
    day = as_of_day(dt.date(2025, 12, 31))
    assert day == np.datetime64("2025-12-31", "D")
    assert day.dtype == np.dtype("datetime64[D]")
    assert as_of_day(LATEST_AS_OF) == np.datetime64("2261-12-31", "D")
    with pytest.raises(InvalidValueError) as info:
        as_of_day("2025-12-31", field="start")
    assert info.value.field == "start"
    with pytest.raises(InvalidValueError) as info:
        as_of_day(dt.date(2262, 1, 1))
    assert info.value.field == "as_of"


def test_year_fraction() -> None:
    out = year_fraction([0, 365.25, 1])
    assert out.dtype == np.float64
    assert out.tolist() == [0.0, 1.0, 1 / 365.25]
    assert year_fraction(np.array([730], dtype=np.int64)).tolist() == [730 / 365.25]
    single = year_fraction(np.array([365.25], dtype=np.float32))
    assert single.dtype == np.float64  # float64 whatever the input's precision
    assert single.tolist() == [1.0]


def test_month_numbers() -> None:
    days = _days("1969-12-31", "1970-01-01", "1970-01-31", "1970-02-01", "2025-12-31")
    assert month_numbers(days).tolist() == [-1, 0, 0, 1, 671]
    ints = np.array([-1, 0, 31, 59], dtype=np.int64)  # 1969-12-31 .. 1970-03-01
    out = month_numbers(ints)
    assert out.tolist() == [-1, 0, 1, 2]
    assert out.dtype == np.int64
    assert month_numbers([59, 0]).tolist() == [2, 0]  # order kept, low not first
    empty = month_numbers(np.array([], dtype=np.int64))
    assert empty.shape == (0,)
    assert empty.dtype == np.int64
    seconds = np.array(["1970-02-01T23:59:59"], dtype="datetime64[s]")
    assert month_numbers(seconds).tolist() == [1]
    assert month_numbers(np.array([31, 31])).tolist() == [1, 1]  # one distinct day


def test_month_starts() -> None:
    out = month_starts([2, -1, 0, 671])
    assert out.astype("datetime64[D]").tolist() == [
        dt.date(1970, 3, 1),
        dt.date(1969, 12, 1),
        dt.date(1970, 1, 1),
        dt.date(2025, 12, 1),
    ]
    assert out.dtype == np.int64
    empty = month_starts([])
    assert empty.shape == (0,)
    assert empty.dtype == np.int64
    assert month_starts([5, 5]).tolist() == month_starts([5]).tolist() * 2


def test_whole_months_exact_day_boundary() -> None:
    start = _days("2024-01-15")
    ends = _days("2024-02-14", "2024-02-15", "2024-03-14", "2024-03-15", "2024-01-15")
    assert whole_months(start, ends).tolist() == [0, 1, 1, 2, 0]
    assert whole_months(start, _days("2024-01-14")).tolist() == [0]  # earlier: 0
    assert whole_months(start, _days("2023-11-20")).tolist() == [0]
    out = whole_months(_days("2023-12-31"), _days("2025-01-31"))
    assert out.tolist() == [13]
    assert out.dtype == np.int64
    # month ends: 31 January to 29 February is not a whole month (day 29 < 31)
    assert whole_months(_days("2024-01-31"), _days("2024-02-29")).tolist() == [0]
    assert whole_months(_days("2024-01-31"), _days("2024-03-31")).tolist() == [2]
    # before 1970 and mixed units
    before = np.array(["1969-11-10T12:00"], dtype="datetime64[m]")
    assert whole_months(before, _days("1970-01-10")).tolist() == [2]
    minutes = np.array(["1970-01-10T12:00"], dtype="datetime64[m]")  # an end in minutes
    assert whole_months(_days("1969-11-10"), minutes).tolist() == [2]


def test_months_before() -> None:
    assert months_before(dt.date(2025, 3, 31), 1) == dt.date(2025, 2, 28)
    assert months_before(dt.date(2024, 3, 31), 1) == dt.date(2024, 2, 29)
    assert months_before(dt.date(2025, 1, 15), 1) == dt.date(2024, 12, 15)
    assert months_before(dt.date(2025, 1, 31), 2) == dt.date(2024, 11, 30)
    assert months_before(dt.date(2025, 12, 31), 1) == dt.date(2025, 11, 30)
    assert months_before(dt.date(2026, 1, 31), 1) == dt.date(2025, 12, 31)
    assert months_before(dt.date(2025, 6, 30), 0) == dt.date(2025, 6, 30)
    assert months_before(dt.date(2025, 5, 31), 3) == dt.date(2025, 2, 28)
    assert months_before(dt.date(2025, 2, 1), 25) == dt.date(2023, 1, 1)
    assert months_before(dt.date(2025, 2, 28), -1) == dt.date(2025, 3, 28)
