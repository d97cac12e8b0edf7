"""The binning dynamic programme at its exact thresholds, and its trend table (#23)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lendcrm.risk.scoring._binning_dp import _TRANSITIONS, Trend, interval_stats, solve

# Pre-bins [0, 1), [1, 2), [2, 3): goods 3, 1, 2 and bads 1, 2, 1 (totals 6 and 4).
GOODS = np.array([3.0, 1.0, 2.0])
BADS = np.array([1.0, 2.0, 1.0])
# Interval [i, j) -> (goods, bads)
INTERVALS = {
    (0, 1): (3, 1),
    (0, 2): (4, 3),
    (0, 3): (6, 4),
    (1, 2): (1, 2),
    (1, 3): (3, 3),
    (2, 3): (2, 1),
}


def _feasible(**minimums: float) -> set[tuple[int, int]]:
    iv, rate = interval_stats(GOODS, BADS, 6.0, 4.0, **minimums)
    found = {(i, j) for i in range(4) for j in range(4) if np.isfinite(iv[i, j])}
    for i, j in found:
        g, b = INTERVALS[i, j]
        assert iv[i, j] == pytest.approx((g / 6 - b / 4) * math.log((g / 6) / (b / 4)))
        assert rate[i, j] == b / (g + b)
    assert all(
        np.isnan(rate[i, j]) for i in range(4) for j in range(4) if (i, j) not in found
    )
    return found


def test_an_interval_exactly_at_each_minimum_is_feasible():
    assert _feasible(min_weight=4, min_goods=0, min_bads=0) == {
        (0, 1),  # weight 4: exactly the minimum
        (0, 2),
        (0, 3),
        (1, 3),
    }
    assert _feasible(min_weight=0, min_goods=3, min_bads=0) == {
        (0, 1),  # 3 goods: exactly the minimum
        (0, 2),
        (0, 3),
        (1, 3),
    }
    assert _feasible(min_weight=0, min_goods=0, min_bads=2) == {
        (0, 2),
        (0, 3),
        (1, 2),  # 2 bads: exactly the minimum
        (1, 3),
    }
    assert _feasible(min_weight=0, min_goods=0, min_bads=0) == set(INTERVALS)


def test_an_interval_without_goods_or_without_bads_is_infeasible():
    iv, rate = interval_stats(
        np.array([0.0, 2.0]), np.array([1.0, 0.0]), 2.0, 1.0,
        min_weight=0, min_goods=0, min_bads=0,
    )  # fmt: skip
    assert np.isneginf(iv[0, 1])
    assert np.isneginf(iv[1, 2])
    assert np.isnan(rate[0, 1])
    assert np.isnan(rate[1, 2])
    assert np.isfinite(iv[0, 2])
    assert rate[0, 2] == pytest.approx(1 / 3)


def test_solve_returns_its_cuts_and_iv_and_nothing_when_infeasible():
    goods = np.array([40.0, 30.0, 20.0, 10.0])
    bads = np.array([1.0, 5.0, 10.0, 20.0])
    iv, rate = interval_stats(
        goods, bads, 100.0, 36.0, min_weight=0, min_goods=1, min_bads=1
    )
    cuts, value = solve(iv, rate, trend=Trend.ASCENDING, max_bins=4)
    assert cuts == (1, 2, 3)  # the pre-bins' rates already ascend
    assert value == pytest.approx(sum(float(iv[i, i + 1]) for i in range(4)))
    cuts, value = solve(iv, rate, trend=Trend.DESCENDING, max_bins=4)
    assert cuts == ()
    assert value == iv[0, 4]  # one bin is the only descending partition
    none_iv, none_rate = interval_stats(
        goods, bads, 100.0, 36.0, min_weight=1000, min_goods=0, min_bads=0
    )
    assert solve(none_iv, none_rate, trend=Trend.NONE, max_bins=4) == ((), -math.inf)


def test_the_trend_transition_table_is_pinned():
    # (from phase, to phase, how the previous bin's rate compares with the next's)
    assert _TRANSITIONS == {
        Trend.ASCENDING: ((0, 0, "<"),),
        Trend.DESCENDING: ((0, 0, ">"),),
        Trend.NONE: ((0, 0, "*"),),
        Trend.PEAK: ((0, 0, "<"), (0, 1, ">"), (1, 1, ">")),
        Trend.VALLEY: ((0, 0, ">"), (0, 1, "<"), (1, 1, "<")),
    }
    assert [t.value for t in Trend] == [
        "ascending", "descending", "auto", "peak", "valley", "none",
    ]  # fmt: skip


def test_an_equal_iv_with_more_bins_is_not_taken():
    # Pre-bins 0 and 1 have the same event rate: splitting them adds no IV, so the
    # fewer bins win the tie (a more-bins partition must be strictly better).
    goods = np.array([10.0, 10.0, 30.0])
    bads = np.array([5.0, 5.0, 5.0])
    iv, rate = interval_stats(
        goods, bads, 50.0, 15.0, min_weight=0, min_goods=0, min_bads=0
    )
    cuts, value = solve(iv, rate, trend=Trend.NONE, max_bins=3)
    assert cuts == (2,)
    assert value == pytest.approx(iv[0, 2] + iv[2, 3])
    assert value == pytest.approx(iv[0, 1] + iv[1, 2] + iv[2, 3])
