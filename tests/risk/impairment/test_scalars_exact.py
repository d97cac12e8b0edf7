"""`one_number`: one float from a scalar argument, every refusal by field and words (#23).

Each bound `as_float_array` checks is passed through by name (`lower`, `upper`,
`lower_open`); anything but exactly one value is refused with the shape in the words.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from lendcrm.errors import InvalidValueError
from lendcrm.risk.impairment._scalars import one_number


def test_one_value_comes_back_as_a_float():
    got = one_number(0.5, name="persistence", lower=0.0, upper=1.0)
    assert (got, type(got)) == (0.5, float)
    assert one_number([0.25], name="lgd") == 0.25
    assert one_number(np.array([7]), name="days_past_due", lower=0.0) == 7.0
    # the bounds themselves are accepted (closed by default)
    assert one_number(0.0, name="lgd", lower=0.0, upper=1.0) == 0.0
    assert one_number(1.0, name="lgd", lower=0.0, upper=1.0) == 1.0
    assert one_number(-5.0, name="eir") == -5.0  # no bound by default


@pytest.mark.parametrize(
    ("value", "bounds", "field", "message"),
    [
        (
            -1e-300,
            {"lower": 0.0},
            "lgd[0]",
            "must be a finite number >= 0; got -1e-300.",
        ),
        (
            0.0,
            {"lower": 0.0, "lower_open": True},
            "lgd[0]",
            "must be a finite number > 0; got 0.0.",
        ),
        (
            math.nextafter(1.0, 2.0),
            {"upper": 1.0},
            "lgd[0]",
            "must be a finite number <= 1; got 1.0000000000000002.",
        ),
        (math.nan, {}, "lgd[0]", "must be a finite number; got nan."),
    ],
)
def test_each_bound_is_passed_on_by_name(value, bounds, field, message):
    with pytest.raises(InvalidValueError) as err:
        one_number(value, name="lgd", **bounds)
    assert err.value.field == field
    assert str(err.value) == f"`{field}` {message}"


@pytest.mark.parametrize(
    ("value", "shape"), [([0.1, 0.2], "(2,)"), ([], "(0,)"), (np.zeros(3), "(3,)")]
)
def test_anything_but_one_value_is_refused_with_its_shape(value, shape):
    with pytest.raises(InvalidValueError) as err:
        one_number(value, name="persistence")
    assert (err.value.field, err.value.value, err.value.expected) == (
        "persistence",
        f"array of shape {shape}",
        "one number",
    )
    assert str(err.value) == (
        f"`persistence` must be one number; got 'array of shape {shape}'."
    )
