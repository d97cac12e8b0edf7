"""Risk: scoring, pricing, migrations, portfolio loss, concentration, project finance.

Numeric functions take numpy arrays (or anything array-like) and return float64
arrays; parameters and fitted results are frozen attrs objects. Nothing here imports
`lendcrm.lifecycle` or `lendcrm.segmentation`.
"""

from __future__ import annotations

# --- portfolio and project finance (#7) ---
from lendcrm.risk.concentration import (
    LargeExposures,
    hhi,
    large_exposures,
    sector_hhi,
    top_k_share,
)
from lendcrm.risk.migration import (
    Regularisation,
    TransitionEstimate,
    check_default_absorbing,
    check_generator,
    check_transition_matrix,
    cohort_matrix,
    cumulative_default_rates,
    duration_matrix,
    generator_from_matrix,
    multi_year_matrix,
)
from lendcrm.risk.portfolio import (
    LossSimulation,
    asrf_capital,
    expected_loss,
    simulate_losses,
    unexpected_loss,
    vasicek_conditional_pd,
)
from lendcrm.risk.project_finance import (
    CovenantTest,
    SculptedDebt,
    average_dscr,
    covenant_test,
    debt_capacity,
    dscr,
    llcr,
    min_dscr,
    plcr,
    project_cfads,
    project_covenant_test,
    project_debt_capacity,
    project_debt_service,
    project_dscr,
    project_llcr,
    project_plcr,
    sculpt,
)

__all__ = [
    "CovenantTest",
    "LargeExposures",
    "LossSimulation",
    "Regularisation",
    "SculptedDebt",
    "TransitionEstimate",
    "asrf_capital",
    "average_dscr",
    "check_default_absorbing",
    "check_generator",
    "check_transition_matrix",
    "cohort_matrix",
    "covenant_test",
    "cumulative_default_rates",
    "debt_capacity",
    "dscr",
    "duration_matrix",
    "expected_loss",
    "generator_from_matrix",
    "hhi",
    "large_exposures",
    "llcr",
    "min_dscr",
    "multi_year_matrix",
    "plcr",
    "project_cfads",
    "project_covenant_test",
    "project_debt_capacity",
    "project_debt_service",
    "project_dscr",
    "project_llcr",
    "project_plcr",
    "sculpt",
    "sector_hhi",
    "simulate_losses",
    "top_k_share",
    "unexpected_loss",
    "vasicek_conditional_pd",
]
