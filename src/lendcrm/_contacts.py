"""Who the bank talks to at a client, and when: `Contact`, `Interaction` and their enums.

A `Contact` is a person at the client (a role, whether they decide; their name, email and
phone are personal data and stay out of ``repr``). An `Interaction` is one dated touch
point: a meeting, call, visit, email, client forum or questionnaire, on a topic, held by
a relationship manager (an id the bank's coverage owns) with some of the client's
contacts. `lendcrm.Client` holds both (``contacts``, ``interactions``); the cross-field
rules are `check_client_contacts`.

Dates against ``as_of`` (an interaction after the evaluation date) are checked by the
functions that take an ``as_of`` (`lendcrm.relationship.workflows`), not here: an entity
has no clock.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import NewType, Protocol

import attrs

from lendcrm._validators import (
    enum_of,
    identifier,
    instance_of,
    is_date,
    non_empty_str,
    optional,
    tuple_of,
)
from lendcrm.errors import InvalidValueError, UnknownReferenceError

__all__ = [
    "Contact",
    "ContactId",
    "ContactRole",
    "Interaction",
    "InteractionChannel",
    "InteractionTopic",
    "check_client_contacts",
]

#: Identifier of a contact person at a client.
ContactId = NewType("ContactId", str)


class ContactRole(StrEnum):
    """The role of a contact person at a client.

    Examples:
        >>> ContactRole("cfo")
        <ContactRole.CFO: 'cfo'>
    """

    CEO = "ceo"
    CFO = "cfo"
    TREASURER = "treasurer"
    CONTROLLER = "controller"
    LEGAL = "legal"
    OPERATIONS = "operations"
    SPONSOR_REPRESENTATIVE = "sponsor_representative"
    OTHER = "other"


class InteractionChannel(StrEnum):
    """How an interaction took place (the source article's communication channels).

    Examples:
        >>> [c.value for c in InteractionChannel]
        ['meeting', 'call', 'visit', 'email', 'client_forum', 'questionnaire']
    """

    MEETING = "meeting"
    CALL = "call"
    VISIT = "visit"
    EMAIL = "email"
    CLIENT_FORUM = "client_forum"
    QUESTIONNAIRE = "questionnaire"


class InteractionTopic(StrEnum):
    """What an interaction was about.

    Three topics complete a calendar item (`lendcrm.relationship.workflows.calendar`):
    ``credit_review``, ``annual_review`` and ``kyc`` (a KYC refresh).

    Examples:
        >>> InteractionTopic.KYC.value
        'kyc'
    """

    RELATIONSHIP = "relationship"
    CREDIT_REVIEW = "credit_review"
    ANNUAL_REVIEW = "annual_review"
    KYC = "kyc"
    COVENANT = "covenant"
    PRODUCT = "product"
    COMPLAINT = "complaint"


@attrs.frozen(kw_only=True)
class Contact:
    """A person at a client the bank deals with.

    Attributes:
        id: Stable identifier, unique within the client.
        client_id: The client the person works for.
        role: The person's role.
        decision_maker: Whether the person signs off credit and product decisions.
        name: Full name (personal data: not in ``repr``).
        email: Email address, if known (personal data: not in ``repr``).
        phone: Phone number, if known (personal data: not in ``repr``).

    Examples:
        >>> from lendcrm import ClientId
        >>> Contact(id=ContactId("K-1"), client_id=ClientId("C-1"), role=ContactRole.CFO,
        ...         decision_maker=True, name="Ada Weber", email="ada@example.com")
        Contact(id='K-1', client_id='C-1', role=<ContactRole.CFO: 'cfo'>, decision_maker=True)
    """

    id: ContactId = attrs.field(validator=identifier)
    client_id: str = attrs.field(validator=identifier)
    role: ContactRole = attrs.field(validator=enum_of(ContactRole))
    decision_maker: bool = attrs.field(
        default=False, validator=instance_of(bool, what="a bool")
    )
    name: str = attrs.field(repr=False, validator=non_empty_str)
    email: str | None = attrs.field(
        default=None, repr=False, validator=optional(non_empty_str)
    )
    phone: str | None = attrs.field(
        default=None, repr=False, validator=optional(non_empty_str)
    )


@attrs.frozen(kw_only=True)
class Interaction:
    """One dated touch point with a client.

    Attributes:
        on: The date it took place.
        channel: Meeting, call, visit, email, client forum or questionnaire.
        topic: What it was about.
        relationship_manager: Id of the relationship manager who held it.
        contact_ids: The client's contacts who took part (ids of its ``contacts``).
        outcome: What came of it, free text (may name people: not in ``repr``).
        follow_up_on: Date agreed for the follow-up, if any; on or after ``on``.

    Examples:
        >>> import datetime as dt
        >>> i = Interaction(on=dt.date(2026, 3, 2), channel=InteractionChannel.VISIT,
        ...                 topic=InteractionTopic.ANNUAL_REVIEW,
        ...                 relationship_manager="RM-7", contact_ids=(ContactId("K-1"),),
        ...                 follow_up_on=dt.date(2026, 4, 1))
        >>> i.channel.value, i.follow_up_on
        ('visit', datetime.date(2026, 4, 1))
    """

    on: dt.date = attrs.field(validator=is_date)
    channel: InteractionChannel = attrs.field(validator=enum_of(InteractionChannel))
    topic: InteractionTopic = attrs.field(validator=enum_of(InteractionTopic))
    relationship_manager: str = attrs.field(validator=non_empty_str)
    contact_ids: tuple[ContactId, ...] = attrs.field(
        default=(), validator=tuple_of(str, what="contact id (str)")
    )
    outcome: str | None = attrs.field(
        default=None, repr=False, validator=optional(non_empty_str)
    )
    follow_up_on: dt.date | None = attrs.field(
        default=None, validator=optional(is_date)
    )

    def __attrs_post_init__(self) -> None:
        """A follow-up is not before the interaction; contacts are listed once."""
        if self.follow_up_on is not None and self.follow_up_on < self.on:
            raise InvalidValueError(
                field="follow_up_on",
                value=self.follow_up_on,
                expected=f"a date on or after the interaction date `on` ({self.on})",
            )
        for i, cid in enumerate(self.contact_ids):
            if not cid.strip() or cid in self.contact_ids[:i]:
                raise InvalidValueError(
                    field=f"contact_ids[{i}]",
                    value=cid,
                    expected="a non-empty contact id not already listed",
                )


class _ClientContacts(Protocol):
    """What `check_client_contacts` reads of a `lendcrm.Client`."""

    @property
    def id(self) -> str: ...
    @property
    def onboarded_on(self) -> dt.date: ...
    @property
    def contacts(self) -> tuple[Contact, ...]: ...
    @property
    def interactions(self) -> tuple[Interaction, ...]: ...


def check_client_contacts(client: _ClientContacts) -> None:
    """The contact rules of a `Client`, each failure naming the field.

    Contacts are the client's own (``client_id``), each id once. Interactions are
    oldest first (several on one day allowed), none before ``onboarded_on`` (the
    relationship did not exist yet: record a prospect with ``onboarded_on`` at its first
    contact), and every ``contact_ids`` entry names one of the client's contacts.

    Raises:
        InvalidValueError: a contact of another client, a contact id used twice, an
            interaction before onboarding or out of date order.
        UnknownReferenceError: an interaction names a contact the client does not list.
    """
    owner = f"client {client.id!r}"
    known: list[str] = []
    for i, contact in enumerate(client.contacts):
        if contact.client_id != client.id:
            raise InvalidValueError(
                field=f"contacts[{i}].client_id",
                value=contact.client_id,
                expected=f"this client's id {client.id!r} (a client lists its own "
                "contacts)",
            )
        if contact.id in known:
            raise InvalidValueError(
                field=f"contacts[{i}].id",
                value=contact.id,
                expected=f"a contact id not already used by {owner}",
            )
        known.append(contact.id)
    previous: dt.date | None = None
    for i, interaction in enumerate(client.interactions):
        if interaction.on < client.onboarded_on:
            raise InvalidValueError(
                field=f"interactions[{i}].on",
                value=interaction.on,
                expected=f"a date on or after `onboarded_on` ({client.onboarded_on}) "
                f"of {owner} (no interaction before the client existed)",
            )
        if previous is not None and interaction.on < previous:
            raise InvalidValueError(
                field=f"interactions[{i}].on",
                value=interaction.on,
                expected=f"a date on or after the previous interaction ({previous}) "
                f"of {owner} (interactions are oldest first)",
            )
        previous = interaction.on
        for j, cid in enumerate(interaction.contact_ids):
            if cid not in known:
                raise UnknownReferenceError(
                    kind=f"contact of {owner}",
                    key=cid,
                    field=f"interactions[{i}].contact_ids[{j}]",
                    known=known,
                )
