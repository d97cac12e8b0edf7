"""The numeric boundary: one coercion, first bad index named."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lendcrm._arrays import as_bool_array, as_float_array, check_same_length
from lendcrm.errors import InvalidValueError


def test_scalar_list_series_become_1d_float64():
    assert as_float_array(0.5, name="x").shape == (1,)
    out = as_float_array(pd.Series([1, 2]), name="x")
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, [1.0, 2.0])


@pytest.mark.parametrize(
    ("values", "kwargs", "message"),
    [
        ([0.1, np.nan], {}, r"`x\[1\]` must be a finite number; got nan\."),
        ([np.inf], {}, r"`x\[0\]` must be a finite number; got inf\."),
        (
            [0.0, 2.0],
            {"lower": 0, "upper": 1},
            r"`x\[1\]` must be a finite number in \[0, 1\]",
        ),
        (
            [0.0],
            {"lower": 0, "lower_open": True},
            r"`x\[0\]` must be a finite number > 0",
        ),
        (
            [1.0],
            {"upper": 1, "upper_open": True},
            r"must be a finite number < 1; got 1\.0",
        ),
        ([-1.0], {"lower": 0}, r"must be a finite number >= 0; got -1\.0"),
        ([2.0], {"upper": 1}, r"must be a finite number <= 1; got 2\.0"),
        (
            [0.0, 1.0],
            {"lower": 0, "upper": 1, "lower_open": True, "upper_open": True},
            r"`x\[0\]` must be a finite number in \(0, 1\)",
        ),
    ],
)
def test_bad_values_name_the_first_index(values, kwargs, message):
    with pytest.raises(InvalidValueError, match=message):
        as_float_array(values, name="x", **kwargs)


def test_shape_type_and_emptiness():
    with pytest.raises(InvalidValueError, match="one-dimensional"):
        as_float_array([[1.0]], name="x")
    with pytest.raises(InvalidValueError, match="numbers"):
        as_float_array(["a"], name="x")
    with pytest.raises(InvalidValueError, match="a non-empty array"):
        as_float_array([], name="x", allow_empty=False)
    assert as_float_array([np.nan], name="x", allow_nan=True).shape == (1,)


def test_bool_arrays_and_lengths():
    np.testing.assert_array_equal(as_bool_array([0, 1.0], name="w"), [False, True])
    with pytest.raises(
        InvalidValueError, match=r"`w\[1\]` must be a boolean \(0 or 1\); got 2\.0"
    ):
        as_bool_array([1, 2], name="w")
    with pytest.raises(
        InvalidValueError,
        match=r"`lgd` must be the same length as `default_probability` \(2\)",
    ):
        check_same_length(default_probability=np.zeros(2), lgd=np.zeros(3))


@given(st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=1))
def test_finite_input_round_trips(values):
    np.testing.assert_array_equal(as_float_array(values, name="x"), np.asarray(values))
