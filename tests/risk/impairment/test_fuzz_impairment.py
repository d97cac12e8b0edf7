"""Fuzz the impairment boundary with bad inputs (the #17 fuzz test, for this area).

One argument of a valid call is replaced by a generated bad value (the `BAD` values of
tests/test_fuzz_public_api.py); whatever the function does, what it raises must be a
`lendcrm.errors.LendCRMError`, never a TypeError or AttributeError from inside.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lendcrm.errors import InvalidValueError, LendCRMError
from lendcrm.risk import impairment as im
from tests.test_fuzz_public_api import BAD

E1 = im.expected_credit_loss([[0.1, 0.1]], 0.5, [[100.0, 50.0]], 0.05, stage=1)

CALLS: dict[str, tuple[Callable[..., object], dict[str, object]]] = {
    "stage_book": (
        im.stage_book,
        {
            "origination_pd": [0.01, 0.02],
            "current_pd": [0.03, 0.02],
            "days_past_due": [0, 40],
            "in_default": [False, False],
            "on_watchlist": [True, False],
            "forborne": [False, False],
            "rules": im.DEFAULT_STAGING_RULES,
        },
    ),
    "stage_facility": (
        im.stage_facility,
        {
            "origination_pd": 0.01,
            "current_pd": 0.03,
            "days_past_due": 0,
            "in_default": False,
            "on_watchlist": False,
            "forborne": False,
            "rules": im.DEFAULT_STAGING_RULES,
        },
    ),
    "StagingRules": (
        im.StagingRules,
        {
            "relative_threshold": 2.0,
            "absolute_threshold": 0.0,
            "low_credit_risk_pd": 0.003,
        },
    ),
    "stage_transfers": (
        im.stage_transfers,
        {"stage_from": [1, 2], "stage_to": [2, 2], "weights": [1.0, 2.0]},
    ),
    "marginal_pd": (im.marginal_pd, {"cumulative_pd": [0.01, 0.03]}),
    "marginal_pd_from_matrix": (
        im.marginal_pd_from_matrix,
        {"matrix": [[0.9, 0.1], [0.0, 1.0]], "years": 3},
    ),
    "pit_marginal_pd": (
        im.pit_marginal_pd,
        {
            "cumulative_pd": [0.01, 0.03],
            "systematic_factor": -1.0,
            "rho": 0.12,
            "persistence": 0.5,
        },
    ),
    "scenario_marginal_pd": (
        im.scenario_marginal_pd,
        {
            "cumulative_pd": [0.01, 0.03],
            "scenarios": im.BASE_UPSIDE_DOWNSIDE,
            "rho": 0.12,
        },
    ),
    "ScenarioSet": (
        im.ScenarioSet,
        {"scenarios": im.BASE_UPSIDE_DOWNSIDE.scenarios, "weights": (0.25, 0.5, 0.25)},
    ),
    "check_scenario_weights": (im.check_scenario_weights, {"weights": [0.5, 0.5]}),
    "expected_credit_loss": (
        im.expected_credit_loss,
        {
            "marginal_pd": [[[0.1, 0.1]], [[0.2, 0.1]]],
            "lgd": 0.5,
            "ead": [[100.0, 50.0]],
            "eir": 0.05,
            "stage": [2],
            "scenario_weights": [0.5, 0.5],
            "period_years": 1.0,
        },
    ),
    "facility_ecl": (
        im.facility_ecl,
        {
            "marginal_pd": [0.1, 0.1],
            "lgd": 0.5,
            "ead": [100.0, 50.0],
            "eir": 0.05,
            "stage": 2,
            "period_years": 1.0,
        },
    ),
    "ecl_movement": (
        im.ecl_movement,
        {"opening_ids": ["A"], "opening": E1, "closing_ids": ["A"], "closing": E1},
    ),
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_base_call_is_valid(name: str) -> None:
    function, kwargs = CALLS[name]
    function(**kwargs)


@pytest.mark.parametrize("name", sorted(CALLS))
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_bad_input_raises_a_lendcrm_error(name: str, data: st.DataObject) -> None:
    function, kwargs = CALLS[name]
    parameter = data.draw(st.sampled_from(sorted(kwargs)), label="parameter")
    bad = data.draw(BAD, label="bad")
    with contextlib.suppress(LendCRMError):
        function(**{**kwargs, parameter: bad})


def test_rules_must_be_staging_rules():
    with pytest.raises(InvalidValueError) as info:
        im.stage_book(0.01, 0.02, rules="strict")  # type: ignore[arg-type]
    assert str(info.value) == "`rules` must be a StagingRules; got a 'str'."
