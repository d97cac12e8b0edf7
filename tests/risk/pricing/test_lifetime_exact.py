# mypy: disable-error-code="arg-type"
# (the tests pass wrong types on purpose)
"""Lifetime RAROC: every field of a two-year revolver by hand, every bound (#23).

A 1,000 revolver over two 30/360 years drawn 40 % then 60 %, 5 % interest, a 0.5 %
commitment fee on the undrawn limit, CCF 50 %: drawn balance-years 400 and 600,
exposure 700 and 800, revenue 20 + 3 and 30 + 2. Every figure of the module
docstring (funding, EL, opex, capital at the IRB weight at M = WAL = 2 years, per-year
RAROC, present values at 10 %, the lifetime RAROC, the hurdle test and the margin
change (h PV(C) - PV(income)) / PV(D)) is computed by hand and compared.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from lendcrm.errors import InvalidValueError
from lendcrm.risk.capital import BASEL_III, risk_weight
from lendcrm.risk.pricing import lifetime_raroc, raroc
from lendcrm.risk.schedules import repayment_schedules

PRICE: dict[str, Any] = {
    "default_probability": 0.01,
    "lgd": 0.45,
    "funding_rate": 0.03,
    "operating_cost_rate": 0.004,
    "hurdle_rate": 0.12,
    "risk_free_rate": 0.03,
    "capital_ratio": 0.10,
    "regime": BASEL_III,
}


def _revolver(**kw: Any) -> Any:
    args: dict[str, Any] = {
        "principal": 1000.0,
        "start": "2026-01-01",
        "maturity": "2028-01-01",
        "amortisation": "revolver",
        "rate": 0.05,
        "payments_per_year": 1,
        "day_count": "30/360",
        "profile": [[0.4, 0.6]],
        "commitment_fee": 0.005,
        **kw,
    }
    return repayment_schedules(**args)


def _hand(
    rw: float,
    share: float = 1.0,
    hurdle: float = 0.12,
    pd_: float = 0.01,
    d: float = 0.10,
) -> dict[str, Any]:
    drawn = np.array([400.0, 600.0]) * share
    exposure = np.array([700.0, 800.0]) * share
    revenue = np.array([23.0, 32.0]) * share
    funding = 0.03 * drawn
    el = pd_ * 0.45 * exposure
    opex = 0.004 * exposure
    cap = rw * 0.10 * exposure
    income = revenue - funding - el - opex + 0.03 * cap
    df = np.array([1 / (1 + d), 1 / (1 + d) ** 2])
    pv_income = float((income * df).sum())
    pv_cap = float((cap * df).sum())
    return {
        "drawn": drawn,
        "exposure": exposure,
        "revenue": revenue,
        "funding_cost": funding,
        "expected_loss": el,
        "operating_cost": opex,
        "capital": cap,
        "raroc": income / cap,
        "weighted_average_life": [2.0],
        "pv_revenue": [float((revenue * df).sum())],
        "pv_capital": [pv_cap],
        "pv_income": [pv_income],
        "lifetime_raroc": [pv_income / pv_cap],
        "hurdle_rate": [hurdle],
        "meets_hurdle": [pv_income / pv_cap >= hurdle],
        "margin_change": [(hurdle * pv_cap - pv_income) / float((drawn * df).sum())],
    }


def _check(r: Any, hand: dict[str, Any]) -> None:
    for name, value in hand.items():
        got = getattr(r, name)
        if name == "meets_hurdle":
            assert got.tolist() == value
            continue
        got = got[0] if got.ndim == 2 else got
        np.testing.assert_allclose(got, value, rtol=1e-12, err_msg=name)


RW = float(risk_weight(0.01, 0.45, regime=BASEL_III, maturity=2.0)[0])


def test_every_field_of_a_two_year_revolver():
    r = lifetime_raroc(_revolver(), discount_rate=0.10, ccf=0.5, **PRICE)
    _check(r, _hand(RW))
    # the per-year RAROC is the one-year formula
    assert r.raroc[0, 0] == pytest.approx(
        raroc(
            revenue=23.0,
            funding_cost=12.0,
            expected_loss=0.0045 * 700,
            operating_cost=2.8,
            capital=RW * 70,
            risk_free_rate=0.03,
        )[0],
        rel=1e-12,
    )


def test_every_optional_argument_reaches_the_figures():
    r = lifetime_raroc(
        _revolver(),
        discount_rate=[0.10],
        ccf=0.5,
        bank_share=0.25,
        asset_class="bank",
        hurdle_basis="post_tax",
        tax_rate=0.25,
        **{**PRICE, "hurdle_rate": 0.09},
    )
    rw_bank = float(
        risk_weight(0.01, 0.45, regime=BASEL_III, asset_class="bank", maturity=2.0)[0]
    )
    _check(r, _hand(rw_bank, share=0.25, hurdle=0.12))
    # the defaults: no CCF (undrawn is not exposure), whole share, corporate, pre-tax
    r = lifetime_raroc(_revolver(), discount_rate=0.0, **PRICE)
    np.testing.assert_allclose(r.exposure[0], [400.0, 600.0], rtol=1e-14)
    np.testing.assert_allclose(
        r.capital[0], RW * 0.1 * np.array([400.0, 600.0]), rtol=1e-12
    )


def test_the_hurdle_test_is_at_least_and_the_margin_change_closes_the_gap():
    r = lifetime_raroc(_revolver(), discount_rate=0.10, ccf=0.5, **PRICE)
    life = float(r.lifetime_raroc[0])
    at = lifetime_raroc(
        _revolver(), discount_rate=0.10, ccf=0.5, **{**PRICE, "hurdle_rate": life}
    )
    assert at.meets_hurdle.tolist() == [True]
    assert at.margin_change[0] == pytest.approx(0.0, abs=1e-15)
    above = lifetime_raroc(
        _revolver(),
        discount_rate=0.10,
        ccf=0.5,
        **{**PRICE, "hurdle_rate": life + 1e-9},
    )
    assert above.meets_hurdle.tolist() == [False]
    assert above.margin_change[0] > 0


def test_no_capital_gives_nan_raroc_and_no_hurdle_met():
    r = lifetime_raroc(
        _revolver(), discount_rate=0.1, ccf=0.5, **{**PRICE, "capital_ratio": 0.0}
    )
    assert np.isnan(r.raroc).all()
    assert math.isnan(r.lifetime_raroc[0])
    assert r.meets_hurdle.tolist() == [False]
    assert r.pv_capital.tolist() == [0.0]
    # an undrawn revolver: no drawn balance, no margin change defined
    r = lifetime_raroc(
        _revolver(profile=[[0.0, 0.0]]), discount_rate=0.1, ccf=0.5, **PRICE
    )
    assert r.drawn[0].tolist() == [0.0, 0.0]
    assert math.isnan(r.margin_change[0])
    assert r.capital[0, 0] > 0  # the undrawn limit still carries capital


@pytest.mark.parametrize(
    ("name", "bad", "ok", "words"),
    [
        ("default_probability", 1.0, math.nextafter(1.0, 0.0), "[0, 1)"),
        ("default_probability", -1e-300, 0.0, "[0, 1)"),
        ("lgd", 1.0000001, 1.0, "[0, 1]"),
        ("funding_rate", -1.0000001, -1.0, "[-1, 1]"),
        ("operating_cost_rate", -1e-300, 0.0, ">= 0"),
        ("risk_free_rate", 1.0000001, -1.0, "[-1, 1]"),
        ("capital_ratio", 1.0000001, 1.0, "[0, 1]"),
        ("ccf", 1.0000001, 1.0, "[0, 1]"),
        ("bank_share", 0.0, 1.0, "(0, 1]"),
        ("bank_share", 1.0000001, 1e-300, "(0, 1]"),
        ("hurdle_rate", -1.0000001, 0.5, ">= -1"),
    ],
)
def test_each_bound(name, bad, ok, words):
    args = {**PRICE, "ccf": 0.5, "hurdle_rate": 0.5, name: ok}
    r = lifetime_raroc(_revolver(), discount_rate=0.1, **args)
    assert r.capital.shape == (1, 2)
    with pytest.raises(InvalidValueError) as err:
        lifetime_raroc(_revolver(), discount_rate=0.1, **{**args, name: bad})
    assert err.value.field == f"{name}[0]"
    assert words in err.value.expected


def test_discount_rate_refusals_with_and_without_ids():
    assert (
        lifetime_raroc(
            _revolver(), discount_rate=math.nextafter(-1.0, 0.0), **PRICE
        ).pv_capital[0]
        > 0
    )
    for bad in (-1.0, math.nan):
        with pytest.raises(InvalidValueError) as err:
            lifetime_raroc(_revolver(), discount_rate=bad, **PRICE)
        assert err.value.field == "discount_rate"
        assert err.value.expected == "a finite rate > -1"
    with pytest.raises(InvalidValueError) as err:
        lifetime_raroc(_revolver(), discount_rate=math.inf, **PRICE)
    assert err.value.field == "discount_rate[0]"
    with pytest.raises(InvalidValueError) as err:
        lifetime_raroc(_revolver(facility_ids=["A"]), discount_rate=-2.0, **PRICE)
    assert (err.value.field, err.value.value) == ("facility 'A' discount_rate", -2.0)
    two = repayment_schedules(
        principal=[1.0, 2.0],
        start="2026-01-01",
        maturity="2028-01-01",
        amortisation="bullet",
        rate=0.05,
        facility_ids=["A", "B"],
    )
    with pytest.raises(InvalidValueError) as err:
        lifetime_raroc(two, discount_rate=[0.1, -1.5], **PRICE)
    assert err.value.field == "facility 'B' discount_rate"
    with pytest.raises(InvalidValueError) as err:
        lifetime_raroc(two, discount_rate=[0.1, 0.1, 0.1], **PRICE)
    assert err.value.field == "discount_rate"
    assert "one per facility (2)" in err.value.expected


def test_schedule_hurdle_and_tax_refusals():
    with pytest.raises(InvalidValueError) as err:
        lifetime_raroc("schedule", discount_rate=0.1, **PRICE)
    assert (err.value.field, err.value.expected) == ("schedule", "a Schedule")
    with pytest.raises(InvalidValueError) as err:
        lifetime_raroc(_revolver(), discount_rate=0.1, **{**PRICE, "hurdle_rate": 0.02})
    assert err.value.field == "hurdle_rate"
    with pytest.raises(InvalidValueError) as err:
        lifetime_raroc(_revolver(), discount_rate=0.1, tax_rate=0.2, **PRICE)
    assert err.value.field == "tax_rate"
