"""PD floor for QRRE revolvers and A-IRB LGD floors by collateral type.

CRE32.58: the PD of a retail exposure is at least 0.10 % for QRRE revolvers and 0.05 %
for all other retail exposures; LGD floors: mortgages 5 %, QRRE 50 %, other retail 30 %
unsecured and, secured, 0 % financial, 10 % receivables, 10 % real estate, 15 % other
physical. CRE32.16: corporate LGD floors, 25 % unsecured and the same secured floors.
CRE32.17 (and CRE32.59 for other retail): a partly secured exposure's floor is the
exposure-weighted average of the unsecured and secured floors, with ES and EU from the
haircuts of CRE32.10-32.11; the mortgage floor is 5 % whatever the collateral.
Expected values below are computed from these paragraphs and the formulas of CRE31.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import norm

from lendcrm import (
    ClientId,
    Collateral,
    CollateralKind,
    Facility,
    FacilityId,
    FacilityKind,
    FacilityStatus,
    Money,
    Pricing,
    Seniority,
)
from lendcrm.errors import InvalidValueError
from lendcrm.risk.capital import (
    BASEL_II,
    BASEL_III,
    SupervisoryCollateral,
    airb_lgd_floor,
    facility_airb_lgd_floor,
    irb_capital,
    risk_weight,
)

G999 = norm.ppf(0.999)


def k_retail(pd_: float, lgd: float, r: float) -> float:
    """CRE31.14-31.16 by hand: K with a fixed correlation, no maturity term."""
    stressed = norm.cdf((norm.ppf(pd_) + math.sqrt(r) * G999) / math.sqrt(1 - r))
    return lgd * stressed - pd_ * lgd


def k_corporate(pd_: float, lgd: float) -> float:
    """CRE31.5 by hand at M = 2.5 (maturity factor 1 / (1 - 1.5 b))."""
    w = (1 - math.exp(-50 * pd_)) / (1 - math.exp(-50))
    r = 0.12 * w + 0.24 * (1 - w)
    b = (0.11852 - 0.05478 * math.log(pd_)) ** 2
    stressed = norm.cdf((norm.ppf(pd_) + math.sqrt(r) * G999) / math.sqrt(1 - r))
    return (lgd * stressed - pd_ * lgd) / (1 - 1.5 * b)


def test_qrre_revolver_pd_floor_is_ten_basis_points():
    # CRE32.58: a QRRE revolver at PD 0.03 % is weighted at 0.10 %; a transactor at
    # 0.05 %. QRRE correlation 0.04 (CRE31.15). Annex 5 / CRE99 QRRE LGD 45 %:
    # 2.71 % at 0.10 % and 1.51 % at 0.05 %.
    rw = risk_weight(
        0.0003,
        0.45,
        regime=BASEL_III,
        asset_class=["qualifying_revolving", "qrre_transactor"],
    )
    expected = [12.5 * k_retail(0.001, 0.45, 0.04), 12.5 * k_retail(0.0005, 0.45, 0.04)]
    np.testing.assert_allclose(rw, expected, rtol=1e-9)
    np.testing.assert_allclose(100 * rw, [2.71, 1.51], atol=0.005)
    # Above the floor both are the same function.
    np.testing.assert_allclose(
        risk_weight(
            0.02,
            0.45,
            regime=BASEL_III,
            asset_class=["qualifying_revolving", "qrre_transactor"],
        ),
        [12.5 * k_retail(0.02, 0.45, 0.04)] * 2,
        rtol=1e-9,
    )
    # Basel II: one retail floor, 0.03 % (§331), and the 1.06 scaling factor.
    np.testing.assert_allclose(
        risk_weight(0.0001, 0.45, regime=BASEL_II, asset_class="qualifying_revolving"),
        [1.06 * 12.5 * k_retail(0.0003, 0.45, 0.04)],
        rtol=1e-9,
    )
    assert BASEL_III.default_probability_floor_qrre_revolver == 0.001
    assert BASEL_II.default_probability_floor_qrre_revolver == 0.0003


def test_corporate_lgd_floor_by_collateral_hand_values():
    # E = 100 in each row (CRE32.16-32.17, haircuts of CRE32.11, secured lending):
    # unsecured: 25 %;
    # real estate 50: ES = 50 x 0.6 = 30 -> 0.25 x 0.70 + 0.10 x 0.30 = 0.205;
    # cash 200: fully secured -> 0 %;
    # other physical 1000: fully secured -> 15 %;
    # main-index equity 100: ES = 100 (1 - 0.2 sqrt 2) -> 0.25 x 0.2 sqrt 2 = 0.070711.
    floor = airb_lgd_floor(
        100.0,
        [0.0, 50.0, 200.0, 1000.0, 100.0],
        ["cash", "real_estate", "cash", "other_physical", "main_index_equity"],
        regime=BASEL_III,
    )
    np.testing.assert_allclose(
        floor,
        [0.25, 0.205, 0.0, 0.15, 0.25 * 0.2 * math.sqrt(2.0)],
        rtol=1e-12,
        atol=1e-15,
    )


def test_retail_lgd_floors_by_class():
    # Other retail, receivables 50: ES = 30 -> 0.30 x 0.70 + 0.10 x 0.30 = 0.24.
    # QRRE: 50 % whatever secures it. Mortgage: 5 % fixed (CRE32.59), even fully
    # secured. Sovereign: no floor (CRE32.16).
    floor = airb_lgd_floor(
        100.0,
        [50.0, 100.0, 1000.0, 50.0],
        ["receivables", "cash", "real_estate", "cash"],
        regime=BASEL_III,
        asset_class=[
            "other_retail",
            "qualifying_revolving",
            "residential_mortgage",
            "sovereign",
        ],
    )
    np.testing.assert_allclose(floor, [0.24, 0.50, 0.05, 0.0], atol=1e-15)
    # Basel II: no corporate floor; the 10 % mortgage floor (§266).
    np.testing.assert_allclose(
        airb_lgd_floor(
            100.0,
            1000.0,
            "real_estate",
            regime=BASEL_II,
            asset_class=["corporate", "residential_mortgage"],
        ),
        [0.0, 0.10],
    )


def test_risk_weight_takes_the_collateral_floor_instead_of_25_percent():
    # Own LGD 5 % on a corporate fully secured by cash: the floor is 0 % (CRE32.16),
    # so the weight is at 5 %, not at the unsecured 25 % applied when no floor is given.
    fully = airb_lgd_floor(100.0, 200.0, "cash", regime=BASEL_III)
    rw = risk_weight(
        0.01, 0.05, regime=BASEL_III, apply_lgd_floor=True, lgd_floor=fully
    )
    np.testing.assert_allclose(rw, [12.5 * k_corporate(0.01, 0.05)], rtol=1e-9)
    np.testing.assert_allclose(
        risk_weight(0.01, 0.05, regime=BASEL_III, apply_lgd_floor=True),
        [12.5 * k_corporate(0.01, 0.25)],
        rtol=1e-9,
    )
    partly = irb_capital(
        ead=100.0,
        default_probability=0.01,
        lgd=0.05,
        regime=BASEL_III,
        apply_lgd_floor=True,
        lgd_floor=0.205,
    )
    assert partly.lgd == 0.205


def test_lgd_floor_needs_the_own_estimate_flag():
    with pytest.raises(
        InvalidValueError,
        match=r"^`lgd_floor` must be None unless apply_lgd_floor=True \(A-IRB floors "
        r"apply to own LGD estimates only\); got 0\.1\.$",
    ):
        risk_weight(0.01, 0.05, regime=BASEL_III, lgd_floor=0.1)
    with pytest.raises(
        InvalidValueError,
        match=r"`lgd_floor\[0\]` must be a finite number in \[0, 1\]; got 1\.5\.",
    ):
        risk_weight(0.01, 0.05, regime=BASEL_III, apply_lgd_floor=True, lgd_floor=1.5)


@given(
    c_a=st.floats(0, 1e4),
    c_b=st.floats(0, 1e4),
    kind=st.sampled_from(list(SupervisoryCollateral)),
    cls=st.sampled_from(["corporate", "other_retail", "bank"]),
)
def test_floor_non_increasing_in_collateral_and_bounded(c_a, c_b, kind, cls):
    lo, hi = sorted((c_a, c_b))
    f = airb_lgd_floor(100.0, [lo, hi], kind, regime=BASEL_III, asset_class=cls)
    assert f[1] <= f[0] + 1e-15
    unsecured = BASEL_III.lgd_floors[cls]
    secured = BASEL_III.secured_lgd_floors[kind]
    assert secured - 1e-15 <= f[1] <= unsecured + 1e-15


def test_facility_floor_matches_batch_and_pools_collateral():
    f = Facility(
        id=FacilityId("F-1"),
        client_id=ClientId("C-1"),
        kind=FacilityKind.TERM_LOAN,
        currency="EUR",
        limit=Money.of("100", "EUR"),
        drawn=Money.of("100", "EUR"),
        start_on=dt.date(2025, 1, 1),
        maturity_on=dt.date(2030, 1, 1),
        seniority=Seniority.SENIOR_SECURED,
        pricing=Pricing(
            reference_rate="FIXED", margin_bps=300, arrangement_fee=Money.of("0", "EUR")
        ),
        status=FacilityStatus.ACTIVE,
        credit_conversion_factor=1.0,
        collateral=(
            Collateral(kind=CollateralKind.EQUIPMENT, value=Money.of("50", "EUR")),
        ),
    )
    np.testing.assert_allclose(
        facility_airb_lgd_floor(f, regime=BASEL_III),
        airb_lgd_floor(100.0, 50.0, "other_physical", regime=BASEL_III),
        rtol=1e-14,
    )
    # Equipment 50 -> ES 30 at 15 %, EU 70 at 25 %: 0.045 + 0.175 = 0.22.
    assert facility_airb_lgd_floor(f, regime=BASEL_III) == pytest.approx(0.22)
    # Other retail: unsecured floor 30 %: 0.045 + 0.21 = 0.255.
    assert facility_airb_lgd_floor(
        f, regime=BASEL_III, asset_class="other_retail"
    ) == pytest.approx(0.255)
    with pytest.raises(InvalidValueError, match=r"`asset_class` must be one of"):
        facility_airb_lgd_floor(f, regime=BASEL_III, asset_class="hedge_fund")
