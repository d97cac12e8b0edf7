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
"""

from __future__ import annotations

import datetime as dt
import itertools

import attrs
import numpy as np
import pandas as pd

from lendcrm._validators import positive_int, require_instance
from lendcrm.errors import InvalidValueError
from lendcrm.frames import BookFrames
from lendcrm.frames import columns as schema
from lendcrm.relationship._models import RelationshipModels
from lendcrm.relationship.frames import relationship_frame

__all__ = ["BookPartition", "partition_book", "relationship_partition"]


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


def _keep(frame: pd.DataFrame, column: str, keys: pd.Index) -> pd.DataFrame:
    mask = np.asarray(frame[column].isin(keys), dtype=bool)
    return frame[mask].reset_index(drop=True)


def partition_book(
    book_frames: BookFrames,
    *,
    partitions: int,
    signals: pd.DataFrame | None = None,
) -> tuple[BookPartition, ...]:
    """Cut a book into ``partitions`` parts of consecutive clients (whole clients).

    Args:
        book_frames: The whole book as frames.
        partitions: How many parts, an int >= 1 (fewer when there are fewer clients).
        signals: The signals frame (a ``client_id`` column), or ``None``.

    Returns:
        The parts, in client order; their clients, concatenated, are the book's.

    Raises:
        InvalidValueError: ``partitions`` is not an int >= 1.

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
    clients = book_frames.clients
    bounds = np.linspace(0, len(clients), min(count, max(len(clients), 1)) + 1)
    edges = np.round(bounds).astype(np.int64)
    fac = book_frames.facilities
    parts: list[BookPartition] = []
    for lo, hi in itertools.pairwise(edges):
        part_clients = clients.iloc[lo:hi].reset_index(drop=True)
        ids = pd.Index(part_clients[schema.CLIENT_ID])
        part_fac = _keep(fac, schema.CLIENT_ID, ids)
        fac_ids = pd.Index(part_fac[schema.FACILITY_ID])
        proj_ids = pd.Index(part_fac[schema.PROJECT_ID].dropna().unique())
        frames = BookFrames(
            clients=part_clients,
            facilities=part_fac,
            projects=_keep(book_frames.projects, schema.PROJECT_ID, proj_ids),
            collateral=_keep(book_frames.collateral, schema.FACILITY_ID, fac_ids),
            guarantees=_keep(book_frames.guarantees, schema.FACILITY_ID, fac_ids),
            covenants=_keep(book_frames.covenants, schema.FACILITY_ID, fac_ids),
            repayment_terms=_keep(
                book_frames.repayment_terms, schema.FACILITY_ID, fac_ids
            ),
            repayment_profiles=_keep(
                book_frames.repayment_profiles, schema.FACILITY_ID, fac_ids
            ),
            participations=_keep(
                book_frames.participations, schema.FACILITY_ID, fac_ids
            ),
            milestones=_keep(book_frames.milestones, schema.PROJECT_ID, proj_ids),
            drawdowns=_keep(book_frames.drawdowns, schema.PROJECT_ID, proj_ids),
            cash_flows=_keep(book_frames.cash_flows, schema.PROJECT_ID, proj_ids),
            sponsors=_keep(book_frames.sponsors, schema.PROJECT_ID, proj_ids),
            feedback=_keep(book_frames.feedback, schema.CLIENT_ID, ids),
            referrals=_keep(book_frames.referrals, schema.CLIENT_ID, ids),
            measures=_keep(book_frames.measures, schema.CLIENT_ID, ids),
            ratings=_keep(book_frames.ratings, schema.CLIENT_ID, ids),
            statements=_keep(book_frames.statements, schema.CLIENT_ID, ids),
            observations=_keep(book_frames.observations, schema.FACILITY_ID, fac_ids),
            valuations=_keep(book_frames.valuations, schema.FACILITY_ID, fac_ids),
            contacts=_keep(book_frames.contacts, schema.CLIENT_ID, ids),
            interactions=_keep(book_frames.interactions, schema.CLIENT_ID, ids),
        )
        part_signals = (
            None if signals is None else _keep(signals, schema.CLIENT_ID, ids)
        )
        parts.append(BookPartition(frames=frames, signals=part_signals))
    return tuple(parts)


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
