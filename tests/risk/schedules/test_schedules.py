"""Repayment schedules: exact values, invariants, batch against one facility."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lendcrm import Amortisation, DayCount, Money, Pricing, RepaymentTerms
from lendcrm.risk.schedules import (
    ForwardCurve,
    book_schedules,
    facility_schedule,
    repayment_schedules,
)
from tests.factories import facility

START, END = "2026-01-01", "2031-01-01"


def test_annuity_payment_is_the_textbook_level_instalment() -> None:
    # A = P r / (1 - (1 + r)^-n) (e.g. Brealey, Myers & Allen, Principles of
    # Corporate Finance, ch. 2, "annuity"): 1e6 at 6 % over 5 years = 237,396.40.
    s = repayment_schedules(
        principal=1e6,
        start=START,
        maturity=END,
        amortisation="annuity",
        rate=0.06,
        payments_per_year=1,
        day_count="30/360",
    )
    a = 1e6 * 0.06 / (1 - 1.06**-5)
    np.testing.assert_allclose(s.cash_flows[0], a, rtol=1e-12)
    assert round(a, 2) == 237396.40


def test_monthly_annuity_matches_the_formula() -> None:
    r = 0.05 / 12
    s = repayment_schedules(
        principal=250_000.0,
        start=START,
        maturity="2046-01-01",
        amortisation="annuity",
        rate=0.05,
        payments_per_year=12,
        day_count="30/360",
    )
    a = 250_000.0 * r / (1 - (1 + r) ** -240)
    np.testing.assert_allclose(s.cash_flows[0], a, rtol=1e-10)
    assert s.periods.tolist() == [240]


def test_linear_bullet_balloon_and_grace() -> None:
    s = repayment_schedules(
        principal=1200.0,
        start="2026-01-01",
        maturity="2027-01-01",
        amortisation=["linear", "bullet", "linear", "balloon"],
        rate=0.12,
        day_count="30/360",
        grace_periods=[0, 0, 1, 0],
        balloon_fraction=[0.0, 0.0, 0.0, 0.25],
    )
    assert s.principal[0].tolist() == [300.0] * 4
    assert s.principal[1].tolist() == [0.0, 0.0, 0.0, 1200.0]
    assert s.principal[2].tolist() == [0.0, 400.0, 400.0, 400.0]
    assert s.interest[0].tolist() == pytest.approx([36.0, 27.0, 18.0, 9.0])
    # balloon: an annuity down to 300, then the 300 at maturity
    assert s.balance[3, -1] - s.principal[3, -1] == 0.0
    assert s.closing_balance[3, -2] > 300.0


def test_day_counts_accrue_actual_or_thirty_days() -> None:
    # 2026-01-01 to 2026-04-01 is 90 actual days; 30/360 counts three months.
    s = repayment_schedules(
        principal=1e6,
        start="2026-01-01",
        maturity="2026-04-01",
        amortisation="bullet",
        rate=0.036,
        day_count=["ACT/360", "ACT/365F", "30/360"],
    )
    assert s.accrual[:, 0].tolist() == pytest.approx([90 / 360, 90 / 365, 0.25])
    assert s.interest[:, 0].tolist() == pytest.approx([9000.0, 8876.712328767, 9000.0])


def test_thirty_360_bond_basis_on_month_ends() -> None:
    # ISDA 4.16(f): 31 Jan -> 28 Feb: D1 = 30, 30 + (28 - 30) = 28 days; 28 Feb ->
    # 31 Mar: D1 = 28 < 30 so D2 stays 31, 30 + 3 = 33 days.
    s = repayment_schedules(
        principal=1.0,
        start="2026-01-31",
        maturity="2026-03-31",
        amortisation="bullet",
        rate=0.0,
        payments_per_year=12,
        day_count="30/360",
    )
    assert s.dates[0].astype(str).tolist() == ["2026-02-28", "2026-03-31"]
    assert s.accrual[0].tolist() == pytest.approx([28 / 360, 33 / 360])


def test_short_last_period_and_dates() -> None:
    s = repayment_schedules(
        principal=100.0,
        start="2026-01-31",
        maturity="2026-08-15",
        amortisation="linear",
        rate=0.0,
    )
    assert s.dates[0].astype(str).tolist() == ["2026-04-30", "2026-07-31", "2026-08-15"]
    assert s.mask.tolist() == [[True, True, True]]


def test_floating_rate_is_curve_plus_margin_with_a_zero_floor() -> None:
    curve = ForwardCurve(
        as_of=dt.date(2026, 1, 1), tenors=(0.0, 0.4), rates=(-0.01, 0.02)
    )
    s = repayment_schedules(
        principal=100.0,
        start="2026-01-01",
        maturity="2027-01-01",
        amortisation="bullet",
        rate=0.005,
        reference=["EUR3M", "EUR3M"],
        curves={"EUR3M": curve},
        day_count="30/360",
        zero_floor=[True, False],
    )
    assert s.interest[0].tolist() == pytest.approx([0.0, 0.0, 0.625, 0.625])
    assert s.interest[1].tolist() == pytest.approx([-0.125, -0.125, 0.625, 0.625])


def test_revolver_follows_utilisation_and_pays_commitment_fees() -> None:
    s = repayment_schedules(
        principal=1000.0,
        start="2026-01-01",
        maturity="2027-01-01",
        amortisation="revolver",
        rate=0.04,
        day_count="30/360",
        profile=[[0.5, 0.8, 0.2, 0.1]],
        commitment_fee=0.01,
    )
    assert s.balance[0].tolist() == [500.0, 800.0, 200.0, 100.0]
    assert s.principal[0].tolist() == [-300.0, 600.0, 100.0, 100.0]
    assert s.fees[0].tolist() == pytest.approx([1.25, 0.5, 2.0, 2.25])
    assert s.principal.sum() == 500.0  # the first drawing is repaid


def test_sculpted_profile_from_project_finance_sculpting() -> None:
    from lendcrm.risk.project_finance import sculpt  # the hand-off (tests may import)

    debt = sculpt([120.0, 130.0, 140.0, 150.0], 1.3, debt_rate=0.05)
    profile = debt.principal / debt.debt_capacity
    s = repayment_schedules(
        principal=debt.debt_capacity,
        start="2026-01-01",
        maturity="2030-01-01",
        amortisation="sculpted",
        rate=0.05,
        payments_per_year=1,
        day_count="30/360",
        profile=[profile],
    )
    np.testing.assert_allclose(s.principal[0], debt.principal, rtol=1e-9)
    np.testing.assert_allclose(s.interest[0], debt.interest, rtol=1e-9)
    np.testing.assert_allclose(s.cash_flows[0], debt.debt_service, rtol=1e-9)


KINDS = st.sampled_from(["annuity", "linear", "bullet", "balloon"])


@given(
    kind=KINDS,
    principal=st.floats(1.0, 1e9),
    rate=st.floats(0.0, 0.3),
    years=st.integers(1, 15),
    ppy=st.sampled_from([1, 2, 4, 12]),
    day_count=st.sampled_from(list(DayCount)),
    grace=st.integers(0, 3),
)
def test_principal_is_repaid_and_the_balance_never_rises(
    *,
    kind: str,
    principal: float,
    rate: float,
    years: int,
    ppy: int,
    day_count: DayCount,
    grace: int,
) -> None:
    n = years * ppy
    s = repayment_schedules(
        principal=principal,
        start="2026-03-31",
        maturity=f"{2026 + years}-03-31",
        amortisation=kind,
        rate=rate,
        payments_per_year=ppy,
        day_count=day_count,
        grace_periods=min(grace, n - 1) if kind != "bullet" else 0,
        balloon_fraction=0.3 if kind == "balloon" else 0.0,
    )
    assert s.periods.tolist() == [n]
    assert s.principal.sum() == pytest.approx(principal, rel=1e-12)
    assert s.closing_balance[0, n - 1] == 0.0
    assert (np.diff(s.balance[0, :n]) <= 1e-9 * principal).all()
    assert (s.principal >= -1e-9 * principal).all()


def test_book_equals_each_facility_alone() -> None:
    curve = ForwardCurve(
        as_of=dt.date(2024, 1, 1), tenors=(0.0, 2.0), rates=(0.03, 0.025)
    )
    terms = [
        RepaymentTerms(amortisation=Amortisation.ANNUITY, payments_per_year=4),
        RepaymentTerms(
            amortisation=Amortisation.LINEAR,
            payments_per_year=2,
            grace_periods=2,
            day_count=DayCount.THIRTY_360,
        ),
        RepaymentTerms(
            amortisation=Amortisation.BALLOON,
            balloon_fraction=0.4,
            payments_per_year=12,
            day_count=DayCount.ACT_365F,
        ),
        RepaymentTerms(
            amortisation=Amortisation.REVOLVER,
            payments_per_year=1,
            utilisation_profile=(0.3, 0.5, 0.6, 0.4, 0.2, 0.1, 0.0),
        ),
    ]
    fixed = Pricing(
        reference_rate="FIXED", margin_bps=450, arrangement_fee=Money.of("0", "EUR")
    )
    book = [
        facility(f"F-{i}", terms=t, pricing=fixed if i == 1 else facility().pricing)
        for i, t in enumerate(terms)
    ]
    whole = book_schedules(book, curves={"EURIBOR_3M": curve})
    for i, f in enumerate(book):
        one = facility_schedule(f, curves={"EURIBOR_3M": curve})
        n = int(one.periods[0])
        for name in ("balance", "principal", "interest", "fees", "accrual"):
            np.testing.assert_array_equal(
                getattr(whole, name)[i, :n], getattr(one, name)[0]
            )
            assert (getattr(whole, name)[i, n:] == 0).all()
        assert (whole.dates[i, :n] == one.dates[0]).all()
        assert np.isnat(whole.dates[i, n:]).all()
    assert whole.facility_ids is not None
    assert whole.facility_ids.tolist() == ["F-0", "F-1", "F-2", "F-3"]


def test_blocks_of_rows_do_not_change_the_result(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from lendcrm.risk.schedules import _engine

    args = {
        "principal": [1000.0, 2000.0, 500.0, 800.0, 1200.0],
        "start": "2026-01-31",
        "maturity": [
            "2028-01-31",
            "2031-06-30",
            "2027-01-31",
            "2029-01-31",
            "2030-01-31",
        ],
        "amortisation": ["annuity", "linear", "bullet", "revolver", "balloon"],
        "rate": 0.05,
        "balloon_fraction": [0.0, 0.0, 0.0, 0.0, 0.3],
        "profile": np.full((5, 30), 0.5),
        "commitment_fee": 0.01,
    }
    whole = repayment_schedules(**args)  # type: ignore[arg-type]
    monkeypatch.setattr(_engine, "BLOCK_ROWS", 2)
    blocked = repayment_schedules(**args)  # type: ignore[arg-type]
    for name in ("balance", "interest", "fees", "accrual"):
        np.testing.assert_array_equal(getattr(blocked, name), getattr(whole, name))
