"""Every regime constant pinned, and each shown at an input where it binds (#23).

Mutation testing found Basel PD and LGD floors that could change (one to 100 %)
without a failing test, because no test used an input where that floor binds. The
first test pins every field of the two shipped regimes and the module-level class
sets; the others evaluate each constant where it decides the result.
"""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import pytest

from lendcrm.errors import InvalidValueError
from lendcrm.risk.capital import (
    BASEL_II,
    BASEL_III,
    AdvancedLGDPolicy,
    AssetClass,
    CapitalRegime,
    MaturityPolicy,
    SupervisoryCollateral,
    asset_correlation,
    irb_capital,
    maturity_adjustment,
)
from lendcrm.risk.capital._regimes import (
    FINANCIAL_INSTITUTION_CLASSES,
    RETAIL_CLASSES,
    SECURED_FLOOR_CLASSES,
)

A = AssetClass
C = SupervisoryCollateral
COMMON = {
    "default_probability_floor_sovereign": 0.0,
    "foundation_lgd_senior_financial": 0.45,
    "foundation_lgd_subordinated": 0.75,
    "advanced_lgd_policy": AdvancedLGDPolicy.FOUNDATION,
    "maturity_floor": 1.0,
    "maturity_cap": 5.0,
    "maturity_policy": MaturityPolicy.CAP,
    "confidence": 0.999,
}


def test_every_field_of_the_shipped_regimes_is_pinned():
    assert attrs.asdict(BASEL_II, recurse=False) == {
        **COMMON,
        "name": "Basel II",
        "default_probability_floor": 0.0003,  # §285
        "default_probability_floor_retail": 0.0003,  # §331
        "default_probability_floor_qrre_revolver": 0.0003,
        "scaling_factor": 1.06,  # §44
        "large_financial_multiplier": 1.0,
        "foundation_lgd_senior": 0.45,  # §287
        "advanced_lgd_revenue_limit": None,
        "advanced_lgd_for_financials": True,
        "lgd_floors": {A.RESIDENTIAL_MORTGAGE: 0.10},  # §266
        "secured_lgd_floors": {},
    }
    assert attrs.asdict(BASEL_III, recurse=False) == {
        **COMMON,
        "name": "Basel III",
        "default_probability_floor": 0.0005,  # CRE32.4
        "default_probability_floor_retail": 0.0005,  # CRE32.58
        "default_probability_floor_qrre_revolver": 0.001,  # CRE32.58
        "scaling_factor": 1.0,
        "large_financial_multiplier": 1.25,  # CRE31.7
        "foundation_lgd_senior": 0.40,  # CRE32.6
        "advanced_lgd_revenue_limit": 500.0,  # CRE30.34(1)
        "advanced_lgd_for_financials": False,  # CRE30.34(2)
        "lgd_floors": {  # CRE32.16, CRE32.58
            A.CORPORATE: 0.25,
            A.BANK: 0.25,
            A.LARGE_FINANCIAL: 0.25,
            A.OTHER_FINANCIAL: 0.25,
            A.RESIDENTIAL_MORTGAGE: 0.05,
            A.QUALIFYING_REVOLVING: 0.50,
            A.QRRE_TRANSACTOR: 0.50,
            A.OTHER_RETAIL: 0.30,
        },
        "secured_lgd_floors": {  # CRE32.16, CRE32.58
            C.CASH: 0.0,
            C.SOVEREIGN_SHORT: 0.0,
            C.SOVEREIGN_MEDIUM: 0.0,
            C.SOVEREIGN_LONG: 0.0,
            C.MAIN_INDEX_EQUITY: 0.0,
            C.OTHER_LISTED_EQUITY: 0.0,
            C.GOLD: 0.0,
            C.RECEIVABLES: 0.10,
            C.REAL_ESTATE: 0.10,
            C.OTHER_PHYSICAL: 0.15,
        },
    }
    assert {
        A.RESIDENTIAL_MORTGAGE,
        A.QUALIFYING_REVOLVING,
        A.QRRE_TRANSACTOR,
        A.OTHER_RETAIL,
    } == RETAIL_CLASSES
    assert {
        A.CORPORATE,
        A.BANK,
        A.LARGE_FINANCIAL,
        A.OTHER_FINANCIAL,
        A.OTHER_RETAIL,
    } == SECURED_FLOOR_CLASSES
    assert {
        A.BANK,
        A.LARGE_FINANCIAL,
        A.OTHER_FINANCIAL,
    } == FINANCIAL_INSTITUTION_CLASSES


# (asset class, PD floor, LGD used for an own estimate of 0) at PD = 0 and LGD = 0.
BINDING = {
    "Basel II": {
        A.CORPORATE: (0.0003, 0.0),
        A.SOVEREIGN: (0.0, 0.0),
        A.BANK: (0.0003, 0.0),
        A.LARGE_FINANCIAL: (0.0003, 0.0),
        A.OTHER_FINANCIAL: (0.0003, 0.0),
        A.RESIDENTIAL_MORTGAGE: (0.0003, 0.1),
        A.QUALIFYING_REVOLVING: (0.0003, 0.0),
        A.QRRE_TRANSACTOR: (0.0003, 0.0),
        A.OTHER_RETAIL: (0.0003, 0.0),
    },
    "Basel III": {
        A.CORPORATE: (0.0005, 0.25),
        A.SOVEREIGN: (0.0, 0.0),
        A.BANK: (0.0005, 0.45),  # no own LGD for banks: foundation 45 %
        A.LARGE_FINANCIAL: (0.0005, 0.45),
        A.OTHER_FINANCIAL: (0.0005, 0.45),
        A.RESIDENTIAL_MORTGAGE: (0.0005, 0.05),
        A.QUALIFYING_REVOLVING: (0.001, 0.5),
        A.QRRE_TRANSACTOR: (0.0005, 0.5),
        A.OTHER_RETAIL: (0.0005, 0.3),
    },
}


@pytest.mark.parametrize("regime", [BASEL_II, BASEL_III], ids=lambda r: r.name)
@pytest.mark.parametrize("asset_class", list(AssetClass), ids=str)
def test_each_pd_and_lgd_floor_binds_at_zero(regime, asset_class):
    pd_floor, lgd_used = BINDING[regime.name][asset_class]
    c = irb_capital(
        ead=1.0,
        default_probability=0.0,
        lgd=0.0,
        regime=regime,
        asset_class=asset_class,
        apply_lgd_floor=True,
    )
    assert c.default_probability == pd_floor
    assert c.lgd == lgd_used


def test_the_revenue_limit_for_own_lgd_is_exclusive_at_500_million():
    def lgd(sales: float) -> float:
        return irb_capital(
            ead=1.0,
            default_probability=0.01,
            lgd=0.1,
            regime=BASEL_III,
            sales=sales,
            apply_lgd_floor=True,
        ).lgd

    assert lgd(500.0) == 0.25  # own estimate allowed: the 25 % floor binds
    assert lgd(500.0001) == 0.40  # above the limit: foundation LGD, senior


def test_large_financial_multiplier_scales_the_correlation():
    for regime, factor in ((BASEL_III, 1.25), (BASEL_II, 1.0)):
        ratio = asset_correlation(
            0.01, asset_class="large_financial", regime=regime
        ) / asset_correlation(0.01, asset_class="corporate", regime=regime)
        np.testing.assert_allclose(ratio, [factor], rtol=1e-12)


def test_maturity_floor_equal_to_the_cap_fixes_every_maturity():
    fixed = attrs.evolve(BASEL_III, maturity_floor=2.5, maturity_cap=2.5)
    ma = maturity_adjustment(0.01, [0.5, 2.5, 7.0], regime=fixed)
    np.testing.assert_array_equal(ma, np.full(3, ma[1]))
    np.testing.assert_allclose(ma[1], 1.2598095, rtol=1e-7)
    with pytest.raises(InvalidValueError) as caught:
        attrs.evolve(BASEL_III, maturity_floor=3.0, maturity_cap=2.5)
    assert (caught.value.field, caught.value.value) == ("maturity_floor", 3.0)
    assert (
        str(caught.value)
        == "`maturity_floor` must be at most maturity_cap (2.5); got 3.0."
    )


def _regime(**changes: object) -> CapitalRegime:
    required: dict[str, Any] = {
        "name": "mine",
        "default_probability_floor": 0.001,
        "default_probability_floor_retail": 0.002,
        "default_probability_floor_sovereign": 0.0,
        "scaling_factor": 1.0,
        "large_financial_multiplier": 1.0,
    }
    return CapitalRegime(**{**required, **changes})


def test_class_defaults_of_a_regime_are_pinned():
    r = _regime()
    assert attrs.asdict(r, recurse=False) == {
        "name": "mine",
        "default_probability_floor": 0.001,
        "default_probability_floor_retail": 0.002,
        "default_probability_floor_sovereign": 0.0,
        "default_probability_floor_qrre_revolver": 0.002,  # the retail floor
        "scaling_factor": 1.0,
        "large_financial_multiplier": 1.0,
        "foundation_lgd_senior": 0.45,
        "foundation_lgd_senior_financial": 0.45,
        "foundation_lgd_subordinated": 0.75,
        "advanced_lgd_revenue_limit": None,
        "advanced_lgd_for_financials": True,
        "advanced_lgd_policy": AdvancedLGDPolicy.FOUNDATION,
        "lgd_floors": {},
        "secured_lgd_floors": {},
        "maturity_floor": 1.0,
        "maturity_cap": 5.0,
        "maturity_policy": MaturityPolicy.CAP,
        "confidence": 0.999,
    }


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("default_probability_floor", 0.0),
        ("default_probability_floor", 1.0),
        ("default_probability_floor_qrre_revolver", 1.0),
        ("scaling_factor", 1e-9),
        ("large_financial_multiplier", 1.0),
        ("foundation_lgd_subordinated", 1.0),
        ("advanced_lgd_revenue_limit", 0.0),
        ("maturity_floor", 0.0),
        ("confidence", 0.5),
    ],
)
def test_regime_fields_accept_their_closed_bounds(field, value):
    assert getattr(_regime(**{field: value}), field) == value


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("default_probability_floor", -1e-9),
        ("default_probability_floor_retail", 1.000001),
        ("scaling_factor", 0.0),
        ("large_financial_multiplier", 0.999),
        ("foundation_lgd_senior", 1.01),
        ("advanced_lgd_revenue_limit", -1.0),
        ("maturity_cap", -1.0),
        ("confidence", 1.0),
        ("confidence", 0.4999),
    ],
)
def test_regime_fields_refuse_past_their_bounds_naming_the_field(field, value):
    with pytest.raises(InvalidValueError) as caught:
        _regime(**{field: value})
    assert caught.value.field == field
    assert caught.value.value == value


def test_senior_foundation_lgd_of_every_class():
    financial = {A.SOVEREIGN, A.BANK, A.LARGE_FINANCIAL, A.OTHER_FINANCIAL}
    for cls in AssetClass:
        want = 0.45 if cls in financial else 0.40
        assert BASEL_III.senior_foundation_lgd(cls) == want, cls


def test_secured_floors_take_collateral_names_and_refuse_unknown_ones():
    r = _regime(secured_lgd_floors={"cash": 0, "real_estate": "0.1"})
    assert r.secured_lgd_floors == {C.CASH: 0.0, C.REAL_ESTATE: 0.1}
    assert all(type(v) is float for v in r.secured_lgd_floors.values())
    with pytest.raises(InvalidValueError) as caught:
        _regime(secured_lgd_floors={"castle": 0.1})
    assert caught.value.field == "secured_lgd_floors"
    assert _regime(lgd_floors={A.BANK: 0.2}).lgd_floors == {A.BANK: 0.2}
