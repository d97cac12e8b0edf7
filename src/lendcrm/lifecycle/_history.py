"""The audit trail: an immutable, hash-chained `History` of lifecycle transitions.

Each `TransitionRecord` carries the SHA-256 digest of its own content and of the
record before it, so changing, removing, inserting or reordering any record breaks
the chain at that record. The first record links to a *genesis* digest derived from
the machine name and the entity id, so a record cannot be moved to another client's
history either.

Canonical encoding (version ``lendcrm.lifecycle/1``): the UTF-8 bytes of the compact
JSON array

``["lendcrm.lifecycle/1", seq, from_stage, to_stage, event, on, reason, actor,
previous_hash]``

with ``on`` in ISO 8601 (``YYYY-MM-DD``), ``reason`` and ``actor`` ``null`` when absent,
no spaces (separators ``,`` and ``:``) and non-ASCII characters kept as they are.
The genesis digest hashes ``["lendcrm.lifecycle/1", "genesis", machine, entity_id]``.
Anyone can re-verify a history with ``hashlib`` and ``json`` alone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from operator import itemgetter as _itemgetter
from typing import Final, NamedTuple, Self

import cattrs

from lendcrm._validators import refuse_object, tuple_converter
from lendcrm.errors import (
    InvalidValueError,
    OutOfOrderTransitionError,
    TamperedHistoryError,
)
from lendcrm.lifecycle._record_fields import (
    RecordFields,
    check_optional_text,
    check_record,
    plain_field,
    plain_text,
)

__all__ = [
    "ENCODING_VERSION",
    "History",
    "TransitionRecord",
    "register_history_hooks",
]

#: Version tag hashed into every record; bump it if the canonical encoding changes.
ENCODING_VERSION: Final = "lendcrm.lifecycle/1"

_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
#: The JSON string encoder ``json.dumps(..., ensure_ascii=False)`` uses (C version).
_quote: Callable[[str], str] = json.encoder.encode_basestring
_HEAD: Final = "[" + _quote(ENCODING_VERSION) + ","
_sha = hashlib.sha256
_new_record = tuple.__new__
#: The underlying tuple's fields (History overrides ``__iter__`` to yield records).
_fields = _itemgetter(0, 1, 2, 3)


def _sha256(payload: list[object]) -> str:
    return hashlib.sha256(_dumps(payload).encode()).hexdigest()


def genesis_hash(machine: str, entity_id: str) -> str:
    """The digest the first record of a history links to.

    Examples:
        >>> len(genesis_hash("client_lifecycle", "C-1"))
        64
    """
    return _sha256([ENCODING_VERSION, "genesis", machine, entity_id])


class TransitionRecord(RecordFields):
    """One audited transition: who moved what, from where to where, when and why.

    An immutable named tuple rather than an attrs class: one is built on every
    transition, and a tuple is built about ten times faster (change a copy with
    ``record._replace(...)``).

    Attributes:
        seq: Position in the history, from 0.
        from_stage: Stage before the event (its string value).
        to_stage: Stage after the event.
        event: The event applied.
        on: Business date of the transition.
        reason: Free-text reason, if given.
        actor: Who applied it (user id, system name), if given.
        previous_hash: Digest of the record before (the genesis digest for the first).
        record_hash: SHA-256 hex digest of this record's canonical encoding.

    Examples:
        >>> from lendcrm.lifecycle import CLIENT_LIFECYCLE, advance, start
        >>> import datetime as dt
        >>> s = advance(start(CLIENT_LIFECYCLE, entity_id="C-1"), "first_drawdown",
        ...             on=dt.date(2026, 1, 15))
        >>> record = s.history.last
        >>> (record.from_stage, record.to_stage, record.event, record.on.isoformat())
        ('acquisition', 'activation', 'first_drawdown', '2026-01-15')
    """

    __slots__ = ()

    def __new__(  # noqa: PLR0917 - the canonical fields, in order
        cls,
        seq: int,
        from_stage: str,
        to_stage: str,
        event: str,
        on: dt.date,
        reason: str | None,
        actor: str | None,
        previous_hash: str,
        record_hash: str,
    ) -> Self:
        """Build a record, refusing a field of the wrong type by name."""
        fields = (
            seq,
            from_stage,
            to_stage,
            event,
            on,
            reason,
            actor,
            previous_hash,
            record_hash,
        )
        check_record(_new_record(RecordFields, fields))
        return _new_record(cls, fields)

    def content_hash(self) -> str:
        """Recompute this record's digest from its content and ``previous_hash``.

        Examples:
            >>> from lendcrm.lifecycle import CLIENT_LIFECYCLE, advance, start
            >>> import datetime as dt
            >>> s = advance(start(CLIENT_LIFECYCLE), "first_drawdown",
            ...             on=dt.date(2026, 1, 15))
            >>> s.history.last.content_hash() == s.history.last.record_hash
            True
        """
        return _record_hash(
            self.seq,
            self.from_stage,
            self.to_stage,
            self.event,
            self.on,
            self.reason,
            self.actor,
            self.previous_hash,
        )

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-ready dict (dates as ISO strings).

        Examples:
            >>> from lendcrm.lifecycle import CLIENT_LIFECYCLE, advance, start
            >>> import datetime as dt
            >>> s = advance(start(CLIENT_LIFECYCLE), "first_drawdown",
            ...             on=dt.date(2026, 1, 15))
            >>> s.history.last.to_dict()["on"]
            '2026-01-15'
        """
        return {
            "seq": self.seq,
            "from_stage": self.from_stage,
            "to_stage": self.to_stage,
            "event": self.event,
            "on": self.on.isoformat(),
            "reason": self.reason,
            "actor": self.actor,
            "previous_hash": self.previous_hash,
            "record_hash": self.record_hash,
        }


def _record_hash(  # noqa: PLR0917 - the canonical field order, kept explicit
    seq: int,
    from_stage: str,
    to_stage: str,
    event: str,
    on: dt.date,
    reason: str | None,
    actor: str | None,
    previous_hash: str,
) -> str:
    """SHA-256 of the compact JSON array of the fields (see the module docstring).

    Built by hand with the same string encoder as ``json.dumps`` (a test checks the
    two agree), because this runs on every transition.
    """
    return _quoted_hash(
        seq,
        f"{_quote(from_stage)},{_quote(to_stage)},{_quote(event)},",
        on,
        reason,
        actor,
        previous_hash,
    )


def _quoted_hash(  # noqa: PLR0917 - hot path
    seq: int,
    quoted_move: str,
    on: dt.date,
    reason: str | None,
    actor: str | None,
    previous_hash: str,
) -> str:
    """`_record_hash` with from, to and event already JSON-quoted and joined."""
    payload = (
        f"{_HEAD}{seq},{quoted_move}"
        f'"{on.isoformat()}",{"null" if reason is None else _quote(reason)},'
        f"{'null' if actor is None else _quote(actor)},{_quote(previous_hash)}]"
    )
    return _sha(payload.encode()).hexdigest()


class _Link(NamedTuple):
    """A persistent singly linked list, newest first: appending is O(1)."""

    record: TransitionRecord
    before: _Link | None


_record_items = tuple_converter(name="records", what="TransitionRecord items")


class History(tuple[str, str, "_Link | None", int]):
    """An immutable, hash-chained sequence of `TransitionRecord`s for one entity.

    Appending returns a new history and shares the old records (O(1) per append).
    Two histories are equal when machine, entity id and records are equal.

    Attributes:
        machine: Name of the machine the records belong to.
        entity_id: The client, facility or project the history is about.

    Examples:
        >>> h = History(machine="client_lifecycle", entity_id="C-1")
        >>> h = h.append(from_stage="acquisition", to_stage="activation",
        ...              event="first_drawdown", on=dt.date(2026, 1, 15))
        >>> len(h), h.last.seq
        (1, 0)
        >>> h.verify()
    """

    __slots__ = ()

    # A tuple underneath (machine, entity_id, newest link, record count): the
    # cheapest immutable object Python builds, and one is built on every transition.
    machine: str = property(_itemgetter(0))  # type: ignore[assignment]
    entity_id: str = property(_itemgetter(1))  # type: ignore[assignment]
    _head: _Link | None = property(_itemgetter(2))  # type: ignore[assignment]
    _count: int = property(_itemgetter(3))  # type: ignore[assignment]

    def __new__(
        cls,
        *,
        machine: str,
        entity_id: str = "",
        records: Sequence[TransitionRecord] = (),
    ) -> Self:
        """Build a history from records as given (call `verify` to check them)."""
        check_optional_text("machine", machine)
        check_optional_text("entity_id", entity_id)
        head: _Link | None = None
        count = 0
        for record in _record_items(records):
            if not isinstance(record, TransitionRecord):
                raise InvalidValueError(
                    field="records", value=record, expected="TransitionRecord items"
                )
            head = _Link(record, head)
            count += 1
        return _new_record(cls, (machine, entity_id, head, count))

    def __len__(self) -> int:
        """Number of records."""
        return self._count

    def __iter__(self) -> Iterator[TransitionRecord]:  # type: ignore[override]
        """Records, oldest first."""
        return iter(self.records)

    def __ne__(self, other: object) -> bool:
        """Not `__eq__`."""
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __eq__(self, other: object) -> bool:
        """Equal machine, entity id and records."""
        if not isinstance(other, History):
            return NotImplemented
        return (self.machine, self.entity_id, self.records) == (
            other.machine,
            other.entity_id,
            other.records,
        )

    def __hash__(self) -> int:
        """Hash of the identity and the head digest."""
        return hash((self.machine, self.entity_id, self.head_hash))

    def __repr__(self) -> str:
        """Short form: machine, entity and record count."""
        return (
            f"History(machine={self.machine!r}, entity_id={self.entity_id!r}, "
            f"records={len(self)})"
        )

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle through the plain-dict form."""
        return (_from_plain, (self.to_dict(),))

    @property
    def records(self) -> tuple[TransitionRecord, ...]:
        """All records, oldest first (built on each access: O(n))."""
        out: list[TransitionRecord] = []
        link = self._head
        while link is not None:
            out.append(link.record)
            link = link.before
        out.reverse()
        return tuple(out)

    @property
    def last(self) -> TransitionRecord | None:
        """The newest record, or ``None`` for an empty history."""
        return None if self._head is None else self._head.record

    @property
    def genesis_hash(self) -> str:
        """The digest the first record links to (machine and entity bound)."""
        return genesis_hash(self.machine, self.entity_id)

    @property
    def head_hash(self) -> str:
        """Digest of the newest record (the genesis digest when empty).

        Storing this one value elsewhere (a ledger, a signed report) pins the whole
        history: any change to any record changes it.
        """
        return (
            self.genesis_hash if self._head is None else self._head.record.record_hash
        )

    def append(
        self,
        *,
        from_stage: str,
        to_stage: str,
        event: str,
        on: dt.date,
        reason: str | None = None,
        actor: str | None = None,
    ) -> History:
        """Return a new history with one more record, chained to the last one.

        This is the low-level ledger operation: it checks dates and types, not the
        machine's table. `advance` is the normal way in; `replay` checks the table.

        Raises:
            InvalidValueError: ``on`` is not a ``datetime.date`` (a ``datetime`` is
                refused too), or ``reason``/``actor`` is not a string.
            OutOfOrderTransitionError: ``on`` is before the last record's date.

        Examples:
            >>> h = History(machine="m").append(from_stage="a", to_stage="b",
            ...                                  event="go", on=dt.date(2026, 2, 1))
            >>> h.append(from_stage="b", to_stage="c", event="go",
            ...          on=dt.date(2026, 1, 1))
            Traceback (most recent call last):
            ...
            lendcrm.errors.OutOfOrderTransitionError: A transition on 2026-01-01 cannot follow the last one on 2026-02-01: dates may not go backwards.
        """
        return self._append(
            str(from_stage), str(to_stage), str(event), on, reason, actor
        )

    def _append(  # noqa: PLR0917 - hot path of advance
        self,
        from_stage: str,
        to_stage: str,
        event: str,
        on: dt.date,
        reason: str | None,
        actor: str | None,
        quoted_move: str | None = None,
    ) -> History:
        if type(on) is not dt.date:
            raise InvalidValueError(
                field="on", value=on, expected="a datetime.date (not a datetime)"
            )
        if reason is not None and reason.__class__ is not str:
            check_optional_text("reason", reason)
        if actor is not None and actor.__class__ is not str:
            check_optional_text("actor", actor)
        machine, entity_id, head, count = _fields(self)
        if head is None:
            seq = 0
            previous = genesis_hash(machine, entity_id)
        else:
            last = head.record
            if on < last.on:
                raise OutOfOrderTransitionError(last_on=last.on, on=on)
            seq = last.seq + 1
            previous = last.record_hash
        if quoted_move is None:
            quoted_move = f"{_quote(from_stage)},{_quote(to_stage)},{_quote(event)},"
        # _quoted_hash, inlined: this runs on every transition. ``previous`` is one
        # of our own hex digests here (or the history is already broken, which
        # verify reports at an earlier record), so it needs no JSON escaping.
        digest = _sha(
            (
                f"{_HEAD}{seq},{quoted_move}"
                f'"{on.isoformat()}",{"null" if reason is None else _quote(reason)},'
                f'{"null" if actor is None else _quote(actor)},"{previous}"]'
            ).encode()
        ).hexdigest()
        record = _new_record(
            TransitionRecord,
            (seq, from_stage, to_stage, event, on, reason, actor, previous, digest),
        )
        return _new_record(
            History,
            (machine, entity_id, _new_record(_Link, (record, head)), count + 1),
        )

    def verify(self) -> None:
        """Check the whole chain; raise at the first record that fails.

        Checks, record by record: its position (``seq``), its link to the previous digest, its
        own digest against its content, that it starts where the previous record
        ended, and that its date is not before the previous one.

        Raises:
            TamperedHistoryError: names the first failing record and what failed.

        Examples:
            >>> h = History(machine="m").append(from_stage="a", to_stage="b",
            ...                                  event="go", on=dt.date(2026, 2, 1))
            >>> forged = h.last._replace(to_stage="z")
            >>> History(machine="m", records=[forged]).verify()
            Traceback (most recent call last):
            ...
            lendcrm.errors.TamperedHistoryError: History record 0 fails verification: its hash does not match its content.
        """
        previous_hash = self.genesis_hash
        previous: TransitionRecord | None = None
        for i, record in enumerate(self.records):
            if record.seq != i:
                reason = f"its seq is {record.seq}, expected {i}"
            elif record.previous_hash != previous_hash:
                reason = "it does not link to the digest of the record before it"
            elif record.content_hash() != record.record_hash:
                reason = "its hash does not match its content"
            elif previous is not None and record.from_stage != previous.to_stage:
                reason = (
                    f"it starts from '{record.from_stage}' but the record before it "
                    f"ends in '{previous.to_stage}'"
                )
            elif previous is not None and record.on < previous.on:
                reason = f"its date {record.on} is before the previous {previous.on}"
            else:
                previous_hash = record.record_hash
                previous = record
                continue
            raise TamperedHistoryError(index=i, reason=reason)

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-ready dict: ``machine``, ``entity_id`` and ``records``.

        Examples:
            >>> h = History(machine="m", entity_id="C-1")
            >>> h.to_dict()
            {'machine': 'm', 'entity_id': 'C-1', 'records': []}
        """
        return {
            "machine": self.machine,
            "entity_id": self.entity_id,
            "records": [r.to_dict() for r in self.records],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object], *, verify: bool = True) -> History:
        """Rebuild a history from `to_dict` output; verify the chain unless told not to.

        Args:
            data: A mapping as produced by `to_dict` (e.g. parsed from JSON).
            verify: Run `verify` on the result (pass ``False`` to load a damaged
                history for inspection).

        Raises:
            InvalidValueError: a key is missing or a value has the wrong type; the
                field names its path (``records[2].on``).
            TamperedHistoryError: ``verify`` is true and the chain is broken.

        Examples:
            >>> h = History(machine="m").append(from_stage="a", to_stage="b",
            ...                                  event="go", on=dt.date(2026, 2, 1))
            >>> History.from_dict(h.to_dict()) == h
            True
        """
        machine = plain_field(data, "machine", str, "history")
        entity_id = plain_field(data, "entity_id", str, "history")
        raw_records = plain_field(data, "records", list, "history")
        records = [
            _record_from_dict(item, f"records[{i}]")
            for i, item in enumerate(raw_records)
        ]
        history = cls(machine=machine, entity_id=entity_id, records=records)
        if verify:
            history.verify()
        return history


def _from_plain(data: Mapping[str, object]) -> History:
    return History.from_dict(data, verify=False)


def _record_from_dict(item: object, path: str) -> TransitionRecord:
    if not isinstance(item, Mapping):
        raise InvalidValueError(field=path, value=item, expected="a mapping")
    on_text = plain_field(item, "on", str, path)
    try:
        on = dt.date.fromisoformat(on_text)
    except ValueError:
        raise InvalidValueError(
            field=f"{path}.on", value=on_text, expected="an ISO date (YYYY-MM-DD)"
        ) from None
    # built as given (types checked above): `verify` judges the content
    return _new_record(
        TransitionRecord,
        (
            plain_field(item, "seq", int, path),
            plain_field(item, "from_stage", str, path),
            plain_field(item, "to_stage", str, path),
            plain_field(item, "event", str, path),
            on,
            plain_text(item, "reason", path),
            plain_text(item, "actor", path),
            plain_field(item, "previous_hash", str, path),
            plain_field(item, "record_hash", str, path),
        ),
    )


def register_history_hooks(converter: cattrs.Converter) -> cattrs.Converter:
    """Teach a cattrs converter to (un)structure `History` as a plain dict.

    The converter is the caller's (no global state); it is returned for chaining.
    Structuring verifies the hash chain.

    Examples:
        >>> import cattrs
        >>> conv = register_history_hooks(cattrs.Converter())
        >>> h = History(machine="m").append(from_stage="a", to_stage="b",
        ...                                  event="go", on=dt.date(2026, 2, 1))
        >>> conv.structure(conv.unstructure(h), History) == h
        True
    """
    if not isinstance(converter, cattrs.BaseConverter):
        refuse_object(converter, name="converter", what="a cattrs Converter")
    converter.register_unstructure_hook(History, History.to_dict)
    converter.register_structure_hook(
        History, lambda data, _cls: History.from_dict(data)
    )
    converter.register_unstructure_hook(TransitionRecord, TransitionRecord.to_dict)
    converter.register_structure_hook(
        TransitionRecord, lambda data, _cls: _record_from_dict(data, "record")
    )
    return converter
