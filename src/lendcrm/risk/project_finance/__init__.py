"""Can the project carry its debt: cover ratios, debt sizing and sculpting, covenants.

Array forms (`dscr`, `llcr`, `plcr`, `debt_capacity`, `sculpt`, `covenant_test`) work on
cash-flow vectors; the `project_*` forms read a `Project` entity.
"""

from __future__ import annotations

from lendcrm.risk.project_finance._covenants import CovenantTest, covenant_test
from lendcrm.risk.project_finance._project import (
    project_cfads,
    project_covenant_test,
    project_debt_capacity,
    project_debt_service,
    project_dscr,
    project_llcr,
    project_plcr,
)
from lendcrm.risk.project_finance._ratios import (
    average_dscr,
    dscr,
    llcr,
    min_dscr,
    plcr,
)
from lendcrm.risk.project_finance._sculpting import (
    SculptedDebt,
    debt_capacity,
    sculpt,
)

__all__ = [
    "CovenantTest",
    "SculptedDebt",
    "average_dscr",
    "covenant_test",
    "debt_capacity",
    "dscr",
    "llcr",
    "min_dscr",
    "plcr",
    "project_cfads",
    "project_covenant_test",
    "project_debt_capacity",
    "project_debt_service",
    "project_dscr",
    "project_llcr",
    "project_plcr",
    "sculpt",
]
