"""The covenant test calendar: calendar period ends after start, up to maturity/as_of."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lendcrm import Covenant, CovenantMetric, CovenantOperator, TestFrequency
from lendcrm.errors import InvalidValueError
from lendcrm.risk.project_finance import covenant_calendar, facility_covenant_calendar
from tests import factories

AS_OF = dt.date(2025, 12, 31)


def _covenant(frequency: TestFrequency) -> Covenant:
    return Covenant(
        metric=CovenantMetric.CURRENT_RATIO,
        operator=CovenantOperator.AT_LEAST,
        threshold=1.0,
        test_frequency=frequency,
    )


def _dates(*iso: str) -> list[str]:
    return list(iso)


@pytest.mark.parametrize(
    ("start", "maturity", "frequency", "as_of", "expected"),
    [
        # quarterly: quarter ends after 15 Feb 2024, up to as_of 1 Oct 2024
        (
            "2024-02-15",
            "2030-01-01",
            3,
            "2024-10-01",
            _dates("2024-03-31", "2024-06-30", "2024-09-30"),
        ),
        # signed on a quarter end: that day is not tested, the next quarter end is
        ("2024-03-31", "2030-01-01", 3, "2024-07-01", _dates("2024-06-30")),
        # matures on a half-year end: tested on the maturity date, not after
        (
            "2023-01-10",
            "2024-06-30",
            6,
            "2025-12-31",
            _dates("2023-06-30", "2023-12-31", "2024-06-30"),
        ),
        # matures mid-period: the last test is the period end before maturity
        (
            "2023-01-10",
            "2024-05-15",
            6,
            "2025-12-31",
            _dates("2023-06-30", "2023-12-31"),
        ),
        # annual: 31 December only
        (
            "2022-12-31",
            "2030-01-01",
            12,
            "2025-06-30",
            _dates("2023-12-31", "2024-12-31"),
        ),
        # monthly over February of a leap year
        (
            "2024-01-31",
            "2030-01-01",
            1,
            "2024-03-31",
            _dates("2024-02-29", "2024-03-31"),
        ),
        # as_of before the first period end: no test yet
        ("2024-02-15", "2030-01-01", 3, "2024-03-30", _dates()),
        # as_of before the start
        ("2024-02-15", "2030-01-01", 3, "2023-03-30", _dates()),
    ],
)
def test_hand_built_calendars(start, maturity, frequency, as_of, expected):
    owner, day = covenant_calendar(
        [start], [maturity], [frequency], as_of=dt.date.fromisoformat(as_of)
    )
    assert day.astype(str).tolist() == expected
    assert owner.tolist() == [0] * len(expected)
    f = factories.facility(
        start_on=dt.date.fromisoformat(start),
        maturity_on=dt.date.fromisoformat(maturity),
    )
    freq = {
        1: TestFrequency.MONTHLY,
        3: TestFrequency.QUARTERLY,
        6: TestFrequency.SEMI_ANNUAL,
        12: TestFrequency.ANNUAL,
    }[frequency]
    one = facility_covenant_calendar(
        f, _covenant(freq), as_of=dt.date.fromisoformat(as_of)
    )
    assert [d.isoformat() for d in one] == expected


dates = st.dates(dt.date(1990, 1, 1), dt.date(2040, 12, 31))


@given(
    st.lists(
        st.tuples(dates, st.integers(1, 5000), st.sampled_from(TestFrequency)),
        max_size=6,
    ),
    dates,
)
def test_batch_calendar_equals_the_one_covenant_form(rows, as_of):
    starts = [s for s, _, _ in rows]
    maturities = [s + dt.timedelta(days=n) for s, n, _ in rows]
    owner, day = covenant_calendar(
        np.array(starts, "datetime64[D]"),
        np.array(maturities, "datetime64[D]"),
        [f.months for _, _, f in rows],
        as_of=as_of,
    )
    expected_owner, expected_day = [], []
    for i, ((start, _, freq), maturity) in enumerate(
        zip(rows, maturities, strict=True)
    ):
        f = factories.facility(start_on=start, maturity_on=maturity)
        got = facility_covenant_calendar(f, _covenant(freq), as_of=as_of)
        expected_owner += [i] * len(got)
        expected_day += list(got)
    assert owner.tolist() == expected_owner
    assert day.tolist() == expected_day


def test_scalar_frequency_broadcasts():
    _, day = covenant_calendar(
        ["2024-01-01", "2024-07-01"],
        ["2026-01-01", "2026-01-01"],
        12,
        as_of=AS_OF,
    )
    assert day.astype(str).tolist() == [
        "2024-12-31",
        "2025-12-31",
        "2024-12-31",
        "2025-12-31",
    ]


def test_bad_frequency_is_named():
    with pytest.raises(InvalidValueError) as err:
        covenant_calendar(["2024-01-01"], ["2026-01-01"], [4], as_of=AS_OF)
    assert str(err.value) == (
        "`frequency_months[0]` must be months between tests, one of (1, 3, 6, 12); "
        "got np.int64(4)."
    )


def test_missing_date_is_named():
    with pytest.raises(InvalidValueError) as err:
        covenant_calendar(["2024-01-01", "NaT"], ["2026-01-01"] * 2, 3, as_of=AS_OF)
    assert str(err.value) == "`start_on[1]` must be a date; got None."


def test_not_dates_are_refused():
    with pytest.raises(InvalidValueError, match="`start_on` must be dates"):
        covenant_calendar([object()], ["2026-01-01"], 3, as_of=AS_OF)  # type: ignore[arg-type]


def test_lengths_must_agree():
    with pytest.raises(InvalidValueError) as err:
        covenant_calendar(["2024-01-01"], ["2026-01-01"] * 2, 3, as_of=AS_OF)
    assert (
        str(err.value)
        == "`maturity_on` must be the same length as `start_on` (1); got 'length 2'."
    )


def test_as_of_is_checked():
    with pytest.raises(InvalidValueError, match=r"`as_of` must be a datetime\.date"):
        covenant_calendar(["2024-01-01"], ["2026-01-01"], 3, as_of="2025-12-31")  # type: ignore[arg-type]
