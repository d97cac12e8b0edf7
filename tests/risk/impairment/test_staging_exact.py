# mypy: disable-error-code="arg-type"
# (the tests pass wrong types on purpose)
"""IFRS 9 staging at every threshold exactly, both forms, each refusal's words (#23).

Rules (the module docstring): stage 3 on default or `credit_impaired_days`; stage 2 on
`past_due_days`, forbearance, the watchlist; stage 1 below `low_credit_risk_pd`; stage 2
when PD_now >= r PD_orig and PD_now - PD_orig >= a. Thresholds are tried at the
threshold (binary-exact values: 0.25 -> 0.5 is a ratio of exactly 2 and a rise of
exactly 0.25) and one step either side.
"""

from __future__ import annotations

from typing import Any

import pytest

from lendcrm.errors import InvalidValueError
from lendcrm.risk.impairment import (
    StageReason,
    StagingRules,
    stage_book,
    stage_facility,
)

R = StageReason
EXACT = StagingRules(relative_threshold=2.0, absolute_threshold=0.25)

CASES: list[tuple[tuple[float, float, dict[str, Any]], StagingRules, StageReason]] = [
    # ratio exactly 2 and rise exactly 0.25: both ">=" hold
    ((0.25, 0.5, {}), EXACT, R.PD_INCREASE),
    # rise 0.24 < 0.25 (ratio 2.0 still): performing
    ((0.24, 0.48, {}), EXACT, R.PERFORMING),
    # ratio just under 2 (rise 0.26 > 0.25): performing
    ((0.26, 0.5195, {}), EXACT, R.PERFORMING),
    # current PD exactly the low credit risk PD: not below it, so not exempt
    ((0.001, 0.003, {}), StagingRules(), R.PD_INCREASE),
    ((0.001, 0.0029, {}), StagingRules(), R.LOW_CREDIT_RISK),
    # 29.5 / 30 / 89.5 / 90 days past due
    ((0.01, 0.01, {"days_past_due": 29.5}), StagingRules(), R.PERFORMING),
    ((0.01, 0.01, {"days_past_due": 30}), StagingRules(), R.DAYS_PAST_DUE_30),
    ((0.01, 0.01, {"days_past_due": 89.5}), StagingRules(), R.DAYS_PAST_DUE_30),
    ((0.01, 0.01, {"days_past_due": 90}), StagingRules(), R.DAYS_PAST_DUE_90),
    # equal backstops (allowed): the stage 3 one wins
    (
        (0.01, 0.01, {"days_past_due": 40}),
        StagingRules(past_due_days=40, credit_impaired_days=40),
        R.DAYS_PAST_DUE_90,
    ),
    # every flag alone, then their order
    ((0.01, 0.01, {"on_watchlist": True}), StagingRules(), R.WATCHLIST),
    ((0.01, 0.01, {"forborne": True}), StagingRules(), R.FORBEARANCE),
    ((0.01, 0.01, {"in_default": True}), StagingRules(), R.DEFAULT),
    ((0.001, 0.002, {"on_watchlist": True}), StagingRules(), R.WATCHLIST),
    ((0.01, 0.5, {"on_watchlist": True}), StagingRules(), R.WATCHLIST),
    (
        (0.01, 0.5, {"on_watchlist": True, "forborne": True}),
        StagingRules(),
        R.FORBEARANCE,
    ),
    (
        (0.01, 0.5, {"forborne": True, "days_past_due": 30}),
        StagingRules(),
        R.DAYS_PAST_DUE_30,
    ),
    ((0.01, 0.5, {"in_default": True, "days_past_due": 90}), StagingRules(), R.DEFAULT),
]


@pytest.mark.parametrize(("args", "rules", "reason"), CASES)
def test_each_threshold_exactly_in_both_forms(args, rules, reason):
    orig, now, flags = args
    assert stage_facility(orig, now, rules=rules, **flags) is reason
    book = stage_book(orig, now, rules=rules, **flags)
    assert book.reason.tolist() == [int(reason)]
    assert book.stage.tolist() == [int(reason) // 10]
    assert (book.reason.dtype.name, book.stage.dtype.name) == ("int8", "int8")


def test_a_book_of_every_case_at_once():
    rules = StagingRules()
    rows = [c for c in CASES if c[1] == rules]
    book = stage_book(
        [r[0][0] for r in rows],
        [r[0][1] for r in rows],
        days_past_due=[r[0][2].get("days_past_due", 0) for r in rows],
        in_default=[r[0][2].get("in_default", False) for r in rows],
        on_watchlist=[r[0][2].get("on_watchlist", False) for r in rows],
        forborne=[r[0][2].get("forborne", False) for r in rows],
        rules=rules,
    )
    assert book.reason.tolist() == [int(r[2]) for r in rows]


def test_the_stage_of_each_reason_is_its_tens_digit():
    stages = {r.name: r.stage for r in StageReason}
    assert stages == {
        "PERFORMING": 1,
        "LOW_CREDIT_RISK": 1,
        "PD_INCREASE": 2,
        "DAYS_PAST_DUE_30": 2,
        "WATCHLIST": 2,
        "FORBEARANCE": 2,
        "DAYS_PAST_DUE_90": 3,
        "DEFAULT": 3,
    }
    assert all(type(s) is int for s in stages.values())


def test_counts_list_every_stage_even_when_empty():
    assert stage_book([0.01, 0.01], [0.01, 0.01]).counts() == {1: 2, 2: 0, 3: 0}
    three = stage_book(0.01, 0.01, in_default=True).counts()
    assert three == {1: 0, 2: 0, 3: 1}
    assert all(type(v) is int for v in three.values())


@pytest.mark.parametrize("name", ["in_default", "on_watchlist", "forborne"])
def test_one_facility_takes_one_boolean_per_flag(name):
    with pytest.raises(InvalidValueError) as err:
        stage_facility(0.01, 0.01, **{name: [True, False]})
    assert (err.value.field, err.value.value, err.value.expected) == (
        name,
        "array of shape (2,)",
        "one boolean",
    )
    assert str(err.value) == f"`{name}` must be one boolean; got 'array of shape (2,)'."
    with pytest.raises(InvalidValueError) as err:
        stage_facility(0.01, 0.01, **{name: 2})
    assert str(err.value) == f"`{name}[0]` must be a boolean (0 or 1); got 2.0."
    with pytest.raises(InvalidValueError) as err:
        stage_book(0.01, 0.01, **{name: [1, 3]})
    assert str(err.value) == f"`{name}[1]` must be a boolean (0 or 1); got 3.0."


@pytest.mark.parametrize(
    ("args", "field", "message"),
    [
        ((-0.1, 0.01, {}), "origination_pd[0]", "a finite number in [0, 1]; got -0.1."),
        ((0.01, 1.5, {}), "current_pd[0]", "a finite number in [0, 1]; got 1.5."),
        (
            (0.01, 0.01, {"days_past_due": -1}),
            "days_past_due[0]",
            "a finite number >= 0; got -1.0.",
        ),
    ],
)
def test_each_number_refused_by_name_in_both_forms(args, field, message):
    orig, now, kw = args
    for stage in (stage_facility, stage_book):
        with pytest.raises(InvalidValueError) as err:
            stage(orig, now, **kw)
        assert str(err.value) == f"`{field}` must be {message}"


def test_rules_must_be_staging_rules_in_both_forms():
    for stage in (stage_facility, stage_book):
        with pytest.raises(InvalidValueError) as err:
            stage(0.01, 0.01, rules={"relative_threshold": 2.0})
        assert (err.value.field, err.value.expected) == ("rules", "a StagingRules")


def test_the_stage_3_backstop_may_equal_but_not_precede_the_stage_2_one():
    assert (
        StagingRules(past_due_days=30, credit_impaired_days=30).credit_impaired_days
        == 30
    )
    with pytest.raises(InvalidValueError) as err:
        StagingRules(past_due_days=30.5, credit_impaired_days=30)
    assert (err.value.field, err.value.value) == ("credit_impaired_days", 30)
    assert str(err.value) == (
        "`credit_impaired_days` must be at least `past_due_days` (30.5); got 30."
    )


def test_the_defaults_are_current_and_unflagged():
    # with a backstop of half a day, only a default of 0 days past due stays current
    rules = StagingRules(past_due_days=0.5, credit_impaired_days=0.5)
    assert stage_facility(0.01, 0.01, rules=rules) is R.PERFORMING
    assert stage_book(0.01, 0.01, rules=rules).reason.tolist() == [int(R.PERFORMING)]
