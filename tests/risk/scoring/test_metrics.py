"""Validation metrics against published or hand-computed values."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lendcrm.errors import InvalidValueError, ModelMismatchError
from lendcrm.risk.scoring import (
    BinningConfig,
    IVStrength,
    MasterScale,
    Stability,
    accuracy_ratio,
    auc,
    binomial_test,
    brier,
    build_scorecard,
    calibration_by_grade,
    characteristic_analysis,
    csi,
    fit_binning_set,
    fit_logistic,
    hosmer_lemeshow,
    iv_strength,
    jeffreys_test,
    ks,
    psi,
    score_psi,
    stability_band,
)


def test_auc_accuracy_ratio_ks_published_example():
    # scikit-learn's roc_auc_score documentation example: y = [0, 0, 1, 1],
    # scores = [0.1, 0.4, 0.35, 0.8] -> AUC 0.75. KS by hand: after 0.1, 0.35, 0.4, 0.8
    # the bads' CDF is 0, .5, .5, 1 and the goods' .5, .5, 1, 1: largest gap 0.5.
    y, s = [0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]
    assert auc(y, s) == 0.75
    assert accuracy_ratio(y, s) == 0.5
    assert ks(y, s) == 0.5


def test_auc_ties_count_half():
    assert auc([0, 1], [0.3, 0.3]) == 0.5


@given(st.lists(st.floats(0, 1), min_size=4, max_size=40), st.randoms())
def test_auc_matches_pairwise_definition(scores, rnd):
    y = [rnd.randint(0, 1) for _ in scores]
    if len(set(y)) < 2:
        return
    bads = [s for s, t in zip(scores, y, strict=True) if t]
    goods = [s for s, t in zip(scores, y, strict=True) if not t]
    pairs = sum((b > g) + 0.5 * (b == g) for b in bads for g in goods)
    assert auc(y, scores) == pytest.approx(pairs / (len(bads) * len(goods)))


def test_brier_hand_computed():
    # ((0.1)^2 + (0.3)^2 + (0.2)^2) / 3 = 0.14 / 3
    assert brier([0, 1, 0], [0.1, 0.7, 0.2]) == pytest.approx(0.14 / 3)


def test_psi_hand_computed_and_bands():
    # shares e = (.25, .25, .5), a = (.2, .3, .5): (-.05) ln .8 + .05 ln 1.2 = 0.020273
    assert psi([25, 25, 50], [20, 30, 50]) == pytest.approx(
        -0.05 * math.log(0.8) + 0.05 * math.log(1.2), rel=1e-12
    )
    assert psi([1, 2, 3], [1, 2, 3]) == 0.0
    assert stability_band(0.05) is Stability.STABLE
    assert stability_band(0.10) is Stability.MONITOR
    assert stability_band(0.25) is Stability.SHIFTED
    assert stability_band(0.2, monitor=0.05, shifted=0.15) is Stability.SHIFTED
    with pytest.raises(
        InvalidValueError, match=r"`monitor` must be in \[0, shifted=0.1\]"
    ):
        stability_band(0.2, monitor=0.3, shifted=0.1)
    with pytest.raises(
        InvalidValueError, match=r"`actual\[1\]` must be a finite number >= 0; got -1.0"
    ):
        psi([1, 1], [1, -1])


def test_score_psi_detects_a_shift():
    rng = np.random.default_rng(0)
    base = rng.normal(600, 50, 20_000)
    assert score_psi(base, rng.normal(600, 50, 20_000)) < 0.01
    assert score_psi(base, base + 40) > 0.25


def _monitoring():
    rng = np.random.default_rng(4)
    n = 5_000
    x = rng.normal(size=n)
    z = rng.normal(size=n)
    y = (rng.random(n) < 1 / (1 + np.exp(2 + x))).astype(float)
    feats = {"x": x, "z": z}
    bins = fit_binning_set(
        feats, y, config=BinningConfig(min_bin_bads=1, min_bin_goods=1)
    )
    model = fit_logistic(bins.transform(feats), y, names=list(bins.names))
    return feats, bins, build_scorecard(bins, model)


def test_csi_and_characteristic_analysis():
    feats, bins, card = _monitoring()
    shifted = {"x": feats["x"] + 0.5, "z": feats["z"]}
    values = csi(bins, feats, shifted)
    assert values["z"] == 0.0
    assert values["x"] > 0.05
    shifts = characteristic_analysis(card, feats, shifted)
    total = sum(s.shift for s in shifts)
    assert total == pytest.approx(card.score(shifted).mean() - card.score(feats).mean())
    assert {s.characteristic: s.shift for s in shifts}["z"] == 0.0
    with pytest.raises(ModelMismatchError, match=r"missing \['z'\]"):
        csi(bins, feats, {"x": feats["x"]})


def test_hosmer_lemeshow_hand_computed():
    # three groups of 10 with PD .1, .2, .5 and 2, 2, 7 defaults:
    # H = (2-1)^2/(10 .1 .9) + 0 + (7-5)^2/(10 .5 .5) = 1/0.9 + 1.6 = 2.711111, dof 1
    # (Hosmer & Lemeshow, Applied Logistic Regression, 2000, §5.2.2).
    y = [1] * 2 + [0] * 8 + [1] * 2 + [0] * 8 + [1] * 7 + [0] * 3
    pd_ = [0.1] * 10 + [0.2] * 10 + [0.5] * 10
    r = hosmer_lemeshow(y, pd_, groups=3)
    assert r.statistic == pytest.approx(1 / 0.9 + 1.6, rel=1e-12)
    assert r.dof == 1
    # chi2(1) survival: erfc(sqrt(H/2))
    assert r.p_value == pytest.approx(math.erfc(math.sqrt(r.statistic / 2)), rel=1e-10)
    with pytest.raises(
        InvalidValueError, match=r"`groups` must be an integer in \[3, 30\]; got 2"
    ):
        hosmer_lemeshow(y, pd_, groups=2)
    with pytest.raises(
        InvalidValueError,
        match=r"`default_probability\[0\]` must be a finite number in \(0, 1\); got 0.0",
    ):
        hosmer_lemeshow(y, [0.0, *pd_[1:]])


def test_binomial_test_exact_sum():
    # P(X >= 5), X ~ Bin(100, 0.02) = 1 - sum_{k<5} C(100,k) .02^k .98^(100-k)
    tail = 1 - sum(math.comb(100, k) * 0.02**k * 0.98 ** (100 - k) for k in range(5))
    np.testing.assert_allclose(binomial_test([100], [5], [0.02]), [tail], rtol=1e-10)
    assert tail == pytest.approx(0.0508, abs=1e-4)
    with pytest.raises(
        InvalidValueError, match=r"`defaults\[0\]` must be at most n\[0\] = 3; got 4.0"
    ):
        binomial_test([3], [4], [0.1])


def test_jeffreys_closed_form():
    # N = 1, D = 1: posterior Beta(3/2, 1/2), whose CDF is
    # (2/pi) (arcsin sqrt(p) - sqrt(p (1 - p)))  (from I_x(a+1,b) = I_x(a,b) - x^a(1-x)^b/(a B(a,b))).
    p = 0.3
    expected = 2 / math.pi * (math.asin(math.sqrt(p)) - math.sqrt(p * (1 - p)))
    np.testing.assert_allclose(jeffreys_test([1], [1], [p]), [expected], rtol=1e-10)
    # N = 1, D = 0: Beta(1/2, 3/2) CDF = 1 - the above at 1 - p
    np.testing.assert_allclose(
        jeffreys_test([1], [0], [p]),
        [1 - 2 / math.pi * (math.asin(math.sqrt(1 - p)) - math.sqrt(p * (1 - p)))],
        rtol=1e-10,
    )


def test_calibration_by_grade_matches_per_grade_tests():
    scale = MasterScale(grades=("A", "B"), upper_bounds=(0.05, 1.0), pds=(0.02, 0.1))
    pd_ = [0.01] * 50 + [0.2] * 30
    y = [1] * 3 + [0] * 47 + [1] * 4 + [0] * 26
    rows = calibration_by_grade(scale, pd_, y)
    assert [(r.grade, r.n, r.defaults) for r in rows] == [("A", 50, 3), ("B", 30, 4)]
    assert rows[0].binomial_p == pytest.approx(binomial_test([50], [3], [0.02])[0])
    assert rows[1].jeffreys_p == pytest.approx(jeffreys_test([30], [4], [0.1])[0])


def test_iv_strength_bands():
    # Siddiqi (2006) bands: < .02 unpredictive, < .1 weak, < .3 medium, else strong
    assert [iv_strength(v) for v in (0.01, 0.05, 0.2, 0.5)] == [
        IVStrength.UNPREDICTIVE, IVStrength.WEAK, IVStrength.MEDIUM, IVStrength.STRONG,
    ]  # fmt: skip
    with pytest.raises(
        InvalidValueError, match=r"`iv\[0\]` must be a finite number >= 0; got -0.1"
    ):
        iv_strength(-0.1)
