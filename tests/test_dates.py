"""The one `as_of` check and the one day count (lendcrm._dates)."""

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


def test_a_plain_date_passes_unchanged():
    day = dt.date(2025, 12, 31)
    assert check_as_of(day) is day
    assert as_of_day(day) == np.datetime64("2025-12-31")


@pytest.mark.parametrize(
    "value",
    [
        dt.datetime(2025, 12, 31, tzinfo=dt.UTC),
        "2025-12-31",
        np.datetime64("2025-12-31"),
        20251231,
        None,
    ],
)
def test_anything_but_a_date_is_refused_by_name(value):
    with pytest.raises(
        InvalidValueError,
        match=r"^`as_of` must be a datetime\.date \(not a datetime or a string\); "
        r"got .*\. Pass the business date, e\.g\. datetime\.date\(2025, 12, 31\)\.$",
    ):
        check_as_of(value)


def test_the_field_name_is_the_callers():
    with pytest.raises(InvalidValueError, match=r"^`on` must be"):
        check_as_of("2025-01-01", field="on")


def test_the_range_ends_are_inclusive():
    assert check_as_of(EARLIEST_AS_OF) == dt.date(1678, 1, 1)
    assert check_as_of(LATEST_AS_OF) == dt.date(2261, 12, 31)
    with pytest.raises(
        InvalidValueError,
        match=r"^`as_of` must be a date from 1678-01-01 to 2261-12-31; "
        r"got datetime\.date\(1677, 12, 31\)\.$",
    ):
        check_as_of(dt.date(1677, 12, 31))
    with pytest.raises(InvalidValueError, match="1678-01-01 to 2261-12-31"):
        check_as_of(dt.date(2262, 1, 1))


def test_year_fraction_is_actual_over_365_25():
    assert DAYS_PER_YEAR == 365.25
    # 2024-01-01 to 2028-01-01 is 1,461 days: four years of which one is a leap year
    days = (dt.date(2028, 1, 1) - dt.date(2024, 1, 1)).days
    assert year_fraction(days).tolist() == 4.0
    assert year_fraction([0, 182.625]).tolist() == [0.0, 0.5]


def test_month_numbers_agree_with_numpy_calendar_months():
    days = np.arange(-120_000, 120_000, 37, dtype=np.int64)
    expected = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    assert np.array_equal(month_numbers(days), expected)
    assert np.array_equal(
        month_starts(expected),
        expected.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64),
    )
    assert month_numbers(np.array([], dtype=np.int64)).shape == (0,)


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        ("2024-01-15", "2024-03-14", 1),  # day 14 has not reached day 15
        ("2024-01-15", "2024-03-15", 2),
        ("2024-01-31", "2024-02-29", 0),  # month ends: day 29 < day 31
        ("2019-02-20", "2025-12-31", 82),
        ("2025-12-31", "2025-01-01", 0),  # end before start
    ],
)
def test_whole_months_by_hand(start, end, months):
    got = whole_months(np.datetime64(start, "D"), np.datetime64(end, "D"))
    assert int(got) == months


@pytest.mark.parametrize(
    ("day", "back", "expected"),
    [
        (dt.date(2025, 12, 31), 12, dt.date(2024, 12, 31)),
        (dt.date(2025, 2, 28), 12, dt.date(2024, 2, 28)),
        (dt.date(2024, 2, 29), 12, dt.date(2023, 2, 28)),  # clamped to the month end
        (dt.date(2025, 3, 31), 1, dt.date(2025, 2, 28)),
        (dt.date(2025, 1, 15), 13, dt.date(2023, 12, 15)),
    ],
)
def test_months_before_clamps_to_the_month_end(day, back, expected):
    assert months_before(day, back) == expected
