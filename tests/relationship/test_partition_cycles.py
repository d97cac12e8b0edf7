"""Group (parent) cycles: refused by the partitioner and by `check_parts` as a `Book` refuses them.

A parent cycle whose clients fall in different parts is invisible to each part; the
book-level checks follow every parent chain over all the parts (pointer doubling) and
raise the `InvalidValueError` the single `lendcrm.Book` raises (same field, value,
expectation and cycle hint), naming the part and the original row label.
"""

import datetime as dt

import attrs
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lendcrm.errors import (
    BatchValidationError,
    InvalidValueError,
    LendCRMError,
    UnknownReferenceError,
)
from lendcrm.frames import BookFrames, book_from_frames
from lendcrm.frames import columns as schema
from lendcrm.relationship.scaleout import check_parts, partition_book
from lendcrm.synthetic import generate_frames

AS_OF = dt.date(2025, 12, 31)
SYN = generate_frames(60, seed=3, as_of=AS_OF, periods=1)
BOOK = SYN.book_frames()


def _with_parents(book: BookFrames, parents: dict[int, int | None]) -> BookFrames:
    """The book with client ``i``'s parent set to client ``j`` (``None``: no parent)."""
    clients = book.clients.copy()
    ids = clients[schema.CLIENT_ID]
    for i, j in parents.items():
        clients.loc[clients.index[i], schema.PARENT_ID] = (
            None if j is None else ids.iloc[j]
        )
    return attrs.evolve(book, clients=clients)


def _book_error(book: BookFrames) -> InvalidValueError:
    """The first error the single `Book` raises for these frames."""
    with pytest.raises(BatchValidationError) as caught:
        book_from_frames(book)
    first = caught.value.exceptions[0]
    assert isinstance(first, InvalidValueError)
    return first


def test_cycle_across_parts_is_refused_as_the_book_refuses_it() -> None:
    # clients 5 (part 0) -> 50 (part 2) -> 25 (part 1) -> 5: no part sees the cycle
    book = _with_parents(BOOK, {5: 50, 50: 25, 25: 5})
    expected = _book_error(book)
    ids = book.clients[schema.CLIENT_ID]
    assert expected.field == "clients[5].parent_id"
    assert (
        expected.hint
        == f"Parent cycle: {ids[5]} -> {ids[50]} -> {ids[25]} -> {ids[5]}."
    )
    with pytest.raises(InvalidValueError) as caught:
        partition_book(book, partitions=3)
    assert str(caught.value) == str(expected)
    assert caught.value.hint == expected.hint


def test_partition_book_names_the_original_row_label() -> None:
    book = _with_parents(BOOK, {7: 40, 40: 7})
    labelled = attrs.evolve(
        book, clients=book.clients.set_axis(pd.RangeIndex(100, 160))
    )
    with pytest.raises(InvalidValueError) as caught:
        partition_book(labelled, partitions=2)
    assert caught.value.field == "clients[107].parent_id"
    assert caught.value.value == book.clients[schema.CLIENT_ID][40]


def test_check_parts_refuses_a_cycle_the_parts_were_cut_across() -> None:
    parts = list(partition_book(BOOK, partitions=3))
    ids = [p.frames.clients[schema.CLIENT_ID] for p in parts]
    # part 2's row 4 -> part 0's row 3 -> part 2's row 4
    a, b = ids[2].iloc[4], ids[0].iloc[3]
    for k, i, parent in ((2, 4, b), (0, 3, a)):
        clients = parts[k].frames.clients.copy()
        clients.loc[clients.index[i], schema.PARENT_ID] = parent
        parts[k] = attrs.evolve(
            parts[k], frames=attrs.evolve(parts[k].frames, clients=clients)
        )
    # (a part alone cannot be checked for cycles: its parents in other parts are
    # unknown to it, and refused as such)
    with pytest.raises(InvalidValueError) as caught:
        check_parts(parts)
    # the cycle's first client in book order is part 0's row 3
    assert caught.value.field == "parts[0].clients[3].parent_id"
    assert caught.value.value == a
    assert caught.value.hint == f"Parent cycle: {b} -> {a} -> {b}."
    assert "must be a parent chain that ends at a group root" in str(caught.value)


def test_a_client_its_own_parent_is_refused() -> None:
    book = _with_parents(BOOK, {12: 12})
    expected = _book_error(book)
    with pytest.raises(InvalidValueError) as caught:
        partition_book(book, partitions=4)
    assert str(caught.value) == str(expected)
    assert caught.value.field == "clients[12].parent_id"
    assert "a client cannot own itself" in str(caught.value)


def test_long_chains_pass() -> None:
    # one chain through every client (59 parents deep): no cycle
    chain = _with_parents(BOOK, {i: i + 1 for i in range(59)} | {59: None})
    assert len(partition_book(chain, partitions=5)) == 5


def test_an_unknown_parent_is_refused_as_the_book_refuses_it() -> None:
    clients = BOOK.clients.copy()
    ids = clients[schema.CLIENT_ID]
    clients.loc[41, schema.PARENT_ID] = ids[41][:-1] + "Z"  # close to a known id
    clients.loc[44, schema.PARENT_ID] = "NOT-IN-BOOK"
    book = attrs.evolve(BOOK, clients=clients)
    with pytest.raises(BatchValidationError) as single:
        book_from_frames(book)
    expected = single.value.exceptions[0]
    assert isinstance(expected, UnknownReferenceError)
    with pytest.raises(UnknownReferenceError) as caught:
        partition_book(book, partitions=3)
    assert str(caught.value) == str(expected)
    assert caught.value.field == "clients[41].parent_id"
    assert "Did you mean" in str(caught.value)
    # the parts cut before the parent was lost: check_parts names part and label
    parts = list(partition_book(BOOK, partitions=3))
    moved = parts[2].frames.clients.copy()
    moved.loc[moved.index[1], schema.PARENT_ID] = "NOT-IN-BOOK"
    parts[2] = attrs.evolve(
        parts[2], frames=attrs.evolve(parts[2].frames, clients=moved)
    )
    with pytest.raises(UnknownReferenceError) as caught:
        check_parts(parts)
    assert caught.value.field == "parts[2].clients[1].parent_id"
    # a parent in another part is known: the parts of a book pass
    linked = _with_parents(BOOK, {3: 55})
    check_parts(list(partition_book(linked, partitions=3)))


@settings(max_examples=30, deadline=None)
@given(
    parents=st.lists(
        st.one_of(st.none(), st.integers(0, 12)), min_size=12, max_size=12
    ),
    count=st.integers(1, 5),
)
def test_refusal_matches_the_book(parents: list[int | None], count: int) -> None:
    """Any parent graph (12 = a parent not in the book): the partitioner refuses iff
    the Book refuses a parent, with the Book's first error."""
    small = BookFrames(clients=BOOK.clients.iloc[:12].reset_index(drop=True))
    book = _with_parents(small, {i: p for i, p in enumerate(parents) if p != 12})
    unknown = [i for i, p in enumerate(parents) if p == 12]
    clients = book.clients.copy()
    clients.loc[unknown, schema.PARENT_ID] = "G-OUTSIDE"
    book = attrs.evolve(book, clients=clients)
    refused: list[LendCRMError] = []
    try:
        book_from_frames(book)
    except BatchValidationError as exc:
        refused = [
            e
            for e in exc.exceptions
            if isinstance(e, InvalidValueError | UnknownReferenceError)
            and e.field.endswith(".parent_id")
        ]
    if not refused:
        assert len(partition_book(book, partitions=count)) == min(count, 12)
        return
    with pytest.raises(LendCRMError) as caught:
        partition_book(book, partitions=count)
    assert type(caught.value) is type(refused[0])
    assert str(caught.value) == str(refused[0])
    parts = partition_book(
        attrs.evolve(book, clients=book.clients.assign(parent_id=None)),
        partitions=count,
    )
    relinked = []
    offset = 0
    for p in parts:
        n = len(p.frames.clients)
        clients = p.frames.clients.assign(
            parent_id=np.asarray(
                book.clients[schema.PARENT_ID].iloc[offset : offset + n]
            )
        )
        relinked.append(attrs.evolve(p, frames=attrs.evolve(p.frames, clients=clients)))
        offset += n
    with pytest.raises(LendCRMError) as again:
        check_parts(relinked)
    assert type(again.value) is type(refused[0])
    first = refused[0]
    if isinstance(first, InvalidValueError):
        assert isinstance(again.value, InvalidValueError)
        assert again.value.hint == first.hint
    else:
        assert isinstance(first, UnknownReferenceError)
        assert isinstance(again.value, UnknownReferenceError)
        assert again.value.key == first.key
