# mypy: disable-error-code="arg-type"
# (the tests pass wrong types on purpose)
"""Supervisory haircuts and the maturity mismatch: tables pinned, bounds exact (#23).

Sources (Basel Framework, CRE as in force 2023):
- CRE22.49: 10-business-day haircuts, cash 0 %; sovereigns AA- or better 0.5 % up to
  1 year, 2 % to 5 years, 4 % beyond; main-index equities and gold 20 %; other listed
  equities 30 %. CRE32.11: non-financial collateral 40 %; secured LGD 0 % financial,
  20 % receivables and real estate, 25 % other physical. CRE22.52: FX 8 %.
- CRE22.57-22.59: H = H_10 sqrt((N_R + T_M - 1) / 10); T_M = 20 for secured lending.
- CRE22.10-22.14: P_a = P (t - 0.25) / (T - 0.25), T capped at 5 years; no recognition
  with 0.25 years or less to run, or under one year at origin.
"""

from __future__ import annotations

import math
from typing import Any

import attrs
import numpy as np
import pytest

from lendcrm.errors import InvalidValueError
from lendcrm.risk.capital import (
    FINANCIAL_COLLATERAL,
    SECURED_LENDING,
    SUPERVISORY_HAIRCUTS,
    TEN_BUSINESS_DAYS,
    HaircutSchedule,
    HoldingPeriod,
    SupervisoryCollateral,
    collateral_after_haircut,
    maturity_mismatch_factor,
    supervisory_haircut,
)
from lendcrm.risk.capital._haircuts import haircut_table

HAIRCUT = {
    "cash": 0.0,
    "sovereign_short": 0.005,
    "sovereign_medium": 0.02,
    "sovereign_long": 0.04,
    "main_index_equity": 0.20,
    "other_listed_equity": 0.30,
    "gold": 0.20,
    "receivables": 0.40,
    "real_estate": 0.40,
    "other_physical": 0.40,
}
SECURED_LGD = {
    **dict.fromkeys(
        [
            "cash",
            "sovereign_short",
            "sovereign_medium",
            "sovereign_long",
            "main_index_equity",
            "other_listed_equity",
            "gold",
        ],
        0.0,
    ),
    "receivables": 0.20,
    "real_estate": 0.20,
    "other_physical": 0.25,
}
FINANCIAL = set(list(HAIRCUT)[:7])


def test_the_supervisory_tables_entry_by_entry():
    assert {k.value: v for k, v in SUPERVISORY_HAIRCUTS.haircuts.items()} == HAIRCUT
    assert {
        k.value: v for k, v in SUPERVISORY_HAIRCUTS.secured_lgd.items()
    } == SECURED_LGD
    assert SUPERVISORY_HAIRCUTS.currency_mismatch == 0.08
    assert {k.value for k in FINANCIAL_COLLATERAL} == FINANCIAL
    assert [k.value for k in SupervisoryCollateral] == list(HAIRCUT)
    assert (SECURED_LENDING.minimum_days, SECURED_LENDING.revaluation_days) == (20, 1)
    assert (TEN_BUSINESS_DAYS.minimum_days, TEN_BUSINESS_DAYS.revaluation_days) == (
        10,
        1,
    )
    assert TEN_BUSINESS_DAYS.scale == 1.0
    assert SECURED_LENDING.scale == math.sqrt(2.0)
    assert HoldingPeriod(minimum_days=5).revaluation_days == 1
    assert HoldingPeriod(minimum_days=5, revaluation_days=3).scale == math.sqrt(0.7)


def test_every_haircut_scaled_for_financial_collateral_only():
    kinds = list(HAIRCUT)
    for period in (SECURED_LENDING, TEN_BUSINESS_DAYS, HoldingPeriod(minimum_days=5)):
        got = supervisory_haircut(kinds, holding_period=period)
        want = [HAIRCUT[k] * (period.scale if k in FINANCIAL else 1.0) for k in kinds]
        assert got.tolist() == want
    assert supervisory_haircut(kinds).tolist() == [
        HAIRCUT[k] * (math.sqrt(2.0) if k in FINANCIAL else 1.0) for k in kinds
    ]
    np.testing.assert_array_equal(
        haircut_table(kinds, SUPERVISORY_HAIRCUTS.secured_lgd),
        list(SECURED_LGD.values()),
    )


def test_the_fx_haircut_is_scaled_and_per_row():
    got = supervisory_haircut(
        ["cash", "real_estate", "gold"], currency_mismatch=[True, True, False]
    )
    s = math.sqrt(2.0)
    assert got.tolist() == [0.08 * s, 0.40 + 0.08 * s, 0.20 * s]
    schedule = attrs.evolve(SUPERVISORY_HAIRCUTS, currency_mismatch=0.1)
    got = supervisory_haircut(
        "cash",
        currency_mismatch=True,
        holding_period=TEN_BUSINESS_DAYS,
        schedule=schedule,
    )
    assert got.tolist() == [0.1]
    with pytest.raises(InvalidValueError) as err:
        supervisory_haircut("cash", currency_mismatch="yes")
    assert err.value.field.startswith("currency_mismatch")
    with pytest.raises(InvalidValueError) as err:
        supervisory_haircut(["cash", "gold"], currency_mismatch=[True, False, True])
    assert "length" in err.value.expected
    with pytest.raises(InvalidValueError) as err:
        supervisory_haircut(["cash", "bonds"])
    assert err.value.field.startswith("kind")
    assert "bonds" in str(err.value)


def test_collateral_after_haircut_floors_at_zero_and_passes_every_argument():
    got = collateral_after_haircut([100.0, 0.0], "gold")
    assert got.tolist() == [100.0 * (1 - 0.2 * math.sqrt(2.0)), 0.0]
    schedule = attrs.evolve(SUPERVISORY_HAIRCUTS, currency_mismatch=0.5)
    got = collateral_after_haircut(
        100.0,
        "main_index_equity",
        currency_mismatch=True,
        holding_period=TEN_BUSINESS_DAYS,
        schedule=schedule,
    )
    assert got.tolist() == [100.0 * (1 - 0.2 - 0.5)]
    # a rarely revalued piece: haircut above 100 %, worth nothing (not negative)
    rare = HoldingPeriod(minimum_days=20, revaluation_days=200)
    assert supervisory_haircut("other_listed_equity", holding_period=rare)[0] > 1.0
    assert collateral_after_haircut(
        100.0, "other_listed_equity", holding_period=rare
    ).tolist() == [0.0]
    with pytest.raises(InvalidValueError) as err:
        collateral_after_haircut(-1e-300, "cash")
    assert err.value.field == "collateral_value[0]"
    assert ">= 0" in err.value.expected
    with pytest.raises(InvalidValueError) as err:
        collateral_after_haircut([1.0, 2.0, 3.0], ["cash", "gold"])
    assert "length" in err.value.expected
    for call, args in (
        (supervisory_haircut, ("cash",)),
        (collateral_after_haircut, (1.0, "cash")),
    ):
        with pytest.raises(InvalidValueError) as err:
            call(*args, schedule=dict(HAIRCUT))
        assert (err.value.field, err.value.expected) == (
            "schedule",
            "a HaircutSchedule",
        )


@pytest.mark.parametrize(
    ("t", "big_t", "orig", "factor"),
    [
        (3.0, 3.0, None, 1.0),  # no mismatch
        (4.0, 3.0, None, 1.0),  # the hedge outlives the exposure
        (5.0, 10.0, None, 1.0),  # T capped at 5: t = T
        (2.625, 10.0, None, 0.5),  # (2.625 - 0.25) / (5 - 0.25)
        (2.25, 4.25, None, 0.5),  # (2.25 - 0.25) / (4.25 - 0.25)
        (0.25, 4.25, 5.0, 0.0),  # three months or less to run: not recognised
        (0.5, 4.25, 1.0, 0.25 / 4.0),  # exactly one year at origin: recognised
        (0.5, 4.25, math.nextafter(1.0, 0.0), 0.0),  # under one year: not
        (0.9, 4.25, None, 0.0),  # unknown origin: the residual, under one year
        (0.0, 0.0, None, 1.0),  # both ended: no mismatch
    ],
)
def test_maturity_mismatch_factor_at_each_boundary(t, big_t, orig, factor):
    got = maturity_mismatch_factor(t, big_t, protection_original_maturity=orig)
    assert got[0] == pytest.approx(factor, rel=1e-14, abs=0.0)


def test_maturity_mismatch_just_above_three_months_counts():
    t = math.nextafter(0.25, 1.0)
    got = maturity_mismatch_factor(t, 4.25, protection_original_maturity=2.0)[0]
    assert 0.0 < got < 1e-15


def test_maturity_mismatch_refusals():
    with pytest.raises(InvalidValueError) as err:
        maturity_mismatch_factor(
            [2.0, 2.0], 3.0, protection_original_maturity=[2.0, 1.9]
        )
    assert (err.value.field, err.value.value) == (
        "protection_original_maturity[1]",
        1.9,
    )
    assert err.value.expected == (
        "at least the residual maturity protection_maturity[1] (2 years)"
    )
    for name, args, kw in [
        ("protection_maturity", (-1e-300, 1.0), {}),
        ("exposure_maturity", (1.0, -1e-300), {}),
        (
            "protection_original_maturity",
            (1.0, 1.0),
            {"protection_original_maturity": -1.0},
        ),
    ]:
        with pytest.raises(InvalidValueError) as err:
            maturity_mismatch_factor(*args, **kw)
        assert err.value.field == f"{name}[0]"
        assert ">= 0" in err.value.expected
    with pytest.raises(InvalidValueError) as err:
        maturity_mismatch_factor([1.0, 2.0], [1.0, 2.0, 3.0])
    assert "length" in err.value.expected


def _tables(**changes: Any) -> dict[str, Any]:
    return {"haircuts": dict(HAIRCUT), "secured_lgd": dict(SECURED_LGD), **changes}


def test_a_schedule_from_plain_names_and_numbers():
    s = HaircutSchedule(**_tables(haircuts={**HAIRCUT, "cash": "0.01", "gold": 1}))
    assert s.haircuts[SupervisoryCollateral.CASH] == 0.01
    assert s.haircuts[SupervisoryCollateral.GOLD] == 1.0
    assert s.currency_mismatch == 0.08
    edges = HaircutSchedule(**_tables(secured_lgd={**SECURED_LGD, "cash": 1.0}))
    assert edges.secured_lgd[SupervisoryCollateral.CASH] == 1.0
    assert HaircutSchedule(**_tables(), currency_mismatch=0.0).currency_mismatch == 0.0


@pytest.mark.parametrize("table", ["haircuts", "secured_lgd"])
def test_schedule_refusals_name_the_table_and_entry(table):
    base = HAIRCUT if table == "haircuts" else SECURED_LGD
    with pytest.raises(InvalidValueError) as err:
        HaircutSchedule(**_tables(**{table: list(base.items())}))
    assert err.value.field == table
    assert repr(err.value.value) == "a 'list'"
    assert err.value.expected == "a mapping of SupervisoryCollateral"
    for bad, shown in ((True, "a 'bool'"), (None, "None"), ("abc", "'abc'")):
        with pytest.raises(InvalidValueError) as err:
            HaircutSchedule(**_tables(**{table: {**base, "gold": bad}}))
        assert err.value.field == f"{table}['gold']"
        assert repr(err.value.value) == shown
        assert err.value.expected == "a fraction in [0, 1]"
    with pytest.raises(InvalidValueError) as err:
        HaircutSchedule(**_tables(**{table: {**base, "cash": 2.0, "gold": -1.0}}))
    assert err.value.expected == (
        "a fraction in [0, 1] for every collateral kind (out of range: cash, gold)"
    )
    with pytest.raises(InvalidValueError) as err:
        HaircutSchedule(**_tables(**{table: {**base, "bonds": 0.1}}))
    assert (err.value.field, err.value.value) == (table, "bonds")
    missing = {k: v for k, v in base.items() if k not in ("gold", "cash")}
    with pytest.raises(InvalidValueError) as err:
        HaircutSchedule(**_tables(**{table: missing}))
    assert err.value.field == table
    assert err.value.value == sorted(missing)
    assert err.value.expected == (
        "a fraction in [0, 1] for every collateral kind (missing cash, gold)"
    )
    for low, high in ((-1e-300, 0.0), (0.0, math.nextafter(1.0, 2.0))):
        with pytest.raises(InvalidValueError) as err:
            HaircutSchedule(**_tables(**{table: {**base, "cash": low, "gold": high}}))
        assert err.value.expected == (
            "a fraction in [0, 1] for every collateral kind (out of range: "
            + ("cash)" if low else "gold)")
        )
    with pytest.raises(InvalidValueError) as err:
        HaircutSchedule(**_tables(**{table: {**missing, "receivables": 2.0}}))
    assert err.value.expected == (
        "a fraction in [0, 1] for every collateral kind (missing cash, gold)"
        " (out of range: receivables)"
    )


def test_schedule_fx_and_holding_period_refusals():
    for bad in (-1e-300, 1.0000001):
        with pytest.raises(InvalidValueError) as err:
            HaircutSchedule(**_tables(), currency_mismatch=bad)
        assert err.value.field == "currency_mismatch"
    for kw, field in (
        ({"minimum_days": 0}, "minimum_days"),
        ({"minimum_days": 5, "revaluation_days": 0}, "revaluation_days"),
    ):
        with pytest.raises(InvalidValueError) as err:
            HoldingPeriod(**kw)
        assert (err.value.field, err.value.expected) == (field, "an integer > 0")


def test_haircut_table_names_an_unknown_kind():
    got = haircut_table(["gold", "cash", "gold"], SUPERVISORY_HAIRCUTS.secured_lgd)
    assert got.tolist() == [0.0, 0.0, 0.0]
    assert haircut_table("other_physical", SUPERVISORY_HAIRCUTS.haircuts).tolist() == [
        0.4
    ]
    with pytest.raises(InvalidValueError) as err:
        haircut_table(["cash", "bonds"], SUPERVISORY_HAIRCUTS.secured_lgd)
    assert (err.value.field, err.value.value) == ("kind[1]", "bonds")


def test_mismatch_factor_without_division_warnings_at_three_months():
    # T = 0.25: (t - 0.25) / 0 is never used (refused, or no mismatch), and never warns
    assert maturity_mismatch_factor([0.1, 0.25], [0.25, 0.25]).tolist() == [0.0, 1.0]
