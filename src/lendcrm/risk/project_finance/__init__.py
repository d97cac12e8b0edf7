"""Can the project carry its debt: cover ratios, debt sizing and sculpting, covenants.

Array forms (`dscr`, `llcr`, `plcr`, `debt_capacity`, `sculpt`, `covenant_test`) work on
cash-flow vectors; the `project_*` forms read a `Project` entity.

Covenant compliance for every `CovenantMetric`: `covenant_calendar` (the test dates of
many covenants), `covenant_tests` (metric, headroom, status, breaches and cures over a
book, on the `*Arrays` inputs) and their one-facility forms
`facility_covenant_calendar` and `facility_covenant_tests`. The pandas adapter is
`lendcrm.risk.project_finance.frames`.
"""

from __future__ import annotations

from lendcrm.risk.project_finance._calendar import (
    covenant_calendar,
    facility_covenant_calendar,
)
from lendcrm.risk.project_finance._compliance import (
    CovenantStatus,
    CovenantTests,
    covenant_tests,
)
from lendcrm.risk.project_finance._covenants import CovenantTest, covenant_test
from lendcrm.risk.project_finance._facility_tests import facility_covenant_tests
from lendcrm.risk.project_finance._inputs import (
    METRIC_INPUTS,
    CashFlowArrays,
    CollateralArrays,
    CovenantArrays,
    FacilityArrays,
    ObservationArrays,
    StatementArrays,
    missing_input_names,
)
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

__all__ = [  # noqa: RUF022 - plain sorted order, as tests/test_public_api.py checks
    "CashFlowArrays",
    "CollateralArrays",
    "CovenantArrays",
    "CovenantStatus",
    "CovenantTest",
    "CovenantTests",
    "FacilityArrays",
    "METRIC_INPUTS",
    "ObservationArrays",
    "SculptedDebt",
    "StatementArrays",
    "average_dscr",
    "covenant_calendar",
    "covenant_test",
    "covenant_tests",
    "debt_capacity",
    "dscr",
    "facility_covenant_calendar",
    "facility_covenant_tests",
    "llcr",
    "min_dscr",
    "missing_input_names",
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
