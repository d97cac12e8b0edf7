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


# mut8a: survivors of the mutmut run (issue #23), each test names what it pins.


def test_capital_below_one_unit_is_still_held():
    # a 0.1 % share: capital RW * 0.1 * 700 * 0.001 (about 0.06 a year) is held all
    # the same, so each year's RAROC is the whole facility's (it does not depend on
    # the share)
    tiny = lifetime_raroc(
        _revolver(), discount_rate=0.10, ccf=0.5, bank_share=0.001, **PRICE
    )
    assert (tiny.capital < 1.0).all()
    _check(tiny, _hand(RW, share=0.001))


def test_each_facility_of_a_book_has_its_own_present_values():
    # the revolver and its double: every amount doubles, every rate (RAROC, lifetime
    # RAROC, margin change) is the one facility's own, not the book's
    book = lifetime_raroc(
        _revolver(principal=[1000.0, 2000.0], profile=[[0.4, 0.6], [0.4, 0.6]]),
        discount_rate=0.10,
        ccf=0.5,
        **PRICE,
    )
    hand = _hand(RW)
    for name in ("pv_capital", "pv_income", "pv_revenue"):
        np.testing.assert_allclose(
            getattr(book, name), [hand[name][0], 2 * hand[name][0]], rtol=1e-12
        )
    for name in ("lifetime_raroc", "margin_change"):
        np.testing.assert_allclose(getattr(book, name), hand[name] * 2, rtol=1e-12)


def test_a_one_year_revolver_recognises_its_whole_fee_in_its_one_year():
    # ACT/360 over 365 days: WAL = tenor = 365/360 (1.0139 years) runs past the one
    # contract year, so the fee is spread over min(WAL, 1) = 1 year: all 10 in year
    # 1, with interest 1000 * 0.5 * 0.05 * 365/360 = 25.347222 and the commitment
    # fee 1000 * 0.5 * 0.005 * 365/360 = 2.534722
    one = lifetime_raroc(
        _revolver(
            maturity="2027-01-01",
            day_count="ACT/360",
            profile=[[0.5]],
            upfront_fee=10.0,
        ),
        discount_rate=0.10,
        **PRICE,
    )
    assert one.revenue.shape == (1, 1)
    np.testing.assert_allclose(one.weighted_average_life, [365 / 360], rtol=1e-14)
    np.testing.assert_allclose(
        one.revenue, [[25.0 * 365 / 360 + 2.5 * 365 / 360 + 10.0]], rtol=1e-14
    )


def test_a_loan_without_a_balance_recognises_no_fee():
    # principal 0: WAL 0, so there is no life to spread the upfront fee over (no
    # division by zero either)
    empty = lifetime_raroc(
        _revolver(amortisation="bullet", principal=0.0, profile=None, upfront_fee=10.0),
        discount_rate=0.10,
        **PRICE,
    )
    assert empty.weighted_average_life.tolist() == [0.0]
    assert empty.revenue.tolist() == [[0.0, 0.0]]


def test_a_book_ending_with_its_shortest_facility():
    # a two-year and a one-year revolver: the book has two contract years; the
    # second facility's second year is empty, and its first is its own
    book = lifetime_raroc(
        _revolver(
            maturity=["2028-01-01", "2027-01-01"], profile=[[0.4, 0.6], [0.4, 0.0]]
        ),
        discount_rate=0.10,
        ccf=0.5,
        **PRICE,
    )
    np.testing.assert_allclose(book.drawn, [[400.0, 600.0], [400.0, 0.0]], rtol=1e-14)
    np.testing.assert_allclose(
        book.exposure, [[700.0, 800.0], [700.0, 0.0]], rtol=1e-14
    )


def test_a_bad_lgd_is_refused_before_the_hurdle_is_checked():
    # lgd is checked with the other inputs, before the hurdle and the risk weight:
    # with both wrong, the lgd is the one named
    with pytest.raises(InvalidValueError) as err:
        lifetime_raroc(
            _revolver(), discount_rate=0.1, **{**PRICE, "lgd": 1.5, "hurdle_rate": 0.02}
        )
    assert str(err.value) == "`lgd[0]` must be a finite number in [0, 1]; got 1.5."


def test_the_hurdle_is_checked_before_the_risk_free_rate():
    with pytest.raises(InvalidValueError) as err:
        lifetime_raroc(
            _revolver(),
            discount_rate=0.1,
            **{**PRICE, "hurdle_rate": -1.5, "risk_free_rate": 1.5},
        )
    assert str(err.value) == "`hurdle_rate[0]` must be a finite number >= -1; got -1.5."


def test_the_asset_class_sets_the_risk_weight():
    # a residential mortgage's IRB weight (rho 0.15, no maturity adjustment) differs
    # from the corporate one: the capital follows it
    r = lifetime_raroc(
        _revolver(),
        discount_rate=0.10,
        ccf=0.5,
        asset_class="residential_mortgage",
        **PRICE,
    )
    rw = float(
        risk_weight(
            0.01,
            0.45,
            regime=BASEL_III,
            asset_class="residential_mortgage",
            maturity=2.0,
        )[0]
    )
    assert rw != pytest.approx(RW, rel=0.1)
    _check(r, _hand(rw))


def test_a_half_year_loan_is_weighted_at_its_own_wal():
    # a six-month bullet (drawn 1000 * 0.5 = 500 balance-years): WAL 0.5, which the
    # IRB formula floors at one year itself; the weight is the one at M = 0.5 to the
    # last digit
    r = lifetime_raroc(
        _revolver(amortisation="bullet", maturity="2026-07-01", profile=None),
        discount_rate=0.10,
        ccf=0.5,
        **PRICE,
    )
    assert r.weighted_average_life.tolist() == [0.5]
    # a term loan has no undrawn limit: the CCF adds nothing to its exposure
    assert r.exposure.tolist() == [[500.0]]
    rw = float(risk_weight(0.01, 0.45, regime=BASEL_III, maturity=0.5)[0])
    np.testing.assert_allclose(r.capital, [[rw * 0.1 * 500.0]], rtol=1e-14)
