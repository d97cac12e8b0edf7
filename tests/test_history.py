"""Dated records of a relationship: ratings, observations, statements, valuations."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lendcrm import (
    Collateral,
    CollateralKind,
    CollateralValuation,
    CovenantMetric,
    FacilityObservation,
    FinancialStatement,
    Money,
    RatingRecord,
    RelationshipMeasures,
    ValuationMethod,
)
from lendcrm.errors import InvalidValueError
from lendcrm.serialization import from_dict, to_dict
from lendcrm.synthetic import example_project
from tests.factories import client, eur, facility

D = dt.date


def measures(year: int) -> RelationshipMeasures:
    return RelationshipMeasures(
        period_end=D(year, 12, 31),
        revenue_to_bank=eur("100000"),
        profit_to_bank=eur("20000"),
    )


def statement(year: int, **amounts: str) -> FinancialStatement:
    return FinancialStatement(
        period_end=D(year, 12, 31),
        currency="EUR",
        **{k: eur(v) for k, v in amounts.items()},  # type: ignore[arg-type]
    )


# --- the statement's ratios, by hand -------------------------------------------------
def test_statement_ratios_by_hand():
    # net debt = 200 - 25 = 175; 175 / 50 = 3.5; 50 / 10 = 5; 200 / 100 = 2;
    # 200 / 50 = 4; current 60 / 40 = 1.5; DSCR (80 - 20) / 40 = 1.5
    s = statement(
        2024,
        ebitda="50",
        interest_expense="10",
        total_debt="200",
        cash="25",
        equity="100",
        current_assets="60",
        current_liabilities="40",
        operating_cash_flow="80",
        capex="20",
        debt_service="40",
    )
    assert s.net_debt_to_ebitda == 3.5
    assert s.interest_cover == 5.0
    assert s.gearing == 2.0
    assert s.leverage == 4.0
    assert s.current_ratio == 1.5
    assert s.dscr == 1.5
    assert s.metric(CovenantMetric.DEBT_TO_EQUITY) == 2.0
    assert s.metric(CovenantMetric.DSCR) == 1.5


def test_stated_net_debt_wins_over_debt_less_cash():
    s = statement(2024, ebitda="50", total_debt="200", cash="25", net_debt="150")
    assert s.net_debt_to_ebitda == 3.0


def test_a_missing_metric_names_what_is_missing():
    s = statement(2024, ebitda="50")
    with pytest.raises(InvalidValueError) as err:
        s.metric(CovenantMetric.INTEREST_COVER)
    assert str(err.value) == (
        "`interest_cover` must be computable from the statement of 2024-12-31: "
        "needs interest_expense; got None."
    )


def test_a_zero_denominator_is_named_and_zero_numerators_are_not():
    s = statement(2024, operating_cash_flow="80", capex="0")
    with pytest.raises(InvalidValueError, match="needs debt_service; got None"):
        s.metric(CovenantMetric.DSCR)
    zero = statement(2024, operating_cash_flow="80", capex="0", debt_service="0")
    with pytest.raises(InvalidValueError, match="needs a non-zero debt_service"):
        zero.metric(CovenantMetric.DSCR)


def test_a_metric_no_statement_carries_is_refused():
    with pytest.raises(InvalidValueError, match="llcr needs cash-flow forecasts"):
        statement(2024).metric(CovenantMetric.LLCR)


def test_the_balance_sheet_must_balance():
    with pytest.raises(InvalidValueError) as err:
        statement(2024, total_assets="300", total_liabilities="180", equity="100")
    assert str(err.value) == (
        "`total_assets` must be total_liabilities + equity = 280 (the balance sheet "
        "of 2024-12-31 must balance); got Decimal('300')."
    )
    ok = statement(2024, total_assets="280", total_liabilities="180", equity="100")
    assert ok.total_assets == eur("280")


def test_a_statement_amount_in_another_currency_is_refused():
    with pytest.raises(InvalidValueError, match=r"`ebitda.currency` must be the"):
        FinancialStatement(
            period_end=D(2024, 12, 31), currency="EUR", ebitda=Money.of("5", "USD")
        )


def test_negative_stocks_are_refused_but_equity_may_be_negative():
    with pytest.raises(InvalidValueError, match="`cash`"):
        statement(2024, cash="-1")
    assert statement(2024, equity="-5").equity == eur("-5")


@given(
    debt=st.integers(0, 10**9), cash=st.integers(0, 10**9), ebitda=st.integers(1, 10**9)
)
def test_net_debt_to_ebitda_is_debt_less_cash_over_ebitda(debt, cash, ebitda):
    s = statement(2024, total_debt=str(debt), cash=str(cash), ebitda=str(ebitda))
    assert s.net_debt_to_ebitda == pytest.approx((debt - cash) / ebitda, rel=1e-12)


# --- records --------------------------------------------------------------------------
def test_an_override_states_its_reason():
    with pytest.raises(InvalidValueError) as err:
        RatingRecord(rated_on=D(2025, 6, 30), grade="7", override=True)
    assert "`override_reason` must be a non-empty reason" in str(err.value)
    r = RatingRecord(
        rated_on=D(2025, 6, 30), grade="7", override=True, override_reason="sector"
    )
    assert r.override_reason == "sector"


def test_observation_utilisation_and_currency():
    o = FacilityObservation(period_end=D(2025, 1, 31), drawn=eur("3"), limit=eur("4"))
    assert o.utilisation == 0.75
    zero = FacilityObservation(
        period_end=D(2025, 1, 31), drawn=eur("0"), limit=eur("0")
    )
    assert zero.utilisation == 0.0
    with pytest.raises(InvalidValueError, match="the limit's currency 'EUR'"):
        FacilityObservation(
            period_end=D(2025, 1, 31), drawn=Money.of("1", "USD"), limit=eur("4")
        )


def test_negative_balances_are_refused():
    with pytest.raises(InvalidValueError, match="`drawn`"):
        FacilityObservation(period_end=D(2025, 1, 31), drawn=eur("-1"), limit=eur("4"))


# --- histories on the entities --------------------------------------------------------
def test_a_duplicate_period_is_refused_with_entity_and_index():
    with pytest.raises(InvalidValueError) as err:
        client(
            measures_history=(measures(2024), measures(2024)), measures=measures(2024)
        )
    assert str(err.value) == (
        "`measures_history[1].period_end` must be after 2024-12-31 (one record per "
        "date, oldest first) for client 'C-1'; got datetime.date(2024, 12, 31)."
    )


def test_periods_out_of_order_are_refused():
    with pytest.raises(
        InvalidValueError, match=r"`ratings\[1\].rated_on` must be after"
    ):
        client(
            ratings=(
                RatingRecord(rated_on=D(2025, 6, 30), grade="5"),
                RatingRecord(rated_on=D(2024, 6, 30), grade="6"),
            )
        )


def test_measures_is_the_last_period_of_the_history():
    c = client(
        measures_history=(measures(2024), measures(2025)), measures=measures(2025)
    )
    assert c.measures == c.measures_history[-1]
    with pytest.raises(
        InvalidValueError, match="the last period of `measures_history`"
    ):
        client(
            measures_history=(measures(2024), measures(2025)), measures=measures(2024)
        )


def test_rating_grade_is_the_latest_rating():
    ratings = (
        RatingRecord(rated_on=D(2024, 6, 30), grade="5"),
        RatingRecord(rated_on=D(2025, 6, 30), grade="6"),
    )
    assert client(ratings=ratings, rating_grade="6").ratings == ratings
    with pytest.raises(InvalidValueError) as err:
        client(ratings=ratings, rating_grade="5")
    assert "the grade of the latest rating ('6' on 2025-06-30)" in str(err.value)


def test_statements_keep_one_currency():
    usd = FinancialStatement(period_end=D(2025, 12, 31), currency="USD")
    with pytest.raises(InvalidValueError, match=r"`statements\[1\].currency` must be"):
        client(statements=(statement(2024), usd))


def test_facility_observations_are_ordered_and_in_its_currency():
    obs = tuple(
        FacilityObservation(period_end=D(2025, m, 28), drawn=eur("1"), limit=eur("2"))
        for m in (1, 2, 3)
    )
    assert facility(observations=obs).observations == obs
    with pytest.raises(InvalidValueError, match="for facility 'F-1'"):
        facility(observations=obs[::-1])
    usd = FacilityObservation(
        period_end=D(2025, 4, 28),
        drawn=Money.of("1", "USD"),
        limit=Money.of("2", "USD"),
    )
    with pytest.raises(InvalidValueError, match=r"observations\[3\]\.drawn"):
        facility(observations=(*obs, usd))


def test_a_valuation_in_another_currency_is_refused():
    v = CollateralValuation(
        valued_on=D(2025, 3, 31),
        value=Money.of("9", "USD"),
        method=ValuationMethod.DESKTOP,
    )
    with pytest.raises(InvalidValueError, match=r"valuations\[0\]\.value"):
        Collateral(kind=CollateralKind.REAL_ESTATE, value=eur("10"), valuations=(v,))


def test_histories_survive_the_dict_round_trip():
    c = client(
        measures_history=(measures(2024), measures(2025)),
        measures=measures(2025),
        ratings=(RatingRecord(rated_on=D(2025, 6, 30), grade="5", rater="model-v3"),),
        rating_grade="5",
        statements=(statement(2024, ebitda="50", total_debt="200"),),
    )
    assert from_dict(to_dict(c), type(c)) == c
    p = example_project()
    assert from_dict(to_dict(p), type(p)) == p
