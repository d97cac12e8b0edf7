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
        "impairment.frames.bank_shares",
        "book",
        None,
        "book",
        "`book` must be a BookFrames; got None.",
    ),
    (
        "impairment.frames.book_schedule",
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
