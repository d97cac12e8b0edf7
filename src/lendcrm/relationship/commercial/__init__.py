"""Growing the business: the deal pipeline, its stage probabilities and its forecast.

A map of the package (the columnar face is `lendcrm.relationship.commercial.frames`,
its column names `lendcrm.relationship.commercial.columns`):

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

__all__ = [  # noqa: RUF022 - plain sorted(), as tests/test_public_api.py checks
    "ForecastLine",
    "LostReason",
    "MIN_CLOSED_DEALS",
    "OPEN_STAGES",
    "Opportunity",
    "OpportunityId",
    "PIPELINE",
    "Pipeline",
    "PipelineEvent",
    "PipelineStage",
    "Prospect",
    "ProspectId",
    "ProspectSource",
    "StageProbabilities",
    "SyndicationRole",
    "advance_opportunity",
    "estimate_stage_probabilities",
    "fit_stage_probabilities",
    "pipeline_forecast",
    "win_probability",
]
