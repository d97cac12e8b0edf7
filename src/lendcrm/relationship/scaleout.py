"""Scale-out: split a book by client so each part can run on another worker.

Every relationship batch function is row-wise by client: a client's row depends on its
own records only (its facilities, the projects they finance and their children, its
feedback, referrals and signals). So a book too large for one machine is cut into
parts that each hold whole clients, each part runs on a worker with the same
`RelationshipModels` (fitted once, pickled to every worker), and the parts' results,
concatenated in order, equal the single-machine result.

This module needs only pandas. The documented Dask recipe (*How-to: run the nightly
batch on Dask*) feeds `partition_book`'s parts to ``dask.dataframe.from_map`` with
`relationship_partition`, and per-client facts frames to ``map_partitions`` with
`lendcrm.relationship.frames.actions_frame`.

A partitioned run refuses what the single run refuses: `partition_book` raises on a
record of an unknown client or project and on a client listed twice (naming the
frame and the original row label), instead of dropping or doubling rows, and on a
group (parent) cycle as a `lendcrm.Book` does, whichever parts its clients fall in;
parts the caller cut itself are checked by `check_parts` (ids unique across parts,
no parent cycle across them, each part closed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import attrs
import pandas as pd

from lendcrm._validators import positive_int, require_instance
from lendcrm.errors import InvalidValueError
from lendcrm.frames import BookFrames
from lendcrm.relationship._models import RelationshipModels
from lendcrm.relationship._partition import (
    check_closure,
    check_unique_clients,
    refuse_cycles_across,
    split_frames,
)
from lendcrm.relationship.frames import relationship_frame

__all__ = ["BookPartition", "check_parts", "partition_book", "relationship_partition"]


@attrs.frozen(kw_only=True, eq=False)
class BookPartition:
    """Whole clients of a book with every record they need (picklable).

    Attributes:
        frames: The clients of the part and their records; a project financed by
            clients of several parts is copied into each of them.
        signals: The part's rows of the signals frame, or ``None``.
    """

    frames: BookFrames
    signals: pd.DataFrame | None = None


@attrs.frozen(kw_only=True)
class _Count:
    partitions: int = attrs.field(validator=positive_int)


def partition_book(
    book_frames: BookFrames,
    *,
    partitions: int,
    signals: pd.DataFrame | None = None,
) -> tuple[BookPartition, ...]:
    """Cut a book into ``partitions`` parts of consecutive clients (whole clients).

    Each frame is cut in one pass: its rows' part numbers come from their client,
    facility or project codes, then one stable sort and one ``searchsorted`` give
    every part's rows, in the book's order. A project financed by clients of
    several parts is copied into each of them.

    Args:
        book_frames: The whole book as frames.
        partitions: How many parts, an int >= 1 (fewer when there are fewer clients).
        signals: The signals frame (a ``client_id`` column), or ``None``.

    Returns:
        The parts, in client order; their clients, concatenated, are the book's.

    Raises:
        InvalidValueError: ``partitions`` is not an int >= 1, a client id is
            listed twice (``clients[label].client_id`` named, as the single run),
            or a client is its own parent or on a parent cycle, whichever parts
            its clients fall in (``clients[label].parent_id`` named, the cycle in
            the hint, as a `lendcrm.Book` of the same clients refuses it).
        UnknownReferenceError: a facility whose client or project is not in the
            book, or feedback, a referral, rating or interaction of an unknown client,
            or a milestone, drawdown or cash flow of an unknown project: what
            `relationship_frame` refuses (``frame[label]`` named, the label of the
            row in the frame given).

    Examples:
        >>> import datetime as dt
        >>> from lendcrm.synthetic import generate_frames
        >>> book = generate_frames(100, seed=1, as_of=dt.date(2025, 12, 31))
        >>> parts = partition_book(book.book_frames(), partitions=3, signals=book.signals)
        >>> [len(p.frames.clients) for p in parts]
        [33, 34, 33]
    """
    require_instance(book_frames, BookFrames, name="book_frames", what="a BookFrames")
    count = _Count(partitions=partitions).partitions
    frames = {f.name: getattr(book_frames, f.name) for f in attrs.fields(BookFrames)}
    pieces, part_signals = split_frames(frames, signals, count)
    return tuple(
        BookPartition(
            frames=BookFrames(**piece),
            signals=None if part_signals is None else part_signals[k],
        )
        for k, piece in enumerate(pieces)
    )


def relationship_partition(
    partition: BookPartition, *, as_of: dt.date, models: RelationshipModels
) -> pd.DataFrame:
    """`relationship_frame` of one part: the function a worker runs.

    Raises:
        InvalidValueError: ``partition`` is not a `BookPartition`, and as
            `relationship_frame`.

    Examples:
        >>> import datetime as dt
        >>> from lendcrm.frames import book_frames
        >>> from lendcrm import Book
        >>> part = partition_book(book_frames(Book()), partitions=2)[0]
        >>> relationship_partition(part, as_of=dt.date(2026, 1, 1),
        ...                        models=RelationshipModels()).shape[0]
        0
    """
    if not isinstance(partition, BookPartition):
        raise InvalidValueError(
            field="partition",
            value=type(partition).__name__,
            expected="a BookPartition (from partition_book)",
        )
    return relationship_frame(
        partition.frames, as_of=as_of, models=models, signals=partition.signals
    )


def check_parts(parts: Sequence[BookPartition]) -> None:
    """Check parts described by the caller before a partitioned run (cheap).

    A partitioned run must refuse what the single run refuses: a client id in two
    parts would be counted twice, and a facility (or feedback, referral, rating,
    interaction) whose client is in another part would be dropped. This checks,
    one hashed pass per frame, that client ids are unique across all the parts,
    that no group's parent chain loops through clients of several parts (no part
    can see such a cycle alone), and that every part is closed: its facilities'
    clients and projects, and the records the single run checks, are in that part.

    Args:
        parts: The parts, in order.

    Raises:
        InvalidValueError: a client id listed twice (the part and the row label
            named, and the other part holding it), a parent cycle through the
            clients of any parts (``parts[k].clients[label].parent_id`` of its first
            client named, the cycle in the hint, as a `lendcrm.Book` refuses it),
            ``parts`` not a list or tuple, or an item not a `BookPartition`.
        UnknownReferenceError: a record whose client or project is not in its part
            (``parts[k].frame[label]`` named).

    Examples:
        >>> import datetime as dt
        >>> from lendcrm.synthetic import generate_frames
        >>> book = generate_frames(60, seed=1, as_of=dt.date(2025, 12, 31))
        >>> parts = partition_book(book.book_frames(), partitions=3)
        >>> check_parts(parts)
        >>> try:
        ...     check_parts([parts[0], parts[0]])
        ... except InvalidValueError as exc:
        ...     print(exc.field)
        parts[1].clients[0].client_id
    """
    if not isinstance(parts, (list, tuple)):
        raise InvalidValueError(
            field="parts",
            value=type(parts).__name__,
            expected="a sequence (list or tuple) of BookPartition (from partition_book)",
        )
    tables: list[dict[str, pd.DataFrame]] = []
    for k, part in enumerate(parts):
        if not isinstance(part, BookPartition):
            raise InvalidValueError(
                field=f"parts[{k}]",
                value=type(part).__name__,
                expected="a BookPartition (from partition_book)",
            )
        tables.append(
            {f.name: getattr(part.frames, f.name) for f in attrs.fields(BookFrames)}
        )
    check_unique_clients(tables)
    refuse_cycles_across(tables)
    for k, frames in enumerate(tables):
        check_closure(k, frames)
