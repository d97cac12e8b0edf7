"""Supervisory haircuts scaled to the holding period (CRE22.56-22.59, CRE32.11).

The supervisory haircuts are 10-business-day haircuts H10 (CRE22.59). A transaction
with minimum holding period TM business days (CRE22.57: repo-style 5, other
capital-market 10, secured lending 20) revalued every NR business days takes
H = H10 x sqrt((NR + TM - 1) / 10) (CRE22.58-22.59). Financial collateral under the
foundation IRB approach takes these adjusted haircuts (CRE32.11); the 40 % of
receivables, real estate and other physical collateral is not a holding-period haircut.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lendcrm.errors import InvalidValueError
from lendcrm.risk.capital import (
    FINANCIAL_COLLATERAL,
    SECURED_LENDING,
    HoldingPeriod,
    SupervisoryCollateral,
    collateral_after_haircut,
    foundation_lgd,
    supervisory_haircut,
)

TEN_DAYS = HoldingPeriod(minimum_days=10)


def test_secured_lending_is_the_default_and_scales_by_sqrt_two():
    # CRE22.57: secured lending, TM = 20 business days, daily revaluation (NR = 1).
    # CRE22.59: H = H10 x sqrt((1 + 20 - 1) / 10) = H10 x sqrt(2).
    assert HoldingPeriod(minimum_days=20, revaluation_days=1) == SECURED_LENDING
    root2 = math.sqrt(2.0)
    np.testing.assert_allclose(
        supervisory_haircut(["main_index_equity", "sovereign_long", "cash"]),
        [0.20 * root2, 0.04 * root2, 0.0],  # 0.282843, 0.056569, 0
        rtol=1e-15,
    )
    np.testing.assert_allclose(
        supervisory_haircut("main_index_equity"), [0.28284271247461906], rtol=1e-15
    )


def test_repo_style_and_monthly_revaluation_hand_values():
    # Repo-style, daily remargining: sqrt((1 + 5 - 1) / 10) = sqrt(0.5) = 0.707107;
    # other listed equity 30 % -> 21.2132 %.
    np.testing.assert_allclose(
        supervisory_haircut(
            "other_listed_equity", holding_period=HoldingPeriod(minimum_days=5)
        ),
        [0.30 * math.sqrt(0.5)],
        rtol=1e-15,
    )
    # Secured lending revalued every 20 business days (about monthly):
    # sqrt((20 + 20 - 1) / 10) = sqrt(3.9) = 1.974842; gold 20 % -> 39.4968 %.
    monthly = HoldingPeriod(minimum_days=20, revaluation_days=20)
    np.testing.assert_allclose(
        supervisory_haircut("gold", holding_period=monthly),
        [0.20 * math.sqrt(3.9)],
        rtol=1e-15,
    )
    assert supervisory_haircut("gold", holding_period=monthly)[0] == pytest.approx(
        0.394968, abs=1e-6
    )


def test_ten_day_base_is_the_cre22_49_table():
    # CRE22.59: the 10-business-day haircuts are the base (TM = 10, NR = 1: scale 1).
    np.testing.assert_allclose(
        supervisory_haircut(
            ["cash", "sovereign_short", "main_index_equity", "other_listed_equity"],
            holding_period=TEN_DAYS,
        ),
        [0.0, 0.005, 0.20, 0.30],
    )


def test_non_financial_haircut_is_not_scaled_but_fx_is():
    # CRE32.11: receivables, real estate, other physical 40 % whatever the holding
    # period. CRE32.12: the FX haircut is the comprehensive approach's 8 % (10 days),
    # so secured lending takes 8 % x sqrt(2) = 11.3137 %, on every kind.
    fx = 0.08 * math.sqrt(2.0)
    np.testing.assert_allclose(
        supervisory_haircut(
            ["real_estate", "receivables", "other_physical", "cash"],
            currency_mismatch=[False, True, False, True],
        ),
        [0.40, 0.40 + fx, 0.40, fx],
        rtol=1e-15,
    )


def test_foundation_lgd_uses_the_secured_lending_haircut():
    # E = 100, main-index equity C = 100 under secured lending:
    # ES = 100 x (1 - 0.2 sqrt 2) = 71.7157, EU = 28.2843; LGD* = 0.45 x 0.282843
    # = 0.127279 (CRE32.10 with the CRE22.59 haircut; 10-day haircut would give 0.09).
    np.testing.assert_allclose(
        foundation_lgd(100.0, 100.0, "main_index_equity", lgd_unsecured=0.45),
        [0.45 * 0.2 * math.sqrt(2.0)],
        rtol=1e-14,
    )
    np.testing.assert_allclose(
        foundation_lgd(
            100.0,
            100.0,
            "main_index_equity",
            lgd_unsecured=0.45,
            holding_period=TEN_DAYS,
        ),
        [0.09],
        rtol=1e-14,
    )


@given(
    kind=st.sampled_from(sorted(FINANCIAL_COLLATERAL)),
    t_m=st.integers(1, 60),
    n_a=st.integers(1, 60),
    n_b=st.integers(1, 60),
)
def test_haircut_non_decreasing_in_revaluation_interval(kind, t_m, n_a, n_b):
    lo, hi = sorted((n_a, n_b))
    h_lo = supervisory_haircut(
        kind, holding_period=HoldingPeriod(minimum_days=t_m, revaluation_days=lo)
    )
    h_hi = supervisory_haircut(
        kind, holding_period=HoldingPeriod(minimum_days=t_m, revaluation_days=hi)
    )
    assert h_lo[0] <= h_hi[0]
    assert (
        collateral_after_haircut(
            100.0,
            kind,
            holding_period=HoldingPeriod(minimum_days=t_m, revaluation_days=hi),
        )[0]
        >= 0.0
    )


def test_kinds_enum_is_split_into_financial_and_not():
    assert SupervisoryCollateral.CASH in FINANCIAL_COLLATERAL
    assert SupervisoryCollateral.REAL_ESTATE not in FINANCIAL_COLLATERAL


@pytest.mark.parametrize("field", ["minimum_days", "revaluation_days"])
@pytest.mark.parametrize("bad", [0, -1, 2.5, True])
def test_holding_period_needs_positive_whole_days(field, bad):
    kwargs = {"minimum_days": 20, "revaluation_days": 1, field: bad}
    with pytest.raises(
        InvalidValueError, match=rf"`{field}` must be an integer > 0; got "
    ):
        HoldingPeriod(**kwargs)
