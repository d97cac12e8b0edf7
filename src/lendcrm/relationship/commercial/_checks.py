"""Argument checks shared by the commercial modules (public names, private module)."""

from __future__ import annotations

from lendcrm.errors import InvalidValueError

__all__ = ["whole_number"]


def whole_number(
    value: object, *, name: str, lower: int, upper: int | None = None
) -> int:
    """Return ``value`` if it is an int (not a bool) in ``[lower, upper]``, else raise.

    Examples:
        >>> whole_number(3, name="k", lower=1)
        3
        >>> whole_number(0, name="k", lower=1, upper=5)
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `k` must be a whole number in [1, 5]; got 0.
    """
    what = (
        f"a whole number >= {lower}"
        if upper is None
        else f"a whole number in [{lower}, {upper}]"
    )
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidValueError(field=name, value=value, expected=what)
    if value < lower or (upper is not None and value > upper):
        raise InvalidValueError(field=name, value=value, expected=what)
    return value
