"""Contacts and interactions on a client (#13): the rules and their messages."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from lendcrm import (
    Contact,
    ContactId,
    ContactRole,
    EquatorCategory,
    Interaction,
    InteractionChannel,
    InteractionTopic,
)
from lendcrm.errors import InvalidValueError, UnknownReferenceError
from tests.factories import client, project

CFO = Contact(
    id=ContactId("K-1"),
    client_id="C-1",
    role=ContactRole.CFO,
    decision_maker=True,
    name="Ada Weber",
    email="ada.weber@example.com",
    phone="+49 30 1234567",
)


def call(on: dt.date, *contacts: str, **changes: object) -> Interaction:
    fields: dict[str, object] = {
        "on": on,
        "channel": InteractionChannel.CALL,
        "topic": InteractionTopic.RELATIONSHIP,
        "relationship_manager": "RM-1",
        "contact_ids": tuple(ContactId(c) for c in contacts),
    }
    fields.update(changes)
    return Interaction(**fields)  # type: ignore[arg-type]


def test_personal_data_stays_out_of_repr():
    text = repr(CFO) + repr(client(contacts=(CFO,), interactions=()))
    assert "Ada" not in text
    assert "example.com" not in text
    assert "1234567" not in text
    outcome = call(dt.date(2021, 1, 1), outcome="Ada Weber agreed")
    assert "Ada" not in repr(outcome)


def test_client_holds_contacts_interactions_and_rm():
    c = client(
        relationship_manager="RM-1",
        contacts=(CFO,),
        interactions=(call(dt.date(2021, 1, 1), "K-1"), call(dt.date(2021, 1, 1))),
    )
    assert c.relationship_manager == "RM-1"
    assert len(c.interactions) == 2


def test_interaction_before_onboarding_is_refused():
    with pytest.raises(InvalidValueError) as err:
        client(interactions=(call(dt.date(2019, 12, 31)),))
    assert err.value.field == "interactions[0].on"
    assert "on or after `onboarded_on` (2020-01-01) of client 'C-1'" in str(err.value)


def test_interactions_out_of_order_are_refused():
    with pytest.raises(InvalidValueError) as err:
        client(interactions=(call(dt.date(2021, 2, 1)), call(dt.date(2021, 1, 1))))
    assert err.value.field == "interactions[1].on"
    assert "oldest first" in str(err.value)


def test_unknown_contact_in_interaction():
    with pytest.raises(UnknownReferenceError) as err:
        client(contacts=(CFO,), interactions=(call(dt.date(2021, 1, 1), "K-2"),))
    assert err.value.field == "interactions[0].contact_ids[0]"
    assert str(err.value) == (
        "No contact of client 'C-1' with id 'K-2' (referenced by "
        "`interactions[0].contact_ids[0]`). Did you mean 'K-1'?"
    )


def test_contact_of_another_client_is_refused():
    with pytest.raises(InvalidValueError) as err:
        client(contacts=(attrs.evolve(CFO, client_id="C-2"),))
    assert err.value.field == "contacts[0].client_id"


def test_contact_id_used_twice_is_refused():
    with pytest.raises(InvalidValueError) as err:
        client(contacts=(CFO, attrs.evolve(CFO, role=ContactRole.CEO)))
    assert err.value.field == "contacts[1].id"


def test_follow_up_before_interaction_is_refused():
    with pytest.raises(InvalidValueError) as err:
        call(dt.date(2021, 1, 5), follow_up_on=dt.date(2021, 1, 4))
    assert err.value.field == "follow_up_on"


def test_contact_listed_twice_in_interaction_is_refused():
    with pytest.raises(InvalidValueError) as err:
        call(dt.date(2021, 1, 5), "K-1", "K-1")
    assert err.value.field == "contact_ids[1]"


def test_bad_channel_and_rm():
    with pytest.raises(InvalidValueError) as err:
        call(dt.date(2021, 1, 5), channel="fax")
    assert err.value.field == "channel"
    with pytest.raises(InvalidValueError) as err:
        call(dt.date(2021, 1, 5), relationship_manager=" ")
    assert err.value.field == "relationship_manager"


def test_project_equator_category():
    assert project().equator_category is None
    assert (
        project(equator_category=EquatorCategory.A).equator_category
        is EquatorCategory.A
    )
    with pytest.raises(InvalidValueError) as err:
        project(equator_category="D")
    assert err.value.field == "equator_category"


def test_serialization_round_trip_keeps_contacts_and_interactions():
    from lendcrm import Client
    from lendcrm.serialization import from_dict, to_dict

    c = client(
        relationship_manager="RM-1",
        contacts=(CFO,),
        interactions=(
            call(
                dt.date(2021, 1, 1),
                "K-1",
                outcome="agreed",
                follow_up_on=dt.date(2021, 2, 1),
            ),
        ),
    )
    assert from_dict(to_dict(c), Client) == c
