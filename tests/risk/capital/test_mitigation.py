"""Supervisory haircuts, foundation-IRB effective LGD and guarantee substitution."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lendcrm.errors import InvalidValueError
from lendcrm.risk.capital import (
    BASEL_II,
    BASEL_III,
    SUPERVISORY_HAIRCUTS,
    HaircutSchedule,
    HoldingPeriod,
    SupervisoryCollateral,
    collateral_after_haircut,
    foundation_lgd,
    guaranteed_risk_weighted_assets,
    risk_weighted_assets,
    supervisory_haircut,
    supervisory_lgd,
)

TEN_DAYS = HoldingPeriod(minimum_days=10)


def test_haircuts_and_fx_mismatch():
    # The 10-business-day base (CRE22.59): CRE22.49 / CRE32.11 table values, plus 8 %
    # for a currency mismatch (CRE22.52 via CRE32.12). The default holding period
    # scales these: see test_haircuts.py.
    h = supervisory_haircut(
        [
            "cash",
            "sovereign_short",
            "sovereign_medium",
            "sovereign_long",
            "main_index_equity",
            "other_listed_equity",
            "gold",
            "receivables",
            "real_estate",
            "other_physical",
        ],
        holding_period=TEN_DAYS,
    )
    np.testing.assert_allclose(
        h, [0.0, 0.005, 0.02, 0.04, 0.2, 0.3, 0.2, 0.4, 0.4, 0.4]
    )
    np.testing.assert_allclose(
        supervisory_haircut(
            "sovereign_medium", currency_mismatch=[False, True], holding_period=TEN_DAYS
        ),
        [0.02, 0.10],
    )


def test_collateral_value_never_negative():
    # Other listed equity 30 % + FX 8 % over 10 days: 100 x 0.62 = 62. Secured lending
    # (CRE22.57-22.59: x sqrt 2): 100 x (1 - 0.38 sqrt 2) = 46.2599.
    np.testing.assert_allclose(
        collateral_after_haircut(
            100.0,
            "other_listed_equity",
            currency_mismatch=True,
            holding_period=TEN_DAYS,
        ),
        [62.0],
    )
    np.testing.assert_allclose(
        collateral_after_haircut(100.0, "other_listed_equity", currency_mismatch=True),
        [100.0 * (1.0 - 0.38 * math.sqrt(2.0))],
        rtol=1e-14,
    )
    # Revalued once a year (NR = 250): 0.38 x sqrt(26.9) > 1, so nothing is left.
    yearly = HoldingPeriod(minimum_days=20, revaluation_days=250)
    np.testing.assert_allclose(
        collateral_after_haircut(
            100.0, "other_listed_equity", currency_mismatch=True, holding_period=yearly
        ),
        [0.0],
    )


def test_foundation_lgd_hand_values():
    # E = 100, real estate C = 100: ES = 100 x (1 - 0.4) = 60, EU = 40;
    # LGD* = 0.45 x 40 / 100 + 0.20 x 60 / 100 = 0.18 + 0.12 = 0.30.
    # Cash C = 50 in another currency, secured lending (CRE22.59: 8 % x sqrt 2):
    # ES = 50 x (1 - 0.08 sqrt 2) = 44.3431; LGD* = 0.45 x 55.6569 / 100 = 0.250456.
    # Other physical C = 1000 (over-secured): ES = 100, LGD* = LGD_S = 0.25.
    # Unsecured part at 40 % (non-financial corporate), receivables C = 50: ES = 30;
    # LGD* = 0.40 x 0.70 + 0.20 x 0.30 = 0.34.
    lgd = foundation_lgd(
        [100.0, 100.0, 100.0, 100.0],
        [100.0, 50.0, 1000.0, 50.0],
        ["real_estate", "cash", "other_physical", "receivables"],
        currency_mismatch=[False, True, False, False],
        lgd_unsecured=[0.45, 0.45, 0.45, 0.40],
    )
    cash = 0.45 * (100.0 - 50.0 * (1.0 - 0.08 * math.sqrt(2.0))) / 100.0
    np.testing.assert_allclose(lgd, [0.30, cash, 0.25, 0.34], rtol=1e-14)
    assert cash == pytest.approx(0.250456, abs=1e-6)


def test_foundation_lgd_with_exposure_haircut():
    # E = 100, HE = 10 %: E(1+HE) = 110; cash C = 55: ES = 55, EU = 55; LGD* = 0.225.
    np.testing.assert_allclose(
        foundation_lgd(100.0, 55.0, "cash", exposure_haircut=0.10, lgd_unsecured=0.45),
        [0.45 * 55 / 110],
    )


@given(
    c_a=st.floats(0, 1e4),
    c_b=st.floats(0, 1e4),
    kind=st.sampled_from(list(SupervisoryCollateral)),
)
def test_effective_lgd_non_increasing_in_collateral(c_a, c_b, kind):
    lo, hi = sorted((c_a, c_b))
    lgd = foundation_lgd(100.0, [lo, hi], kind, lgd_unsecured=0.45)
    assert lgd[1] <= lgd[0] + 1e-15
    assert SUPERVISORY_HAIRCUTS.secured_lgd[kind] - 1e-15 <= lgd[1] <= 0.45 + 1e-15


def test_guarantee_substitution_hand_value():
    # 60 of 100 covered by a bank (PD 0.1 %), rest at the borrower's PD 5 %:
    # RWA = 60 x RW(0.001) + 40 x RW(0.05) = 60 x 0.2965 + 40 x 1.4985 (Annex 5 cells
    # 29.65 % and 149.85 %... the latter hand-computed: see test_capital).
    rwa = guaranteed_risk_weighted_assets(
        100.0,
        60.0,
        default_probability=0.05,
        lgd=0.45,
        guarantor_pd=0.001,
        guarantor_lgd=0.45,
        guarantor_class="bank",
        regime=BASEL_III,
    )
    parts = risk_weighted_assets(
        [60.0, 40.0],
        [0.001, 0.05],
        0.45,
        regime=BASEL_III,
        asset_class=["bank", "corporate"],
    )
    np.testing.assert_allclose(rwa, [parts.sum()], rtol=1e-14)
    np.testing.assert_allclose(rwa, [60 * 0.2965 + 40 * 1.4985], rtol=1e-3)


def test_no_cover_is_the_borrower_alone():
    np.testing.assert_allclose(
        guaranteed_risk_weighted_assets(
            100.0,
            0.0,
            default_probability=0.02,
            lgd=0.4,
            guarantor_pd=0.001,
            guarantor_lgd=0.45,
            regime=BASEL_III,
        ),
        risk_weighted_assets(100.0, 0.02, 0.4, regime=BASEL_III),
    )


def test_custom_schedule():
    s = HaircutSchedule(
        haircuts=SUPERVISORY_HAIRCUTS.haircuts,
        secured_lgd=SUPERVISORY_HAIRCUTS.secured_lgd,
        currency_mismatch=0.1,
    )
    np.testing.assert_allclose(
        supervisory_haircut(
            "cash", currency_mismatch=True, schedule=s, holding_period=TEN_DAYS
        ),
        [0.1],
    )


# --- bad input ------------------------------------------------------------------------


def test_unknown_collateral_kind():
    with pytest.raises(
        InvalidValueError, match=r"`kind\[1\]` must be one of 'cash'.*; got 'bitcoin'\."
    ):
        supervisory_haircut(["cash", "bitcoin"])


def test_incomplete_schedule():
    with pytest.raises(
        InvalidValueError,
        match=r"`haircuts` must be a fraction in \[0, 1\] for every collateral kind \(missing",
    ):
        HaircutSchedule(
            haircuts={"cash": 0.0}, secured_lgd=SUPERVISORY_HAIRCUTS.secured_lgd
        )


def test_negative_collateral_and_exposure():
    with pytest.raises(
        InvalidValueError,
        match=r"`collateral_value\[0\]` must be a finite number >= 0; got -1\.0\.",
    ):
        foundation_lgd(100.0, -1.0, "cash", lgd_unsecured=0.45)
    with pytest.raises(
        InvalidValueError,
        match=r"`exposure\[0\]` must be a finite number > 0; got 0\.0\.",
    ):
        foundation_lgd(0.0, 1.0, "cash", lgd_unsecured=0.45)


def test_lgd_out_of_range():
    with pytest.raises(
        InvalidValueError,
        match=r"`lgd_unsecured\[0\]` must be a finite number in \[0, 1\]; got 1\.2\.",
    ):
        foundation_lgd(100.0, 1.0, "cash", lgd_unsecured=1.2)


def test_cover_above_exposure():
    with pytest.raises(
        InvalidValueError,
        match=r"`covered\[0\]` must be at most the exposure ead\[0\] \(100\); got 150\.0\.",
    ):
        guaranteed_risk_weighted_assets(
            100.0,
            150.0,
            default_probability=0.02,
            lgd=0.4,
            guarantor_pd=0.001,
            guarantor_lgd=0.45,
            regime=BASEL_III,
        )


def test_different_lengths_and_non_finite():
    with pytest.raises(
        InvalidValueError,
        match=r"`collateral_value` must be length 1 or the same length as `exposure` \(3\); got 'length 2'\.",
    ):
        foundation_lgd([1.0, 2.0, 3.0], [1.0, 2.0], "cash", lgd_unsecured=0.45)
    with pytest.raises(
        InvalidValueError,
        match=r"`collateral_value\[0\]` must be a finite number >= 0; got nan\.",
    ):
        collateral_after_haircut(float("nan"), "cash")
    with pytest.raises(
        InvalidValueError,
        match=r"`currency_mismatch\[0\]` must be a boolean \(0 or 1\); got 2\.0\.",
    ):
        supervisory_haircut("cash", currency_mismatch=2)


# --- foundation LGD by seniority and regime (CRE32.6-32.7) -------------------------


def test_supervisory_lgd_by_seniority_class_and_regime():
    # CRE32.6: senior claims on non-financial corporates 40 % (Basel III); on
    # sovereigns, banks, securities firms and other financial institutions 45 %.
    # CRE32.7: subordinated claims 75 %. Basel II §§287-288: 45 % senior, 75 % sub.
    classes = [
        "corporate",
        "sovereign",
        "bank",
        "large_financial",
        "other_financial",
        "corporate",
        "bank",
        "corporate",
        "corporate",
    ]
    ranks = [
        "senior_unsecured",
        "senior_unsecured",
        "senior_unsecured",
        "senior_unsecured",
        "senior_unsecured",
        "senior_secured",
        "subordinated",
        "mezzanine",
        "subordinated",
    ]
    np.testing.assert_array_equal(
        supervisory_lgd(classes, regime=BASEL_III, seniority=ranks),
        [0.40, 0.45, 0.45, 0.45, 0.45, 0.40, 0.75, 0.75, 0.75],
    )
    np.testing.assert_array_equal(
        supervisory_lgd(classes, regime=BASEL_II, seniority=ranks),
        [0.45, 0.45, 0.45, 0.45, 0.45, 0.45, 0.75, 0.75, 0.75],
    )


def test_subordinated_secured_claim_keeps_75_percent_unsecured_part():
    # CRE32.10(4): LGD_U is the CRE32.6-32.7 value, so a subordinated claim of 100
    # secured by real estate worth 50 (ES = 30 at 20 %) has
    # LGD* = (0.75 x 70 + 0.20 x 30) / 100 = 0.585.
    lu = supervisory_lgd("corporate", regime=BASEL_III, seniority="subordinated")
    np.testing.assert_allclose(
        foundation_lgd(100.0, 50.0, "real_estate", lgd_unsecured=lu), [0.585]
    )


def test_supervisory_lgd_refuses_retail():
    with pytest.raises(
        InvalidValueError,
        match=r"`asset_class\[1\]` must be a corporate, sovereign or bank class "
        r"\(retail LGDs are the bank's own estimates: there is no foundation "
        r"approach for retail, CRE30\.42\); got 'other_retail'\.",
    ):
        supervisory_lgd(["corporate", "other_retail"], regime=BASEL_III)
    with pytest.raises(InvalidValueError, match=r"`seniority` must be one of"):
        supervisory_lgd("corporate", regime=BASEL_III, seniority="junior")


def test_other_financial_is_corporate_in_the_formula():
    # OTHER_FINANCIAL differs from CORPORATE only in its foundation LGD (CRE32.6): same
    # correlation (no CRE31.7 multiplier), same PD floor, same SME adjustment.
    np.testing.assert_array_equal(
        risk_weighted_assets(100.0, 0.01, 0.45, regime=BASEL_III, sales=20.0),
        risk_weighted_assets(
            100.0,
            0.01,
            0.45,
            regime=BASEL_III,
            sales=20.0,
            asset_class="other_financial",
        ),
    )
    with pytest.raises(InvalidValueError, match=r"^`asset_class` must be a corporate"):
        supervisory_lgd("qualifying_revolving", regime=BASEL_III)
