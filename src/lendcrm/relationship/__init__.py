"""The relationship layer: early warning, next best action and feedback, per client.

This is the only lendcrm module that may compose lifecycle, segmentation and risk.
Its numeric core works on plain arrays of per-client facts (`ClientFacts`), with stage,
tier and rating as plain strings, so every piece can be used and tested on its own:

- `client_facts` builds and validates the facts; `early_warnings` raises the
  signals, the early-warning score and the watchlist recommendation with reasons.
- `next_best_actions` ranks what to do with each client by pluggable
  `NextBestActionRule`s (ten built-ins in `ActionRules.builtin`; `NoRecentContact`
  reads the contact standard, `OverdueTasks` the tasks passed in; both are added by
  the caller).
- `net_promoter_score`, `nps_by_group` and `satisfaction_trend` analyse feedback.
- `client_view` (one client of a `Book`) and `relationship_frame` (every client of a
  `BookFrames`, vectorised) compose all of it with the `RelationshipModels`: pricing
  and RAROC (`lendcrm.risk`; over the facilities' lives too, from their repayment
  schedules, with ``RelationshipPricing(lifetime=True)``), score and master-scale
  grade, lifecycle stage
  (`lendcrm.lifecycle`) and value tier (`lendcrm.segmentation`), with the early
  warnings feeding the stage rules and the risk overlay. A frame row equals the
  client's view.
- `client_signals` (one client of a `Book`) and
  `lendcrm.relationship.frames.signals_from_history` (every client, vectorised)
  derive the lifecycle signals (growth year on year, notches moved, utilisation
  change, days past due, months since the first drawdown, ...) from the book's
  histories; `lendcrm.relationship.frames.rating_migration_counts` and
  `tier_migration` count how ratings and value tiers moved between two dates.
- The service model (`lendcrm.relationship.workflows`, #13): the view and the frame
  carry the client's RM, last meaningful contact, contact standing and next credit
  review from the bank's `ServiceStrategies` (``RelationshipModels.service``).
- `lendcrm.relationship.scaleout` cuts a book into parts of whole clients for Dask or
  any other worker pool, and runs the relationship view, lifecycle stages, facility
  pricing and scoring over client ranges read where they are processed; the parts'
  results equal the whole.

Examples:
    >>> from lendcrm.relationship import client_facts, early_warnings, next_best_actions
    >>> facts = client_facts(client_ids=["C-1", "C-2"], stage=["growth", "maturity"],
    ...                      tier=["gold", "basic"], utilisation=[0.91, 0.40],
    ...                      days_past_due=[0, 45], covenant_breaches=[0, 1])
    >>> ew = early_warnings(facts)
    >>> ew.watchlist.tolist(), ew.reasons(1)
    ([False, True], ('past_due', 'covenant_breach'))
    >>> facts = facts.with_early_warnings(ew)
    >>> [a.name for a in next_best_actions(facts).actions(0)]
    ['limit_increase', 'cross_sell']
"""

from __future__ import annotations

from lendcrm.relationship._actions import (
    BUILTIN_RULES,
    Action,
    ActionRules,
    AnnualReviewDue,
    CrossSell,
    ExitPlan,
    FeedbackFollowUp,
    FirstDrawdownFollowUp,
    LimitIncrease,
    NextBestActionRule,
    NextBestActions,
    NoRecentContact,
    OverdueTasks,
    ReferralAsk,
    Repricing,
    TailoredRefinancing,
    WaiverReview,
    next_best_actions,
)
from lendcrm.relationship._commercial_view import RetentionCall
from lendcrm.relationship._early_warning import (
    DEFAULT_POLICY,
    SIGNALS,
    EarlyWarningPolicy,
    EarlyWarnings,
    SignalWeights,
    early_warnings,
)
from lendcrm.relationship._facts import FACT_NAMES, ClientFacts, client_facts
from lendcrm.relationship._feedback import (
    DETRACTOR_MAX,
    PROMOTER_MIN,
    NpsTable,
    SatisfactionTrend,
    net_promoter_score,
    nps_by_group,
    satisfaction_trend,
)
from lendcrm.relationship._models import RelationshipModels
from lendcrm.relationship._pricing import (
    RelationshipPrices,
    RelationshipPricing,
    price_relationships,
)
from lendcrm.relationship._signals_client import client_signals
from lendcrm.relationship._view import ClientView, client_view

__all__ = [  # noqa: RUF022 - plain sorted order, as tests/test_public_api.py checks
    "Action",
    "ActionRules",
    "AnnualReviewDue",
    "BUILTIN_RULES",
    "ClientFacts",
    "ClientView",
    "CrossSell",
    "DEFAULT_POLICY",
    "DETRACTOR_MAX",
    "EarlyWarningPolicy",
    "EarlyWarnings",
    "ExitPlan",
    "FACT_NAMES",
    "FeedbackFollowUp",
    "FirstDrawdownFollowUp",
    "LimitIncrease",
    "NextBestActionRule",
    "NextBestActions",
    "NoRecentContact",
    "NpsTable",
    "OverdueTasks",
    "PROMOTER_MIN",
    "ReferralAsk",
    "RelationshipModels",
    "RelationshipPrices",
    "RelationshipPricing",
    "Repricing",
    "RetentionCall",
    "SIGNALS",
    "SatisfactionTrend",
    "SignalWeights",
    "TailoredRefinancing",
    "WaiverReview",
    "client_facts",
    "client_signals",
    "client_view",
    "early_warnings",
    "net_promoter_score",
    "next_best_actions",
    "nps_by_group",
    "price_relationships",
    "satisfaction_trend",
]
