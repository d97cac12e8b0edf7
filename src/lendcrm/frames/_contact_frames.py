"""Contacts and interactions as frames and back (private to `lendcrm.frames`).

``contacts`` has one row per contact, keyed by ``client_id`` in the client's order;
``interactions`` one row per interaction, keyed by ``client_id``, each client's rows
oldest first (several on one day allowed). The contacts of an interaction travel in one
text column, ``contact_ids``, joined by ``;`` (missing when none): a contact id that
holds ``;`` is refused on the way to a frame, so the round trip stays lossless.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final

import pandas as pd

from lendcrm._book import Book
from lendcrm._contacts import (
    Contact,
    ContactId,
    ContactRole,
    Interaction,
    InteractionChannel,
    InteractionTopic,
)
from lendcrm.errors import InvalidValueError
from lendcrm.frames._columnar import frame_of
from lendcrm.frames._rows import Reader, RowBuilder, bools, dates, strs
from lendcrm.frames._specs import ColumnSpec, category_spec, dtypes_of, enum_values
from lendcrm.frames.columns import (
    CHANNEL,
    CLIENT_ID,
    CONTACT_EMAIL,
    CONTACT_ID,
    CONTACT_IDS,
    CONTACT_NAME,
    CONTACT_PHONE,
    CONTACT_ROLE,
    DECISION_MAKER,
    FOLLOW_UP_ON,
    INTERACTION_ON,
    OUTCOME,
    RELATIONSHIP_MANAGER,
    TOPIC,
)

__all__ = [
    "CONTACTS_DTYPES",
    "CONTACT_ID_SEPARATOR",
    "CONTACT_SPECS",
    "INTERACTIONS_DTYPES",
    "contact_frames",
    "read_contacts",
]

#: Joins the contact ids of one interaction in the ``contact_ids`` column.
CONTACT_ID_SEPARATOR: Final = ";"

CONTACT_SPECS: Final[Mapping[str, tuple[ColumnSpec, ...]]] = MappingProxyType(
    {
        "contacts": (
            ColumnSpec(name=CLIENT_ID, kind="str"),
            ColumnSpec(name=CONTACT_ID, kind="str"),
            category_spec(CONTACT_ROLE, enum_values(ContactRole)),
            ColumnSpec(name=DECISION_MAKER, kind="bool"),
            ColumnSpec(name=CONTACT_NAME, kind="str"),
            ColumnSpec(name=CONTACT_EMAIL, kind="str", nullable=True),
            ColumnSpec(name=CONTACT_PHONE, kind="str", nullable=True),
        ),
        "interactions": (
            ColumnSpec(name=CLIENT_ID, kind="str"),
            ColumnSpec(name=INTERACTION_ON, kind="date"),
            category_spec(CHANNEL, enum_values(InteractionChannel)),
            category_spec(TOPIC, enum_values(InteractionTopic)),
            ColumnSpec(name=RELATIONSHIP_MANAGER, kind="str"),
            ColumnSpec(name=CONTACT_IDS, kind="str", nullable=True),
            ColumnSpec(name=OUTCOME, kind="str", nullable=True),
            ColumnSpec(name=FOLLOW_UP_ON, kind="date", nullable=True),
        ),
    }
)
#: Contacts: one row per contact person, keyed by ``client_id``; personal data in
#: ``contact_name``, ``contact_email`` and ``contact_phone``.
CONTACTS_DTYPES: Final = dtypes_of(CONTACT_SPECS["contacts"])
#: Interactions: one row per interaction, keyed by ``client_id``, oldest first within
#: a client; ``contact_ids`` joins the contacts' ids with ``;``.
INTERACTIONS_DTYPES: Final = dtypes_of(CONTACT_SPECS["interactions"])


def _joined(ids: tuple[str, ...], path: str) -> str | None:
    for i, cid in enumerate(ids):
        if CONTACT_ID_SEPARATOR in cid:
            raise InvalidValueError(
                field=f"{path}.contact_ids[{i}]",
                value=cid,
                expected=f"a contact id without {CONTACT_ID_SEPARATOR!r} (it joins "
                "the ids in the interactions frame)",
            )
    return CONTACT_ID_SEPARATOR.join(ids) if ids else None


def contact_frames(book: Book) -> dict[str, pd.DataFrame]:
    """The ``contacts`` and ``interactions`` frames of ``book``.

    Raises:
        InvalidValueError: a contact id of an interaction holds ``;``.
    """
    contacts: list[Contact] = [k for c in book.clients for k in c.contacts]
    owners: list[str] = []
    records: list[Interaction] = []
    joined: list[str | None] = []
    for i, c in enumerate(book.clients):
        for j, x in enumerate(c.interactions):
            owners.append(c.id)
            records.append(x)
            joined.append(_joined(x.contact_ids, f"clients[{i}].interactions[{j}]"))
    return {
        "contacts": frame_of(
            {
                CLIENT_ID: [k.client_id for k in contacts],
                CONTACT_ID: [k.id for k in contacts],
                CONTACT_ROLE: [k.role.value for k in contacts],
                DECISION_MAKER: [k.decision_maker for k in contacts],
                CONTACT_NAME: [k.name for k in contacts],
                CONTACT_EMAIL: [k.email for k in contacts],
                CONTACT_PHONE: [k.phone for k in contacts],
            },
            CONTACTS_DTYPES,
        ),
        "interactions": frame_of(
            {
                CLIENT_ID: owners,
                INTERACTION_ON: [x.on for x in records],
                CHANNEL: [x.channel.value for x in records],
                TOPIC: [x.topic.value for x in records],
                RELATIONSHIP_MANAGER: [x.relationship_manager for x in records],
                CONTACT_IDS: joined,
                OUTCOME: [x.outcome for x in records],
                FOLLOW_UP_ON: [x.follow_up_on for x in records],
            },
            INTERACTIONS_DTYPES,
        ),
    }


def _contact(r: tuple[Any, ...]) -> Contact:
    return Contact(
        client_id=r[0],
        id=ContactId(r[1]),
        role=ContactRole(r[2]),
        decision_maker=r[3],
        name=r[4],
        email=r[5],
        phone=r[6],
    )


def _interaction(r: tuple[Any, ...]) -> Interaction:
    ids = () if r[4] is None else tuple(r[4].split(CONTACT_ID_SEPARATOR))
    return Interaction(
        on=r[0],
        channel=InteractionChannel(r[1]),
        topic=InteractionTopic(r[2]),
        relationship_manager=r[3],
        contact_ids=tuple(ContactId(c) for c in ids),
        outcome=r[5],
        follow_up_on=r[6],
    )


_CONTACT_READERS: Final[tuple[tuple[Reader, str], ...]] = (
    (strs, CLIENT_ID), (strs, CONTACT_ID), (strs, CONTACT_ROLE),
    (bools, DECISION_MAKER), (strs, CONTACT_NAME), (strs, CONTACT_EMAIL),
    (strs, CONTACT_PHONE),
)  # fmt: skip
_INTERACTION_READERS: Final[tuple[tuple[Reader, str], ...]] = (
    (dates, INTERACTION_ON), (strs, CHANNEL), (strs, TOPIC),
    (strs, RELATIONSHIP_MANAGER), (strs, CONTACT_IDS), (strs, OUTCOME),
    (dates, FOLLOW_UP_ON),
)  # fmt: skip


def read_contacts(
    b: RowBuilder, frames: Mapping[str, pd.DataFrame], clients: Mapping[str, Any]
) -> dict[str, dict[str, list[Any]]]:
    """Contacts and interactions by client id (rows of unknown clients recorded in ``b``).

    A frame absent from ``frames`` reads as empty. An interaction naming a contact its
    client does not have (in the contacts read) is recorded under its row label, as
    `load_book`'s one-pass check words it, and left out, so the client still builds.
    """
    contacts = frames.get("contacts")
    out: dict[str, dict[str, list[Any]]] = {
        "contacts": {}
        if contacts is None
        else b.group(
            contacts, "contacts", CLIENT_ID, clients, _CONTACT_READERS, _contact
        )
    }
    known = {(owner, k.id) for owner, ks in out["contacts"].items() for k in ks}

    def interaction(r: tuple[Any, ...]) -> Interaction:
        ids = () if r[5] is None else r[5].split(CONTACT_ID_SEPARATOR)
        for contact in ids:
            if (r[0], contact) not in known:
                raise InvalidValueError(
                    field=CONTACT_IDS,
                    value=contact,
                    expected="ids of contacts of its client in the contacts frame",
                )
        return _interaction(r[1:])

    interactions = frames.get("interactions")
    out["interactions"] = (
        {}
        if interactions is None
        else b.group(
            interactions,
            "interactions",
            CLIENT_ID,
            clients,
            ((strs, CLIENT_ID), *_INTERACTION_READERS),
            interaction,
        )
    )
    return out
