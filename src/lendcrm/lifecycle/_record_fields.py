"""The fields of a lifecycle transition record, and their type checks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Final, NamedTuple, TypeVar

from lendcrm.errors import InvalidValueError

__all__ = [
    "RecordFields",
    "check_optional_text",
    "check_record",
    "plain_field",
    "plain_text",
]

_T = TypeVar("_T")


def check_optional_text(name: str, value: object) -> None:
    """Refuse a value that is neither a string nor None."""
    if value is not None and not isinstance(value, str):
        raise InvalidValueError(field=name, value=value, expected="a string or None")


class RecordFields(NamedTuple):
    """The fields of a `TransitionRecord`, in canonical order."""

    seq: int
    from_stage: str
    to_stage: str
    event: str
    on: dt.date
    reason: str | None
    actor: str | None
    previous_hash: str
    record_hash: str


_TEXT_FIELDS: Final = ("from_stage", "to_stage", "event")


def check_record(fields: RecordFields) -> None:
    """Refuse a field of the wrong type (the chain itself is `History.verify`'s)."""
    seq: object = fields.seq
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
        raise InvalidValueError(field="seq", value=seq, expected="an integer >= 0")
    for name in _TEXT_FIELDS:
        value = getattr(fields, name)
        if not isinstance(value, str) or not value:
            raise InvalidValueError(
                field=name, value=value, expected="a non-empty string"
            )
    on: object = fields.on
    if not isinstance(on, dt.date) or isinstance(on, dt.datetime):
        raise InvalidValueError(
            field="on", value=on, expected="a datetime.date (business date)"
        )
    check_optional_text("reason", fields.reason)
    check_optional_text("actor", fields.actor)
    for name in ("previous_hash", "record_hash"):
        value = getattr(fields, name)
        if not isinstance(value, str):
            raise InvalidValueError(
                field=name, value=value, expected="a SHA-256 hex digest (a string)"
            )


def plain_field(data: object, key: str, kind: type[_T], path: str) -> _T:
    """``data[key]`` of a plain-dict history, checked to be a ``kind``."""
    if not isinstance(data, Mapping):
        raise InvalidValueError(field=path, value=data, expected="a mapping")
    if key not in data:
        raise InvalidValueError(
            field=f"{path}.{key}", value="nothing", expected="present"
        )
    value = data[key]
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
        raise InvalidValueError(
            field=f"{path}.{key}", value=value, expected=f"a {kind.__name__}"
        )
    return value


def plain_text(data: Mapping[str, object], key: str, path: str) -> str | None:
    """``data[key]`` of a plain-dict history: text, or None when absent."""
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise InvalidValueError(
            field=f"{path}.{key}", value=value, expected="a string or null"
        )
    return value
