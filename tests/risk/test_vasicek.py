"""The one Vasicek conditional default rate that capital, portfolio and pricing share."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from lendcrm.risk import capital, portfolio
from lendcrm.risk._vasicek import conditional_pd, unconditional_pd


def test_conditional_pd_is_the_textbook_formula():
    p = np.array([1e-6, 0.003, 0.01, 0.2, 0.7])
    rho = np.array([0.0, 0.04, 0.12, 0.24, 0.5])
    z = np.array([2.0, 0.5, 0.0, -1.0, -3.0])
    expected = stats.norm.cdf(
        (stats.norm.ppf(p) - np.sqrt(rho) * z) / np.sqrt(1.0 - rho)
    )
    np.testing.assert_allclose(
        conditional_pd(p, systematic_factor=z, rho=rho), expected, rtol=1e-12
    )


def test_zero_and_one_are_fixed_points():
    out = conditional_pd([0.0, 1.0], systematic_factor=[-3.0, 3.0], rho=0.3)
    assert out.tolist() == [0.0, 1.0]
    back = unconditional_pd([0.0, 1.0], systematic_factor=[-3.0, 3.0], rho=0.3)
    assert back.tolist() == [0.0, 1.0]


def test_every_area_uses_the_same_rate():
    """WCDR, PIT PD, ASRF capital and IRB K are one formula at the same factor."""
    p, rho, q = 0.01, 0.12, 0.999
    wcdr = conditional_pd(p, systematic_factor=-stats.norm.ppf(q), rho=rho)
    assert portfolio.conditional_default_rate(p, rho=rho, confidence=q)[0] == wcdr
    assert portfolio.pit_pd(p, systematic_factor=-stats.norm.ppf(q), rho=rho)[0] == wcdr
    asrf = portfolio.asrf_capital([1.0], p, 0.45, correlation=rho, confidence=q)[0]
    assert asrf == 0.45 * (wcdr - p)
    r = capital.asset_correlation(p, asset_class="corporate", regime=capital.BASEL_II)
    k = capital.capital_requirement(
        p, 0.45, regime=capital.BASEL_II, maturity=1.0, asset_class="corporate"
    )
    cond = conditional_pd(p, systematic_factor=-stats.norm.ppf(q), rho=r)
    np.testing.assert_allclose(k, 0.45 * (cond - p), rtol=1e-14)


@settings(max_examples=50)
@given(
    st.floats(1e-6, 1 - 1e-6),
    st.floats(-4.0, 4.0),
    st.floats(0.0, 0.9),
)
def test_unconditional_pd_inverts_conditional_pd(p, z, rho):
    cond = conditional_pd(p, systematic_factor=z, rho=rho)
    back = unconditional_pd(cond, systematic_factor=z, rho=rho)
    if 1e-300 < cond < 1.0 - 1e-9:  # away from where float64 cannot tell PDs apart
        np.testing.assert_allclose(back, p, rtol=1e-6, atol=1e-12)
