"""The refusals `tests/test_fuzz_public_api_wide.py` found missing (#17).

Each is pinned by its exact message: the parameter the caller passed, the value (or
its type, for a large object), and what was expected.
"""

from __future__ import annotations

import pandas as pd
import pytest

from lendcrm.errors import InvalidValueError
from tests.test_fuzz_public_api_wide import BASE_CALLS

FOUND: list[tuple[str, str, object, str]] = [
    ("frames.book_frames", "book", None, "`book` must be a Book; got None."),
    (
        "frames.book_from_frames",
        "frames",
        "x",
        "`frames` must be a BookFrames; got a 'str'.",
    ),
    (
        "relationship.frames.book_signals",
        "models",
        True,
        "`models` must be a RelationshipModels; got a 'bool'.",
    ),
    (
        "relationship.frames.covenant_results",
        "compliance",
        None,
        (
            "`compliance` must be a CovenantCompliance (from covenant_compliance); "
            "got None."
        ),
    ),
    (
        "relationship.scaleout.partition_book",
        "book_frames",
        None,
        "`book_frames` must be a BookFrames; got None.",
    ),
    (
        "pricing.frames.price_facilities_frame",
        "regime",
        None,
        "`regime` must be a CapitalRegime; got None.",
    ),
    (
        "pricing.frames.price_facilities_frame",
        "as_of",
        "2025-12-31",
        (
            "`as_of` must be a datetime.date (not a datetime or a string); got "
            "'2025-12-31'. Pass the business date, e.g. datetime.date(2025, 12, 31)."
        ),
    ),
    (
        "project_finance.frames.covenant_compliance_frame",
        "frames",
        None,
        "`frames` must be a BookFrames; got None.",
    ),
    (
        "project_finance.frames.covenant_compliance_frame",
        "debt_rate",
        [],
        "`debt_rate` must be a non-empty array (at least one value); got [].",
    ),
    (
        "project_finance.frames.covenant_compliance_frame",
        "debt_rate",
        [0.05, 0.06],
        (
            "`debt_rate` must be one rate, or a mapping or Series of rates by project "
            "id; got 'length 2'."
        ),
    ),
    (
        "project_finance.frames.covenant_compliance",
        "missing",
        ["nan"],
        "`missing` must be 'raise' or 'nan'; got ['nan'].",
    ),
    (
        "scoring.frames.fit_binning_frame",
        "target",
        None,
        "`target` must be a column name (a non-empty string); got None.",
    ),
    (
        "scoring.frames.gains_table_frame",
        "target",
        ["y"],
        "`target` must be a column name (a non-empty string); got a 'list'.",
    ),
    (
        "scoring.frames.woe_frame",
        "binnings",
        None,
        "`binnings` must be a BinningSet; got None.",
    ),
    (
        "scoring.frames.score_frame",
        "scorecard",
        "x",
        "`scorecard` must be a Scorecard; got a 'str'.",
    ),
    (
        "scoring.frames.bin_table_frame",
        "binning",
        None,
        "`binning` must be a Binning; got None.",
    ),
    (
        "scoring.frames.collinearity_filter_frame",
        "woe",
        pd.DataFrame({"a": [1.0, 2.0], "b": pd.Series(["x", "y"], dtype="str")}),
        "`woe['b']` must be a numeric column (WoE values); got 'str'.",
    ),
    (
        "segmentation.frames.features_from_frame",
        "as_of",
        True,
        (
            "`as_of` must be a datetime.date (not a datetime or a string); got True. "
            "Pass the business date, e.g. datetime.date(2025, 12, 31)."
        ),
    ),
    (
        "segmentation.frames.features_from_frame",
        "rating_scale",
        True,
        (
            "`rating_scale` must be the grade labels, best first (a sequence of "
            "strings); got a 'bool'."
        ),
    ),
    (
        "segmentation.frames.features_from_frame",
        "rating_scale",
        ["1", "1"],
        "`rating_scale` must be distinct grade labels, best first; got ['1', '1'].",
    ),
    (
        "segmentation.frames.features_from_book",
        "book",
        None,
        "`book` must be a Book; got None.",
    ),
    (
        "scoring.fit_binning_set",
        "features",
        True,
        "`features` must be a mapping of column name to values; got a 'bool'.",
    ),
    (
        "scoring.stability_band",
        "value",
        [],
        "`value` must be a number (one value); got [].",
    ),
    ("scoring.iv_strength", "iv", None, "`iv` must be a number (one value); got None."),
    (
        "scoring.select_by_iv",
        "ivs",
        None,
        "`ivs` must be a mapping of name to IV; got None.",
    ),
    (
        "scoring.select_by_iv",
        "ivs",
        {"x": "0.3"},
        "`ivs['x']` must be a number; got '0.3'.",
    ),
    (
        "pricing.price_book",
        "capital_ratio",
        [],
        "`capital_ratio` must be a non-empty array (at least one value); got [].",
    ),
    (
        "pricing.rate_to_decimal",
        "rate",
        1e308,
        "`rate` must be a rate of at most 1e9 in magnitude; got 1e+308.",
    ),
    (
        "project_finance.covenant_test",
        "lock_up",
        [],
        "`lock_up` must be a non-empty array (at least one value); got [].",
    ),
    (
        "project_finance.covenant_calendar",
        "start_on",
        [1, 2],
        "`start_on` must be dates (datetime64 or ISO strings); got [1, 2].",
    ),
    (
        "project_finance.project_dscr",
        "project",
        None,
        "`project` must be a Project; got None.",
    ),
    (
        "portfolio.simulate_losses",
        "n_scenarios",
        None,
        "`n_scenarios` must be an integer >= 1; got None.",
    ),
    (
        "portfolio.simulate_losses",
        "n_scenarios",
        10**12,
        (
            "`n_scenarios` must be at most 100,000,000 scenarios (8 bytes each in "
            "memory); got 1000000000000."
        ),
    ),
    (
        "portfolio.simulate_losses",
        "rng",
        7,
        "`rng` must be a numpy.random.Generator; got a 'int'.",
    ),
    (
        "portfolio.multi_year_matrix",
        "years",
        None,
        "`years` must be a whole number of years from 0 to 10000; got None.",
    ),
    (
        "portfolio.cumulative_default_rates",
        "years",
        10**30,
        (
            "`years` must be a whole number of years from 1 to 10000; got "
            "1000000000000000000000000000000."
        ),
    ),
    (
        "portfolio.sector_hhi",
        "sectors",
        [None, "a"],
        (
            "`sectors[0]` must be a label of the same kind as the others (all text or "
            "all integers, none missing); got None."
        ),
    ),
    (
        "portfolio.cohort_matrix",
        "scale",
        None,
        (
            "`scale` must be the grade labels, best first, default last (a sequence); "
            "got None."
        ),
    ),
    (
        "capital.allocate_collateral",
        "collateral_value",
        [],
        (
            "`link_collateral[0]` must be an index into `collateral_value`, which is "
            "empty; got 0.0."
        ),
    ),
    (
        "synthetic.generate_frames",
        "n_clients",
        10**30,
        (
            "`n_clients` must be at most 10,000,000 clients (refused up front; draw a "
            "larger book in parts with different seeds); got "
            "1000000000000000000000000000000."
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


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"places": -2},
            "`places` must be an integer from 0 to 18; got -2.",
        ),
        (
            {"places": 2.0},
            "`places` must be an integer from 0 to 18; got 2.0.",
        ),
        (
            {"rounding": "up"},
            (
                "`rounding` must be a decimal rounding mode, e.g. decimal.ROUND_CEILING; "
                "got 'up'."
            ),
        ),
    ],
)
def test_rate_to_decimal_refuses_negative_places_and_unknown_rounding(
    kwargs: dict[str, object], message: str
) -> None:
    from lendcrm.risk.pricing import rate_to_decimal

    with pytest.raises(InvalidValueError) as info:
        rate_to_decimal(0.05, **kwargs)  # type: ignore[arg-type]
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("id", " C-1", "an id without leading or trailing whitespace"),
        ("id", "C-1\n", "an id without leading or trailing whitespace"),
        (
            "id",
            "C\n1",
            (
                "an id without control or zero-width characters (found U+000A at "
                "position 1)"
            ),
        ),
        (
            "id",
            "C-\u200b1",
            (
                "an id without control or zero-width characters (found U+200B at "
                "position 2)"
            ),
        ),
        ("id", "C" * 257, "an id of at most 256 characters"),
        ("id", "  ", "a non-empty string"),
        ("parent_id", "P-1\t", "an id without leading or trailing whitespace"),
    ],
)
def test_client_ids_follow_the_id_rule(field: str, value: str, expected: str) -> None:
    from tests import factories

    with pytest.raises(InvalidValueError) as info:
        factories.client(**{field: value})
    assert str(info.value) == f"`{field}` must be {expected}; got {value!r}."


@pytest.mark.parametrize(
    ("make", "field"),
    [
        ("facility", "id"),
        ("facility", "client_id"),
        ("facility", "project_id"),
        ("project", "id"),
    ],
)
def test_entity_ids_follow_the_id_rule(make: str, field: str) -> None:
    from tests import factories

    with pytest.raises(InvalidValueError) as info:
        getattr(factories, make)(**{field: "X-1 "})
    assert str(info.value) == (
        f"`{field}` must be an id without leading or trailing whitespace; got 'X-1 '."
    )
