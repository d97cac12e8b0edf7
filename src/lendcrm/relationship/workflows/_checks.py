"""Input checks shared by the entity faces of the calendar and the contact standard."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from lendcrm import Client
from lendcrm._validators import require_instance
from lendcrm.errors import InvalidValueError, UnknownReferenceError

__all__ = ["check_client_log", "check_rm"]


def check_rm(
    rm: str, known: Collection[str] | None, *, client_id: str, field: str
) -> None:
    """Refuse a relationship manager id the bank's list does not hold.

    Raises:
        UnknownReferenceError: ``rm`` is not in ``known`` (no check when ``known`` is
            ``None``); the message names the client and the field.
    """
    if known is not None and rm not in known:
        raise UnknownReferenceError(
            kind="relationship manager",
            key=rm,
            field=f"client {client_id!r}: {field}",
            known=sorted(known),
        )


def check_client_log(
    client: Client, as_of: dt.date, relationship_managers: Collection[str] | None
) -> None:
    """No interaction after ``as_of``; every RM named is known (when a list is given).

    Raises:
        InvalidValueError: an interaction dated after ``as_of``.
        UnknownReferenceError: the client's RM or an interaction's RM is unknown.
    """
    require_instance(client, Client, name="client", what="a Client")
    if client.relationship_manager is not None:
        check_rm(
            client.relationship_manager,
            relationship_managers,
            client_id=client.id,
            field="relationship_manager",
        )
    for i, interaction in enumerate(client.interactions):
        if interaction.on > as_of:
            raise InvalidValueError(
                field=f"interactions[{i}].on",
                value=interaction.on,
                expected=f"a date on or before as_of ({as_of}) for client "
                f"{client.id!r} (an interaction cannot be in the future)",
            )
        check_rm(
            interaction.relationship_manager,
            relationship_managers,
            client_id=client.id,
            field=f"interactions[{i}].relationship_manager",
        )
