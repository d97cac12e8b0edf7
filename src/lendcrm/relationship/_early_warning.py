r"""Early warning: which clients are becoming riskier, how much, and why.

Eight signals are computed from `ClientFacts` in one vectorised pass, each a boolean
per client with its threshold a field of `EarlyWarningPolicy`:

| signal | fires when |
|---|---|
| ``rating_downgrade`` | ``rating_notches_moved >= downgrade_notches`` |
| ``utilisation_spike`` | ``utilisation_change >= utilisation_spike`` |
| ``past_due`` | ``days_past_due >= past_due_days`` |
| ``covenant_breach`` | ``covenant_breaches >= 1`` |
| ``thin_headroom`` | ``dscr_headroom < thin_headroom`` (a DSCR is tested) |
| ``dscr_deterioration`` | ``dscr_change <= -dscr_drop`` (a DSCR is tested) |
| ``drawdown_ahead`` | ``drawdown_gap > drawdown_tolerance`` (a project) |
| ``falling_feedback`` | ``feedback_trend <= feedback_slope`` (two scores or more) |

The **early-warning score** is the weighted share of signals that fire, in [0, 100]:

$$EW_i = 100 \cdot \frac{\sum_s w_s \, f_{i,s}}{\sum_s w_s}$$

with the weights of `SignalWeights` (defaults below; arrears and covenant breaches
weigh most, as they are the hard evidence of distress in the EBA guidelines on loan
origination and monitoring, EBA/GL/2020/06, section 8.7). A client is recommended
for the **watchlist** when its score reaches ``watch_score`` or when a hard trigger
fires (``days_past_due >= hard_past_due_days``, 90 days by default: the
unlikeliness-to-pay backstop of CRR Art. 178). The reasons are the names of the
signals that fired.

The results feed the lifecycle (``on_watchlist`` signal of the stage assessment,
which moves a client to *decline*) and the segmentation risk overlay (its
``early_warning`` flag caps the tier).
"""

from __future__ import annotations

from typing import Final

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import BoolArray, FloatArray
from lendcrm._validators import instance_of, number_in, require_instance
from lendcrm.errors import InvalidValueError
from lendcrm.relationship._facts import (
    ClientFacts,
    client_facts,  # noqa: F401 - doctests
)

__all__ = [
    "DEFAULT_POLICY",
    "SIGNALS",
    "EarlyWarningPolicy",
    "EarlyWarnings",
    "SignalWeights",
    "early_warnings",
]

#: The signal names, in the order of `EarlyWarnings.flags` columns.
SIGNALS: Final[tuple[str, ...]] = (
    "rating_downgrade",
    "utilisation_spike",
    "past_due",
    "covenant_breach",
    "thin_headroom",
    "dscr_deterioration",
    "drawdown_ahead",
    "falling_feedback",
)

_non_negative = number_in(0, None)


@attrs.frozen(kw_only=True)
class SignalWeights:
    """Weight of each early-warning signal in the score (>= 0, not all zero).

    Only ratios matter: the score divides by the sum of the weights.

    Attributes:
        rating_downgrade: Weight of a rating downgrade.
        utilisation_spike: Weight of a utilisation spike.
        past_due: Weight of arrears.
        covenant_breach: Weight of a covenant breach.
        thin_headroom: Weight of thin DSCR headroom.
        dscr_deterioration: Weight of a falling DSCR forecast.
        drawdown_ahead: Weight of drawdowns ahead of certified progress.
        falling_feedback: Weight of falling satisfaction.

    Examples:
        >>> SignalWeights().as_array().sum()
        np.float64(1.0)
        >>> SignalWeights(past_due=-1.0)
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `past_due` must be a finite number >= 0; got -1.0.
    """

    rating_downgrade: float = attrs.field(default=0.20, validator=_non_negative)
    utilisation_spike: float = attrs.field(default=0.05, validator=_non_negative)
    past_due: float = attrs.field(default=0.25, validator=_non_negative)
    covenant_breach: float = attrs.field(default=0.20, validator=_non_negative)
    thin_headroom: float = attrs.field(default=0.10, validator=_non_negative)
    dscr_deterioration: float = attrs.field(default=0.10, validator=_non_negative)
    drawdown_ahead: float = attrs.field(default=0.05, validator=_non_negative)
    falling_feedback: float = attrs.field(default=0.05, validator=_non_negative)

    def __attrs_post_init__(self) -> None:
        """At least one weight must be positive."""
        if self.as_array().sum() <= 0:
            raise InvalidValueError(
                field="weights",
                value=0.0,
                expected="weights whose sum is > 0",
            )

    def as_array(self) -> FloatArray:
        """The weights in `SIGNALS` order, float64 shape ``(8,)``."""
        return np.array([getattr(self, s) for s in SIGNALS], dtype=np.float64)


@attrs.frozen(kw_only=True)
class EarlyWarningPolicy:
    """Thresholds, weights and watchlist rule of the early-warning score.

    Attributes:
        downgrade_notches: Notches downgraded over twelve months that count, >= 1.
        utilisation_spike: Rise of utilisation over twelve months, fraction points.
        past_due_days: Days past due that count as arrears.
        thin_headroom: DSCR headroom over the lock-up level below which it is thin (x).
        dscr_drop: Fall of the DSCR forecast that counts as deterioration (x).
        drawdown_tolerance: Drawn share ahead of certified progress tolerated.
        feedback_slope: Satisfaction slope (points a year) at or below which
            feedback is falling; negative.
        weights: Signal weights.
        watch_score: Score from which the watchlist is recommended, in (0, 100].
        hard_past_due_days: Days past due that put a client on the watchlist on
            their own.

    Examples:
        >>> EarlyWarningPolicy(watch_score=0)
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `watch_score` must be a finite number in (0, 100]; got 0.
    """

    downgrade_notches: float = attrs.field(default=2.0, validator=number_in(1, None))
    utilisation_spike: float = attrs.field(
        default=0.20, validator=number_in(0, None, lower_open=True)
    )
    past_due_days: float = attrs.field(
        default=30.0, validator=number_in(0, None, lower_open=True)
    )
    thin_headroom: float = attrs.field(default=0.10, validator=_non_negative)
    dscr_drop: float = attrs.field(
        default=0.15, validator=number_in(0, None, lower_open=True)
    )
    drawdown_tolerance: float = attrs.field(default=0.05, validator=number_in(0, 1))
    feedback_slope: float = attrs.field(
        default=-1.0, validator=number_in(None, 0, upper_open=True)
    )
    weights: SignalWeights = attrs.field(
        factory=SignalWeights,
        validator=instance_of(SignalWeights, what="a SignalWeights"),
    )
    watch_score: float = attrs.field(
        default=30.0, validator=number_in(0, 100, lower_open=True)
    )
    hard_past_due_days: float = attrs.field(
        default=90.0, validator=number_in(0, None, lower_open=True)
    )


#: The default policy (thresholds and weights as documented above).
DEFAULT_POLICY: Final = EarlyWarningPolicy()


@attrs.frozen(kw_only=True, eq=False)
class EarlyWarnings:
    """The early-warning result of every client (numpy face).

    Attributes:
        client_ids: Client ids, shape ``(n,)``.
        flags: bool, shape ``(n, 8)``: ``flags[i, j]`` is true when signal
            ``SIGNALS[j]`` fired for client ``i``.
        score: Early-warning score in [0, 100], shape ``(n,)``.
        watchlist: Watchlist recommendation, shape ``(n,)``.
    """

    client_ids: npt.NDArray[np.str_]
    flags: npt.NDArray[np.bool_]
    score: FloatArray
    watchlist: BoolArray

    def __len__(self) -> int:
        """Number of clients."""
        return len(self.score)

    @property
    def signal_names(self) -> tuple[str, ...]:
        """The names of the ``flags`` columns (`SIGNALS`)."""
        return SIGNALS

    def reasons(self, i: int) -> tuple[str, ...]:
        """Names of the signals that fired for client ``i`` (by position).

        Examples:
            >>> f = client_facts(client_ids=["A"], days_past_due=[45], covenant_breaches=[1])
            >>> early_warnings(f).reasons(0)
            ('past_due', 'covenant_breach')
        """
        return tuple(s for s, hit in zip(SIGNALS, self.flags[i], strict=True) if hit)


def _flags(facts: ClientFacts, p: EarlyWarningPolicy) -> npt.NDArray[np.bool_]:
    with np.errstate(invalid="ignore"):  # NaN compares False: "not applicable"
        columns = (
            facts.rating_notches_moved >= p.downgrade_notches,
            facts.utilisation_change >= p.utilisation_spike,
            facts.days_past_due >= p.past_due_days,
            facts.covenant_breaches >= 1.0,
            facts.dscr_headroom < p.thin_headroom,
            facts.dscr_change <= -p.dscr_drop,
            facts.drawdown_gap > p.drawdown_tolerance,
            facts.feedback_trend <= p.feedback_slope,
        )
    return np.column_stack(columns) if len(facts) else np.zeros((0, 8), dtype=bool)


def early_warnings(
    facts: ClientFacts, *, policy: EarlyWarningPolicy = DEFAULT_POLICY
) -> EarlyWarnings:
    """Early-warning signals, score and watchlist recommendation of every client.

    Row-wise: a client's result depends on its own facts only, so the result of a
    book equals the results of its parts.

    Args:
        facts: Per-client facts (see `client_facts`).
        policy: Thresholds, weights and the watchlist rule.

    Returns:
        `EarlyWarnings`: flags ``(n, 8)``, score in [0, 100] and watchlist ``(n,)``.

    Raises:
        InvalidValueError: ``facts`` is not a `ClientFacts` or ``policy`` not an
            `EarlyWarningPolicy`.

    Examples:
        >>> f = client_facts(client_ids=["A", "B", "C"],
        ...                  rating_notches_moved=[0, 3, 0], days_past_due=[0, 40, 95],
        ...                  dscr_headroom=[float("nan"), 0.05, 0.5])
        >>> ew = early_warnings(f)
        >>> ew.score.round(1).tolist(), ew.watchlist.tolist()
        ([0.0, 55.0, 25.0], [False, True, True])
        >>> ew.reasons(1)
        ('rating_downgrade', 'past_due', 'thin_headroom')
    """
    require_instance(facts, ClientFacts, name="facts", what="a ClientFacts")
    require_instance(
        policy, EarlyWarningPolicy, name="policy", what="an EarlyWarningPolicy"
    )
    flags = _flags(facts, policy)
    weights = policy.weights.as_array()
    # a sum over the signals in a fixed order, element by element: the same bits for
    # a client whatever the size of the batch (a matrix product would let BLAS pick
    # the summation order, which breaks bit-equality across partitions)
    total = np.zeros(len(facts))
    for j in range(flags.shape[1]):
        total += np.where(flags[:, j], weights[j], 0.0)
    score = 100.0 * total / weights.sum()
    watch = (score >= policy.watch_score) | (
        facts.days_past_due >= policy.hard_past_due_days
    )
    return EarlyWarnings(
        client_ids=facts.client_ids,
        flags=flags,
        score=score,
        watchlist=watch,
    )
