# mypy: disable-error-code="arg-type"
# (the tests pass wrong types on purpose)
"""Collateral allocation: every field of each rule by hand, every refusal named (#23).

Two assets (100 and 0) and three facilities (60, 90, 30); asset 0 secures all three
(ranks 1, 2, 2), asset 1 secures facility 2. The formulas are those of the module
docstring: pro rata B = V E_f / sum E_g; by rank, what earlier ranks leave, pro rata
within a rank; shares B = s V; A = min(B, E); LTV = E / sum B and sum E / V.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from lendcrm.errors import InvalidValueError
from lendcrm.risk.capital import AllocationRule, allocate_collateral

LINKS: dict[str, Any] = {"link_collateral": [0, 0, 0, 1], "link_facility": [0, 1, 2, 2]}
VALUE = [100.0, 0.0]
EXPO = [60.0, 90.0, 30.0]


def _fields(a: Any) -> dict[str, list[float]]:
    names = (
        "attributed",
        "allocated",
        "facility_secured",
        "facility_ltv",
        "collateral_ltv",
        "unallocated",
    )
    return {n: getattr(a, n).tolist() for n in names}


def _same(got: dict[str, list[float]], want: dict[str, list[float]]) -> None:
    assert got.keys() == want.keys()
    for name, value in want.items():
        np.testing.assert_allclose(got[name], value, rtol=1e-14, err_msg=name)


def test_pro_rata_every_field():
    a = allocate_collateral(VALUE, EXPO, **LINKS)  # pro rata is the default
    b = [100 * 60 / 180, 100 * 90 / 180, 100 * 30 / 180, 0.0]
    _same(
        _fields(a),
        {
            "attributed": b,
            "allocated": [b[0], b[1], b[2], 0.0],
            "facility_secured": [b[0], b[1], b[2]],
            "facility_ltv": [60 / b[0], 90 / b[1], 30 / b[2]],
            "collateral_ltv": [180 / 100, math.nan],
            "unallocated": [0.0, 0.0],
        },
    )
    _same(
        _fields(allocate_collateral(VALUE, EXPO, **LINKS, rule="pro_rata")), _fields(a)
    )


def test_by_rank_every_field():
    a = allocate_collateral(VALUE, EXPO, **LINKS, rule="by_rank", rank=[1, 2, 2, 1])
    # rank 1 takes min(100, 60); ranks 2 share the 40 left, 90 : 30
    _same(
        _fields(a),
        {
            "attributed": [100.0, 40 * 0.75, 40 * 0.25, 0.0],
            "allocated": [60.0, 30.0, 10.0, 0.0],
            "facility_secured": [60.0, 30.0, 10.0],
            "facility_ltv": [0.6, 3.0, 3.0],
            "collateral_ltv": [1.8, math.nan],
            "unallocated": [0.0, 0.0],
        },
    )


def test_by_rank_with_value_left_and_rank_gaps():
    a = allocate_collateral(
        [200.0, 50.0],
        [60.0, 90.0, 30.0],
        link_collateral=[1, 0, 0, 0],
        link_facility=[2, 1, 0, 2],
        rule=AllocationRule.BY_RANK,
        rank=[1.0, 3.0, 1.0, 7.0],
    )
    # asset 0: rank 1 (60) takes 200, rank 3 (90) 140, rank 7 (30) 50; asset 1: 50
    _same(
        _fields(a),
        {
            "attributed": [50.0, 140.0, 200.0, 50.0],
            "allocated": [30.0, 90.0, 60.0, 30.0],
            "facility_secured": [60.0, 90.0, 30.0],
            "facility_ltv": [60 / 200, 90 / 140, 30 / 100],
            "collateral_ltv": [180 / 200, 30 / 50],
            "unallocated": [200 - 180, 50 - 30],
        },
    )


def test_shares_every_field_and_the_total_bound():
    a = allocate_collateral(
        VALUE, EXPO, **LINKS, rule="shares", share=[0.5, 0.25, 0.25, 1.0]
    )
    _same(
        _fields(a),
        {
            "attributed": [50.0, 25.0, 25.0, 0.0],
            "allocated": [50.0, 25.0, 25.0, 0.0],
            "facility_secured": [50.0, 25.0, 25.0],
            "facility_ltv": [1.2, 3.6, 1.2],
            "collateral_ltv": [1.8, math.nan],
            "unallocated": [0.0, 0.0],
        },
    )
    # within the 1e-12 tolerance of 100 %, and just past it
    allocate_collateral(
        VALUE, EXPO, **LINKS, rule="shares", share=[0.5, 0.25, 0.25 + 5e-13, 0.0]
    )
    with pytest.raises(InvalidValueError) as err:
        allocate_collateral(
            [1.0, 5.0], EXPO, **LINKS, rule="shares", share=[0.0, 0.0, 0.0, 1.0 + 1e-11]
        )
    assert err.value.field == "share[3]"  # a share above 1 is refused on its own
    with pytest.raises(InvalidValueError) as err:
        allocate_collateral(
            VALUE, EXPO, **LINKS, rule="shares", share=[0.5, 0.5, 2e-12, 0.0]
        )
    assert err.value.field == "share (collateral 0)"
    assert err.value.value == pytest.approx(1.0 + 2e-12, rel=0, abs=1e-15)
    assert err.value.expected == (
        "shares of one asset adding up to at most 1 (100 % of its value)"
    )


def test_the_attributed_value_is_capped_at_the_exposure_and_sums_per_facility():
    a = allocate_collateral(
        [100.0, 100.0], [50.0], link_collateral=[0, 1], link_facility=[0, 0]
    )
    assert a.attributed.tolist() == [100.0, 100.0]
    assert a.allocated.tolist() == [50.0, 50.0]
    assert a.facility_secured.tolist() == [50.0]  # min(E, sum A)
    assert a.facility_ltv.tolist() == [0.25]
    assert a.collateral_ltv.tolist() == [0.5, 0.5]
    assert a.unallocated.tolist() == [50.0, 50.0]


def test_zero_exposures_and_unlinked_rows():
    a = allocate_collateral(
        [100.0, 10.0], [0.0, 0.0, 5.0], link_collateral=[0, 0], link_facility=[0, 1]
    )
    assert a.attributed.tolist() == [0.0, 0.0]
    assert math.isnan(a.facility_ltv[2])  # nothing behind it
    assert a.collateral_ltv.tolist() == [0.0, 0.0]
    assert a.unallocated.tolist() == [100.0, 10.0]
    r = allocate_collateral(
        [100.0],
        [0.0, 40.0],
        link_collateral=[0, 0],
        link_facility=[0, 1],
        rule="by_rank",
        rank=[1, 2],
    )
    assert r.attributed.tolist() == [0.0, 100.0]
    tiny = allocate_collateral(
        [5e-324], [1e300], link_collateral=[0], link_facility=[0]
    )
    assert tiny.facility_ltv.tolist() == [math.inf]


def test_missing_rank_or_share_and_their_bounds():
    with pytest.raises(InvalidValueError) as err:
        allocate_collateral(VALUE, EXPO, **LINKS, rule="by_rank")
    assert (err.value.field, err.value.value) == ("rank", None)
    assert err.value.expected == "one rank per link for by_rank"
    with pytest.raises(InvalidValueError) as err:
        allocate_collateral(VALUE, EXPO, **LINKS, rule="shares")
    assert (err.value.field, err.value.value) == ("share", None)
    assert err.value.expected == "one share per link for shares"
    with pytest.raises(InvalidValueError) as err:
        allocate_collateral(VALUE, EXPO, **LINKS, rule="by_rank", rank=[1, 1, 0.999, 1])
    assert err.value.field == "rank[2]"
    assert ">= 1" in err.value.expected
    with pytest.raises(InvalidValueError) as err:
        allocate_collateral(
            VALUE, EXPO, **LINKS, rule="shares", share=[0, 0, -1e-300, 0]
        )
    assert err.value.field == "share[2]"
    with pytest.raises(InvalidValueError) as err:
        allocate_collateral(VALUE, EXPO, **LINKS, rule="by_rank", rank=[1, 1, 1])
    assert err.value.field == "rank"
    assert "`link_collateral` (4)" in err.value.expected
    with pytest.raises(InvalidValueError) as err:
        allocate_collateral(VALUE, EXPO, **LINKS, rule="shares", share=[0.1] * 5)
    assert err.value.field == "share"
    with pytest.raises(InvalidValueError) as err:
        allocate_collateral(VALUE, EXPO, **LINKS, rule="by_share")
    assert err.value.field.startswith("rule")


def test_indexes_are_whole_and_in_range():
    for name, bad, words in [
        ("link_collateral", [0, 2, 0, 1], "[0, 1]"),
        ("link_facility", [0, 3, 2, 2], "[0, 2]"),
        ("link_collateral", [0, -1, 0, 1], "[0, 1]"),
    ]:
        with pytest.raises(InvalidValueError) as err:
            allocate_collateral(VALUE, EXPO, **{**LINKS, name: bad})
        assert err.value.field == f"{name}[1]"
        assert words in err.value.expected
    with pytest.raises(InvalidValueError) as err:
        allocate_collateral(VALUE, EXPO, **{**LINKS, "link_facility": [0, 1.5, 2, 2]})
    assert (err.value.field, err.value.value) == ("link_facility[1]", 1.5)
    assert err.value.expected == "a whole index"
    with pytest.raises(InvalidValueError) as err:
        allocate_collateral([], EXPO, link_collateral=[0], link_facility=[0])
    assert (err.value.field, err.value.value) == ("link_collateral[0]", 0.0)
    assert err.value.expected == "an index into `collateral_value`, which is empty"
    with pytest.raises(InvalidValueError) as err:
        allocate_collateral(VALUE, [], link_collateral=[0], link_facility=[0])
    assert err.value.expected == "an index into `exposure`, which is empty"
    with pytest.raises(InvalidValueError) as err:
        allocate_collateral(VALUE, EXPO, link_collateral=[0, 1], link_facility=[0])
    assert err.value.field in {"link_facility", "link_collateral"}
    for name, args in [
        ("collateral_value", ([-1e-300], [1.0])),
        ("exposure", ([1.0], [-1.0])),
    ]:
        with pytest.raises(InvalidValueError) as err:
            allocate_collateral(*args, link_collateral=[0], link_facility=[0])
        assert err.value.field == f"{name}[0]"
        assert ">= 0" in err.value.expected
    empty = allocate_collateral([], [], link_collateral=[], link_facility=[])
    assert empty.attributed.shape == (0,)


def test_shares_adding_up_to_exactly_one_plus_the_tolerance_pass():
    a = allocate_collateral(
        [100.0],
        [50.0, 50.0],
        link_collateral=[0, 0],
        link_facility=[0, 1],
        rule="shares",
        share=[1.0, 1e-12],
    )
    assert a.attributed.tolist() == [100.0, 100.0 * 1e-12]


def test_exposures_below_one_unit_share_the_value():
    for rule, rank in (("pro_rata", None), ("by_rank", [1, 1])):
        a = allocate_collateral(
            [0.3],
            [0.25, 0.5],
            link_collateral=[0, 0],
            link_facility=[0, 1],
            rule=rule,
            rank=rank,
        )
        np.testing.assert_allclose(a.attributed, [0.1, 0.2], rtol=1e-14)


def test_one_asset_admits_only_index_zero():
    with pytest.raises(InvalidValueError) as err:
        allocate_collateral(
            [100.0], [1.0, 2.0], link_collateral=[0, 1], link_facility=[0, 1]
        )
    assert err.value.field == "link_collateral[1]"
    assert "[0, 0]" in err.value.expected


def test_an_asset_worth_less_than_one_unit_has_a_loan_to_value():
    a = allocate_collateral([0.5], [1.0], link_collateral=[0], link_facility=[0])
    assert a.collateral_ltv.tolist() == [2.0]
    assert a.facility_ltv.tolist() == [2.0]
