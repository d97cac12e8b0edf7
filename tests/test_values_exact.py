"""Exact boundaries, refusals and derived figures of the core value objects (issue #23).

Each comparison in a value object's checks is tried at its boundary; each refusal is
checked by its field and the words of its message; every derived property is pinned.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

import lendcrm._values as values_module
from lendcrm import (
    CashFlow,
    ClientId,
    Collateral,
    CollateralKind,
    Covenant,
    CovenantMetric,
    CovenantOperator,
    Feedback,
    FeedbackChannel,
    Guarantee,
    Milestone,
    Money,
    Pricing,
    Referral,
    RelationshipMeasures,
    Sponsor,
)
from lendcrm.errors import InvalidValueError

D = dt.date(2025, 6, 30)


def eur(amount: str) -> Money:
    return Money.of(amount, "EUR")


def test_opt_float_fraction_bounds_and_none() -> None:
    check = values_module._opt_float_fraction()
    guarantee = Guarantee(covered=eur("1"), guarantor_name="G")
    field = next(a for a in type(guarantee).__attrs_attrs__ if a.name == "covered")
    for ok in (None, 0.0, 1.0):
        check(None, field, ok)
    for bad in (-0.01, 1.01, 2.0):
        with pytest.raises(InvalidValueError) as info:
            check(None, field, bad)
        assert info.value.expected == "a finite number in [0, 1]"


def test_collateral_rank_and_haircut() -> None:
    base: dict[str, Any] = {"kind": CollateralKind.REAL_ESTATE, "value": eur("100")}
    assert Collateral(**base, claim_rank=1).claim_rank == 1
    ranks: tuple[Any, ...] = (0, -1, True, 1.0)
    for bad in ranks:
        with pytest.raises(InvalidValueError) as info:
            Collateral(**base, claim_rank=bad)
        assert info.value.field == "claim_rank"
        assert info.value.expected == "an integer >= 1 (1 = first claim)"
    assert Collateral(**base).haircut == 0.0
    assert Collateral(**base).value_after_haircut == eur("100")
    assert Collateral(**base, haircut=1.0).value_after_haircut.amount == 0
    assert Collateral(**base, haircut=0.25).value_after_haircut == eur("75.00")
    with pytest.raises(InvalidValueError) as info:
        Collateral(**base, haircut=1.01)
    assert info.value.field == "haircut"


def test_guarantee_needs_a_guarantor() -> None:
    with pytest.raises(InvalidValueError) as info:
        Guarantee(covered=eur("1"))
    err = info.value
    assert (err.field, err.value) == ("guarantor_id", None)
    assert err.expected == "a client id or a guarantor_name (at least one)"
    assert (
        Guarantee(covered=eur("1"), guarantor_id=ClientId("G")).guarantor_name is None
    )
    assert Guarantee(covered=eur("1"), guarantor_name="G").guarantor_id is None
    for pd in (0.0, 1.0):
        g = Guarantee(
            covered=eur("1"), guarantor_name="G", guarantor_default_probability=pd
        )
        assert g.guarantor_default_probability == pd
    with pytest.raises(InvalidValueError) as info:
        Guarantee(
            covered=eur("1"), guarantor_name="G", guarantor_default_probability=1.5
        )
    assert info.value.field == "guarantor_default_probability"


def _covenant(
    op: CovenantOperator, lock: float | None, default: float | None
) -> Covenant:
    return Covenant(
        metric=CovenantMetric.DSCR,
        operator=op,
        threshold=1.2,
        lock_up_level=lock,
        default_level=default,
    )


def test_covenant_level_order_exact() -> None:
    floor, cap = CovenantOperator.AT_LEAST, CovenantOperator.AT_MOST
    _covenant(floor, 1.2, 1.2)  # equal levels are in order
    _covenant(cap, 1.2, 1.2)
    _covenant(floor, None, 1.0)
    with pytest.raises(InvalidValueError) as info:
        _covenant(floor, 1.21, None)
    err = info.value
    assert (err.field, err.value) == ("lock_up_level", 1.21)
    assert err.expected == "<= `threshold` (1.2) for an at_least covenant"
    with pytest.raises(InvalidValueError) as info:
        _covenant(floor, 1.1, 1.15)
    assert info.value.field == "default_level"
    assert info.value.expected == "<= `lock_up_level` (1.1) for an at_least covenant"
    with pytest.raises(InvalidValueError) as info:
        _covenant(floor, None, 1.3)  # no lock-up: compared with the threshold
    assert info.value.expected == "<= `threshold` (1.2) for an at_least covenant"
    with pytest.raises(InvalidValueError) as info:
        _covenant(cap, 1.19, None)
    assert info.value.expected == ">= `threshold` (1.2) for an at_most covenant"
    with pytest.raises(InvalidValueError) as info:
        _covenant(cap, 1.3, 1.25)
    assert info.value.field == "default_level"
    assert info.value.expected == ">= `lock_up_level` (1.3) for an at_most covenant"
    assert _covenant(floor, None, None).test_frequency.value == "quarterly"


def test_covenant_tests_at_their_levels() -> None:
    floor = _covenant(CovenantOperator.AT_LEAST, 1.1, 1.0)
    assert floor.is_met(1.2)
    assert not floor.is_met(1.19)
    assert not floor.is_locked_up(1.1)
    assert floor.is_locked_up(1.09)
    assert not floor.is_in_default(1.0)
    assert floor.is_in_default(0.99)
    bare = _covenant(CovenantOperator.AT_LEAST, None, None)
    assert not bare.is_locked_up(-5.0)
    assert not bare.is_in_default(-5.0)
    cap = _covenant(CovenantOperator.AT_MOST, 1.3, 1.4)
    assert cap.is_met(1.2)
    assert not cap.is_met(1.21)
    assert cap.is_locked_up(1.31)
    assert not cap.is_locked_up(1.3)
    assert cap.is_in_default(1.41)
    assert not cap.is_in_default(1.4)


def test_milestone() -> None:
    m = Milestone(name="m", planned_on=D)
    assert m.percent_complete == 0.0
    assert not m.is_complete
    assert m.days_late(D) == 0
    assert m.days_late(D - dt.timedelta(days=3)) == 0
    assert m.days_late(D + dt.timedelta(days=1)) == 1
    done = Milestone(
        name="m", planned_on=D, actual_on=D + dt.timedelta(days=5), percent_complete=100
    )
    assert done.is_complete
    assert done.days_late(D + dt.timedelta(days=50)) == 5
    early = Milestone(
        name="m", planned_on=D, actual_on=D - dt.timedelta(days=5), percent_complete=100
    )
    assert early.days_late(D + dt.timedelta(days=50)) == 0
    assert not Milestone(name="m", planned_on=D, percent_complete=99.99).is_complete
    with pytest.raises(InvalidValueError) as info:
        Milestone(name="m", planned_on=D, actual_on=D, percent_complete=99.9)
    err = info.value
    assert (err.field, err.value) == ("percent_complete", 99.9)
    assert err.expected == "100 when `actual_on` is set (a completed milestone)"
    with pytest.raises(InvalidValueError) as info:
        Milestone(name="m", planned_on=D, percent_complete=100.01)
    assert info.value.field == "percent_complete"


def test_cash_flow_dscr() -> None:
    assert CashFlow(period_end=D, cfads=eur("130")).dscr is None
    zero = CashFlow(period_end=D, cfads=eur("130"), debt_service=eur("0"))
    assert zero.dscr is None
    cf = CashFlow(period_end=D, cfads=eur("-50"), debt_service=eur("100"))
    assert cf.dscr == -0.5
    assert type(cf.dscr) is float
    with pytest.raises(InvalidValueError) as info:
        CashFlow(period_end=D, cfads=eur("1"), debt_service=Money.of("1", "USD"))
    err = info.value
    assert err.field == "debt_service"
    assert err.expected == "an amount in EUR, the currency of this cash flow"


def test_sponsor_share_exact() -> None:
    assert Sponsor(sponsor_id=ClientId("S"), equity_share=1.0).equity_share == 1.0
    assert Sponsor(sponsor_id=ClientId("S"), equity_share=1e-9).equity_share == 1e-9
    for bad in (0.0, 1.0000001):
        with pytest.raises(InvalidValueError) as info:
            Sponsor(sponsor_id=ClientId("S"), equity_share=bad)
        assert info.value.expected == "a finite number in (0, 1]"


def test_feedback_score_bands_exact() -> None:
    def fb(score: int) -> Feedback:
        return Feedback(on=D, channel=FeedbackChannel.SURVEY, score=score)

    assert [fb(s).is_promoter for s in (8, 9, 10)] == [False, True, True]
    assert [fb(s).is_detractor for s in (0, 6, 7)] == [True, True, False]
    assert fb(0).score == 0
    assert fb(10).text == ""
    with pytest.raises(InvalidValueError) as info:
        fb(11)
    err = info.value
    assert (err.field, err.value) == ("score", 11)
    assert err.expected == "an integer in [0, 10]"


def test_referral() -> None:
    with pytest.raises(InvalidValueError) as info:
        Referral(referrer=ClientId("A"), referee=ClientId("A"), on=D)
    err = info.value
    assert (err.field, err.value) == ("referee", "A")
    assert err.expected == "a different client than the referrer"
    r = Referral(referrer=ClientId("A"), referee=ClientId("B"), on=D)
    assert not r.converted
    zero = Referral(
        referrer=ClientId("A"), referee=ClientId("B"), on=D, converted_amount=eur("0")
    )
    assert not zero.converted
    won = Referral(
        referrer=ClientId("A"),
        referee=ClientId("B"),
        on=D,
        converted_amount=eur("0.01"),
    )
    assert won.converted


def test_relationship_measures() -> None:
    base: dict[str, Any] = {
        "period_end": D,
        "revenue_to_bank": eur("200"),
        "profit_to_bank": eur("50"),
    }
    m = RelationshipMeasures(**base)
    assert (m.product_count, m.transaction_count, m.referral_count) == (0, 0, 0)
    assert m.last_transaction_on is None
    assert m.profit_margin == 0.25
    assert type(m.profit_margin) is float
    zero = RelationshipMeasures(
        period_end=D, revenue_to_bank=eur("0"), profit_to_bank=eur("-1")
    )
    assert zero.profit_margin is None
    assert RelationshipMeasures(**base, last_transaction_on=D).last_transaction_on == D
    with pytest.raises(InvalidValueError) as info:
        RelationshipMeasures(**base, last_transaction_on=D + dt.timedelta(days=1))
    err = info.value
    assert (err.field, err.value) == ("last_transaction_on", dt.date(2025, 7, 1))
    assert err.expected == "a date on or before `period_end` (2025-06-30)"
    with pytest.raises(InvalidValueError) as info:
        RelationshipMeasures(
            period_end=D, revenue_to_bank=eur("1"), profit_to_bank=Money.of("1", "USD")
        )
    assert info.value.field == "profit_to_bank"
    assert info.value.expected == "an amount in EUR, the currency of this measurement"


def test_pricing() -> None:
    p = Pricing(reference_rate="FIXED", margin_bps=-25, arrangement_fee=eur("0"))
    assert p.commitment_fee_bps == 0
    assert p.margin == -0.0025
    assert p.commitment_fee == 0.0
    q = Pricing(
        reference_rate="SOFR",
        margin_bps=1,
        arrangement_fee=eur("0"),
        commitment_fee_bps=75,
    )
    assert q.margin == 0.0001
    assert q.commitment_fee == 0.0075
    bads: tuple[Any, ...] = (1.0, True, "1")
    for bad in bads:
        with pytest.raises(InvalidValueError) as info:
            Pricing(reference_rate="SOFR", margin_bps=bad, arrangement_fee=eur("0"))
        err = info.value
        assert (err.field, err.expected) == ("margin_bps", "an int")
    assert Decimal(str(q.margin)) == Decimal("0.0001")


def test_collateral_valuations_dated_in_order_and_currency() -> None:
    from lendcrm import CollateralValuation

    def valuation(on: dt.date, amount: Money) -> CollateralValuation:
        return CollateralValuation(valued_on=on, value=amount)

    late, early = dt.date(2025, 2, 1), dt.date(2025, 1, 1)
    with pytest.raises(InvalidValueError) as info:
        Collateral(
            kind=CollateralKind.CASH,
            value=eur("1"),
            valuations=(valuation(late, eur("1")), valuation(early, eur("1"))),
        )
    err = info.value
    assert (err.field, err.value) == ("valuations[1].valued_on", early)
    assert err.expected == (
        "after 2025-02-01 (one record per date, oldest first) for the collateral"
    )
    usd = Money.of("1", "USD")
    with pytest.raises(InvalidValueError) as info:
        Collateral(
            kind=CollateralKind.CASH,
            value=eur("1"),
            valuations=(valuation(early, eur("1")), valuation(late, usd)),
        )
    err = info.value
    assert (err.field, err.value) == ("valuations[1].value", usd)
    assert err.expected == "an amount in EUR, the currency of this collateral"
