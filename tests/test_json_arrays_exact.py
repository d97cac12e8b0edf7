"""numpy arrays in the JSON form, exactly (issue #23).

The annotation readers on every spelling of an array type, the nested lists written
(None for a float that is not finite), every refusal of `array_from_json` by its whole
message, and the ``eq`` key of an array field.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest

from lendcrm._json_arrays import (
    array_dtype,
    array_from_json,
    array_key,
    array_to_json,
    is_array_type,
)
from lendcrm.errors import InvalidValueError

F8 = np.dtype(np.float64)
I8 = np.dtype(np.int64)


def test_is_array_type_on_each_spelling():
    assert is_array_type(np.ndarray)
    assert is_array_type(npt.NDArray[np.float64])
    assert is_array_type(npt.NDArray[np.int64])
    assert is_array_type(np.ndarray[Any, np.dtype[np.int32]])
    assert not is_array_type(list[int])
    assert not is_array_type(int)
    assert not is_array_type(tuple[np.int64, int])


def test_array_dtype_reads_the_scalar_type_or_defaults_to_float64():
    assert array_dtype(npt.NDArray[np.int64]) == I8
    assert array_dtype(npt.NDArray[np.float64]) == F8
    assert array_dtype(np.ndarray[Any, np.dtype[np.int32]]) == np.dtype(np.int32)
    assert array_dtype(npt.NDArray[Any]) == F8
    assert array_dtype(np.ndarray) == F8
    assert array_dtype(list[int]) == F8  # a type, but not a numpy scalar type
    # two arguments but not an ndarray: its first argument is read as it is
    assert array_dtype(tuple[np.int32, int]) == np.dtype(np.int32)


def test_array_to_json_nested_lists_with_none_for_not_finite():
    out = array_to_json(np.array([[1.5, np.nan], [np.inf, -np.inf]]))
    assert out == [[1.5, None], [None, None]]
    assert type(out[0][0]) is float
    assert array_to_json(np.array([[1, 2], [3, 4]], dtype=np.int64)) == [[1, 2], [3, 4]]
    assert type(array_to_json(np.array([7], dtype=np.int64))[0]) is int
    assert array_to_json(np.array([0.0, -2.0])) == [0.0, -2.0]
    assert array_to_json(np.array([], dtype=np.float64)) == []


def test_array_from_json_reads_floats_with_null_as_nan():
    arr = array_from_json([[1, None], [2.5, 3]], F8)
    assert arr.dtype == F8
    assert arr.shape == (2, 2)
    assert arr[0, 0] == 1.0
    assert math.isnan(arr[0, 1])
    assert arr[1].tolist() == [2.5, 3.0]
    ints = array_from_json([[1, 2, 3]], I8)
    assert (ints.dtype, ints.shape, ints.tolist()) == (I8, (1, 3), [[1, 2, 3]])
    empty = array_from_json([], F8)
    assert (empty.dtype, empty.shape) == (F8, (0,))


def refusal(value: object, dtype: np.dtype[Any]) -> InvalidValueError:
    with pytest.raises(InvalidValueError) as info:
        array_from_json(value, dtype)
    assert info.value.field == "array"
    return info.value


def test_array_from_json_refuses_a_non_list():
    for dtype in (F8, I8):
        err = refusal(5, dtype)
        assert str(err) == "`array` must be a (nested) list of numbers; got 5."
    assert str(refusal((1, 2), F8)) == (
        "`array` must be a (nested) list of numbers; got (1, 2)."
    )


@pytest.mark.parametrize("value", [[[1, 2], [3]], [1, [2, 3]], [[1, [2]], [3, 4]]])
def test_array_from_json_refuses_ragged_nestings(value):
    assert str(refusal(value, F8)) == (
        "`array` must be a rectangular nested list (rows of equal length); "
        f"got {value!r}."
    )


@pytest.mark.parametrize(
    ("value", "dtype", "what", "found"),
    [
        ([True], F8, "numbers or null", "True"),
        ([1, False], I8, "integers", "False"),
        (["a"], F8, "numbers or null", "'a'"),
        ([1.5], I8, "integers", "1.5"),
        ([None], I8, "integers", "None"),
        ([[1, 2], [3, "x"]], F8, "numbers or null", "'x'"),
    ],
)
def test_array_from_json_names_the_first_bad_leaf(value, dtype, what, found):
    assert str(refusal(value, dtype)) == (
        f"`array` must be a (nested) list of {what}; found {found}; got {value!r}."
    )


def test_array_key_shape_dtype_and_values_with_nan_as_none():
    assert array_key(None) is None
    assert array_key(np.array([[1.0, np.nan]])) == ((1, 2), "<f8", (1.0, None))
    assert array_key(np.array([3, 4], dtype=np.int64)) == ((2,), "<i8", (3, 4))
    assert array_key(np.array([np.nan])) == array_key(np.array([np.nan]))
    assert array_key(np.array([1.0])) != array_key(np.array([1], dtype=np.int64))


class _RaggedNumpy:
    """numpy, but with an ``array`` that refuses a ragged nesting as older numpy did."""

    def __getattr__(self, name: str) -> object:
        return getattr(np, name)

    @staticmethod
    def array(*_args: object, **_kwargs: object) -> object:
        message = "setting an array element with a sequence"
        raise ValueError(message)


def test_array_from_json_words_numpys_own_ragged_refusal(monkeypatch):
    # numpy 2 builds an object array of lists for every ragged nesting (the leaf
    # check above refuses those); older numpy raised ValueError for some instead
    import lendcrm._json_arrays as module

    monkeypatch.setattr(module, "np", _RaggedNumpy())
    err = refusal([[1, 2], [3]], F8)
    assert err.value == [[1, 2], [3]]
    assert err.__cause__ is None
    assert err.__suppress_context__
    assert str(err) == (
        "`array` must be a rectangular nested list (rows of equal length); "
        "got [[1, 2], [3]]."
    )
