# mypy: disable-error-code="arg-type,dict-item"
# (the tests pass wrong types on purpose)
"""Credit policy through the cycle: the default pinned, each boundary exact (#23).

`COUNTER_CYCLICAL_POLICY` is an illustrative policy (not regulation): every term of
every state is pinned so that a change to it is a deliberate one. The eligibility
boundary (rating == worst eligible grade), the authority thresholds (a limit equal to
a threshold stays with the lower authority) and every refusal's field and message are
tried exactly.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from lendcrm.errors import InvalidValueError
from lendcrm.risk.portfolio import CycleState
from lendcrm.risk.pricing import (
    COUNTER_CYCLICAL_POLICY,
    ApprovalAuthority,
    CreditPolicy,
    FacilityDecision,
    PolicyDecision,
    PolicyTerms,
)

NEUTRAL: dict[str, Any] = {
    "limit_multiplier": 1.0,
    "worst_rating": 6,
    "pricing_add_on": 0.0,
    "authority_limits": (2e6, 10e6, 50e6),
}
PINNED = {
    "upturn": NEUTRAL,
    "base": NEUTRAL,
    "downturn": {
        "limit_multiplier": 0.8,
        "worst_rating": 5,
        "pricing_add_on": 0.0025,
        "authority_limits": (1e6, 5e6, 25e6),
    },
    "severe": {
        "limit_multiplier": 0.6,
        "worst_rating": 4,
        "pricing_add_on": 0.01,
        "authority_limits": (0.5e6, 2.5e6, 10e6),
    },
}
AUTHORITIES = ["relationship_manager", "credit_officer", "credit_committee", "board"]


def test_the_default_policy_term_by_term():
    assert COUNTER_CYCLICAL_POLICY.name == "counter-cyclical (example)"
    assert [a.value for a in ApprovalAuthority] == AUTHORITIES
    assert {s.value for s in COUNTER_CYCLICAL_POLICY.terms} == set(PINNED)
    for state, terms in PINNED.items():
        assert COUNTER_CYCLICAL_POLICY.terms_for(state) == PolicyTerms(**terms)
        assert COUNTER_CYCLICAL_POLICY.terms_for(CycleState(state)) == PolicyTerms(
            **terms
        )


@pytest.mark.parametrize("state", list(PINNED))
def test_apply_at_each_states_boundaries(state):
    t = PINNED[state]
    worst = t["worst_rating"]
    thresholds = t["authority_limits"]
    m = t["limit_multiplier"]
    # limits landing exactly on each threshold, and just above the last
    requested = [thresholds[0] / m, thresholds[1] / m, thresholds[2] / m, 1e9, 100.0]
    d = COUNTER_CYCLICAL_POLICY.apply(
        state,
        ratings=[1, worst, worst, 2, worst + 1],
        requested_limits=requested,
        minimum_rates=[0.05, 0.05, -1.0, 1.0, 0.07],
    )
    assert d.state is CycleState(state)
    assert d.eligible.tolist() == [True, True, True, True, False]
    np.testing.assert_allclose(d.limit, [*thresholds, 1e9 * m, 0.0], rtol=1e-15)
    np.testing.assert_allclose(
        d.rate,
        np.array([0.05, 0.05, -1.0, 1.0, 0.07]) + t["pricing_add_on"],
        rtol=1e-15,
    )
    assert d.authority.tolist() == [*AUTHORITIES[:3], "board", "relationship_manager"]


def test_a_limit_just_above_a_threshold_goes_up_one_authority():
    d = COUNTER_CYCLICAL_POLICY.apply(
        "base",
        ratings=[1, 1, 1],
        requested_limits=[2e6 + 1e-6, 10e6 + 1e-5, 0.0],
        minimum_rates=0.0,
    )
    assert d.authority.tolist() == [
        "credit_officer",
        "credit_committee",
        "relationship_manager",
    ]


def test_decide_is_apply_for_one_facility_with_every_field():
    f = COUNTER_CYCLICAL_POLICY.decide(
        "downturn", rating=5, requested_limit=4e6, minimum_rate=0.06
    )
    assert f == FacilityDecision(
        state=CycleState.DOWNTURN,
        eligible=True,
        limit=3.2e6,
        rate=0.0625,
        authority=ApprovalAuthority.CREDIT_OFFICER,
    )
    f = COUNTER_CYCLICAL_POLICY.decide(
        CycleState.SEVERE, rating=5, requested_limit=4e6, minimum_rate=0.06
    )
    assert (f.eligible, f.limit, f.authority) == (
        False,
        0.0,
        ApprovalAuthority.RELATIONSHIP_MANAGER,
    )
    assert f.rate == pytest.approx(0.07)


def test_apply_refusals():
    p = COUNTER_CYCLICAL_POLICY
    with pytest.raises(InvalidValueError) as err:
        p.apply("base", ratings=[1, 2.5], requested_limits=1.0, minimum_rates=0.0)
    assert (err.value.field, err.value.value) == ("ratings[1]", 2.5)
    assert err.value.expected == "an integer grade >= 1"
    with pytest.raises(InvalidValueError) as err:
        p.apply("base", ratings=[0.999], requested_limits=1.0, minimum_rates=0.0)
    assert err.value.field == "ratings[0]"
    assert ">= 1" in err.value.expected
    with pytest.raises(InvalidValueError) as err:
        p.apply("base", ratings=1, requested_limits=-1e-300, minimum_rates=0.0)
    assert err.value.field == "requested_limits[0]"
    for bad in (-1.0000001, 1.0000001):
        with pytest.raises(InvalidValueError) as err:
            p.apply("base", ratings=1, requested_limits=1.0, minimum_rates=bad)
        assert err.value.field == "minimum_rates[0]"
        assert "[-1, 1]" in err.value.expected
    with pytest.raises(InvalidValueError) as err:
        p.apply(
            "base", ratings=[1, 2], requested_limits=[1.0, 2.0, 3.0], minimum_rates=0.0
        )
    assert "length" in err.value.expected
    with pytest.raises(InvalidValueError) as err:
        p.apply("boom", ratings=1, requested_limits=1.0, minimum_rates=0.0)
    assert (err.value.field, err.value.value) == ("state", "boom")
    assert err.value.expected == "one of 'upturn', 'base', 'downturn', 'severe'"
    assert err.value.__suppress_context__


@pytest.mark.parametrize(
    ("name", "bad", "ok", "words"),
    [
        ("limit_multiplier", 0.0, 1e-300, "> 0"),
        ("worst_rating", 0.999, 1, ">= 1"),
        ("pricing_add_on", 0.0500001, 0.05, "[-0.05, 0.05]"),
        ("pricing_add_on", -0.0500001, -0.05, "[-0.05, 0.05]"),
    ],
)
def test_policy_terms_bounds(name, bad, ok, words):
    assert getattr(PolicyTerms(**{**NEUTRAL, name: ok}), name) == ok
    with pytest.raises(InvalidValueError) as err:
        PolicyTerms(**{**NEUTRAL, name: bad})
    assert (err.value.field, err.value.value) == (name, bad)
    assert words in err.value.expected


@pytest.mark.parametrize(
    "bad",
    [
        (1.0, 2.0),
        (1.0, 2.0, 3.0, 4.0),
        [1.0, 2.0, 3.0],
        (-1.0, 2.0, 3.0),
        (1.0, 3.0, 2.0),
        (1.0, 2.0, float("inf")),
        (1.0, 2.0, "3"),
    ],
)
def test_authority_limits_must_be_three_non_decreasing_amounts(bad):
    with pytest.raises(InvalidValueError) as err:
        PolicyTerms(**{**NEUTRAL, "authority_limits": bad})
    assert (err.value.field, err.value.value) == ("authority_limits", bad)
    assert err.value.expected == (
        "three non-negative, non-decreasing amounts (RM, officer, committee)"
    )


def test_authority_limits_may_be_equal_and_zero():
    t = PolicyTerms(**{**NEUTRAL, "authority_limits": (0.0, 0, 0.0)})
    d = CreditPolicy(name="flat", terms=dict.fromkeys(PINNED, t)).apply(
        "base", ratings=1, requested_limits=[0.0, 1.0], minimum_rates=0.0
    )
    assert d.authority.tolist() == ["relationship_manager", "board"]


def test_credit_policy_refusals():
    t = PolicyTerms(**NEUTRAL)
    with pytest.raises(InvalidValueError) as err:
        CreditPolicy(name="x", terms={"base": t, "severe": t})
    assert (err.value.field, err.value.value) == ("terms", ["base", "severe"])
    assert (
        err.value.expected == "terms for every cycle state (missing upturn, downturn)"
    )
    with pytest.raises(InvalidValueError) as err:
        CreditPolicy(name="x", terms=[t])
    assert err.value.field == "terms"
    assert err.value.expected == "a mapping of CycleState to PolicyTerms"
    with pytest.raises(InvalidValueError) as err:
        CreditPolicy(name="x", terms={**dict.fromkeys(PINNED, t), "base": NEUTRAL})
    assert err.value.field == "terms['base']"
    assert err.value.expected == "a PolicyTerms"
    with pytest.raises(InvalidValueError) as err:
        CreditPolicy(name="x", terms={**dict.fromkeys(PINNED, t), "boom": t})
    assert (err.value.field, err.value.value) == ("terms", "boom")
    with pytest.raises(InvalidValueError) as err:
        CreditPolicy(name="", terms=dict.fromkeys(PINNED, t))
    assert err.value.field == "name"
    p = CreditPolicy(name="x", terms={CycleState(s): t for s in PINNED})
    assert p.terms_for("severe") is t


def test_decisions_validate_their_fields():
    d = PolicyDecision(
        state=CycleState.BASE,
        eligible=[False],
        limit=[0.0],
        rate=[-0.01],
        authority="board",
    )
    assert d.authority.tolist() == ["board"]
    with pytest.raises(InvalidValueError) as err:
        PolicyDecision(
            state=CycleState.BASE,
            eligible=[True],
            limit=[1.0],
            rate=[0.0],
            authority=["board", "king"],
        )
    assert (err.value.field, err.value.value) == ("authority[1]", "king")
    assert err.value.expected == (
        "an ApprovalAuthority value ('relationship_manager', 'credit_officer', "
        "'credit_committee', 'board')"
    )
    with pytest.raises(InvalidValueError) as err:
        PolicyDecision(
            state=CycleState.BASE,
            eligible=[True],
            limit=[1.0],
            rate=[0.0],
            authority=[["board"]],
        )
    assert err.value.field == "authority"
    with pytest.raises(InvalidValueError) as err:
        PolicyDecision(
            state=CycleState.BASE,
            eligible=[True, False],
            limit=[1.0],
            rate=[0.0],
            authority=["board"],
        )
    assert "length" in err.value.expected
    for name, bad in [
        ("eligible", ["yes"]),
        ("limit", [-1.0]),
        ("rate", [float("nan")]),
    ]:
        kw: dict[str, Any] = {
            "state": CycleState.BASE,
            "eligible": [True],
            "limit": [1.0],
            "rate": [0.0],
            "authority": ["board"],
            name: bad,
        }
        with pytest.raises(InvalidValueError) as err:
            PolicyDecision(**kw)
        assert err.value.field.startswith(name)
    good: dict[str, Any] = {
        "state": CycleState.BASE,
        "eligible": True,
        "limit": 0.0,
        "rate": -0.5,
        "authority": ApprovalAuthority.BOARD,
    }
    assert FacilityDecision(**good).limit == 0.0
    for name, bad in [
        ("state", "base"),
        ("eligible", 1),
        ("limit", -1e-300),
        ("rate", float("inf")),
        ("authority", "board"),
    ]:
        with pytest.raises(InvalidValueError) as err:
            FacilityDecision(**{**good, name: bad})
        assert err.value.field == name


def test_the_values_shown_by_policy_refusals():
    with pytest.raises(InvalidValueError) as err:
        PolicyDecision(
            state=CycleState.BASE,
            eligible=[True, True],
            limit=[1.0, 1.0],
            rate=[0.0, 0.0],
            authority=["board", 3],
        )
    assert (err.value.field, err.value.value) == ("authority[1]", 3)
    with pytest.raises(InvalidValueError) as err:
        PolicyDecision(
            state=CycleState.BASE,
            eligible=[True],
            limit=[1.0],
            rate=[0.0],
            authority=[["board"]],
        )
    assert repr(err.value.value) == "a 'list'"
    assert err.value.expected == (
        "an ApprovalAuthority value ('relationship_manager', 'credit_officer', "
        "'credit_committee', 'board')"
    )
    with pytest.raises(InvalidValueError) as err:
        CreditPolicy(name="x", terms=[PolicyTerms(**NEUTRAL)])
    assert repr(err.value.value) == "a 'list'"


@pytest.mark.parametrize("longer", ["limit", "rate", "authority"])
def test_every_decision_array_has_one_entry_per_facility(longer):
    kw: dict[str, Any] = {
        "state": CycleState.BASE,
        "eligible": [True],
        "limit": [1.0],
        "rate": [0.0],
        "authority": ["board"],
    }
    kw[longer] = kw[longer] * 2
    with pytest.raises(InvalidValueError) as err:
        PolicyDecision(**kw)
    assert err.value.field in {"eligible", longer}
    assert "length" in err.value.expected


def test_a_rating_below_one_is_refused_as_a_number():
    for bad in (0, 0.999):
        with pytest.raises(InvalidValueError) as err:
            COUNTER_CYCLICAL_POLICY.apply(
                "base", ratings=[1, bad], requested_limits=1.0, minimum_rates=0.0
            )
        assert (err.value.field, err.value.value) == ("ratings[1]", bad)
        assert err.value.expected == "a finite number >= 1"
