"""Fuzz the relationship callables the earlier fuzz files left out (#17).

Pipeline, attrition, wallet and look-alike functions and their frames
(`lendcrm.relationship.commercial`), coverage, rebalancing, plans, calendars and their
frames (`lendcrm.relationship.workflows`), and the relationship frames adapters. Same
rule as `tests/test_fuzz_public_api.py`, and outputs are checked for NaN or infinity
as in `tests/fuzz_outputs.py`.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lendcrm
from lendcrm import lifecycle, relationship, synthetic
from lendcrm.relationship import commercial as cm
from lendcrm.relationship import frames as relationship_frames
from lendcrm.relationship import workflows as wf
from lendcrm.relationship.commercial import frames as cm_frames
from lendcrm.relationship.commercial import value_frames
from lendcrm.relationship.workflows import frames as wf_frames
from lendcrm.relationship.workflows import service_frames
from lendcrm.risk.capital import BASEL_III
from tests import factories
from tests.fuzz_outputs import Call, check_call, check_outputs
from tests.test_fuzz_public_api import BAD
from tests.test_fuzz_public_api_wide import BOOK_FRAMES, MODELS

AS_OF = dt.date(2025, 12, 31)
SP = synthetic.generate_pipeline(200, seed=7)
DEALS = SP.opportunities
PROBS = cm_frames.fit_stage_probabilities_frame(DEALS, min_closed=10)
_SECTOR = dict(
    zip(
        DEALS.dropna(subset=["client_id"])["client_id"],
        DEALS.dropna(subset=["client_id"])["sector"].astype(str),
        strict=True,
    )
)
_IDS = sorted(set(_SECTOR) | set(SP.prospects["referred_by"].dropna()))
PIPE_BOOK = lendcrm.Book(
    clients=tuple(
        lendcrm.Client(
            id=lendcrm.ClientId(c),
            legal_name=c,
            sector=lendcrm.Sector(_SECTOR.get(c, "C")),
            country="DE",
            onboarded_on=dt.date(2020, 1, 1),
            annual_revenue=lendcrm.Money.of("1000000", "EUR"),
        )
        for c in _IDS
    )
)
PIPELINE = cm_frames.pipeline_from_frames(PIPE_BOOK, SP.prospects, DEALS)
STATE = lifecycle.advance(
    lifecycle.start(lifecycle.CLIENT_LIFECYCLE),
    "first_drawdown",
    on=dt.date(2026, 2, 3),
)
ENDS = [dt.date(2026, 1, 31), dt.date(2026, 2, 28)]
_M = np.eye(6)
_M[2] = [0, 0, 0.8, 0, 0, 0.2]
CHAIN = cm.StageChain(matrix=_M)
TERMS = cm.OfferTerms(
    funding_rate=0.03,
    operating_cost_rate=0.004,
    hurdle_rate=0.12,
    risk_free_rate=0.03,
    capital_ratio=0.10,
    regime=BASEL_III,
)
_RNG = np.random.default_rng(0)
_X = np.column_stack([_RNG.random(300) * 0.5] + [np.zeros(300)] * 5)
LEFT = (_RNG.random(300) < 1 / (1 + np.exp(3.0 - 6.0 * _X[:, 0]))).astype(int)
SIZE = _RNG.lognormal(3.0, 1.0, 300)
CONVERTED = (_RNG.random(300) < 1 / (1 + np.exp(3.0 - SIZE / 20))).astype(int)
RMS = [
    wf.RelationshipManager(id="RM-1", team="t", level="senior", workload_capacity=6),
    wf.RelationshipManager(id="RM-2", team="t", level="senior", workload_capacity=6),
]
COVERAGE = wf.coverage(
    RMS, ["A", "B", "C", "D"], ["diamond", "diamond", "gold", "basic"], ["RM-1"] * 4
)
TASK = wf.Task(
    id="T-1",
    client_id="C-1",
    action="call",
    owner="RM-1",
    created_on=dt.date(2026, 1, 5),
    due_on=dt.date(2026, 1, 10),
)
RMS_FRAME = pd.DataFrame(
    {
        "rm_id": ["RM-1"],
        "team": ["n"],
        "rm_level": ["head"],
        "client_capacity": [10],
        "workload_capacity": [90.0],
    }
)
ASSIGNMENTS = pd.DataFrame(
    {"client_id": ["C-1", "C-2"], "tier": ["gold", "basic"], "primary_rm": ["RM-1"] * 2}
)
CLIENTS = pd.DataFrame(
    {
        "client_id": ["A", "B", "C", "D"],
        "sector": ["C"] * 4,
        "annual_revenue": [20e6] * 4,
    }
)
FACILITIES = pd.DataFrame(
    {
        "client_id": ["A", "A", "B", "B", "C", "C", "D"],
        "kind": ["term_loan", "revolving_credit"] * 3 + ["term_loan"],
    }
)
SIGNALS = pd.DataFrame(
    {
        "client_id": ["A", "B"],
        "utilisation_change": [-0.25, 0.0],
        "exposure_growth_yoy": [0.0, 0.0],
        "product_count_change": [0, 0],
    }
)
FEEDBACK = pd.DataFrame(
    {
        "client_id": ["A", "A", "B"],
        "feedback_on": pd.to_datetime(["2025-06-01", "2024-06-01", "2025-03-01"]),
        "score": [4, 8, 9],
    }
)
ATTR_FACILITIES = pd.DataFrame(
    {
        "facility_id": ["F1", "F2"],
        "client_id": ["A", "B"],
        "maturity_on": pd.to_datetime(["2030-01-01", "2025-06-30"]),
    }
)
OBSERVATIONS = pd.DataFrame(
    {
        "facility_id": ["F1", "F1", "F2", "F2"],
        "period_end": pd.to_datetime(["2024-12-31", "2025-12-31"] * 2),
        "limit": [100.0, 70.0, 50.0, 0.0],
    }
)
SIGNAL = {
    "utilisation_change": -0.25,
    "exposure_growth": 0.1,
    "product_count_change": -1,
    "satisfaction_change": 0.0,
    "satisfaction": 3.0,
    "prepaid_share": 0.0,
}
N2 = np.array([8e6, 1e6])

BASE_CALLS: dict[str, Call] = {
    # --- commercial ---
    "commercial.attrition_indicators": (
        cm.attrition_indicators,
        {
            "utilisation_change": [-0.25],
            "exposure_growth": [0.1],
            "product_count_change": [-1],
            "satisfaction_change": [0.0],
            "satisfaction": [3.0],
            "prepaid_share": [0.0],
        },
    ),
    "commercial.attrition_risk": (cm.attrition_risk, {"signals": SIGNAL}),
    "commercial.attrition_scores": (
        cm.attrition_scores,
        {"indicators": [[0.25, 0, 1, 0, 2, 0]]},
    ),
    "commercial.chain_from_paths": (
        cm.chain_from_paths,
        {"paths": [[2, 2, 3, 3], [2, 3, 3, -1]], "prior": np.eye(6)},
    ),
    "commercial.client_lifetime_value": (
        cm.client_lifetime_value,
        {
            "stage": "growth",
            "profit_per_stage": [0, 0, 100.0, 0, 0],
            "chain": CHAIN,
            "discount_rate": 0.25,
            "horizon": 10,
        },
    ),
    "commercial.estimate_stage_chain": (
        cm.estimate_stage_chain,
        {"histories": [STATE.history] * 2, "period_ends": ENDS, "prior": np.eye(6)},
    ),
    "commercial.facility_revenue": (
        cm.facility_revenue,
        {
            "drawn": [600.0],
            "limit": [1000.0],
            "margin_bps": [200],
            "commitment_fee_bps": [50],
            "arrangement_fee": [30.0],
            "tenor_years": [3.0],
        },
    ),
    "commercial.feature_matrix": (
        cm.feature_matrix,
        {"features": {"a": [1, 2], "b": [3, 4]}, "names": ["b", "a"], "field": "x"},
    ),
    "commercial.fit_attrition": (
        cm.fit_attrition,
        {"indicators": _X, "left": LEFT, "l2": 0.001},
    ),
    "commercial.fit_conversion": (
        cm.fit_conversion,
        {"features": {"size": SIZE}, "converted": CONVERTED, "seed": 2},
    ),
    "commercial.fit_stage_probabilities": (
        cm.fit_stage_probabilities,
        {"pipeline": PIPELINE, "min_closed": 10, "confidence": 0.9},
    ),
    "commercial.holdings_matrix": (
        cm.holdings_matrix,
        {"client_codes": [0, 0, 2], "product_codes": [1, 1, 0], "n_clients": 3},
    ),
    "commercial.indicative_offers": (
        cm.indicative_offers,
        {
            "default_probability": [0.01, 0.01],
            "lgd": 0.45,
            "maturity": 5.0,
            "terms": TERMS,
            "lookalike_rates": [[0.045, 0.055, 0.06], [0.04, 0.041, 0.06]],
        },
    ),
    "commercial.pipeline_forecast": (
        cm.pipeline_forecast,
        {"pipeline": PIPELINE, "probabilities": PROBS, "by": "kind"},
    ),
    "commercial.product_gaps": (
        cm.product_gaps,
        {
            "holdings": np.pad([[1, 0], [1, 1], [1, 1], [0, 0]], ((0, 0), (0, 5))) > 0,
            "peer_group": [0, 0, 0, 1],
            "standard_share": 0.5,
            "prior_weight": 0.0,
        },
    ),
    "commercial.products_of": (
        cm.products_of,
        {"book": PIPE_BOOK, "client_id": _IDS[0]},
    ),
    "commercial.stage_paths": (
        cm.stage_paths,
        {"histories": [STATE.history], "period_ends": ENDS},
    ),
    "commercial.transition_counts": (
        cm.transition_counts,
        {"paths": [[0, 1, 1, 2]]},
    ),
    "commercial.value_operator": (
        cm.value_operator,
        {"chain": CHAIN, "discount_rate": 0.25, "horizon": 10},
    ),
    "commercial.win_probability": (
        cm.win_probability,
        {"opportunity": PIPELINE.opportunities[0], "probabilities": PROBS},
    ),
    # --- commercial frames ---
    "commercial.frames.close_date_slippage": (
        cm_frames.close_date_slippage,
        {"snapshots": SP.snapshots},
    ),
    "commercial.frames.conversion_funnel": (
        cm_frames.conversion_funnel,
        {"frame": DEALS, "closed_only": True},
    ),
    "commercial.frames.cycle_times_by": (
        cm_frames.cycle_times_by,
        {"frame": DEALS, "by": "kind"},
    ),
    "commercial.frames.fit_stage_probabilities_frame": (
        cm_frames.fit_stage_probabilities_frame,
        {"frame": DEALS, "by": None, "min_closed": 10, "confidence": 0.9},
    ),
    "commercial.frames.forecast_backtest": (
        cm_frames.forecast_backtest,
        {"past": DEALS, "outcome": DEALS, "probabilities": PROBS},
    ),
    "commercial.frames.forecast_by": (
        cm_frames.forecast_by,
        {"frame": DEALS, "probabilities": PROBS, "by": "close_month"},
    ),
    "commercial.frames.forecasts": (
        cm_frames.forecasts,
        {"frame": DEALS, "probabilities": PROBS, "by": ("close_month", "kind")},
    ),
    "commercial.frames.opportunities_frame": (
        cm_frames.opportunities_frame,
        {"pipeline": PIPELINE},
    ),
    "commercial.frames.pipeline_from_frames": (
        cm_frames.pipeline_from_frames,
        {"book": PIPE_BOOK, "prospects": SP.prospects, "opportunities": DEALS},
    ),
    "commercial.frames.prospects_frame": (
        cm_frames.prospects_frame,
        {"pipeline": PIPELINE},
    ),
    "commercial.frames.stage_ages": (
        cm_frames.stage_ages,
        {"frame": DEALS, "as_of": dt.date(2026, 6, 30)},
    ),
    "commercial.frames.validate_opportunities_frame": (
        cm_frames.validate_opportunities_frame,
        {"frame": DEALS},
    ),
    "commercial.frames.validate_prospects_frame": (
        cm_frames.validate_prospects_frame,
        {"frame": SP.prospects, "clients": None},
    ),
    "commercial.frames.win_probabilities": (
        cm_frames.win_probabilities,
        {"frame": DEALS, "probabilities": PROBS},
    ),
    "commercial.frames.win_rates_by": (
        cm_frames.win_rates_by,
        {"frame": DEALS, "by": "kind"},
    ),
    # --- commercial value frames ---
    "commercial.value_frames.attrition_frame": (
        value_frames.attrition_frame,
        {
            "signals": SIGNALS,
            "feedback": FEEDBACK,
            "facilities": ATTR_FACILITIES,
            "observations": OBSERVATIONS,
            "as_of": AS_OF,
        },
    ),
    "commercial.value_frames.cross_sell_frame": (
        value_frames.cross_sell_frame,
        {
            "clients": CLIENTS,
            "facilities": FACILITIES,
            "tiers": pd.Series(["gold"] * 4, index=list("ABCD")),
            "prior_weight": 0.0,
        },
    ),
    "commercial.value_frames.lookalike_frame": (
        value_frames.lookalike_frame,
        {
            "prospects": pd.DataFrame(
                {"prospect_id": ["P1", "P2"], "x": [3.5, 0.9], "y": [2.0, 0.1]}
            ),
            "reference": pd.DataFrame(
                {
                    "client_id": ["A", "B", "C"],
                    "x": [0.0, 1.0, 4.0],
                    "y": [1.0, 0.0, 2.0],
                }
            ),
            "features": ["x", "y"],
            "k": 1,
            "top": 1,
        },
    ),
    "commercial.value_frames.share_of_wallet_frame": (
        value_frames.share_of_wallet_frame,
        {
            "clients": CLIENTS.assign(currency="EUR"),
            "facilities": pd.DataFrame(
                {
                    "client_id": ["A"],
                    "currency": ["EUR"],
                    "drawn": [600.0],
                    "limit": [1000.0],
                    "margin_bps": [200.0],
                    "commitment_fee_bps": [50.0],
                    "arrangement_fee": [30.0],
                    "start_on": pd.to_datetime(["2025-01-01"]),
                    "maturity_on": pd.to_datetime(["2028-01-01"]),
                }
            ),
        },
    ),
    # --- relationship ---
    "relationship.price_relationships": (
        relationship.price_relationships,
        {
            "codes": np.array([0, 0]),
            "n": 2,
            "drawn": N2,
            "limit": np.array([10e6, 1e6]),
            "default_probability": np.array([0.01, 0.01]),
            "lgd": np.array([0.45, 0.45]),
            "ccf": np.array([0.5, 0.5]),
            "tenor_days": np.array([1826.0, 1826.0]),
            "margin": np.array([0.02, 0.01]),
            "commitment_fee": np.array([0.005, 0.0]),
            "arrangement_fee": np.array([0.0, 0.0]),
            "params": relationship.RelationshipPricing(),
        },
    ),
    "relationship.frames.actions_frame": (
        relationship_frames.actions_frame,
        {
            "frame": pd.DataFrame(
                {
                    "stage": ["decline", "growth"],
                    "days_past_due": [120, 0],
                    "utilisation": [0.5, 0.95],
                },
                index=["A", "B"],
            ),
            "models": relationship.RelationshipModels(),
        },
    ),
    "relationship.frames.facts_from_frame": (
        relationship_frames.facts_from_frame,
        {"frame": pd.DataFrame({"days_past_due": [0, 120]}, index=["A", "B"])},
    ),
    "relationship.frames.feedback_by": (
        relationship_frames.feedback_by,
        {
            "feedback": pd.DataFrame(
                {"client_id": ["A", "A", "B", "C"], "score": [10, 3, 9, 6]}
            ),
            "groups": pd.Series(["gold", "gold", "basic"], index=["A", "B", "C"]),
        },
    ),
    "relationship.frames.fit_tiering": (
        relationship_frames.fit_tiering,
        {"book_frames": BOOK_FRAMES, "as_of": AS_OF, "models": MODELS},
    ),
    # --- workflows ---
    "workflows.completion_by": (
        wf.completion_by,
        {
            "keys": ["RM-1", "RM-1", "RM-2"],
            "status": ["done", "open", "in_progress"],
            "created_on": ["2026-01-01"] * 3,
            "due_on": ["2026-01-10", "2026-01-20", "2026-01-05"],
            "closed_on": ["2026-01-04", None, None],
            "as_of": dt.date(2026, 1, 15),
        },
    ),
    "workflows.contact_standard": (
        wf.contact_standard,
        {"client": factories.rich_client(), "as_of": AS_OF, "tier": "gold"},
    ),
    "workflows.coverage": (
        wf.coverage,
        {
            "managers": RMS,
            "client_ids": ["A", "B", "C", "D"],
            "tiers": ["diamond", "diamond", "gold", "basic"],
            "primary": ["RM-1", "RM-1", "RM-1", "RM-2"],
        },
    ),
    "workflows.plan_tasks": (
        wf.plan_tasks,
        {"client_id": "C-1", "stage": "decline", "owner": "RM-1", "as_of": AS_OF},
    ),
    "workflows.propose_rebalance": (wf.propose_rebalance, {"cov": COVERAGE}),
    "workflows.review_calendar": (
        wf.review_calendar,
        {"client": factories.rich_client(), "as_of": AS_OF, "tier": "gold"},
    ),
    "workflows.tasks_from_actions": (
        wf.tasks_from_actions,
        {
            "client_ids": ["C-1", "C-2", "C-3"],
            "actions": ["limit_review", "", "call"],
            "tiers": ["gold", "basic", "silver"],
            "as_of": dt.date(2026, 1, 1),
            "owners": {"C-1": "RM-1", "C-3": "RM-2"},
            "due_in_days": {"limit_review": 10, "call": 3},
        },
    ),
    "workflows.templates_from_playbooks": (wf.templates_from_playbooks, {}),
    # --- workflows frames ---
    "workflows.frames.check_assignments_frame": (
        wf_frames.check_assignments_frame,
        {"frame": ASSIGNMENTS, "managers": RMS_FRAME},
    ),
    "workflows.frames.check_managers_frame": (
        wf_frames.check_managers_frame,
        {"frame": RMS_FRAME},
    ),
    "workflows.frames.check_tasks_frame": (
        wf_frames.check_tasks_frame,
        {"frame": wf_frames.tasks_frame([TASK])},
    ),
    "workflows.frames.client_tasks_frame": (
        wf_frames.client_tasks_frame,
        {"tasks": [TASK], "client_ids": ["C-1", "C-2"], "as_of": dt.date(2026, 1, 31)},
    ),
    "workflows.frames.completion_frame": (
        wf_frames.completion_frame,
        {"frame": wf_frames.tasks_frame([TASK]), "as_of": dt.date(2026, 2, 1)},
    ),
    "workflows.frames.coverage_frame": (wf_frames.coverage_frame, {"cov": COVERAGE}),
    "workflows.frames.coverage_from_frames": (
        wf_frames.coverage_from_frames,
        {"managers": RMS_FRAME, "assignments": ASSIGNMENTS},
    ),
    "workflows.frames.managers_frame": (wf_frames.managers_frame, {"managers": RMS}),
    "workflows.frames.managers_from_frame": (
        wf_frames.managers_from_frame,
        {"frame": RMS_FRAME},
    ),
    "workflows.frames.moves_frame": (
        wf_frames.moves_frame,
        {"proposal": wf.propose_rebalance(COVERAGE)},
    ),
    "workflows.frames.tasks_frame": (wf_frames.tasks_frame, {"tasks": [TASK]}),
    "workflows.service_frames.calendar_frame": (
        service_frames.calendar_frame,
        {"book_frames": BOOK_FRAMES, "as_of": AS_OF, "until": dt.date(2026, 1, 31)},
    ),
    "workflows.service_frames.contact_standard_frame": (
        service_frames.contact_standard_frame,
        {"book_frames": BOOK_FRAMES, "as_of": AS_OF},
    ),
    "workflows.service_frames.review_dates_frame": (
        service_frames.review_dates_frame,
        {"book_frames": BOOK_FRAMES, "as_of": AS_OF},
    ),
}


@pytest.mark.parametrize("name", sorted(BASE_CALLS))
def test_base_call_is_valid_and_finite(name: str) -> None:
    function, kwargs = BASE_CALLS[name]
    check_outputs(name, function(**kwargs))


@pytest.mark.parametrize("name", sorted(BASE_CALLS))
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_bad_input_raises_a_lendcrm_error(name: str, data: st.DataObject) -> None:
    function, kwargs = BASE_CALLS[name]
    if not kwargs:
        return
    parameter = data.draw(st.sampled_from(sorted(kwargs)), label="parameter")
    bad = data.draw(BAD, label="bad")
    check_call(name, function, {**kwargs, parameter: bad})
