"""Exact boundaries and refusals of the shared attrs validators (issue #23).

Each validator is called directly with a real attrs attribute named ``x``; a refusal is
checked by its whole message, which pins the field, the value shown and the words of
what was expected (the error's ``field`` and ``expected`` are asserted too where the
message alone could hide a swap).
"""

from __future__ import annotations

import datetime as dt
import math
import sys
from decimal import Decimal
from enum import StrEnum

import attrs
import numpy as np
import pytest

from lendcrm import Money
from lendcrm._validators import (
    MAX_ID_LENGTH,
    Validator,
    column_name,
    country_code,
    enum_member,
    enum_of,
    finite_number,
    float_items,
    fraction_in,
    id_problem,
    identifier,
    instance_of,
    is_date,
    is_money,
    is_real_number,
    non_empty_str,
    non_negative_int,
    non_negative_money,
    number_in,
    one_of,
    optional,
    positive_int,
    positive_money,
    refuse_object,
    require_instance,
    require_int,
    require_labels,
    same_currency,
    tuple_converter,
    tuple_of,
)
from lendcrm.errors import InvalidValueError


@attrs.define
class _Box:
    x: object = None


ATTR = attrs.fields(_Box).x


def passes(check: Validator, value: object) -> None:
    check(None, ATTR, value)


def refusal(check: Validator, value: object) -> InvalidValueError:
    with pytest.raises(InvalidValueError) as info:
        check(None, ATTR, value)
    assert info.value.field == "x"
    return info.value


def message(check: Validator, value: object) -> str:
    return str(refusal(check, value))


class _Color(StrEnum):
    RED = "red"
    BLUE = "blue"


# --- numbers ----------------------------------------------------------------------------
def test_is_real_number_cases() -> None:
    assert is_real_number(0)
    assert is_real_number(-1.5)
    assert not is_real_number(Decimal(2))  # Decimal is not a numbers.Real
    assert not is_real_number(False)
    assert not is_real_number(float("inf"))
    assert not is_real_number(1j)


def test_finite_number_accepts_and_refuses() -> None:
    for good in (0, -3, 2.5, Decimal("1.5"), np.float64(1.0)):
        passes(finite_number, good)
    for bad in (True, False, "1", None, math.nan, math.inf, Decimal("NaN"), 1j):
        err = refusal(finite_number, bad)
        assert err.expected == "a finite number"
        assert err.value is bad
    assert message(finite_number, Decimal("Infinity")) == (
        "`x` must be a finite number; got Decimal('Infinity')."
    )


@pytest.mark.parametrize(
    ("lower", "upper", "lo_open", "hi_open", "inside", "outside", "text"),
    [
        (0, 1, False, False, [0, 1, 0.5], [-1e-12, 1 + 1e-12], "in [0, 1]"),
        (0, 1, True, False, [1e-12, 1], [0, 1.5], "in (0, 1]"),
        (0, 1, False, True, [0, 1 - 1e-12], [1, -0.5], "in [0, 1)"),
        (0, 1, True, True, [0.5], [0, 1], "in (0, 1)"),
        (2, None, False, False, [2, 1e300], [2 - 1e-12], ">= 2"),
        (2, None, True, False, [2 + 1e-12], [2], "> 2"),
        (None, 3, False, False, [3, -1e300], [3 + 1e-12], "<= 3"),
        (None, 3, False, True, [3 - 1e-12], [3], "< 3"),
        (None, None, False, False, [-1e300, 0, 1e300], [math.inf], ""),
    ],
)
def test_number_in_exact_bounds(  # noqa: PLR0917 - one parametrized case
    lower: float | None,
    upper: float | None,
    lo_open: bool,
    hi_open: bool,
    inside: list[float],
    outside: list[float],
    text: str,
) -> None:
    check = number_in(lower, upper, lower_open=lo_open, upper_open=hi_open)
    for value in inside:
        passes(check, value)
    expected = f"a finite number {text}".rstrip()
    for value in outside:
        err = refusal(check, value)
        assert err.expected == expected
        assert str(err) == f"`x` must be {expected}; got {value!r}."


def test_number_in_refuses_non_numbers_and_defaults_closed() -> None:
    check = number_in(0, 1)
    for bad in (True, "0.5", None, math.nan):
        assert refusal(check, bad).expected == "a finite number in [0, 1]"
    passes(check, 0)
    passes(check, 1)
    passes(number_in(0), 0)  # lower_open defaults to False
    passes(number_in(None, 0), 0)  # upper_open defaults to False


def test_fraction_in_defaults_and_bounds() -> None:
    check = fraction_in()
    passes(check, 0.0)
    passes(check, 1.0)
    assert refusal(check, -0.01).expected == "a finite number in [0, 1]"
    assert refusal(check, 1.01).expected == "a finite number in [0, 1]"
    narrow = fraction_in(0.25, 0.75)
    passes(narrow, 0.25)
    passes(narrow, 0.75)
    assert refusal(narrow, 0.2).expected == "a finite number in [0.25, 0.75]"
    assert refusal(narrow, 0.8).expected == "a finite number in [0.25, 0.75]"


def test_positive_and_non_negative_int_exact() -> None:
    passes(positive_int, 1)
    for bad in (0, -1, True, 1.0, "1", None):
        err = refusal(positive_int, bad)
        assert str(err) == f"`x` must be an integer > 0; got {bad!r}."
    passes(non_negative_int, 0)
    passes(non_negative_int, 5)
    for bad in (-1, False, 0.0, "0", None):
        err = refusal(non_negative_int, bad)
        assert str(err) == f"`x` must be an integer >= 0; got {bad!r}."


def test_require_int_bounds_and_messages() -> None:
    assert require_int(1, name="n", lower=1) == 1
    assert require_int(5, name="n", lower=1, upper=5) == 5
    assert require_int(np.int64(3), name="n", lower=1) == 3
    assert type(require_int(np.int64(3), name="n", lower=1)) is int
    with pytest.raises(InvalidValueError) as info:
        require_int(0, name="n", lower=1)
    assert (info.value.field, info.value.value) == ("n", 0)
    assert str(info.value) == "`n` must be an integer >= 1; got 0."
    with pytest.raises(InvalidValueError) as info:
        require_int(6, name="n", lower=1, upper=5)
    assert str(info.value) == "`n` must be an integer from 1 to 5; got 6."
    with pytest.raises(InvalidValueError) as info:
        require_int(np.int64(0), name="n", lower=1, upper=5)
    assert type(info.value.value) is int
    for bad in (True, 2.0, "2", None):
        with pytest.raises(InvalidValueError) as info:
            require_int(bad, name="n", lower=1)
        assert info.value.value is bad
        assert info.value.expected == "an integer >= 1"
    with pytest.raises(InvalidValueError) as info:
        require_int(np.bool_(True), name="n", lower=0)
    assert repr(info.value.value) == "a 'bool'"  # numpy's bool_ is named 'bool'
    with pytest.raises(InvalidValueError) as info:
        require_int([2], name="n", lower=1)
    assert repr(info.value.value) == "a 'list'"
    with pytest.raises(InvalidValueError) as info:
        require_int(np.float64(2.0), name="n", lower=0)
    assert info.value.value == 2.0  # a float subclass: shown as itself


# --- text, dates, ids -------------------------------------------------------------------
def test_non_empty_str() -> None:
    passes(non_empty_str, "a")
    passes(non_empty_str, " a ")
    for bad in ("", "   ", "\t", None, 1):
        assert str(refusal(non_empty_str, bad)) == (
            f"`x` must be a non-empty string; got {bad!r}."
        )


def test_is_date_refuses_datetime() -> None:
    passes(is_date, dt.date(2024, 1, 1))
    for bad in (dt.datetime(2024, 1, 1, tzinfo=dt.UTC), "2024-01-01", None):
        err = refusal(is_date, bad)
        assert err.expected == "a datetime.date (business date)"
        assert err.value is bad


def test_id_problem_each_rule() -> None:
    assert id_problem("C-1") is None
    assert id_problem("") == "a non-empty string"
    assert id_problem("  ") == "a non-empty string"
    assert id_problem(" C") == "an id without leading or trailing whitespace"
    assert id_problem("C ") == "an id without leading or trailing whitespace"
    assert MAX_ID_LENGTH == 256
    assert id_problem("a" * 256) is None
    assert id_problem("a" * 257) == "an id of at most 256 characters"
    assert id_problem("a\nb") == (
        "an id without control or zero-width characters (found U+000A at position 1)"
    )
    assert id_problem("ab\u200bc") == (
        "an id without control or zero-width characters (found U+200B at position 2)"
    )
    assert id_problem("a\u00e9b") is None  # a letter, not a control character
    # the position is the first occurrence of the first bad character
    assert id_problem("a\nb\nc") == (
        "an id without control or zero-width characters (found U+000A at position 1)"
    )


def test_identifier() -> None:
    passes(identifier, "C-1")
    assert str(refusal(identifier, 7)) == "`x` must be a non-empty string; got 7."
    assert str(refusal(identifier, "")) == "`x` must be a non-empty string; got ''."
    assert refusal(identifier, "a" * 257).expected == "an id of at most 256 characters"


def test_column_name() -> None:
    assert column_name("a", name="col") == "a"
    for bad, shown in ((None, "None"), ("", "''"), (3, "a 'int'")):
        with pytest.raises(InvalidValueError) as info:
            column_name(bad, name="col")
        assert str(info.value) == (
            f"`col` must be a column name (a non-empty string); got {shown}."
        )


def test_require_labels() -> None:
    assert require_labels(("a",), name="s") == ("a",)
    assert require_labels(np.array(["a", "b"], dtype=object), name="s") == ("a", "b")
    assert require_labels([], name="s") == ()
    for bad, shown in (("ab", "'ab'"), (None, "None"), ({"a": 1}, "a 'dict'")):
        with pytest.raises(InvalidValueError) as info:
            require_labels(bad, name="s")
        assert str(info.value) == (
            f"`s` must be labels (a sequence of strings); got {shown}."
        )
    with pytest.raises(InvalidValueError) as info:
        require_labels(b"ab", name="s", what="grades")
    assert (
        str(info.value) == "`s` must be grades (a sequence of strings); got a 'bytes'."
    )
    with pytest.raises(InvalidValueError) as info:
        require_labels(5, name="s")
    assert info.value.field == "s"
    with pytest.raises(InvalidValueError) as info:
        require_labels(["a", "b", 3], name="s")
    assert str(info.value) == "`s[2]` must be a label (a string); got 3."


# --- membership and types ---------------------------------------------------------------
def test_one_of() -> None:
    check = one_of({"b", "a"})
    passes(check, "a")
    err = refusal(check, "c")
    assert str(err) == "`x` must be one of 'a', 'b'; got 'c'."
    assert refusal(one_of({1}, what="any of"), 2).expected == "any of 1"
    assert refusal(check, ["a"]).value == ["a"]  # unhashable: refused, not a TypeError
    assert refusal(one_of({1, 0}), True).expected == "one of 0, 1"  # a flag is not 1
    passes(one_of([True, 2]), True)  # a bool among the allowed: a flag may pass
    passes(one_of({1, 2}), 1)


def test_one_of_refuses_an_array_without_raising_numpy_error() -> None:
    assert refusal(one_of([1, 2]), np.array([1, 2])).expected == "one of 1, 2"


def test_instance_of_and_optional() -> None:
    check = instance_of(int, what="an int")
    passes(check, 3)
    assert str(refusal(check, "3")) == "`x` must be an int; got '3'."
    maybe = optional(check)
    seen: list[object] = []
    owner = object()
    optional(lambda inst, attr, value: seen.append((inst, attr, value)))(owner, ATTR, 3)
    assert seen == [(owner, ATTR, 3)]  # the instance and attribute are passed on
    passes(maybe, None)
    passes(maybe, 3)
    assert refusal(maybe, "3").expected == "an int"


def test_require_instance_and_refuse_object() -> None:
    require_instance(3, int, name="n", what="an int")
    require_instance(3, (str, int), name="n", what="an int")
    with pytest.raises(InvalidValueError) as info:
        require_instance("3", int, name="n", what="an int")
    assert (info.value.field, info.value.expected) == ("n", "an int")
    assert str(info.value) == "`n` must be an int; got a 'str'."
    with pytest.raises(InvalidValueError) as info:
        refuse_object(None, name="n", what="a curve")
    assert info.value.value is None
    assert str(info.value) == "`n` must be a curve; got None."


def test_tuple_of() -> None:
    check = tuple_of(str, what="label")
    passes(check, ())
    passes(check, ("a", "b"))
    assert str(refusal(check, ["a"])) == "`x` must be a tuple of label; got 'list'."
    with pytest.raises(InvalidValueError) as info:
        check(None, ATTR, ("a", 2))
    assert info.value.field == "x[1]"
    assert str(info.value) == "`x[1]` must be a label; got 2."


def test_tuple_converter() -> None:
    convert = tuple_converter(name="t", what="tiers")
    assert convert([1, 2]) == (1, 2)
    assert convert(np.array([1, 2])) == (1, 2)
    assert convert(()) == ()
    for bad, shown in (
        ("ab", "'ab'"),
        (b"ab", "a 'bytes'"),
        ({"a": 1}, "a 'dict'"),
        (3, "3"),
        (None, "None"),
        (np.zeros((2, 2)), "a 'ndarray'"),
    ):
        with pytest.raises(InvalidValueError) as info:
            convert(bad)
        assert info.value.field == "t"
        assert str(info.value) == f"`t` must be a sequence of tiers; got {shown}."


def test_float_items() -> None:
    assert float_items((1, 2.5), name="c") == (1.0, 2.5)
    assert all(type(v) is float for v in float_items([1, np.int64(2)], name="c"))
    assert float_items([], name="c") == ()
    for bad, index, shown in (
        ([1, True], 1, "True"),
        ([1, 2, math.nan], 2, "nan"),
        ([1j], 0, "1j"),
        ([[1]], 0, "a 'list'"),
    ):
        with pytest.raises(InvalidValueError) as info:
            float_items(bad, name="c")
        assert info.value.field == f"c[{index}]"
        assert str(info.value) == f"`c[{index}]` must be a finite number; got {shown}."
    with pytest.raises(InvalidValueError) as info:
        float_items("12", name="c")
    assert str(info.value) == "`c` must be a sequence of numbers; got '12'."


# --- money, enums, countries ------------------------------------------------------------
def test_money_validators_exact() -> None:
    zero = Money.of("0", "EUR")
    cent = Money.of("0.01", "EUR")
    minus = Money.of("-0.01", "EUR")
    passes(non_negative_money, zero)
    passes(non_negative_money, cent)
    assert str(refusal(non_negative_money, minus)) == (
        f"`x` must be a Money amount >= 0; got {minus!r}."
    )
    passes(positive_money, cent)
    assert refusal(positive_money, zero).expected == "a Money amount > 0"
    assert refusal(positive_money, zero).value is zero
    assert refusal(positive_money, minus).expected == "a Money amount > 0"
    passes(is_money, minus)
    for check in (non_negative_money, positive_money, is_money):
        err = refusal(check, Decimal(1))
        assert str(err) == "`x` must be a Money; got Decimal('1')."


def test_enum_of_and_enum_member() -> None:
    check = enum_of(_Color)
    passes(check, _Color.RED)
    assert str(refusal(check, "red")) == "`x` must be one of 'red', 'blue'; got 'red'."
    assert enum_member(_Color, "blue", name="c") is _Color.BLUE
    assert enum_member(_Color, _Color.RED, name="c") is _Color.RED
    for bad in ("green", None, ["red"]):
        with pytest.raises(InvalidValueError) as info:
            enum_member(_Color, bad, name="c")
        assert info.value.field == "c"
        assert info.value.__cause__ is None
        assert info.value.__suppress_context__
        assert str(info.value) == f"`c` must be one of 'red', 'blue'; got {bad!r}."


def test_same_currency() -> None:
    eur = Money.of("1", "EUR")
    usd = Money.of("1", "USD")
    same_currency("facility", "EUR", {})
    same_currency("facility", "EUR", {"limit": eur, "drawn": eur})
    with pytest.raises(InvalidValueError) as info:
        same_currency("facility", "EUR", {"limit": eur, "drawn": usd})
    err = info.value
    assert (err.field, err.value) == ("drawn", usd)
    assert err.expected == "an amount in EUR, the currency of this facility"
    assert err.hint == "Convert the amount first with Money.convert(rate, currency)."


def test_country_code() -> None:
    passes(country_code, "DE")
    err = refusal(country_code, "de")
    assert err.expected == "an ISO 3166-1 alpha-2 country code such as 'DE'"
    assert err.hint == "Codes are upper case."
    for bad in ("ZZ", 49, None):
        err = refusal(country_code, bad)
        assert err.hint == ""
        assert err.value == bad
    assert refusal(country_code, "zz").hint == ""  # lower case of no code: no hint


def test_integers_and_sequences_without_numpy_loaded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # `import lendcrm` does not load numpy: the checks look it up in sys.modules and
    # must work when it is absent (a value cannot be a numpy scalar then).
    monkeypatch.delitem(sys.modules, "numpy")
    assert require_int(3, name="n", lower=1) == 3
    with pytest.raises(InvalidValueError) as info:
        require_int(True, name="n", lower=0)
    assert info.value.value is True
    assert tuple_converter(name="t", what="tiers")([1, 2]) == (1, 2)
