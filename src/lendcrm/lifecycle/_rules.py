"""Stage rules: the `StageRule` Protocol, the built-in rules and the caller's `StageRules`.

A rule is a named, pure, vectorised vote for one client stage. Built-in rules are
frozen attrs objects whose thresholds are fields, so a rule's `repr` says exactly
what it tests; `StageRules` is a value the caller owns, never a global registry.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final, Protocol, runtime_checkable

import attrs
import numpy as np

from lendcrm._arrays import BoolArray
from lendcrm._validators import (
    enum_member,
    finite_number,
    non_empty_str,
    tuple_converter,
)
from lendcrm.errors import InvalidValueError, UnknownStrategyError
from lendcrm.lifecycle._signals import StageSignals, example_columns  # noqa: F401 - doctests
from lendcrm.lifecycle._states import ClientStage

__all__ = [
    "DEFAULT_PRECEDENCE",
    "CovenantBreach",
    "DscrBelowLockup",
    "ExposureGrowth",
    "NoDrawdownYet",
    "OnWatchlist",
    "PastDue",
    "ProductDeepening",
    "RatingDowngrade",
    "RecentFirstDrawdown",
    "RevenueDecline",
    "RevenueGrowth",
    "StageRule",
    "StageRules",
    "SteadyRelationship",
    "UtilisationSurge",
]


def _stage(value: ClientStage | str) -> ClientStage:
    return enum_member(ClientStage, value, name="stage")


@runtime_checkable
class StageRule(Protocol):
    """A named, pure, vectorised vote for one client stage.

    Implementations must be pure (same signals, same mask; no I/O) and row-wise (a
    client's answer depends on its own row only), so that the assessment of a book
    equals the assessment of its parts.
    """

    @property
    def name(self) -> str:
        """Stable reason code, reported when the rule fires."""
        ...

    @property
    def stage(self) -> ClientStage:
        """The stage the rule votes for."""
        ...

    def evaluate(self, signals: StageSignals) -> BoolArray:
        """Return a bool mask of shape ``(len(signals),)``: where the rule fires."""
        ...


@attrs.frozen(kw_only=True)
class NoDrawdownYet:
    """Acquisition: the client has never drawn (a prospect or an undrawn facility).

    Attributes:
        name: Reason code.
        stage: Stage voted for.

    Examples:
        >>> import datetime as dt
        >>> sig = StageSignals.from_columns(example_columns(), as_of=dt.date(2026, 6, 30))
        >>> NoDrawdownYet().evaluate(sig)
        array([ True, False, False])
    """

    name: str = attrs.field(default="no_drawdown", validator=non_empty_str)
    stage: ClientStage = attrs.field(default=ClientStage.ACQUISITION, converter=_stage)

    def evaluate(self, signals: StageSignals) -> BoolArray:
        """Fires where ``has_drawn`` is false."""
        return ~signals.has_drawn


@attrs.frozen(kw_only=True)
class RecentFirstDrawdown:
    """Activation: the first drawdown was less than ``within_months`` ago.

    Attributes:
        within_months: Length of the activation window, months (> 0).
        name: Reason code.
        stage: Stage voted for.

    Examples:
        >>> import datetime as dt
        >>> sig = StageSignals.from_columns(example_columns(), as_of=dt.date(2026, 6, 30))
        >>> RecentFirstDrawdown(within_months=36).evaluate(sig)
        array([False,  True, False])
    """

    within_months: float = attrs.field(default=12.0, validator=finite_number)
    name: str = attrs.field(default="recent_first_drawdown", validator=non_empty_str)
    stage: ClientStage = attrs.field(default=ClientStage.ACTIVATION, converter=_stage)

    def evaluate(self, signals: StageSignals) -> BoolArray:
        """Fires where drawn and ``months_since_first_drawdown < within_months``."""
        return signals.has_drawn & (
            signals.months_since_first_drawdown < self.within_months
        )


@attrs.frozen(kw_only=True)
class ExposureGrowth:
    """Growth: exposure grew by at least ``min_growth`` over the year.

    Attributes:
        min_growth: Threshold, a fraction (0.10 means +10 %).
        name: Reason code.
        stage: Stage voted for.

    Examples:
        >>> import datetime as dt
        >>> sig = StageSignals.from_columns(example_columns(), as_of=dt.date(2026, 6, 30))
        >>> ExposureGrowth().evaluate(sig)
        array([False,  True, False])
    """

    min_growth: float = attrs.field(default=0.10, validator=finite_number)
    name: str = attrs.field(default="exposure_growth", validator=non_empty_str)
    stage: ClientStage = attrs.field(default=ClientStage.GROWTH, converter=_stage)

    def evaluate(self, signals: StageSignals) -> BoolArray:
        """Fires where ``exposure_growth_yoy >= min_growth``."""
        return signals.exposure_growth_yoy >= self.min_growth


@attrs.frozen(kw_only=True)
class RevenueGrowth:
    """Growth: revenue to the bank grew by at least ``min_growth`` over the year.

    Attributes:
        min_growth: Threshold, a fraction.
        name: Reason code.
        stage: Stage voted for.

    Examples:
        >>> import datetime as dt
        >>> sig = StageSignals.from_columns(example_columns(), as_of=dt.date(2026, 6, 30))
        >>> RevenueGrowth(min_growth=0.15).evaluate(sig)
        array([False, False, False])
    """

    min_growth: float = attrs.field(default=0.10, validator=finite_number)
    name: str = attrs.field(default="revenue_growth", validator=non_empty_str)
    stage: ClientStage = attrs.field(default=ClientStage.GROWTH, converter=_stage)

    def evaluate(self, signals: StageSignals) -> BoolArray:
        """Fires where ``revenue_growth_yoy >= min_growth``."""
        return signals.revenue_growth_yoy >= self.min_growth


@attrs.frozen(kw_only=True)
class ProductDeepening:
    """Growth: the client took at least ``min_new_products`` more products this year.

    Attributes:
        min_new_products: Threshold, products (>= 1).
        name: Reason code.
        stage: Stage voted for.

    Examples:
        >>> import datetime as dt
        >>> sig = StageSignals.from_columns(example_columns(), as_of=dt.date(2026, 6, 30))
        >>> ProductDeepening().evaluate(sig)
        array([False,  True, False])
    """

    min_new_products: float = attrs.field(default=1.0, validator=finite_number)
    name: str = attrs.field(default="product_deepening", validator=non_empty_str)
    stage: ClientStage = attrs.field(default=ClientStage.GROWTH, converter=_stage)

    def evaluate(self, signals: StageSignals) -> BoolArray:
        """Fires where ``product_count_change >= min_new_products``."""
        return signals.product_count_change >= self.min_new_products


@attrs.frozen(kw_only=True)
class SteadyRelationship:
    """Maturity: a long relationship whose exposure and revenue move little.

    Attributes:
        min_tenure_months: Tenure from which a relationship can be mature, months.
        max_abs_growth: Largest absolute yearly growth of exposure and of revenue
            still called steady, a fraction.
        name: Reason code.
        stage: Stage voted for.

    Examples:
        >>> import datetime as dt
        >>> sig = StageSignals.from_columns(example_columns(), as_of=dt.date(2026, 6, 30))
        >>> SteadyRelationship(max_abs_growth=0.3).evaluate(sig)
        array([False,  True,  True])
    """

    min_tenure_months: float = attrs.field(default=36.0, validator=finite_number)
    max_abs_growth: float = attrs.field(default=0.05, validator=finite_number)
    name: str = attrs.field(default="steady_relationship", validator=non_empty_str)
    stage: ClientStage = attrs.field(default=ClientStage.MATURITY, converter=_stage)

    def evaluate(self, signals: StageSignals) -> BoolArray:
        """Fires where drawn, tenure is long enough and both growths are small."""
        return (
            signals.has_drawn
            & (signals.tenure_months >= self.min_tenure_months)
            & (np.abs(signals.exposure_growth_yoy) <= self.max_abs_growth)
            & (np.abs(signals.revenue_growth_yoy) <= self.max_abs_growth)
        )


@attrs.frozen(kw_only=True)
class OnWatchlist:
    """Decline: the client is on the credit watchlist.

    Attributes:
        name: Reason code.
        stage: Stage voted for.

    Examples:
        >>> import datetime as dt
        >>> sig = StageSignals.from_columns(example_columns(), as_of=dt.date(2026, 6, 30))
        >>> OnWatchlist().evaluate(sig)
        array([False, False,  True])
    """

    name: str = attrs.field(default="on_watchlist", validator=non_empty_str)
    stage: ClientStage = attrs.field(default=ClientStage.DECLINE, converter=_stage)

    def evaluate(self, signals: StageSignals) -> BoolArray:
        """Fires where ``on_watchlist``."""
        return signals.on_watchlist.copy()


@attrs.frozen(kw_only=True)
class PastDue:
    """Decline: an obligation is at least ``min_days`` past due.

    Attributes:
        min_days: Threshold, days (30 is the usual early-arrears trigger).
        name: Reason code.
        stage: Stage voted for.

    Examples:
        >>> import datetime as dt
        >>> sig = StageSignals.from_columns(example_columns(), as_of=dt.date(2026, 6, 30))
        >>> PastDue(min_days=60).evaluate(sig)
        array([False, False, False])
    """

    min_days: float = attrs.field(default=30.0, validator=finite_number)
    name: str = attrs.field(default="past_due", validator=non_empty_str)
    stage: ClientStage = attrs.field(default=ClientStage.DECLINE, converter=_stage)

    def evaluate(self, signals: StageSignals) -> BoolArray:
        """Fires where ``days_past_due >= min_days``."""
        return signals.days_past_due >= self.min_days


@attrs.frozen(kw_only=True)
class CovenantBreach:
    """Decline: at least ``min_breaches`` covenant breaches in twelve months.

    Attributes:
        min_breaches: Threshold, breaches.
        name: Reason code.
        stage: Stage voted for.

    Examples:
        >>> import datetime as dt
        >>> sig = StageSignals.from_columns(example_columns(), as_of=dt.date(2026, 6, 30))
        >>> CovenantBreach().evaluate(sig)
        array([False, False,  True])
    """

    min_breaches: float = attrs.field(default=1.0, validator=finite_number)
    name: str = attrs.field(default="covenant_breach", validator=non_empty_str)
    stage: ClientStage = attrs.field(default=ClientStage.DECLINE, converter=_stage)

    def evaluate(self, signals: StageSignals) -> BoolArray:
        """Fires where ``covenant_breaches >= min_breaches``."""
        return signals.covenant_breaches >= self.min_breaches


@attrs.frozen(kw_only=True)
class RatingDowngrade:
    """Decline: the rating fell by at least ``min_notches`` in twelve months.

    Attributes:
        min_notches: Threshold, notches (positive means downgrade).
        name: Reason code.
        stage: Stage voted for.

    Examples:
        >>> import datetime as dt
        >>> sig = StageSignals.from_columns(example_columns(), as_of=dt.date(2026, 6, 30))
        >>> RatingDowngrade().evaluate(sig)
        array([False, False,  True])
    """

    min_notches: float = attrs.field(default=2.0, validator=finite_number)
    name: str = attrs.field(default="rating_downgrade", validator=non_empty_str)
    stage: ClientStage = attrs.field(default=ClientStage.DECLINE, converter=_stage)

    def evaluate(self, signals: StageSignals) -> BoolArray:
        """Fires where ``rating_notches_moved >= min_notches``."""
        return signals.rating_notches_moved >= self.min_notches


@attrs.frozen(kw_only=True)
class DscrBelowLockup:
    """Decline: a tested DSCR is below the lock-up level (headroom under a margin).

    Attributes:
        min_headroom: Fires when ``dscr_headroom < min_headroom`` (x); 0 means
            "below lock-up".
        name: Reason code.
        stage: Stage voted for.

    Examples:
        >>> import datetime as dt
        >>> sig = StageSignals.from_columns(example_columns(), as_of=dt.date(2026, 6, 30))
        >>> DscrBelowLockup().evaluate(sig)
        array([False, False,  True])
    """

    min_headroom: float = attrs.field(default=0.0, validator=finite_number)
    name: str = attrs.field(default="dscr_below_lockup", validator=non_empty_str)
    stage: ClientStage = attrs.field(default=ClientStage.DECLINE, converter=_stage)

    def evaluate(self, signals: StageSignals) -> BoolArray:
        """Fires where ``has_dscr`` and ``dscr_headroom < min_headroom``."""
        return signals.has_dscr & (signals.dscr_headroom < self.min_headroom)


@attrs.frozen(kw_only=True)
class RevenueDecline:
    """Decline: revenue to the bank fell by ``max_growth`` or more over the year.

    Attributes:
        max_growth: Fires when ``revenue_growth_yoy <= max_growth`` (-0.2 = -20 %).
        name: Reason code.
        stage: Stage voted for.

    Examples:
        >>> import datetime as dt
        >>> sig = StageSignals.from_columns(example_columns(), as_of=dt.date(2026, 6, 30))
        >>> RevenueDecline().evaluate(sig)
        array([False, False,  True])
    """

    max_growth: float = attrs.field(default=-0.20, validator=finite_number)
    name: str = attrs.field(default="revenue_decline", validator=non_empty_str)
    stage: ClientStage = attrs.field(default=ClientStage.DECLINE, converter=_stage)

    def evaluate(self, signals: StageSignals) -> BoolArray:
        """Fires where drawn and ``revenue_growth_yoy <= max_growth``."""
        return signals.has_drawn & (signals.revenue_growth_yoy <= self.max_growth)


@attrs.frozen(kw_only=True)
class UtilisationSurge:
    """Decline: utilisation jumped by ``min_change`` or more (drawing under stress).

    Attributes:
        min_change: Threshold, fraction points (0.3 = +30 points of drawn/limit).
        name: Reason code.
        stage: Stage voted for.

    Examples:
        >>> import datetime as dt
        >>> sig = StageSignals.from_columns(example_columns(), as_of=dt.date(2026, 6, 30))
        >>> UtilisationSurge().evaluate(sig)
        array([False, False,  True])
    """

    min_change: float = attrs.field(default=0.30, validator=finite_number)
    name: str = attrs.field(default="utilisation_surge", validator=non_empty_str)
    stage: ClientStage = attrs.field(default=ClientStage.DECLINE, converter=_stage)

    def evaluate(self, signals: StageSignals) -> BoolArray:
        """Fires where ``utilisation_change >= min_change``."""
        return signals.utilisation_change >= self.min_change


#: Which stage wins when rules for several stages fire: not drawn first (nothing to
#: decline from), then distress, then activation, growth and maturity.
DEFAULT_PRECEDENCE: Final[tuple[ClientStage, ...]] = (
    ClientStage.ACQUISITION,
    ClientStage.DECLINE,
    ClientStage.ACTIVATION,
    ClientStage.GROWTH,
    ClientStage.MATURITY,
)


def _rule_tuple(rules: Iterable[StageRule]) -> tuple[StageRule, ...]:
    return tuple_converter(name="rules", what="StageRule")(rules)


def _default_stage(value: ClientStage | str) -> ClientStage:
    return enum_member(ClientStage, value, name="default_stage")


def _stage_tuple(stages: Iterable[ClientStage]) -> tuple[ClientStage, ...]:
    items = tuple_converter(name="precedence", what="ClientStage")(stages)
    return tuple(
        enum_member(ClientStage, s, name=f"precedence[{i}]")
        for i, s in enumerate(items)
    )


@attrs.frozen(kw_only=True)
class StageRules:
    """The caller's set of stage rules, their precedence and the default stage.

    A value the caller owns (no global registry): `builtin` returns a fresh set;
    `with_rule` and `without` return modified copies.

    Attributes:
        rules: The rules, in reporting order; names must be unique.
        precedence: Stages in order of priority; every rule's stage must be listed.
        default_stage: Stage of a client no rule fires for (a drawn client past
            activation with neither growth nor distress signals).

    Raises:
        InvalidValueError: a rule is not a `StageRule`, two rules share a name, or a
            rule votes for a stage missing from ``precedence``.

    Examples:
        >>> rules = StageRules.builtin()
        >>> rules.names[:3]
        ('no_drawdown', 'recent_first_drawdown', 'exposure_growth')
        >>> rules.with_rule(PastDue(min_days=60), replace=True).get("past_due")
        PastDue(min_days=60, name='past_due', stage=<ClientStage.DECLINE: 'decline'>)
    """

    rules: tuple[StageRule, ...] = attrs.field(converter=_rule_tuple)
    precedence: tuple[ClientStage, ...] = attrs.field(
        default=DEFAULT_PRECEDENCE, converter=_stage_tuple
    )
    default_stage: ClientStage = attrs.field(
        default=ClientStage.MATURITY,
        converter=_default_stage,
    )

    def __attrs_post_init__(self) -> None:
        """Check names are unique and every rule's stage has a precedence."""
        seen: set[str] = set()
        for i, rule in enumerate(self.rules):
            if not isinstance(rule, StageRule):
                raise InvalidValueError(
                    field=f"rules[{i}]",
                    value=rule,
                    expected="a StageRule (a name, a stage and an evaluate method)",
                )
            if rule.name in seen:
                raise InvalidValueError(
                    field=f"rules[{i}].name",
                    value=rule.name,
                    expected="a name no other rule of the set has",
                    hint="Use with_rule(..., replace=True) to swap a rule.",
                )
            seen.add(rule.name)
            if rule.stage not in self.precedence:
                raise InvalidValueError(
                    field=f"rules[{i}].stage",
                    value=str(rule.stage),
                    expected=(
                        "a stage listed in precedence ("
                        + ", ".join(str(s) for s in self.precedence)
                        + ")"
                    ),
                )

    @classmethod
    def builtin(cls) -> StageRules:
        """A fresh set of the built-in rules with their default thresholds.

        Examples:
            >>> len(StageRules.builtin().rules)
            13
        """
        return cls(
            rules=(
                NoDrawdownYet(),
                RecentFirstDrawdown(),
                ExposureGrowth(),
                RevenueGrowth(),
                ProductDeepening(),
                SteadyRelationship(),
                OnWatchlist(),
                PastDue(),
                CovenantBreach(),
                RatingDowngrade(),
                DscrBelowLockup(),
                RevenueDecline(),
                UtilisationSurge(),
            )
        )

    @property
    def names(self) -> tuple[str, ...]:
        """Rule names, in order."""
        return tuple(rule.name for rule in self.rules)

    def get(self, name: str) -> StageRule:
        """The rule called ``name``.

        Raises:
            UnknownStrategyError: no such rule; suggests the closest name.
        """
        for rule in self.rules:
            if rule.name == name:
                return rule
        raise UnknownStrategyError(name=name, known=self.names, kind="stage rule")

    def with_rule(self, rule: StageRule, *, replace: bool = False) -> StageRules:
        """A copy with ``rule`` added (or swapped in for the rule of the same name).

        Raises:
            InvalidValueError: the name is taken and ``replace`` is false.
        """
        if replace and rule.name in self.names:
            rules = tuple(rule if r.name == rule.name else r for r in self.rules)
        else:
            rules = (*self.rules, rule)
        return attrs.evolve(self, rules=rules)

    def without(self, name: str) -> StageRules:
        """A copy without the rule called ``name``.

        Raises:
            UnknownStrategyError: no such rule.

        Examples:
            >>> StageRules.builtin().without("past_du")
            Traceback (most recent call last):
            ...
            lendcrm.errors.UnknownStrategyError: No stage rule named 'past_du'. Did you mean 'past_due'? Registered: covenant_breach, dscr_below_lockup, exposure_growth, no_drawdown, on_watchlist, past_due, product_deepening, rating_downgrade, recent_first_drawdown, revenue_decline, revenue_growth, steady_relationship, utilisation_surge.
        """
        self.get(name)
        return attrs.evolve(self, rules=tuple(r for r in self.rules if r.name != name))
