"""Short ids read as 64-bit words (#20): the same look-ups as hashing the strings.

`client_keys` reads client ids of one width of at most eight UTF-8 bytes as words and
looks them up by binary search; every answer (the first repeated client, each record's
client row, -1 for an unknown or missing one) must equal the hash look-up's
(`positions`, `pandas.Index.duplicated`), in both text storages and mixed.
"""

import datetime as dt
import importlib.util

import attrs
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lendcrm.errors import InvalidValueError
from lendcrm.relationship._client_keys import RECORD_FRAMES, client_keys
from lendcrm.relationship._gather import positions
from lendcrm.relationship._id_words import (
    WORD,
    IdTable,
    fixed_width_text,
    id_table,
    id_words,
)
from lendcrm.synthetic import generate_frames

AS_OF = dt.date(2025, 12, 31)
STORAGES = ["pyarrow", "python"] if importlib.util.find_spec("pyarrow") else ["python"]
BOOK = generate_frames(4, seed=3, as_of=AS_OF, periods=1).book_frames()


def _text(values, storage) -> pd.Series:
    return pd.Series(values, dtype=pd.StringDtype(storage, na_value=np.nan))


def _book(clients: pd.Series, records: pd.Series):
    many = BOOK.clients.iloc[np.zeros(len(clients), dtype=np.int64)]
    frame = pd.DataFrame({"client_id": records})
    return attrs.evolve(
        BOOK,
        clients=many.reset_index(drop=True).assign(client_id=clients.to_numpy()),
        **dict.fromkeys(RECORD_FRAMES, frame),
    )


# ids of up to ten characters (wider than a word too), some not ASCII, one with a NUL
IDS = st.text(alphabet="AB1é\x00", min_size=0, max_size=10)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(IDS, min_size=1, max_size=12),
    st.lists(st.one_of(IDS, st.none(), st.integers(0, 11)), max_size=30),
    st.sampled_from(STORAGES),
    st.sampled_from(STORAGES),
    st.booleans(),
)
def test_the_word_look_up_equals_the_hash_look_up(ids, picks, own, keyed, same_width):
    if same_width:  # the usual export: one width, within a word
        ids = [f"C{i:07d}" for i in range(len(ids))][:: 1 if len(ids) % 2 else -1]
    keys = [ids[p] if isinstance(p, int) and p < len(ids) else p for p in picks]
    keys = [k if not isinstance(k, int) else "ZZ" for k in keys]
    clients, records = _text(ids, own), _text(keys, keyed)
    index = pd.Index(clients, name="client_id")
    frames = _book(clients, records)
    if index.has_duplicates:
        with pytest.raises(InvalidValueError) as info:
            client_keys(frames)
        first = int(np.argmax(index.duplicated()))
        assert info.value.field == f"clients[{first}].client_id"
        return
    found = client_keys(frames)
    want = positions(records, index)
    if same_width and not any("\x00" in k for k in keys if k):  # all read as words
        assert set(found.rows) == set(RECORD_FRAMES)
    for name in RECORD_FRAMES:
        np.testing.assert_array_equal(found.rows.get(name, want), want)


@pytest.mark.parametrize("storage", STORAGES)
def test_ids_of_one_short_width_are_words_others_are_not(storage):
    words, ok, width = _read(_text(["AB", "AC", "B"], storage), 2)
    assert width == 2
    assert ok.tolist() == [True, True, False]
    assert words[0] == int.from_bytes(b"AB" + bytes(WORD - 2), "big")
    assert words[0] < words[1]
    assert id_words(_text(["AB", "ABC"], storage)) is None  # two widths
    assert id_words(_text(["ABCDEFGHI"], storage)) is None  # wider than a word
    assert id_words(_text(["AB", None], storage)) is None  # a missing client id
    assert id_words(pd.Series([1, 2])) is None  # not text


@pytest.mark.parametrize("storage", STORAGES)
def test_the_table_names_the_first_repeat_in_any_order(storage):
    _table, first = _tabled(["B2", "A1", "C3", "A1", "B2"], storage)
    assert first == 3
    table, first = _tabled(["B2", "A1", "C3"], storage)
    assert first == -1
    assert table.order is not None
    words, ok, _ = _read(_text(["C3", "A1", "XX", None], storage), table.width)
    assert table.rows(words, ok).tolist() == [2, 1, -1, -1]
    table, first = _tabled(["A1", "B2"], storage)
    assert first == -1
    assert table.order is None  # in order: no sort


def _read(values: pd.Series, width: int) -> tuple[np.ndarray, np.ndarray, int]:
    read = id_words(values, width)
    assert read is not None
    return read


def _tabled(ids: list[str], storage: str) -> tuple[IdTable, int]:
    table = id_table(pd.Index(_text(ids, storage)))
    assert table is not None
    return table


# the tier's ids: the words widened to a fixed-width str array (#20, relframe8)
@settings(max_examples=150, deadline=None)
@given(
    st.lists(IDS, min_size=0, max_size=12, unique=True),
    st.lists(st.booleans(), min_size=12, max_size=12),
    st.sampled_from(STORAGES),
    st.booleans(),
)
def test_the_tier_ids_are_the_ids_as_str(ids, keep, storage, same_width):
    if same_width:
        ids = [f"C{i:07d}" for i in range(len(ids))][:: 1 if len(ids) % 2 else -1]
    clients = _text(ids, storage)
    found = client_keys(_book(clients, _text([], storage)))
    at = np.array(keep[: len(ids)], dtype=bool)
    got = found.text_ids(at)
    want = np.asarray(ids, dtype=str)[at] if ids else np.zeros(0, dtype=str)
    if same_width and ids:  # read as words: a fixed-width str array
        assert found.table is not None
        assert got.dtype == np.dtype("U8")
    # ClientFeatures stores what it is given as str: the same array either way
    assert np.asarray(got, dtype=str).tolist() == want.tolist()


@pytest.mark.parametrize("storage", STORAGES)
@pytest.mark.parametrize(
    ("ids", "kind"),
    [
        (["C1"], "U"),  # one client
        (["AB", "A\x00"], "U"),  # a NUL inside an id (Arrow) or refused (Python)
        (["é1", "é2"], "O"),  # two UTF-8 bytes a character: the Python strings
        (["ABCDEFGHI", "B"], "O"),  # wider than a word: no table
    ],
)
def test_the_tier_ids_of_odd_ids(storage, ids, kind):
    found = client_keys(_book(_text(ids, storage), _text([], storage)))
    got = found.text_ids(np.ones(len(ids), dtype=bool))
    # ClientFeatures stores what it is given as str (numpy's str drops a trailing
    # NUL): an object array of the ids and a fixed-width one are stored alike
    assert np.asarray(got, dtype=str).tolist() == np.asarray(ids, dtype=str).tolist()
    assert got.dtype.kind == (kind if found.table is not None else "O")


def test_fixed_width_text_of_no_ids_is_empty():
    out = fixed_width_text(np.zeros(0, dtype=np.uint64), 3)
    assert out is not None
    assert out.shape == (0,)
    assert out.dtype == np.dtype("U3")


@pytest.mark.parametrize("storage", STORAGES)
def test_a_repeated_id_is_refused_before_the_tier_reads_the_ids(storage):
    clients = _text(["C0000002", "C0000001", "C0000002"], storage)
    with pytest.raises(InvalidValueError) as info:
        client_keys(_book(clients, _text([], storage)))
    assert info.value.field == "clients[2].client_id"
    assert "a client id not already listed" in str(info.value)


def _hand_words(ids: list[str]) -> list[int]:
    return [int.from_bytes(i.encode().ljust(8, b"\0"), "big") for i in ids]


@pytest.mark.parametrize("storage", STORAGES)
@pytest.mark.parametrize("width", [1, 3, 8])
@pytest.mark.parametrize("missing", [False, True])
def test_words_of_rows_one_after_the_other_equal_the_gathered_ones(
    storage, width, missing
):
    # every row of one width: read as a strided slice; a missing row: gathered
    ids = [f"{i:0{width}d}"[-width:] for i in range(7)]
    values = [*ids[:3], None, *ids[3:]] if missing else ids
    read = id_words(_text(values, storage), width)
    assert read is not None
    words, ok, got_width = read
    assert got_width == width
    keep = [v is not None for v in values]
    assert ok.tolist() == keep
    assert words[ok].tolist() == _hand_words(ids)
