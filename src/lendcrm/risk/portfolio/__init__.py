"""How the book behaves: rating migrations, the economic cycle, portfolio loss, concentration.

- migrations: cohort and duration transition matrices, generators, multi-year
  matrices and cumulative default rates (PD term structures);
- the cycle: point-in-time and through-the-cycle PDs in the Vasicek one-factor model
  (`pit_pd`, `ttc_pd`, `conditional_default_rate`) and stress `Scenario`s;
- portfolio loss: `unexpected_loss`, `asrf_capital` and the Monte Carlo
  `simulate_losses`;
- concentration of exposure: `exposure_hhi`, `sector_hhi`, `top_k_share`,
  `large_exposures`; `counterparty_exposures` puts a syndicated facility at the
  bank's share and moves guaranteed parts to the guarantor (the substitution
  approach of BCBS 283), per counterparty or group of connected counterparties.
"""

from __future__ import annotations

from lendcrm.risk.portfolio._concentration import (
    LARGE_EXPOSURE_LIMIT,
    LARGE_EXPOSURE_THRESHOLD,
    LargeExposures,
    exposure_hhi,
    large_exposures,
    sector_hhi,
    top_k_share,
)
from lendcrm.risk.portfolio._cycle import (
    BASE,
    DOWNTURN,
    SCENARIOS,
    SEVERE,
    UPTURN,
    CycleState,
    Scenario,
    conditional_default_rate,
    pit_pd,
    scenario_pd,
    ttc_pd,
)
from lendcrm.risk.portfolio._indirect import (
    CounterpartyExposures,
    counterparty_exposures,
)
from lendcrm.risk.portfolio._loss import (
    DEFAULT_LEVELS,
    LossSimulation,
    asrf_capital,
    simulate_losses,
    unexpected_loss,
)
from lendcrm.risk.portfolio._migration import (
    TransitionEstimate,
    cohort_matrix,
    duration_matrix,
)
from lendcrm.risk.portfolio._migration_matrix import (
    Regularisation,
    check_default_absorbing,
    check_generator,
    check_transition_matrix,
    cumulative_default_rates,
    generator_from_matrix,
    multi_year_matrix,
)

__all__ = [  # noqa: RUF022 - plain sorted(), as tests/test_public_api.py checks
    "BASE",
    "CounterpartyExposures",
    "CycleState",
    "DEFAULT_LEVELS",
    "DOWNTURN",
    "LARGE_EXPOSURE_LIMIT",
    "LARGE_EXPOSURE_THRESHOLD",
    "LargeExposures",
    "LossSimulation",
    "Regularisation",
    "SCENARIOS",
    "SEVERE",
    "Scenario",
    "TransitionEstimate",
    "UPTURN",
    "asrf_capital",
    "check_default_absorbing",
    "check_generator",
    "check_transition_matrix",
    "cohort_matrix",
    "conditional_default_rate",
    "counterparty_exposures",
    "cumulative_default_rates",
    "duration_matrix",
    "exposure_hhi",
    "generator_from_matrix",
    "large_exposures",
    "multi_year_matrix",
    "pit_pd",
    "scenario_pd",
    "sector_hhi",
    "simulate_losses",
    "top_k_share",
    "ttc_pd",
    "unexpected_loss",
]
