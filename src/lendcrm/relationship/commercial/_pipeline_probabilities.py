"""Win probability by stage, estimated from closed deals (cohort estimate).

For each open stage ``s`` the cohort is every *closed* deal that reached ``s`` (its
furthest open stage is ``s`` or later; a won deal reached them all):

    p_s = k_s / n_s,   n_s = #closed deals that reached s,   k_s = #of those won.

The interval is the exact Clopper–Pearson interval from the beta distribution
(``scipy.stats.beta``): ``[B(a/2; k, n-k+1), B(1-a/2; k+1, n-k)]``, 0 when ``k = 0``
and 1 when ``k = n``.

By segment (product, sector, ...) each stage's rate is shrunk toward the pooled one with
Bühlmann–Straub credibility, the empirical-Bayes estimate of a beta-binomial model:

    p_gs = Z_g p̂_gs + (1 - Z_g) p_s = (k_gs + K p_s) / (n_gs + K),   Z_g = n_gs / (n_gs + K)

with ``K = σ² / τ²``, ``σ² = p_s (1 - p_s)`` and the between-segment variance
``τ² = [Σ n_g (p̂_g - p)² - (G - 1) σ²] / (N - Σ n_g² / N)`` (``K = ∞``, full pooling,
when ``τ² <= 0``). The segment interval is the equal-tailed interval of the posterior
``Beta(k + K p, n - k + K (1 - p))``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import attrs
import numpy as np
import numpy.typing as npt
from scipy import stats

from lendcrm._arrays import (
    BoolArray,
    FloatArray,
    IntArray,
    as_bool_array,
    numeric_array,
)
from lendcrm.errors import InvalidValueError
from lendcrm.relationship.commercial._pipeline_machine import (
    OPEN_STAGES,
    PipelineStage,
)

__all__ = [
    "MIN_CLOSED_DEALS",
    "StageProbabilities",
    "estimate_stage_probabilities",
    "stage_codes_of",
]

#: The fewest closed deals that must have reached a stage for its win probability.
MIN_CLOSED_DEALS: Final = 30
_K: Final = len(OPEN_STAGES)
"""Number of open stages."""


def stage_codes_of(values: object, *, name: str) -> IntArray:
    """Validate integer stage codes ``0..4`` (positions in `OPEN_STAGES`).

    Raises:
        InvalidValueError: a code is not a whole number in ``[0, 4]``; names the index.

    Examples:
        >>> stage_codes_of([0, 4, 2], name="reached").tolist()
        [0, 4, 2]
    """
    arr = np.asarray(values)
    if arr.dtype.kind not in "iu":
        arr = numeric_array(arr, name=name)
    if arr.ndim != 1:
        raise InvalidValueError(
            field=name, value=f"array of shape {arr.shape}", expected="one-dimensional"
        )
    bad = (arr < 0) | (arr > _K - 1) | (arr != np.round(arr))
    if bad.any():
        i = int(np.argmax(bad))
        raise InvalidValueError(
            field=f"{name}[{i}]",
            value=arr[i].item(),
            expected=f"a stage code in 0..{_K - 1} (lead..documentation)",
        )
    return arr.astype(np.int64, copy=False)


def _reached_counts(codes: IntArray, weights: FloatArray | None, rows: int) -> IntArray:
    """Per row of ``codes // K``: how many deals reached each stage (reverse cumsum)."""
    counts = np.bincount(codes, weights=weights, minlength=rows * _K).reshape(rows, _K)
    return np.cumsum(counts[:, ::-1], axis=1)[:, ::-1].round().astype(np.int64)


def _clopper_pearson(
    k: IntArray, n: IntArray, confidence: float
) -> tuple[FloatArray, FloatArray]:
    alpha = 1.0 - confidence
    with np.errstate(invalid="ignore", divide="ignore"):
        lower = stats.beta.ppf(alpha / 2, k, n - k + 1)
        upper = stats.beta.ppf(1 - alpha / 2, k + 1, n - k)
    lower = np.where(k == 0, 0.0, lower)
    upper = np.where(k == n, 1.0, upper)
    return np.asarray(lower, dtype=np.float64), np.asarray(upper, dtype=np.float64)


def credibility_constant(k: IntArray, n: IntArray) -> float:
    """Bühlmann–Straub ``K = σ²/τ²`` for one stage across segments (``inf``: pool).

    Args:
        k: Won deals per segment.
        n: Closed deals per segment (segments with none are ignored).

    Examples:
        >>> round(credibility_constant(np.array([5, 25]), np.array([50, 50])), 4)
        2.7704
        >>> credibility_constant(np.array([10, 10]), np.array([50, 50]))
        inf
    """
    seen = n > 0
    k, n = k[seen], n[seen]
    total = n.sum()
    if seen.sum() < 2 or total == 0:  # noqa: PLR2004 - a variance needs two segments
        return float("inf")
    p = k.sum() / total
    within = p * (1 - p)
    spread = float(np.sum(n * (k / n - p) ** 2)) - (len(n) - 1) * within
    between = spread / (total - float(np.sum(n.astype(np.float64) ** 2)) / total)
    return float(within / between) if between > 0 else float("inf")


@attrs.frozen(kw_only=True, eq=False)
class StageProbabilities:
    """Win probability from each open stage, pooled and by segment.

    Arrays are indexed by stage position in `OPEN_STAGES` (lead .. documentation);
    segment arrays have one row per label of ``segments``.

    Attributes:
        closed: Closed deals that reached each stage (``n_s``).
        won: Of those, the won ones (``k_s``).
        probability: ``k_s / n_s``.
        lower: Clopper–Pearson lower bound at ``confidence``.
        upper: Clopper–Pearson upper bound.
        confidence: Two-sided confidence level of the intervals (0.9 = 90 %).
        min_closed: The minimum ``n_s`` that was required.
        segments: Segment labels, sorted (empty when not segmented).
        segment_closed: ``n_gs``, shape ``(G, 5)``.
        segment_won: ``k_gs``.
        segment_probability: The credibility-weighted ``p_gs``.
        segment_lower: Posterior (beta) lower bound.
        segment_upper: Posterior upper bound.
        credibility: ``K`` per stage (``inf``: the segments do not differ more
            than chance, so every segment gets the pooled rate).
    """

    closed: IntArray
    won: IntArray
    probability: FloatArray
    lower: FloatArray
    upper: FloatArray
    confidence: float
    min_closed: int
    segments: tuple[str, ...] = ()
    segment_closed: IntArray = attrs.field(factory=lambda: np.zeros((0, _K), np.int64))
    segment_won: IntArray = attrs.field(factory=lambda: np.zeros((0, _K), np.int64))
    segment_probability: FloatArray = attrs.field(factory=lambda: np.zeros((0, _K)))
    segment_lower: FloatArray = attrs.field(factory=lambda: np.zeros((0, _K)))
    segment_upper: FloatArray = attrs.field(factory=lambda: np.zeros((0, _K)))
    credibility: FloatArray = attrs.field(factory=lambda: np.full(_K, np.inf))

    def matrix(self) -> FloatArray:
        """Probabilities of shape ``(G + 1, 5)``: one row per segment, pooled last.

        A batch path gathers ``matrix()[segment_code, stage_code]``, with code ``G``
        for a segment not seen in the closed deals.
        """
        return np.vstack([self.segment_probability, self.probability[None, :]])

    def probability_of(
        self, stage: PipelineStage | str, segment: str | None = None
    ) -> float:
        """Win probability of a deal in ``stage`` (of ``segment``, if segmented).

        A segment that no closed deal had gets the pooled rate; ``won`` is 1 and
        ``lost`` is 0.

        Raises:
            InvalidValueError: ``stage`` is not a pipeline stage.
        """
        try:
            member = PipelineStage(stage)
        except ValueError:
            raise InvalidValueError(
                field="stage",
                value=stage,
                expected="one of " + ", ".join(repr(s.value) for s in PipelineStage),
            ) from None
        if member is PipelineStage.WON:
            return 1.0
        if member is PipelineStage.LOST:
            return 0.0
        s = OPEN_STAGES.index(member)
        if segment is not None and segment in self.segments:
            return float(self.segment_probability[self.segments.index(segment), s])
        return float(self.probability[s])


def _check_minimum(closed: IntArray, min_closed: int) -> None:
    short = np.flatnonzero(closed < min_closed)
    if short.size:
        s = int(short[0])
        stage = OPEN_STAGES[s].value
        raise InvalidValueError(
            field=f"closed_deals[{stage!r}]",
            value=int(closed[s]),
            expected=f"at least {min_closed} closed deals that reached {stage!r} "
            "(the stated minimum for a win probability)",
            hint="A rate from fewer deals would read as a firm 0 or 1; wait for more "
            "closed deals, pool the segments, or lower `min_closed` knowingly.",
        )


def _segment_rates(
    won: IntArray, closed: IntArray, pooled: FloatArray, confidence: float
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    credibility = np.array(
        [credibility_constant(won[:, s], closed[:, s]) for s in range(_K)]
    )  # one step per stage: five, never per row
    finite = np.isfinite(credibility)
    strength = np.where(finite, credibility, 0.0)
    kp, kq = strength * pooled, strength * (1 - pooled)
    with np.errstate(invalid="ignore", divide="ignore"):
        shrunk = np.where(finite, (won + kp) / (closed + kp + kq), pooled)
        a, b = won + kp, closed - won + kq
        alpha = 1.0 - confidence
        lower = stats.beta.ppf(alpha / 2, a, b)
        upper = stats.beta.ppf(1 - alpha / 2, a, b)
    return (
        np.asarray(shrunk, dtype=np.float64),
        np.asarray(lower, dtype=np.float64),
        np.asarray(upper, dtype=np.float64),
        credibility,
    )


def estimate_stage_probabilities(
    reached: npt.ArrayLike,
    won: npt.ArrayLike,
    *,
    segment: object = None,
    segments: Sequence[str] = (),
    min_closed: int = MIN_CLOSED_DEALS,
    confidence: float = 0.9,
) -> StageProbabilities:
    """Win probability by stage from closed deals, with intervals and segment shrinkage.

    Args:
        reached: Per closed deal, the position in `OPEN_STAGES` of the furthest open
            stage it reached (4 for a won deal).
        won: Per closed deal, whether it was won.
        segment: Per closed deal, a segment code ``0..G-1`` (optional).
        segments: The ``G`` segment labels (required with ``segment``).
        min_closed: The fewest closed deals that must have reached each stage.
        confidence: Two-sided level of the intervals, in (0, 1).

    Raises:
        InvalidValueError: bad codes or lengths, or fewer than ``min_closed`` closed
            deals reached a stage (names the stage and the count) — the estimate
            says so instead of returning 0 or 1.

    Examples:
        >>> reached = [4] * 12 + [4] * 8 + [2] * 10 + [0] * 10
        >>> won = [True] * 12 + [False] * 28
        >>> sp = estimate_stage_probabilities(reached, won, min_closed=20)
        >>> sp.closed.tolist(), sp.probability.round(3).tolist()
        ([40, 30, 30, 20, 20], [0.3, 0.4, 0.4, 0.6, 0.6])
        >>> estimate_stage_probabilities(reached, won)
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `closed_deals['credit_approval']` must be at least 30 closed deals that reached 'credit_approval' (the stated minimum for a win probability); got 20. A rate from fewer deals would read as a firm 0 or 1; wait for more closed deals, pool the segments, or lower `min_closed` knowingly.
    """
    codes = stage_codes_of(reached, name="reached")
    outcome: BoolArray = as_bool_array(won, name="won")
    if outcome.size != codes.size:
        raise InvalidValueError(
            field="won",
            value=f"length {outcome.size}",
            expected=f"the same length as `reached` ({codes.size})",
        )
    given: object = min_closed
    if not isinstance(given, int) or isinstance(given, bool) or given < 1:
        raise InvalidValueError(
            field="min_closed", value=min_closed, expected="an integer >= 1"
        )
    level: object = confidence
    if not isinstance(level, float | int) or not 0 < level < 1:
        raise InvalidValueError(
            field="confidence", value=confidence, expected="a number in (0, 1)"
        )
    labels = tuple(segments)
    seg = None if segment is None else _segment_codes(segment, codes, labels)
    weights = outcome.astype(np.float64)
    closed = _reached_counts(codes, None, 1)[0]
    wins = _reached_counts(codes, weights, 1)[0]
    _check_minimum(closed, min_closed)
    probability = wins / closed
    lower, upper = _clopper_pearson(wins, closed, float(confidence))
    result = StageProbabilities(
        closed=closed,
        won=wins,
        probability=probability,
        lower=lower,
        upper=upper,
        confidence=float(confidence),
        min_closed=min_closed,
    )
    if seg is None:
        return result
    return _with_segments(result, codes, weights, seg, labels)


def _segment_codes(
    segment: object, codes: IntArray, labels: tuple[str, ...]
) -> IntArray:
    seg = np.asarray(segment)
    if seg.shape != codes.shape or seg.dtype.kind not in "iu":
        raise InvalidValueError(
            field="segment",
            value=f"{seg.dtype} array of shape {seg.shape}",
            expected=f"integer codes of the same length as `reached` ({codes.size})",
        )
    if seg.size and (seg.min() < 0 or seg.max() >= len(labels)):
        i = int(np.argmax((seg < 0) | (seg >= len(labels))))
        raise InvalidValueError(
            field=f"segment[{i}]",
            value=int(seg[i]),
            expected=f"a code in 0..{len(labels) - 1} (one per label of `segments`)",
        )
    return seg.astype(np.int64)


def _with_segments(
    pooled: StageProbabilities,
    codes: IntArray,
    weights: FloatArray,
    seg: IntArray,
    labels: tuple[str, ...],
) -> StageProbabilities:
    flat = seg * _K + codes
    closed = _reached_counts(flat, None, len(labels))
    wins = _reached_counts(flat, weights, len(labels))
    shrunk, lower, upper, credibility = _segment_rates(
        wins, closed, pooled.probability, pooled.confidence
    )
    degenerate = ~np.isfinite(credibility) | np.isnan(lower) | np.isnan(upper)
    lower = np.where(degenerate, pooled.lower, lower)
    upper = np.where(degenerate, pooled.upper, upper)
    return attrs.evolve(
        pooled,
        segments=labels,
        segment_closed=closed,
        segment_won=wins,
        segment_probability=shrunk,
        segment_lower=lower,
        segment_upper=upper,
        credibility=credibility,
    )
