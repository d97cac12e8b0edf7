# mypy: disable-error-code="arg-type"
# (the tests splat dicts of mixed arguments and pass wrong types on purpose)
"""`facility_price` and `with_minimum_margin` with every argument set (issue #23).

`facility_price` is `price_facility` on the facility's own terms: its PD and LGD
(unless given), its tenor (actual/365.25) as the life, its arrangement fee over its
limit as the upfront fee and, with a schedule, the schedule's effective maturity
(CRE32.47) as M. Each argument is passed with a non-default value and the result is
compared with `price_facility` called on those terms by hand; the refusals assert
the error's field and the words of what was expected.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Any

import attrs
import pytest

from lendcrm import (
    ClientId,
    Facility,
    FacilityId,
    FacilityKind,
    FacilityStatus,
    Money,
    Pricing,
    Seniority,
)
from lendcrm.errors import InvalidValueError
from lendcrm.risk.capital import BASEL_III, effective_maturity
from lendcrm.risk.pricing import (
    PriceBreakdown,
    facility_price,
    price_facility,
    with_minimum_margin,
)

START = dt.date(2025, 1, 1)
TENOR = (dt.date(2029, 1, 1) - START).days / 365.25  # 1461 days: exactly 4 years


def _facility(**changes: Any) -> Facility:
    base = Facility(
        id=FacilityId("F-1"),
        client_id=ClientId("C-1"),
        kind=FacilityKind.TERM_LOAN,
        currency="EUR",
        limit=Money.of("1000", "EUR"),
        drawn=Money.of("1000", "EUR"),
        start_on=START,
        maturity_on=dt.date(2029, 1, 1),
        seniority=Seniority.SENIOR_UNSECURED,
        pricing=Pricing(
            reference_rate="EURIBOR_3M",
            margin_bps=100,
            arrangement_fee=Money.of("12", "EUR"),
        ),
        status=FacilityStatus.ACTIVE,
        default_probability=0.02,
        loss_given_default=0.4,
        credit_conversion_factor=1.0,
    )
    return attrs.evolve(base, **changes)


MARKET: dict[str, Any] = {
    "funding_rate": 0.031,
    "operating_cost_rate": 0.0045,
    "hurdle_rate": 0.09,
    "risk_free_rate": 0.025,
    "capital_ratio": 0.105,
    "regime": BASEL_III,
}
OPTIONS: list[dict[str, Any]] = [
    {"asset_class": "large_financial"},
    {"sales": 10.0},
    {"default_probability": 0.05},
    {"lgd": 0.25},
    {"annual_fee": 0.002},
    {"risk_weight_override": 0.9},
    {"expected_loss_rate_override": 0.011},
    {"default_probability": 1.0, "el_best": 0.3},
    {"hurdle_basis": "post_tax", "tax_rate": 0.25},
]


@pytest.mark.parametrize("option", OPTIONS, ids=",".join)
def test_each_argument_reaches_the_price(option):
    got = facility_price(_facility(), **MARKET, **option)
    hand = {"default_probability": 0.02, "lgd": 0.4, **option}
    want = price_facility(maturity=TENOR, upfront_fee=0.012, **MARKET, **hand)
    assert got == want
    plain = price_facility(
        default_probability=0.02, lgd=0.4, maturity=TENOR, upfront_fee=0.012, **MARKET
    )
    assert got != plain  # the option changes the price: dropping it would be seen


def test_the_facilitys_own_terms_are_used():
    p = facility_price(_facility(), **MARKET)
    assert TENOR == 4.0
    assert p.fee_income == pytest.approx(0.012 / 4.0, rel=1e-15)
    assert p.expected_loss == pytest.approx(0.008, rel=1e-15)
    assert p == price_facility(
        default_probability=0.02, lgd=0.4, maturity=4.0, upfront_fee=0.012, **MARKET
    )


def test_a_schedule_gives_its_effective_maturity_from_the_start():
    flows = [(dt.date(2026, 1, 1), 50.0), (dt.date(2029, 1, 1), Decimal(1050))]
    p = facility_price(_facility(), cash_flows=flows, **MARKET)
    m = effective_maturity([365 / 365.25, 1461 / 365.25], [50.0, 1050.0])
    want = price_facility(
        default_probability=0.02,
        lgd=0.4,
        maturity=4.0,
        upfront_fee=0.012,
        capital_maturity=m,
        **MARKET,
    )
    assert p == want
    assert p.fee_income == pytest.approx(0.003)  # the fee still spreads over the tenor
    # a flow on the start date is allowed (time 0, floored at 1 year by CRE32.47)
    assert facility_price(_facility(), cash_flows=[(START, 1.0)], **MARKET) == (
        price_facility(
            default_probability=0.02,
            lgd=0.4,
            maturity=4.0,
            upfront_fee=0.012,
            capital_maturity=1.0,
            **MARKET,
        )
    )


def test_schedule_refusals_name_the_flow():
    with pytest.raises(InvalidValueError) as err:
        facility_price(_facility(), cash_flows=[], **MARKET)
    assert (err.value.field, err.value.value) == ("cash_flows", [])
    assert err.value.expected == "at least one (date, amount) pair"
    early = START - dt.timedelta(days=1)
    with pytest.raises(InvalidValueError) as err:
        facility_price(_facility(), cash_flows=[(START, 1.0), (early, 2.0)], **MARKET)
    assert (err.value.field, err.value.value) == ("cash_flows[1]", "2024-12-31")
    assert err.value.expected == "a date on or after start_on (2025-01-01)"


def test_a_zero_limit_needs_a_zero_fee():
    free = _facility(
        limit=Money.of("0", "EUR"),
        drawn=Money.of("0", "EUR"),
        pricing=Pricing(
            reference_rate="FIXED", margin_bps=0, arrangement_fee=Money.of("0", "EUR")
        ),
    )
    assert facility_price(free, **MARKET).fee_income == 0.0
    charged = attrs.evolve(
        free,
        pricing=Pricing(
            reference_rate="FIXED",
            margin_bps=0,
            arrangement_fee=Money.of("0.01", "EUR"),
        ),
    )
    with pytest.raises(InvalidValueError) as err:
        facility_price(charged, **MARKET)
    assert (err.value.field, err.value.value) == ("facility.limit", charged.limit)
    assert err.value.expected == "a positive limit to spread the arrangement fee over"


def test_facility_price_refuses_what_is_not_a_facility_or_a_regime():
    with pytest.raises(InvalidValueError) as err:
        facility_price("F-1", **MARKET)
    assert err.value.field == "facility"
    assert err.value.expected == "a Facility"
    with pytest.raises(InvalidValueError) as err:
        facility_price(_facility(), **{**MARKET, "regime": "basel_iii"})
    assert err.value.field == "regime"
    assert err.value.expected == "a CapitalRegime"
    with pytest.raises(InvalidValueError) as err:
        facility_price(_facility(default_probability=None), **MARKET)
    assert err.value.field == "facility.default_probability"


def _quote(rate: float) -> PriceBreakdown:
    p = facility_price(_facility(), **MARKET)
    return attrs.evolve(p, minimum_rate=rate)


@pytest.mark.parametrize(
    ("rate", "reference", "bps"),
    [
        (0.0450, 0.0300, 150),  # an exact basis point stays
        (0.04500001, 0.0300, 151),  # anything above rounds up
        (0.04499999, 0.0300, 150),
        (0.0250, 0.0300, -50),  # below the reference: a negative margin
        (0.02500001, 0.0300, -49),  # ceiling rounds towards +inf
        (0.0527, 0.0, 527),  # a fixed-rate facility: the whole rate
    ],
)
def test_with_minimum_margin_rounds_up_to_a_whole_basis_point(rate, reference, bps):
    f = _facility()
    out = with_minimum_margin(f, _quote(rate), reference_rate=reference)
    assert out.pricing.margin_bps == bps
    assert out.pricing.reference_rate == f.pricing.reference_rate
    assert out.pricing.arrangement_fee == f.pricing.arrangement_fee
    assert attrs.evolve(out, pricing=f.pricing) == f  # nothing else changes
    assert f.pricing.margin_bps == 100  # the original is untouched


def test_with_minimum_margin_refusals():
    f = _facility()
    q = _quote(0.05)
    with pytest.raises(InvalidValueError) as err:
        with_minimum_margin(f, q, reference_rate=math.nan)
    assert err.value.field.startswith("reference_rate")
    with pytest.raises(InvalidValueError) as err:
        with_minimum_margin(f, q, reference_rate=[])
    assert err.value.field == "reference_rate"
    assert "non-empty" in err.value.expected
    with pytest.raises(InvalidValueError) as err:
        with_minimum_margin("F-1", q, reference_rate=0.03)
    assert err.value.field == "facility"
    assert err.value.expected == "a Facility"
    with pytest.raises(InvalidValueError) as err:
        with_minimum_margin(f, 0.05, reference_rate=0.03)
    assert err.value.field == "quote"
    assert err.value.expected == "a PriceBreakdown"
