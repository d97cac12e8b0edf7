"""Lifecycle signals: the per-client facts the stage assessment reads, as aligned arrays.

The column names are the `lendcrm.frames.columns` ``SIG_*`` constants; `SIGNAL_SPECS` states
what each column holds (kind and bounds), and is the single source for the numpy
boundary (`StageSignals.from_columns`), the one-client boundary (`assess_stage`) and
the frame check of `lendcrm.lifecycle.frames`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Final, Literal

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import (
    BoolArray,
    FloatArray,
    as_bool_array,
    as_float_array,
    check_same_length,
)
from lendcrm._dates import check_as_of
from lendcrm._messages import range_text
from lendcrm._validators import (
    check_bounds,
    finite_number,
    non_empty_str,
    one_of,
    optional,
)
from lendcrm.errors import InvalidValueError, SchemaError
from lendcrm.frames import columns as schema

__all__ = ["SIGNAL_SPECS", "SignalSpec", "StageSignals", "example_columns"]


@attrs.frozen(kw_only=True)
class SignalSpec:
    """What one signal column holds (the contract of `StageSignals` and frames).

    Attributes:
        name: Column name (a `lendcrm.frames.columns` ``SIG_*`` constant).
        kind: ``bool``, ``int`` (whole numbers, stored as float64) or ``float``.
        lower: Smallest allowed value, if any.
        upper: Largest allowed value, if any.
    """

    name: str = attrs.field(validator=non_empty_str)
    kind: Literal["bool", "int", "float"] = attrs.field(
        validator=one_of(("bool", "int", "float"))
    )
    lower: float | None = attrs.field(default=None, validator=optional(finite_number))
    upper: float | None = attrs.field(default=None, validator=optional(finite_number))

    def __attrs_post_init__(self) -> None:
        """The bounds in order."""
        check_bounds(self.lower, self.upper)


#: Every signal the built-in rules read, in `StageSignals` field order.
SIGNAL_SPECS: Final[tuple[SignalSpec, ...]] = (
    SignalSpec(name=schema.SIG_HAS_FACILITY, kind="bool"),
    SignalSpec(name=schema.SIG_HAS_DRAWN, kind="bool"),
    SignalSpec(name=schema.SIG_MONTHS_SINCE_FIRST_DRAWDOWN, kind="int", lower=0),
    SignalSpec(name=schema.SIG_TENURE_MONTHS, kind="int", lower=0),
    SignalSpec(name=schema.SIG_EXPOSURE_GROWTH_YOY, kind="float", lower=-1),
    SignalSpec(name=schema.SIG_REVENUE_GROWTH_YOY, kind="float"),
    SignalSpec(name=schema.SIG_PRODUCT_COUNT_CHANGE, kind="int"),
    SignalSpec(name=schema.SIG_UTILISATION_CHANGE, kind="float", lower=-1, upper=1),
    SignalSpec(name=schema.SIG_RATING_NOTCHES_MOVED, kind="int"),
    SignalSpec(name=schema.SIG_ON_WATCHLIST, kind="bool"),
    SignalSpec(name=schema.SIG_DAYS_PAST_DUE, kind="int", lower=0),
    SignalSpec(name=schema.SIG_COVENANT_BREACHES, kind="int", lower=0),
    SignalSpec(name=schema.SIG_HAS_DSCR, kind="bool"),
    SignalSpec(name=schema.SIG_DSCR_HEADROOM, kind="float"),
)


@attrs.frozen(kw_only=True, eq=False)
class StageSignals:
    """Per-client lifecycle signals as aligned arrays, shape ``(n,)`` each.

    Build it with `from_columns` (validated) or from a frame with
    `lendcrm.lifecycle.frames.signals_from_frame`. Growth rates and utilisation
    changes are fractions (0.1 means +10 %); counts and months are whole numbers
    stored as float64; ``rating_notches_moved`` is positive for downgrades.

    Attributes:
        as_of: The date the signals describe.
        has_facility: The client holds at least one facility.
        has_drawn: The client has drawn at least once.
        months_since_first_drawdown: Whole months (0 when never drawn).
        tenure_months: Whole months since onboarding.
        exposure_growth_yoy: Exposure growth over a year, >= -1.
        revenue_growth_yoy: Growth of revenue to the bank over a year.
        product_count_change: Change in products held over twelve months.
        utilisation_change: Change in drawn / limit over twelve months, in [-1, 1].
        rating_notches_moved: Rating notches moved over twelve months (+ = worse).
        on_watchlist: On the credit watchlist.
        days_past_due: Days past due, >= 0.
        covenant_breaches: Covenant breaches in the last twelve months, >= 0.
        has_dscr: Holds a project-finance facility with a DSCR test.
        dscr_headroom: Latest DSCR minus the lock-up level (0 without a DSCR test).
    """

    as_of: dt.date
    has_facility: BoolArray
    has_drawn: BoolArray
    months_since_first_drawdown: FloatArray
    tenure_months: FloatArray
    exposure_growth_yoy: FloatArray
    revenue_growth_yoy: FloatArray
    product_count_change: FloatArray
    utilisation_change: FloatArray
    rating_notches_moved: FloatArray
    on_watchlist: BoolArray
    days_past_due: FloatArray
    covenant_breaches: FloatArray
    has_dscr: BoolArray
    dscr_headroom: FloatArray

    def __len__(self) -> int:
        """Number of clients."""
        return len(self.has_drawn)

    @classmethod
    def from_columns(
        cls, columns: Mapping[str, npt.ArrayLike], *, as_of: dt.date
    ) -> StageSignals:
        """Validate and align the signal columns (keys are the ``SIG_*`` names).

        Extra keys are ignored.

        Raises:
            SchemaError: a signal is missing.
            InvalidValueError: a value is NaN, infinite, out of range, not whole
                where it must be, or not boolean; names ``signals.<column>[i]``.

        Examples:
            >>> import datetime as dt
            >>> cols = example_columns()
            >>> len(StageSignals.from_columns(cols, as_of=dt.date(2026, 6, 30)))
            3
        """
        check_as_of(as_of)
        missing = [s.name for s in SIGNAL_SPECS if s.name not in columns]
        if missing:
            raise SchemaError(frame="signals", missing=missing, known=list(columns))
        arrays: dict[str, npt.NDArray[np.generic]] = {}
        for spec in SIGNAL_SPECS:
            name = f"signals.{spec.name}"
            if spec.kind == "bool":
                arrays[spec.name] = as_bool_array(columns[spec.name], name=name)
                continue
            values = as_float_array(
                columns[spec.name], name=name, lower=spec.lower, upper=spec.upper
            )
            if spec.kind == "int":
                bad = values != np.round(values)
                if bad.any():
                    i = int(np.argmax(bad))
                    raise InvalidValueError(
                        field=f"{name}[{i}]",
                        value=float(values[i]),
                        expected=range_text(
                            spec.lower, spec.upper, lower_open=False, upper_open=False
                        ).replace("a finite number", "a whole number"),
                    )
            arrays[spec.name] = values
        check_same_length(**{f"signals.{k}": v for k, v in arrays.items()})
        return signals_unchecked(arrays, as_of=as_of)


def signals_unchecked(
    arrays: Mapping[str, npt.ArrayLike], *, as_of: dt.date
) -> StageSignals:
    """Build `StageSignals` from arrays already checked (the frames adapter checks).

    Not part of the public API: no validation happens here.
    """

    def b(name: str) -> BoolArray:
        return np.asarray(arrays[name], dtype=np.bool_)

    def f(name: str) -> FloatArray:
        return np.asarray(arrays[name], dtype=np.float64)

    return StageSignals(
        as_of=as_of,
        has_facility=b(schema.SIG_HAS_FACILITY),
        has_drawn=b(schema.SIG_HAS_DRAWN),
        months_since_first_drawdown=f(schema.SIG_MONTHS_SINCE_FIRST_DRAWDOWN),
        tenure_months=f(schema.SIG_TENURE_MONTHS),
        exposure_growth_yoy=f(schema.SIG_EXPOSURE_GROWTH_YOY),
        revenue_growth_yoy=f(schema.SIG_REVENUE_GROWTH_YOY),
        product_count_change=f(schema.SIG_PRODUCT_COUNT_CHANGE),
        utilisation_change=f(schema.SIG_UTILISATION_CHANGE),
        rating_notches_moved=f(schema.SIG_RATING_NOTCHES_MOVED),
        on_watchlist=b(schema.SIG_ON_WATCHLIST),
        days_past_due=f(schema.SIG_DAYS_PAST_DUE),
        covenant_breaches=f(schema.SIG_COVENANT_BREACHES),
        has_dscr=b(schema.SIG_HAS_DSCR),
        dscr_headroom=f(schema.SIG_DSCR_HEADROOM),
    )


def example_columns() -> dict[str, list[float] | list[bool] | list[int]]:
    """Three clients' signals, for examples: a prospect, a grower, a distressed one.

    Examples:
        >>> sorted(example_columns())[:2]
        ['covenant_breaches', 'days_past_due']
    """
    return {
        schema.SIG_HAS_FACILITY: [False, True, True],
        schema.SIG_HAS_DRAWN: [False, True, True],
        schema.SIG_MONTHS_SINCE_FIRST_DRAWDOWN: [0, 30, 60],
        schema.SIG_TENURE_MONTHS: [2, 40, 96],
        schema.SIG_EXPOSURE_GROWTH_YOY: [0.0, 0.25, -0.05],
        schema.SIG_REVENUE_GROWTH_YOY: [0.0, 0.12, -0.30],
        schema.SIG_PRODUCT_COUNT_CHANGE: [0, 1, -1],
        schema.SIG_UTILISATION_CHANGE: [0.0, 0.05, 0.35],
        schema.SIG_RATING_NOTCHES_MOVED: [0, 0, 3],
        schema.SIG_ON_WATCHLIST: [False, False, True],
        schema.SIG_DAYS_PAST_DUE: [0, 0, 45],
        schema.SIG_COVENANT_BREACHES: [0, 0, 1],
        schema.SIG_HAS_DSCR: [False, True, True],
        schema.SIG_DSCR_HEADROOM: [0.0, 0.35, -0.10],
    }
