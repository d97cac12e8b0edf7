"""Stage win probabilities: the cohort estimate, its interval, the segment shrinkage.

Expected values are computed by hand in the tests; the Clopper–Pearson bounds are
checked against scipy's own exact binomial interval (``scipy.stats.binomtest``,
``method="exact"``), an implementation independent of the beta quantiles used here
(Clopper & Pearson, Biometrika 26, 1934). The credibility constant follows
Bühlmann & Gisler, *A Course in Credibility Theory* (2005), §4.
"""

from __future__ import annotations

import re

import attrs
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from lendcrm import Money
from lendcrm.errors import CurrencyMismatchError, InvalidValueError
from lendcrm.relationship.commercial import (
    MIN_CLOSED_DEALS,
    estimate_stage_probabilities,
    fit_stage_probabilities,
    pipeline_forecast,
    win_probability,
)
from lendcrm.relationship.commercial._pipeline_probabilities import credibility_constant
from tests.relationship.commercial.pipeline_factories import deal, small_pipeline

# 12 won, 8 lost in documentation, 10 lost at proposal, 10 lost as leads.
REACHED = [4] * 12 + [4] * 8 + [2] * 10 + [0] * 10
WON = [True] * 12 + [False] * 28


def test_the_cohort_rate_is_the_share_won_among_closed_deals_that_reached_the_stage():
    sp = estimate_stage_probabilities(REACHED, WON, min_closed=20)
    assert sp.closed.tolist() == [40, 30, 30, 20, 20]
    assert sp.won.tolist() == [12, 12, 12, 12, 12]
    assert sp.probability.tolist() == [12 / 40, 12 / 30, 12 / 30, 12 / 20, 12 / 20]


def test_the_interval_is_clopper_pearson():
    sp = estimate_stage_probabilities(REACHED, WON, min_closed=20, confidence=0.95)
    for s, (k, n) in enumerate(zip(sp.won, sp.closed, strict=True)):
        exact = stats.binomtest(int(k), int(n)).proportion_ci(0.95, method="exact")
        assert sp.lower[s] == pytest.approx(exact.low, abs=1e-12)
        assert sp.upper[s] == pytest.approx(exact.high, abs=1e-12)


def test_the_interval_reaches_0_and_1_at_the_edges():
    sp = estimate_stage_probabilities([4] * 5 + [0] * 5, [True] * 5 + [False] * 5,
                                      min_closed=5)  # fmt: skip
    assert sp.probability[4] == 1.0
    assert sp.upper[4] == 1.0
    sp = estimate_stage_probabilities([4] * 6, [False] * 6, min_closed=5)
    assert sp.lower[0] == 0.0
    assert sp.upper[0] == pytest.approx(1 - 0.05 ** (1 / 6))  # 1 - (alpha/2)^(1/n)


def test_too_few_closed_deals_raise_instead_of_returning_0_or_1():
    assert MIN_CLOSED_DEALS == 30
    with pytest.raises(
        InvalidValueError,
        match=re.escape(
            "`closed_deals['credit_approval']` must be at least 30 closed deals that "
            "reached 'credit_approval' (the stated minimum for a win probability); "
            "got 20. A rate from fewer deals would read as a firm 0 or 1; wait for "
            "more closed deals, pool the segments, or lower `min_closed` knowingly."
        ),
    ):
        estimate_stage_probabilities(REACHED, WON)


def test_the_credibility_constant_by_hand():
    # p = 30/100, sigma2 = 0.21; sum n (p_g - p)^2 = 50*0.04 + 50*0.04 = 4
    # tau2 = (4 - 1*0.21) / (100 - 5000/100) = 0.0758; K = 0.21 / 0.0758
    k, n = np.array([5, 25]), np.array([50, 50])
    assert credibility_constant(k, n) == pytest.approx(0.21 / 0.0758)
    assert credibility_constant(np.array([10, 10]), n) == float("inf")
    assert credibility_constant(np.array([10]), np.array([50])) == float("inf")


def test_segments_are_shrunk_toward_the_pooled_rate():
    reached = [4] * 100
    won = [True] * 5 + [False] * 45 + [True] * 25 + [False] * 25
    segment = np.array([0] * 50 + [1] * 50)
    sp = estimate_stage_probabilities(
        reached, won, segment=segment, segments=("a", "b"), min_closed=30
    )
    big_k = 0.21 / 0.0758
    assert sp.credibility == pytest.approx(np.full(5, big_k))
    assert sp.segment_probability[0] == pytest.approx(
        np.full(5, (5 + big_k * 0.3) / (50 + big_k))
    )
    assert sp.segment_probability[1] == pytest.approx(
        np.full(5, (25 + big_k * 0.3) / (50 + big_k))
    )
    post = stats.beta(5 + big_k * 0.3, 45 + big_k * 0.7)
    assert sp.segment_lower[0, 0] == pytest.approx(post.ppf(0.05))
    assert sp.probability_of("lead", "b") == pytest.approx(sp.segment_probability[1, 0])
    assert sp.probability_of("lead", "unseen") == pytest.approx(0.3)
    assert sp.matrix().shape == (3, 5)


def test_won_and_lost_have_fixed_probabilities():
    sp = estimate_stage_probabilities(REACHED, WON, min_closed=20)
    assert sp.probability_of("won") == 1.0
    assert sp.probability_of("lost") == 0.0
    with pytest.raises(
        InvalidValueError,
        match=re.escape(
            "`stage` must be one of 'lead', 'qualified', 'proposal', 'credit_approval', "
            "'documentation', 'won', 'lost'; got 'signed'."
        ),
    ):
        sp.probability_of("signed")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"reached": [0, 5], "won": [False, False]},
            "`reached[1]` must be a stage code in 0..4 (lead..documentation); got 5.",
        ),
        (
            {"reached": [0, 1], "won": [False]},
            "`won` must be the same length as `reached` (2); got 'length 1'.",
        ),
        (
            {"reached": [0], "won": [False], "min_closed": 0},
            "`min_closed` must be an integer >= 1; got 0.",
        ),
        (
            {"reached": [0], "won": [False], "confidence": 1.0},
            "`confidence` must be a number in (0, 1); got 1.0.",
        ),
        (
            {"reached": [0], "won": [False], "min_closed": 1, "segment": np.array([2]),
             "segments": ("a", "b")},
            "`segment[0]` must be a code in 0..1 (one per label of `segments`); got 2.",
        ),
    ],
)  # fmt: skip
def test_bad_arguments_are_named(kwargs: dict[str, object], message: str):
    with pytest.raises(InvalidValueError, match="^" + re.escape(message) + "$"):
        estimate_stage_probabilities(**kwargs)  # type: ignore[arg-type]


@given(
    st.lists(
        st.tuples(st.integers(0, 4), st.booleans(), st.integers(0, 2)),
        min_size=5,
        max_size=80,
    )
)
def test_rates_lie_in_their_intervals_and_segments_between_raw_and_pooled(rows):
    rows = [(4, True, 0), (4, False, 1), *rows]  # every stage has a closed deal
    reached = np.array([r for r, _, _ in rows])
    won = np.array(
        [w and r == 4 for r, w, _ in rows]
    )  # only a deal in documentation wins
    segment = np.array([g for _, _, g in rows])
    sp = estimate_stage_probabilities(
        reached, won, segment=segment, segments=("a", "b", "c"), min_closed=1
    )
    assert np.all(sp.lower <= sp.probability + 1e-12)
    assert np.all(sp.probability <= sp.upper + 1e-12)
    seen = sp.segment_closed > 0
    raw = np.where(seen, sp.segment_won / np.maximum(sp.segment_closed, 1), 0)
    lo = np.minimum(raw, sp.probability)
    hi = np.maximum(raw, sp.probability)
    p = sp.segment_probability
    assert np.all(~seen | ((lo - 1e-12 <= p) & (p <= hi + 1e-12)))


def test_the_entity_face_reads_the_closed_deals_of_a_pipeline():
    pipeline = small_pipeline()
    sp = fit_stage_probabilities(pipeline, min_closed=1)
    # closed: O-1 won, O-8 won, O-2 lost at proposal, O-7 lost as a lead
    assert sp.closed.tolist() == [4, 3, 3, 2, 2]
    assert sp.won.tolist() == [2, 2, 2, 2, 2]
    assert win_probability(deal(), sp) == 0.5
    by_kind = fit_stage_probabilities(pipeline, by="kind", min_closed=1)
    assert by_kind.segments == ("bridge", "term_loan")
    with pytest.raises(InvalidValueError, match="`by` must be one of"):
        fit_stage_probabilities(pipeline, by="colour", min_closed=1)  # type: ignore[arg-type]


def test_the_entity_forecast_by_hand_and_its_refusals():
    pipeline = small_pipeline()
    sp = fit_stage_probabilities(pipeline, min_closed=1)  # every rate is 2/closed
    lines = pipeline_forecast(pipeline, sp, by="owner")
    # open: O-3 qualified (P-1, rm-1), O-4 credit approval (rm-2), O-5 lead (rm-1),
    # O-6 documentation (rm-1); 10 m each; p = 2/4, 2/3, 2/3, 2/2, 2/2 by stage
    assert lines["rm-1"] == (30e6, 10e6 * (2 / 3 + 2 / 4 + 1.0), 3)
    assert lines["rm-2"] == (10e6, 10e6 * 1.0, 1)
    with pytest.raises(
        InvalidValueError, match=re.escape("`by` must be one of 'close_month'")
    ):
        pipeline_forecast(pipeline, sp, by="colour")  # type: ignore[arg-type]
    usd = attrs.evolve(
        pipeline,
        opportunities=(
            *pipeline.opportunities,
            deal("O-9", amount=Money.of("5", "USD")),
        ),
    )
    with pytest.raises(CurrencyMismatchError):
        pipeline_forecast(usd, sp)
