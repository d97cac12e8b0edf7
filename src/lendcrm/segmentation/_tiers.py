"""The four value tiers, best first (their service strategies are in `_service`)."""

from __future__ import annotations

import enum
import types
from collections.abc import Mapping
from typing import Final

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
