"""Vasicek TTC <-> PIT, scenarios and the cycle-aware credit policy."""

from __future__ import annotations

import itertools
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lendcrm.errors import InvalidValueError
from lendcrm.risk.capital import BASEL_III, asset_correlation, capital_requirement
from lendcrm.risk.portfolio import (
    BASE,
    DOWNTURN,
    SCENARIOS,
    SEVERE,
    UPTURN,
    CycleState,
    Scenario,
    conditional_default_rate,
    pit_pd,
    scenario_pd,
    ttc_pd,
)
from lendcrm.risk.pricing import (
    COUNTER_CYCLICAL_POLICY,
    ApprovalAuthority,
    CreditPolicy,
    PolicyTerms,
)


def test_pit_hand_value_median_year():
    # z = 0, PD 2 %, rho 0.12: G(0.02) = -2.053749; / sqrt(0.88) = 0.938083
    # -> -2.189304; N(-2.189304) = 0.014287 (below the 2 % mean: the median year).
    np.testing.assert_allclose(
        pit_pd(0.02, systematic_factor=0.0, rho=0.12), [0.014287], rtol=1e-4
    )


def test_pit_hand_value_bad_year():
    # z = -1: (-2.053749 + sqrt(0.12)) / 0.938083 = (-2.053749 + 0.346410) / 0.938083
    # = -1.820029; N = 0.034377.
    np.testing.assert_allclose(
        pit_pd(0.02, systematic_factor=-1.0, rho=0.12), [0.034377], rtol=1e-4
    )


def test_conditional_default_rate_hand_value():
    # PD 1 %, rho 0.12, q 0.999: (G(0.01) + sqrt(0.12) G(0.999)) / sqrt(0.88)
    # = (-2.326348 + 0.346410 x 3.090232) / 0.938083 = (-2.326348 + 1.070487) / 0.938083
    # = -1.338749; N = 0.090331.
    np.testing.assert_allclose(
        conditional_default_rate(0.01, rho=0.12), [0.090331], rtol=1e-4
    )


def test_conditional_default_rate_is_the_irb_quantile():
    # At M = 1 the maturity factor is 1, so K = LGD (WCDR - PD) (Basel II §272).
    pd_ = np.array([0.001, 0.01, 0.05, 0.2])
    rho = asset_correlation(pd_, asset_class="corporate", regime=BASEL_III)
    k = capital_requirement(pd_, 0.45, maturity=1.0, regime=BASEL_III)
    np.testing.assert_allclose(
        conditional_default_rate(pd_, rho=rho), k / 0.45 + pd_, rtol=1e-12
    )


def test_ttc_inverts_pit():
    pd_ = np.array([0.0005, 0.01, 0.1, 0.4])
    for s in SCENARIOS:
        pit = scenario_pd(pd_, s, rho=0.15)
        np.testing.assert_allclose(
            ttc_pd(pit, systematic_factor=s.systematic_factor, rho=0.15),
            pd_,
            rtol=1e-10,
        )


def test_pit_averages_to_ttc_over_the_cycle():
    # E_Z[PD_PIT(Z)] = PD_TTC: Gauss-Hermite quadrature over Z ~ N(0, 1).
    x, w = np.polynomial.hermite_e.hermegauss(80)
    for pd_ in (0.003, 0.02, 0.1):
        mean = np.sum(w * pit_pd(pd_, systematic_factor=x, rho=0.12)) / np.sqrt(
            2 * np.pi
        )
        assert mean == pytest.approx(pd_, rel=1e-6)


def test_zero_and_one_are_fixed_points():
    np.testing.assert_array_equal(
        pit_pd([0.0, 1.0], systematic_factor=-3.0, rho=0.2), [0.0, 1.0]
    )
    np.testing.assert_array_equal(
        ttc_pd([0.0, 1.0], systematic_factor=2.0, rho=0.2), [0.0, 1.0]
    )


def test_scenarios_ordered_and_severe_is_one_in_100():
    assert [s.state for s in SCENARIOS] == list(CycleState)
    assert SEVERE.systematic_factor == pytest.approx(-2.326348, abs=1e-6)
    assert (
        UPTURN.systematic_factor,
        BASE.systematic_factor,
        DOWNTURN.systematic_factor,
    ) == (1.0, 0.0, -1.0)


@given(
    pd_=st.floats(1e-6, 0.999),
    rho=st.floats(0.0, 0.9),
    z_a=st.floats(-5, 5),
    z_b=st.floats(-5, 5),
)
def test_pit_pd_increases_as_cycle_worsens(pd_, rho, z_a, z_b):
    worse, better = sorted((z_a, z_b))
    pits = pit_pd(pd_, systematic_factor=[better, worse], rho=rho)
    assert pits[0] <= pits[1]


def test_pit_strictly_increasing_across_named_scenarios():
    pits = [scenario_pd(0.01, s, rho=0.12)[0] for s in SCENARIOS]
    assert pits == sorted(pits)
    assert len(set(pits)) == 4


# --- credit policy --------------------------------------------------------------------


def test_policy_tightens_through_the_cycle():
    kw: dict[str, Any] = {
        "ratings": [2, 5, 6, 7],
        "requested_limits": [20e6] * 4,
        "minimum_rates": [0.05] * 4,
    }
    d = {s: COUNTER_CYCLICAL_POLICY.apply(s, **kw) for s in CycleState}
    # the upturn is neutral: the base terms, grade 7 still refused
    assert d[CycleState.UPTURN].eligible.tolist() == [True, True, True, False]
    assert d[CycleState.BASE].eligible.tolist() == [True, True, True, False]
    assert d[CycleState.DOWNTURN].eligible.tolist() == [True, True, False, False]
    assert d[CycleState.SEVERE].eligible.tolist() == [True, False, False, False]
    np.testing.assert_allclose(d[CycleState.UPTURN].limit, [20e6, 20e6, 20e6, 0.0])
    np.testing.assert_allclose(d[CycleState.DOWNTURN].limit, [16e6, 16e6, 0.0, 0.0])
    np.testing.assert_allclose(d[CycleState.UPTURN].rate, [0.05] * 4)
    np.testing.assert_allclose(d[CycleState.SEVERE].rate, [0.06] * 4)
    # 20m x 1.0 = 20m is within the committee's 50m in an upturn; 20m x 0.6 = 12m is
    # above the committee's 10m when severe: the board decides.
    assert d[CycleState.UPTURN].authority[0] == "credit_committee"
    assert d[CycleState.SEVERE].authority[0] == "board"


@pytest.mark.parametrize(
    ("state", "multiplier", "worst", "add_on", "authority"),
    [
        (CycleState.UPTURN, 1.0, 6, 0.0, (2e6, 10e6, 50e6)),
        (CycleState.BASE, 1.0, 6, 0.0, (2e6, 10e6, 50e6)),
        (CycleState.DOWNTURN, 0.8, 5, 0.0025, (1e6, 5e6, 25e6)),
        (CycleState.SEVERE, 0.6, 4, 0.01, (0.5e6, 2.5e6, 10e6)),
    ],
)
def test_default_policy_terms_in_each_cycle_state(
    state, multiplier, worst, add_on, authority
):
    t = COUNTER_CYCLICAL_POLICY.terms_for(state)
    assert (t.limit_multiplier, t.worst_rating, t.pricing_add_on) == (
        multiplier,
        worst,
        add_on,
    )
    assert t.authority_limits == authority


def test_default_policy_never_loosens_beyond_neutral():
    # neutral = the base terms; every state is at least as tight (limits no larger,
    # grades no weaker, add-ons no lower, authority thresholds no higher), and each
    # worse state at least as tight as the one before it.
    order = [CycleState.BASE, CycleState.DOWNTURN, CycleState.SEVERE]
    neutral = COUNTER_CYCLICAL_POLICY.terms_for(CycleState.BASE)

    def no_looser(a: PolicyTerms, b: PolicyTerms) -> bool:
        return (
            a.limit_multiplier <= b.limit_multiplier
            and a.worst_rating <= b.worst_rating
            and a.pricing_add_on >= b.pricing_add_on
            and all(
                x <= y
                for x, y in zip(a.authority_limits, b.authority_limits, strict=True)
            )
        )

    for state in CycleState:
        assert no_looser(COUNTER_CYCLICAL_POLICY.terms_for(state), neutral)
    for better, worse in itertools.pairwise(order):
        assert no_looser(
            COUNTER_CYCLICAL_POLICY.terms_for(worse),
            COUNTER_CYCLICAL_POLICY.terms_for(better),
        )
    assert COUNTER_CYCLICAL_POLICY.terms_for(CycleState.UPTURN) == neutral


def test_authority_thresholds_inclusive():
    d = COUNTER_CYCLICAL_POLICY.apply(
        "base",
        ratings=1,
        requested_limits=[2e6, 2e6 + 1, 10e6, 50e6, 50e6 + 1],
        minimum_rates=0.05,
    )
    assert d.authority.tolist() == [
        "relationship_manager",
        "credit_officer",
        "credit_officer",
        "credit_committee",
        "board",
    ]


def test_decide_matches_apply():
    batch = COUNTER_CYCLICAL_POLICY.apply(
        "downturn",
        ratings=[3, 6],
        requested_limits=[3e6, 1e6],
        minimum_rates=[0.05, 0.06],
    )
    for i, (r, lim, mr) in enumerate([(3, 3e6, 0.05), (6, 1e6, 0.06)]):
        one = COUNTER_CYCLICAL_POLICY.decide(
            "downturn", rating=r, requested_limit=lim, minimum_rate=mr
        )
        assert one.eligible == batch.eligible[i]
        assert one.limit == batch.limit[i]
        assert one.rate == batch.rate[i]
        assert one.authority == ApprovalAuthority(batch.authority[i])


def test_policy_needs_every_state():
    terms = COUNTER_CYCLICAL_POLICY.terms_for("base")
    with pytest.raises(
        InvalidValueError,
        match=r"`terms` must be terms for every cycle state \(missing downturn, severe\)",
    ):
        CreditPolicy(name="x", terms={"upturn": terms, "base": terms})


def test_policy_terms_validation():
    with pytest.raises(
        InvalidValueError,
        match=r"`authority_limits` must be three non-negative, non-decreasing amounts",
    ):
        PolicyTerms(
            limit_multiplier=1.0,
            worst_rating=5,
            pricing_add_on=0.0,
            authority_limits=(5.0, 1.0, 10.0),
        )
    with pytest.raises(
        InvalidValueError,
        match=r"`limit_multiplier` must be a finite number > 0; got 0\.0\.",
    ):
        attrs.evolve(COUNTER_CYCLICAL_POLICY.terms_for("base"), limit_multiplier=0.0)


def test_unknown_state():
    with pytest.raises(
        InvalidValueError,
        match=r"`state` must be one of 'upturn', 'base', 'downturn', 'severe'; got 'boom'\.",
    ):
        COUNTER_CYCLICAL_POLICY.terms_for("boom")


def test_bad_ratings_and_limits():
    with pytest.raises(
        InvalidValueError,
        match=r"`ratings\[1\]` must be an integer grade >= 1; got 2\.5\.",
    ):
        COUNTER_CYCLICAL_POLICY.apply(
            "base", ratings=[1, 2.5], requested_limits=1.0, minimum_rates=0.05
        )
    with pytest.raises(
        InvalidValueError,
        match=r"`requested_limits\[0\]` must be a finite number >= 0; got -1\.0\.",
    ):
        COUNTER_CYCLICAL_POLICY.apply(
            "base", ratings=1, requested_limits=-1.0, minimum_rates=0.05
        )


# --- bad input of the Vasicek functions ------------------------------------------------


def test_pd_outside_unit_interval():
    with pytest.raises(
        InvalidValueError,
        match=r"`through_the_cycle_pd\[1\]` must be a finite number in \[0, 1\]; got 1\.1\.",
    ):
        pit_pd([0.1, 1.1], systematic_factor=0.0, rho=0.1)


def test_rho_outside_range():
    with pytest.raises(
        InvalidValueError,
        match=r"`rho\[0\]` must be a finite number in \[0, 1\); got 1\.0\.",
    ):
        conditional_default_rate(0.01, rho=1.0)


def test_confidence_outside_range():
    with pytest.raises(
        InvalidValueError,
        match=r"`confidence\[0\]` must be a finite number in \(0, 1\); got 1\.0\.",
    ):
        conditional_default_rate(0.01, rho=0.1, confidence=1.0)


def test_different_lengths_and_non_finite():
    with pytest.raises(
        InvalidValueError,
        match=r"`through_the_cycle_pd` must be length 1 or the same length as `systematic_factor` \(3\); got 'length 2'\.",
    ):
        pit_pd([0.1, 0.2], systematic_factor=[0.0, 1.0, 2.0], rho=0.1)
    with pytest.raises(
        InvalidValueError,
        match=r"`systematic_factor\[0\]` must be a finite number; got -inf\.",
    ):
        pit_pd(0.1, systematic_factor=float("-inf"), rho=0.1)


def test_scenario_validation():
    with pytest.raises(
        InvalidValueError,
        match=r"`systematic_factor` must be a finite number; got nan\.",
    ):
        Scenario(name="x", state=CycleState.BASE, systematic_factor=float("nan"))
