"""`book_from_frames` builds entities without their per-field validators: no refusal lost.

The reader (`lendcrm.frames._entity_rows`) sets a row's `Client` or `Facility` fields
directly when the frame checks have proved them; every rule the entity constructor
enforces must still refuse a bad row, naming the frame, the row and the field. Each
case below is one entity rule; the messages are those the constructor path gave
before the trusted path existed (compared case by case when it was written).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs
import pandas as pd
import pytest
from hypothesis import given, settings

from lendcrm import Book, ClientId, Facility, Money
from lendcrm.errors import BatchValidationError
from lendcrm.frames import _entity_rows, book_frames, book_from_frames
from lendcrm.frames._entity_rows import trusted
from lendcrm.frames._rows import slot_builder
from tests.factories import (
    client,
    facility,
    rich_client,
    rich_facility,
    rich_project,
)
from tests.strategies import books


def _book() -> Book:
    # row 0 of each entity frame has children (the post-init path), row 1 has none
    return Book(
        clients=(rich_client("C-1"), client("C-2", parent_id=ClientId("C-1"))),
        facilities=(rich_facility("F-1", "C-1", "P-1"), facility("F-2", "C-2")),
        projects=(rich_project("P-1"),),
    )


_NON_EMPTY = "must be a non-empty string; got"
_RULE = "1 row fails this rule: 1."
CASES: list[tuple[str, int, str, Any, str]] = [
    # rules the frame checks do not prove: the reader sends the row to the constructor
    ("clients", 1, "client_id", 7, f"`clients[1].id` {_NON_EMPTY} 7."),
    ("clients", 1, "legal_name", "  ", f"`clients[1].legal_name` {_NON_EMPTY} '  '."),
    ("clients", 1, "legal_name", 5, f"`clients[1].legal_name` {_NON_EMPTY} 5."),
    ("clients", 1, "parent_id", 5, f"`clients[1].parent_id` {_NON_EMPTY} 5."),
    ("clients", 1, "rating_grade", "", f"`clients[1].rating_grade` {_NON_EMPTY} ''."),
    (
        "clients", 1, "relationship_manager", " ",
        f"`clients[1].relationship_manager` {_NON_EMPTY} ' '.",
    ),
    ("facilities", 1, "facility_id", 7, f"`facilities[1].id` {_NON_EMPTY} 7."),
    ("facilities", 1, "client_id", 7, f"`facilities[1].client_id` {_NON_EMPTY} 7."),
    ("facilities", 1, "project_id", 7, f"`facilities[1].project_id` {_NON_EMPTY} 7."),
    (
        "facilities", 1, "reference_rate", "",
        f"`facilities[1].reference_rate` {_NON_EMPTY} ''.",
    ),
    (
        "facilities", 1, "reference_rate", 3,
        f"`facilities[1].reference_rate` {_NON_EMPTY} 3.",
    ),
    # cross-field rules: the entity's __attrs_post_init__ still runs
    (
        "clients", 1, "parent_id", "C-2",
        ("`clients[1].parent_id` must be the id of another client (a client cannot "
        "own itself); got 'C-2'."),
    ),
    (
        "collateral", 0, "currency", "USD",
        ("`facilities[0].collateral[0].value` must be an amount in EUR, the currency of "
        "this facility; got Money(amount=Decimal('12000000.0'), currency='USD'). "
        "Convert the amount first with Money.convert(rate, currency)."),
    ),
    (
        "guarantees", 0, "currency", "USD",
        ("`facilities[0].guarantees[0].covered` must be an amount in EUR, the currency "
        "of this facility; got Money(amount=Decimal('2000000.0'), currency='USD'). "
        "Convert the amount first with Money.convert(rate, currency)."),
    ),
    # rules the frame checks prove: refused before any entity is built
    (
        "clients", 1, "currency", "eur",
        (f"`clients[1].currency` must be an active ISO 4217 currency code; got 'eur'. "
        f"{_RULE}"),
    ),
    (
        "clients", 1, "annual_revenue", -1.0,
        f"`clients[1].annual_revenue` must be a finite number >= 0; got -1.0. {_RULE}",
    ),
    (
        "facilities", 1, "drawn", 1e12,
        ("`facilities[1].drawn` must be at most `limit` unless `allows_overdraw`; got "
        f"1000000000000.0. {_RULE}"),
    ),
    (
        "facilities", 1, "maturity_on", pd.Timestamp("2000-01-01"),
        ("`facilities[1].maturity_on` must be a date after `start_on`; got "
        f"Timestamp('2000-01-01 00:00:00'). {_RULE}"),
    ),
    (
        "facilities", 1, "loss_given_default", 1.5,
        (f"`facilities[1].loss_given_default` must be a finite number in [0, 1]; got "
        f"1.5. {_RULE}"),
    ),
]  # fmt: skip


@pytest.mark.parametrize(("frame", "row", "column", "value", "message"), CASES)
def test_each_entity_refusal_is_still_made_on_the_frame_path(
    frame: str, row: int, column: str, value: object, message: str
) -> None:
    frames = book_frames(_book())
    bad = getattr(frames, frame).copy()
    if not isinstance(value, float | pd.Timestamp):
        bad = bad.astype({column: object})
    bad.loc[row, column] = value
    with pytest.raises(BatchValidationError) as info:
        book_from_frames(attrs.evolve(frames, **{frame: bad}))
    assert [str(e) for e in info.value.exceptions] == [message]


def test_trusted_entities_equal_constructed_ones() -> None:
    book = _book()
    back = book_from_frames(book_frames(book))
    assert back == book
    assert [hash(f.limit) for f in back.facilities] == [
        hash(f.limit) for f in book.facilities
    ]


def test_trusted_refuses_a_missing_field() -> None:
    with pytest.raises(TypeError, match="trusted Money"):
        trusted(Money, {"amount": 1})
    f = _book().facilities[1]
    assert trusted(Facility, attrs.asdict(f, recurse=False)) == f


def test_the_cyclic_collector_is_restored_after_a_build_and_a_refusal() -> None:
    import gc

    frames = book_frames(_book())
    bad = frames.clients.copy()
    bad.loc[1, "legal_name"] = " "
    assert gc.isenabled()
    book_from_frames(frames)
    assert gc.isenabled()
    with pytest.raises(BatchValidationError):
        book_from_frames(attrs.evolve(frames, clients=bad))
    assert gc.isenabled()
    gc.disable()
    try:
        book_from_frames(frames)
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()


def test_concurrent_builds_leave_the_collector_as_the_process_had_it() -> None:
    # Builds on several threads share the process-wide collector. With a plain
    # save-and-restore per call, a thread that reads "off" while another builds and
    # pauses it again after that one restored it leaves it off for good (a narrow
    # race this test may not hit); the counter makes the last to leave restore what
    # the process had. This pins the outcome: on after concurrent builds.
    import gc
    import threading

    frames = book_frames(_book())
    assert gc.isenabled()
    start = threading.Barrier(4)

    def build() -> None:
        start.wait()
        for _ in range(3):
            book_from_frames(frames)

    threads = [threading.Thread(target=build) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert gc.isenabled()


def _constructed(obj: Any) -> Any:
    """``obj`` rebuilt through its validating constructors, children first."""
    if attrs.has(type(obj)):
        return type(obj)(**{
            a.alias: _constructed(getattr(obj, a.name))
            for a in attrs.fields(type(obj))
            if a.init
        })  # fmt: skip
    if isinstance(obj, tuple):
        return tuple(_constructed(x) for x in obj)
    return obj


def _assert_identical(a: Any, b: Any, path: str = "book") -> None:
    """Same types all the way down (an enum is not its str value) and equal values."""
    assert type(a) is type(b), path
    if attrs.has(type(a)):
        for f in attrs.fields(type(a)):
            _assert_identical(
                getattr(a, f.name), getattr(b, f.name), f"{path}.{f.name}"
            )
    elif isinstance(a, tuple):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _assert_identical(x, y, f"{path}[{i}]")
    elif isinstance(a, Decimal):
        assert a.as_tuple() == b.as_tuple(), path  # the same digits and exponent
    else:
        assert a == b, path


@settings(max_examples=30)  # each example builds the book's frames
@given(books())
def test_the_trusted_build_is_the_constructor_build(book: Book) -> None:
    # Random books with and without children: every entity book_from_frames makes
    # (bare rows, rows with children, their values) is what the validating
    # constructors make of the same field values: equal, same hash, same types.
    back = book_from_frames(book_frames(book))
    rebuilt = _constructed(back)
    _assert_identical(back, rebuilt)
    assert back == rebuilt == book
    assert hash(back.clients) == hash(rebuilt.clients) == hash(book.clients)
    assert hash(back.facilities) == hash(rebuilt.facilities)


def test_rows_without_children_take_the_one_call_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The bench's rows (no child rows, frame checks prove every field) never reach
    # the per-field builders: they would raise here.
    def no(*_: object) -> None:
        raise AssertionError

    book = Book(
        clients=(client("C-1"), client("C-2", parent_id=ClientId("C-1"))),
        facilities=(facility("F-1", "C-1"), facility("F-2", "C-2")),
    )
    frames = book_frames(book)
    monkeypatch.setattr(_entity_rows, "_make_client", no)
    monkeypatch.setattr(_entity_rows, "_make_facility", no)
    back = book_from_frames(frames)
    _assert_identical(back, _constructed(back))
    assert back == book


def test_slot_builder_needs_every_field_by_keyword() -> None:
    make = slot_builder(Money)
    assert make(amount=Decimal("1.5"), currency="EUR") == Money(Decimal("1.5"), "EUR")
    with pytest.raises(TypeError):
        make(amount=Decimal("1.5"))
    with pytest.raises(TypeError):
        make(Decimal("1.5"), "EUR")


def _measured_frames() -> tuple[Any, pd.DataFrame]:
    measures = rich_client().measures
    book = Book(clients=(client("C-1", measures=measures), client("C-2")))
    frames = book_frames(book)
    return frames, frames.clients.copy()


def test_measures_refusals_are_the_constructors_on_the_frame_path() -> None:
    frames, bad = _measured_frames()
    bad.loc[0, "last_transaction_on"] = pd.Timestamp("2026-01-05")
    bad.loc[1, "measured_on"] = pd.Timestamp("2025-12-31")  # measured, no revenue
    with pytest.raises(BatchValidationError) as info:
        book_from_frames(attrs.evolve(frames, clients=bad))
    assert [str(e) for e in info.value.exceptions] == [
        (
            "`clients[0].last_transaction_on` must be a date on or before `period_end` "
            "(2025-12-31); got datetime.date(2026, 1, 5)."
        ),
        "`clients[1].revenue_to_bank` must be a Money; got None.",
    ]
