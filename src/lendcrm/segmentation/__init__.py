"""Value segmentation: who the valuable clients are and how concentrated value is.

It also says how tiers should move when risk rises.

- Inputs: `ClientFeatures` (aligned arrays, validated once), built from a clients
  frame with `ClientFeatures.from_frame`.
- Strategies (`SegmentationStrategy`): `ParetoABC`, `QuantileTiers`,
  `ThresholdTiers`, `WeightedValueScore`, `RFM`, `KMeansTiers`, and your own via
  `from_function`; looked up by name in a `StrategyRegistry` you own.
- Tiers: `Tier` (diamond, gold, silver, basic) and the `ServiceStrategy` per tier
  (`SERVICE_STRATEGIES` is the default table; `service_strategy` looks one up in the
  caller's table).
- Risk and dynamics: `risk_adjusted_value`, `RiskOverlay`, `resegment` with
  `Hysteresis`, `migration_matrix`.
- Concentration: `lorenz_curve`, `gini`, `hhi`, `equivalent_number`, `top_share`,
  `pareto_point`, `whale_curve`.

Examples:
    >>> from lendcrm.segmentation import ClientFeatures, StrategyRegistry, gini
    >>> f = ClientFeatures(client_ids=list("abcd"), revenue=[70.0, 20.0, 6.0, 4.0],
    ...     profit=[20.0, 5.0, 1.0, -1.0], tenure_years=[8, 2, 5, 1],
    ...     product_count=[4, 2, 1, 1], referral_count=[2, 0, 1, 0])
    >>> registry = StrategyRegistry.with_builtins()
    >>> registry.get("weighted_value_score").assign(f).labels.tolist()
    ['diamond', 'silver', 'basic', 'basic']
    >>> round(gini(f.revenue), 3)
    0.53
"""

from __future__ import annotations

from lendcrm.segmentation._concentration import (
    LorenzCurve,
    WhaleCurve,
    equivalent_number,
    gini,
    hhi,
    lorenz_curve,
    pareto_point,
    top_share,
    whale_curve,
)
from lendcrm.segmentation._dynamic import (
    Hysteresis,
    MigrationMatrix,
    RiskOverlay,
    migration_matrix,
    resegment,
    risk_adjusted_value,
)
from lendcrm.segmentation._features import ClientFeatures, Measure
from lendcrm.segmentation._numeric import Normalisation
from lendcrm.segmentation._protocol import (
    Segmentation,
    SegmentationStrategy,
    from_function,
)
from lendcrm.segmentation._registry import StrategyRegistry
from lendcrm.segmentation._score_strategies import (
    DEFAULT_WEIGHTS,
    RFM,
    RFM_SEGMENTS,
    FactorWeights,
    KMeansTiers,
    WeightedValueScore,
    factor_matrix,
    quintile_score,
)
from lendcrm.segmentation._service import (
    MEANINGFUL_CHANNELS,
    SERVICE_STRATEGIES,
    ServiceStrategy,
    check_strategy_table,
    service_strategy,
)
from lendcrm.segmentation._tier_strategies import (
    ParetoABC,
    QuantileTiers,
    ThresholdTiers,
)
from lendcrm.segmentation._tiers import (
    TIER_LEVELS,
    TIERS_BEST_FIRST,
    Tier,
)

__all__ = [  # noqa: RUF022 - plain sorted(), as tests/test_public_api.py checks
    "ClientFeatures",
    "DEFAULT_WEIGHTS",
    "FactorWeights",
    "Hysteresis",
    "KMeansTiers",
    "LorenzCurve",
    "MEANINGFUL_CHANNELS",
    "Measure",
    "MigrationMatrix",
    "Normalisation",
    "ParetoABC",
    "QuantileTiers",
    "RFM",
    "RFM_SEGMENTS",
    "RiskOverlay",
    "SERVICE_STRATEGIES",
    "Segmentation",
    "SegmentationStrategy",
    "ServiceStrategy",
    "StrategyRegistry",
    "TIERS_BEST_FIRST",
    "TIER_LEVELS",
    "ThresholdTiers",
    "Tier",
    "WeightedValueScore",
    "WhaleCurve",
    "check_strategy_table",
    "equivalent_number",
    "factor_matrix",
    "from_function",
    "gini",
    "hhi",
    "lorenz_curve",
    "migration_matrix",
    "pareto_point",
    "quintile_score",
    "resegment",
    "risk_adjusted_value",
    "service_strategy",
    "top_share",
    "whale_curve",
]
