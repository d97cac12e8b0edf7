"""A transition record built by hand: every field's refusal, whole message (#23).

Pins ``lendcrm/lifecycle/_record_fields.py``'s `check_record` (run by
`TransitionRecord` itself), which the history tests reach only through `History`:
each field refused by name with its value and words, the edges of ``seq`` (0 is
accepted, -1, a bool and a float are not), and a record with every field right.
"""

from __future__ import annotations

import datetime as dt

import pytest

from lendcrm.errors import InvalidValueError
from lendcrm.lifecycle import TransitionRecord

GOOD: dict[str, object] = {
    "seq": 0,
    "from_stage": "acquisition",
    "to_stage": "activation",
    "event": "first_drawdown",
    "on": dt.date(2026, 1, 15),
    "reason": None,
    "actor": None,
    "previous_hash": "p",
    "record_hash": "r",
}


def test_a_record_with_every_field_right_is_built():
    record = TransitionRecord(**{**GOOD, "reason": "loan A", "actor": "rm"})  # type: ignore[arg-type]
    assert tuple(record) == (
        0,
        "acquisition",
        "activation",
        "first_drawdown",
        dt.date(2026, 1, 15),
        "loan A",
        "rm",
        "p",
        "r",
    )
    assert TransitionRecord(**{**GOOD, "seq": 1}).seq == 1  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("seq", -1, "`seq` must be an integer >= 0; got -1."),
        ("seq", True, "`seq` must be an integer >= 0; got True."),
        ("seq", 1.0, "`seq` must be an integer >= 0; got 1.0."),
        ("from_stage", "", "`from_stage` must be a non-empty string; got ''."),
        ("to_stage", 3, "`to_stage` must be a non-empty string; got 3."),
        ("event", "", "`event` must be a non-empty string; got ''."),
        (
            "on",
            dt.datetime(2026, 1, 1),  # noqa: DTZ001 - a naive datetime is the case
            (
                "`on` must be a datetime.date (business date); "
                "got datetime.datetime(2026, 1, 1, 0, 0)."
            ),
        ),
        (
            "on",
            "2026-01-01",
            "`on` must be a datetime.date (business date); got '2026-01-01'.",
        ),
        ("reason", 3, "`reason` must be a string or None; got 3."),
        ("actor", 3, "`actor` must be a string or None; got 3."),
        (
            "previous_hash",
            None,
            "`previous_hash` must be a SHA-256 hex digest (a string); got None.",
        ),
        (
            "record_hash",
            1,
            "`record_hash` must be a SHA-256 hex digest (a string); got 1.",
        ),
    ],
)
def test_each_field_is_refused_by_name(key, value, message):
    with pytest.raises(InvalidValueError) as info:
        TransitionRecord(**{**GOOD, key: value})
    assert info.value.field == key
    assert info.value.value == value
    assert str(info.value) == message
