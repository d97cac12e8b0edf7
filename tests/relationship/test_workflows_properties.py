"""Invariants of the calendar arithmetic and the contact standard (#13), by hypothesis."""

from __future__ import annotations

import datetime as dt

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from lendcrm import Interaction, InteractionChannel, InteractionTopic
from lendcrm.relationship.workflows import contact_standard, review_calendar
from lendcrm.relationship.workflows._kernel import next_on_cadence, shift_months
from tests.factories import client

EPOCH = dt.date(1970, 1, 1)
days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 12, 31))


@given(anchor=days, as_of=days, months=st.integers(1, 36))
def test_next_on_cadence_is_the_first_date_on_or_after(anchor, as_of, months):
    a = np.array([(anchor - EPOCH).days])
    day = (as_of - EPOCH).days
    due = next_on_cadence(a, np.array([months]), day)[0]
    assert due >= day
    if due > a[0]:  # the previous date on the cadence is before as_of
        k = 0
        while shift_months(a, [k * months])[0] < due:
            k += 1
        assert shift_months(a, [(k - 1) * months])[0] < day


@given(d=days, months=st.integers(-48, 48))
def test_shift_months_keeps_the_offset_in_the_month(d, months):
    out = shift_months(np.array([(d - EPOCH).days]), [months])[0]
    moved = EPOCH + dt.timedelta(days=int(out))
    first = dt.date(d.year, d.month, 1)
    index = d.year * 12 + d.month - 1 + months
    target = dt.date(index // 12, index % 12 + 1, 1)
    assert (moved - target).days == (d - first).days


@given(
    offsets=st.lists(st.integers(0, 2000), max_size=12),
    channels=st.lists(st.sampled_from(list(InteractionChannel)), min_size=12),
    tier=st.sampled_from(["diamond", "gold", "silver", "basic", None]),
)
def test_contact_gap_and_standing_agree(offsets, channels, tier):
    as_of = dt.date(2026, 1, 31)
    log = tuple(
        Interaction(
            on=as_of - dt.timedelta(days=o),
            channel=c,
            topic=InteractionTopic.RELATIONSHIP,
            relationship_manager="RM-1",
        )
        for o, c in sorted(zip(offsets, channels, strict=False), reverse=True)
    )
    c = client(onboarded_on=dt.date(2020, 1, 1), interactions=log)
    s = contact_standard(c, as_of=as_of, tier=tier)
    assert s.gap == max(s.required - s.in_window, 0)
    assert s.standing.is_met == (s.gap == 0)
    assert s.in_window <= len(log)
    if s.last_contact_on is not None:
        assert s.days_since_contact == (as_of - s.last_contact_on).days
    items = review_calendar(c, as_of=as_of, tier=tier)
    assert all(i.overdue_days == max((as_of - i.due_on).days, 0) for i in items)
