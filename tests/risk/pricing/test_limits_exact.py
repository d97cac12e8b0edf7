# mypy: disable-error-code="arg-type"
# (the tests pass wrong types on purpose)
"""Limit proposals: the annuity, the single-name cap and the binding one, exactly (#23).

D = CFADS / DSCR x (1 - (1 + r)^-n) / r (n CFADS / DSCR at r = 0); the single-name
headroom max(0, share x capital - existing) (25 % of Tier 1 under LEX20.1); the limit is
the least of policy, debt capacity and headroom, ties to the first. Every bound is
tried at the bound and past it, every field of the proposals is checked.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from lendcrm.errors import InvalidValueError
from lendcrm.risk.portfolio import CycleState
from lendcrm.risk.pricing import (
    COUNTER_CYCLICAL_POLICY,
    LimitConstraint,
    LimitProposal,
    annuity_debt_capacity,
    propose_limit,
    propose_limits,
    single_name_headroom,
)


def _annuity(r: float, n: float) -> float:
    return float((1 - (1 + r) ** -n) / r)


def test_annuity_hand_values_and_each_input():
    got = annuity_debt_capacity(
        [10.0, 20.0, 10.0], rate=0.05, tenor_years=10, min_dscr=1.25
    )
    np.testing.assert_allclose(
        got,
        [8 * _annuity(0.05, 10), 16 * _annuity(0.05, 10), 8 * _annuity(0.05, 10)],
        rtol=1e-14,
    )
    assert annuity_debt_capacity(
        10.0, rate=0.0, tenor_years=7, min_dscr=2.0
    ).tolist() == [35.0]
    assert annuity_debt_capacity(
        0.0, rate=0.05, tenor_years=7, min_dscr=2.0
    ).tolist() == [0.0]
    got = annuity_debt_capacity(10.0, rate=1.0, tenor_years=2, min_dscr=0.5)
    assert got[0] == pytest.approx(20 * (1 - 0.25), rel=1e-14)
    got = annuity_debt_capacity(10.0, rate=-0.5, tenor_years=2, min_dscr=1.0)
    assert got[0] == pytest.approx(10 * (1 - 4) / -0.5, rel=1e-14)


def test_the_zero_rate_switch_is_at_1e_12():
    exact = 10.0 / 1.25 * 10
    for r in (0.5e-12, -0.5e-12, math.nextafter(1e-12, 0.0)):
        assert (
            annuity_debt_capacity(10.0, rate=r, tenor_years=10, min_dscr=1.25)[0]
            == exact
        )
    for r in (1.5e-12, 1e-12):
        got = annuity_debt_capacity(10.0, rate=r, tenor_years=10, min_dscr=1.25)[0]
        assert got != exact
        assert got == pytest.approx(exact, rel=1e-10)
    got = annuity_debt_capacity(10.0, rate=-1.5e-12, tenor_years=10, min_dscr=1.25)[0]
    assert got > exact


@pytest.mark.parametrize(
    ("name", "bad", "ok", "words"),
    [
        ("cash_flow", -1e-300, 0.0, ">= 0"),
        ("rate", -1.0, math.nextafter(-1.0, 0.0), "(-1, 1]"),
        ("rate", 1.0000001, 1.0, "(-1, 1]"),
        ("tenor_years", 0.0, 1e-9, "> 0"),
        ("min_dscr", 0.0, 1e-9, "> 0"),
    ],
)
def test_annuity_bounds(name, bad, ok, words):
    args: dict[str, Any] = {
        "cash_flow": 1.0,
        "rate": 0.05,
        "tenor_years": 2.0,
        "min_dscr": 1.0,
    }
    cf = args.pop("cash_flow")
    if name == "cash_flow":
        cf_ok, cf_bad = ok, bad
        assert annuity_debt_capacity(cf_ok, **args).shape == (1,)
        with pytest.raises(InvalidValueError) as err:
            annuity_debt_capacity(cf_bad, **args)
    else:
        assert annuity_debt_capacity(cf, **{**args, name: ok}).shape == (1,)
        with pytest.raises(InvalidValueError) as err:
            annuity_debt_capacity(cf, **{**args, name: bad})
    assert err.value.field == f"{name}[0]"
    assert words in err.value.expected


def test_annuity_overflow_is_refused():
    with pytest.raises(InvalidValueError) as err:
        annuity_debt_capacity(1e308, rate=0.0, tenor_years=10, min_dscr=0.5)
    assert (err.value.field, err.value.value) == ("debt_capacity[0]", math.inf)
    assert err.value.expected == (
        "a finite result (cash_flow or tenor_years too large for a float, whose maximum"
        " is 1.8e308)"
    )
    with pytest.raises(InvalidValueError) as err:
        annuity_debt_capacity(
            [1.0, 2.0], rate=[0.1, 0.2, 0.3], tenor_years=1, min_dscr=1
        )
    assert "length" in err.value.expected


def test_single_name_headroom_bounds_and_default():
    assert single_name_headroom(1000.0, share=0.25).tolist() == [250.0]
    got = single_name_headroom(
        1000.0, share=[0.0, 1.0, 0.25], existing_exposure=[0.0, 1.0, 300.0]
    )
    assert got.tolist() == [0.0, 999.0, 0.0]
    assert single_name_headroom(0.0, share=0.5, existing_exposure=0.0).tolist() == [0.0]
    for name, kw, words in [
        ("capital", {"capital": -1e-300}, ">= 0"),
        ("share", {"share": -1e-300}, "[0, 1]"),
        ("share", {"share": 1.0000001}, "[0, 1]"),
        ("existing_exposure", {"existing_exposure": -1e-300}, ">= 0"),
    ]:
        args = {"capital": 1.0, "share": 0.25, **kw}
        with pytest.raises(InvalidValueError) as err:
            single_name_headroom(args.pop("capital"), **args)
        assert err.value.field == f"{name}[0]"
        assert words in err.value.expected


BOOK: dict[str, Any] = {
    "rate": 0.0,
    "tenor_years": 10,
    "min_dscr": 2.0,
    "capital": 400.0,
    "single_name_share": 0.25,
    "policy": COUNTER_CYCLICAL_POLICY,
}


def test_propose_limits_every_field_and_ties_to_the_first():
    # downturn: x0.8, grades <= 5. Debt capacity = 5 x CF; headroom 100 - existing.
    p = propose_limits(
        requested=[50.0, 50.0, 50.0, 50.0, 50.0, 125.0],
        ratings=[3, 3, 3, 6, 5, 1],
        cash_flow=[20.0, 4.0, 20.0, 20.0, 8.0, 20.0],
        existing_exposure=[0.0, 0.0, 70.0, 0.0, 0.0, 0.0],
        state="downturn",
        **BOOK,
    )
    assert p.policy_limit.tolist() == [40.0, 40.0, 40.0, 0.0, 40.0, 100.0]
    assert p.debt_capacity.tolist() == [100.0, 20.0, 100.0, 100.0, 40.0, 100.0]
    assert p.single_name_headroom.tolist() == [100.0, 100.0, 30.0, 100.0, 100.0, 100.0]
    assert p.limit.tolist() == [40.0, 20.0, 30.0, 0.0, 40.0, 100.0]
    assert p.binding.tolist() == [
        "policy",
        "debt_capacity",
        "single_name",
        "rating",
        "policy",  # policy = debt capacity: the first wins
        "policy",  # all three equal
    ]
    ties = propose_limits(
        requested=100.0,
        ratings=1,
        cash_flow=8.0,
        existing_exposure=60.0,
        state=CycleState.BASE,
        **BOOK,
    )
    # debt capacity 40 = headroom 40 < policy 100: the earlier of the two wins
    assert (ties.limit.tolist(), ties.binding.tolist()) == ([40.0], ["debt_capacity"])


def test_propose_limit_passes_every_argument():
    p = propose_limit(
        requested=50.0,
        rating=5,
        cash_flow=30.0,
        existing_exposure=70.0,
        state="downturn",
        **{**BOOK, "rate": 0.05, "tenor_years": 3, "min_dscr": 1.5},
    )
    cap = 20.0 * _annuity(0.05, 3)
    assert p == LimitProposal(
        limit=min(40.0, cap, 30.0),
        binding=LimitConstraint.SINGLE_NAME,
        policy_limit=40.0,
        debt_capacity=pytest.approx(cap, rel=1e-14),
        single_name_headroom=30.0,
    )
    p = propose_limit(requested=50.0, rating=5, cash_flow=30.0, state="severe", **BOOK)
    assert (p.limit, p.binding, p.policy_limit) == (0.0, LimitConstraint.RATING, 0.0)
    base = propose_limit(requested=50.0, rating=5, cash_flow=30.0, state="base", **BOOK)
    assert (base.limit, base.binding) == (50.0, LimitConstraint.POLICY)
    assert base.single_name_headroom == 100.0  # no existing exposure by default
    capped = propose_limit(
        requested=500.0,
        rating=1,
        cash_flow=1000.0,
        state="base",
        **{**BOOK, "capital": 100.0, "single_name_share": 0.5},
    )
    assert (capped.limit, capped.binding) == (50.0, LimitConstraint.SINGLE_NAME)


def test_propose_refusals():
    calls: list[tuple[Any, dict[str, float]]] = [
        (propose_limits, {"requested": 1.0, "ratings": 1}),
        (propose_limit, {"requested": 1.0, "rating": 1}),
    ]
    for call, kw in calls:
        with pytest.raises(InvalidValueError) as err:
            call(**kw, cash_flow=1.0, state="base", **{**BOOK, "policy": "strict"})
        assert (err.value.field, err.value.expected) == ("policy", "a CreditPolicy")
    with pytest.raises(InvalidValueError) as err:
        propose_limits(
            requested=-1e-300, ratings=1, cash_flow=1.0, state="base", **BOOK
        )
    assert err.value.field == "requested[0]"
    with pytest.raises(InvalidValueError) as err:
        propose_limits(
            requested=[1.0, 2.0],
            ratings=1,
            cash_flow=[1.0, 2.0, 3.0],
            state="base",
            **BOOK,
        )
    assert "length" in err.value.expected
    assert [c.value for c in LimitConstraint] == [
        "policy",
        "debt_capacity",
        "single_name",
        "rating",
    ]


def test_propose_limits_defaults_to_no_existing_exposure():
    p = propose_limits(
        requested=500.0, ratings=1, cash_flow=1000.0, state="base", **BOOK
    )
    assert p.single_name_headroom.tolist() == [100.0]  # 25 % of 400, nothing owed
    assert (p.limit.tolist(), p.binding.tolist()) == ([100.0], ["single_name"])
