"""Row rules as masks: which rows break which rule (private to `lendcrm.frames.mapping`).

`check_frame` reports each broken rule by its first row labels; quarantine needs the
whole mask. `spec_rules` evaluates the same rules as `check_frame` (and the facilities'
and projects' cross-column rules of `validate_facilities_frame` and
`validate_projects_frame`) and returns one `RowRule` per broken rule; its messages are
those of `check_frame`, which the tests check rule by rule.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from lendcrm._messages import range_text
from lendcrm.errors import InvalidRowsError
from lendcrm.frames._check import may_miss, rows_error
from lendcrm.frames._specs import ColumnSpec
from lendcrm.frames._text_keys import proven_unique_text
from lendcrm.frames._utf8 import fixed_width_within, utf8_of
from lendcrm.frames.columns import (
    ALLOWS_OVERDRAW,
    DEBT,
    DRAWN,
    EQUITY,
    LIMIT,
    MATURITY_ON,
    START_ON,
    TOTAL_COST,
)

__all__ = ["RowRule", "cross_rules", "passes_spec", "reasons_of", "spec_rules"]


@attrs.frozen(kw_only=True, eq=False)
class RowRule:
    """One broken rule of one frame: the rows that break it and what was expected.

    Attributes:
        frame: The frame's name.
        column: The column the rule checks.
        mask: The rows that break it (by position).
        expected: What the column must hold, as in the messages.
        shown: The values shown for the rows (default: the column itself).
        raw: Whether ``shown`` are texts to show as they are (not their repr).
        where: Said in the error after ``expected`` (e.g. the first row's position),
            not in each quarantined row's reason.
    """

    frame: str
    column: str
    mask: npt.NDArray[np.bool_]
    expected: str
    shown: pd.Series | None = None
    raw: bool = False
    where: str = ""

    def error(self, frame: pd.DataFrame) -> InvalidRowsError:
        """The rule's `InvalidRowsError`, as `check_frame` builds it."""
        table = frame if self.shown is None else self.shown.to_frame(self.column)
        expected = f"{self.expected} ({self.where})" if self.where else self.expected
        return rows_error(self.frame, table, self.column, self.mask, expected)


def reasons_of(rule: RowRule, frame: pd.DataFrame) -> list[str]:
    """One reason per row of the rule's mask, in row order."""
    column = frame[rule.column] if rule.shown is None else rule.shown
    cells = column.iloc[np.flatnonzero(rule.mask)].to_numpy(dtype=object)
    texts = [str(v) if rule.raw else repr(_plain(v)) for v in cells]
    return [f"`{rule.column}` must be {rule.expected}; got {t}" for t in texts]


def _plain(value: object) -> object:
    if isinstance(value, np.generic):
        return value.item()
    if value is pd.NaT or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return value


def _number_mask(
    values: npt.NDArray[np.float64], present: npt.NDArray[np.bool_], spec: ColumnSpec
) -> tuple[npt.NDArray[np.bool_], str]:
    bad = present & ~np.isfinite(values)
    with np.errstate(invalid="ignore"):
        if spec.lower is not None:
            low = (values <= spec.lower) if spec.lower_open else (values < spec.lower)
            bad |= present & low
        if spec.upper is not None:
            high = (values >= spec.upper) if spec.upper_open else (values > spec.upper)
            bad |= present & high
    expected = range_text(
        spec.lower, spec.upper, lower_open=spec.lower_open, upper_open=spec.upper_open
    )
    if spec.kind == "int":
        bad |= present & np.isfinite(values) & (values != np.round(values))
        expected = expected.replace("a finite number", "a whole number")
    return bad, expected


def passes_spec(col: pd.Series, spec: ColumnSpec) -> bool:
    """Whether a number or category column is shown to break no rule of ``spec``.

    A few whole-column passes, as `check_frame` does before naming rows: numbers of a
    numpy dtype finite (or missing, if nullable), whole for an ``int`` spec and
    within bounds; Arrow or Python-string text whose codes of one width or distinct
    values are all allowed (no missing value). ``False`` means "not shown": the
    masks are computed.
    """
    dtype = col.dtype
    if spec.kind == "category" and spec.allowed is not None:
        allowed = spec.allowed
        if not isinstance(dtype, pd.StringDtype):
            return False
        utf8 = utf8_of(col) if dtype.storage == "pyarrow" else None
        within = None if utf8 is None else fixed_width_within(utf8, allowed)
        if within is not None:
            return within
        distinct = col.unique()  # a missing value shows up as a non-str
        return all(isinstance(v, str) and v in allowed for v in distinct)
    if spec.kind not in {"float", "int"} or not isinstance(dtype, np.dtype):
        return False
    if dtype.kind not in "iuf" or (
        dtype.kind == "f" and spec.kind == "int" and spec.nullable
    ):
        return False  # a missing whole number: the masks tell it apart
    values = col.to_numpy()
    bad = np.zeros(len(values), dtype=np.bool_)
    if dtype.kind == "f":
        bad = np.isinf(values) if spec.nullable else ~np.isfinite(values)
        if spec.kind == "int":
            bad |= values != np.round(values)
    with np.errstate(invalid="ignore"):  # NaN compares false: not out of bounds
        if spec.lower is not None:
            bad |= (values <= spec.lower) if spec.lower_open else (values < spec.lower)
        if spec.upper is not None:
            bad |= (values >= spec.upper) if spec.upper_open else (values > spec.upper)
    return not bool(bad.any())


def _spec_rules(frame: pd.DataFrame, spec: ColumnSpec, name: str) -> list[RowRule]:
    col = frame[spec.name]
    if passes_spec(col, spec):
        return []
    coded = spec.kind == "category" and spec.allowed is not None
    if (
        spec.kind not in {"float", "int"}
        and not coded
        and (spec.nullable or not may_miss(col))
    ):
        return []  # "present" is its only rule: no mask of missing rows needed
    null = col.isna().to_numpy(dtype=np.bool_)
    rules: list[RowRule] = []
    if not spec.nullable and null.any():
        rules.append(RowRule(frame=name, column=spec.name, mask=null,
                             expected="present (not missing)"))  # fmt: skip
    if spec.kind == "category" and spec.allowed is not None:
        bad = ~null & ~col.isin(list(spec.allowed)).to_numpy(dtype=np.bool_)
        shown = spec.allowed_text or "one of " + ", ".join(
            sorted(repr(a) for a in spec.allowed)
        )
        if bad.any():
            rules.append(
                RowRule(frame=name, column=spec.name, mask=bad, expected=shown)
            )
    elif spec.kind in {"float", "int"}:
        values = col.to_numpy(dtype=np.float64, na_value=np.nan)
        bad, expected = _number_mask(values, ~null, spec)
        if bad.any():
            rules.append(
                RowRule(frame=name, column=spec.name, mask=bad, expected=expected)
            )
    return rules


def spec_rules(
    frame: pd.DataFrame,
    specs: Sequence[ColumnSpec],
    name: str,
    unique: Sequence[str] = (),
) -> list[RowRule]:
    """Every broken rule of ``specs`` on ``frame`` (schema already checked)."""
    rules = [
        rule
        for spec in specs
        if spec.name in frame.columns
        for rule in _spec_rules(frame, spec, name)
    ]
    for column in unique:
        if proven_unique_text(frame[column]):
            continue  # Arrow text shown distinct from its buffers: no repeat to name
        dup = frame[column].duplicated(keep="first").to_numpy(dtype=np.bool_)
        if dup.any():
            rules.append(RowRule(frame=name, column=column, mask=dup,
                                 expected="unique (no duplicate ids)"))  # fmt: skip
    return rules


def cross_rules(frame: pd.DataFrame, name: str) -> list[RowRule]:
    """The cross-column rules of the facilities and projects frames."""
    masks: list[tuple[str, npt.NDArray[np.bool_], str]] = []
    if name == "facilities":
        limit = frame[LIMIT].to_numpy(dtype=np.float64, na_value=np.nan)
        drawn = frame[DRAWN].to_numpy(dtype=np.float64, na_value=np.nan)
        overdraw = frame[ALLOWS_OVERDRAW].fillna(value=False).to_numpy(dtype=np.bool_)
        start = frame[START_ON].to_numpy(dtype="datetime64[ns]")
        maturity = frame[MATURITY_ON].to_numpy(dtype="datetime64[ns]")
        masks.append((DRAWN, (drawn > limit) & ~overdraw,
                      f"at most `{LIMIT}` unless `{ALLOWS_OVERDRAW}`"))  # fmt: skip
        masks.append((MATURITY_ON, maturity <= start, f"a date after `{START_ON}`"))
    if name == "projects":
        total = frame[TOTAL_COST].to_numpy(dtype=np.float64, na_value=np.nan)
        debt = frame[DEBT].to_numpy(dtype=np.float64, na_value=np.nan)
        equity = frame[EQUITY].to_numpy(dtype=np.float64, na_value=np.nan)
        off = np.abs(debt + equity - total) > 1e-12 * np.abs(total)
        masks.append((EQUITY, off, f"`{TOTAL_COST}` - `{DEBT}`"))
    return [
        RowRule(frame=name, column=column, mask=mask, expected=expected)
        for column, mask, expected in masks
        if mask.any()
    ]
