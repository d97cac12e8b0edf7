"""Credit risk: scoring, portfolio, risk-based pricing and regulatory capital.

Pure numerics on numpy arrays (pandas only in adapter modules). Each area re-exports
its public names in its own block below; import from the submodules for the full API.
"""

from __future__ import annotations

# --- pricing and capital (#6) ---
from lendcrm.risk.capital import (
    BASEL_II,
    BASEL_III,
    AssetClass,
    CapitalRegime,
    IRBCapital,
    MaturityPolicy,
    ProjectPhase,
    SlottingCategory,
    asset_correlation,
    capital_requirement,
    irb_capital,
    maturity_adjustment,
    project_finance_risk_weight,
    risk_weight,
    risk_weighted_assets,
    slotting_risk_weight,
)
from lendcrm.risk.exposure import (
    expected_loss,
    exposure_at_default,
)
from lendcrm.risk.pricing import (
    PriceBreakdown,
    RelationshipRaroc,
    eva,
    minimum_rate,
    price_facility,
    raroc,
    rate_to_decimal,
    relationship_raroc,
)

__all__ = [  # noqa: RUF022 - plain sorted(), as tests/test_public_api.py checks
    "AssetClass",
    "BASEL_II",
    "BASEL_III",
    "CapitalRegime",
    "IRBCapital",
    "MaturityPolicy",
    "PriceBreakdown",
    "ProjectPhase",
    "RelationshipRaroc",
    "SlottingCategory",
    "asset_correlation",
    "capital_requirement",
    "eva",
    "expected_loss",
    "exposure_at_default",
    "irb_capital",
    "maturity_adjustment",
    "minimum_rate",
    "price_facility",
    "project_finance_risk_weight",
    "raroc",
    "rate_to_decimal",
    "relationship_raroc",
    "risk_weight",
    "risk_weighted_assets",
    "slotting_risk_weight",
]
