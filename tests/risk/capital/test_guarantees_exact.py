# mypy: disable-error-code="arg-type"
# (the tests splat dicts of mixed arguments and pass wrong types on purpose)
"""Guarantee substitution with every argument set, each refusal named (issue #23).

RWA = RW(PD_G, LGD_G) G_A + RW(PD, LGD) (EAD - G_A), G_A = G (1 - H_FX) f_MM
(CRE32.24-32.26, Basel II §§301-303); a costlier guarantor is declined (CRE32.22);
f_MM = (t - 0.25) / (T - 0.25) (CRE22.10-22.14); H_FX = 8 % over 10 business days,
scaled by sqrt((N_R + T_M - 1) / 10) (CRE22.52, CRE22.58-22.59). Each argument is
passed with a non-default value and the result compared with that formula built by
hand from `risk_weight`.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import attrs
import numpy as np
import pytest

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
    BASEL_II,
    BASEL_III,
    SUPERVISORY_HAIRCUTS,
    HoldingPeriod,
    facility_guaranteed_rwa,
    guaranteed_risk_weighted_assets,
    risk_weight,
)

BASE: dict[str, Any] = {
    "default_probability": 0.03,
    "lgd": 0.45,
    "guarantor_pd": 0.002,
    "guarantor_lgd": 0.4,
    "regime": BASEL_III,
}


def _rw(pd_: float, lgd: float, **kw: Any) -> float:
    return float(risk_weight(pd_, lgd, regime=kw.pop("regime", BASEL_III), **kw)[0])


RW_B = _rw(0.03, 0.45)
RW_G = _rw(0.002, 0.4)


def test_the_defaults_substitute_a_matched_cheaper_guarantor():
    got = guaranteed_risk_weighted_assets(100.0, 60.0, **BASE)
    assert got[0] == pytest.approx(RW_G * 60 + RW_B * 40, rel=1e-14)
    # the whole exposure covered, and none
    assert guaranteed_risk_weighted_assets(100.0, 100.0, **BASE)[0] == pytest.approx(
        RW_G * 100, rel=1e-14
    )
    assert guaranteed_risk_weighted_assets(100.0, 0.0, **BASE)[0] == pytest.approx(
        RW_B * 100, rel=1e-14
    )
    assert guaranteed_risk_weighted_assets(0.0, 0.0, **BASE).tolist() == [0.0]


def test_classes_maturity_and_regime_reach_both_weights():
    got = guaranteed_risk_weighted_assets(
        100.0,
        60.0,
        **BASE,
        asset_class="other_retail",
        guarantor_class="large_financial",
        maturity=4.0,
        decline_if_costlier=False,
    )
    rw_b = _rw(0.03, 0.45, asset_class="other_retail", maturity=4.0)
    rw_g = _rw(0.002, 0.4, asset_class="large_financial", maturity=4.0)
    assert rw_g != _rw(0.002, 0.4, maturity=4.0)
    assert rw_b != _rw(0.03, 0.45, maturity=4.0)
    assert got[0] == pytest.approx(rw_g * 60 + rw_b * 40, rel=1e-14)


def test_a_costlier_guarantor_is_declined_unless_asked_not_to():
    args = {**BASE, "guarantor_pd": 0.2}
    rw_g = _rw(0.2, 0.4)
    assert rw_g > RW_B
    assert guaranteed_risk_weighted_assets(100.0, 60.0, **args)[0] == pytest.approx(
        RW_B * 100, rel=1e-14
    )
    got = guaranteed_risk_weighted_assets(
        100.0, 60.0, **args, decline_if_costlier=False
    )
    assert got[0] == pytest.approx(rw_g * 60 + RW_B * 40, rel=1e-14)
    # row by row: only the costlier row is declined
    got = guaranteed_risk_weighted_assets(
        [100.0, 100.0], 60.0, **{**BASE, "guarantor_pd": [0.2, 0.002]}
    )
    np.testing.assert_allclose(got, [RW_B * 100, RW_G * 60 + RW_B * 40], rtol=1e-14)


def test_a_defaulted_borrower_uses_el_best():
    got = guaranteed_risk_weighted_assets(
        100.0, 60.0, **{**BASE, "default_probability": 1.0}, el_best=0.35
    )
    rw_b = 12.5 * (0.45 - 0.35)  # CRE31.3: K = max(0, LGD - EL_best)
    assert got[0] == pytest.approx(min(RW_G, rw_b) * 60 + rw_b * 40, rel=1e-12)


def test_the_maturity_mismatch_scales_the_cover():
    # t = 2.25 years of a 4.25-year exposure: (2.25 - 0.25) / (4.25 - 0.25) = 0.5
    got = guaranteed_risk_weighted_assets(
        100.0, 60.0, **BASE, guarantee_maturity=2.25, exposure_maturity=4.25
    )
    assert got[0] == pytest.approx(RW_G * 30 + RW_B * 70, rel=1e-12)
    # a guarantee of under one year at origin is not recognised (CRE22.11)
    got = guaranteed_risk_weighted_assets(
        100.0,
        60.0,
        **BASE,
        guarantee_maturity=0.5,
        exposure_maturity=4.25,
        guarantee_original_maturity=0.9,
    )
    assert got[0] == pytest.approx(RW_B * 100, rel=1e-14)
    got = guaranteed_risk_weighted_assets(
        100.0,
        60.0,
        **BASE,
        guarantee_maturity=2.25,
        exposure_maturity=4.25,
        guarantee_original_maturity=5.0,
    )
    assert got[0] == pytest.approx(RW_G * 30 + RW_B * 70, rel=1e-12)


@pytest.mark.parametrize(
    ("given", "missing"),
    [
        ({"guarantee_maturity": 2.0}, "exposure_maturity"),
        ({"exposure_maturity": 2.0}, "guarantee_maturity"),
        ({"guarantee_original_maturity": 2.0}, "exposure_maturity"),
        (
            {"guarantee_original_maturity": 2.0, "exposure_maturity": 3.0},
            "guarantee_maturity",
        ),
    ],
)
def test_the_mismatch_maturities_come_together(given, missing):
    with pytest.raises(InvalidValueError) as err:
        guaranteed_risk_weighted_assets(100.0, 60.0, **BASE, **given)
    assert (err.value.field, err.value.value) == (missing, None)
    assert err.value.expected == (
        "given together with guarantee_maturity and exposure_maturity (residual "
        "maturities in years, for the maturity-mismatch adjustment of CRE22.10-22.14)"
    )


def test_the_currency_haircut_follows_the_schedule_and_holding_period():
    # 10 business days, daily: H_FX = 8 %
    got = guaranteed_risk_weighted_assets(100.0, 50.0, **BASE, currency_mismatch=True)
    assert got[0] == pytest.approx(RW_G * 46 + RW_B * 54, rel=1e-12)
    # 20 days revalued every 20 days: 8 % x sqrt(39 / 10)
    period = HoldingPeriod(minimum_days=20, revaluation_days=20)
    h = 0.08 * math.sqrt(39 / 10)
    got = guaranteed_risk_weighted_assets(
        100.0, 50.0, **BASE, currency_mismatch=True, holding_period=period
    )
    assert got[0] == pytest.approx(RW_G * 50 * (1 - h) + RW_B * (100 - 50 * (1 - h)))
    # a schedule's own currency haircut; above 100 % the cover is worth nothing
    schedule = attrs.evolve(SUPERVISORY_HAIRCUTS, currency_mismatch=0.25)
    got = guaranteed_risk_weighted_assets(
        100.0, 40.0, **BASE, currency_mismatch=[True, False], schedule=schedule
    )
    np.testing.assert_allclose(
        got, [RW_G * 30 + RW_B * 70, RW_G * 40 + RW_B * 60], rtol=1e-12
    )
    whole = attrs.evolve(SUPERVISORY_HAIRCUTS, currency_mismatch=1.0)
    got = guaranteed_risk_weighted_assets(
        100.0,
        40.0,
        **BASE,
        currency_mismatch=True,
        schedule=whole,
        holding_period=HoldingPeriod(minimum_days=20),
    )
    assert got[0] == pytest.approx(RW_B * 100, rel=1e-14)


def test_refusals_name_the_argument():
    with pytest.raises(InvalidValueError) as err:
        guaranteed_risk_weighted_assets([100.0, 50.0], [100.0, 50.5], **BASE)
    assert (err.value.field, err.value.value) == ("covered[1]", 50.5)
    assert err.value.expected == "at most the exposure ead[1] (50)"
    for name, args in [("ead", (-1e-300, 0.0)), ("covered", (1.0, -1e-300))]:
        with pytest.raises(InvalidValueError) as err:
            guaranteed_risk_weighted_assets(*args, **BASE)
        assert err.value.field == f"{name}[0]"
        assert ">= 0" in err.value.expected
    with pytest.raises(InvalidValueError) as err:
        guaranteed_risk_weighted_assets(1.0, 0.5, **BASE, currency_mismatch="no")
    assert err.value.field.startswith("currency_mismatch")
    with pytest.raises(InvalidValueError) as err:
        guaranteed_risk_weighted_assets(1.0, 0.5, **{**BASE, "regime": "basel_iii"})
    assert (err.value.field, err.value.expected) == ("regime", "a CapitalRegime")
    with pytest.raises(InvalidValueError) as err:
        guaranteed_risk_weighted_assets(1.0, 0.5, **BASE, schedule={"cash": 0.0})
    assert (err.value.field, err.value.expected) == ("schedule", "a HaircutSchedule")
    with pytest.raises(InvalidValueError) as err:
        guaranteed_risk_weighted_assets([1.0, 2.0, 3.0], [0.5, 0.5], **BASE)
    assert "length" in err.value.expected
    with pytest.raises(InvalidValueError) as err:
        guaranteed_risk_weighted_assets(1.0, 0.5, **{**BASE, "guarantor_pd": 1.5})
    assert err.value.field == "default_probability[0]"


AS_OF = dt.date(2026, 1, 1)


def _facility(guarantees: list[Guarantee], **changes: Any) -> Facility:
    base = Facility(
        id=FacilityId("F-1"),
        client_id=ClientId("C-1"),
        kind=FacilityKind.REVOLVING_CREDIT,
        currency="EUR",
        limit=Money.of("100", "EUR"),
        drawn=Money.of("80", "EUR"),
        start_on=dt.date(2025, 1, 1),
        maturity_on=dt.date(2029, 1, 1),
        seniority=Seniority.SENIOR_UNSECURED,
        pricing=Pricing(
            reference_rate="EURIBOR_3M",
            margin_bps=200,
            arrangement_fee=Money.of("0", "EUR"),
        ),
        status=FacilityStatus.ACTIVE,
        default_probability=0.03,
        loss_given_default=0.45,
        credit_conversion_factor=0.5,
        guarantees=tuple(guarantees),
    )
    return attrs.evolve(base, **changes)


def _guarantee(amount: str, pd_: float | None) -> Guarantee:
    return Guarantee(
        guarantor_id=ClientId("G-1"),
        covered=Money.of(amount, "EUR"),
        guarantor_default_probability=pd_,
    )


M = (dt.date(2029, 1, 1) - AS_OF).days / 365.25


def test_facility_form_every_argument():
    f = _facility([_guarantee("30", 0.002), _guarantee("20", None)])
    ead = 90.0  # 80 + 0.5 x 20
    rw_b = _rw(0.03, 0.45, maturity=M)
    rw_g = _rw(0.002, 0.45, maturity=M)
    # the guarantee without a guarantor PD is not recognised
    got = facility_guaranteed_rwa(f, as_of=AS_OF, regime=BASEL_III)
    assert got == pytest.approx(rw_g * 30 + rw_b * 60, rel=1e-12)
    # classes whose weights differ from a corporate's: a retail borrower, a large
    # financial guarantor (correlation x 1.25 under Basel III, CRE31.7)
    got = facility_guaranteed_rwa(
        f,
        as_of=AS_OF,
        regime=BASEL_III,
        asset_class="other_retail",
        guarantor_class="large_financial",
        guarantor_lgd=0.2,
        ccf=1.0,
    )
    rw_b2 = _rw(0.03, 0.45, asset_class="other_retail", maturity=M)
    rw_g2 = _rw(0.002, 0.2, asset_class="large_financial", maturity=M)
    assert rw_b2 != _rw(0.03, 0.45, maturity=M)
    assert rw_g2 != _rw(0.002, 0.2, maturity=M)
    assert got == pytest.approx(rw_g2 * 30 + rw_b2 * 70, rel=1e-12)
    got = facility_guaranteed_rwa(f, as_of=AS_OF, regime=BASEL_II)
    assert got == pytest.approx(
        _rw(0.002, 0.45, regime=BASEL_II, maturity=M) * 30
        + _rw(0.03, 0.45, regime=BASEL_II, maturity=M) * 60,
        rel=1e-12,
    )
    assert ead == 90.0


def test_facility_form_declines_scales_and_uses_el_best():
    costly = _facility([_guarantee("30", 0.3)])
    rw_b = _rw(0.03, 0.45, maturity=M)
    rw_g = _rw(0.3, 0.45, maturity=M)
    assert rw_g > rw_b
    assert facility_guaranteed_rwa(costly, as_of=AS_OF, regime=BASEL_III) == (
        pytest.approx(rw_b * 90, rel=1e-12)
    )
    assert facility_guaranteed_rwa(
        costly, as_of=AS_OF, regime=BASEL_III, decline_if_costlier=False
    ) == pytest.approx(rw_g * 30 + rw_b * 60, rel=1e-12)
    # covers of 100 + 80 over an EAD of 90: scaled by 90 / 180
    over = _facility([_guarantee("100", 0.002), _guarantee("80", 0.004)])
    got = facility_guaranteed_rwa(over, as_of=AS_OF, regime=BASEL_III)
    want = _rw(0.002, 0.45, maturity=M) * 50 + _rw(0.004, 0.45, maturity=M) * 40
    assert got == pytest.approx(want, rel=1e-12)
    # no guarantee at all
    assert facility_guaranteed_rwa(
        _facility([]), as_of=AS_OF, regime=BASEL_III
    ) == pytest.approx(rw_b * 90, rel=1e-12)
    defaulted = _facility([_guarantee("30", 0.002)], default_probability=1.0)
    got = facility_guaranteed_rwa(
        defaulted, as_of=AS_OF, regime=BASEL_III, el_best=0.35
    )
    rw_d = 12.5 * 0.1
    assert got == pytest.approx(
        min(_rw(0.002, 0.45, maturity=M), rw_d) * 30 + rw_d * 60
    )


def test_facility_form_refusals():
    f = _facility([])
    with pytest.raises(InvalidValueError) as err:
        facility_guaranteed_rwa("F-1", as_of=AS_OF, regime=BASEL_III)
    assert (err.value.field, err.value.expected) == ("facility", "a Facility")
    with pytest.raises(InvalidValueError) as err:
        facility_guaranteed_rwa(f, as_of=AS_OF, regime="basel_iii")
    assert (err.value.field, err.value.expected) == ("regime", "a CapitalRegime")
    with pytest.raises(InvalidValueError) as err:
        facility_guaranteed_rwa(
            f, as_of=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), regime=BASEL_III
        )
    assert err.value.field == "as_of"
    with pytest.raises(InvalidValueError) as err:
        facility_guaranteed_rwa(
            _facility([], loss_given_default=None), as_of=AS_OF, regime=BASEL_III
        )
    assert err.value.field == "facility.loss_given_default"
    with pytest.raises(InvalidValueError) as err:
        facility_guaranteed_rwa(
            _facility([], default_probability=1.0), as_of=AS_OF, regime=BASEL_III
        )
    assert err.value.field == "el_best"


def test_facility_form_recognises_a_cover_below_one_unit():
    f = _facility([_guarantee("0.5", 0.002)])
    rw_b = _rw(0.03, 0.45, maturity=M)
    rw_g = _rw(0.002, 0.45, maturity=M)
    got = facility_guaranteed_rwa(f, as_of=AS_OF, regime=BASEL_III)
    assert got == pytest.approx(rw_g * 0.5 + rw_b * 89.5, rel=1e-14)
    assert got < rw_b * 90


def test_the_guarantees_original_maturity_is_passed_on():
    # 0.5 years left of a guarantee written for 2 years: recognised (CRE22.11) for
    # (0.5 - 0.25) / (4.25 - 0.25) = 1/16; taken as its residual, it would not be
    got = guaranteed_risk_weighted_assets(
        100.0,
        64.0,
        **BASE,
        guarantee_maturity=0.5,
        exposure_maturity=4.25,
        guarantee_original_maturity=2.0,
    )
    assert got[0] == pytest.approx(RW_G * 4 + RW_B * 96, rel=1e-12)
