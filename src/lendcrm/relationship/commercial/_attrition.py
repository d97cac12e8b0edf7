r"""Attrition risk: the probability that a good client leaves within twelve months.

A scorecard-style logistic model on six warning signs, each zero for a client that
shows none of it:

| factor | indicator $x_j$ | from |
|---|---|---|
| ``utilisation_fall`` | $\max(0, -\Delta u)$, fall in drawn/limit over 12 months | signal ``utilisation_change`` |
| ``exposure_fall`` | $\max(0, -g)$, fall in exposure over 12 months | signal ``exposure_growth_yoy`` |
| ``product_loss`` | $\max(0, -\Delta n)$, products given up | signal ``product_count_change`` |
| ``satisfaction_fall`` | $\max(0, -\Delta s)$, fall in the mean feedback score (0-10) | feedback |
| ``low_satisfaction`` | $\max(0, 5 - s)$, latest mean score below 5 | feedback |
| ``prepayment`` | share of the limit repaid or cancelled early | competitor refinancing |

$$\ln\frac{p}{1-p} = b_0 + \sum_j w_j x_j, \qquad
\text{points}_j = \frac{20}{\ln 2}\, w_j x_j,$$

so 20 points double the odds of leaving; the score is the sum of the points and the
reasons are the factors with the most points. With labels (who left), `fit_attrition`
estimates $b_0$ and $w$ with `lendcrm.risk.scoring.fit_logistic`. Without labels,
`DEFAULT_ATTRITION` holds expert-judgement weights (documented on the model; they are
a starting point to be replaced by a fit, not a calibrated estimate).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Final

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import (
    FloatArray,
    IntArray,
    as_float_array,
    check_same_length,
    numeric_array,
)
from lendcrm._collections import require_mapping
from lendcrm._validators import nan_equal
from lendcrm.errors import InvalidValueError
from lendcrm.risk.scoring import as_binary_target, auc, fit_logistic, ks

__all__ = [
    "ATTRITION_FACTORS",
    "DEFAULT_ATTRITION",
    "AttritionModel",
    "AttritionRisk",
    "AttritionScores",
    "attrition_indicators",
    "attrition_risk",
    "attrition_scores",
    "fit_attrition",
]

#: The warning signs, in the column order of the indicator matrix.
ATTRITION_FACTORS: Final = (
    "utilisation_fall",
    "exposure_fall",
    "product_loss",
    "satisfaction_fall",
    "low_satisfaction",
    "prepayment",
)
#: Points that double the odds of leaving.
POINTS_TO_DOUBLE: Final = 20.0
#: Feedback score (0-10) below which satisfaction counts as low.
LOW_SCORE: Final = 5.0
#: Reasons kept per client.
TOP_REASONS: Final = 3


def _weights(values: object) -> tuple[float, ...]:
    w = tuple(float(v) for v in values)  # type: ignore[attr-defined]
    if len(w) != len(ATTRITION_FACTORS) or not all(math.isfinite(v) for v in w):
        raise InvalidValueError(
            field="weights",
            value=w,
            expected=f"{len(ATTRITION_FACTORS)} finite weights, one per factor "
            f"{ATTRITION_FACTORS!r}",
        )
    return w


@attrs.frozen(kw_only=True)
class AttritionModel:
    """Intercept and weights of the attrition logit (per unit of each indicator).

    Attributes:
        intercept: Log-odds of leaving for a client with no warning sign.
        weights: One weight per `ATTRITION_FACTORS` entry.
        validation_auc: AUC where fitted on labels (NaN for expert weights).
        validation_ks: KS where fitted on labels (NaN for expert weights).

    Two NaN figures compare equal, so a model equals its JSON round trip (NaN is
    ``null`` there).
    """

    intercept: float
    weights: tuple[float, ...] = attrs.field(converter=_weights)
    validation_auc: float = attrs.field(default=math.nan, eq=nan_equal)
    validation_ks: float = attrs.field(default=math.nan, eq=nan_equal)

    def log_odds(self, indicators: FloatArray) -> FloatArray:
        """``b0 + X w`` for an indicator matrix ``(n, 6)``."""
        return np.asarray(self.intercept + indicators @ np.asarray(self.weights))


#: Expert-judgement defaults: a 4 % yearly base rate for a client with no warning sign
#: (``ln(0.04 / 0.96)``); each weight is set so that a plausible bad case adds about one
#: unit of log-odds (odds x 2.7): a 25-point utilisation fall (4.0 per unit), a halved
#: exposure (2.0), one product given up (0.7), a 3-point satisfaction fall (0.35 per
#: point), a mean score of 2 (0.3 per point below 5), a third of the limit prepaid (3.0).
DEFAULT_ATTRITION: Final = AttritionModel(
    intercept=math.log(0.04 / 0.96),
    weights=(4.0, 2.0, 0.7, 0.35, 0.3, 3.0),
)


def attrition_indicators(
    *,
    utilisation_change: npt.ArrayLike,
    exposure_growth: npt.ArrayLike,
    product_count_change: npt.ArrayLike,
    satisfaction_change: npt.ArrayLike,
    satisfaction: npt.ArrayLike,
    prepaid_share: npt.ArrayLike,
) -> FloatArray:
    """The indicator matrix ``(n, 6)`` of the warning signs (see the module table).

    A missing satisfaction (no feedback: NaN) counts as no warning sign.

    Args:
        utilisation_change: Change of drawn/limit over 12 months (fraction points).
        exposure_growth: Year-on-year growth of exposure (fraction; -0.5 = halved).
        product_count_change: Change in products held over 12 months.
        satisfaction_change: Change of the mean feedback score, NaN if unknown.
        satisfaction: Latest mean feedback score in [0, 10], NaN if unknown.
        prepaid_share: Share of the limit repaid or cancelled early, in [0, 1].

    Raises:
        InvalidValueError: a value is not finite or out of range, or the arrays differ
            in length (names the argument).

    Examples:
        >>> attrition_indicators(utilisation_change=[-0.25], exposure_growth=[0.1],
        ...     product_count_change=[-1], satisfaction_change=[float("nan")],
        ...     satisfaction=[3.0], prepaid_share=[0.0]).tolist()
        [[0.25, 0.0, 1.0, 0.0, 2.0, 0.0]]
    """
    u = as_float_array(utilisation_change, name="utilisation_change")
    g = as_float_array(exposure_growth, name="exposure_growth", lower=-1.0)
    n = as_float_array(product_count_change, name="product_count_change")
    ds = as_float_array(satisfaction_change, name="satisfaction_change", allow_nan=True)
    s = as_float_array(
        satisfaction, name="satisfaction", lower=0, upper=10, allow_nan=True
    )
    pp = as_float_array(prepaid_share, name="prepaid_share", lower=0.0, upper=1.0)
    check_same_length(
        utilisation_change=u,
        exposure_growth=g,
        product_count_change=n,
        satisfaction_change=ds,
        satisfaction=s,
        prepaid_share=pp,
    )
    cols = (-u, -g, -n, np.nan_to_num(-ds), np.nan_to_num(LOW_SCORE - s), pp)
    return np.maximum(np.column_stack(cols), 0.0)


@attrs.frozen(kw_only=True, eq=False)
class AttritionScores:
    """Attrition risk of many clients (batch face).

    Attributes:
        probability: Probability of leaving within 12 months, ``(n,)``.
        points: Points per factor, ``(n, 6)`` (20 points double the odds).
        score: Sum of the points, ``(n,)`` (0: no warning sign).
        reasons: Factor indices with the most points, most first, -1 where fewer
            factors have points, ``(n, 3)``.
    """

    probability: FloatArray
    points: FloatArray
    score: FloatArray
    reasons: IntArray

    def reason_names(self, row: int) -> tuple[str, ...]:
        """The reasons of one client, by name."""
        return tuple(ATTRITION_FACTORS[j] for j in self.reasons[row] if j >= 0)


@attrs.frozen(kw_only=True)
class AttritionRisk:
    """Attrition risk of one client (one-entity face).

    Attributes:
        probability: Probability of leaving within 12 months.
        score: Points (20 double the odds; 0 for no warning sign).
        reasons: Up to three factor names, most points first.
    """

    probability: float
    score: float
    reasons: tuple[str, ...]


def _sigmoid(x: FloatArray) -> FloatArray:
    return np.asarray(0.5 * (1.0 + np.tanh(0.5 * x)), dtype=np.float64)


def attrition_scores(
    indicators: npt.ArrayLike, *, model: AttritionModel = DEFAULT_ATTRITION
) -> AttritionScores:
    """Probability, points and reasons for many clients.

    Args:
        indicators: The matrix of `attrition_indicators`, ``(n, 6)``, >= 0.
        model: Intercept and weights (`DEFAULT_ATTRITION` or a fitted model).

    Raises:
        InvalidValueError: not an ``(n, 6)`` matrix of finite values >= 0.

    Examples:
        >>> s = attrition_scores([[0.25, 0, 1, 0, 2, 0]])
        >>> round(float(s.probability[0]), 4), s.reason_names(0)
        (0.2936, ('utilisation_fall', 'product_loss', 'low_satisfaction'))
    """
    x = numeric_array(indicators, name="indicators").astype(np.float64)
    if x.ndim != 2 or x.shape[1] != len(ATTRITION_FACTORS):  # noqa: PLR2004 - matrix
        raise InvalidValueError(
            field="indicators",
            value=f"shape {x.shape}",
            expected=f"a matrix (n, {len(ATTRITION_FACTORS)}) from attrition_indicators",
        )
    as_float_array(x.ravel(), name="indicators", lower=0.0)
    contributions = x * np.asarray(model.weights)
    points = contributions * (POINTS_TO_DOUBLE / math.log(2.0))
    order = np.argsort(-points, axis=1, kind="stable")[:, :TOP_REASONS]
    top = np.take_along_axis(points, order, axis=1)
    reasons = np.where(top > 0.0, order, -1).astype(np.int64)
    return AttritionScores(
        probability=_sigmoid(model.intercept + contributions.sum(axis=1)),
        points=points,
        score=points.sum(axis=1),
        reasons=reasons,
    )


def attrition_risk(
    signals: Mapping[str, float], *, model: AttritionModel = DEFAULT_ATTRITION
) -> AttritionRisk:
    """Attrition risk of one client from its signals (one-entity face).

    ``signals`` holds the six keyword arguments of `attrition_indicators` as numbers.

    Raises:
        InvalidValueError: a signal is missing or out of range.

    Examples:
        >>> r = attrition_risk({"utilisation_change": -0.25, "exposure_growth": 0.1,
        ...     "product_count_change": -1, "satisfaction_change": float("nan"),
        ...     "satisfaction": 3.0, "prepaid_share": 0.0})
        >>> round(r.probability, 4), round(r.score, 1), r.reasons[0]
        (0.2936, 66.4, 'utilisation_fall')
    """
    needed = (
        "utilisation_change",
        "exposure_growth",
        "product_count_change",
        "satisfaction_change",
        "satisfaction",
        "prepaid_share",
    )
    require_mapping(signals, name="signals", what="a mapping of signal name to value")
    missing = [k for k in needed if k not in signals]
    if missing:
        raise InvalidValueError(
            field=f"signals[{missing[0]!r}]",
            value="missing",
            expected=f"all of {needed!r}",
        )
    x = attrition_indicators(**{k: [signals[k]] for k in needed})
    ind = x[0]
    points = ind * np.asarray(model.weights) * (POINTS_TO_DOUBLE / math.log(2.0))
    ranked = sorted(
        (j for j in range(len(ATTRITION_FACTORS)) if points[j] > 0.0),
        key=lambda j: (-points[j], j),
    )
    logit = model.intercept + float(ind @ np.asarray(model.weights))
    return AttritionRisk(
        probability=1.0 / (1.0 + math.exp(-logit)),
        score=float(points.sum()),
        reasons=tuple(ATTRITION_FACTORS[j] for j in ranked[:TOP_REASONS]),
    )


def fit_attrition(
    indicators: npt.ArrayLike,
    left: npt.ArrayLike,
    *,
    validation: npt.ArrayLike | None = None,
    l2: float = 1e-3,
) -> AttritionModel:
    """Fit intercept and weights on clients whose 12-month outcome is known.

    Args:
        indicators: `attrition_indicators` at the start of each observation year.
        left: 1 if the client left within the 12 months, 0 if it stayed.
        validation: Boolean holdout mask for the AUC and KS (``None``: in sample).
        l2: Ridge penalty (keeps a factor no client shows at weight 0), >= 0.

    Raises:
        InvalidValueError: as `attrition_scores`, a target that is not 0/1 or has one
            class, mismatched lengths, or as `lendcrm.risk.scoring.fit_logistic`.

    Examples:
        >>> rng = np.random.default_rng(0)
        >>> x = np.column_stack([rng.random(2000) * 0.5] + [np.zeros(2000)] * 5)
        >>> left = rng.random(2000) < 1 / (1 + np.exp(3.0 - 6.0 * x[:, 0]))
        >>> m = fit_attrition(x, left.astype(int))
        >>> round(m.weights[0]), m.weights[1]
        (6, 0.0)
    """
    x = numeric_array(indicators, name="indicators").astype(np.float64)
    attrition_scores(x)  # shape and range checks
    y = as_binary_target(left, name="left")
    check_same_length(left=y, indicators=x)
    hold = (
        np.zeros(y.shape[0], dtype=bool)
        if validation is None
        else np.asarray(validation, dtype=bool)
    )
    check_same_length(left=y, validation=hold)
    fit_rows = ~hold if hold.any() else np.ones(y.shape[0], dtype=bool)
    logistic = fit_logistic(
        x[fit_rows], y[fit_rows], names=list(ATTRITION_FACTORS), l2=l2
    )
    model = AttritionModel(intercept=logistic.intercept, weights=logistic.coefficients)
    test = hold if hold.any() else fit_rows
    p = attrition_scores(x[test], model=model).probability
    return attrs.evolve(
        model, validation_auc=auc(y[test], p), validation_ks=ks(y[test], p)
    )
