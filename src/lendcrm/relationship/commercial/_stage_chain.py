r"""The client lifecycle as a Markov chain: stage paths, transition counts, the matrix.

The chain runs on the six client stages in `lendcrm.lifecycle.ClientStage` order
(acquisition, activation, growth, maturity, decline, exited); *exited* is absorbing.
One step is one period (a month, a quarter, a year: whatever the period ends the
caller observes on). The estimator is the cohort (count) estimator:

$$\hat p_{ij} = \frac{n_{ij}}{\sum_k n_{ik}},$$

where $n_{ij}$ counts clients in stage $i$ at one period end and in stage $j$ at the
next, read from the lifecycle histories. Only the stages at period ends count: two
moves inside one period are one step.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from typing import Final

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import FloatArray, IntArray, numeric_array
from lendcrm._collections import sequence_of
from lendcrm.errors import InvalidValueError
from lendcrm.lifecycle import CLIENT_LIFECYCLE, ClientStage, History

__all__ = [
    "CLIENT_STAGES",
    "StageChain",
    "chain_from_paths",
    "estimate_stage_chain",
    "stage_code",
    "stage_paths",
    "transition_counts",
]

#: The chain's states, in order; the last (exited) is absorbing.
CLIENT_STAGES: Final = tuple(ClientStage)
_N: Final = len(CLIENT_STAGES)
_MATRIX: Final = 2
_EXIT: Final = _N - 1
#: Largest |row sum - 1| accepted in a transition matrix.
ROW_SUM_TOLERANCE: Final = 1e-9


def stage_code(stage: object, *, name: str = "stage") -> int:
    """Position of a client stage in `CLIENT_STAGES` (a member or its value).

    Raises:
        InvalidValueError: not a client stage (the message lists the stages).

    Examples:
        >>> stage_code("growth"), stage_code(ClientStage.EXITED)
        (2, 5)
    """
    try:
        return CLIENT_STAGES.index(ClientStage(str(stage)))
    except ValueError:
        raise InvalidValueError(
            field=name,
            value=stage,
            expected=f"a client stage, one of {[s.value for s in CLIENT_STAGES]!r}",
        ) from None


def _validated(matrix: npt.ArrayLike) -> FloatArray:
    m = np.array(matrix, dtype=np.float64)
    if m.shape != (_N, _N):
        raise InvalidValueError(
            field="matrix",
            value=f"shape {m.shape}",
            expected=f"a {_N}x{_N} matrix over {[s.value for s in CLIENT_STAGES]!r}",
        )
    bad = ~np.isfinite(m) | (m < 0) | (m > 1)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise InvalidValueError(
            field=f"matrix[{CLIENT_STAGES[i].value!r}][{CLIENT_STAGES[j].value!r}]",
            value=float(m[i, j]),
            expected="a probability in [0, 1]",
        )
    sums = m.sum(axis=1)
    off = np.abs(sums - 1.0) > ROW_SUM_TOLERANCE
    if off.any():
        i = int(np.argmax(off))
        raise InvalidValueError(
            field=f"matrix[{CLIENT_STAGES[i].value!r}]",
            value=f"row sum {float(sums[i])!r}",
            expected=f"a row of probabilities summing to 1 (within {ROW_SUM_TOLERANCE:g})",
        )
    if m[_EXIT, _EXIT] != 1.0:
        raise InvalidValueError(
            field="matrix['exited']",
            value=m[_EXIT].tolist(),
            expected="the absorbing row [0, 0, 0, 0, 0, 1] (an exit is final)",
        )
    return m


@attrs.frozen(kw_only=True, eq=False)
class StageChain:
    """A per-period transition matrix over the client stages.

    Attributes:
        matrix: ``matrix[i, j]`` is the probability of being in stage ``j`` one period
            after stage ``i``; rows sum to 1; the exited row is absorbing.
        counts: The transition counts it was estimated from, if any.

    Raises:
        InvalidValueError: not 6x6, a value outside [0, 1], a row that does not sum to
            1, or an exit that is not absorbing (names the row).

    Examples:
        >>> chain = StageChain(matrix=np.eye(6))
        >>> chain.probability("growth", "growth")
        1.0
    """

    matrix: FloatArray = attrs.field(converter=_validated)
    counts: FloatArray | None = None

    @property
    def transient(self) -> FloatArray:
        """The 5x5 block over the live stages (acquisition to decline), ``Q``."""
        return self.matrix[:_EXIT, :_EXIT]

    def probability(self, from_stage: object, to_stage: object) -> float:
        """One-period probability of moving from one stage to another."""
        i = stage_code(from_stage, name="from_stage")
        return float(self.matrix[i, stage_code(to_stage, name="to_stage")])

    def expected_remaining_periods(self) -> FloatArray:
        """Expected periods before exit from each live stage: ``(I - Q)^{-1} 1``.

        Raises:
            InvalidValueError: some live stage never reaches exit (the expectation is
                infinite).

        Examples:
            >>> m = np.eye(6)
            >>> m[:5] = 0.0
            >>> m[:5, 5] = 0.5
            >>> m[:5, 0] = 0.5
            >>> StageChain(matrix=m).expected_remaining_periods().tolist()
            [2.0, 2.0, 2.0, 2.0, 2.0]
        """
        q = self.transient
        if max(abs(np.linalg.eigvals(q))) >= 1.0 - 1e-12:
            raise InvalidValueError(
                field="matrix",
                value="live stages that never reach exit",
                expected="a chain in which every live stage reaches exit",
            )
        return np.linalg.solve(np.eye(_EXIT) - q, np.ones(_EXIT)).astype(np.float64)


def _stage_at(history: History, ends: Sequence[dt.date]) -> list[int]:
    records = history.records
    if history.machine != CLIENT_LIFECYCLE.name:
        raise InvalidValueError(
            field="histories.machine",
            value=history.machine,
            expected=f"{CLIENT_LIFECYCLE.name!r} (client lifecycle histories)",
        )
    first = CLIENT_STAGES[0] if not records else records[0].from_stage
    current, k, out = stage_code(first, name="history.from_stage"), 0, []
    for end in ends:
        while k < len(records) and records[k].on <= end:
            current = stage_code(records[k].to_stage, name="history.to_stage")
            k += 1
        out.append(current)
    return out


def stage_paths(
    histories: Sequence[History],
    period_ends: Sequence[dt.date],
    *,
    observed_from: Sequence[dt.date | None] | None = None,
) -> IntArray:
    """Each client's stage code at each period end, from its lifecycle history.

    A client is in the stage its latest record on or before the period end moved it
    to; before its first record it is in that record's starting stage (acquisition
    for an empty history). Period ends before ``observed_from[i]`` (e.g. the client's
    onboarding date) are unobserved and coded -1.

    Args:
        histories: Client lifecycle histories (`lendcrm.lifecycle.History`).
        period_ends: Observation dates, strictly increasing.
        observed_from: Per history, the first date it is observed, or ``None``.

    Returns:
        Int64 matrix ``(n_histories, n_periods)`` of `CLIENT_STAGES` positions.

    Raises:
        InvalidValueError: dates not increasing, ``observed_from`` of another length,
            a history of another machine, or a stage that is not a client stage.

    Examples:
        >>> from lendcrm.lifecycle import advance, start
        >>> s = advance(start(CLIENT_LIFECYCLE), "first_drawdown", on=dt.date(2026, 2, 3))
        >>> stage_paths([s.history], [dt.date(2026, 1, 31), dt.date(2026, 2, 28)]).tolist()
        [[0, 1]]
    """
    histories = sequence_of(histories, History, name="histories", what="History")
    ends = sequence_of(period_ends, dt.date, name="period_ends", what="datetime.date")
    if any(b <= a for a, b in itertools.pairwise(ends)):
        raise InvalidValueError(
            field="period_ends", value=ends, expected="strictly increasing dates"
        )
    if observed_from is not None and len(observed_from) != len(histories):
        raise InvalidValueError(
            field="observed_from",
            value=f"length {len(observed_from)}",
            expected=f"the same length as `histories` ({len(histories)})",
        )
    out = np.empty((len(histories), len(ends)), dtype=np.int64)
    for i, h in enumerate(histories):
        out[i] = _stage_at(h, ends)
        start = None if observed_from is None else observed_from[i]
        if start is not None:
            out[i, [e < start for e in ends]] = -1
    return out


def transition_counts(paths: npt.ArrayLike) -> FloatArray:
    """Count one-period moves between consecutive observed period ends.

    Args:
        paths: Stage codes ``(n, T)`` as `stage_paths` returns (-1 unobserved).

    Returns:
        6x6 float64 counts ``n[i, j]``.

    Raises:
        InvalidValueError: a code outside -1..5, or not a matrix.

    Examples:
        >>> transition_counts([[0, 1, 1, 2]])[[0, 1, 1], [1, 1, 2]].tolist()
        [1.0, 1.0, 1.0]
    """
    p = np.asarray(paths)
    if p.ndim != _MATRIX or not np.issubdtype(p.dtype, np.integer):
        raise InvalidValueError(
            field="paths", value=f"array of shape {p.shape}", expected="an int matrix"
        )
    if ((p < -1) | (p >= _N)).any():
        bad = p[(p < -1) | (p >= _N)][0]
        raise InvalidValueError(
            field="paths", value=int(bad), expected=f"stage codes in -1..{_N - 1}"
        )
    a, b = p[:, :-1].ravel(), p[:, 1:].ravel()
    seen = (a >= 0) & (b >= 0)
    flat = np.bincount(a[seen] * _N + b[seen], minlength=_N * _N)
    return flat.reshape(_N, _N).astype(np.float64)


def estimate_stage_chain(
    histories: Sequence[History],
    period_ends: Sequence[dt.date],
    *,
    observed_from: Sequence[dt.date | None] | None = None,
    prior: npt.ArrayLike | None = None,
) -> StageChain:
    """Estimate the per-period stage chain from client lifecycle histories.

    Args:
        histories: Client lifecycle histories.
        period_ends: Observation dates, strictly increasing (one step per gap).
        observed_from: As `stage_paths`.
        prior: Optional 6x6 pseudo-counts added to the observed counts (e.g. a
            previous estimate times a weight), >= 0.

    Raises:
        InvalidValueError: as `stage_paths`; a live stage with no observed move (no
            row to estimate: pass a ``prior``), or a negative prior.

    Examples:
        >>> from lendcrm.lifecycle import advance, start
        >>> s = advance(start(CLIENT_LIFECYCLE), "first_drawdown", on=dt.date(2026, 2, 3))
        >>> ends = [dt.date(2026, 1, 31), dt.date(2026, 2, 28)]
        >>> chain = estimate_stage_chain([s.history] * 2, ends, prior=np.eye(6))
        >>> chain.probability("acquisition", "activation")
        0.6666666666666666
    """
    return chain_from_paths(
        stage_paths(histories, period_ends, observed_from=observed_from), prior=prior
    )


def chain_from_paths(
    paths: npt.ArrayLike, *, prior: npt.ArrayLike | None = None
) -> StageChain:
    """Estimate the per-period stage chain from stage paths (the cohort estimator).

    The paths may come from the stored lifecycle histories (`stage_paths`, which
    `estimate_stage_chain` reads) or from the stage **assessed** at each period end,
    e.g. `lendcrm.lifecycle.frames.assess_stages` run on the signals of each month
    (``stage_codes(stages.ravel()).reshape(stages.shape)``). The two measure different
    things: the histories' chain counts the lifecycle events the bank recorded; the
    assessed chain counts how the stage the rules read from the data moved from one
    period end to the next, jumps between non-adjacent stages included.

    Args:
        paths: Stage codes ``(n, T)`` of `CLIENT_STAGES` positions, -1 unobserved.
        prior: Optional 6x6 pseudo-counts added to the observed counts, >= 0.

    Raises:
        InvalidValueError: as `transition_counts`; a live stage with no observed
            move (pass a ``prior``), or a negative prior.

    Examples:
        >>> chain = chain_from_paths([[2, 2, 3, 3], [2, 3, 3, -1]], prior=np.eye(6))
        >>> chain.probability("growth", "maturity"), chain.probability("maturity", "maturity")
        (0.5, 1.0)
    """
    counts = transition_counts(paths)
    if prior is not None:
        extra = numeric_array(prior, name="prior").astype(np.float64)
        if extra.shape != (_N, _N) or not np.isfinite(extra).all() or (extra < 0).any():
            raise InvalidValueError(
                field="prior",
                value=extra.tolist(),
                expected="a 6x6 matrix of counts >= 0",
            )
        counts = counts + extra
    counts[_EXIT] = 0.0
    counts[_EXIT, _EXIT] = 1.0
    rows = counts.sum(axis=1)
    if (rows == 0).any():
        i = int(np.argmax(rows == 0))
        raise InvalidValueError(
            field=f"counts[{CLIENT_STAGES[i].value!r}]",
            value=0,
            expected="at least one observed move out of every live stage",
            hint="Observe more periods or pass `prior` pseudo-counts.",
        )
    return StageChain(matrix=counts / rows[:, None], counts=counts)
