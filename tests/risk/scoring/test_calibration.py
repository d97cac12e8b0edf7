"""Back-testing conventions: in/out of sample, degrees of freedom, sidedness.

Every expected value is computed by hand in the test from the cited source.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lendcrm.errors import InvalidValueError
from lendcrm.risk.scoring import (
    MasterScale,
    ValidationSample,
    binomial_test,
    calibration_by_grade,
    hosmer_lemeshow,
    jeffreys_test,
)

# Three groups of ten with PD .1, .2, .5 and 2, 2, 7 defaults:
# H = (2-1)^2/(10 .1 .9) + 0 + (7-5)^2/(10 .5 .5) = 1/0.9 + 1.6 = 2.711111.
Y = [1] * 2 + [0] * 8 + [1] * 2 + [0] * 8 + [1] * 7 + [0] * 3
PD = [0.1] * 10 + [0.2] * 10 + [0.5] * 10
H = 1 / 0.9 + 1.6


def test_hosmer_lemeshow_in_sample_has_g_minus_2_degrees_of_freedom():
    # Hosmer & Lemeshow (2000) §5.2.2: fitted on these rows -> chi2(G - 2) = chi2(1),
    # whose survival function is erfc(sqrt(H/2)).
    r = hosmer_lemeshow(Y, PD, groups=3, sample="in")
    assert r.sample is ValidationSample.IN
    assert r.dof == 1
    assert r.statistic == pytest.approx(H, rel=1e-12)
    assert r.p_value == pytest.approx(math.erfc(math.sqrt(H / 2)), rel=1e-10)
    assert r.p_value == pytest.approx(0.0997, abs=1e-4)
    # the default is in sample, as before
    assert hosmer_lemeshow(Y, PD, groups=3) == r


def test_hosmer_lemeshow_out_of_sample_has_g_degrees_of_freedom():
    # A back-test on PDs fixed beforehand estimates nothing on these rows:
    # chi2(G) = chi2(3), survival erfc(sqrt(H/2)) + sqrt(2H/pi) exp(-H/2).
    r = hosmer_lemeshow(Y, PD, groups=3, sample=ValidationSample.OUT)
    assert r.sample is ValidationSample.OUT
    assert r.dof == 3
    assert r.statistic == pytest.approx(H, rel=1e-12)
    expected = math.erfc(math.sqrt(H / 2)) + math.sqrt(2 * H / math.pi) * math.exp(
        -H / 2
    )
    assert r.p_value == pytest.approx(expected, rel=1e-10)
    assert r.p_value == pytest.approx(0.4383, abs=1e-4)


def test_hosmer_lemeshow_out_of_sample_allows_one_group():
    # G = 1: H = (11 - 8)^2 / (30 * 0.2667 * 0.7333), chi2(1), a two-sided z-test
    r = hosmer_lemeshow(Y, PD, groups=1, sample="out")
    e = sum(PD)
    pbar = e / 30
    h = (11 - e) ** 2 / (30 * pbar * (1 - pbar))
    assert r.dof == 1
    assert r.statistic == pytest.approx(h, rel=1e-12)
    assert r.p_value == pytest.approx(math.erfc(math.sqrt(h / 2)), rel=1e-10)


def test_hosmer_lemeshow_group_bounds_depend_on_the_sample():
    with pytest.raises(
        InvalidValueError, match=r"`groups` must be an integer in \[3, 30\]; got 2"
    ):
        hosmer_lemeshow(Y, PD, groups=2, sample="in")
    with pytest.raises(
        InvalidValueError, match=r"`groups` must be an integer in \[1, 30\]; got 0"
    ):
        hosmer_lemeshow(Y, PD, groups=0, sample="out")
    with pytest.raises(
        InvalidValueError,
        match=r"`sample` must be 'in' \(PDs fitted on these rows\) or 'out' "
        r"\(PDs fixed before\); got 'holdout'",
    ):
        hosmer_lemeshow(Y, PD, groups=3, sample="holdout")


@given(st.integers(min_value=3, max_value=30))
def test_out_of_sample_is_never_stricter_than_in_sample(groups):
    # same statistic, two more degrees of freedom: the p-value can only grow
    r_in = hosmer_lemeshow(Y, PD, groups=groups, sample="in")
    r_out = hosmer_lemeshow(Y, PD, groups=groups, sample="out")
    assert r_out.statistic == r_in.statistic
    assert r_out.dof == r_in.dof + 2
    assert r_out.p_value >= r_in.p_value


def test_binomial_test_is_one_sided_against_underestimation():
    # P(X >= D), X ~ Bin(N, PD): an upper tail. N = 10, PD = 0.5:
    # D = 10 -> 0.5^10 (the PD looks too low: rejected);
    # D = 0  -> P(X >= 0) = 1 (fewer defaults than expected: never rejected,
    #           although a two-sided test would reject with 2 * 0.5^10).
    p = binomial_test([10, 10, 10], [10, 0, 5], [0.5, 0.5, 0.5])
    upper_5 = sum(math.comb(10, k) for k in range(5, 11)) / 2**10  # 638/1024
    np.testing.assert_allclose(p, [0.5**10, 1.0, upper_5], rtol=1e-12)


def test_jeffreys_test_is_one_sided_against_underestimation():
    # ECB instructions (2019) §2.5.3.1: p = CDF of Beta(D + 1/2, N - D + 1/2) at PD.
    # N = 1, D = 0: Beta(1/2, 3/2), CDF (2/pi)(asin sqrt p + sqrt(p(1-p)));
    # at PD = 0.5 that is 1/2 + 1/pi = 0.8183 (no defaults: the PD is not too low).
    # N = 1, D = 1: Beta(3/2, 1/2), CDF (2/pi)(asin sqrt p - sqrt(p(1-p)));
    # at PD = 0.5 that is 1/2 - 1/pi = 0.1817.
    p = jeffreys_test([1, 1], [0, 1], [0.5, 0.5])
    np.testing.assert_allclose(p, [0.5 + 1 / math.pi, 0.5 - 1 / math.pi], rtol=1e-12)


@given(
    n=st.integers(min_value=1, max_value=300),
    pd_=st.floats(min_value=0.001, max_value=0.999),
    data=st.data(),
)
def test_p_values_fall_as_defaults_rise(n, pd_, data):
    # one-sided: more defaults is more evidence that the PD is too low
    d1 = data.draw(st.integers(min_value=0, max_value=n))
    d2 = data.draw(st.integers(min_value=d1, max_value=n))
    b = binomial_test([n, n], [d1, d2], [pd_, pd_])
    j = jeffreys_test([n, n], [d1, d2], [pd_, pd_])
    assert b[1] <= b[0] + 1e-12
    assert j[1] <= j[0] + 1e-12


def test_calibration_by_grade_back_tests_each_grade_one_sided():
    # grade A (PD 2 %) with no defaults in 50 obligors: binomial p = P(X >= 0) = 1;
    # grade B (PD 10 %) with 30 of 30 defaulted: binomial p = 0.1^30.
    scale = MasterScale(grades=("A", "B"), upper_bounds=(0.05, 1.0), pds=(0.02, 0.1))
    rows = calibration_by_grade(scale, [0.01] * 50 + [0.2] * 30, [0] * 50 + [1] * 30)
    assert rows[0].binomial_p == 1.0
    assert rows[1].binomial_p == pytest.approx(0.1**30, rel=1e-9)
    assert rows[0].jeffreys_p > 0.5 > rows[1].jeffreys_p
