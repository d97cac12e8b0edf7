"""attrs validators that raise lendcrm errors (attrs' own raise plain ValueError).

Each validator is a small callable ``(instance, attribute, value) -> None`` usable in
``attrs.field(validator=...)`` and re-run by ``attrs.evolve``.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import sys
import unicodedata
from collections.abc import Callable, Collection, Iterable, Mapping
from decimal import Decimal
from enum import StrEnum
from typing import Any, Final, NoReturn, SupportsIndex, TypeAlias, TypeGuard, TypeVar

import attrs

from lendcrm._codes import COUNTRY_CODES
from lendcrm._messages import range_text
from lendcrm._money import Money
from lendcrm.errors import InvalidValueError

__all__ = [
    "Attribute",
    "Validator",
    "check_bounds",
    "column_name",
    "country_code",
    "enum_member",
    "enum_of",
    "finite_number",
    "float_items",
    "fraction_in",
    "identifier",
    "instance_of",
    "is_date",
    "is_money",
    "nan_equal",
    "nan_or",
    "non_empty_str",
    "non_negative_int",
    "non_negative_money",
    "number_in",
    "one_of",
    "optional",
    "positive_int",
    "positive_money",
    "require_int",
    "require_labels",
    "same_currency",
    "tuple_converter",
    "tuple_of",
]


#: The attrs validator signature; ``Any`` lets attrs infer the field type from
#: the annotation instead of from the validator.
T = TypeVar("T")
Attribute: TypeAlias = "attrs.Attribute[Any]"
Validator: TypeAlias = Callable[[object, Attribute, Any], None]

_NUMBER: Final = (int, float, Decimal)


def _is_number(value: object) -> bool:
    return isinstance(value, _NUMBER) and not isinstance(value, bool)


def is_real_number(value: object) -> bool:
    """Whether ``value`` is a finite real number (not a bool, text, array or None).

    Examples:
        >>> [is_real_number(v) for v in (1, 2.5, True, "1", None, float("nan"))]
        [True, True, False, False, False, False]
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return False
    return math.isfinite(value)


def _finite(value: object) -> bool:
    if isinstance(value, Decimal):
        return value.is_finite()
    return math.isfinite(value)  # type: ignore[arg-type]


def non_empty_str(_inst: object, attr: attrs.Attribute[T], value: T) -> None:
    """Require a string with at least one non-space character."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError(
            field=attr.name, value=value, expected="a non-empty string"
        )


def is_date(_inst: object, attr: attrs.Attribute[T], value: T) -> None:
    """Require a ``datetime.date`` (and not a ``datetime``, which carries a time)."""
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise InvalidValueError(
            field=attr.name, value=value, expected="a datetime.date (business date)"
        )


def positive_int(_inst: object, attr: attrs.Attribute[T], value: T) -> None:
    """Require an ``int`` > 0 (booleans refused)."""
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise InvalidValueError(field=attr.name, value=value, expected="an integer > 0")


def non_negative_int(_inst: object, attr: attrs.Attribute[T], value: T) -> None:
    """Require an ``int`` >= 0 (booleans refused)."""
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise InvalidValueError(
            field=attr.name, value=value, expected="an integer >= 0"
        )


def finite_number(_inst: object, attr: attrs.Attribute[T], value: T) -> None:
    """Require a finite int, float or Decimal."""
    if not _is_number(value) or not _finite(value):
        raise InvalidValueError(
            field=attr.name, value=value, expected="a finite number"
        )


def number_in(
    lower: float | None = None,
    upper: float | None = None,
    *,
    lower_open: bool = False,
    upper_open: bool = False,
) -> Validator:
    """Require a finite number within the given bounds.

    Examples:
        >>> import attrs
        >>> @attrs.frozen
        ... class Rate:
        ...     value: float = attrs.field(validator=number_in(0, 1))
        >>> Rate(1.5)
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `value` must be a finite number in [0, 1]; got 1.5.
    """
    expected = range_text(lower, upper, lower_open=lower_open, upper_open=upper_open)

    def check(_inst: object, attr: Attribute, value: object) -> None:
        ok = _is_number(value) and _finite(value)
        if ok and lower is not None:
            ok = value > lower if lower_open else value >= lower  # type: ignore[operator]
        if ok and upper is not None:
            ok = value < upper if upper_open else value <= upper  # type: ignore[operator]
        if not ok:
            raise InvalidValueError(field=attr.name, value=value, expected=expected)

    return check


def fraction_in(lower: float = 0.0, upper: float = 1.0) -> Validator:
    """Require a finite number in ``[lower, upper]`` (a fraction: 0.05 means 5 %)."""
    return number_in(lower, upper)


def one_of(allowed: Collection[object], *, what: str = "one of") -> Validator:
    """Require membership of ``allowed``."""

    def check(_inst: object, attr: Attribute, value: object) -> None:
        try:
            known = value in allowed
        except (TypeError, ValueError):  # an unhashable value, or an array
            known = False
        if isinstance(value, bool) and not any(isinstance(a, bool) for a in allowed):
            known = False  # True == 1 in Python: a flag is not the number 1
        if not known:
            shown = ", ".join(sorted(repr(a) for a in allowed))
            raise InvalidValueError(
                field=attr.name, value=value, expected=f"{what} {shown}"
            )

    return check


def instance_of(cls: type | tuple[type, ...], *, what: str) -> Validator:
    """Require ``isinstance(value, cls)``; ``what`` names the type in the message."""

    def check(_inst: object, attr: Attribute, value: object) -> None:
        if not isinstance(value, cls):
            raise InvalidValueError(field=attr.name, value=value, expected=what)

    return check


def require_instance(
    value: object, cls: type | tuple[type, ...], *, name: str, what: str
) -> None:
    """Refuse a required object that is ``None`` or not an instance of ``cls``.

    The function form of `instance_of`, for the top of public functions: a wrong
    object is named at the boundary instead of failing deep inside with an
    ``AttributeError``. The value is shown by its type name (a large object is not
    echoed); ``None`` as itself.

    Examples:
        >>> require_instance(None, int, name="count", what="an int")
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `count` must be an int; got None.
        >>> require_instance("x", int, name="count", what="an int")
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `count` must be an int; got a 'str'.
    """
    if not isinstance(value, cls):
        refuse_object(value, name=name, what=what)


def refuse_object(value: object, *, name: str, what: str) -> NoReturn:
    """Raise the `require_instance` error for ``value``: for checks that are not a type.

    Examples:
        >>> refuse_object({"x": 1}, name="curves", what="a mapping of ForwardCurve")
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `curves` must be a mapping of ForwardCurve; got a 'dict'.
    """
    shown = None if value is None else _TypeName(type(value).__name__)
    raise InvalidValueError(field=name, value=shown, expected=what)


class _TypeName(str):
    """A type name that reprs as ``a 'name'`` in messages."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"a {str.__repr__(self)}"


#: The longest identifier accepted (client, facility, project ids).
MAX_ID_LENGTH: Final = 256


def id_problem(value: str) -> str | None:
    """What is wrong with an id under the `identifier` rule; None for a good id."""
    if not value.strip():
        return "a non-empty string"
    if value != value.strip():
        return "an id without leading or trailing whitespace"
    if len(value) > MAX_ID_LENGTH:
        return f"an id of at most {MAX_ID_LENGTH} characters"
    for ch in value:
        # Cc: control characters (newline, tab, NUL); Cf: format characters, among
        # them the zero-width space, joiner and byte-order mark
        if unicodedata.category(ch) in {"Cc", "Cf"}:
            return (
                "an id without control or zero-width characters "
                f"(found U+{ord(ch):04X} at position {value.index(ch)})"
            )
    return None


def identifier(_inst: object, attr: attrs.Attribute[T], value: T) -> None:
    """Require an id: a non-empty string, trimmed, printable, at most 256 characters.

    One rule for every entity id (client, facility, project, sponsor, referrer):
    surrounding whitespace, control characters (newline, tab) and zero-width
    characters are refused, as two ids that print alike must be one id.

    Examples:
        >>> import attrs
        >>> @attrs.frozen
        ... class Row:
        ...     id: str = attrs.field(validator=identifier)
        >>> Row(" C-1")
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `id` must be an id without leading or trailing whitespace; got ' C-1'.
    """
    if not isinstance(value, str):
        raise InvalidValueError(
            field=attr.name, value=value, expected="a non-empty string"
        )
    problem = id_problem(value)
    if problem is not None:
        raise InvalidValueError(field=attr.name, value=value, expected=problem)


def column_name(value: object, *, name: str) -> str:
    """Return ``value`` if it is a non-empty string naming a column, else raise.

    Examples:
        >>> column_name(None, name="target")
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `target` must be a column name (a non-empty string); got None.
    """
    if not isinstance(value, str) or not value:
        shown = value if value is None or isinstance(value, str) else _shown(value)
        raise InvalidValueError(
            field=name, value=shown, expected="a column name (a non-empty string)"
        )
    return value


def require_labels(
    value: object, *, name: str, what: str = "labels"
) -> tuple[str, ...]:
    """Return ``value`` as a tuple of strings (a list, tuple or array of text).

    A lone string, a mapping, a non-iterable or an item that is not text is refused,
    the item by its index.

    Examples:
        >>> require_labels(["A", "B"], name="scale")
        ('A', 'B')
        >>> require_labels(["A", None], name="scale")
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `scale[1]` must be a label (a string); got None.
    """
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        shown = value if value is None or isinstance(value, str) else _shown(value)
        raise InvalidValueError(
            field=name, value=shown, expected=f"{what} (a sequence of strings)"
        )
    items = tuple(value)
    for i, item in enumerate(items):
        if not isinstance(item, str):
            raise InvalidValueError(
                field=f"{name}[{i}]", value=item, expected="a label (a string)"
            )
    return items


def require_int(
    value: object, *, name: str, lower: int, upper: int | None = None
) -> int:
    """Return ``value`` as an ``int`` in ``[lower, upper]``; refuse bools and floats.

    For counts and sizes (years, scenarios, clients): checked before any memory is
    allocated, so a huge size is refused up front.

    Examples:
        >>> require_int(3, name="years", lower=1)
        3
        >>> require_int(2.5, name="years", lower=1)
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `years` must be an integer >= 1; got 2.5.
    """
    expected = (
        f"an integer >= {lower}"
        if upper is None
        else f"an integer from {lower} to {upper}"
    )
    if not _is_integer(value):
        shown = value if _is_scalar(value) else _shown(value)
        raise InvalidValueError(field=name, value=shown, expected=expected)
    number = int(value)
    if number < lower or (upper is not None and number > upper):
        raise InvalidValueError(field=name, value=number, expected=expected)
    return number


def _is_integer(value: object) -> TypeGuard[SupportsIndex]:
    """An `int` or a numpy integer, not a `bool` nor a `numpy.bool_`.

    numpy is looked up in `sys.modules`, not imported: a value cannot be a numpy scalar
    before numpy is loaded, and `import lendcrm` stays free of numpy.
    """
    np = sys.modules.get("numpy")
    if isinstance(value, bool) or (np is not None and isinstance(value, np.bool_)):
        return False
    return isinstance(value, int) or (np is not None and isinstance(value, np.integer))


def _is_scalar(value: object) -> bool:
    return value is None or isinstance(value, str | int | float | complex)


def _shown(value: object) -> object:
    """A value for a message: itself when small, else its type name."""
    return _TypeName(type(value).__name__)


def nan_equal(value: float) -> float | None:
    """The ``eq`` key of a float field whose NaN means "not available": two NaN equal."""
    return None if math.isnan(value) else value


def nan_or(validator: Validator) -> Validator:
    """Apply ``validator`` unless the value is a float NaN; the error adds "or NaN"."""

    def check(inst: object, attr: Attribute, value: object) -> None:
        if isinstance(value, float) and math.isnan(value):
            return
        try:
            validator(inst, attr, value)
        except InvalidValueError as err:
            raise InvalidValueError(
                field=attr.name, value=value, expected=f"{err.expected}, or NaN"
            ) from None

    return check


def check_bounds(lower: float | None, upper: float | None) -> None:
    """Refuse an ``upper`` bound below ``lower`` (either may be None: unbounded)."""
    if lower is not None and upper is not None and upper < lower:
        raise InvalidValueError(
            field="upper", value=upper, expected=f"a number >= `lower` ({lower})"
        )


def optional(validator: Validator) -> Validator:
    """Apply ``validator`` unless the value is ``None``."""

    def check(inst: object, attr: Attribute, value: object) -> None:
        if value is not None:
            validator(inst, attr, value)

    return check


def tuple_of(cls: type, *, what: str) -> Validator:
    """Require a ``tuple`` whose items are all instances of ``cls``.

    A non-tuple is reported by its type name (a large list is not echoed); a bad item
    by its index, e.g. ``covenants[2]``.

    Examples:
        >>> import attrs
        >>> @attrs.frozen
        ... class Tags:
        ...     items: tuple[str, ...] = attrs.field(validator=tuple_of(str, what="str"))
        >>> Tags(["a"])
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `items` must be a tuple of str; got 'list'.
    """

    def check(_inst: object, attr: Attribute, value: object) -> None:
        if not isinstance(value, tuple):
            raise InvalidValueError(
                field=attr.name,
                value=type(value).__name__,
                expected=f"a tuple of {what}",
            )
        for i, item in enumerate(value):
            if not isinstance(item, cls):
                raise InvalidValueError(
                    field=f"{attr.name}[{i}]", value=item, expected=f"a {what}"
                )

    return check


# --- money and enumerations (value objects and entities) -------------------------------
def non_negative_money(
    _inst: object, attr: attrs.Attribute[Any], value: object
) -> None:
    """Require a `Money` amount >= 0."""
    if not isinstance(value, Money):
        raise InvalidValueError(field=attr.name, value=value, expected="a Money")
    if value.amount < 0:
        raise InvalidValueError(
            field=attr.name, value=value, expected="a Money amount >= 0"
        )


def positive_money(_inst: object, attr: attrs.Attribute[Any], value: object) -> None:
    """Require a `Money` amount > 0."""
    if not isinstance(value, Money):
        raise InvalidValueError(field=attr.name, value=value, expected="a Money")
    if value.amount <= 0:
        raise InvalidValueError(
            field=attr.name, value=value, expected="a Money amount > 0"
        )


def is_money(_inst: object, attr: attrs.Attribute[Any], value: object) -> None:
    """Require a `Money` (any sign)."""
    if not isinstance(value, Money):
        raise InvalidValueError(field=attr.name, value=value, expected="a Money")


def enum_of(cls: type[StrEnum]) -> Validator:
    """Require a member of ``cls`` (convert strings first with the converter)."""
    shown = ", ".join(repr(m.value) for m in cls)
    return instance_of(cls, what=f"one of {shown}")


E = TypeVar("E", bound=StrEnum)


def enum_member(cls: type[E], value: object, *, name: str) -> E:
    """Return the member of ``cls`` that ``value`` is or names; raise listing the values.

    For enum-valued parameters and converters: a member passes as is, a string is
    looked up by value, anything else is an `InvalidValueError` naming ``name``.

    Examples:
        >>> from lendcrm.risk.scoring import Trend
        >>> enum_member(Trend, "peak", name="trend")
        <Trend.PEAK: 'peak'>
        >>> enum_member(Trend, "up", name="trend")
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `trend` must be one of 'ascending', 'descending', 'auto', 'peak', 'valley', 'none'; got 'up'.
    """
    try:
        return cls(value)  # type: ignore[arg-type]
    except (ValueError, TypeError):
        shown = ", ".join(repr(m.value) for m in cls)
        raise InvalidValueError(
            field=name, value=value, expected=f"one of {shown}"
        ) from None


def float_items(value: object, *, name: str) -> tuple[float, ...]:
    """Return ``value`` (a sequence of finite real numbers) as a tuple of floats.

    Text, booleans, complex numbers, NaN and infinity are refused, an item by its
    index; so are a lone string, a mapping and a non-iterable.

    Examples:
        >>> float_items([1, 2.5], name="cuts")
        (1.0, 2.5)
        >>> float_items([0.5, "x"], name="cuts")
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `cuts[1]` must be a finite number; got 'x'.
    """
    items = tuple_converter(name=name, what="numbers")(value)
    for i, item in enumerate(items):
        if not is_real_number(item):
            shown = item if _is_scalar(item) else _shown(item)
            raise InvalidValueError(
                field=f"{name}[{i}]", value=shown, expected="a finite number"
            )
    return tuple(float(v) for v in items)


def tuple_converter(*, name: str, what: str) -> Callable[[object], tuple[Any, ...]]:
    """An attrs converter: an iterable (not text nor a mapping) to a tuple, else raise.

    Examples:
        >>> tuple_converter(name="tiers", what="tiers")(None)
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `tiers` must be a sequence of tiers; got None.
    """

    def convert(value: object) -> tuple[Any, ...]:
        if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
            shown = value if _is_scalar(value) else _shown(value)
            raise InvalidValueError(
                field=name, value=shown, expected=f"a sequence of {what}"
            )
        np = sys.modules.get("numpy")
        if np is not None and isinstance(value, np.ndarray) and value.ndim != 1:
            raise InvalidValueError(
                field=name, value=_shown(value), expected=f"a sequence of {what}"
            )
        return tuple(value)

    return convert


def same_currency(owner: str, currency: str, amounts: dict[str, Money]) -> None:
    """Raise naming the first amount not in ``currency`` (one currency per entity)."""
    for path, money in amounts.items():
        if money.currency != currency:
            raise InvalidValueError(
                field=path,
                value=money,
                expected=f"an amount in {currency}, the currency of this {owner}",
                hint="Convert the amount first with Money.convert(rate, currency).",
            )


def country_code(_inst: object, attr: attrs.Attribute[Any], value: object) -> None:
    """Validate an ISO 3166-1 alpha-2 country code (upper case)."""
    if not isinstance(value, str) or value not in COUNTRY_CODES:
        raise InvalidValueError(
            field=attr.name,
            value=value,
            expected="an ISO 3166-1 alpha-2 country code such as 'DE'",
            hint="Codes are upper case."
            if isinstance(value, str) and value.upper() in COUNTRY_CODES
            else "",
        )
