"""Exact boundaries and refusals of `Project`'s cross-field rules (issue #23)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest

from lendcrm import (
    CashFlow,
    ClientId,
    Drawdown,
    Milestone,
    Money,
    Project,
    ProjectId,
    ProjectPhase,
    Sector,
    Sponsor,
)
from lendcrm.errors import InvalidValueError

D = dt.date(2026, 1, 31)


def eur(amount: str) -> Money:
    return Money.of(amount, "EUR")


def sponsor(sid: str, share: float) -> Sponsor:
    return Sponsor(sponsor_id=ClientId(sid), equity_share=share)


def project(**changes: Any) -> Project:
    base: dict[str, Any] = {
        "id": ProjectId("P-1"),
        "name": "Wind",
        "sponsors": (sponsor("S-1", 0.7), sponsor("S-2", 0.3)),
        "sector": Sector.ELECTRICITY_GAS_STEAM,
        "country": "PL",
        "total_cost": eur("400"),
        "debt": eur("300"),
        "equity": eur("100"),
        "phase": ProjectPhase.CONSTRUCTION,
    }
    return Project(**{**base, **changes})


def refused(**changes: Any) -> InvalidValueError:
    with pytest.raises(InvalidValueError) as info:
        project(**changes)
    return info.value


def test_derived_figures() -> None:
    p = project()
    assert p.currency == "EUR"
    assert p.gearing == 0.75
    assert type(p.gearing) is float
    assert p.drawn_to_date == eur("0")
    assert p.percent_complete == 0.0
    assert p.equator_category is None
    drawn = project(
        drawdowns=(Drawdown(on=D, amount=eur("100")), Drawdown(on=D, amount=eur("50")))
    )
    assert drawn.drawn_to_date == eur("150")
    milestones = (
        Milestone(name="a", planned_on=D, percent_complete=100.0),
        Milestone(name="b", planned_on=D, percent_complete=50.0),
    )
    assert project(milestones=milestones).percent_complete == 75.0


def test_total_cost_and_sources_equal_uses() -> None:
    err = refused(total_cost=eur("0"), debt=eur("0"), equity=eur("0"))
    assert (err.field, err.value) == ("total_cost", eur("0"))
    assert err.expected == "a Money amount > 0"
    project(total_cost=eur("0.01"), debt=eur("0"), equity=eur("0.01"))
    err = refused(equity=eur("100.01"))
    assert (err.field, err.value) == ("equity", eur("100.01"))
    assert err.expected == (
        "`total_cost` - `debt` = 100 EUR (debt + equity must equal total cost)"
    )
    assert refused(equity=eur("99.99")).field == "equity"


def test_currency_of_every_amount() -> None:
    usd = Money.of("100", "USD")
    err = refused(equity=usd)
    assert (err.field, err.value) == ("equity", usd)
    assert err.expected == "an amount in EUR, the currency of this project"
    assert refused(debt=Money.of("300", "USD")).field == "debt"
    err = refused(
        drawdowns=(Drawdown(on=D, amount=eur("1")), Drawdown(on=D, amount=usd))
    )
    assert err.field == "drawdowns[1].amount"
    err = refused(cash_flows=(CashFlow(period_end=D, cfads=usd),))
    assert err.field == "cash_flows[0].cfads"


def test_sponsors_rules_exact() -> None:
    err = refused(sponsors=())
    assert (err.field, err.value, err.expected) == (
        "sponsors",
        (),
        "at least one sponsor",
    )
    err = refused(
        sponsors=(sponsor("S-1", 0.5), sponsor("S-2", 0.25), sponsor("S-1", 0.25))
    )
    assert (err.field, err.value) == ("sponsors[2].sponsor_id", "S-1")
    assert err.expected == "a sponsor not already listed (one share per sponsor)"
    project(sponsors=(sponsor("S-1", 0.7), sponsor("S-2", 0.3 + 0.9e-9)))
    project(sponsors=(sponsor("S-1", 0.7), sponsor("S-2", 0.3 - 0.9e-9)))
    for share in (0.3 + 1.1e-9, 0.3 - 1.1e-9):
        err = refused(sponsors=(sponsor("S-1", 0.7), sponsor("S-2", share)))
        assert err.field == "sponsors"
        assert err.value == round(0.7 + share, 12)
        assert err.expected == "equity shares whose sum is 1 (within 1e-9)"
    err = refused(sponsors=(sponsor("S-1", 0.7), sponsor("S-2", 0.3 + 1.23456789e-9)))
    assert err.value == 1.000000001235  # shown to 12 decimals


def test_milestone_names_unique() -> None:
    a, b = Milestone(name="a", planned_on=D), Milestone(name="b", planned_on=D)
    project(milestones=(a, b))
    err = refused(milestones=(a, b, attrs.evolve(a, percent_complete=5.0)))
    assert (err.field, err.value) == ("milestones[2].name", "a")
    assert err.expected == "a name not used by another milestone of the project"


def test_drawdowns_order_and_total_exact() -> None:
    later = D + dt.timedelta(days=1)
    project(
        drawdowns=(Drawdown(on=D, amount=eur("1")), Drawdown(on=D, amount=eur("1")))
    )
    err = refused(
        drawdowns=(
            Drawdown(on=D, amount=eur("1")),
            Drawdown(on=later, amount=eur("1")),
            Drawdown(on=D, amount=eur("1")),
        )
    )
    assert (err.field, err.value) == ("drawdowns[2].on", D)
    assert err.expected == "a date on or after the previous drawdown (2026-02-01)"
    project(drawdowns=(Drawdown(on=D, amount=eur("300")),))  # exactly the debt
    err = refused(
        drawdowns=(
            Drawdown(on=D, amount=eur("300")),
            Drawdown(on=D, amount=eur("0.01")),
        )
    )
    assert (err.field, err.value) == ("drawdowns", eur("300.01"))
    assert err.expected == "amounts whose sum is at most the debt 300 EUR"


def test_cash_flow_periods_strictly_increasing() -> None:
    later = D + dt.timedelta(days=1)
    project(
        cash_flows=(
            CashFlow(period_end=D, cfads=eur("1")),
            CashFlow(period_end=later, cfads=eur("1")),
        )
    )
    for second in (D, D - dt.timedelta(days=1)):
        err = refused(
            cash_flows=(
                CashFlow(period_end=D - dt.timedelta(days=9), cfads=eur("1")),
                CashFlow(period_end=D, cfads=eur("1")),
                CashFlow(period_end=second, cfads=eur("1")),
            )
        )
        assert (err.field, err.value) == ("cash_flows[2].period_end", second)
        assert err.expected == "a date after the previous period end (2026-01-31)"
