"""Concentration analytics on hand-computed cases."""

import math

import numpy as np
import pytest

from lendcrm.errors import InvalidValueError
from lendcrm.segmentation import (
    equivalent_number,
    gini,
    hhi,
    lorenz_curve,
    pareto_point,
    top_share,
    whale_curve,
)

FIVE = [4.0, 30.0, 6.0, 50.0, 10.0]  # total 100; descending 50, 30, 10, 6, 4


def test_lorenz_curve_by_hand():
    # ascending 4, 6, 10, 30, 50 -> cumulative 4, 10, 20, 50, 100 of 100
    c = lorenz_curve(FIVE)
    np.testing.assert_allclose(c.population_share, [0, 0.2, 0.4, 0.6, 0.8, 1.0])
    np.testing.assert_allclose(c.value_share, [0, 0.04, 0.10, 0.20, 0.50, 1.0])


def test_gini_by_hand():
    # sum i x_(i) = 1*4 + 2*6 + 3*10 + 4*30 + 5*50 = 416
    # G = 2 * 416 / (5 * 100) - 6 / 5 = 1.664 - 1.2 = 0.464
    assert gini(FIVE) == pytest.approx(0.464, rel=1e-12)
    # trapezoid area under the Lorenz curve: (0+.04+.04+.10+.10+.20+.20+.50+.50+1)/(2*5)
    # = 2.68 / 10 = .268 -> 1 - 2 * .268 = .464, the same number
    assert lorenz_curve(FIVE).gini == pytest.approx(0.464, rel=1e-12)


def test_gini_extremes_without_small_sample_correction():
    assert gini([7.0, 7.0, 7.0, 7.0]) == 0.0
    # one client holds everything: (n - 1) / n, not 1
    assert gini([0.0, 0.0, 0.0, 0.0, 9.0]) == pytest.approx(0.8, rel=1e-12)
    assert gini([5.0]) == 0.0


def test_hhi_and_equivalent_number_by_hand():
    # shares .5, .3, .1, .06, .04: .25 + .09 + .01 + .0036 + .0016 = .3552
    assert hhi(FIVE) == pytest.approx(0.3552, rel=1e-12)
    assert equivalent_number(FIVE) == pytest.approx(1 / 0.3552, rel=1e-12)
    assert equivalent_number([3.0] * 8) == pytest.approx(8.0, rel=1e-12)


def test_top_share_by_hand():
    # top ceil(.2 * 5) = 1 -> 50 %; ceil(.4 * 5) = 2 -> 80 %; ceil(.5 * 5) = 3 -> 90 %
    assert top_share(FIVE, 0.2) == pytest.approx(0.5)
    assert top_share(FIVE, 0.4) == pytest.approx(0.8)
    assert top_share(FIVE, 0.5) == pytest.approx(0.9)
    assert top_share(FIVE, 1.0) == pytest.approx(1.0)
    # 0.1 * 30 = 3.0000000000000004 in floats: still the top 3, not 4
    thirty = [1.0] * 27 + [10.0, 10.0, 10.0]
    assert top_share(thirty, 0.1) == pytest.approx(30 / 57)
    # tiny p still means at least one client
    assert top_share(FIVE, 1e-9) == pytest.approx(0.5)


def test_pareto_point_by_hand():
    # cumulative descending: 50, 80, 90, 96, 100
    assert pareto_point(FIVE, 0.8) == pytest.approx(0.4)
    assert pareto_point(FIVE, 0.81) == pytest.approx(0.6)
    assert pareto_point(FIVE, 0.5) == pytest.approx(0.2)
    assert pareto_point(FIVE, 1.0) == pytest.approx(1.0)


def test_whale_curve_by_hand():
    # descending 60, 50, 10, -20; total 100 -> .6, 1.1, 1.2, 1.0
    w = whale_curve([10.0, -20.0, 60.0, 50.0])
    np.testing.assert_allclose(w.profit_share, [0, 0.6, 1.1, 1.2, 1.0])
    assert w.peak_share == pytest.approx(1.2)
    assert w.peak_population == pytest.approx(0.75)


@pytest.mark.parametrize(
    ("fn", "args", "message"),
    [
        (
            gini,
            ([],),
            r"`values` must be a non-empty array \(at least one value\); got \[\]\.",
        ),
        (
            gini,
            ([1.0, float("nan")],),
            r"`values\[1\]` must be a finite number >= 0; got nan\.",
        ),
        (
            hhi,
            ([1.0, -1.0],),
            r"`values\[1\]` must be a finite number >= 0; got -1\.0\.",
        ),
        (
            lorenz_curve,
            ([0.0, 0.0],),
            (
                r"`values` must be amounts with a positive total \(concentration is "
                r"undefined for a zero total\); got 'all zero'\."
            ),
        ),
        (top_share, ([1.0], 0.0), r"`p` must be a fraction in \(0, 1\]; got 0\.0\."),
        (top_share, ([1.0], 1.5), r"`p` must be a fraction in \(0, 1\]; got 1\.5\."),
        (
            pareto_point,
            ([1.0], -0.1),
            r"`share` must be a fraction in \(0, 1\]; got -0\.1\.",
        ),
        (
            whale_curve,
            ([10.0, -20.0],),
            (
                r"`profit` must be profits with a positive total \(the whale curve "
                r"divides by it\); got -10\.0\."
            ),
        ),
        (
            whale_curve,
            ([math.inf],),
            r"`profit\[0\]` must be a finite number; got inf\.",
        ),
    ],
)
def test_bad_input(fn, args, message):
    with pytest.raises(InvalidValueError, match=message):
        fn(*args)


def test_lorenz_at_interpolates():
    c = lorenz_curve(FIVE)
    # halfway between (.8, .5) and (1, 1)
    assert c.at([0.9]).tolist() == pytest.approx([0.75])
    with pytest.raises(
        InvalidValueError,
        match=r"`population\[0\]` must be a finite number in \[0, 1\]",
    ):
        c.at([1.5])
