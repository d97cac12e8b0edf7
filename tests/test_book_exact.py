"""Book: the exact messages, fields and edge cases the broad tests leave open (#23).

Each test pins a behaviour a mutation of ``lendcrm/_book.py`` changed without a failing
test: the did-you-mean lists of every lookup, the cycle reported at its first client in
book order (not the alphabetically first), the empty answers for a client without
facilities or subsidiaries, breadth-first group order below the second member, and the
shared-asset check (rows without an asset id skipped, distinct assets kept apart, the
whole message).
"""

import re

import pytest

from lendcrm import Book, ClientId, Collateral, CollateralKind, FacilityId, ProjectId
from lendcrm.errors import (
    BatchValidationError,
    InvalidValueError,
    UnknownReferenceError,
)
from tests.factories import client, eur, facility, project


def collateral(asset: str | None, value: str = "100") -> Collateral:
    return Collateral(
        kind=CollateralKind.REAL_ESTATE, value=eur(value), haircut=0.3, asset_id=asset
    )


def test_lookups_suggest_the_ids_the_book_has():
    book = Book(
        clients=(client("C-1"),),
        facilities=(facility("F-1", "C-1", project_id=ProjectId("P-1")),),
        projects=(project("P-1"),),
    )
    with pytest.raises(
        UnknownReferenceError,
        match=re.escape("No facility with id 'F-2'. Did you mean 'F-1'?"),
    ) as info:
        book.facility(FacilityId("F-2"))
    assert info.value.known == ("F-1",)
    with pytest.raises(
        UnknownReferenceError,
        match=re.escape("No project with id 'P-2'. Did you mean 'P-1'?"),
    ) as info:
        book.project(ProjectId("P-2"))
    assert info.value.known == ("P-1",)


def test_unknown_parent_suggests_the_clients_of_the_book():
    with pytest.raises(BatchValidationError) as info:
        Book(clients=(client("G-1"), client("G-2", parent_id=ClientId("G-3"))))
    (err,) = info.value.exceptions
    assert isinstance(err, UnknownReferenceError)
    assert err.field == "clients[1].parent_id"
    assert err.known == ("G-1", "G-2")
    assert str(err) == (
        "No client with id 'G-3' (referenced by `clients[1].parent_id`). "
        "Did you mean 'G-2'?"
    )


def test_cycle_is_reported_at_its_first_client_in_book_order():
    # "B" comes first in the book though "A" sorts first: the error is at clients[0]
    with pytest.raises(BatchValidationError) as info:
        Book(
            clients=(
                client("B", parent_id=ClientId("A")),
                client("A", parent_id=ClientId("B")),
            )
        )
    (err,) = info.value.exceptions
    assert isinstance(err, InvalidValueError)
    assert err.field == "clients[0].parent_id"
    assert str(err) == (
        "`clients[0].parent_id` must be a parent chain that ends at a group root; "
        "got 'A'. Parent cycle: B -> A -> B."
    )


def test_a_client_without_facilities_or_subsidiaries_gets_empty_tuples():
    book = Book(clients=(client("A"), client("B")), facilities=(facility("F", "A"),))
    assert book.facilities_of(ClientId("B")) == ()
    assert book.subsidiaries(ClientId("B")) == ()
    assert book.subsidiaries(ClientId("A")) == ()


def test_group_members_are_breadth_first_at_every_level():
    # R owns A and B; A owns A1 (found only by visiting the second member, A)
    book = Book(
        clients=(
            client("R"),
            client("A", parent_id=ClientId("R")),
            client("B", parent_id=ClientId("R")),
            client("A1", parent_id=ClientId("A")),
            client("B1", parent_id=ClientId("B")),
        )
    )
    assert book.group_members(ClientId("B1")) == ("R", "A", "B", "A1", "B1")


def test_rows_without_an_asset_id_do_not_stop_the_shared_asset_check():
    # the first row of facility B has no asset id; its second row still differs
    with pytest.raises(BatchValidationError) as info:
        Book(
            clients=(client("C-1"),),
            facilities=(
                facility("A", collateral=(collateral("plant"),)),
                facility(
                    "B", collateral=(collateral(None), collateral("plant", "101"))
                ),
            ),
        )
    (err,) = info.value.exceptions
    assert isinstance(err, InvalidValueError)
    assert err.field == "facilities[1].collateral[1].asset_id"
    assert str(err) == (
        "`facilities[1].collateral[1].asset_id` must be the same kind, value and "
        "valuations on every collateral row of one asset; got 'plant'. "
        "Asset 'plant' secures facilities A, B; describe it identically on each."
    )


def test_distinct_assets_may_differ():
    book = Book(
        clients=(client("C-1"),),
        facilities=(
            facility("A", collateral=(collateral("plant"),)),
            facility("B", collateral=(collateral("depot", "250"),)),
        ),
    )
    assert [f.collateral[0].asset_id for f in book.facilities] == ["plant", "depot"]
