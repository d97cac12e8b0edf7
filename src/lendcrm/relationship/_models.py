"""The models a relationship view is computed with, held in one frozen object.

`RelationshipModels` carries every fitted or parameter object the composition needs,
so a nightly batch fits (or loads) them once and ships the same object to every
worker: it pickles, and it is immutable.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final

import attrs

from lendcrm._money import currency_code
from lendcrm._tokens import dask_token
from lendcrm._validators import (
    instance_of,
    optional,
    refuse_object,
    require_labels,
    tuple_converter,
)
from lendcrm.errors import InvalidValueError
from lendcrm.lifecycle import StageRules
from lendcrm.relationship._actions import BUILTIN_RULES, ActionRules
from lendcrm.relationship._early_warning import DEFAULT_POLICY, EarlyWarningPolicy
from lendcrm.relationship._pricing import RelationshipPricing
from lendcrm.relationship.workflows import DEFAULT_STRATEGIES, ServiceStrategies
from lendcrm.risk.scoring import MasterScale, Scorecard
from lendcrm.segmentation import RiskOverlay, ThresholdTiers

__all__ = ["RelationshipModels"]

_Rates = tuple[tuple[str, float], ...]


def _roster(value: Iterable[str] | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, str):
        raise InvalidValueError(
            field="roster",
            value=value,
            expected="a collection of RM ids, not one string",
        )
    return tuple(sorted(set(require_labels(value, name="roster", what="RM ids"))))


def _rate(rate: object) -> float:
    """The rate as a float; NaN for what is not a number (refused by the caller)."""
    if isinstance(rate, bool) or not isinstance(rate, int | float | str):
        return float("nan")
    try:
        return float(rate)
    except ValueError:
        return float("nan")


def _rates(value: Mapping[str, float] | Iterable[tuple[str, float]]) -> _Rates:
    given: object = value
    items = (
        tuple(given.items())
        if isinstance(given, Mapping)
        else tuple_converter(name="fx_rates", what="(code, rate) pairs")(given)
    )
    out: list[tuple[str, float]] = []
    for i, pair in enumerate(items):
        if not isinstance(pair, tuple | list) or len(pair) != 2:  # noqa: PLR2004
            refuse_object(pair, name=f"fx_rates[{i}]", what="a (code, rate) pair")
        code, rate = pair
        number = _rate(rate)
        if not number > 0 or number == float("inf"):
            raise InvalidValueError(
                field=f"fx_rates[{code!r}]",
                value=rate,
                expected="a positive, finite rate (reporting units per unit)",
            )
        out.append((currency_code(code), number))
    return tuple(sorted(out))


@attrs.frozen(kw_only=True)
class RelationshipModels:
    """Fitted and parameter objects of the relationship composition.

    Attributes:
        reporting_currency: ISO 4217 code every amount of the view is reported in.
        fx_rates: Units of the reporting currency per one unit of each other
            currency of the book (the reporting currency itself is 1); stored as
            sorted ``(code, rate)`` pairs so the object pickles and compares.
        early_warning: Thresholds, weights and the watchlist rule.
        actions: The next-best-action rules.
        pricing: Pricing parameters; ``None`` leaves the pricing columns (expected
            loss, capital, RAROC, EVA, rate gap) NaN.
        scorecard: A fitted `lendcrm.risk.Scorecard` whose characteristics are
            columns of the clients frame; ``None`` leaves ``score`` and
            ``scored_pd`` NaN.
        master_scale: The rating master scale that grades each client's PD (the
            scored PD when there is a scorecard, else the stored one); ``None``
            leaves ``grade`` empty. Its grade labels also read text ratings for
            the risk overlay.
        stage_rules: The lifecycle stage rules (`lendcrm.lifecycle.StageRules`);
            they read the signals, with the watchlist recommendation of the early
            warnings added. ``None`` leaves ``stage`` empty.
        tiering: Value tiers by fitted cut-offs (`lendcrm.segmentation
            .ThresholdTiers`, row-wise, e.g. from `fit_tiering`); ``None`` leaves
            ``tier`` empty. Clients without relationship measures are not tiered.
        overlay: The segmentation risk overlay capping tiers by rating grade,
            watchlist and the early-warning flag; ``None`` for none.
        service: The bank's service strategies
            (`lendcrm.relationship.workflows.ServiceStrategies`): the next credit
            review (``days_to_review``) and the contact standard of each client
            follow its tier's strategy.
        roster: The bank's relationship manager ids (sorted, unique); when given,
            a client, an interaction or a task naming an RM not in it is refused
            (`lendcrm.errors.UnknownReferenceError` naming the client and the
            field). ``None`` (the default) checks no RM id.

    Raises:
        InvalidValueError: an unknown currency code or a rate that is not positive.

    Examples:
        >>> m = RelationshipModels(fx_rates={"USD": 0.92})
        >>> m.rate("USD"), m.rate("EUR")
        (0.92, 1.0)
        >>> m.rate("GBP")
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `fx_rates['GBP']` must be the number of EUR per one GBP; got None. Add the rate to RelationshipModels(fx_rates=...).
    """

    __dask_tokenize__ = dask_token  # by content: a pickled copy tokenises alike

    reporting_currency: str = attrs.field(default="EUR", converter=currency_code)
    fx_rates: _Rates = attrs.field(default=(), converter=_rates)
    early_warning: EarlyWarningPolicy = attrs.field(
        default=DEFAULT_POLICY,
        validator=instance_of(EarlyWarningPolicy, what="an EarlyWarningPolicy"),
    )
    actions: ActionRules = attrs.field(
        default=BUILTIN_RULES, validator=instance_of(ActionRules, what="ActionRules")
    )
    pricing: RelationshipPricing | None = attrs.field(
        default=None,
        validator=optional(
            instance_of(RelationshipPricing, what="a RelationshipPricing")
        ),
    )
    scorecard: Scorecard | None = attrs.field(
        default=None, validator=optional(instance_of(Scorecard, what="a Scorecard"))
    )
    master_scale: MasterScale | None = attrs.field(
        default=None,
        validator=optional(instance_of(MasterScale, what="a MasterScale")),
    )
    stage_rules: StageRules | None = attrs.field(
        default=None, validator=optional(instance_of(StageRules, what="StageRules"))
    )
    tiering: ThresholdTiers | None = attrs.field(
        default=None,
        validator=optional(
            instance_of(ThresholdTiers, what="ThresholdTiers (row-wise cut-offs)")
        ),
    )
    overlay: RiskOverlay | None = attrs.field(
        default=None, validator=optional(instance_of(RiskOverlay, what="a RiskOverlay"))
    )
    service: ServiceStrategies = attrs.field(
        default=DEFAULT_STRATEGIES,
        validator=instance_of(ServiceStrategies, what="ServiceStrategies"),
    )

    roster: tuple[str, ...] | None = attrs.field(default=None, converter=_roster)

    @property
    def rates(self) -> dict[str, float]:
        """The rates as a dict, the reporting currency included (1.0)."""
        return {**dict(self.fx_rates), self.reporting_currency: 1.0}

    def rate(self, currency: str) -> float:
        """Reporting units per one unit of ``currency``.

        Raises:
            InvalidValueError: no rate for ``currency``.
        """
        rates = self.rates
        if currency not in rates:
            raise InvalidValueError(
                field=f"fx_rates[{currency!r}]",
                value=None,
                expected=f"the number of {self.reporting_currency} per one {currency}",
                hint="Add the rate to RelationshipModels(fx_rates=...).",
            )
        return rates[currency]


#: Models with every default (EUR reporting, no other currency).
DEFAULT_MODELS: Final = RelationshipModels()
