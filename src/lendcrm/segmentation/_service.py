"""The service strategy a tier receives, and the default table of them.

A `ServiceStrategy` is the service model of one tier (the source article's lesson 1):
who covers the client (the team model), how often the relationship and the credit are
reviewed, the contact standard (meaningful interactions in a window of months, and which
channels count), how often KYC is refreshed, the pricing latitude and the approval
authority. `SERVICE_STRATEGIES` is the built-in table; a bank passes its own (a
mapping from every `Tier` to its strategy) wherever a strategy is looked up
(`service_strategy`, and `lendcrm.relationship.workflows.ServiceStrategies`, which adds
per-stage overrides and the calendar's risk rules).

It stays in `lendcrm.segmentation` because it is data about a tier, read by every
layer above; the table with lifecycle-stage overrides lives in
`lendcrm.relationship.workflows`, which may import the lifecycle.
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from typing import Final

import attrs

from lendcrm import InteractionChannel
from lendcrm._validators import Attribute, Validator, refuse_object
from lendcrm.errors import InvalidValueError
from lendcrm.segmentation._tiers import TIER_LEVELS, Tier

__all__ = [
    "MEANINGFUL_CHANNELS",
    "SERVICE_STRATEGIES",
    "ServiceStrategy",
    "check_strategy_table",
    "service_strategy",
]

#: The channels that count towards a contact standard by default: a conversation
#: (meeting, call, visit, client forum); an email or a questionnaire does not.
MEANINGFUL_CHANNELS: Final[frozenset[InteractionChannel]] = frozenset(
    {
        InteractionChannel.MEETING,
        InteractionChannel.CALL,
        InteractionChannel.VISIT,
        InteractionChannel.CLIENT_FORUM,
    }
)


def _months(*, allow_zero: bool = False) -> Validator:
    """An attrs validator: a whole number of months (> 0, or >= 0), naming the tier."""

    def check(inst: object, attr: Attribute, value: object) -> None:
        low = 0 if allow_zero else 1
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            tier = getattr(inst, "tier", None)
            raise InvalidValueError(
                field=attr.name,
                value=value,
                expected=f"an integer >= {low} (service strategy of tier "
                f"{getattr(tier, 'value', tier)!r})",
            )

    return check


def _channels(value: object) -> frozenset[InteractionChannel]:
    try:
        return frozenset(InteractionChannel(v) for v in value)  # type: ignore[attr-defined]
    except (TypeError, ValueError):
        raise InvalidValueError(
            field="meaningful_channels",
            value=value,
            expected=f"channels among {', '.join(c.value for c in InteractionChannel)}",
        ) from None


@attrs.frozen(kw_only=True)
class ServiceStrategy:
    """How the bank serves clients of one tier (the source article's lesson 1).

    Attributes:
        tier: The tier this strategy applies to.
        coverage: Who covers the relationship: the team model.
        review_frequency_months: Months between full credit reviews, > 0.
        pricing_latitude_bps: Largest discount off the pricing grid the relationship
            team may grant, in basis points of margin.
        approval_authority: Lowest authority that may approve new credit for the
            client within policy.
        channel: Main service channel.
        contact_interactions: The contact standard: meaningful interactions the client
            should have in every window of ``contact_window_months``, >= 0 (0: no
            standard).
        contact_window_months: The window of the contact standard, in months, > 0.
        meaningful_channels: The channels that count towards the contact standard
            (default: meeting, call, visit, client forum).
        kyc_refresh_months: Months between two KYC refreshes for a standard-risk
            client, > 0 (the calendar shortens it for high-risk clients).

    Raises:
        InvalidValueError: a month count or the contact standard is not a whole
            number in range (the message names the field and the tier).

    Examples:
        >>> s = ServiceStrategy(tier=Tier.GOLD, coverage="named RM",
        ...     review_frequency_months=6, pricing_latitude_bps=15,
        ...     approval_authority="regional credit committee", channel="visits")
        >>> s.contact_interactions, s.contact_window_months, s.kyc_refresh_months
        (1, 12, 36)
        >>> ServiceStrategy(tier=Tier.GOLD, coverage="named RM",
        ...     review_frequency_months=-6, pricing_latitude_bps=15,
        ...     approval_authority="regional credit committee", channel="visits")
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `review_frequency_months` must be an integer >= 1 (service strategy of tier 'gold'); got -6.
    """

    tier: Tier = attrs.field(converter=Tier)
    coverage: str
    review_frequency_months: int = attrs.field(validator=_months())
    pricing_latitude_bps: int
    approval_authority: str
    channel: str
    contact_interactions: int = attrs.field(
        default=1,
        validator=_months(allow_zero=True),
    )
    contact_window_months: int = attrs.field(default=12, validator=_months())
    meaningful_channels: frozenset[InteractionChannel] = attrs.field(
        default=MEANINGFUL_CHANNELS, converter=_channels
    )
    kyc_refresh_months: int = attrs.field(default=36, validator=_months())


#: The default service model per tier, best first. Banks replace it with their own
#: table; it is data, not code.
SERVICE_STRATEGIES: Final[Mapping[Tier, ServiceStrategy]] = types.MappingProxyType(
    {
        Tier.DIAMOND: ServiceStrategy(
            tier=Tier.DIAMOND,
            coverage="senior relationship manager with a dedicated product team",
            review_frequency_months=3,
            pricing_latitude_bps=25,
            approval_authority="head of corporate banking, fast track",
            channel="dedicated team, on site",
            contact_interactions=3,
            contact_window_months=3,
        ),
        Tier.GOLD: ServiceStrategy(
            tier=Tier.GOLD,
            coverage="named relationship manager",
            review_frequency_months=6,
            pricing_latitude_bps=15,
            approval_authority="regional credit committee",
            channel="relationship manager, regular visits",
            contact_interactions=2,
            contact_window_months=6,
        ),
        Tier.SILVER: ServiceStrategy(
            tier=Tier.SILVER,
            coverage="relationship manager pool",
            review_frequency_months=12,
            pricing_latitude_bps=5,
            approval_authority="branch credit officer",
            channel="phone and online, visits on request",
            contact_interactions=2,
            contact_window_months=12,
        ),
        Tier.BASIC: ServiceStrategy(
            tier=Tier.BASIC,
            coverage="service centre",
            review_frequency_months=12,
            pricing_latitude_bps=0,
            approval_authority="standard credit process",
            channel="online and service centre",
            contact_interactions=1,
            contact_window_months=12,
        ),
    }
)


def check_strategy_table(
    table: Mapping[Tier, ServiceStrategy], *, field: str = "table"
) -> None:
    """Check that every tier has a `ServiceStrategy` filed under its own tier.

    Args:
        table: The bank's table, tier -> strategy.
        field: The name of the table in messages.

    Raises:
        InvalidValueError: a tier is missing, or a strategy is filed under another
            tier (the message names the tier and ``field``).

    Examples:
        >>> check_strategy_table(SERVICE_STRATEGIES)
        >>> check_strategy_table({Tier.GOLD: SERVICE_STRATEGIES[Tier.DIAMOND]})
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `table['diamond']` must be a ServiceStrategy for tier 'diamond' (the table must cover every tier: diamond, gold, silver, basic); got None.
    """
    if not isinstance(table, Mapping):
        refuse_object(table, name=field, what="a mapping of Tier to ServiceStrategy")
    for tier in Tier:
        strategy = table.get(tier)
        if strategy is None:
            raise InvalidValueError(
                field=f"{field}[{tier.value!r}]",
                value=None,
                expected=f"a ServiceStrategy for tier {tier.value!r} (the table must "
                f"cover every tier: {', '.join(TIER_LEVELS)})",
            )
        if strategy.tier is not tier:
            raise InvalidValueError(
                field=f"{field}[{tier.value!r}]",
                value=getattr(strategy, "tier", strategy),
                expected=f"a ServiceStrategy whose tier is {tier.value!r}",
            )


def service_strategy(
    tier: Tier | str, table: Mapping[Tier, ServiceStrategy] = SERVICE_STRATEGIES
) -> ServiceStrategy:
    """The service strategy for ``tier`` in ``table`` (the built-in one by default).

    Args:
        tier: A `Tier` or its string value.
        table: The bank's table, a mapping from every tier to its strategy.

    Raises:
        InvalidValueError: ``tier`` is not a tier, or ``table`` misses a tier or files
            a strategy under another tier.

    Examples:
        >>> s = service_strategy(Tier.DIAMOND)
        >>> s.review_frequency_months, s.pricing_latitude_bps
        (3, 25)
        >>> service_strategy("gold").coverage
        'named relationship manager'
        >>> service_strategy("gold", {Tier.DIAMOND: SERVICE_STRATEGIES[Tier.DIAMOND]})
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `table['gold']` must be a ServiceStrategy for tier 'gold' (the table must cover every tier: diamond, gold, silver, basic); got None.
    """
    try:
        key = Tier(tier)
    except ValueError:
        raise InvalidValueError(
            field="tier", value=tier, expected=f"one of {', '.join(TIER_LEVELS)}"
        ) from None
    if table is not SERVICE_STRATEGIES:
        check_strategy_table(table, field="table")
    return table[key]
