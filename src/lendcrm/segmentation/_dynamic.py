"""Risk-aware, dynamic re-segmentation.

Risk-adjusted value, the risk overlay, re-segmentation with hysteresis and migration
matrices.
"""

from __future__ import annotations

import math

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import FloatArray, IntArray, as_float_array, check_same_length
from lendcrm._validators import (
    enum_member,
    float_items,
    non_negative_int,
    number_in,
    positive_int,
    require_instance,
    tuple_converter,
)
from lendcrm.errors import InvalidValueError
from lendcrm.segmentation._features import ClientFeatures
from lendcrm.segmentation._ids import StrArray, same_ids
from lendcrm.segmentation._numeric import codes_by_cutoffs
from lendcrm.segmentation._protocol import Segmentation
from lendcrm.segmentation._tiers import TIER_LEVELS, Tier


def risk_adjusted_value(
    profit: npt.ArrayLike,
    expected_loss: npt.ArrayLike,
    capital_cost: npt.ArrayLike,
) -> FloatArray:
    r"""Profit contribution net of expected loss and the cost of capital, per client.

    $$\text{RAV}_i = \text{profit}_i - \text{EL}_i - \text{capital\_cost}_i$$

    All three are amounts over the same period, in the same currency. ``profit`` must
    be *before* expected loss: if your profit figure already nets expected loss (as
    ``lendcrm.frames.columns.PROFIT_TO_BANK`` does), pass ``expected_loss=0``. The capital
    cost is typically allocated capital times the hurdle rate.

    Args:
        profit: Profit contribution, shape ``(n,)``; may be negative.
        expected_loss: Expected loss, >= 0, shape ``(n,)``.
        capital_cost: Cost of the capital consumed, >= 0, shape ``(n,)``.

    Returns:
        Float64 array of shape ``(n,)``; may be negative.

    Raises:
        InvalidValueError: a value is not finite, a loss or cost is negative, or the
            arrays differ in length (names the argument and the first bad index).

    Examples:
        >>> risk_adjusted_value([100.0, 40.0], [10.0, 30.0], [20.0, 25.0]).tolist()
        [70.0, -15.0]
    """
    p = as_float_array(profit, name="profit")
    el = as_float_array(expected_loss, name="expected_loss", lower=0.0)
    cc = as_float_array(capital_cost, name="capital_cost", lower=0.0)
    check_same_length(profit=p, expected_loss=el, capital_cost=cc)
    return p - el - cc


def _require_tiered(seg: Segmentation, name: str) -> None:
    require_instance(seg, Segmentation, name=name, what="a Segmentation")
    if not seg.is_tiered:
        raise InvalidValueError(
            field=f"{name}.levels",
            value=seg.levels,
            expected=f"the four tiers {TIER_LEVELS!r}",
        )


def _grade_caps(
    values: tuple[tuple[float, Tier], ...] | list[tuple[float, Tier]],
) -> tuple[tuple[float, Tier], ...]:
    pairs = tuple_converter(name="grade_caps", what="(grade, tier) pairs")(values)
    caps = []
    for i, pair in enumerate(pairs):
        if not isinstance(pair, tuple | list) or len(pair) != 2:  # noqa: PLR2004
            shown = pair if pair is None or isinstance(pair, str | float) else None
            raise InvalidValueError(
                field=f"grade_caps[{i}]", value=shown, expected="a (grade, tier) pair"
            )
        grade = float_items(pair[:1], name=f"grade_caps[{i}]")[0]
        caps.append((grade, enum_member(Tier, pair[1], name="grade_caps")))
    return tuple(caps)


def _watchlist_cap(value: Tier | str | None) -> Tier | None:
    return None if value is None else enum_member(Tier, value, name="watchlist_cap")


def _early_warning_cap(value: Tier | str | None) -> Tier | None:
    if value is None:
        return None
    return enum_member(Tier, value, name="early_warning_cap")


@attrs.frozen(kw_only=True)
class RiskOverlay:
    """Caps the tier of clients whose risk is high, whatever their value.

    A client's tier after the overlay is the *worse* of its value tier and every cap
    that applies to it:

    - ``grade_caps``: ``(grade, tier)`` pairs, grades ascending; a client rated at
      ``grade`` or worse (numerically higher) is at best ``tier``. Caps must not
      improve as grades worsen. The default suits a 1–10 master scale (the one of
      `lendcrm.synthetic`): grade 7 or worse is at best gold, 8 silver, 9 basic.
      Grade 0 means unrated and is never capped.
    - ``watchlist_cap``: the best tier for a client on the watchlist.
    - ``early_warning_cap``: the best tier for a client with an early-warning flag.

    A cap whose input is missing from the features (``rating_grade``,
    ``on_watchlist``, ``early_warning``) is skipped; ``None`` disables a cap.

    Attributes:
        grade_caps: Rating-grade caps, grades strictly ascending.
        watchlist_cap: Best tier allowed on the watchlist, or ``None``.
        early_warning_cap: Best tier allowed with an early-warning flag, or ``None``.

    Examples:
        >>> import numpy as np
        >>> from lendcrm.segmentation import ClientFeatures, ThresholdTiers
        >>> f = ClientFeatures(client_ids=list("abcd"), revenue=[9.0, 9.0, 9.0, 1.0],
        ...     profit=[0.0] * 4, tenure_years=[1] * 4, product_count=[1] * 4,
        ...     referral_count=[0] * 4, rating_grade=[3, 7, 3, 3],
        ...     on_watchlist=[False, False, True, False])
        >>> tiers = ThresholdTiers(cutoffs=(5, 3, 2)).assign(f)
        >>> RiskOverlay().apply(tiers, f).labels.tolist()
        ['diamond', 'gold', 'silver', 'basic']
    """

    grade_caps: tuple[tuple[float, Tier], ...] = attrs.field(
        default=((7.0, Tier.GOLD), (8.0, Tier.SILVER), (9.0, Tier.BASIC)),
        converter=_grade_caps,
    )
    watchlist_cap: Tier | None = attrs.field(
        default=Tier.SILVER,
        converter=_watchlist_cap,
    )
    early_warning_cap: Tier | None = attrs.field(
        default=Tier.GOLD,
        converter=_early_warning_cap,
    )

    def __attrs_post_init__(self) -> None:
        """Check the grade caps are ordered."""
        for i, (grade, tier) in enumerate(self.grade_caps):
            if not math.isfinite(grade):
                raise InvalidValueError(
                    field=f"grade_caps[{i}]", value=grade, expected="a finite grade"
                )
            if i:
                prev_grade, prev_tier = self.grade_caps[i - 1]
                if grade <= prev_grade or tier.rank < prev_tier.rank:
                    raise InvalidValueError(
                        field=f"grade_caps[{i}]",
                        value=(grade, tier.value),
                        expected="a grade above the previous one with a tier no "
                        f"better than {prev_tier.value!r}",
                    )

    def caps(self, features: ClientFeatures) -> IntArray:
        """The best tier code allowed per client (0 = no cap), int64 shape ``(n,)``."""
        cap = np.zeros(features.n_clients, dtype=np.int64)
        if self.grade_caps and features.rating_grade is not None:
            grades = np.asarray([g for g, _ in self.grade_caps])
            codes = np.asarray([0] + [t.rank for _, t in self.grade_caps])
            cap = codes[np.searchsorted(grades, features.rating_grade, side="right")]
        if self.watchlist_cap is not None and features.on_watchlist is not None:
            cap = np.where(
                features.on_watchlist, np.maximum(cap, self.watchlist_cap.rank), cap
            )
        if self.early_warning_cap is not None and features.early_warning is not None:
            cap = np.where(
                features.early_warning,
                np.maximum(cap, self.early_warning_cap.rank),
                cap,
            )
        return cap.astype(np.int64)

    def apply(
        self, segmentation: Segmentation, features: ClientFeatures
    ) -> Segmentation:
        """Cap the tiers of ``segmentation`` by the risk inputs of ``features``.

        Raises:
            InvalidValueError: the segmentation is not tiered, or its clients are not
                those of ``features`` in the same order.
        """
        _require_tiered(segmentation, "segmentation")
        if not same_ids(segmentation.client_ids, features.client_ids):
            raise InvalidValueError(
                field="segmentation.client_ids",
                value=f"{segmentation.n_clients} clients",
                expected="the clients of `features`, in the same order",
            )
        codes = np.maximum(segmentation.codes, self.caps(features))
        return attrs.evolve(
            segmentation,
            strategy=f"{segmentation.strategy}+risk_overlay",
            codes=codes,
            params=(
                *segmentation.params,
                ("risk_overlay", attrs.asdict(self, recurse=False)),
            ),
        )


@attrs.frozen(kw_only=True)
class Hysteresis:
    """When a client may cross a tier boundary in `resegment`.

    Attributes:
        margin: Score points by which the score must clear a boundary, >= 0: an
            upgrade needs ``score - margin`` to reach the new tier, a downgrade needs
            ``score + margin`` to fall below the old one.
        periods: Consecutive periods a move must be indicated (in the same direction)
            before it is made, >= 1 (1: at once).

    Examples:
        >>> Hysteresis(margin=2.5, periods=2)
        Hysteresis(margin=2.5, periods=2)
    """

    margin: float = attrs.field(default=0.0, validator=number_in(0.0))
    periods: int = attrs.field(default=1, validator=positive_int)


def _align(before: StrArray, after: StrArray) -> tuple[IntArray, IntArray] | None:
    """Index pairs ``(i_before, i_after)`` of the clients in both; O(n log n).

    ``None`` when both hold the same ids in the same order (the common case, O(n)).
    """
    if same_ids(before, after):
        return None
    order = np.argsort(before, kind="stable")
    ordered = before[order]
    pos = np.searchsorted(ordered, after)
    pos_clipped = np.minimum(pos, len(ordered) - 1)
    found = ordered[pos_clipped] == after
    i_after = np.flatnonzero(found).astype(np.int64)
    return order[pos_clipped[found]].astype(np.int64), i_after


def resegment(
    previous: Segmentation, current: Segmentation, *, hysteresis: Hysteresis
) -> Segmentation:
    """Move clients across tier boundaries only when the move is clear, so tiers do not flap.

    ``current`` is this period's segmentation (from a threshold-based strategy such as
    `WeightedValueScore` or `ThresholdTiers`: it needs ``score`` and ``cutoffs``);
    ``previous`` is last period's result (a segmentation or an earlier `resegment`
    result, whose ``streak`` it continues). Per client, with ``p`` its previous tier
    code, ``s`` its current score and ``T(x)`` the tier of a score ``x`` under the
    current cut-offs:

    1. Margin: the indicated tier is ``clip(p, T(s + margin), T(s - margin))``. The
       client stays at ``p`` while its score is within ``margin`` of the boundaries
       around ``p``; otherwise it goes to the nearest tier it clears by ``margin``.
    2. Periods: a move (indicated tier ≠ ``p``) extends the client's streak in its
       direction (a move in the other direction restarts it at 1, no move resets it
       to 0). The move is made when the streak reaches ``hysteresis.periods``; the
       client then takes this period's indicated tier and the streak resets to 0.

    Clients absent from ``previous`` take their current tier at once; clients
    absent from ``current`` are dropped. With ``Hysteresis()`` (margin 0, 1 period)
    the result equals ``current``.

    Returns:
        A segmentation aligned with ``current``, carrying the new ``streak``.

    Raises:
        InvalidValueError: either segmentation is not tiered, or ``current`` has no
            score or cut-offs.

    Examples:
        >>> import numpy as np
        >>> ids = np.array(["a", "b", "c"])
        >>> cut = (75.0, 60.0, 40.0)
        >>> before = Segmentation(strategy="w", client_ids=ids, codes=np.array([1, 1, 1]),
        ...     levels=TIER_LEVELS, score=np.array([70.0, 70.0, 70.0]), cutoffs=cut)
        >>> now = Segmentation(strategy="w", client_ids=ids, codes=np.array([0, 0, 2]),
        ...     levels=TIER_LEVELS, score=np.array([76.0, 80.0, 58.0]), cutoffs=cut)
        >>> resegment(before, now, hysteresis=Hysteresis(margin=3.0)).labels.tolist()
        ['gold', 'diamond', 'gold']
    """
    require_instance(hysteresis, Hysteresis, name="hysteresis", what="a Hysteresis")
    _require_tiered(previous, "previous")
    _require_tiered(current, "current")
    if current.score is None or current.cutoffs is None:
        raise InvalidValueError(
            field="current",
            value=current.strategy,
            expected="a threshold-based segmentation with `score` and `cutoffs`",
            hint="Use WeightedValueScore or ThresholdTiers.",
        )
    n = current.n_clients
    pairs = _align(previous.client_ids, current.client_ids)
    i_prev, i_cur = pairs if pairs is not None else (slice(None), slice(None))
    held = current.codes.copy()  # clients new this period take their tier at once
    held[i_cur] = previous.codes[i_prev]
    streak = np.zeros(n, dtype=np.int64)
    if previous.streak is not None:
        streak[i_cur] = previous.streak[i_prev]
    score = current.score
    best = codes_by_cutoffs(score + hysteresis.margin, current.cutoffs)
    worst = codes_by_cutoffs(score - hysteresis.margin, current.cutoffs)
    indicated = np.clip(held, best, worst)
    known = np.zeros(n, dtype=np.bool_)
    known[i_cur] = True
    up = known & (indicated < held)
    down = known & (indicated > held)
    streak = np.where(
        up,
        np.where(streak > 0, streak + 1, 1),
        np.where(down, np.where(streak < 0, streak - 1, -1), 0),
    )
    move = np.abs(streak) >= hysteresis.periods
    codes = np.where(move, indicated, held).astype(np.int64)
    streak = np.where(move, 0, streak).astype(np.int64)
    return attrs.evolve(
        current,
        strategy=f"{current.strategy}+hysteresis",
        codes=codes,
        streak=streak,
        params=(
            *current.params,
            ("hysteresis", (hysteresis.margin, hysteresis.periods)),
        ),
    )


@attrs.frozen(kw_only=True, eq=False)
class MigrationMatrix:
    """Counts and row shares of clients moving between the levels of two segmentations.

    Attributes:
        levels: The levels, best first; rows are *before*, columns *after*.
        counts: ``counts[i, j]`` clients went from level ``i`` to level ``j``, int64,
            shape ``(k, k)``.
        shares: ``counts`` divided by its row sums (0 for an empty row), in [0, 1].
        before_only: Clients of the first segmentation missing from the second.
        after_only: Clients of the second segmentation missing from the first.
    """

    levels: tuple[str, ...]
    counts: IntArray = attrs.field(repr=False)
    shares: FloatArray = attrs.field(repr=False)
    before_only: int = attrs.field(validator=non_negative_int)
    after_only: int = attrs.field(validator=non_negative_int)

    @property
    def stayed(self) -> int:
        """Clients on the diagonal."""
        return int(np.trace(self.counts))

    @property
    def upgraded(self) -> int:
        """Clients that moved to a better level (below the diagonal)."""
        return int(np.tril(self.counts, -1).sum())

    @property
    def downgraded(self) -> int:
        """Clients that moved to a worse level (above the diagonal)."""
        return int(np.triu(self.counts, 1).sum())


def migration_matrix(before: Segmentation, after: Segmentation) -> MigrationMatrix:
    """Who moved where between two segmentations with the same levels.

    Clients are matched by id (O(n) when both list the same ids in the same order,
    O(n log n) otherwise); clients present in only one are counted in
    ``before_only`` / ``after_only`` and left out of the matrix.

    Raises:
        InvalidValueError: the two segmentations have different levels.

    Examples:
        >>> import numpy as np
        >>> ids = np.array(["a", "b", "c", "d"])
        >>> s0 = Segmentation(strategy="x", client_ids=ids, codes=np.array([0, 1, 1, 2]),
        ...                   levels=("A", "B", "C"))
        >>> s1 = Segmentation(strategy="x", client_ids=ids, codes=np.array([0, 0, 1, 2]),
        ...                   levels=("A", "B", "C"))
        >>> m = migration_matrix(s0, s1)
        >>> m.counts.tolist(), m.shares[1].tolist(), m.upgraded
        ([[1, 0, 0], [1, 1, 0], [0, 0, 1]], [0.5, 0.5, 0.0], 1)
    """
    require_instance(before, Segmentation, name="before", what="a Segmentation")
    require_instance(after, Segmentation, name="after", what="a Segmentation")
    if before.levels != after.levels:
        raise InvalidValueError(
            field="after.levels",
            value=after.levels,
            expected=f"the levels of `before` {before.levels!r}",
        )
    k = len(before.levels)
    pairs = _align(before.client_ids, after.client_ids)
    if pairs is None:
        cb, ca = before.codes, after.codes
    else:
        cb, ca = before.codes[pairs[0]], after.codes[pairs[1]]
    counts = np.bincount(cb * k + ca, minlength=k * k).reshape(k, k).astype(np.int64)
    rows = counts.sum(axis=1, keepdims=True)
    shares = np.divide(
        counts, rows, out=np.zeros((k, k), dtype=np.float64), where=rows > 0
    )
    return MigrationMatrix(
        levels=before.levels,
        counts=counts,
        shares=shares,
        before_only=before.n_clients - len(cb),
        after_only=after.n_clients - len(ca),
    )
