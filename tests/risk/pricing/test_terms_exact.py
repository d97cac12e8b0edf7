# mypy: disable-error-code="arg-type"
# (the tests splat dicts of mixed arguments and pass wrong types on purpose)
"""Exact bounds, order of checks and per-row overrides of the price terms (issue #23).

`price_terms` validates every argument of `minimum_rate` and its relatives: each bound
is tried at the bound and just past it, each refusal asserts the error's field and the
words of what was expected, and rows mixing overrides (NaN = keep IRB) are priced row
by row against the one-row prices.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from lendcrm.errors import InvalidValueError
from lendcrm.risk.capital import BASEL_III, risk_weight
from lendcrm.risk.pricing import minimum_rate, price_facility
from lendcrm.risk.pricing._terms import price_terms

BASE: dict[str, Any] = {
    "default_probability": 0.02,
    "lgd": 0.4,
    "maturity": 4.0,
    "funding_rate": 0.03,
    "operating_cost_rate": 0.004,
    "hurdle_rate": 0.12,
    "risk_free_rate": 0.03,
    "capital_ratio": 0.1,
    "regime": BASEL_III,
}
RW = float(risk_weight(0.02, 0.4, regime=BASEL_III, maturity=4.0)[0])


def _rate(**kw: Any) -> float:
    return float(minimum_rate(**{**BASE, **kw})[0])


def _refused(**kw: Any) -> InvalidValueError:
    with pytest.raises(InvalidValueError) as err:
        minimum_rate(**{**BASE, **kw})
    return err.value


@pytest.mark.parametrize(
    ("name", "low", "high", "words"),
    [
        ("funding_rate", -1.0, 1.0, "[-1, 1]"),
        ("hurdle_rate", None, 10.0, "[-1, 10]"),
        ("risk_free_rate", -1.0, None, "[-1, 1]"),
        ("upfront_fee", 0.0, 1.0, "[0, 1]"),
        ("annual_fee", 0.0, 1.0, "[0, 1]"),
        ("capital_ratio", 0.0, 1.0, "[0, 1]"),
        ("operating_cost_rate", 0.0, None, ">= 0"),
    ],
)
def test_each_rate_bound_is_inclusive_and_named(name, low, high, words):
    for bound, step in ((low, -math.inf), (high, math.inf)):
        if bound is None:
            continue
        assert math.isfinite(_rate(**{name: bound}))
        past = math.nextafter(bound, step) if bound else math.copysign(1e-300, step)
        err = _refused(**{name: past})
        assert err.field == f"{name}[0]"
        assert words in err.expected


def test_risk_free_rate_upper_bound_against_a_hurdle_above_it():
    assert math.isfinite(_rate(risk_free_rate=1.0, hurdle_rate=1.0))
    err = _refused(risk_free_rate=1.0000001, hurdle_rate=2.0)
    assert err.field == "risk_free_rate[0]"
    assert "[-1, 1]" in err.expected
    err = _refused(hurdle_rate=-1.0000001, risk_free_rate=-1.0)
    assert err.field == "hurdle_rate[0]"


def test_the_capital_ratio_scales_the_capital_and_is_one_value():
    assert _rate(capital_ratio=0.0) == pytest.approx(0.03 + 0.008 + 0.004, rel=1e-14)
    assert _rate(capital_ratio=1.0) == pytest.approx(0.042 + RW * 0.09, rel=1e-12)
    err = _refused(capital_ratio=[])
    assert err.field == "capital_ratio"
    assert "non-empty" in err.expected


def test_the_first_bad_argument_is_the_one_named():
    everything_bad = {
        "funding_rate": 2.0,
        "operating_cost_rate": -1.0,
        "hurdle_rate": 20.0,
        "risk_free_rate": 2.0,
        "upfront_fee": 2.0,
        "annual_fee": 2.0,
        "capital_ratio": 2.0,
        "risk_weight_override": -1.0,
        "expected_loss_rate_override": 2.0,
    }
    order = list(everything_bad)
    order.remove("capital_ratio")
    order.append("capital_ratio")  # checked after the arrays
    for i, name in enumerate(order):
        err = _refused(**{k: everything_bad[k] for k in order[i:]})
        assert err.field.split("[")[0] == name


def test_life_and_capital_maturity_are_both_checked_when_apart():
    err = _refused(maturity=0.0, capital_maturity=2.0)
    assert err.field == "maturity[0]"
    assert "> 0" in err.expected
    err = _refused(capital_maturity=0.0)
    assert err.field == "capital_maturity[0]"
    assert "> 0" in err.expected
    # the life amortises the fee, the capital maturity drives the IRB weight
    rw2 = float(risk_weight(0.02, 0.4, regime=BASEL_III, maturity=2.0)[0])
    assert _rate(capital_maturity=2.0, upfront_fee=0.02) == pytest.approx(
        0.042 + rw2 * 0.1 * 0.09 - 0.02 / 4.0, rel=1e-12
    )
    # one life per row
    rates = minimum_rate(
        **{**BASE, "default_probability": [0.02, 0.02], "maturity": [4.0, 2.0]},
        capital_maturity=4.0,
        upfront_fee=0.02,
    )
    np.testing.assert_allclose(
        rates, [0.042 + RW * 0.009 - 0.005, 0.042 + RW * 0.009 - 0.01], rtol=1e-12
    )


def test_upfront_fees_per_row_and_zero_fees_per_row():
    rates = minimum_rate(
        **{**BASE, "default_probability": [0.02, 0.02, 0.02]},
        upfront_fee=[0.0, 0.02, 0.0],
        annual_fee=[0.001, 0.0, 0.0],
    )
    base = 0.042 + RW * 0.009
    np.testing.assert_allclose(rates, [base - 0.001, base - 0.005, base], rtol=1e-12)
    p = price_facility(**BASE, upfront_fee=0.0, annual_fee=0.002)
    assert p.fee_income == 0.002


def test_overrides_row_by_row_with_nan_keeping_irb():
    rates = minimum_rate(
        **{**BASE, "default_probability": [0.02, 0.02, 0.02]},
        risk_weight_override=[math.nan, 0.7, 0.0],
        expected_loss_rate_override=[0.01, math.nan, 1.0],
    )
    np.testing.assert_allclose(
        rates,
        [
            0.03 + 0.01 + 0.004 + RW * 0.009,
            0.03 + 0.008 + 0.004 + 0.7 * 0.009,
            0.03 + 1.0 + 0.004,
        ],
        rtol=1e-12,
    )
    # one override for every row, none NaN: the IRB weight is not used
    rates = minimum_rate(
        **{**BASE, "default_probability": [0.02, 0.5]}, risk_weight_override=0.5
    )
    np.testing.assert_allclose(
        rates, [0.042 + 0.0045, 0.034 + 0.2 + 0.0045], rtol=1e-12
    )
    for name, bad, words in [
        ("risk_weight_override", -1e-300, ">= 0"),
        ("expected_loss_rate_override", -1e-300, "[0, 1]"),
        ("expected_loss_rate_override", 1.0000001, "[0, 1]"),
    ]:
        err = _refused(**{name: bad})
        assert err.field == f"{name}[0]"
        assert words in err.expected


def test_a_defaulted_row_needs_el_best_only_where_it_is_on_the_irb_weight():
    # slotted defaulted row: priced on its weight, EL = PD x LGD, no EL_best needed
    rates = minimum_rate(
        **{**BASE, "default_probability": [1.0, 0.02]},
        risk_weight_override=[0.5, math.nan],
    )
    np.testing.assert_allclose(
        rates, [0.034 + 0.4 + 0.5 * 0.009, 0.042 + RW * 0.009], rtol=1e-12
    )
    for override in ([math.nan, 0.5], None):
        with pytest.raises(InvalidValueError) as err:
            minimum_rate(
                **{
                    **BASE,
                    "default_probability": [0.02, 1.0]
                    if override is None
                    else [1.0, 0.02],
                },
                risk_weight_override=override,
            )
        assert err.value.field == "el_best"
        assert "CRE31.3" in err.value.expected
        assert ("[1]" if override is None else "[0]") in err.value.expected
    # EL_best is read on defaulted rows only; the others keep PD x LGD
    rates = minimum_rate(
        **{**BASE, "default_probability": [1.0, 0.02], "lgd": 0.45}, el_best=0.35
    )
    rw_pd = float(risk_weight(0.02, 0.45, regime=BASEL_III, maturity=4.0)[0])
    np.testing.assert_allclose(
        rates,
        [0.034 + 0.35 + 12.5 * 0.1 * 0.1 * 0.09, 0.034 + 0.009 + rw_pd * 0.009],
        rtol=1e-12,
    )


def test_a_hurdle_vector_is_grossed_up_and_checked_row_by_row():
    rates = minimum_rate(
        **{**BASE, "default_probability": [0.02, 0.02], "hurdle_rate": [0.09, 0.06]},
        hurdle_basis="post_tax",
        tax_rate=0.25,
    )
    np.testing.assert_allclose(
        rates, [0.042 + RW * 0.1 * 0.09, 0.042 + RW * 0.1 * 0.05], rtol=1e-12
    )
    with pytest.raises(InvalidValueError) as err:
        minimum_rate(
            **{**BASE, "default_probability": [0.02, 0.02], "hurdle_rate": [0.12, 0.02]}
        )
    assert err.value.field == "hurdle_rate[1]"
    assert "risk-free rate (0.03)" in err.value.expected


def test_price_terms_returns_every_term_broadcast_and_the_extras():
    terms = price_terms(
        **{**BASE, "default_probability": [0.02, 0.02]},
        asset_class="corporate",
        sales=None,
        upfront_fee=0.0,
        annual_fee=0.001,
        risk_weight_override=None,
        extra={"drawn": np.array([5.0, 6.0])},
    )
    assert sorted(terms) == sorted(
        [
            "funding_cost",
            "expected_loss",
            "operating_cost",
            "capital",
            "capital_charge",
            "fee_income",
            "risk_weight",
            "minimum_rate",
            "hurdle_rate",
            "drawn",
        ]
    )
    assert all(v.shape == (2,) for v in terms.values())
    assert terms["drawn"].tolist() == [5.0, 6.0]
    assert terms["fee_income"].tolist() == [0.001, 0.001]
    assert terms["funding_cost"].tolist() == [0.03, 0.03]
    assert terms["operating_cost"].tolist() == [0.004, 0.004]
    np.testing.assert_allclose(terms["capital_charge"], [RW * 0.009] * 2, rtol=1e-12)
    with pytest.raises(InvalidValueError) as err:
        price_terms(
            **BASE,
            asset_class="corporate",
            sales=None,
            upfront_fee=0.0,
            annual_fee=0.0,
            risk_weight_override=None,
            extra={"drawn": np.array([5.0, 6.0]), "ccf": np.array([1.0, 1.0, 1.0])},
        )
    assert "length" in err.value.expected


def test_the_irb_rows_beside_overrides_are_not_lgd_floored():
    # Basel III floors an own-estimate corporate LGD at 25 % (CRE32.16); pricing uses
    # the LGD as given (the foundation approach), with or without overrides
    rw_low = float(risk_weight(0.02, 0.1, regime=BASEL_III, maturity=4.0)[0])
    floored = float(
        risk_weight(0.02, 0.1, regime=BASEL_III, maturity=4.0, apply_lgd_floor=True)[0]
    )
    assert floored > rw_low * 2
    args = {**BASE, "default_probability": [0.02, 0.02], "lgd": 0.1}
    np.testing.assert_allclose(
        minimum_rate(**args, risk_weight_override=[math.nan, 0.7]),
        [0.034 + 0.002 + rw_low * 0.009, 0.034 + 0.002 + 0.7 * 0.009],
        rtol=1e-12,
    )
    np.testing.assert_allclose(
        minimum_rate(**args), [0.036 + rw_low * 0.009] * 2, rtol=1e-12
    )


def test_the_grossed_up_hurdle_is_the_one_checked_against_the_risk_free_rate():
    # 3 % after a 25 % tax is 4 % before: above a 3.5 % risk-free rate
    rate = _rate(
        hurdle_rate=0.03, hurdle_basis="post_tax", tax_rate=0.25, risk_free_rate=0.035
    )
    assert rate == pytest.approx(0.042 + RW * 0.1 * 0.005, rel=1e-12)
    err = _refused(
        hurdle_rate=0.02, hurdle_basis="post_tax", tax_rate=0.25, risk_free_rate=0.035
    )
    assert err.field == "hurdle_rate"
    assert err.expected == "at least the risk-free rate (0.035)"


def test_a_life_of_the_wrong_length_is_named():
    err = _refused(
        default_probability=[0.02, 0.02], maturity=[1.0, 2.0, 3.0], capital_maturity=2.0
    )
    assert err.field == "default_probability"
    assert err.expected == "length 1 or the same length as `maturity` (3)"


def test_upfront_fees_of_two_rows_and_of_one_at_its_bound():
    # the zero-fee shortcut applies only to one zero fee for every row
    rates = minimum_rate(
        **{**BASE, "default_probability": [0.02, 0.02]}, upfront_fee=[0.0, 0.02]
    )
    base = 0.042 + RW * 0.009
    np.testing.assert_allclose(rates, [base, base - 0.005], rtol=1e-12)
    assert price_facility(**BASE, upfront_fee=1.0).fee_income == 0.25
