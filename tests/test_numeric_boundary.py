"""The numeric boundary refuses text, booleans and complex numbers by name (#17).

NumPy's own conversion turns ``'0.01'`` into 0.01, ``True`` into 1.0 and fails or warns
on complex numbers; the boundary refuses each with an `InvalidValueError` naming the
argument and the first offending index, and valid numeric input is unchanged.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from lendcrm._arrays import as_bool_array, as_float_array, numeric_array
from lendcrm.errors import InvalidValueError
from lendcrm.risk.portfolio import exposure_hhi, large_exposures, top_k_share
from lendcrm.risk.scoring import as_binary_target
from lendcrm.segmentation import (
    equivalent_number,
    gini,
    hhi,
    lorenz_curve,
    pareto_point,
    top_share,
    whale_curve,
)

TEXT = "must be a number, not text (convert text to numbers before the call)"
BOOL = "must be a number, not a boolean (pass 0.0/1.0 if a number is meant)"


def test_text_is_refused_naming_the_first_text_item():
    with pytest.raises(InvalidValueError) as info:
        as_float_array([1.0, 2.0, "0.01"], name="limit")  # type: ignore[arg-type]
    assert str(info.value) == f"`limit[2]` {TEXT}; got '0.01'."
    assert info.value.field == "limit[2]"


@pytest.mark.parametrize(
    "values",
    [["0.01"], np.array(["0.01"]), np.array(["0.01"], dtype=object), "0.01"],
    ids=["list", "str-array", "object-array", "scalar"],
)
def test_text_in_every_container_is_refused(values):
    with pytest.raises(InvalidValueError, match="not text"):
        as_float_array(values, name="limit")


def test_booleans_are_refused_where_a_number_is_expected():
    with pytest.raises(InvalidValueError) as info:
        as_float_array([True, False], name="limit")
    assert str(info.value) == f"`limit[0]` {BOOL}; got True."
    with pytest.raises(InvalidValueError, match=r"`limit\[1\]`.*not a boolean"):
        as_float_array(np.array([1.0, True], dtype=object), name="limit")


def test_complex_numbers_are_refused():
    with pytest.raises(InvalidValueError) as info:
        as_float_array(np.array([1.0 + 0j]), name="limit")
    assert str(info.value) == (
        "`limit[0]` must be a real number, not a complex one; got (1+0j)."
    )
    with pytest.raises(InvalidValueError, match=r"`limit\[1\]`.*complex"):
        as_float_array([1.0, 2j], name="limit")


def test_other_non_numbers_keep_the_general_message():
    with pytest.raises(InvalidValueError) as info:
        as_float_array([[1.0, 2.0], [3.0]], name="limit")
    assert str(info.value).startswith(
        "`limit` must be numbers (an array-like of floats); got"
    )
    with pytest.raises(InvalidValueError, match="must be numbers"):
        as_float_array(np.array(["2026-01-01"], dtype="datetime64[D]"), name="limit")


def test_valid_numbers_are_unchanged():
    assert as_float_array([1, 2.5], name="x").tolist() == [1.0, 2.5]
    assert as_float_array(pd.Series([1.0, 2.0]), name="x").tolist() == [1.0, 2.0]
    decimals = np.array([Decimal("1.5"), 2], dtype=object)
    assert as_float_array(decimals, name="x").tolist() == [1.5, 2.0]
    assert as_float_array([1.0, None], name="x", allow_nan=True)[1] != 1.0  # type: ignore[arg-type]
    ints = np.arange(3)
    assert numeric_array(ints, name="x") is ints  # no copy


def test_booleans_stay_allowed_where_a_boolean_is_the_meaning():
    assert as_bool_array([True, 0, 1], name="watchlist").tolist() == [True, False, True]
    assert as_binary_target([True, False]).tolist() == [1.0, 0.0]
    assert as_float_array([True], name="x", allow_bool=True).tolist() == [1.0]


def test_bool_array_refuses_text():
    with pytest.raises(InvalidValueError, match=r"`watchlist\[0\]`.*not text"):
        as_bool_array(["1", "0"], name="watchlist")


@pytest.mark.parametrize(
    "call",
    [
        lorenz_curve,
        gini,
        hhi,
        equivalent_number,
        lambda v: top_share(v, 0.2),
        pareto_point,
        whale_curve,
        exposure_hhi,
        lambda v: top_k_share(v, 1),
        lambda v: large_exposures(v, capital=100.0),
    ],
    ids=[
        "lorenz_curve",
        "gini",
        "hhi",
        "equivalent_number",
        "top_share",
        "pareto_point",
        "whale_curve",
        "exposure_hhi",
        "top_k_share",
        "large_exposures",
    ],
)
@pytest.mark.parametrize(
    "values",
    [["1", "2"], np.array(["1", "2"]), [True, False], [1.0, 2j]],
    ids=["str-list", "str-array", "bools", "complex"],
)
def test_concentration_functions_refuse_non_numbers(call, values):
    with pytest.raises(InvalidValueError, match=r"`(values|profit|exposures)\[\d\]`"):
        call(values)


@pytest.mark.parametrize(
    ("values", "shown"),
    [([1.0, True], "True"), ((0.5, False), "False"), ([2, np.True_], "True")],
)
def test_a_boolean_among_numbers_in_a_list_is_refused_by_its_index(values, shown):
    # numpy reads [1.0, True] as floats, so the boolean used to pass as 1.0 (found by
    # mutation testing, #23): the list is checked for booleans before it is trusted.
    with pytest.raises(InvalidValueError) as info:
        as_float_array(values, name="pd")
    assert info.value.field == "pd[1]"
    assert str(info.value) == (
        f"`pd[1]` must be a number, not a boolean (pass 0.0/1.0 if a number is meant); "
        f"got {shown}."
    )


def test_a_boolean_in_a_list_is_kept_where_a_boolean_is_the_meaning():
    assert as_float_array([1.0, True], name="target", allow_bool=True).tolist() == [
        1.0,
        1.0,
    ]
