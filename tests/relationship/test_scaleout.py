"""Partitioned runs equal single-machine runs: by hand with pandas, and on Dask."""

import datetime as dt
import pickle

import attrs
import numpy as np
import pandas as pd
import pytest

from lendcrm.errors import InvalidValueError
from lendcrm.frames import BookFrames
from lendcrm.frames import columns as schema
from lendcrm.relationship import RelationshipModels, RelationshipPricing
from lendcrm.relationship import columns as col
from lendcrm.relationship.frames import actions_frame, relationship_frame
from lendcrm.relationship.scaleout import (
    BookPartition,
    partition_book,
    relationship_meta,
    relationship_partition,
)
from lendcrm.synthetic import generate_frames

AS_OF = dt.date(2025, 12, 31)
MODELS = RelationshipModels(
    fx_rates={
        "GBP": 1.17,
        "USD": 0.92,
        "PLN": 0.23,
        "SEK": 0.088,
        "DKK": 0.134,
        "NOK": 0.086,
        "CHF": 1.05,
    }
)
_TEXT = [col.WARNING_REASONS, col.NEXT_ACTION, col.NEXT_ACTION_REASON, col.ACTIONS]


@pytest.fixture(scope="module")
def book():
    return generate_frames(600, seed=11, as_of=AS_OF)


def _same(got: pd.DataFrame, want: pd.DataFrame) -> None:
    """Equal values; categorical columns compared as strings (categories differ)."""
    assert got.index.tolist() == want.index.tolist()
    for name in want.columns:
        a, b = got[name], want[name]
        if name in _TEXT or name == schema.RATING_GRADE:
            assert a.astype(str).tolist() == b.astype(str).tolist(), name
        else:
            np.testing.assert_array_equal(a.to_numpy(), b.to_numpy(), err_msg=name)


def test_parts_hold_whole_clients(book):
    parts = partition_book(book.book_frames(), partitions=4, signals=book.signals)
    assert [len(p.frames.clients) for p in parts] == [150, 150, 150, 150]
    ids = pd.concat([p.frames.clients["client_id"] for p in parts])
    assert ids.tolist() == book.clients["client_id"].tolist()
    assert sum(len(p.frames.facilities) for p in parts) == len(book.facilities)
    assert sum(len(p.frames.feedback) for p in parts) == len(book.feedback)


@pytest.mark.parametrize(
    "name",
    [
        "measures",
        "ratings",
        "statements",
        "observations",
        "valuations",
        "repayment_terms",
        "repayment_profiles",
        "participations",
    ],
)
def test_parts_keep_every_history_row(book, name):
    whole = getattr(book.book_frames(), name)
    assert len(whole) > 0
    parts = partition_book(book.book_frames(), partitions=4)
    joined = pd.concat([getattr(p.frames, name) for p in parts], ignore_index=True)
    pd.testing.assert_frame_equal(joined, whole.reset_index(drop=True))


def test_partitioned_equals_whole_with_pandas(book):
    whole = relationship_frame(
        book.book_frames(), as_of=AS_OF, models=MODELS, signals=book.signals
    )
    parts = partition_book(book.book_frames(), partitions=5, signals=book.signals)
    joined = pd.concat(
        [relationship_partition(p, as_of=AS_OF, models=MODELS) for p in parts]
    )
    _same(joined, whole)


def test_every_part_has_the_dtypes_of_relationship_meta(book):
    """A part's own frame gives categoricals of the values it met (they differ
    from part to part); `relationship_partition` gives every part the meta's
    dtypes, so the parts concatenate and write one schema."""
    meta = relationship_meta(MODELS)
    parts = partition_book(book.book_frames(), partitions=5, signals=book.signals)
    own = [
        relationship_frame(p.frames, as_of=AS_OF, models=MODELS, signals=p.signals)
        for p in parts
    ]
    assert len({tuple(o[col.ACTIONS].cat.categories) for o in own}) > 1
    results = [relationship_partition(p, as_of=AS_OF, models=MODELS) for p in parts]
    for got, plain in zip(results, own, strict=True):
        assert got.dtypes.to_dict() == meta.dtypes.to_dict()
        assert got.index.dtype == meta.index.dtype
        assert got.index.name == meta.index.name
        _same(got, plain)
    joined = pd.concat(results)
    assert joined.dtypes.to_dict() == meta.dtypes.to_dict()  # no fallback to object
    empty = partition_book(BookFrames(), partitions=2)[0]
    last = relationship_partition(empty, as_of=AS_OF, models=MODELS)
    assert last.empty
    assert last.dtypes.to_dict() == meta.dtypes.to_dict()


def test_partitioned_lifetime_pricing_equals_whole(book):
    # the lifetime RAROC reads each facility's repayment terms, profile and syndicate:
    # a part carries its facilities' rows, and a facility's figures do not depend on
    # the other rows of the book
    models = attrs.evolve(MODELS, pricing=RelationshipPricing(lifetime=True))
    whole = relationship_frame(book.book_frames(), as_of=AS_OF, models=models)
    parts = partition_book(book.book_frames(), partitions=5)
    joined = pd.concat(
        [relationship_partition(p, as_of=AS_OF, models=models) for p in parts]
    )
    assert whole[col.LIFETIME_RAROC].notna().sum() > 400
    lifetime = [col.LIFETIME_RAROC]
    _same(joined.drop(columns=lifetime), whole.drop(columns=lifetime))
    np.testing.assert_allclose(
        joined[col.LIFETIME_RAROC], whole[col.LIFETIME_RAROC], rtol=1e-12
    )


def test_parts_and_models_pickle(book):
    part = partition_book(book.book_frames(), partitions=3, signals=book.signals)[1]
    again = pickle.loads(pickle.dumps(part))
    _same(
        relationship_partition(
            again, as_of=AS_OF, models=pickle.loads(pickle.dumps(MODELS))
        ),
        relationship_partition(part, as_of=AS_OF, models=MODELS),
    )


def test_bad_partition_arguments(book):
    with pytest.raises(InvalidValueError, match="`partitions` must be"):
        partition_book(book.book_frames(), partitions=0)
    with pytest.raises(InvalidValueError, match="`partition` must be a BookPartition"):
        relationship_partition(book.book_frames(), as_of=AS_OF, models=MODELS)
    assert isinstance(
        partition_book(book.book_frames(), partitions=1)[0], BookPartition
    )


def test_dask_from_map_equals_single_machine(book):
    dd = pytest.importorskip("dask.dataframe")
    whole = relationship_frame(
        book.book_frames(), as_of=AS_OF, models=MODELS, signals=book.signals
    )
    parts = partition_book(book.book_frames(), partitions=4, signals=book.signals)
    lazy = dd.from_map(
        relationship_partition,
        parts,
        as_of=AS_OF,
        models=MODELS,
        meta=whole.iloc[:0],
        enforce_metadata=False,
    )
    assert lazy.npartitions == 4
    _same(lazy.compute(scheduler="synchronous"), whole)


def test_dask_map_partitions_of_a_facts_frame(book):
    dd = pytest.importorskip("dask.dataframe")
    rf = relationship_frame(
        book.book_frames(), as_of=AS_OF, models=MODELS, signals=book.signals
    )
    facts = rf[
        [
            col.UTILISATION,
            col.COVENANT_BREACHES,
            col.DSCR_HEADROOM,
            col.LAST_FEEDBACK_SCORE,
            col.MONTHS_TO_MATURITY,
            col.DAYS_TO_REVIEW,
        ]
    ]
    facts = facts.assign(days_past_due=book.signals["days_past_due"].to_numpy())
    whole = actions_frame(facts, models=MODELS)
    ddf = dd.from_pandas(facts, npartitions=6, sort=False)
    out = ddf.map_partitions(actions_frame, models=MODELS, meta=whole.iloc[:0])
    _same(out.compute(scheduler="synchronous"), whole)
