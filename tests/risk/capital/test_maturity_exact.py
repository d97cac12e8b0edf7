"""Effective maturity at the exact edges of its floor and cap (CRE32.46, issue #23)."""

from __future__ import annotations

import math

import pytest

from lendcrm.errors import InvalidValueError
from lendcrm.risk.capital import effective_maturity


def test_a_floor_equal_to_the_cap_fixes_m():
    assert effective_maturity([0.5], [1.0], floor=2.0, cap=2.0) == 2.0
    assert effective_maturity([9.0], [1.0], floor=2.0, cap=2.0) == 2.0


def test_defaults_are_one_and_five_years_each_binding_exactly():
    assert effective_maturity([0.999], [1.0]) == 1.0
    assert effective_maturity([1.0], [1.0]) == 1.0
    assert effective_maturity([5.0], [1.0]) == 5.0
    assert effective_maturity([5.001], [1.0]) == 5.0
    assert effective_maturity([3.0, 4.0], [1.0, 1.0]) == 3.5
    assert effective_maturity([0.0], [1.0], floor=0.0) == 0.0


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        (
            {"floor": 2.0, "cap": 1.999},
            "cap",
            "`cap` must be at least floor (2 years); got 1.999.",
        ),
        (
            {"floor": 1.0, "cap": math.nan},
            "cap",
            "`cap` must be at least floor (1 years); got nan.",
        ),
        (
            {"floor": -0.5},
            "floor[0]",
            "`floor[0]` must be a finite number >= 0; got -0.5.",
        ),
    ],
)
def test_floor_and_cap_refusals_name_the_field(kwargs, field, message):
    with pytest.raises(InvalidValueError) as caught:
        effective_maturity([1.0], [1.0], **kwargs)
    assert caught.value.field == field
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("times", "flows", "field"),
    [
        ([], [], "times"),
        ([1.0], [], "cash_flows"),
        ([1.0, 2.0], [0.0, 0.0], "cash_flows"),
    ],
)
def test_empty_or_zero_total_cash_flows_are_refused(times, flows, field):
    with pytest.raises(InvalidValueError) as caught:
        effective_maturity(times, flows)
    assert caught.value.field == field


def test_empty_cash_flows_are_refused_as_empty_not_as_a_length_mismatch():
    with pytest.raises(InvalidValueError) as caught:
        effective_maturity([1.0], [])
    assert str(caught.value) == (
        "`cash_flows` must be a non-empty array (at least one value); got []."
    )


def test_times_near_the_float_maximum_are_capped_without_an_overflow_warning():
    # the weighted sum overflows to inf (warnings are errors in the tests): capped at 5
    assert effective_maturity([1e308, 1e308], [1.0, 1.0]) == 5.0
