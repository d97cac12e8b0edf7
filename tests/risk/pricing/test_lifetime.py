"""Lifetime pricing: per-year RAROC reuses the one-year build-up; WAL fee spreading."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest

from lendcrm.errors import InvalidValueError
from lendcrm.risk.capital import BASEL_III
from lendcrm.risk.pricing import lifetime_raroc, minimum_rate
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


def test_a_bullet_at_the_minimum_rate_earns_the_hurdle_every_year() -> None:
    # A 5-year bullet, fully drawn: each year is the one-year build-up of
    # minimum_rate (upfront fee over WAL = tenor = 5 years), so RAROC = hurdle.
    rate = float(minimum_rate(maturity=5.0, upfront_fee=0.01, **PRICE)[0])
    s = repayment_schedules(
        principal=1e6,
        start="2026-01-01",
        maturity="2031-01-01",
        amortisation="bullet",
        rate=rate,
        payments_per_year=1,
        day_count="30/360",
        upfront_fee=10_000.0,
    )
    r = lifetime_raroc(s, discount_rate=0.05, **PRICE)
    np.testing.assert_allclose(r.raroc[0], 0.12, rtol=1e-12)
    assert r.lifetime_raroc[0] == pytest.approx(0.12, rel=1e-12)
    assert r.margin_change[0] == pytest.approx(0.0, abs=1e-12)


def test_upfront_fee_is_spread_over_the_wal_not_the_tenor() -> None:
    # Linear 4-year annual loan, 30/360: WAL = (4 + 1) / 2 = 2.5 years, so a fee of
    # 10,000 is recognised 4,000, 4,000, 2,000, 0.
    s = repayment_schedules(
        principal=1e6,
        start="2026-01-01",
        maturity="2030-01-01",
        amortisation="linear",
        rate=0.0,
        payments_per_year=1,
        day_count="30/360",
        upfront_fee=10_000.0,
    )
    r = lifetime_raroc(s, discount_rate=0.0, **PRICE)
    assert r.weighted_average_life[0] == pytest.approx(2.5)
    assert r.revenue[0].tolist() == pytest.approx([4000.0, 4000.0, 2000.0, 0.0])
    assert r.drawn[0].tolist() == pytest.approx([1e6, 750_000.0, 500_000.0, 250_000.0])


def test_pv_raroc_by_hand_for_a_two_year_linear_loan() -> None:
    s = repayment_schedules(
        principal=1000.0,
        start="2026-01-01",
        maturity="2028-01-01",
        amortisation="linear",
        rate=0.06,
        payments_per_year=1,
        day_count="30/360",
    )
    r = lifetime_raroc(s, discount_rate=0.10, **PRICE)
    cap = r.capital[0]
    # capital is RW x 10 % x exposure: proportional to 1000 and 500
    assert cap[1] == pytest.approx(cap[0] / 2)
    num = np.array([60.0 - 30.0 - 4.5 - 4.0, 30.0 - 15.0 - 2.25 - 2.0]) + 0.03 * cap
    v = np.array([1 / 1.1, 1 / 1.1**2])
    assert r.lifetime_raroc[0] == pytest.approx((num * v).sum() / (cap * v).sum())
    assert r.raroc[0].tolist() == pytest.approx((num / cap).tolist())


def test_a_revolver_is_priced_on_its_utilisation_with_commitment_fees() -> None:
    s = repayment_schedules(
        principal=1000.0,
        start="2026-01-01",
        maturity="2028-01-01",
        amortisation="revolver",
        rate=0.05,
        payments_per_year=1,
        day_count="30/360",
        profile=[[0.4, 0.6]],
        commitment_fee=0.005,
    )
    r = lifetime_raroc(s, discount_rate=0.0, ccf=0.5, **PRICE)
    assert r.drawn[0].tolist() == pytest.approx([400.0, 600.0])
    assert r.exposure[0].tolist() == pytest.approx([700.0, 800.0])
    assert r.revenue[0].tolist() == pytest.approx([20.0 + 3.0, 30.0 + 2.0])
    assert r.funding_cost[0].tolist() == pytest.approx([12.0, 18.0])
    # the minimum margin: adding margin_change to the rate makes the PV RAROC the hurdle
    s2 = repayment_schedules(
        principal=1000.0,
        start="2026-01-01",
        maturity="2028-01-01",
        amortisation="revolver",
        rate=0.05 + float(r.margin_change[0]),
        payments_per_year=1,
        day_count="30/360",
        profile=[[0.4, 0.6]],
        commitment_fee=0.005,
    )
    again = lifetime_raroc(s2, discount_rate=0.0, ccf=0.5, **PRICE)
    assert again.lifetime_raroc[0] == pytest.approx(0.12, rel=1e-12)


def test_amounts_scale_with_the_bank_share_and_raroc_does_not() -> None:
    s = repayment_schedules(
        principal=1e6,
        start="2026-01-01",
        maturity="2031-01-01",
        amortisation="annuity",
        rate=0.05,
        payments_per_year=4,
        upfront_fee=5000.0,
    )
    whole = lifetime_raroc(s, discount_rate=0.03, **PRICE)
    part = lifetime_raroc(s, discount_rate=0.03, bank_share=0.25, **PRICE)
    np.testing.assert_allclose(part.capital, whole.capital * 0.25, rtol=1e-12)
    np.testing.assert_allclose(part.expected_loss, whole.expected_loss * 0.25)
    np.testing.assert_allclose(part.lifetime_raroc, whole.lifetime_raroc, rtol=1e-12)


def test_a_discount_rate_of_minus_one_names_the_facility() -> None:
    s = repayment_schedules(
        principal=1e6,
        start="2026-01-01",
        maturity="2031-01-01",
        amortisation="bullet",
        rate=0.05,
        facility_ids=["F-7"],
    )
    with pytest.raises(
        InvalidValueError,
        match=re.escape(
            "`facility 'F-7' discount_rate` must be a finite rate > -1; got -1.0."
        ),
    ):
        lifetime_raroc(s, discount_rate=-1.0, **PRICE)


def test_two_inputs_of_one_wrong_length_are_refused() -> None:
    # Found by the API fuzz: `ccf` and `bank_share` of length 3 agree with each
    # other, but the schedule holds 2 facilities; the length is the schedule's.
    s = repayment_schedules(
        principal=[1e6, 2e6],
        start="2026-01-01",
        maturity="2031-01-01",
        amortisation="bullet",
        rate=0.05,
    )
    with pytest.raises(InvalidValueError) as info:
        lifetime_raroc(
            s, discount_rate=0.0, ccf=[0.5] * 3, bank_share=[1.0] * 3, **PRICE
        )
    assert str(info.value) == (
        "`ccf` must be length 1 or one per facility (2); got 'length 3'."
    )
    assert info.value.field == "ccf"


def test_a_row_does_not_depend_on_the_longest_facility_of_the_book() -> None:
    # An ACT/360 revolver of 4 calendar years has a WAL of its tenor in day-count
    # years, 1461 / 360 = 4.0583 > 4 contract years. Its upfront fee is recognised in
    # full within its 4 years, alone or beside a 10-year loan (the relationship
    # view prices one client, the frame the whole book: found by their equality).
    kw: dict[str, Any] = {
        "start": ["2026-01-01", "2026-01-01"],
        "maturity": ["2030-01-01", "2036-01-01"],
        "amortisation": ["revolver", "linear"],
        "rate": 0.05,
        "payments_per_year": 4,
        "day_count": "ACT/360",
        "profile": [[0.5] * 16, [0.0] * 16],
        "commitment_fee": [0.005, 0.0],
        "upfront_fee": [10_000.0, 5_000.0],
    }
    book = repayment_schedules(principal=[1e6, 2e6], **kw)
    first: dict[str, Any] = {
        k: v[:1] if isinstance(v, list) else v for k, v in kw.items()
    }
    alone = repayment_schedules(principal=[1e6], **first)
    both = lifetime_raroc(book, discount_rate=0.05, ccf=0.5, **PRICE)
    one = lifetime_raroc(alone, discount_rate=0.05, ccf=0.5, **PRICE)
    assert both.weighted_average_life[0] == pytest.approx(1461 / 360)
    assert one.revenue.shape == (1, 4)
    np.testing.assert_allclose(both.revenue[0, :4], one.revenue[0], rtol=1e-12)
    assert both.revenue[0, 4:].tolist() == [0.0] * 6
    income = float((alone.interest + alone.fees).sum())
    assert one.revenue.sum() == pytest.approx(income + 10_000.0, rel=1e-12)
    assert both.lifetime_raroc[0] == pytest.approx(one.lifetime_raroc[0], rel=1e-12)
    assert both.pv_income[0] == pytest.approx(one.pv_income[0], rel=1e-12)
