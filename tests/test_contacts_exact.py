"""Exact boundaries and refusals of contacts and interactions (issue #23)."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from lendcrm import (
    Contact,
    ContactId,
    ContactRole,
    Interaction,
    InteractionChannel,
    InteractionTopic,
)
from lendcrm._contacts import check_client_contacts
from lendcrm.errors import InvalidValueError, UnknownReferenceError

D = dt.date(2026, 3, 2)


@attrs.frozen
class _Client:
    id: str
    onboarded_on: dt.date
    contacts: tuple[Contact, ...] = ()
    interactions: tuple[Interaction, ...] = ()


def contact(cid: str, client: str = "C-1") -> Contact:
    return Contact(id=ContactId(cid), client_id=client, role=ContactRole.CFO, name="N")


def meeting(on: dt.date, *ids: str, follow_up_on: dt.date | None = None) -> Interaction:
    return Interaction(
        on=on,
        channel=InteractionChannel.MEETING,
        topic=InteractionTopic.ANNUAL_REVIEW,
        relationship_manager="RM",
        contact_ids=tuple(ContactId(i) for i in ids),
        follow_up_on=follow_up_on,
    )


def test_defaults() -> None:
    k = contact("K-1")
    assert (k.decision_maker, k.email, k.phone) == (False, None, None)
    i = meeting(D)
    assert (i.contact_ids, i.outcome, i.follow_up_on) == ((), None, None)


def test_follow_up_on_exact() -> None:
    assert meeting(D, follow_up_on=D).follow_up_on == D
    before = D - dt.timedelta(days=1)
    with pytest.raises(InvalidValueError) as info:
        meeting(D, follow_up_on=before)
    err = info.value
    assert (err.field, err.value) == ("follow_up_on", before)
    assert err.expected == "a date on or after the interaction date `on` (2026-03-02)"


def test_contact_ids_listed_once_and_not_blank() -> None:
    for ids, index in ((("K-1", "K-2", "K-1"), 2), (("K-1", " "), 1), (("",), 0)):
        with pytest.raises(InvalidValueError) as info:
            meeting(D, *ids)
        err = info.value
        assert (err.field, err.value) == (f"contact_ids[{index}]", ids[index])
        assert err.expected == "a non-empty contact id not already listed"
    assert meeting(D, "K-1", "K-2").contact_ids == ("K-1", "K-2")


def test_check_client_contacts_accepts_a_consistent_client() -> None:
    client = _Client(
        "C-1",
        D,
        (contact("K-1"), contact("K-2")),
        (meeting(D, "K-1"), meeting(D, "K-2"), meeting(D + dt.timedelta(days=1))),
    )
    check_client_contacts(client)  # several on the onboarding day, in order


def test_contact_of_another_client_and_twice() -> None:
    with pytest.raises(InvalidValueError) as info:
        check_client_contacts(
            _Client("C-1", D, (contact("K-1"), contact("K-2", "C-2")))
        )
    err = info.value
    assert (err.field, err.value) == ("contacts[1].client_id", "C-2")
    assert err.expected == "this client's id 'C-1' (a client lists its own contacts)"
    with pytest.raises(InvalidValueError) as info:
        check_client_contacts(
            _Client("C-1", D, (contact("K-1"), contact("K-2"), contact("K-1")))
        )
    err = info.value
    assert (err.field, err.value) == ("contacts[2].id", "K-1")
    assert err.expected == "a contact id not already used by client 'C-1'"


def test_interaction_dates_exact() -> None:
    before = D - dt.timedelta(days=1)
    with pytest.raises(InvalidValueError) as info:
        check_client_contacts(_Client("C-1", D, (), (meeting(D), meeting(before))))
    err = info.value
    assert (err.field, err.value) == ("interactions[1].on", before)
    assert err.expected == (
        "a date on or after `onboarded_on` (2026-03-02) of client 'C-1' "
        "(no interaction before the client existed)"
    )
    later = D + dt.timedelta(days=5)
    with pytest.raises(InvalidValueError) as info:
        check_client_contacts(
            _Client(
                "C-1",
                D,
                (),
                (meeting(D), meeting(later), meeting(before + dt.timedelta(days=3))),
            )
        )
    err = info.value
    assert (err.field, err.value) == ("interactions[2].on", D + dt.timedelta(days=2))
    assert err.expected == (
        "a date on or after the previous interaction (2026-03-07) of client 'C-1' "
        "(interactions are oldest first)"
    )


def test_interaction_names_an_unknown_contact() -> None:
    client = _Client(
        "C-1", D, (contact("K-1"),), (meeting(D, "K-1"), meeting(D, "K-1", "K-9"))
    )
    with pytest.raises(UnknownReferenceError) as info:
        check_client_contacts(client)
    err = info.value
    assert (err.field, err.key, err.known) == (
        "interactions[1].contact_ids[1]",
        "K-9",
        ("K-1",),
    )
    assert err.kind == "contact of client 'C-1'"
