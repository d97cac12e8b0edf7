"""Built-in strategies: hand-computed tiers, scores and errors."""

import numpy as np
import pytest

from lendcrm.errors import ConvergenceError, InvalidValueError
from lendcrm.segmentation import (
    RFM,
    TIER_LEVELS,
    ClientFeatures,
    FactorWeights,
    KMeansTiers,
    Normalisation,
    ParetoABC,
    QuantileTiers,
    ThresholdTiers,
    WeightedValueScore,
    factor_matrix,
    quintile_score,
)
from lendcrm.segmentation._numeric import average_rank, normalise


def some(value):
    """The value, asserted present (narrows Optional for mypy)."""
    assert value is not None
    return value


def make(revenue, **overrides):
    n = len(revenue)
    base = {
        "client_ids": [f"c{i}" for i in range(n)],
        "revenue": revenue,
        "profit": [0.0] * n,
        "tenure_years": [1.0] * n,
        "product_count": [1] * n,
        "referral_count": [0] * n,
    }
    base.update(overrides)
    return ClientFeatures(**base)


# --- normalisation --------------------------------------------------------------------


def test_average_rank_shares_ties():
    # sorted: 1 (rank 1), 2, 2 (ranks 2 and 3 -> 2.5), 7 (rank 4)
    assert average_rank(np.array([2.0, 7.0, 1.0, 2.0])).tolist() == [2.5, 4.0, 1.0, 2.5]


def test_normalisations_by_hand():
    x = np.array([1.0, 3.0])
    # percentile rank: (r - 1) / (n - 1) -> 0, 1
    assert normalise(x, Normalisation.PERCENTILE_RANK).tolist() == [0.0, 1.0]
    # min-max: (x - 1) / 2
    assert normalise(x, Normalisation.MIN_MAX).tolist() == [0.0, 1.0]
    # z-score: mean 2, population std 1 -> z = -1, +1 -> Phi(-1) = 0.158655, Phi(1) = 0.841345
    np.testing.assert_allclose(
        normalise(x, Normalisation.Z_SCORE), [0.158655254, 0.841344746], rtol=1e-8
    )
    for method in Normalisation:  # a constant factor carries no information: 0.5
        assert normalise(np.array([4.0, 4.0, 4.0]), method).tolist() == [0.5] * 3
        assert normalise(np.array([4.0]), method).tolist() == [0.5]


# --- ParetoABC ------------------------------------------------------------------------


def test_pareto_abc_by_hand():
    # total 100; share held by larger clients: 0, .5, .8, .9, .96
    # A while < .80, B while < .95, else C
    f = make([10.0, 50.0, 4.0, 30.0, 6.0])
    s = ParetoABC().assign(f)
    assert s.labels.tolist() == ["B", "A", "C", "A", "B"]
    assert s.levels == ("A", "B", "C")
    assert s.params_dict() == {"cuts": (0.8, 0.95), "measure": "revenue"}


def test_pareto_abc_ties_share_the_class_of_the_first():
    # sorted 30, 30, 30, 10; shares before: 0, .3, .6, .9 with cuts (.5, .95):
    # the third 30 alone would be B (.6 >= .5) but ties take the first one's class (A)
    s = ParetoABC(cuts=(0.5, 0.95)).assign(make([30.0, 10.0, 30.0, 30.0]))
    assert s.labels.tolist() == ["A", "B", "A", "A"]


def test_pareto_abc_negative_profit_counts_as_zero_and_is_c():
    # clipped profit 50, 50, 0, 0: shares before 0, .5 -> A, A; zeros -> C
    f = make([1.0] * 4, profit=[50.0, -10.0, 50.0, 0.0])
    assert ParetoABC(measure="profit").assign(f).labels.tolist() == ["A", "C", "A", "C"]


def test_pareto_abc_all_zero_is_all_c():
    assert ParetoABC().assign(make([0.0, 0.0])).labels.tolist() == ["C", "C"]


def test_pareto_abc_cuts_are_validated():
    with pytest.raises(
        InvalidValueError,
        match=r"`cuts\[1\]` must be a cumulative share in \(0\.9, 1\], increasing; got 0\.8\.",
    ):
        ParetoABC(cuts=(0.9, 0.8))


# --- QuantileTiers and ThresholdTiers -------------------------------------------------


def test_quantile_tiers_by_hand():
    # n = 20, shares .05/.20/.50 -> ceil: 1, 4, 10 clients reach diamond/gold/silver
    f = make([float(v) for v in range(20, 0, -1)])
    s = QuantileTiers().assign(f)
    assert s.counts().tolist() == [1, 3, 6, 10]
    assert s.labels[:2].tolist() == ["diamond", "gold"]
    # thresholds are the 1st, 4th and 10th largest values: 20, 17, 11
    assert s.cutoffs == (20.0, 17.0, 11.0)


def test_quantile_tiers_tied_values_share_a_tier():
    # n = 8: 1, 2 and 4 clients should reach diamond, gold, silver, but the 1st, 2nd
    # and 4th largest are all 5.0, so all four 5s are diamond and gold/silver are empty
    s = QuantileTiers().assign(make([5.0, 1.0, 5.0, 1.0, 5.0, 1.0, 5.0, 1.0]))
    assert s.counts().tolist() == [4, 0, 0, 4]


def test_quantile_tiers_need_four_clients():
    with pytest.raises(
        InvalidValueError,
        match=r"`features` must be at least 4 clients for 4 quantile tiers; got '3 clients'\.",
    ):
        QuantileTiers().assign(make([1.0, 2.0, 3.0]))


def test_quantile_shares_are_validated():
    with pytest.raises(
        InvalidValueError, match=r"`top_shares` must be exactly 3 numbers"
    ):
        QuantileTiers(top_shares=(0.1, 0.2))
    with pytest.raises(
        InvalidValueError, match=r"`top_shares\[0\]` must be a cumulative share"
    ):
        QuantileTiers(top_shares=(0.0, 0.2, 0.5))


def test_threshold_tiers_boundaries_belong_to_the_upper_tier():
    f = make([100.0, 99.9, 50.0, 10.0, 9.0, 0.0])
    s = ThresholdTiers(cutoffs=(100, 50, 10)).assign(f)
    assert s.labels.tolist() == ["diamond", "gold", "gold", "silver", "basic", "basic"]
    assert s.levels == TIER_LEVELS


def test_threshold_cutoffs_must_descend():
    with pytest.raises(
        InvalidValueError,
        match=r"`cutoffs\[1\]` must be strictly below cutoffs\[0\] \(1\): cut-offs go "
        r"from the best tier down; got 2\.0\.",
    ):
        ThresholdTiers(cutoffs=(1, 2, 3))
    with pytest.raises(
        InvalidValueError, match=r"`cutoffs\[0\]` must be a finite number; got nan"
    ):
        ThresholdTiers(cutoffs=(float("nan"), 2, 1))


# --- WeightedValueScore -----------------------------------------------------------------

FOUR = {
    "profit": [4.0, 3.0, 2.0, 1.0],
    "tenure_years": [1.0, 1.0, 1.0, 1.0],
    "product_count": [1, 2, 3, 4],
    "referral_count": [0, 0, 0, 5],
}


def test_weighted_value_score_percentile_rank_by_hand():
    # percentile ranks: revenue 0, 1/3, 2/3, 1; profit 1, 2/3, 1/3, 0;
    # loyalty = (0.5 + (0, 1/3, 2/3, 1)) / 2 = .25, .4167, .5833, .75;
    # referrals: three tied zeros share rank 2 -> 1/3, the 5 -> 1.
    # score = 100 (.35 rev + .35 profit + .15 loyalty + .15 referrals):
    #   client a -> 35 + 3.75 + 5, i.e. 43.75
    #   client b -> 11.667 + 23.333 + 6.25 + 5, i.e. 46.25
    #   client c -> 23.333 + 11.667 + 8.75 + 5, i.e. 48.75
    #   client d -> 35 + 11.25 + 15, i.e. 61.25
    f = make([10.0, 20.0, 30.0, 40.0], **FOUR)
    s = WeightedValueScore().assign(f)
    np.testing.assert_allclose(some(s.score), [43.75, 46.25, 48.75, 61.25], rtol=1e-12)
    assert s.labels.tolist() == ["silver", "silver", "silver", "gold"]
    assert s.cutoffs == (75.0, 60.0, 40.0)


def test_weighted_value_score_min_max_by_hand():
    # min-max: revenue 0, 1/3, 2/3, 1; profit 1, 2/3, 1/3, 0; tenure constant -> .5;
    # products 0, 1/3, 2/3, 1; referrals 0, 0, 0, 1.
    #   client a -> 35 + 15 x .25, i.e. 38.75
    #   client b -> 35 + 15 x .41667, i.e. 41.25
    #   client c -> 35 + 8.75, i.e. 43.75
    #   client d -> 35 + 11.25 + 15, i.e. 61.25
    f = make([10.0, 20.0, 30.0, 40.0], **FOUR)
    s = WeightedValueScore(normalisation="min_max").assign(f)
    np.testing.assert_allclose(some(s.score), [38.75, 41.25, 43.75, 61.25], rtol=1e-12)
    assert s.labels.tolist() == ["basic", "silver", "silver", "gold"]


def test_weighted_value_score_z_score_stays_in_range():
    f = make([10.0, 20.0, 30.0, 1000.0], **FOUR)
    s = WeightedValueScore(normalisation="z_score").assign(f)
    assert ((some(s.score) > 0) & (some(s.score) < 100)).all()


def test_weighted_value_score_uses_referral_amount_when_given():
    f = make([1.0, 1.0], referral_count=[5, 0], referral_amount=[0.0, 9.0])
    # only referrals count: weight 1; referral_amount ranks b above a
    s = WeightedValueScore(
        weights=FactorWeights(revenue=0, profit=0, loyalty=0, referrals=1)
    ).assign(f)
    assert some(s.score).tolist() == [0.0, 100.0]


def test_factor_matrix_columns():
    f = make([3.0, 2.0, 1.0], profit=[1.0, 2.0, 3.0], product_count=[1, 2, 3])
    m = factor_matrix(f, Normalisation.MIN_MAX)
    assert m.shape == (3, 4)
    assert m[:, 0].tolist() == [1.0, 0.5, 0.0]
    assert m[:, 2].tolist() == [0.25, 0.5, 0.75]  # (0.5 + products) / 2


def test_weights_dict_is_accepted_and_normalised():
    s = WeightedValueScore(
        weights={"revenue": 1, "profit": 1, "loyalty": 0, "referrals": 0}
    )
    assert s.weights.normalised() == (0.5, 0.5, 0.0, 0.0)


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        (
            {"revenue": -1.0},
            r"`weights.revenue` must be a finite number >= 0; got -1\.0\.",
        ),
        (
            {"loyalty": float("nan")},
            r"`weights.loyalty` must be a finite number >= 0; got nan\.",
        ),
        (
            {"revenue": 0, "profit": 0, "loyalty": 0, "referrals": 0},
            r"`weights` must be weights with a positive sum; got \(0\.0, 0\.0, 0\.0, 0\.0\)\.",
        ),
    ],
)
def test_bad_weights(weights, message):
    with pytest.raises(InvalidValueError, match=message):
        FactorWeights(**weights)


def test_weighted_cutoffs_on_the_score_scale():
    with pytest.raises(
        InvalidValueError, match=r"`cutoffs\[0\]` must be a score in \[0, 100\]"
    ):
        WeightedValueScore(cutoffs=(120, 60, 40))
    with pytest.raises(
        InvalidValueError, match=r"`normalisation` must be one of percentile_rank"
    ):
        WeightedValueScore(normalisation="log")


# --- RFM ------------------------------------------------------------------------------


def test_quintile_score_by_hand():
    # n = 10, q = ceil(5 r / 10): ranks 1..10 -> 1,1,2,2,3,3,4,4,5,5
    assert quintile_score(np.arange(10.0)).tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    # all tied: mean rank 3 of 5 -> ceil(3) = 3 for everyone
    assert quintile_score(np.zeros(5)).tolist() == [3] * 5


def test_rfm_tie_break_does_not_depend_on_row_order():
    rng = np.random.default_rng(3)
    n = 50
    recency = rng.integers(0, 5, n).astype(float) * 30  # heavy ties
    freq = rng.integers(0, 4, n).astype(float)
    f = make(
        rng.integers(0, 3, n).astype(float),
        recency_days=recency,
        transaction_count=freq,
    )
    perm = rng.permutation(n)
    g = ClientFeatures(
        client_ids=f.client_ids[perm],
        revenue=f.revenue[perm],
        profit=f.profit[perm],
        tenure_years=f.tenure_years[perm],
        product_count=f.product_count[perm],
        referral_count=f.referral_count[perm],
        recency_days=recency[perm],
        transaction_count=freq[perm],
    )
    a, b = RFM().assign(f), RFM().assign(g)
    assert b.labels.tolist() == a.labels[perm].tolist()
    assert some(b.score).tolist() == some(a.score)[perm].tolist()


def test_rfm_grid_corners():
    # 5 clients, distinct values: R, F, M are the quintiles 1..5 directly
    f = make(
        [1.0, 2.0, 3.0, 4.0, 5.0],
        recency_days=[1.0, 2.0, 300.0, 400.0, 3.0],  # R = 5, 4, 2, 1, 3
        transaction_count=[1.0, 5.0, 2.0, 4.0, 3.0],  # F = 1, 5, 2, 4, 3
    )
    s = RFM().assign(f)
    # (R5, F1) new; (R4, F5) loyal; (R2, F2) hibernating; (R1, F4) at_risk; (R3, F3) need_attention
    assert s.labels.tolist() == [
        "new",
        "loyal",
        "hibernating",
        "at_risk",
        "need_attention",
    ]
    assert some(s.score).tolist() == [511.0, 452.0, 223.0, 144.0, 335.0]


def test_rfm_needs_recency_and_frequency():
    with pytest.raises(
        InvalidValueError, match=r"`features.recency_days` must be an array"
    ):
        RFM().assign(make([1.0, 2.0]))


# --- KMeansTiers ----------------------------------------------------------------------


def test_kmeans_tiers_are_seeded_and_ordered_by_mean_value():
    rng = np.random.default_rng(0)
    centres = np.repeat([1.0, 10.0, 100.0, 1000.0], 25)
    revenue = centres * rng.uniform(0.9, 1.1, 100)
    f = make(
        revenue,
        profit=revenue / 4,
        tenure_years=np.log10(centres),
        product_count=np.log10(centres),
        referral_count=np.log10(centres),
    )
    a = KMeansTiers(seed=1).assign(f)
    b = KMeansTiers(seed=1).assign(f)
    assert a.labels.tolist() == b.labels.tolist()
    # four well-separated groups of 25: the 1000s are diamond, the 1s basic
    assert a.counts().tolist() == [25, 25, 25, 25]
    assert set(a.labels[75:]) == {"diamond"}
    assert set(a.labels[:25]) == {"basic"}
    assert ("seed", 1) in a.params


def test_kmeans_identical_clients_do_not_converge():
    with pytest.raises(
        ConvergenceError, match=r"Model 'kmeans_tiers' did not converge"
    ):
        KMeansTiers().assign(make([1.0] * 6))


def test_kmeans_needs_four_clients():
    with pytest.raises(
        InvalidValueError, match=r"at least 4 clients for 4 k-means clusters"
    ):
        KMeansTiers().assign(make([1.0, 2.0]))


def test_kmeans_parameters_are_validated():
    with pytest.raises(InvalidValueError, match=r"`iterations` must be"):
        KMeansTiers(iterations=0)


def test_threshold_tiers_batch_equals_one_client_at_a_time():
    values = [150.0, 75.0, 12.0, 0.0, 49.99]
    strategy = ThresholdTiers(cutoffs=(100, 50, 10))
    batch = strategy.assign(make(values)).labels.tolist()
    singles = [strategy.assign(make([v])).labels[0] for v in values]
    assert batch == singles
