"""Downturn pricing: capital on the long-run PD, expected loss on the point-in-time PD.

CRE36.63 requires the PD that enters the IRB risk weight to be a long-run average of
one-year default rates; the expected loss charged in the year's price is the
point-in-time PD of the scenario (docs/how-to/pricing-apply-a-downturn.md).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from scipy.stats import norm

from lendcrm.risk.capital import BASEL_III, asset_correlation, risk_weight
from lendcrm.risk.portfolio import DOWNTURN, scenario_pd
from lendcrm.risk.pricing import minimum_rate, price_facility

KW: dict[str, Any] = {
    "maturity": 3.0,
    "funding_rate": 0.03,
    "operating_cost_rate": 0.004,
    "hurdle_rate": 0.12,
    "risk_free_rate": 0.03,
    "capital_ratio": 0.105,
    "regime": BASEL_III,
}


def test_downturn_price_adds_only_the_point_in_time_expected_loss():
    # PD_TTC 1 %, rho 0.12 (a round number for the hand value): in the DOWNTURN year
    # (z = -1) PD_PIT = N((G(0.01) + sqrt(0.12)) / sqrt(0.88))
    #                 = N((-2.326348 + 0.346410) / 0.938083) = N(-2.110626) = 0.017402.
    ttc = 0.01
    pit = float(scenario_pd(ttc, DOWNTURN, rho=0.12)[0])
    assert pit == pytest.approx(
        norm.cdf((norm.ppf(0.01) + math.sqrt(0.12)) / math.sqrt(0.88)), rel=1e-12
    )
    assert pit == pytest.approx(0.017402, abs=1e-6)
    rw_long_run = float(
        risk_weight(
            ttc, lgd=0.45, maturity=3.0, asset_class="corporate", regime=BASEL_III
        )[0]
    )
    downturn = price_facility(
        default_probability=pit, lgd=0.45, risk_weight_override=rw_long_run, **KW
    )
    base = price_facility(default_probability=ttc, lgd=0.45, **KW)
    # same capital: the risk weight stays on the long-run PD
    assert downturn.risk_weight == pytest.approx(base.risk_weight, rel=1e-12)
    assert downturn.capital_charge == pytest.approx(base.capital_charge, rel=1e-12)
    # the price rises by the expected loss only: 0.45 x (0.017402 - 0.01) = 33.3 bp
    assert downturn.expected_loss == pytest.approx(0.45 * pit, rel=1e-12)
    assert downturn.minimum_rate - base.minimum_rate == pytest.approx(
        0.45 * (pit - ttc), rel=1e-9
    )


def test_the_how_to_book_reprices_by_the_expected_loss_gap():
    # the book of the how-to: rates - base rates = LGD x (PD_PIT - PD_TTC), row by row
    ttc = np.array([0.003, 0.01, 0.03, 0.08])
    rho = asset_correlation(ttc, asset_class="corporate", regime=BASEL_III)
    pit = scenario_pd(ttc, DOWNTURN, rho=rho)
    rw = risk_weight(
        ttc, lgd=0.45, maturity=3.0, asset_class="corporate", regime=BASEL_III
    )
    rates = minimum_rate(pit, 0.45, risk_weight_override=rw, **KW)
    base = minimum_rate(ttc, 0.45, **KW)
    np.testing.assert_allclose(rates - base, 0.45 * (pit - ttc), rtol=1e-9)
    # feeding the PIT PD into the risk weight too would charge more capital
    assert np.all(minimum_rate(pit, 0.45, **KW) > rates)
