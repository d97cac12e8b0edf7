"""Growing the business: pipeline, forecast, targeting, cross-sell, lifetime value.

A map of the package (the pipeline's columnar face is
`lendcrm.relationship.commercial.frames`, its column names
`lendcrm.relationship.commercial.columns`):

- **Who and what.** `Prospect` (a company that is not a client yet, with its
  `ProspectSource` and the client that referred it) and `Opportunity` (a deal with a
  client or a prospect: product, amount, expected close, owner, `SyndicationRole`,
  `LostReason`), checked together against the bank's `lendcrm.Book` by `Pipeline`.
- **The pipeline machine.** `PIPELINE`, a `lendcrm.lifecycle.Machine` over
  `PipelineStage` and `PipelineEvent`: lead → qualified → proposal → credit approval
  → documentation → won, lost from any open stage with a reason, no skipping, no
  reopening. `advance_opportunity` moves a deal and records the move in its audited
  history; `Opportunity.days_in_stage` is the stage ageing.
- **Stage probabilities.** `estimate_stage_probabilities` (arrays) and
  `fit_stage_probabilities` (a `Pipeline`) give `StageProbabilities`: the cohort win
  rate from each stage among closed deals, a Clopper–Pearson interval, and
  credibility-weighted rates by segment; fewer than `MIN_CLOSED_DEALS` closed deals at
  a stage is refused, never read as 0 or 1.
- **The forecast.** `win_probability` (one deal) and `pipeline_forecast` (a
  `Pipeline`, by close month, owner, product, sector or role, as `ForecastLine`s).

Value and targeting:

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
  `transition_counts`, or `chain_from_paths` from the stages assessed at each period
  end), then `lifetime_value` (batch) and `client_lifetime_value`
  (one client), risk adjusted;
- attrition: `attrition_indicators`, `attrition_scores` (batch) and `attrition_risk`
  (one client) with `DEFAULT_ATTRITION` expert weights or `fit_attrition` on labels.

DataFrame faces (look-alikes, cross-sell, share of wallet, attrition per client) are
in `lendcrm.relationship.commercial.value_frames`.

Examples:
    >>> import datetime as dt
    >>> from lendcrm import ClientId, FacilityKind, Money
    >>> o = Opportunity(id=OpportunityId("O-1"), kind=FacilityKind.TERM_LOAN,
    ...                 amount=Money.of("25000000", "EUR"),
    ...                 created_on=dt.date(2026, 1, 12),
    ...                 expected_close_on=dt.date(2026, 6, 30), owner="rm-7",
    ...                 client_id=ClientId("C-1"))
    >>> o = advance_opportunity(o, "qualify", on=dt.date(2026, 2, 2), actor="rm-7")
    >>> o.stage.value, o.days_in_stage(dt.date(2026, 3, 1))
    ('qualified', 27)
    >>> advance_opportunity(o, "submit", on=dt.date(2026, 3, 1))
    Traceback (most recent call last):
    ...
    lendcrm.errors.IllegalTransitionError: Cannot apply event 'submit' to a deal 'O-1' in stage 'qualified'. Allowed events from 'qualified': propose, lose.
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
from lendcrm.relationship.commercial._opportunities import (
    LostReason,
    Opportunity,
    OpportunityId,
    SyndicationRole,
    advance_opportunity,
)
from lendcrm.relationship.commercial._pipeline_book import Pipeline
from lendcrm.relationship.commercial._pipeline_machine import (
    OPEN_STAGES,
    PIPELINE,
    PipelineEvent,
    PipelineStage,
)
from lendcrm.relationship.commercial._pipeline_probabilities import (
    MIN_CLOSED_DEALS,
    StageProbabilities,
    estimate_stage_probabilities,
)
from lendcrm.relationship.commercial._pipeline_views import (
    ForecastLine,
    fit_stage_probabilities,
    pipeline_forecast,
    win_probability,
)
from lendcrm.relationship.commercial._prospects import (
    Prospect,
    ProspectId,
    ProspectSource,
)
from lendcrm.relationship.commercial._stage_chain import (
    CLIENT_STAGES,
    StageChain,
    chain_from_paths,
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
    "ForecastLine",
    "IndicativeOffer",
    "LookAlikeIndex",
    "LookAlikes",
    "LostReason",
    "MIN_CLOSED_DEALS",
    "OPEN_STAGES",
    "OfferTerms",
    "Opportunity",
    "OpportunityId",
    "PIPELINE",
    "PRODUCTS",
    "Pipeline",
    "PipelineEvent",
    "PipelineStage",
    "ProductGaps",
    "Prospect",
    "ProspectId",
    "ProspectSource",
    "SIZE_BAND_EDGES",
    "StageChain",
    "StageProbabilities",
    "Standardisation",
    "SyndicationRole",
    "WalletShare",
    "WalletTable",
    "advance_opportunity",
    "attrition_indicators",
    "attrition_risk",
    "attrition_scores",
    "bank_revenue",
    "chain_from_paths",
    "client_lifetime_value",
    "client_share_of_wallet",
    "estimate_stage_chain",
    "estimate_stage_probabilities",
    "facility_revenue",
    "feature_matrix",
    "fit_attrition",
    "fit_conversion",
    "fit_stage_probabilities",
    "holdings_matrix",
    "indicative_offer",
    "indicative_offers",
    "lifetime_value",
    "peer_groups",
    "pipeline_forecast",
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
    "win_probability",
]
