# mypy: disable-error-code="arg-type"
# (the tests pass wrong types on purpose)
"""Binning summary: every field of a row, each flag at its exact threshold (#23).

The thresholds are set to the variable's own figures: a flag is raised strictly
above (or below) its threshold, never at it (Siddiqi's IV bands 0.02 and 0.5 are the
defaults).
"""

from __future__ import annotations

import numpy as np
import pytest

from lendcrm.errors import InvalidValueError
from lendcrm.risk.scoring import (
    QualityFlag,
    binning_summary,
    fit_binning_set,
    iv_strength,
)

RNG = np.random.default_rng(7)
X = RNG.normal(size=2000)
Y = (RNG.random(2000) < 1 / (1 + np.exp(2 + 0.3 * X))).astype(int)
GAPPY = np.where(RNG.random(2000) < 0.3, np.nan, X)
SET = fit_binning_set({"x": X, "gappy": GAPPY}, Y)


def test_every_field_of_a_row():
    rows = binning_summary(SET)
    assert [r.name for r in rows] == ["x", "gappy"]
    for r, b in zip(rows, SET, strict=True):
        n = np.asarray(b.goods) + np.asarray(b.bads)
        share = n / n.sum()
        k = b.n_regular
        assert r.kind is b.kind
        assert r.iv == b.iv
        assert r.strength is iv_strength(b.iv)
        assert r.bins == k
        assert r.shape is b.trend
        assert r.shape_reason == b.trend_choice.reason
        assert r.missing_share == pytest.approx(share[k], rel=1e-15)
        assert r.special_share == pytest.approx(share[k + 1 :].sum(), abs=1e-15)
        assert r.smallest_bin_share == pytest.approx(share[:k].min(), rel=1e-15)
    assert rows[0].missing_share == 0.0
    assert rows[1].missing_share == pytest.approx(np.isnan(GAPPY).mean(), rel=1e-12)
    assert rows[0].flags == ()
    assert rows[1].flags == (QualityFlag.HIGH_MISSING,)


def test_each_flag_at_its_threshold():
    x, gappy = SET
    iv = x.iv
    assert binning_summary(SET, min_iv=iv, max_iv=iv)[0].flags == ()
    up = np.nextafter(iv, 1.0)
    down = np.nextafter(iv, 0.0)
    assert binning_summary(SET, min_iv=up, max_iv=up)[0].flags == (
        QualityFlag.UNPREDICTIVE,
    )
    assert binning_summary(SET, min_iv=0.0, max_iv=down)[0].flags == (
        QualityFlag.SUSPICIOUS,
    )
    n = np.asarray(gappy.goods) + np.asarray(gappy.bads)
    missing = float(n[gappy.n_regular] / n.sum())
    assert (
        QualityFlag.HIGH_MISSING
        not in binning_summary(SET, max_missing_share=missing)[1].flags
    )
    assert (
        QualityFlag.HIGH_MISSING
        in binning_summary(SET, max_missing_share=np.nextafter(missing, 0.0))[1].flags
    )
    # flags come in QualityFlag order
    both = binning_summary(SET, min_iv=1.0, max_iv=1.0, max_missing_share=0.0)[1].flags
    assert both == (QualityFlag.UNPREDICTIVE, QualityFlag.HIGH_MISSING)


def test_one_bin_and_smoothed_flags():
    flat = RNG.integers(0, 2, size=400).astype(float)
    target = np.r_[np.zeros(200, int), np.ones(200, int)]
    # a binary feature unrelated to the target, and a missing bin of three goods
    feature = np.where(np.arange(400) < 3, np.nan, flat)
    s = fit_binning_set({"f": feature}, target)
    row = binning_summary(s, min_iv=0.0)[0]
    b = next(iter(s))
    assert (row.bins == 1) == (QualityFlag.ONE_BIN in row.flags)
    assert (QualityFlag.SMOOTHED in row.flags) == any(
        sm and c > 0
        for sm, c in zip(
            b.smoothed[b.n_regular :],
            (np.asarray(b.goods) + np.asarray(b.bads))[b.n_regular :],
            strict=True,
        )
    )
    assert QualityFlag.SMOOTHED in row.flags  # the missing bin has no bads


def test_threshold_refusals():
    for kw in ({"min_iv": -1e-300}, {"min_iv": 0.3, "max_iv": 0.2}):
        with pytest.raises(InvalidValueError) as err:
            binning_summary(SET, **kw)
        assert err.value.field == "max_iv"
        assert err.value.expected.startswith("at least min_iv (")
        assert err.value.expected.endswith(") >= 0")
    with pytest.raises(InvalidValueError) as err:
        binning_summary(SET, min_iv=0.3, max_iv=0.2)
    assert (err.value.value, err.value.expected) == (0.2, "at least min_iv (0.3) >= 0")
    for share in (-1e-300, np.nextafter(1.0, 2.0)):
        with pytest.raises(InvalidValueError) as err:
            binning_summary(SET, max_missing_share=share)
        assert (err.value.field, err.value.value) == ("max_missing_share", share)
        assert err.value.expected == "a share in [0, 1]"
    assert len(binning_summary(SET, min_iv=0.0, max_iv=0.0, max_missing_share=1.0)) == 2
    with pytest.raises(InvalidValueError) as err:
        binning_summary([])
    assert (err.value.field, err.value.expected) == ("binnings", "a BinningSet")


# Survivors of the mutmut run (issue #23): each test below kills the ones it names.
# Two bins of 150 goods / 50 bads and 50 goods / 150 bads: IV = 0.5 ln 3 + 0.5 ln 3
# = ln 3 = 1.0986 (Siddiqi 2006, ch. 6), above the default 0.5 and below 1.5.
_Y = np.r_[np.zeros(200, int), np.ones(200, int)]
_F = np.r_[np.arange(200) % 4, np.arange(200) % 4 + 2].astype(float)


def test_the_default_suspicious_band_is_siddiqis_half():
    row = binning_summary(fit_binning_set({"f": _F}, _Y))[0]
    assert row.iv == pytest.approx(np.log(3.0), rel=1e-12)
    assert row.flags == (QualityFlag.SUSPICIOUS,)


def test_a_missing_bin_of_one_bad_is_smoothed():
    g = _F.copy()
    g[399] = np.nan  # the last row is a bad
    s = fit_binning_set({"g": g}, _Y)
    b = next(iter(s))
    assert (b.goods[b.n_regular], b.bads[b.n_regular]) == (0.0, 1.0)
    assert binning_summary(s)[0].flags == (QualityFlag.SUSPICIOUS, QualityFlag.SMOOTHED)
