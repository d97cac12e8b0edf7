"""The built-in next-best-action rules (frozen attrs, thresholds as fields).

They follow the stage playbooks of the source article: follow up the first drawdown
in activation, optimise limits and tailor financing in growth, review and reprice in
maturity, plan the exit in decline, and listen to what the client says. Each meets
`NextBestActionRule`; `ActionRules.builtin` holds the ten default ones.
`NoRecentContact` (the service model's contact standard, #13) is built in but not in
the default set: add it to your `ActionRules` once your book records interactions.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import BoolArray
from lendcrm._validators import non_empty_str, number_in, require_labels
from lendcrm.relationship._facts import (
    ClientFacts,
    client_facts,  # noqa: F401 - doctests
)


def _in(values: npt.NDArray[np.str_], allowed: tuple[str, ...]) -> BoolArray:
    out: BoolArray = np.isin(values, np.asarray(allowed, dtype=str))
    return out


def _tiers(values: Iterable[str]) -> tuple[str, ...]:
    return require_labels(values, name="tiers", what="tier names")


def _stages(values: Iterable[str]) -> tuple[str, ...]:
    return require_labels(values, name="stages", what="stage names")


_priority = number_in(0, 100)


@attrs.frozen(kw_only=True)
class FirstDrawdownFollowUp:
    """Activation: a facility is in place but the client has not drawn, or just drew.

    Attributes:
        recent_months: A first drawdown this many months ago or less still gets a
            follow-up call.
        name: Action code.
        priority: Rank among a client's actions.

    Examples:
        >>> f = client_facts(client_ids=["A", "B"], has_facility=[True, True],
        ...                  has_drawn=[False, True], months_since_first_drawdown=[0, 20])
        >>> FirstDrawdownFollowUp().evaluate(f).tolist()
        [True, False]
    """

    recent_months: float = attrs.field(default=3.0, validator=number_in(0, None))
    name: str = attrs.field(default="first_drawdown_follow_up", validator=non_empty_str)
    priority: float = attrs.field(default=60.0, validator=_priority)

    @property
    def reason(self) -> str:
        """Why the action is proposed."""
        return (
            "facility in place and not drawn yet, or first drawdown within "
            f"{self.recent_months:g} months"
        )

    def evaluate(self, facts: ClientFacts) -> BoolArray:
        """Fire for undrawn facilities and recent first drawdowns."""
        undrawn = facts.has_facility & ~facts.has_drawn
        recent = facts.has_drawn & (
            facts.months_since_first_drawdown <= self.recent_months
        )
        return undrawn | recent


@attrs.frozen(kw_only=True)
class LimitIncrease:
    """Growth: a client using most of its limit, with a stable or better rating.

    Attributes:
        min_utilisation: Utilisation (fraction) from which more limit is proposed.
        stages: Stages where the action applies.
        name: Action code.
        priority: Rank among a client's actions.

    Examples:
        >>> f = client_facts(client_ids=["A", "B"], stage=["growth", "growth"],
        ...                  utilisation=[0.9, 0.9], rating_notches_moved=[0, 2])
        >>> LimitIncrease().evaluate(f).tolist()
        [True, False]
    """

    min_utilisation: float = attrs.field(default=0.85, validator=number_in(0, None))
    stages: tuple[str, ...] = attrs.field(
        default=("activation", "growth", "maturity"), converter=_stages
    )
    name: str = attrs.field(default="limit_increase", validator=non_empty_str)
    priority: float = attrs.field(default=50.0, validator=_priority)

    @property
    def reason(self) -> str:
        """Why the action is proposed."""
        return (
            f"utilisation at or above {self.min_utilisation:.0%} with a stable or "
            "improving rating and no arrears"
        )

    def evaluate(self, facts: ClientFacts) -> BoolArray:
        """Fire for highly used limits of sound clients in the given stages."""
        return (
            _in(facts.stage, self.stages)
            & (facts.utilisation >= self.min_utilisation)
            & (facts.rating_notches_moved <= 0)
            & (facts.days_past_due <= 0)
            & ~facts.watchlist
        )


@attrs.frozen(kw_only=True)
class TailoredRefinancing:
    """A facility matures soon: offer refinancing before a competitor does.

    Attributes:
        within_months: Months to maturity within which refinancing is offered.
        max_notches_moved: Largest downgrade (notches) still refinanced.
        name: Action code.
        priority: Rank among a client's actions.

    Examples:
        >>> f = client_facts(client_ids=["A", "B"], months_to_maturity=[6, float("nan")])
        >>> TailoredRefinancing().evaluate(f).tolist()
        [True, False]
    """

    within_months: float = attrs.field(default=12.0, validator=number_in(0, None))
    max_notches_moved: float = attrs.field(default=0.0, validator=number_in())
    name: str = attrs.field(default="tailored_refinancing", validator=non_empty_str)
    priority: float = attrs.field(default=55.0, validator=_priority)

    @property
    def reason(self) -> str:
        """Why the action is proposed."""
        return (
            f"a facility matures within {self.within_months:g} months and the "
            "rating has not deteriorated"
        )

    def evaluate(self, facts: ClientFacts) -> BoolArray:
        """Fire for near maturities of clients that are not deteriorating."""
        with np.errstate(invalid="ignore"):
            soon = facts.months_to_maturity <= self.within_months
        return (
            soon
            & (facts.rating_notches_moved <= self.max_notches_moved)
            & ~facts.watchlist
            & ~_in(facts.stage, ("decline",))
        )


@attrs.frozen(kw_only=True)
class CrossSell:
    """A valuable, growing client with few products: propose the next product.

    Attributes:
        tiers: Tiers where cross-selling pays.
        stages: Stages where the action applies.
        max_products: Clients with at most this many products qualify.
        name: Action code.
        priority: Rank among a client's actions.

    Examples:
        >>> f = client_facts(client_ids=["A", "B"], tier=["gold", "basic"],
        ...                  stage=["growth", "growth"], product_count=[1, 1])
        >>> CrossSell().evaluate(f).tolist()
        [True, False]
    """

    tiers: tuple[str, ...] = attrs.field(
        default=("diamond", "gold", "silver"), converter=_tiers
    )
    stages: tuple[str, ...] = attrs.field(
        default=("activation", "growth", "maturity"), converter=_stages
    )
    max_products: float = attrs.field(default=2.0, validator=number_in(0, None))
    name: str = attrs.field(default="cross_sell", validator=non_empty_str)
    priority: float = attrs.field(default=40.0, validator=_priority)

    @property
    def reason(self) -> str:
        """Why the action is proposed."""
        return (
            f"{'/'.join(self.tiers)} client holding at most {self.max_products:g} "
            "products"
        )

    def evaluate(self, facts: ClientFacts) -> BoolArray:
        """Fire for valuable clients with few products and no warning."""
        return (
            _in(facts.tier, self.tiers)
            & _in(facts.stage, self.stages)
            & (facts.product_count <= self.max_products)
            & ~facts.watchlist
        )


@attrs.frozen(kw_only=True)
class AnnualReviewDue:
    """The annual credit review falls due soon.

    Attributes:
        lead_days: Days before the review date from which it is flagged.
        name: Action code.
        priority: Rank among a client's actions.

    Examples:
        >>> f = client_facts(client_ids=["A", "B"], has_facility=[True, True],
        ...                  days_to_review=[10, 200])
        >>> AnnualReviewDue().evaluate(f).tolist()
        [True, False]
    """

    lead_days: float = attrs.field(default=30.0, validator=number_in(0, 366))
    name: str = attrs.field(default="annual_review_due", validator=non_empty_str)
    priority: float = attrs.field(default=45.0, validator=_priority)

    @property
    def reason(self) -> str:
        """Why the action is proposed."""
        return f"annual review due within {self.lead_days:g} days"

    def evaluate(self, facts: ClientFacts) -> BoolArray:
        """Fire for borrowers whose review date is near."""
        return facts.has_facility & (facts.days_to_review <= self.lead_days)


@attrs.frozen(kw_only=True)
class Repricing:
    """Priced below the hurdle, or downgraded since pricing: reprice at next occasion.

    Attributes:
        min_gap: Margin shortfall (a fraction a year, <= 0) that triggers repricing.
        downgrade_notches: Downgrade (notches) that triggers repricing on its own.
        name: Action code.
        priority: Rank among a client's actions.

    Examples:
        >>> f = client_facts(client_ids=["A", "B", "C"], has_facility=True,
        ...                  rate_gap=[-0.004, 0.002, float("nan")],
        ...                  rating_notches_moved=[0, 0, 2])
        >>> Repricing().evaluate(f).tolist()
        [True, False, True]
    """

    min_gap: float = attrs.field(default=-0.0010, validator=number_in(None, 0))
    downgrade_notches: float = attrs.field(default=2.0, validator=number_in(1, None))
    name: str = attrs.field(default="repricing", validator=non_empty_str)
    priority: float = attrs.field(default=65.0, validator=_priority)

    @property
    def reason(self) -> str:
        """Why the action is proposed."""
        return (
            f"margin at least {-self.min_gap * 1e4:g} bp below the hurdle rate, or "
            f"downgraded {self.downgrade_notches:g} notches or more"
        )

    def evaluate(self, facts: ClientFacts) -> BoolArray:
        """Fire for underpriced or downgraded clients."""
        with np.errstate(invalid="ignore"):
            under = facts.rate_gap <= self.min_gap
        return facts.has_facility & (
            under | (facts.rating_notches_moved >= self.downgrade_notches)
        )


@attrs.frozen(kw_only=True)
class WaiverReview:
    """A covenant is breached but the client pays: decide waiver, reset or reserve.

    Attributes:
        max_days_past_due: Largest arrears (days) for which a waiver is considered.
        name: Action code.
        priority: Rank among a client's actions.

    Examples:
        >>> f = client_facts(client_ids=["A", "B"], covenant_breaches=[1, 1],
        ...                  days_past_due=[0, 120])
        >>> WaiverReview().evaluate(f).tolist()
        [True, False]
    """

    max_days_past_due: float = attrs.field(default=30.0, validator=number_in(0, None))
    name: str = attrs.field(default="waiver_review", validator=non_empty_str)
    priority: float = attrs.field(default=80.0, validator=_priority)

    @property
    def reason(self) -> str:
        """Why the action is proposed."""
        return (
            "covenant breached while arrears stay below "
            f"{self.max_days_past_due:g} days"
        )

    def evaluate(self, facts: ClientFacts) -> BoolArray:
        """Fire for breaches of clients that are still paying."""
        return (facts.covenant_breaches >= 1) & (
            facts.days_past_due < self.max_days_past_due
        )


@attrs.frozen(kw_only=True)
class ExitPlan:
    """Decline with serious warnings: agree an exit plan (refinance away, reduce, work out).

    Attributes:
        min_score: Early-warning score from which an exit plan is drawn up.
        hard_past_due_days: Arrears (days) that call for an exit plan on their own.
        name: Action code.
        priority: Rank among a client's actions.

    Examples:
        >>> f = client_facts(client_ids=["A", "B"], stage=["decline", "growth"],
        ...                  early_warning_score=[60, 60])
        >>> ExitPlan().evaluate(f).tolist()
        [True, False]
    """

    min_score: float = attrs.field(default=50.0, validator=number_in(0, 100))
    hard_past_due_days: float = attrs.field(default=90.0, validator=number_in(0, None))
    name: str = attrs.field(default="exit_plan", validator=non_empty_str)
    priority: float = attrs.field(default=90.0, validator=_priority)

    @property
    def reason(self) -> str:
        """Why the action is proposed."""
        return (
            f"declining relationship with an early-warning score of "
            f"{self.min_score:g} or more, or {self.hard_past_due_days:g}+ days past due"
        )

    def evaluate(self, facts: ClientFacts) -> BoolArray:
        """Fire for declining clients in serious trouble."""
        return _in(facts.stage, ("decline",)) & (
            (facts.early_warning_score >= self.min_score)
            | (facts.days_past_due >= self.hard_past_due_days)
        )


@attrs.frozen(kw_only=True)
class FeedbackFollowUp:
    """The client is unhappy or getting unhappier: call back.

    Attributes:
        max_score: Latest score at or below which to follow up (0-10).
        slope: Satisfaction slope (points a year) at or below which to follow up.
        name: Action code.
        priority: Rank among a client's actions.

    Examples:
        >>> f = client_facts(client_ids=["A", "B", "C"], last_feedback_score=[4, 9, 8],
        ...                  feedback_trend=[float("nan"), 0.0, -2.5])
        >>> FeedbackFollowUp().evaluate(f).tolist()
        [True, False, True]
    """

    max_score: float = attrs.field(default=6.0, validator=number_in(0, 10))
    slope: float = attrs.field(default=-1.0, validator=number_in(None, 0))
    name: str = attrs.field(default="feedback_follow_up", validator=non_empty_str)
    priority: float = attrs.field(default=70.0, validator=_priority)

    @property
    def reason(self) -> str:
        """Why the action is proposed."""
        return (
            f"latest feedback score {self.max_score:g} or lower, or satisfaction "
            f"falling {-self.slope:g}+ points a year"
        )

    def evaluate(self, facts: ClientFacts) -> BoolArray:
        """Fire for detractors and falling satisfaction."""
        with np.errstate(invalid="ignore"):
            return (facts.last_feedback_score <= self.max_score) | (
                facts.feedback_trend <= self.slope
            )


@attrs.frozen(kw_only=True)
class ReferralAsk:
    """A promoter who has not referred anyone lately: ask for an introduction.

    Attributes:
        min_score: Latest score from which the client is a promoter (0-10).
        max_referrals: Clients with at most this many referrals in the period qualify.
        name: Action code.
        priority: Rank among a client's actions.

    Examples:
        >>> f = client_facts(client_ids=["A", "B"], last_feedback_score=[10, 10],
        ...                  referral_count=[0, 3])
        >>> ReferralAsk().evaluate(f).tolist()
        [True, False]
    """

    min_score: float = attrs.field(default=9.0, validator=number_in(0, 10))
    max_referrals: float = attrs.field(default=0.0, validator=number_in(0, None))
    name: str = attrs.field(default="referral_ask", validator=non_empty_str)
    priority: float = attrs.field(default=30.0, validator=_priority)

    @property
    def reason(self) -> str:
        """Why the action is proposed."""
        return (
            f"promoter (latest score {self.min_score:g}+) with at most "
            f"{self.max_referrals:g} referrals this period"
        )

    def evaluate(self, facts: ClientFacts) -> BoolArray:
        """Fire for satisfied clients who have not referred."""
        with np.errstate(invalid="ignore"):
            promoter = facts.last_feedback_score >= self.min_score
        return (
            promoter & (facts.referral_count <= self.max_referrals) & ~facts.watchlist
        )


@attrs.frozen(kw_only=True)
class NoRecentContact:
    """A valuable client nobody has really talked to for too long.

    Reads ``tier`` and ``days_since_contact`` (days since the last meaningful
    interaction, NaN: never), which `client_view` and `relationship_frame` fill from
    the client's interactions and its tier's service strategy. Fires for clients of
    ``tiers`` with no meaningful contact for ``max_days`` or more, or never. Not in
    `ActionRules.builtin` (a book without an interaction log would flag every
    valuable client): add it to your rules.

    Attributes:
        max_days: Days without a meaningful contact that trigger the action (182:
            about six months).
        tiers: Tiers the rule watches.
        name: Action code.
        priority: Rank among a client's actions.

    Examples:
        >>> f = client_facts(client_ids=["A", "B", "C", "D"],
        ...     tier=["gold", "gold", "gold", "silver"],
        ...     days_since_contact=[200, 30, float("nan"), 400])
        >>> NoRecentContact().evaluate(f).tolist()
        [True, False, True, False]
    """

    max_days: float = attrs.field(default=182.0, validator=number_in(0, None))
    tiers: tuple[str, ...] = attrs.field(default=("diamond", "gold"), converter=_tiers)
    name: str = attrs.field(default="no_recent_contact", validator=non_empty_str)
    priority: float = attrs.field(default=55.0, validator=_priority)

    @property
    def reason(self) -> str:
        """Why the action is proposed."""
        return (
            f"{'/'.join(self.tiers)} client without a meaningful contact for "
            f"{self.max_days:g} days"
        )

    def evaluate(self, facts: ClientFacts) -> BoolArray:
        """Fire for watched tiers with a stale or missing last contact."""
        days = facts.days_since_contact
        stale = np.isnan(days) | (days >= self.max_days)
        return _in(facts.tier, self.tiers) & stale


@attrs.frozen(kw_only=True)
class OverdueTasks:
    """Overdue tasks on a valuable client: escalate to the RM's head.

    Reads ``tier``, ``overdue_tasks`` and ``oldest_overdue_days``, which
    `client_view` and `relationship_frame` fill from the tasks the caller passes
    (``tasks=``). Fires for clients of ``tiers`` with at least ``min_tasks``
    overdue tasks, the oldest at least ``min_days`` past due. Not in
    `ActionRules.builtin` (without tasks it never fires): add it to your rules.

    Attributes:
        min_tasks: Overdue tasks that trigger the escalation.
        min_days: Days the oldest overdue task must be past due.
        tiers: Tiers the rule watches.
        name: Action code.
        priority: Rank among a client's actions.

    Examples:
        >>> f = client_facts(client_ids=["A", "B", "C"],
        ...     tier=["diamond", "diamond", "gold"],
        ...     overdue_tasks=[2, 0, 3], oldest_overdue_days=[10, 0, 40])
        >>> OverdueTasks().evaluate(f).tolist()
        [True, False, False]
    """

    min_tasks: float = attrs.field(default=1.0, validator=number_in(1, None))
    min_days: float = attrs.field(default=0.0, validator=number_in(0, None))
    tiers: tuple[str, ...] = attrs.field(default=("diamond",), converter=_tiers)
    name: str = attrs.field(default="escalate_overdue_tasks", validator=non_empty_str)
    priority: float = attrs.field(default=75.0, validator=_priority)

    @property
    def reason(self) -> str:
        """Why the action is proposed."""
        return (
            f"{'/'.join(self.tiers)} client with {self.min_tasks:g}+ overdue tasks "
            f"({self.min_days:g}+ days past due)"
        )

    def evaluate(self, facts: ClientFacts) -> BoolArray:
        """Fire for watched tiers with enough, old enough overdue tasks."""
        late = (facts.overdue_tasks >= self.min_tasks) & (
            facts.oldest_overdue_days >= self.min_days
        )
        return _in(facts.tier, self.tiers) & late
