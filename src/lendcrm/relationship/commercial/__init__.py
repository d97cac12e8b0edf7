"""Growing the business: prospect targeting, cross-sell, share of wallet, lifetime value.

- targeting: `fit_conversion` (binning, WoE and a logistic model from
  `lendcrm.risk.scoring`, validated with AUC and KS) gives a `ConversionModel`;
  `LookAlikeIndex` ranks prospects against the bank's best clients (`LookAlikes`,
  standardised by `Standardisation`); `indicative_offer` / `indicative_offers` price an
  offer from `lendcrm.risk.pricing` anchored on the look-alikes' rates (`OfferTerms`);
- lifetime value: the client lifecycle as a Markov chain (`StageChain`,
  `estimate_stage_chain` from lifecycle histories via `stage_paths` and
  `transition_counts`), then `lifetime_value` (batch) and `client_lifetime_value`
  (one client);
"""

from __future__ import annotations

from lendcrm.relationship.commercial._lifetime import (
    client_lifetime_value,
    lifetime_value,
    stage_codes,
    value_operator,
)
from lendcrm.relationship.commercial._lookalike import (
    LookAlikeIndex,
    LookAlikes,
    Standardisation,
    feature_matrix,
)
from lendcrm.relationship.commercial._stage_chain import (
    CLIENT_STAGES,
    StageChain,
    estimate_stage_chain,
    stage_code,
    stage_paths,
    transition_counts,
)

__all__ = [
    "CLIENT_STAGES",
    "LookAlikeIndex",
    "LookAlikes",
    "StageChain",
    "Standardisation",
    "client_lifetime_value",
    "estimate_stage_chain",
    "feature_matrix",
    "lifetime_value",
    "stage_code",
    "stage_codes",
    "stage_paths",
    "transition_counts",
    "value_operator",
]
