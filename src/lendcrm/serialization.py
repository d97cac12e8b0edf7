"""Entities and value objects to JSON-ready dicts and back, through a cattrs converter.

Conventions: ``Decimal`` amounts are strings (``"1250.00"``, exact), dates are ISO 8601
strings (``"2026-03-31"``), enumerations are their values (``"term_loan"``), tuples are
lists, ``None`` stays ``None``. Structuring is strict: unknown keys are refused (a
misspelled key is named, with a did-you-mean hint), floats are refused for amounts, and
numbers are not silently converted to or from strings. Every problem in one dict is
reported at once as a `BatchValidationError` whose children name the path of the bad
value, e.g. ``facilities[3].limit.currency``.

A ``float`` that is not finite (NaN, the "not available" of the views' measures, or an
infinity) is written as ``null``, so the dict is strict JSON that any language
parses; ``null`` read into a ``float`` field is NaN. A dict therefore round-trips
equal: ``to_dict(from_dict(d, cls)) == d``.

`make_converter` returns a new, configured ``cattrs.Converter`` you own;
`to_dict` and `from_dict` use a private one built on first use, or the one you pass.
`to_payload` wraps the dict with its type and `SCHEMA_VERSION`, `from_payload` checks
both; `json_schema` gives the JSON Schema of the dict of a class, for services in
other languages.

The same holds for the fitted models of `lendcrm.risk.scoring` (``Binning``,
``BinningSet``, ``LogisticModel``, ``Selection``, ``Scorecard``, ``ScoreScale``,
``MasterScale``, ``BinningConfig``, ``TrendChoice``): they are attrs classes of plain
values, so nothing is registered for them and the core imports no risk module. The
one value a fitted model may hold that is not available (a ``DroppedFeature.value``,
NaN) is ``null`` in the JSON and compares equal after the round trip. A result that
holds numpy arrays (``risk.portfolio.TransitionEstimate``) writes each as nested lists,
``null`` for a value that is not finite, and reads it back with the dtype its annotation
names.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from enum import Enum, StrEnum
from functools import cache
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.errors import (
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
)

from lendcrm._json_arrays import (
    array_dtype,
    array_from_json,
    array_to_json,
    is_array_type,
)
from lendcrm._json_schema import SCHEMA_VERSION, json_schema
from lendcrm.errors import BatchValidationError, InvalidValueError, LendCRMError

__all__ = [
    "SCHEMA_VERSION",
    "from_dict",
    "from_payload",
    "json_schema",
    "make_converter",
    "to_dict",
    "to_payload",
]

T = TypeVar("T")


class _HookError(Exception):
    """Raised by a structure hook; becomes an InvalidValueError with the path."""

    def __init__(self, value: object, expected: str, hint: str = "") -> None:
        super().__init__(expected)
        self.value = value
        self.expected = expected
        self.hint = hint


def _decimal(value: object, _type: object) -> Decimal:
    if isinstance(value, float):
        raise _HookError(
            value,
            "a decimal string such as '1250.00', not a float",
            hint="Floats cannot hold most cent amounts exactly; send a string.",
        )
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise _HookError(value, "a decimal string such as '1250.00'")
    try:
        out = Decimal(value)
    except InvalidOperation:
        raise _HookError(value, "a decimal string such as '1250.00'") from None
    if not out.is_finite():
        raise _HookError(value, "a finite decimal string")
    return out


def _date(value: object, _type: object) -> dt.date:
    if not isinstance(value, str):
        raise _HookError(value, "an ISO 8601 date string such as '2026-03-31'")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _HookError(
            value, "an ISO 8601 date string such as '2026-03-31'"
        ) from None


def _str(value: object, type_: object) -> str:
    if _is_enum(type_):  # StrEnums dispatch here as subclasses of str
        return _enum(value, type_)  # type: ignore[arg-type, return-value]
    if not isinstance(value, str):
        raise _HookError(value, "a string")
    return value


def _int(value: object, _type: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _HookError(value, "an integer")
    return value


def _float(value: object, _type: object) -> float:
    if value is None:  # null: not available (see the module docstring)
        return math.nan
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _HookError(value, "a number")
    return float(value)


def _json_float(value: float) -> float | None:
    """A finite float as itself; NaN and infinities as None (JSON null)."""
    number = float(value)
    return number if math.isfinite(number) else None


def _bool(value: object, _type: object) -> bool:
    if not isinstance(value, bool):
        raise _HookError(value, "true or false")
    return value


def _is_enum(cls: object) -> bool:
    return isinstance(cls, type) and issubclass(cls, Enum)


def _enum(value: object, cls: type[Enum]) -> Enum:
    try:
        return cls(value)
    except ValueError:
        shown = ", ".join(repr(m.value) for m in cls)
        raise _HookError(value, f"one of {shown}") from None


def _array(value: object, type_: object) -> object:
    try:
        return array_from_json(value, array_dtype(type_))
    except InvalidValueError as exc:
        shown = value if len(repr(value)) <= 60 else type(value).__name__  # noqa: PLR2004
        raise _HookError(shown, exc.expected) from None


def _is_object(cls: object) -> bool:
    return cls is object


def _as_is(value: object, _type: object) -> object:
    return value


def _enum_value(member: StrEnum) -> str:
    return member.value


def make_converter() -> cattrs.Converter:
    """A new cattrs converter configured for lendcrm's entities and value objects.

    Extra keys are forbidden; ``Decimal`` is a string, dates are ISO 8601 strings,
    enumerations are their values; strings, ints, floats and booleans are checked, not
    coerced. Use it directly with cattrs, or pass it to `to_dict` / `from_dict`.

    Examples:
        >>> import datetime as dt
        >>> from lendcrm import Drawdown, Money
        >>> conv = make_converter()
        >>> conv.unstructure(Drawdown(on=dt.date(2026, 3, 31), amount=Money.of("2.50", "EUR")))
        {'on': '2026-03-31', 'amount': {'amount': '2.50', 'currency': 'EUR'}}
    """
    conv = cattrs.Converter(forbid_extra_keys=True)
    conv.register_unstructure_hook(Decimal, str)
    conv.register_structure_hook(Decimal, _decimal)
    conv.register_unstructure_hook(dt.date, dt.date.isoformat)
    conv.register_structure_hook(dt.date, _date)
    conv.register_structure_hook(str, _str)
    conv.register_structure_hook(int, _int)
    conv.register_structure_hook(float, _float)
    conv.register_unstructure_hook(float, _json_float)
    conv.register_structure_hook(bool, _bool)
    conv.register_structure_hook_func(_is_enum, _enum)
    # older cattrs (24.x) reach an Enum subclass through its class dispatch first,
    # which calls the enum bare: register the class too, so every version refuses alike
    conv.register_structure_hook(Enum, _enum)
    # arrays of fitted results (a transition matrix): nested lists, null for NaN
    conv.register_unstructure_hook_func(is_array_type, array_to_json)
    conv.register_structure_hook_func(is_array_type, _array)
    # free-form values (a view's `service` columns) are kept as JSON gave them
    conv.register_structure_hook_func(_is_object, _as_is)
    # StrEnums are str subclasses: register them before str's pass-through wins.
    conv.register_unstructure_hook(StrEnum, _enum_value)
    conv.register_structure_hook(StrEnum, _enum)
    return conv


@cache
def _default_converter() -> cattrs.Converter:
    return make_converter()


def to_dict(
    obj: object, *, converter: cattrs.Converter | None = None
) -> dict[str, Any]:
    """A JSON-ready dict of an entity, value object or `Book`.

    Args:
        obj: An attrs instance of lendcrm (entity, value object, ``Book``, ``Money``).
        converter: A converter from `make_converter` (default: lendcrm's own).

    Raises:
        InvalidValueError: ``obj`` is not an attrs instance.

    Examples:
        >>> from lendcrm import Money
        >>> to_dict(Money.of("12.50", "EUR"))
        {'amount': '12.50', 'currency': 'EUR'}
    """
    if not attrs.has(type(obj)):
        raise InvalidValueError(
            field="obj",
            value=type(obj).__name__,
            expected="a lendcrm entity, value object or Book",
        )
    conv = converter if converter is not None else _default_converter()
    out: dict[str, Any] = _json_ready(conv.unstructure(obj))
    return out


def _json_ready(value: Any) -> Any:  # noqa: ANN401, PLR0911 - any JSON value
    """Free-form values (a view's ``service`` columns) made strict JSON, recursively.

    Non-finite floats become None; numpy scalars Python numbers; timestamps and
    dates ISO 8601 strings (a date when the time is midnight); NaT None.
    """
    if isinstance(value, dict):
        return {str(k): _json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_ready(v) for v in value]
    if isinstance(value, bool | int | str) or value is None:
        return value
    if isinstance(value, float) or hasattr(value, "dtype"):
        return _scalar(value)
    if isinstance(value, dt.date):
        return _iso(value)
    if isinstance(value, Enum):
        return _json_ready(value.value)
    if isinstance(value, Decimal):
        return str(value)
    return value


def _iso(value: dt.date) -> str | None:
    if not isinstance(value, dt.datetime):
        return value.isoformat()
    if value != value:  # noqa: PLR0124 - pandas.NaT is a datetime unequal to itself
        return None
    if value.time() == dt.time(0) and value.tzinfo is None:
        return value.date().isoformat()
    return value.isoformat()


def _scalar(value: Any) -> Any:  # noqa: ANN401 - a float or numpy scalar
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float):
        return _json_float(value)
    return _json_ready(value)


def from_dict(
    data: Mapping[str, object],
    cls: type[T],
    *,
    converter: cattrs.Converter | None = None,
) -> T:
    """Rebuild an entity, value object or `Book` of type ``cls`` from a dict.

    Args:
        data: A dict as produced by `to_dict` (e.g. parsed from JSON).
        cls: The class to build (``Facility``, ``Book``, ``Money``...).
        converter: A converter from `make_converter` (default: lendcrm's own).

    Raises:
        BatchValidationError: every problem at once, each an `InvalidValueError`
            (or `UnknownReferenceError` from a ``Book``'s integrity checks) whose
            ``field`` is the path of the bad value (``facilities[3].limit.currency``).

    Examples:
        >>> from lendcrm import Money
        >>> from_dict({"amount": "12.50", "currency": "EUR"}, Money)
        Money(amount=Decimal('12.50'), currency='EUR')
        >>> from_dict({"amount": "12.50", "curency": "EUR"}, Money)
        Traceback (most recent call last):
        ...
        lendcrm.errors.BatchValidationError: 2 of 2 values are invalid: `currency` must be present (the key is required); got None.; `curency` must be a known key of Money; got 'curency'. Did you mean 'currency'? (2 sub-exceptions)
    """
    conv = converter if converter is not None else _default_converter()
    if not isinstance(data, Mapping):
        raise BatchValidationError(
            [
                InvalidValueError(
                    field=cls.__name__,
                    value=type(data).__name__,
                    expected="a dict (a JSON object)",
                )
            ],
            total=1,
            what="values",
        )
    try:
        return conv.structure(data, cls)
    except Exception as exc:  # noqa: BLE001 - every failure is translated below
        errors = _translate(exc, "", cls)
    raise BatchValidationError(
        errors, total=max(_leaves(data), len(errors)), what="values"
    )


def to_payload(
    obj: object, *, converter: cattrs.Converter | None = None
) -> dict[str, Any]:
    """`to_dict` of ``obj`` wrapped with its type name and `SCHEMA_VERSION`.

    The payload is strict JSON (no NaN or infinities: ``null``, see the module
    docstring) and validates against `json_schema` of its type under ``data``.

    Args:
        obj: An attrs instance of lendcrm (entity, value object, ``Book``, view,
            fitted model).
        converter: A converter from `make_converter` (default: lendcrm's own).

    Raises:
        InvalidValueError: ``obj`` is not an attrs instance.

    Examples:
        >>> from lendcrm import Money
        >>> to_payload(Money.of("12.50", "EUR"))
        {'schema_version': '1', 'type': 'Money', 'data': {'amount': '12.50', 'currency': 'EUR'}}
    """
    data = to_dict(obj, converter=converter)
    return {"schema_version": SCHEMA_VERSION, "type": type(obj).__name__, "data": data}


def from_payload(
    payload: Mapping[str, object],
    cls: type[T],
    *,
    converter: cattrs.Converter | None = None,
) -> T:
    """Rebuild a ``cls`` from a `to_payload` dict, after checking its type and version.

    Raises:
        InvalidValueError: ``payload`` is not a dict with ``schema_version``,
            ``type`` and ``data``, its version is not `SCHEMA_VERSION`, or its type
            is not ``cls``'s name.
        BatchValidationError: as `from_dict`, for the ``data``.

    Examples:
        >>> from lendcrm import Money
        >>> from_payload(to_payload(Money.of("12.50", "EUR")), Money)
        Money(amount=Decimal('12.50'), currency='EUR')
        >>> from_payload({"schema_version": "0", "type": "Money", "data": {}}, Money)
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `schema_version` must be '1' (the version this lendcrm reads); got '0'.
    """
    keys = {"schema_version", "type", "data"}
    raw: object = payload  # typed a Mapping, but parsed JSON may be anything
    if not isinstance(raw, Mapping) or set(raw) != keys:
        shown = sorted(raw) if isinstance(raw, Mapping) else type(raw).__name__
        raise InvalidValueError(
            field="payload",
            value=shown,
            expected="a dict with exactly the keys 'data', 'schema_version', 'type'",
        )
    if payload["schema_version"] != SCHEMA_VERSION:
        raise InvalidValueError(
            field="schema_version",
            value=payload["schema_version"],
            expected=f"{SCHEMA_VERSION!r} (the version this lendcrm reads)",
        )
    name = getattr(cls, "__name__", None)
    if payload["type"] != name:
        raise InvalidValueError(
            field="type", value=payload["type"], expected=repr(name)
        )
    data = payload["data"]
    return from_dict(data, cls, converter=converter)  # type: ignore[arg-type]


def _leaves(data: object) -> int:
    if isinstance(data, Mapping):
        return sum(_leaves(v) for v in data.values())
    if isinstance(data, list | tuple):
        return sum(_leaves(v) for v in data)
    return 1


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _translate(exc: BaseException, path: str, cls: object) -> list[LendCRMError]:  # noqa: C901, PLR0911
    if isinstance(exc, ClassValidationError):
        with_notes, without = exc.group_exceptions()
        out: list[LendCRMError] = []
        for inner, note in with_notes:
            out.extend(_translate(inner, _join(path, note.name), note.type))
        for inner in without:
            out.extend(_translate(inner, path, cls))
        return out
    if isinstance(exc, IterableValidationError):
        with_notes_i, without_i = exc.group_exceptions()
        out = []
        for inner, inote in with_notes_i:
            out.extend(_translate(inner, f"{path}[{inote.index}]", inote.type))
        for inner in without_i:
            out.extend(_translate(inner, path, cls))
        return out
    if isinstance(exc, ForbiddenExtraKeysError):
        known = [a.name for a in attrs.fields(exc.cl)] if attrs.has(exc.cl) else []
        return [
            _extra_key(path, key, exc.cl.__name__, known)
            for key in sorted(exc.extra_fields)
        ]
    if isinstance(exc, KeyError):
        return [
            InvalidValueError(
                field=path, value=None, expected="present (the key is required)"
            )
        ]
    if isinstance(exc, _HookError):
        return [
            InvalidValueError(
                field=path, value=exc.value, expected=exc.expected, hint=exc.hint
            )
        ]
    if isinstance(exc, BatchValidationError):
        return [_prefixed(child, path) for child in exc.exceptions]  # type: ignore[arg-type]
    if isinstance(exc, InvalidValueError):
        return [_prefixed(exc, path)]
    if isinstance(exc, LendCRMError):
        return [exc]
    return [
        InvalidValueError(
            field=path or getattr(cls, "__name__", "value"),
            value=type(exc).__name__,
            expected=f"a value of the right shape ({exc})",
        )
    ]


def _prefixed(exc: LendCRMError, path: str) -> LendCRMError:
    if not isinstance(exc, InvalidValueError) or not path:
        return exc
    return InvalidValueError(
        field=_join(path, exc.field),
        value=exc.value,
        expected=exc.expected,
        hint=exc.hint,
    )


def _extra_key(path: str, key: str, owner: str, known: list[str]) -> InvalidValueError:
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    return InvalidValueError(
        field=_join(path, key),
        value=key,
        expected=f"a known key of {owner}",
        hint=f"Did you mean {close[0]!r}?"
        if close
        else f"Known keys: {', '.join(known)}.",
    )
