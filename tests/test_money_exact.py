"""Money at its exact boundaries, and every refusal with its field and whole message.

Issue #23: mutation testing showed that tests checking only the exception type let a
changed field, value or message through, and that no test compared two equal amounts
or converted at a rate of exactly 0 or below 1. Each case here pins one of those.
"""

from collections.abc import Callable
from decimal import Decimal

import pytest

from lendcrm import Money, currency_code
from lendcrm.errors import CurrencyMismatchError, InvalidValueError

EUR = Money.of("1", "EUR")
USD = Money.of("1", "USD")

REFUSALS: list[tuple[str, Callable[[], object], str, object, str]] = [
    (
        "unknown code",
        lambda: currency_code("XYZ"),
        "currency",
        "XYZ",
        (
            "`currency` must be an active ISO 4217 currency code; got 'XYZ'. "
            "See lendcrm.CURRENCIES for the accepted list."
        ),
    ),
    (
        "code not a str",
        lambda: currency_code(12),
        "currency",
        12,
        "`currency` must be a three-letter ISO 4217 code such as 'EUR'; got 12.",
    ),
    (
        "int amount to the constructor",
        lambda: Money(5, "EUR"),  # type: ignore[arg-type]
        "amount",
        5,
        "`amount` must be a Decimal (use Money.of for strings and ints); got 5.",
    ),
    (
        "NaN amount",
        lambda: Money(Decimal("NaN"), "EUR"),
        "amount",
        None,  # Decimal NaN != NaN: checked through the message
        "`amount` must be a finite Decimal; got Decimal('NaN').",
    ),
    (
        "list amount",
        lambda: Money.of([1], "EUR"),  # type: ignore[arg-type]
        "amount",
        [1],
        "`amount` must be a str, int or Decimal; got [1].",
    ),
    (
        "bool amount",
        lambda: Money.of(True, "EUR"),
        "amount",
        True,
        "`amount` must be a str, int or Decimal; got True.",
    ),
    (
        "unparsable amount",
        lambda: Money.of("1,5", "EUR"),
        "amount",
        "1,5",
        "`amount` must be a decimal number such as '12.50'; got '1,5'.",
    ),
    (
        "add a number",
        lambda: EUR + 1,  # type: ignore[operator]
        "other",
        1,
        "`other` must be a Money to add; got 1.",
    ),
    (
        "subtract a number",
        lambda: EUR - 1,  # type: ignore[operator]
        "other",
        1,
        "`other` must be a Money to subtract; got 1.",
    ),
    (
        "compare to a number",
        lambda: EUR < 1,  # type: ignore[operator]
        "other",
        1,
        "`other` must be a Money to compare; got 1.",
    ),
    (
        "float factor",
        lambda: EUR * 1.5,  # type: ignore[operator]
        "factor",
        1.5,
        (
            "`factor` must be an int or Decimal; got 1.5. "
            "Convert a float rate with Decimal(str(rate))."
        ),
    ),
    (
        "zero divisor",
        lambda: EUR / 0,
        "divisor",
        0,
        "`divisor` must be a non-zero int or Decimal; got 0.",
    ),
    (
        "no minor unit",
        lambda: Money.of("1", "XAU").rounded(),
        "places",
        None,
        (
            "`places` must be an explicit number of places "
            "(XAU has no ISO 4217 minor unit); got None."
        ),
    ),
    (
        "float rate",
        lambda: EUR.convert(1.1, "USD"),  # type: ignore[arg-type]
        "rate",
        1.1,
        (
            "`rate` must be a Decimal or decimal string; got 1.1. "
            "Pass the rate as a string, e.g. '1.0850'."
        ),
    ),
    (
        "unparsable rate",
        lambda: EUR.convert("x", "USD"),
        "rate",
        "x",
        "`rate` must be a decimal number; got 'x'.",
    ),
    (
        "rate exactly 0",
        lambda: EUR.convert("0", "USD"),
        "rate",
        "0",
        "`rate` must be a finite rate > 0; got '0'.",
    ),
    (
        "infinite rate",
        lambda: EUR.convert(Decimal("Infinity"), "USD"),
        "rate",
        Decimal("Infinity"),
        "`rate` must be a finite rate > 0; got Decimal('Infinity').",
    ),
]


@pytest.mark.parametrize(
    ("call", "field", "value", "message"),
    [case[1:] for case in REFUSALS],
    ids=[case[0] for case in REFUSALS],
)
def test_every_refusal_names_its_field_value_and_reason(call, field, value, message):
    with pytest.raises(InvalidValueError) as caught:
        call()
    assert caught.value.field == field
    if value is not None:
        assert caught.value.value == value
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("operation", "call"),
    [
        ("add", lambda: EUR + USD),
        ("subtract", lambda: EUR - USD),
        ("compare", lambda: EUR < USD),
        ("compare", lambda: EUR <= USD),
        ("compare", lambda: EUR > USD),
        ("compare", lambda: EUR >= USD),
    ],
)
def test_every_operation_names_itself_in_a_currency_mismatch(operation, call):
    with pytest.raises(CurrencyMismatchError) as caught:
        call()
    err = caught.value
    assert (err.left, err.right, err.operation, err.field) == (
        "EUR",
        "USD",
        operation,
        "currency",
    )
    assert str(err) == (
        f"`currency` must be 'EUR' to {operation} to an amount in EUR; got 'USD'. "
        "Convert one amount first with Money.convert(rate, currency)."
    )


def test_comparisons_of_two_equal_amounts():
    a, b = Money.of("10.00", "EUR"), Money.of("10", "EUR")
    assert not a < b
    assert a <= b
    assert not a > b
    assert a >= b


def test_convert_at_a_rate_below_one_and_at_the_smallest_positive_rate():
    assert EUR.convert("0.5", "GBP") == Money(Decimal("0.5"), "GBP")
    assert Money.of("3", "EUR").convert(Decimal("1E-8"), "USD").amount == Decimal(
        "3E-8"
    )
    with pytest.raises(InvalidValueError, match="> 0"):
        EUR.convert("-0.0001", "USD")
