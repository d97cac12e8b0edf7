"""What capital the exposure uses: exposure at default, IRB and slotting weights, mitigation.

- exposure: `exposure_at_default`, `expected_loss` and their one-facility forms;
- IRB capital (Basel II and III): `risk_weight`, `capital_requirement`,
  `risk_weighted_assets`, `irb_capital`, `asset_correlation`, `maturity_adjustment`,
  parameterised by a `CapitalRegime` (`BASEL_II`, `BASEL_III`);
- project finance: supervisory slotting (`slotting_risk_weight`, its expected loss
  `slotting_expected_loss_rate`) and the standardised
  weights by phase (`project_finance_risk_weight`);
- mitigation: supervisory haircuts scaled to a `HoldingPeriod`, the foundation LGD of a secured exposure and the
  substitution of a guarantor's risk weight.
"""

from __future__ import annotations

from lendcrm.risk.capital._exposure import (
    expected_loss,
    exposure_at_default,
    facility_expected_loss,
    facility_exposure_at_default,
)
from lendcrm.risk.capital._guarantees import (
    facility_guaranteed_rwa,
    guaranteed_risk_weighted_assets,
)
from lendcrm.risk.capital._haircuts import (
    FINANCIAL_COLLATERAL,
    SECURED_LENDING,
    SUPERVISORY_HAIRCUTS,
    TEN_BUSINESS_DAYS,
    HaircutSchedule,
    HoldingPeriod,
    SupervisoryCollateral,
    collateral_after_haircut,
    maturity_mismatch_factor,
    supervisory_haircut,
)
from lendcrm.risk.capital._irb import (
    IRBCapital,
    asset_correlation,
    capital_requirement,
    facility_irb_capital,
    irb_capital,
    maturity_adjustment,
    risk_weight,
    risk_weighted_assets,
)
from lendcrm.risk.capital._mitigation import (
    FACILITY_COLLATERAL,
    airb_lgd_floor,
    facility_airb_lgd_floor,
    facility_foundation_lgd,
    foundation_lgd,
    supervisory_lgd,
)
from lendcrm.risk.capital._regimes import (
    BASEL_II,
    BASEL_III,
    AdvancedLGDPolicy,
    AssetClass,
    CapitalRegime,
    MaturityPolicy,
)
from lendcrm.risk.capital._slotting import (
    ProjectFinancePhase,
    SlottingCategory,
    project_finance_phase,
    project_finance_risk_weight,
    slotting_expected_loss_rate,
    slotting_risk_weight,
)

__all__ = [  # noqa: RUF022 - plain sorted(), as tests/test_public_api.py checks
    "AdvancedLGDPolicy",
    "AssetClass",
    "BASEL_II",
    "BASEL_III",
    "CapitalRegime",
    "FACILITY_COLLATERAL",
    "FINANCIAL_COLLATERAL",
    "HaircutSchedule",
    "HoldingPeriod",
    "IRBCapital",
    "MaturityPolicy",
    "ProjectFinancePhase",
    "SECURED_LENDING",
    "SUPERVISORY_HAIRCUTS",
    "SlottingCategory",
    "SupervisoryCollateral",
    "TEN_BUSINESS_DAYS",
    "airb_lgd_floor",
    "asset_correlation",
    "capital_requirement",
    "collateral_after_haircut",
    "expected_loss",
    "exposure_at_default",
    "facility_airb_lgd_floor",
    "facility_expected_loss",
    "facility_exposure_at_default",
    "facility_foundation_lgd",
    "facility_guaranteed_rwa",
    "facility_irb_capital",
    "foundation_lgd",
    "guaranteed_risk_weighted_assets",
    "irb_capital",
    "maturity_adjustment",
    "maturity_mismatch_factor",
    "project_finance_phase",
    "project_finance_risk_weight",
    "risk_weight",
    "risk_weighted_assets",
    "slotting_expected_loss_rate",
    "slotting_risk_weight",
    "supervisory_haircut",
    "supervisory_lgd",
]
