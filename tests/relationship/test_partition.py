"""The key partitioner equals the per-part ``isin`` cut, and refuses what the single run refuses."""

import datetime as dt
import itertools

import attrs
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lendcrm.errors import InvalidValueError, UnknownReferenceError
from lendcrm.frames import BookFrames
from lendcrm.frames import columns as schema
from lendcrm.relationship import RelationshipModels
from lendcrm.relationship.frames import relationship_frame
from lendcrm.relationship.scaleout import (
    BookPartition,
    check_parts,
    partition_book,
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
_BY_CLIENT = (
    "feedback",
    "referrals",
    "measures",
    "ratings",
    "statements",
    "contacts",
    "interactions",
)
_BY_PROJECT = ("projects", "milestones", "drawdowns", "cash_flows", "sponsors")


def _keep(frame: pd.DataFrame, column: str, keys: pd.Index) -> pd.DataFrame:
    return frame[np.asarray(frame[column].isin(keys), dtype=bool)].reset_index(
        drop=True
    )


def _reference(
    book: BookFrames, count: int, signals=None
) -> list[tuple[dict[str, pd.DataFrame], pd.DataFrame | None]]:
    """The cut before the key partitioner: one ``isin`` per part and frame."""
    clients = book.clients
    bounds = np.linspace(0, len(clients), min(count, max(len(clients), 1)) + 1)
    out = []
    for lo, hi in itertools.pairwise(np.round(bounds).astype(np.int64)):
        part = {"clients": clients.iloc[lo:hi].reset_index(drop=True)}
        ids = pd.Index(part["clients"][schema.CLIENT_ID])
        fac = part["facilities"] = _keep(book.facilities, schema.CLIENT_ID, ids)
        keys = {
            schema.CLIENT_ID: ids,
            schema.FACILITY_ID: pd.Index(fac[schema.FACILITY_ID]),
            schema.PROJECT_ID: pd.Index(fac[schema.PROJECT_ID].dropna().unique()),
        }
        for f in attrs.fields(BookFrames):
            if f.name not in part:
                frame = getattr(book, f.name)
                column = (
                    schema.CLIENT_ID
                    if f.name in _BY_CLIENT
                    else schema.PROJECT_ID
                    if f.name in _BY_PROJECT
                    else schema.FACILITY_ID
                )
                part[f.name] = _keep(frame, column, keys[column])
        sig = None if signals is None else _keep(signals, schema.CLIENT_ID, ids)
        out.append((part, sig))
    return out


def _assert_parts_equal(got, want) -> None:
    assert len(got) == len(want)
    for part, (frames, sig) in zip(got, want, strict=True):
        for name, frame in frames.items():
            pd.testing.assert_frame_equal(getattr(part.frames, name), frame, obj=name)
        if sig is None:
            assert part.signals is None
        else:
            pd.testing.assert_frame_equal(part.signals, sig)


@pytest.fixture(scope="module")
def book():
    return generate_frames(600, seed=11, as_of=AS_OF)


def _shared(book) -> BookFrames:
    """A project financed by clients far apart, and a facility id used twice."""
    bf = book.book_frames()
    fac = bf.facilities.copy()
    with_project = fac.index[fac[schema.PROJECT_ID].notna()]
    fac.loc[fac.index[-1], schema.PROJECT_ID] = fac.loc[
        with_project[0], schema.PROJECT_ID
    ]
    fac.loc[fac.index[-2], schema.FACILITY_ID] = fac.loc[
        fac.index[0], schema.FACILITY_ID
    ]
    shared: BookFrames = attrs.evolve(bf, facilities=fac)
    return shared


@pytest.mark.parametrize("count", [1, 2, 3, 5, 7, 600, 1000])
def test_parts_equal_the_isin_cut(book, count):
    got = partition_book(book.book_frames(), partitions=count, signals=book.signals)
    _assert_parts_equal(got, _reference(book.book_frames(), count, book.signals))


@pytest.mark.parametrize("count", [2, 4, 9])
def test_shared_projects_and_repeated_facility_ids_go_to_each_part(book, count):
    bf = _shared(book)
    got = partition_book(bf, partitions=count)
    _assert_parts_equal(got, _reference(bf, count))
    check_parts(got)


def test_an_empty_book_gives_one_empty_part():
    got = partition_book(BookFrames(), partitions=3)
    assert len(got) == 1
    _assert_parts_equal(got, _reference(BookFrames(), 3))


def test_partitioned_results_equal_the_single_run(book):
    whole = relationship_frame(
        book.book_frames(), as_of=AS_OF, models=MODELS, signals=book.signals
    )
    parts = partition_book(book.book_frames(), partitions=6, signals=book.signals)
    check_parts(parts)
    joined = pd.concat(
        [relationship_partition(p, as_of=AS_OF, models=MODELS) for p in parts]
    )
    assert joined.index.tolist() == whole.index.tolist()
    for name in whole.columns:
        a, b = joined[name], whole[name]
        if isinstance(b.dtype, pd.CategoricalDtype) or b.dtype == object:
            assert a.astype(str).tolist() == b.astype(str).tolist(), name
        else:
            np.testing.assert_array_equal(a.to_numpy(), b.to_numpy(), err_msg=name)


def _relabel(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.set_axis([f"r{i}" for i in range(len(frame))])


def test_a_facility_of_no_client_is_refused_with_its_own_label(book):
    bf = book.book_frames()
    fac = _relabel(bf.facilities)
    fac.loc["r7", schema.CLIENT_ID] = "NOBODY"
    bad = attrs.evolve(bf, facilities=fac)
    with pytest.raises(UnknownReferenceError) as single:
        relationship_frame(bad, as_of=AS_OF, models=MODELS)
    with pytest.raises(UnknownReferenceError, match=r"`facilities\['r7'\]`") as split:
        partition_book(bad, partitions=4)
    assert split.value.key == single.value.key == "NOBODY"


@pytest.mark.parametrize(
    ("name", "column", "kind"),
    [
        ("feedback", schema.CLIENT_ID, "client"),
        ("referrals", schema.CLIENT_ID, "client"),
        ("ratings", schema.CLIENT_ID, "client"),
        ("interactions", schema.CLIENT_ID, "client"),
        ("milestones", schema.PROJECT_ID, "project"),
        ("drawdowns", schema.PROJECT_ID, "project"),
        ("cash_flows", schema.PROJECT_ID, "project"),
        ("facilities", schema.PROJECT_ID, "project"),
    ],
)
def test_records_the_single_run_refuses_are_refused(book, name, column, kind):
    bf = book.book_frames()
    frame = _relabel(getattr(bf, name))
    frame.loc["r1", column] = "GHOST"
    bad = attrs.evolve(bf, **{name: frame})
    with pytest.raises(UnknownReferenceError):
        relationship_frame(bad, as_of=AS_OF, models=MODELS)
    with pytest.raises(UnknownReferenceError, match=rf"No {kind} with id 'GHOST' "):
        partition_book(bad, partitions=3)
    with pytest.raises(UnknownReferenceError, match=rf"`{name}\['r1'\]`"):
        partition_book(bad, partitions=3)


def test_a_client_listed_twice_is_refused_as_in_the_single_run(book):
    bf = book.book_frames()
    clients = _relabel(pd.concat([bf.clients, bf.clients.iloc[[3]]]))
    bad = attrs.evolve(bf, clients=clients)
    with pytest.raises(InvalidValueError, match="one row per client"):
        relationship_frame(bad, as_of=AS_OF, models=MODELS)
    with pytest.raises(
        InvalidValueError, match=r"`clients\['r600'\].client_id` must be a client id"
    ):
        partition_book(bad, partitions=4)


def test_check_parts_finds_a_client_in_two_parts(book):
    parts = list(partition_book(book.book_frames(), partitions=3))
    extra = parts[0].frames.clients.iloc[[5]]
    moved = attrs.evolve(
        parts[2].frames, clients=pd.concat([parts[2].frames.clients, extra])
    )
    parts[2] = BookPartition(frames=moved)
    with pytest.raises(InvalidValueError) as err:
        check_parts(parts)
    assert err.value.field == "parts[2].clients[5].client_id"
    assert "parts[0] lists it too" in str(err.value)
    assert err.value.value == extra[schema.CLIENT_ID].iloc[0]


def test_check_parts_finds_a_repeat_inside_one_part(book):
    part = partition_book(book.book_frames(), partitions=1)[0]
    clients = pd.concat([part.frames.clients, part.frames.clients.iloc[[1]]])
    bad = BookPartition(frames=attrs.evolve(part.frames, clients=clients))
    with pytest.raises(InvalidValueError, match=r"parts\[0\].clients\[1\]") as err:
        check_parts([bad])
    assert "lists it too" not in str(err.value)


def test_check_parts_finds_an_orphan_facility(book):
    parts = list(partition_book(book.book_frames(), partitions=3))
    fac = pd.concat([parts[1].frames.facilities, parts[0].frames.facilities.iloc[[0]]])
    parts[1] = BookPartition(frames=attrs.evolve(parts[1].frames, facilities=fac))
    orphan = parts[0].frames.facilities[schema.CLIENT_ID].iloc[0]
    with pytest.raises(
        UnknownReferenceError,
        match=rf"'{orphan}' \(referenced by `parts\[1\].facilities\[0\]`\)",
    ):
        check_parts(parts)


def test_check_parts_refuses_what_is_not_a_part(book):
    with pytest.raises(
        InvalidValueError, match=r"`parts\[0\]` must be a BookPartition"
    ):
        check_parts([book.book_frames()])
    check_parts([])
    with pytest.raises(InvalidValueError, match="`parts` must be a sequence"):
        check_parts(None)  # type: ignore[arg-type]


@settings(max_examples=15, deadline=None)
@given(
    n=st.integers(min_value=1, max_value=40),
    seed=st.integers(min_value=0, max_value=10_000),
    count=st.integers(min_value=1, max_value=12),
    data=st.data(),
)
def test_any_book_cuts_as_the_isin_cut_and_passes_check_parts(n, seed, count, data):
    bf = generate_frames(n, seed=seed, as_of=AS_OF).book_frames()
    if len(bf.facilities) > 1:
        # clients far apart financing one project, a facility id used twice
        fac = bf.facilities.copy()
        i, j = data.draw(st.tuples(*[st.integers(0, len(fac) - 1)] * 2))
        fac.loc[fac.index[i], schema.PROJECT_ID] = fac[schema.PROJECT_ID].iloc[j]
        fac.loc[fac.index[j], schema.FACILITY_ID] = fac[schema.FACILITY_ID].iloc[i]
        bf = attrs.evolve(bf, facilities=fac)
    parts = partition_book(bf, partitions=count)
    _assert_parts_equal(parts, _reference(bf, count))
    check_parts(parts)
    joined = pd.concat([p.frames.clients for p in parts], ignore_index=True)
    pd.testing.assert_frame_equal(joined, bf.clients.reset_index(drop=True))
