"""Who covers the book: relationship managers, teams, team roles and the tier weights.

A `RelationshipManager` has a seniority `RmLevel`, a team and a capacity: a number
of clients, a weighted workload, or both (``None`` means no limit of that kind). A
client's workload is the weight of its tier (`TIER_WEIGHTS` by default: a diamond
client counts as much as eight basic ones). Besides the primary RM, a client may
have team members in named roles (`RoleAssignment`: credit analyst, product
specialist, service officer).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from enum import StrEnum
from typing import Final

import attrs
import numpy as np

from lendcrm._arrays import FloatArray, FrozenMap
from lendcrm._validators import enum_member, identifier, non_empty_str
from lendcrm.errors import InvalidValueError
from lendcrm.segmentation import TIER_LEVELS

__all__ = [
    "TIER_WEIGHTS",
    "RelationshipManager",
    "RmLevel",
    "RoleAssignment",
    "Team",
    "TeamRole",
    "tier_weight_array",
]


class RmLevel(StrEnum):
    """Seniority of a relationship manager, junior first.

    Examples:
        >>> [level.value for level in RmLevel], RmLevel.HEAD.is_senior
        (['junior', 'senior', 'head'], True)
    """

    JUNIOR = "junior"
    SENIOR = "senior"
    HEAD = "head"

    @property
    def is_senior(self) -> bool:
        """Whether the level may cover diamond clients (senior or head)."""
        return self is not RmLevel.JUNIOR


class TeamRole(StrEnum):
    """A role in a client's coverage team besides the primary relationship manager.

    Examples:
        >>> TeamRole("credit_analyst")
        <TeamRole.CREDIT_ANALYST: 'credit_analyst'>
    """

    CREDIT_ANALYST = "credit_analyst"
    PRODUCT_SPECIALIST = "product_specialist"
    SERVICE_OFFICER = "service_officer"


def _level(value: object) -> RmLevel:
    return enum_member(RmLevel, value, name="level")


def _role(value: object) -> TeamRole:
    return enum_member(TeamRole, value, name="role")


def _capacity(owner: str, name: str, value: object, *, whole: bool) -> None:
    if value is None:
        return
    kind = "an int" if whole else "a finite number"
    ok = (
        isinstance(value, int) and not isinstance(value, bool)
        if whole
        else isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
    )
    if not ok or value < 0:  # type: ignore[operator]
        raise InvalidValueError(
            field=f"relationship_manager[{owner!r}].{name}",
            value=value,
            expected=f"{kind} >= 0, or None for no limit",
        )


@attrs.frozen(kw_only=True)
class RelationshipManager:
    """A relationship manager and the capacity the bank gives them.

    Attributes:
        id: Stable identifier (staff id).
        team: Id of the team the RM belongs to.
        level: Seniority (``junior``, ``senior``, ``head``); only senior and head
            RMs may be given diamond clients by a rebalancing.
        client_capacity: Most clients the RM may cover as primary RM; ``None`` for
            no limit.
        workload_capacity: Most weighted workload (sum of the tier weights of the
            RM's clients); ``None`` for no limit.

    Raises:
        InvalidValueError: an empty id or team, an unknown level, or a negative
            (or non-finite) capacity; the message names the RM and the field.

    Examples:
        >>> RelationshipManager(id="RM-1", team="north", level="senior",
        ...                     client_capacity=120, workload_capacity=150.0)
        RelationshipManager(id='RM-1', team='north', level=<RmLevel.SENIOR: 'senior'>, client_capacity=120, workload_capacity=150.0)
        >>> RelationshipManager(id="RM-2", team="north", level="junior",
        ...                     client_capacity=-5)
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `relationship_manager['RM-2'].client_capacity` must be an int >= 0, or None for no limit; got -5.
    """

    id: str = attrs.field(validator=identifier)
    team: str = attrs.field(validator=non_empty_str)
    level: RmLevel = attrs.field(converter=_level)
    client_capacity: int | None = None
    workload_capacity: float | None = None

    def __attrs_post_init__(self) -> None:
        """Check both capacities (cross-field: the message names the RM)."""
        _capacity(self.id, "client_capacity", self.client_capacity, whole=True)
        _capacity(self.id, "workload_capacity", self.workload_capacity, whole=False)


@attrs.frozen(kw_only=True)
class Team:
    """A coverage team: a group of RMs with a head.

    Attributes:
        id: Stable identifier, the `RelationshipManager.team` of its members.
        head: Id of the RM who leads it, if any (must be a member).

    Examples:
        >>> Team(id="north", head="RM-1")
        Team(id='north', head='RM-1')
    """

    id: str = attrs.field(validator=identifier)
    head: str | None = None


@attrs.frozen(kw_only=True)
class RoleAssignment:
    """A team member in a role on one client, besides the primary RM.

    Attributes:
        client_id: The client.
        role: The role (`TeamRole`).
        member_id: The staff id of the member (an RM of the roster).

    Examples:
        >>> RoleAssignment(client_id="C-1", role="credit_analyst", member_id="RM-7").role
        <TeamRole.CREDIT_ANALYST: 'credit_analyst'>
    """

    client_id: str = attrs.field(validator=identifier)
    role: TeamRole = attrs.field(converter=_role)
    member_id: str = attrs.field(validator=identifier)


#: Default workload weight of one client per tier: diamond 4, gold 2, silver 1, basic 0.5.
TIER_WEIGHTS: Final[Mapping[str, float]] = FrozenMap(
    {"diamond": 4.0, "gold": 2.0, "silver": 1.0, "basic": 0.5}
)


def tier_weight_array(weights: Mapping[str, float]) -> FloatArray:
    """The weights in tier order (diamond first), checked: every tier, each >= 0.

    Args:
        weights: Weight per tier value (``"diamond"`` ... ``"basic"``).

    Raises:
        InvalidValueError: a tier is missing, or a weight is negative, non-finite
            or not a number; the message names the tier.

    Examples:
        >>> tier_weight_array(TIER_WEIGHTS).tolist()
        [4.0, 2.0, 1.0, 0.5]
        >>> tier_weight_array({"diamond": 3.0, "gold": 2.0, "silver": 1.0, "basic": -1})
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `tier_weights['basic']` must be a finite number >= 0; got -1.
    """
    out = np.empty(len(TIER_LEVELS), dtype=np.float64)
    for i, tier in enumerate(TIER_LEVELS):
        if tier not in weights:
            raise InvalidValueError(
                field=f"tier_weights[{tier!r}]",
                value="missing",
                expected="a weight for every tier (diamond, gold, silver, basic)",
            )
        value: object = weights[tier]
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
            or value < 0
        ):
            raise InvalidValueError(
                field=f"tier_weights[{tier!r}]",
                value=value,
                expected="a finite number >= 0",
            )
        out[i] = float(value)
    return out
