"""IFRS 9 staging: each rule in its order, the book against one facility, transfers."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lendcrm.errors import InvalidValueError
from lendcrm.risk.impairment import (
    DEFAULT_STAGING_RULES,
    StageReason,
    StagingRules,
    stage_book,
    stage_facility,
    stage_transfers,
)

R = StageReason


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        # PD 1 % -> 1.9 %: ratio 1.9 < 2 (IFRS 9 §5.5.5: 12-month ECL)
        ({"origination_pd": 0.01, "current_pd": 0.019}, R.PERFORMING),
        # ratio exactly 2: the relative test is ">=" (§5.5.3)
        ({"origination_pd": 0.01, "current_pd": 0.02}, R.PD_INCREASE),
        # ratio 3 but current PD 0.2 % < 0.3 %: low credit risk (§5.5.10, B5.5.22)
        ({"origination_pd": 0.0005, "current_pd": 0.002}, R.LOW_CREDIT_RISK),
        # low credit risk does not beat the 30-day backstop (§5.5.11)
        (
            {"origination_pd": 0.0005, "current_pd": 0.002, "days_past_due": 30},
            R.DAYS_PAST_DUE_30,
        ),
        (
            {"origination_pd": 0.01, "current_pd": 0.01, "on_watchlist": True},
            R.WATCHLIST,
        ),
        ({"origination_pd": 0.01, "current_pd": 0.01, "forborne": True}, R.FORBEARANCE),
        # 29 days: not yet past the backstop
        (
            {"origination_pd": 0.01, "current_pd": 0.01, "days_past_due": 29},
            R.PERFORMING,
        ),
        # 90 days: credit-impaired (B5.5.37)
        (
            {"origination_pd": 0.01, "current_pd": 0.01, "days_past_due": 90},
            R.DAYS_PAST_DUE_90,
        ),
        (
            {"origination_pd": 0.01, "current_pd": 0.01, "in_default": True},
            R.DEFAULT,
        ),
        # default beats every other reason
        (
            {
                "origination_pd": 0.01,
                "current_pd": 0.5,
                "days_past_due": 120,
                "in_default": True,
                "on_watchlist": True,
                "forborne": True,
            },
            R.DEFAULT,
        ),
        # forbearance before the watchlist, 30 days before both
        (
            {
                "origination_pd": 0.01,
                "current_pd": 0.01,
                "forborne": True,
                "on_watchlist": True,
            },
            R.FORBEARANCE,
        ),
        (
            {
                "origination_pd": 0.01,
                "current_pd": 0.01,
                "forborne": True,
                "days_past_due": 45,
            },
            R.DAYS_PAST_DUE_30,
        ),
    ],
)
def test_each_rule_in_order(kwargs, reason):
    assert stage_facility(**kwargs) is reason
    batch = stage_book(**kwargs)
    assert batch.reason.tolist() == [int(reason)]
    assert batch.stage.tolist() == [reason.stage]


def test_absolute_threshold_must_also_be_met():
    rules = StagingRules(relative_threshold=2.0, absolute_threshold=0.01)
    # 1 % -> 2.5 %: ratio 2.5, rise 1.5 points >= 1 point: stage 2
    assert stage_facility(0.01, 0.025, rules=rules) is R.PD_INCREASE
    # 0.4 % -> 1 %: ratio 2.5 but a rise of 0.6 points < 1 point: stage 1
    assert stage_facility(0.004, 0.01, rules=rules) is R.PERFORMING


def test_rules_can_switch_the_exemption_off_and_move_the_backstops():
    rules = StagingRules(
        low_credit_risk_pd=0.0, past_due_days=15, credit_impaired_days=60
    )
    assert stage_facility(0.0005, 0.002, rules=rules) is R.PD_INCREASE
    assert (
        stage_facility(0.01, 0.01, days_past_due=15, rules=rules) is R.DAYS_PAST_DUE_30
    )
    assert (
        stage_facility(0.01, 0.01, days_past_due=60, rules=rules) is R.DAYS_PAST_DUE_90
    )


def test_a_zero_origination_pd_is_a_significant_increase_once_the_pd_is_material():
    assert stage_facility(0.0, 0.01) is R.PD_INCREASE
    assert stage_facility(0.0, 0.001) is R.LOW_CREDIT_RISK


def test_counts_and_scalar_broadcast():
    s = stage_book([0.01, 0.01, 0.01, 0.01], 0.03, days_past_due=[0, 0, 40, 100])
    assert s.stage.dtype == np.int8
    assert s.stage.tolist() == [2, 2, 2, 3]
    assert s.counts() == {1: 0, 2: 3, 3: 1}


BOOK = st.integers(1, 40).flatmap(
    lambda n: st.tuples(
        st.lists(st.floats(0, 1), min_size=n, max_size=n),
        st.lists(st.floats(0, 1), min_size=n, max_size=n),
        st.lists(st.integers(0, 200), min_size=n, max_size=n),
        st.lists(st.booleans(), min_size=n, max_size=n),
        st.lists(st.booleans(), min_size=n, max_size=n),
        st.lists(st.booleans(), min_size=n, max_size=n),
    )
)
RULES = st.builds(
    StagingRules,
    relative_threshold=st.floats(1, 5),
    absolute_threshold=st.floats(0, 0.05),
    low_credit_risk_pd=st.floats(0, 0.01),
)


@given(book=BOOK, rules=RULES)
def test_book_equals_one_facility_at_a_time(book, rules):
    orig, now, dpd, dflt, watch, forb = book
    s = stage_book(
        orig,
        now,
        days_past_due=dpd,
        in_default=dflt,
        on_watchlist=watch,
        forborne=forb,
        rules=rules,
    )
    one = [
        stage_facility(
            o, c, days_past_due=d, in_default=f, on_watchlist=w, forborne=b, rules=rules
        )
        for o, c, d, f, w, b in zip(*book, strict=True)
    ]
    assert s.reason.tolist() == [int(r) for r in one]
    assert s.stage.tolist() == [r.stage for r in one]


@given(
    orig=st.floats(0, 0.5),
    ratios=st.lists(st.floats(0, 10), min_size=2, max_size=20),
    rules=RULES,
)
def test_stage_is_monotone_in_the_pd_ratio(orig, ratios, rules):
    now = np.minimum(orig * np.sort(np.asarray(ratios)), 1.0)
    stages = stage_book(orig, now, rules=rules).stage
    assert (np.diff(stages) >= 0).all()


def test_transfers_between_two_dates_hand_counted():
    t = stage_transfers([1, 1, 1, 2, 2, 3], [1, 2, 2, 1, 3, 3])
    assert t.matrix.tolist() == [[1, 2, 0], [1, 0, 1], [0, 0, 1]]
    assert t.moved.tolist() == [False, True, True, True, True, False]
    weighted = stage_transfers([1, 2], [2, 2], weights=[100.0, 50.0])
    assert weighted.matrix.tolist() == [[0, 100, 0], [0, 50, 0], [0, 0, 0]]


# --- bad input: one test per message ---------------------------------------------------


def test_relative_threshold_below_one_is_refused():
    with pytest.raises(InvalidValueError) as info:
        StagingRules(relative_threshold=0.9)
    assert (
        str(info.value) == "`relative_threshold` must be a finite number >= 1; got 0.9."
    )


def test_stage_3_days_before_stage_2_days_is_refused():
    with pytest.raises(InvalidValueError) as info:
        StagingRules(past_due_days=60, credit_impaired_days=30)
    assert str(info.value) == (
        "`credit_impaired_days` must be at least `past_due_days` (60); got 30."
    )


def test_a_pd_outside_0_1_names_the_facility_row():
    with pytest.raises(InvalidValueError) as info:
        stage_book([0.01, 0.02, 0.03], [0.01, 1.2, 0.03])
    assert (
        str(info.value) == "`current_pd[1]` must be a finite number in [0, 1]; got 1.2."
    )
    assert info.value.field == "current_pd[1]"


def test_negative_days_past_due_are_refused():
    with pytest.raises(
        InvalidValueError,
        match=r"`days_past_due\[0\]` must be a finite number >= 0; got -1.0.",
    ):
        stage_book(0.01, 0.01, days_past_due=-1)


def test_a_flag_that_is_not_a_boolean_is_refused():
    with pytest.raises(
        InvalidValueError,
        match=r"`on_watchlist\[1\]` must be a boolean \(0 or 1\); got 2.0.",
    ):
        stage_book([0.01, 0.01], 0.01, on_watchlist=[0, 2])


def test_shape_mismatch_names_both_arrays():
    with pytest.raises(InvalidValueError) as info:
        stage_book([0.01, 0.01, 0.01], [0.01, 0.02])
    assert str(info.value) == (
        "`current_pd` must be length 1 or the same length as `origination_pd` (3); "
        "got 'length 2'."
    )


def test_one_facility_takes_one_number():
    with pytest.raises(InvalidValueError, match="`current_pd` must be one number"):
        stage_facility(0.01, [0.01, 0.02])  # type: ignore[arg-type]


def test_a_stage_outside_1_3_in_transfers_names_the_row():
    with pytest.raises(InvalidValueError) as info:
        stage_transfers([1, 4], [1, 2])
    assert str(info.value) == "`stage_from[1]` must be a stage 1, 2 or 3; got 4.0."
    with pytest.raises(
        InvalidValueError, match=r"`weights` must be one per facility \(2\)"
    ):
        stage_transfers([1, 2], [1, 2], weights=[1.0])


def test_default_rules():
    assert DEFAULT_STAGING_RULES.relative_threshold == 2.0
    assert DEFAULT_STAGING_RULES.credit_impaired_days == 90
