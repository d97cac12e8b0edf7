# mypy: disable-error-code="arg-type"
# (the tests splat dicts of mixed arguments and pass wrong types on purpose)
"""Exact boundaries, refusals and wrappers of RAROC, EVA and the hurdle (issue #23).

Each refusal asserts the error's ``field`` and the words of what was expected; each
bound of a validator is tried at the bound itself and just past it. The hand values
are those of docs/explanation/pricing-raroc.md (revenue 60, funding 30, EL 4.5, opex
4, capital 130, risk-free 3 %: RAROC = (60 - 30 - 4.5 - 4 + 3.9) / 130).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from lendcrm.errors import InvalidValueError
from lendcrm.risk.pricing import HurdleBasis, eva, pre_tax_hurdle, raroc
from lendcrm.risk.pricing._raroc import check_hurdle

HAND: dict[str, Any] = {
    "revenue": 60.0,
    "funding_cost": 30.0,
    "expected_loss": 4.5,
    "operating_cost": 4.0,
    "capital": 130.0,
    "risk_free_rate": 0.03,
}


def test_raroc_and_eva_each_term_with_its_sign():
    # every input moves the result by its own exact amount (a sign swap or a dropped
    # term changes one of these)
    base = float(raroc(**HAND)[0])
    assert base == pytest.approx(25.4 / 130, rel=1e-14)
    for name, delta, effect in [
        ("revenue", 13.0, +0.1),
        ("funding_cost", 13.0, -0.1),
        ("expected_loss", 13.0, -0.1),
        ("operating_cost", 13.0, -0.1),
        ("risk_free_rate", 0.01, +0.01),
    ]:
        moved = float(raroc(**{**HAND, name: HAND[name] + delta})[0])
        assert moved - base == pytest.approx(effect, rel=1e-9), name
    assert float(raroc(**{**HAND, "capital": 260.0})[0]) == pytest.approx(
        (60 - 30 - 4.5 - 4 + 0.03 * 260) / 260, rel=1e-14
    )
    value = float(eva(hurdle_rate=0.12, **HAND)[0])
    assert value == pytest.approx(60 - 30 - 4.5 - 4 - (0.12 - 0.03) * 130, rel=1e-14)
    for name, delta, effect in [
        ("revenue", 1.0, +1.0),
        ("funding_cost", 1.0, -1.0),
        ("expected_loss", 1.0, -1.0),
        ("operating_cost", 1.0, -1.0),
        ("capital", 10.0, -0.9),
        ("risk_free_rate", 0.01, +1.3),
    ]:
        moved = float(eva(hurdle_rate=0.12, **{**HAND, name: HAND[name] + delta})[0])
        assert moved - value == pytest.approx(effect, rel=1e-9), name


def test_raroc_capital_bound_is_open_at_zero_eva_closed():
    with pytest.raises(InvalidValueError) as err:
        raroc(**{**HAND, "capital": 0.0})
    assert err.value.field == "capital[0]"
    assert "> 0" in err.value.expected
    assert float(raroc(**{**HAND, "capital": 1e-300})[0]) > 0
    # EVA accepts zero capital: nothing is charged
    assert eva(hurdle_rate=0.12, **{**HAND, "capital": 0.0}).tolist() == [21.5]
    with pytest.raises(InvalidValueError) as err:
        eva(hurdle_rate=0.12, **{**HAND, "capital": -1e-300})
    assert err.value.field == "capital[0]"
    assert ">= 0" in err.value.expected


@pytest.mark.parametrize("function", ["raroc", "eva"])
@pytest.mark.parametrize("name", ["expected_loss", "operating_cost"])
def test_expected_loss_and_operating_cost_may_be_zero_not_negative(function, name):
    call = raroc if function == "raroc" else eva
    extra = {} if function == "raroc" else {"hurdle_rate": 0.12}
    assert math.isfinite(float(call(**{**HAND, name: 0.0}, **extra)[0]))
    with pytest.raises(InvalidValueError) as err:
        call(**{**HAND, name: -1e-300}, **extra)
    assert err.value.field == f"{name}[0]"
    assert ">= 0" in err.value.expected


@pytest.mark.parametrize("function", ["raroc", "eva"])
def test_risk_free_rate_is_within_minus_one_and_one_inclusive(function):
    call = raroc if function == "raroc" else eva
    for rf in (-1.0, 1.0):
        extra = {} if function == "raroc" else {"hurdle_rate": max(rf, 0.12)}
        assert math.isfinite(float(call(**{**HAND, "risk_free_rate": rf}, **extra)[0]))
    for rf in (-1.0000001, 1.0000001):
        extra = {} if function == "raroc" else {"hurdle_rate": 2.0}
        with pytest.raises(InvalidValueError) as err:
            call(**{**HAND, "risk_free_rate": rf}, **extra)
        assert err.value.field == "risk_free_rate[0]"
        assert "[-1, 1]" in err.value.expected


@pytest.mark.parametrize("function", ["raroc", "eva"])
@pytest.mark.parametrize("name", ["revenue", "funding_cost"])
def test_revenue_and_funding_are_named_when_not_finite(function, name):
    call = raroc if function == "raroc" else eva
    extra = {} if function == "raroc" else {"hurdle_rate": 0.12}
    # negative amounts are allowed (a rebate, a funding credit)
    assert math.isfinite(float(call(**{**HAND, name: -5.0}, **extra)[0]))
    with pytest.raises(InvalidValueError) as err:
        call(**{**HAND, name: float("nan")}, **extra)
    assert err.value.field == f"{name}[0]"


def test_arrays_of_different_lengths_are_refused_naming_them():
    for call, extra in ((raroc, {}), (eva, {"hurdle_rate": 0.12})):
        with pytest.raises(InvalidValueError) as err:
            call(
                **{**HAND, "capital": [130.0, 140.0, 150.0], "revenue": [1.0, 2.0]},
                **extra,
            )
        assert "revenue" in str(err.value) or "capital" in str(err.value)


def test_eva_hurdle_rate_bound_and_name():
    with pytest.raises(InvalidValueError) as err:
        eva(hurdle_rate=float("inf"), **HAND)
    assert err.value.field == "hurdle_rate[0]"


def test_pre_tax_hurdle_bounds_fields_and_messages():
    assert pre_tax_hurdle(-1.0, hurdle_basis="post_tax", tax_rate=0.5).tolist() == [
        -2.0
    ]
    with pytest.raises(InvalidValueError) as err:
        pre_tax_hurdle(-1.0000001)
    assert err.value.field == "hurdle_rate[0]"
    assert ">= -1" in err.value.expected
    with pytest.raises(InvalidValueError) as err:
        pre_tax_hurdle(0.1, hurdle_basis="after_tax")
    assert (err.value.field, err.value.value) == ("hurdle_basis", "after_tax")
    assert err.value.expected == "'pre_tax' or 'post_tax'"
    assert err.value.__cause__ is None
    assert err.value.__suppress_context__
    # the tax rate: [0, 1), one value required
    assert pre_tax_hurdle(0.1, hurdle_basis="post_tax", tax_rate=0.0).tolist() == [0.1]
    below_one = math.nextafter(1.0, 0.0)
    assert pre_tax_hurdle(0.1, hurdle_basis=HurdleBasis.POST_TAX, tax_rate=below_one)[
        0
    ] == pytest.approx(0.1 / (1.0 - below_one))
    for bad in (1.0, -1e-300):
        with pytest.raises(InvalidValueError) as err:
            pre_tax_hurdle(0.1, hurdle_basis="post_tax", tax_rate=bad)
        assert err.value.field == "tax_rate[0]"
        assert "[0, 1)" in err.value.expected
    with pytest.raises(InvalidValueError) as err:
        pre_tax_hurdle(0.1, hurdle_basis="post_tax", tax_rate=[])
    assert err.value.field == "tax_rate"
    assert "non-empty" in err.value.expected
    # the tax rate of a vector is its first entry
    assert pre_tax_hurdle(
        [0.09, 0.18], hurdle_basis="post_tax", tax_rate=[0.25]
    ).tolist() == pytest.approx([0.12, 0.24])


def test_a_tax_rate_with_a_pre_tax_hurdle_is_refused_with_a_hint():
    with pytest.raises(InvalidValueError) as err:
        pre_tax_hurdle(0.1, tax_rate=5e-324)
    assert (err.value.field, err.value.value) == ("tax_rate", 5e-324)
    assert err.value.expected == "0 with a pre-tax hurdle"
    assert "hurdle_basis='post_tax'" in err.value.hint
    with pytest.raises(InvalidValueError) as err:
        pre_tax_hurdle(0.1, hurdle_basis="pre_tax", tax_rate=0.2)
    assert err.value.field == "tax_rate"


def test_check_hurdle_equal_passes_below_names_the_row():
    check_hurdle(np.array([0.03]), np.array([0.03]))  # equal is allowed
    with pytest.raises(InvalidValueError) as err:
        check_hurdle(np.array([0.029]), np.array([0.03]))
    assert (err.value.field, err.value.value) == ("hurdle_rate", 0.029)
    assert err.value.expected == "at least the risk-free rate (0.03)"
    assert err.value.hint == (
        "A hurdle below the risk-free rate would price capital as a subsidy."
    )
    with pytest.raises(InvalidValueError) as err:
        check_hurdle(np.array([0.10, 0.05, 0.01]), np.array([0.03, 0.06, 0.02]))
    assert (err.value.field, err.value.value) == ("hurdle_rate[1]", 0.05)
    assert err.value.expected == "at least the risk-free rate (0.06)"


def test_eva_checks_the_grossed_up_hurdle_against_the_risk_free_rate():
    # 0.03 after a 25 % tax is 0.04 pre-tax: above a 3.5 % risk-free rate
    value = eva(
        hurdle_rate=0.03,
        hurdle_basis="post_tax",
        tax_rate=0.25,
        **{**HAND, "risk_free_rate": 0.035},
    )
    assert value[0] == pytest.approx(21.5 - (0.04 - 0.035) * 130)
    with pytest.raises(InvalidValueError) as err:
        eva(hurdle_rate=0.02, **HAND)
    assert err.value.field == "hurdle_rate"
    with pytest.raises(InvalidValueError) as err:
        eva(hurdle_rate=0.12, tax_rate=0.2, **HAND)
    assert err.value.field == "tax_rate"


def test_eva_overflow_is_refused_not_returned():
    with pytest.raises(InvalidValueError) as err:
        eva(hurdle_rate=1e308, **{**HAND, "capital": 1e10})
    assert (err.value.field, err.value.value) == ("eva[0]", -math.inf)
    assert err.value.expected == (
        "a finite result (the amounts, capital or hurdle_rate too large for a float,"
        " whose maximum is 1.8e308)"
    )


def test_eva_refuses_two_overflows_that_cancel_into_nan():
    # revenue - funding overflows to +inf and the capital charge to +inf: inf - inf
    # is NaN, which was returned before; it is an overflow like any other
    with pytest.raises(InvalidValueError) as err:
        eva(
            revenue=1.7e308,
            funding_cost=-1.7e308,
            expected_loss=0.0,
            operating_cost=0.0,
            capital=1e308,
            risk_free_rate=0.0,
            hurdle_rate=10.0,
        )
    assert err.value.field == "eva[0]"
    assert "too large for a float" in err.value.expected
    # the rows that did not overflow are not affected
    assert eva(hurdle_rate=0.12, **HAND).tolist() == [21.5 - 0.09 * 130]


def test_eva_names_a_hurdle_below_minus_one_before_checking_lengths():
    with pytest.raises(InvalidValueError) as err:
        eva(
            hurdle_rate=-1.5,
            **{**HAND, "capital": [1.0, 2.0, 3.0], "revenue": [1.0, 2.0]},
        )
    assert err.value.field == "hurdle_rate[0]"
    assert ">= -1" in err.value.expected
