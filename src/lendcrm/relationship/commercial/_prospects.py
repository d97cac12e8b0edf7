"""`Prospect`: a company the bank wants to win, not yet a client.

A frozen, keyword-only attrs class validated like the core entities: every failure is a
`lendcrm.errors.InvalidValueError` naming the prospect and the field, e.g.
``prospect['P-7'].referred_by``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, NewType

import attrs

from lendcrm import ClientId, Money, Sector
from lendcrm._codes import COUNTRY_CODES
from lendcrm._validators import (
    enum_of,
    identifier,
    non_empty_str,
    non_negative_money,
    optional,
)
from lendcrm.errors import InvalidValueError

__all__ = ["Prospect", "ProspectId", "ProspectSource"]

#: Identifier of a prospect (a company that is not a client yet).
ProspectId = NewType("ProspectId", str)


class ProspectSource(StrEnum):
    """How the bank came to know the prospect.

    Examples:
        >>> ProspectSource("referral")
        <ProspectSource.REFERRAL: 'referral'>
    """

    #: Introduced by an existing client (``referred_by`` names the client).
    REFERRAL = "referral"
    #: Found by the bank's own research and calls.
    OUTBOUND = "outbound"
    #: The company approached the bank.
    INBOUND = "inbound"
    #: Introduced by an adviser, arranger or sponsor.
    ADVISER = "adviser"
    #: Met at a conference or event.
    EVENT = "event"


def _country(inst: object, attr: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or value not in COUNTRY_CODES:
        raise InvalidValueError(
            field=_path(inst, attr.name),
            value=value,
            expected="an ISO 3166-1 alpha-2 country code such as 'DE'",
        )


def _path(inst: object, name: str) -> str:
    """``prospect['P-1'].name``: the entity and its field, for messages."""
    key = getattr(inst, "id", None)
    return f"prospect[{key!r}].{name}" if isinstance(key, str) else name


@attrs.frozen(kw_only=True)
class Prospect:
    """A company the bank is courting; it becomes a `lendcrm.Client` when it signs.

    Attributes:
        id: Stable identifier (not a client id).
        name: Registered name (not in ``repr``).
        sector: NACE Rev. 2 section of its main activity.
        country: ISO 3166-1 alpha-2 country code.
        size: Its yearly revenue (turnover), >= 0.
        source: How the bank came to know it.
        referred_by: The client that introduced it; required exactly when
            ``source`` is ``referral``.

    Raises:
        InvalidValueError: a field is invalid; the message names the prospect and the
            field.

    Examples:
        >>> p = Prospect(id=ProspectId("P-1"), name="Solaris Iberia SL",
        ...              sector=Sector.ELECTRICITY_GAS_STEAM, country="ES",
        ...              size=Money.of("40000000", "EUR"),
        ...              source=ProspectSource.REFERRAL, referred_by=ClientId("C-1"))
        >>> p.currency, p.is_referred
        ('EUR', True)
        >>> Prospect(id=ProspectId("P-2"), name="Nordic Data AB",
        ...          sector=Sector.INFORMATION_COMMUNICATION, country="SE",
        ...          size=Money.of("9000000", "SEK"), source=ProspectSource.REFERRAL)
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `prospect['P-2'].referred_by` must be the id of the client who made the referral (source 'referral'); got None.
    """

    id: ProspectId = attrs.field(validator=identifier)
    name: str = attrs.field(repr=False, validator=non_empty_str)
    sector: Sector = attrs.field(validator=enum_of(Sector))
    country: str = attrs.field(validator=_country)
    size: Money = attrs.field(validator=non_negative_money)
    source: ProspectSource = attrs.field(validator=enum_of(ProspectSource))
    referred_by: ClientId | None = attrs.field(
        default=None, validator=optional(non_empty_str)
    )

    def __attrs_post_init__(self) -> None:
        """A referral names its client, and only a referral does."""
        referral = self.source is ProspectSource.REFERRAL
        if referral and self.referred_by is None:
            raise InvalidValueError(
                field=_path(self, "referred_by"),
                value=None,
                expected="the id of the client who made the referral "
                "(source 'referral')",
            )
        if not referral and self.referred_by is not None:
            raise InvalidValueError(
                field=_path(self, "source"),
                value=self.source.value,
                expected="'referral' when `referred_by` names a client",
            )

    @property
    def currency(self) -> str:
        """The currency of ``size``."""
        return self.size.currency

    @property
    def is_referred(self) -> bool:
        """Whether an existing client introduced the prospect."""
        return self.referred_by is not None
