"""The stage chain from lifecycle histories and the Markov lifetime value."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lendcrm.errors import InvalidValueError
from lendcrm.lifecycle import CLIENT_LIFECYCLE, FACILITY_STATUS, advance, start
from lendcrm.relationship.commercial import (
    StageChain,
    client_lifetime_value,
    estimate_stage_chain,
    lifetime_value,
    stage_paths,
    transition_counts,
)

ENDS = [dt.date(2026, 1, 31), dt.date(2026, 2, 28), dt.date(2026, 3, 31)]


def _growth_chain(stay: float = 0.8) -> StageChain:
    m = np.eye(6) * stay
    m[:, 5] += 1 - stay
    return StageChain(matrix=m)


def _history(*moves: tuple[str, dt.date]):
    s = start(CLIENT_LIFECYCLE, entity_id="C")
    for event, on in moves:
        s = advance(s, event, on=on, actor="rm", reason="test")
    return s.history


def test_paths_read_the_stage_at_each_period_end():
    h = _history(
        ("first_drawdown", dt.date(2026, 2, 3)), ("expand", dt.date(2026, 2, 20))
    )
    # two moves inside February are one step: acquisition -> growth
    assert stage_paths([h], ENDS).tolist() == [[0, 2, 2]]
    assert stage_paths([h], ENDS, observed_from=[dt.date(2026, 2, 1)]).tolist() == [
        [-1, 2, 2]
    ]


def test_cohort_estimate_from_hand_counted_histories():
    stayer = _history()
    mover = _history(("first_drawdown", dt.date(2026, 2, 3)))
    # acquisition row: from stayer 0->0, 0->0; from mover 0->1 then 1->1
    counts = transition_counts(stage_paths([stayer, mover], ENDS))
    assert counts[0, 0] == 2
    assert counts[0, 1] == 1
    assert counts[1, 1] == 1
    chain = estimate_stage_chain(
        [stayer, mover], ENDS, prior=np.diag([0, 0, 1, 1, 1, 0])
    )
    assert chain.probability("acquisition", "activation") == pytest.approx(1 / 3)
    assert chain.probability("activation", "activation") == 1.0
    assert chain.probability("exited", "exited") == 1.0


def test_a_live_stage_never_observed_is_named():
    with pytest.raises(InvalidValueError) as e:
        estimate_stage_chain([_history()], ENDS)
    assert str(e.value) == (
        "`counts['activation']` must be at least one observed move out of every live "
        "stage; got 0. Observe more periods or pass `prior` pseudo-counts."
    )


def test_another_machine_and_unordered_dates_are_refused():
    facility = start(FACILITY_STATUS, entity_id="F").history
    with pytest.raises(
        InvalidValueError, match=r"`histories\.machine` must be .client"
    ):
        stage_paths([facility], ENDS)
    with pytest.raises(
        InvalidValueError, match="`period_ends` must be strictly increasing"
    ):
        stage_paths([_history()], ENDS[::-1])
    with pytest.raises(
        InvalidValueError, match=r"`observed_from` must be the same length"
    ):
        stage_paths([_history()], ENDS, observed_from=[])
    with pytest.raises(
        InvalidValueError, match="`prior` must be a 6x6 matrix of counts"
    ):
        estimate_stage_chain([_history()], ENDS, prior=-np.eye(6))


def test_closed_form_matches_hand_values():
    # V = 100 / (1 - 0.8 / 1.25) = 277.78; two periods: 100 + 0.64 * 100 = 164
    chain = _growth_chain()
    r = [0, 0, 100.0, 0, 0]
    v = lifetime_value(["growth", "exited"], r, chain=chain, discount_rate=0.25)
    assert v.tolist() == pytest.approx([100 / 0.36, 0.0])
    v2 = lifetime_value(["growth"], r, chain=chain, discount_rate=0.25, horizon=2)
    assert v2.tolist() == pytest.approx([164.0])
    assert (
        lifetime_value(["growth"], r, chain=chain, discount_rate=0.25, horizon=0)[0]
        == 0
    )


def test_risk_adjustment_nets_expected_loss_and_capital_cost():
    chain = _growth_chain()
    v = lifetime_value(
        ["growth"],
        [0, 0, 100.0, 0, 0],
        chain=chain,
        discount_rate=0.25,
        expected_loss_per_stage=[0, 0, 10.0, 0, 0],
        capital_cost_per_stage=8.0,
    )
    assert v[0] == pytest.approx(82 / 0.36)


def test_per_client_profits():
    chain = _growth_chain()
    r = np.array([[0, 0, 100.0, 0, 0], [0, 0, 50.0, 0, 0], [1, 1, 1, 1, 1.0]])
    v = lifetime_value(np.array([2, 2, 5]), r, chain=chain, discount_rate=0.25)
    assert v.tolist() == pytest.approx([100 / 0.36, 50 / 0.36, 0.0])


@st.composite
def chains(draw):
    m = np.zeros((6, 6))
    for i in range(5):
        w = np.array(draw(st.lists(st.floats(0.0, 1.0), min_size=6, max_size=6)))
        w[5] += 0.05  # every live stage leaks to exit
        m[i] = w / w.sum()
    m[5, 5] = 1.0
    m[:5] /= m[:5].sum(axis=1, keepdims=True)
    return StageChain(matrix=m)


profits = st.lists(st.floats(-1e4, 1e4), min_size=5, max_size=5)


@given(chains(), profits, st.floats(0.0, 0.5), st.sampled_from([None, 0, 1, 7]))
def test_batch_equals_one_client(chain, r, rate, horizon):
    stages = ["acquisition", "activation", "growth", "maturity", "decline", "exited"]
    batch = lifetime_value(stages, r, chain=chain, discount_rate=rate, horizon=horizon)
    for s, v in zip(stages, batch, strict=True):
        one = client_lifetime_value(
            s, r, chain=chain, discount_rate=rate, horizon=horizon
        )
        assert one == pytest.approx(v, rel=1e-7, abs=1e-6)


@given(chains(), profits, st.integers(0, 4), st.floats(0.0, 1e3), st.floats(0.0, 0.5))
def test_value_is_monotone_in_profit(chain, r, j, bump, rate):
    higher = list(r)
    higher[j] += bump
    stages = ["acquisition", "activation", "growth", "maturity", "decline"]
    low = lifetime_value(stages, r, chain=chain, discount_rate=rate)
    high = lifetime_value(stages, higher, chain=chain, discount_rate=rate)
    assert (high >= low - 1e-7 * (1 + np.abs(low))).all()


@given(
    chains(), st.lists(st.floats(0.0, 1e4), min_size=5, max_size=5), st.floats(0.0, 0.5)
)
def test_value_decreases_in_the_discount_rate(chain, r, rate):
    stages = ["acquisition", "activation", "growth", "maturity", "decline"]
    low = lifetime_value(stages, r, chain=chain, discount_rate=rate + 0.01)
    high = lifetime_value(stages, r, chain=chain, discount_rate=rate)
    assert (low <= high + 1e-7 * (1 + np.abs(high))).all()


def test_discount_rate_at_or_below_minus_one_is_refused():
    with pytest.raises(InvalidValueError) as e:
        lifetime_value(
            ["growth"], [0, 0, 1.0, 0, 0], chain=_growth_chain(), discount_rate=-1
        )
    assert str(e.value) == "`discount_rate[0]` must be a finite number > -1; got -1.0."


def test_a_divergent_infinite_sum_is_refused():
    with pytest.raises(
        InvalidValueError,
        match=r"`discount_rate` must be a rate with "
        r"spectral radius of Q/\(1 \+ rate\) < 1 \(got 1\.6\)",
    ):
        lifetime_value(
            ["growth"], [0, 0, 1.0, 0, 0], chain=_growth_chain(), discount_rate=-0.5
        )


def test_rows_that_do_not_sum_to_one_are_refused():
    m = np.eye(6)
    m[1, 1] = 0.9
    with pytest.raises(InvalidValueError) as e:
        StageChain(matrix=m)
    assert str(e.value) == (
        "`matrix['activation']` must be a row of probabilities summing to 1 "
        "(within 1e-09); got 'row sum 0.9'."
    )


def test_bad_matrices_are_refused():
    with pytest.raises(InvalidValueError, match=r"`matrix` must be a 6x6 matrix"):
        StageChain(matrix=np.eye(5))
    m = np.eye(6)
    m[0, 0], m[0, 1] = 1.5, -0.5
    with pytest.raises(
        InvalidValueError, match=r"`matrix\['acquisition'\]\['acquisition'\]`"
    ):
        StageChain(matrix=m)
    m = np.eye(6)
    m[5] = [1, 0, 0, 0, 0, 0]
    with pytest.raises(
        InvalidValueError, match=r"`matrix\['exited'\]` must be the absorbing"
    ):
        StageChain(matrix=m)


def test_unknown_stage_is_refused():
    with pytest.raises(InvalidValueError) as e:
        lifetime_value(
            ["growth", "dormant"], [0] * 5, chain=_growth_chain(), discount_rate=0.1
        )
    assert str(e.value) == (
        "`stages[1]` must be a client stage, one of ['acquisition', 'activation', "
        "'growth', 'maturity', 'decline', 'exited']; got 'dormant'."
    )
    with pytest.raises(
        InvalidValueError, match=r"`stages\[0\]` must be a stage code in 0..5"
    ):
        lifetime_value(np.array([9]), [0] * 5, chain=_growth_chain(), discount_rate=0.1)
    with pytest.raises(InvalidValueError, match="`stage` must be a client stage"):
        client_lifetime_value("x", [0] * 5, chain=_growth_chain(), discount_rate=0.1)


def test_mismatched_lengths_are_refused():
    with pytest.raises(InvalidValueError) as e:
        lifetime_value(
            ["growth"], np.zeros((2, 5)), chain=_growth_chain(), discount_rate=0.1
        )
    assert (
        str(e.value)
        == "`profit_per_stage` must be one row per client (1); got '2 rows'."
    )
    with pytest.raises(
        InvalidValueError, match=r"`profit_per_stage` must be one value per live"
    ):
        lifetime_value(["growth"], [1.0, 2.0], chain=_growth_chain(), discount_rate=0.1)
    with pytest.raises(
        InvalidValueError,
        match=r"`expected_loss_per_stage\[2\]` must be a "
        r"finite number >= 0",
    ):
        lifetime_value(
            ["growth"],
            [0] * 5,
            chain=_growth_chain(),
            discount_rate=0.1,
            expected_loss_per_stage=[0, 0, -1, 0, 0],
        )
    with pytest.raises(InvalidValueError, match="`horizon` must be a whole number"):
        lifetime_value(
            ["growth"], [0] * 5, chain=_growth_chain(), discount_rate=0.1, horizon=-1
        )


def test_expected_remaining_periods_and_a_chain_without_exit():
    chain = _growth_chain()
    assert chain.expected_remaining_periods()[2] == pytest.approx(5.0)
    with pytest.raises(
        InvalidValueError, match="`matrix` must be a chain in which every"
    ):
        StageChain(matrix=np.eye(6)).expected_remaining_periods()
