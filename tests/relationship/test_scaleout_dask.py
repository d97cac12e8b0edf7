"""Client ranges on Dask: known divisions, exact meta, results equal the one-process run."""

import copyreg
import pickle

import pandas as pd
import pytest

from lendcrm.errors import InvalidValueError, UnknownReferenceError
from lendcrm.frames import BookFrames
from lendcrm.relationship import RelationshipModels
from lendcrm.relationship.scaleout import (
    ClientRange,
    partition_book,
    relationship_dask,
    relationship_meta,
    relationship_range,
)
from lendcrm.synthetic import generate_frames
from tests.relationship.rich_models import AS_OF, FX, rich_models
from tests.relationship.test_scaleout_ranges import ranges_of, whole_range

dask = pytest.importorskip("dask")
pytest.importorskip("dask.dataframe")


@pytest.fixture(scope="module")
def models():
    return rich_models()


@pytest.fixture(scope="module")
def book():
    return generate_frames(3000, seed=9, as_of=AS_OF)


@pytest.fixture(scope="module")
def single(models, book):
    return relationship_range(whole_range(book), as_of=AS_OF, models=models)


@pytest.fixture
def ranges(book, tmp_path):
    parts = partition_book(book.book_frames(), partitions=4, signals=book.signals)
    return ranges_of(parts, tmp_path)


def test_divisions_are_known_and_meta_exact(models, ranges):
    lazy = relationship_dask(ranges, as_of=AS_OF, models=models)
    assert lazy.npartitions == 4
    assert lazy.known_divisions
    assert lazy.divisions == (*(r.lower for r in ranges), ranges[-1].upper)
    pd.testing.assert_series_equal(lazy.dtypes, relationship_meta(models).dtypes)
    # the graph holds readers, not data: a few models' worth of bytes
    graph = dict(lazy.__dask_graph__())
    assert len(pickle.dumps(graph)) < 200_000


@pytest.mark.parametrize("convert", [True, False])
def test_synchronous_run_equals_one_process(models, ranges, single, convert):
    with dask.config.set({"dataframe.convert-string": convert}):
        lazy = relationship_dask(ranges, as_of=AS_OF, models=models)
        got = lazy.compute(scheduler="synchronous")
        pd.testing.assert_series_equal(lazy.dtypes, single.dtypes)
    pd.testing.assert_frame_equal(got, single)


@pytest.fixture(autouse=True, scope="module")
def _lendcrm_reducers():
    """Undo what importing ``dask.dataframe`` did to this process's pickling.

    It imports ``dask.multiprocessing``, which runs ``tblib.pickling_support
    .install()``: a ``copyreg`` reducer for every exception class then defined,
    lendcrm's too. The tests after these must see lendcrm's own ``__reduce__``, as
    a process that imported dask first does.
    """
    yield
    for cls in list(copyreg.dispatch_table):
        if getattr(cls, "__module__", "").startswith("lendcrm"):
            del copyreg.dispatch_table[cls]


@pytest.mark.slow
def test_processes_scheduler_equals_one_process(models, ranges, single):
    lazy = relationship_dask(ranges, as_of=AS_OF, models=models)
    got = lazy.compute(scheduler="processes", num_workers=2)
    pd.testing.assert_frame_equal(got, single)


def test_an_empty_range_gives_an_empty_partition(models, ranges, single):
    gap = ClientRange(reader=BookFrames, lower=ranges[1].upper + "~", upper="C0001999")
    parts = [ranges[0], ranges[1], gap]
    lazy = relationship_dask(parts, as_of=AS_OF, models=models)
    sizes = lazy.map_partitions(len).compute(scheduler="synchronous").tolist()
    assert sizes == [750, 750, 0]
    got = lazy.compute(scheduler="synchronous")
    pd.testing.assert_frame_equal(got, single.iloc[:1500])


def test_selecting_by_client_id_reads_one_range(models, ranges, single):
    lazy = relationship_dask(ranges, as_of=AS_OF, models=models)
    one = single.index[2100]
    picked = lazy.loc[one:one]
    assert picked.npartitions == 1
    got = picked.compute(scheduler="synchronous")
    pd.testing.assert_frame_equal(got, single.loc[one:one])


def test_overlapping_ranges_are_refused_before_any_read(models, ranges):
    with pytest.raises(InvalidValueError) as info:
        relationship_dask([ranges[0], ranges[2], ranges[1]], as_of=AS_OF, models=models)
    assert info.value.field == "parts[2].lower"


def test_an_orphan_in_a_part_raises_at_compute(book, ranges):
    frames = book.book_frames()
    clients = frames.clients.iloc[:5]
    facilities = frames.facilities.iloc[:40]  # holds facilities of later clients
    part = BookFrames(clients=clients, facilities=facilities, projects=frames.projects)
    broken = ClientRange(reader=lambda: part, lower="C", upper=ranges[0].upper)
    models = RelationshipModels(fx_rates=FX)
    lazy = relationship_dask([broken, ranges[1]], as_of=AS_OF, models=models)
    with pytest.raises(UnknownReferenceError, match=r"parts\[0\]\.facilities\["):
        lazy.compute(scheduler="synchronous")


@pytest.mark.slow
def test_one_hundred_thousand_clients_equal_one_process(tmp_path):
    # the "tested at 100k": plain models keep it within the suite's budget
    models = RelationshipModels(fx_rates=FX)
    big = generate_frames(100_000, seed=1, as_of=AS_OF)
    parts = partition_book(big.book_frames(), partitions=4, signals=big.signals)
    ranges = ranges_of(parts, tmp_path)
    got = relationship_dask(ranges, as_of=AS_OF, models=models).compute(
        scheduler="synchronous"
    )
    want = relationship_range(whole_range(big), as_of=AS_OF, models=models)
    pd.testing.assert_frame_equal(got, want)
