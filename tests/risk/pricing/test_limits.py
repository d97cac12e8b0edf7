"""Debt capacity, single-name headroom and limit proposals."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lendcrm.errors import InvalidValueError
from lendcrm.risk.portfolio import CycleState
from lendcrm.risk.pricing import (
    COUNTER_CYCLICAL_POLICY,
    LimitConstraint,
    annuity_debt_capacity,
    propose_limit,
    propose_limits,
    single_name_headroom,
)

KW: dict[str, Any] = {
    "rate": 0.05,
    "tenor_years": 10.0,
    "min_dscr": 1.25,
    "capital": 400.0,
    "single_name_share": 0.25,
    "policy": COUNTER_CYCLICAL_POLICY,
}


def test_debt_capacity_hand_value():
    # CFADS 10 / DSCR 1.25 = 8 a year; annuity factor (1 - 1.05^-10) / 0.05 = 7.721735;
    # capacity = 61.77388. At 0 %: 10 x 8 = 80.
    np.testing.assert_allclose(
        annuity_debt_capacity(
            [10.0, 10.0], rate=[0.05, 0.0], tenor_years=10.0, min_dscr=1.25
        ),
        [61.773877, 80.0],
        rtol=1e-7,
    )


def test_debt_capacity_continuous_at_zero_rate():
    near = annuity_debt_capacity(10.0, rate=1e-9, tenor_years=10.0, min_dscr=1.25)
    np.testing.assert_allclose(near, [80.0], rtol=1e-7)


@given(r_a=st.floats(0.0, 0.3), r_b=st.floats(0.0, 0.3), n=st.floats(0.5, 40))
def test_debt_capacity_decreasing_in_rate(r_a, r_b, n):
    lo, hi = sorted((r_a, r_b))
    d = annuity_debt_capacity(10.0, rate=[lo, hi], tenor_years=n, min_dscr=1.3)
    assert d[1] <= d[0] * (1 + 1e-12)


def test_single_name_headroom():
    np.testing.assert_allclose(
        single_name_headroom(1000.0, share=0.25, existing_exposure=[0.0, 200.0, 400.0]),
        [250.0, 50.0, 0.0],
    )


def test_each_constraint_can_bind():
    p = propose_limits(
        requested=[50.0, 50.0, 50.0, 50.0],
        ratings=[3, 3, 3, 8],
        cash_flow=[20.0, 5.0, 20.0, 20.0],
        existing_exposure=[0.0, 0.0, 70.0, 0.0],
        state="downturn",
        **KW,
    )
    # policy: 50 x 0.8 = 40; debt: 4 x 7.721735 = 30.887; name: 100 - 70 = 30; rating 8 > 5.
    np.testing.assert_allclose(p.limit, [40.0, 30.886939, 30.0, 0.0], rtol=1e-6)
    assert p.binding.tolist() == ["policy", "debt_capacity", "single_name", "rating"]


def test_cycle_tightens_the_limit_and_never_loosens_it_beyond_neutral():
    # multipliers 1.0 (upturn = base), 1.0, 0.8, 0.6 on a 50 request
    limits = [
        propose_limit(requested=50.0, rating=3, cash_flow=100.0, state=s, **KW).limit
        for s in CycleState
    ]
    np.testing.assert_allclose(limits, [50.0, 50.0, 40.0, 30.0], rtol=1e-14)


def test_one_entity_matches_batch():
    batch = propose_limits(
        requested=[10.0, 80.0],
        ratings=[2, 5],
        cash_flow=[3.0, 30.0],
        existing_exposure=[0.0, 10.0],
        state="base",
        **KW,
    )
    for i, (req, rat, cf, ex) in enumerate(
        [(10.0, 2, 3.0, 0.0), (80.0, 5, 30.0, 10.0)]
    ):
        one = propose_limit(
            requested=req,
            rating=rat,
            cash_flow=cf,
            existing_exposure=ex,
            state="base",
            **KW,
        )
        assert one.limit == batch.limit[i]
        assert one.binding == LimitConstraint(batch.binding[i])


# --- bad input ------------------------------------------------------------------------


def test_bad_inputs():
    with pytest.raises(
        InvalidValueError,
        match=r"`cash_flow\[0\]` must be a finite number >= 0; got -5\.0\.",
    ):
        annuity_debt_capacity(-5.0, rate=0.05, tenor_years=10, min_dscr=1.25)
    with pytest.raises(
        InvalidValueError,
        match=r"`tenor_years\[0\]` must be a finite number > 0; got 0\.0\.",
    ):
        annuity_debt_capacity(5.0, rate=0.05, tenor_years=0.0, min_dscr=1.25)
    with pytest.raises(
        InvalidValueError,
        match=r"`share\[0\]` must be a finite number in \[0, 1\]; got 1\.5\.",
    ):
        single_name_headroom(100.0, share=1.5)
    with pytest.raises(
        InvalidValueError,
        match=r"`requested\[0\]` must be a finite number >= 0; got -1\.0\.",
    ):
        propose_limit(requested=-1.0, rating=1, cash_flow=1.0, state="base", **KW)
    with pytest.raises(
        InvalidValueError,
        match=r"`cash_flow` must be length 1 or the same length as `requested` \(3\); got 'length 2'\.",
    ):
        propose_limits(
            requested=[1.0, 2.0, 3.0],
            ratings=1,
            cash_flow=[1.0, 2.0],
            state="base",
            **KW,
        )
    with pytest.raises(
        InvalidValueError,
        match=r"`min_dscr\[0\]` must be a finite number > 0; got inf\.|`min_dscr\[0\]` must be a finite number > 0; got inf",
    ):
        annuity_debt_capacity(5.0, rate=0.05, tenor_years=1.0, min_dscr=float("inf"))
