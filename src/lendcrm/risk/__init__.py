"""Credit risk: scoring, validation, rating scales, pricing and capital.

Convention for scoring: the event is a **bad** (default, target 1); the weight of evidence
of a bin is `ln(share of goods / share of bads)`, so higher WoE and higher scores mean
lower risk. Every numeric function takes numpy arrays (or anything array-like) and returns
float64 arrays; pandas adapters live in `lendcrm.risk.scoring_frames`.
"""

from __future__ import annotations

# --- credit scoring (#5) ---
from lendcrm.risk.binning import (
    DEFAULT_BINNING,
    Binning,
    BinningConfig,
    BinningSet,
    BinRow,
    Trend,
    UnseenRule,
    VariableKind,
    as_binary_target,
    fit_binning,
    fit_binning_set,
    fit_categorical,
    fit_numeric,
)
from lendcrm.risk.woe import information_value, iv_contributions, weight_of_evidence

__all__ = [  # noqa: RUF022 - plain sorted(), as tests/test_public_api.py checks
    "BinRow",
    "Binning",
    "BinningConfig",
    "BinningSet",
    "DEFAULT_BINNING",
    "Trend",
    "UnseenRule",
    "VariableKind",
    "as_binary_target",
    "fit_binning",
    "fit_binning_set",
    "fit_categorical",
    "fit_numeric",
    "information_value",
    "iv_contributions",
    "weight_of_evidence",
]
