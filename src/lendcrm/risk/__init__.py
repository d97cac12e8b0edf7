"""Risk of a lending relationship, in seven areas; each area is a module with its own API.

=====================================  ==============================================
area                                   what it answers
=====================================  ==============================================
`lendcrm.risk.scoring`                 How risky is the borrower? Binning, WoE/IV,
                                       logistic scorecards, reason codes, the master
                                       scale, validation (discrimination, calibration,
                                       stability).
`lendcrm.risk.capital`                 What capital does the exposure use? EAD and
                                       expected loss, IRB risk weights (Basel II/III),
                                       project-finance slotting, collateral and
                                       guarantee mitigation.
`lendcrm.risk.portfolio`               How does the book behave? Rating migrations and
                                       PD term structures, the cycle (PIT/TTC PDs,
                                       scenarios), portfolio loss, concentration.
`lendcrm.risk.project_finance`         Can the project carry its debt? DSCR, LLCR,
                                       PLCR, debt capacity, sculpting, covenants.
`lendcrm.risk.schedules`               How does the loan repay? Repayment schedules
                                       (annuity, linear, bullet, balloon, sculpted,
                                       revolver), day counts, balances, WAL, the
                                       effective interest rate, EAD profiles;
                                       frames reads a book's schedules.
`lendcrm.risk.pricing`                 What to charge and how much to lend? Facility
                                       and book pricing, RAROC/EVA, relationship
                                       RAROC, limits, the counter-cyclical credit
                                       policy.
`lendcrm.risk.impairment`              How much to provide for? IFRS 9 staging, PD
                                       term structures, 12-month and lifetime
                                       expected credit loss, scenarios, the movement
                                       between two dates.
=====================================  ==============================================

The areas depend on each other in one order, without cycles: scoring, capital,
portfolio, project finance and schedules stand on the core and on the shared Vasicek
formula only; pricing uses capital (risk weights, EAD), portfolio (the cycle) and
schedules (lifetime pricing); impairment uses portfolio (migration matrices, the
cycle) and schedules (the EAD profiles and EIR of `impairment.schedule_ecl`). Nothing
here imports `lendcrm.lifecycle`, `lendcrm.segmentation` or `lendcrm.relationship`.

Numeric functions take numpy arrays (or anything array-like) and return float64 arrays;
parameters and fitted results are frozen attrs objects; pandas appears only in the
``frames`` adapter modules (`lendcrm.risk.scoring.frames`,
`lendcrm.risk.pricing.frames`).

Examples:
    >>> from lendcrm.risk import capital
    >>> capital.risk_weight(0.01, lgd=0.45, maturity=2.5, asset_class="corporate",
    ...                     regime=capital.BASEL_II).round(4)
    array([0.9786])
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the areas load on first access, by `__getattr__` below (#20)
    from types import ModuleType

    from lendcrm.risk import (
        capital,
        impairment,
        portfolio,
        pricing,
        project_finance,
        schedules,
        scoring,
    )

__all__ = [
    "capital",
    "impairment",
    "portfolio",
    "pricing",
    "project_finance",
    "schedules",
    "scoring",
]


def __getattr__(name: str) -> ModuleType:
    if name not in __all__:
        msg = f"module {__name__!r} has no attribute {name!r}"
        raise AttributeError(msg)
    return importlib.import_module(f"{__name__}.{name}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
