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
parent not in the book or a group (parent) cycle as a `lendcrm.Book` does, whichever
parts its clients fall in;
parts the caller cut itself are checked by `check_parts` (ids unique across parts,
no parent cycle across them, each part closed).

Client ranges read where they are processed (`ClientRange`, `client_range_divisions`)
feed four batch paths, each with an exact empty ``meta``, a worker function that
reads and checks one range, and a lazy Dask DataFrame indexed by ``client_id`` with
known divisions:

- the relationship view: `relationship_meta`, `relationship_range`, `relationship_dask`;
- lifecycle stages (`lendcrm.lifecycle.frames.assess_stages`): `stages_meta`,
  `stages_range`, `stages_dask`;
- facility pricing (`lendcrm.risk.pricing.frames.price_facilities_frame`):
  `pricing_meta`, `pricing_range`, `pricing_dask`;
- scoring (`lendcrm.risk.scoring.frames.score_frame`): `scores_meta`,
  `scores_range`, `scores_dask`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

import attrs
import pandas as pd

from lendcrm._dates import check_as_of
from lendcrm._validators import positive_int, require_instance
from lendcrm.errors import InvalidValueError
from lendcrm.frames import BookFrames
from lendcrm.relationship._batch_ranges import (
    pricing_dask,
    pricing_meta,
    pricing_range,
    scores_dask,
    scores_meta,
    scores_range,
    stages_dask,
    stages_meta,
    stages_range,
)
from lendcrm.relationship._models import RelationshipModels
from lendcrm.relationship._partition import (
    check_closure,
    check_unique_clients,
    refuse_cycles_across,
    split_frames,
)
from lendcrm.relationship._range_tasks import ranges_dask, run_in_part
from lendcrm.relationship._ranges import (
    BookPartition,
    ClientRange,
    check_ranges,
    conform,
    empty_meta,
    read_part,
)
from lendcrm.relationship.frames import relationship_frame

if TYPE_CHECKING:
    import dask.dataframe as dd

__all__ = [
    "BookPartition",
    "ClientRange",
    "check_parts",
    "client_range_divisions",
    "partition_book",
    "pricing_dask",
    "pricing_meta",
    "pricing_range",
    "relationship_dask",
    "relationship_meta",
    "relationship_partition",
    "relationship_range",
    "scores_dask",
    "scores_meta",
    "scores_range",
    "stages_dask",
    "stages_meta",
    "stages_range",
]


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
        UnknownReferenceError: a client whose parent is not in the book (as a
            `lendcrm.Book` refuses it: ``clients[label].parent_id`` named, before
            any cycle), a facility whose client or project is not in the
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

    The rows are the part's, in its order, with the dtypes of
    `relationship_meta` (``models``): the index and the text columns pandas
    ``string``, ``next_action`` and ``next_action_reason`` categoricals on the
    categories the action rules list. Every part therefore has the same dtypes,
    whichever actions its clients got, so the parts concatenate, write one
    Parquet schema and match a Dask ``meta`` or a Spark schema taken from
    `relationship_meta`.

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
    frame = relationship_frame(
        partition.frames, as_of=as_of, models=models, signals=partition.signals
    )
    return conform(frame, models, where="partition")


def check_parts(parts: Sequence[BookPartition]) -> None:
    """Check parts described by the caller before a partitioned run (cheap).

    A partitioned run must refuse what the single run refuses: a client id in two
    parts would be counted twice, and a facility (or feedback, referral, rating,
    interaction) whose client is in another part would be dropped. This checks,
    one hashed pass per frame, that client ids are unique across all the parts,
    that every parent is a client of some part and no group's parent chain loops
    through clients of several parts (no part can see such a cycle alone), and that every part is closed: its facilities'
    clients and projects, and the records the single run checks, are in that part.

    Args:
        parts: The parts, in order.

    Raises:
        InvalidValueError: a client id listed twice (the part and the row label
            named, and the other part holding it), a parent cycle through the
            clients of any parts (``parts[k].clients[label].parent_id`` of its first
            client named, the cycle in the hint, as a `lendcrm.Book` refuses it),
            ``parts`` not a list or tuple, or an item not a `BookPartition`.
        UnknownReferenceError: a client whose parent is in no part
            (``parts[k].clients[label].parent_id``, as a `lendcrm.Book` refuses
            it), or a record whose client or project is not in its part
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


def client_range_divisions(parts: Sequence[ClientRange]) -> tuple[str, ...]:
    """The Dask divisions of client ranges; refuses ranges unsorted or overlapping.

    Ranges must be sorted by client id and must not overlap (``parts[k].lower >
    parts[k - 1].upper``): then no client is read twice and a Dask DataFrame over
    the ranges knows which partition holds each client id without reading any.

    Returns:
        The lower bound of every range and the upper bound of the last.

    Raises:
        InvalidValueError: ``parts`` empty or not a list or tuple, an item not a
            `ClientRange`, or two ranges unsorted or overlapping
            (``parts[k].lower`` named, with the upper bound of ``parts[k - 1]``).

    Examples:
        >>> from lendcrm.frames import BookFrames
        >>> parts = [ClientRange(reader=BookFrames, lower="A", upper="F"),
        ...          ClientRange(reader=BookFrames, lower="G", upper="M")]
        >>> client_range_divisions(parts)
        ('A', 'G', 'M')
        >>> client_range_divisions([parts[0], parts[0]])
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `parts[1].lower` must be a client id above parts[0].upper ('F'): ranges sorted by client id and not overlapping, so that no client is read twice; got 'A'.
    """
    return check_ranges(parts)


def relationship_meta(models: RelationshipModels) -> pd.DataFrame:
    """The empty frame `relationship_range` returns for ``models`` (Dask's ``meta``).

    Computed from the models alone (no book): the columns of `relationship_frame`
    (``lifetime_raroc`` and ``meets_lifetime_hurdle`` only with lifetime pricing)
    indexed by ``client_id``, with the partitioned face's text dtypes, the same in
    every part and whatever Dask's ``dataframe.convert-string`` is:

    - ``next_action`` and ``next_action_reason``: categoricals whose categories are
      the models' action names and reasons (and ``""`` for none), fixed in every part;
    - the index and every other text column (``rating_grade``, ``stage``, ``tier``,
      ``grade``, ``warning_reasons``, ``actions``, ``relationship_manager``, ...):
      pandas' ``string`` dtype ``pd.StringDtype()`` (Arrow-backed when pyarrow is
      installed, missing as ``pd.NA``), which Dask's ``convert-string`` leaves alone.

    Numbers, counts, flags and dates keep `relationship_frame`'s dtypes.

    Raises:
        InvalidValueError: ``models`` is not a `RelationshipModels`.

    Examples:
        >>> meta = relationship_meta(RelationshipModels())
        >>> len(meta), str(meta.index.dtype), str(meta["exposure"].dtype)
        (0, 'string', 'float64')
        >>> list(meta["next_action"].cat.categories)[-2:]
        ['referral_ask', '']
    """
    require_instance(
        models, RelationshipModels, name="models", what="RelationshipModels"
    )
    return empty_meta(models)


def relationship_range(
    part: ClientRange,
    number: int = 0,
    *,
    as_of: dt.date,
    models: RelationshipModels,
) -> pd.DataFrame:
    """Read one client range and compute its relationship view: a worker's task.

    Calls ``part.reader()`` (on the worker), checks the part closed (every
    facility's client and project, and each record the single run checks, is in
    the part) and its clients inside ``[part.lower, part.upper]``, then runs
    `relationship_frame` and gives the result `relationship_meta`'s dtypes, sorted
    by client id. An empty part returns the empty meta.

    Args:
        part: The client range and its reader.
        number: The part's position among the parts, for the messages
            (``parts[number]``).
        as_of: The view's date.
        models: The models, the same for every part.

    Returns:
        The part's rows of the relationship view, indexed by ``client_id``.

    Raises:
        InvalidValueError: ``part`` not a `ClientRange`, the reader returning
            neither `BookFrames` nor a `BookPartition`, a client outside the range
            (``parts[k].clients[label].client_id``), and as `relationship_frame`.
        UnknownReferenceError: a record whose client or project is not in the part
            (``parts[k].frame[label]``, the label the reader gave the row).
        LendCRMError: as `relationship_frame`, re-raised naming the part and the
            rows by the labels the reader gave them (``parts[k].frame[label]``,
            where `relationship_frame` names a row by its position in the part),
            with a note naming the part and its range (``exc.__notes__``).

    Examples:
        >>> import datetime as dt
        >>> from lendcrm.frames import BookFrames
        >>> part = ClientRange(reader=BookFrames, lower="A", upper="Z")
        >>> relationship_range(part, as_of=dt.date(2026, 1, 1),
        ...                    models=RelationshipModels()).shape[0]
        0
    """
    require_instance(part, ClientRange, name="part", what="a ClientRange")
    require_instance(
        models, RelationshipModels, name="models", what="RelationshipModels"
    )
    frames, signals = read_part(part, number)
    if len(frames.clients) == 0:
        return empty_meta(models)
    tables = {f.name: getattr(frames, f.name) for f in attrs.fields(BookFrames)}
    frame = run_in_part(
        lambda: relationship_frame(frames, as_of=as_of, models=models, signals=signals),
        part,
        number,
        {**tables, "signals": signals} if signals is not None else tables,
    )
    frame = conform(frame, models, where=f"parts[{number}]")
    if not frame.index.is_monotonic_increasing:
        frame = frame.sort_index(kind="stable")
    return frame


def relationship_dask(
    parts: Sequence[ClientRange], *, as_of: dt.date, models: RelationshipModels
) -> dd.DataFrame:
    """The relationship view over client ranges, as a lazy Dask DataFrame.

    One partition per range, built with ``dask.dataframe.from_map``: each worker
    calls its range's reader and `relationship_range`, so the book never sits in
    one process and no data travels in the task graph. The index is ``client_id``
    with known divisions (`client_range_divisions`), the ``meta`` is
    `relationship_meta` (no part is read to build it). Nothing is computed or
    gathered here: write the result from the workers (``.to_parquet(...)``) or
    compute a small aggregate. Needs the ``dask`` extra.

    Raises:
        InvalidValueError: ranges unsorted or overlapping, or ``models`` not a
            `RelationshipModels` (at once); at compute time, as `relationship_range`.

    Examples:
        >>> import datetime as dt
        >>> from lendcrm.frames import BookFrames
        >>> parts = [ClientRange(reader=BookFrames, lower="A", upper="F"),
        ...          ClientRange(reader=BookFrames, lower="G", upper="M")]
        >>> lazy = relationship_dask(parts, as_of=dt.date(2026, 1, 1),
        ...                          models=RelationshipModels())  # doctest: +SKIP
        >>> lazy.divisions  # doctest: +SKIP
        ('A', 'G', 'M')
    """
    check_ranges(parts)
    check_as_of(as_of)
    meta = relationship_meta(models)
    return ranges_dask(
        relationship_range,
        parts,
        meta=meta,
        name="relationship-range",
        as_of=as_of,
        models=models,
    )
