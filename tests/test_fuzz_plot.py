"""Fuzz `lendcrm.plot` (#17): bad values are refused by name, not by matplotlib.

Skipped when matplotlib (an optional dependency) is not installed. Same rule as
`tests/test_fuzz_public_api.py`.
"""

from __future__ import annotations

import contextlib

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("matplotlib")

import matplotlib.pyplot as plt

from lendcrm import plot
from lendcrm.errors import InvalidValueError, LendCRMError
from lendcrm.lifecycle import PROJECT_PHASE
from lendcrm.risk.portfolio import simulate_losses
from lendcrm.risk.project_finance import covenant_test
from lendcrm.risk.scoring import BinningConfig, fit_numeric
from tests.fuzz_outputs import Call
from tests.test_fuzz_public_api import BAD

_X = np.array([1.0, 2, 3, 4, 5, 6, 7, 8] * 25)
_Y = np.array([1, 1, 1, 0, 1, 0, 0, 0] * 25)
BINNING = fit_numeric(_X, _Y, name="age", config=BinningConfig(min_bin_share=0.2))
TEST = covenant_test([118.0, 110, 104], [100.0, 100, 100], lock_up=1.15, default=1.05)
SIMULATION = simulate_losses(
    np.full(20, 1.0),
    0.02,
    0.45,
    correlation=0.12,
    n_scenarios=200,
    rng=np.random.default_rng(1),
    levels=[0.99],
)

BASE_CALLS: dict[str, Call] = {
    "plot.actions_by_stage_chart": (
        plot.actions_by_stage_chart,
        {
            "stages": ["growth", "growth", "decline"],
            "actions": ["cross_sell", "", "exit_plan"],
            "stage_order": ["growth", "decline"],
        },
    ),
    "plot.binning_chart": (plot.binning_chart, {"binning": BINNING}),
    "plot.dscr_chart": (
        plot.dscr_chart,
        {"test": TEST, "first_period": 1, "cfads": None, "unit": "EUR m"},
    ),
    "plot.gains_chart": (
        plot.gains_chart,
        {"target": [0, 0, 1, 1], "scores": [0.1, 0.4, 0.35, 0.8], "bands": 2},
    ),
    "plot.lifecycle_chart": (plot.lifecycle_chart, {"machine": PROJECT_PHASE}),
    "plot.lorenz_chart": (
        plot.lorenz_chart,
        {"values": [4.0, 1.0, 2.0, 1.0], "share": 0.5, "what": "revenue"},
    ),
    "plot.loss_distribution_chart": (
        plot.loss_distribution_chart,
        {"simulation": SIMULATION, "unit": "EUR", "bins": 20, "marks": None},
    ),
    "plot.migration_heatmap": (
        plot.migration_heatmap,
        {"matrix": [[0.9, 0.1], [0.0, 1.0]], "labels": ["A", "D"], "what": "rating"},
    ),
    "plot.score_distribution_chart": (
        plot.score_distribution_chart,
        {"target": [0, 0, 1, 1], "scores": [0.1, 0.4, 0.35, 0.8], "what": "score"},
    ),
    "plot.tier_table_chart": (
        plot.tier_table_chart,
        {
            "tiers": ["gold", "basic", "basic", "basic"],
            "revenue": [60.0, 20.0, 10.0, 10.0],
            "profit": None,
        },
    ),
    "plot.whale_chart": (
        plot.whale_chart,
        {"profit": [60.0, 50.0, 10.0, -20.0], "share": 0.8},
    ),
}


@pytest.mark.parametrize("name", sorted(BASE_CALLS))
def test_base_call_is_valid(name: str) -> None:
    function, kwargs = BASE_CALLS[name]
    plt.close(function(**kwargs))  # type: ignore[arg-type]


@pytest.mark.parametrize("name", sorted(BASE_CALLS))
@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_bad_input_raises_a_lendcrm_error(name: str, data: st.DataObject) -> None:
    function, kwargs = BASE_CALLS[name]
    parameter = data.draw(st.sampled_from(sorted(kwargs)), label="parameter")
    bad = data.draw(BAD, label="bad")
    with contextlib.suppress(LendCRMError):
        plt.close(function(**{**kwargs, parameter: bad}))  # type: ignore[arg-type]


# the refusals this fuzz found missing (TypeError, AttributeError, numpy's and
# matplotlib's own errors before), each pinned by its field and message
FOUND: list[tuple[str, str, object, str, str]] = [
    (
        "plot.actions_by_stage_chart",
        "stages",
        None,
        "stages",
        "`stages` must be a sequence of labels (a list or 1-d array); got None.",
    ),
    (
        "plot.actions_by_stage_chart",
        "stage_order",
        True,
        "stage_order",
        "`stage_order` must be labels (a sequence of strings); got a 'bool'.",
    ),
    (
        "plot.binning_chart",
        "binning",
        None,
        "binning",
        "`binning` must be a Binning; got None.",
    ),
    (
        "plot.dscr_chart",
        "cfads",
        "x",
        "cfads",
        "`cfads` must be a number, not text (convert text to numbers before the call); got 'x'.",
    ),
    (
        "plot.dscr_chart",
        "first_period",
        None,
        "first_period",
        "`first_period` must be an integer >= 0; got None.",
    ),
    (
        "plot.dscr_chart",
        "test",
        None,
        "test",
        "`test` must be a CovenantTest; got None.",
    ),
    (
        "plot.lifecycle_chart",
        "machine",
        None,
        "machine",
        "`machine` must be a Machine; got None.",
    ),
    (
        "plot.loss_distribution_chart",
        "bins",
        -1,
        "bins",
        "`bins` must be an integer >= 1; got -1.",
    ),
    (
        "plot.loss_distribution_chart",
        "bins",
        "x",
        "bins",
        "`bins` must be a number, not text (convert text to numbers before the call); got 'x'.",
    ),
    (
        "plot.loss_distribution_chart",
        "marks",
        True,
        "marks",
        "`marks` must be a mapping of label to loss; got a 'bool'.",
    ),
    (
        "plot.loss_distribution_chart",
        "simulation",
        None,
        "simulation",
        "`simulation` must be a LossSimulation; got None.",
    ),
    (
        "plot.migration_heatmap",
        "labels",
        None,
        "labels",
        "`labels` must be state names (a sequence of strings); got None.",
    ),
    (
        "plot.migration_heatmap",
        "matrix",
        "x",
        "matrix",
        "`matrix` must be a number, not text (convert text to numbers before the call); got 'x'.",
    ),
    (
        "plot.migration_heatmap",
        "what",
        None,
        "what",
        "`what` must be a name (a string); got None.",
    ),
    (
        "plot.tier_table_chart",
        "tiers",
        None,
        "tiers",
        "`tiers` must be a sequence of labels (a list or 1-d array); got None.",
    ),
    (
        "plot.whale_chart",
        "share",
        None,
        "share",
        "`share` must be a fraction in [0, 1]; got None.",
    ),
    (
        "plot.whale_chart",
        "share",
        [],
        "share",
        "`share` must be a fraction in [0, 1]; got [].",
    ),
]


@pytest.mark.parametrize(("name", "parameter", "bad", "field", "message"), FOUND)
def test_found_refusals_name_the_parameter(
    name: str, parameter: str, bad: object, field: str, message: str
) -> None:
    function, kwargs = BASE_CALLS[name]
    with pytest.raises(InvalidValueError) as info:
        function(**{**kwargs, parameter: bad})
    assert str(info.value) == message
    assert info.value.field == field
