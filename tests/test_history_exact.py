"""Dated records, exactly: every refusal by field and whole message, every ratio by hand.

Issue #23. The history rules are called directly (`check_history`, and
`check_client_histories` on a plain stand-in for a client, so each rule is reached
alone); the records' class-level defaults and field validators, which mutmut does
not mutate, are pinned by a golden repr and by their bounds; `STATEMENT_AMOUNTS` and
the metric table are pinned entry by entry.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest

from lendcrm import (
    CollateralValuation,
    CovenantMetric,
    FacilityObservation,
    FinancialStatement,
    Money,
    RatingRecord,
    ValuationMethod,
)
from lendcrm._history import STATEMENT_AMOUNTS, check_client_histories, check_history
from lendcrm.errors import InvalidValueError

D = dt.date


def eur(x: str) -> Money:
    return Money.of(x, "EUR")


def refusal(call, *args, **kwargs) -> InvalidValueError:
    with pytest.raises(InvalidValueError) as info:
        call(*args, **kwargs)
    return info.value


def rec(day: int) -> SimpleNamespace:
    return SimpleNamespace(when=D(2025, 1, day))


# --- check_history --------------------------------------------------------------------


def test_check_history_accepts_strictly_increasing_dates():
    check_history([], date="when", owner="x", field="f")
    check_history([rec(1)], date="when", owner="x", field="f")
    check_history([rec(1), rec(2), rec(31)], date="when", owner="x", field="f")


def test_check_history_refuses_a_repeated_date_by_index_and_dates():
    err = refusal(
        check_history,
        [rec(1), rec(2), rec(2)],
        date="when",
        owner="client 'C-1'",
        field="ratings",
    )
    assert err.field == "ratings[2].when"
    assert err.value == D(2025, 1, 2)
    assert str(err) == (
        "`ratings[2].when` must be after 2025-01-02 (one record per date, oldest "
        "first) for client 'C-1'; got datetime.date(2025, 1, 2)."
    )


def test_check_history_compares_with_the_previous_record_not_the_first():
    err = refusal(
        check_history, [rec(1), rec(5), rec(3)], date="when", owner="o", field="f"
    )
    assert err.field == "f[2].when"
    assert "must be after 2025-01-05 " in str(err)


# --- check_client_histories on a stand-in client --------------------------------------


def period(day: int, currency: str = "EUR") -> SimpleNamespace:
    return SimpleNamespace(
        period_end=D(2024, 12, day), revenue_to_bank=Money.of("1", currency)
    )


def stand_in(**fields: object) -> SimpleNamespace:
    base: dict[str, object] = {
        "id": "C-1",
        "annual_revenue": eur("100"),
        "measures": None,
        "measures_history": (),
        "rating_grade": None,
        "ratings": (),
        "statements": (),
    }
    return SimpleNamespace(**{**base, **fields})


def test_client_histories_each_series_checked_by_its_own_date_and_field():
    twice = (period(30), period(30))
    err = refusal(
        check_client_histories, stand_in(measures_history=twice, measures=twice[1])
    )
    assert str(err) == (
        "`measures_history[1].period_end` must be after 2024-12-30 (one record per "
        "date, oldest first) for client 'C-1'; got datetime.date(2024, 12, 30)."
    )
    r = RatingRecord(rated_on=D(2025, 1, 1), grade="5")
    err = refusal(check_client_histories, stand_in(ratings=(r, r)))
    assert err.field == "ratings[1].rated_on"
    assert str(err).endswith("for client 'C-1'; got datetime.date(2025, 1, 1).")
    s = FinancialStatement(period_end=D(2024, 12, 31), currency="EUR")
    err = refusal(check_client_histories, stand_in(statements=(s, s)))
    assert err.field == "statements[1].period_end"
    assert str(err).endswith("for client 'C-1'; got datetime.date(2024, 12, 31).")


def test_client_measures_must_be_the_last_period():
    history = (period(29), period(30), period(31))
    check_client_histories(stand_in(measures_history=history, measures=history[2]))
    check_client_histories(stand_in(measures=period(31)))  # no history: any measures
    err = refusal(
        check_client_histories, stand_in(measures_history=history, measures=history[0])
    )
    assert err.field == "measures"
    assert err.value is history[0]
    assert str(err).startswith(
        "`measures` must be the last period of "
        "`measures_history` (period_end 2024-12-31) for client 'C-1'; got "
    )


def test_client_measures_history_in_the_revenue_currency():
    history = (period(30), period(31, "USD"))
    err = refusal(
        check_client_histories, stand_in(measures_history=history, measures=history[1])
    )
    assert err.field == "measures_history[1].revenue_to_bank"
    assert str(err).startswith(
        "`measures_history[1].revenue_to_bank` must be an amount in EUR, the currency "
        "of this client; got "
    )


def test_client_rating_grade_is_the_latest_ratings():
    ratings = (
        RatingRecord(rated_on=D(2024, 6, 30), grade="4"),
        RatingRecord(rated_on=D(2025, 6, 30), grade="5"),
    )
    check_client_histories(stand_in(ratings=ratings, rating_grade="5"))
    check_client_histories(stand_in(ratings=ratings, rating_grade=None))
    check_client_histories(stand_in(rating_grade="9"))  # no ratings: any grade
    err = refusal(check_client_histories, stand_in(ratings=ratings, rating_grade="4"))
    assert err.field == "rating_grade"
    assert err.value == "4"
    assert str(err) == (
        "`rating_grade` must be the grade of the latest rating ('5' on 2025-06-30) "
        "for client 'C-1'; got '4'."
    )


def test_client_statements_keep_the_first_ones_currency():
    first = FinancialStatement(period_end=D(2023, 12, 31), currency="EUR")
    same = FinancialStatement(period_end=D(2024, 12, 31), currency="EUR")
    other = FinancialStatement(period_end=D(2025, 12, 31), currency="USD")
    check_client_histories(stand_in(statements=(first, same)))
    err = refusal(check_client_histories, stand_in(statements=(first, same, other)))
    assert err.field == "statements[2].currency"
    assert err.value == "USD"
    assert str(err) == (
        "`statements[2].currency` must be 'EUR', the currency of the client's first "
        "statement (one currency per series) for client 'C-1'; got 'USD'."
    )
    err = refusal(check_client_histories, stand_in(statements=(first, other)))
    assert err.field == "statements[1].currency"
    assert str(err).startswith("`statements[1].currency` must be 'EUR', the currency")


# --- RatingRecord ---------------------------------------------------------------------


def test_rating_record_defaults_pinned():
    r = RatingRecord(rated_on=D(2025, 6, 30), grade="5")
    assert repr(r) == (
        "RatingRecord(rated_on=datetime.date(2025, 6, 30), grade='5', "
        "default_probability=None, rater='', override=False, override_reason=None)"
    )


def test_rating_record_fields_and_bounds():
    ok: dict[str, Any] = {"rated_on": D(2025, 6, 30), "grade": "5"}
    assert RatingRecord(**ok, default_probability=0.0).default_probability == 0.0
    assert RatingRecord(**ok, default_probability=1.0).default_probability == 1.0
    for bad in (-0.01, 1.01):
        assert refusal(RatingRecord, **ok, default_probability=bad).field == (
            "default_probability"
        )
    assert refusal(RatingRecord, rated_on=D(2025, 6, 30), grade="").field == "grade"
    assert refusal(RatingRecord, rated_on="2025-06-30", grade="5").field == "rated_on"
    assert refusal(RatingRecord, **ok, rater=None).field == "rater"
    assert refusal(RatingRecord, **ok, override=1).field == "override"
    assert refusal(RatingRecord, **ok, override_reason="").field == "override_reason"


def test_an_override_needs_a_reason_and_only_an_override():
    ok: dict[str, Any] = {"rated_on": D(2025, 6, 30), "grade": "5"}
    assert RatingRecord(**ok, override=True, override_reason="peer view").override
    assert RatingRecord(**ok, override_reason="noted").override_reason == "noted"
    err = refusal(RatingRecord, **ok, override=True)
    assert err.field == "override_reason"
    assert err.value is None
    assert str(err) == (
        "`override_reason` must be a non-empty reason when `override` is true; got None."
    )


# --- FacilityObservation and CollateralValuation --------------------------------------


def test_observation_defaults_pinned_and_utilisation_by_hand():
    o = FacilityObservation(period_end=D(2025, 1, 31), drawn=eur("3"), limit=eur("4"))
    assert (o.days_past_due, o.in_default, o.forborne) == (0, False, False)
    assert o.utilisation == 0.75
    one = FacilityObservation(
        period_end=D(2025, 1, 31), drawn=eur("0.5"), limit=eur("1")
    )
    assert one.utilisation == 0.5
    none = FacilityObservation(
        period_end=D(2025, 1, 31), drawn=eur("0"), limit=eur("0")
    )
    assert none.utilisation == 0.0
    assert type(none.utilisation) is float
    assert type(o.utilisation) is float


def test_observation_fields_refused_by_name():
    ok: dict[str, Any] = {
        "period_end": D(2025, 1, 31),
        "drawn": eur("1"),
        "limit": eur("2"),
    }
    assert FacilityObservation(**ok, days_past_due=0).days_past_due == 0
    assert refusal(FacilityObservation, **ok, days_past_due=-1).field == "days_past_due"
    assert refusal(FacilityObservation, **ok, in_default=0).field == "in_default"
    assert refusal(FacilityObservation, **ok, forborne=None).field == "forborne"
    assert refusal(FacilityObservation, **{**ok, "drawn": eur("-1")}).field == "drawn"
    assert refusal(FacilityObservation, **{**ok, "limit": eur("-1")}).field == "limit"
    err = refusal(
        FacilityObservation,
        period_end=D(2025, 1, 31),
        drawn=Money.of("1", "USD"),
        limit=eur("2"),
    )
    assert err.field == "drawn.currency"
    assert err.value == "USD"
    assert str(err) == "`drawn.currency` must be the limit's currency 'EUR'; got 'USD'."


def test_valuation_default_method_and_fields():
    v = CollateralValuation(valued_on=D(2025, 3, 31), value=eur("0"))
    assert v.method is ValuationMethod.FULL_APPRAISAL
    assert (
        refusal(CollateralValuation, valued_on=D(2025, 3, 31), value=eur("-1")).field
        == "value"
    )
    err = refusal(
        CollateralValuation, valued_on=D(2025, 3, 31), value=eur("1"), method="x"
    )
    assert err.field == "method"


# --- FinancialStatement ---------------------------------------------------------------


def test_statement_amounts_pinned():
    assert STATEMENT_AMOUNTS == (
        "revenue",
        "ebitda",
        "ebit",
        "interest_expense",
        "total_debt",
        "cash",
        "net_debt",
        "total_assets",
        "total_liabilities",
        "equity",
        "current_assets",
        "current_liabilities",
        "capex",
        "operating_cash_flow",
        "debt_service",
    )


def test_statement_defaults_pinned():
    s = FinancialStatement(period_end=D(2024, 12, 31), currency="EUR")
    assert s.period_months == 12
    assert all(getattr(s, name) is None for name in STATEMENT_AMOUNTS)
    for ratio in (
        "net_debt_to_ebitda",
        "interest_cover",
        "leverage",
        "gearing",
        "current_ratio",
        "dscr",
    ):
        assert getattr(s, ratio) is None


NON_NEGATIVE = (
    "revenue",
    "interest_expense",
    "total_debt",
    "cash",
    "total_assets",
    "total_liabilities",
    "current_assets",
    "current_liabilities",
    "capex",
    "debt_service",
)


@pytest.mark.parametrize("name", STATEMENT_AMOUNTS)
def test_each_amount_refuses_a_non_money_and_another_currency(name):
    base: dict[str, Any] = {"period_end": D(2024, 12, 31), "currency": "EUR"}
    err = refusal(FinancialStatement, **{**base, name: 5})
    assert err.field == name
    assert str(err) == f"`{name}` must be a Money or None (not given); got 5."
    err = refusal(FinancialStatement, **{**base, name: Money.of("1", "USD")})
    assert err.field == f"{name}.currency"
    assert err.value == "USD"
    assert (
        str(err)
        == f"`{name}.currency` must be the statement's currency 'EUR'; got 'USD'."
    )
    zero = FinancialStatement(**{**base, name: eur("0")})
    assert getattr(zero, name) == eur("0")
    if name in NON_NEGATIVE:
        assert refusal(FinancialStatement, **{**base, name: eur("-0.01")}).field == name
    else:
        assert getattr(FinancialStatement(**{**base, name: eur("-5")}), name) == eur(
            "-5"
        )


def test_period_months_must_be_positive():
    base: dict[str, Any] = {"period_end": D(2024, 12, 31), "currency": "EUR"}
    assert FinancialStatement(**base, period_months=1).period_months == 1
    assert refusal(FinancialStatement, **base, period_months=0).field == "period_months"
    assert (
        refusal(FinancialStatement, period_end=D(2024, 12, 31), currency="").field
        == "currency"
    )


def test_the_balance_sheet_balances_where_all_three_are_given():
    base: dict[str, Any] = {"period_end": D(2024, 12, 31), "currency": "EUR"}
    FinancialStatement(
        **base, total_assets=eur("10"), total_liabilities=eur("7"), equity=eur("3")
    )
    FinancialStatement(**base, total_assets=eur("10"), total_liabilities=eur("2"))
    FinancialStatement(**base, total_assets=eur("10"), equity=eur("2"))
    FinancialStatement(**base, total_liabilities=eur("7"), equity=eur("2"))
    FinancialStatement(**base, total_assets=eur("10"))
    err = refusal(
        FinancialStatement,
        **base,
        total_assets=eur("10"),
        total_liabilities=eur("7"),
        equity=eur("2.5"),
    )
    assert err.field == "total_assets"
    assert str(err) == (
        "`total_assets` must be total_liabilities + equity = 9.5 (the balance sheet of "
        "2024-12-31 must balance); got Decimal('10')."
    )


def statement(**amounts: str) -> FinancialStatement:
    return FinancialStatement(
        period_end=D(2024, 12, 31),
        currency="EUR",
        **{k: eur(v) for k, v in amounts.items()},  # type: ignore[arg-type]
    )


def test_each_ratio_by_hand():
    s = statement(
        ebitda="50",
        interest_expense="20",
        total_debt="200",
        cash="40",
        equity="80",
        current_assets="30",
        current_liabilities="12",
        operating_cash_flow="70",
        capex="10",
        debt_service="24",
    )
    assert s.net_debt_to_ebitda == 3.2  # (200 - 40) / 50
    assert s.interest_cover == 2.5  # 50 / 20
    assert s.leverage == 4.0  # 200 / 50
    assert s.gearing == 2.5  # 200 / 80
    assert s.current_ratio == 2.5  # 30 / 12
    assert s.dscr == 2.5  # (70 - 10) / 24
    assert s.metric(CovenantMetric.NET_DEBT_TO_EBITDA) == 3.2
    assert s.metric(CovenantMetric.INTEREST_COVER) == 2.5
    assert s.metric(CovenantMetric.DEBT_TO_EQUITY) == 2.5
    assert s.metric(CovenantMetric.CURRENT_RATIO) == 2.5
    assert s.metric(CovenantMetric.DSCR) == 2.5


def test_net_debt_stated_or_derived_only_from_both():
    assert (
        statement(
            net_debt="30", total_debt="200", cash="40", ebitda="10"
        ).net_debt_to_ebitda
        == 3.0
    )
    assert statement(total_debt="200", ebitda="10").net_debt_to_ebitda is None
    assert statement(cash="40", ebitda="10").net_debt_to_ebitda is None
    assert statement(total_debt="20", cash="40", ebitda="10").net_debt_to_ebitda == -2.0


def test_ratios_with_a_missing_or_zero_part():
    assert statement(ebitda="0", interest_expense="5").interest_cover == 0.0
    assert statement(ebitda="5", interest_expense="0").interest_cover is None
    assert statement(interest_expense="5").interest_cover is None
    assert statement(ebitda="5").interest_cover is None
    full = {"operating_cash_flow": "10", "capex": "4", "debt_service": "3"}
    assert statement(**full).dscr == 2.0
    assert statement(**{**full, "debt_service": "0"}).dscr is None
    for name in full:
        assert statement(**{k: v for k, v in full.items() if k != name}).dscr is None
    assert statement(**{**full, "operating_cash_flow": "4"}).dscr == 0.0


@pytest.mark.parametrize(
    "metric",
    [CovenantMetric.LLCR, CovenantMetric.PLCR, CovenantMetric.LOAN_TO_VALUE],
)
def test_metrics_no_statement_carries(metric):
    err = refusal(statement().metric, metric)
    assert err.field == metric.value
    assert err.value is None
    assert str(err) == (
        f"`{metric.value}` must be a metric a financial statement carries "
        "(net_debt_to_ebitda, interest_cover, debt_to_equity, current_ratio, dscr); "
        f"{metric.value} needs cash-flow forecasts or collateral values; got None."
    )


@pytest.mark.parametrize(
    ("metric", "amounts", "wanted"),
    [
        (CovenantMetric.NET_DEBT_TO_EBITDA, {}, "net_debt, ebitda"),
        (CovenantMetric.NET_DEBT_TO_EBITDA, {"total_debt": "1"}, "net_debt, ebitda"),
        (CovenantMetric.NET_DEBT_TO_EBITDA, {"net_debt": "1"}, "ebitda"),
        (
            CovenantMetric.NET_DEBT_TO_EBITDA,
            {"net_debt": "1", "ebitda": "0"},
            "a non-zero ebitda",
        ),
        (CovenantMetric.INTEREST_COVER, {"ebitda": "1"}, "interest_expense"),
        (
            CovenantMetric.INTEREST_COVER,
            {"ebitda": "1", "interest_expense": "0"},
            "a non-zero interest_expense",
        ),
        (CovenantMetric.DEBT_TO_EQUITY, {"equity": "1"}, "total_debt"),
        (
            CovenantMetric.DEBT_TO_EQUITY,
            {"total_debt": "1", "equity": "0"},
            "a non-zero equity",
        ),
        (CovenantMetric.CURRENT_RATIO, {}, "current_assets, current_liabilities"),
        (
            CovenantMetric.CURRENT_RATIO,
            {"current_assets": "1", "current_liabilities": "0"},
            "a non-zero current_liabilities",
        ),
        (CovenantMetric.DSCR, {"capex": "1"}, "operating_cash_flow, debt_service"),
        (
            CovenantMetric.DSCR,
            {"operating_cash_flow": "2", "capex": "1", "debt_service": "0"},
            "a non-zero debt_service",
        ),
    ],
)
def test_a_metric_names_what_is_missing(metric, amounts, wanted):
    err = refusal(statement(**amounts).metric, metric)
    assert err.field == metric.value
    assert err.value is None
    assert str(err) == (
        f"`{metric.value}` must be computable from the statement of 2024-12-31: "
        f"needs {wanted}; got None."
    )
