"""Balance on a date, weighted average life, effective interest rate, EAD profiles."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lendcrm.risk.schedules import (
    annual_effective_rate,
    balance_at,
    ead_profile,
    effective_interest_rate,
    repayment_schedules,
    weighted_average_life,
)


@given(n=st.integers(1, 40), ppy=st.sampled_from([1, 2, 4, 12]))
def test_wal_of_a_linear_loan_is_n_plus_one_over_two_periods(n: int, ppy: int) -> None:
    # WAL of equal principal repayments: sum(k)/n = (n + 1) / 2 periods (Fabozzi,
    # The Handbook of Fixed Income Securities, "average life"); 30/360 regular periods.
    months = n * 12 // ppy
    end = np.datetime64("2026-01-01", "M") + np.timedelta64(months, "M")
    s = repayment_schedules(
        principal=1e6,
        start="2026-01-01",
        maturity=end.astype("datetime64[D]"),
        amortisation="linear",
        rate=0.05,
        payments_per_year=ppy,
        day_count="30/360",
    )
    assert weighted_average_life(s)[0] == pytest.approx((n + 1) / 2 / ppy, rel=1e-12)


def test_wal_of_bullet_is_the_tenor_and_of_a_revolver_its_commitment() -> None:
    s = repayment_schedules(
        principal=100.0,
        start="2026-01-01",
        maturity="2031-01-01",
        amortisation=["bullet", "revolver"],
        rate=0.05,
        day_count="30/360",
        profile=np.full((2, 20), 0.5),
    )
    assert weighted_average_life(s).tolist() == pytest.approx([5.0, 5.0])


@given(
    kind=st.sampled_from(["annuity", "linear", "bullet", "balloon"]),
    rate=st.floats(0.0, 0.25),
    ppy=st.sampled_from([1, 4, 12]),
    day_count=st.sampled_from(["ACT/360", "ACT/365F", "30/360"]),
)
def test_eir_is_the_nominal_rate_without_fees(
    kind: str, rate: float, ppy: int, day_count: str
) -> None:
    s = repayment_schedules(
        principal=1e6,
        start="2026-02-28",
        maturity="2033-05-31",
        amortisation=kind,
        rate=rate,
        payments_per_year=ppy,
        day_count=day_count,
        balloon_fraction=0.2 if kind == "balloon" else 0.0,
    )
    assert effective_interest_rate(s)[0] == pytest.approx(rate, abs=1e-9)


def test_eir_with_an_upfront_fee_discounts_flows_to_the_carrying_amount() -> None:
    s = repayment_schedules(
        principal=1e6,
        start="2026-01-01",
        maturity="2029-01-01",
        amortisation="bullet",
        rate=0.05,
        payments_per_year=1,
        day_count="30/360",
        upfront_fee=30_000.0,
    )
    i = effective_interest_rate(s)[0]
    # a 3-year bullet at 5 % bought at 97: 50/(1+i) + 50/(1+i)^2 + 1050/(1+i)^3 = 970
    pv = 50 / (1 + i) + 50 / (1 + i) ** 2 + 1050 / (1 + i) ** 3
    assert pv == pytest.approx(970.0, abs=1e-6)
    assert i == pytest.approx(0.061249, abs=1e-6)


def test_annual_effective_rate() -> None:
    assert annual_effective_rate(0.06, 4)[0] == pytest.approx(1.015**4 - 1)


def test_balance_at_dates() -> None:
    s = repayment_schedules(
        principal=1200.0,
        start="2026-01-31",
        maturity="2027-01-31",
        amortisation="linear",
        rate=0.05,
    )
    days = [
        "2026-01-30",
        "2026-01-31",
        "2026-04-29",
        "2026-04-30",
        "2027-01-30",
        "2027-01-31",
    ]
    got = [float(balance_at(s, d)[0]) for d in days]
    assert got == [0.0, 1200.0, 1200.0, 900.0, 300.0, 0.0]


def test_ead_profile_with_prepayment_and_ccf() -> None:
    s = repayment_schedules(
        principal=[1000.0, 1000.0],
        start="2026-01-01",
        maturity="2029-01-01",
        amortisation=["bullet", "revolver"],
        rate=0.05,
        payments_per_year=1,
        profile=[[0.0] * 3, [0.2, 0.5, 0.4]],
    )
    p = ead_profile(
        s, as_of=dt.date(2026, 1, 1), periods=4, ccf=0.5, prepayment_rate=0.1
    )
    assert p.ead[0].tolist() == pytest.approx([1000.0, 900.0, 810.0, 0.0])
    assert p.ead[1].tolist() == pytest.approx([600.0, 750.0, 700.0, 0.0])
    assert p.mask.tolist() == [[True, True, True, False]] * 2
    assert p.ead.shape == (2, 4)
    assert p.times.tolist() == [0.0, 1.0, 2.0, 3.0]


def test_ead_profile_drawn_is_the_balance_on_each_period_start() -> None:
    s = repayment_schedules(
        principal=[1200.0, 900.0, 500.0],
        start=["2026-01-31", "2025-08-31", "2027-03-15"],
        maturity=["2030-01-31", "2029-02-28", "2031-03-15"],
        amortisation=["linear", "annuity", "bullet"],
        rate=0.05,
        payments_per_year=[4, 12, 2],
    )
    p = ead_profile(s, as_of=dt.date(2026, 2, 28), periods=10, periods_per_year=2)
    for h, start in enumerate(p.starts):
        np.testing.assert_array_equal(p.drawn[:, h], balance_at(s, start))
