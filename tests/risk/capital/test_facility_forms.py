"""One-facility forms on `lendcrm.Facility` agree with the batch functions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
import numpy as np
import pytest

from lendcrm import (
    ClientId,
    Collateral,
    CollateralKind,
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
    BASEL_II,
    BASEL_III,
    expected_loss,
    exposure_at_default,
    facility_expected_loss,
    facility_exposure_at_default,
    facility_foundation_lgd,
    facility_guaranteed_rwa,
    facility_irb_capital,
    foundation_lgd,
    guaranteed_risk_weighted_assets,
    irb_capital,
)
from lendcrm.risk.pricing import (
    facility_price,
    price_facility,
    with_minimum_margin,
)

AS_OF = dt.date(2026, 6, 30)


def make_facility(**changes: Any) -> Facility:
    base = Facility(
        id=FacilityId("F-1"),
        client_id=ClientId("C-1"),
        kind=FacilityKind.REVOLVING_CREDIT,
        currency="EUR",
        limit=Money.of("12000000", "EUR"),
        drawn=Money.of("7000000", "EUR"),
        start_on=dt.date(2025, 3, 1),
        maturity_on=dt.date(2030, 3, 1),
        seniority=Seniority.SENIOR_SECURED,
        pricing=Pricing(
            reference_rate="EURIBOR_3M",
            margin_bps=175,
            arrangement_fee=Money.of("120000", "EUR"),
        ),
        status=FacilityStatus.ACTIVE,
        default_probability=0.015,
        loss_given_default=0.40,
        credit_conversion_factor=0.5,
    )
    return attrs.evolve(base, **changes)


def test_ead_and_el_match_batch_exactly():
    f = make_facility()
    # 7,000,000 + 0.5 x 5,000,000 = 9,500,000; EL = 0.015 x 0.40 x 9,500,000 = 57,000.
    assert facility_exposure_at_default(f).amount == Decimal(9500000)
    assert facility_expected_loss(f).amount == Decimal(57000)
    np.testing.assert_allclose(exposure_at_default(7e6, 5e6, 0.5), [9.5e6])
    np.testing.assert_allclose(expected_loss(0.015, 0.40, 9.5e6), [57000.0])
    assert facility_expected_loss(f, default_probability=0.03).amount == Decimal(114000)


def test_missing_risk_parameters_are_named():
    f = make_facility(default_probability=None, credit_conversion_factor=None)
    with pytest.raises(
        InvalidValueError,
        match=r"`facility.credit_conversion_factor` must be a CCF in \[0, 1\], set on the facility or passed as an argument; got None\.",
    ):
        facility_exposure_at_default(f)
    with pytest.raises(
        InvalidValueError,
        match=r"`facility.default_probability` must be a PD in \[0, 1\]",
    ):
        facility_expected_loss(f, ccf=1.0)
    with pytest.raises(
        InvalidValueError,
        match=r"`ccf` must be a finite number in \[0, 1\]; got 1\.5\.",
    ):
        facility_exposure_at_default(f, ccf=1.5)


def test_irb_capital_on_facility_matches_scalar_form():
    f = make_facility()
    one = facility_irb_capital(f, as_of=AS_OF, regime=BASEL_III, sales=25.0)
    ref = irb_capital(
        ead=9.5e6,
        default_probability=0.015,
        lgd=0.40,
        maturity=f.remaining_years(AS_OF),
        sales=25.0,
        regime=BASEL_III,
    )
    assert one == ref


def test_matured_facility_is_refused():
    f = make_facility()
    with pytest.raises(
        InvalidValueError,
        match=r"`maturity\[0\]` must be a finite number > 0; got 0\.0\.",
    ):
        facility_irb_capital(f, as_of=dt.date(2031, 1, 1), regime=BASEL_III)


def test_foundation_lgd_on_facility_matches_batch():
    f = make_facility(
        collateral=(
            Collateral(
                kind=CollateralKind.REAL_ESTATE, value=Money.of("5000000", "EUR")
            ),
            Collateral(
                kind=CollateralKind.SHARE_PLEDGE, value=Money.of("9000000", "EUR")
            ),
        )
    )
    # Share pledge not recognised: only real estate, as a single-collateral batch row.
    np.testing.assert_allclose(
        facility_foundation_lgd(f, regime=BASEL_III),
        foundation_lgd(9.5e6, 5e6, "real_estate", lgd_unsecured=0.40),
        rtol=1e-14,
    )
    # E = 9.5m, ES = 5m x 0.6 = 3m at 20 %, EU = 6.5m at LGD_U. A senior secured claim
    # on a non-financial corporate: LGD_U = 40 % under Basel III (CRE32.6), so
    # LGD* = (0.6 + 2.6) / 9.5 = 0.336842; 45 % under Basel II: 3.525 / 9.5.
    assert facility_foundation_lgd(f, regime=BASEL_III) == pytest.approx(
        (0.2 * 3 + 0.40 * 6.5) / 9.5
    )
    assert facility_foundation_lgd(f, regime=BASEL_II) == pytest.approx(
        (0.2 * 3 + 0.45 * 6.5) / 9.5
    )


def test_foundation_lgd_takes_lowest_lgd_collateral_first():
    f = make_facility(
        collateral=(
            Collateral(
                kind=CollateralKind.EQUIPMENT, value=Money.of("20000000", "EUR")
            ),
            Collateral(kind=CollateralKind.CASH, value=Money.of("4000000", "EUR")),
        )
    )
    # Cash secures 4m at 0 %; equipment 20m x 0.6 = 12m covers the remaining 5.5m at 25 %.
    assert facility_foundation_lgd(f, regime=BASEL_III) == pytest.approx(
        0.25 * 5.5 / 9.5
    )


def test_guaranteed_rwa_on_facility_matches_batch():
    f = make_facility(
        guarantees=(
            Guarantee(
                covered=Money.of("3000000", "EUR"),
                guarantor_name="Parent",
                guarantor_default_probability=0.002,
            ),
            Guarantee(covered=Money.of("1000000", "EUR"), guarantor_name="Unrated"),
        )
    )
    m = f.remaining_years(AS_OF)
    one = facility_guaranteed_rwa(f, as_of=AS_OF, regime=BASEL_III)
    batch = guaranteed_risk_weighted_assets(
        9.5e6,
        3e6,
        default_probability=0.015,
        lgd=0.40,
        guarantor_pd=0.002,
        guarantor_lgd=0.40,
        maturity=m,
        regime=BASEL_III,
    )
    np.testing.assert_allclose(one, batch[0], rtol=1e-13)


def test_guarantees_above_ead_are_scaled_down():
    f = make_facility(
        guarantees=(
            Guarantee(
                covered=Money.of("12000000", "EUR"),
                guarantor_name="Parent",
                guarantor_default_probability=0.002,
            ),
        )
    )
    m = f.remaining_years(AS_OF)
    one = facility_guaranteed_rwa(f, as_of=AS_OF, regime=BASEL_III)
    batch = guaranteed_risk_weighted_assets(
        9.5e6,
        9.5e6,
        default_probability=0.015,
        lgd=0.40,
        guarantor_pd=0.002,
        guarantor_lgd=0.40,
        maturity=m,
        regime=BASEL_III,
    )
    np.testing.assert_allclose(one, batch[0], rtol=1e-13)


def test_price_on_facility_matches_scalar_form_and_margin_rounds_up():
    f = make_facility()
    kw: dict[str, Any] = {
        "funding_rate": 0.03,
        "operating_cost_rate": 0.004,
        "hurdle_rate": 0.12,
        "risk_free_rate": 0.03,
        "capital_ratio": 0.10,
        "regime": BASEL_III,
    }
    q = facility_price(f, **kw)
    ref = price_facility(
        default_probability=0.015,
        lgd=0.40,
        maturity=f.tenor_years,
        upfront_fee=0.01,
        **kw,
    )
    assert q == ref
    repriced = with_minimum_margin(f, q, reference_rate=0.0285)
    expected_bps = int(np.ceil((q.minimum_rate - 0.0285) * 10_000))
    assert repriced.pricing.margin_bps == expected_bps
    assert repriced.pricing.margin_bps / 10_000 + 0.0285 >= q.minimum_rate
    assert f.pricing.margin_bps == 175  # the original is untouched


def test_zero_limit_with_fee_refused():
    f = make_facility(limit=Money.of("0", "EUR"), drawn=Money.of("0", "EUR"))
    with pytest.raises(
        InvalidValueError,
        match=r"`facility.limit` must be a positive limit to spread the arrangement fee over",
    ):
        facility_price(
            f,
            funding_rate=0.03,
            operating_cost_rate=0.004,
            hurdle_rate=0.12,
            risk_free_rate=0.03,
            capital_ratio=0.10,
            regime=BASEL_III,
        )
