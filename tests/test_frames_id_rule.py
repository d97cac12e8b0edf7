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
from lendcrm.errors import BatchValidationError, InvalidRowsError
from lendcrm.frames._id_rule import ID_COLUMNS, _arrow_clean, _problems, id_rule_errors

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
    ["a", "Z", "7", "-", " ", "\t", "\n", "\u200b", "é", "\x00"]
)


@settings(max_examples=200, deadline=None)
@example(ids=["a" * 256, "b"])  # at the limit: clean
@example(ids=["a" * 257])  # one over
@example(ids=["", "a"])  # empty
@example(ids=[" a", "b"])  # leading space
@example(ids=["a "])  # trailing space
@given(
    ids=st.lists(st.one_of(st.text(_ID_CHARS, max_size=5), st.just("C-1")), max_size=6)
)
def test_the_arrow_fast_path_finds_what_the_exact_check_finds(ids: list[str]) -> None:
    # Arrow-held ids are cleared in Arrow when they are printable ASCII without a
    # space at either end; every other column goes through the exact check. Both
    # storages must give the same problems (none exactly when none).
    pytest.importorskip("pyarrow")
    arrow = _problems(pd.Series(ids, dtype="string[pyarrow]"))
    plain = _problems(pd.Series(ids, dtype=object))
    assert arrow == plain
    assert _arrow_clean(pd.Series(ids, dtype="string[pyarrow]")) == (
        not plain and all(i.isascii() and i.isprintable() for i in ids)
    )
