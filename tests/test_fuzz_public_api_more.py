"""Fuzz more of the public surface with bad inputs (#17): the third batch.

Lifecycle project checks, capital LGD and slotting functions, portfolio cycle
functions, pricing helpers, project-finance functions of a `Project`, scoring
monitoring functions, segmentation helpers and the relationship client functions.
Same rule as `tests/test_fuzz_public_api.py`: any exception raised with one argument
replaced by a generated bad value must be a `lendcrm.errors.LendCRMError`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lendcrm
from lendcrm import lifecycle, relationship, segmentation, synthetic
from lendcrm.errors import InvalidValueError, LendCRMError
from lendcrm.relationship import frames as relationship_frames
from lendcrm.risk import capital, portfolio, pricing, project_finance, scoring
from lendcrm.risk.scoring import frames as scoring_frames
from tests import factories
from tests.fuzz_outputs import check_outputs
from tests.test_fuzz_public_api import BAD
from tests.test_fuzz_public_api_wide import (
    AS_OF,
    BINNINGS,
    BOOK,
    CARD,
    GRADES,
    MODELS,
    SCORE_FRAME,
    SYNTHETIC,
    X,
    Y,
)

PROJECT = synthetic.example_project()
CLIENT_ID = BOOK.clients[0].id
PRICE: dict[str, Any] = {
    "maturity": [2.5],
    "funding_rate": [0.03],
    "operating_cost_rate": [0.004],
    "hurdle_rate": [0.12],
    "risk_free_rate": [0.02],
    "capital_ratio": 0.08,
    "regime": capital.BASEL_III,
}

BASE_CALLS: dict[str, tuple[Callable[..., object], dict[str, Any]]] = {
    "currency_code": (lendcrm.currency_code, {"code": "EUR"}),
    "minor_units": (lendcrm.minor_units, {"currency": "EUR"}),
    "lifecycle.cost_outlook": (
        lifecycle.cost_outlook,
        {"budget": [100.0], "spent": [40.0], "estimate_to_complete": [70.0]},
    ),
    "lifecycle.drawdown_check": (
        lifecycle.drawdown_check,
        {"drawn": [50.0], "certified_progress": [0.6], "committed_debt": [100.0]},
    ),
    "lifecycle.milestone_progress": (
        lifecycle.milestone_progress,
        {
            "planned_on": [dt.date(2026, 1, 31), dt.date(2026, 4, 30)],
            "completed_on": [dt.date(2026, 2, 10), None],
            "weights": [0.4, 0.6],
            "as_of": dt.date(2026, 6, 30),
        },
    ),
    "capital.supervisory_lgd": (
        capital.supervisory_lgd,
        {"asset_class": "corporate", "regime": capital.BASEL_III},
    ),
    "capital.capital_requirement": (
        capital.capital_requirement,
        {"default_probability": [0.01], "lgd": [0.45], "regime": capital.BASEL_III},
    ),
    "capital.risk_weighted_assets": (
        capital.risk_weighted_assets,
        {
            "ead": [100.0],
            "default_probability": [0.01],
            "lgd": [0.45],
            "regime": capital.BASEL_III,
        },
    ),
    "capital.slotting_risk_weight": (
        capital.slotting_risk_weight,
        {"category": "strong", "remaining_maturity": [3.0]},
    ),
    "capital.slotting_expected_loss_rate": (
        capital.slotting_expected_loss_rate,
        {"category": "good", "remaining_maturity": [3.0]},
    ),
    "capital.project_finance_risk_weight": (
        capital.project_finance_risk_weight,
        {"phase": "operational"},
    ),
    "capital.foundation_lgd": (
        capital.foundation_lgd,
        {
            "exposure": [100.0],
            "collateral_value": [50.0],
            "kind": "cash",
            "lgd_unsecured": [0.45],
        },
    ),
    "capital.collateral_after_haircut": (
        capital.collateral_after_haircut,
        {"collateral_value": [100.0], "kind": "gold"},
    ),
    "capital.maturity_mismatch_factor": (
        capital.maturity_mismatch_factor,
        {"protection_maturity": [2.0], "exposure_maturity": [3.0]},
    ),
    "portfolio.pit_pd": (
        portfolio.pit_pd,
        {"through_the_cycle_pd": [0.02], "systematic_factor": [0.5], "rho": [0.12]},
    ),
    "portfolio.scenario_pd": (
        portfolio.scenario_pd,
        {
            "through_the_cycle_pd": 0.02,
            "scenario": portfolio.SCENARIOS[0],
            "rho": 0.12,
        },
    ),
    "portfolio.conditional_default_rate": (
        portfolio.conditional_default_rate,
        {"default_probability": [0.02], "rho": [0.12]},
    ),
    "portfolio.check_default_absorbing": (
        portfolio.check_default_absorbing,
        {"matrix": [[0.9, 0.1], [0.0, 1.0]]},
    ),
    "portfolio.check_generator": (
        portfolio.check_generator,
        {"generator": [[-0.1, 0.1], [0.0, 0.0]]},
    ),
    "pricing.minimum_rate": (
        pricing.minimum_rate,
        {"default_probability": [0.01], "lgd": [0.45], **PRICE},
    ),
    "pricing.pre_tax_hurdle": (pricing.pre_tax_hurdle, {"hurdle_rate": [0.12]}),
    "pricing.single_name_headroom": (
        pricing.single_name_headroom,
        {"capital": 1000.0, "share": 0.25, "existing_exposure": [100.0, 300.0]},
    ),
    "project_finance.project_cfads": (
        project_finance.project_cfads,
        {"project": PROJECT},
    ),
    "project_finance.project_llcr": (
        project_finance.project_llcr,
        {"project": PROJECT, "debt_rate": 0.05},
    ),
    "project_finance.project_debt_capacity": (
        project_finance.project_debt_capacity,
        {"project": PROJECT, "target_dscr": 1.3, "debt_rate": 0.05},
    ),
    "project_finance.missing_input_names": (
        project_finance.missing_input_names,
        {"mask": 3},
    ),
    "scoring.as_binary_target": (scoring.as_binary_target, {"target": Y}),
    "scoring.iv_contributions": (
        scoring.iv_contributions,
        {"goods": [10, 20], "bads": [5, 3]},
    ),
    "scoring.jeffreys_test": (
        scoring.jeffreys_test,
        {"n": [100], "defaults": [3], "default_probability": [0.02]},
    ),
    "scoring.csi": (
        scoring.csi,
        {"binnings": BINNINGS, "expected": {"x": X}, "actual": {"x": X[::-1]}},
    ),
    "scoring.characteristic_analysis": (
        scoring.characteristic_analysis,
        {"scorecard": CARD, "expected": {"x": X}, "actual": {"x": X[::-1]}},
    ),
    "scoring.binning_summary": (scoring.binning_summary, {"binnings": BINNINGS}),
    "scoring.collinearity_filter": (
        scoring.collinearity_filter,
        {"features": np.column_stack([X, X[::-1]]), "names": ["a", "b"]},
    ),
    "scoring.calibration_by_grade": (
        scoring.calibration_by_grade,
        {
            "scale": scoring.DEFAULT_MASTER_SCALE,
            "default_probability": np.full(len(Y), 0.02),
            "target": Y,
        },
    ),
    "scoring.frames.points_table_frame": (
        scoring_frames.points_table_frame,
        {"scorecard": CARD},
    ),
    "scoring.frames.reason_codes_frame": (
        scoring_frames.reason_codes_frame,
        {"scorecard": CARD, "frame": SCORE_FRAME[["x"]], "code_table": {"x": "X1"}},
    ),
    "segmentation.quintile_score": (
        segmentation.quintile_score,
        {"values": np.arange(10.0)},
    ),
    "segmentation.risk_adjusted_value": (
        segmentation.risk_adjusted_value,
        {"profit": [10.0], "expected_loss": [1.0], "capital_cost": [2.0]},
    ),
    "segmentation.whale_curve": (segmentation.whale_curve, {"profit": [5.0, -1.0]}),
    "segmentation.service_strategy": (segmentation.service_strategy, {"tier": "gold"}),
    "relationship.nps_by_group": (
        relationship.nps_by_group,
        {"scores": [9, 10, 3], "groups": ["a", "a", "b"]},
    ),
    "relationship.satisfaction_trend": (
        relationship.satisfaction_trend,
        {
            "client_ids": ["A", "A"],
            "dates": [dt.date(2025, 1, 31), dt.date(2025, 6, 30)],
            "scores": [8, 6],
        },
    ),
    "relationship.client_signals": (
        relationship.client_signals,
        {"book": BOOK, "client_id": CLIENT_ID, "as_of": AS_OF, "models": MODELS},
    ),
    "relationship.client_view": (
        relationship.client_view,
        {"book": BOOK, "client_id": CLIENT_ID, "as_of": AS_OF, "models": MODELS},
    ),
    "relationship.frames.signals_from_history": (
        relationship_frames.signals_from_history,
        {
            "clients": SYNTHETIC.clients,
            "facilities": SYNTHETIC.facilities,
            "measures": SYNTHETIC.measures,
            "ratings": SYNTHETIC.ratings,
            "observations": SYNTHETIC.observations,
            "as_of": AS_OF,
            "grades": GRADES,
            "models": MODELS,
        },
    ),
}


# the fourth batch: facility-level functions, limits, relationship RAROC, lifecycle
FACILITY = factories.rich_facility()
PRICE_RATES: dict[str, Any] = {
    "funding_rate": 0.03,
    "operating_cost_rate": 0.004,
    "hurdle_rate": 0.12,
    "risk_free_rate": 0.02,
    "capital_ratio": 0.08,
    "regime": capital.BASEL_III,
}
STATE = lifecycle.start(lifecycle.CLIENT_LIFECYCLE, entity_id="C-1")
MORE_CALLS: dict[str, tuple[Callable[..., object], dict[str, Any]]] = {
    "capital.facility_exposure_at_default": (
        capital.facility_exposure_at_default,
        {"facility": FACILITY},
    ),
    "capital.facility_expected_loss": (
        capital.facility_expected_loss,
        {"facility": FACILITY},
    ),
    "capital.facility_irb_capital": (
        capital.facility_irb_capital,
        {"facility": FACILITY, "as_of": AS_OF, "regime": capital.BASEL_III},
    ),
    "capital.facility_foundation_lgd": (
        capital.facility_foundation_lgd,
        {"facility": FACILITY, "regime": capital.BASEL_III},
    ),
    "capital.project_finance_phase": (
        capital.project_finance_phase,
        {"phase": "operations"},
    ),
    "pricing.facility_price": (
        pricing.facility_price,
        {"facility": FACILITY, **PRICE_RATES},
    ),
    "pricing.propose_limits": (
        pricing.propose_limits,
        {
            "requested": [50.0],
            "ratings": [3],
            "cash_flow": [5.0],
            "rate": [0.05],
            "tenor_years": [10],
            "min_dscr": [1.25],
            "capital": 400.0,
            "single_name_share": 0.25,
            "policy": pricing.COUNTER_CYCLICAL_POLICY,
            "state": "base",
        },
    ),
    "pricing.relationship_raroc": (
        pricing.relationship_raroc,
        {
            "facility_client": ["A", "B"],
            "revenue": [6.0, 5.0],
            "funding_cost": [3.0, 2.5],
            "expected_loss": [0.45, 0.5],
            "operating_cost": [0.4, 0.3],
            "capital": [13.0, 10.0],
            "risk_free_rate": 0.03,
            "hurdle_rate": 0.12,
        },
    ),
    "project_finance.facility_covenant_calendar": (
        project_finance.facility_covenant_calendar,
        {"facility": FACILITY, "covenant": FACILITY.covenants[0], "as_of": AS_OF},
    ),
    "project_finance.project_covenant_test": (
        project_finance.project_covenant_test,
        {"project": PROJECT, "covenant": FACILITY.covenants[0]},
    ),
    "portfolio.duration_matrix": (
        portfolio.duration_matrix,
        {
            "obligors": ["a", "a", "b", "b"],
            "times": [0.0, 0.5, 0.0, 1.0],
            "grades": ["A", "D", "A", "A"],
            "scale": ["A", "D"],
        },
    ),
    "lifecycle.allowed_events": (lifecycle.allowed_events, {"state": STATE}),
    "lifecycle.can_advance": (
        lifecycle.can_advance,
        {"state": STATE, "event": "first_drawdown"},
    ),
    "lifecycle.transitions_to_reach": (
        lifecycle.transitions_to_reach,
        {"current": "acquisition", "assessed": "growth"},
    ),
    "lifecycle.playbook_for": (lifecycle.playbook_for, {"stage": "growth"}),
    "relationship.client_facts": (
        relationship.client_facts,
        {"client_ids": ["A", "B"]},
    ),
}
BASE_CALLS.update(MORE_CALLS)


@pytest.mark.parametrize("name", sorted(BASE_CALLS))
def test_base_call_is_valid(name: str) -> None:
    function, kwargs = BASE_CALLS[name]
    check_outputs(name, function(**kwargs))


@pytest.mark.parametrize("name", sorted(BASE_CALLS))
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_bad_input_raises_a_lendcrm_error(name: str, data: st.DataObject) -> None:
    function, kwargs = BASE_CALLS[name]
    parameter = data.draw(st.sampled_from(sorted(kwargs)), label="parameter")
    bad = data.draw(BAD, label="bad")
    with contextlib.suppress(LendCRMError):
        function(**{**kwargs, parameter: bad})


# the refusals this batch found missing, each pinned by its exact message
FOUND: list[tuple[str, str, object, str]] = [
    (
        "lifecycle.milestone_progress",
        "planned_on",
        None,
        "`planned_on` must be dates (datetime.date or datetime64); got None.",
    ),
    (
        "lifecycle.milestone_progress",
        "completed_on",
        [1, 2],
        "`completed_on` must be dates (datetime.date or datetime64); got [1, 2].",
    ),
    (
        "portfolio.scenario_pd",
        "scenario",
        None,
        "`scenario` must be a Scenario; got None.",
    ),
    ("relationship.client_signals", "book", None, "`book` must be a Book; got None."),
    (
        "relationship.client_signals",
        "client_id",
        [],
        "`client_id` must be a client id (a string); got a 'list'.",
    ),
    (
        "relationship.client_view",
        "client_id",
        ["C"],
        "`client_id` must be a client id (a string); got a 'list'.",
    ),
    (
        "relationship.frames.signals_from_history",
        "ratings",
        None,
        "`ratings` must be a pandas DataFrame; got 'NoneType'.",
    ),
    (
        "relationship.frames.signals_from_history",
        "grades",
        True,
        "`grades` must be distinct non-empty grade labels, best first; got [True].",
    ),
    (
        "relationship.satisfaction_trend",
        "dates",
        "x",
        "`dates` must be dates (datetime64 or datetime.date); got 'x'.",
    ),
    (
        "scoring.csi",
        "expected",
        None,
        "`expected` must be a mapping of characteristic to values; got None.",
    ),
    (
        "scoring.characteristic_analysis",
        "actual",
        [1.0],
        "`actual` must be a mapping of characteristic to values; got a 'list'.",
    ),
    (
        "scoring.collinearity_filter",
        "names",
        None,
        "`names` must be feature names (a sequence of strings); got None.",
    ),
    (
        "scoring.collinearity_filter",
        "names",
        ["a", 2],
        "`names[1]` must be a label (a string); got 2.",
    ),
    (
        "scoring.frames.reason_codes_frame",
        "code_table",
        None,
        "`code_table` must be a mapping of characteristic to reason code; got None.",
    ),
    (
        "segmentation.quintile_score",
        "values",
        "x",
        (
            "`values` must be a number, not text (convert text to numbers before the "
            "call); got 'x'."
        ),
    ),
    (
        "capital.facility_exposure_at_default",
        "facility",
        None,
        "`facility` must be a Facility; got None.",
    ),
    (
        "capital.facility_irb_capital",
        "as_of",
        None,
        (
            "`as_of` must be a datetime.date (not a datetime or a string); got None. "
            "Pass the business date, e.g. datetime.date(2025, 12, 31)."
        ),
    ),
    (
        "pricing.facility_price",
        "facility",
        "F-1",
        "`facility` must be a Facility; got a 'str'.",
    ),
    (
        "pricing.relationship_raroc",
        "risk_free_rate",
        [],
        "`risk_free_rate` must be a non-empty array (at least one value); got [].",
    ),
    (
        "project_finance.facility_covenant_calendar",
        "covenant",
        None,
        "`covenant` must be a Covenant; got None.",
    ),
    (
        "project_finance.project_covenant_test",
        "covenant",
        None,
        "`covenant` must be a Covenant; got None.",
    ),
    (
        "lifecycle.allowed_events",
        "state",
        None,
        "`state` must be a LifecycleState; got None.",
    ),
    (
        "lifecycle.can_advance",
        "event",
        [],
        "`event` must be an event (the machine's enum or its value); got [].",
    ),
    (
        "lifecycle.transitions_to_reach",
        "current",
        [],
        (
            "`current` must be a client stage (acquisition, activation, growth, "
            "maturity, decline, exited); got []."
        ),
    ),
]


@pytest.mark.parametrize(("name", "parameter", "bad", "message"), FOUND)
def test_found_refusals_name_the_parameter(
    name: str, parameter: str, bad: object, message: str
) -> None:
    function, kwargs = BASE_CALLS[name]
    with pytest.raises(InvalidValueError) as info:
        function(**{**kwargs, parameter: bad})
    assert str(info.value) == message
