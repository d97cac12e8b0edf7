# mypy: disable-error-code="arg-type,union-attr"
# (the tests pass wrong types on purpose)
"""The input checks of binning, each refusal with its field, message and hint (#23)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lendcrm.errors import InvalidValueError
from lendcrm.risk.scoring._binning_check import (
    as_binary_target,
    as_weights,
    check_class_weights,
    check_feature,
    check_not_constant,
    is_missing,
    level_codes,
)


def test_is_missing_is_none_or_nan_only():
    arr = np.array(
        [None, math.nan, 0.0, "", "nan", float("inf"), np.float64("nan")], dtype=object
    )
    assert is_missing(arr).tolist() == [True, True, False, False, False, False, True]
    assert is_missing(arr).dtype == bool


def test_level_codes_positions_unseen_and_missing():
    codes, missing = level_codes(
        ["b", None, "a", "z", math.nan, "c"], ["a", "b", "c"], name="x"
    )
    assert codes.tolist() == [1, -1, 0, -1, -1, 2]
    assert missing.tolist() == [False, True, False, False, True, False]
    assert codes.dtype == np.int64
    # "" is a level of its own, not the missing value it stands in for
    codes, missing = level_codes([None, ""], ["", "a"], name="x")
    assert codes.tolist() == [-1, 0]
    assert missing.tolist() == [True, False]
    codes, _ = level_codes("a", ["a"], name="x")  # a scalar is one row
    assert codes.tolist() == [0]
    codes, missing = level_codes(["a", None], [], name="x")
    assert codes.tolist() == [-1, -1]
    assert missing.tolist() == [False, True]
    codes, _ = level_codes(["zz", "0"], ["a", "b"], name="x")  # past either end
    assert codes.tolist() == [-1, -1]
    with pytest.raises(InvalidValueError) as err:
        level_codes([["a"], ["b"]], ["a"], name="region")
    assert (err.value.field, err.value.value) == ("region", "array of shape (2, 1)")
    assert err.value.expected == "one-dimensional"


def test_binary_target_values_and_refusals():
    assert as_binary_target([0, 1, True, False]).tolist() == [0.0, 1.0, 1.0, 0.0]
    assert as_binary_target(np.array([1.0, 0.0])).dtype == np.float64
    for bad, i in (([0, 1, 2], 2), ([0.5, 1, 0], 0), ([0, -1, 1], 1)):
        with pytest.raises(InvalidValueError) as err:
            as_binary_target(bad, name="y")
        assert (err.value.field, err.value.value) == (f"y[{i}]", float(bad[i]))
        assert err.value.expected == "0 (good) or 1 (bad)"
    for one, shown in (([0, 0, 0], "only 0"), ([1, 1], "only 1")):
        with pytest.raises(InvalidValueError) as err:
            as_binary_target(one, name="y", feature="age")
        assert (err.value.field, err.value.value) == ("y", shown)
        assert err.value.expected == "both classes, 0 (good) and 1 (bad)"
        assert err.value.hint == "Raised while binning `age`."
    with pytest.raises(InvalidValueError) as err:
        as_binary_target([1])
    assert err.value.hint == ""
    with pytest.raises(InvalidValueError) as err:
        as_binary_target([])
    assert err.value.field == "target"
    assert "non-empty" in err.value.expected
    with pytest.raises(InvalidValueError) as err:
        as_binary_target([0, math.nan, 1])
    assert err.value.field == "target[1]"


def test_weights():
    y = np.array([0.0, 1.0])
    assert as_weights(None, y) is None
    assert as_weights([0.0, 2.0], y).tolist() == [0.0, 2.0]
    assert as_weights([], np.array([])).tolist() == []
    with pytest.raises(InvalidValueError) as err:
        as_weights([1.0, -1e-300], y, feature="age")
    assert (err.value.field, err.value.value) == ("weights[1]", -1e-300)
    assert ">= 0" in err.value.expected
    assert err.value.hint == "Raised while binning `age`."
    assert err.value.__suppress_context__
    with pytest.raises(InvalidValueError) as err:
        as_weights([1.0, math.inf], y)
    assert (err.value.field, err.value.hint) == ("weights[1]", "")
    with pytest.raises(InvalidValueError) as err:
        as_weights([0.0, 0.0], y, feature="age")
    assert (err.value.field, err.value.value) == ("weights", "all zero")
    assert err.value.expected == "a positive total weight"
    assert err.value.hint == "Raised while binning `age`."
    with pytest.raises(InvalidValueError) as err:
        as_weights([1.0, 1.0, 1.0], y)
    assert err.value.field in {"weights", "target"}
    assert "length" in err.value.expected


def test_class_weights_feature_and_constant_checks():
    check_class_weights(1e-300, 1e-300, "age")
    for goods, bads in ((0.0, 1.0), (1.0, 0.0), (-1.0, 1.0)):
        with pytest.raises(InvalidValueError) as err:
            check_class_weights(goods, bads, "age")
        assert (err.value.field, err.value.value) == (
            "weights",
            "zero weight on a class",
        )
        assert err.value.expected == "positive weight on both classes"
        assert err.value.hint == "Raised while binning `age`."
    check_feature(np.array([False, True]), "age")
    with pytest.raises(InvalidValueError) as err:
        check_feature(np.array([False, False]), "age")
    assert (err.value.field, err.value.value) == ("age", "all missing or special")
    assert err.value.expected == "at least two distinct ordinary values"
    check_not_constant(np.array([1.0, 2.0]), np.array([2.0, 1.0]), "age")
    with pytest.raises(InvalidValueError) as err:
        check_not_constant(np.array([3.5, 3.5]), np.array([3.5, 3.5]), "age")
    assert (err.value.field, err.value.value) == ("age", "constant 3.5")
    assert err.value.expected == "at least two distinct ordinary values"


def test_a_single_ordinary_value_is_constant():
    with pytest.raises(InvalidValueError) as err:
        check_not_constant(np.array([3.5]), np.array([3.5]), "age")
    assert (err.value.field, err.value.value) == ("age", "constant 3.5")


def test_level_codes_read_each_value_as_its_own_text():
    # Fitting names a level by str() of each raw value (object array: 1 -> "1"), so
    # the same values must find the same levels: numpy's inferred dtype would turn the
    # list [1, 2.5] into floats and 1 into "1.0", and a date into text it cannot mix.
    codes, missing = level_codes([1, 2.5, None], ["1", "2.5"], name="x")
    assert codes.tolist() == [0, 1, -1]
    assert missing.tolist() == [False, False, True]
    day = np.datetime64("2020-01-01")
    codes, _ = level_codes([day], [str(day)], name="x")
    assert codes.tolist() == [0]
