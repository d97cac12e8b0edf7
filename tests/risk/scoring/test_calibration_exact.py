# mypy: disable-error-code="arg-type"
# (the tests pass wrong types on purpose)
"""Calibration tests by closed forms, every field and refusal (issue #23).

Hosmer–Lemeshow (Hosmer & Lemeshow, *Applied Logistic Regression*, 2000, §5.2.2 and
§5.6) with chi-square tails in closed form: P(chi2_2 >= x) = exp(-x / 2) and
P(chi2_1 >= x) = erfc(sqrt(x / 2)). The binomial tail by hand, and the Jeffreys
p-value (ECB validation instructions, 2019, §2.5.3.1) for one obligor and no default:
the Beta(1/2, 3/2) CDF, (2 / pi) (asin(sqrt p) + sqrt(p (1 - p))).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from lendcrm.errors import InvalidValueError
from lendcrm.risk.scoring import (
    GradeCalibration,
    HosmerLemeshow,
    MasterScale,
    ValidationSample,
    binomial_test,
    calibration_by_grade,
    hosmer_lemeshow,
    jeffreys_test,
)


def test_hosmer_lemeshow_out_of_sample_by_hand():
    # two groups: (0.2, 0.4) with one bad, (0.6, 0.8) with one bad
    h = hosmer_lemeshow([0, 1, 0, 1], [0.2, 0.4, 0.6, 0.8], groups=2, sample="out")
    stat = 0.16 / 0.42 + 0.16 / 0.42
    assert h == HosmerLemeshow(
        statistic=pytest.approx(stat, rel=1e-14),
        dof=2,
        p_value=pytest.approx(math.exp(-stat / 2), rel=1e-12),
        sample=ValidationSample.OUT,
    )
    # rows are sorted by PD first
    again = hosmer_lemeshow([1, 0, 1, 0], [0.8, 0.6, 0.4, 0.2], groups=2, sample="out")
    assert again.statistic == pytest.approx(stat, rel=1e-14)


def test_hosmer_lemeshow_in_sample_by_hand():
    y = [0, 1, 0, 0, 1, 1]
    p = [0.1, 0.2, 0.3, 0.5, 0.6, 0.9]
    h = hosmer_lemeshow(y, p, groups=3)  # in sample by default
    stat = sum(
        (o - e) ** 2 / (2 * (e / 2) * (1 - e / 2))
        for o, e in ((1, 0.3), (0, 0.8), (2, 1.5))
    )
    assert h.statistic == pytest.approx(stat, rel=1e-14)
    assert (h.dof, h.sample) == (1, ValidationSample.IN)
    assert h.p_value == pytest.approx(math.erfc(math.sqrt(stat / 2)), rel=1e-12)
    out = hosmer_lemeshow(y, p, groups=3, sample=ValidationSample.OUT)
    assert out.dof == 3
    assert (
        HosmerLemeshow(statistic=1.0, dof=1, p_value=0.5).sample is ValidationSample.IN
    )


def test_hosmer_lemeshow_group_bounds_and_refusals():
    y, p = [0, 1, 0, 1], [0.2, 0.4, 0.6, 0.8]
    assert hosmer_lemeshow(y, p, groups=1, sample="out").dof == 1
    assert hosmer_lemeshow(y, p, groups=4, sample="out").dof == 4
    assert hosmer_lemeshow(y, p, groups=3).dof == 1
    assert hosmer_lemeshow(y, p, groups=4).dof == 2
    for groups, sample, least in (
        (2, "in", 3),
        (5, "in", 3),
        (0, "out", 1),
        (5, "out", 1),
    ):
        with pytest.raises(InvalidValueError) as err:
            hosmer_lemeshow(y, p, groups=groups, sample=sample)
        assert (err.value.field, err.value.value) == ("groups", groups)
        assert err.value.expected == f"an integer in [{least}, 4]"
    with pytest.raises(InvalidValueError) as err:
        hosmer_lemeshow(y, p, sample="holdout")
    assert (err.value.field, err.value.value) == ("sample", "holdout")
    assert (
        err.value.expected
        == "'in' (PDs fitted on these rows) or 'out' (PDs fixed before)"
    )
    assert err.value.__suppress_context__
    for bad in (0.0, 1.0):
        with pytest.raises(InvalidValueError) as err:
            hosmer_lemeshow(y, [0.2, 0.4, 0.6, bad], groups=3)
        assert err.value.field == "default_probability[3]"
        assert "(0, 1)" in err.value.expected
    with pytest.raises(InvalidValueError) as err:
        hosmer_lemeshow(y, p[:3], groups=3)
    assert "length" in err.value.expected


def test_binomial_tail_by_hand():
    got = binomial_test([10, 2, 3, 4], [0, 2, 1, 4], [0.3, 0.5, 0.1, 0.5])
    np.testing.assert_allclose(got, [1.0, 0.25, 1 - 0.9**3, 0.0625], rtol=1e-12)


def test_jeffreys_by_closed_form():
    for p in (0.01, 0.2, 0.7):
        want = 2 / math.pi * (math.asin(math.sqrt(p)) + math.sqrt(p * (1 - p)))
        assert jeffreys_test(1, 0, p)[0] == pytest.approx(want, rel=1e-12)
    # one obligor that defaulted: Beta(3/2, 1/2), the mirror image
    p = 0.2
    mirror = 2 / math.pi * (math.asin(math.sqrt(1 - p)) + math.sqrt(p * (1 - p)))
    assert jeffreys_test(1, 1, p)[0] == pytest.approx(1 - mirror, rel=1e-12)


@pytest.mark.parametrize("test", [binomial_test, jeffreys_test])
def test_back_test_refusals(test):
    assert test([5.0], [5.0], [0.5]).shape == (1,)  # defaults == n is allowed
    assert test([5.0], [0.0], [0.5]).shape == (1,)
    with pytest.raises(InvalidValueError) as err:
        test([5, 3], [2, 3.5], [0.1, 0.1])
    assert (err.value.field, err.value.value) == ("defaults[1]", 3.5)
    assert err.value.expected == "at most n[1] = 3"
    for args, field in (
        (([0], [0], [0.1]), "n[0]"),
        (([1], [-1e-300], [0.1]), "defaults[0]"),
        (([1], [0], [0.0]), "default_probability[0]"),
        (([1], [0], [1.0]), "default_probability[0]"),
    ):
        with pytest.raises(InvalidValueError) as err:
            test(*args)
        assert err.value.field == field
    with pytest.raises(InvalidValueError) as err:
        test([1, 2], [0], [0.1, 0.1])
    assert "length" in err.value.expected


SCALE = MasterScale(
    grades=["A", "B", "C"], upper_bounds=[0.05, 0.2, 1.0], pds=[0.02, 0.1, 0.5]
)


def test_calibration_by_grade_every_field():
    pd_ = [0.01, 0.03, 0.3, 0.6, 0.9]  # A A C C C: B holds nobody
    y = [0, 1, 1, 0, 1]
    rows = calibration_by_grade(SCALE, pd_, y)
    assert [r.grade for r in rows] == ["A", "C"]
    a, c = rows
    assert a == GradeCalibration(
        grade="A",
        n=2,
        defaults=1,
        default_probability=0.02,
        default_rate=0.5,
        binomial_p=pytest.approx(1 - 0.98**2, rel=1e-12),
        jeffreys_p=pytest.approx(float(jeffreys_test(2, 1, 0.02)[0]), rel=1e-15),
    )
    assert (c.n, c.defaults, c.default_probability) == (3, 2, 0.5)
    assert c.default_rate == pytest.approx(2 / 3, rel=1e-15)
    assert c.binomial_p == pytest.approx(0.5, rel=1e-12)  # P(X >= 2), X ~ Bin(3, 1/2)
    assert isinstance(a.n, int)
    assert isinstance(a.defaults, int)


def test_calibration_by_grade_refusals():
    with pytest.raises(InvalidValueError) as err:
        calibration_by_grade(SCALE, [0.1, 0.2], [0, 2])
    assert (err.value.field, err.value.value) == ("target[1]", 2.0)
    assert err.value.expected == "0 (good) or 1 (bad)"
    with pytest.raises(InvalidValueError) as err:
        calibration_by_grade(SCALE, [0.1, 0.2], [0, 0.5])
    assert err.value.field == "target[1]"
    with pytest.raises(InvalidValueError) as err:
        calibration_by_grade("scale", [0.1], [0])
    assert (err.value.field, err.value.expected) == ("scale", "a MasterScale")
    with pytest.raises(InvalidValueError) as err:
        calibration_by_grade(SCALE, [0.1, 0.2, 0.3], [0, 1])
    assert "length" in err.value.expected
    # one class only is fine for a back-test (no defaults in the period)
    (row,) = calibration_by_grade(SCALE, [0.1, 0.15], [0, 0])
    assert (row.grade, row.defaults, row.binomial_p) == ("B", 0, 1.0)


# Survivors of the mutmut run (issue #23): each test below kills the ones it names.


def test_hosmer_lemeshow_default_is_ten_groups():
    y = [0, 1] * 10
    pd_ = np.linspace(0.05, 0.9, 20)
    default = hosmer_lemeshow(y, pd_)
    assert default == hosmer_lemeshow(y, pd_, groups=10)
    assert default.dof == 8  # in sample: G - 2


def test_calibration_by_grade_names_a_text_target():
    with pytest.raises(InvalidValueError) as err:
        calibration_by_grade(SCALE, [0.1], ["x"])
    assert (err.value.field, err.value.value) == ("target[0]", "x")
    assert err.value.expected == (
        "a number, not text (convert text to numbers before the call)"
    )


@pytest.mark.parametrize("test", [binomial_test, jeffreys_test])
def test_back_tests_refuse_counts_of_other_lengths(test):
    for args, field, value, expected in (
        (([10], [1, 1], [0.1, 0.1]), "defaults", "length 2", "the same length as `n` (1)"),
        (([10, 10], [1, 1], [0.1]), "default_probability", "length 1", "the same length as `n` (2)"),
    ):  # fmt: skip
        with pytest.raises(InvalidValueError) as err:
            test(*args)
        assert (err.value.field, err.value.value, err.value.expected) == (
            field,
            value,
            expected,
        )


def test_hosmer_lemeshow_tied_pds_keep_their_row_order():
    # 20 rows, PD 0.3 at rows 0, 7, 14 and 0.5 elsewhere, the first ten rows bad; nine
    # groups cut the sorted rows at 2, 4, 6, 8, 11, 13, 15, 17. Ties stay in row order,
    # so the group of sorted positions 8-10 holds rows 6, 8, 9 (three bads): numpy's
    # default (unstable) sort puts row 10 (a good) there on this data.
    pd_ = np.full(20, 0.5)
    pd_[::7] = 0.3
    y = np.r_[np.ones(10, int), np.zeros(10, int)]
    order = np.r_[[0, 7, 14], [r for r in range(20) if r % 7]]
    bounds = np.array([0, 2, 4, 6, 8, 11, 13, 15, 17, 20])
    n = np.diff(bounds)
    obs = np.add.reduceat(y[order], bounds[:-1])
    exp = np.add.reduceat(pd_[order], bounds[:-1])
    pbar = exp / n
    h = float(np.sum((obs - exp) ** 2 / (n * pbar * (1 - pbar))))
    result = hosmer_lemeshow(y, pd_, groups=9, sample="out")
    assert obs[4] == 3
    assert result.statistic == pytest.approx(h, rel=1e-15)
    assert result.dof == 9
