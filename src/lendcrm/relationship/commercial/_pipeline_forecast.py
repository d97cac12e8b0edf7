"""The batch kernels of the pipeline analytics: integer codes in, ``np.bincount`` out.

No Python loop runs over deals: every figure is a gather (a probability per deal from
the stage and segment codes) and a weighted count per group code. The frames face
(`lendcrm.relationship.commercial.frames`) factorises the columns once and calls these;
the entity face computes the same figures deal by deal, and the tests hold the two
equal.
"""

from __future__ import annotations

from typing import Final, NamedTuple

import numpy as np

from lendcrm._arrays import BoolArray, FloatArray, IntArray
from lendcrm.relationship.commercial._pipeline_machine import OPEN_STAGES

__all__ = [
    "GroupTotals",
    "SlippageTotals",
    "close_date_slippage_codes",
    "cycle_time_codes",
    "funnel_counts",
    "grouped_forecast",
    "month_codes",
    "win_probability_codes",
    "win_rate_codes",
]

_K: Final = len(OPEN_STAGES)


class GroupTotals(NamedTuple):
    """Per group code: open pipeline, probability-weighted pipeline, deal count."""

    pipeline: FloatArray
    weighted: FloatArray
    deals: IntArray


def win_probability_codes(
    stage: IntArray, segment: IntArray | None, matrix: FloatArray
) -> FloatArray:
    """Each deal's win probability: ``matrix[segment, stage]`` (pooled row without segments).

    Args:
        stage: Open-stage codes ``0..4``.
        segment: Segment codes ``0..G`` (``G``: unseen, the pooled row), or ``None``.
        matrix: `StageProbabilities.matrix` (shape ``(G + 1, 5)``).

    Examples:
        >>> m = np.array([[0.1, 0.2, 0.4, 0.6, 0.8]])
        >>> win_probability_codes(np.array([0, 4, 2]), None, m).tolist()
        [0.1, 0.8, 0.4]
    """
    if segment is None:
        return np.asarray(matrix[-1][stage], dtype=np.float64)
    return np.asarray(matrix.reshape(-1)[segment * _K + stage], dtype=np.float64)


def grouped_forecast(
    amount: FloatArray, probability: FloatArray, group: IntArray, groups: int
) -> GroupTotals:
    """Sum open amounts, weighted amounts and deals per group code.

    Examples:
        >>> t = grouped_forecast(np.array([10.0, 20.0, 30.0]), np.array([0.5, 0.1, 1.0]),
        ...                      np.array([1, 0, 1]), 2)
        >>> t.pipeline.tolist(), t.weighted.tolist(), t.deals.tolist()
        ([20.0, 40.0], [2.0, 35.0], [1, 2])
    """
    return GroupTotals(
        pipeline=np.asarray(
            np.bincount(group, weights=amount, minlength=groups), dtype=np.float64
        ),
        weighted=np.asarray(
            np.bincount(group, weights=amount * probability, minlength=groups),
            dtype=np.float64,
        ),
        deals=np.bincount(group, minlength=groups).astype(np.int64),
    )


def win_rate_codes(
    group: IntArray, won: BoolArray, amount: FloatArray, groups: int
) -> tuple[IntArray, IntArray, FloatArray, FloatArray]:
    """Per group of *closed* deals: closed count, won count, won amount, closed amount."""
    return (
        np.bincount(group, minlength=groups).astype(np.int64),
        np.bincount(group, weights=won, minlength=groups).round().astype(np.int64),
        np.bincount(group, weights=amount * won, minlength=groups).astype(np.float64),
        np.bincount(group, weights=amount, minlength=groups).astype(np.float64),
    )


def cycle_time_codes(
    group: IntArray, days: FloatArray, groups: int
) -> tuple[IntArray, FloatArray, FloatArray]:
    """Per group of *won* deals: count, mean and median days from lead to signing.

    The median sorts once by (group, days) and reads the middle of each run.

    Examples:
        >>> n, mean, median = cycle_time_codes(np.array([0, 0, 1, 0]),
        ...                                   np.array([30.0, 90.0, 45.0, 60.0]), 2)
        >>> n.tolist(), mean.tolist(), median.tolist()
        ([3, 1], [60.0, 45.0], [60.0, 45.0])
    """
    count = np.bincount(group, minlength=groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.bincount(group, weights=days, minlength=groups) / count
    order = np.lexsort((days, group))
    ordered = days[order]
    start = np.concatenate([[0], np.cumsum(count)[:-1]])
    lo = start + (count - 1) // 2
    hi = start + count // 2
    has = count > 0
    median = np.full(groups, np.nan)
    median[has] = (ordered[lo[has]] + ordered[hi[has]]) / 2
    return count, mean, median


def funnel_counts(reached: IntArray, won: BoolArray) -> tuple[IntArray, int]:
    """How many deals reached each open stage, and how many were won.

    Examples:
        >>> counts, wins = funnel_counts(np.array([0, 1, 4, 4, 2]),
        ...                              np.array([False, False, True, False, False]))
        >>> counts.tolist(), wins
        ([5, 4, 3, 2, 2], 1)
    """
    counts = np.bincount(reached, minlength=_K)
    return np.cumsum(counts[::-1])[::-1], int(np.count_nonzero(won))


class SlippageTotals(NamedTuple):
    """Per deal, from its snapshots: first and last expected close, pushes, slip."""

    first_expected: IntArray
    last_expected: IntArray
    pushes: IntArray
    slip_days: IntArray
    snapshots: IntArray


def close_date_slippage_codes(
    deal: IntArray, taken: IntArray, expected: IntArray, deals: int
) -> SlippageTotals:
    """Slippage of expected close dates over a history of snapshots.

    Args:
        deal: Deal code ``0..deals-1`` of each snapshot row.
        taken: Snapshot date of the row (days since the epoch).
        expected: The expected close date the row recorded (days since the epoch).
        deals: Number of deal codes.

    Returns:
        Per deal code: the first and last expected close (by snapshot date; -1
        without a snapshot), how many times it was pushed later, and the slip in days
        (last minus first; negative when pulled in).

    Examples:
        >>> t = close_date_slippage_codes(np.array([0, 0, 0, 1]), np.array([1, 2, 3, 1]),
        ...                               np.array([100, 130, 125, 50]), 2)
        >>> t.slip_days.tolist(), t.pushes.tolist()
        ([25, 0], [1, 0])
    """
    order = np.lexsort((taken, deal))
    d, e = deal[order], expected[order]
    count = np.bincount(d, minlength=deals)
    has = count > 0
    ends = np.cumsum(count)
    first = np.full(deals, -1, dtype=np.int64)
    last = np.full(deals, -1, dtype=np.int64)
    first[has] = e[(ends - count)[has]]
    last[has] = e[ends[has] - 1]
    same = np.concatenate([[False], d[1:] == d[:-1]])
    later = same & (e > np.concatenate([[0], e[:-1]]))
    pushes = np.bincount(d, weights=later, minlength=deals).round().astype(np.int64)
    slip = np.where(has, last - first, 0)
    return SlippageTotals(first, last, pushes, slip, count)


def month_codes(days: IntArray) -> tuple[IntArray, np.int64]:
    """Calendar-month codes of day numbers: (code per row from 0, first month number).

    Month numbers count from 1970-01 (numpy's ``datetime64[M]``). The calendar is
    consulted once per distinct day in the range (a small table), then gathered.

    Examples:
        >>> days = np.array([0, 31, 59], dtype=np.int64)  # 1970-01-01, 02-01, 03-01
        >>> codes, first = month_codes(days)
        >>> codes.tolist(), int(first)
        ([0, 1, 2], 0)
    """
    if days.size == 0:
        return np.zeros(0, dtype=np.int64), np.int64(0)
    low, high = int(days.min()), int(days.max())
    span = np.arange(low, high + 1, dtype=np.int64)
    months = span.astype("datetime64[D]").astype("datetime64[M]").view(np.int64)
    first = months[0]
    table = months - first
    return table[days - low], np.int64(first)
