# mypy: disable-error-code="arg-type"
# (the tests pass wrong types on purpose)
"""Correlation and VIF filter: thresholds exact, who is dropped, every reason (#23).

For two features with correlation r, VIF = 1 / (1 - r^2) for both (James et al., *An
Introduction to Statistical Learning*, 2013, §3.3.3); a feature is dropped only strictly
above `max_correlation` or `max_vif`.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from lendcrm.errors import InvalidValueError
from lendcrm.risk.scoring import CollinearityReport, DropRule, collinearity_filter
from lendcrm.risk.scoring._collinearity import vifs

A = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
B = np.array([1.0, 3.0, 2.0, 5.0, 4.0, 6.0])
X = np.column_stack([A, B])
R = float(np.corrcoef(A, B)[0, 1])
VIF = 1.0 / (1.0 - R * R)


def test_the_pair_by_hand():
    assert pytest.approx(31 / 35, rel=1e-12) == R  # sum dx dy = 15.5 over 17.5
    np.testing.assert_allclose(
        vifs(np.corrcoef(X, rowvar=False)), [VIF, VIF], rtol=1e-12
    )
    assert vifs(np.ones((1, 1))).tolist() == [1.0]
    assert vifs(np.ones((2, 2))).tolist() == [math.inf, math.inf]


def test_correlation_threshold_is_strict_and_the_later_or_lower_iv_goes():
    kept = collinearity_filter(X, names=["a", "b"], max_correlation=R, max_vif=1e9)
    assert kept == CollinearityReport(kept=("a", "b"), dropped=(), vif=kept.vif)
    np.testing.assert_allclose(kept.vif, [VIF, VIF], rtol=1e-12)
    below = math.nextafter(R, 0.0)
    r = collinearity_filter(X, names=["a", "b"], max_correlation=below, max_vif=1e9)
    assert r.kept == ("a",)
    assert r.vif == (1.0,)
    (d,) = r.dropped
    assert (d.name, d.rule, d.partner) == ("b", DropRule.CORRELATION, "a")
    assert d.value == pytest.approx(R, rel=1e-15)
    assert d.reason == f"|r| = {R:.3f} > {below:g} with `a`, which comes first"
    r = collinearity_filter(
        X, names=["a", "b"], ivs={"a": 0.1, "b": 0.25}, max_correlation=0.5, max_vif=1e9
    )
    (d,) = r.dropped
    assert (d.name, d.partner) == ("a", "b")
    assert d.reason == (
        f"|r| = {R:.3f} > 0.5 with `b`, which has the higher IV (0.2500 vs 0.1000)"
    )
    # equal IVs: the earlier column stays
    r = collinearity_filter(
        X, names=["a", "b"], ivs={"a": 0.2, "b": 0.2}, max_correlation=0.5, max_vif=1e9
    )
    assert r.kept == ("a",)


def test_vif_threshold_is_strict_and_ties_go_to_iv_then_order():
    r = collinearity_filter(X, names=["a", "b"], max_correlation=1.0, max_vif=VIF)
    assert r.kept == ("a", "b")
    below = math.nextafter(VIF, 0.0)
    r = collinearity_filter(X, names=["a", "b"], max_correlation=1.0, max_vif=below)
    assert r.kept == ("a",)
    (d,) = r.dropped
    assert (d.name, d.rule, d.partner) == ("b", DropRule.VIF, None)
    assert d.value == pytest.approx(VIF, rel=1e-12)
    assert d.reason == f"VIF {VIF:.2f} > {below:g} on the other kept features"
    r = collinearity_filter(
        X, names=["a", "b"], ivs={"a": 0.1, "b": 0.3}, max_correlation=1.0, max_vif=1.0
    )
    assert r.kept == ("b",)
    assert r.vif == (1.0,)


def test_three_features_most_correlated_pair_first():
    rng = np.random.default_rng(5)
    u = rng.normal(size=200)
    v = rng.normal(size=200)
    x = np.column_stack([u, u + 0.05 * v, v, u + 0.3 * v])
    r = collinearity_filter(
        x, names=["u", "u2", "v", "uv"], max_correlation=0.9, max_vif=100.0
    )
    assert r.dropped[0].name == "u2"  # |r(u, u2)| is the largest
    assert all(d.rule is DropRule.CORRELATION for d in r.dropped)
    assert "u" in r.kept
    assert "v" in r.kept


def test_constant_columns_first():
    x = np.column_stack([A, np.full(6, 0.3), B])
    r = collinearity_filter(x, names=["a", "k", "b"], max_correlation=1.0, max_vif=1e9)
    assert r.kept == ("a", "b")
    (d,) = r.dropped
    assert (d.name, d.rule, d.partner) == ("k", DropRule.CONSTANT, None)
    assert math.isnan(d.value)
    assert d.reason == "one WoE value in the sample (a single bin in use)"
    only = collinearity_filter(np.ones((3, 2)), names=["p", "q"])
    assert only.kept == ()
    assert only.vif == ()
    one = collinearity_filter(np.column_stack([A, np.ones(6)]), names=["a", "one"])
    assert (one.kept, one.vif) == (("a",), (1.0,))


def test_refusals():
    for names in (["a"], ["a", "a"], ["a", "b", "c"]):
        with pytest.raises(InvalidValueError) as err:
            collinearity_filter(X, names=names)
        assert (err.value.field, err.value.value) == ("names", names)
        assert err.value.expected == "2 unique names (one per column)"
    with pytest.raises(InvalidValueError) as err:
        collinearity_filter(X[:1], names=["a", "b"])
    assert (err.value.field, err.value.value) == ("features", "1 rows")
    assert err.value.expected == "at least 2 rows"
    assert collinearity_filter(X[:2], names=["a", "b"]).kept == ("a",)
    for bad in (0.0, 1.0000001):
        with pytest.raises(InvalidValueError) as err:
            collinearity_filter(X, names=["a", "b"], max_correlation=bad)
        assert (err.value.field, err.value.value, err.value.expected) == (
            "max_correlation",
            bad,
            "in (0, 1]",
        )
    for bad in (math.nextafter(1.0, 0.0), math.nan):
        with pytest.raises(InvalidValueError) as err:
            collinearity_filter(X, names=["a", "b"], max_vif=bad)
        assert err.value.field == "max_vif"
        assert err.value.expected == "at least 1"
    with pytest.raises(InvalidValueError) as err:
        collinearity_filter(X, names=["a", "b"], ivs={"a": 0.1})
    assert (err.value.field, err.value.value) == ("ivs", "no IV for ['b']")
    assert err.value.expected == "an information value for every feature"
    with pytest.raises(InvalidValueError) as err:
        collinearity_filter(X, names="ab")
    assert err.value.field == "names"


# Survivors of the mutmut run (issue #23): each test below kills the ones it names.


def test_refusals_carry_the_value_and_the_whole_words():
    with pytest.raises(InvalidValueError) as err:
        collinearity_filter(X, names=["a", "b"], max_vif=0.5)
    assert (err.value.field, err.value.value) == ("max_vif", 0.5)
    with pytest.raises(InvalidValueError) as err:
        collinearity_filter(X, names="ab")
    assert (err.value.field, err.value.value) == ("names", "ab")
    assert err.value.expected == "feature names (a sequence of strings)"


def test_tied_pairs_are_taken_in_column_order():
    # Two blocks of rows with the same numbers: corr(a, d) and corr(b, c) are both
    # sqrt(10 / 11) = 0.953, bit for bit, and the blocks are uncorrelated. The pair
    # (a, d) comes first in column order, so `d` is dropped before `c`.
    u = np.array([1.0, -1.0, 2.0, -2.0])
    e = np.array([0.5, 0.5, -0.5, -0.5])
    z = np.zeros(4)
    x = np.column_stack(
        [
            np.concatenate([u, z]),
            np.concatenate([z, u]),
            np.concatenate([z, u + e]),
            np.concatenate([u + e, z]),
        ]
    )
    report = collinearity_filter(x, names=["a", "b", "c", "d"])
    assert report.kept == ("a", "b")
    assert [(d.name, d.partner) for d in report.dropped] == [("d", "a"), ("c", "b")]
    assert report.dropped[0].value == report.dropped[1].value  # the tie is exact
    assert report.dropped[0].value == pytest.approx(math.sqrt(10 / 11), rel=1e-15)
