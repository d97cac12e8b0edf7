"""The hash-chained audit trail: exact digests, tamper detection, round trips."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import pickle

import cattrs
import pytest

from lendcrm.errors import InvalidValueError, TamperedHistoryError
from lendcrm.lifecycle import (
    CLIENT_LIFECYCLE,
    FACILITY_STATUS,
    ClientStage,
    History,
    advance,
    register_history_hooks,
    replay,
    restore,
    start,
)


def _client(entity_id: str = "C-1"):
    s = start(CLIENT_LIFECYCLE, entity_id=entity_id)
    s = advance(s, "first_drawdown", on=dt.date(2026, 1, 15), actor="rm-42")
    s = advance(s, "expand", on=dt.date(2026, 6, 30), reason="second facility")
    s = advance(s, "deteriorate", on=dt.date(2027, 2, 1), reason="DSCR below lock-up")
    return advance(s, "recover", on=dt.date(2027, 9, 1))


def test_digests_follow_the_documented_canonical_encoding():
    # Recomputed here with hashlib + json only, as the module docstring promises.
    history = _client().history

    def sha(payload):
        text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    previous = sha(["lendcrm.lifecycle/1", "genesis", "client_lifecycle", "C-1"])
    assert history.genesis_hash == previous
    for r in history.records:
        expected = sha(
            [
                "lendcrm.lifecycle/1",
                r.seq,
                r.from_stage,
                r.to_stage,
                r.event,
                r.on.isoformat(),
                r.reason,
                r.actor,
                previous,
            ]
        )
        assert r.previous_hash == previous
        assert r.record_hash == expected
        previous = expected
    assert history.head_hash == previous


def test_pinned_digest_of_a_first_record():
    # Pinned once from the documented encoding; any change to it must be deliberate.
    h = History(machine="client_lifecycle", entity_id="C1").append(
        from_stage="acquisition",
        to_stage="activation",
        event="first_drawdown",
        on=dt.date(2026, 1, 1),
    )
    assert h.genesis_hash == (
        "494224734482865dbf934f6271956b42124bcb0d2e74d7cc9dd2de8e0a925fe3"
    )
    assert h.last is not None
    assert h.last.record_hash == (
        "54f31c6b715d15a0470176dd7bc645724f0420992b4d882a2f2b046641643e39"
    )


def test_verify_and_replay_agree_with_the_state():
    s = _client()
    s.history.verify()
    assert replay(CLIENT_LIFECYCLE, s.history) is s.stage is ClientStage.GROWTH
    assert len(s.history) == 4


def _tampered(records, position, **changes):
    out = list(records)
    out[position] = out[position]._replace(**changes)
    return out


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"reason": "nothing to see"}, "its hash does not match its content"),
        ({"on": dt.date(2026, 7, 1)}, "its hash does not match its content"),
        ({"actor": "someone-else"}, "its hash does not match its content"),
        ({"previous_hash": "0" * 64}, "it does not link to the digest of the record"),
        ({"seq": 7}, "its seq is 7, expected 2"),
    ],
)
def test_verify_names_the_first_tampered_record(changes, reason):
    history = _client().history
    forged = History(
        machine=history.machine,
        entity_id=history.entity_id,
        records=_tampered(history.records, 2, **changes),
    )
    with pytest.raises(
        TamperedHistoryError, match=rf"History record 2 fails verification: {reason}"
    ) as info:
        forged.verify()
    assert info.value.index == 2


def test_removed_or_reordered_records_break_the_chain():
    records = list(_client().history.records)
    dropped = History(
        machine="client_lifecycle", entity_id="C-1", records=records[:1] + records[2:]
    )
    with pytest.raises(
        TamperedHistoryError, match=r"record 1 fails verification: its seq is 2"
    ):
        dropped.verify()
    assert len(dropped) == 3  # counts records, whatever their seq
    swapped = History(
        machine="client_lifecycle",
        entity_id="C-1",
        records=[records[1], records[0], *records[2:]],
    )
    with pytest.raises(TamperedHistoryError, match=r"record 0 fails"):
        swapped.verify()


def test_a_history_cannot_move_to_another_client():
    history = _client("C-1").history
    moved = History(machine=history.machine, entity_id="C-2", records=history.records)
    with pytest.raises(
        TamperedHistoryError, match=r"record 0 fails verification: it does not link"
    ):
        moved.verify()


def test_rehashed_forgery_with_a_stage_jump_is_caught():
    # An attacker who recomputes every digest can still not skip the continuity check.
    h = History(machine="client_lifecycle", entity_id="X")
    h = h.append(
        from_stage="acquisition",
        to_stage="activation",
        event="first_drawdown",
        on=dt.date(2026, 1, 1),
    )
    h = h.append(
        from_stage="growth",
        to_stage="maturity",
        event="stabilise",
        on=dt.date(2026, 2, 1),
    )
    with pytest.raises(
        TamperedHistoryError,
        match=r"record 1 fails verification: it starts from 'growth' but the record "
        r"before it ends in 'activation'",
    ):
        h.verify()


def test_replay_refuses_a_move_the_table_does_not_have():
    h = History(machine="client_lifecycle", entity_id="X").append(
        from_stage="acquisition",
        to_stage="maturity",
        event="first_drawdown",
        on=dt.date(2026, 1, 1),
    )
    h.verify()  # the chain itself is intact
    with pytest.raises(
        TamperedHistoryError,
        match=r"record 0 fails verification: it records event 'first_drawdown' from "
        r"'acquisition' to 'maturity', which machine 'client_lifecycle' does not "
        r"allow from 'acquisition'",
    ):
        replay(CLIENT_LIFECYCLE, h)


def test_replay_refuses_another_machines_history():
    with pytest.raises(
        InvalidValueError,
        match=r"`history.machine` must be 'facility_status' \(the machine replayed\); "
        r"got 'client_lifecycle'",
    ):
        replay(FACILITY_STATUS, _client().history)


def test_round_trip_through_dicts_json_cattrs_and_pickle():
    s = _client()
    data = s.history.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert History.from_dict(json.loads(json.dumps(data))) == s.history
    conv = register_history_hooks(cattrs.Converter())
    assert conv.structure(conv.unstructure(s.history), History) == s.history
    assert restore(CLIENT_LIFECYCLE, conv.structure(data, History)) == s
    assert pickle.loads(pickle.dumps(s.history)) == s.history


def test_from_dict_verifies_unless_told_not_to():
    data = _client().history.to_dict()
    data["records"][1]["reason"] = "edited later"
    with pytest.raises(TamperedHistoryError, match=r"record 1 fails"):
        History.from_dict(data)
    loaded = History.from_dict(data, verify=False)
    assert loaded.records[1].reason == "edited later"


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda d: d.pop("machine"),
            r"`history.machine` must be present; got 'nothing'",
        ),
        (lambda d: d.update(records="x"), r"`history.records` must be a list; got 'x'"),
        (
            lambda d: d["records"][0].update(on="15/01/2026"),
            r"`records\[0\].on` must be an ISO date \(YYYY-MM-DD\); got '15/01/2026'",
        ),
        (
            lambda d: d["records"][1].update(seq=True),
            r"`records\[1\].seq` must be a int; got True",
        ),
        (
            lambda d: d["records"][2].update(actor=3),
            r"`records\[2\].actor` must be a string or null; got 3",
        ),
        (lambda d: d["records"].append(5), r"`records\[4\]` must be a mapping; got 5"),
    ],
)
def test_from_dict_names_the_bad_field(mutate, message):
    data = _client().history.to_dict()
    mutate(data)
    with pytest.raises(InvalidValueError, match=message):
        History.from_dict(data)


def test_history_is_immutable_and_shares_records():
    s = _client()
    with pytest.raises(AttributeError):
        s.history.machine = "other"
    longer = advance(s, "stabilise", on=dt.date(2028, 1, 1))
    assert longer.history.records[:4] == s.history.records
    assert len(s.history) == 4
    assert repr(s.history) == (
        "History(machine='client_lifecycle', entity_id='C-1', records=4)"
    )
    assert hash(s.history) == hash(History.from_dict(s.history.to_dict()))
    assert s.history != longer.history
    assert (s.history == "x") is False


def test_records_must_be_records():
    with pytest.raises(
        InvalidValueError, match=r"`records` must be TransitionRecord items"
    ):
        History(machine="m", records=[{"seq": 0}])  # type: ignore[list-item]


def test_long_histories_append_in_constant_time_and_verify():
    s = start(CLIENT_LIFECYCLE, entity_id="busy")
    s = advance(s, "first_drawdown", on=dt.date(2026, 1, 1))
    s = advance(s, "expand", on=dt.date(2026, 1, 1))
    for _ in range(2_000):
        s = advance(s, "stabilise", on=dt.date(2026, 1, 2))
        s = advance(s, "expand", on=dt.date(2026, 1, 2))
    assert len(s.history) == 4_002
    assert replay(CLIENT_LIFECYCLE, s.history) is ClientStage.GROWTH


def test_round_trip_through_the_core_serialization_converter():
    from lendcrm.serialization import make_converter

    s = _client("C-77")
    conv = register_history_hooks(make_converter())
    data = conv.unstructure(s.history)
    assert json.loads(json.dumps(data)) == data
    assert conv.structure(data, History) == s.history
    record = s.history.records[1]
    assert conv.structure(conv.unstructure(record), type(record)) == record
