"""Relationship models with every composed part, shared by the scale-out tests."""

from __future__ import annotations

import datetime as dt

import attrs
import numpy as np
import pandas as pd

from lendcrm.lifecycle import StageRules
from lendcrm.relationship import RelationshipModels, RelationshipPricing
from lendcrm.relationship.frames import fit_tiering
from lendcrm.risk.scoring import DEFAULT_MASTER_SCALE
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


def scorecard(clients: pd.DataFrame):
    """A small scorecard fitted on a synthetic book (defaults drawn from its PDs)."""
    from lendcrm.risk.scoring import BinningConfig, build_scorecard, fit_logistic
    from lendcrm.risk.scoring.frames import fit_binning_frame, woe_frame

    rng = np.random.default_rng(0)
    apps = clients[["annual_revenue", "sector", "product_count"]].copy()
    apps["bad"] = (rng.random(len(apps)) < clients["default_probability"]).astype(int)
    bins = fit_binning_frame(apps, target="bad", config=BinningConfig(max_bins=4))
    woe = woe_frame(bins, apps.drop(columns="bad"))
    model = fit_logistic(woe.to_numpy(), apps["bad"], names=list(bins.names))
    return build_scorecard(bins, model)


def rich_models() -> RelationshipModels:
    """Pricing, scorecard, master scale, stage rules, overlay and fitted tiers."""
    training = generate_frames(1500, seed=4, as_of=AS_OF)
    models = RelationshipModels(
        fx_rates=FX,
        pricing=RelationshipPricing(),
        scorecard=scorecard(training.clients),
        master_scale=DEFAULT_MASTER_SCALE,
        stage_rules=StageRules.builtin(),
        overlay=RiskOverlay(),
    )
    return attrs.evolve(
        models,
        tiering=fit_tiering(training.book_frames(), as_of=AS_OF, models=models),
    )
