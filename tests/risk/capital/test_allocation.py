"""Collateral that secures several facilities: allocation rules and LTVs, by hand."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lendcrm.errors import InvalidValueError
from lendcrm.risk.capital import AllocationRule, allocate_collateral

# One asset worth 100 secures loans of 60 (rank 1) and 90 (rank 2); a second asset worth
# 50 secures the 90 loan alone.
VALUES = [100.0, 50.0]
EXPOSURE = [60.0, 90.0]
LINKS: dict[str, Any] = {"link_collateral": [0, 0, 1], "link_facility": [0, 1, 1]}


def test_pro_rata_by_hand():
    a = allocate_collateral(VALUES, EXPOSURE, **LINKS)
    # asset 0: min(100, 150) = 100 shared 60:90 -> 40, 60; asset 1: min(50, 90) = 50
    np.testing.assert_allclose(a.allocated, [40.0, 60.0, 50.0])
    np.testing.assert_allclose(a.facility_secured, [40.0, 90.0])  # 60 + 50 capped at 90
    np.testing.assert_allclose(a.facility_ltv, [60 / 40, 90 / 110])
    np.testing.assert_allclose(a.collateral_ltv, [150 / 100, 90 / 50])
    np.testing.assert_allclose(a.unallocated, [0.0, 0.0])


def test_by_rank_by_hand():
    a = allocate_collateral(VALUES, EXPOSURE, **LINKS, rank=[1, 2, 1], rule="by_rank")
    # asset 0: rank 1 has all 100 behind it and takes 60; rank 2 has what 60 leaves, 40;
    # asset 1: 50 behind the 90 loan
    np.testing.assert_allclose(a.attributed, [100.0, 40.0, 50.0])
    np.testing.assert_allclose(a.allocated, [60.0, 40.0, 50.0])
    np.testing.assert_allclose(a.facility_ltv, [60 / 100, 90 / 90])


def test_equal_ranks_share_pro_rata_and_a_surplus_stays_unallocated():
    a = allocate_collateral(
        [200.0],
        [60.0, 90.0],
        link_collateral=[0, 0],
        link_facility=[0, 1],
        rank=[1, 1],
        rule=AllocationRule.BY_RANK,
    )
    np.testing.assert_allclose(a.allocated, [60.0, 90.0])
    np.testing.assert_allclose(a.unallocated, [50.0])


def test_agreed_shares_by_hand_and_over_100_percent_refused():
    a = allocate_collateral(
        VALUES, EXPOSURE, **LINKS, share=[0.25, 0.75, 1.0], rule="shares"
    )
    np.testing.assert_allclose(a.allocated, [25.0, 75.0, 50.0])
    with pytest.raises(InvalidValueError) as err:
        allocate_collateral(
            VALUES, EXPOSURE, **LINKS, share=[0.5, 0.6, 1.0], rule="shares"
        )
    assert str(err.value).startswith(
        "`share (collateral 0)` must be shares of one asset adding up to at most 1 "
        "(100 % of its value); got 1.1"
    )


def test_a_facility_without_collateral_has_no_ltv():
    a = allocate_collateral([10.0], [5.0, 7.0], link_collateral=[0], link_facility=[0])
    assert a.facility_ltv[0] == 0.5
    assert np.isnan(a.facility_ltv[1])
    assert a.facility_secured.tolist() == [5.0, 0.0]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"rule": "by_rank"}, "`rank` must be one rank per link for by_rank"),
        ({"rule": "shares"}, "`share` must be one share per link for shares"),
        ({"rule": "equal"}, "`rule`"),
        ({"rank": [1, 0, 1], "rule": "by_rank"}, "`rank[1]`"),
    ],
)
def test_bad_rule_inputs_are_named(kwargs, message):
    with pytest.raises(
        InvalidValueError, match=message.replace("[", r"\[").replace("]", r"\]")
    ):
        allocate_collateral(VALUES, EXPOSURE, **LINKS, **kwargs)


def test_bad_links_are_named():
    with pytest.raises(InvalidValueError, match=r"`link_facility\[0\]`"):
        allocate_collateral(VALUES, EXPOSURE, link_collateral=[0], link_facility=[5])
    with pytest.raises(InvalidValueError, match=r"`link_collateral\[0\]`"):
        allocate_collateral(VALUES, EXPOSURE, link_collateral=[0.5], link_facility=[0])
    with pytest.raises(InvalidValueError, match="length"):
        allocate_collateral(VALUES, EXPOSURE, link_collateral=[0, 1], link_facility=[0])
    with pytest.raises(InvalidValueError, match="`collateral_value"):
        allocate_collateral([-1.0], EXPOSURE, link_collateral=[0], link_facility=[0])


@given(
    values=st.lists(st.floats(0, 1e6), min_size=1, max_size=4),
    exposure=st.lists(st.floats(0, 1e6), min_size=1, max_size=4),
    links=st.lists(
        st.tuples(st.integers(0, 3), st.integers(0, 3), st.integers(1, 3)),
        min_size=1,
        max_size=8,
    ),
    rule=st.sampled_from(["pro_rata", "by_rank"]),
)
def test_no_asset_gives_more_than_its_value_or_a_facility_more_than_its_exposure(
    values, exposure, links, rule
):
    coll = [c % len(values) for c, _, _ in links]
    fac = [f % len(exposure) for _, f, _ in links]
    a = allocate_collateral(
        values,
        exposure,
        link_collateral=coll,
        link_facility=fac,
        rank=[r for _, _, r in links],
        rule=rule,
    )
    given_out = np.bincount(coll, weights=a.allocated, minlength=len(values))
    assert np.all(given_out <= np.asarray(values) * (1 + 1e-12) + 1e-9)
    assert np.all(a.allocated >= 0)
    np.testing.assert_allclose(given_out + a.unallocated, values, rtol=1e-9, atol=1e-6)
    assert np.all(a.facility_secured <= np.asarray(exposure) + 1e-9)
