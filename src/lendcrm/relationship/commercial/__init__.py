"""Growing the business: prospect targeting, cross-sell, share of wallet, lifetime value.

- targeting: `fit_conversion` (binning, WoE and a logistic model from
  `lendcrm.risk.scoring`, validated on a holdout with AUC and KS) gives a
  `ConversionModel`; `LookAlikeIndex` ranks prospects against the bank's best clients
  (`LookAlikes`, standardised by `Standardisation`, explained by closest features);
  `indicative_offer` / `indicative_offers` price an offer with `lendcrm.risk.pricing`,
  anchored on the look-alikes' rates (`OfferTerms`, `IndicativeOffer`);
- cross-sell: `products_of` (a client of a `Book`), `holdings_matrix`, `size_bands`,
  `peer_groups`, then `product_gaps` (batch, `ProductGaps`) and `product_gap` (one
  client, `ClientProductGap`): peer holding rates, shrunk propensities and the next
  best product;
- share of wallet: `facility_revenue`, `bank_revenue`, `share_of_wallet` and
  `client_share_of_wallet` with a replaceable sector table (`WalletTable`,
  `DEFAULT_WALLET_TABLE`);
- lifetime value: the client lifecycle as a Markov chain (`StageChain`,
  `estimate_stage_chain` from lifecycle histories via `stage_paths` and
  `transition_counts`), then `lifetime_value` (batch) and `client_lifetime_value`
  (one client), risk adjusted;
- attrition: `attrition_indicators`, `attrition_scores` (batch) and `attrition_risk`
  (one client) with `DEFAULT_ATTRITION` expert weights or `fit_attrition` on labels.

DataFrame faces (look-alikes, cross-sell, share of wallet, attrition per client) are
in `lendcrm.relationship.commercial.value_frames`.
"""

from __future__ import annotations

from lendcrm.relationship.commercial._attrition import (
    ATTRITION_FACTORS,
    DEFAULT_ATTRITION,
    AttritionModel,
    AttritionRisk,
    AttritionScores,
    attrition_indicators,
    attrition_risk,
    attrition_scores,
    fit_attrition,
)
from lendcrm.relationship.commercial._cross_sell import (
    PRODUCTS,
    SIZE_BAND_EDGES,
    ClientProductGap,
    ProductGaps,
    holdings_matrix,
    peer_groups,
    product_gap,
    product_gaps,
    products_of,
    size_bands,
)
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
from lendcrm.relationship.commercial._offer import (
    IndicativeOffer,
    OfferTerms,
    indicative_offer,
    indicative_offers,
)
from lendcrm.relationship.commercial._stage_chain import (
    CLIENT_STAGES,
    StageChain,
    estimate_stage_chain,
    stage_code,
    stage_paths,
    transition_counts,
)
from lendcrm.relationship.commercial._targeting import ConversionModel, fit_conversion
from lendcrm.relationship.commercial._wallet import (
    DEFAULT_WALLET_TABLE,
    WalletShare,
    WalletTable,
    bank_revenue,
    client_share_of_wallet,
    facility_revenue,
    share_of_wallet,
)

__all__ = [  # noqa: RUF022 - plain sorted(), as tests/test_public_api.py checks
    "ATTRITION_FACTORS",
    "AttritionModel",
    "AttritionRisk",
    "AttritionScores",
    "CLIENT_STAGES",
    "ClientProductGap",
    "ConversionModel",
    "DEFAULT_ATTRITION",
    "DEFAULT_WALLET_TABLE",
    "IndicativeOffer",
    "LookAlikeIndex",
    "LookAlikes",
    "OfferTerms",
    "PRODUCTS",
    "ProductGaps",
    "SIZE_BAND_EDGES",
    "StageChain",
    "Standardisation",
    "WalletShare",
    "WalletTable",
    "annotations",
    "attrition_indicators",
    "attrition_risk",
    "attrition_scores",
    "bank_revenue",
    "client_lifetime_value",
    "client_share_of_wallet",
    "estimate_stage_chain",
    "facility_revenue",
    "feature_matrix",
    "fit_attrition",
    "fit_conversion",
    "holdings_matrix",
    "indicative_offer",
    "indicative_offers",
    "lifetime_value",
    "peer_groups",
    "product_gap",
    "product_gaps",
    "products_of",
    "share_of_wallet",
    "size_bands",
    "stage_code",
    "stage_codes",
    "stage_paths",
    "transition_counts",
    "value_operator",
]
