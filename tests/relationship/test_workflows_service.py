"""Contact standard and review calendar (#13): exact values, both faces equal, errors."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import numpy as np
import pandas as pd
import pytest

from lendcrm import (
    Book,
    Contact,
    ContactId,
    ContactRole,
    Covenant,
    CovenantMetric,
    CovenantOperator,
    EquatorCategory,
    Interaction,
    InteractionChannel,
    InteractionTopic,
    RatingRecord,
    TestFrequency,
)
from lendcrm.errors import InvalidValueError, UnknownReferenceError
from lendcrm.frames import book_frames
from lendcrm.lifecycle import ClientStage
from lendcrm.relationship.workflows import (
    CalendarKind,
    ContactStanding,
    ServiceStrategies,
    contact_standard,
    review_calendar,
)
from lendcrm.relationship.workflows.service_frames import (
    calendar_frame,
    contact_standard_frame,
    review_dates_frame,
)
from lendcrm.segmentation import SERVICE_STRATEGIES, Tier
from lendcrm.synthetic import generate_book, generate_frames
from tests.factories import client, facility, project

AS_OF = dt.date(2026, 1, 31)


def touch(
    on: dt.date,
    channel: InteractionChannel = InteractionChannel.CALL,
    topic: InteractionTopic = InteractionTopic.RELATIONSHIP,
    rm: str = "RM-1",
) -> Interaction:
    return Interaction(on=on, channel=channel, topic=topic, relationship_manager=rm)


# --- contact standard: hand-computed --------------------------------------------------


def test_gold_standard_counts_meaningful_contacts_in_six_months():
    # gold: 2 meaningful interactions per 6 months; window (2025-07-31, 2026-01-31]
    c = client(
        interactions=(
            touch(dt.date(2025, 7, 31)),  # on the window's start: outside
            touch(dt.date(2025, 8, 1), InteractionChannel.VISIT),
            touch(dt.date(2025, 12, 1), InteractionChannel.EMAIL),  # not meaningful
        )
    )
    s = contact_standard(c, as_of=AS_OF, tier=Tier.GOLD)
    assert (s.required, s.window_months, s.in_window, s.gap) == (2, 6, 1, 1)
    assert s.standing is ContactStanding.BEHIND
    assert s.last_contact_on == dt.date(2025, 8, 1)
    assert s.days_since_contact == 183  # 1 Aug 2025 -> 31 Jan 2026


def test_untiered_client_takes_the_basic_standard_and_can_meet_it():
    c = client(interactions=(touch(dt.date(2025, 3, 1)),))
    s = contact_standard(c, as_of=AS_OF)
    assert (s.required, s.window_months, s.in_window) == (1, 12, 1)
    assert s.standing is ContactStanding.MET


def test_never_contacted():
    s = contact_standard(client(), as_of=AS_OF, tier="diamond")
    assert s.standing is ContactStanding.NO_CONTACT
    assert s.last_contact_on is None
    assert s.days_since_contact is None


def test_channels_are_the_banks_choice():
    table = dict(SERVICE_STRATEGIES)
    table[Tier.BASIC] = attrs.evolve(
        table[Tier.BASIC], meaningful_channels={InteractionChannel.EMAIL}
    )
    c = client(interactions=(touch(dt.date(2025, 12, 1), InteractionChannel.EMAIL),))
    mine = ServiceStrategies(by_tier=table)
    assert contact_standard(c, as_of=AS_OF, strategies=mine).standing.is_met
    assert not contact_standard(c, as_of=AS_OF).standing.is_met


# --- calendar: hand-computed ---------------------------------------------------------


def test_gold_client_on_the_onboarding_cadence():
    # onboarded 2020-01-01; gold reviews every 6 months: Jan/Jul 1st
    items = review_calendar(client(), as_of=AS_OF, tier="gold")
    got = {(i.kind, i.due_on, i.interval_months, i.overdue_days) for i in items}
    assert got == {
        (CalendarKind.CREDIT_REVIEW, dt.date(2026, 7, 1), 6, 0),
        (CalendarKind.ANNUAL_REVIEW, dt.date(2027, 1, 1), 12, 0),
        (CalendarKind.KYC_REFRESH, dt.date(2029, 1, 1), 36, 0),
    }


def test_recorded_review_runs_the_next_one_and_can_be_overdue():
    c = client(
        ratings=(
            RatingRecord(rated_on=dt.date(2025, 3, 10), grade="5", rater="model"),
        ),
        interactions=(
            touch(dt.date(2024, 11, 5), topic=InteractionTopic.KYC),
            touch(dt.date(2025, 6, 15), topic=InteractionTopic.ANNUAL_REVIEW),
        ),
        default_probability=0.08,  # high risk: review 6, KYC 12 months
    )
    items = {i.kind: i for i in review_calendar(c, as_of=AS_OF, tier="silver")}
    credit = items[CalendarKind.CREDIT_REVIEW]
    assert (credit.due_on, credit.interval_months) == (dt.date(2025, 9, 10), 6)
    assert credit.overdue_days == 143  # 10 Sep 2025 -> 31 Jan 2026
    assert credit.is_overdue
    kyc = items[CalendarKind.KYC_REFRESH]
    assert (kyc.due_on, kyc.interval_months, kyc.overdue_days) == (
        dt.date(2025, 11, 5),
        12,
        87,
    )
    annual = items[CalendarKind.ANNUAL_REVIEW]
    assert (annual.due_on, annual.overdue_days) == (dt.date(2026, 6, 15), 0)


def test_watchlist_and_equator_bring_dates_forward_and_covenants_are_listed():
    cov = Covenant(
        metric=CovenantMetric.DSCR,
        operator=CovenantOperator.AT_LEAST,
        threshold=1.2,
        test_frequency=TestFrequency.SEMI_ANNUAL,
    )
    f = facility(project_id="P-1", covenants=(cov,))
    p = project(equator_category=EquatorCategory.A)
    c = client(on_watchlist=True)
    items = review_calendar(c, as_of=AS_OF, tier="basic", facilities=[f], projects=[p])
    by_kind = {i.kind: i for i in items}
    assert by_kind[CalendarKind.CREDIT_REVIEW].interval_months == 3
    assert by_kind[CalendarKind.KYC_REFRESH].interval_months == 12
    test = by_kind[CalendarKind.COVENANT_TEST]
    assert test.facility_id == f.id
    assert test.interval_months == 6
    assert test.due_on >= AS_OF
    assert [i.due_on for i in items] == sorted(i.due_on for i in items)


def test_stage_override_is_read():
    declining_gold = attrs.evolve(
        SERVICE_STRATEGIES[Tier.GOLD], review_frequency_months=2
    )
    mine = ServiceStrategies(
        by_stage={(Tier.GOLD, ClientStage.DECLINE): declining_gold}
    )
    items = review_calendar(
        client(), as_of=AS_OF, tier="gold", stage="decline", strategies=mine
    )
    assert items[0].kind is CalendarKind.CREDIT_REVIEW
    assert items[0].interval_months == 2


# --- bad input ---------------------------------------------------------------------


def test_interaction_after_as_of_is_refused():
    c = client(interactions=(touch(dt.date(2026, 2, 1)),))
    with pytest.raises(InvalidValueError) as err:
        contact_standard(c, as_of=AS_OF)
    assert err.value.field == "interactions[0].on"
    assert str(err.value) == (
        "`interactions[0].on` must be a date on or before as_of (2026-01-31) for "
        "client 'C-1' (an interaction cannot be in the future); got "
        "datetime.date(2026, 2, 1)."
    )
    with pytest.raises(InvalidValueError):
        review_calendar(c, as_of=AS_OF)


def test_unknown_rm_is_refused():
    c = client(relationship_manager="RM-9", interactions=(touch(dt.date(2025, 1, 1)),))
    with pytest.raises(UnknownReferenceError) as err:
        contact_standard(c, as_of=AS_OF, relationship_managers={"RM-1", "TEAM-A"})
    assert str(err.value) == (
        "No relationship manager with id 'RM-9' (referenced by `client 'C-1': "
        "relationship_manager`). Did you mean 'RM-1'?"
    )
    c = attrs.evolve(c, relationship_manager="RM-1")
    c = attrs.evolve(c, interactions=(touch(dt.date(2025, 1, 1), rm="RM-7"),))
    with pytest.raises(UnknownReferenceError) as err:
        review_calendar(c, as_of=AS_OF, relationship_managers=["RM-1"])
    assert err.value.field == "client 'C-1': interactions[0].relationship_manager"


def test_strategies_missing_a_tier_or_with_negative_months():
    table = {t: s for t, s in SERVICE_STRATEGIES.items() if t is not Tier.GOLD}
    with pytest.raises(InvalidValueError) as err:
        ServiceStrategies(by_tier=table)
    assert err.value.field == "by_tier['gold']"
    with pytest.raises(InvalidValueError) as err:
        ServiceStrategies(watchlist_review_months=-1)
    assert err.value.field == "watchlist_review_months"
    with pytest.raises(InvalidValueError) as err:
        ServiceStrategies(equator_kyc_months={EquatorCategory.A: 0})
    assert err.value.field == "equator_kyc_months['A']"
    with pytest.raises(InvalidValueError) as err:
        ServiceStrategies(
            by_stage={(Tier.GOLD, ClientStage.DECLINE): SERVICE_STRATEGIES[Tier.BASIC]}
        )
    assert err.value.field == "by_stage[('gold', 'decline')]"
    with pytest.raises(InvalidValueError) as err:
        ServiceStrategies(high_risk_pd=1.5)
    assert err.value.field == "high_risk_pd"


def test_unknown_tier_or_stage():
    with pytest.raises(InvalidValueError) as err:
        contact_standard(client(), as_of=AS_OF, tier="platinum")
    assert err.value.field == "tier"
    with pytest.raises(InvalidValueError) as err:
        review_calendar(client(), as_of=AS_OF, stage="retired")
    assert err.value.field == "stage"


def test_frame_face_refuses_unknown_client_late_interaction_and_rm():
    c = client(
        relationship_manager="RM-1",
        contacts=(
            Contact(
                id=ContactId("K-1"), client_id="C-1", role=ContactRole.CFO, name="A"
            ),
        ),
        interactions=(touch(dt.date(2025, 1, 1)),),
    )
    frames = book_frames(Book(clients=(c,)))
    bad = frames.interactions.assign(client_id=["C-9"])
    with pytest.raises(UnknownReferenceError) as err:
        contact_standard_frame(attrs.evolve(frames, interactions=bad), as_of=AS_OF)
    assert err.value.field == "interactions.client_id"
    late = frames.interactions.assign(interaction_on=[pd.Timestamp("2026-03-01")])
    with pytest.raises(InvalidValueError) as bad_err:
        review_dates_frame(attrs.evolve(frames, interactions=late), as_of=AS_OF)
    assert bad_err.value.field == "interactions[0].interaction_on"
    with pytest.raises(UnknownReferenceError) as err:
        contact_standard_frame(frames, as_of=AS_OF, relationship_managers=["RM-2"])
    assert "relationship manager with id 'RM-1'" in str(err.value)
    with pytest.raises(InvalidValueError) as bad_err:
        contact_standard_frame(
            frames, as_of=AS_OF, tiers=pd.Series({"C-1": "platinum"})
        )
    assert bad_err.value.field == "tiers['C-1']"
    with pytest.raises(InvalidValueError) as bad_err:
        calendar_frame(frames, as_of=AS_OF, until=dt.date(2025, 1, 1))
    assert bad_err.value.field == "until"


# --- the frame face equals the entity face ------------------------------------------

BOOK_AS_OF = dt.date(2025, 12, 31)


@pytest.fixture(scope="module")
def synthetic():
    frames = generate_frames(300, seed=4, as_of=BOOK_AS_OF)
    book = generate_book(300, seed=4, as_of=BOOK_AS_OF)
    rng = np.random.default_rng(0)
    ids = frames.clients["client_id"]
    tiers = pd.Series(
        rng.choice(["diamond", "gold", "silver", "basic", ""], len(ids)), index=ids
    )
    stages = frames.stages.set_index("client_id")["stage"].astype(str)
    return frames.book_frames(), book, tiers, stages


def test_contact_frame_rows_equal_the_entity_face(synthetic):
    frames, book, tiers, stages = synthetic
    out = contact_standard_frame(frames, as_of=BOOK_AS_OF, tiers=tiers, stages=stages)
    for c in book.clients:
        one = contact_standard(
            c, as_of=BOOK_AS_OF, tier=tiers[c.id], stage=stages[c.id]
        )
        row: Any = out.loc[c.id]
        assert row["relationship_manager"] == one.relationship_manager
        assert row["required_interactions"] == one.required
        assert row["interactions_in_window"] == one.in_window
        assert row["contact_gap"] == one.gap
        assert row["contact_standing"] == one.standing.value
        if one.last_contact_on is None:
            assert pd.isna(row["last_contact_on"])
            assert np.isnan(row["days_since_contact"])
        else:
            assert row["last_contact_on"].date() == one.last_contact_on
            assert row["days_since_contact"] == one.days_since_contact


def test_calendar_frame_rows_equal_the_entity_face(synthetic):
    frames, book, tiers, stages = synthetic
    until = dt.date(2027, 12, 31)
    cal = calendar_frame(
        frames, as_of=BOOK_AS_OF, until=until, tiers=tiers, stages=stages
    )
    wide = review_dates_frame(frames, as_of=BOOK_AS_OF, tiers=tiers, stages=stages)
    projects = {p.id: p for p in book.projects}
    rows: list[Any] = list(cal.itertuples())
    got = {
        (r.client_id, None if pd.isna(r.facility_id) else r.facility_id, r.item,
         r.due_on.date(), r.interval_months, r.overdue_days)
        for r in rows
    }  # fmt: skip
    want = set()
    for c in book.clients:
        facs = [f for f in book.facilities if f.client_id == c.id]
        items = review_calendar(
            c,
            as_of=BOOK_AS_OF,
            tier=tiers[c.id],
            stage=stages[c.id],
            facilities=facs,
            projects=[projects[f.project_id] for f in facs if f.project_id],
        )
        want |= {
            (i.client_id, i.facility_id, i.kind.value, i.due_on, i.interval_months,
             i.overdue_days)
            for i in items
            if i.due_on <= until
        }  # fmt: skip
        credit = next(i for i in items if i.kind is CalendarKind.CREDIT_REVIEW)
        assert wide.loc[c.id, "next_credit_review_on"].date() == credit.due_on
        assert wide.loc[c.id, "review_overdue_days"] == credit.overdue_days
    assert got == want
    assert cal["due_on"].is_monotonic_increasing
