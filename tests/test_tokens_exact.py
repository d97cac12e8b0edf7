"""The exact shape of `dask_token`'s walk over attrs values (issue #23).

A stand-in ``normalize`` tags each leaf, so the whole nested token can be compared by
value: the class's dotted name, every field by name and in order, lists and tuples
told apart, sets sorted by the text of their members' tokens, mappings in their order.
"""

from __future__ import annotations

import attrs
import pytest

from lendcrm._tokens import _walk, dask_token


def tag(value: object) -> object:
    return ("leaf", value)


@attrs.frozen
class Pair:
    left: object
    right: object = 0


MODULE = __name__


def test_an_attrs_value_is_its_dotted_name_and_fields_in_order():
    assert _walk(Pair(1, "x"), tag) == (
        f"{MODULE}.Pair",
        (("left", ("leaf", 1)), ("right", ("leaf", "x"))),
    )


def test_nested_values_lists_tuples_sets_and_mappings():
    value = Pair([1, (2,)], {"k": frozenset({10, 9}), 3: {4}})
    assert _walk(value, tag) == (
        f"{MODULE}.Pair",
        (
            ("left", ("list", (("leaf", 1), ("tuple", (("leaf", 2),))))),
            (
                "right",
                (
                    "mapping",
                    (
                        # str(("leaf", 10)) sorts before str(("leaf", 9))
                        (("leaf", "k"), ("set", (("leaf", 10), ("leaf", 9)))),
                        (("leaf", 3), ("set", (("leaf", 4),))),
                    ),
                ),
            ),
        ),
    )


def test_a_plain_leaf_is_handed_to_normalize():
    assert _walk(2.5, tag) == ("leaf", 2.5)
    assert _walk(set(), tag) == ("set", ())
    assert _walk([], tag) == ("list", ())
    assert _walk({}, tag) == ("mapping", ())


def test_dask_token_uses_dasks_normalize_token():
    base = pytest.importorskip("dask.base")
    value = Pair((1.5, "a"))
    assert dask_token(value) == _walk(value, base.normalize_token)
    assert dask_token(value) == (
        f"{MODULE}.Pair",
        (
            ("left", ("tuple", (base.normalize_token(1.5), base.normalize_token("a")))),
            ("right", base.normalize_token(0)),
        ),
    )
