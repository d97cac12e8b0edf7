"""The refusals `tests/test_fuzz_remaining_*.py` found missing, each pinned (#17).

Each row: a call of the fuzz tables with one argument replaced, the field the error
names and its exact message. Before the fix each raised ``TypeError``,
``AttributeError``, ``ValueError``, ``OverflowError`` or ``KeyError`` from inside, or
(``facility_ecl``) returned NaN for a NaN marginal PD.
"""

from __future__ import annotations

import math

import pytest

from lendcrm.errors import InvalidValueError
from tests.test_fuzz_remaining_relationship import BASE_CALLS as RELATIONSHIP_CALLS
from tests.test_fuzz_remaining_risk import BASE_CALLS as RISK_CALLS

FOUND_RISK: list[tuple[str, str, object, str, str]] = [
    (
        "capital.facility_guaranteed_rwa",
        "as_of",
        None,
        "as_of",
        "`as_of` must be a datetime.date (not a datetime or a string); got None. Pass the business date, e.g. datetime.date(2025, 12, 31).",
    ),
    (
        "frames.check_frame",
        "specs",
        "x",
        "specs",
        "`specs` must be a sequence; got a 'str'.",
    ),
    (
        "frames.check_frame",
        "unique",
        ["nope"],
        "unique[0]",
        "`unique[0]` must be a column of `facilities`; got 'nope'.",
    ),
    (
        "frames.check_unique_labels",
        "frame",
        None,
        "t",
        "`t` must be a pandas DataFrame; got None.",
    ),
    (
        "impairment.facility_schedule_ecl",
        "facility",
        None,
        "facility",
        "`facility` must be a Facility; got None.",
    ),
    (
        "impairment.facility_ecl",
        "marginal_pd",
        [math.nan, 0.1, 0.1],
        "marginal_pd[0]",
        "`marginal_pd[0]` must be a probability in [0, 1]; got nan.",
    ),
    (
        "impairment.facility_ecl",
        "ead",
        [100.0, -1.0, 30.0],
        "ead[1]",
        "`ead[1]` must be a finite amount >= 0; got -1.0.",
    ),
    (
        "schedules.frames.bank_shares",
        "book",
        None,
        "book",
        "`book` must be a BookFrames; got None.",
    ),
    (
        "schedules.frames.book_schedule",
        "book",
        None,
        "book",
        "`book` must be a BookFrames; got None.",
    ),
    (
        "impairment.marginal_pd_from_matrix",
        "default_index",
        None,
        "default_index",
        "`default_index` must be an integer from -2 to 1; got None.",
    ),
    (
        "impairment.schedule_ecl",
        "schedule",
        None,
        "schedule",
        "`schedule` must be a Schedule; got None.",
    ),
    (
        "lifecycle.assess_stage",
        "signals_row",
        None,
        "signals_row",
        "`signals_row` must be a mapping of signals; got None.",
    ),
    (
        "lifecycle.project_review",
        "as_of",
        None,
        "as_of",
        "`as_of` must be a datetime.date (not a datetime or a string); got None. Pass the business date, e.g. datetime.date(2025, 12, 31).",
    ),
    (
        "lifecycle.project_review",
        "project",
        None,
        "project",
        "`project` must be a Project; got None.",
    ),
    (
        "lifecycle.project_review",
        "slippage_tolerance_days",
        None,
        "slippage_tolerance_days",
        "`slippage_tolerance_days` must be a whole number of days >= 0; got None.",
    ),
    (
        "lifecycle.reason_required",
        "request",
        None,
        "request",
        "`request` must be a TransitionRequest; got None.",
    ),
    (
        "lifecycle.register_history_hooks",
        "converter",
        None,
        "converter",
        "`converter` must be a cattrs Converter; got None.",
    ),
    (
        "lifecycle.start",
        "machine",
        None,
        "machine",
        "`machine` must be a Machine; got None.",
    ),
    (
        "lifecycle.to_mermaid",
        "machine",
        None,
        "machine",
        "`machine` must be a Machine; got None.",
    ),
    (
        "pricing.relationship_raroc_by_code",
        "n_clients",
        "x",
        "n_clients",
        "`n_clients` must be an integer >= 0; got 'x'.",
    ),
    (
        "pricing.with_minimum_margin",
        "quote",
        None,
        "quote",
        "`quote` must be a PriceBreakdown; got None.",
    ),
    (
        "project_finance.covenant_tests",
        "facilities",
        None,
        "facilities",
        "`facilities` must be a FacilityArrays; got None.",
    ),
    (
        "project_finance.covenant_tests",
        "statements",
        "x",
        "statements",
        "`statements` must be a StatementArrays or None; got a 'str'.",
    ),
    (
        "project_finance.facility_covenant_tests",
        "statements",
        "x",
        "statements",
        "`statements` must be a sequence of FinancialStatement; got a 'str'.",
    ),
    (
        "project_finance.facility_covenant_tests",
        "statements",
        [None],
        "statements[0]",
        "`statements[0]` must be a FinancialStatement; got None.",
    ),
    (
        "schedules.book_schedules",
        "facilities",
        "x",
        "facilities",
        "`facilities` must be a sequence of Facility; got a 'str'.",
    ),
    (
        "schedules.facility_schedule",
        "curves",
        True,
        "curves",
        "`curves` must be a mapping of reference-rate names to ForwardCurve; got a 'bool'.",
    ),
    (
        "segmentation.check_strategy_table",
        "table",
        None,
        "table",
        "`table` must be a mapping of Tier to ServiceStrategy; got None.",
    ),
    (
        "segmentation.from_function",
        "fn",
        math.nan,
        "fn",
        "`fn` must be a function of ClientFeatures; got a 'float'.",
    ),
    (
        "segmentation.migration_matrix",
        "before",
        None,
        "before",
        "`before` must be a Segmentation; got None.",
    ),
]


@pytest.mark.parametrize(("name", "parameter", "bad", "field", "message"), FOUND_RISK)
def test_found_refusals_name_the_parameter(
    name: str, parameter: str, bad: object, field: str, message: str
) -> None:
    function, kwargs = RISK_CALLS[name]
    with pytest.raises(InvalidValueError) as info:
        function(**{**kwargs, parameter: bad})
    assert str(info.value) == message
    assert info.value.field == field


FOUND_RELATIONSHIP: list[tuple[str, str, object, str, str]] = [
    (
        "commercial.attrition_risk",
        "signals",
        None,
        "signals",
        "`signals` must be a mapping of signal name to value; got None.",
    ),
    (
        "commercial.attrition_scores",
        "indicators",
        "x",
        "indicators",
        "`indicators` must be a number, not text (convert text to numbers before the call); got 'x'.",
    ),
    (
        "commercial.chain_from_paths",
        "prior",
        "x",
        "prior",
        "`prior` must be a number, not text (convert text to numbers before the call); got 'x'.",
    ),
    (
        "commercial.estimate_stage_chain",
        "histories",
        "x",
        "histories",
        "`histories` must be a sequence of History; got a 'str'.",
    ),
    (
        "commercial.stage_paths",
        "period_ends",
        [None, "x"],
        "period_ends[0]",
        "`period_ends[0]` must be a datetime.date; got None.",
    ),
    (
        "commercial.feature_matrix",
        "names",
        None,
        "names",
        "`names` must be feature names (a sequence of strings); got None.",
    ),
    (
        "commercial.feature_matrix",
        "features",
        None,
        "x",
        "`x` must be a mapping of feature name to column; got None.",
    ),
    (
        "commercial.fit_attrition",
        "l2",
        None,
        "l2",
        "`l2` must be a finite number >= 0; got None.",
    ),
    (
        "commercial.fit_conversion",
        "features",
        True,
        "features",
        "`features` must be a mapping of name to column; got a 'bool'.",
    ),
    (
        "commercial.fit_conversion",
        "seed",
        -1,
        "seed",
        "`seed` must be an integer >= 0; got -1.",
    ),
    (
        "commercial.frames.conversion_funnel",
        "closed_only",
        "yes",
        "closed_only",
        "`closed_only` must be True or False; got a 'str'.",
    ),
    (
        "commercial.frames.cycle_times_by",
        "by",
        [],
        "by",
        "`by` must be one of 'close_month', 'owner', 'kind', 'sector', 'syndication_role'; got [].",
    ),
    (
        "commercial.frames.fit_stage_probabilities_frame",
        "by",
        1.0,
        "by",
        "`by` must be a column name or None; got a 'float'.",
    ),
    (
        "commercial.frames.forecasts",
        "by",
        None,
        "by",
        "`by` must be a sequence of labels (a list or 1-d array); got None.",
    ),
    (
        "commercial.frames.validate_prospects_frame",
        "clients",
        True,
        "clients",
        "`clients` must be a DataFrame or None; got a 'bool'.",
    ),
    (
        "commercial.holdings_matrix",
        "n_clients",
        None,
        "n_clients",
        "`n_clients` must be an integer >= 0; got None.",
    ),
    (
        "commercial.pipeline_forecast",
        "by",
        [],
        "by",
        "`by` must be one of 'close_month', 'owner', 'kind', 'sector', 'syndication_role'; got [].",
    ),
    (
        "commercial.products_of",
        "client_id",
        [],
        "client_id",
        "`client_id` must be a client id (a string); got a 'list'.",
    ),
    (
        "commercial.value_frames.attrition_frame",
        "as_of",
        "x",
        "as_of",
        "`as_of` must be a datetime.date (not a datetime or a string); got 'x'. Pass the business date, e.g. datetime.date(2025, 12, 31).",
    ),
    (
        "commercial.value_frames.attrition_frame",
        "feedback",
        None,
        "feedback",
        "`feedback` must be a DataFrame; got None.",
    ),
    (
        "commercial.value_frames.cross_sell_frame",
        "tiers",
        None,
        "tiers",
        "`tiers` must be a Series of tiers by client id; got None.",
    ),
    (
        "commercial.value_frames.lookalike_frame",
        "features",
        None,
        "features",
        "`features` must be feature columns (a sequence of strings); got None.",
    ),
    (
        "relationship.frames.actions_frame",
        "models",
        None,
        "models",
        "`models` must be a RelationshipModels; got None.",
    ),
    (
        "relationship.frames.facts_from_frame",
        "frame",
        None,
        "frame",
        "`frame` must be a DataFrame; got None.",
    ),
    (
        "relationship.frames.feedback_by",
        "groups",
        "x",
        "groups",
        "`groups` must be a Series of groups by client id; got a 'str'.",
    ),
    (
        "relationship.frames.fit_tiering",
        "book_frames",
        None,
        "book_frames",
        "`book_frames` must be a BookFrames; got None.",
    ),
    (
        "relationship.price_relationships",
        "drawn",
        [],
        "drawn",
        "`drawn` must be the same length as `codes` (2); got 'length 0'.",
    ),
    (
        "relationship.price_relationships",
        "params",
        None,
        "params",
        "`params` must be a RelationshipPricing; got None.",
    ),
    (
        "relationship.price_relationships",
        "lgd",
        ["x", "y"],
        "lgd[0]",
        "`lgd[0]` must be a number, not text (convert text to numbers before the call); got 'x'.",
    ),
    (
        "workflows.completion_by",
        "keys",
        None,
        "keys",
        "`keys` must be a sequence of labels (a list or 1-d array); got None.",
    ),
    (
        "workflows.contact_standard",
        "client",
        None,
        "client",
        "`client` must be a Client; got None.",
    ),
    (
        "workflows.coverage",
        "managers",
        None,
        "managers",
        "`managers` must be a sequence of RelationshipManager; got None.",
    ),
    (
        "workflows.coverage",
        "client_ids",
        "ABCD",
        "client_ids",
        "`client_ids` must be a sequence of labels (a list or 1-d array); got a 'str'.",
    ),
    (
        "workflows.frames.check_assignments_frame",
        "managers",
        {"a": 1},
        "managers",
        "`managers` must be a managers frame or None; got a 'dict'.",
    ),
    (
        "workflows.frames.client_tasks_frame",
        "tasks",
        "x",
        "tasks",
        "`tasks` must be a sequence of Task; got a 'str'.",
    ),
    (
        "workflows.frames.coverage_frame",
        "cov",
        None,
        "cov",
        "`cov` must be a Coverage; got None.",
    ),
    (
        "workflows.frames.managers_frame",
        "managers",
        None,
        "managers",
        "`managers` must be a sequence of RelationshipManager; got None.",
    ),
    (
        "workflows.frames.moves_frame",
        "proposal",
        None,
        "proposal",
        "`proposal` must be a RebalanceProposal; got None.",
    ),
    (
        "workflows.propose_rebalance",
        "cov",
        None,
        "cov",
        "`cov` must be a Coverage; got None.",
    ),
    (
        "workflows.review_calendar",
        "tier",
        1.5,
        "tier",
        "`tier` must be a Tier, its value, or None; got a 'float'.",
    ),
    (
        "workflows.service_frames.calendar_frame",
        "until",
        None,
        "until",
        "`until` must be a datetime.date (not a datetime or a string); got None. Pass the business date, e.g. datetime.date(2025, 12, 31).",
    ),
    (
        "workflows.tasks_from_actions",
        "due_in_days",
        None,
        "due_in_days",
        "`due_in_days` must be a mapping of action to days; got None.",
    ),
    (
        "workflows.tasks_from_actions",
        "actions",
        None,
        "actions",
        "`actions` must be a sequence of labels (a list or 1-d array); got None.",
    ),
]


@pytest.mark.parametrize(
    ("name", "parameter", "bad", "field", "message"), FOUND_RELATIONSHIP
)
def test_found_relationship_refusals_name_the_parameter(
    name: str, parameter: str, bad: object, field: str, message: str
) -> None:
    function, kwargs = RELATIONSHIP_CALLS[name]
    with pytest.raises(InvalidValueError) as info:
        function(**{**kwargs, parameter: bad})
    assert str(info.value) == message
    assert info.value.field == field
