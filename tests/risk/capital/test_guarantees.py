"""Guarantees: declining costlier cover, maturity and currency mismatch.

CRE32.22: banks may choose not to recognise credit protection if doing so would result
in a higher capital requirement. CRE32.56 applies the standardised treatment of
maturity mismatches (CRE22.10-22.14): a mismatched hedge counts for
P (t - 0.25) / (T - 0.25), T = min(5, exposure's residual maturity), t = min(T, hedge's
residual maturity), and not at all with three months or less to run or under one year
at origin. Currency mismatch of a guarantee: G (1 - HFX), HFX = 8 % over 10 business
days, scaled by sqrt((NR + 9) / 10) for revaluation every NR business days.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lendcrm import (
    ClientId,
    Facility,
    FacilityId,
    FacilityKind,
    FacilityStatus,
    Guarantee,
    Money,
    Pricing,
    Seniority,
)
from lendcrm.errors import InvalidValueError
from lendcrm.risk.capital import (
    BASEL_III,
    HoldingPeriod,
    airb_lgd_floor,
    facility_guaranteed_rwa,
    foundation_lgd,
    guaranteed_risk_weighted_assets,
    maturity_mismatch_factor,
    risk_weight,
)

RW = {
    "borrower": float(risk_weight(0.005, 0.45, regime=BASEL_III)[0]),
    "weak_guarantor": float(risk_weight(0.05, 0.45, regime=BASEL_III)[0]),
    "bank": float(risk_weight(0.001, 0.45, regime=BASEL_III, asset_class="bank")[0]),
}


def test_mismatch_factor_hand_values():
    # (hedge residual, exposure residual, hedge original) -> factor
    # (2, 5): (2 - 0.25) / (5 - 0.25) = 0.368421
    # (0.25, 5): three months or less -> 0
    # (0.3, 5, orig 2): (0.05) / 4.75 = 0.010526
    # (0.8, 5, orig unknown -> 0.8 < 1 year) -> 0; with orig 2: 0.55 / 4.75 = 0.115789
    # (6, 10): T = min(5, 10) = 5, t = 5 -> 1
    # (4, 8): T = 5, t = 4 -> 3.75 / 4.75 = 0.789474
    # (4, 3): no mismatch -> 1
    f = maturity_mismatch_factor(
        [2.0, 0.25, 0.3, 0.8, 0.8, 6.0, 4.0, 4.0],
        [5.0, 5.0, 5.0, 5.0, 5.0, 10.0, 8.0, 3.0],
        protection_original_maturity=[2.0, 2.0, 2.0, 0.8, 2.0, 6.0, 4.0, 4.0],
    )
    np.testing.assert_allclose(
        f,
        [1.75 / 4.75, 0.0, 0.05 / 4.75, 0.0, 0.55 / 4.75, 1.0, 3.75 / 4.75, 1.0],
        rtol=1e-14,
    )
    assert maturity_mismatch_factor(0.8, 5.0)[0] == 0.0  # original taken as 0.8


def test_collateral_maturity_mismatch_in_foundation_lgd_and_floor():
    # E = 100, cash 100 that runs 2 years on a 5-year exposure: ES = 100 x 0.368421,
    # LGD* = 0.45 x (1 - 0.368421) = 0.284211 (CRE32.10 with CRE22.10-22.14).
    lgd = foundation_lgd(
        100.0,
        100.0,
        "cash",
        lgd_unsecured=0.45,
        collateral_maturity=2.0,
        exposure_maturity=5.0,
    )
    np.testing.assert_allclose(lgd, [0.45 * (1 - 1.75 / 4.75)], rtol=1e-14)
    # The A-IRB floor uses the same ES: 0.25 x 0.631579 = 0.157895 (CRE32.17).
    floor = airb_lgd_floor(
        100.0,
        100.0,
        "cash",
        regime=BASEL_III,
        collateral_maturity=2.0,
        exposure_maturity=5.0,
    )
    np.testing.assert_allclose(floor, [0.25 * (1 - 1.75 / 4.75)], rtol=1e-14)


def test_costlier_guarantee_is_declined_by_default():
    # Borrower PD 0.5 %, guarantor PD 5 %: substitution would raise the weight of the
    # covered 60 (CRE32.22), so by default the borrower's weight stays on all 100.
    kw: dict[str, Any] = {
        "default_probability": 0.005,
        "lgd": 0.45,
        "guarantor_pd": 0.05,
        "guarantor_lgd": 0.45,
        "regime": BASEL_III,
    }
    declined = guaranteed_risk_weighted_assets(100.0, 60.0, **kw)
    np.testing.assert_allclose(declined, [100 * RW["borrower"]], rtol=1e-14)
    forced = guaranteed_risk_weighted_assets(
        100.0, 60.0, decline_if_costlier=False, **kw
    )
    np.testing.assert_allclose(
        forced, [60 * RW["weak_guarantor"] + 40 * RW["borrower"]], rtol=1e-14
    )
    assert forced[0] > declined[0]


def test_guarantee_currency_and_maturity_mismatch():
    kw: dict[str, Any] = {
        "default_probability": 0.05,
        "lgd": 0.45,
        "guarantor_pd": 0.001,
        "guarantor_lgd": 0.45,
        "guarantor_class": "bank",
        "regime": BASEL_III,
    }
    rw_b = float(risk_weight(0.05, 0.45, regime=BASEL_III)[0])
    # Currency mismatch, daily revaluation: GA = 60 x 0.92 = 55.2.
    fx = guaranteed_risk_weighted_assets(100.0, 60.0, currency_mismatch=True, **kw)
    np.testing.assert_allclose(fx, [55.2 * RW["bank"] + 44.8 * rw_b], rtol=1e-14)
    # Revalued every 20 business days: HFX = 0.08 sqrt((20 + 9) / 10) = 0.136235.
    ga = 60.0 * (1 - 0.08 * math.sqrt(2.9))
    slow = guaranteed_risk_weighted_assets(
        100.0,
        60.0,
        currency_mismatch=True,
        holding_period=HoldingPeriod(minimum_days=10, revaluation_days=20),
        **kw,
    )
    np.testing.assert_allclose(slow, [ga * RW["bank"] + (100 - ga) * rw_b], rtol=1e-14)
    # Maturity mismatch: a 2-year guarantee on a 5-year exposure covers 60 x 0.368421.
    ga = 60.0 * 1.75 / 4.75
    mm = guaranteed_risk_weighted_assets(
        100.0, 60.0, guarantee_maturity=2.0, exposure_maturity=5.0, **kw
    )
    np.testing.assert_allclose(mm, [ga * RW["bank"] + (100 - ga) * rw_b], rtol=1e-14)


@given(
    p_b=st.floats(0.001, 0.3),
    p_g=st.floats(0.0, 0.3),
    cov=st.floats(0.0, 100.0),
)
def test_recognised_guarantee_never_raises_rwa(p_b, p_g, cov):
    with_cover = guaranteed_risk_weighted_assets(
        100.0,
        cov,
        default_probability=p_b,
        lgd=0.45,
        guarantor_pd=p_g,
        guarantor_lgd=0.45,
        regime=BASEL_III,
    )
    alone = 100.0 * risk_weight(p_b, 0.45, regime=BASEL_III)
    assert with_cover[0] <= alone[0] * (1 + 1e-12)


def test_facility_form_declines_a_costlier_guarantee():
    f = Facility(
        id=FacilityId("F-1"),
        client_id=ClientId("C-1"),
        kind=FacilityKind.TERM_LOAN,
        currency="EUR",
        limit=Money.of("100", "EUR"),
        drawn=Money.of("100", "EUR"),
        start_on=dt.date(2025, 1, 1),
        maturity_on=dt.date(2030, 1, 1),
        seniority=Seniority.SENIOR_UNSECURED,
        pricing=Pricing(
            reference_rate="FIXED", margin_bps=300, arrangement_fee=Money.of("0", "EUR")
        ),
        status=FacilityStatus.ACTIVE,
        credit_conversion_factor=1.0,
        default_probability=0.005,
        loss_given_default=0.45,
        guarantees=(
            Guarantee(
                covered=Money.of("60", "EUR"),
                guarantor_name="Weak Parent",
                guarantor_default_probability=0.05,
            ),
        ),
    )
    as_of = dt.date(2027, 7, 2)
    m = f.remaining_years(as_of)
    alone = 100.0 * float(risk_weight(0.005, 0.45, regime=BASEL_III, maturity=m)[0])
    assert facility_guaranteed_rwa(f, as_of=as_of, regime=BASEL_III) == pytest.approx(
        alone, rel=1e-14
    )
    forced = facility_guaranteed_rwa(
        f, as_of=as_of, regime=BASEL_III, decline_if_costlier=False
    )
    rw_g = float(risk_weight(0.05, 0.45, regime=BASEL_III, maturity=m)[0])
    assert forced == pytest.approx(60 * rw_g + 0.4 * alone, rel=1e-13)


def test_mismatch_inputs_are_checked():
    with pytest.raises(
        InvalidValueError,
        match=r"^`exposure_maturity` must be given together with guarantee_maturity "
        r"and exposure_maturity \(residual maturities in years, for the "
        r"maturity-mismatch adjustment of CRE22\.10-22\.14\); got None\.$",
    ):
        guaranteed_risk_weighted_assets(
            100.0,
            60.0,
            default_probability=0.05,
            lgd=0.45,
            guarantor_pd=0.001,
            guarantor_lgd=0.45,
            regime=BASEL_III,
            guarantee_maturity=2.0,
        )
    with pytest.raises(
        InvalidValueError, match=r"^`collateral_maturity` must be given together"
    ):
        foundation_lgd(100.0, 50.0, "cash", lgd_unsecured=0.45, exposure_maturity=5.0)
    with pytest.raises(
        InvalidValueError,
        match=r"^`protection_original_maturity\[0\]` must be at least the residual "
        r"maturity protection_maturity\[0\] \(2 years\); got 1\.0\.$",
    ):
        maturity_mismatch_factor(2.0, 5.0, protection_original_maturity=1.0)
    with pytest.raises(
        InvalidValueError,
        match=r"`currency_mismatch\[0\]` must be a boolean \(0 or 1\); got 3\.0\.",
    ):
        guaranteed_risk_weighted_assets(
            100.0,
            60.0,
            default_probability=0.05,
            lgd=0.45,
            guarantor_pd=0.001,
            guarantor_lgd=0.45,
            regime=BASEL_III,
            currency_mismatch=3,
        )
