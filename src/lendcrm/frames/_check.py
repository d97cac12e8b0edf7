"""Vectorised frame validation: `check_frame` for every frames adapter, and the core frames.

A frame is checked in one pass per rule: missing or unexpected columns, dtypes, nulls,
non-finite values, bounds and allowed values. Every failing rule becomes one child
`InvalidRowsError` (naming the first offending row labels); all of them are raised
together as one `BatchValidationError`, so the caller sees every problem at once.
The clients, facilities and projects frames add their cross-column rules
(`validate_facilities_frame` and friends).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from lendcrm._messages import range_text
from lendcrm.errors import (
    BatchValidationError,
    InvalidRowsError,
    InvalidValueError,
    LendCRMError,
    SchemaError,
)
from lendcrm.frames._frame_args import check_frame_arguments, check_frame_object
from lendcrm.frames._id_rule import id_rule_errors
from lendcrm.frames._specs import (
    CLIENT_SPECS,
    FACILITY_SPECS,
    PROJECT_SPECS,
    ColumnKind,
    ColumnSpec,
)
from lendcrm.frames._text_keys import proven_unique_bytes
from lendcrm.frames._utf8 import MAX_CODE_WIDTH, ColumnTexts, fixed_width_within
from lendcrm.frames.columns import (
    ALLOWS_OVERDRAW,
    CLIENT_ID,
    DEBT,
    DRAWN,
    EQUITY,
    FACILITY_ID,
    LIMIT,
    MATURITY_ON,
    PROJECT_ID,
    START_ON,
    TOTAL_COST,
)


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


#: NaT as an int64 (the least int64).
_NAT: Final = np.iinfo(np.int64).min

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
    frame_name: str, frame: pd.DataFrame, spec: ColumnSpec, texts: ColumnTexts
) -> list[LendCRMError]:
    """Allowed values and nulls of a category column; one ``isin`` when all is well."""
    col = frame[spec.name]
    if _categories_allowed(col, spec, texts):
        return []
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


def _categories_allowed(col: pd.Series, spec: ColumnSpec, texts: ColumnTexts) -> bool:
    """Whether a categorical or text column holds only allowed values, no nulls.

    Checks the few distinct values (the categories, or a hashed ``unique``) instead
    of every row, or reads codes of one width (``EUR``) as integers from the Arrow
    bytes; ``False`` leaves the row check (which names the rows) to the caller.
    """
    dtype = col.dtype
    allowed = spec.allowed or ()
    if isinstance(dtype, pd.CategoricalDtype):
        if not all(isinstance(c, str) and c in allowed for c in dtype.categories):
            return False
        return bool((col.cat.codes.to_numpy() >= 0).all())
    widths = {len(a.encode("utf-8")) for a in allowed}
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow" and widths:
        utf8 = texts.of(spec.name) if max(widths) <= MAX_CODE_WIDTH else None
        within = None if utf8 is None else fixed_width_within(utf8, allowed)
        if within is not None:  # codes of one width, no nulls: read as integers
            return within
    if isinstance(dtype, pd.StringDtype):
        distinct = col.unique()  # a missing value shows up as a non-str
        return len(distinct) <= len(allowed) and all(
            isinstance(v, str) and v in allowed for v in distinct
        )
    return False


def _numbers_ok(col: pd.Series, spec: ColumnSpec) -> bool:
    """Whether a numpy-backed number column passes every rule, in a few passes.

    Integer columns are finite and whole by their dtype: only their least and
    greatest values are compared with the bounds. Float columns: the least and
    greatest values (ignoring NaN when nullable: ``fmin``/``fmax``) must be finite
    and within bounds; NaN in a column that may not miss a value makes them NaN,
    which fails. An ``int`` spec on floats also needs whole numbers. ``False`` leaves
    the full check (which names the rows) to the caller.
    """
    dtype = col.dtype
    if not isinstance(dtype, np.dtype) or dtype.kind not in "iuf":
        return False
    values = col.to_numpy()
    if len(values) == 0:
        return True
    if dtype.kind != "f":
        return _within(values.min(), values.max(), spec)  # exact for any integer
    if spec.kind == "int" and (
        spec.nullable or bool((values != np.round(values)).any())
    ):
        return False  # the full check tells NaN and fractions apart
    if spec.nullable:  # NaN is allowed: ignored by fmin/fmax
        low, high = float(np.fmin.reduce(values)), float(np.fmax.reduce(values))
        if np.isnan(low):
            return True  # every value is missing
    else:
        low, high = float(values.min()), float(values.max())
    return bool(np.isfinite(low) and np.isfinite(high)) and _within(low, high, spec)


def may_miss(col: pd.Series) -> bool:
    """Whether ``col`` may hold a missing value; ``False`` only when it surely does not.

    A numpy bool column cannot miss one; a numpy datetime column misses one exactly
    when its least value (as integers) is NaT's. One reduction, no mask of rows.
    """
    dtype = col.dtype
    if not isinstance(dtype, np.dtype) or len(col) == 0:
        return True
    if dtype.kind == "b":
        return False
    if dtype.kind in "mM":
        return int(col.to_numpy().view(np.int64).min()) == _NAT
    return True


def _within(low: float, high: float, spec: ColumnSpec) -> bool:
    """Whether the least and greatest values lie within the spec's bounds."""
    if spec.lower is not None and (
        low <= spec.lower if spec.lower_open else low < spec.lower
    ):
        return False
    return spec.upper is None or not (
        high >= spec.upper if spec.upper_open else high > spec.upper
    )


def check_unique_labels(frame: pd.DataFrame, frame_name: str) -> None:
    """Refuse repeated column names and repeated row labels (index) of ``frame``.

    A repeated column makes ``frame[name]`` a frame, a repeated row label makes every
    alignment by label ambiguous: both are named here instead of failing in pandas.
    Both checks are cached by pandas (a RangeIndex is unique by construction).

    Raises:
        InvalidValueError: a column name appears twice (lists the repeated names).
        InvalidRowsError: a row label appears twice; names the later rows' labels
            and the position of the first repeat.

    Examples:
        >>> import pandas as pd
        >>> check_unique_labels(pd.DataFrame({"a": [1, 2]}, index=["x", "x"]), "t")
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidRowsError: `t['x'].index` must be a row label no earlier row has (row labels are unique; first repeat at position 1); got 'x'. 1 row fails this rule: 'x'.
    """
    check_frame_object(frame, frame_name)
    if not frame.columns.is_unique:
        repeated = frame.columns[frame.columns.duplicated()].unique()
        raise InvalidValueError(
            field=f"{frame_name}.columns",
            value=[_plain(c) for c in repeated],
            expected="unique column names (each column once)",
        )
    repeated_rows = _repeated_rows(frame, frame_name)
    if repeated_rows is not None:
        raise repeated_rows


def _repeated_rows(frame: pd.DataFrame, frame_name: str) -> InvalidRowsError | None:
    if frame.index.is_unique:
        return None
    positions = np.flatnonzero(frame.index.duplicated(keep="first"))
    return InvalidRowsError(
        frame=frame_name,
        column="index",
        rows=[_plain(v) for v in frame.index[positions[:5]]],
        count=len(positions),
        value=_plain(frame.index[positions[0]]),
        expected="a row label no earlier row has (row labels are unique; first "
        f"repeat at position {int(positions[0])})",
    )


def _column_errors(
    frame_name: str, frame: pd.DataFrame, spec: ColumnSpec, texts: ColumnTexts
) -> list[LendCRMError]:
    """The failures of one column's rules (nulls, range, whole numbers, values)."""
    col = frame[spec.name]
    if spec.kind == "category" and spec.allowed is not None:
        return _category_errors(frame_name, frame, spec, texts)
    numeric = spec.kind in {"float", "int"}
    if numeric and _numbers_ok(col, spec):
        return []
    if not numeric and (spec.nullable or not may_miss(col)):
        return []  # any value of the dtype (or missing), or surely none missing
    errors: list[LendCRMError] = []
    null = col.isna().to_numpy()
    if not spec.nullable and null.any():
        errors.append(
            rows_error(frame_name, frame, spec.name, null, "present (not missing)")
        )
    if not numeric:
        return errors
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
    return errors


def _unique_errors(
    frame_name: str, frame: pd.DataFrame, column: str, texts: ColumnTexts
) -> list[LendCRMError]:
    """The repeated values of an id column, as one error naming the later rows."""
    if proven_unique_bytes(texts.of(column)):
        return []  # text, shown distinct from its bytes
    values = frame[column].to_numpy()
    if values.dtype == object and len(set(values)) == len(values):
        return []  # all distinct: a Python set is faster than pandas on strings
    dup = frame[column].duplicated(keep="first").to_numpy()
    if dup.any():
        return [rows_error(frame_name, frame, column, dup, "unique (no duplicate ids)")]
    return []


def check_frame(
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
        InvalidValueError: ``frame`` is not a DataFrame, or repeats a column name.
        SchemaError: columns are missing (or unexpected) or dtypes are wrong; raised
            alone, because row checks on a broken schema would mislead.
        BatchValidationError: one `InvalidRowsError` child per failing rule, and one
            for repeated row labels (see `check_unique_labels`) after the others.

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
    check_frame_arguments(frame, specs, unique, frame_name)
    if not frame.columns.is_unique:
        check_unique_labels(frame, frame_name)  # before any frame[name] is read
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
    texts = ColumnTexts(frame)  # each text column's bytes read once
    for spec in specs:
        if spec.name in frame.columns:
            errors.extend(_column_errors(frame_name, frame, spec, texts))
    errors.extend(id_rule_errors(frame_name, frame, names, texts))
    for column in unique:
        errors.extend(_unique_errors(frame_name, frame, column, texts))
    repeated_rows = _repeated_rows(frame, frame_name)  # after the rules on the rows
    if repeated_rows is not None:
        errors.append(repeated_rows)
    if errors:
        raise BatchValidationError(errors, total=len(frame))


def check_with_rules(
    frame: pd.DataFrame,
    specs: Sequence[ColumnSpec],
    name: str,
    unique: Sequence[str],
    extra_rules: Callable[[pd.DataFrame], list[LendCRMError]],
    *,
    require_rows: bool = True,
) -> None:
    """`check_frame`, then ``extra_rules``; every problem of both raised at once."""
    errors: list[LendCRMError] = []
    try:
        check_frame(
            frame, specs, frame_name=name, require_rows=require_rows, unique=unique
        )
    except BatchValidationError as exc:
        errors.extend(exc.exceptions)  # type: ignore[arg-type]
    errors.extend(extra_rules(frame))
    if errors:
        raise BatchValidationError(errors, total=len(frame))


def no_rules(_frame: pd.DataFrame) -> list[LendCRMError]:
    """No rules beyond the column specs."""
    return []


def rule_errors(
    frame: pd.DataFrame,
    mask: npt.NDArray[np.bool_],
    name: str,
    column: str,
    expected: str,
) -> list[LendCRMError]:
    """One `InvalidRowsError` for the rows of ``mask``, or none if it is all false."""
    return [rows_error(name, frame, column, mask, expected)] if mask.any() else []


def validate_clients_frame(frame: pd.DataFrame) -> None:
    """Check a clients frame in one vectorised pass; raise every problem at once.

    Rules: the `CLIENTS_DTYPES` columns are present with compatible dtypes
    (``measured_on`` is optional here; extra columns are allowed); at least one row; ids unique and present; amounts finite and
    >= 0 (``profit_to_bank`` may be negative); counts whole and >= 0; PD in [0, 1] or
    missing; sector, country and currency codes known.

    Raises:
        InvalidValueError: ``frame`` is not a DataFrame, or has no rows.
        SchemaError: missing or misspelled columns, or wrong dtypes.
        BatchValidationError: one `InvalidRowsError` per broken rule, naming the first
            offending row labels.

    Examples:
        >>> from lendcrm import Book
        >>> from lendcrm.frames import clients_frame
        >>> frame = clients_frame(Book())
        >>> validate_clients_frame(frame)
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `clients` must be at least one row; got 'an empty frame'.
    """
    check_with_rules(frame, CLIENT_SPECS, "clients", (CLIENT_ID,), no_rules)


def _facility_rules(frame: pd.DataFrame) -> list[LendCRMError]:
    limit = frame[LIMIT].to_numpy(dtype=np.float64, na_value=np.nan)
    drawn = frame[DRAWN].to_numpy(dtype=np.float64, na_value=np.nan)
    overdraw = frame[ALLOWS_OVERDRAW].to_numpy(dtype=np.bool_)
    start = frame[START_ON].to_numpy(dtype="datetime64[ns]")
    maturity = frame[MATURITY_ON].to_numpy(dtype="datetime64[ns]")
    return [
        *rule_errors(frame, (drawn > limit) & ~overdraw, "facilities", DRAWN,
               f"at most `{LIMIT}` unless `{ALLOWS_OVERDRAW}`"),
        *rule_errors(frame, maturity <= start, "facilities", MATURITY_ON,
               f"a date after `{START_ON}`"),
    ]  # fmt: skip


def validate_facilities_frame(frame: pd.DataFrame) -> None:
    """Check a facilities frame in one vectorised pass; raise every problem at once.

    Rules: the `FACILITIES_DTYPES` columns (the derived ``collateral_value`` and
    ``guaranteed_amount`` are optional); at least one row; unique ids; limit, drawn and
    fees finite and >= 0; drawn <= limit unless ``allows_overdraw``; maturity after
    start; PD, LGD and CCF in [0, 1] or missing; whole basis points; known codes.

    Raises:
        InvalidValueError: ``frame`` is not a DataFrame, or has no rows.
        SchemaError: missing or misspelled columns, or wrong dtypes.
        BatchValidationError: one `InvalidRowsError` per broken rule.

    Examples:
        >>> validate_facilities_frame({"limit": [1.0]})
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `facilities` must be a pandas DataFrame; got 'dict'.
    """
    check_with_rules(
        frame, FACILITY_SPECS, "facilities", (FACILITY_ID,), _facility_rules
    )


def _project_rules(frame: pd.DataFrame) -> list[LendCRMError]:
    total = frame[TOTAL_COST].to_numpy(dtype=np.float64, na_value=np.nan)
    debt = frame[DEBT].to_numpy(dtype=np.float64, na_value=np.nan)
    equity = frame[EQUITY].to_numpy(dtype=np.float64, na_value=np.nan)
    off = np.abs(debt + equity - total) > 1e-12 * np.abs(total)
    return [
        *rule_errors(frame, off, "projects", EQUITY, f"`{TOTAL_COST}` - `{DEBT}`"),
    ]


def validate_projects_frame(frame: pd.DataFrame) -> None:
    """Check a projects frame in one vectorised pass; raise every problem at once.

    Rules: the `PROJECTS_DTYPES` columns (``percent_complete`` is optional); at least
    one row; unique ids; total cost > 0, debt and equity >= 0 with debt + equity =
    total cost (to 1e-12 relative); known codes.

    Raises:
        InvalidValueError: ``frame`` is not a DataFrame, or has no rows.
        SchemaError: missing or misspelled columns, or wrong dtypes.
        BatchValidationError: one `InvalidRowsError` per broken rule.

    Examples:
        >>> import pandas as pd
        >>> validate_projects_frame(pd.DataFrame({"project_id": ["P-1"]}))
        Traceback (most recent call last):
        ...
        lendcrm.errors.SchemaError: `projects.columns` must be the columns and dtypes of the projects schema; got missing ['name', 'sector', 'country', 'currency', 'total_cost', 'debt', 'equity', 'phase'].
    """
    check_with_rules(frame, PROJECT_SPECS, "projects", (PROJECT_ID,), _project_rules)
