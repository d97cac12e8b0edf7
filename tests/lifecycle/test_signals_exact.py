"""Signals: the spec table pinned entry by entry, and the numpy boundary's exact words (#23).

`SIGNAL_SPECS` is a module-level table (which mutation tools skip): one golden list
pins every name, kind and bound. The remaining tests pin what `from_columns` and
`SignalSpec` refuse, with the field named, and what they build (dtypes, extra keys).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest

from lendcrm.errors import InvalidValueError, SchemaError
from lendcrm.lifecycle import SIGNAL_SPECS, SignalSpec, StageSignals, example_columns

AS_OF = dt.date(2026, 6, 30)


def test_signal_specs_are_pinned():
    assert [(s.name, s.kind, s.lower, s.upper) for s in SIGNAL_SPECS] == [
        ("has_facility", "bool", None, None),
        ("has_drawn", "bool", None, None),
        ("months_since_first_drawdown", "int", 0, None),
        ("tenure_months", "int", 0, None),
        ("exposure_growth_yoy", "float", -1, None),
        ("revenue_growth_yoy", "float", None, None),
        ("product_count_change", "int", None, None),
        ("utilisation_change", "float", -1, 1),
        ("rating_notches_moved", "int", None, None),
        ("on_watchlist", "bool", None, None),
        ("days_past_due", "int", 0, None),
        ("covenant_breaches", "int", 0, None),
        ("has_dscr", "bool", None, None),
        ("dscr_headroom", "float", None, None),
    ]


def test_example_columns_are_pinned():
    assert example_columns() == {
        "has_facility": [False, True, True],
        "has_drawn": [False, True, True],
        "months_since_first_drawdown": [0, 30, 60],
        "tenure_months": [2, 40, 96],
        "exposure_growth_yoy": [0.0, 0.25, -0.05],
        "revenue_growth_yoy": [0.0, 0.12, -0.30],
        "product_count_change": [0, 1, -1],
        "utilisation_change": [0.0, 0.05, 0.35],
        "rating_notches_moved": [0, 0, 3],
        "on_watchlist": [False, False, True],
        "days_past_due": [0, 0, 45],
        "covenant_breaches": [0, 0, 1],
        "has_dscr": [False, True, True],
        "dscr_headroom": [0.0, 0.35, -0.10],
    }


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "str"}, "`kind` must be one of 'bool', 'float', 'int'; got 'str'."),
        (
            {"lower": 2, "upper": 1},
            "`upper` must be a number >= `lower` (2); got 1.",
        ),
        ({"lower": float("nan")}, "`lower` must be a finite number; got nan."),
        ({"upper": float("inf")}, "`upper` must be a finite number; got inf."),
        ({"name": ""}, "`name` must be a non-empty string; got ''."),
    ],
)
def test_signal_spec_refusals(changes, message):
    with pytest.raises(InvalidValueError) as info:
        SignalSpec(**{"name": "x", "kind": "int", **changes})
    assert str(info.value) == message


def test_signal_spec_defaults_and_equal_bounds():
    assert SignalSpec(name="x", kind="float") == SignalSpec(
        name="x", kind="float", lower=None, upper=None
    )
    assert SignalSpec(name="x", kind="int", lower=1, upper=1).upper == 1


def test_whole_number_refusals_name_the_first_bad_index_and_the_bounds():
    for column, values, message in (
        (
            "rating_notches_moved",
            [0, 1.5, 2.5],
            "`signals.rating_notches_moved[1]` must be a whole number; got 1.5.",
        ),
        (
            "months_since_first_drawdown",
            [0, 1, 2.5],
            (
                "`signals.months_since_first_drawdown[2]` must be a whole number "
                ">= 0; got 2.5."
            ),
        ),
    ):
        with pytest.raises(InvalidValueError) as info:
            StageSignals.from_columns(
                {**example_columns(), column: values}, as_of=AS_OF
            )
        assert str(info.value) == message


def test_missing_signals_are_listed_and_extra_keys_ignored():
    with pytest.raises(SchemaError) as info:
        StageSignals.from_columns({"has_drawn": [True], "extra": [1]}, as_of=AS_OF)
    assert info.value.frame == "signals"
    assert info.value.known == ("has_drawn", "extra")
    assert info.value.missing == tuple(
        s.name for s in SIGNAL_SPECS if s.name != "has_drawn"
    )
    sig = StageSignals.from_columns({**example_columns(), "extra": [1, 2]}, as_of=AS_OF)
    assert len(sig) == 3
    assert sig.as_of == AS_OF


def test_columns_become_bool_and_float64_arrays():
    columns: dict[str, Any] = example_columns()
    sig = StageSignals.from_columns(columns, as_of=AS_OF)
    for spec in SIGNAL_SPECS:
        array = getattr(sig, spec.name)
        assert array.dtype == (np.bool_ if spec.kind == "bool" else np.float64)
        assert array.tolist() == columns[spec.name]
