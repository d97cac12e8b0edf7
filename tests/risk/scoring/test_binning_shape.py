"""`Trend.AUTO` chooses the shape: U-shapes are found, noise gets none, the reason is kept."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from lendcrm.errors import InfeasibleConstraintError, InvalidValueError
from lendcrm.risk.scoring import (
    BinningConfig,
    PreBinning,
    Trend,
    TrendChoice,
    fit_numeric,
)

_TURNED = {Trend.PEAK, Trend.VALLEY}


def _u_data(seed: int, *, turn: float, depth: float, n: int = 20_000, peak=False):
    """Event rate with one turn at `turn` (in [-2, 2]); valley unless `peak`."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-3, 3, n)
    bowl = depth * (x - turn) ** 2
    eta = -2.0 - bowl if peak else -3.0 + bowl
    y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(int)
    return x, y


def _test(choice: TrendChoice) -> tuple[float, float]:
    """The statistic and critical value of the last test, which must have been made."""
    assert choice.statistic is not None
    assert choice.critical_value is not None
    return choice.statistic, choice.critical_value


def _explicit(x, y, trend, cfg=None):
    base = cfg or BinningConfig()
    return fit_numeric(x, y, name="x", config=BinningConfig(
        trend=trend, prebinning=base.prebinning, max_bins=base.max_bins,
    ))  # fmt: skip


# ------------------------------------------------------------- properties


@settings(max_examples=12)
@given(
    seed=st.integers(0, 10_000),
    turn=st.floats(-1.0, 1.0),  # a turn near the edge (|turn| > 1) can lack power
    depth=st.floats(0.3, 0.8),
    peak=st.booleans(),
)
def test_u_shaped_data_gets_its_turn(seed, turn, depth, peak):
    x, y = _u_data(seed, turn=turn, depth=depth, peak=peak)
    auto = fit_numeric(x, y, name="x")
    want = Trend.PEAK if peak else Trend.VALLEY
    assert auto.trend is want
    # the chosen binning is exactly the optimum of that shape
    same = _explicit(x, y, want)
    assert auto.splits == same.splits
    assert auto.iv == pytest.approx(same.iv, rel=1e-12)
    choice = auto.trend_choice
    g_stat, critical = _test(choice)
    assert g_stat > critical
    rates = np.array(auto.bads[: auto.n_regular]) / (
        np.array(auto.goods[: auto.n_regular]) + np.array(auto.bads[: auto.n_regular])
    )
    steps = np.sign(np.diff(rates))
    assert np.count_nonzero(steps[1:] != steps[:-1]) == 1


@settings(max_examples=12)
@given(seed=st.integers(0, 10_000), slope=st.floats(0.4, 1.2), up=st.booleans())
def test_monotone_data_stays_monotone(seed, slope, up):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=10_000)
    eta = -2.5 + (slope if up else -slope) * x
    y = (rng.random(10_000) < 1 / (1 + np.exp(-eta))).astype(int)
    auto = fit_numeric(x, y, name="x")
    assert auto.trend is (Trend.ASCENDING if up else Trend.DESCENDING)
    mono = max(
        (_explicit(x, y, t) for t in (Trend.ASCENDING, Trend.DESCENDING)),
        key=lambda b: b.iv,
    )
    assert auto.iv == pytest.approx(mono.iv, rel=1e-12)


@settings(max_examples=20)
@given(
    seed=st.integers(0, 10_000),
    depth=st.floats(0.0, 0.3),
    n=st.integers(300, 3_000),
    alpha=st.sampled_from([1e-6, 0.01, 0.2]),
)
def test_choice_is_one_explicit_fit_and_follows_the_rule(seed, depth, n, alpha):
    x, y = _u_data(seed, turn=0.5, depth=depth, n=n)
    cfg = BinningConfig(shape_alpha=alpha)
    auto = fit_numeric(x, y, name="x", config=cfg)
    choice = auto.trend_choice
    assert choice.requested is Trend.AUTO
    assert choice.chosen is auto.trend
    assert choice.tried == (Trend.ASCENDING, Trend.DESCENDING, Trend.PEAK, Trend.VALLEY)
    same = _explicit(x, y, auto.trend)
    assert auto.splits == same.splits
    ivs = dict(zip(choice.tried, choice.ivs, strict=True))
    best_mono = max(ivs[Trend.ASCENDING], ivs[Trend.DESCENDING])
    # a peak or valley may have no turn, so its IV is never below the best monotone
    assert max(ivs[Trend.PEAK], ivs[Trend.VALLEY]) >= best_mono - 1e-12
    g_stat, critical = _test(choice)
    if auto.trend in _TURNED:
        assert g_stat > critical
    else:
        assert ivs[auto.trend] == pytest.approx(best_mono, rel=1e-12)
        assert g_stat <= critical


def test_critical_value_is_the_bonferroni_chi2_quantile():
    # 20 quantile pre-bins of distinct values: 19 places for a turn, one extra turn
    x, y = _u_data(5, turn=0.0, depth=0.4)
    b = fit_numeric(
        x, y, name="x", config=BinningConfig(prebinning=PreBinning.QUANTILE)
    )
    assert b.trend_choice.critical_value == pytest.approx(
        stats.chi2.isf(0.001 / 19, 1), rel=1e-12
    )
    assert b.trend_choice.critical_value == pytest.approx(16.35, abs=0.005)
    assert "the chi2(1) critical value at alpha = 0.001 / 19 turn positions" in (
        b.trend_choice.reason
    )


def test_likelihood_ratio_statistic_by_hand():
    # G = 2 (lnL_valley - lnL_monotone) over the regular bins, lnL = sum g ln(g/n) +
    # b ln(b/n): recompute it from the two explicit binnings.
    x, y = _u_data(11, turn=1.0, depth=0.3, n=5_000)
    auto = fit_numeric(x, y, name="x")

    def loglik(b):
        g = np.array(b.goods[: b.n_regular])
        bd = np.array(b.bads[: b.n_regular])
        n = g + bd
        return float((g * np.log(g / n) + bd * np.log(bd / n)).sum())

    valley = _explicit(x, y, Trend.VALLEY)
    mono = max(
        (_explicit(x, y, t) for t in (Trend.ASCENDING, Trend.DESCENDING)),
        key=lambda b: b.iv,
    )
    assert auto.trend is Trend.VALLEY
    assert auto.trend_choice.statistic == pytest.approx(
        2 * (loglik(valley) - loglik(mono)), rel=1e-9
    )


def test_pure_noise_rarely_gets_a_turn():
    # The rule's purpose: on 60 pure-noise features (fixed seeds) at alpha = 0.001 a
    # turned shape is chosen at most a few times (measured: 0 of 60).
    turned = 0
    for seed in range(60):
        rng = np.random.default_rng(seed)
        x = rng.normal(size=2_000)
        y = (rng.random(2_000) < 0.1).astype(int)
        turned += fit_numeric(x, y, name="noise").trend in _TURNED
    assert turned <= 3


def test_auto_without_the_turned_shapes_is_the_old_rule():
    x, y = _u_data(2, turn=0.0, depth=0.4)
    cfg = BinningConfig(auto_trends=[Trend.ASCENDING, Trend.DESCENDING])
    b = fit_numeric(x, y, name="x", config=cfg)
    asc, desc = (_explicit(x, y, t) for t in (Trend.ASCENDING, Trend.DESCENDING))
    assert b.trend in {Trend.ASCENDING, Trend.DESCENDING}
    assert b.iv == pytest.approx(max(asc.iv, desc.iv), rel=1e-12)
    assert b.trend_choice.statistic is None
    assert "the highest IV" in b.trend_choice.reason


def test_auto_may_include_none():
    x, y = _u_data(3, turn=0.0, depth=0.5)
    cfg = BinningConfig(auto_trends=[*BinningConfig().auto_trends, Trend.NONE])
    b = fit_numeric(x, y, name="x", config=cfg)
    assert Trend.NONE in b.trend_choice.tried
    assert b.trend in {Trend.VALLEY, Trend.NONE}


# ------------------------------------------------------------- reasons


def test_reasons_in_words():
    x, y = _u_data(0, turn=0.0, depth=0.5)
    valley = fit_numeric(x, y, name="x").trend_choice
    assert valley.reason.startswith("auto: valley (IV ")
    assert "> 17.5, the chi2(1) critical value at alpha = 0.001 / 34 turn" in (
        valley.reason
    )
    rng = np.random.default_rng(1)
    noise = fit_numeric(
        rng.normal(size=5_000), (rng.random(5_000) < 0.2).astype(int), name="n"
    ).trend_choice
    assert noise.chosen in {Trend.ASCENDING, Trend.DESCENDING}
    assert "is not significant: G = " in noise.reason or "has a higher IV" in (
        noise.reason
    )
    explicit = fit_numeric(x, y, name="x", config=BinningConfig(trend=Trend.PEAK))
    assert explicit.trend_choice == TrendChoice(
        requested=Trend.PEAK, chosen=Trend.PEAK, tried=(Trend.PEAK,),
        ivs=explicit.trend_choice.ivs, reason="requested: peak",
    )  # fmt: skip
    fixed = fit_numeric(x, y, name="x", config=BinningConfig(user_splits=[0.0]))
    assert (
        fixed.trend_choice.reason == "user_splits: fixed cut points, no trend enforced"
    )


def test_two_bins_leave_no_room_for_a_turn():
    x, y = _u_data(4, turn=0.0, depth=0.5)
    b = fit_numeric(x, y, name="x", config=BinningConfig(max_bins=2))
    assert b.trend_choice.tried == (Trend.ASCENDING, Trend.DESCENDING)
    assert b.trend_choice.reason.endswith("; 2 bins leave no room for a turn")


# ------------------------------------------------------------- bad input


def test_shape_request_incompatible_with_the_bin_count():
    x, y = _u_data(4, turn=0.0, depth=0.5, n=2_000)
    with pytest.raises(
        InfeasibleConstraintError,
        match=r"`age.trend` must be a shape that fits in 2 bins \(ascending, "
        r"descending, auto or none\): a valley needs at least 3 bins and max_bins "
        r"allows 2; got 'valley'",
    ):
        fit_numeric(
            x, y, name="age", config=BinningConfig(trend=Trend.VALLEY, max_bins=2)
        )
    with pytest.raises(
        InfeasibleConstraintError,
        match=r"`age.trend` .* a peak needs at least 3 bins and min_bin_share allows 2",
    ):
        fit_numeric(
            x, y, name="age", config=BinningConfig(trend="peak", min_bin_share=0.4)
        )
    with pytest.raises(
        InfeasibleConstraintError,
        match=r"a peak needs at least 3 bins and pre-bins \(distinct values\) allows 2",
    ):
        fit_numeric(
            (x > 0).astype(float), y, name="age", config=BinningConfig(trend="peak")
        )


def test_auto_trends_config_errors():
    with pytest.raises(
        InvalidValueError,
        match=r"`auto_trends` must be one or more of ascending, descending, peak, "
        r"valley, none \(not auto\); got \['auto'\]",
    ):
        BinningConfig(auto_trends=[Trend.AUTO])
    with pytest.raises(InvalidValueError, match=r"`auto_trends` .*; got \[\]"):
        BinningConfig(auto_trends=[])
    with pytest.raises(InvalidValueError, match=r"`shape_alpha` must be"):
        BinningConfig(shape_alpha=0.0)
