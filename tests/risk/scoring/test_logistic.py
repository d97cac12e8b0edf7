"""Logistic regression: closed-form 2x2 values, separation, selection."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lendcrm.errors import ConvergenceError, InvalidValueError
from lendcrm.risk.scoring import Criterion, fit_logistic, select_by_iv, stepwise


def _two_by_two():
    # x = 0: 80 goods, 20 bads; x = 1: 60 goods, 40 bads
    x = np.array([0.0] * 100 + [1.0] * 100)
    y = np.array([0] * 80 + [1] * 20 + [0] * 60 + [1] * 40, dtype=float)
    return x, y


def test_two_by_two_closed_form():
    # For one binary regressor the MLE is closed form (Agresti, Categorical Data
    # Analysis, 2002, §5.1): b0 = ln(20/80), b1 = ln((40/60)/(20/80)) and Woolf's
    # standard error se(b1) = sqrt(1/80 + 1/20 + 1/60 + 1/40), se(b0) = sqrt(1/20 + 1/80).
    x, y = _two_by_two()
    m = fit_logistic(x, y, names=["flag"])
    assert m.intercept == pytest.approx(math.log(0.25), rel=1e-10)
    assert m.coefficients[0] == pytest.approx(
        math.log((40 / 60) / (20 / 80)), rel=1e-10
    )
    assert m.standard_errors[0] == pytest.approx(
        math.sqrt(1 / 80 + 1 / 20 + 1 / 60 + 1 / 40), rel=1e-8
    )
    assert m.intercept_se == pytest.approx(math.sqrt(1 / 20 + 1 / 80), rel=1e-8)
    z = m.coefficients[0] / m.standard_errors[0]
    assert m.p_values[0] == pytest.approx(math.erfc(abs(z) / math.sqrt(2)), rel=1e-9)
    # lnL = 80 ln .8 + 20 ln .2 + 60 ln .6 + 40 ln .4 (saturated in the 2x2 table)
    ll = (
        80 * math.log(0.8)
        + 20 * math.log(0.2)
        + 60 * math.log(0.6)
        + 40 * math.log(0.4)
    )
    assert m.log_likelihood == pytest.approx(ll, rel=1e-10)
    assert m.aic == pytest.approx(4 - 2 * ll)
    assert m.bic == pytest.approx(2 * math.log(200) - 2 * ll)
    np.testing.assert_allclose(m.predict_proba([[0.0], [1.0]]), [0.2, 0.4], rtol=1e-9)


def test_weights_equal_replication():
    x, y = _two_by_two()
    w = np.where(y == 1, 2.0, 1.0)
    a = fit_logistic(x, y, weights=w)
    b = fit_logistic(np.concatenate([x, x[y == 1]]), np.concatenate([y, y[y == 1]]))
    assert a.coefficients[0] == pytest.approx(b.coefficients[0], rel=1e-9)
    assert a.intercept == pytest.approx(b.intercept, rel=1e-9)


def test_l2_shrinks_coefficients():
    x, y = _two_by_two()
    free = fit_logistic(x, y)
    ridge = fit_logistic(x, y, l2=50.0)
    assert 0 < ridge.coefficients[0] < free.coefficients[0]
    assert ridge.l2 == 50.0


def test_separation_raises_naming_the_variable():
    x = np.array([0.0, 0.0, 1.0, 1.0] * 10)
    y = np.array([0, 0, 1, 1] * 10)
    with pytest.raises(
        ConvergenceError, match="separation: the coefficient of `dti` diverges"
    ):
        fit_logistic(x, y, names=["dti"])


def test_collinear_columns_raise():
    x, y = _two_by_two()
    with pytest.raises(
        InvalidValueError,
        match=r"`x1` must be a feature that is not a linear combination of the "
        r"others; got 'an exact linear combination of `x0`'",
    ):
        fit_logistic(np.column_stack([x, 2 * x]), y)


def test_bad_input():
    x, y = _two_by_two()
    with pytest.raises(
        InvalidValueError, match=r"`features\[0, 0\]` must be a finite number; got nan"
    ):
        fit_logistic(np.r_[np.nan, x[1:]], y)
    with pytest.raises(
        InvalidValueError, match="`l2` must be a finite number >= 0; got -1"
    ):
        fit_logistic(x, y, l2=-1.0)
    with pytest.raises(
        InvalidValueError, match=r"`names` must be 1 names \(one per column\)"
    ):
        fit_logistic(x, y, names=["a", "b"])
    with pytest.raises(InvalidValueError, match="`target` must be length 200"):
        fit_logistic(x, y[90:110])
    m = fit_logistic(x, y)
    with pytest.raises(
        InvalidValueError, match="`features` must be 1 columns; got '2 columns'"
    ):
        m.predict_proba(np.zeros((3, 2)))


def test_select_by_iv_bands():
    ivs = {"a": 0.01, "b": 0.6, "c": 0.2, "d": 0.05}
    assert select_by_iv(ivs) == ("b", "c", "d")
    assert select_by_iv(ivs, max_iv=0.5) == ("c", "d")
    with pytest.raises(
        InvalidValueError, match=r"`max_iv` must be at least min_iv \(0.02\)"
    ):
        select_by_iv(ivs, max_iv=0.01)


def test_stepwise_finds_signals_and_bic_is_stricter():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(3_000, 5))
    eta = -1.0 + 1.2 * x[:, 0] - 0.8 * x[:, 2]
    y = (rng.random(3_000) < 1 / (1 + np.exp(-eta))).astype(float)
    names = ["s1", "n1", "s2", "n2", "n3"]
    aic = stepwise(x, y, names=names)
    bic = stepwise(x, y, names=names, criterion=Criterion.BIC)
    assert {"s1", "s2"} <= set(aic.names)
    assert set(bic.names) == {"s1", "s2"}
    assert aic.steps[:2] == ("+ s1", "+ s2")
    final = fit_logistic(x[:, [names.index(n) for n in bic.names]], y)
    assert bic.value == pytest.approx(final.bic)
