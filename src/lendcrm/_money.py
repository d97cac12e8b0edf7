"""Money: an exact ``Decimal`` amount in one ISO 4217 currency.

Accounting amounts are ``Decimal`` and never floats; statistics are float64 (STYLE M4).
Nothing in lendcrm rounds money implicitly: :meth:`Money.rounded` is the only place
rounding happens, and its mode is a parameter because banks differ.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any, Final

import attrs

from lendcrm._codes import CURRENCY_MINOR_UNITS
from lendcrm.errors import CurrencyMismatchError, InvalidValueError

__all__ = ["CURRENCIES", "Money", "currency_code", "minor_units"]

#: The ISO 4217 codes lendcrm accepts (active list; XTS and XXX excluded).
CURRENCIES: Final[frozenset[str]] = frozenset(CURRENCY_MINOR_UNITS)


def currency_code(code: object) -> str:
    """Normalise and check an ISO 4217 currency code (``"eur"`` becomes ``"EUR"``).

    Args:
        code: A three-letter code, any case.

    Returns:
        The upper-case code.

    Raises:
        InvalidValueError: not a string, not three letters, or not an active ISO 4217
            code.

    Examples:
        >>> currency_code("eur")
        'EUR'
        >>> currency_code("EURO")
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `currency` must be a three-letter ISO 4217 code such as 'EUR'; got 'EURO'.
    """
    if not isinstance(code, str) or len(code) != 3 or not code.isalpha():  # noqa: PLR2004
        raise InvalidValueError(
            field="currency",
            value=code,
            expected="a three-letter ISO 4217 code such as 'EUR'",
        )
    upper = code.upper()
    if upper not in CURRENCIES:
        raise InvalidValueError(
            field="currency",
            value=code,
            expected="an active ISO 4217 currency code",
            hint="See lendcrm.CURRENCIES for the accepted list.",
        )
    return upper


def minor_units(currency: str) -> int | None:
    """Number of decimal places ISO 4217 gives a currency (``None`` for N.A. units).

    Examples:
        >>> minor_units("EUR"), minor_units("JPY"), minor_units("KWD"), minor_units("XAU")
        (2, 0, 3, None)
    """
    return CURRENCY_MINOR_UNITS[currency_code(currency)]


def _decimal_amount(_inst: object, attr: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, float):
        raise InvalidValueError(
            field=attr.name,
            value=value,
            expected="a Decimal, not a float (floats cannot hold 0.10 exactly)",
            hint=f"Pass a string instead: Money.of({str(value)!r}, currency).",
        )
    if not isinstance(value, Decimal):
        raise InvalidValueError(
            field=attr.name,
            value=value,
            expected="a Decimal (use Money.of for strings and ints)",
        )
    if not value.is_finite():
        raise InvalidValueError(
            field=attr.name, value=value, expected="a finite Decimal"
        )


def _is_factor(value: object) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


@attrs.frozen(order=False)
class Money:
    """An amount in one currency.

    Arithmetic (``+``, ``-``, comparison) is allowed only between amounts in the same
    currency; mixing currencies raises `CurrencyMismatchError` naming both codes.
    Multiplication and division take a plain number (``int`` or ``Decimal``) and keep
    full precision: round explicitly with :meth:`rounded`.

    Attributes:
        amount: The exact amount (``Decimal``; floats are refused).
        currency: ISO 4217 code, normalised to upper case.

    Examples:
        >>> from decimal import Decimal
        >>> Money(Decimal("1250.00"), "eur")
        Money(amount=Decimal('1250.00'), currency='EUR')
        >>> Money.of("12.50", "EUR") + Money.of("0.75", "EUR")
        Money(amount=Decimal('13.25'), currency='EUR')
        >>> Money.of("100", "EUR") * Decimal("0.035")
        Money(amount=Decimal('3.500'), currency='EUR')
    """

    amount: Decimal = attrs.field(validator=_decimal_amount)
    currency: str = attrs.field(converter=currency_code)

    @classmethod
    def of(cls, amount: str | int | Decimal, currency: str) -> Money:
        """Parse ``amount`` exactly: ``Money.of("12.50", "EUR")``.

        Raises:
            InvalidValueError: a float, or a string that is not a finite number.

        Examples:
            >>> Money.of(12.5, "EUR")
            Traceback (most recent call last):
            ...
            lendcrm.errors.InvalidValueError: `amount` must be a Decimal, not a float (floats cannot hold 0.10 exactly); got 12.5. Pass a string instead: Money.of('12.5', currency).
        """
        if isinstance(amount, float):
            return cls(amount, currency)  # type: ignore[arg-type]  # validator explains
        if isinstance(amount, bool) or not isinstance(amount, str | int | Decimal):
            raise InvalidValueError(
                field="amount", value=amount, expected="a str, int or Decimal"
            )
        try:
            value = Decimal(amount.strip() if isinstance(amount, str) else amount)
        except InvalidOperation:
            raise InvalidValueError(
                field="amount",
                value=amount,
                expected="a decimal number such as '12.50'",
            ) from None
        return cls(value, currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        """Zero in ``currency``.

        Examples:
            >>> Money.zero("USD")
            Money(amount=Decimal('0'), currency='USD')
        """
        return cls(Decimal(0), currency)

    def _same(self, other: object, operation: str) -> Money:
        if not isinstance(other, Money):
            raise InvalidValueError(
                field="other", value=other, expected=f"a Money to {operation}"
            )
        if other.currency != self.currency:
            raise CurrencyMismatchError(
                left=self.currency, right=other.currency, operation=operation
            )
        return other

    def __add__(self, other: Money) -> Money:
        """Sum of two amounts in the same currency."""
        return Money(self.amount + self._same(other, "add").amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        """Difference of two amounts in the same currency."""
        return Money(self.amount - self._same(other, "subtract").amount, self.currency)

    def __neg__(self) -> Money:
        """The amount with its sign flipped."""
        return Money(-self.amount, self.currency)

    def __abs__(self) -> Money:
        """The absolute amount."""
        return Money(abs(self.amount), self.currency)

    def __mul__(self, factor: int | Decimal) -> Money:
        """Scale by an ``int`` or ``Decimal`` (floats refused: convert with ``str``)."""
        if not _is_factor(factor):
            raise InvalidValueError(
                field="factor",
                value=factor,
                expected="an int or Decimal",
                hint="Convert a float rate with Decimal(str(rate)).",
            )
        return Money(self.amount * factor, self.currency)

    __rmul__ = __mul__

    def __truediv__(self, divisor: int | Decimal) -> Money:
        """Divide by a non-zero ``int`` or ``Decimal``."""
        if not _is_factor(divisor) or not divisor:
            raise InvalidValueError(
                field="divisor", value=divisor, expected="a non-zero int or Decimal"
            )
        return Money(self.amount / divisor, self.currency)

    def __lt__(self, other: Money) -> bool:
        """Compare amounts in the same currency."""
        return self.amount < self._same(other, "compare").amount

    def __le__(self, other: Money) -> bool:
        """Compare amounts in the same currency."""
        return self.amount <= self._same(other, "compare").amount

    def __gt__(self, other: Money) -> bool:
        """Compare amounts in the same currency."""
        return self.amount > self._same(other, "compare").amount

    def __ge__(self, other: Money) -> bool:
        """Compare amounts in the same currency."""
        return self.amount >= self._same(other, "compare").amount

    @property
    def is_zero(self) -> bool:
        """Whether the amount is exactly zero."""
        return self.amount == 0

    @property
    def is_negative(self) -> bool:
        """Whether the amount is below zero."""
        return self.amount < 0

    def rounded(
        self, places: int | None = None, rounding: str = ROUND_HALF_EVEN
    ) -> Money:
        """Round explicitly; nothing else in lendcrm rounds money.

        Args:
            places: Decimal places; ``None`` uses the currency's ISO 4217 minor units.
            rounding: A ``decimal`` rounding mode (default banker's rounding,
                ``ROUND_HALF_EVEN``; many loan systems use ``ROUND_HALF_UP``).

        Raises:
            InvalidValueError: ``places`` is None for a currency without minor units.

        Examples:
            >>> from decimal import ROUND_HALF_UP
            >>> Money.of("2.345", "EUR").rounded()
            Money(amount=Decimal('2.34'), currency='EUR')
            >>> Money.of("2.345", "EUR").rounded(2, ROUND_HALF_UP)
            Money(amount=Decimal('2.35'), currency='EUR')
            >>> Money.of("1234.5", "JPY").rounded()
            Money(amount=Decimal('1234'), currency='JPY')
        """
        if places is None:
            places = CURRENCY_MINOR_UNITS[self.currency]
            if places is None:
                raise InvalidValueError(
                    field="places",
                    value=None,
                    expected=f"an explicit number of places ({self.currency} has no "
                    "ISO 4217 minor unit)",
                )
        quantum = Decimal(1).scaleb(-places)
        return Money(self.amount.quantize(quantum, rounding=rounding), self.currency)

    def convert(self, rate: Decimal | str, currency: str) -> Money:
        """Convert with an explicit rate: units of ``currency`` per one unit of ours.

        Args:
            rate: Exchange rate, > 0, as ``Decimal`` or a decimal string.
            currency: Target ISO 4217 code.

        Raises:
            InvalidValueError: the rate is not a positive finite decimal.

        Examples:
            >>> Money.of("100", "EUR").convert("1.0850", "USD")
            Money(amount=Decimal('108.5000'), currency='USD')
        """
        if not isinstance(rate, str | Decimal):
            raise InvalidValueError(
                field="rate",
                value=rate,
                expected="a Decimal or decimal string",
                hint="Pass the rate as a string, e.g. '1.0850'.",
            )
        try:
            value = Decimal(rate)
        except InvalidOperation:
            raise InvalidValueError(
                field="rate", value=rate, expected="a decimal number"
            ) from None
        if not value.is_finite() or value <= 0:
            raise InvalidValueError(
                field="rate", value=rate, expected="a finite rate > 0"
            )
        return Money(self.amount * value, currency)

    def __str__(self) -> str:
        """``"1250.00 EUR"``."""
        return f"{self.amount} {self.currency}"
