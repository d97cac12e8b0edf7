"""Contact-standard compliance of one client: `contact_standard` (entity face).

The client's `ServiceStrategy` asks for ``contact_interactions`` meaningful
interactions (on one of its ``meaningful_channels``) in every window of
``contact_window_months``; the window ends at ``as_of`` and starts that many calendar
months before it (exclusive). The arithmetic is that of the columnar face.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from enum import StrEnum

import attrs
import numpy as np

from lendcrm import Client
from lendcrm._dates import check_as_of
from lendcrm.lifecycle import ClientStage
from lendcrm.relationship.workflows._calendar import DEFAULT_STRATEGIES
from lendcrm.relationship.workflows._checks import check_client_log
from lendcrm.relationship.workflows._kernel import NO_DAY, contact_numbers
from lendcrm.relationship.workflows._strategies import (
    CHANNELS,
    STAGES,
    ServiceStrategies,
)
from lendcrm.segmentation import Tier

__all__ = ["ContactCompliance", "ContactStanding", "contact_standard", "standing_of"]

_EPOCH = dt.date(1970, 1, 1)


class ContactStanding(StrEnum):
    """Where a client stands against its contact standard.

    ``met``: enough meaningful interactions in the window (always, when the strategy
    asks for none); ``behind``: some, not enough; ``no_contact``: none in the window.

    Examples:
        >>> ContactStanding("behind").is_met
        False
    """

    MET = "met"
    BEHIND = "behind"
    NO_CONTACT = "no_contact"

    @property
    def is_met(self) -> bool:
        """Whether the standard is met."""
        return self is ContactStanding.MET


def standing_of(in_window: int, required: int) -> ContactStanding:
    """The standing of ``in_window`` interactions against ``required``."""
    if in_window >= required:
        return ContactStanding.MET
    return ContactStanding.BEHIND if in_window > 0 else ContactStanding.NO_CONTACT


@attrs.frozen(kw_only=True)
class ContactCompliance:
    """A client's contact standard at a date.

    Attributes:
        client_id: The client.
        relationship_manager: The client's RM (``None``: unassigned).
        required: Meaningful interactions the strategy asks per window.
        window_months: The window, in months.
        in_window: Meaningful interactions in the window.
        gap: Interactions missing to meet the standard, >= 0.
        last_contact_on: Latest meaningful interaction (``None``: never).
        days_since_contact: Days from it to ``as_of`` (``None``: never).
        standing: Met, behind or no contact.
    """

    client_id: str
    relationship_manager: str | None
    required: int
    window_months: int
    in_window: int
    gap: int
    last_contact_on: dt.date | None
    days_since_contact: int | None
    standing: ContactStanding


def contact_standard(
    client: Client,
    *,
    as_of: dt.date,
    tier: Tier | str | None = None,
    stage: ClientStage | str | None = None,
    strategies: ServiceStrategies = DEFAULT_STRATEGIES,
    relationship_managers: Collection[str] | None = None,
) -> ContactCompliance:
    """The client's meaningful interactions against its tier's contact standard.

    Args:
        client: The client, with its interactions.
        as_of: The evaluation date (no interaction may be after it).
        tier: The client's tier (``None``: untiered, served as
            ``strategies.untiered``).
        stage: The client's lifecycle stage, if known.
        strategies: The bank's service strategies.
        relationship_managers: The bank's RM ids; when given, an unknown RM on the
            client or an interaction is refused.

    Raises:
        InvalidValueError: an interaction dated after ``as_of``; an unknown tier or
            stage.
        UnknownReferenceError: an RM not in ``relationship_managers``.

    Examples:
        >>> import datetime as dt
        >>> from lendcrm import (Client, ClientId, Interaction, InteractionChannel,
        ...     InteractionTopic, Money, Sector)
        >>> def touch(day, channel):
        ...     return Interaction(on=day, channel=channel,
        ...         topic=InteractionTopic.RELATIONSHIP, relationship_manager="RM-1")
        >>> c = Client(id=ClientId("C-1"), legal_name="Nordwind GmbH",
        ...     sector=Sector.MANUFACTURING, country="DE",
        ...     onboarded_on=dt.date(2020, 3, 1), annual_revenue=Money.of("1", "EUR"),
        ...     relationship_manager="RM-1", interactions=(
        ...         touch(dt.date(2025, 6, 2), InteractionChannel.VISIT),
        ...         touch(dt.date(2025, 11, 3), InteractionChannel.EMAIL)))
        >>> s = contact_standard(c, as_of=dt.date(2026, 1, 31), tier="gold")
        >>> s.required, s.in_window, s.gap, s.standing.value, s.days_since_contact
        (2, 0, 2, 'no_contact', 243)
    """
    check_as_of(as_of)
    check_client_log(client, as_of, relationship_managers)
    strategy = strategies.strategy(tier, stage)
    st = -1 if stage is None or stage == "" else STAGES.index(ClientStage(stage))
    log = client.interactions
    n = len(log)
    numbers = contact_numbers(
        rows=np.zeros(n, dtype=np.int64),
        on=np.array([(i.on - _EPOCH).days for i in log], dtype=np.int64),
        channel=np.array([CHANNELS.index(i.channel) for i in log], dtype=np.int64),
        tier=np.array([strategy.tier.rank], dtype=np.int64),
        stage=np.array([st], dtype=np.int64),
        t=strategies.arrays(),
        day=(as_of - _EPOCH).days,
    )
    required, in_window = int(numbers.required[0]), int(numbers.in_window[0])
    last = int(numbers.last_contact[0])
    last_on = None if last == NO_DAY else _EPOCH + dt.timedelta(days=last)
    return ContactCompliance(
        client_id=client.id,
        relationship_manager=client.relationship_manager,
        required=required,
        window_months=int(numbers.window_months[0]),
        in_window=in_window,
        gap=max(required - in_window, 0),
        last_contact_on=last_on,
        days_since_contact=None if last_on is None else (as_of - last_on).days,
        standing=standing_of(in_window, required),
    )
