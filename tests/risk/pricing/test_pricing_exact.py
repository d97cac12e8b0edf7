# mypy: disable-error-code="arg-type,operator"
# (the tests splat dicts of mixed arguments and pass wrong types on purpose)
"""The pricing wrappers with every argument set, each field checked (issue #23).

`minimum_rate`, `price_book` and `price_facility` are shells around one set of price
terms: each is called here with non-default values of every argument that changes
the price (an asset class, SME sales, fees, both overrides, EL_best, a post-tax
hurdle, a capital maturity apart from the life), and each field is compared with the
build-up of docs/explanation/pricing-raroc.md computed by hand from the IRB risk
weight of `lendcrm.risk.capital.risk_weight`:

    r_min = f + EL + c + RW x capital_ratio x (h - r_f) - (u / T + a)

A wrapper that dropped or swapped an argument gives another number. The refusals
assert the error's field and the words of what was expected.
"""

from __future__ import annotations

import math
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal
from typing import Any

import numpy as np
import pytest

from lendcrm.errors import InvalidValueError
from lendcrm.risk.capital import BASEL_II, BASEL_III, AssetClass, risk_weight
from lendcrm.risk.pricing import (
    BookPricing,
    PriceBreakdown,
    minimum_rate,
    price_book,
    price_facility,
    rate_to_decimal,
)

COMMON: dict[str, Any] = {
    "funding_rate": 0.031,
    "operating_cost_rate": 0.0045,
    "hurdle_rate": 0.09,  # after tax: 0.09 / (1 - 0.25) = 0.12 before tax
    "hurdle_basis": "post_tax",
    "tax_rate": 0.25,
    "risk_free_rate": 0.025,
    "capital_ratio": 0.105,
    "upfront_fee": 0.012,
    "annual_fee": 0.0015,
    "maturity": 4.0,  # the life amortising the upfront fee
    "capital_maturity": 2.0,  # the IRB's own M
}
H_PRE = 0.12


def _hand(rw: float, el: float, life: float = 4.0) -> dict[str, float]:
    capital = rw * 0.105
    charge = capital * (H_PRE - 0.025)
    fees = 0.012 / life + 0.0015
    return {
        "funding_cost": 0.031,
        "expected_loss": el,
        "operating_cost": 0.0045,
        "capital": capital,
        "capital_charge": charge,
        "fee_income": fees,
        "risk_weight": rw,
        "minimum_rate": 0.031 + el + 0.0045 + charge - fees,
        "hurdle_rate": H_PRE,
        "risk_free_rate": 0.025,
    }


# (label, the arguments that differ from COMMON, the hand-built terms)
CASES: list[tuple[str, dict[str, Any], dict[str, float]]] = [
    (
        "large financial",
        {"default_probability": 0.02, "lgd": 0.4, "asset_class": "large_financial"},
        _hand(
            float(
                risk_weight(
                    0.02,
                    0.4,
                    regime=BASEL_III,
                    asset_class="large_financial",
                    maturity=2.0,
                )[0]
            ),
            0.02 * 0.4,
        ),
    ),
    (
        "SME",
        {
            "default_probability": 0.02,
            "lgd": 0.4,
            "asset_class": AssetClass.CORPORATE,
            "sales": 10.0,
        },
        _hand(
            float(
                risk_weight(0.02, 0.4, regime=BASEL_III, maturity=2.0, sales=10.0)[0]
            ),
            0.02 * 0.4,
        ),
    ),
    (
        "slotted",
        {
            "default_probability": 0.02,
            "lgd": 0.4,
            "risk_weight_override": 0.9,
            "expected_loss_rate_override": 0.011,  # not PD x LGD = 0.008
        },
        _hand(0.9, 0.011),
    ),
    (
        "defaulted",
        {"default_probability": 1.0, "lgd": 0.45, "el_best": 0.35},
        # CRE31.3: K = max(0, LGD - EL_best), RW = 12.5 K; EL = EL_best (CRE35.3)
        _hand(12.5 * (0.45 - 0.35), 0.35),
    ),
]


def test_the_irb_weights_of_the_cases_differ_from_the_defaults():
    # so that a wrapper dropping asset_class, sales or capital_maturity is seen
    plain = float(risk_weight(0.02, 0.4, regime=BASEL_III, maturity=2.0)[0])
    assert CASES[0][2]["risk_weight"] > plain * 1.1
    assert CASES[1][2]["risk_weight"] < plain * 0.9
    longer = float(risk_weight(0.02, 0.4, regime=BASEL_III, maturity=4.0)[0])
    assert longer > plain * 1.1


@pytest.mark.parametrize(
    ("args", "hand"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_price_facility_every_field(args, hand):
    p = price_facility(regime=BASEL_III, **COMMON, **args)
    assert isinstance(p, PriceBreakdown)
    for name, value in hand.items():
        assert getattr(p, name) == pytest.approx(value, rel=1e-12, abs=1e-15), name
    # at its minimum rate the facility earns the pre-tax hurdle exactly
    assert p.raroc_at(p.minimum_rate) == pytest.approx(H_PRE, rel=1e-10)
    assert p.raroc_at(p.minimum_rate + 0.001) == pytest.approx(
        H_PRE + 0.001 / p.capital, rel=1e-10
    )


@pytest.mark.parametrize(
    ("args", "hand"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_minimum_rate_is_the_breakdowns_rate(args, hand):
    rate = minimum_rate(regime=BASEL_III, **COMMON, **args)
    assert rate.shape == (1,)
    assert rate[0] == pytest.approx(hand["minimum_rate"], rel=1e-12)


@pytest.mark.parametrize(
    ("args", "hand"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_price_book_every_field(args, hand):
    b = price_book(
        drawn=[800.0, 300.0],
        undrawn=[200.0, 0.0],
        ccf=[0.75, 0.2],
        regime=BASEL_III,
        **COMMON,
        **args,
    )
    assert isinstance(b, BookPricing)
    ead = np.array([800.0 + 0.75 * 200.0, 300.0])
    np.testing.assert_array_equal(b.ead, ead)
    np.testing.assert_allclose(b.expected_loss, hand["expected_loss"] * ead, rtol=1e-12)
    np.testing.assert_allclose(b.risk_weight, [hand["risk_weight"]] * 2, rtol=1e-12)
    np.testing.assert_allclose(
        b.risk_weighted_assets, hand["risk_weight"] * ead, rtol=1e-12
    )
    np.testing.assert_allclose(b.capital, hand["capital"] * ead, rtol=1e-12)
    np.testing.assert_allclose(b.minimum_rate, [hand["minimum_rate"]] * 2, rtol=1e-12)


def test_the_wrappers_refuse_a_regime_that_is_not_one():
    for call, extra in [
        (minimum_rate, {}),
        (price_facility, {}),
        (price_book, {"drawn": 1.0, "undrawn": 0.0, "ccf": 0.5}),
    ]:
        with pytest.raises(InvalidValueError) as err:
            call(regime="basel_iii", **COMMON, **CASES[0][1], **extra)
        assert err.value.field == "regime"
        assert err.value.expected == "a CapitalRegime"


def test_the_wrappers_defaults_are_corporate_no_fees_pre_tax_irb():
    args = {
        "default_probability": 0.02,
        "lgd": 0.4,
        "maturity": 2.5,
        "funding_rate": 0.03,
        "operating_cost_rate": 0.004,
        "hurdle_rate": 0.12,
        "risk_free_rate": 0.03,
        "capital_ratio": 0.1,
        "regime": BASEL_II,
    }
    rw = float(risk_weight(0.02, 0.4, regime=BASEL_II, maturity=2.5)[0])
    expected = 0.03 + 0.008 + 0.004 + rw * 0.1 * 0.09
    p = price_facility(**args)
    assert (p.fee_income, p.hurdle_rate, p.risk_weight) == (0.0, 0.12, rw)
    assert p.minimum_rate == pytest.approx(expected, rel=1e-12)
    assert minimum_rate(**args)[0] == pytest.approx(expected, rel=1e-12)
    b = price_book(drawn=1.0, undrawn=0.0, ccf=0.0, **args)
    assert b.minimum_rate[0] == pytest.approx(expected, rel=1e-12)


def test_price_book_exposure_inputs_bounds_and_names():
    args = {**COMMON, **CASES[0][1], "regime": BASEL_III}
    b = price_book(drawn=0.0, undrawn=0.0, ccf=1.0, **args)
    assert b.ead.tolist() == [0.0]
    for name, bad, words in [
        ("drawn", -1e-300, ">= 0"),
        ("undrawn", -1e-300, ">= 0"),
        ("ccf", -1e-300, "[0, 1]"),
        ("ccf", 1.0000001, "[0, 1]"),
    ]:
        amounts = {"drawn": 1.0, "undrawn": 1.0, "ccf": 0.5, name: bad}
        with pytest.raises(InvalidValueError) as err:
            price_book(**amounts, **args)
        assert err.value.field == f"{name}[0]"
        assert words in err.value.expected


def test_minimum_rate_decimal_passes_places_and_rounding():
    p = price_facility(regime=BASEL_III, **COMMON, **CASES[2][1])
    rate = Decimal(str(p.minimum_rate))
    assert p.minimum_rate_decimal() == rate.quantize(Decimal("1e-6"), ROUND_CEILING)
    assert p.minimum_rate_decimal(places=3, rounding=ROUND_FLOOR) == rate.quantize(
        Decimal("1e-3"), ROUND_FLOOR
    )


def test_rate_to_decimal_bounds_fields_and_messages():
    assert rate_to_decimal(0.0527314) == Decimal("0.052732")  # ceiling, 6 places
    assert rate_to_decimal(-0.0527314) == Decimal("-0.052731")
    assert rate_to_decimal(0.0527315, places=6, rounding=ROUND_HALF_EVEN) == Decimal(
        "0.052732"
    )
    assert rate_to_decimal(0.4, places=0) == Decimal(1)
    assert rate_to_decimal(1e9, places=0) == Decimal(1000000000)
    assert rate_to_decimal(-1e9) == Decimal("-1000000000.000000")
    assert rate_to_decimal(0.1, places=18) == Decimal("0.100000000000000000")
    for bad in (math.nextafter(1e9, math.inf), -math.nextafter(1e9, math.inf)):
        with pytest.raises(InvalidValueError) as err:
            rate_to_decimal(bad)
        assert (err.value.field, err.value.value) == ("rate", bad)
        assert err.value.expected == "a rate of at most 1e9 in magnitude"
    with pytest.raises(InvalidValueError) as err:
        rate_to_decimal(float("nan"))
    assert err.value.field.startswith("rate")
    with pytest.raises(InvalidValueError) as err:
        rate_to_decimal([])
    assert err.value.field == "rate"
    assert "non-empty" in err.value.expected
    for places in (-1, 19):
        with pytest.raises(InvalidValueError) as err:
            rate_to_decimal(0.1, places=places)
        assert err.value.field == "places"
    for rounding in ("ROUND_SIDEWAYS", ["ROUND_CEILING"]):
        with pytest.raises(InvalidValueError) as err:
            rate_to_decimal(0.1, rounding=rounding)
        assert (err.value.field, err.value.value) == ("rounding", rounding)
        assert (
            err.value.expected == "a decimal rounding mode, e.g. decimal.ROUND_CEILING"
        )
