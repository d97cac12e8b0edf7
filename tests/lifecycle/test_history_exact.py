"""The audit trail's protocol methods and load paths, each pinned (issue #23).

Mutation testing found `History.__iter__`, `__ne__`, `__hash__`, the pickle path that
loads without verifying, and the paths named in load errors reachable by changes that
no test noticed. Each test below pins one of them exactly.
"""

from __future__ import annotations

import datetime as dt
import pickle
from typing import Any

import cattrs
import pytest

from lendcrm.errors import (
    InvalidValueError,
    OutOfOrderTransitionError,
    TamperedHistoryError,
)
from lendcrm.lifecycle import History, TransitionRecord, register_history_hooks


def _history(entity_id: str = "C-1") -> History:
    h = History(machine="m", entity_id=entity_id)
    h = h.append(from_stage="a", to_stage="b", event="go", on=dt.date(2026, 1, 1))
    return h.append(
        from_stage="b",
        to_stage="c",
        event="on",
        on=dt.date(2026, 2, 1),
        reason="why",
        actor="rm-1",
    )


def test_iteration_yields_the_records_oldest_first():
    h = _history()
    records = list(h.__iter__())  # what `for r in h` and `list(h)` call
    assert records == list(h.records)
    assert [r.seq for r in records] == [0, 1]


def test_inequality_of_equal_distinct_and_foreign_objects():
    h = _history()
    twin = History.from_dict(h.to_dict())
    assert twin is not h
    assert not (h != twin)  # noqa: SIM202 - __ne__ itself is under test
    assert h != _history("C-2")
    assert h.__ne__(5) is NotImplemented


def test_hash_is_that_of_machine_entity_and_head_digest():
    h = _history()
    assert hash(h) == hash(("m", "C-1", h.head_hash))
    assert hash(h) == hash(History.from_dict(h.to_dict()))


def test_pickle_loads_a_damaged_history_without_verifying_it():
    h = _history()
    forged = History(
        machine="m",
        entity_id="C-1",
        records=[h.records[0], h.records[1]._replace(reason="edited")],
    )
    loaded = pickle.loads(pickle.dumps(forged))
    assert loaded == forged
    with pytest.raises(TamperedHistoryError):
        loaded.verify()


@pytest.mark.parametrize("key", ["on", "seq", "from_stage", "to_stage", "event"])
def test_a_missing_record_key_is_named_with_its_path(key):
    data = _history().to_dict()
    records = data["records"]
    assert isinstance(records, list)
    del records[1][key]
    with pytest.raises(InvalidValueError) as caught:
        History.from_dict(data)
    assert caught.value.field == f"records[1].{key}"
    assert str(caught.value) == f"`records[1].{key}` must be present; got 'nothing'."


@pytest.mark.parametrize("key", ["previous_hash", "record_hash"])
def test_a_record_structured_alone_names_the_path_record(key):
    conv = register_history_hooks(cattrs.Converter())
    plain = _history().records[1].to_dict()
    assert conv.structure(plain, TransitionRecord) == _history().records[1]
    del plain[key]
    with pytest.raises(InvalidValueError) as caught:
        conv.structure(plain, TransitionRecord)
    assert caught.value.field == f"record.{key}"


@pytest.mark.parametrize("key", ["reason", "actor"])
def test_a_non_text_reason_or_actor_is_named_with_its_path(key):
    data = _history().to_dict()
    records = data["records"]
    assert isinstance(records, list)
    records[1][key] = 5
    with pytest.raises(InvalidValueError) as caught:
        History.from_dict(data)
    assert caught.value.field == f"records[1].{key}"
    assert str(caught.value) == f"`records[1].{key}` must be a string or null; got 5."


@pytest.mark.parametrize("key", ["machine", "entity_id", "records"])
def test_a_missing_history_key_is_named_under_history(key):
    data = _history().to_dict()
    del data[key]
    with pytest.raises(InvalidValueError) as caught:
        History.from_dict(data)
    assert caught.value.field == f"history.{key}"
    assert str(caught.value) == f"`history.{key}` must be present; got 'nothing'."


def test_wrongly_typed_history_values_name_the_expected_type():
    data = {**_history().to_dict(), "entity_id": 7}
    with pytest.raises(InvalidValueError) as caught:
        History.from_dict(data)
    assert caught.value.field == "history.entity_id"
    assert str(caught.value) == "`history.entity_id` must be a str; got 7."
    with pytest.raises(InvalidValueError) as caught:
        History.from_dict([])  # type: ignore[arg-type]
    assert (caught.value.field, caught.value.value) == ("history", [])
    assert str(caught.value) == "`history` must be a mapping; got []."


def test_append_refuses_a_datetime_and_non_text_reason_or_actor_by_field():
    h = _history()
    later = dt.date(2026, 3, 1)
    moment = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    cases: list[tuple[dict[str, Any], str, str]] = [
        (
            {"on": moment},
            "on",
            f"`on` must be a datetime.date (not a datetime); got {moment!r}.",
        ),
        (
            {"on": later, "reason": 5},
            "reason",
            "`reason` must be a string or None; got 5.",
        ),
        (
            {"on": later, "actor": 5},
            "actor",
            "`actor` must be a string or None; got 5.",
        ),
    ]
    for kwargs, field, message in cases:
        with pytest.raises(InvalidValueError) as caught:
            h.append(from_stage="c", to_stage="d", event="x", **kwargs)
        assert caught.value.field == field
        assert caught.value.value == kwargs.get(field)
        assert str(caught.value) == message
    assert h.last is not None
    assert (h.last.reason, h.last.actor) == ("why", "rm-1")  # passed on as given
    for field in ("machine", "entity_id"):
        with pytest.raises(InvalidValueError) as caught:
            History(**{"machine": "m", field: 5})  # type: ignore[arg-type]
        assert caught.value.field == field


def test_append_on_the_last_date_is_allowed_and_the_day_before_is_not():
    h = _history()  # last record on 2026-02-01
    same = h.append(from_stage="c", to_stage="d", event="x", on=dt.date(2026, 2, 1))
    assert same.last is not None
    assert (same.last.seq, same.last.on) == (2, dt.date(2026, 2, 1))
    same.verify()
    with pytest.raises(OutOfOrderTransitionError) as caught:
        h.append(from_stage="c", to_stage="d", event="x", on=dt.date(2026, 1, 31))
    assert (caught.value.last_on, caught.value.on) == (
        dt.date(2026, 2, 1),
        dt.date(2026, 1, 31),
    )


def _rehashed(record: TransitionRecord, **changes: Any) -> TransitionRecord:
    forged = record._replace(**changes)
    return forged._replace(record_hash=forged.content_hash())


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        (
            {"on": dt.date(2025, 12, 31)},
            "its date 2025-12-31 is before the previous 2026-01-01",
        ),
        (
            {"from_stage": "z"},
            "it starts from 'z' but the record before it ends in 'b'",
        ),
    ],
)
def test_verify_names_a_rehashed_forgery_exactly(changes, reason):
    h = _history()
    forged = History(
        machine="m",
        entity_id="C-1",
        records=[h.records[0], _rehashed(h.records[1], **changes)],
    )
    with pytest.raises(TamperedHistoryError) as caught:
        forged.verify()
    assert (caught.value.index, caught.value.reason) == (1, reason)
    same_day = History(
        machine="m",
        entity_id="C-1",
        records=[h.records[0], _rehashed(h.records[1], on=dt.date(2026, 1, 1))],
    )
    same_day.verify()  # a record on the previous record's date is in order
