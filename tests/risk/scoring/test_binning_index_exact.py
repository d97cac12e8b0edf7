# mypy: disable-error-code="arg-type"
# (the tests pass wrong types on purpose)
"""Bin indexes exactly: edges, specials, unseen levels, both bucket paths (#23).

Bins are [s_{k-1}, s_k): a value equal to a split belongs to the upper bin; the
missing bin follows the regular ones, then one bin per special code. An unseen level
raises (`ERROR`), goes to the missing bin (`MISSING`) or to the riskiest (lowest-WoE)
regular bin (`WORST`, the default).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from lendcrm.errors import InvalidValueError, UnknownReferenceError
from lendcrm.risk.scoring import BinningConfig, BinningSet, fit_categorical, fit_numeric
from lendcrm.risk.scoring._binning import _bucket

X = np.arange(100.0)
Y = np.arange(100) % 2


def test_numeric_edges_missing_and_specials():
    b = fit_numeric(
        X,
        Y,
        name="x",
        config=BinningConfig(
            user_splits=[25, 50],
            special_codes=[-7, -1],
            min_bin_goods=1,
            min_bin_bads=1,
        ),
    )
    assert b.splits == (25.0, 50.0)
    got = b.bin_index([24.999, 25.0, 49.0, 50.0, np.nan, -1.0, -7.0, -3.0, 1e9])
    assert got.tolist() == [0, 1, 1, 2, 3, 5, 4, 0, 2]
    assert got.dtype == np.int64
    assert b.missing_bin == 3
    np.testing.assert_array_equal(
        b.transform([0.0, 30.0, np.nan]), b.woe_array[[0, 1, 3]]
    )
    with pytest.raises(InvalidValueError) as err:
        b.bin_index([1.0, math.inf])
    assert err.value.field == "x[1]"


@pytest.mark.parametrize("k", [1, 3, 253, 254, 300])
def test_both_bucket_paths_equal_searchsorted(k):
    splits = np.linspace(-1.0, 1.0, k)
    x = np.concatenate([splits, np.linspace(-1.5, 1.5, 101), [np.nan]])
    got = _bucket(x[:-1], splits)
    np.testing.assert_array_equal(got, np.searchsorted(splits, x[:-1], side="right"))


def _categorical(rule: str):
    return fit_categorical(
        ["a", "b", "c"] * 40,
        [0, 1, 1, 0, 0, 1, 0, 0, 0] * 13 + [0, 1, 0],
        name="region",
        config=BinningConfig(
            unseen=rule, min_bin_goods=1, min_bin_bads=1, min_category_share=0.0
        ),
    )


def test_unseen_levels_by_rule():
    worst = _categorical("worst")
    riskiest = int(np.argmin(worst.woe_array[: worst.n_regular]))
    seen = worst.bin_index(["a", "b", "c"]).tolist()
    got = worst.bin_index(["z", None, "a"]).tolist()
    assert got == [riskiest, worst.missing_bin, seen[0]]
    assert _categorical("missing").bin_index(["z", "a"]).tolist() == [
        worst.missing_bin,
        seen[0],
    ]
    strict = _categorical("error")
    with pytest.raises(InvalidValueError) as err:
        strict.bin_index(["a", "q", "z"])
    assert (err.value.field, err.value.value) == ("region[1]", "q")
    assert err.value.expected == "a level seen at fit (a, b, c)"
    assert err.value.hint == "Refit, or choose another `unseen` rule (missing, worst)."
    codes = strict.bin_index_from_codes(
        np.array([0, 2, -1]),
        missing=np.array([False, False, True]),
        values=["a", "c", None],
    )
    assert codes.tolist() == [seen[0], seen[2], strict.missing_bin]


def test_binning_set_names_lookup_and_refusals():
    x = fit_numeric(X, Y, name="x", config=BinningConfig(user_splits=[50]))
    c = _categorical("worst")
    s = BinningSet(binnings=[x, c])
    assert (s.names, len(s), list(s)) == (("x", "region"), 2, [x, c])
    assert s["region"] is c
    assert s.ivs == {"x": x.iv, "region": c.iv}
    assert s.select(["region"]).names == ("region",)
    with pytest.raises(UnknownReferenceError):
        s["y"]
    with pytest.raises(InvalidValueError) as err:
        BinningSet(binnings=[x, c, x])
    assert (err.value.field, err.value.value) == ("binnings", ["x"])
    assert err.value.expected == "unique variable names"
