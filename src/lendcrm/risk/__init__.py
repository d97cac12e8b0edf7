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
    PreBinning,
    Trend,
    UnseenRule,
    VariableKind,
    as_binary_target,
    fit_binning,
    fit_binning_set,
    fit_categorical,
    fit_numeric,
)
from lendcrm.risk.logistic import (
    Criterion,
    LogisticModel,
    Selection,
    fit_logistic,
    select_by_iv,
    stepwise,
)
from lendcrm.risk.masterscale import DEFAULT_MASTER_SCALE, MasterScale
from lendcrm.risk.metrics import (
    CharacteristicShift,
    GradeCalibration,
    HosmerLemeshow,
    IVStrength,
    Stability,
    auc,
    binomial_test,
    brier,
    calibration_by_grade,
    characteristic_analysis,
    csi,
    gini,
    hosmer_lemeshow,
    iv_strength,
    jeffreys_test,
    ks,
    psi,
    score_psi,
    stability_band,
)
from lendcrm.risk.scorecard import (
    STANDARD_SCALE,
    PointsRow,
    RoundingReport,
    Scorecard,
    ScoreScale,
    build_scorecard,
)
from lendcrm.risk.woe import information_value, iv_contributions, weight_of_evidence

__all__ = [  # noqa: RUF022 - plain sorted(), as tests/test_public_api.py checks
    "BinRow",
    "Binning",
    "BinningConfig",
    "BinningSet",
    "CharacteristicShift",
    "Criterion",
    "DEFAULT_BINNING",
    "DEFAULT_MASTER_SCALE",
    "GradeCalibration",
    "HosmerLemeshow",
    "IVStrength",
    "LogisticModel",
    "MasterScale",
    "PointsRow",
    "PreBinning",
    "RoundingReport",
    "STANDARD_SCALE",
    "ScoreScale",
    "Scorecard",
    "Selection",
    "Stability",
    "Trend",
    "UnseenRule",
    "VariableKind",
    "as_binary_target",
    "auc",
    "binomial_test",
    "brier",
    "build_scorecard",
    "calibration_by_grade",
    "characteristic_analysis",
    "csi",
    "fit_binning",
    "fit_binning_set",
    "fit_categorical",
    "fit_logistic",
    "fit_numeric",
    "gini",
    "hosmer_lemeshow",
    "information_value",
    "iv_contributions",
    "iv_strength",
    "jeffreys_test",
    "ks",
    "psi",
    "score_psi",
    "select_by_iv",
    "stability_band",
    "stepwise",
    "weight_of_evidence",
]
