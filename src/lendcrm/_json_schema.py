"""JSON Schema (draft 2020-12) of the `to_dict` form of an attrs class (private).

Generated from the class's attrs fields and their annotations, following the
conventions of `lendcrm.serialization`: ``Decimal`` is a decimal string, dates are ISO
8601 strings, enumerations are their values, tuples are arrays, ``X | None`` may be
null, a ``float`` is a number or null (null: the value is not available — NaN in
Python — or not finite), nested attrs classes are ``$defs`` referenced by ``$ref``, numpy arrays nested arrays of
numbers (``float64_array``, null: not finite) or integers (``int64_array``).
Extra keys are refused (``additionalProperties: false``), as `from_dict` refuses them.
"""

from __future__ import annotations

import collections.abc
import datetime as dt
import types
import typing
from decimal import Decimal
from enum import Enum
from typing import Any

import attrs

from lendcrm._json_arrays import array_dtype, is_array_type
from lendcrm.errors import InvalidValueError

SCHEMA_VERSION = "1"
"""Version of the JSON form; `to_payload` writes it and `from_payload` checks it."""

_DIALECT = "https://json-schema.org/draft/2020-12/schema"
_DECIMAL = r"^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$"


def json_schema(cls: type) -> dict[str, Any]:
    """The JSON Schema of ``to_dict(obj)`` for an instance of the attrs class ``cls``.

    Args:
        cls: An attrs class of lendcrm (an entity, value object, ``Book``, a view).

    Returns:
        A JSON-ready dict: draft 2020-12, ``$defs`` for every nested attrs class.

    Raises:
        InvalidValueError: ``cls`` is not an attrs class.

    Examples:
        >>> from lendcrm import Money
        >>> schema = json_schema(Money)
        >>> schema["required"], schema["properties"]["currency"]
        (['amount', 'currency'], {'type': 'string'})
        >>> schema["properties"]["amount"]["type"]
        'string'
    """
    raw: object = cls  # typed a class, but checked: anything may be passed
    if not (isinstance(raw, type) and attrs.has(raw)):
        raise InvalidValueError(
            field="cls", value=cls, expected="an attrs class of lendcrm"
        )
    defs: dict[str, dict[str, Any]] = {}
    root = _object(cls, defs)
    defs.pop(cls.__name__, None)
    out: dict[str, Any] = {"$schema": _DIALECT, "title": cls.__name__, **root}
    if defs:
        out["$defs"] = dict(sorted(defs.items()))
    return out


def _object(cls: type, defs: dict[str, dict[str, Any]]) -> dict[str, Any]:
    defs[cls.__name__] = {}  # placeholder: a class that refers to itself
    hints = typing.get_type_hints(cls)
    props: dict[str, Any] = {}
    required: list[str] = []
    for field in attrs.fields(cls):
        if not field.init:  # derived state (a Book's indexes): not in the dict
            continue
        props[field.name] = _of(hints.get(field.name, Any), defs)
        if field.default is attrs.NOTHING:
            required.append(field.name)
    body: dict[str, Any] = {
        "type": "object",
        "properties": props,
        "required": required,
        "additionalProperties": False,
    }
    defs[cls.__name__] = body
    return body


_SCALARS: dict[object, dict[str, Any]] = {
    bool: {"type": "boolean"},
    int: {"type": "integer"},
    float: {"type": ["number", "null"]},  # null: not available or not finite
    str: {"type": "string"},
    Decimal: {"type": "string", "pattern": _DECIMAL},
    dt.date: {"type": "string", "format": "date"},
    type(None): {"type": "null"},
}


def _of(tp: Any, defs: dict[str, dict[str, Any]]) -> dict[str, Any]:  # noqa: ANN401, PLR0911
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if tp is Any or tp is object:
        return {}
    if isinstance(tp, typing.NewType):  # ids: ClientId = NewType(..., str)
        return _of(tp.__supertype__, defs)
    if origin in (types.UnionType, typing.Union):
        return {"anyOf": [_of(a, defs) for a in args]}
    if origin is typing.Literal:
        return {"enum": list(args)}
    if isinstance(tp, type) and issubclass(tp, Enum):
        return {"enum": [m.value for m in tp]}
    if tp in _SCALARS:
        return dict(_SCALARS[tp])
    if is_array_type(tp):
        return _array(tp, defs)
    if isinstance(tp, type) and attrs.has(tp):
        if tp.__name__ not in defs:
            _object(tp, defs)
        return {"$ref": f"#/$defs/{tp.__name__}"}
    return _container(origin, args, defs)


def _array(tp: Any, defs: dict[str, dict[str, Any]]) -> dict[str, Any]:  # noqa: ANN401
    """A nested array of numbers (null: not finite) or integers, any depth."""
    dtype = array_dtype(tp)
    name = f"{dtype.name}_array"
    leaf = {"type": ["number", "null"]} if dtype.kind == "f" else {"type": "integer"}
    ref = {"$ref": f"#/$defs/{name}"}
    defs[name] = {"type": "array", "items": {"anyOf": [leaf, ref]}}
    return ref


def _container(
    origin: object, args: tuple[Any, ...], defs: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    if origin in (list, collections.abc.Sequence):  # any length, one item type
        return (
            {"type": "array", "items": _of(args[0], defs)}
            if args
            else {"type": "array"}
        )
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:  # noqa: PLR2004
            return {"type": "array", "items": _of(args[0], defs)}
        if args:
            return {"type": "array", "prefixItems": [_of(a, defs) for a in args]}
        return {"type": "array"}
    if origin in (dict, collections.abc.Mapping):
        value = _of(args[1], defs) if args else {}
        return {"type": "object", "additionalProperties": value}
    return {}
