"""Next best action: pluggable, explainable rules that say what to do with each client.

A `NextBestActionRule` is a named, pure, vectorised test over `ClientFacts` that fires
for the clients where its action is worth doing. It has a ``priority`` (higher comes
first) and a ``reason`` (one sentence built from its thresholds, so the reason says
exactly what was tested). `next_best_actions` evaluates every rule of an
`ActionRules` set once over the whole book and ranks the fired actions of each client
by priority, then by the rule's position in the set: deterministic, and row-wise (a
client's actions depend on its own facts only).

The ten built-in rules (frozen attrs, thresholds as fields) follow the stage playbooks
of the source article: follow up the first drawdown in activation, optimise limits
and tailor financing in growth, review and reprice in maturity, plan the exit in
decline, and listen to what the client says.

A rule that raises is reported as `RuleError` naming the rule; so is a rule that
returns something other than a bool mask of the right shape.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import BoolArray, IntArray
from lendcrm._validators import (
    finite_number,
    instance_of,
    non_empty_str,
    positive_int,
    require_instance,
    tuple_converter,
)
from lendcrm.errors import (
    InvalidValueError,
    LendCRMError,
    RuleError,
    UnknownStrategyError,
)
from lendcrm.relationship._action_rule import NextBestActionRule
from lendcrm.relationship._builtin_rules import (
    AnnualReviewDue,
    CrossSell,
    ExitPlan,
    FeedbackFollowUp,
    FirstDrawdownFollowUp,
    LimitIncrease,
    NoRecentContact,
    OverdueTasks,
    ReferralAsk,
    Repricing,
    TailoredRefinancing,
    WaiverReview,
)
from lendcrm.relationship._facts import (
    ClientFacts,
    client_facts,  # noqa: F401 - doctests
)

__all__ = [
    "Action",
    "ActionRules",
    "AnnualReviewDue",
    "CrossSell",
    "ExitPlan",
    "FeedbackFollowUp",
    "FirstDrawdownFollowUp",
    "LimitIncrease",
    "NextBestActionRule",
    "NextBestActions",
    "NoRecentContact",
    "OverdueTasks",
    "ReferralAsk",
    "Repricing",
    "TailoredRefinancing",
    "WaiverReview",
    "next_best_actions",
]


def _rule_tuple(rules: Iterable[NextBestActionRule]) -> tuple[NextBestActionRule, ...]:
    return tuple_converter(name="rules", what="NextBestActionRule")(rules)


@attrs.frozen(kw_only=True)
class ActionRules:
    """The caller's set of next-best-action rules (a value, never a global registry).

    Attributes:
        rules: The rules; names must be unique. Position breaks priority ties.

    Raises:
        InvalidValueError: a rule is not a `NextBestActionRule` or two rules share a
            name.

    Examples:
        >>> rules = ActionRules.builtin()
        >>> len(rules.rules), rules.names[:2]
        (10, ('first_drawdown_follow_up', 'limit_increase'))
        >>> rules.get("limit_incr")
        Traceback (most recent call last):
        ...
        lendcrm.errors.UnknownStrategyError: No next-best-action rule named 'limit_incr'. Did you mean 'limit_increase'? Registered: ...
    """

    rules: tuple[NextBestActionRule, ...] = attrs.field(converter=_rule_tuple)

    def __attrs_post_init__(self) -> None:
        """Check every rule conforms and names are unique."""
        seen: set[str] = set()
        for i, rule in enumerate(self.rules):
            if not isinstance(rule, NextBestActionRule):
                raise InvalidValueError(
                    field=f"rules[{i}]",
                    value=rule,
                    expected="a NextBestActionRule (name, priority, reason, evaluate)",
                )
            if rule.name in seen:
                raise InvalidValueError(
                    field=f"rules[{i}].name",
                    value=rule.name,
                    expected="a name no other rule of the set has",
                    hint="Use with_rule(..., replace=True) to swap a rule.",
                )
            seen.add(rule.name)

    @classmethod
    def builtin(cls) -> ActionRules:
        """A fresh set of the ten built-in rules with their default thresholds."""
        return cls(
            rules=(
                FirstDrawdownFollowUp(),
                LimitIncrease(),
                TailoredRefinancing(),
                CrossSell(),
                AnnualReviewDue(),
                Repricing(),
                WaiverReview(),
                ExitPlan(),
                FeedbackFollowUp(),
                ReferralAsk(),
            )
        )

    @property
    def names(self) -> tuple[str, ...]:
        """Rule names, in order."""
        return tuple(r.name for r in self.rules)

    def get(self, name: str) -> NextBestActionRule:
        """The rule called ``name``.

        Raises:
            UnknownStrategyError: no rule has that name (with a did-you-mean hint).
        """
        for rule in self.rules:
            if rule.name == name:
                return rule
        raise UnknownStrategyError(
            name=name, known=self.names, kind="next-best-action rule"
        )

    def with_rule(
        self, rule: NextBestActionRule, *, replace: bool = False
    ) -> ActionRules:
        """A copy with ``rule`` appended (or swapped in for the rule of its name).

        Raises:
            InvalidValueError: the name is taken and ``replace`` is false.
        """
        if replace and rule.name in self.names:
            return ActionRules(
                rules=tuple(rule if r.name == rule.name else r for r in self.rules)
            )
        return ActionRules(rules=(*self.rules, rule))

    def without(self, name: str) -> ActionRules:
        """A copy without the rule called ``name``.

        Raises:
            UnknownStrategyError: no rule has that name.
        """
        self.get(name)
        return ActionRules(rules=tuple(r for r in self.rules if r.name != name))


_TEXT = instance_of(str, what="text (a string)")


@attrs.frozen(kw_only=True)
class Action:
    """One proposed action for one client.

    Attributes:
        name: Action code (the rule's name).
        rank: 1 for the first action of the client.
        priority: The rule's priority.
        reason: Why it is proposed.
        product: The product a cross-sell action proposes (the client's next best
            product from `lendcrm.relationship.commercial.cross_sell_frame`, when
            the caller passes it to the view); ``""`` for other actions.
    """

    name: str = attrs.field(validator=non_empty_str)
    rank: int = attrs.field(validator=positive_int)
    priority: float = attrs.field(validator=finite_number)
    reason: str = attrs.field(validator=_TEXT)
    product: str = attrs.field(default="", validator=_TEXT)


@attrs.frozen(kw_only=True, eq=False)
class NextBestActions:
    """Which actions fired for every client, and their ranking (numpy face).

    Attributes:
        client_ids: Client ids, shape ``(n,)``.
        fired: bool, shape ``(n, k)``, columns in `rule_names` order.
        rule_names: The ``k`` rule names.
        priorities: The ``k`` rule priorities.
        reasons_text: The ``k`` rule reasons.
        order: Rule positions by rank (priority descending, then position).
    """

    client_ids: npt.NDArray[np.str_]
    fired: npt.NDArray[np.bool_]
    rule_names: tuple[str, ...]
    priorities: tuple[float, ...]
    reasons_text: tuple[str, ...]
    order: IntArray

    def __len__(self) -> int:
        """Number of clients."""
        return len(self.client_ids)

    def ranked(self) -> IntArray:
        """Rule positions of each client's fired actions by rank, ``-1`` padded.

        Returns:
            int64 array of shape ``(n, k)``: column 0 is the best action.
        """
        n, k = self.fired.shape
        by_rank = self.fired[:, self.order]
        # stable partition: fired columns first, in rank order
        pos = np.argsort(~by_rank, axis=1, kind="stable")
        out = np.where(
            np.take_along_axis(by_rank, pos, axis=1), self.order[pos], -1
        ).astype(np.int64)
        return out.reshape(n, k)

    def best(self) -> IntArray:
        """Rule position of each client's first-ranked action, ``-1`` when none.

        Examples:
            >>> f = client_facts(client_ids=["A", "B"], covenant_breaches=[1, 0])
            >>> next_best_actions(f).best().tolist()
            [6, -1]
        """
        if self.fired.shape[1] == 0:
            return np.full(len(self), -1, dtype=np.int64)
        by_rank = self.fired[:, self.order]
        first = np.argmax(by_rank, axis=1)
        out: IntArray = np.where(by_rank.any(axis=1), self.order[first], -1).astype(
            np.int64
        )
        return out

    def actions(self, i: int) -> tuple[Action, ...]:
        """The ranked actions of client ``i`` (by position), with reasons.

        Examples:
            >>> f = client_facts(client_ids=["A"], stage=["growth"], tier=["gold"],
            ...                  utilisation=[0.92], product_count=[1])
            >>> [a.name for a in next_best_actions(f).actions(0)]
            ['limit_increase', 'cross_sell']
        """
        row = self.fired[i]
        ranked = [int(j) for j in self.order if row[j]]
        return tuple(
            Action(
                name=self.rule_names[j],
                rank=r + 1,
                priority=self.priorities[j],
                reason=self.reasons_text[j],
            )
            for r, j in enumerate(ranked)
        )


def _evaluate(rule: NextBestActionRule, facts: ClientFacts, n: int) -> BoolArray:
    try:
        mask = rule.evaluate(facts)
    except LendCRMError:
        raise
    except Exception as exc:
        raise RuleError(
            rule=rule.name,
            kind="next-best-action rule",
            cause=f"{type(exc).__name__}: {exc}",
        ) from exc
    arr = np.asarray(mask)
    if arr.shape != (n,) or arr.dtype != np.bool_:
        raise RuleError(
            rule=rule.name,
            kind="next-best-action rule",
            cause=(
                f"it returned an array of shape {arr.shape} and dtype {arr.dtype}; "
                f"expected bool of shape ({n},)"
            ),
        )
    return arr


#: The built-in rule set, used when no set is given.
BUILTIN_RULES: Final = ActionRules.builtin()


def next_best_actions(
    facts: ClientFacts, *, rules: ActionRules = BUILTIN_RULES
) -> NextBestActions:
    """Evaluate every rule once over the book and rank each client's actions.

    Args:
        facts: Per-client facts (with the early-warning score and watchlist filled
            in, for the rules that read them).
        rules: The rule set.

    Returns:
        `NextBestActions`: the fired mask and the ranking.

    Raises:
        InvalidValueError: ``facts`` is not a `ClientFacts` or ``rules`` not an
            `ActionRules`.
        RuleError: a rule raised, or returned something other than a bool mask of
            shape ``(n,)``; the message names the rule.

    Examples:
        >>> f = client_facts(client_ids=["A", "B"], stage=["decline", "growth"],
        ...                  covenant_breaches=[1, 0], early_warning_score=[70, 0],
        ...                  last_feedback_score=[3, 10])
        >>> nba = next_best_actions(f)
        >>> [a.name for a in nba.actions(0)]
        ['exit_plan', 'waiver_review', 'feedback_follow_up']
        >>> [a.name for a in nba.actions(1)]
        ['referral_ask']
    """
    require_instance(facts, ClientFacts, name="facts", what="a ClientFacts")
    require_instance(rules, ActionRules, name="rules", what="an ActionRules")
    n = len(facts)
    columns = [_evaluate(rule, facts, n) for rule in rules.rules]
    fired = (
        np.column_stack(columns)
        if columns and n
        else np.zeros((n, len(columns)), dtype=bool)
    )
    priorities = tuple(float(r.priority) for r in rules.rules)
    order = np.lexsort((np.arange(len(priorities)), -np.asarray(priorities)))
    return NextBestActions(
        client_ids=facts.client_ids,
        fired=fired,
        rule_names=rules.names,
        priorities=priorities,
        reasons_text=tuple(r.reason for r in rules.rules),
        order=order.astype(np.int64),
    )
