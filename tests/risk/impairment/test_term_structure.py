"""PD term structures: marginal PDs from curves and matrices, point in time, scenarios."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import norm

from lendcrm.errors import InvalidValueError
from lendcrm.risk.impairment import (
    BASE_UPSIDE_DOWNSIDE,
    ScenarioSet,
    check_scenario_weights,
    cumulative_pd_curve,
    marginal_pd,
    marginal_pd_from_matrix,
    pit_marginal_pd,
    scenario_marginal_pd,
)
from lendcrm.risk.portfolio import BASE, DOWNTURN, UPTURN


def test_marginal_from_a_cumulative_curve():
    # q_t = C_t - C_{t-1}: 2 %, 5 %, 9 % -> 2 %, 3 %, 4 %
    np.testing.assert_allclose(marginal_pd([0.02, 0.05, 0.09]), [0.02, 0.03, 0.04])
    np.testing.assert_allclose(
        marginal_pd([[0.01, 0.01], [0.2, 0.5]]), [[0.01, 0.0], [0.2, 0.3]]
    )


def test_marginal_from_a_matrix_by_hand():
    # P^2 default column, grade 1: 0.9*0.02 + 0.08*0.1 + 0.02*1 = 0.046 -> year 2: 0.026
    # grade 2: 0.1*0.02 + 0.8*0.1 + 0.1*1 = 0.182 -> year 2: 0.082
    p = [[0.9, 0.08, 0.02], [0.1, 0.8, 0.1], [0.0, 0.0, 1.0]]
    q = marginal_pd_from_matrix(p, 2)
    np.testing.assert_allclose(q, [[0.02, 0.026], [0.1, 0.082], [1.0, 0.0]], atol=1e-15)


def test_pit_with_no_correlation_or_a_median_year_without_persistence():
    c = [0.02, 0.05, 0.09]
    np.testing.assert_allclose(
        pit_marginal_pd(c, systematic_factor=-2.0, rho=0.0), [0.02, 0.03, 0.04]
    )


def test_pit_by_hand_in_a_downturn():
    # year 1: hazard 0.02 at z = -1; year 2: hazard 0.02 / 0.98 at z = -0.5
    # (persistence 0.5), times the survival of year 1 (BCBS 2005 §4.1 formula)
    rho = 0.12

    def pit(h: float, z: float) -> float:
        return float(norm.cdf((norm.ppf(h) - np.sqrt(rho) * z) / np.sqrt(1 - rho)))

    h1, h2 = pit(0.02, -1.0), pit(0.02 / 0.98, -0.5)
    got = pit_marginal_pd([0.02, 0.04], systematic_factor=-1.0, rho=rho)
    np.testing.assert_allclose(got, [h1, h2 * (1 - h1)], rtol=1e-12)


def test_scenarios_are_stacked_in_the_set_order():
    q = scenario_marginal_pd([[0.02, 0.04], [0.01, 0.03]], rho=0.12)
    assert q.shape == (3, 2, 2)
    np.testing.assert_allclose(
        q[2],
        pit_marginal_pd([[0.02, 0.04], [0.01, 0.03]], systematic_factor=-1.0, rho=0.12),
    )
    assert (q[0] < q[1]).all()
    assert (q[1] < q[2]).all()
    assert BASE_UPSIDE_DOWNSIDE.scenarios == (UPTURN, BASE, DOWNTURN)


CURVES = st.lists(st.floats(0, 0.2), min_size=1, max_size=30).map(
    lambda steps: np.minimum(np.cumsum(steps), 1.0)
)


@given(curve=CURVES, z=st.floats(-3, 3), rho=st.floats(0, 0.3), lam=st.floats(0, 1))
def test_pit_marginals_are_a_valid_term_structure(curve, z, rho, lam):
    q = pit_marginal_pd(curve, systematic_factor=z, rho=rho, persistence=lam)
    assert (q >= 0).all()
    assert q.sum() <= 1 + 1e-12
    cumulative_pd_curve(np.minimum(np.cumsum(q), 1.0))


@given(curve=CURVES)
def test_marginal_sums_back_to_the_cumulative(curve):
    np.testing.assert_allclose(np.cumsum(marginal_pd(curve)), curve, atol=1e-12)


# --- bad input ----------------------------------------------------------------------


def test_a_decreasing_cumulative_pd_names_the_facility_and_bucket():
    with pytest.raises(InvalidValueError) as info:
        marginal_pd([[0.01, 0.03, 0.04], [0.02, 0.04, 0.035]])
    assert str(info.value) == (
        "`cumulative_pd[1, 2]` must be a cumulative PD at least the previous "
        "bucket's (0.04): non-decreasing; got 0.035."
    )


def test_a_cumulative_pd_outside_0_1_is_refused():
    with pytest.raises(InvalidValueError) as info:
        marginal_pd([0.5, 1.2])
    assert (
        str(info.value)
        == "`cumulative_pd[1]` must be a probability in [0, 1]; got 1.2."
    )
    with pytest.raises(InvalidValueError, match=r"`cumulative_pd\[0\]`.*got nan"):
        marginal_pd([float("nan")])


def test_a_curve_of_the_wrong_shape_is_refused():
    with pytest.raises(InvalidValueError) as info:
        marginal_pd(np.zeros((2, 2, 2)))
    assert str(info.value) == (
        "`cumulative_pd` must be a curve (T,) or one curve per facility (n, T), T >= 1; "
        "got 'array of shape (2, 2, 2)'."
    )


def test_weights_not_summing_to_one_are_refused():
    with pytest.raises(InvalidValueError) as info:
        check_scenario_weights([0.3, 0.5, 0.3])
    assert str(info.value) == (
        "`scenario_weights` must be weights summing to 1 (±1e-09); got 'sums to 1.1'."
    )
    with pytest.raises(
        InvalidValueError,
        match=r"`scenario_weights\[0\]` must be a finite number in \[0, 1\]; got -0.5.",
    ):
        check_scenario_weights([-0.5, 1.5])


def test_a_scenario_set_needs_one_weight_per_scenario():
    with pytest.raises(InvalidValueError) as info:
        ScenarioSet(scenarios=(BASE, DOWNTURN), weights=(1.0,))
    assert (
        str(info.value)
        == "`weights` must be one weight per scenario (2); got 'length 1'."
    )
    with pytest.raises(
        InvalidValueError,
        match=r"`scenarios\[1\]` must be a lendcrm.risk.portfolio.Scenario",
    ):
        ScenarioSet(scenarios=(BASE, "downturn"), weights=(0.5, 0.5))
    with pytest.raises(
        InvalidValueError, match="`scenarios` must be a tuple of Scenarios"
    ):
        ScenarioSet(scenarios=BASE, weights=(1.0,))
    with pytest.raises(InvalidValueError, match="`scenarios` must be a ScenarioSet"):
        scenario_marginal_pd([0.01], BASE, rho=0.1)  # type: ignore[arg-type]


def test_persistence_outside_0_1_is_refused():
    with pytest.raises(
        InvalidValueError,
        match=r"`persistence\[0\]` must be a finite number in \[0, 1\]; got 1.5.",
    ):
        pit_marginal_pd([0.01], systematic_factor=0.0, rho=0.1, persistence=1.5)


@pytest.mark.parametrize("years", [None, 0, 2.5, True])
def test_years_must_be_a_whole_number_of_at_least_one(years):
    with pytest.raises(InvalidValueError) as info:
        marginal_pd_from_matrix([[0.9, 0.1], [0.0, 1.0]], years)
    assert str(info.value) == (
        f"`years` must be a whole number of years >= 1; got {years!r}."
    )


def test_a_scalar_argument_must_be_one_number():
    with pytest.raises(InvalidValueError) as info:
        pit_marginal_pd([0.01], systematic_factor=[], rho=0.1)  # type: ignore[arg-type]
    assert str(info.value) == (
        "`systematic_factor` must be one number; got 'array of shape (0,)'."
    )
