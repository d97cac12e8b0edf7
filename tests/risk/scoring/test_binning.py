"""Optimal binning: exactness against brute force, WoE values, bad input."""

from __future__ import annotations

import itertools
import math
import pickle

import cattrs
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from lendcrm.errors import (
    InfeasibleConstraintError,
    InvalidValueError,
    ModelMismatchError,
    UnknownReferenceError,
)
from lendcrm.risk.scoring import (
    Binning,
    BinningConfig,
    BinningSet,
    UnseenRule,
    as_binary_target,
    fit_binning_set,
    fit_categorical,
    fit_numeric,
    information_value,
    iv_contributions,
    weight_of_evidence,
)
from lendcrm.risk.scoring._binning_dp import Prepared, Trend, interval_stats, solve

# ---------------------------------------------------------------- WoE / IV values


def test_woe_and_iv_hand_computed():
    # goods (60, 30, 10), bads (10, 10, 20): G = 100, B = 40.
    # WoE = ln(.6/.25), ln(.3/.25), ln(.1/.5) = ln 2.4, ln 1.2, ln 0.2 (by hand).
    np.testing.assert_allclose(
        weight_of_evidence([60, 30, 10], [10, 10, 20]),
        [math.log(2.4), math.log(1.2), math.log(0.2)],
        rtol=1e-12,
    )
    # IV = .35 ln 2.4 + .05 ln 1.2 + (-.4) ln 0.2 = 0.959305 (Siddiqi 2006, ch. 6 formula)
    assert information_value([60, 30, 10], [10, 10, 20]) == pytest.approx(
        0.959305, abs=1e-6
    )
    assert (iv_contributions([60, 30, 10], [10, 10, 20]) >= 0).all()


def test_woe_refuses_empty_class_bin():
    with pytest.raises(
        InvalidValueError, match=r"`bads\[1\]` must be a positive count"
    ):
        weight_of_evidence([5, 5], [3, 0])
    with pytest.raises(InvalidValueError, match="`goods` must be a positive total"):
        weight_of_evidence([0, 0], [3, 1])


# ---------------------------------------------------------------- brute force


def _ok_trend(rates: list[float], trend: Trend) -> bool:
    inc = [a < b for a, b in itertools.pairwise(rates)]
    dec = [a > b for a, b in itertools.pairwise(rates)]
    if trend is Trend.ASCENDING:
        return all(inc)
    if trend is Trend.DESCENDING:
        return all(dec)
    if trend is Trend.NONE:
        return True
    first, second = (inc, dec) if trend is Trend.PEAK else (dec, inc)
    return any(all(first[:t]) and all(second[t:]) for t in range(len(rates)))


def _brute(g, b, *, trend, min_weight, min_goods, min_bads, max_bins):
    G, B = g.sum(), b.sum()
    m = len(g)
    best = -math.inf
    for r in range(m):
        for cuts in itertools.combinations(range(1, m), r):
            if r + 1 > max_bins:
                continue
            bounds = [0, *cuts, m]
            gg = [g[lo:hi].sum() for lo, hi in itertools.pairwise(bounds)]
            bb = [b[lo:hi].sum() for lo, hi in itertools.pairwise(bounds)]
            if any(
                x < min_goods or y < min_bads or x + y < min_weight or x <= 0 or y <= 0
                for x, y in zip(gg, bb, strict=True)
            ):
                continue
            rates = [y / (x + y) for x, y in zip(gg, bb, strict=True)]
            if not _ok_trend(rates, trend):
                continue
            iv = sum(
                (x / G - y / B) * math.log((x / G) / (y / B))
                for x, y in zip(gg, bb, strict=True)
            )
            best = max(best, iv)
    return best


def _iv_of_cuts(g, b, cuts):
    bounds = [0, *cuts, len(g)]
    gg = np.add.reduceat(g, bounds[:-1])
    bb = np.add.reduceat(b, bounds[:-1])
    return information_value(gg, bb)


@settings(max_examples=150)
@given(
    g=st.lists(st.integers(0, 40), min_size=2, max_size=8),
    b_seed=st.lists(st.integers(0, 40), min_size=8, max_size=8),
    trend=st.sampled_from(
        [Trend.ASCENDING, Trend.DESCENDING, Trend.PEAK, Trend.VALLEY, Trend.NONE]
    ),
    min_weight=st.sampled_from([0.0, 10.0, 30.0]),
    min_count=st.sampled_from([1.0, 3.0]),
    max_bins=st.integers(1, 8),
)
# Boundaries the search must not find only by luck (#23): pre-bins exactly at the
# minimum weight and counts, equal event rates under a strict trend, one bin allowed,
# a peak and a valley that need their turn, a pre-bin without goods.
@example([5, 5], [5, 5, 0, 0, 0, 0, 0, 0], Trend.ASCENDING, 10.0, 1.0, 2)
@example([3, 3, 4], [3, 4, 3, 0, 0, 0, 0, 0], Trend.NONE, 0.0, 3.0, 3)
@example([10, 10, 10], [5, 5, 5, 0, 0, 0, 0, 0], Trend.ASCENDING, 0.0, 1.0, 3)
@example([10, 10, 10], [5, 5, 5, 0, 0, 0, 0, 0], Trend.DESCENDING, 0.0, 1.0, 3)
@example([30, 10, 30, 5], [1, 10, 1, 1, 0, 0, 0, 0], Trend.PEAK, 0.0, 1.0, 4)
@example([1, 10, 1, 30], [30, 1, 30, 1, 0, 0, 0, 0], Trend.VALLEY, 0.0, 1.0, 4)
@example([20, 5, 20, 5, 20], [2, 9, 3, 8, 1, 0, 0, 0], Trend.PEAK, 0.0, 1.0, 5)
@example([20, 5, 20, 5, 20], [2, 9, 3, 8, 1, 0, 0, 0], Trend.VALLEY, 0.0, 1.0, 5)
@example([40, 30, 20, 10], [1, 5, 10, 20, 0, 0, 0, 0], Trend.ASCENDING, 0.0, 1.0, 1)
@example([0, 10, 10], [5, 5, 5, 0, 0, 0, 0, 0], Trend.NONE, 0.0, 1.0, 3)
def test_dp_matches_brute_force(  # noqa: PLR0917 - hypothesis draws
    g, b_seed, trend, min_weight, min_count, max_bins
):
    goods = np.array(g, dtype=float)
    bads = np.array(b_seed[: len(g)], dtype=float)
    if goods.sum() == 0 or bads.sum() == 0:
        return
    iv, rate = interval_stats(
        goods, bads, goods.sum(), bads.sum(),
        min_weight=min_weight, min_goods=min_count, min_bads=min_count,
    )  # fmt: skip
    cuts, value = solve(iv, rate, trend=trend, max_bins=max_bins)
    # the predecessors' order shared between trends (as under Trend.AUTO) changes nothing
    cache: dict[str, Prepared] = {}
    for other in (Trend.PEAK, Trend.VALLEY):  # fills the cache with both orders
        solve(iv, rate, trend=other, max_bins=max_bins, cache=cache)
    assert solve(iv, rate, trend=trend, max_bins=max_bins, cache=cache) == (cuts, value)
    expected = _brute(
        goods, bads, trend=trend, min_weight=min_weight,
        min_goods=min_count, min_bads=min_count, max_bins=max_bins,
    )  # fmt: skip
    if math.isinf(expected):
        assert math.isinf(value)
        return
    assert value == pytest.approx(expected, rel=1e-9, abs=1e-12)
    # the returned cuts realise the reported optimum
    assert _iv_of_cuts(goods, bads, cuts) == pytest.approx(value, rel=1e-9)
    assert len(cuts) + 1 <= max_bins


def test_dp_brute_force_fixed_case():
    # 6 pre-bins whose raw event rates zig-zag: the best ascending merge is not greedy.
    goods = np.array([50.0, 40, 45, 30, 20, 25])
    bads = np.array([2.0, 6, 4, 10, 15, 12])
    iv, rate = interval_stats(
        goods, bads, goods.sum(), bads.sum(), min_weight=0, min_goods=1, min_bads=1
    )
    for trend in (Trend.ASCENDING, Trend.PEAK, Trend.NONE):
        _, value = solve(iv, rate, trend=trend, max_bins=6)
        assert value == pytest.approx(
            _brute(goods, bads, trend=trend, min_weight=0, min_goods=1, min_bads=1,
                   max_bins=6)
        )  # fmt: skip


def test_fit_numeric_matches_brute_force_over_distinct_values():
    rng = np.random.default_rng(7)
    x = rng.integers(0, 7, size=3_000).astype(float)
    p = np.array([0.05, 0.12, 0.08, 0.2, 0.18, 0.3, 0.25])[x.astype(int)]
    y = (rng.random(3_000) < p).astype(float)
    cfg = BinningConfig(trend=Trend.ASCENDING, max_prebins=50, min_bin_share=0.05)
    b = fit_numeric(x, y, name="x", config=cfg)
    goods = np.bincount(x.astype(int), weights=1 - y)
    bads = np.bincount(x.astype(int), weights=y)
    expected = _brute(
        goods, bads, trend=Trend.ASCENDING, min_weight=0.05 * 3_000, min_goods=5,
        min_bads=5, max_bins=7,
    )  # fmt: skip
    assert b.iv == pytest.approx(expected, rel=1e-9)
    rates = np.array(b.bads[: b.n_regular]) / (
        np.array(b.goods[: b.n_regular]) + np.array(b.bads[: b.n_regular])
    )
    assert (np.diff(rates) > 0).all()


# ---------------------------------------------------------------- numeric binning


def _data(n=5_000, seed=3):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    y = (rng.random(n) < 1 / (1 + np.exp(1.5 + x))).astype(float)
    return x, y


def test_trend_auto_picks_the_better_direction():
    x, y = _data()
    auto = fit_numeric(x, y, name="x")
    asc = fit_numeric(x, y, name="x", config=BinningConfig(trend=Trend.ASCENDING))
    desc = fit_numeric(x, y, name="x", config=BinningConfig(trend=Trend.DESCENDING))
    assert auto.trend is Trend.DESCENDING
    assert auto.iv == pytest.approx(max(asc.iv, desc.iv))
    woe = np.array(auto.woe[: auto.n_regular])
    assert (np.diff(woe) > 0).all()  # descending event rate = ascending WoE


def test_constraints_hold():
    x, y = _data()
    cfg = BinningConfig(max_bins=4, min_bin_share=0.1, min_bin_bads=50)
    b = fit_numeric(x, y, name="x", config=cfg)
    g = np.array(b.goods[: b.n_regular])
    bd = np.array(b.bads[: b.n_regular])
    assert b.n_regular <= 4
    assert ((g + bd) >= 0.1 * len(x)).all()
    assert (bd >= 50).all()


def test_ties_are_never_split():
    rng = np.random.default_rng(0)
    x = rng.integers(0, 5, size=2_000).astype(float)
    y = (rng.random(2_000) < 0.1 + 0.05 * x).astype(float)
    b = fit_numeric(x, y, name="x", config=BinningConfig(max_prebins=50))
    assert set(b.splits) <= set(np.unique(x))
    idx = b.bin_index(x)
    for v in np.unique(x):
        assert len(np.unique(idx[x == v])) == 1


def test_missing_and_special_bins_have_empirical_woe():
    x = np.array([1.0] * 40 + [2.0] * 40 + [np.nan] * 20 + [-999.0] * 20)
    y = np.array([0] * 35 + [1] * 5 + [0] * 25 + [1] * 15 + [0] * 10 + [1] * 10
                 + [0] * 5 + [1] * 15, dtype=float)  # fmt: skip
    cfg = BinningConfig(special_codes=[-999], min_bin_goods=1, min_bin_bads=1)
    b = fit_numeric(x, y, name="bureau", config=cfg)
    # G = 75, B = 45. Missing: 10 goods, 10 bads -> ln((10/75)/(10/45)) = ln 0.6
    # Special -999: 5 goods, 15 bads -> ln((5/75)/(15/45)) = ln 0.2 (by hand)
    assert b.labels[-2:] == ("Missing", "Special -999")
    assert b.woe[-2] == pytest.approx(math.log(0.6), rel=1e-12)
    assert b.woe[-1] == pytest.approx(math.log(0.2), rel=1e-12)
    assert not any(b.smoothed)
    np.testing.assert_allclose(
        b.transform([np.nan, -999.0]), [math.log(0.6), math.log(0.2)]
    )


def test_sparse_special_bin_is_smoothed():
    x = np.concatenate([np.arange(200.0), [-1.0, -1.0]])
    y = np.concatenate([np.arange(200) % 4 == 0, [1, 1]]).astype(float)
    b = fit_numeric(x, y, name="x", config=BinningConfig(special_codes=[-1]))
    # G = 150, B = 52, N = 202, a = 1: g' = 0 + 150/202, b' = 2 + 52/202
    expected = math.log(((150 / 202) / 150) / ((2 + 52 / 202) / 52))
    assert b.smoothed[-1]
    assert b.woe[-1] == pytest.approx(expected, rel=1e-12)
    assert b.woe[b.missing_bin] == 0.0  # empty missing bin: no evidence, WoE 0


def test_tree_prebinning_only_adds_candidates():
    x, y = _data(n=20_000)
    quant = fit_numeric(x, y, name="x")
    tree = fit_numeric(x, y, name="x", config=BinningConfig(prebinning="tree"))
    assert tree.iv >= quant.iv - 1e-12
    w = np.where(x > 0, 2.0, 1.0)
    weighted = fit_numeric(
        x, y, name="x", weights=w, config=BinningConfig(prebinning="tree")
    )
    counts = np.array(weighted.goods[:-1]) + np.array(weighted.bads[:-1])
    assert (counts >= 0.05 * w.sum() - 1e-9).all()


def test_tree_splits_match_a_hand_computed_best_gini_split():
    # values 1..4, bads at 3 and 4 only: the Gini-best first split is x < 3
    from lendcrm.risk.scoring._binning_prebin import _tree_splits

    u = np.array([2.0, 3.0, 4.0])
    below_w = np.array([1.0, 2.0, 3.0])
    below_b = np.array([0.0, 0.0, 1.0])
    assert _tree_splits(u, below_w, below_b, 4.0, 2.0, 2, 1.0).tolist() == [3.0]


def test_user_splits_fix_the_bins():
    x, y = _data()
    b = fit_numeric(x, y, name="x", config=BinningConfig(user_splits=[0.5, -0.5]))
    assert b.splits == (-0.5, 0.5)
    assert b.trend is Trend.NONE
    assert b.bin_index([-1.0, -0.5, 0.0, 0.5, 2.0]).tolist() == [0, 1, 1, 2, 2]


def test_integer_weights_equal_replicated_rows():
    rng = np.random.default_rng(5)
    x = rng.normal(size=600)
    y = (rng.random(600) < 0.3).astype(float)
    w = rng.integers(1, 4, size=600).astype(float)
    cfg = BinningConfig(trend=Trend.NONE, user_splits=[-1.0, 0.0, 1.0])
    weighted = fit_numeric(x, y, name="x", config=cfg, weights=w)
    rep = fit_numeric(np.repeat(x, w.astype(int)), np.repeat(y, w.astype(int)),
                      name="x", config=cfg)  # fmt: skip
    np.testing.assert_allclose(weighted.woe, rep.woe)
    assert weighted.iv == pytest.approx(rep.iv)


def test_weighted_optimal_binning_runs_and_respects_share():
    x, y = _data()
    w = np.where(x > 0, 2.0, 1.0)
    b = fit_numeric(x, y, name="x", weights=w, config=BinningConfig(min_bin_share=0.1))
    counts = np.array(b.goods[: b.n_regular]) + np.array(b.bads[: b.n_regular])
    assert (counts >= 0.1 * w.sum() - 1e-9).all()


def test_batch_transform_matches_one_by_one_and_partitions():
    x, y = _data(n=2_000)
    b = fit_numeric(x, y, name="x", config=BinningConfig(special_codes=[9.0]))
    probe = np.concatenate([x[:50], [np.nan, 9.0]])
    whole = b.transform(probe)
    single = np.array([b.transform([v])[0] for v in probe])
    np.testing.assert_array_equal(whole, single)
    np.testing.assert_array_equal(
        whole, np.concatenate([b.transform(probe[:20]), b.transform(probe[20:])])
    )


def test_table_and_text():
    x, y = _data()
    b = fit_numeric(x, y, name="x", config=BinningConfig(max_bins=3))
    rows = b.table()
    assert len(rows) == b.n_regular + 1
    assert sum(r.iv for r in rows) == pytest.approx(b.iv)
    assert sum(r.count for r in rows) == len(x)
    text = b.format_table()
    assert text.splitlines()[0].split() == [
        "bin", "count", "goods", "bads", "event_rate", "woe", "iv",
    ]  # fmt: skip
    assert "Total" in text.splitlines()[-1]


def test_pickle_and_cattrs_round_trip():
    x, y = _data(n=1_000)
    b = fit_numeric(x, y, name="x", config=BinningConfig(special_codes=[-1]))
    assert pickle.loads(pickle.dumps(b)) == b
    conv = cattrs.Converter()
    assert conv.structure(conv.unstructure(b), Binning) == b


# ---------------------------------------------------------------- categorical


def test_categorical_orders_by_event_rate_and_pools_rare_levels():
    rng = np.random.default_rng(2)
    levels = np.array(["A", "B", "C", "D", "r1", "r2"])
    probs = np.array([0.3, 0.3, 0.2, 0.19, 0.005, 0.005])
    x = rng.choice(levels, size=20_000, p=probs)
    rate = {"A": 0.02, "B": 0.25, "C": 0.08, "D": 0.15, "r1": 0.5, "r2": 0.5}
    y = (rng.random(20_000) < np.vectorize(rate.get)(x)).astype(float)
    cfg = BinningConfig(min_bin_share=0.005, min_category_share=0.02)
    b = fit_categorical(x, y, name="sector", config=cfg)
    assert b.labels[:4] == ("A", "C", "D", "B")
    assert b.labels[4] == "r1, r2"
    woe = np.array(b.woe[: b.n_regular])
    assert (np.diff(woe) < 0).all()


def test_unseen_levels_follow_the_rule():
    x = ["a", "b", "c"] * 100
    y = [0, 1, 0] * 50 + [0, 1, 1] * 50
    base = BinningConfig(min_bin_goods=1, min_bin_bads=1, min_bin_share=0.1)
    worst = fit_categorical(x, y, name="region", config=base)
    assert worst.transform(["zz"])[0] == min(worst.woe[: worst.n_regular])
    miss = fit_categorical(
        x,
        y,
        name="region",
        config=BinningConfig(
            unseen=UnseenRule.MISSING, min_bin_goods=1, min_bin_bads=1
        ),
    )
    assert miss.transform(["zz"])[0] == miss.woe[miss.missing_bin]
    err = fit_categorical(
        x,
        y,
        name="region",
        config=BinningConfig(unseen="error", min_bin_goods=1, min_bin_bads=1),
    )
    with pytest.raises(
        InvalidValueError,
        match=r"`region\[1\]` must be a level seen at fit \(a, b, c\); got 'zz'",
    ):
        err.transform(["a", "zz"])


def test_categorical_missing_levels():
    b = fit_categorical(["a", None, "b", float("nan")] * 30, [0, 1, 1, 0] * 30,
                        name="c", config=BinningConfig(min_bin_goods=1, min_bin_bads=1))  # fmt: skip
    assert b.goods[b.missing_bin] == 30
    assert b.bads[b.missing_bin] == 30
    assert b.bin_index([None])[0] == b.missing_bin


# ---------------------------------------------------------------- sets


def test_binning_set_transform_and_mismatch():
    x, y = _data(n=2_000)
    s = fit_binning_set({"x": x, "c": np.where(x > 0, "p", "n")}, y, categorical=["c"])
    woe = s.transform({"x": x[:5], "c": ["p", "n", "p", "n", "p"]})
    assert woe.shape == (5, 2)
    np.testing.assert_array_equal(woe[:, 0], s["x"].transform(x[:5]))
    with pytest.raises(
        ModelMismatchError, match=r"missing \['c'\]; unexpected \['z'\]"
    ):
        s.transform({"x": x, "z": x})
    with pytest.raises(UnknownReferenceError, match="No binned variable with id 'q'"):
        s["q"]
    assert s.select(["c"]).names == ("c",)
    with pytest.raises(UnknownReferenceError, match="referenced by `categorical`"):
        fit_binning_set({"x": x}, y, categorical=["k"])


def test_binning_set_refuses_duplicates():
    x, y = _data(n=500)
    b = fit_numeric(x, y, name="x")
    with pytest.raises(
        InvalidValueError, match="`binnings` must be unique variable names"
    ):
        BinningSet(binnings=(b, b))


# ---------------------------------------------------------------- bad input


def test_target_errors():
    with pytest.raises(
        InvalidValueError,
        match=r"`target\[1\]` must be 0 \(good\) or 1 \(bad\); got 2.0",
    ):
        as_binary_target([0, 2])
    with pytest.raises(
        InvalidValueError, match=r"`target\[2\]` must be a finite number; got nan"
    ):
        as_binary_target([0, 1, np.nan])
    with pytest.raises(
        InvalidValueError, match=r"`target` must be both classes.*got 'only 1'"
    ):
        fit_numeric([1.0, 2.0], [1, 1], name="x")


def test_feature_errors():
    with pytest.raises(
        InvalidValueError,
        match="`age` must be at least two distinct ordinary values; got 'all missing or special'",
    ):
        fit_numeric([np.nan, np.nan], [0, 1], name="age")
    with pytest.raises(
        InvalidValueError,
        match="`age` must be at least two distinct ordinary values; got 'constant 3'",
    ):
        fit_numeric([3.0, 3.0, 3.0], [0, 1, 0], name="age")
    with pytest.raises(
        InvalidValueError,
        match="`sector` must be at least two distinct levels; got \"constant 'a'\"",
    ):
        fit_categorical(["a", "a"], [0, 1], name="sector")
    with pytest.raises(
        InvalidValueError, match=r"`age\[1\]` must be a finite number; got inf"
    ):
        fit_numeric([1.0, np.inf], [0, 1], name="age")
    with pytest.raises(
        InvalidValueError, match="`age` must be the same length as `target` \\(2\\)"
    ):
        fit_numeric([1.0, 2.0, 3.0], [0, 1], name="age")


def test_infeasible_share():
    x, y = _data(n=1_000)
    with pytest.raises(
        InfeasibleConstraintError,
        match=r"`x.min_bin_share` must be at most 0.5 so that two bins .* got 0.6",
    ):
        fit_numeric(x, y, name="x", config=BinningConfig(min_bin_share=0.6))


def test_config_errors():
    with pytest.raises(
        InvalidValueError, match=r"`max_prebins` must be an integer in \[2, 100\]"
    ):
        BinningConfig(max_prebins=1)
    with pytest.raises(
        InvalidValueError, match=r"`special_codes\[0\]` must be a finite number"
    ):
        BinningConfig(special_codes=[np.nan])
    with pytest.raises(InvalidValueError, match=r"`trend` must be one of .*'sideways'"):
        BinningConfig(trend="sideways")
