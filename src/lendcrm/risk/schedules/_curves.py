"""A forward curve of a floating reference rate, piecewise flat in time.

A floating facility pays, in each period, the reference rate fixed at the period's
start plus its margin. `ForwardCurve` gives that fixing from today's forward rates:
the rate of the segment that holds the period's start, in years (actual/365.25) from
the curve's date. A period that started before the curve's date takes the first
segment's rate.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable

import attrs
import numpy as np

from lendcrm._arrays import FloatArray, IntArray, as_float_array
from lendcrm._dates import DAYS_PER_YEAR, check_as_of
from lendcrm.errors import InvalidValueError

__all__ = ["ForwardCurve"]


def _as_of(_inst: object, attr: attrs.Attribute[dt.date], value: dt.date) -> None:
    check_as_of(value, field=attr.name)


def _floats(name: str) -> Callable[[object], tuple[float, ...]]:
    def convert(value: object) -> tuple[float, ...]:
        if isinstance(value, str) or not isinstance(value, Iterable):
            raise InvalidValueError(
                field=name, value=value, expected="a sequence of numbers"
            )
        arr = as_float_array(list(value), name=name, allow_nan=True)
        return tuple(float(v) for v in arr)

    return convert


def _tenors(value: object) -> tuple[float, ...]:
    return _floats("tenors")(value)


def _rates(value: object) -> tuple[float, ...]:
    return _floats("rates")(value)


@attrs.frozen(kw_only=True)
class ForwardCurve:
    """Forward rates of one reference rate, flat between the given tenors.

    Attributes:
        as_of: The curve's date.
        tenors: Start of each segment in years from `as_of`, strictly increasing,
            the first 0.
        rates: The forward rate of each segment, annual fractions; may be negative
            (EURIBOR fixed below zero from 2015 to 2022).

    Examples:
        >>> c = ForwardCurve(as_of=dt.date(2026, 1, 1), tenors=(0.0, 1.0, 3.0),
        ...                  rates=(0.020, 0.025, 0.030))
        >>> c.rate_at([0.5, 1.0, 10.0]).tolist()
        [0.02, 0.025, 0.03]
    """

    as_of: dt.date = attrs.field(validator=_as_of)
    tenors: tuple[float, ...] = attrs.field(converter=_tenors)
    rates: tuple[float, ...] = attrs.field(converter=_rates)

    def __attrs_post_init__(self) -> None:
        """Same lengths, tenors from 0 strictly increasing, finite rates > -1."""
        if len(self.tenors) != len(self.rates) or not self.tenors:
            raise InvalidValueError(
                field="rates",
                value=f"{len(self.rates)} rates for {len(self.tenors)} tenors",
                expected="one rate per tenor, at least one",
            )
        t = np.asarray(self.tenors)
        if t[0] != 0.0 or not (np.diff(t) > 0).all() or not np.isfinite(t).all():
            raise InvalidValueError(
                field="tenors",
                value=self.tenors,
                expected="finite years from 0, strictly increasing",
            )
        for i, r in enumerate(self.rates):
            if not math.isfinite(r) or r <= -1.0:
                raise InvalidValueError(
                    field=f"rates[{i}]", value=r, expected="a finite rate > -1"
                )

    def rate_at(self, years: object) -> FloatArray:
        """The forward rate at each time (years from `as_of`), flat per segment."""
        t = np.asarray(years, dtype=np.float64)
        i = np.searchsorted(np.asarray(self.tenors), t, side="right") - 1
        out: FloatArray = np.asarray(self.rates)[np.maximum(i, 0)]
        return out

    def rate_on_days(self, days: IntArray) -> FloatArray:
        """The forward rate fixed on each day (days since 1970-01-01)."""
        origin = np.datetime64(self.as_of, "D").astype(np.int64)
        return self.rate_at((days - origin) / DAYS_PER_YEAR)
