"""Entities and value objects: validation, cross-field rules, repr hygiene, helpers."""

import datetime as dt
import pickle
import re
from decimal import Decimal

import attrs
import pytest

from lendcrm import (
    CashFlow,
    ClientId,
    Collateral,
    CollateralKind,
    Covenant,
    CovenantMetric,
    CovenantOperator,
    Drawdown,
    FacilityStatus,
    Feedback,
    FeedbackChannel,
    Guarantee,
    Milestone,
    Money,
    Pricing,
    Referral,
    RelationshipMeasures,
    Sector,
    Sponsor,
    TestFrequency,
)
from lendcrm.errors import InvalidValueError
from tests.factories import (
    client,
    eur,
    facility,
    pricing,
    project,
    rich_client,
    rich_facility,
    rich_project,
)


def test_valid_entities_build_and_pickle():
    for obj in (rich_client(), rich_facility(), rich_project()):
        assert pickle.loads(pickle.dumps(obj)) == obj
        assert hash(obj) == hash(pickle.loads(pickle.dumps(obj)))


def test_entities_are_frozen():
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        client().country = "FR"  # type: ignore[misc]


# --- personal data stays out of repr ----------------------------------------------------
def test_personal_data_not_in_repr():
    c = rich_client()
    assert "GmbH" not in repr(c)
    assert "Quick answers" not in repr(c)
    f = rich_facility()
    assert "Sponsor One AG" not in repr(f)
    p = rich_project()
    assert "J. Smith" not in repr(p)


# --- bad input: facility -----------------------------------------------------------------
def test_float_money_is_refused_with_what_to_pass():
    with pytest.raises(
        InvalidValueError,
        match=re.escape(
            "`amount` must be a Decimal, not a float (floats cannot hold 0.10 exactly); "
            "got 1000000.0. Pass a string instead: Money.of('1000000.0', currency)."
        ),
    ):
        facility(limit=Money(1_000_000.0, "EUR"))  # type: ignore[arg-type]


def test_negative_limit():
    with pytest.raises(
        InvalidValueError,
        match=re.escape(
            "`limit` must be a Money amount >= 0; got "
            "Money(amount=Decimal('-5'), currency='EUR')."
        ),
    ):
        facility(limit=eur("-5"), drawn=eur("0"))


def test_drawn_above_limit():
    with pytest.raises(
        InvalidValueError,
        match=re.escape(
            "`drawn` must be at most the limit 10000000 EUR; got "
            "Money(amount=Decimal('10000000.01'), currency='EUR'). "
            "Set allows_overdraw=True for a facility that may be overdrawn."
        ),
    ):
        facility(drawn=eur("10000000.01"))


def test_drawn_above_limit_allowed_with_overdraw():
    f = facility(drawn=eur("11000000"), allows_overdraw=True)
    assert f.utilisation == 1.1
    assert f.undrawn == eur("0")


@pytest.mark.parametrize("maturity", [dt.date(2024, 1, 15), dt.date(2023, 12, 31)])
def test_maturity_on_or_before_start(maturity):
    with pytest.raises(
        InvalidValueError,
        match=re.escape(
            f"`maturity_on` must be a date after `start_on` (2024-01-15); got {maturity!r}."
        ),
    ):
        facility(maturity_on=maturity)


def test_facility_in_two_currencies():
    with pytest.raises(
        InvalidValueError,
        match=re.escape(
            "`drawn` must be an amount in EUR, the currency of this facility; got "
            "Money(amount=Decimal('5'), currency='USD'). Convert the amount first "
            "with Money.convert(rate, currency)."
        ),
    ):
        facility(drawn=Money.of("5", "USD"))


def test_facility_collateral_in_other_currency_names_the_path():
    with pytest.raises(InvalidValueError, match=r"^`collateral\[0\].value` must be"):
        facility(
            collateral=(
                Collateral(kind=CollateralKind.CASH, value=Money.of("1", "GBP")),
            )
        )


def test_unknown_currency_on_facility():
    with pytest.raises(
        InvalidValueError,
        match=re.escape(
            "`currency` must be an active ISO 4217 currency code; got 'ABC'."
        ),
    ):
        facility(currency="ABC")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("default_probability", 1.5),
        ("default_probability", -0.01),
        ("loss_given_default", 1.01),
        ("credit_conversion_factor", float("nan")),
    ],
)
def test_risk_parameters_outside_unit_interval(field, value):
    with pytest.raises(
        InvalidValueError,
        match=re.escape(f"`{field}` must be a finite number in [0, 1]; got {value!r}."),
    ):
        facility(**{field: value})


def test_client_pd_outside_unit_interval():
    with pytest.raises(
        InvalidValueError, match=r"`default_probability` must be a finite"
    ):
        client(default_probability=2.0)


def test_enum_field_refuses_plain_string():
    with pytest.raises(
        InvalidValueError,
        match=re.escape("`status` must be one of 'application', 'approved',"),
    ):
        facility(status="active")


def test_facility_helpers():
    f = rich_facility()
    assert f.collateral_value == eur("7700000.01")  # 12e6 * 0.6 + 500000.01
    assert f.guaranteed_amount == eur("2000000")
    assert f.is_project_finance
    assert f.tenor_days == 2557  # 2024-01-15 .. 2031-01-15, two leap days
    assert f.remaining_years(dt.date(2035, 1, 1)) == 0.0
    assert facility(limit=eur("0"), drawn=eur("0")).utilisation == 0.0
    assert FacilityStatus.WRITTEN_OFF.is_terminal


def test_tuple_fields_refuse_lists():
    with pytest.raises(
        InvalidValueError, match=re.escape("`covenants` must be a tuple of Covenant")
    ):
        facility(covenants=[])


# --- bad input: client --------------------------------------------------------------------
def test_country_must_be_iso_3166_alpha2():
    with pytest.raises(
        InvalidValueError,
        match=re.escape(
            "`country` must be an ISO 3166-1 alpha-2 country code such as 'DE'; got 'de'. "
            "Codes are upper case."
        ),
    ):
        client(country="de")
    with pytest.raises(InvalidValueError, match=r"got 'XX'\.$"):
        client(country="XX")


def test_client_cannot_be_its_own_parent():
    with pytest.raises(
        InvalidValueError, match=r"`parent_id` must be the id of another"
    ):
        client(parent_id=ClientId("C-1"))


def test_client_measures_in_other_currency():
    m = RelationshipMeasures(
        period_end=dt.date(2025, 12, 31),
        revenue_to_bank=Money.of("1", "USD"),
        profit_to_bank=Money.of("1", "USD"),
    )
    with pytest.raises(
        InvalidValueError, match=r"^`measures.revenue_to_bank` must be an amount in EUR"
    ):
        client(measures=m)


def test_client_lists_only_its_own_referrals():
    r = Referral(
        referrer=ClientId("C-2"), referee=ClientId("C-3"), on=dt.date(2025, 1, 1)
    )
    with pytest.raises(
        InvalidValueError,
        match=re.escape("`referrals[0].referrer` must be this client's id 'C-1'"),
    ):
        client(referrals=(r,))


def test_client_helpers():
    c = rich_client()
    assert c.average_feedback_score == 6.0
    assert c.tenure_days(dt.date(2019, 1, 1)) == 0
    assert not c.is_subsidiary
    assert client(feedback=()).average_feedback_score is None


def test_legal_name_must_not_be_blank():
    with pytest.raises(
        InvalidValueError,
        match=re.escape("`legal_name` must be a non-empty string; got '  '."),
    ):
        client(legal_name="  ")


# --- bad input: project -------------------------------------------------------------------
def test_sponsor_shares_summing_to_point_nine():
    sponsors = (
        Sponsor(sponsor_id=ClientId("S-1"), equity_share=0.6),
        Sponsor(sponsor_id=ClientId("S-2"), equity_share=0.3),
    )
    with pytest.raises(
        InvalidValueError,
        match=re.escape(
            "`sponsors` must be equity shares whose sum is 1 (within 1e-9); got 0.9."
        ),
    ):
        project(sponsors=sponsors)


def test_sponsor_shares_float_rounding_is_tolerated():
    thirds = tuple(
        Sponsor(sponsor_id=ClientId(f"S-{i}"), equity_share=0.1) for i in range(10)
    )
    assert project(sponsors=thirds).sponsors == thirds  # 0.1 * 10 != 1.0 in float


def test_sponsor_listed_twice():
    s = Sponsor(sponsor_id=ClientId("S-1"), equity_share=0.5)
    with pytest.raises(
        InvalidValueError,
        match=re.escape("`sponsors[1].sponsor_id` must be a sponsor not"),
    ):
        project(sponsors=(s, s))


def test_project_needs_a_sponsor():
    with pytest.raises(
        InvalidValueError, match="`sponsors` must be at least one sponsor; got"
    ):
        project(sponsors=())


def test_debt_plus_equity_must_equal_total_cost():
    with pytest.raises(
        InvalidValueError,
        match=re.escape(
            "`equity` must be `total_cost` - `debt` = 100000000 EUR (debt + equity must "
            "equal total cost); got Money(amount=Decimal('90000000'), currency='EUR')."
        ),
    ):
        project(equity=eur("90000000"))


def test_drawdowns_beyond_debt_and_out_of_order():
    big = (Drawdown(on=dt.date(2025, 1, 1), amount=eur("300000000.01")),)
    with pytest.raises(
        InvalidValueError,
        match=r"`drawdowns` must be amounts whose sum is at most the debt 300000000 EUR; got Money",
    ):
        project(drawdowns=big)
    unordered = (
        Drawdown(on=dt.date(2025, 2, 1), amount=eur("1")),
        Drawdown(on=dt.date(2025, 1, 1), amount=eur("1")),
    )
    with pytest.raises(
        InvalidValueError,
        match=re.escape("`drawdowns[1].on` must be a date on or after"),
    ):
        project(drawdowns=unordered)


def test_cash_flow_periods_strictly_increase():
    cf = CashFlow(period_end=dt.date(2027, 6, 30), cfads=eur("1"))
    with pytest.raises(
        InvalidValueError,
        match=re.escape("`cash_flows[1].period_end` must be a date after"),
    ):
        project(cash_flows=(cf, cf))


def test_duplicate_milestone_names():
    m = Milestone(name="a", planned_on=dt.date(2026, 1, 1))
    with pytest.raises(
        InvalidValueError,
        match=re.escape("`milestones[1].name` must be a name not used"),
    ):
        project(milestones=(m, m))


def test_project_currency_is_single():
    with pytest.raises(
        InvalidValueError,
        match=r"^`debt` must be an amount in EUR, the currency of this project",
    ):
        project(debt=Money.of("300000000", "USD"))


def test_project_helpers():
    p = rich_project()
    assert p.gearing == 0.75
    assert p.drawn_to_date == eur("125000000.25")
    assert p.percent_complete == pytest.approx((100 + 35.5) / 2)
    assert p.currency == "EUR"


# --- value objects ------------------------------------------------------------------------
@pytest.mark.parametrize("percent", [-1.0, 100.5])
def test_milestone_percent_outside_0_100(percent):
    with pytest.raises(
        InvalidValueError,
        match=re.escape(
            f"`percent_complete` must be a finite number in [0, 100]; got {percent}."
        ),
    ):
        Milestone(name="x", planned_on=dt.date(2026, 1, 1), percent_complete=percent)


def test_milestone_actual_date_needs_completion():
    with pytest.raises(
        InvalidValueError,
        match=re.escape(
            "`percent_complete` must be 100 when `actual_on` is set (a completed milestone); got 50.0."
        ),
    ):
        Milestone(
            name="x",
            planned_on=dt.date(2026, 1, 1),
            actual_on=dt.date(2026, 2, 1),
            percent_complete=50.0,
        )


def test_milestone_lateness():
    m = rich_project().milestones[0]
    assert m.is_complete
    assert m.days_late(dt.date(2030, 1, 1)) == 12  # completed 2025-07-12, planned 06-30


def test_feedback_score_range():
    with pytest.raises(
        InvalidValueError,
        match=re.escape("`score` must be an integer in [0, 10]; got 11."),
    ):
        Feedback(on=dt.date(2025, 1, 1), channel=FeedbackChannel.MEETING, score=11)
    with pytest.raises(
        InvalidValueError, match=re.escape("`score` must be an integer >= 0; got 7.5.")
    ):
        Feedback(on=dt.date(2025, 1, 1), channel=FeedbackChannel.MEETING, score=7.5)  # type: ignore[arg-type]
    fb = Feedback(on=dt.date(2025, 1, 1), channel=FeedbackChannel.SURVEY, score=6)
    assert fb.is_detractor
    assert not fb.is_promoter


def test_referral_conversion():
    r = rich_client().referrals[0]
    assert r.converted
    assert not Referral(
        referrer=ClientId("A"), referee=ClientId("B"), on=dt.date(2025, 1, 1)
    ).converted


def test_guarantee_needs_a_guarantor():
    with pytest.raises(
        InvalidValueError,
        match=re.escape(
            "`guarantor_id` must be a client id or a guarantor_name (at least one); got None."
        ),
    ):
        Guarantee(covered=eur("1"))


def test_collateral_haircut_is_a_fraction():
    with pytest.raises(
        InvalidValueError,
        match=re.escape("`haircut` must be a finite number in [0, 1]; got 30.0."),
    ):
        Collateral(kind=CollateralKind.CASH, value=eur("1"), haircut=30.0)


def test_covenant_levels_must_be_ordered():
    with pytest.raises(
        InvalidValueError,
        match=re.escape(
            "`default_level` must be <= `lock_up_level` (1.1) for an at_least covenant; got 1.15."
        ),
    ):
        Covenant(
            metric=CovenantMetric.DSCR,
            operator=CovenantOperator.AT_LEAST,
            threshold=1.2,
            lock_up_level=1.1,
            default_level=1.15,
        )
    with pytest.raises(
        InvalidValueError,
        match=re.escape("`lock_up_level` must be >= `threshold` (4.0)"),
    ):
        Covenant(
            metric=CovenantMetric.NET_DEBT_TO_EBITDA,
            operator=CovenantOperator.AT_MOST,
            threshold=4.0,
            lock_up_level=3.5,
        )


def test_covenant_tests():
    cov = rich_facility().covenants[1]  # net debt / EBITDA at most 4.0, no levels
    assert cov.is_met(3.9)
    assert not cov.is_met(4.1)
    assert not cov.is_locked_up(9.0)
    assert not cov.is_in_default(9.0)
    assert TestFrequency.QUARTERLY.months == 3


def test_cash_flow_dscr_and_currency():
    cfs = rich_project().cash_flows
    assert cfs[0].dscr is None
    assert cfs[1].dscr == 1.3
    with pytest.raises(
        InvalidValueError, match=r"^`debt_service` must be an amount in EUR"
    ):
        CashFlow(
            period_end=dt.date(2027, 1, 1),
            cfads=eur("1"),
            debt_service=Money.of("1", "USD"),
        )


def test_measures_last_transaction_within_period():
    with pytest.raises(
        InvalidValueError,
        match=re.escape(
            "`last_transaction_on` must be a date on or before `period_end` (2025-12-31)"
        ),
    ):
        RelationshipMeasures(
            period_end=dt.date(2025, 12, 31),
            revenue_to_bank=eur("1"),
            profit_to_bank=eur("1"),
            last_transaction_on=dt.date(2026, 1, 1),
        )
    m = RelationshipMeasures(
        period_end=dt.date(2025, 12, 31),
        revenue_to_bank=eur("0"),
        profit_to_bank=eur("-1"),
    )
    assert m.profit_margin is None


def test_pricing_margin_is_whole_bps():
    assert pricing().commitment_fee == 0.006
    with pytest.raises(
        InvalidValueError, match=re.escape("`margin_bps` must be an int; got 2.5.")
    ):
        Pricing(reference_rate="SOFR", margin_bps=2.5, arrangement_fee=eur("0"))  # type: ignore[arg-type]


def test_sponsor_share_must_be_positive():
    with pytest.raises(
        InvalidValueError,
        match=re.escape("`equity_share` must be a finite number in (0, 1]; got 0.0."),
    ):
        Sponsor(sponsor_id=ClientId("S"), equity_share=0.0)


def test_sector_is_nace_section():
    assert [s.value for s in Sector] == [chr(c) for c in range(ord("A"), ord("U") + 1)]


def test_evolve_revalidates():
    with pytest.raises(InvalidValueError, match="`drawn` must be at most the limit"):
        attrs.evolve(facility(), drawn=eur("20000000"))
    assert attrs.evolve(facility(), drawn=eur("0")).undrawn.amount == Decimal(
        10_000_000
    )
