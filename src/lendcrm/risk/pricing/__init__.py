"""What to charge and how much to lend: risk-based pricing, RAROC, limits, credit policy.

- pricing: `price_facility` and `price_book` (expected loss, capital charge, funding
  and operating cost, fees), `minimum_rate`, `raroc`, `eva`, `relationship_raroc`;
- limits: `propose_limits` from debt capacity, single-name headroom and the policy;
- credit policy through the cycle: `CreditPolicy` loosens in upturns and tightens in
  downturns (`COUNTER_CYCLICAL_POLICY`).

DataFrame adapters are in `lendcrm.risk.pricing.frames`.
"""

from __future__ import annotations

from lendcrm.risk.pricing._limits import (
    LimitConstraint,
    LimitProposal,
    LimitProposals,
    annuity_debt_capacity,
    propose_limit,
    propose_limits,
    single_name_headroom,
)
from lendcrm.risk.pricing._pricing import (
    BookPricing,
    PriceBreakdown,
    RelationshipRaroc,
    eva,
    minimum_rate,
    price_book,
    price_facility,
    price_facility_entity,
    raroc,
    rate_to_decimal,
    relationship_raroc,
    with_minimum_margin,
)

__all__ = [
    "BookPricing",
    "LimitConstraint",
    "LimitProposal",
    "LimitProposals",
    "PriceBreakdown",
    "RelationshipRaroc",
    "annuity_debt_capacity",
    "eva",
    "minimum_rate",
    "price_book",
    "price_facility",
    "price_facility_entity",
    "propose_limit",
    "propose_limits",
    "raroc",
    "rate_to_decimal",
    "relationship_raroc",
    "single_name_headroom",
    "with_minimum_margin",
]
