"""Risk-adjusted value, risk overlay, re-segmentation with hysteresis, migrations."""

from typing import Any

import numpy as np
import pytest

from lendcrm.errors import InvalidValueError
from lendcrm.segmentation import (
    TIER_LEVELS,
    ClientFeatures,
    Hysteresis,
    ParetoABC,
    RiskOverlay,
    Segmentation,
    ThresholdTiers,
    Tier,
    WeightedValueScore,
    migration_matrix,
    resegment,
    risk_adjusted_value,
)

CUT = (75.0, 60.0, 40.0)


def some(value):
    """The value, asserted present (narrows Optional for mypy)."""
    assert value is not None
    return value


def seg(codes, score=None, ids=None, streak=None):
    codes = np.asarray(codes)
    ids = np.asarray(ids if ids is not None else [f"c{i}" for i in range(len(codes))])
    return Segmentation(
        strategy="w",
        client_ids=ids,
        codes=codes,
        levels=TIER_LEVELS,
        score=None if score is None else np.asarray(score, dtype=float),
        cutoffs=CUT,
        streak=streak,
    )


def features(n, **kw):
    base: dict[str, Any] = {
        "client_ids": [f"c{i}" for i in range(n)],
        "revenue": [10.0] * n,
        "profit": [1.0] * n,
        "tenure_years": [1.0] * n,
        "product_count": [1] * n,
        "referral_count": [0] * n,
    }
    base.update(kw)
    return ClientFeatures(**base)


# --- risk-adjusted value --------------------------------------------------------------


def test_risk_adjusted_value_by_hand():
    # 100 - 10 - 20 = 70; 40 - 30 - 25 = -15
    assert risk_adjusted_value([100.0, 40.0], [10.0, 30.0], [20.0, 25.0]).tolist() == [
        70.0,
        -15.0,
    ]


def test_risk_adjusted_value_errors():
    with pytest.raises(
        InvalidValueError, match=r"`expected_loss\[0\]` must be a finite number >= 0"
    ):
        risk_adjusted_value([1.0], [-1.0], [0.0])
    with pytest.raises(
        InvalidValueError,
        match=r"`capital_cost` must be the same length as `profit` \(2\); got 'length 1'\.",
    ):
        risk_adjusted_value([1.0, 2.0], [0.0, 0.0], [0.0])


def test_risk_adjusted_value_matches_the_features_measure():
    f = features(
        3,
        profit=[5.0, -1.0, 2.0],
        expected_loss=[1.0, 0.0, 3.0],
        capital_cost=[1.0, 1.0, 0.0],
    )
    expected = risk_adjusted_value(
        f.profit, some(f.expected_loss), some(f.capital_cost)
    )
    assert f.risk_adjusted_value().tolist() == expected.tolist() == [3.0, -2.0, -1.0]


# --- risk overlay ---------------------------------------------------------------------


def test_overlay_caps_but_never_upgrades():
    f = features(
        6,
        revenue=[9.0, 9.0, 9.0, 9.0, 1.0, 9.0],
        rating_grade=[3, 7, 8.5, 9, 10, 3],
        on_watchlist=[False, False, False, False, False, True],
        early_warning=[False, False, False, False, False, True],
    )
    tiers = ThresholdTiers(cutoffs=(5, 3, 2)).assign(f)
    out = RiskOverlay().apply(tiers, f)
    # grade 3 no cap; 7 -> gold; 8.5 -> silver; 9 -> basic; basic stays basic;
    # watchlist (silver) and early warning (gold): the worse, silver
    assert out.labels.tolist() == [
        "diamond",
        "gold",
        "silver",
        "basic",
        "basic",
        "silver",
    ]
    assert out.strategy == "threshold_tiers+risk_overlay"
    assert tiers.labels[1] == "diamond"  # the input is unchanged


def test_overlay_skips_missing_inputs_and_disabled_caps():
    f = features(2, on_watchlist=[True, False])
    tiers = ThresholdTiers(cutoffs=(5, 3, 2)).assign(f)
    assert (
        RiskOverlay(watchlist_cap=None).apply(tiers, f).labels.tolist()
        == ["diamond"] * 2
    )
    assert RiskOverlay(watchlist_cap="basic").apply(tiers, f).labels.tolist() == [
        "basic",
        "diamond",
    ]


def test_overlay_grade_caps_must_be_ordered():
    with pytest.raises(
        InvalidValueError,
        match=r"`grade_caps\[1\]` must be a grade above the previous one with a tier no "
        r"better than 'silver'; got \(9\.0, 'gold'\)\.",
    ):
        RiskOverlay(grade_caps=((7, Tier.SILVER), (9, Tier.GOLD)))


def test_overlay_needs_tiers_and_aligned_clients():
    f = features(2)
    with pytest.raises(
        InvalidValueError, match=r"`segmentation.levels` must be the four tiers"
    ):
        RiskOverlay().apply(ParetoABC().assign(f), f)
    tiers = ThresholdTiers(cutoffs=(5, 3, 2)).assign(f)
    with pytest.raises(
        InvalidValueError,
        match=r"`segmentation.client_ids` must be the clients of `features`, in the same order",
    ):
        RiskOverlay().apply(tiers, features(2, client_ids=["x", "y"]))


# --- resegment ------------------------------------------------------------------------


def test_margin_keeps_clients_near_a_boundary():
    before = seg([1, 1, 1, 1], score=[70, 70, 70, 70])
    now = seg([0, 0, 2, 2], score=[76, 80, 58, 52])
    out = resegment(before, now, hysteresis=Hysteresis(margin=3.0))
    # a: 76 - 3 = 73 < 75, stays gold; b: 80 - 3 = 77 >= 75, diamond;
    # c: 58 + 3 = 61 >= 60, stays gold; d: 52 + 3 = 55 < 60, silver
    assert out.labels.tolist() == ["gold", "diamond", "gold", "silver"]
    assert some(out.streak).tolist() == [0, 0, 0, 0]
    assert out.strategy == "w+hysteresis"


def test_margin_moves_only_as_far_as_cleared():
    # held basic, score 76 with margin 3: T(79) = diamond, T(73) = gold -> gold
    out = resegment(
        seg([3], score=[0]), seg([0], score=[76]), hysteresis=Hysteresis(margin=3)
    )
    assert out.labels.tolist() == ["gold"]


def test_periods_need_consecutive_indications():
    h = Hysteresis(periods=2)
    p0 = seg([1, 1], score=[70, 70])
    p1 = resegment(p0, seg([0, 2], score=[80, 50]), hysteresis=h)
    assert p1.labels.tolist() == ["gold", "gold"]  # indicated once: not yet
    assert some(p1.streak).tolist() == [1, -1]
    p2 = resegment(p1, seg([0, 1], score=[80, 65]), hysteresis=h)
    # a: second upgrade in a row -> diamond, streak reset; b: back inside gold -> reset
    assert p2.labels.tolist() == ["diamond", "gold"]
    assert some(p2.streak).tolist() == [0, 0]
    p3 = resegment(p2, seg([1, 0], score=[70, 80]), hysteresis=h)
    p4 = resegment(p3, seg([0, 0], score=[80, 80]), hysteresis=h)
    # a: one downgrade indication, then back in diamond: never moved, streak reset;
    # b: two upgrade indications in a row -> diamond
    assert p3.labels.tolist() == ["diamond", "gold"]
    assert some(p3.streak).tolist() == [-1, 1]
    assert p4.labels.tolist() == ["diamond", "diamond"]
    assert some(p4.streak).tolist() == [0, 0]


def test_a_reversed_indication_restarts_the_streak():
    h = Hysteresis(periods=2)
    p1 = resegment(seg([1], score=[70]), seg([0], score=[80]), hysteresis=h)
    p2 = resegment(p1, seg([2], score=[50]), hysteresis=h)
    p3 = resegment(p2, seg([2], score=[50]), hysteresis=h)
    # up (+1), then down (restart at -1), then down again (-2 -> move to silver)
    assert [some(p1.streak)[0], some(p2.streak)[0], some(p3.streak)[0]] == [1, -1, 0]
    assert [p1.labels[0], p2.labels[0], p3.labels[0]] == ["gold", "gold", "silver"]


def test_new_clients_take_their_tier_and_leavers_are_dropped():
    before = seg([1, 1], score=[70, 70], ids=["a", "b"])
    now = seg([0, 3], score=[90, 10], ids=["c", "a"])
    out = resegment(before, now, hysteresis=Hysteresis(margin=100.0))
    # c is new -> diamond at once; a is held at gold by the huge margin
    assert out.client_ids.tolist() == ["c", "a"]
    assert out.labels.tolist() == ["diamond", "gold"]


def test_resegment_needs_scores_and_cutoffs():
    f = features(4)
    pareto = ParetoABC().assign(f)
    with pytest.raises(
        InvalidValueError, match=r"`previous.levels` must be the four tiers"
    ):
        resegment(
            pareto, seg([0, 0, 0, 0], score=[1, 1, 1, 1]), hysteresis=Hysteresis()
        )
    with pytest.raises(
        InvalidValueError,
        match=r"`current` must be a threshold-based segmentation with `score` and `cutoffs`; "
        r"got 'w'\. Use WeightedValueScore or ThresholdTiers\.",
    ):
        resegment(seg([0]), seg([0]), hysteresis=Hysteresis())


def test_hysteresis_is_validated():
    with pytest.raises(
        InvalidValueError, match=r"`margin` must be a finite number >= 0; got -1"
    ):
        Hysteresis(margin=-1)
    with pytest.raises(InvalidValueError, match=r"`periods` must be"):
        Hysteresis(periods=0)


def test_resegment_on_a_real_strategy():
    rng = np.random.default_rng(5)
    n = 200
    revenue = rng.lognormal(3, 1, n)
    f0 = features(n, revenue=revenue, profit=revenue * 0.3)
    f1 = features(n, revenue=revenue * rng.uniform(0.9, 1.1, n), profit=revenue * 0.3)
    w = WeightedValueScore()
    s0, s1 = w.assign(f0), w.assign(f1)
    damped = resegment(s0, s1, hysteresis=Hysteresis(margin=5.0))
    free = migration_matrix(s0, s1)
    held = migration_matrix(s0, damped)
    assert held.stayed >= free.stayed


# --- migration matrix -----------------------------------------------------------------


def test_migration_matrix_by_hand():
    before = seg([0, 1, 1, 2, 3, 3])
    after = seg([0, 0, 1, 3, 3, 2])
    m = migration_matrix(before, after)
    assert m.counts.tolist() == [
        [1, 0, 0, 0],
        [1, 1, 0, 0],
        [0, 0, 0, 1],
        [0, 0, 1, 1],
    ]
    assert m.shares.tolist() == [
        [1.0, 0.0, 0.0, 0.0],
        [0.5, 0.5, 0.0, 0.0],
        [0.0, 0.0, 0.0, 1.0],
        [0.0, 0.0, 0.5, 0.5],
    ]
    assert (m.stayed, m.upgraded, m.downgraded) == (3, 2, 1)
    assert (m.before_only, m.after_only) == (0, 0)


def test_migration_matrix_matches_by_id():
    before = seg([0, 1, 2], ids=["a", "b", "c"])
    after = seg([2, 0, 3], ids=["c", "a", "z"])
    m = migration_matrix(before, after)
    # a: diamond -> diamond, c: silver -> silver; b left; z joined
    assert m.counts.sum() == 2
    assert m.counts[0, 0] == 1
    assert m.counts[2, 2] == 1
    assert m.shares[1].tolist() == [0.0, 0.0, 0.0, 0.0]  # empty row
    assert (m.before_only, m.after_only) == (1, 1)


def test_migration_matrix_needs_the_same_levels():
    f = features(4)
    with pytest.raises(
        InvalidValueError,
        match=r"`after.levels` must be the levels of `before` \('diamond', 'gold', 'silver', "
        r"'basic'\); got \('A', 'B', 'C'\)\.",
    ):
        migration_matrix(seg([0, 0, 0, 0]), ParetoABC().assign(f))


def test_risk_adjusted_value_batch_equals_one_client_at_a_time():
    profit, loss, cost = [120.0, -5.0, 33.3], [20.0, 1.0, 0.3], [10.0, 2.0, 3.0]
    batch = risk_adjusted_value(profit, loss, cost)
    singles = [
        risk_adjusted_value(p, el, c)[0]
        for p, el, c in zip(profit, loss, cost, strict=True)
    ]
    assert batch.tolist() == singles
