"""Contacts, interactions, the RM and the Equator category in the frames (#13)."""

from __future__ import annotations

import datetime as dt

import attrs
import pandas as pd
import pytest

from lendcrm import Book, ContactId, EquatorCategory
from lendcrm.errors import BatchValidationError, InvalidValueError, SchemaError
from lendcrm.frames import (
    CONTACTS_DTYPES,
    INTERACTIONS_DTYPES,
    book_frames,
    book_from_frames,
)
from tests.factories import client, project
from tests.test_contacts import CFO, call


def _book() -> Book:
    c = client(
        relationship_manager="RM-1",
        contacts=(CFO, attrs.evolve(CFO, id=ContactId("K-2"), email=None, phone=None)),
        interactions=(
            call(dt.date(2021, 1, 1), "K-1", "K-2", outcome="agreed"),
            call(dt.date(2021, 1, 1)),
            call(dt.date(2022, 3, 1), "K-2", follow_up_on=dt.date(2022, 4, 1)),
        ),
    )
    return Book(
        clients=(c, client("C-2")),
        projects=(project(equator_category=EquatorCategory.B),),
    )


def test_round_trip_is_lossless():
    book = _book()
    frames = book_frames(book)
    assert book_from_frames(frames) == book
    assert dict(frames.contacts.dtypes.astype(str)) == dict(CONTACTS_DTYPES)
    assert dict(frames.interactions.dtypes.astype(str)) == dict(INTERACTIONS_DTYPES)
    ids = frames.interactions["contact_ids"]
    assert ids.iloc[0] == "K-1;K-2"
    assert pd.isna(ids.iloc[1])
    assert frames.clients["relationship_manager"].iloc[0] == "RM-1"
    assert pd.isna(frames.clients["relationship_manager"].iloc[1])
    assert frames.projects["equator_category"].tolist() == ["B"]


def test_frames_without_the_new_columns_still_read():
    book = _book()
    frames = book_frames(book)
    bare = attrs.evolve(
        frames,
        clients=frames.clients.drop(columns="relationship_manager"),
        projects=frames.projects.drop(columns="equator_category"),
    )
    back = book_from_frames(bare)
    assert back.clients[0].relationship_manager is None
    assert back.projects[0].equator_category is None


def test_interaction_of_an_unknown_client_is_named():
    frames = book_frames(_book())
    rows = frames.interactions.copy()
    rows.loc[0, "client_id"] = "C-9"
    with pytest.raises(BatchValidationError) as err:
        book_from_frames(attrs.evolve(frames, interactions=rows))
    assert str(err.value.exceptions[0]) == (
        "No client with id 'C-9' (referenced by `interactions[0].client_id`). "
        "Did you mean 'C-2'?"
    )


def test_contact_id_with_separator_is_refused():
    c = client(
        contacts=(attrs.evolve(CFO, id=ContactId("K;1")),),
        interactions=(call(dt.date(2021, 1, 1), "K;1"),),
    )
    with pytest.raises(InvalidValueError) as err:
        book_frames(Book(clients=(c,)))
    assert err.value.field == "clients[0].interactions[0].contact_ids[0]"


def test_bad_channel_in_interactions_frame():
    frames = book_frames(_book())
    rows = frames.interactions.copy()
    rows["channel"] = pd.Series(["fax", "call", "call"]).astype(object)
    with pytest.raises((SchemaError, BatchValidationError)):
        book_from_frames(attrs.evolve(frames, interactions=rows))
