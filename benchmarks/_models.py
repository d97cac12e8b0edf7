"""The models the relationship benchmarks share: every composed model, fitted once.

`fitted_models` fits a scorecard (binning, logistic regression), the builtin stage
rules, pricing, the master scale, the risk overlay and tier cut-offs on a
20,000-client synthetic training book; ``bench_relationship`` and ``bench_scale``
both time the batch with these models, so their figures are for the same work.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import numpy as np

from lendcrm.lifecycle import StageRules
from lendcrm.relationship import RelationshipModels, RelationshipPricing
from lendcrm.relationship.frames import fit_tiering
from lendcrm.risk.capital import BASEL_III
from lendcrm.risk.scoring import (
    DEFAULT_MASTER_SCALE,
    BinningConfig,
    build_scorecard,
    fit_logistic,
)
from lendcrm.risk.scoring.frames import fit_binning_frame, woe_frame
from lendcrm.segmentation import RiskOverlay
from lendcrm.synthetic import generate_frames

AS_OF = dt.date(2025, 12, 31)
FX = {
    "GBP": 1.17,
    "USD": 0.92,
    "PLN": 0.23,
    "SEK": 0.088,
    "DKK": 0.134,
    "NOK": 0.086,
    "CHF": 1.05,
}
#: The keyword arguments of ``price_facilities_frame`` the pricing runs use.
PRICE_TERMS: dict[str, Any] = {
    "regime": BASEL_III,
    "funding_rate": 0.03,
    "operating_cost_rate": 0.004,
    "hurdle_rate": 0.12,
    "risk_free_rate": 0.03,
    "capital_ratio": 0.10,
}


def fitted_models() -> RelationshipModels:
    """Every composed model, fitted on a 20,000-client training book."""
    training = generate_frames(20_000, seed=4, as_of=AS_OF, periods=1)
    rng = np.random.default_rng(0)
    apps = training.clients[["annual_revenue", "sector", "product_count"]].copy()
    apps["bad"] = (
        rng.random(len(apps)) < training.clients["default_probability"]
    ).astype(int)
    bins = fit_binning_frame(apps, target="bad", config=BinningConfig(max_bins=5))
    logistic = fit_logistic(
        woe_frame(bins, apps.drop(columns="bad")).to_numpy(),
        apps["bad"],
        names=list(bins.names),
    )
    models = RelationshipModels(
        fx_rates=FX,
        pricing=RelationshipPricing(),
        scorecard=build_scorecard(bins, logistic),
        master_scale=DEFAULT_MASTER_SCALE,
        stage_rules=StageRules.builtin(),
        overlay=RiskOverlay(),
    )
    tiers = fit_tiering(training.book_frames(), as_of=AS_OF, models=models)
    return attrs.evolve(models, tiering=tiers)
