"""The calendar read once per book (#20): the same days as the direct arithmetic.

`schedule` reads the onboarding days' months once for its three cadences, the
contact window's start reads ``as_of``'s month once, and `ServiceBook` finds the
latest credit review, annual review and KYC interaction in one pass: each is pinned
here against the arithmetic it replaces (`shift_months` element by element, one
topic at a time).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from lendcrm.relationship.workflows import ServiceStrategies
from lendcrm.relationship.workflows._kernel import (
    NO_DAY,
    ClientInputs,
    contact_numbers,
    next_on_cadence,
    schedule,
    shift_months,
)

DAYS = st.integers(-40_000, 40_000)
NEVER = 10**6


def _month(days):
    return days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)


def _cadence(anchor, months, day):
    """`next_on_cadence` as it was written: `shift_months` of the anchors."""
    gap = _month(np.full(anchor.shape, day)) - _month(anchor)
    k = np.maximum(gap // months, 0)
    due = shift_months(anchor, k * months)
    late = due < day
    due[late] = shift_months(anchor[late], (k[late] + 1) * months[late])
    return due


def _due(last, onboarded, months, day):
    due = _cadence(onboarded, months, day)
    seen = last != NO_DAY
    due[seen] = shift_months(last[seen], months[seen])
    return due


@given(
    anchors=st.lists(DAYS, max_size=30),
    months=st.lists(st.sampled_from([1, 3, 6, 12, 24, 36, NEVER]), min_size=30),
    day=DAYS,
)
def test_next_on_cadence_equals_shifting_each_anchor(anchors, months, day):
    a = np.array(anchors, dtype=np.int64)
    m = np.array(months[: len(anchors)], dtype=np.int64)
    assert next_on_cadence(a, m, day).tolist() == _cadence(a, m, day).tolist()


def test_next_on_cadence_of_no_anchor_is_empty():
    empty = np.zeros(0, dtype=np.int64)
    out = next_on_cadence(empty, empty, 20_000)
    assert out.dtype == np.int64
    assert out.shape == (0,)


def test_next_on_cadence_of_one_anchor_on_29_february():
    a = np.array([(dt.date(2024, 2, 29) - dt.date(1970, 1, 1)).days])
    day = (dt.date(2025, 3, 15) - dt.date(1970, 1, 1)).days
    due = next_on_cadence(a, np.array([12]), day)
    # 29 February + 24 months keeps the offset: 1 March 2026 is the first on or after
    assert due.astype("datetime64[D]").tolist() == [dt.date(2026, 3, 1)]


@given(
    onboarded=st.lists(DAYS, min_size=0, max_size=20),
    seen=st.lists(st.one_of(st.just(NO_DAY), DAYS), min_size=60, max_size=60),
    tier=st.lists(st.integers(0, 3), min_size=20, max_size=20),
    stage=st.lists(st.integers(-1, 5), min_size=20, max_size=20),
    flags=st.lists(st.booleans(), min_size=40, max_size=40),
    equator=st.lists(st.sampled_from([6, 12, NEVER]), min_size=20, max_size=20),
    day=DAYS,
)
def test_schedule_equals_three_cadences_read_apart(  # noqa: PLR0917 - drawn inputs
    onboarded, seen, tier, stage, flags, equator, day
):
    n = len(onboarded)
    s = ServiceStrategies()
    c = ClientInputs(
        onboarded=np.array(onboarded, dtype=np.int64),
        tier=np.array(tier[:n], dtype=np.int64),
        stage=np.array(stage[:n], dtype=np.int64),
        watchlist=np.array(flags[:n], dtype=bool),
        high_risk=np.array(flags[20 : 20 + n], dtype=bool),
        equator_kyc=np.array(equator[:n], dtype=np.int64),
        last_credit_review=np.array(seen[:n], dtype=np.int64),
        last_annual_review=np.array(seen[20 : 20 + n], dtype=np.int64),
        last_kyc=np.array(seen[40 : 40 + n], dtype=np.int64),
    )
    out = schedule(
        c, s.arrays(), day=day, annual_months=12, watchlist_months=3,
        high_risk_review_months=6, high_risk_kyc_months=12,
    )  # fmt: skip
    for due, last, months in (
        (out.credit_review, c.last_credit_review, out.credit_months),
        (out.annual_review, c.last_annual_review, out.annual_months),
        (out.kyc, c.last_kyc, out.kyc_months),
    ):
        assert due.tolist() == _due(last, c.onboarded, months, day).tolist()


@given(
    tier=st.lists(st.integers(0, 3), max_size=8),
    day=DAYS,
)
def test_contact_window_starts_as_shifting_the_day(tier, day):
    s = ServiceStrategies().arrays()
    t = np.array(tier, dtype=np.int64)
    n = len(t)
    stage = np.full(n, -1, dtype=np.int64)
    rows = np.arange(n, dtype=np.int64)
    window = s.contact_window_months[t, np.full(n, s.review_months.shape[1] - 1)]
    start = shift_months(np.full(n, day, dtype=np.int64), -window)
    # one meaningful interaction per client, on its window's start and a day later
    on = np.concatenate([start, start + 1])
    out = contact_numbers(
        rows=np.concatenate([rows, rows]), on=on,
        channel=np.zeros(2 * n, dtype=np.int64), tier=t, stage=stage, t=s, day=day,
    )  # fmt: skip
    meaningful = s.meaningful[t, s.review_months.shape[1] - 1, 0]
    assert out.in_window.tolist() == meaningful.astype(np.int64).tolist()
