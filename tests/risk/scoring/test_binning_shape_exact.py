# mypy: disable-error-code="arg-type"
# (the tests pass wrong types on purpose)
"""The shape rule's pieces by hand: likelihood, turns, bounds, the test (#23).

ln L = sum_k g_k ln(g_k / n_k) + b_k ln(b_k / n_k) over the bins; a richer shape wins
only when G = 2 (ln L_rich - ln L_simple) exceeds the chi2_d critical value at
alpha / (m - 1) (a Bonferroni correction over the m - 1 places a turn could be).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from lendcrm.errors import InfeasibleConstraintError, InvalidValueError
from lendcrm.risk.scoring import BinningConfig, Trend, TrendChoice
from lendcrm.risk.scoring._binning_shape import (
    MIN_TURN_BINS,
    _bin_bound,
    _Candidate,
    _candidate,
    _choose,
    _infeasible,
    _reason,
    check_shape,
    optimise,
)

G = np.array([10.0, 20.0, 30.0, 40.0])
B = np.array([10.0, 5.0, 10.0, 40.0])


def _ll(groups: list[tuple[float, float]]) -> float:
    return sum(g * math.log(g / (g + b)) + b * math.log(b / (g + b)) for g, b in groups)


def test_candidate_likelihood_and_turns_by_hand():
    c = _candidate(Trend.NONE, (1, 2, 3), 0.5, G, B)
    assert c.log_likelihood == pytest.approx(
        _ll(list(zip(G, B, strict=True))), rel=1e-14
    )
    # bad rates 0.5, 0.2, 0.25, 0.5: down, up, up: one turn
    assert (c.trend, c.cuts, c.iv, c.turns) == (Trend.NONE, (1, 2, 3), 0.5, 1)
    merged = _candidate(Trend.ASCENDING, (2,), 0.1, G, B)
    assert merged.log_likelihood == pytest.approx(
        _ll([(30.0, 15.0), (70.0, 50.0)]), rel=1e-14
    )
    assert merged.turns == 0
    # an empty class in a bin contributes 0 (x log x at 0)
    pure = _candidate(
        Trend.ASCENDING, (1,), 0.0, np.array([5.0, 5.0]), np.array([0.0, 5.0])
    )
    assert pure.log_likelihood == pytest.approx(_ll([(5.0, 5.0)]), rel=1e-14)
    zigzag = _candidate(
        Trend.NONE, (1, 2, 3), 0.0, np.array([9.0, 1, 9, 1]), np.array([1.0, 9, 1, 9])
    )
    assert zigzag.turns == 2


def test_the_choice_and_its_test():
    simple = _candidate(Trend.ASCENDING, (2,), 0.10, G, B)
    rich = _candidate(Trend.VALLEY, (1, 2, 3), 0.12, G, B)
    g_stat = 2 * (rich.log_likelihood - simple.log_likelihood)
    best, stat, crit, test = _choose([simple, rich], 0.001, 11)
    from scipy.stats import chi2

    want = float(chi2.isf(0.001 / 10, 1))
    assert stat == pytest.approx(g_stat, rel=1e-12)
    assert crit == pytest.approx(want, rel=1e-10)
    assert best is (rich if g_stat > want else simple)
    assert test == (
        f"G = {g_stat:.1f} {'>' if g_stat > want else '<='} {want:.1f}, the chi2(1)"
        " critical value at alpha = 0.001 / 10 turn positions"
    )
    # a loose alpha lets the richer shape in; one candidate: no test
    best, *_ = _choose([simple, rich], 0.5, 2)
    assert best is rich
    assert _choose([simple], 0.001, 5) == (simple, None, None, "")
    # the highest IV among the simplest shapes; a richer one needs a higher IV too
    other = _candidate(Trend.DESCENDING, (1,), 0.2, G, B)
    assert _choose([simple, other], 0.001, 5)[0] is other
    low = _candidate(Trend.PEAK, (1, 2, 3), 0.05, G, B)
    assert _choose([simple, low], 0.5, 2)[0] is simple
    # one turn position at least (m = 1)
    assert _choose([simple, rich], 0.5, 1)[3].endswith("/ 1 turn positions")


def test_bin_bound():
    cfg = BinningConfig()
    assert _bin_bound(cfg, G, B, 0.0) == 4
    assert _bin_bound(BinningConfig(max_bins=3), G, B, 0.0) == 3
    assert _bin_bound(BinningConfig(max_bins=10), G, B, 0.0) == 4
    assert _bin_bound(cfg, G, B, 55.0) == 3  # 165 // 55
    assert _bin_bound(cfg, G, B, 56.0) == 2
    assert _bin_bound(cfg, G, B, 1000.0) == 1  # never fewer than one


def test_check_shape_names_the_binding_bound():
    check_shape("age", BinningConfig(trend="ascending", max_bins=2), 2)
    check_shape("age", BinningConfig(trend="peak", min_bin_share=0.0), 3)
    for cfg, n, what, bound in [
        (
            BinningConfig(trend="peak", min_bin_share=0.0),
            2,
            "pre-bins (distinct values)",
            2,
        ),
        (
            BinningConfig(trend="valley", max_bins=2, min_bin_share=0.0),
            10,
            "max_bins",
            2,
        ),
        (BinningConfig(trend="peak", min_bin_share=0.4), 10, "min_bin_share", 2),
    ]:
        with pytest.raises(InfeasibleConstraintError) as err:
            check_shape("age", cfg, n)
        assert (err.value.field, err.value.value) == ("age.trend", str(cfg.trend))
        assert err.value.expected == (
            f"a shape that fits in {bound} bins (ascending, descending, auto or none): "
            f"a {cfg.trend} needs at least {MIN_TURN_BINS} bins and {what} allows {bound}"
        )
    # a share of exactly 1/3 allows three bins (the 1e-9 guards the float division)
    check_shape("age", BinningConfig(trend="peak", min_bin_share=1 / 3), 10)
    assert MIN_TURN_BINS == 3


def test_infeasible_names_the_constraint():
    cases = [
        (BinningConfig(min_bin_bads=100.0), "min_bin_bads", 100.0),
        (BinningConfig(min_bin_goods=200.0), "min_bin_goods", 200.0),
        (BinningConfig(), "min_bin_share", 0.05),
    ]
    for cfg, which, value in cases:
        with pytest.raises(InfeasibleConstraintError) as err:
            _infeasible("age", cfg, G, B)
        assert (err.value.field, err.value.value) == (f"age.{which}", value)
        assert err.value.expected == (
            "a value that the ordinary rows can satisfy in at least one bin"
        )
    # exactly enough goods and bads: the share is to blame
    with pytest.raises(InfeasibleConstraintError) as err:
        _infeasible("age", BinningConfig(min_bin_goods=100.0, min_bin_bads=65.0), G, B)
    assert err.value.field == "age.min_bin_share"


def test_trend_choice_fields():
    c = TrendChoice(
        requested=Trend.AUTO,
        chosen=Trend.PEAK,
        tried=["ascending", "peak"],
        ivs=[0.1, 0.2],
    )
    assert (c.requested, c.chosen, c.tried) == (
        Trend.AUTO,
        Trend.PEAK,
        (Trend.ASCENDING, Trend.PEAK),
    )
    assert c.ivs == (0.1, 0.2)
    assert (c.statistic, c.critical_value, c.reason) == (None, None, "")
    for kw, field in (
        ({"requested": "up"}, "requested"),
        ({"tried": ["up"]}, "tried"),
        ({"ivs": ["x"]}, "ivs"),
        ({"statistic": math.nan}, "statistic"),
        ({"critical_value": math.inf}, "critical_value"),
        ({"reason": 3}, "reason"),
    ):
        args = {
            "requested": Trend.AUTO,
            "chosen": Trend.PEAK,
            "tried": [],
            "ivs": [],
            **kw,
        }
        with pytest.raises(InvalidValueError) as err:
            TrendChoice(**args)
        assert err.value.field.startswith(field)


# Survivors of the mutmut run (issue #23): each test below kills the ones it names.


def test_exactly_enough_bads_blames_the_goods():
    # 65 bads = min_bin_bads (enough), 100 goods < 200: the goods are to blame
    with pytest.raises(InfeasibleConstraintError) as err:
        _infeasible("age", BinningConfig(min_bin_goods=200.0, min_bin_bads=65.0), G, B)
    assert (err.value.field, err.value.value) == ("age.min_bin_goods", 200.0)


def test_optimise_refuses_when_no_binning_is_feasible():
    cfg = BinningConfig(min_bin_bads=100.0)
    with pytest.raises(InfeasibleConstraintError) as err:
        optimise(G, B, 100.0, 65.0, cfg, Trend.ASCENDING, min_weight=0.0, name="age")
    assert (err.value.field, err.value.value, err.value.expected) == (
        "age.min_bin_bads",
        100.0,
        "a value that the ordinary rows can satisfy in at least one bin",
    )


def test_trend_choice_tried_not_a_sequence():
    with pytest.raises(InvalidValueError) as err:
        TrendChoice(requested=Trend.AUTO, chosen=Trend.PEAK, tried=5, ivs=[0.1])
    assert (err.value.field, err.value.value, err.value.expected) == (
        "tried",
        5,
        "a sequence of trends",
    )


def test_a_minimum_weight_below_one_still_bounds_the_bins():
    # shares (total weight 1) with a minimum of 0.5 per bin: at most 2 of the 4 bins
    g = np.array([0.1, 0.2, 0.1, 0.1])
    b = np.array([0.1, 0.1, 0.2, 0.1])
    assert _bin_bound(BinningConfig(), g, b, 0.5) == 2


def test_reason_words_by_hand():
    asc = _Candidate(
        trend=Trend.ASCENDING, cuts=(1,), iv=0.3, log_likelihood=-1.0, turns=0
    )
    desc = _Candidate(
        trend=Trend.DESCENDING, cuts=(1,), iv=0.1, log_likelihood=-2.0, turns=0
    )
    # no richer shape tried: the other one of the same rank is named
    assert _reason(asc, [asc, desc], "t") == (
        "auto: ascending (IV 0.3000) over descending (IV 0.1000), the highest IV"
    )
    # richer shapes with no more turns than the best: each named once
    peak = _Candidate(
        trend=Trend.PEAK, cuts=(1, 2), iv=0.2, log_likelihood=-1.5, turns=0
    )
    valley = _Candidate(
        trend=Trend.VALLEY, cuts=(1, 2), iv=0.25, log_likelihood=-1.2, turns=0
    )
    assert _reason(asc, [asc, peak, valley], "t") == (
        "auto: ascending (IV 0.3000); no peak or valley binning has a higher IV"
    )


def _cand(trend, iv, ll, turns):
    return _Candidate(trend=trend, cuts=(1,), iv=iv, log_likelihood=ll, turns=turns)


def test_choose_at_its_ties_and_floors():
    from scipy.stats import chi2

    crit = float(chi2.isf(0.01 / 4, 2))
    best = _cand(Trend.ASCENDING, 0.2, 0.0, 1)
    # G exactly at the critical value (2 * crit / 2 is exact): not significant
    tie = _cand(Trend.PEAK, 0.3, crit / 2, 3)  # dof = 3 - 1 = 2 turns more
    chosen, stat, critical, test = _choose([best, tie], 0.01, 5)
    assert (chosen, stat) == (best, crit)
    assert critical == pytest.approx(crit, rel=1e-10)
    assert test.startswith(f"G = {crit:.1f} <= {crit:.1f}, the chi2(2) critical")
    # significant but no higher IV: the simpler shape stays
    same_iv = _cand(Trend.PEAK, 0.2, crit, 3)
    assert _choose([best, same_iv], 0.01, 5)[0] is best
    # a worse fit gives G = 0, not below
    worse = _cand(Trend.PEAK, 0.3, -1.0, 3)
    assert _choose([best, worse], 0.01, 5)[1] == 0.0


def test_three_bins_leave_room_for_a_turn():
    # MIN_TURN_BINS = 3 bins are enough for a peak or a valley: all four shapes tried
    cfg = BinningConfig(max_bins=MIN_TURN_BINS)
    _, choice = optimise(G, B, 100.0, 65.0, cfg, Trend.AUTO, min_weight=0.0, name="age")
    assert choice.tried == (Trend.ASCENDING, Trend.DESCENDING, Trend.PEAK, Trend.VALLEY)
    assert "leave no room for a turn" not in choice.reason
