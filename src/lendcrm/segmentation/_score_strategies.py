"""Strategies that combine several factors: `WeightedValueScore`, `RFM`, `KMeansTiers`.

`FactorWeights` and `factor_matrix` define the four value factors of the source
article (revenue, profit, loyalty, referrals) that the weighted score and k-means
read; `quintile_score` scores RFM.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Final

import attrs
import numpy as np
from scipy.cluster.vq import ClusterError, kmeans2

from lendcrm._arrays import FloatArray, IntArray, as_float_array
from lendcrm._validators import (
    non_empty_str,
    non_negative_int,
    positive_int,
    refuse_object,
    require_instance,
)
from lendcrm.errors import ConvergenceError, InvalidValueError
from lendcrm.segmentation._features import ClientFeatures, Measure
from lendcrm.segmentation._numeric import (
    Normalisation,
    average_rank,
    codes_by_cutoffs,
    normalise,
)
from lendcrm.segmentation._protocol import Segmentation
from lendcrm.segmentation._strategy_base import (
    N_TIERS,
    check_descending,
    cutoffs_tuple,
    measure_of,
    normalisation_of,
    require_clients,
    tiered,
)
from lendcrm.segmentation._tiers import TIER_LEVELS

# --- weighted value score -------------------------------------------------------------


def _weight(value: object, *, name: str) -> float:
    """A weight as a float; NaN and negatives are refused after, with the others."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        refuse_object(value, name=f"weights.{name}", what="a finite number >= 0")
    return float(value)


def _revenue(value: float) -> float:
    return _weight(value, name="revenue")


def _profit(value: float) -> float:
    return _weight(value, name="profit")


def _loyalty(value: float) -> float:
    return _weight(value, name="loyalty")


def _referrals(value: float) -> float:
    return _weight(value, name="referrals")


@attrs.frozen(kw_only=True)
class FactorWeights:
    """Weights of the four value factors of the source article.

    Weights are relative: they are divided by their sum. Each must be finite and
    >= 0, and their sum > 0.

    Attributes:
        revenue: Weight of revenue to the bank.
        profit: Weight of profit contribution.
        loyalty: Weight of loyalty (mean of normalised tenure and product count).
        referrals: Weight of referral volume.

    Examples:
        >>> FactorWeights(revenue=2, profit=1, loyalty=1, referrals=0).normalised()
        (0.5, 0.25, 0.25, 0.0)
        >>> FactorWeights(revenue=0, profit=0, loyalty=0, referrals=0)
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `weights` must be weights with a positive sum; got (0.0, 0.0, 0.0, 0.0).
    """

    revenue: float = attrs.field(default=0.35, converter=_revenue)
    profit: float = attrs.field(default=0.35, converter=_profit)
    loyalty: float = attrs.field(default=0.15, converter=_loyalty)
    referrals: float = attrs.field(default=0.15, converter=_referrals)

    def __attrs_post_init__(self) -> None:
        """Check each weight and their sum."""
        values = self.as_tuple()
        for field, v in zip(
            ("revenue", "profit", "loyalty", "referrals"), values, strict=True
        ):
            if not (math.isfinite(v) and v >= 0.0):
                raise InvalidValueError(
                    field=f"weights.{field}", value=v, expected="a finite number >= 0"
                )
        if sum(values) <= 0.0:
            raise InvalidValueError(
                field="weights", value=values, expected="weights with a positive sum"
            )

    def as_tuple(self) -> tuple[float, float, float, float]:
        """``(revenue, profit, loyalty, referrals)`` as given."""
        return (self.revenue, self.profit, self.loyalty, self.referrals)

    def normalised(self) -> tuple[float, float, float, float]:
        """The weights divided by their sum (they then sum to 1)."""
        total = sum(self.as_tuple())
        r, p, l, f = (v / total for v in self.as_tuple())  # noqa: E741
        return (r, p, l, f)


DEFAULT_WEIGHTS: Final = FactorWeights()


def _weights(value: FactorWeights | Mapping[str, float]) -> FactorWeights:
    if isinstance(value, FactorWeights):
        return value
    given: object = value
    if not isinstance(given, Mapping) or not all(isinstance(k, str) for k in given):
        refuse_object(value, name="weights", what="a FactorWeights or a mapping")
    unknown = sorted(set(value) - {"revenue", "profit", "loyalty", "referrals"})
    if unknown:
        raise InvalidValueError(
            field="weights",
            value=unknown[0],
            expected="a mapping with keys among revenue, profit, loyalty, referrals",
        )
    return FactorWeights(**value)


def factor_matrix(features: ClientFeatures, method: Normalisation) -> FloatArray:
    """The four normalised factors as columns, shape ``(n, 4)``, values in [0, 1].

    Columns: revenue, profit, loyalty (mean of normalised ``tenure_years`` and
    ``product_count``), referrals (normalised ``referral_amount`` when given,
    otherwise ``referral_count``).

    Examples:
        >>> from lendcrm.segmentation import ClientFeatures
        >>> f = ClientFeatures(client_ids=list("abc"), revenue=[3.0, 2.0, 1.0],
        ...     profit=[1.0, 2.0, 3.0], tenure_years=[1, 1, 1],
        ...     product_count=[1, 2, 3], referral_count=[0, 0, 0])
        >>> factor_matrix(f, Normalisation.PERCENTILE_RANK).round(2).tolist()
        [[1.0, 0.0, 0.25, 0.5], [0.5, 0.5, 0.5, 0.5], [0.0, 1.0, 0.75, 0.5]]
    """
    require_instance(features, ClientFeatures, name="features", what="a ClientFeatures")
    referral = (
        features.referral_amount
        if features.referral_amount is not None
        else features.referral_count
    )
    out = np.empty((features.n_clients, 4), dtype=np.float64)
    out[:, 0] = normalise(features.revenue, method)
    out[:, 1] = normalise(features.profit, method)
    out[:, 2] = normalise(features.tenure_years, method)
    out[:, 2] += normalise(features.product_count, method)
    out[:, 2] *= 0.5
    out[:, 3] = normalise(referral, method)
    return out


@attrs.frozen(kw_only=True)
class WeightedValueScore:
    r"""The source article's four factors, normalised, weighted into a 0–100 score, tiered.

    $$\text{score} = 100 \cdot \frac{\sum_k w_k\, N(x_k)}{\sum_k w_k}$$

    over the factors revenue, profit, loyalty and referrals (see `factor_matrix`),
    with ``N`` the chosen `Normalisation` (percentile rank by default). The score is
    then tiered by ``cutoffs`` on the 0–100 scale (``score >= cutoffs[0]`` is
    diamond). Tiers are monotone in the score. Percentile ranks make the score
    relative to the book assigned; min-max and z-score keep more of the distances.

    Attributes:
        weights: The factor weights (`FactorWeights`).
        normalisation: How factors are scaled to [0, 1].
        cutoffs: Lowest score of diamond, gold and silver, strictly descending, in
            [0, 100].
        name: Registry name.

    Examples:
        >>> from lendcrm.segmentation import ClientFeatures
        >>> f = ClientFeatures(client_ids=list("abc"), revenue=[3.0, 2.0, 1.0],
        ...     profit=[3.0, 2.0, 1.0], tenure_years=[5, 3, 1],
        ...     product_count=[3, 2, 1], referral_count=[2, 1, 0])
        >>> s = WeightedValueScore().assign(f)
        >>> s.score.tolist(), s.labels.tolist()
        ([100.0, 50.0, 0.0], ['diamond', 'silver', 'basic'])
    """

    weights: FactorWeights = attrs.field(default=DEFAULT_WEIGHTS, converter=_weights)
    normalisation: Normalisation = attrs.field(
        default=Normalisation.PERCENTILE_RANK, converter=normalisation_of
    )
    cutoffs: tuple[float, ...] = attrs.field(
        default=(75.0, 60.0, 40.0), converter=cutoffs_tuple
    )
    name: str = attrs.field(default="weighted_value_score", validator=non_empty_str)

    def __attrs_post_init__(self) -> None:
        """Check the cut-offs."""
        check_descending("cutoffs", self.cutoffs, N_TIERS - 1)
        for i, c in enumerate(self.cutoffs):
            if not 0.0 <= c <= 100.0:  # noqa: PLR2004 - the score scale
                raise InvalidValueError(
                    field=f"cutoffs[{i}]", value=c, expected="a score in [0, 100]"
                )

    def score(self, features: ClientFeatures) -> FloatArray:
        """The 0–100 value score per client, float64 shape ``(n,)``."""
        require_instance(
            features, ClientFeatures, name="features", what="a ClientFeatures"
        )
        w_rev, w_profit, w_loyal, w_ref = (100.0 * w for w in self.weights.normalised())
        method = self.normalisation
        referral = (
            features.referral_amount
            if features.referral_amount is not None
            else features.referral_count
        )
        # accumulate in place: one (n,) buffer, no (n, 4) matrix
        score = normalise(features.revenue, method)
        score *= w_rev
        for weight, values in (
            (w_profit, features.profit),
            (w_loyal / 2.0, features.tenure_years),
            (w_loyal / 2.0, features.product_count),
            (w_ref, referral),
        ):
            if weight:
                part = normalise(values, method)
                part *= weight
                score += part
        return np.clip(score, 0.0, 100.0, out=score)

    def assign(self, features: ClientFeatures) -> Segmentation:
        """Score and tier every client."""
        require_instance(
            features, ClientFeatures, name="features", what="a ClientFeatures"
        )
        score = self.score(features)
        codes = codes_by_cutoffs(score, self.cutoffs)
        return Segmentation(
            strategy=self.name,
            client_ids=features.client_ids,
            codes=codes,
            levels=TIER_LEVELS,
            score=score,
            cutoffs=self.cutoffs,
            params=(
                ("cutoffs", self.cutoffs),
                ("normalisation", self.normalisation.value),
                ("weights", self.weights.as_tuple()),
            ),
        )


# --- RFM ------------------------------------------------------------------------------

#: Named RFM segments, best first: the usual recency × frequency grid.
RFM_SEGMENTS: Final[tuple[str, ...]] = (
    "champions",
    "loyal",
    "potential_loyalists",
    "new",
    "promising",
    "need_attention",
    "about_to_sleep",
    "at_risk",
    "cannot_lose",
    "hibernating",
)
_C, _L, _PL, _NEW, _PR, _NA, _AS, _AR, _CL, _H = range(10)
#: ``_RF_GRID[r - 1, f - 1]`` is the segment code of recency score r, frequency f.
_RF_GRID: Final = np.array(
    [
        # f:  1    2    3    4    5
        [_H, _H, _AR, _AR, _CL],  # r = 1
        [_H, _H, _AR, _AR, _CL],  # r = 2
        [_AS, _AS, _NA, _L, _L],  # r = 3
        [_PR, _PL, _PL, _L, _L],  # r = 4
        [_NEW, _PL, _PL, _C, _C],  # r = 5
    ],
    dtype=np.int64,
)


def quintile_score(values: FloatArray) -> IntArray:
    r"""Quintile score 1–5 per value (5 = highest), ties sharing a score.

    $$q_i = \min\left(5, \max\left(1, \left\lceil 5\, \bar r_i / n \right\rceil\right)\right)$$

    with ``r̄_i`` the ascending average rank (tied values share the mean of their
    ranks). This is the deterministic tie-break: identical values always get the same
    score whatever the row order, and quintile sizes deviate from ``n/5`` only by the
    size of a tie group that straddles a boundary.

    Examples:
        >>> quintile_score(np.array([1.0, 2.0, 3.0, 4.0, 5.0])).tolist()
        [1, 2, 3, 4, 5]
        >>> quintile_score(np.array([7.0, 7.0, 7.0, 7.0, 9.0])).tolist()
        [3, 3, 3, 3, 5]
    """
    values = as_float_array(values, name="values")
    n = len(values)
    q = np.ceil(5.0 * average_rank(values) / n)
    return np.clip(q, 1, 5).astype(np.int64)


@attrs.frozen(kw_only=True)
class RFM:
    r"""Recency, frequency, monetary quintile scores and the named-segment grid.

    R scores ``recency_days`` (fewer days is better), F scores
    ``transaction_count`` and M scores ``revenue``, each with `quintile_score`
    (ties share the average rank). The segment comes from the usual R × F grid:

    | R, F | 1 | 2 | 3 | 4 | 5 |
    |---|---|---|---|---|---|
    | 5 | new | potential_loyalists | potential_loyalists | champions | champions |
    | 4 | promising | potential_loyalists | potential_loyalists | loyal | loyal |
    | 3 | about_to_sleep | about_to_sleep | need_attention | loyal | loyal |
    | 1–2 | hibernating | hibernating | at_risk | at_risk | cannot_lose |

    The score is the RFM cell code ``100 R + 10 F + M`` (e.g. 545).

    Attributes:
        name: Registry name.

    Raises:
        InvalidValueError: ``recency_days`` or ``transaction_count`` missing.

    Examples:
        >>> from lendcrm.segmentation import ClientFeatures
        >>> f = ClientFeatures(client_ids=list("abcde"),
        ...     revenue=[5.0, 4, 3, 2, 1], profit=[0.0] * 5, tenure_years=[1] * 5,
        ...     product_count=[1] * 5, referral_count=[0] * 5,
        ...     recency_days=[1.0, 400, 30, 60, 9], transaction_count=[50.0, 40, 3, 2, 1])
        >>> s = RFM().assign(f)
        >>> s.score.tolist()
        [555.0, 144.0, 333.0, 222.0, 411.0]
        >>> s.labels.tolist()
        ['champions', 'at_risk', 'need_attention', 'hibernating', 'promising']
    """

    name: str = attrs.field(default="rfm", validator=non_empty_str)

    def assign(self, features: ClientFeatures) -> Segmentation:
        """Score R, F and M and place every client in the grid."""
        require_instance(
            features, ClientFeatures, name="features", what="a ClientFeatures"
        )
        recency = features.require("recency_days")
        frequency = features.require("transaction_count")
        r = quintile_score(-recency)
        f = quintile_score(frequency)
        m = quintile_score(features.revenue)
        codes = _RF_GRID[r - 1, f - 1]
        return Segmentation(
            strategy=self.name,
            client_ids=features.client_ids,
            codes=codes,
            levels=RFM_SEGMENTS,
            score=(100 * r + 10 * f + m).astype(np.float64),
            params=(("grid", "recency x frequency"), ("quantiles", 5)),
        )


# --- k-means --------------------------------------------------------------------------


def _kmeans(
    data: FloatArray, k: int, *, iterations: int, seed: int
) -> tuple[FloatArray, IntArray]:
    rng = np.random.default_rng(seed)
    # k-means++ divides by zero when every point is identical: that case surfaces
    # as an empty cluster (ClusterError), not as a floating-point warning.
    with np.errstate(invalid="ignore", divide="ignore"):
        try:
            centroids, labels = kmeans2(
                data, k, iter=iterations, minit="++", missing="raise", rng=rng
            )
        except TypeError:  # pragma: no cover - scipy < 1.15 names it ``seed``
            centroids, labels = kmeans2(
                data, k, iter=iterations, minit="++", missing="raise", seed=rng
            )
    return centroids, labels.astype(np.int64)


@attrs.frozen(kw_only=True)
class KMeansTiers:
    """k-means on the normalised factors, clusters ordered by mean value → tiers.

    The four factors of `factor_matrix` (normalised by ``normalisation``) are
    clustered into four groups with ``scipy.cluster.vq.kmeans2`` (k-means++
    initialisation, seeded through a ``numpy.random.Generator`` built from ``seed``,
    so the same features give the same tiers). Clusters are ordered by the mean of
    ``measure`` over their clients, highest first, and mapped to diamond … basic.
    Tiers are *not* guaranteed monotone in the measure: clusters live in four
    dimensions.

    Attributes:
        measure: The value measure that orders the clusters.
        normalisation: How factors are scaled to [0, 1].
        iterations: k-means iterations (``kmeans2``'s ``iter``), >= 1.
        seed: Seed of the generator; part of the audit trail.
        name: Registry name.

    Raises:
        InvalidValueError: fewer than 4 clients, when assigning.
        ConvergenceError: a cluster came out empty (too few distinct clients).

    Examples:
        >>> from lendcrm.segmentation import ClientFeatures
        >>> f = ClientFeatures(client_ids=list("abcdefgh"),
        ...     revenue=[100.0, 98, 60, 58, 30, 29, 1, 2], profit=[50.0, 49, 30, 29, 15, 14, 0, 1],
        ...     tenure_years=[9, 9, 6, 6, 3, 3, 0, 0], product_count=[5, 5, 3, 3, 2, 2, 1, 1],
        ...     referral_count=[3, 3, 2, 2, 1, 1, 0, 0])
        >>> KMeansTiers(seed=7).assign(f).labels.tolist()
        ['diamond', 'diamond', 'gold', 'gold', 'silver', 'silver', 'basic', 'basic']
    """

    measure: Measure = attrs.field(default=Measure.REVENUE, converter=measure_of)
    normalisation: Normalisation = attrs.field(
        default=Normalisation.PERCENTILE_RANK, converter=normalisation_of
    )
    iterations: int = attrs.field(default=20, validator=positive_int)
    seed: int = attrs.field(default=0, validator=non_negative_int)
    name: str = attrs.field(default="kmeans_tiers", validator=non_empty_str)

    def assign(self, features: ClientFeatures) -> Segmentation:
        """Cluster and tier every client."""
        require_instance(
            features, ClientFeatures, name="features", what="a ClientFeatures"
        )
        require_clients(features, N_TIERS, "for 4 k-means clusters")
        value = features.measure(self.measure)
        data = factor_matrix(features, self.normalisation)
        try:
            _, labels = _kmeans(
                data, N_TIERS, iterations=self.iterations, seed=self.seed
            )
        except ClusterError:
            raise ConvergenceError(
                model=self.name,
                iterations=self.iterations,
                detail="a cluster came out empty; the features have fewer than 4 "
                "distinct clients",
            ) from None
        sums = np.bincount(labels, weights=value, minlength=N_TIERS)
        sizes = np.bincount(labels, minlength=N_TIERS)
        means = sums / np.maximum(sizes, 1)
        # cluster with the highest mean value -> code 0 (diamond); stable on ties
        order = np.argsort(-means, kind="stable")
        rank_of_cluster = np.empty(N_TIERS, dtype=np.int64)
        rank_of_cluster[order] = np.arange(N_TIERS)
        return tiered(
            self,
            self.name,
            features=features,
            codes=rank_of_cluster[labels],
            score=value,
            cutoffs=None,
        )
