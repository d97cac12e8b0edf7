"""The columnar face of the commercial pipeline: prospects and opportunities as frames.

Column names are the `lendcrm.relationship.commercial.columns` constants (plus the core
names of `lendcrm.frames.columns` where the meaning is the same). Every function reads
codes (categoricals as they are, other columns factorised once) and aggregates with
``np.bincount``; its result equals the entity face of
`lendcrm.relationship.commercial`, deal for deal.

- Frames: `prospects_frame`, `opportunities_frame` (from a `Pipeline`),
  `pipeline_from_frames` (back to entities), and their checkers `validate_prospects_frame`, `validate_opportunities_frame`, which name the
  first offending rows of every broken rule.
- Estimate: `fit_stage_probabilities_frame` (cohort win rate by stage, Clopper–Pearson
  interval, credibility-weighted segments).
- Forecast: `win_probabilities` (per deal), `forecast_by` (probability-weighted
  pipeline by close month, owner, product, sector or syndication role; `forecasts`
  for several groupings in one pass), `stage_ages`
  (days in the current stage).
- Outcomes: `win_rates_by`, `cycle_times_by`, `conversion_funnel`,
  `close_date_slippage` (from pipeline snapshots) and `forecast_backtest` (a past
  forecast against what closed).

Examples:
    >>> from lendcrm.synthetic import generate_pipeline
    >>> sp = generate_pipeline(2_000, seed=7)
    >>> probabilities = fit_stage_probabilities_frame(sp.opportunities)
    >>> probabilities.probability.round(2).tolist()
    [0.12, 0.28, 0.5, 0.75, 0.91]
    >>> forecast_by(sp.opportunities, probabilities, by="kind").columns.tolist()
    ['pipeline_amount', 'weighted_amount', 'deals']
"""

from __future__ import annotations

from lendcrm.relationship.commercial._pipeline_analytics import (
    fit_stage_probabilities_frame,
    forecast_by,
    forecasts,
    stage_ages,
    win_probabilities,
)
from lendcrm.relationship.commercial._pipeline_columnar import (
    opportunities_frame,
    prospects_frame,
    validate_opportunities_frame,
    validate_prospects_frame,
)
from lendcrm.relationship.commercial._pipeline_outcomes import (
    close_date_slippage,
    conversion_funnel,
    cycle_times_by,
    forecast_backtest,
    win_rates_by,
)
from lendcrm.relationship.commercial._pipeline_read import pipeline_from_frames

__all__ = [
    "close_date_slippage",
    "conversion_funnel",
    "cycle_times_by",
    "fit_stage_probabilities_frame",
    "forecast_backtest",
    "forecast_by",
    "forecasts",
    "opportunities_frame",
    "pipeline_from_frames",
    "prospects_frame",
    "stage_ages",
    "validate_opportunities_frame",
    "validate_prospects_frame",
    "win_probabilities",
    "win_rates_by",
]
