"""The Vasicek rate at one hand-computed point, both directions, shapes and edges (#23).

PD 50 % (G(0.5) = 0), rho 0.36 (sqrt 0.6, sqrt(1 - rho) 0.8) and a bad year z = -1:
PD(z) = N((0 + 0.6) / 0.8) = N(0.75) = 0.77337264762313 (standard normal table).
"""

from __future__ import annotations

import numpy as np
import pytest

from lendcrm.risk._vasicek import conditional_pd, normal_quantile, unconditional_pd

N_075 = 0.7733726476231317  # N(0.75)


def test_conditional_pd_at_a_hand_computed_point():
    out = conditional_pd(0.5, systematic_factor=-1.0, rho=0.36)
    assert out.dtype == np.float64
    assert float(out) == pytest.approx(N_075, rel=1e-15)
    # a good year lowers it symmetrically: N(-0.75) = 1 - N(0.75)
    good = conditional_pd(0.5, systematic_factor=1.0, rho=0.36)
    assert float(good) == pytest.approx(1.0 - N_075, rel=1e-14)
    # no correlation: the factor does not matter, PD(z) = PD
    assert float(conditional_pd(0.5, systematic_factor=-3.0, rho=0.0)) == 0.5


def test_conditional_pd_takes_integers_and_broadcasts():
    out = conditional_pd([[0], [1]], systematic_factor=[0, 1, -1], rho=0)
    assert out.dtype == np.float64
    assert out.tolist() == [[0.0, 0.0, 0.0], [1.0, 1.0, 1.0]]
    mixed = conditional_pd([[0.5], [0.5]], systematic_factor=[-1.0, 1.0], rho=0.36)
    np.testing.assert_allclose(mixed, [[N_075, 1 - N_075]] * 2, rtol=1e-14)


def test_unconditional_pd_inverts_the_hand_computed_point():
    out = unconditional_pd(N_075, systematic_factor=-1.0, rho=0.36)
    assert float(out) == pytest.approx(0.5, rel=1e-15)
    back = unconditional_pd(
        [1.0 - N_075, N_075], systematic_factor=[1.0, -1.0], rho=0.36
    )
    np.testing.assert_allclose(back, [0.5, 0.5], rtol=1e-14)


def test_unconditional_pd_holds_its_ends_and_clips_past_them():
    out = unconditional_pd([-0.1, 0.0, 1.0, 1.2], systematic_factor=2.0, rho=0.36)
    assert out.tolist() == [0.0, 0.0, 1.0, 1.0]
    assert unconditional_pd(0.0, systematic_factor=-2.0, rho=0.5).tolist() == 0.0


def test_normal_quantile():
    assert float(normal_quantile(0.5)) == 0.0
    assert float(normal_quantile(0.975)) == pytest.approx(1.959963984540054, rel=1e-15)
    out = normal_quantile(np.array([0.025, 0.975]))
    assert out.dtype == np.float64
    np.testing.assert_allclose(out, [-1.959963984540054, 1.959963984540054], rtol=1e-15)


# mut8a: single-precision inputs are read at double precision (G and the square
# roots of float32 values differ from the float64 ones by about 1e-8)


def test_float32_inputs_give_the_float64_answer():
    p32 = np.array([0.3], dtype=np.float32)
    r32 = np.array([0.36], dtype=np.float32)
    p64, r64 = p32.astype(np.float64), r32.astype(np.float64)
    assert (
        conditional_pd(p32, systematic_factor=-1.0, rho=0.36).tolist()
        == conditional_pd(p64, systematic_factor=-1.0, rho=0.36).tolist()
    )
    assert (
        conditional_pd(0.3, systematic_factor=-1.0, rho=r32).tolist()
        == conditional_pd(0.3, systematic_factor=-1.0, rho=r64).tolist()
    )
    assert (
        unconditional_pd(p32, systematic_factor=-1.0, rho=0.36).tolist()
        == unconditional_pd(p64, systematic_factor=-1.0, rho=0.36).tolist()
    )
    assert (
        unconditional_pd(0.3, systematic_factor=-1.0, rho=r32).tolist()
        == unconditional_pd(0.3, systematic_factor=-1.0, rho=r64).tolist()
    )
    q = normal_quantile(np.array([0.975], dtype=np.float32))
    assert q.dtype == np.float64


def test_unconditional_pd_ends_hold_at_an_infinite_factor_without_a_warning():
    # 0 and 1 never reach G (which is infinite there): at z = -inf or +inf no
    # inf - inf arises (pytest turns the warning into an error); any rate strictly
    # inside (0, 1) observed in an infinitely bad year implies PD 0, in an
    # infinitely good one PD 1
    bad = unconditional_pd([0.0, 0.3, 1.0], systematic_factor=-np.inf, rho=0.36)
    good = unconditional_pd([0.0, 0.3, 1.0], systematic_factor=np.inf, rho=0.36)
    assert (bad.tolist(), good.tolist()) == ([0.0, 0.0, 1.0], [0.0, 1.0, 1.0])
