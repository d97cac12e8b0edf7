"""The frames readers keep the entities' id rule on id columns (#17, item 5).

`check_frame` (behind every ``validate_*_frame``, `book_from_frames` and the area
frame checks) refuses ids with surrounding whitespace, control or zero-width
characters, empty ids and ids over `MAX_ID_LENGTH` characters, as the entity
constructors do; each broken rule is one error naming frame, column and rows.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from lendcrm import frames, synthetic
from lendcrm._validators import id_problem
from lendcrm.errors import BatchValidationError, InvalidRowsError
from lendcrm.frames._id_rule import ID_COLUMNS, _fast_clean, _problems, id_rule_errors
from lendcrm.frames._utf8 import utf8_of

BOOK = synthetic.generate_frames(4, seed=1, as_of=dt.date(2025, 12, 31)).book_frames()


def _with_client_ids(*ids: str) -> pd.DataFrame:
    clients = BOOK.clients.copy()
    clients.loc[clients.index[: len(ids)], "client_id"] = list(ids)
    return clients


@pytest.mark.parametrize(
    ("bad", "expected"),
    [
        ("C-1 ", "an id without leading or trailing whitespace"),
        (
            "C\n1",
            (
                "an id without control or zero-width characters (found U+000A at "
                "position 1)"
            ),
        ),
        (
            "C\u200b1",
            (
                "an id without control or zero-width characters (found U+200B at "
                "position 1)"
            ),
        ),
        ("x" * 257, "an id of at most 256 characters"),
        ("", "a non-empty string"),
    ],
)
def test_validate_clients_frame_applies_the_id_rule(bad: str, expected: str) -> None:
    with pytest.raises(BatchValidationError) as info:
        frames.validate_clients_frame(_with_client_ids("C-0", bad))
    (error,) = info.value.exceptions
    assert isinstance(error, InvalidRowsError)
    assert error.field == "clients[1].client_id"
    assert str(error) == (
        f"`clients[1].client_id` must be {expected}; got {bad!r}. "
        "1 row fails this rule: 1."
    )


def test_each_broken_rule_is_one_error_with_its_rows() -> None:
    clients = _with_client_ids(" A", "B ", "C\tD", " E")
    errors = id_rule_errors("clients", clients, ["client_id", "legal_name"])
    assert [(e.rows, e.count) for e in errors] == [((0, 1, 3), 3), ((2,), 1)]
    assert str(errors[0]) == (
        "`clients[0].client_id` must be an id without leading or trailing "
        "whitespace; got ' A'. 3 rows fail this rule: 0, 1, 3."
    )


def test_book_from_frames_refuses_a_facility_id_the_entity_would_refuse() -> None:
    facilities = BOOK.facilities.copy()
    facilities.loc[facilities.index[0], "facility_id"] = "F-1\u200d"
    bad = frames.BookFrames(
        **{
            name: getattr(BOOK, name)
            for name in frames.BookFrames.__annotations__
            if name != "facilities"
        },
        facilities=facilities,
    )
    with pytest.raises(BatchValidationError) as info:
        frames.book_from_frames(bad)
    assert "facility_id` must be an id without control or zero-width" in str(info.value)


def test_clean_ids_and_missing_values_pass() -> None:
    frame = pd.DataFrame({"client_id": ["C-1", None, "Ünal AG"], "x": [1, 2, 3]})
    assert id_rule_errors("clients", frame, ["client_id"]) == []
    assert {"client_id", "facility_id", "project_id"} <= ID_COLUMNS


_ID_CHARS = st.sampled_from(
    ["a", "A", "Z", "7", "-", " ", "\t", "\n", "\r", "\x7f", "\x1f", "\u200b",
     "\ufeff", "\u00a0", "é", "Ü", "\x00", "\U0001f600"]
)  # fmt: skip
_MESSY = st.one_of(
    st.text(_ID_CHARS, max_size=6),
    st.sampled_from(["C-1", "c-1", "C-1 ", "x" * 256, "x" * 257, "é" * 200, ""]),
    st.text(max_size=4),
)
_STORAGES = [
    "str",
    "string[python]",
    "string[pyarrow]",
    "large_string[pyarrow]",
    object,
]


def _exact(ids: list[str | None]) -> dict[str, str]:
    """The rule applied to each distinct present id, one Python string at a time."""
    found = {v: id_problem(v) for v in dict.fromkeys(i for i in ids if i is not None)}
    return {v: p for v, p in found.items() if p is not None}


def _plain_clean(ids: list[str | None]) -> bool:
    present = [i for i in ids if i is not None]
    return not _exact(ids) and all(i.isascii() and i.isprintable() for i in present)


def _column(ids: list[str | None], storage: object) -> pd.Series:
    if "pyarrow" in str(storage):
        pa = pytest.importorskip("pyarrow")
        if storage == "large_string[pyarrow]":  # pd.ArrowDtype, not pandas' str
            return pd.Series(ids, dtype=pd.ArrowDtype(pa.large_string()))
    column: pd.Series = pd.Series(ids, dtype=storage)  # type: ignore[call-overload]
    return column


@settings(max_examples=300, deadline=None)
@example(ids=["a" * 256, "b"], storage="string[pyarrow]")  # at the limit: clean
@example(ids=["a" * 257], storage="string[python]")  # one over
@example(ids=["", "a"], storage="string[pyarrow]")  # empty
@example(ids=[" a", "b"], storage="string[python]")  # leading space
@example(ids=["a "], storage=object)  # trailing space
@example(ids=["a", None, "b\u200b"], storage="string[pyarrow]")
@example(ids=["a\x00", "b"], storage="string[python]")  # a NUL inside an id
@example(ids=[None, None], storage="str")
@example(ids=[None, None, " a", "b"], storage="string[python]")  # nulls left out
@example(ids=[None, "a b", "c"], storage="string[pyarrow]")  # a space inside: clean
@example(ids=["a b", " c"], storage=object)
@example(ids=["a", None, "b\n"], storage="large_string[pyarrow]")
@given(
    ids=st.lists(st.one_of(_MESSY, st.none()), max_size=8),
    storage=st.sampled_from(_STORAGES),
)
def test_the_fast_path_finds_what_the_exact_check_finds(
    ids: list[str | None], storage: object
) -> None:
    # ids are cleared from their bytes when they are printable ASCII without a space
    # at either end; everything else goes through the exact check. Every storage
    # gives the problems of the rule applied id by id (none exactly when none).
    column = _column(ids, storage)
    assert _problems(column, utf8_of(column)) == _exact(ids)
    assert _fast_clean(utf8_of(column)) == _plain_clean(ids)


@settings(max_examples=100, deadline=None)
@given(
    ids=st.lists(st.one_of(_MESSY, st.none()), min_size=1, max_size=8),
    cut=st.integers(0, 8),
)
def test_the_fast_path_reads_arrow_slices_and_chunks(
    ids: list[str | None], cut: int
) -> None:
    # a slice shares its parent's buffers at an offset; a column of several chunks
    pa = pytest.importorskip("pyarrow")
    column = _column(ids, "string[pyarrow]").iloc[cut:]
    assert _problems(column, utf8_of(column)) == _exact(ids[cut:])
    assert _fast_clean(utf8_of(column)) == _plain_clean(ids[cut:])
    chunked = pd.Series(
        pd.arrays.ArrowStringArray(
            pa.chunked_array(
                [pa.array(ids[:cut], pa.string()), pa.array(ids[cut:], pa.string())]
            )
        )
    )
    assert _problems(chunked, utf8_of(chunked)) == _exact(ids)
    assert _fast_clean(utf8_of(chunked)) == _plain_clean(ids)


def test_the_messages_are_the_same_in_every_storage() -> None:
    ids = ["C-1", " C-2", "C\u200b3", None, "C-4\n", "c-1", "C-1"]
    index = pd.RangeIndex(len(ids))
    shown = {
        str(storage): [
            str(e)
            for e in id_rule_errors(
                "clients",
                pd.DataFrame({"client_id": _column(ids, storage)}, index=index),
                ["client_id"],
            )
        ]
        for storage in ["string[python]", "string[pyarrow]", object]
    }
    assert len(set(map(tuple, shown.values()))) == 1
    whitespace = (  # 'C-4\\n' strips: row 4 breaks the whitespace rule
        "`clients[1].client_id` must be an id without leading or trailing "
        "whitespace; got ' C-2'. 2 rows fail this rule: 1, 4."
    )
    zero_width = (
        "`clients[2].client_id` must be an id without control or zero-width "
        "characters (found U+200B at position 1); got 'C\\u200b3'. 1 row fails "
        "this rule: 2."
    )
    assert shown[str(object)] == [whitespace, zero_width]
