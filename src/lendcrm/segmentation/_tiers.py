"""The four value tiers and the service strategy each one receives."""

from __future__ import annotations

import enum
import types
from collections.abc import Mapping
from typing import Final

import attrs

from lendcrm.errors import InvalidValueError


class Tier(enum.StrEnum):
    """Value tier of a client, best first: diamond, gold, silver, basic.

    Members iterate best first; :attr:`rank` is the position in that order (0 for
    diamond), which is also the integer *code* a tiered `Segmentation` stores. A lower
    rank is a better tier. The string values are stable and safe to persist.

    Examples:
        >>> [t.value for t in Tier]
        ['diamond', 'gold', 'silver', 'basic']
        >>> Tier.GOLD.rank, Tier.from_rank(3)
        (1, <Tier.BASIC: 'basic'>)
        >>> Tier.GOLD.is_better_than(Tier.SILVER)
        True
    """

    DIAMOND = "diamond"
    GOLD = "gold"
    SILVER = "silver"
    BASIC = "basic"

    @property
    def rank(self) -> int:
        """Position in the order best first (0 = diamond, 3 = basic)."""
        return _RANK[self]

    @classmethod
    def from_rank(cls, rank: int) -> Tier:
        """The tier at position ``rank`` (0 = diamond).

        Raises:
            InvalidValueError: ``rank`` is not 0, 1, 2 or 3.
        """
        if not 0 <= rank < len(TIERS_BEST_FIRST):
            raise InvalidValueError(
                field="rank", value=rank, expected="an integer in [0, 3]"
            )
        return TIERS_BEST_FIRST[rank]

    def is_better_than(self, other: Tier) -> bool:
        """Whether this tier ranks above ``other`` (diamond is better than gold)."""
        return self.rank < other.rank


#: The tiers in order, best first; index = `Tier.rank` = segmentation code.
TIERS_BEST_FIRST: Final[tuple[Tier, ...]] = tuple(Tier)
#: The tier values in order, best first: the ``levels`` of a tiered `Segmentation`.
TIER_LEVELS: Final[tuple[str, ...]] = tuple(t.value for t in Tier)
_RANK: Final[Mapping[Tier, int]] = types.MappingProxyType(
    {t: i for i, t in enumerate(Tier)}
)


@attrs.frozen(kw_only=True)
class ServiceStrategy:
    """How the bank serves clients of one tier (the source article's lesson 1).

    Attributes:
        tier: The tier this strategy applies to.
        coverage: Who covers the relationship.
        review_frequency_months: Months between full relationship reviews.
        pricing_latitude_bps: Largest discount off the pricing grid the relationship
            team may grant, in basis points of margin.
        approval_authority: Lowest authority that may approve new credit for the
            client within policy.
        channel: Main service channel.
    """

    tier: Tier
    coverage: str
    review_frequency_months: int
    pricing_latitude_bps: int
    approval_authority: str
    channel: str


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
        ),
        Tier.GOLD: ServiceStrategy(
            tier=Tier.GOLD,
            coverage="named relationship manager",
            review_frequency_months=6,
            pricing_latitude_bps=15,
            approval_authority="regional credit committee",
            channel="relationship manager, regular visits",
        ),
        Tier.SILVER: ServiceStrategy(
            tier=Tier.SILVER,
            coverage="relationship manager pool",
            review_frequency_months=12,
            pricing_latitude_bps=5,
            approval_authority="branch credit officer",
            channel="phone and online, visits on request",
        ),
        Tier.BASIC: ServiceStrategy(
            tier=Tier.BASIC,
            coverage="service centre",
            review_frequency_months=12,
            pricing_latitude_bps=0,
            approval_authority="standard credit process",
            channel="online and service centre",
        ),
    }
)


def service_strategy(tier: Tier | str) -> ServiceStrategy:
    """The default service strategy for ``tier`` (a `Tier` or its string value).

    Raises:
        InvalidValueError: ``tier`` is not a tier.

    Examples:
        >>> s = service_strategy(Tier.DIAMOND)
        >>> s.review_frequency_months, s.pricing_latitude_bps
        (3, 25)
        >>> service_strategy("gold").coverage
        'named relationship manager'
    """
    try:
        return SERVICE_STRATEGIES[Tier(tier)]
    except ValueError:
        raise InvalidValueError(
            field="tier", value=tier, expected=f"one of {', '.join(TIER_LEVELS)}"
        ) from None
