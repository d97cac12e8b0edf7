"""Strict interchange (#16, deliverable 4): strict JSON, a schema version, JSON Schema.

jsonschema is not a dependency, so `validate` below checks the subset of JSON Schema
that `json_schema` emits (type, enum, pattern, properties, required,
additionalProperties, items, prefixItems, anyOf, $ref); a test proves it refuses what
it should, so a green run means the payloads really match their schemas.
"""

from __future__ import annotations

import datetime as dt
import inspect
import json
import math
import re

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lendcrm
from lendcrm import Book, Money
from lendcrm.errors import InvalidValueError
from lendcrm.relationship import ClientView, client_view
from lendcrm.serialization import (
    SCHEMA_VERSION,
    from_dict,
    from_payload,
    json_schema,
    to_dict,
    to_payload,
)
from tests.relationship.test_view import AS_OF, MODELS, _book
from tests.strategies import books, clients, facilities, projects

JSON_TYPES: dict[str, type | tuple[type, ...]] = {
    "string": str,
    "integer": int,
    "number": (int, float),
    "boolean": bool,
    "null": type(None),
    "object": dict,
    "array": list,
}


def _is(value, name):
    if name in ("integer", "number") and isinstance(value, bool):
        return False
    return isinstance(value, JSON_TYPES[name])


def validate(value, schema, root, path="$"):  # noqa: C901, PLR0912
    """Every violation of ``schema`` by ``value`` (empty: valid)."""
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/$defs/")
        target = root if name == root["title"] else root["$defs"][name]
        return validate(value, target, root, path)
    if "anyOf" in schema:
        fits = [validate(value, s, root, path) for s in schema["anyOf"]]
        return [] if any(not f for f in fits) else [f"{path}: no anyOf branch fits"]
    errors = []
    types = schema.get("type")
    if types is not None:
        names = types if isinstance(types, list) else [types]
        if not any(_is(value, n) for n in names):
            return [f"{path}: {value!r} is not {names}"]
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{path}: {value!r} not in {schema['enum']}")
    if "pattern" in schema and not re.search(schema["pattern"], value):
        errors.append(f"{path}: {value!r} does not match {schema['pattern']}")
    if schema.get("format") == "date":
        dt.date.fromisoformat(value)
    if isinstance(value, dict):
        props = schema.get("properties", {})
        errors += [
            f"{path}: {k} missing" for k in schema.get("required", []) if k not in value
        ]
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            if key in props:
                errors += validate(item, props[key], root, f"{path}.{key}")
            elif extra is False:
                errors.append(f"{path}: unknown key {key}")
            elif isinstance(extra, dict):
                errors += validate(item, extra, root, f"{path}.{key}")
    if isinstance(value, list):
        for i, item in enumerate(value):
            if "prefixItems" in schema:
                errors += validate(item, schema["prefixItems"][i], root, f"{path}[{i}]")
            elif "items" in schema:
                errors += validate(item, schema["items"], root, f"{path}[{i}]")
    return errors


def strict_json(payload):
    """Through JSON text that any language parses: NaN or Infinity would raise."""
    return json.loads(json.dumps(payload, allow_nan=False))


def views():
    book = _book()
    return [client_view(book, c.id, as_of=AS_OF, models=MODELS) for c in book.clients]


def test_views_are_strict_json_with_null_for_not_available():
    for view in views():
        payload = strict_json(to_payload(view))
        assert payload["schema_version"] == SCHEMA_VERSION == "1"
        assert payload["type"] == "ClientView"
        for name in ("revenue_to_bank", "default_probability", "value_score", "nps"):
            original = getattr(view, name)
            if math.isnan(original):
                assert payload["data"][name] is None


def test_views_round_trip_equal_and_validate_against_their_schema():
    schema = strict_json(json_schema(ClientView))
    for view in views():
        payload = strict_json(to_payload(view))
        back = from_payload(payload, ClientView)
        assert to_payload(back) == payload
        assert back.client == view.client
        assert back.facilities == view.facilities
        assert validate(payload["data"], schema, schema) == []


def test_infinities_are_null_too():
    view = attrs.evolve(views()[0], dscr=math.inf, dscr_change=-math.inf)
    data = strict_json(to_dict(view))
    assert data["dscr"] is None
    assert data["dscr_change"] is None
    # read back, null is NaN ("not available"): the payload still round-trips
    assert math.isnan(from_dict(data, ClientView).dscr)
    assert to_dict(from_dict(data, ClientView)) == data


@settings(max_examples=25)
@given(st.one_of(clients(), facilities(), projects(), books()))
def test_entities_and_books_validate_and_round_trip(entity):
    cls = type(entity)
    payload = strict_json(to_payload(entity))
    assert from_payload(payload, cls) == entity
    schema = json_schema(cls)
    assert validate(payload["data"], schema, schema) == []


def public_attrs_classes():
    return sorted(
        (
            obj
            for obj in vars(lendcrm).values()
            if inspect.isclass(obj) and attrs.has(obj)
        ),
        key=lambda c: c.__name__,
    )


@pytest.mark.parametrize("cls", public_attrs_classes(), ids=lambda c: c.__name__)
def test_every_public_entity_has_a_json_schema(cls):
    schema = strict_json(json_schema(cls))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == cls.__name__
    assert schema["type"] == "object"
    assert schema["additionalProperties"] is False
    assert set(schema["properties"]) == {f.name for f in attrs.fields(cls) if f.init}
    refs = re.findall(r'"#/\$defs/(\w+)"', json.dumps(schema))
    assert set(refs) <= set(schema.get("$defs", {})) | {cls.__name__}


def test_the_money_schema_exactly():
    assert json_schema(Money) == {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Money",
        "type": "object",
        "properties": {
            "amount": {
                "type": "string",
                "pattern": r"^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$",
            },
            "currency": {"type": "string"},
        },
        "required": ["amount", "currency"],
        "additionalProperties": False,
    }


def test_the_validator_refuses_what_the_schema_refuses():
    schema = json_schema(ClientView)
    good = strict_json(to_dict(views()[0]))
    assert validate(good, schema, schema) == []
    assert validate({**good, "extra": 1}, schema, schema) == ["$: unknown key extra"]
    assert validate({**good, "exposure": "12"}, schema, schema) == [
        "$.exposure: '12' is not ['number', 'null']"
    ]
    facility = good["facilities"][0]
    bad = {
        **good,
        "facilities": [{**facility, "limit": {"amount": 1.5, "currency": "EUR"}}],
    }
    assert validate(bad, schema, schema) == [
        "$.facilities[0].limit.amount: 1.5 is not ['string']"
    ]
    no_id = {k: v for k, v in good["client"].items() if k != "id"}
    assert validate({**good, "client": no_id}, schema, schema) == [
        "$.client: id missing"
    ]


def test_from_payload_checks_version_type_and_keys():
    payload = to_payload(Money.of("1.00", "EUR"))
    with pytest.raises(InvalidValueError, match="`schema_version` must be '1'"):
        from_payload({**payload, "schema_version": "2"}, Money)
    with pytest.raises(InvalidValueError, match="`type` must be 'Book'; got 'Money'"):
        from_payload(payload, Book)
    with pytest.raises(
        InvalidValueError, match="`payload` must be a dict with exactly"
    ):
        from_payload(payload["data"], Money)
    with pytest.raises(
        InvalidValueError, match="`payload` must be a dict with exactly"
    ):
        from_payload([], Money)  # type: ignore[arg-type]


def test_json_schema_refuses_what_is_not_an_attrs_class():
    with pytest.raises(
        InvalidValueError, match="`cls` must be an attrs class of lendcrm"
    ):
        json_schema(dict)
