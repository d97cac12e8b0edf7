"""Exact refusals of the collection checks at the door (issue #23).

Each refusal is compared by its whole message and its ``field``; the accepted forms
(lists, tuples, arrays, generators, empty sequences) by their exact result.
"""

from __future__ import annotations

import numpy as np
import pytest

from lendcrm._collections import object_column, require_mapping, sequence_of
from lendcrm.errors import InvalidValueError

LABELS = "a sequence of labels (a list or 1-d array)"


def refusal(call, *args, **kwargs) -> InvalidValueError:
    with pytest.raises(InvalidValueError) as info:
        call(*args, **kwargs)
    return info.value


def test_object_column_accepts_sequences_as_object_arrays():
    for given in (["A", "B"], ("A", "B"), np.array(["A", "B"]), iter("AB")):
        column = object_column(given, name="ids")
        assert column.dtype == object
        assert column.ndim == 1
        assert column.tolist() == ["A", "B"]
    numbers = object_column(np.array([1, 2]), name="ids")
    assert numbers.dtype == object
    assert numbers.tolist() == [1, 2]
    empty = object_column([], name="ids")
    assert (empty.dtype, empty.shape) == (np.dtype(object), (0,))


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("AB", "a 'str'"),
        (b"AB", "a 'bytes'"),
        ({"A": 1}, "a 'dict'"),
        (5, "a 'int'"),
        (None, "None"),
    ],
)
def test_object_column_refuses_scalars_and_mappings_by_name(given, shown):
    err = refusal(object_column, given, name="client_ids")
    assert err.field == "client_ids"
    assert str(err) == f"`client_ids` must be {LABELS}; got {shown}."


def test_object_column_refuses_a_matrix_by_its_shape():
    err = refusal(object_column, [[1, 2], [3, 4], [5, 6]], name="keys")
    assert err.field == "keys"
    assert err.value == "array of shape (3, 2)"
    assert str(err) == f"`keys` must be {LABELS}; got 'array of shape (3, 2)'."


def test_sequence_of_returns_a_list_and_names_the_first_foreign_item():
    assert sequence_of(("a", "b"), str, name="ids", what="str") == ["a", "b"]
    assert sequence_of([], str, name="ids", what="str") == []
    err = refusal(sequence_of, ["a", 2, 3.0], str, name="ids", what="client id")
    assert err.field == "ids[1]"
    assert str(err) == "`ids[1]` must be a client id; got a 'int'."
    err = refusal(sequence_of, ["a", None], str, name="ids", what="client id")
    assert str(err) == "`ids[1]` must be a client id; got None."


def test_sequence_of_refuses_a_lone_string_or_a_mapping():
    err = refusal(sequence_of, "ab", str, name="ids", what="client id")
    assert err.field == "ids"
    assert str(err) == "`ids` must be a sequence of client id; got a 'str'."
    err = refusal(sequence_of, {"a": 1}, str, name="ids", what="client id")
    assert str(err) == "`ids` must be a sequence of client id; got a 'dict'."
    err = refusal(sequence_of, 3, str, name="ids", what="client id")
    assert str(err) == "`ids` must be a sequence of client id; got a 'int'."


def test_require_mapping_returns_the_mapping_itself_or_refuses_by_name():
    given = {"A": "RM-1"}
    assert require_mapping(given, name="owners", what="a map") is given
    err = refusal(require_mapping, None, name="owners", what="a map of owners")
    assert err.field == "owners"
    assert str(err) == "`owners` must be a map of owners; got None."
    err = refusal(require_mapping, [("A", 1)], name="owners", what="a map of owners")
    assert str(err) == "`owners` must be a map of owners; got a 'list'."
