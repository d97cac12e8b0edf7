"""Hypothesis properties: monotone tiers, one label per client, shares in [0, 1], Gini."""

import itertools

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from lendcrm.errors import ConvergenceError
from lendcrm.segmentation import (
    RFM,
    ClientFeatures,
    Hysteresis,
    KMeansTiers,
    Normalisation,
    ParetoABC,
    QuantileTiers,
    ThresholdTiers,
    WeightedValueScore,
    gini,
    hhi,
    lorenz_curve,
    migration_matrix,
    pareto_point,
    resegment,
    top_share,
    whale_curve,
)

amount = st.floats(
    min_value=0.0,
    max_value=1e9,
    allow_nan=False,
    allow_infinity=False,
    allow_subnormal=False,
)
signed = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)
small_int = st.integers(min_value=0, max_value=6).map(float)


def some(value):
    """The value, asserted present (narrows Optional for mypy)."""
    assert value is not None
    return value


def positive_total(values):
    return values.sum() > 0


amounts = arrays(np.float64, st.integers(1, 60), elements=amount).filter(positive_total)


@st.composite
def client_features(draw, min_size=1, max_size=40):
    n = draw(st.integers(min_size, max_size))

    def col(elements):
        return draw(arrays(np.float64, n, elements=elements))

    return ClientFeatures(
        client_ids=[f"c{i}" for i in range(n)],
        revenue=col(amount),
        profit=col(signed),
        tenure_years=col(st.floats(0, 40)),
        product_count=col(small_int),
        referral_count=col(small_int),
        recency_days=col(st.floats(0, 3650)),
        transaction_count=col(small_int),
    )


def assert_monotone(score, codes):
    """A higher score never gets a worse (higher) code; equal scores share a code."""
    order = np.argsort(-score, kind="stable")
    s, c = score[order], codes[order]
    assert (np.diff(c) >= 0).all()
    same = s[1:] == s[:-1]
    assert (c[1:][same] == c[:-1][same]).all()


def assert_one_label_each(seg, features):
    assert seg.n_clients == features.n_clients
    assert seg.labels.shape == (features.n_clients,)
    assert ((seg.codes >= 0) & (seg.codes < len(seg.levels))).all()
    assert set(seg.labels.tolist()) <= set(seg.levels)
    assert seg.counts().sum() == features.n_clients
    assert (seg.client_ids == features.client_ids).all()


@given(client_features(), st.sampled_from(list(Normalisation)))
def test_weighted_score_in_range_and_tiers_monotone(f, method):
    s = WeightedValueScore(normalisation=method).assign(f)
    assert ((some(s.score) >= 0) & (some(s.score) <= 100)).all()
    assert_monotone(some(s.score), s.codes)
    assert_one_label_each(s, f)


@given(client_features(min_size=4))
def test_quantile_tiers_monotone(f):
    s = QuantileTiers().assign(f)
    assert_monotone(some(s.score), s.codes)
    assert_one_label_each(s, f)


@given(client_features())
def test_threshold_tiers_and_pareto_monotone(f):
    t = ThresholdTiers(cutoffs=(1e8, 1e6, 1e3)).assign(f)
    assert_monotone(some(t.score), t.codes)
    p = ParetoABC().assign(f)
    assert_monotone(np.maximum(some(p.score), 0), p.codes)
    for seg in (t, p):
        assert_one_label_each(seg, f)


@given(client_features())
def test_rfm_one_label_each_and_scores_in_grid(f):
    s = RFM().assign(f)
    assert_one_label_each(s, f)
    r, fm = some(s.score) // 100, some(s.score) % 100
    assert ((r >= 1) & (r <= 5)).all()
    assert ((fm // 10 >= 1) & (fm // 10 <= 5) & (fm % 10 >= 1) & (fm % 10 <= 5)).all()


@given(client_features(min_size=30, max_size=40))
def test_kmeans_one_label_each_when_it_converges(f):
    try:
        s = KMeansTiers().assign(f)
    except (
        ConvergenceError
    ):  # degenerate draws (few distinct clients) may empty a cluster
        return
    assert_one_label_each(s, f)


@given(client_features(min_size=2), st.floats(0, 20), st.integers(1, 3))
def test_resegment_and_migration_invariants(f, margin, periods):
    w = WeightedValueScore()
    before = w.assign(f)
    shifted = ClientFeatures(
        client_ids=f.client_ids,
        revenue=f.revenue[::-1],
        profit=f.profit,
        tenure_years=f.tenure_years,
        product_count=f.product_count,
        referral_count=f.referral_count,
    )
    now = w.assign(shifted)
    out = resegment(before, now, hysteresis=Hysteresis(margin=margin, periods=periods))
    assert_one_label_each(out, f)
    # a client either keeps its tier or ends where this period's score points
    moved = out.codes != before.codes
    assert (
        np.abs(out.codes - now.codes)[moved] <= np.abs(before.codes - now.codes)[moved]
    ).all()
    m = migration_matrix(before, out)
    assert m.counts.sum() == f.n_clients
    assert ((m.shares >= 0) & (m.shares <= 1)).all()
    rows = m.shares.sum(axis=1)
    assert np.all((np.abs(rows - 1) < 1e-12) | (rows == 0))


@given(client_features())
def test_no_hysteresis_reproduces_the_current_tiers(f):
    s = WeightedValueScore().assign(f)
    out = resegment(s, s, hysteresis=Hysteresis())
    assert out.codes.tolist() == s.codes.tolist()


@given(amounts)
def test_concentration_shares_in_unit_interval(values):
    c = lorenz_curve(values)
    assert ((c.value_share >= 0) & (c.value_share <= 1)).all()
    assert (np.diff(c.value_share) >= -1e-15).all()
    n = len(values)
    g = gini(values)
    assert -1e-12 <= g <= (n - 1) / n + 1e-12
    assert abs(g - c.gini) < 1e-9
    assert 1 / n - 1e-12 <= hhi(values) <= 1 + 1e-12
    shares = [top_share(values, p) for p in (0.01, 0.2, 0.5, 1.0)]
    assert all(0 < s <= 1 + 1e-12 for s in shares)
    assert all(b >= a - 1e-12 for a, b in itertools.pairwise(shares))
    point = pareto_point(values, 0.8)
    assert 0 < point <= 1
    assert top_share(values, point) >= 0.8 - 1e-9
    w = whale_curve(values)
    assert w.profit_share[-1] == 1.0


@given(st.floats(1e-6, 1e9), st.integers(1, 200))
def test_gini_of_equal_values_is_zero(value, n):
    assert abs(gini(np.full(n, value))) < 1e-9


@given(amounts, st.floats(1e-3, 1e3))
def test_gini_invariant_to_scaling_and_order(values, factor):
    g = gini(values)
    assert abs(gini(values * factor) - g) < 1e-9
    assert abs(gini(values[::-1]) - g) < 1e-9


@given(
    st.one_of(
        arrays(np.float64, st.integers(1, 80), elements=signed),
        arrays(np.float64, st.integers(1, 80), elements=small_int),
        arrays(
            np.float64,
            st.integers(1, 80),
            elements=st.sampled_from([0.0, 0.0, 0.0, 2.5, 7.0]),
        ),
    )
)
def test_average_rank_equals_scipy_rankdata_on_every_path(x):
    from scipy.stats import rankdata

    from lendcrm.segmentation._numeric import average_rank

    # counting path (small ints), modal-minimum path (mostly zeros), argsort path
    assert average_rank(x).tolist() == rankdata(x, method="average").tolist()
