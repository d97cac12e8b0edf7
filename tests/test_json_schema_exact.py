"""The JSON Schema of the `to_dict` form, written out in full (issue #23).

One attrs class holds a field of every kind `json_schema` reads (each scalar, a
NewType id, both spellings of a union, a Literal, an enumeration, float and integer
arrays, a nested class that refers to itself, every container spelling, an unknown
type, a defaulted field and a derived ``init=False`` one); its schema is compared with
the dict written by hand from the module's conventions, which also pins the
module-level scalar table, the dialect and the decimal pattern.
"""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Mapping, Sequence
from decimal import Decimal
from enum import Enum
from typing import Any, Literal, NewType, Optional, Union

import attrs
import numpy as np
import numpy.typing as npt
import pytest

from lendcrm._json_schema import SCHEMA_VERSION, json_schema
from lendcrm.errors import InvalidValueError

DECIMAL = r"^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$"
DIALECT = "https://json-schema.org/draft/2020-12/schema"

Code = NewType("Code", str)


class Colour(Enum):
    RED = "r"
    BLUE = "b"


@attrs.frozen
class Node:
    x: int
    nxt: Node | None = None


NodeId = NewType("NodeId", Node)


@attrs.frozen
class Flat:
    name: str


@attrs.frozen
class Gappy:
    first: int
    derived: int = attrs.field(init=False, default=0)
    last: str = ""


@attrs.frozen
class Every:
    a: bool
    b: int
    c: float
    d: str
    e: Decimal
    f: dt.date
    g: None
    h: Any
    i: object
    j: Code
    k: int | None
    k2: Optional[str]  # noqa: UP045 - typing.Union's spelling on purpose
    k3: Union[int, str]  # noqa: UP007
    lit: Literal["x", 1]
    m: Colour
    n: npt.NDArray[np.float64]
    o: npt.NDArray[np.int64]
    p: Node
    q: tuple[int, ...]
    r: tuple[int, str]
    s: tuple  # type: ignore[type-arg]
    t: list[str]
    u: Sequence[int]
    v: dict[str, int]
    w: Mapping[str, float]
    x: dict  # type: ignore[type-arg]
    x2: typing.Tuple  # type: ignore[type-arg]  # noqa: UP006
    x3: typing.Dict  # type: ignore[type-arg]  # noqa: UP006
    x4: typing.List  # type: ignore[type-arg]  # noqa: UP006
    y: set[int]
    nid: NodeId
    nodes: tuple[Node, ...]
    node_pair: tuple[Node, int]
    node_list: list[Node]
    node_map: dict[str, Node]
    z: int = 0
    derived: int = attrs.field(init=False, default=0)


FLOAT = {"type": ["number", "null"]}
INT = {"type": "integer"}
STR = {"type": "string"}

EVERY_PROPERTIES = {
    "a": {"type": "boolean"},
    "b": INT,
    "c": FLOAT,
    "d": STR,
    "e": {"type": "string", "pattern": DECIMAL},
    "f": {"type": "string", "format": "date"},
    "g": {"type": "null"},
    "h": {},
    "i": {},
    "j": STR,
    "k": {"anyOf": [INT, {"type": "null"}]},
    "k2": {"anyOf": [STR, {"type": "null"}]},
    "k3": {"anyOf": [INT, STR]},
    "lit": {"enum": ["x", 1]},
    "m": {"enum": ["r", "b"]},
    "n": {"$ref": "#/$defs/float64_array"},
    "o": {"$ref": "#/$defs/int64_array"},
    "p": {"$ref": "#/$defs/Node"},
    "q": {"type": "array", "items": INT},
    "r": {"type": "array", "prefixItems": [INT, STR]},
    "s": {},  # a bare `tuple` has no origin: any value
    "t": {"type": "array", "items": STR},
    "u": {"type": "array", "items": INT},
    "v": {"type": "object", "additionalProperties": INT},
    "w": {"type": "object", "additionalProperties": FLOAT},
    "x": {},  # a bare `dict` has no origin either
    "x2": {"type": "array"},
    "x3": {"type": "object", "additionalProperties": {}},
    "x4": {"type": "array"},
    "y": {},
    "nid": {"$ref": "#/$defs/Node"},
    "nodes": {"type": "array", "items": {"$ref": "#/$defs/Node"}},
    "node_pair": {"type": "array", "prefixItems": [{"$ref": "#/$defs/Node"}, INT]},
    "node_list": {"type": "array", "items": {"$ref": "#/$defs/Node"}},
    "node_map": {"type": "object", "additionalProperties": {"$ref": "#/$defs/Node"}},
    "z": INT,
}

EVERY_SCHEMA = {
    "$schema": DIALECT,
    "title": "Every",
    "type": "object",
    "properties": EVERY_PROPERTIES,
    "required": [name for name in EVERY_PROPERTIES if name != "z"],
    "additionalProperties": False,
    "$defs": {
        "Node": {
            "type": "object",
            "properties": {
                "x": INT,
                "nxt": {"anyOf": [{"$ref": "#/$defs/Node"}, {"type": "null"}]},
            },
            "required": ["x"],
            "additionalProperties": False,
        },
        "float64_array": {
            "type": "array",
            "items": {"anyOf": [FLOAT, {"$ref": "#/$defs/float64_array"}]},
        },
        "int64_array": {
            "type": "array",
            "items": {"anyOf": [INT, {"$ref": "#/$defs/int64_array"}]},
        },
    },
}


def test_every_kind_of_field_in_full():
    schema = json_schema(Every)
    assert schema == EVERY_SCHEMA
    assert list(schema) == [
        "$schema",
        "title",
        "type",
        "properties",
        "required",
        "additionalProperties",
        "$defs",
    ]
    assert list(schema["$defs"]) == ["Node", "float64_array", "int64_array"]
    assert list(schema["properties"]) == list(EVERY_PROPERTIES)


def test_a_class_that_refers_to_itself_is_its_own_root():
    assert json_schema(Node) == {
        "$schema": DIALECT,
        "title": "Node",
        "type": "object",
        "properties": {
            "x": INT,
            "nxt": {"anyOf": [{"$ref": "#/$defs/Node"}, {"type": "null"}]},
        },
        "required": ["x"],
        "additionalProperties": False,
    }


def test_a_class_without_nested_classes_has_no_defs():
    assert json_schema(Flat) == {
        "$schema": DIALECT,
        "title": "Flat",
        "type": "object",
        "properties": {"name": STR},
        "required": ["name"],
        "additionalProperties": False,
    }


def test_a_derived_field_is_skipped_not_the_fields_after_it():
    schema = json_schema(Gappy)
    assert schema["properties"] == {"first": INT, "last": STR}
    assert schema["required"] == ["first"]


def test_scalar_schemas_are_fresh_copies():
    first = json_schema(Flat)
    first["properties"]["name"]["type"] = "changed"
    assert json_schema(Flat)["properties"]["name"] == STR


@pytest.mark.parametrize(("given", "shown"), [(5, "5"), (int, "<class 'int'>")])
def test_json_schema_refuses_what_is_not_an_attrs_class(given, shown):
    with pytest.raises(InvalidValueError) as info:
        json_schema(given)
    assert info.value.field == "cls"
    assert str(info.value) == f"`cls` must be an attrs class of lendcrm; got {shown}."


def test_an_attrs_instance_is_not_a_class():
    with pytest.raises(InvalidValueError) as info:
        json_schema(Flat("a"))  # type: ignore[arg-type]
    assert info.value.field == "cls"


def test_schema_version_is_one():
    assert SCHEMA_VERSION == "1"
    assert typing.get_type_hints(Every)["g"] is type(None)
