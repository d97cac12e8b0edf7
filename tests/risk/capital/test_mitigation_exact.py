# mypy: disable-error-code="arg-type"
# (the tests pass wrong types on purpose)
"""Foundation LGD and A-IRB LGD floors with every argument set (issue #23).

LGD* = LGD_U E_U / (E (1 + H_E)) + LGD_S E_S / (E (1 + H_E)),
E_S = min(C (1 - H_C - H_FX) f_MM, E (1 + H_E)) (CRE32.10-32.11; f_MM of
CRE22.10-22.14 via CRE32.56); the A-IRB floor is the same average of the unsecured
and secured floors (CRE32.16-32.17: 25 % corporate; 0 / 10 / 10 / 15 % secured by
financial / receivables / real estate / other physical; CRE32.58-32.59: QRRE 50 %,
mortgages 5 %, other retail 30 %). Supervisory LGD: 40 % senior corporate under Basel
III (45 % Basel II), 45 % senior financial and sovereign (CRE32.6), 75 % subordinated
(CRE32.7).
"""

from __future__ import annotations

import math
from typing import Any

import attrs
import numpy as np
import pytest

from lendcrm.errors import InvalidValueError
from lendcrm.risk.capital import (
    BASEL_II,
    BASEL_III,
    SUPERVISORY_HAIRCUTS,
    TEN_BUSINESS_DAYS,
    HoldingPeriod,
    airb_lgd_floor,
    foundation_lgd,
    supervisory_lgd,
)

S2 = math.sqrt(2.0)  # secured lending: 20 business days, daily revaluation


def test_supervisory_lgd_every_class_and_rank():
    classes = ["corporate", "sovereign", "bank", "large_financial", "other_financial"]
    assert supervisory_lgd(classes, regime=BASEL_III).tolist() == [
        0.40,
        0.45,
        0.45,
        0.45,
        0.45,
    ]
    assert supervisory_lgd(classes, regime=BASEL_II).tolist() == [0.45] * 5
    got = supervisory_lgd(
        "corporate",
        regime=BASEL_III,
        seniority=["senior_secured", "senior_unsecured", "mezzanine", "subordinated"],
    )
    assert got.tolist() == [0.40, 0.40, 0.75, 0.75]
    got = supervisory_lgd(
        ["corporate", "bank"], regime=BASEL_III, seniority="subordinated"
    )
    assert got.tolist() == [0.75, 0.75]


def test_supervisory_lgd_refuses_retail_naming_the_row():
    for cls in ("residential_mortgage", "qualifying_revolving", "other_retail"):
        with pytest.raises(InvalidValueError) as err:
            supervisory_lgd(cls, regime=BASEL_III)
        assert (err.value.field, err.value.value) == ("asset_class", cls)
        assert err.value.expected == (
            "a corporate, sovereign or bank class (retail LGDs are the bank's own "
            "estimates: there is no foundation approach for retail, CRE30.42)"
        )
    with pytest.raises(InvalidValueError) as err:
        supervisory_lgd(["corporate", "bank", "other_retail"], regime=BASEL_III)
    assert (err.value.field, err.value.value) == ("asset_class[2]", "other_retail")
    with pytest.raises(InvalidValueError) as err:
        supervisory_lgd("corporate", regime="basel_iii")
    assert (err.value.field, err.value.expected) == ("regime", "a CapitalRegime")
    with pytest.raises(InvalidValueError) as err:
        supervisory_lgd("corporate", regime=BASEL_III, seniority="junior")
    assert err.value.field.startswith("seniority")
    with pytest.raises(InvalidValueError) as err:
        supervisory_lgd(
            ["corporate"] * 2, regime=BASEL_III, seniority=["mezzanine"] * 3
        )
    assert "length" in err.value.expected


def _lgd_star(lu: float, ls: float, e: float, es: float, he: float = 0.0) -> float:
    gross = e * (1 + he)
    es = min(es, gross)
    return (lu * (gross - es) + ls * es) / gross


def test_foundation_lgd_each_kind_and_the_defaults():
    got = foundation_lgd(
        100.0,
        [0.0, 50.0, 50.0, 50.0, 500.0],
        ["cash", "gold", "receivables", "other_physical", "real_estate"],
        lgd_unsecured=0.4,
    )
    want = [
        0.4,
        _lgd_star(0.4, 0.0, 100, 50 * (1 - 0.2 * S2)),
        _lgd_star(0.4, 0.2, 100, 50 * 0.6),
        _lgd_star(0.4, 0.25, 100, 50 * 0.6),
        0.2,  # fully secured: LGD_S
    ]
    np.testing.assert_allclose(got, want, rtol=1e-14)


def test_foundation_lgd_every_optional_argument():
    # FX mismatch, an exposure haircut and a 10-day holding period
    got = foundation_lgd(
        100.0,
        50.0,
        "cash",
        lgd_unsecured=0.45,
        currency_mismatch=True,
        exposure_haircut=0.1,
        holding_period=TEN_BUSINESS_DAYS,
    )
    assert got[0] == pytest.approx(
        _lgd_star(0.45, 0.0, 100, 50 * 0.92, he=0.1), rel=1e-14
    )
    # a schedule of its own: 50 % secured LGD on real estate, 10 % haircut
    haircuts: dict[Any, float] = {**SUPERVISORY_HAIRCUTS.haircuts, "real_estate": 0.1}
    secured: dict[Any, float] = {**SUPERVISORY_HAIRCUTS.secured_lgd, "real_estate": 0.5}
    schedule = attrs.evolve(
        SUPERVISORY_HAIRCUTS, haircuts=haircuts, secured_lgd=secured
    )
    got = foundation_lgd(
        100.0, 50.0, "real_estate", lgd_unsecured=0.45, schedule=schedule
    )
    assert got[0] == pytest.approx(_lgd_star(0.45, 0.5, 100, 45.0), rel=1e-14)
    # maturity mismatch: (2.25 - 0.25) / (4.25 - 0.25) = 0.5 of the collateral
    got = foundation_lgd(
        100.0,
        50.0,
        "cash",
        lgd_unsecured=0.45,
        collateral_maturity=2.25,
        exposure_maturity=4.25,
    )
    assert got[0] == pytest.approx(_lgd_star(0.45, 0.0, 100, 25.0), rel=1e-14)
    got = foundation_lgd(
        100.0,
        50.0,
        "cash",
        lgd_unsecured=0.45,
        collateral_maturity=0.5,
        exposure_maturity=4.25,
        collateral_original_maturity=0.9,
    )
    assert got.tolist() == [0.45]  # under a year at origin: not recognised
    got = foundation_lgd(
        100.0,
        50.0,
        "cash",
        lgd_unsecured=0.45,
        collateral_maturity=0.5,
        exposure_maturity=4.25,
        collateral_original_maturity=2.0,
    )
    assert got[0] == pytest.approx(_lgd_star(0.45, 0.0, 100, 50 * 0.0625), rel=1e-14)
    rare = HoldingPeriod(minimum_days=20, revaluation_days=200)
    got = foundation_lgd(
        100.0, 50.0, "other_listed_equity", lgd_unsecured=0.45, holding_period=rare
    )
    assert got.tolist() == [0.45]  # a haircut above 100 % secures nothing


@pytest.mark.parametrize(
    ("given", "missing"),
    [
        ({"collateral_maturity": 2.0}, "exposure_maturity"),
        ({"exposure_maturity": 2.0}, "collateral_maturity"),
        ({"collateral_original_maturity": 2.0}, "collateral_maturity"),
    ],
)
def test_mismatch_maturities_come_together(given, missing):
    for call, kw in (
        (foundation_lgd, {"lgd_unsecured": 0.45}),
        (airb_lgd_floor, {"regime": BASEL_III}),
    ):
        with pytest.raises(InvalidValueError) as err:
            call(100.0, 50.0, "cash", **kw, **given)
        assert (err.value.field, err.value.value) == (missing, None)
        assert err.value.expected == (
            "given together with collateral_maturity and exposure_maturity (residual "
            "maturities in years, for the maturity-mismatch adjustment of "
            "CRE22.10-22.14)"
        )


def test_foundation_lgd_bounds_and_refusals():
    assert foundation_lgd(1e-300, 0.0, "cash", lgd_unsecured=1.0).tolist() == [1.0]
    assert foundation_lgd(1.0, 0.0, "cash", lgd_unsecured=0.0).tolist() == [0.0]
    assert foundation_lgd(1.0, 1.0, "cash", lgd_unsecured=0.4, exposure_haircut=1.0)[
        0
    ] == pytest.approx(0.4 * (2 - (1 - 0.0)) / 2)
    for name, args, kw, words in [
        ("exposure", (0.0, 1.0), {}, "> 0"),
        ("collateral_value", (1.0, -1e-300), {}, ">= 0"),
        ("lgd_unsecured", (1.0, 1.0), {"lgd_unsecured": 1.0000001}, "[0, 1]"),
        ("lgd_unsecured", (1.0, 1.0), {"lgd_unsecured": -1e-300}, "[0, 1]"),
        ("exposure_haircut", (1.0, 1.0), {"exposure_haircut": 1.0000001}, "[0, 1]"),
        ("exposure_haircut", (1.0, 1.0), {"exposure_haircut": -1e-300}, "[0, 1]"),
    ]:
        with pytest.raises(InvalidValueError) as err:
            foundation_lgd(*args, "cash", **{"lgd_unsecured": 0.4, **kw})
        assert err.value.field == f"{name}[0]"
        assert words in err.value.expected
    with pytest.raises(InvalidValueError) as err:
        foundation_lgd(1.0, 1.0, "cash", lgd_unsecured=0.4, schedule={})
    assert (err.value.field, err.value.expected) == ("schedule", "a HaircutSchedule")
    with pytest.raises(InvalidValueError) as err:
        foundation_lgd([1.0, 2.0], [1.0, 2.0, 3.0], "cash", lgd_unsecured=0.4)
    assert "length" in err.value.expected


def test_airb_floor_every_class_and_kind_under_basel_iii():
    got = airb_lgd_floor(
        100.0,
        0.0,
        "cash",
        regime=BASEL_III,
        asset_class=[
            "corporate",
            "bank",
            "large_financial",
            "other_financial",
            "sovereign",
            "residential_mortgage",
            "qualifying_revolving",
            "qrre_transactor",
            "other_retail",
        ],
    )
    assert got.tolist() == [0.25, 0.25, 0.25, 0.25, 0.0, 0.05, 0.5, 0.5, 0.3]
    # fully secured by each kind: the secured floor (corporate), unchanged for QRRE
    kinds = [
        "cash",
        "sovereign_long",
        "gold",
        "receivables",
        "real_estate",
        "other_physical",
    ]
    got = airb_lgd_floor(1.0, 1000.0, kinds, regime=BASEL_III)
    assert got.tolist() == [0.0, 0.0, 0.0, 0.1, 0.1, 0.15]
    got = airb_lgd_floor(
        1.0,
        1000.0,
        "real_estate",
        regime=BASEL_III,
        asset_class=["qualifying_revolving", "residential_mortgage", "other_retail"],
    )
    assert got.tolist() == [0.5, 0.05, 0.1]
    # Basel II: only the mortgage floor, no secured floors
    got = airb_lgd_floor(
        1.0,
        1000.0,
        "real_estate",
        regime=BASEL_II,
        asset_class=["corporate", "residential_mortgage"],
    )
    assert got.tolist() == [0.0, 0.1]


def test_airb_floor_every_optional_argument():
    base = {"regime": BASEL_III}
    got = airb_lgd_floor(100.0, 50.0, "real_estate", **base)
    assert got[0] == pytest.approx(_lgd_star(0.25, 0.1, 100, 30.0), rel=1e-14)
    got = airb_lgd_floor(
        100.0,
        50.0,
        "gold",
        **base,
        currency_mismatch=True,
        exposure_haircut=0.2,
        holding_period=TEN_BUSINESS_DAYS,
    )
    assert got[0] == pytest.approx(
        _lgd_star(0.25, 0.0, 100, 50 * 0.72, he=0.2), rel=1e-14
    )
    got = airb_lgd_floor(
        100.0,
        50.0,
        "cash",
        **base,
        collateral_maturity=2.25,
        exposure_maturity=4.25,
        collateral_original_maturity=3.0,
    )
    assert got[0] == pytest.approx(_lgd_star(0.25, 0.0, 100, 25.0), rel=1e-14)
    no_haircut: dict[Any, float] = {**SUPERVISORY_HAIRCUTS.haircuts, "real_estate": 0.0}
    schedule = attrs.evolve(SUPERVISORY_HAIRCUTS, haircuts=no_haircut)
    got = airb_lgd_floor(100.0, 50.0, "real_estate", **base, schedule=schedule)
    assert got[0] == pytest.approx(_lgd_star(0.25, 0.1, 100, 50.0), rel=1e-14)
    got = airb_lgd_floor(100.0, 50.0, "real_estate", **base, asset_class="other_retail")
    assert got[0] == pytest.approx(_lgd_star(0.3, 0.1, 100, 30.0), rel=1e-14)
    for bad, field in (("basel_iii", "regime"), ({}, "schedule")):
        kw: dict[str, Any] = (
            {"regime": bad} if field == "regime" else {**base, "schedule": bad}
        )
        with pytest.raises(InvalidValueError) as err:
            airb_lgd_floor(100.0, 50.0, "cash", **kw)
        assert err.value.field == field
    with pytest.raises(InvalidValueError) as err:
        airb_lgd_floor(100.0, 50.0, "cash", **base, asset_class="retail")
    assert err.value.field.startswith("asset_class")
    with pytest.raises(InvalidValueError) as err:
        airb_lgd_floor(0.0, 50.0, "cash", **base)
    assert err.value.field == "exposure[0]"
