"""What to charge and how much to lend: risk-based pricing, RAROC, limits, credit policy.

- pricing: `price_facility` and `price_book` (expected loss, capital charge, funding
  and operating cost, fees), `minimum_rate`, `raroc`, `eva`; RAROC is pre-tax and the
  hurdle is pre-tax by default (`HurdleBasis`, `pre_tax_hurdle` gross up an after-tax
  one); `capital_maturity=` takes the IRB effective maturity of a cash-flow schedule
  (`lendcrm.risk.capital.effective_maturity`, CRE32.47);
- relationship RAROC: `relationship_raroc` by client id, `relationship_raroc_by_code`
  for factorised client codes (the batch form);
- over a loan's life: `lifetime_raroc` prices an amortising loan or a revolver on
  its schedule (`lendcrm.risk.schedules`), per contract year and in present value,
  with the upfront fee spread over the weighted average life, at the bank's share;
- limits: `propose_limits` from debt capacity, single-name headroom and the policy;
- credit policy through the cycle: `CreditPolicy` holds terms per cycle state; the
  default `COUNTER_CYCLICAL_POLICY` tightens in downturns and does not loosen beyond
  neutral in upturns.

DataFrame adapters are in `lendcrm.risk.pricing.frames`.
"""

from __future__ import annotations

from lendcrm.risk.pricing._facility import facility_price, with_minimum_margin
from lendcrm.risk.pricing._lifetime import LifetimeRaroc, lifetime_raroc
from lendcrm.risk.pricing._limits import (
    LimitConstraint,
    LimitProposal,
    LimitProposals,
    annuity_debt_capacity,
    propose_limit,
    propose_limits,
    single_name_headroom,
)
from lendcrm.risk.pricing._policy import (
    COUNTER_CYCLICAL_POLICY,
    ApprovalAuthority,
    CreditPolicy,
    FacilityDecision,
    PolicyDecision,
    PolicyTerms,
)
from lendcrm.risk.pricing._pricing import (
    BookPricing,
    PriceBreakdown,
    minimum_rate,
    price_book,
    price_facility,
    rate_to_decimal,
)
from lendcrm.risk.pricing._raroc import HurdleBasis, eva, pre_tax_hurdle, raroc
from lendcrm.risk.pricing._relationship import (
    RelationshipRaroc,
    relationship_raroc,
    relationship_raroc_by_code,
)

__all__ = [  # noqa: RUF022 - plain sorted(), as tests/test_public_api.py checks
    "ApprovalAuthority",
    "BookPricing",
    "COUNTER_CYCLICAL_POLICY",
    "CreditPolicy",
    "FacilityDecision",
    "HurdleBasis",
    "LifetimeRaroc",
    "LimitConstraint",
    "LimitProposal",
    "LimitProposals",
    "PolicyDecision",
    "PolicyTerms",
    "PriceBreakdown",
    "RelationshipRaroc",
    "annuity_debt_capacity",
    "eva",
    "facility_price",
    "lifetime_raroc",
    "minimum_rate",
    "pre_tax_hurdle",
    "price_book",
    "price_facility",
    "propose_limit",
    "propose_limits",
    "raroc",
    "rate_to_decimal",
    "relationship_raroc",
    "relationship_raroc_by_code",
    "single_name_headroom",
    "with_minimum_margin",
]
