"""Per-client facts are validated once; early warning is row-wise and as documented."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lendcrm.errors import InvalidValueError
from lendcrm.relationship import (
    DEFAULT_POLICY,
    SIGNALS,
    EarlyWarningPolicy,
    SignalWeights,
    client_facts,
    early_warnings,
)

NAN = float("nan")


def test_neutral_facts_fire_no_signal():
    facts = client_facts(client_ids=["A", "B", "C"])
    ew = early_warnings(facts)
    assert ew.flags.shape == (3, len(SIGNALS))
    assert not ew.flags.any()
    assert ew.score.tolist() == [0.0, 0.0, 0.0]
    assert not ew.watchlist.any()


def test_scalar_fact_is_broadcast():
    facts = client_facts(client_ids=["A", "B"], has_facility=True, utilisation=0.5)
    assert facts.has_facility.tolist() == [True, True]
    assert facts.utilisation.tolist() == [0.5, 0.5]


def test_each_signal_fires_at_its_threshold():
    # one client per signal, exactly at the documented threshold
    p = DEFAULT_POLICY
    facts = client_facts(
        client_ids=[f"C{i}" for i in range(8)],
        rating_notches_moved=[p.downgrade_notches, 0, 0, 0, 0, 0, 0, 0],
        utilisation_change=[0, p.utilisation_spike, 0, 0, 0, 0, 0, 0],
        days_past_due=[0, 0, p.past_due_days, 0, 0, 0, 0, 0],
        covenant_breaches=[0, 0, 0, 1, 0, 0, 0, 0],
        dscr_headroom=[NAN, NAN, NAN, NAN, p.thin_headroom - 0.01, NAN, NAN, NAN],
        dscr_change=[NAN, NAN, NAN, NAN, NAN, -p.dscr_drop, NAN, NAN],
        drawdown_gap=[NAN] * 6 + [p.drawdown_tolerance + 0.01, NAN],
        feedback_trend=[NAN] * 7 + [p.feedback_slope],
    )
    ew = early_warnings(facts)
    np.testing.assert_array_equal(ew.flags, np.eye(8, dtype=bool))
    # score = 100 * w_s / sum(w) with the documented default weights (sum 1.0)
    np.testing.assert_allclose(
        ew.score, [20.0, 5.0, 25.0, 20.0, 10.0, 10.0, 5.0, 5.0], rtol=1e-12
    )


def test_just_below_thresholds_nothing_fires():
    p = DEFAULT_POLICY
    facts = client_facts(
        client_ids=["A"],
        rating_notches_moved=[p.downgrade_notches - 1],
        utilisation_change=[p.utilisation_spike - 0.01],
        days_past_due=[p.past_due_days - 1],
        dscr_headroom=[p.thin_headroom],
        dscr_change=[-p.dscr_drop + 0.01],
        drawdown_gap=[p.drawdown_tolerance],
        feedback_trend=[p.feedback_slope + 0.01],
    )
    assert not early_warnings(facts).flags.any()


def test_watchlist_by_score_and_by_hard_trigger():
    # B: downgrade (20) + breach (20) = 40 >= 30; C: 95 dpd is a hard trigger
    facts = client_facts(
        client_ids=["A", "B", "C"],
        rating_notches_moved=[2, 2, 0],
        covenant_breaches=[0, 1, 0],
        days_past_due=[0, 0, 95],
    )
    ew = early_warnings(facts)
    assert ew.score.tolist() == pytest.approx([20.0, 40.0, 25.0])
    assert ew.watchlist.tolist() == [False, True, True]
    assert ew.reasons(1) == ("rating_downgrade", "covenant_breach")


def test_custom_weights_change_the_score():
    policy = EarlyWarningPolicy(
        weights=SignalWeights(
            rating_downgrade=1,
            utilisation_spike=0,
            past_due=0,
            covenant_breach=0,
            thin_headroom=0,
            dscr_deterioration=0,
            drawdown_ahead=0,
            falling_feedback=0,
        )
    )
    facts = client_facts(client_ids=["A"], rating_notches_moved=[3])
    assert early_warnings(facts, policy=policy).score.tolist() == [100.0]


def test_with_early_warnings_copies_score_and_flag():
    facts = client_facts(client_ids=["A", "B"], days_past_due=[0, 100])
    out = facts.with_early_warnings(early_warnings(facts))
    assert out.watchlist.tolist() == [False, True]
    assert out.early_warning_score.tolist() == [0.0, 25.0]


def test_with_early_warnings_of_other_clients_is_refused():
    a = client_facts(client_ids=["A"])
    b = client_facts(client_ids=["B"])
    with pytest.raises(InvalidValueError, match=r"`warnings.client_ids` must be"):
        a.with_early_warnings(early_warnings(b))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"utilisation": [-0.1]}, r"`utilisation\[0\]` must be a finite number >= 0"),
        ({"days_past_due": [NAN]}, r"`days_past_due\[0\]` must be a finite number"),
        ({"last_feedback_score": [11]}, r"`last_feedback_score\[0\]` must be"),
        ({"utilisation": [0.1, 0.2]}, r"`utilisation` must be the same length"),
        ({"stage": ["a", "b"]}, r"`stage` must be the same length"),
        ({"utilisaton": [0.1]}, r"`utilisaton` must be a fact name of ClientFacts"),
        ({"has_drawn": [2]}, r"`has_drawn\[0\]` must be a boolean"),
    ],
)
def test_bad_facts_are_named(kwargs, message):
    with pytest.raises(InvalidValueError, match=message):
        client_facts(client_ids=["A"], **kwargs)


def test_duplicate_ids_are_refused():
    with pytest.raises(InvalidValueError, match=r"`client_ids\[2\]` must be a client"):
        client_facts(client_ids=["A", "B", "A"])


def test_policy_and_weights_validate():
    with pytest.raises(InvalidValueError, match="`weights` must be weights whose sum"):
        SignalWeights(
            rating_downgrade=0,
            utilisation_spike=0,
            past_due=0,
            covenant_breach=0,
            thin_headroom=0,
            dscr_deterioration=0,
            drawdown_ahead=0,
            falling_feedback=0,
        )
    with pytest.raises(InvalidValueError, match="`feedback_slope` must be"):
        EarlyWarningPolicy(feedback_slope=0.5)


_floats = st.floats(-5, 200, allow_nan=False)


@given(
    st.lists(
        st.tuples(
            st.integers(-3, 6),
            st.floats(-1, 1),
            st.integers(0, 200),
            st.integers(0, 3),
            st.one_of(st.just(NAN), st.floats(-1, 2)),
        ),
        min_size=1,
        max_size=40,
    ),
    st.integers(0, 40),
)
def test_score_bounded_and_partition_safe(rows, cut):
    notches, util, dpd, breaches, headroom = (
        np.array(c) for c in zip(*rows, strict=True)
    )
    ids = [f"C{i}" for i in range(len(rows))]
    facts = client_facts(
        client_ids=ids,
        rating_notches_moved=notches,
        utilisation_change=util,
        days_past_due=dpd,
        covenant_breaches=breaches,
        dscr_headroom=headroom,
    )
    whole = early_warnings(facts)
    assert ((whole.score >= 0) & (whole.score <= 100)).all()
    cut = min(cut, len(rows))
    parts = [
        early_warnings(facts.take(np.arange(cut))),
        early_warnings(facts.take(np.arange(cut, len(rows)))),
    ]
    np.testing.assert_array_equal(np.concatenate([p.score for p in parts]), whole.score)
    np.testing.assert_array_equal(
        np.concatenate([p.watchlist for p in parts]), whole.watchlist
    )
    # more arrears never lowers the score (monotone in each signal)
    worse = early_warnings(
        client_facts(
            client_ids=ids,
            rating_notches_moved=notches,
            utilisation_change=util,
            days_past_due=dpd + 100,
            covenant_breaches=breaches,
            dscr_headroom=headroom,
        )
    )
    assert (worse.score >= whole.score).all()
