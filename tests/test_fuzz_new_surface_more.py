"""Fuzz the new service-model and commercial functions, and serialization (#17).

The second batch of `tests/test_fuzz_new_surface.py`: tasks and relationship-manager
load (`lendcrm.relationship.workflows`), pipeline, wallet, lifetime value and product
gap functions (`lendcrm.relationship.commercial`) and `lendcrm.serialization`. Same
rule: with one argument of a valid call replaced by a generated bad value, whatever
the function raises must be a `lendcrm.errors.LendCRMError`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lendcrm
from lendcrm import lifecycle, segmentation, serialization
from lendcrm.errors import InvalidValueError, LendCRMError
from lendcrm.relationship import commercial as cm
from lendcrm.relationship import frames as relationship_frames
from lendcrm.relationship import workflows as wf
from lendcrm.risk import impairment as im
from lendcrm.risk.capital import BASEL_III
from tests.fuzz_outputs import check_outputs
from tests.test_fuzz_public_api import BAD

TASK = wf.Task(
    id="T-1",
    client_id="C-1",
    action="call",
    owner="RM-1",
    created_on=dt.date(2026, 1, 5),
    due_on=dt.date(2026, 1, 10),
)
RM = wf.RelationshipManager(
    id="RM-1", team="north", level="senior", client_capacity=3, workload_capacity=10.0
)
DEAL = cm.Opportunity(
    id=cm.OpportunityId("O-9"),
    kind=lendcrm.FacilityKind.TERM_LOAN,
    amount=lendcrm.Money.of("5000000", "EUR"),
    created_on=dt.date(2026, 2, 1),
    expected_close_on=dt.date(2026, 5, 1),
    owner="rm-2",
    client_id=lendcrm.ClientId("C-3"),
)
_M = np.eye(6)
_M[2] = [0, 0, 0.8, 0, 0, 0.2]
CHAIN = cm.StageChain(matrix=_M)
TABLE = {
    "limit_review": {"diamond": 5, "gold": 10, "silver": 20, "basic": 30},
    "call": 7,
}

STATE = lifecycle.advance(
    lifecycle.start(lifecycle.CLIENT_LIFECYCLE, entity_id="C-1"),
    "first_drawdown",
    on=dt.date(2026, 1, 5),
)
CLIENTS = pd.DataFrame(
    {
        "client_id": ["A", "B"],
        "currency": ["EUR"] * 2,
        "onboarded_on": pd.to_datetime(["2015-01-01", "2018-06-30"]),
    }
)
MEASURES = pd.DataFrame(
    {
        "client_id": ["A", "A", "B", "B"],
        "measured_on": pd.to_datetime(["2024-12-31", "2025-12-31"] * 2),
        "revenue_to_bank": [900.0, 400.0, 50.0, 700.0],
        "profit_to_bank": [0.0] * 4,
        "product_count": [1] * 4,
        "referral_count": [0] * 4,
    }
)

OFFER_TERMS: dict[str, Any] = {
    "funding_rate": 0.03,
    "operating_cost_rate": 0.004,
    "hurdle_rate": 0.12,
    "risk_free_rate": 0.03,
    "capital_ratio": 0.10,
    "regime": BASEL_III,
}

Call = tuple[Callable[..., object], dict[str, Any]]
BASE_CALLS: dict[str, Call] = {
    "workflows.advance_task": (
        wf.advance_task,
        {"task": TASK, "event": "start", "on": dt.date(2026, 1, 6), "actor": "RM-1"},
    ),
    "workflows.due_dates": (
        wf.due_dates,
        {
            "actions": ["limit_review", "call"],
            "tiers": ["gold", "basic"],
            "as_of": dt.date(2026, 1, 1),
            "due_in_days": TABLE,
        },
    ),
    "workflows.mark_overdue": (
        wf.mark_overdue,
        {"tasks": [TASK], "as_of": dt.date(2026, 1, 11)},
    ),
    "workflows.task_outcome": (
        wf.task_outcome,
        {"task": TASK, "as_of": dt.date(2026, 1, 11)},
    ),
    "workflows.rm_load": (
        wf.rm_load,
        {"manager": RM, "tiers": ["diamond", "gold", "basic", "basic"]},
    ),
    "workflows.completion_of": (
        wf.completion_of,
        {"key": "RM-1", "tasks": [TASK], "as_of": dt.date(2026, 2, 1)},
    ),
    "commercial.advance_opportunity": (
        cm.advance_opportunity,
        {"opportunity": DEAL, "event": "qualify", "on": dt.date(2026, 2, 9)},
    ),
    "commercial.stage_code": (cm.stage_code, {"stage": "growth", "name": "stage"}),
    "commercial.size_bands": (cm.size_bands, {"annual_revenue": [5e6, 10e6, 3e9]}),
    "commercial.share_of_wallet": (
        cm.share_of_wallet,
        {"revenue_to_bank": [150.0], "annual_revenue": [100_000.0], "sector": ["C"]},
    ),
    "commercial.lifetime_value": (
        cm.lifetime_value,
        {
            "stages": ["growth", "exited"],
            "profit_per_stage": [0, 0, 100.0, 0, 0],
            "chain": CHAIN,
            "discount_rate": 0.25,
            "horizon": 10,
        },
    ),
    "commercial.bank_revenue": (
        cm.bank_revenue,
        {"client_codes": [0, 0, 2], "revenue": [1.0, 2.0, 5.0], "n_clients": 3},
    ),
    "commercial.product_gap": (
        cm.product_gap,
        {
            "client_products": {"term_loan"},
            "peer_products": [{"term_loan", "guarantee"}] * 3,
            "pooled_rate": [0.5] * 7,
            "prior_weight": 0.0,
        },
    ),
    "impairment.cumulative_pd_curve": (
        im.cumulative_pd_curve,
        {"cumulative_pd": [[0.01, 0.03], [0.02, 0.025]], "name": "cumulative_pd"},
    ),
    "lifecycle.replay": (
        lifecycle.replay,
        {"machine": lifecycle.CLIENT_LIFECYCLE, "history": STATE.history},
    ),
    "lifecycle.restore": (
        lifecycle.restore,
        {"machine": lifecycle.CLIENT_LIFECYCLE, "history": STATE.history},
    ),
    "relationship.frames.tier_migration": (
        relationship_frames.tier_migration,
        {
            "clients": CLIENTS,
            "measures": MEASURES,
            "strategy": segmentation.ThresholdTiers(cutoffs=(800.0, 600.0, 300.0)),
            "start": dt.date(2024, 12, 31),
            "end": dt.date(2025, 12, 31),
        },
    ),
    "commercial.estimate_stage_probabilities": (
        cm.estimate_stage_probabilities,
        {
            "reached": [4] * 12 + [4] * 8 + [2] * 10 + [0] * 10,
            "won": [True] * 12 + [False] * 28,
            "min_closed": 20,
            "confidence": 0.9,
        },
    ),
    "commercial.stage_codes": (
        cm.stage_codes,
        {"stages": ["growth", "exited"], "name": "stage"},
    ),
    "commercial.OfferTerms": (cm.OfferTerms, OFFER_TERMS),
    "commercial.indicative_offer": (
        cm.indicative_offer,
        {
            "default_probability": 0.01,
            "lgd": 0.45,
            "maturity": 5.0,
            "terms": cm.OfferTerms(**OFFER_TERMS),
            "lookalike_rates": [0.045, 0.055, 0.06],
        },
    ),
    "commercial.client_share_of_wallet": (
        cm.client_share_of_wallet,
        {"revenue_to_bank": 150.0, "annual_revenue": 100_000.0, "sector": "C"},
    ),
    "serialization.to_dict": (
        serialization.to_dict,
        {"obj": lendcrm.Money.of("12.50", "EUR")},
    ),
    "serialization.from_dict": (
        serialization.from_dict,
        {"data": {"amount": "12.50", "currency": "EUR"}, "cls": lendcrm.Money},
    ),
    "serialization.to_payload": (
        serialization.to_payload,
        {"obj": lendcrm.Money.of("12.50", "EUR")},
    ),
    "serialization.from_payload": (
        serialization.from_payload,
        {
            "payload": {
                "schema_version": "1",
                "type": "Money",
                "data": {"amount": "12.50", "currency": "EUR"},
            },
            "cls": lendcrm.Money,
        },
    ),
    "serialization.json_schema": (serialization.json_schema, {"cls": lendcrm.Money}),
}


@pytest.mark.parametrize("name", sorted(BASE_CALLS))
def test_base_call_is_valid(name: str) -> None:
    function, kwargs = BASE_CALLS[name]
    check_outputs(name, function(**kwargs))


@pytest.mark.parametrize("name", sorted(BASE_CALLS))
@settings(
    max_examples=20,
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


# the refusals this fuzz found missing, each pinned by its message
FOUND: list[tuple[str, str, object, str]] = [
    (
        "commercial.indicative_offer",
        "lookalike_rates",
        [],
        "`lookalike_rates` must be a non-empty array (at least one value); got [].",
    ),
    (
        "commercial.client_share_of_wallet",
        "annual_revenue",
        [],
        "`annual_revenue` must be a non-empty array (at least one value); got [].",
    ),
    (
        "commercial.indicative_offer",
        "lookalike_rates",
        "",
        (
            "`lookalike_rates[0]` must be a number, not text (convert text to numbers "
            "before the call); got ''."
        ),
    ),
    ("lifecycle.replay", "history", None, "`history` must be a History; got None."),
    (
        "lifecycle.restore",
        "machine",
        "m",
        "`machine` must be a lifecycle Machine; got a 'str'.",
    ),
    (
        "relationship.frames.tier_migration",
        "strategy",
        None,
        "`strategy` must be a SegmentationStrategy; got None.",
    ),
    ("workflows.advance_task", "task", None, "`task` must be a Task; got None."),
    ("workflows.task_outcome", "task", "t", "`task` must be a Task; got a 'str'."),
    (
        "workflows.mark_overdue",
        "tasks",
        None,
        "`tasks` must be an iterable of Task; got None.",
    ),
    ("workflows.mark_overdue", "tasks", [1], "`tasks[0]` must be a Task; got a 'int'."),
    (
        "workflows.mark_overdue",
        "as_of",
        None,
        (
            "`as_of` must be a datetime.date (not a datetime or a string); got None. "
            "Pass the business date, e.g. datetime.date(2025, 12, 31)."
        ),
    ),
    (
        "workflows.completion_of",
        "tasks",
        None,
        "`tasks` must be an iterable of Task; got None.",
    ),
    (
        "workflows.rm_load",
        "manager",
        None,
        "`manager` must be a RelationshipManager; got None.",
    ),
    (
        "workflows.rm_load",
        "tiers",
        None,
        "`tiers` must be an iterable of tiers; got None.",
    ),
    (
        "workflows.rm_load",
        "tiers",
        {"a": 1},
        "`tiers[0]` must be one of 'diamond', 'gold', 'silver', 'basic'; got 'a'.",
    ),
    (
        "workflows.due_dates",
        "actions",
        None,
        "`actions` must be a sequence of actions; got None.",
    ),
    (
        "workflows.due_dates",
        "due_in_days",
        None,
        "`due_in_days` must be a mapping; got None.",
    ),
    (
        "commercial.bank_revenue",
        "n_clients",
        None,
        "`n_clients` must be a whole number >= 0; got None.",
    ),
    (
        "commercial.lifetime_value",
        "profit_per_stage",
        "",
        (
            "`profit_per_stage[0]` must be a number, not text (convert text to numbers "
            "before the call); got ''."
        ),
    ),
    (
        "commercial.product_gap",
        "client_products",
        None,
        "`client_products` must be a collection of products; got None.",
    ),
    (
        "commercial.product_gap",
        "peer_products",
        [None],
        "`peer_products[0]` must be a collection of products; got None.",
    ),
    (
        "commercial.product_gap",
        "prior_weight",
        [1.0, 2.0],
        "`prior_weight` must be one number; got [1.0, 2.0].",
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
