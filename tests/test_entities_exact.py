"""Exact boundaries, refusals and derived figures of `Client` and `Facility` (#23)."""

from __future__ import annotations

import datetime as dt

import pytest

from lendcrm import (
    ClientId,
    Collateral,
    CollateralKind,
    Feedback,
    FeedbackChannel,
    Guarantee,
    Money,
    ProjectId,
    Referral,
    RelationshipMeasures,
)
from lendcrm.errors import InvalidValueError
from tests.factories import client, eur, facility

START, MATURITY = dt.date(2024, 1, 15), dt.date(2031, 1, 15)


def _refused(make: object, **changes: object) -> InvalidValueError:
    with pytest.raises(InvalidValueError) as info:
        make(**changes)  # type: ignore[operator]
    return info.value


def test_client_rules() -> None:
    err = _refused(client, parent_id=ClientId("C-1"))
    assert (err.field, err.value) == ("parent_id", "C-1")
    assert err.expected == "the id of another client (a client cannot own itself)"
    measures = RelationshipMeasures(
        period_end=dt.date(2025, 12, 31),
        revenue_to_bank=Money.of("1", "USD"),
        profit_to_bank=Money.of("1", "USD"),
    )
    err = _refused(client, measures=measures)
    assert err.field == "measures.revenue_to_bank"
    assert err.expected == "an amount in EUR, the currency of this client"
    own = Referral(referrer=ClientId("C-1"), referee=ClientId("C-2"), on=START)
    other = Referral(referrer=ClientId("C-9"), referee=ClientId("C-2"), on=START)
    err = _refused(client, referrals=(own, other))
    assert (err.field, err.value) == ("referrals[1].referrer", "C-9")
    assert (
        err.expected == "this client's id 'C-1' (a client lists the referrals it made)"
    )


def test_client_derived_figures() -> None:
    c = client()
    assert c.currency == "EUR"
    assert not c.is_subsidiary
    assert client(parent_id=ClientId("G")).is_subsidiary
    onboarded = c.onboarded_on
    assert c.tenure_days(onboarded) == 0
    assert c.tenure_days(onboarded - dt.timedelta(days=3)) == 0
    assert c.tenure_days(onboarded + dt.timedelta(days=3)) == 3
    assert c.average_feedback_score is None
    notes = tuple(
        Feedback(on=onboarded, channel=FeedbackChannel.SURVEY, score=s) for s in (9, 6)
    )
    assert client(feedback=notes).average_feedback_score == 7.5


def test_facility_drawn_and_dates_exact() -> None:
    assert facility(drawn=eur("10000000")).utilisation == 1.0  # exactly the limit
    err = _refused(facility, drawn=eur("10000000.01"))
    assert (err.field, err.value) == ("drawn", eur("10000000.01"))
    assert err.expected == "at most the limit 10000000 EUR"
    assert err.hint == "Set allows_overdraw=True for a facility that may be overdrawn."
    over = facility(drawn=eur("12000000"), allows_overdraw=True)
    assert over.utilisation == 1.2
    assert over.undrawn == eur("0")
    assert facility(maturity_on=START + dt.timedelta(days=1)).tenor_days == 1
    err = _refused(facility, maturity_on=START)
    assert (err.field, err.value) == ("maturity_on", START)
    assert err.expected == "a date after `start_on` (2024-01-15)"


def test_facility_currency_of_every_amount() -> None:
    usd = Money.of("1", "USD")
    err = _refused(
        facility, collateral=(Collateral(kind=CollateralKind.CASH, value=usd),)
    )
    assert err.field == "collateral[0].value"
    assert err.expected == "an amount in EUR, the currency of this facility"
    err = _refused(facility, guarantees=(Guarantee(covered=usd, guarantor_name="G"),))
    assert err.field == "guarantees[0].covered"


def test_facility_derived_figures() -> None:
    f = facility()
    assert f.bank_share == 1.0
    assert f.undrawn == eur("2500000")
    assert f.utilisation == 0.75
    assert type(f.utilisation) is float
    assert facility(limit=eur("0"), drawn=eur("0")).utilisation == 0.0
    assert f.tenor_days == (MATURITY - START).days
    assert f.tenor_years == (MATURITY - START).days / 365.25
    assert f.remaining_years(MATURITY) == 0.0
    assert f.remaining_years(MATURITY + dt.timedelta(days=9)) == 0.0
    assert f.remaining_years(MATURITY - dt.timedelta(days=1)) == 1 / 365.25
    assert f.collateral_value == eur("0")
    assert f.guaranteed_amount == eur("0")
    assert not f.is_project_finance
    assert facility(project_id=ProjectId("P-1")).is_project_finance
    secured = facility(
        collateral=(
            Collateral(kind=CollateralKind.CASH, value=eur("100")),
            Collateral(kind=CollateralKind.REAL_ESTATE, value=eur("1000"), haircut=0.5),
        ),
        guarantees=(
            Guarantee(covered=eur("300"), guarantor_name="G"),
            Guarantee(covered=eur("200"), guarantor_name="H"),
        ),
    )
    assert secured.collateral_value == eur("600")
    assert secured.guaranteed_amount == eur("500")


def test_facility_passes_its_terms_syndicate_and_amounts_on() -> None:
    from lendcrm import Amortisation, Participation, ParticipationRole, RepaymentTerms
    from tests.factories import pricing

    err = _refused(facility, limit=Money.of("10000000", "USD"))
    assert err.field == "limit"
    err = _refused(facility, pricing=pricing("USD"))
    assert err.field == "pricing.arrangement_fee"
    role = ParticipationRole.PARTICIPANT
    over = (
        Participation(bank="Us", role=role, share=0.6, own=True),
        Participation(bank="B", role=role, share=0.6),
    )
    err = _refused(facility, participations=over)
    assert err.field == "facility 'F-1' participations"
    terms = RepaymentTerms(amortisation=Amortisation.SCULPTED, principal_profile=(1.0,))
    err = _refused(facility, terms=terms)
    assert err.field == "facility 'F-1' terms.principal_profile"
    assert err.expected == "one entry per payment period (28)"  # 7 years, quarterly


def test_facility_observations_in_date_order() -> None:
    from lendcrm import FacilityObservation

    def seen(on: dt.date) -> FacilityObservation:
        return FacilityObservation(period_end=on, drawn=eur("1"), limit=eur("2"))

    late, early = dt.date(2025, 2, 28), dt.date(2025, 1, 31)
    err = _refused(facility, observations=(seen(late), seen(early)))
    assert (err.field, err.value) == ("observations[1].period_end", early)
    assert err.expected == (
        "after 2025-02-28 (one record per date, oldest first) for facility 'F-1'"
    )
