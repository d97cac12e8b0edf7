"""The hurdle's tax basis and the cash-flow-weighted effective maturity (#21).

Expected values are computed by hand in each test from the cited formula.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import norm

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
from lendcrm.risk.capital import BASEL_III
from lendcrm.risk.pricing import (
    HurdleBasis,
    effective_maturity,
    eva,
    facility_price,
    minimum_rate,
    pre_tax_hurdle,
    price_book,
    price_facility,
    relationship_raroc,
)
from lendcrm.risk.pricing.frames import price_facilities_frame

# The hand-computed build-up of docs/explanation/pricing-raroc.md: RW 100 %, capital
# ratio 10 % -> capital 0.10; EL 0.02 x 0.40 = 0.008; fees 0.01 / 4 + 0.001 = 0.0035.
HAND: dict[str, Any] = {
    "default_probability": 0.02,
    "lgd": 0.40,
    "maturity": 4.0,
    "funding_rate": 0.035,
    "operating_cost_rate": 0.005,
    "risk_free_rate": 0.025,
    "capital_ratio": 0.10,
    "regime": BASEL_III,
    "upfront_fee": 0.01,
    "annual_fee": 0.001,
    "risk_weight_override": 1.0,
}


# --- tax basis ---------------------------------------------------------------------


def test_pre_tax_is_the_default_and_is_stated():
    # pre-tax 15 %: charge 0.10 x (0.15 - 0.025) = 0.0125;
    # minimum = 0.035 + 0.008 + 0.005 + 0.0125 - 0.0035 = 0.057
    p = price_facility(hurdle_rate=0.15, **HAND)
    assert p.minimum_rate == pytest.approx(0.057, abs=1e-15)
    assert p.hurdle_rate == 0.15
    assert price_facility(hurdle_rate=0.15, hurdle_basis="pre_tax", **HAND) == p
    assert pre_tax_hurdle(0.15).tolist() == [0.15]


def test_post_tax_hurdle_is_grossed_up():
    # an after-tax 12 % at a 20 % tax is 0.12 / 0.8 = 15 % pre-tax: same price
    p = price_facility(
        hurdle_rate=0.12, hurdle_basis=HurdleBasis.POST_TAX, tax_rate=0.20, **HAND
    )
    assert p.hurdle_rate == pytest.approx(0.15, rel=1e-15)
    assert p.minimum_rate == pytest.approx(0.057, rel=1e-12)
    # pre-tax RAROC at the minimum rate is the pre-tax hurdle; after tax it is 12 %
    assert p.raroc_at(p.minimum_rate) == pytest.approx(0.15, rel=1e-12)
    assert (1 - 0.20) * p.raroc_at(p.minimum_rate) == pytest.approx(0.12, rel=1e-12)


def test_reading_a_post_tax_hurdle_as_pre_tax_underprices():
    # 12 % read as pre-tax: charge 0.10 x (0.12 - 0.025) = 0.0095 -> 0.054;
    # 12 % after a 25 % tax = 16 % pre-tax: charge 0.10 x 0.135 = 0.0135 -> 0.058
    pre = minimum_rate(hurdle_rate=0.12, **_rate_kw())
    post = minimum_rate(
        hurdle_rate=0.12, hurdle_basis="post_tax", tax_rate=0.25, **_rate_kw()
    )
    np.testing.assert_allclose(pre, [0.054], rtol=1e-12)
    np.testing.assert_allclose(post, [0.058], rtol=1e-12)


def _rate_kw() -> dict[str, Any]:
    kw = dict(HAND)
    return {
        "default_probability": kw.pop("default_probability"),
        "lgd": kw.pop("lgd"),
        **kw,
    }


def test_every_hurdle_taker_has_the_tax_basis():
    # EVA = revenue - funding - EL - opex - (h - r_f) C with h = 0.09 / 0.75 = 0.12:
    # 60 - 30 - 4.5 - 4 - (0.12 - 0.03) x 130 = 9.8
    common = {
        "revenue": 60.0,
        "funding_cost": 30.0,
        "expected_loss": 4.5,
        "operating_cost": 4.0,
        "capital": 130.0,
        "risk_free_rate": 0.03,
    }
    np.testing.assert_allclose(
        eva(hurdle_rate=0.09, hurdle_basis="post_tax", tax_rate=0.25, **common), [9.8]
    )
    # relationship EVA = income - h_pre x capital = (60 - 30 - 4.5 - 4 + 0.03 x 130)
    # - 0.12 x 130 = 25.4 - 15.6 = 9.8
    r = relationship_raroc(
        facility_client=["A"],
        revenue=[60.0],
        funding_cost=[30.0],
        expected_loss=[4.5],
        operating_cost=[4.0],
        capital=[130.0],
        risk_free_rate=0.03,
        hurdle_rate=0.09,
        hurdle_basis="post_tax",
        tax_rate=0.25,
    )
    np.testing.assert_allclose(r.eva, [9.8])
    book = price_book(
        drawn=[1.0],
        undrawn=[0.0],
        ccf=0.0,
        default_probability=[0.01],
        lgd=0.45,
        maturity=5.0,
        funding_rate=0.03,
        operating_cost_rate=0.004,
        risk_free_rate=0.03,
        capital_ratio=0.10,
        regime=BASEL_III,
        hurdle_rate=0.09,
        hurdle_basis="post_tax",
        tax_rate=0.25,
    )
    np.testing.assert_allclose(
        book.minimum_rate,
        minimum_rate(
            0.01,
            0.45,
            maturity=5.0,
            funding_rate=0.03,
            operating_cost_rate=0.004,
            hurdle_rate=0.12,
            risk_free_rate=0.03,
            capital_ratio=0.10,
            regime=BASEL_III,
        ),
        rtol=1e-12,
    )


def test_frame_takes_the_tax_basis():
    frame = pd.DataFrame(
        {
            "limit": [10e6],
            "drawn": [6e6],
            "start_on": pd.to_datetime(["2025-01-01"]),
            "maturity_on": pd.to_datetime(["2030-01-01"]),
            "arrangement_fee": [100e3],
            "default_probability": [0.01],
            "loss_given_default": [0.45],
            "credit_conversion_factor": [0.5],
        }
    )
    kw: dict[str, Any] = {
        "as_of": dt.date(2026, 1, 1),
        "regime": BASEL_III,
        "funding_rate": 0.03,
        "operating_cost_rate": 0.004,
        "risk_free_rate": 0.03,
        "capital_ratio": 0.10,
    }
    pre = price_facilities_frame(frame, hurdle_rate=0.12, **kw)
    post = price_facilities_frame(
        frame, hurdle_rate=0.09, hurdle_basis="post_tax", tax_rate=0.25, **kw
    )
    np.testing.assert_allclose(post["minimum_rate"], pre["minimum_rate"], rtol=1e-12)


def test_tax_basis_errors():
    with pytest.raises(
        InvalidValueError,
        match=r"`tax_rate` must be 0 with a pre-tax hurdle; got 0.25\. Pass "
        r"hurdle_basis='post_tax' to gross up an after-tax hurdle\.",
    ):
        price_facility(hurdle_rate=0.15, tax_rate=0.25, **HAND)
    with pytest.raises(
        InvalidValueError,
        match=r"`hurdle_basis` must be 'pre_tax' or 'post_tax'; got 'after_tax'",
    ):
        pre_tax_hurdle(0.1, hurdle_basis="after_tax", tax_rate=0.2)
    with pytest.raises(
        InvalidValueError, match=r"`tax_rate\[0\]` must be a finite number in \[0, 1\)"
    ):
        pre_tax_hurdle(0.1, hurdle_basis="post_tax", tax_rate=1.0)
    # the grossed-up hurdle must still reach the risk-free rate
    with pytest.raises(InvalidValueError, match=r"`hurdle_rate` must be at least"):
        price_facility(hurdle_rate=0.01, hurdle_basis="post_tax", tax_rate=0.2, **HAND)


@given(
    h=st.floats(min_value=0.0, max_value=0.5),
    tau=st.floats(min_value=0.0, max_value=0.6),
)
def test_post_tax_raroc_of_the_gross_up_is_the_hurdle(h, tau):
    grossed = float(pre_tax_hurdle(h, hurdle_basis="post_tax", tax_rate=tau)[0])
    assert grossed >= h
    assert (1 - tau) * grossed == pytest.approx(h, rel=1e-12, abs=1e-15)


# --- effective maturity (CRE32.46-32.48) ---------------------------------------------


def test_effective_maturity_hand_computed():
    # CRE32.47: M = sum t CF_t / sum CF_t.
    # 5-year bullet, 5 % coupons: (5 (1+2+3+4) + 105 x 5) / 125 = 575 / 125 = 4.6
    assert effective_maturity([1, 2, 3, 4, 5], [5, 5, 5, 5, 105]) == pytest.approx(4.6)
    # amortising 40, 35, 30 at 1, 2, 3: (40 + 70 + 90) / 105 = 1.904762
    assert effective_maturity([1, 2, 3], [40, 35, 30]) == pytest.approx(200 / 105)
    # 7-year bullet, 5 %: (5 x 21 + 105 x 7) / 135 = 840 / 135 = 6.2222 -> cap 5
    # (CRE32.46)
    seven = ([1, 2, 3, 4, 5, 6, 7], [5, 5, 5, 5, 5, 5, 105])
    assert effective_maturity(*seven) == 5.0
    assert effective_maturity(*seven, cap=math.inf) == pytest.approx(840 / 135)
    # a six-month bullet: M = 0.5 -> floor 1 (CRE32.46), unless exempt (CRE32.51-53)
    assert effective_maturity([0.5], [101.0]) == 1.0
    assert effective_maturity([0.5], [101.0], floor=0.0) == 0.5


def test_effective_maturity_errors():
    with pytest.raises(InvalidValueError, match=r"`cash_flows\[1\]` must be"):
        effective_maturity([1, 2], [5, -1])
    with pytest.raises(
        InvalidValueError, match=r"`cash_flows` must be a positive total; got \[0.0\]"
    ):
        effective_maturity([1], [0])
    with pytest.raises(InvalidValueError, match=r"`times\[0\]` must be"):
        effective_maturity([-1], [1])
    with pytest.raises(InvalidValueError, match="same length"):
        effective_maturity([1, 2], [1])
    with pytest.raises(
        InvalidValueError, match=r"`cap` must be at least floor \(2 years\); got 1"
    ):
        effective_maturity([1], [1], floor=2.0, cap=1.0)


@given(
    st.lists(
        st.tuples(st.floats(0.0, 30.0), st.floats(0.01, 1e6)), min_size=1, max_size=20
    )
)
def test_effective_maturity_is_a_weighted_mean_of_the_times(flows):
    times = [t for t, _ in flows]
    amounts = [a for _, a in flows]
    raw = effective_maturity(times, amounts, floor=0.0, cap=math.inf)
    assert min(times) - 1e-9 <= raw <= max(times) + 1e-9
    assert effective_maturity(times, amounts) == min(5.0, max(1.0, raw))


def _irb_rw(pd_: float, lgd: float, m: float) -> float:
    """CRE31.5 by hand: Basel III corporate risk weight (no 1.06 scaling)."""
    w = (1 - math.exp(-50 * pd_)) / (1 - math.exp(-50))
    r = 0.12 * w + 0.24 * (1 - w)
    b = (0.11852 - 0.05478 * math.log(pd_)) ** 2
    cond = norm.cdf((norm.ppf(pd_) + math.sqrt(r) * norm.ppf(0.999)) / math.sqrt(1 - r))
    k = (lgd * cond - pd_ * lgd) * (1 + (m - 2.5) * b) / (1 - 1.5 * b)
    return 12.5 * k


def test_capital_uses_the_effective_maturity_and_fees_the_life():
    # 5-year life, M = 4.6: capital from RW(M = 4.6) by CRE31.5; the 1 % upfront fee
    # is spread over the 5-year life: fees = 0.01 / 5.
    kw: dict[str, Any] = {
        "funding_rate": 0.03,
        "operating_cost_rate": 0.004,
        "hurdle_rate": 0.12,
        "risk_free_rate": 0.03,
        "capital_ratio": 0.10,
        "regime": BASEL_III,
    }
    p = price_facility(
        default_probability=0.01,
        lgd=0.45,
        maturity=5.0,
        capital_maturity=4.6,
        upfront_fee=0.01,
        **kw,
    )
    rw = _irb_rw(0.01, 0.45, 4.6)
    assert p.risk_weight == pytest.approx(rw, rel=1e-9)
    assert p.fee_income == pytest.approx(0.01 / 5.0, rel=1e-15)
    expected = 0.03 + 0.01 * 0.45 + 0.004 + rw * 0.10 * (0.12 - 0.03) - 0.01 / 5.0
    assert p.minimum_rate == pytest.approx(expected, rel=1e-9)
    # without capital_maturity the life is also the IRB maturity (CRE32.48)
    q = price_facility(
        default_probability=0.01, lgd=0.45, maturity=5.0, upfront_fee=0.01, **kw
    )
    assert q.risk_weight == pytest.approx(_irb_rw(0.01, 0.45, 5.0), rel=1e-9)
    assert q.minimum_rate > p.minimum_rate
    # the batch form agrees
    batch = minimum_rate(
        [0.01], 0.45, maturity=5.0, capital_maturity=4.6, upfront_fee=0.01, **kw
    )
    assert batch[0] == p.minimum_rate
    with pytest.raises(InvalidValueError, match=r"`capital_maturity\[0\]` must be"):
        minimum_rate([0.01], 0.45, maturity=5.0, capital_maturity=0.0, **kw)


def _facility() -> Facility:
    return Facility(
        id=FacilityId("F-1"),
        client_id=ClientId("C-1"),
        kind=FacilityKind.TERM_LOAN,
        currency="EUR",
        limit=Money.of("10000000", "EUR"),
        drawn=Money.of("10000000", "EUR"),
        start_on=dt.date(2026, 1, 1),
        maturity_on=dt.date(2031, 1, 1),
        seniority=Seniority.SENIOR_UNSECURED,
        pricing=Pricing(
            reference_rate="EURIBOR_3M",
            margin_bps=150,
            arrangement_fee=Money.of("100000", "EUR"),
        ),
        status=FacilityStatus.APPLICATION,
        default_probability=0.01,
        loss_given_default=0.45,
    )


def test_facility_price_derives_the_effective_maturity_from_its_schedule():
    f = _facility()
    flows = [(dt.date(2026 + k, 1, 1), 0.5e6) for k in range(1, 5)]
    flows.append((dt.date(2031, 1, 1), 10.5e6))
    kw: dict[str, Any] = {
        "funding_rate": 0.03,
        "operating_cost_rate": 0.004,
        "hurdle_rate": 0.12,
        "risk_free_rate": 0.03,
        "capital_ratio": 0.10,
        "regime": BASEL_III,
    }
    q = facility_price(f, cash_flows=flows, **kw)
    # years from start (actual/365.25): 365, 730, 1096, 1461 and 1826 days
    days = [365, 730, 1096, 1461, 1826]
    m = sum(d / 365.25 * a for d, (_, a) in zip(days, flows, strict=True)) / 12.5e6
    assert m == pytest.approx(4.59937, abs=1e-5)
    same = price_facility(
        default_probability=0.01,
        lgd=0.45,
        maturity=f.tenor_years,
        capital_maturity=m,
        upfront_fee=0.01,
        **kw,
    )
    assert q.minimum_rate == pytest.approx(same.minimum_rate, rel=1e-12)
    assert q.risk_weight == pytest.approx(_irb_rw(0.01, 0.45, m), rel=1e-9)
    with pytest.raises(
        InvalidValueError,
        match=r"`cash_flows\[0\]` must be a date on or after start_on \(2026-01-01\); "
        r"got '2025-12-31'",
    ):
        facility_price(f, cash_flows=[(dt.date(2025, 12, 31), 1.0)], **kw)
    with pytest.raises(
        InvalidValueError,
        match=r"`cash_flows` must be at least one \(date, amount\) pair; got \[\]",
    ):
        facility_price(f, cash_flows=[], **kw)
