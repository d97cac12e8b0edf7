"""IRB wrappers with every argument away from its default, against the Basel formula.

Issue #23: mutation testing showed the batch and one-exposure wrappers could drop an
argument they pass on (asset class, sales, best-estimate EL, the LGD-floor switch)
without a failing test, because the tests called them with their defaults. Here each
wrapper gets non-default values of all of them and is checked against a from-scratch
evaluation of the Basel II formula (BCBS 2006 §272-273, CRE31.4-31.5) and against the
other wrappers, and the defaults themselves are pinned.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import attrs
import numpy as np
import pytest
from scipy.stats import norm

from lendcrm.errors import InvalidValueError
from lendcrm.risk.capital import (
    BASEL_II,
    BASEL_III,
    capital_requirement,
    facility_irb_capital,
    irb_capital,
    maturity_adjustment,
    risk_weight,
    risk_weighted_assets,
)
from lendcrm.risk.capital import asset_correlation as correlation

# Basel II: PD floor 0.03 %, scaling factor 1.06, maturity in [1, 5].
PD = [0.0001, 0.02, 1.0]  # below the floor, ordinary, defaulted
LGD = [0.2, 0.5, 0.6]
KW: dict[str, Any] = {
    "regime": BASEL_II,
    "asset_class": "corporate",
    "maturity": 4.0,
    "sales": 20.0,  # EUR m: the SME adjustment applies
    "el_best": 0.25,
    "apply_lgd_floor": True,
    "lgd_floor": 0.3,  # binds on the first row only
}


def _reference(pd: float, lgd: float, *, m: float = 4.0, sales: float = 20.0):
    """(R, b, maturity factor, K) of a performing corporate exposure, by the book."""
    pd = max(pd, 0.0003)
    w = (1 - math.exp(-50 * pd)) / (1 - math.exp(-50))
    r = 0.12 * w + 0.24 * (1 - w) - 0.04 * (1 - (min(max(sales, 5), 50) - 5) / 45)
    b = (0.11852 - 0.05478 * math.log(pd)) ** 2
    ma = (1 + (m - 2.5) * b) / (1 - 1.5 * b)
    cond = norm.cdf((norm.ppf(pd) + math.sqrt(r) * norm.ppf(0.999)) / math.sqrt(1 - r))
    return r, ma, lgd * (cond - pd) * ma


EXPECTED_K = [
    _reference(0.0001, 0.3)[2],  # PD floored to 0.03 %, LGD floored to 30 %
    _reference(0.02, 0.5)[2],
    0.6 - 0.25,  # defaulted: max(0, LGD - EL best estimate)
]


def test_capital_requirement_with_every_argument_set():
    k = capital_requirement(PD, LGD, **KW)
    np.testing.assert_allclose(k, EXPECTED_K, rtol=1e-9)


def test_risk_weight_and_rwa_pass_every_argument_on():
    rw = risk_weight(PD, LGD, **KW)
    np.testing.assert_allclose(rw, 12.5 * 1.06 * np.array(EXPECTED_K), rtol=1e-9)
    rwa = risk_weighted_assets([100.0, 200.0, 300.0], PD, LGD, **KW)
    np.testing.assert_allclose(rwa, [100.0, 200.0, 300.0] * rw, rtol=1e-12)


@pytest.mark.parametrize("row", [0, 1, 2])
def test_irb_capital_fills_every_field_with_the_batch_numbers(row):
    kw = {**KW, "default_probability": PD[row], "lgd": LGD[row]}
    c = irb_capital(ead=1e6, **kw)
    r, ma, _ = _reference(PD[row], max(LGD[row], 0.3))
    defaulted = row == 2
    assert c.default_probability == (1.0 if defaulted else max(PD[row], 0.0003))
    assert c.lgd == max(LGD[row], 0.3)
    assert c.correlation == pytest.approx(
        _reference(0.9999999, 0)[0] if defaulted else r, rel=1e-6
    )
    assert c.maturity_adjustment == (1.0 if defaulted else pytest.approx(ma, rel=1e-9))
    assert c.capital_requirement == pytest.approx(EXPECTED_K[row], rel=1e-9)
    assert c.risk_weight == pytest.approx(12.5 * 1.06 * EXPECTED_K[row], rel=1e-9)
    assert c.risk_weighted_assets == pytest.approx(1e6 * c.risk_weight, rel=1e-12)
    assert c.capital == pytest.approx(1e6 * 1.06 * EXPECTED_K[row], rel=1e-9)


def test_correlation_and_maturity_wrappers_pass_their_arguments_on():
    r = correlation(PD[:2], asset_class="corporate", regime=BASEL_II, sales=20.0)
    np.testing.assert_allclose(r, [_reference(p, 0)[0] for p in PD[:2]], rtol=1e-9)
    ma = maturity_adjustment(PD[:2], 4.0, regime=BASEL_II, asset_class="corporate")
    np.testing.assert_allclose(ma, [_reference(p, 0)[1] for p in PD[:2]], rtol=1e-9)
    retail = maturity_adjustment(0.02, 4.0, regime=BASEL_II, asset_class="other_retail")
    np.testing.assert_array_equal(retail, [1.0])


def test_defaults_are_corporate_two_and_a_half_years_no_sme_and_no_lgd_floor():
    plain = capital_requirement(0.02, 0.2, regime=BASEL_II)
    explicit = capital_requirement(
        0.02, 0.2, regime=BASEL_II, asset_class="corporate", maturity=2.5,
        sales=None, el_best=None, apply_lgd_floor=False, lgd_floor=None,
    )  # fmt: skip
    np.testing.assert_array_equal(plain, explicit)
    np.testing.assert_allclose(plain, [_reference(0.02, 0.2, m=2.5, sales=50.0)[2]])
    c = irb_capital(ead=1.0, default_probability=0.02, lgd=0.2, regime=BASEL_II)
    assert c.capital_requirement == plain[0]
    assert c.lgd == 0.2


REGIME_REFUSALS = [
    lambda r: correlation(0.01, asset_class="corporate", regime=r),
    lambda r: maturity_adjustment(0.01, 2.5, regime=r),
    lambda r: capital_requirement(0.01, 0.45, regime=r),
    lambda r: risk_weight(0.01, 0.45, regime=r),
    lambda r: risk_weighted_assets(1.0, 0.01, 0.45, regime=r),
    lambda r: irb_capital(ead=1.0, default_probability=0.01, lgd=0.45, regime=r),
    lambda r: facility_irb_capital(None, as_of=dt.date(2026, 1, 1), regime=r),  # type: ignore[arg-type]
]


@pytest.mark.parametrize("call", REGIME_REFUSALS)
def test_every_irb_function_refuses_a_regime_that_is_not_one(call):
    with pytest.raises(InvalidValueError) as caught:
        call("Basel III")
    assert caught.value.field == "regime"
    assert str(caught.value) == "`regime` must be a CapitalRegime; got a 'str'."


def test_facility_and_ead_refusals_name_their_field():
    with pytest.raises(InvalidValueError) as caught:
        facility_irb_capital("F-1", as_of=dt.date(2026, 1, 1), regime=BASEL_II)  # type: ignore[arg-type]
    assert caught.value.field == "facility"
    assert str(caught.value) == "`facility` must be a Facility; got a 'str'."
    for call in (
        lambda: irb_capital(
            ead=-1.0, default_probability=0.01, lgd=0.4, regime=BASEL_II
        ),
        lambda: risk_weighted_assets(-1.0, 0.01, 0.4, regime=BASEL_II),
    ):
        with pytest.raises(InvalidValueError) as caught:
            call()
        assert caught.value.field == "ead[0]"
        assert str(caught.value) == "`ead[0]` must be a finite number >= 0; got -1.0."


@pytest.mark.parametrize("ead", [0.0, 1.0])
def test_zero_ead_is_allowed_and_gives_zero_rwa(ead):
    c = irb_capital(ead=ead, default_probability=0.02, lgd=0.5, regime=BASEL_II)
    assert c.risk_weighted_assets == ead * c.risk_weight
    assert c.capital == ead * c.capital_requirement * 1.06


def _facility():
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

    return Facility(
        id=FacilityId("F-1"),
        client_id=ClientId("C-1"),
        kind=FacilityKind.TERM_LOAN,
        currency="EUR",
        limit=Money.of("10000000", "EUR"),
        drawn=Money.of("6000000", "EUR"),
        start_on=dt.date(2024, 1, 1),
        maturity_on=dt.date(2029, 1, 1),
        seniority=Seniority.SENIOR_UNSECURED,
        pricing=Pricing(
            reference_rate="EURIBOR_3M",
            margin_bps=200,
            arrangement_fee=Money.of("0", "EUR"),
        ),
        status=FacilityStatus.ACTIVE,
        default_probability=0.01,
        loss_given_default=0.45,
        credit_conversion_factor=1.0,
    )


def test_facility_irb_capital_passes_every_override_on():
    f = _facility()
    as_of = dt.date(2026, 1, 1)
    got = facility_irb_capital(
        f,
        as_of=as_of,
        regime=BASEL_III,
        asset_class="other_retail",
        sales=20.0,
        default_probability=0.02,
        lgd=0.1,
        ccf=0.5,
        apply_lgd_floor=True,
    )
    want = irb_capital(
        ead=6e6 + 0.5 * 4e6,
        default_probability=0.02,
        lgd=0.1,
        maturity=f.remaining_years(as_of),
        regime=BASEL_III,
        asset_class="other_retail",
        sales=20.0,
        apply_lgd_floor=True,
        lgd_floor=0.30,  # CRE32.58: unsecured other retail
    )
    assert got == want
    assert (got.default_probability, got.lgd, got.maturity_adjustment) == (
        0.02,
        0.3,
        1.0,
    )
    defaulted = facility_irb_capital(
        f, as_of=as_of, regime=BASEL_III, default_probability=1.0, el_best=0.1
    )
    assert defaulted.capital_requirement == pytest.approx(0.45 - 0.1)
    assert defaulted.risk_weighted_assets == pytest.approx(12.5 * 0.35 * 10e6)


def test_pd_of_exactly_one_or_zero_takes_the_documented_placeholders():
    # maturity_adjustment: a defaulted PD (1) or a zero floored PD (sovereigns under
    # Basel III) is evaluated at PD = 0.5, where b(0.5) is finite.
    at_half = maturity_adjustment(0.5, 4.0, regime=BASEL_II)
    np.testing.assert_array_equal(
        maturity_adjustment(1.0, 4.0, regime=BASEL_II), at_half
    )
    sovereign = maturity_adjustment(
        [0.0, 0.5], 4.0, regime=BASEL_III, asset_class="sovereign"
    )
    np.testing.assert_array_equal(sovereign, [at_half[0], at_half[0]])
    # irb_capital: no maturity adjustment and no capital at PD = 0
    c = irb_capital(
        ead=1.0,
        default_probability=0.0,
        lgd=0.45,
        regime=BASEL_III,
        asset_class="sovereign",
        maturity=4.0,
    )
    assert (c.default_probability, c.correlation, c.maturity_adjustment) == (
        0.0,
        0.24,
        1.0,
    )
    assert (c.capital_requirement, c.risk_weight, c.capital) == (0.0, 0.0, 0.0)
    # asset_correlation: PD = 1 is used as 1 (R = 0.12 for a corporate)
    np.testing.assert_allclose(
        correlation([1.0], asset_class="corporate", regime=BASEL_II), [0.12], rtol=1e-12
    )


def test_every_wrapper_passes_a_non_default_asset_class_on():
    retail = {**KW, "asset_class": "other_retail"}
    k = capital_requirement(PD, LGD, **retail)
    assert not np.allclose(k[:2], EXPECTED_K[:2])  # retail: another correlation
    rw = risk_weight(PD, LGD, **retail)
    np.testing.assert_allclose(rw, 12.5 * 1.06 * k, rtol=1e-12)
    rwa = risk_weighted_assets([1.0, 2.0, 3.0], PD, LGD, **retail)
    np.testing.assert_allclose(rwa, [1.0, 2.0, 3.0] * rw, rtol=1e-12)
    for row in range(3):
        c = irb_capital(ead=1.0, default_probability=PD[row], lgd=LGD[row], **retail)
        assert c.capital_requirement == pytest.approx(k[row], rel=1e-12)
        assert c.risk_weight == pytest.approx(rw[row], rel=1e-12)
    r = correlation(PD[:2], asset_class="other_retail", regime=BASEL_II, sales=20.0)
    c0 = irb_capital(ead=1.0, default_probability=PD[1], lgd=LGD[1], **retail)
    assert c0.correlation == pytest.approx(r[1], rel=1e-12)


def test_facility_own_lgd_check_works_under_a_short_refusing_maturity_cap():
    # The A-IRB eligibility check must not trip over its own placeholder maturity:
    # with a 1.5-year cap that refuses longer maturities, a 1.25-year facility is fine.
    from lendcrm.risk.capital import MaturityPolicy

    short = attrs.evolve(
        BASEL_III, maturity_cap=1.5, maturity_policy=MaturityPolicy.REFUSE
    )
    as_of = dt.date(2027, 10, 1)
    c = facility_irb_capital(
        _facility(), as_of=as_of, regime=short, apply_lgd_floor=True
    )
    assert c.lgd == 0.45  # own estimate kept, above the 25 % floor
    assert c == irb_capital(
        ead=10e6,
        default_probability=0.01,
        lgd=0.45,
        maturity=_facility().remaining_years(as_of),
        regime=short,
        apply_lgd_floor=True,
        lgd_floor=0.25,
    )


def test_facility_foundation_fallback_takes_the_asset_class():
    # Basel III: a bank may not use its own LGD (CRE30.34(2)): the facility's foundation
    # LGD for a senior claim on a financial institution, 45 %, replaces it.
    as_of = dt.date(2026, 1, 1)
    bank = facility_irb_capital(
        _facility(), as_of=as_of, regime=BASEL_III, asset_class="bank", lgd=0.1,
        apply_lgd_floor=True,
    )  # fmt: skip
    assert bank.lgd == 0.45
    large = facility_irb_capital(
        _facility(), as_of=as_of, regime=BASEL_III, sales=600.0, lgd=0.1,
        apply_lgd_floor=True,
    )  # fmt: skip
    assert large.lgd == 0.40  # a corporate above EUR 500 m: senior foundation LGD


def test_the_lgd_floor_is_off_by_default_in_every_wrapper():
    # Basel III's 25 % corporate floor would bind on an LGD of 10 % if it were on.
    off = capital_requirement(0.02, 0.1, regime=BASEL_III, apply_lgd_floor=False)
    on = capital_requirement(0.02, 0.1, regime=BASEL_III, apply_lgd_floor=True)
    assert on[0] > off[0]
    np.testing.assert_array_equal(capital_requirement(0.02, 0.1, regime=BASEL_III), off)
    np.testing.assert_array_equal(
        risk_weighted_assets(1.0, 0.02, 0.1, regime=BASEL_III), 12.5 * off
    )
    c = irb_capital(ead=1.0, default_probability=0.02, lgd=0.1, regime=BASEL_III)
    assert (c.lgd, c.capital_requirement) == (0.1, off[0])
    f = facility_irb_capital(
        _facility(), as_of=dt.date(2026, 1, 1), regime=BASEL_III, lgd=0.1
    )
    assert f.lgd == 0.1


def test_asset_correlation_needs_no_maturity_under_a_short_refusing_cap():
    from lendcrm.risk.capital import MaturityPolicy

    short = attrs.evolve(
        BASEL_III, maturity_cap=3.0, maturity_policy=MaturityPolicy.REFUSE
    )
    np.testing.assert_array_equal(
        correlation(0.01, asset_class="corporate", regime=short),
        correlation(0.01, asset_class="corporate", regime=BASEL_III),
    )


def test_facility_ccf_override_reaches_the_collateral_lgd_and_its_floor():
    # A collateralised facility with half its limit undrawn: an overriding CCF changes
    # the EAD, and so the share the collateral secures. Both the foundation-LGD
    # fallback and the A-IRB collateral floor must see the overriding CCF, not the
    # facility's own (1.0).
    from lendcrm import Collateral, CollateralKind, Money, Seniority
    from lendcrm.risk.capital import facility_airb_lgd_floor, facility_foundation_lgd

    f = attrs.evolve(
        _facility(),
        seniority=Seniority.SENIOR_SECURED,
        collateral=(
            Collateral(
                kind=CollateralKind.REAL_ESTATE, value=Money.of("5000000", "EUR")
            ),
        ),
    )
    as_of = dt.date(2026, 1, 1)
    # Foundation fallback (a bank's own LGD is not allowed under Basel III, CRE30.34)
    lgd_half = facility_foundation_lgd(f, regime=BASEL_III, asset_class="bank", ccf=0.5)
    assert lgd_half != facility_foundation_lgd(f, regime=BASEL_III, asset_class="bank")
    bank = facility_irb_capital(
        f, as_of=as_of, regime=BASEL_III, asset_class="bank", lgd=0.1, ccf=0.5,
        apply_lgd_floor=True,
    )  # fmt: skip
    assert bank.lgd == lgd_half
    # EAD 6m drawn + 0.5 x 4m undrawn = 8m
    assert bank.risk_weighted_assets == pytest.approx(8e6 * bank.risk_weight, rel=1e-12)
    # A-IRB floor by the collateral: an own LGD of 1 % is floored at the mix
    floor_half = facility_airb_lgd_floor(f, regime=BASEL_III, ccf=0.5)
    assert floor_half != facility_airb_lgd_floor(f, regime=BASEL_III)
    own = facility_irb_capital(
        f, as_of=as_of, regime=BASEL_III, lgd=0.01, ccf=0.5, apply_lgd_floor=True
    )
    assert own.lgd == floor_half
    assert own == irb_capital(
        ead=8e6,
        default_probability=0.01,
        lgd=0.01,
        maturity=f.remaining_years(as_of),
        regime=BASEL_III,
        apply_lgd_floor=True,
        lgd_floor=floor_half,
    )
