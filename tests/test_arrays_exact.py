"""Exact boundaries and refusals of the numeric input boundary `_arrays` (issue #23).

Every refusal is checked by its field and whole message; every comparison of
`as_float_array` is tried exactly at its bound, open and closed; defaults are pinned.
"""

from __future__ import annotations

import math
import pickle
from enum import StrEnum

import numpy as np
import pandas as pd
import pytest

from lendcrm._arrays import (
    FrozenMap,
    align,
    align_to,
    as_bool_array,
    as_float_array,
    check_same_length,
    enum_codes,
    numeric_array,
    refuse_overflow,
)
from lendcrm.errors import InvalidValueError

NUMBERS = "numbers (an array-like of floats)"


class _Colour(StrEnum):
    RED = "red"
    BLUE = "blue"


def _error(fn: object, *args: object, **kwargs: object) -> InvalidValueError:
    with pytest.raises(InvalidValueError) as info:
        fn(*args, **kwargs)  # type: ignore[operator]
    return info.value


# --- numeric_array ----------------------------------------------------------------------
def test_numeric_array_passes_numbers_without_copy() -> None:
    ints = np.array([1, 2], dtype=np.int64)
    assert numeric_array(ints, name="a") is ints
    uints = np.array([1], dtype=np.uint8)
    assert numeric_array(uints, name="a") is uints
    assert numeric_array([1.5], name="a").dtype == np.float64


def test_numeric_array_booleans() -> None:
    err = _error(numeric_array, [True, False], name="a")
    assert (err.field, err.value) == ("a[0]", True)
    assert str(err) == (
        "`a[0]` must be a number, not a boolean (pass 0.0/1.0 if a number is meant);"
        " got True."
    )
    out = numeric_array([True, False], name="a", allow_bool=True)
    assert out.dtype == np.float64
    assert out.tolist() == [1.0, 0.0]
    mixed = numeric_array([1.0, True], name="a", allow_bool=True)
    assert mixed.tolist() == [1.0, 1.0]
    err = _error(numeric_array, np.array([1.0, True], dtype=object), name="a")
    assert (err.field, err.value) == ("a[1]", True)
    err = _error(
        numeric_array, np.array([1.0, np.bool_(False)], dtype=object), name="a"
    )
    assert err.value is False
    mixed_objects = np.array([1.0, True], dtype=object)
    assert numeric_array(mixed_objects, name="a", allow_bool=True).tolist() == [
        1.0,
        1.0,
    ]


def test_numeric_array_text_and_complex() -> None:
    err = _error(numeric_array, ["x"], name="a")
    assert (err.field, err.value) == ("a[0]", "x")
    assert (
        err.expected == "a number, not text (convert text to numbers before the call)"
    )
    err = _error(numeric_array, [1.0, b"x"], name="a")
    assert (err.field, err.value) == ("a[1]", b"x")
    err = _error(numeric_array, np.array(["a", "b"]), name="a")
    assert (err.field, err.value) == ("a[0]", "a")
    err = _error(numeric_array, np.array([b"a"]), name="a")
    assert err.expected.startswith("a number, not text")
    err = _error(numeric_array, [1.0, 2j], name="a")
    assert (err.field, err.value) == ("a[1]", 2j)
    assert err.expected == "a real number, not a complex one"
    err = _error(numeric_array, np.array([1 + 1j]), name="a")
    assert (err.field, err.value) == ("a[0]", 1 + 1j)
    err = _error(numeric_array, "1.5", name="a")
    assert (err.field, err.value) == ("a", "1.5")  # a scalar: no index
    err = _error(numeric_array, [np.complex128(1j)], name="a")
    assert err.expected == "a real number, not a complex one"


def test_numeric_array_empty_text_and_objects() -> None:
    err = _error(numeric_array, np.array([], dtype=str), name="a")
    assert str(err) == f"`a` must be {NUMBERS}; got array([], dtype='<U1')."
    assert numeric_array(np.array([1, None], dtype=object)[:1], name="a").tolist() == [
        1.0
    ]
    objects = np.array([1, 2.5], dtype=object)
    out = numeric_array(objects, name="a")
    assert out.dtype == np.float64
    assert out.tolist() == [1.0, 2.5]
    err = _error(numeric_array, [object()], name="a")
    assert (err.field, err.expected) == ("a", NUMBERS)
    err = _error(
        numeric_array, np.array(["2020-01-01"], dtype="datetime64[D]"), name="a"
    )
    assert (err.field, err.expected) == ("a", NUMBERS)
    err = _error(numeric_array, [[1], [1, 2]], name="a")  # ragged
    assert (err.field, err.expected) == ("a", NUMBERS)
    assert err.value == [[1], [1, 2]]  # the input as given


def test_numeric_array_2d_object_index_is_flat() -> None:
    arr = np.array([[1.0, 2.0], [3.0, "x"]], dtype=object)
    err = _error(numeric_array, arr, name="a")
    assert (err.field, err.value) == ("a[3]", "x")


# --- as_float_array ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kwargs", "ok", "bad", "expected"),
    [
        ({"lower": 0.0}, [0.0], [-1e-300], "a finite number >= 0"),
        ({"lower": 0.0, "lower_open": True}, [1e-300], [0.0], "a finite number > 0"),
        ({"upper": 1.0}, [1.0], [1.0 + 1e-15], "a finite number <= 1"),
        ({"upper": 1.0, "upper_open": True}, [1 - 1e-15], [1.0], "a finite number < 1"),
        ({"lower": 0.0, "upper": 1.0}, [0.0, 1.0], [2.0], "a finite number in [0, 1]"),
        ({}, [-1e308, 1e308], [np.inf], "a finite number"),
    ],
)
def test_as_float_array_exact_bounds(
    kwargs: dict[str, object], ok: list[float], bad: list[float], expected: str
) -> None:
    assert as_float_array(ok, name="a", **kwargs).tolist() == ok  # type: ignore[arg-type]
    for value in bad:
        err = _error(as_float_array, [0.5, value], name="a", **kwargs)
        assert err.field == "a[1]"
        assert str(err) == f"`a[1]` must be {expected}; got {value!r}."


def test_as_float_array_first_bad_index_and_value() -> None:
    err = _error(as_float_array, [0.5, 2.0, 3.0], name="p", upper=1)
    assert (err.field, err.value) == ("p[1]", 2.0)
    assert type(err.value) is float
    err = _error(as_float_array, [-1.0, 0.5], name="p", lower=0)
    assert err.field == "p[0]"


def test_as_float_array_shapes_and_empty() -> None:
    assert as_float_array(3, name="a").tolist() == [3.0]
    assert as_float_array(np.float64(3), name="a").shape == (1,)
    assert as_float_array([], name="a").shape == (0,)
    err = _error(as_float_array, [], name="a", allow_empty=False)
    assert (err.field, err.value) == ("a", [])
    assert err.expected == "a non-empty array (at least one value)"
    err = _error(as_float_array, np.zeros((2, 3)), name="a")
    assert (err.field, err.value) == ("a", "array of shape (2, 3)")
    assert err.expected == "one-dimensional"
    assert as_float_array([1.0], name="a", allow_empty=False).tolist() == [1.0]
    ints = as_float_array(np.array([1, 2]), name="a")
    assert ints.dtype == np.float64
    floats = np.array([1.0, 2.0])
    assert np.shares_memory(as_float_array(floats, name="a"), floats)  # no copy


def test_as_float_array_nan_handling() -> None:
    err = _error(as_float_array, [1.0, np.nan], name="a")
    assert err.field == "a[1]"
    assert isinstance(err.value, float)
    assert math.isnan(err.value)
    out = as_float_array([1.0, np.nan], name="a", allow_nan=True)
    assert np.isnan(out[1])
    err = _error(as_float_array, [np.nan, np.inf], name="a", allow_nan=True)
    assert (err.field, err.value) == ("a[1]", np.inf)
    err = _error(as_float_array, [np.nan, -np.inf], name="a", allow_nan=True, lower=0)
    assert err.field == "a[1]"
    # a bound does not replace the finiteness check: +inf and NaN are above 0
    err = _error(as_float_array, [1.0, np.inf], name="a", lower=0)
    assert (err.field, err.value) == ("a[1]", np.inf)
    err = _error(as_float_array, [1.0, np.nan], name="a", lower=0, upper=2)
    assert err.field == "a[1]"
    err = _error(as_float_array, [-np.inf, 1.0], name="a", upper=2)
    assert err.field == "a[0]"
    # a missing None is shown as None, not as nan
    err = _error(as_float_array, [1.0, None], name="a")
    assert (err.field, err.value) == ("a[1]", None)
    err = _error(as_float_array, None, name="a")  # a lone missing value
    assert (err.field, err.value) == ("a[0]", None)
    err = _error(as_float_array, pd.Series([1.0, None], dtype=object), name="a")
    assert err.value is None
    err = _error(as_float_array, np.array([1.0, np.nan]), name="a")
    assert err.value is not None
    err = _error(as_float_array, [1.0, float("nan")], name="a")
    assert err.value is not None
    assert isinstance(err.value, float)
    assert math.isnan(err.value)


def test_as_float_array_bool_switch() -> None:
    err = _error(as_float_array, [True], name="a")
    assert err.expected.startswith("a number, not a boolean")
    assert as_float_array([True, False], name="a", allow_bool=True).tolist() == [
        1.0,
        0.0,
    ]


# --- as_bool_array ----------------------------------------------------------------------
def test_as_bool_array() -> None:
    flags = np.array([True, False])
    assert as_bool_array(flags, name="w") is flags
    assert as_bool_array(True, name="w").tolist() == [True]
    assert as_bool_array([1, 0.0], name="w").tolist() == [True, False]
    assert as_bool_array([1, 0.0], name="w").dtype == np.bool_
    err = _error(as_bool_array, [1, 0.5], name="w")
    assert (err.field, err.value, err.expected) == ("w[1]", 0.5, "a boolean (0 or 1)")
    err = _error(as_bool_array, [2, 0], name="w")
    assert err.field == "w[0]"
    err = _error(as_bool_array, [-1], name="w")
    assert err.value == -1.0
    # booleans among numbers in an object array are 0/1 here, not refused
    mixed = np.array([True, 0, 1.0, False], dtype=object)
    assert as_bool_array(mixed, name="w").tolist() == [True, False, True, False]
    assert as_bool_array(pd.Series([True, 0], dtype=object), name="w").tolist() == [
        True,
        False,
    ]


# --- results, lengths, alignment --------------------------------------------------------
def test_refuse_overflow() -> None:
    ok = np.array([1.0, 2.0])
    assert refuse_overflow(ok, name="r", inputs="x") is ok
    err = _error(
        refuse_overflow, np.array([1.0, -np.inf, np.inf]), name="r", inputs="x"
    )
    assert (err.field, err.value) == ("r[1]", -np.inf)
    assert err.expected == (
        "a finite result (x too large for a float, whose maximum is 1.8e308)"
    )
    nan = np.array([np.nan])
    assert refuse_overflow(nan, name="r", inputs="x") is nan


def test_check_same_length() -> None:
    assert check_same_length(a=np.zeros(2)) == 2
    assert check_same_length(a=np.zeros(2), b=np.zeros(2), c=np.zeros(2)) == 2
    err = _error(check_same_length, a=np.zeros(2), b=np.zeros(2), c=np.zeros(3))
    assert (err.field, err.value) == ("c", "length 3")
    assert err.expected == "the same length as `a` (2)"


def test_align() -> None:
    a, b = align(a=np.array([1.0]), b=np.array([1.0, 2.0]))
    assert a.tolist() == [1.0, 1.0]
    assert b.tolist() == [1.0, 2.0]
    (only,) = align(a=np.array([3.0]))
    assert only.tolist() == [3.0]
    err = _error(align, a=np.zeros(1), b=np.zeros(3), c=np.zeros(2), d=np.zeros(3))
    assert (err.field, err.value) == ("c", "length 2")
    assert err.expected == "length 1 or the same length as `b` (3)"


def test_align_to() -> None:
    (a,) = align_to(3, "row", a=np.array([1.0]))
    assert a.tolist() == [1.0, 1.0, 1.0]
    a, b = align_to(2, "row", a=np.zeros(2), b=np.ones(1))
    assert b.tolist() == [1.0, 1.0]
    err = _error(align_to, 2, "row", a=np.zeros(2), b=np.zeros(3))
    assert (err.field, err.value) == ("b", "length 3")
    assert err.expected == "length 1 or one per row (2)"


# --- enum codes -------------------------------------------------------------------------
def test_enum_codes() -> None:
    members, codes = enum_codes("blue", _Colour, name="c")
    assert members == (_Colour.BLUE,)
    assert codes.tolist() == [0]
    assert codes.dtype == np.int64
    members, codes = enum_codes(["red", "blue", "red"], _Colour, name="c")
    assert members == (_Colour.RED, _Colour.BLUE)
    assert codes.tolist() == [0, 1, 0]
    assert codes.dtype == np.int64
    members, codes = enum_codes(np.array("blue", dtype=object), _Colour, name="c")
    assert codes.tolist() == [1]
    members, codes = enum_codes([_Colour.BLUE], _Colour, name="c")
    assert codes.tolist() == [1]
    err = _error(enum_codes, "green", _Colour, name="c")
    assert (err.field, err.value) == ("c", "green")
    assert err.expected == "one of 'red', 'blue'"
    assert err.__suppress_context__
    err = _error(enum_codes, ["red", "red", "green", "pink"], _Colour, name="c")
    assert (err.field, err.value) == ("c[2]", "green")
    assert type(err.value) is str  # the item as given, not a numpy string
    err = _error(enum_codes, ["red", 1], _Colour, name="c")
    assert (err.field, err.value) == ("c[1]", 1)
    assert type(err.value) is int
    assert err.expected == "one of 'red', 'blue'"
    err = _error(enum_codes, [["red"]], _Colour, name="c")
    assert (err.field, err.value) == ("c", "array of shape (1, 1)")
    assert err.expected == "one-dimensional"
    members, codes = enum_codes([], _Colour, name="c")
    assert codes.tolist() == []


# --- FrozenMap --------------------------------------------------------------------------
def test_frozen_map() -> None:
    source = {"b": 2.0, "a": 1.0}
    m = FrozenMap(source)
    source["c"] = 3.0
    assert len(m) == 2
    assert list(m) == ["b", "a"]
    assert m["a"] == 1.0
    assert hash(m) == hash(frozenset({("a", 1.0), ("b", 2.0)}))
    assert hash(m) == hash(FrozenMap({"a": 1.0, "b": 2.0}))
    assert m == {"a": 1.0, "b": 2.0}
    assert m != {"a": 1.0}
    assert m != [("a", 1.0), ("b", 2.0)]
    assert repr(m) == "FrozenMap({'b': 2.0, 'a': 1.0})"
    back = pickle.loads(pickle.dumps(m))
    assert type(back) is FrozenMap
    assert back == m
    assert m.__reduce__() == (FrozenMap, ({"b": 2.0, "a": 1.0},))


def test_a_bool_list_with_text_names_the_text_not_the_first_boolean():
    # numpy reads [True, "x", False] as the text ["True", "x", "False"]; the refusal
    # named 'True' at index 0 (found by mutation testing of the stage assessment).
    with pytest.raises(InvalidValueError) as e:
        as_bool_array([True, "x", False], name="on_watchlist")  # type: ignore[arg-type]
    assert e.value.field == "on_watchlist[1]"
    assert e.value.value == "x"
    assert "not text" in str(e.value)
