"""The built-in segmentation strategies (frozen attrs, parameters as fields)."""

from __future__ import annotations

import math
from typing import Final

import attrs
import numpy as np
from scipy.cluster.vq import ClusterError, kmeans2

from lendcrm._arrays import FloatArray, IntArray
from lendcrm._validators import non_negative_int, positive_int
from lendcrm.errors import ConvergenceError, InvalidValueError
from lendcrm.segmentation._features import ClientFeatures, Measure
from lendcrm.segmentation._numeric import (
    Normalisation,
    average_rank,
    codes_by_cutoffs,
    cutoffs_by_shares,
    normalise,
)
from lendcrm.segmentation._protocol import Segmentation
from lendcrm.segmentation._tiers import TIER_LEVELS

_N_TIERS: Final = len(TIER_LEVELS)


def _measure(value: object) -> Measure:
    try:
        return Measure(value)  # type: ignore[arg-type]
    except ValueError:
        raise InvalidValueError(
            field="measure",
            value=value,
            expected=f"one of {', '.join(m.value for m in Measure)}",
        ) from None


def _normalisation(value: object) -> Normalisation:
    try:
        return Normalisation(value)  # type: ignore[arg-type]
    except ValueError:
        raise InvalidValueError(
            field="normalisation",
            value=value,
            expected=f"one of {', '.join(m.value for m in Normalisation)}",
        ) from None


def _floats(values: tuple[float, ...] | list[float]) -> tuple[float, ...]:
    return tuple(float(v) for v in values)


def _check_descending(name: str, values: tuple[float, ...], count: int) -> None:
    if len(values) != count:
        raise InvalidValueError(
            field=name, value=values, expected=f"exactly {count} numbers"
        )
    for i, v in enumerate(values):
        if not math.isfinite(v):
            raise InvalidValueError(
                field=f"{name}[{i}]", value=v, expected="a finite number"
            )
        if i and v >= values[i - 1]:
            raise InvalidValueError(
                field=f"{name}[{i}]",
                value=v,
                expected=f"strictly below {name}[{i - 1}] ({values[i - 1]:g}): "
                "cut-offs go from the best tier down",
            )


def _check_shares(name: str, values: tuple[float, ...], count: int) -> None:
    if len(values) != count:
        raise InvalidValueError(
            field=name, value=values, expected=f"exactly {count} numbers"
        )
    for i, v in enumerate(values):
        low = values[i - 1] if i else 0.0
        if not (math.isfinite(v) and low < v <= 1.0):
            raise InvalidValueError(
                field=f"{name}[{i}]",
                value=v,
                expected=f"a cumulative share in ({low:g}, 1], increasing",
            )


def _tiered(
    strategy: object,
    name: str,
    *,
    features: ClientFeatures,
    codes: IntArray,
    score: FloatArray | None,
    cutoffs: tuple[float, ...] | None,
) -> Segmentation:
    return Segmentation(
        strategy=name,
        client_ids=features.client_ids,
        codes=codes,
        levels=TIER_LEVELS,
        score=score,
        cutoffs=cutoffs,
        params=tuple(sorted(attrs.asdict(strategy, recurse=False).items())),  # type: ignore[arg-type]
    )


def _require_clients(features: ClientFeatures, minimum: int, why: str) -> None:
    if features.n_clients < minimum:
        raise InvalidValueError(
            field="features",
            value=f"{features.n_clients} clients",
            expected=f"at least {minimum} clients {why}",
        )


# --- Pareto / ABC ------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ParetoABC:
    """A/B/C classes by cumulative share of a value, largest clients first.

    Clients are sorted by the measure, largest first. A client is in class A when
    the clients *before* it hold less than ``cuts[0]`` of the total (so the client
    that crosses 80 % is still A), in B when they hold less than ``cuts[1]``, and in
    C otherwise. Negative values (possible for profit) count as zero and are C.
    Tied values get the class of the first of them, so equal clients share a class.
    If every value is zero, every client is C. O(n log n).

    Attributes:
        measure: The value measure (`Measure`).
        cuts: Cumulative shares closing A and B, increasing in (0, 1].
        name: Registry name.

    Examples:
        >>> from lendcrm.segmentation import ClientFeatures
        >>> f = ClientFeatures(client_ids=list("abcde"),
        ...     revenue=[50.0, 30.0, 10.0, 6.0, 4.0], profit=[0.0] * 5,
        ...     tenure_years=[1] * 5, product_count=[1] * 5, referral_count=[0] * 5)
        >>> ParetoABC().assign(f).labels.tolist()
        ['A', 'A', 'B', 'B', 'C']
    """

    measure: Measure = attrs.field(default=Measure.REVENUE, converter=_measure)
    cuts: tuple[float, ...] = attrs.field(default=(0.80, 0.95), converter=_floats)
    name: str = "pareto_abc"

    def __attrs_post_init__(self) -> None:
        """Check the cuts."""
        _check_shares("cuts", self.cuts, 2)

    def assign(self, features: ClientFeatures) -> Segmentation:
        """Classify every client A, B or C."""
        values = features.measure(self.measure)
        clipped = np.maximum(values, 0.0)
        total = float(clipped.sum())
        n = len(clipped)
        if total == 0.0:
            codes = np.full(n, 2, dtype=np.int64)
        else:
            order = np.argsort(-clipped, kind="stable")
            ordered = clipped[order]
            before = np.empty(n, dtype=np.float64)
            before[0] = 0.0
            np.cumsum(ordered[:-1], out=before[1:])
            before /= total
            first = np.empty(n, dtype=np.bool_)
            first[:1] = True
            np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
            group_start = np.maximum.accumulate(np.where(first, np.arange(n), 0))
            # class = how many cuts the share held by larger clients has reached
            sorted_codes = np.searchsorted(
                np.asarray(self.cuts), before[group_start], side="right"
            ).astype(np.int64)
            sorted_codes[ordered == 0.0] = 2
            codes = np.empty(n, dtype=np.int64)
            codes[order] = sorted_codes
        return Segmentation(
            strategy=self.name,
            client_ids=features.client_ids,
            codes=codes,
            levels=("A", "B", "C"),
            score=values,
            params=(("cuts", self.cuts), ("measure", self.measure.value)),
        )


# --- quantile and threshold tiers -----------------------------------------------------


@attrs.frozen(kw_only=True)
class QuantileTiers:
    """The four tiers by quantiles of a value: top 5 % diamond, next to 20 % gold, ...

    ``top_shares`` are cumulative: with the default, the largest 5 % of clients are
    diamond, the next 15 % gold, the next 30 % silver and the rest basic. The
    threshold of tier ``k`` is the ``ceil(top_shares[k] * n)``-th largest value and a
    client reaches the tier when its value is at least the threshold, so **tied values
    always share a tier** and a tie straddling a boundary makes the upper tier larger
    than its share (see the explanation page). O(n) via ``np.partition``.

    Attributes:
        measure: The value measure (`Measure`).
        top_shares: Cumulative shares of clients closing diamond, gold and silver,
            increasing in (0, 1].
        name: Registry name.

    Raises:
        InvalidValueError: fewer clients than tiers (4), when assigning.

    Examples:
        >>> from lendcrm.segmentation import ClientFeatures
        >>> f = ClientFeatures(client_ids=list("abcdefghij"),
        ...     revenue=[100.0, 90, 80, 70, 60, 50, 40, 30, 20, 10], profit=[0.0] * 10,
        ...     tenure_years=[1] * 10, product_count=[1] * 10, referral_count=[0] * 10)
        >>> QuantileTiers(top_shares=(0.1, 0.3, 0.6)).assign(f).counts().tolist()
        [1, 2, 3, 4]
    """

    measure: Measure = attrs.field(default=Measure.REVENUE, converter=_measure)
    top_shares: tuple[float, ...] = attrs.field(
        default=(0.05, 0.20, 0.50), converter=_floats
    )
    name: str = "quantile_tiers"

    def __attrs_post_init__(self) -> None:
        """Check the shares."""
        _check_shares("top_shares", self.top_shares, _N_TIERS - 1)

    def assign(self, features: ClientFeatures) -> Segmentation:
        """Tier every client by the quantiles of the measure."""
        _require_clients(features, _N_TIERS, "for 4 quantile tiers")
        values = features.measure(self.measure)
        cutoffs = cutoffs_by_shares(values, self.top_shares)
        codes = codes_by_cutoffs(values, tuple(float(c) for c in cutoffs))
        return _tiered(
            self,
            self.name,
            features=features,
            codes=codes,
            score=values,
            cutoffs=tuple(float(c) for c in cutoffs),
        )


@attrs.frozen(kw_only=True)
class ThresholdTiers:
    """The four tiers by explicit cut-offs of a value.

    ``value >= cutoffs[0]`` is diamond, ``>= cutoffs[1]`` gold, ``>= cutoffs[2]``
    silver, below is basic. Cut-offs are in the unit of the measure (the reporting
    currency), strictly descending. O(n).

    Attributes:
        cutoffs: Lowest value of diamond, gold and silver, strictly descending.
        measure: The value measure (`Measure`).
        name: Registry name.

    Examples:
        >>> from lendcrm.segmentation import ClientFeatures
        >>> f = ClientFeatures(client_ids=list("abcd"), revenue=[1e6, 2e5, 5e4, 10.0],
        ...     profit=[0.0] * 4, tenure_years=[1] * 4, product_count=[1] * 4,
        ...     referral_count=[0] * 4)
        >>> ThresholdTiers(cutoffs=(5e5, 1e5, 2e4)).assign(f).labels.tolist()
        ['diamond', 'gold', 'silver', 'basic']
    """

    cutoffs: tuple[float, ...] = attrs.field(converter=_floats)
    measure: Measure = attrs.field(default=Measure.REVENUE, converter=_measure)
    name: str = "threshold_tiers"

    def __attrs_post_init__(self) -> None:
        """Check the cut-offs."""
        _check_descending("cutoffs", self.cutoffs, _N_TIERS - 1)

    def assign(self, features: ClientFeatures) -> Segmentation:
        """Tier every client by the cut-offs."""
        values = features.measure(self.measure)
        codes = codes_by_cutoffs(values, self.cutoffs)
        return _tiered(
            self,
            self.name,
            features=features,
            codes=codes,
            score=values,
            cutoffs=self.cutoffs,
        )


# --- weighted value score -------------------------------------------------------------


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

    revenue: float = attrs.field(default=0.35, converter=float)
    profit: float = attrs.field(default=0.35, converter=float)
    loyalty: float = attrs.field(default=0.15, converter=float)
    referrals: float = attrs.field(default=0.15, converter=float)

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


def _weights(value: FactorWeights | dict[str, float]) -> FactorWeights:
    if isinstance(value, FactorWeights):
        return value
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
        default=Normalisation.PERCENTILE_RANK, converter=_normalisation
    )
    cutoffs: tuple[float, ...] = attrs.field(
        default=(75.0, 60.0, 40.0), converter=_floats
    )
    name: str = "weighted_value_score"

    def __attrs_post_init__(self) -> None:
        """Check the cut-offs."""
        _check_descending("cutoffs", self.cutoffs, _N_TIERS - 1)
        for i, c in enumerate(self.cutoffs):
            if not 0.0 <= c <= 100.0:  # noqa: PLR2004 - the score scale
                raise InvalidValueError(
                    field=f"cutoffs[{i}]", value=c, expected="a score in [0, 100]"
                )

    def score(self, features: ClientFeatures) -> FloatArray:
        """The 0–100 value score per client, float64 shape ``(n,)``."""
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

    name: str = "rfm"

    def assign(self, features: ClientFeatures) -> Segmentation:
        """Score R, F and M and place every client in the grid."""
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

    measure: Measure = attrs.field(default=Measure.REVENUE, converter=_measure)
    normalisation: Normalisation = attrs.field(
        default=Normalisation.PERCENTILE_RANK, converter=_normalisation
    )
    iterations: int = attrs.field(default=20, validator=positive_int)
    seed: int = attrs.field(default=0, validator=non_negative_int)
    name: str = "kmeans_tiers"

    def assign(self, features: ClientFeatures) -> Segmentation:
        """Cluster and tier every client."""
        _require_clients(features, _N_TIERS, "for 4 k-means clusters")
        value = features.measure(self.measure)
        data = factor_matrix(features, self.normalisation)
        try:
            _, labels = _kmeans(
                data, _N_TIERS, iterations=self.iterations, seed=self.seed
            )
        except ClusterError:
            raise ConvergenceError(
                model=self.name,
                iterations=self.iterations,
                detail="a cluster came out empty; the features have fewer than 4 "
                "distinct clients",
            ) from None
        sums = np.bincount(labels, weights=value, minlength=_N_TIERS)
        sizes = np.bincount(labels, minlength=_N_TIERS)
        means = sums / np.maximum(sizes, 1)
        # cluster with the highest mean value -> code 0 (diamond); stable on ties
        order = np.argsort(-means, kind="stable")
        rank_of_cluster = np.empty(_N_TIERS, dtype=np.int64)
        rank_of_cluster[order] = np.arange(_N_TIERS)
        return _tiered(
            self,
            self.name,
            features=features,
            codes=rank_of_cluster[labels],
            score=value,
            cutoffs=None,
        )
