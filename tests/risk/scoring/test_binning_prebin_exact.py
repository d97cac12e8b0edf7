"""Numeric pre-binning: counts by hand, both paths alike, the tree's split (#23).

`prebin_counts` has an unweighted path (binary searches over the sorted values) and a
weighted one (cumulative weights): with unit weights they must agree exactly, on the
quantile and the tree pre-binning, with specials and missing values. A step in the
bad rate is where the tree (Gini, best first) must cut.
"""

from __future__ import annotations

import numpy as np
import pytest

from lendcrm.errors import InvalidValueError
from lendcrm.risk.scoring import BinningConfig
from lendcrm.risk.scoring._binning_prebin import _gini_mass, _tree_splits, prebin_counts


def _call(x, y, cfg, w=None, specials=()):
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    missing = np.isnan(x)
    clean = ~missing
    for c in specials:
        clean &= x != c
    return prebin_counts(x, y, w, clean, missing, cfg, name="age")


X = [1.0, 2.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, np.nan, -1.0]
Y = [1, 1, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0]


def test_quantile_counts_by_hand_with_missing_and_special():
    cfg = BinningConfig(max_prebins=4, prebinning="quantile", special_codes=(-1.0,))
    splits, goods, bads = _call(X, Y, cfg, specials=(-1.0,))
    # 10 ordinary values 1 2 2 3 4 5 6 7 8 9: cuts at sorted[2, 5, 7] = 2, 5, 7
    assert splits.tolist() == [2.0, 5.0, 7.0]
    # [<2]: 1 (bad); [2, 5): 2 2 3 4 (2 bads); [5, 7): 5 6 (1 bad); [7, ...): 7 8 9
    # then the missing bin (1 bad) and the special -1 (a good)
    assert bads.tolist() == [1.0, 2.0, 1.0, 0.0, 1.0, 0.0]
    assert goods.tolist() == [0.0, 2.0, 1.0, 3.0, 0.0, 1.0]


@pytest.mark.parametrize("prebinning", ["quantile", "tree"])
def test_unit_weights_give_the_unweighted_counts(prebinning):
    rng = np.random.default_rng(3)
    x = np.round(rng.normal(size=600), 1)
    x[:20] = np.nan
    x[20:30] = -99.0
    y = (rng.random(600) < 1 / (1 + np.exp(1 + 2 * np.nan_to_num(x)))).astype(float)
    cfg = BinningConfig(max_prebins=8, prebinning=prebinning, special_codes=(-99.0,))
    plain = _call(x, y, cfg, specials=(-99.0,))
    weighted = _call(x, y, cfg, w=np.ones(600), specials=(-99.0,))
    for a, b in zip(plain, weighted, strict=True):
        np.testing.assert_array_equal(a, b)
    assert plain[1].sum() + plain[2].sum() == 600
    assert plain[2].sum() == y.sum()
    # weights count: doubling every weight doubles every count, same splits
    double = _call(x, y, cfg, w=np.full(600, 2.0), specials=(-99.0,))
    np.testing.assert_array_equal(double[0], plain[0])
    np.testing.assert_array_equal(double[1], 2 * plain[1])
    np.testing.assert_array_equal(double[2], 2 * plain[2])


def test_weighted_quantiles_follow_the_weight():
    x = [1.0, 2.0, 3.0, 4.0]
    y = [1, 0, 1, 0]
    cfg = BinningConfig(max_prebins=2, prebinning="quantile")
    # half the weight on the first value: the median cut is at 2
    splits, goods, bads = _call(x, y, cfg, w=np.array([3.0, 1.0, 1.0, 1.0]))
    assert splits.tolist() == [2.0]
    assert bads.tolist() == [3.0, 1.0, 0.0]
    assert goods.tolist() == [0.0, 2.0, 0.0]


def test_user_splits_replace_the_candidates():
    cfg = BinningConfig(user_splits=(0.5, 4.5, 8.5), prebinning="quantile")
    splits, goods, bads = _call(X[:10], Y[:10], cfg)
    assert splits.tolist() == [0.5, 4.5, 8.5]
    assert (goods + bads).tolist() == [0.0, 5.0, 4.0, 1.0, 0.0]


def test_the_tree_cuts_at_the_step_of_the_bad_rate():
    x = np.arange(200, dtype=np.float64)
    y = (x >= 137).astype(float)
    cfg = BinningConfig(max_prebins=2, prebinning="tree", min_bin_share=0.05)
    splits, _, bads = _call(x, y, cfg)
    assert 137.0 in splits.tolist()  # the quantile cut (100) and the tree's
    assert splits.tolist() == [100.0, 137.0]
    assert bads.tolist() == [0.0, 0.0, 63.0, 0.0]


def test_tree_splits_directly():
    u = np.array([1.0, 2.0, 3.0])
    uw = np.array([1.0, 2.0, 3.0])  # weight below each candidate: 1 row per value
    ub = np.array([0.0, 0.0, 1.0])  # rows 0 and 1 good, 2 and 3 bad
    assert _tree_splits(u, uw, ub, 4.0, 2.0, 4, 1.0).tolist() == [2.0]
    assert _tree_splits(u, uw, ub, 4.0, 2.0, 1, 1.0).tolist() == []  # one leaf
    assert _tree_splits(u, uw, ub, 4.0, 2.0, 4, 2.5).tolist() == []  # leaves too small
    assert _tree_splits(u, uw, ub, 4.0, 2.0, 4, 2.0).tolist() == [2.0]  # exactly enough
    pure = np.array([0.0, 0.0, 0.0])
    assert _tree_splits(u, uw, pure, 4.0, 0.0, 4, 1.0).tolist() == []  # no gain
    # best first: two splits, sorted
    u4 = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    uw4 = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    ub4 = np.array([1.0, 1.0, 1.0, 2.0, 3.0])  # six rows: bad good good bad bad good
    # Gini mass 2 b (n - b) / n: the root's 3 falls most (by 0.6, a tie of u = 1 and
    # u = 5; the first wins) at u = 1; then in the right node (G G B B G, 2.4) most
    # at u = 3 (to 0 + 4/3)
    assert _tree_splits(u4, uw4, ub4, 6.0, 3.0, 3, 1.0).tolist() == [1.0, 3.0]
    assert len(_tree_splits(u4, uw4, ub4, 6.0, 3.0, 2, 1.0)) == 1


def test_a_constant_feature_is_refused_on_both_paths():
    cfg = BinningConfig(prebinning="quantile")
    for w in (None, np.ones(3)):
        with pytest.raises(InvalidValueError) as err:
            _call([2.0, 2.0, 2.0], [0, 1, 0], cfg, w=w)
        assert (err.value.field, err.value.value) == ("age", "constant 2")


# Survivors of the mutmut run (issue #23): each test below kills the ones it names.


def test_gini_mass_by_hand():
    # 2 b (n - b) / n: 2 * 1 * 3 / 4 = 1.5, 2 * 1 * 1 / 2 = 1, 2 * 0.25 * 0.25 / 0.5
    # = 0.25 (a weight below one), and 0 for an empty node (no warning for 0 / 0).
    out = _gini_mass(np.array([4.0, 2.0, 0.5, 0.0]), np.array([1.0, 1.0, 0.25, 0.0]))
    assert out.dtype == np.float64
    assert out.tolist() == [1.5, 1.0, 0.25, 0.0]


# mut8a: the weighted quantile path, the tree's grid and leaf size, and a tree with
# two nodes waiting to split while `max_leaves` binds.

Q2 = BinningConfig(max_prebins=2, prebinning="quantile")


@pytest.mark.parametrize(
    ("w", "splits", "goods", "bads"),
    [
        # total 3, median weight 1.5: cumulative weights 0 1 2 3 pass 1.5 at the third
        # value (3); the zero-weight first row makes no candidate of its own
        ([0.0, 1.0, 1.0, 1.0], [3.0], [0.0, 1.0, 0.0], [1.0, 1.0, 0.0]),
        # total 8, median 4: the first row (weight 5) already passes it, so the
        # candidate is the smallest value and no cut is left
        ([5.0, 1.0, 1.0, 1.0], [], [1.0, 0.0], [7.0, 0.0]),
        # total 8, median 4: cumulative 1 2 3 8 pass it only at the last value (4)
        ([1.0, 1.0, 1.0, 5.0], [4.0], [1.0, 0.0, 0.0], [2.0, 5.0, 0.0]),
    ],
)
def test_weighted_median_cut_by_hand(w, splits, goods, bads):
    got = _call([1.0, 2.0, 3.0, 4.0], [1, 1, 0, 1], Q2, w=np.array(w))
    assert [a.tolist() for a in got] == [splits, goods, bads]


def test_a_quantile_at_the_smallest_value_is_no_cut():
    # 1 1 1 2: the median position 2 holds the smallest value, 1; no cut below it
    splits, goods, bads = _call([1.0, 1.0, 1.0, 2.0], [0, 1, 0, 1], Q2)
    assert splits.tolist() == []
    assert (goods.tolist(), bads.tolist()) == ([2.0, 0.0], [2.0, 0.0])


def test_the_tree_grid_is_every_second_value_of_8192():
    # 8192 rows 0..8191, bad from 4097 on: the 4095-point grid holds the even values
    # only, so the tree cannot cut at 4097. Cutting at 4096 leaves one good among
    # 4096 rows (Gini mass 2 * 4095 / 4096), at 4098 one bad among 4098 rows
    # (2 * 4097 / 4098, larger): the tree cuts at 4096, as does the median.
    x = np.arange(8192, dtype=np.float64)
    y = (x >= 4097).astype(float)
    cfg = BinningConfig(max_prebins=2, prebinning="tree", min_bin_share=0.0)
    assert _call(x, y, cfg)[0].tolist() == [4096.0]


def test_the_tree_grid_keeps_the_second_value_of_4096():
    # 4096 rows: the grid is every value, the second one (1) included; only row 0 is
    # good, and a share of 0 leaves the leaf floor of one row, so the tree cuts at 1
    # (a pure split); the median cut is 2048
    x = np.arange(4096, dtype=np.float64)
    y = (x >= 1).astype(float)
    cfg = BinningConfig(max_prebins=2, prebinning="tree", min_bin_share=0.0)
    assert _call(x, y, cfg)[0].tolist() == [1.0, 2048.0]


def test_the_tree_leaf_is_a_share_of_all_rows_missing_included():
    # 200 values 0..199 (bads: 0, 1, 2) and 100 missing: the leaf is 5 % of 300 rows
    # = 15, so the tree cannot cut at 3; the Gini mass 2 * 3 * (k - 3) / k of a left
    # child 0..k-1 grows with k, so it cuts at the smallest allowed k = 15
    x = np.concatenate((np.arange(200, dtype=np.float64), np.full(100, np.nan)))
    y = (x < 3).astype(float)
    cfg = BinningConfig(max_prebins=2, prebinning="tree", min_bin_share=0.05)
    splits, goods, bads = _call(x, y, cfg)
    assert splits.tolist() == [15.0, 100.0]
    assert goods.tolist() == [12.0, 85.0, 100.0, 100.0]
    assert bads.tolist() == [3.0, 0.0, 0.0, 0.0]


def test_tree_with_two_nodes_waiting_takes_the_larger_gain():
    # nine rows 0..8, bads at 2 and 7; a cut at u sends the rows below u left.
    # Gini mass 2 b (n - b) / n. Root (9, 2): 28/9. Children masses by cut:
    # u=1: 0 + 3 = 3; u=2: 0 + 20/7; u=3: 4/3 + 5/3 = 3; u=4, 5: 3.1; u=6: 3;
    # u=7: 12/7 + 1 = 19/7 (best, gain 25/63); u=8: 3 + 0.
    # Then the left node 0..6 (7, 1; mass 12/7) splits best at u=3 (4/3 + 0, gain
    # 8/21) and the right node 7..8 (2, 1; mass 1) at u=8 (0 + 0, gain 1): with three
    # leaves allowed only the larger gain, u=8, is taken.
    u = np.arange(1.0, 9.0)
    uw = u.copy()
    ub = np.array([0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 2.0])
    assert _tree_splits(u, uw, ub, 9.0, 2.0, 3, 1.0).tolist() == [7.0, 8.0]
    assert _tree_splits(u, uw, ub, 9.0, 2.0, 4, 1.0).tolist() == [3.0, 7.0, 8.0]
    assert _tree_splits(u, uw, ub, 9.0, 2.0, 2, 1.0).tolist() == [7.0]
