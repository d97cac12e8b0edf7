"""Client ranges read where they are processed: meta, divisions, checks, Dask runs."""

import functools
import pickle

import attrs
import pandas as pd
import pytest

from lendcrm.errors import InvalidValueError, UnknownReferenceError
from lendcrm.frames import BookFrames
from lendcrm.relationship import RelationshipModels, RelationshipPricing
from lendcrm.relationship import columns as col
from lendcrm.relationship.frames import relationship_frame
from lendcrm.relationship.scaleout import (
    BookPartition,
    ClientRange,
    client_range_divisions,
    partition_book,
    relationship_meta,
    relationship_range,
)
from lendcrm.synthetic import generate_frames
from tests.relationship.rich_models import AS_OF, FX, rich_models

STRING = pd.StringDtype()


@pytest.fixture(scope="module")
def models():
    return rich_models()


@pytest.fixture(scope="module")
def book():
    return generate_frames(1200, seed=7, as_of=AS_OF)


def ranges_of(parts, tmp_path):
    """Each part pickled to its own file, read back by a ``partial`` reader.

    ``pd.read_pickle`` of one file stands for the reader a bank writes (e.g.
    ``pd.read_parquet`` of one client range's files); it imports on any worker.
    """
    out = []
    for k, part in enumerate(parts):
        path = tmp_path / f"part-{k}.pkl"
        path.write_bytes(pickle.dumps(part))
        ids = part.frames.clients["client_id"]
        out.append(
            ClientRange(
                reader=functools.partial(pd.read_pickle, str(path)),
                lower=ids.min(),
                upper=ids.max(),
            )
        )
    return out


def whole_range(book):
    part = BookPartition(frames=book.book_frames(), signals=book.signals)
    return ClientRange(reader=lambda: part, lower="C", upper="D")


def test_meta_equals_a_real_result(models, book):
    meta = relationship_meta(models)
    real = relationship_range(whole_range(book), as_of=AS_OF, models=models)
    assert len(meta) == 0
    assert meta.columns.tolist() == real.columns.tolist()
    pd.testing.assert_series_equal(meta.dtypes, real.dtypes)
    assert meta.index.dtype == real.index.dtype == STRING
    assert meta.index.name == real.index.name == "client_id"
    action = meta[col.NEXT_ACTION].cat.categories
    assert list(action) == [*models.actions.names, ""]
    assert real[col.NEXT_ACTION].dtype == meta[col.NEXT_ACTION].dtype
    reasons = meta[col.NEXT_ACTION_REASON].cat.categories
    assert set(reasons) == {r.reason for r in models.actions.rules} | {""}


def test_meta_follows_the_models_columns():
    lifetime = RelationshipModels(pricing=RelationshipPricing(lifetime=True))
    assert col.LIFETIME_RAROC not in relationship_meta(RelationshipModels())
    assert col.LIFETIME_RAROC in relationship_meta(lifetime)


def test_single_range_equals_relationship_frame(models, book):
    got = relationship_range(whole_range(book), as_of=AS_OF, models=models)
    want = relationship_frame(
        book.book_frames(), as_of=AS_OF, models=models, signals=book.signals
    )
    assert got.index.tolist() == want.index.tolist()
    for name in want.columns:
        a, b = got[name], want[name]
        if a.dtype == STRING or isinstance(a.dtype, pd.CategoricalDtype):
            assert a.astype(object).tolist() == b.astype(object).tolist(), name
        else:
            pd.testing.assert_series_equal(a, b, check_index=False)


def test_ranges_joined_equal_one_range(models, book, tmp_path):
    parts = partition_book(book.book_frames(), partitions=4, signals=book.signals)
    ranges = ranges_of(parts, tmp_path)
    one = relationship_range(whole_range(book), as_of=AS_OF, models=models)
    joined = pd.concat(
        [
            relationship_range(r, k, as_of=AS_OF, models=models)
            for k, r in enumerate(ranges)
        ]
    )
    pd.testing.assert_frame_equal(joined, one)


def test_a_part_is_sorted_by_client_id(book):
    frames = book.book_frames()
    flipped = attrs.evolve(frames, clients=frames.clients.iloc[::-1])
    part = ClientRange(reader=lambda: flipped, lower="C", upper="D")
    got = relationship_range(part, as_of=AS_OF, models=RelationshipModels(fx_rates=FX))
    assert got.index.is_monotonic_increasing
    assert len(got) == len(frames.clients)


def test_an_empty_part_returns_the_meta(models):
    part = ClientRange(reader=BookFrames, lower="A", upper="B")
    got = relationship_range(part, as_of=AS_OF, models=models)
    pd.testing.assert_frame_equal(got, relationship_meta(models))


def test_an_empty_part_of_untyped_frames_returns_the_meta(models):
    # e.g. the empty files of a range with no client: the frames carry no dtypes
    empty = BookPartition(
        frames=BookFrames(
            clients=pd.DataFrame({"client_id": []}),
            facilities=pd.DataFrame({"client_id": [], "project_id": []}),
        )
    )
    part = ClientRange(reader=lambda: empty, lower="A", upper="B")
    got = relationship_range(part, as_of=AS_OF, models=models)
    pd.testing.assert_frame_equal(got, relationship_meta(models))


def test_divisions_of_sorted_ranges():
    parts = [
        ClientRange(reader=BookFrames, lower="A", upper="C"),
        ClientRange(reader=BookFrames, lower="D", upper="D"),
        ClientRange(reader=BookFrames, lower="E", upper="K"),
    ]
    assert client_range_divisions(parts) == ("A", "D", "E", "K")


@pytest.mark.parametrize(
    ("bounds", "field", "value"),
    [
        ([("A", "F"), ("F", "K")], "parts[1].lower", "F"),
        ([("A", "F"), ("C", "K")], "parts[1].lower", "C"),
        ([("A", "B"), ("G", "K"), ("C", "D")], "parts[2].lower", "C"),
    ],
)
def test_overlapping_or_unsorted_ranges_are_refused(bounds, field, value):
    parts = [ClientRange(reader=BookFrames, lower=lo, upper=hi) for lo, hi in bounds]
    with pytest.raises(InvalidValueError) as info:
        client_range_divisions(parts)
    assert info.value.field == field
    assert info.value.value == value
    assert "not overlapping" in str(info.value)


@pytest.mark.parametrize("parts", [[], (), "AB", None])
def test_divisions_need_a_list_of_ranges(parts):
    with pytest.raises(InvalidValueError, match="`parts` must be a non-empty list"):
        client_range_divisions(parts)


def test_an_item_that_is_not_a_range_is_named():
    part = ClientRange(reader=BookFrames, lower="A", upper="B")
    with pytest.raises(InvalidValueError, match=r"`parts\[1\]` must be a ClientRange"):
        client_range_divisions([part, "C-D"])  # type: ignore[list-item]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"reader": "a.parquet", "lower": "A", "upper": "B"}, "reader"),
        ({"reader": BookFrames, "lower": "", "upper": "B"}, "lower"),
        ({"reader": BookFrames, "lower": "A", "upper": 7}, "upper"),
        ({"reader": BookFrames, "lower": "B", "upper": "A"}, "upper"),
    ],
)
def test_client_range_refuses_bad_fields(kwargs, field):
    with pytest.raises(InvalidValueError) as info:
        ClientRange(**kwargs)
    assert info.value.field == field


def _two_clients_part(book, *, keep_facility_of=None):
    """Clients 10-19 with their facilities, the original row labels kept."""
    clients = book.clients.iloc[10:20]
    ids = set(clients["client_id"]) | ({keep_facility_of} - {None})
    facilities = book.facilities[book.facilities["client_id"].isin(ids)]
    return BookFrames(clients=clients, facilities=facilities, projects=book.projects)


def test_an_orphan_facility_names_the_part_and_its_original_label(book):
    other = book.clients["client_id"].iloc[500]
    frames = _two_clients_part(book, keep_facility_of=other)
    label = frames.facilities.index[frames.facilities["client_id"] == other][0]
    part = ClientRange(reader=lambda: frames, lower="C", upper="D")
    with pytest.raises(UnknownReferenceError) as info:
        relationship_range(part, 3, as_of=AS_OF, models=RelationshipModels(fx_rates=FX))
    assert f"parts[3].facilities[{int(label)}]" in str(info.value)
    assert label > 100  # the book's label, not a position inside the part


def test_a_client_outside_the_range_is_named(book):
    frames = _two_clients_part(book)
    first = frames.clients["client_id"].iloc[0]
    part = ClientRange(reader=lambda: frames, lower="C0000013", upper="D")
    with pytest.raises(InvalidValueError) as info:
        relationship_range(part, 2, as_of=AS_OF, models=RelationshipModels(fx_rates=FX))
    assert info.value.field == "parts[2].clients[10].client_id"
    assert info.value.value == first


def test_a_reader_returning_something_else_is_named():
    part = ClientRange(reader=dict, lower="A", upper="B")
    with pytest.raises(InvalidValueError, match=r"`parts\[0\]\.reader\(\)` must be"):
        relationship_range(part, as_of=AS_OF, models=RelationshipModels())


def test_relationship_frame_errors_carry_the_part(book):
    frames = _two_clients_part(book)
    part = ClientRange(reader=lambda: frames, lower="C", upper="D")
    with pytest.raises(InvalidValueError) as info:
        relationship_range(part, 5, as_of=AS_OF, models=RelationshipModels())
    note = "in parts[5] (client ids 'C' to 'D')"
    assert info.value.__notes__ == [note]
    again = pickle.loads(pickle.dumps(info.value))
    assert again.__notes__ == [note]


def test_arrow_dictionary_columns_are_read(models, book):
    pa = pytest.importorskip("pyarrow")
    frames = book.book_frames()
    clients = frames.clients.copy()
    dictionary = pd.ArrowDtype(pa.dictionary(pa.int32(), pa.string()))
    for name in ("sector", "country", "relationship_manager"):
        clients[name] = clients[name].astype(dictionary)
    arrow = BookPartition(
        frames=attrs.evolve(frames, clients=clients), signals=book.signals
    )
    got = relationship_range(
        ClientRange(reader=lambda: arrow, lower="C", upper="D"),
        as_of=AS_OF,
        models=models,
    )
    want = relationship_range(whole_range(book), as_of=AS_OF, models=models)
    pd.testing.assert_frame_equal(got, want)


def test_parts_arguments_are_checked():
    with pytest.raises(InvalidValueError, match="`part` must be a ClientRange"):
        relationship_range("C-D", as_of=AS_OF, models=RelationshipModels())  # type: ignore[arg-type]
    part = ClientRange(reader=BookFrames, lower="A", upper="B")
    with pytest.raises(InvalidValueError, match="`models` must be RelationshipModels"):
        relationship_range(part, as_of=AS_OF, models=None)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="`models` must be RelationshipModels"):
        relationship_meta({})  # type: ignore[arg-type]


def test_values_the_models_do_not_list_are_refused(book):
    # a commercial column changes a reason; a part run never names a product, but a
    # value outside the fixed categories must raise, not turn into a missing value
    from lendcrm.relationship._ranges import conform

    models = RelationshipModels(fx_rates=FX)
    frame = relationship_frame(book.book_frames(), as_of=AS_OF, models=models)
    frame[col.NEXT_ACTION] = frame[col.NEXT_ACTION].astype(object)
    frame.loc[frame.index[3], col.NEXT_ACTION] = "call_mum"
    with pytest.raises(InvalidValueError) as info:
        conform(frame, models, where="parts[1]")
    assert info.value.field == f"parts[1][{frame.index[3]!r}].next_action"
    assert info.value.value == "call_mum"
