# mypy: disable-error-code="arg-type"
# (the tests pass wrong types on purpose)
"""The design matrix checks and its degenerate columns, exactly (issue #23)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from lendcrm.errors import InvalidValueError
from lendcrm.risk.scoring import DroppedFeature, DropRule
from lendcrm.risk.scoring._design import (
    COLLINEAR_TOL,
    as_matrix,
    check_names,
    degenerate_columns,
)


def test_as_matrix_shapes_and_refusals():
    assert as_matrix([1.0, 2.0]).shape == (2, 1)
    assert as_matrix([[1, 2], [3, 4]], p=2).dtype == np.float64
    for bad in (["a", "b"], [[1.0, [2.0]]]):
        with pytest.raises(InvalidValueError) as err:
            as_matrix(bad)
        assert (err.value.field, err.value.expected) == ("features", "a numeric matrix")
        assert err.value.__suppress_context__
    with pytest.raises(InvalidValueError) as err:
        as_matrix(np.zeros((2, 2, 2)))
    assert (err.value.field, err.value.value) == ("features", "shape (2, 2, 2)")
    assert err.value.expected == "a 2-d matrix (n, p)"
    with pytest.raises(InvalidValueError) as err:
        as_matrix(np.zeros((3, 2)), p=3)
    assert (err.value.field, err.value.value, err.value.expected) == (
        "features",
        "2 columns",
        "3 columns",
    )
    for value in (math.nan, math.inf, -math.inf):
        x = np.zeros((3, 2))
        x[2, 1] = value
        with pytest.raises(InvalidValueError) as err:
            as_matrix(x)
        assert err.value.field == "features[2, 1]"
        assert err.value.expected == "a finite number"


def test_constant_then_collinear_columns_with_their_parts():
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=50), rng.normal(size=50)
    x = np.column_stack(
        [a, np.full(50, 2.5), b, 2 * a - 3 * b + 1, a + 0.1 * rng.normal(size=50)]
    )
    out = degenerate_columns(x, ["a", "k", "b", "ab", "near"])
    assert [(d.name, d.rule) for d in out] == [
        ("k", DropRule.CONSTANT),
        ("ab", DropRule.COLLINEAR),
    ]
    assert out[0].reason == "one value in the sample (2.5)"
    assert out[1].reason == "an exact linear combination of `a`, `b`"
    assert all(math.isnan(d.value) and d.partner is None for d in out)
    # a combination of one column only names that one
    y = np.column_stack([a, b, 4 * b])
    (d,) = degenerate_columns(y, ["a", "b", "b4"])
    assert d.reason == "an exact linear combination of `b`"


def test_fewer_than_two_varying_columns_have_no_collinearity():
    x = np.column_stack([np.arange(5.0), np.ones(5), np.zeros(5)])
    out = degenerate_columns(x, ["t", "one", "zero"])
    assert [d.name for d in out] == ["one", "zero"]
    assert degenerate_columns(np.arange(5.0).reshape(-1, 1), ["t"]) == ()
    # two varying columns, not collinear
    assert (
        degenerate_columns(
            np.column_stack([np.arange(5.0), [1.0, 0, 3, 1, 2]]), ["t", "u"]
        )
        == ()
    )


def test_the_collinearity_tolerance():
    assert COLLINEAR_TOL == 1e-10
    t = np.arange(10.0)
    wiggle = np.zeros(10)
    wiggle[3] = 1.0
    # residual share of about 1e-8 is kept, 1e-14 is dropped
    kept = degenerate_columns(np.column_stack([t, t + 1e-3 * wiggle]), ["t", "u"])
    assert kept == ()
    gone = degenerate_columns(np.column_stack([t, t + 1e-6 * wiggle]), ["t", "u"])
    assert [d.name for d in gone] == ["u"]


def test_check_names():
    assert check_names(np.zeros((2, 3)), None, 3) == ("x0", "x1", "x2")
    assert check_names(np.zeros((2, 2)), ["a", "b"], 2) == ("a", "b")
    frame = pd.DataFrame({"u": [1.0], 7: [2.0]})
    assert check_names(frame, None, 2) == ("u", "7")
    assert check_names(frame, ["u", "7"], 2) == ("u", "7")
    with pytest.raises(InvalidValueError) as err:
        check_names(np.zeros((2, 2)), ["a"], 2)
    assert (err.value.field, err.value.value) == ("names", ["a"])
    assert err.value.expected == "2 names (one per column)"
    with pytest.raises(InvalidValueError) as err:
        check_names(frame, ["v", "7"], 2)
    assert (err.value.field, err.value.value) == ("names", ["v", "7"])
    assert err.value.expected == "the DataFrame's columns ['u', '7']"
    assert err.value.hint == "Omit `names=`: they are taken from the DataFrame."


def test_dropped_feature_fields_and_nan_equality():
    a = DroppedFeature(
        name="x", rule=DropRule.VIF, value=math.inf, partner=None, reason="r"
    )
    assert a.value == math.inf
    n1 = DroppedFeature(
        name="x", rule=DropRule.CONSTANT, value=math.nan, partner=None, reason="r"
    )
    n2 = DroppedFeature(
        name="x", rule=DropRule.CONSTANT, value=math.nan, partner=None, reason="r"
    )
    assert n1 == n2
    assert (
        DroppedFeature(
            name="x", rule=DropRule.VIF, value=3, partner="y", reason="r"
        ).value
        == 3
    )
    assert n1 != DroppedFeature(
        name="x", rule=DropRule.CONSTANT, value=1.0, partner=None, reason="r"
    )
    for bad in (True, "1.0", None):
        with pytest.raises(InvalidValueError) as err:
            DroppedFeature(
                name="x", rule=DropRule.VIF, value=bad, partner=None, reason="r"
            )
        assert (err.value.field, err.value.value) == ("value", bad)
        assert (
            err.value.expected
            == "a number (NaN where not measured, inf for a perfect VIF)"
        )
    for kw, field in (
        ({"name": ""}, "name"),
        ({"rule": "big"}, "rule"),
        ({"partner": ""}, "partner"),
        ({"reason": ""}, "reason"),
    ):
        args = {
            "name": "x",
            "rule": DropRule.VIF,
            "value": 1.0,
            "partner": None,
            "reason": "r",
            **kw,
        }
        with pytest.raises(InvalidValueError) as err:
            DroppedFeature(**args)
        assert err.value.field == field
    assert [r.value for r in DropRule] == [
        "constant",
        "collinear",
        "correlation",
        "vif",
    ]


# Survivors of the mutmut run (issue #23): each test below kills the ones it names.


def test_as_matrix_refusal_carries_the_value_given():
    bad = ["a", "b"]
    with pytest.raises(InvalidValueError) as err:
        as_matrix(bad)
    assert err.value.value is bad


def test_a_single_row_reports_its_value():
    out = degenerate_columns(np.array([[3.0, -1.5]]), ["a", "b"])
    assert [(d.name, d.reason) for d in out] == [
        ("a", "one value in the sample (3)"),
        ("b", "one value in the sample (-1.5)"),
    ]


def test_the_tolerance_scales_with_the_column_variance():
    # b = 2a + eps * e with e orthogonal to a and to the intercept: the residual is
    # 4 eps^2 and the variance (centred sum of squares) 2e7 + 4 eps^2, so the drop rule
    # is 4 eps^2 <= 1e-10 * 2e7 = 2e-3: eps = 0.01 is dropped, eps = 0.1 is kept.
    a = np.array([0.0, 1.0, 2.0, 3.0]) * 1e3
    e = np.array([1.0, -1.0, -1.0, 1.0])
    near = degenerate_columns(np.column_stack([a, 2 * a + 0.01 * e]), ["a", "b"])
    assert [(d.name, d.rule, d.reason) for d in near] == [
        ("b", DropRule.COLLINEAR, "an exact linear combination of `a`")
    ]
    assert degenerate_columns(np.column_stack([a, 2 * a + 0.1 * e]), ["a", "b"]) == ()


def test_parts_are_weighed_by_their_spread():
    # c = a + 1e-5 b with b a thousand times wider than a: b's share of c is
    # 1e-5 * |b| (about 0.1 of a's 1), well above the 1e-8 cut-off: both are named.
    a = np.array([0.0, 1.0, 0.0, 1.0, 2.0])
    b = np.array([0.0, 0.0, 1.0, 2.0, -1.0]) * 1e4
    out = degenerate_columns(np.column_stack([a, b, a + 1e-5 * b]), ["a", "b", "c"])
    assert [(d.name, d.reason) for d in out] == [
        ("c", "an exact linear combination of `a`, `b`")
    ]


def test_every_column_after_a_collinear_one_is_still_checked():
    a = np.array([0.0, 1.0, 0.0, 1.0, 2.0])
    b = np.array([1.0, 0.0, 2.0, 3.0, -1.0])
    out = degenerate_columns(
        np.column_stack([a, 2 * a, b, a + b]), ["a", "a2", "b", "ab"]
    )
    assert [(d.name, d.reason) for d in out] == [
        ("a2", "an exact linear combination of `a`"),
        ("ab", "an exact linear combination of `a`, `b`"),
    ]


def test_a_negligible_part_is_not_named():
    # c = 1e3 a + 1e-9 b: b's share (1e-9 * its spread, about 2e-9) is under 1e-8 of
    # a's (1e3 * 1.67), so only `a` is named.
    a = np.array([0.0, 1.0, 0.0, 1.0, 2.0])
    b = np.array([1.0, 0.0, 2.0, 3.0, -1.0])
    out = degenerate_columns(
        np.column_stack([a, b, 1e3 * a + 1e-9 * b]), ["a", "b", "c"]
    )
    assert [(d.name, d.reason) for d in out] == [
        ("c", "an exact linear combination of `a`")
    ]
