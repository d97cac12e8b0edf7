"""The expected shortfall estimator of `simulate_losses`, by hand on small loss vectors.

Convention (Acerbi & Tasche 2002, "On the coherence of expected shortfall", JBF 26):
with N scenarios at confidence a, VaR is the ceil(N a)-th smallest loss and ES the mean
of the m = ceil(N (1 - a)) largest losses. The old estimator averaged N - ceil(N a) + 1
losses, one too many whenever N (1 - a) is a whole number.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lendcrm.risk.portfolio import simulate_losses

# Four obligors with losses 1, 2, 4 and 8 given default: each set of defaults has its
# own book loss, so equal losses only come from the same set of defaults.
EAD = [1.0, 2.0, 4.0, 8.0]


def _sim(n: int, levels: list[float], seed: int = 3):
    return simulate_losses(
        EAD,
        0.3,
        1.0,
        correlation=0.2,
        n_scenarios=n,
        rng=np.random.default_rng(seed),
        levels=levels,
    )


def test_ten_scenarios_at_80_percent_average_the_two_worst():
    # N = 10, a = 0.8: N (1 - a) = 2 -> ES = mean of the 2 largest losses;
    # VaR = the ceil(8)-th = 8th smallest loss.
    sim = _sim(10, [0.8])
    s = np.sort(sim.losses)
    assert sim.var[0] == s[7]
    assert sim.expected_shortfall[0] == pytest.approx((s[8] + s[9]) / 2, rel=1e-15)
    # not (s[7] + s[8] + s[9]) / 3, the off-by-one that averaged the VaR scenario too
    if s[7] < s[8]:
        assert sim.expected_shortfall[0] != pytest.approx((s[7] + s[8] + s[9]) / 3)
    # the Euler contributions add up to the same tail of two scenarios
    assert sim.es_contributions[0].sum() == pytest.approx(
        sim.expected_shortfall[0], rel=1e-12
    )


def test_a_fraction_of_a_scenario_rounds_the_tail_up():
    # N = 10, a = 0.75: N (1 - a) = 2.5 -> m = 3 (the 3 largest; the VaR, the
    # ceil(7.5) = 8th smallest, is the smallest of them);
    # a = 0.95: N (1 - a) = 0.5 -> m = 1, the largest loss, which is also the VaR.
    sim = _sim(10, [0.75, 0.95])
    s = np.sort(sim.losses)
    np.testing.assert_array_equal(sim.var, [s[7], s[9]])
    np.testing.assert_allclose(
        sim.expected_shortfall, [(s[7] + s[8] + s[9]) / 3, s[9]], rtol=1e-15
    )


def test_thousand_scenarios_at_99_percent_average_ten():
    # 1000 x (1 - 0.99) = 10.000000000000009 in floating point: still 10 scenarios;
    # 1000 x (1 - 0.999) = 1.0000000000000009: still 1.
    sim = _sim(1000, [0.99, 0.999])
    s = np.sort(sim.losses)
    np.testing.assert_allclose(
        sim.expected_shortfall, [s[-10:].mean(), s[-1]], rtol=1e-12
    )
    np.testing.assert_array_equal(sim.var, [s[989], s[998]])


@settings(max_examples=25, deadline=None)
@given(
    n=st.integers(min_value=1, max_value=60),
    level=st.floats(min_value=0.01, max_value=0.99),
)
def test_es_is_the_mean_of_the_worst_ceil_n_one_minus_a(n, level):
    sim = _sim(n, [level], seed=n)
    s = np.sort(sim.losses)
    m = min(n, max(1, math.ceil(n * (1 - level) - 1e-9)))
    assert sim.expected_shortfall[0] == pytest.approx(s[n - m :].mean(), rel=1e-12)
    assert sim.expected_shortfall[0] >= sim.var[0]
