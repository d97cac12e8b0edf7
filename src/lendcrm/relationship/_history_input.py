"""Reading history frames into codes and sorted keys (pandas stays here).

The history frames are the largest a book has (a monthly observation per facility is
twelve rows a year), so the reading is built to touch each row as few times as it
can: ids that arrive as a categorical whose categories are the owners' ids become
codes without hashing a string; a frame already ordered by owner and date is not
sorted again; and the column checks are reductions (a minimum, a maximum) that fall
back to `lendcrm.frames.check_frame`, whose messages name the rows, only when a rule
fails.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final, cast

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from lendcrm._arrays import IntArray
from lendcrm.errors import InvalidRowsError, UnknownReferenceError
from lendcrm.frames import ColumnSpec, check_frame
from lendcrm.relationship._history_keys import (
    History,
    history_keys,
    history_order,
    owner_starts,
)
from lendcrm.relationship._signals import NumberArray

#: Owner codes of records: int32 while they fit (half the memory of int64).
Codes = npt.NDArray[np.integer[Any]]

#: Units of a datetime64 column per day.
_PER_DAY: Final = {
    "D": 1,
    "h": 24,
    "m": 24 * 60,
    "s": 86_400,
    "ms": 86_400_000,
    "us": 86_400_000_000,
    "ns": 86_400_000_000_000,
}


def _in_bounds(low: float, high: float, spec: ColumnSpec) -> bool:
    above = (
        spec.lower is None
        or low > spec.lower
        or (low == spec.lower and not spec.lower_open)
    )
    below = (
        spec.upper is None
        or high < spec.upper
        or (high == spec.upper and not spec.upper_open)
    )
    return bool(above and below)


def _number_ok(values: np.ndarray, spec: ColumnSpec) -> bool:
    """Finite, in bounds, and whole where asked: by a minimum and a maximum."""
    kind = values.dtype.kind
    if spec.nullable or kind not in "iuf" or (spec.kind == "int" and kind == "f"):
        return False  # not sure: the full check decides
    low, high = values.min(), values.max()
    finite = kind != "f" or bool(np.isfinite(low) and np.isfinite(high))
    return finite and _in_bounds(low, high, spec)


def _column_ok(series: pd.Series, spec: ColumnSpec) -> bool:
    """Whether a column passes ``spec`` for sure, by reductions only.

    ``False`` means "not sure": the caller runs the full check, which words the error.
    """
    if len(series) == 0:
        return True
    if spec.kind == "str":
        if isinstance(series.dtype, pd.CategoricalDtype):
            return spec.nullable or int(series.cat.codes.min()) >= 0
        return spec.nullable or not series.hasnans
    if spec.kind == "bool":
        return bool(series.dtype == np.bool_)
    values = series.to_numpy()
    if spec.kind == "date":
        return values.dtype.kind == "M" and (
            spec.nullable or not np.isnat(values.min())
        )
    return _number_ok(values, spec)


def check_columns(
    frame: object, specs: Sequence[ColumnSpec], *, frame_name: str
) -> pd.DataFrame:
    """`check_frame` (schema and rows), with the row rules run as reductions first.

    Returns:
        The frame, checked.

    Raises:
        InvalidValueError: not a DataFrame, or a column name repeated.
        InvalidRowsError: a row label repeated.
        SchemaError: columns missing or of the wrong dtype.
        BatchValidationError: rows break a rule (names them).
    """
    empty = frame.iloc[:0] if isinstance(frame, pd.DataFrame) else frame
    check_frame(empty, specs, frame_name=frame_name, require_rows=False)
    checked = cast("pd.DataFrame", frame)  # check_frame refused anything else
    columns = checked.columns
    if not checked.index.is_unique or not all(
        _column_ok(checked[s.name], s) for s in specs if s.name in columns
    ):  # the full check names repeated row labels and failing rows
        check_frame(checked, specs, frame_name=frame_name, require_rows=False)
    return checked


def date_stamps(series: pd.Series) -> tuple[IntArray, int]:
    """A checked date column as integers and their units per day.

    ``stamps // per_day`` are the days since 1970-01-01; no copy is made for the
    usual ``datetime64[ns]`` column.
    """
    values = series.to_numpy()
    if values.dtype.kind != "M":
        values = series.to_numpy(dtype="datetime64[ns]")
    unit, count = np.datetime_data(values.dtype)
    per_day = _PER_DAY[unit] // count if unit in _PER_DAY else 0
    if per_day < 1 or _PER_DAY[unit] % count:
        days: IntArray = values.astype("datetime64[D]").astype(np.int64)
        return days, 1
    stamps: IntArray = values.view(np.int64)
    return stamps, per_day


def day_numbers(series: pd.Series) -> IntArray:
    """Days since 1970-01-01 of a checked date column (no missing values)."""
    stamps, per_day = date_stamps(series)
    days: IntArray = stamps // per_day
    return days


@attrs.define
class Owners:
    """The ids records point to (clients or facilities), and the frame holding them.

    Attributes:
        frame: The owners' frame (its index labels the rows in messages).
        frame_name: Its name in messages (``clients``, ``facilities``).
        kind: What an owner is (``client``, ``facility``).
        index: The owners' ids, in the frame's order.
        unique: Whether the ids are known to be unique (checked, or the categories
            of a categorical that matched them).
    """

    frame: pd.DataFrame
    frame_name: str
    kind: str
    index: pd.Index
    unique: bool = False

    @classmethod
    def of(
        cls, frame: pd.DataFrame, column: str, *, frame_name: str, kind: str
    ) -> Owners:
        """The owners of a checked frame whose ``column`` holds their ids."""
        return cls(
            frame=frame, frame_name=frame_name, kind=kind, index=pd.Index(frame[column])
        )

    def check_unique(self) -> None:
        """Refuse an id listed twice, naming the row.

        Raises:
            InvalidRowsError: an id repeats.
        """
        if self.unique or _strictly_increasing(self.index):
            self.unique = True
            return
        if self.index.has_duplicates:
            positions = np.flatnonzero(np.asarray(self.index.duplicated(keep="first")))
            raise InvalidRowsError(
                frame=self.frame_name,
                column=str(self.index.name),
                rows=list(self.frame.index[positions[:5]]),
                count=len(positions),
                value=self.index[int(positions[0])],
                expected="an id not already listed (one row per id)",
            )
        self.unique = True

    def codes(self, frame: pd.DataFrame, column: str, *, frame_name: str) -> Codes:
        """Position of each row's id among the owners; refuses an unknown id.

        Ids are hashed as little as the layout allows: a categorical whose
        categories are the owners' ids (in order) is read from its codes; rows
        grouped by owner (as frames are written) are looked up once per run of
        equal ids, and not at all when the runs list the owners in order; anything
        else is factorised once and its distinct ids looked up.

        Raises:
            InvalidRowsError: an owner id repeats.
            UnknownReferenceError: a row's id is not an owner's.
        """
        keys = frame[column]
        if isinstance(keys.dtype, pd.CategoricalDtype):
            codes = keys.cat.codes.to_numpy()
            if keys.cat.categories.equals(self.index):
                self.unique = True  # categories are unique by construction
                return codes  # the column's own codes: no copy
            return self._look_up(keys, codes, keys.cat.categories, frame_name)
        heads = run_starts(keys)
        lengths = np.diff(np.append(heads, len(keys)))
        ids = pd.Index(keys.iloc[heads])
        if ids.equals(self.index):  # the owners in order, one run each
            return np.repeat(np.arange(len(ids), dtype=np.int32), lengths)
        if len(heads) > len(keys) // 2:  # hardly grouped: hash every row once
            distinct, uniques = pd.factorize(keys)
            return self._look_up(keys, distinct, pd.Index(uniques), frame_name)
        per_run = self._look_up(keys.iloc[heads], np.arange(len(ids)), ids, frame_name)
        return np.repeat(per_run, lengths)

    def _look_up(
        self,
        keys: pd.Series,
        distinct: npt.NDArray[np.integer],
        uniques: pd.Index,
        frame_name: str,
    ) -> IntArray:
        """``distinct`` codes of ``uniques`` mapped to owner positions."""
        self.check_unique()
        table = np.asarray(self.index.get_indexer(uniques), dtype=np.int64)
        out: IntArray = table[distinct]
        if len(out) and out.min() < 0:
            i = int(np.argmax(out < 0))
            raise UnknownReferenceError(
                kind=self.kind,
                key=keys.iloc[i],
                field=f"{frame_name}[{keys.index[i]!r}].{keys.name}",
                known=[str(k) for k in self.index[:20]],
            )
        return out


def _strictly_increasing(index: pd.Index) -> bool:
    """Whether the ids are sorted without repeats (then unique, without hashing)."""
    if len(index) < 2 or isinstance(index.dtype, pd.CategoricalDtype):  # noqa: PLR2004
        return len(index) < 2  # noqa: PLR2004 - one id is unique
    values = index.array
    try:
        return bool(np.asarray(values[1:] > values[:-1], dtype=bool).all())
    except TypeError:  # mixed types: let the hash table decide
        return False


def run_starts(keys: pd.Series) -> IntArray:
    """Positions where a run of equal values starts (a checked column, no nulls)."""
    n = len(keys)
    if n < 2:  # noqa: PLR2004 - one row is one run
        return np.arange(n, dtype=np.int64)
    values = keys.array
    change = np.asarray(values[1:] != values[:-1], dtype=bool)
    out: IntArray = np.concatenate(([0], np.flatnonzero(change) + 1)).astype(np.int64)
    return out


def sorted_history(
    frame: pd.DataFrame,
    codes: npt.NDArray[np.integer],
    date_column: str,
    *,
    frame_name: str,
    owners: Owners,
) -> tuple[History, IntArray | None]:
    """The records as a `History`, and the order that sorted them (``None``: kept).

    Raises:
        InvalidRowsError: two records of one owner on the same date.
    """
    stamps, per_day = date_stamps(frame[date_column])
    keys = history_keys(codes, stamps, per_day)
    order, repeat, count = history_order(keys)
    if repeat >= 0:
        raise InvalidRowsError(
            frame=frame_name,
            column=date_column,
            rows=[frame.index[repeat]],
            count=count,
            value=frame[date_column].iloc[repeat],
            expected=f"a date not already recorded for {owners.kind} "
            f"{owners.index[codes[repeat]]!r} (one row per {owners.kind} and date)",
        )
    if order is not None:
        keys = keys[order]
    starts = owner_starts(keys, len(owners.index))
    return History(keys=keys, starts=starts), order


def column_values(
    frame: pd.DataFrame, column: str, order: IntArray | None
) -> NumberArray:
    """A checked numeric column in the history's order (no copy when kept).

    Float and integer columns are read as they are; anything else (a nullable
    extension dtype) as float64.
    """
    values = frame[column].to_numpy()
    if values.dtype.kind not in "iuf":
        values = frame[column].to_numpy(dtype=np.float64)
    out: NumberArray = values if order is None else values[order]
    return out
