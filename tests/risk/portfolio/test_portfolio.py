"""Portfolio loss: EL/UL, ASRF capital and the Monte Carlo Gaussian copula."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from lendcrm.errors import InvalidValueError
from lendcrm.risk.portfolio import (
    asrf_capital,
    conditional_default_rate,
    simulate_losses,
    unexpected_loss,
)


def test_unexpected_loss_by_hand():
    # UL_i = 100 * 0.5 * sqrt(0.01 * 0.99) = 4.97494 ; independent: sqrt(2) UL_i
    ul_i = 100 * 0.5 * np.sqrt(0.01 * 0.99)
    assert unexpected_loss([100.0, 100.0], 0.01, 0.5) == pytest.approx(
        np.sqrt(2) * ul_i
    )
    # perfectly correlated (rho -> 1) approaches the sum; rho = 0.5 by hand
    assert unexpected_loss(
        [100.0, 100.0], 0.01, 0.5, default_correlation=0.5
    ) == pytest.approx(np.sqrt(0.5 * 2 * ul_i**2 + 0.5 * (2 * ul_i) ** 2))
    # LGD volatility adds PD * sigma^2 inside the root
    with_vol = unexpected_loss([100.0], 0.01, 0.5, lgd_volatility=0.2)
    assert with_vol == pytest.approx(100 * np.sqrt(0.01 * 0.04 + 0.25 * 0.01 * 0.99))


def test_asrf_capital_matches_scipy():
    pd_, rho, q = 0.02, 0.15, 0.999
    cond = stats.norm.cdf(
        (stats.norm.ppf(pd_) + np.sqrt(rho) * stats.norm.ppf(q)) / np.sqrt(1 - rho)
    )
    k = asrf_capital([1000.0], pd_, 0.45, correlation=rho, confidence=q)
    assert k[0] == pytest.approx(1000 * 0.45 * (cond - pd_), rel=1e-12)


def test_vasicek_edges_and_monotone():
    out = conditional_default_rate([0.0, 0.01, 0.05, 1.0], rho=0.2, confidence=0.99)
    assert out[0] == 0.0
    assert out[3] == 1.0
    assert np.all(np.diff(out) > 0)


@pytest.mark.parametrize("bad", [-0.1, 1.0, 1.5])
def test_correlation_outside_unit_interval(bad):
    with pytest.raises(InvalidValueError, match=r"`correlation\[0\]` must be a finite"):
        asrf_capital([1.0], 0.01, 0.45, correlation=bad)
    with pytest.raises(InvalidValueError, match=r"in \[0, 1\)"):
        simulate_losses(
            [1.0],
            0.01,
            0.45,
            correlation=bad,
            n_scenarios=10,
            rng=np.random.default_rng(0),
        )
    with pytest.raises(InvalidValueError, match="default_correlation"):
        unexpected_loss([1.0], 0.01, 0.45, default_correlation=bad)


@pytest.mark.parametrize("bad", [0.0, 1.0, -0.5, 1.2])
def test_confidence_outside_open_unit_interval(bad):
    with pytest.raises(
        InvalidValueError, match=r"`confidence\[0\]` must be .* \(0, 1\)"
    ):
        asrf_capital([1.0], 0.01, 0.45, correlation=0.1, confidence=bad)
    with pytest.raises(InvalidValueError, match=r"`levels\[1\]` must be .* \(0, 1\)"):
        simulate_losses(
            [1.0],
            0.01,
            0.45,
            correlation=0.1,
            n_scenarios=10,
            rng=np.random.default_rng(0),
            levels=[0.9, bad],
        )


def test_bad_book_inputs():
    with pytest.raises(InvalidValueError, match=r"`default_probability\[1\]` must be"):
        unexpected_loss([1.0, 1.0], [0.1, 1.2], 0.4)
    with pytest.raises(InvalidValueError, match=r"`ead\[0\]` must be"):
        unexpected_loss([-1.0], 0.1, 0.4)
    with pytest.raises(InvalidValueError, match="the same length as `ead`"):
        unexpected_loss([1.0, 2.0], [0.1, 0.2, 0.3], 0.4)
    with pytest.raises(InvalidValueError, match="n_scenarios"):
        simulate_losses(
            [1.0],
            0.1,
            0.4,
            correlation=0.1,
            n_scenarios=0,
            rng=np.random.default_rng(0),
        )


def test_monte_carlo_converges_to_asrf_for_large_homogeneous_book():
    """Stated tolerance: 5 % relative at 99 % and 99.9 % (n = 2,000, N = 40,000).

    For a homogeneous book of n obligors the loss fraction tends to Vasicek's limit
    distribution, whose q-quantile is PD(q) (Vasicek 2002). Residual gap: Monte Carlo
    error of a tail quantile (about 2 % at 99.9 % with 40 scenarios beyond it) plus
    the granularity add-on of a finite book (< 1 % at n = 2,000).
    """
    n, pd_, rho = 2_000, 0.01, 0.12
    sim = simulate_losses(
        np.ones(n),
        pd_,
        1.0,
        correlation=rho,
        n_scenarios=40_000,
        rng=np.random.default_rng(2024),
        levels=[0.99, 0.999],
        chunk_size=4_000,
    )
    limit = (
        conditional_default_rate([pd_, pd_], rho=rho, confidence=0.99)[0],
        conditional_default_rate([pd_], rho=rho, confidence=0.999)[0],
    )
    np.testing.assert_allclose(sim.var / n, limit, rtol=0.05)
    # unexpected part against asrf_capital (EL subtracted on both sides)
    k999 = asrf_capital(np.ones(n), pd_, 1.0, correlation=rho).sum()
    assert sim.var[1] - sim.expected_loss == pytest.approx(k999, rel=0.06)
    # mean loss is the expected loss within 3 standard errors
    se = sim.losses.std() / np.sqrt(len(sim.losses))
    assert abs(sim.losses.mean() - sim.expected_loss) < 3 * se


def test_euler_contributions_add_up_and_rank_risk():
    ead = np.r_[np.full(50, 100.0), np.full(50, 100.0)]
    pd_ = np.r_[np.full(50, 0.01), np.full(50, 0.04)]
    sim = simulate_losses(
        ead,
        pd_,
        0.5,
        correlation=0.2,
        n_scenarios=30_000,
        rng=np.random.default_rng(9),
        levels=[0.99],
    )
    es_c = sim.es_contributions[0]
    assert es_c.sum() == pytest.approx(sim.expected_shortfall[0], rel=1e-9)
    assert es_c[50:].mean() > 2 * es_c[:50].mean()  # riskier names carry more
    var_c = sim.var_contributions[0]
    assert var_c.sum() == pytest.approx(sim.var_kernel_loss[0], rel=1e-9)
    # the kernel estimate is centred on VaR: within one bandwidth
    assert abs(sim.var_kernel_loss[0] - sim.var[0]) < sim.bandwidth[0] + 50.0
    assert np.all(es_c >= 0)
    assert sim.expected_shortfall[0] >= sim.var[0]


def test_same_generator_state_reproduces_run():
    kwargs: dict[str, Any] = {
        "correlation": 0.15,
        "n_scenarios": 5_000,
        "levels": [0.99],
    }
    a = simulate_losses(np.ones(30), 0.03, 0.4, rng=np.random.default_rng(1), **kwargs)
    b = simulate_losses(np.ones(30), 0.03, 0.4, rng=np.random.default_rng(1), **kwargs)
    np.testing.assert_array_equal(a.losses, b.losses)
    np.testing.assert_array_equal(a.es_contributions, b.es_contributions)


def test_chunk_size_does_not_change_the_distribution():
    base: dict[str, Any] = {"correlation": 0.2, "n_scenarios": 40_000, "levels": [0.95]}
    a = simulate_losses(
        np.ones(200), 0.02, 1.0, rng=np.random.default_rng(3), chunk_size=40_000, **base
    )
    b = simulate_losses(
        np.ones(200), 0.02, 1.0, rng=np.random.default_rng(4), chunk_size=777, **base
    )
    assert a.var[0] == pytest.approx(b.var[0], rel=0.1)
    assert a.losses.mean() == pytest.approx(b.losses.mean(), rel=0.05)


def test_multi_factor_sectors():
    n = 300
    sectors = np.repeat([0, 1, 2], 100)
    common: dict[str, Any] = {
        "correlation": 0.25,
        "n_scenarios": 30_000,
        "levels": [0.99],
    }
    one = simulate_losses(np.ones(n), 0.02, 1.0, rng=np.random.default_rng(5), **common)
    same = simulate_losses(
        np.ones(n),
        0.02,
        1.0,
        rng=np.random.default_rng(6),
        sectors=sectors,
        sector_correlation=np.full((3, 3), 1.0) - 1e-9 * (1 - np.eye(3)),
        **common,
    )
    indep = simulate_losses(
        np.ones(n), 0.02, 1.0, rng=np.random.default_rng(7), sectors=sectors, **common
    )
    # perfectly correlated sectors = one factor; independent sectors diversify
    assert same.var[0] == pytest.approx(one.var[0], rel=0.1)
    assert indep.var[0] < 0.85 * one.var[0]
    # sector contributions: symmetric sectors carry about a third each of ES
    by_sector = np.bincount(sectors, weights=indep.es_contributions[0])
    np.testing.assert_allclose(by_sector / by_sector.sum(), 1 / 3, atol=0.05)


def test_bad_sector_inputs():
    rng = np.random.default_rng(0)
    kw: dict[str, Any] = {"correlation": 0.2, "n_scenarios": 10, "rng": rng}
    with pytest.raises(InvalidValueError, match="integer sector indices"):
        simulate_losses(np.ones(3), 0.1, 1.0, sectors=[0, 1], **kw)
    with pytest.raises(InvalidValueError, match="positive definite"):
        simulate_losses(
            np.ones(2),
            0.1,
            1.0,
            sectors=[0, 1],
            sector_correlation=[[1.0, 1.5], [1.5, 1.0]],
            **kw,
        )
    with pytest.raises(InvalidValueError, match="unit diagonal"):
        simulate_losses(
            np.ones(2),
            0.1,
            1.0,
            sectors=[0, 1],
            sector_correlation=[[2.0, 0.0], [0.0, 1.0]],
            **kw,
        )
    with pytest.raises(InvalidValueError, match="together with `sectors`"):
        simulate_losses(np.ones(2), 0.1, 1.0, sector_correlation=np.eye(1), **kw)
    with pytest.raises(InvalidValueError, match="sector index >= 0"):
        simulate_losses(np.ones(2), 0.1, 1.0, sectors=[0, -1], **kw)


@settings(max_examples=25)
@given(
    st.floats(0.001, 0.3),
    st.floats(0.0, 0.95),
    st.floats(0.01, 0.98),
)
def test_conditional_pd_in_unit_interval_and_monotone_in_level(pd_, rho, q):
    lo, hi = (
        conditional_default_rate([pd_], rho=rho, confidence=q)[0],
        conditional_default_rate([pd_], rho=rho, confidence=q + 0.01)[0],
    )
    assert 0.0 <= lo <= hi <= 1.0


def test_one_pass_and_two_pass_give_the_same_contributions(monkeypatch):
    """The kept tail rows reproduce exactly what replaying the scenarios gives."""
    from lendcrm.risk.portfolio import _loss as portfolio

    args = (np.linspace(50.0, 150.0, 40), np.linspace(0.005, 0.05, 40), 0.45)
    kw: dict[str, Any] = {
        "correlation": 0.2,
        "n_scenarios": 20_000,
        "levels": [0.99, 0.995],
        "chunk_size": 3_000,
    }
    one = simulate_losses(*args, rng=np.random.default_rng(8), **kw)
    monkeypatch.setattr(portfolio, "TAIL_BUFFER_BYTES", 0)
    two = simulate_losses(*args, rng=np.random.default_rng(8), **kw)
    assert (one.passes, two.passes) == (1, 2)
    np.testing.assert_allclose(one.es_contributions, two.es_contributions, rtol=1e-12)
    np.testing.assert_allclose(one.var_contributions, two.var_contributions, rtol=1e-12)
    np.testing.assert_array_equal(one.losses, two.losses)


def test_certain_and_impossible_defaults():
    sim = simulate_losses(
        [10.0, 20.0, 30.0],
        [0.0, 1.0, 0.0],
        0.5,
        correlation=0.3,
        n_scenarios=2_000,
        rng=np.random.default_rng(0),
        levels=[0.99],
    )
    # obligor 2 always defaults (loss 10), the others never
    assert np.all(sim.losses == 10.0)
    np.testing.assert_allclose(sim.es_contributions[0], [0.0, 10.0, 0.0])
    assert sim.expected_loss == 10.0
