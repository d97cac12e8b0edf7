"""Vectorised frame validation shared by every frames adapter of lendcrm.

A frame is checked in one pass per rule: missing or unexpected columns, dtypes, nulls,
non-finite values, bounds and allowed values. Every failing rule becomes one child
`InvalidRowsError` (naming the first offending row labels); all of them are raised
together as one `BatchValidationError`, so the caller sees every problem at once.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Literal

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from lendcrm._arrays import range_text
from lendcrm.errors import (
    BatchValidationError,
    InvalidRowsError,
    InvalidValueError,
    LendCRMError,
    SchemaError,
)

ColumnKind = Literal["float", "int", "bool", "str", "date", "category"]


@attrs.frozen(kw_only=True)
class ColumnSpec:
    """What one column must hold.

    Attributes:
        name: Column name.
        kind: ``float`` (any real dtype, checked finite), ``int`` (integer dtype, or
            floats that are whole numbers), ``bool``, ``str`` (object/string dtype),
            ``date`` (datetime64) or ``category`` (str values from ``allowed``).
        nullable: Whether missing values are allowed (never for float bounds checks).
        lower: Smallest allowed value, for numbers.
        upper: Largest allowed value, for numbers.
        lower_open: Exclude ``lower``.
        upper_open: Exclude ``upper``.
        allowed: Allowed values, for ``category`` columns.
        required: Whether the column must be present.
        allowed_text: How messages describe ``allowed`` (default: the values listed),
            e.g. ``"an active ISO 4217 currency code"`` for long lists.
    """

    name: str
    kind: ColumnKind
    nullable: bool = False
    lower: float | None = None
    upper: float | None = None
    lower_open: bool = False
    upper_open: bool = False
    allowed: Collection[str] | None = None
    required: bool = True
    allowed_text: str = ""


def _dtype_ok(series: pd.Series, kind: ColumnKind) -> bool:
    dtype = series.dtype
    if kind in {"float", "int"}:
        return bool(
            pd.api.types.is_numeric_dtype(dtype)
        ) and not pd.api.types.is_bool_dtype(dtype)
    if kind == "bool":
        return bool(pd.api.types.is_bool_dtype(dtype))
    if kind == "date":
        return bool(pd.api.types.is_datetime64_any_dtype(dtype))
    return bool(
        pd.api.types.is_object_dtype(dtype)
        or pd.api.types.is_string_dtype(dtype)
        or isinstance(dtype, pd.CategoricalDtype)
    )


_KIND_TEXT = {
    "float": "a numeric dtype (float64)",
    "int": "an integer dtype",
    "bool": "bool",
    "str": "a string dtype",
    "date": "datetime64",
    "category": "a string dtype",
}


def rows_error(
    frame_name: str,
    frame: pd.DataFrame,
    column: str,
    mask: npt.NDArray[np.bool_],
    expected: str,
) -> InvalidRowsError:
    positions = np.flatnonzero(mask)
    labels = [_plain(v) for v in frame.index[positions[:5]]]
    first = frame[column].iloc[int(positions[0])]
    return InvalidRowsError(
        frame=frame_name,
        column=column,
        rows=labels,
        count=len(positions),
        value=_plain(first),
        expected=expected,
    )


def _plain(value: object) -> object:
    return value.item() if isinstance(value, np.generic) else value


def _category_errors(
    frame_name: str, frame: pd.DataFrame, spec: ColumnSpec
) -> list[LendCRMError]:
    """Allowed values and nulls of a category column; one ``isin`` when all is well."""
    col = frame[spec.name]
    inside = col.isin(list(spec.allowed or ())).to_numpy()
    if inside.all():  # a missing value is never in `allowed`: no nulls either
        return []
    errors: list[LendCRMError] = []
    null = col.isna().to_numpy()
    if not spec.nullable and null.any():
        errors.append(
            rows_error(frame_name, frame, spec.name, null, "present (not missing)")
        )
    bad = ~null & ~inside
    if bad.any():
        shown = spec.allowed_text or "one of " + ", ".join(
            sorted(repr(a) for a in spec.allowed or ())
        )
        errors.append(rows_error(frame_name, frame, spec.name, bad, shown))
    return errors


def check_frame(  # noqa: C901, PLR0912 - one branch per documented rule
    frame: object,
    specs: Sequence[ColumnSpec],
    *,
    frame_name: str,
    allow_extra: bool = True,
    require_rows: bool = True,
    unique: Sequence[str] = (),
) -> None:
    """Check ``frame`` against ``specs``; raise every failure at once.

    Args:
        frame: The frame to check (anything else is refused).
        specs: One spec per column.
        frame_name: Name used in messages (``clients``, ``signals``...).
        allow_extra: Whether columns not in ``specs`` are allowed.
        require_rows: Whether an empty frame is an error.
        unique: Columns whose values must be unique (ids).

    Raises:
        InvalidValueError: ``frame`` is not a DataFrame.
        SchemaError: columns are missing (or unexpected) or dtypes are wrong; raised
            alone, because row checks on a broken schema would mislead.
        BatchValidationError: one `InvalidRowsError` child per failing rule.

    Examples:
        >>> import pandas as pd
        >>> specs = [ColumnSpec(name="limit", kind="float", lower=0)]
        >>> check_frame(pd.DataFrame({"limit": [1.0, -2.0]}), specs, frame_name="facilities")
        Traceback (most recent call last):
        ...
        lendcrm.errors.BatchValidationError: 1 of 2 rows are invalid: `facilities[1].limit` must be a finite number >= 0; got -2.0. 1 row fails this rule: 1. (1 sub-exception)
    """
    if not isinstance(frame, pd.DataFrame):
        raise InvalidValueError(
            field=frame_name, value=type(frame).__name__, expected="a pandas DataFrame"
        )
    names = [s.name for s in specs]
    missing = [s.name for s in specs if s.required and s.name not in frame.columns]
    extra = [] if allow_extra else [str(c) for c in frame.columns if c not in names]
    wrong = [
        (s.name, str(frame[s.name].dtype), _KIND_TEXT[s.kind])
        for s in specs
        if s.name in frame.columns and not _dtype_ok(frame[s.name], s.kind)
    ]
    if missing or extra or wrong:
        raise SchemaError(
            frame=frame_name,
            missing=missing,
            unexpected=extra,
            wrong_dtype=wrong,
            known=[str(c) for c in frame.columns],
        )
    if require_rows and len(frame) == 0:
        raise InvalidValueError(
            field=frame_name, value="an empty frame", expected="at least one row"
        )
    errors: list[LendCRMError] = []
    for spec in specs:
        if spec.name not in frame.columns:
            continue
        col = frame[spec.name]
        if spec.kind == "category" and spec.allowed is not None:
            errors.extend(_category_errors(frame_name, frame, spec))
            continue
        null = col.isna().to_numpy()
        if not spec.nullable and null.any():
            errors.append(
                rows_error(frame_name, frame, spec.name, null, "present (not missing)")
            )
        if spec.kind in {"float", "int"}:
            values = col.to_numpy(dtype=np.float64, na_value=np.nan)
            present = ~null
            bad = present & ~np.isfinite(values)
            expected = range_text(
                spec.lower,
                spec.upper,
                lower_open=spec.lower_open,
                upper_open=spec.upper_open,
            )
            if spec.lower is not None:
                bad |= present & (
                    (values <= spec.lower) if spec.lower_open else (values < spec.lower)
                )
            if spec.upper is not None:
                bad |= present & (
                    (values >= spec.upper) if spec.upper_open else (values > spec.upper)
                )
            if spec.kind == "int":
                bad |= present & np.isfinite(values) & (values != np.round(values))
                expected = expected.replace("a finite number", "a whole number")
            if bad.any():
                errors.append(rows_error(frame_name, frame, spec.name, bad, expected))
    for column in unique:
        values = frame[column].to_numpy()
        if values.dtype == object and len(set(values)) == len(values):
            continue  # all distinct: a Python set is faster than pandas on strings
        dup = frame[column].duplicated(keep="first").to_numpy()
        if dup.any():
            errors.append(
                rows_error(frame_name, frame, column, dup, "unique (no duplicate ids)")
            )
    if errors:
        raise BatchValidationError(errors, total=len(frame))
