"""Validation reports: gains/lift/KS by band, the binning summary, the VIF filter."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lendcrm.errors import InvalidValueError, SchemaError
from lendcrm.risk.scoring import (
    BinningConfig,
    DropRule,
    IVStrength,
    QualityFlag,
    Trend,
    binning_summary,
    collinearity_filter,
    fit_binning_set,
    gains_table,
    ks,
)
from lendcrm.risk.scoring.frames import (
    binning_summary_frame,
    collinearity_filter_frame,
    gains_table_frame,
)

# ---------------------------------------------------------------- gains table


def test_gains_table_by_hand():
    # 8 applicants, scores 1..8 (low = risky), bads at scores 1, 2, 4: B = 3, G = 5.
    # Quartile bands {1,2}, {3,4}, {5,6}, {7,8} hold 2, 1, 0, 0 bads.
    rows = gains_table([1, 1, 0, 1, 0, 0, 0, 0], [1, 2, 3, 4, 5, 6, 7, 8], bands=4)
    assert [(r.score_min, r.score_max) for r in rows] == [
        (1, 2), (3, 4), (5, 6), (7, 8),
    ]  # fmt: skip
    assert [r.bads for r in rows] == [2, 1, 0, 0]
    assert [r.goods for r in rows] == [0, 1, 2, 2]
    # captured bads 2/3, 3/3; goods 0/5, 1/5, 3/5, 5/5; KS = difference
    np.testing.assert_allclose(
        [r.cum_bads_share for r in rows], [2 / 3, 1, 1, 1], rtol=1e-12
    )
    np.testing.assert_allclose([r.ks for r in rows], [2 / 3, 0.8, 0.4, 0.0], atol=1e-12)
    # lift = bad rate / (3/8): 1 / 0.375, 0.5 / 0.375, 0, 0
    np.testing.assert_allclose([r.lift for r in rows], [8 / 3, 4 / 3, 0, 0], rtol=1e-12)
    # cumulative bad rate 2/2, 3/4, 3/6, 3/8 over 3/8
    np.testing.assert_allclose(
        [r.cum_lift for r in rows], [8 / 3, 2, 4 / 3, 1], rtol=1e-12
    )


@settings(max_examples=25)
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(20, 400),
    bands=st.integers(2, 12),
    ties=st.booleans(),
)
def test_gains_table_invariants(seed, n, bands, ties):
    rng = np.random.default_rng(seed)
    s = rng.normal(600, 50, n)
    if ties:
        s = s.round(-1)
    y = (rng.random(n) < 1 / (1 + np.exp((s - 560) / 30))).astype(int)
    y[:2] = [0, 1]
    rows = gains_table(y, s, bands=bands)
    assert 1 <= len(rows) <= bands
    assert sum(r.count for r in rows) == n
    assert sum(r.bads for r in rows) == y.sum()
    assert rows[-1].cum_bads_share == pytest.approx(1.0)
    assert rows[-1].ks == pytest.approx(0.0, abs=1e-12)
    # the share-weighted lift is 1, and bands cover increasing, disjoint score ranges
    assert sum(r.share * r.lift for r in rows) == pytest.approx(1.0)
    for a, b in itertools.pairwise(rows):
        assert a.score_max < b.score_min
    # banding can only lose KS; one band per distinct score gives the exact KS
    exact = ks(y, -s)
    assert max(r.ks for r in rows) <= exact + 1e-12
    u = np.unique(s)
    fine = gains_table(y, s, edges=u[1:]) if len(u) > 1 else rows
    assert max(abs(r.ks) for r in fine) == pytest.approx(exact, abs=1e-12)


def test_gains_table_with_score_band_edges():
    rows = gains_table(
        [1, 0, 0, 1, 0], [500, 550, 610, 590, 700], edges=[550, 600, 650]
    )
    assert [r.count for r in rows] == [1, 2, 1, 1]
    assert [r.bads for r in rows] == [1, 1, 0, 0]
    # an empty band is kept, with NaN rates
    rows = gains_table([1, 0, 0], [500, 700, 710], edges=[550, 600])
    assert rows[1].count == 0
    assert math.isnan(rows[1].bad_rate)
    assert math.isnan(rows[1].lift)
    assert math.isnan(rows[1].score_min)


def test_gains_table_bad_input():
    with pytest.raises(
        InvalidValueError,
        match=r"`score` must be at least 10 rows, one per band; got '7 rows'. "
        "Ask for fewer bands, or pass `edges`.",
    ):
        gains_table([0, 1] * 3 + [0], range(7), name="score")
    with pytest.raises(InvalidValueError, match=r"`bands` must be an integer >= 2"):
        gains_table([0, 1], [1, 2], bands=1)
    with pytest.raises(InvalidValueError, match=r"`edges` must be strictly increasing"):
        gains_table([0, 1], [1, 2], edges=[3, 3])
    with pytest.raises(InvalidValueError, match=r"`target` must be both classes"):
        gains_table([0, 0, 0], [1, 2, 3], bands=2)
    with pytest.raises(InvalidValueError, match=r"`scores\[1\]` must be a finite"):
        gains_table([0, 1, 0], [1, np.nan, 3], bands=2)


def test_gains_table_frame_matches_the_core():
    rng = np.random.default_rng(4)
    df = pd.DataFrame({"score": rng.normal(600, 40, 500)})
    df["bad"] = (rng.random(500) < 1 / (1 + np.exp((df["score"] - 560) / 25))).astype(
        int
    )
    frame = gains_table_frame(df, target="bad")
    core = gains_table(df["bad"], df["score"])
    assert list(frame.index) == [r.band for r in core]
    np.testing.assert_allclose(frame["ks"], [r.ks for r in core])
    with pytest.raises(SchemaError, match="points"):
        gains_table_frame(df, target="bad", score="points")
    with pytest.raises(InvalidValueError, match=r"`score` must be at least 600 rows"):
        gains_table_frame(df, target="bad", bands=600)


# ---------------------------------------------------------------- binning summary


def test_binning_summary_flags_and_shares():
    rng = np.random.default_rng(5)
    n = 4_000
    x = rng.normal(size=n)
    y = (rng.random(n) < 1 / (1 + np.exp(2 + 0.6 * x))).astype(int)
    mostly_missing = np.where(rng.random(n) < 0.4, np.nan, rng.normal(size=n))
    leaky = y + rng.normal(0, 0.4, n)
    sparse_missing = x.copy()
    sparse_missing[:3] = np.nan  # three rows: fewer than 5 goods and 5 bads
    s = fit_binning_set(
        {"x": x, "miss": mostly_missing, "leak": leaky, "sparse": sparse_missing},
        y,
    )
    rows = {r.name: r for r in binning_summary(s)}
    assert rows["x"].flags == ()
    assert rows["x"].strength is IVStrength.STRONG
    assert rows["x"].shape is Trend.DESCENDING
    assert rows["x"].shape_reason.startswith("auto: descending")
    assert QualityFlag.HIGH_MISSING in rows["miss"].flags
    assert QualityFlag.UNPREDICTIVE in rows["miss"].flags
    assert rows["miss"].missing_share == pytest.approx(np.isnan(mostly_missing).mean())
    assert rows["leak"].flags == (QualityFlag.SUSPICIOUS,)
    assert QualityFlag.SMOOTHED in rows["sparse"].flags
    assert rows["sparse"].missing_share == pytest.approx(3 / n)
    assert all(r.smallest_bin_share >= 0.05 - 1e-12 for r in rows.values())


def test_binning_summary_one_bin_and_specials():
    rng = np.random.default_rng(6)
    n = 2_000
    y = (rng.random(n) < 0.1).astype(int)
    x = rng.normal(size=n)
    x[:200] = -999.0
    s = fit_binning_set(
        {"x": x}, y, config=BinningConfig(special_codes=[-999], min_bin_share=0.45)
    )
    (row,) = binning_summary(s)
    assert (row.bins == 1) == (QualityFlag.ONE_BIN in row.flags)
    assert row.special_share == pytest.approx(0.1)
    frame = binning_summary_frame(s)
    assert frame.loc["x", "special_share"] == pytest.approx(0.1)
    with pytest.raises(InvalidValueError, match=r"`max_iv` must be at least min_iv"):
        binning_summary(s, min_iv=0.3, max_iv=0.1)
    with pytest.raises(InvalidValueError, match=r"`max_missing_share` must be a share"):
        binning_summary(s, max_missing_share=1.5)


def test_one_bin_flag():
    # a feature whose ordinary values support only one bin under the constraints
    rng = np.random.default_rng(7)
    y = (rng.random(1_000) < 0.05).astype(int)
    s = fit_binning_set(
        {"x": rng.normal(size=1_000)}, y, config=BinningConfig(min_bin_bads=40)
    )
    (row,) = binning_summary(s)
    assert row.bins == 1
    assert row.flags == (QualityFlag.UNPREDICTIVE, QualityFlag.ONE_BIN)


# ---------------------------------------------------------------- collinearity


def _vif_by_regression(x: np.ndarray, j: int) -> float:
    """VIF by its definition: regress column j on the others (with intercept)."""
    others = np.column_stack([np.ones(len(x)), np.delete(x, j, axis=1)])
    beta = np.linalg.lstsq(others, x[:, j], rcond=None)[0]
    resid = x[:, j] - others @ beta
    r2 = 1 - resid.var() / x[:, j].var()
    return float(1 / (1 - r2))


def test_collinearity_filter_by_rule():
    rng = np.random.default_rng(8)
    n = 2_000
    a, b, c, d = rng.normal(size=(4, n))
    x = np.column_stack([
        a, a + 0.2 * rng.normal(size=n),  # |r| ~ 0.98 with a
        b, c, d, b + c + d + 0.3 * rng.normal(size=n),  # |r| ~ 0.57, VIF ~ 34
        np.full(n, 0.4),
    ])  # fmt: skip
    names = ["dscr", "icr", "age", "tenure", "rate", "mix", "flag"]
    ivs = {"dscr": 0.2, "icr": 0.3, "age": 0.1, "tenure": 0.05, "rate": 0.04,
           "mix": 0.15, "flag": 0}  # fmt: skip
    report = collinearity_filter(x, names=names, ivs=ivs)
    assert report.kept == ("icr", "age", "tenure", "rate")
    rules = [(d.name, d.rule, d.partner) for d in report.dropped]
    assert rules == [
        ("flag", DropRule.CONSTANT, None),
        ("dscr", DropRule.CORRELATION, "icr"),
        ("mix", DropRule.VIF, None),
    ]
    vif_mix = report.dropped[2].value
    assert vif_mix == pytest.approx(
        _vif_by_regression(x[:, [1, 2, 3, 4, 5]], 4), rel=1e-9
    )
    assert vif_mix > 30
    assert (
        report.dropped[2].reason == f"VIF {vif_mix:.2f} > 5 on the other kept features"
    )
    assert report.dropped[1].reason.startswith("|r| = 0.98")
    assert report.dropped[1].reason.endswith(
        "with `icr`, which has the higher IV (0.3000 vs 0.2000)"
    )
    kept_x = x[:, [1, 2, 3, 4]]
    for j, v in enumerate(report.vif):
        assert v == pytest.approx(_vif_by_regression(kept_x, j), rel=1e-9)


def test_collinearity_perfect_and_without_ivs():
    rng = np.random.default_rng(9)
    b, c = rng.normal(size=(2, 500))
    x = np.column_stack([b, c, b - c])
    report = collinearity_filter(x, names=["b", "c", "d"], max_correlation=1.0)
    # perfectly collinear: every VIF is infinite; the later column goes first
    assert report.dropped[0].name == "d"
    assert report.dropped[0].value == math.inf
    assert report.dropped[0].reason == "VIF inf > 5 on the other kept features"
    assert report.kept == ("b", "c")
    no_iv = collinearity_filter(np.column_stack([b, b + 1e-3 * c]), names=["p", "q"])
    assert no_iv.dropped[0].name == "q"
    assert no_iv.dropped[0].reason.endswith("with `p`, which comes first")


@settings(max_examples=20)
@given(
    seed=st.integers(0, 10_000),
    p=st.integers(1, 6),
    max_corr=st.floats(0.3, 0.95),
    max_vif=st.floats(1.5, 10),
)
def test_collinearity_filter_leaves_no_violation(seed, p, max_corr, max_vif):
    rng = np.random.default_rng(seed)
    base = rng.normal(size=(300, 2))
    mix = rng.normal(size=(2, p))
    x = base @ mix + 0.3 * rng.normal(size=(300, p))
    names = [f"f{j}" for j in range(p)]
    report = collinearity_filter(x, names=names, max_correlation=max_corr,
                                 max_vif=max_vif)  # fmt: skip
    assert sorted([*report.kept, *(d.name for d in report.dropped)]) == names
    idx = [names.index(k) for k in report.kept]
    if len(idx) > 1:
        r = np.atleast_2d(np.corrcoef(x[:, idx], rowvar=False))
        assert (np.abs(r[np.triu_indices(len(idx), 1)]) <= max_corr + 1e-12).all()
        assert max(report.vif) <= max_vif


def test_collinearity_filter_bad_input_and_frame():
    x = np.random.default_rng(1).normal(size=(50, 2))
    with pytest.raises(InvalidValueError, match=r"`names` must be 2 unique names"):
        collinearity_filter(x, names=["a", "a"])
    with pytest.raises(InvalidValueError, match=r"`ivs` must be an information value"):
        collinearity_filter(x, names=["a", "b"], ivs={"a": 0.1})
    with pytest.raises(InvalidValueError, match=r"`max_correlation` must be in"):
        collinearity_filter(x, names=["a", "b"], max_correlation=0)
    with pytest.raises(InvalidValueError, match=r"`max_vif` must be at least 1"):
        collinearity_filter(x, names=["a", "b"], max_vif=0.5)
    with pytest.raises(InvalidValueError, match=r"`features` must be at least 2 rows"):
        collinearity_filter(x[:1], names=["a", "b"])
    frame = collinearity_filter_frame(pd.DataFrame(x, columns=["a", "b"]))
    assert frame["kept"].all()
    assert list(frame.index) == ["a", "b"]
