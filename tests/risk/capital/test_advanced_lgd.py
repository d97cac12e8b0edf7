"""Advanced-approach restrictions on own LGD estimates (CRE30.34-30.35, CRE32.15).

Basel III (CRE30.34): the A-IRB approach cannot be used for (1) exposures to general
corporates in a group with consolidated annual revenue above EUR 500 m and (2) exposures
in the bank asset class and to other securities firms and financial institutions.
Such exposures use the foundation approach (CRE32.15): senior unsecured LGD 45 % for
financial institutions, 40 % for other corporates (CRE32.6). Basel II had no such limit.

Expected values come from the corporate formula of CRE31.5, written out below.
"""

from __future__ import annotations

import datetime as dt
import math

import attrs
import numpy as np
import pytest
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
    AdvancedLGDPolicy,
    facility_irb_capital,
    irb_capital,
    risk_weight,
)

REFUSE = attrs.evolve(BASEL_III, advanced_lgd_policy=AdvancedLGDPolicy.REFUSE)


def k_corporate(pd_: float, lgd: float, m: float = 2.5) -> float:
    """CRE31.5 by hand: R, b and K of a corporate, sovereign or bank exposure."""
    w = (1 - math.exp(-50 * pd_)) / (1 - math.exp(-50))
    r = 0.12 * w + 0.24 * (1 - w)
    b = (0.11852 - 0.05478 * math.log(pd_)) ** 2
    stressed = norm.cdf(
        norm.ppf(pd_) / math.sqrt(1 - r) + math.sqrt(r / (1 - r)) * norm.ppf(0.999)
    )
    return (lgd * stressed - pd_ * lgd) * (1 + (m - 2.5) * b) / (1 - 1.5 * b)


def test_bank_own_lgd_falls_back_to_45_percent_under_basel_iii():
    # CRE30.34(2) + CRE32.6: an own LGD of 20 % on a bank becomes 45 %.
    rw = risk_weight(
        0.01, 0.20, regime=BASEL_III, asset_class="bank", apply_lgd_floor=True
    )
    np.testing.assert_allclose(rw, [12.5 * k_corporate(0.01, 0.45)], rtol=1e-9)
    assert rw[0] == pytest.approx(0.9232, abs=5e-5)  # CRE99 / Annex 5: 92.32 %
    # Basel II: own estimates allowed, and RW carries the 1.06 scaling factor.
    np.testing.assert_allclose(
        risk_weight(
            0.01, 0.20, regime=BASEL_II, asset_class="bank", apply_lgd_floor=True
        ),
        [1.06 * 12.5 * k_corporate(0.01, 0.20)],
        rtol=1e-9,
    )


def test_large_corporate_own_lgd_falls_back_to_40_percent():
    # CRE30.34(1): revenue 600 > EUR 500 m -> foundation, 40 % senior (CRE32.6).
    # Exactly 500 is not "greater than": own 20 % stays, floored at 25 % (CRE32.16).
    # Unknown revenue (sales=None) cannot be checked: own estimate, floored.
    rw = risk_weight(
        0.01,
        0.20,
        regime=BASEL_III,
        sales=[600.0, 500.0],
        apply_lgd_floor=True,
    )
    np.testing.assert_allclose(
        rw,
        [12.5 * k_corporate(0.01, 0.40), 12.5 * k_corporate(0.01, 0.25)],
        rtol=1e-9,
    )
    np.testing.assert_allclose(
        risk_weight(0.01, 0.20, regime=BASEL_III, apply_lgd_floor=True),
        [12.5 * k_corporate(0.01, 0.25)],
        rtol=1e-9,
    )


def test_sovereign_retail_and_mid_sized_corporates_keep_own_estimates():
    rw = risk_weight(
        0.01,
        0.35,
        regime=BASEL_III,
        asset_class=["sovereign", "corporate"],
        sales=[10_000.0, 120.0],
        apply_lgd_floor=True,
    )
    np.testing.assert_allclose(rw, [12.5 * k_corporate(0.01, 0.35)] * 2, rtol=1e-9)


def test_without_the_own_estimate_flag_nothing_is_replaced():
    # apply_lgd_floor=False: the LGD is taken as the foundation value the caller set.
    np.testing.assert_allclose(
        risk_weight(0.01, 0.20, regime=BASEL_III, asset_class="bank"),
        [12.5 * k_corporate(0.01, 0.20)],
        rtol=1e-9,
    )


def test_irb_capital_reports_the_foundation_lgd_used():
    c = irb_capital(
        ead=1.0,
        default_probability=0.01,
        lgd=0.10,
        regime=BASEL_III,
        asset_class="other_financial",
        apply_lgd_floor=True,
    )
    assert c.lgd == 0.45


def test_refuse_policy_names_the_rule():
    with pytest.raises(
        InvalidValueError,
        match=r"^`lgd\[1\]` must be a foundation LGD with apply_lgd_floor=False: own "
        r"LGD estimates are not allowed for exposures to banks and other financial "
        r"institutions \(large_financial\) under Basel III, CRE30\.34\(2\); got 0\.3\. "
        r"Pass supervisory_lgd",
    ):
        risk_weight(
            0.01,
            0.30,
            regime=REFUSE,
            asset_class=["corporate", "large_financial"],
            apply_lgd_floor=True,
        )
    with pytest.raises(
        InvalidValueError,
        match=r"corporates with consolidated revenue above EUR 500 m \(sales\[0\] = "
        r"750\) under Basel III, CRE30\.34\(1\); got 0\.3\.",
    ):
        risk_weight(0.01, 0.30, regime=REFUSE, sales=750.0, apply_lgd_floor=True)


def test_regime_fields_validate():
    with pytest.raises(InvalidValueError, match=r"`advanced_lgd_revenue_limit`"):
        attrs.evolve(BASEL_III, advanced_lgd_revenue_limit=-1.0)
    with pytest.raises(InvalidValueError) as caught:
        attrs.evolve(BASEL_III, advanced_lgd_policy="sometimes")
    assert str(caught.value) == (
        "`advanced_lgd_policy` must be one of 'foundation', 'refuse'; got 'sometimes'."
    )
    assert BASEL_II.advanced_lgd_revenue_limit is None
    assert BASEL_II.advanced_lgd_for_financials is True
    assert BASEL_III.advanced_lgd_policy is AdvancedLGDPolicy.FOUNDATION


def test_facility_form_falls_back_to_its_full_foundation_lgd():
    # A senior secured facility to a EUR 800 m corporate with an own LGD of 10 %:
    # CRE30.34(1) forbids the own estimate; its foundation LGD is CRE32.10 with
    # LGD_U = 40 % (CRE32.6): E = 100, real estate 50 -> ES = 30 at 20 %, EU = 70,
    # LGD* = (0.2 x 30 + 0.4 x 70) / 100 = 0.34.
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
            reference_rate="FIXED",
            margin_bps=300,
            arrangement_fee=Money.of("0", "EUR"),
        ),
        status=FacilityStatus.ACTIVE,
        default_probability=0.01,
        loss_given_default=0.10,
        credit_conversion_factor=1.0,
        collateral=(
            Collateral(kind=CollateralKind.REAL_ESTATE, value=Money.of("50", "EUR")),
        ),
    )
    as_of = dt.date(2027, 7, 2)
    c = facility_irb_capital(
        f, as_of=as_of, regime=BASEL_III, sales=800.0, apply_lgd_floor=True
    )
    assert c.lgd == pytest.approx(0.34)
    m = f.remaining_years(as_of)
    assert c.risk_weight == pytest.approx(12.5 * k_corporate(0.01, 0.34, m), rel=1e-9)
    with pytest.raises(InvalidValueError, match=r"CRE30\.34\(1\)"):
        facility_irb_capital(
            f, as_of=as_of, regime=REFUSE, sales=800.0, apply_lgd_floor=True
        )
    # A mid-sized borrower keeps its own 10 %, floored by its collateral (CRE32.17):
    # ES = 30 at the 10 % real-estate floor, EU = 70 at 25 %: (3 + 17.5) / 100.
    mid = facility_irb_capital(
        f, as_of=as_of, regime=BASEL_III, sales=80.0, apply_lgd_floor=True
    )
    assert mid.lgd == pytest.approx(0.205)
