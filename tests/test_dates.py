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
