"""How risky is the borrower: credit scoring, from raw characteristics to a grade.

- binning: `fit_binning`, `fit_binning_set`, `fit_numeric`, `fit_categorical` with
  monotone or shaped trends, special values and pre-binning (`BinningConfig`, `Binning`);
- weight of evidence and information value: `weight_of_evidence`, `information_value`;
- the logistic model on WoE features and its selection: `fit_logistic`, `stepwise`,
  `select_by_iv`;
- the points scorecard, its scale and reason codes: `build_scorecard`, `ScoreScale`,
  `Scorecard`;
- the rating master scale: `MasterScale`, `DEFAULT_MASTER_SCALE`;
- validation: discrimination (`auc`, `accuracy_ratio`, `ks`), calibration and
  back-testing (`hosmer_lemeshow` in or out of sample, `ValidationSample`; the one-sided
  `binomial_test`, `jeffreys_test` and `calibration_by_grade`; `brier`) and stability
  (`psi`, `csi`, `score_psi`, `characteristic_analysis`);
- reports: the gains/lift/KS table by score band (`gains_table`), the binning summary
  with quality flags (`binning_summary`) and the correlation/VIF filter over WoE
  features (`collinearity_filter`).

DataFrame in / DataFrame out adapters are in `lendcrm.risk.scoring.frames`; the
scikit-learn estimators (optional `sklearn` extra) are in `lendcrm.risk.scoring.sklearn`.

Convention: the event is a **bad** (default, target 1) and the weight of evidence of a
bin is `ln(share of goods / share of bads)`, so higher WoE and higher scores mean lower
risk.
"""

from __future__ import annotations

from lendcrm.risk.scoring._binning import Binning, BinningSet, BinRow
from lendcrm.risk.scoring._binning_check import as_binary_target
from lendcrm.risk.scoring._binning_config import (
    DEFAULT_BINNING,
    BinningConfig,
    PreBinning,
    UnseenRule,
    VariableKind,
)
from lendcrm.risk.scoring._binning_dp import Trend
from lendcrm.risk.scoring._binning_fit import (
    fit_binning,
    fit_binning_set,
    fit_categorical,
    fit_numeric,
)
from lendcrm.risk.scoring._binning_shape import TrendChoice
from lendcrm.risk.scoring._calibration import (
    GradeCalibration,
    HosmerLemeshow,
    ValidationSample,
    binomial_test,
    calibration_by_grade,
    hosmer_lemeshow,
    jeffreys_test,
)
from lendcrm.risk.scoring._collinearity import CollinearityReport, collinearity_filter
from lendcrm.risk.scoring._design import DroppedFeature, DropRule
from lendcrm.risk.scoring._gains import GainsRow, gains_table
from lendcrm.risk.scoring._logistic import (
    Criterion,
    LogisticModel,
    Selection,
    fit_logistic,
    select_by_iv,
    stepwise,
)
from lendcrm.risk.scoring._masterscale import (
    DEFAULT_MASTER_SCALE,
    MasterScale,
)
from lendcrm.risk.scoring._metrics import (
    CharacteristicShift,
    IVStrength,
    Stability,
    accuracy_ratio,
    auc,
    brier,
    characteristic_analysis,
    csi,
    iv_strength,
    ks,
    psi,
    score_psi,
    stability_band,
)
from lendcrm.risk.scoring._scorecard import (
    STANDARD_SCALE,
    PointsRow,
    RoundingReport,
    Scorecard,
    ScoreScale,
    build_scorecard,
)
from lendcrm.risk.scoring._summary import (
    BinningSummaryRow,
    QualityFlag,
    binning_summary,
)
from lendcrm.risk.scoring._woe import (
    information_value,
    iv_contributions,
    weight_of_evidence,
)

__all__ = [  # noqa: RUF022 - plain sorted(), as tests/test_public_api.py checks
    "BinRow",
    "Binning",
    "BinningConfig",
    "BinningSet",
    "BinningSummaryRow",
    "CharacteristicShift",
    "CollinearityReport",
    "Criterion",
    "DEFAULT_BINNING",
    "DEFAULT_MASTER_SCALE",
    "DropRule",
    "DroppedFeature",
    "GainsRow",
    "GradeCalibration",
    "HosmerLemeshow",
    "IVStrength",
    "LogisticModel",
    "MasterScale",
    "PointsRow",
    "PreBinning",
    "QualityFlag",
    "RoundingReport",
    "STANDARD_SCALE",
    "ScoreScale",
    "Scorecard",
    "Selection",
    "Stability",
    "Trend",
    "TrendChoice",
    "UnseenRule",
    "ValidationSample",
    "VariableKind",
    "accuracy_ratio",
    "as_binary_target",
    "auc",
    "binning_summary",
    "binomial_test",
    "brier",
    "build_scorecard",
    "calibration_by_grade",
    "characteristic_analysis",
    "collinearity_filter",
    "csi",
    "fit_binning",
    "fit_binning_set",
    "fit_categorical",
    "fit_logistic",
    "fit_numeric",
    "gains_table",
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
