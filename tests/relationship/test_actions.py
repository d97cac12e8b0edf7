"""Next best action: each built-in rule, ranking, determinism and failing rules."""

import attrs
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lendcrm.errors import InvalidValueError, RuleError, UnknownStrategyError
from lendcrm.relationship import (
    ActionRules,
    LimitIncrease,
    NextBestActionRule,
    client_facts,
    next_best_actions,
)

NAN = float("nan")


def _book():
    # one client designed per built-in rule (and a quiet one)
    return client_facts(
        client_ids=[
            "new",
            "full",
            "mature",
            "xsell",
            "review",
            "cheap",
            "breach",
            "exit",
            "unhappy",
            "fan",
            "quiet",
        ],
        stage=[
            "activation",
            "growth",
            "maturity",
            "growth",
            "maturity",
            "maturity",
            "maturity",
            "decline",
            "maturity",
            "maturity",
            "maturity",
        ],
        tier=[
            "basic",
            "basic",
            "basic",
            "gold",
            "basic",
            "basic",
            "basic",
            "basic",
            "basic",
            "basic",
            "basic",
        ],
        has_facility=True,
        has_drawn=[False] + [True] * 10,
        months_since_first_drawdown=[0] + [24] * 10,
        utilisation=[0, 0.95, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5],
        months_to_maturity=[60, 60, 8, 60, 60, 60, 60, 60, 60, 60, 60],
        product_count=[1, 4, 4, 1, 4, 4, 4, 4, 4, 4, 4],
        days_to_review=[300, 300, 300, 300, 10, 300, 300, 300, 300, 300, 300],
        rate_gap=[0, 0, 0, 0, 0, -0.003, 0, 0, 0, 0, 0],
        covenant_breaches=[0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0],
        early_warning_score=[0, 0, 0, 0, 0, 0, 20, 75, 0, 0, 0],
        last_feedback_score=[NAN] * 8 + [4, 10, 8],
        referral_count=[0] * 11,
    )


def test_each_builtin_rule_fires_for_its_client():
    nba = next_best_actions(_book())
    first = [nba.actions(i)[0].name if nba.actions(i) else "" for i in range(11)]
    assert first == [
        "first_drawdown_follow_up",
        "limit_increase",
        "tailored_refinancing",
        "cross_sell",
        "annual_review_due",
        "repricing",
        "waiver_review",
        "exit_plan",
        "feedback_follow_up",
        "referral_ask",
        "",
    ]


def test_actions_are_ranked_by_priority_then_position():
    facts = client_facts(
        client_ids=["A"],
        stage=["growth"],
        tier=["gold"],
        has_facility=True,
        has_drawn=True,
        months_since_first_drawdown=[30],
        utilisation=[0.9],
        product_count=[1],
        days_to_review=[5],
        months_to_maturity=[3],
    )
    actions = next_best_actions(facts).actions(0)
    # priorities: refinancing 55, limit increase 50, annual review 45, cross-sell 40
    assert [a.name for a in actions] == [
        "tailored_refinancing",
        "limit_increase",
        "annual_review_due",
        "cross_sell",
    ]
    assert [a.rank for a in actions] == [1, 2, 3, 4]
    assert actions[1].reason.startswith("utilisation at or above 85%")


def test_equal_priorities_keep_rule_order():
    rules = ActionRules(
        rules=(
            LimitIncrease(name="b_rule", priority=10),
            LimitIncrease(name="a_rule", priority=10),
        )
    )
    facts = client_facts(client_ids=["A"], stage=["growth"], utilisation=[1.0])
    assert [a.name for a in next_best_actions(facts, rules=rules).actions(0)] == [
        "b_rule",
        "a_rule",
    ]


def test_ranked_matrix_matches_actions():
    nba = next_best_actions(_book())
    ranked = nba.ranked()
    for i in range(len(nba)):
        names = [nba.rule_names[j] for j in ranked[i] if j >= 0]
        assert names == [a.name for a in nba.actions(i)]


@attrs.frozen
class Boom:
    name: str = "boom"
    priority: float = 1.0
    reason: str = "never"

    def evaluate(self, facts):
        return facts.utilisation * 2.0  # a float array, not a mask


@attrs.frozen
class Raises:
    name: str = "raises"
    priority: float = 1.0
    reason: str = "never"

    def evaluate(self, facts):  # noqa: ARG002
        msg = "no data"
        raise KeyError(msg)


@attrs.frozen
class WrongShape:
    name: str = "wrong_shape"
    priority: float = 1.0
    reason: str = "never"

    def evaluate(self, facts):
        return np.ones(len(facts) + 1, dtype=bool)


def test_rule_that_raises_is_named():
    rules = ActionRules.builtin().with_rule(Raises())
    with pytest.raises(
        RuleError, match=r"next-best-action rule 'raises' failed: KeyError"
    ):
        next_best_actions(_book(), rules=rules)


def test_rule_with_wrong_result_is_named():
    with pytest.raises(RuleError, match=r"'wrong_shape' failed: it returned an array"):
        next_best_actions(_book(), rules=ActionRules(rules=(WrongShape(),)))
    with pytest.raises(RuleError, match=r"'boom' failed: .*dtype float64"):
        next_best_actions(_book(), rules=ActionRules(rules=(Boom(),)))


def test_rule_set_validation_and_lookup():
    assert isinstance(LimitIncrease(), NextBestActionRule)
    with pytest.raises(InvalidValueError, match=r"`rules\[1\].name` must be a name"):
        ActionRules(rules=(LimitIncrease(), LimitIncrease()))
    with pytest.raises(InvalidValueError, match=r"`rules\[0\]` must be a NextBest"):
        ActionRules(rules=("limit_increase",))  # type: ignore[arg-type]
    with pytest.raises(UnknownStrategyError, match="Did you mean 'cross_sell'"):
        ActionRules.builtin().get("cross_sel")
    swapped = ActionRules.builtin().with_rule(
        LimitIncrease(min_utilisation=0.5), replace=True
    )
    rule = swapped.get("limit_increase")
    assert isinstance(rule, LimitIncrease)
    assert rule.min_utilisation == 0.5
    assert "repricing" not in ActionRules.builtin().without("repricing").names


def test_bad_rule_parameters():
    with pytest.raises(InvalidValueError, match="`priority` must be"):
        LimitIncrease(priority=500)


@given(st.integers(0, 11), st.randoms(use_true_random=False))
def test_partition_safe_and_deterministic(cut, rnd):
    facts = _book()
    whole = next_best_actions(facts)
    perm = np.array(rnd.sample(range(11), 11))
    shuffled = next_best_actions(facts.take(perm))
    for pos, i in enumerate(perm):
        assert shuffled.actions(pos) == whole.actions(int(i))
    head = next_best_actions(facts.take(np.arange(cut)))
    np.testing.assert_array_equal(head.fired, whole.fired[:cut])
