# mypy: disable-error-code="arg-type"
# (the tests pass wrong types on purpose)
"""Term structures: each refusal's field and value, the bounds, the arguments passed on (#23).

Matrix cases by hand: with the default state first, [[1, 0], [0.1, 0.9]] gives the
performing grade a marginal PD of 0.1 in year 1 and 0.9 x 0.1 = 0.09 in year 2.
"""

from __future__ import annotations

import numpy as np
import pytest

from lendcrm.errors import InvalidValueError
from lendcrm.risk.impairment import (
    ScenarioSet,
    check_scenario_weights,
    cumulative_pd_curve,
    marginal_pd,
    marginal_pd_from_matrix,
    pit_marginal_pd,
    scenario_marginal_pd,
)
from lendcrm.risk.portfolio import BASE, DOWNTURN


def _refused(call):
    with pytest.raises(InvalidValueError) as err:
        call()
    return err.value.field, err.value.value, err.value.expected


def test_no_weights_at_all_is_refused_as_empty():
    assert _refused(lambda: check_scenario_weights([])) == (
        "scenario_weights",
        [],
        "a non-empty array (at least one value)",
    )


def test_scenario_set_refusals_carry_the_value():
    assert _refused(lambda: ScenarioSet(scenarios="x", weights=(1.0,))) == (
        "scenarios",
        "x",
        "a tuple of Scenarios",
    )
    assert _refused(lambda: ScenarioSet(scenarios=(BASE, "x"), weights=(0.5, 0.5))) == (
        "scenarios[1]",
        "x",
        "a lendcrm.risk.portfolio.Scenario",
    )
    assert _refused(
        lambda: ScenarioSet(scenarios=(BASE, DOWNTURN), weights=("a", 0.3))
    )[:2] == ("weights[0]", "a")
    assert _refused(
        lambda: scenario_marginal_pd([0.02, 0.04], scenarios="x", rho=0.1)
    ) == ("scenarios", "x", "a ScenarioSet")


def test_weights_given_as_a_nested_list_are_flattened():
    s = ScenarioSet(scenarios=(BASE, DOWNTURN), weights=[[0.7, 0.3]])
    assert s.weights == (0.7, 0.3)


def test_one_year_and_the_default_state_first():
    matrix = [[1.0, 0.0], [0.1, 0.9]]
    assert marginal_pd_from_matrix(matrix, 1, default_index=0).tolist() == [
        [1.0],
        [0.1],
    ]
    np.testing.assert_allclose(
        marginal_pd_from_matrix(matrix, 2, default_index=0),
        [[1.0, 0.0], [0.1, 0.09]],
        rtol=1e-15,
    )
    assert marginal_pd_from_matrix([[0.9, 0.1], [0.0, 1.0]], 1).tolist() == [
        [0.1],
        [1.0],
    ]
    assert _refused(lambda: marginal_pd_from_matrix(matrix, 0)) == (
        "years",
        0,
        "a whole number of years >= 1",
    )


def test_scenarios_pass_the_persistence_on():
    # one scenario (the downturn) at persistence 1: the factor stays in year 2, so
    # the curve is `pit_marginal_pd`'s at persistence 1, not at the default 0.5
    one = ScenarioSet(scenarios=(DOWNTURN,), weights=(1.0,))
    got = scenario_marginal_pd([0.02, 0.04], one, rho=0.1, persistence=1.0)
    z = DOWNTURN.systematic_factor
    same = pit_marginal_pd([0.02, 0.04], systematic_factor=z, rho=0.1, persistence=1.0)
    half = pit_marginal_pd([0.02, 0.04], systematic_factor=z, rho=0.1)
    assert got.tolist() == [same.tolist()]
    assert got[0, 1] != pytest.approx(half[1], rel=0.1)


def test_a_curve_cell_is_named_by_row_and_bucket():
    assert _refused(lambda: marginal_pd([[0.1, 0.2], [0.1, 1.5]])) == (
        "cumulative_pd[1, 1]",
        1.5,
        "a probability in [0, 1]",
    )


def test_a_dip_of_exactly_the_tolerance_is_allowed():
    # 1e-12 - 2e-12 is exactly -1e-12 in binary (Sterbenz): "< -1e-12" lets it pass
    assert marginal_pd([2e-12, 1e-12]).tolist() == [2e-12, -1e-12]


def test_a_tolerated_dip_is_no_negative_hazard():
    # 0.5 then 0.5 - 1e-13: the second hazard (-2e-13) is read as 0, so the second
    # bucket has no point-in-time default; the first is the one-bucket curve's
    first = pit_marginal_pd([0.5], systematic_factor=-1.0, rho=0.1)[0]
    got = pit_marginal_pd([0.5, 0.5 - 1e-13], systematic_factor=-1.0, rho=0.1)
    assert got.tolist() == [first, 0.0]


def test_a_float64_curve_is_checked_without_a_copy():
    curve = np.array([0.1, 0.2])
    assert cumulative_pd_curve(curve) is curve
    assert _refused(lambda: marginal_pd(["a", 0.2]))[:2] == ("cumulative_pd[0]", "a")
