r"""Feedback analytics: Net Promoter Score by group and the satisfaction trend per client.

Scores are the 0-10 "how likely are you to recommend us" answers of `Feedback`.
The **Net Promoter Score** (Reichheld, "The One Number You Need to Grow", Harvard
Business Review, December 2003) is the share of promoters (9-10) minus the share of
detractors (0-6), in points from -100 to +100:

$$NPS = 100 \cdot \frac{\#\{s \ge 9\} - \#\{s \le 6\}}{n}$$

The **satisfaction trend** of a client is the ordinary least-squares slope of its
scores against time, in points a year (dates in years of 365.25 days):

$$b = \frac{\sum_k (t_k - \bar t)(s_k - \bar s)}{\sum_k (t_k - \bar t)^2}$$

It is NaN for a client with fewer than two distinct feedback dates. Everything is
grouped with ``numpy.bincount``: one pass, no loop over clients.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Final

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import FloatArray, IntArray, as_float_array, check_same_length
from lendcrm._dates import DAYS_PER_YEAR
from lendcrm.errors import InvalidValueError

__all__ = [
    "DETRACTOR_MAX",
    "PROMOTER_MIN",
    "NpsTable",
    "SatisfactionTrend",
    "net_promoter_score",
    "nps_by_group",
    "satisfaction_trend",
]

#: Lowest promoter score.
PROMOTER_MIN: Final = 9
#: Highest detractor score.
DETRACTOR_MAX: Final = 6


def _scores(scores: npt.ArrayLike) -> FloatArray:
    s = as_float_array(scores, name="scores", lower=0, upper=10)
    bad = s != np.round(s)
    if bad.any():
        i = int(np.argmax(bad))
        raise InvalidValueError(
            field=f"scores[{i}]",
            value=float(s[i]),
            expected="a whole number in [0, 10]",
        )
    return s


def net_promoter_score(scores: npt.ArrayLike) -> float:
    """Net Promoter Score of a set of 0-10 scores, in points from -100 to 100.

    Raises:
        InvalidValueError: no scores, or a score that is not a whole number in
            [0, 10] (names the first bad index).

    Examples:
        >>> net_promoter_score([10, 9, 8, 7, 6, 3])  # 2 promoters, 2 detractors of 6
        0.0
        >>> net_promoter_score([10, 10, 9, 5])
        50.0
    """
    s = _scores(scores)
    if s.size == 0:
        raise InvalidValueError(
            field="scores", value=[], expected="at least one score (NPS needs data)"
        )
    return float(100.0 * (np.mean(s >= PROMOTER_MIN) - np.mean(s <= DETRACTOR_MAX)))


@attrs.frozen(kw_only=True, eq=False)
class NpsTable:
    """Net Promoter Score per group (one row per distinct group label, sorted).

    Attributes:
        groups: Group labels (str), sorted, shape ``(g,)``.
        count: Scores per group.
        promoters: Share of promoters (9-10), a fraction.
        detractors: Share of detractors (0-6), a fraction.
        nps: ``100 * (promoters - detractors)``, points in [-100, 100].
        mean_score: Mean score, 0-10.
    """

    groups: npt.NDArray[np.str_]
    count: IntArray
    promoters: FloatArray
    detractors: FloatArray
    nps: FloatArray
    mean_score: FloatArray


def nps_by_group(scores: npt.ArrayLike, groups: npt.ArrayLike) -> NpsTable:
    """Net Promoter Score of each group of scores (by tier, by stage, ...).

    Args:
        scores: Whole-number scores 0-10, shape ``(n,)``.
        groups: The group label of each score, shape ``(n,)`` (str).

    Returns:
        An `NpsTable`, one row per distinct label; each row equals
        `net_promoter_score` of that group's scores.

    Raises:
        InvalidValueError: bad scores, or arrays of different lengths.

    Examples:
        >>> t = nps_by_group([10, 9, 3, 8, 10], ["gold", "gold", "gold", "basic", "basic"])
        >>> t.groups.tolist(), t.nps.round(1).tolist(), t.count.tolist()
        (['basic', 'gold'], [50.0, 33.3], [2, 3])
    """
    s = _scores(scores)
    g = np.asarray(groups, dtype=object).reshape(-1).astype(str)
    check_same_length(scores=s, groups=g)
    labels, inverse = np.unique(g, return_inverse=True)
    k = len(labels)
    count = np.bincount(inverse, minlength=k).astype(np.int64)
    safe = np.maximum(count, 1)
    prom = np.bincount(inverse, weights=(s >= PROMOTER_MIN), minlength=k) / safe
    detr = np.bincount(inverse, weights=(s <= DETRACTOR_MAX), minlength=k) / safe
    mean = np.bincount(inverse, weights=s, minlength=k) / safe
    return NpsTable(
        groups=labels,
        count=count,
        promoters=prom,
        detractors=detr,
        nps=100.0 * (prom - detr),
        mean_score=mean,
    )


@attrs.frozen(kw_only=True, eq=False)
class SatisfactionTrend:
    """Per-client satisfaction: slope, latest score and count (sorted client ids).

    Attributes:
        client_ids: Client ids with at least one score, sorted, shape ``(k,)``.
        slope: Least-squares slope, points a year; NaN with fewer than two distinct
            dates.
        last_score: Score of the latest feedback (the last one given on that date,
            in input order, when several share it).
        count: Number of scores.
        nps: The client's own NPS over its scores, points.
    """

    client_ids: npt.NDArray[np.str_]
    slope: FloatArray
    last_score: FloatArray
    count: IntArray
    nps: FloatArray


def _days(dates: object) -> npt.NDArray[np.datetime64]:
    """``dates`` as ``datetime64[D]``; numbers and unreadable text are refused."""
    try:
        raw = np.asarray(dates)
        if raw.size == 0 or raw.dtype.kind not in "biufc":  # a number is no date
            return np.asarray(dates, dtype="datetime64[D]").reshape(-1)
    except (TypeError, ValueError, OverflowError):
        pass
    raise InvalidValueError(
        field="dates", value=dates, expected="dates (datetime64 or datetime.date)"
    )


def satisfaction_trend(
    client_ids: npt.ArrayLike,
    dates: npt.ArrayLike | Sequence[dt.date],
    scores: npt.ArrayLike,
) -> SatisfactionTrend:
    """Trend of each client's feedback scores over time, in one grouped pass.

    Args:
        client_ids: Owner of each score, shape ``(n,)``.
        dates: Date of each score (``datetime64`` or ``datetime.date``), ``(n,)``.
        scores: Whole-number scores 0-10, ``(n,)``.

    Returns:
        A `SatisfactionTrend`, one row per client that has feedback.

    Raises:
        InvalidValueError: bad scores, missing dates or arrays of different lengths.

    Examples:
        >>> import datetime as dt
        >>> t = satisfaction_trend(
        ...     ["A", "A", "A", "B"],
        ...     [dt.date(2024, 1, 1), dt.date(2024, 12, 31), dt.date(2025, 12, 31),
        ...      dt.date(2025, 6, 1)],
        ...     [9, 7, 5, 8])
        >>> t.client_ids.tolist(), t.slope.round(2).tolist(), t.last_score.tolist()
        (['A', 'B'], [-2.0, nan], [5.0, 8.0])
    """
    s = _scores(scores)
    ids = np.asarray(client_ids, dtype=object).reshape(-1).astype(str)
    d = _days(dates)
    check_same_length(client_ids=ids, dates=d, scores=s)
    if np.isnat(d).any():
        i = int(np.argmax(np.isnat(d)))
        raise InvalidValueError(field=f"dates[{i}]", value=None, expected="a date")
    labels, inv = np.unique(ids, return_inverse=True)
    count, slope, last, nps = grouped_trend(
        inv.astype(np.int64), len(labels), d.astype(np.int64), s
    )
    return SatisfactionTrend(
        client_ids=labels, slope=slope, last_score=last, count=count, nps=nps
    )


def _latest_rows(inv: IntArray, days: IntArray, k: int) -> IntArray:
    """Each group's latest row: the latest day, the last in record order among ties.

    What a stable sort by (group, day) would end each group with, without the sort:
    records already in that order (as a book's records usually are) are read from
    the group ends; others take each group's latest day and then its last row on
    that day (two ``ufunc.at`` passes).
    """
    step = np.diff(inv)
    if not (step < 0).any() and not ((step == 0) & (np.diff(days) < 0)).any():
        return np.flatnonzero(np.r_[step != 0, True])
    latest = np.full(k, np.iinfo(np.int64).min, dtype=np.int64)
    np.maximum.at(latest, inv, days)
    on_latest = np.flatnonzero(days == latest[inv])
    row = np.full(k, -1, dtype=np.int64)
    np.maximum.at(row, inv[on_latest], on_latest)
    return row[row >= 0]


def grouped_trend(
    codes: IntArray, k: int, days: IntArray, scores: FloatArray
) -> tuple[IntArray, FloatArray, FloatArray, FloatArray]:
    """Count, slope, last score and NPS per group code ``0..k-1`` (validated input).

    Groups without scores get count 0 and NaN elsewhere. Used by
    `satisfaction_trend` and by the batch relationship view, which has client codes
    already and skips re-grouping strings.
    """
    s = scores
    inv = codes
    t_days = days.astype(np.float64)
    count = np.bincount(inv, minlength=k)
    safe = np.maximum(count, 1)
    # centre time per client before squaring: exact and stable for any epoch
    t_mean = np.bincount(inv, weights=t_days, minlength=k) / safe
    s_mean = np.bincount(inv, weights=s, minlength=k) / safe
    t = (t_days - t_mean[inv]) / DAYS_PER_YEAR
    sxx = np.bincount(inv, weights=t * t, minlength=k)
    sxy = np.bincount(inv, weights=t * (s - s_mean[inv]), minlength=k)
    with np.errstate(invalid="ignore", divide="ignore"):
        slope = np.where(sxx > 0, sxy / np.where(sxx > 0, sxx, 1.0), np.nan)
    last = np.full(k, np.nan)
    if len(s):
        ends = _latest_rows(inv, days, k)
        last[inv[ends]] = s[ends]
    prom = np.bincount(inv, weights=(s >= PROMOTER_MIN), minlength=k)
    detr = np.bincount(inv, weights=(s <= DETRACTOR_MAX), minlength=k)
    nps = np.where(count > 0, 100.0 * (prom - detr) / safe, np.nan)
    return (
        count.astype(np.int64),
        slope.astype(np.float64),
        last,
        nps.astype(np.float64),
    )
