"""Money: exact amounts, currency checks, explicit rounding and conversion."""

import pickle
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lendcrm import CURRENCIES, Money, currency_code, minor_units
from lendcrm.errors import CurrencyMismatchError, InvalidValueError

amounts = st.decimals(
    min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=2, allow_nan=False
)


def test_of_parses_strings_and_ints_exactly():
    assert Money.of("12.50", "eur") == Money(Decimal("12.50"), "EUR")
    assert Money.of(7, "USD").amount == Decimal(7)
    assert Money.of(" 1.10 ", "USD").amount == Decimal("1.10")


def test_float_is_refused_with_a_hint_to_pass_a_string():
    with pytest.raises(
        InvalidValueError,
        match=r"`amount` must be a Decimal, not a float .*got 12\.5\. "
        r"Pass a string instead: Money.of\('12.5', currency\)\.",
    ):
        Money.of(12.5, "EUR")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="not a float"):
        Money(0.1, "EUR")  # type: ignore[arg-type]


def test_unknown_and_malformed_currency():
    with pytest.raises(
        InvalidValueError,
        match=r"`currency` must be an active ISO 4217 currency code; got 'ABC'\.",
    ):
        Money.of("1", "ABC")
    with pytest.raises(
        InvalidValueError,
        match=r"`currency` must be a three-letter ISO 4217 code such as 'EUR'; got 'E1R'\.",
    ):
        Money.of("1", "E1R")
    with pytest.raises(InvalidValueError, match="three-letter"):
        currency_code(978)


def test_withdrawn_and_test_codes_are_refused():
    for code in ("BGN", "HRK", "ANG", "XTS", "XXX"):
        assert code not in CURRENCIES
    assert {"EUR", "USD", "CNY", "XCG", "ZWG"} <= CURRENCIES


def test_bad_amount_strings():
    with pytest.raises(InvalidValueError, match=r"a decimal number such as '12.50'"):
        Money.of("12,50", "EUR")
    with pytest.raises(InvalidValueError, match="a finite Decimal"):
        Money.of("NaN", "EUR")
    with pytest.raises(InvalidValueError, match="a str, int or Decimal"):
        Money.of(True, "EUR")


def test_mismatch_names_both_codes():
    with pytest.raises(
        CurrencyMismatchError, match=r"'EUR' to add .*got 'USD'"
    ) as info:
        Money.of("1", "EUR") + Money.of("1", "USD")
    assert (info.value.left, info.value.right) == ("EUR", "USD")
    with pytest.raises(CurrencyMismatchError, match="compare"):
        _ = Money.of("1", "EUR") < Money.of("1", "USD")


def test_arithmetic_and_comparisons():
    a, b = Money.of("10.25", "EUR"), Money.of("0.75", "EUR")
    assert a + b == Money.of("11.00", "EUR")
    assert a - b == Money.of("9.50", "EUR")
    assert -a == Money.of("-10.25", "EUR")
    assert abs(-a) == a
    assert a * 2 == Money.of("20.50", "EUR")
    assert 2 * a == a * 2
    assert a / 4 == Money.of("2.5625", "EUR")
    assert b < a <= a
    assert a > b >= b
    assert Money.zero("EUR").is_zero
    assert (-a).is_negative
    assert str(a) == "10.25 EUR"


def test_float_factor_and_zero_divisor_refused():
    with pytest.raises(InvalidValueError, match=r"`factor` must be an int or Decimal"):
        Money.of("1", "EUR") * 1.5  # type: ignore[operator]
    with pytest.raises(InvalidValueError, match=r"`divisor` must be a non-zero"):
        Money.of("1", "EUR") / 0
    with pytest.raises(InvalidValueError, match=r"`other` must be a Money to add"):
        Money.of("1", "EUR") + 1  # type: ignore[operator]


def test_rounding_is_explicit_and_follows_minor_units():
    assert Money.of("2.345", "EUR").rounded() == Money.of("2.34", "EUR")
    assert Money.of("2.355", "EUR").rounded() == Money.of("2.36", "EUR")
    assert Money.of("2.345", "EUR").rounded(2, ROUND_HALF_UP) == Money.of("2.35", "EUR")
    assert Money.of("1234.5", "JPY").rounded() == Money.of("1234", "JPY")
    assert Money.of("1.23456", "KWD").rounded() == Money.of("1.235", "KWD")
    assert (minor_units("EUR"), minor_units("JPY"), minor_units("CLF")) == (2, 0, 4)
    with pytest.raises(InvalidValueError, match="XAU has no ISO 4217 minor unit"):
        Money.of("1.5", "XAU").rounded()


def test_convert_with_explicit_rate():
    assert Money.of("100", "EUR").convert("1.0850", "usd") == Money.of("108.5", "USD")
    with pytest.raises(InvalidValueError, match=r"`rate` must be a finite rate > 0"):
        Money.of("1", "EUR").convert("-1", "USD")
    with pytest.raises(InvalidValueError, match=r"Pass the rate as a string"):
        Money.of("1", "EUR").convert(1.08, "USD")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="a decimal number"):
        Money.of("1", "EUR").convert("x", "USD")


@given(amounts, amounts, amounts)
def test_addition_is_associative_and_commutative(a, b, c):
    x, y, z = Money(a, "EUR"), Money(b, "EUR"), Money(c, "EUR")
    assert (x + y) + z == x + (y + z)
    assert x + y == y + x


@given(
    st.decimals(
        allow_nan=False,
        allow_infinity=False,
        places=6,
        min_value=Decimal("-1e9"),
        max_value=Decimal("1e9"),
    )
)
def test_rounded_is_idempotent(a):
    once = Money(a, "EUR").rounded()
    assert once.rounded() == once


def test_money_pickles_and_is_hashable():
    m = Money.of("1.10", "EUR")
    assert pickle.loads(pickle.dumps(m)) == m
    assert len({m, Money.of("1.10", "EUR")}) == 1
