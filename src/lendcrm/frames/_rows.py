"""Frame columns to Python values, and rows to entities (private to `lendcrm.frames`).

The readers (`strs`, `floats`, `ints`, `bools`, `dates`) turn a validated column into a
list of plain values, missing ones as ``None``; `RowBuilder` builds value objects row
by row and collects their errors with row-label paths. The readers of the entity,
child and history frames share them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from types import MemberDescriptorType
from typing import Any, TypeVar

import attrs
import numpy as np
import pandas as pd

from lendcrm._money import Money
from lendcrm.errors import InvalidValueError, LendCRMError, UnknownReferenceError

__all__ = [
    "Reader",
    "RowBuilder",
    "bools",
    "dates",
    "floats",
    "ints",
    "missing",
    "money_of",
    "optional_ints",
    "optional_strs",
    "slot_builder",
    "strs",
]

T = TypeVar("T")


# Row values are typed Any: the frames were validated, and the entity rows check the rest.
def missing(value: object) -> bool:
    return (
        value is None
        or value is pd.NA
        or (isinstance(value, float) and math.isnan(value))
    )


def strs(frame: pd.DataFrame, column: str) -> list[Any]:
    """Values as given, missing ones as None (a non-str is left for the entity to refuse)."""
    col = frame[column]
    values = col.tolist()
    # isna flags every value `missing` flags: only those are looked at again
    for i in np.flatnonzero(col.isna().to_numpy()).tolist():
        value = values[i]
        if value is not None and missing(value):
            values[i] = None
    return values


def floats(frame: pd.DataFrame, column: str) -> list[Any]:
    numbers = frame[column].to_numpy(dtype=np.float64, na_value=np.nan)
    values: list[Any] = numbers.tolist()
    for i in np.flatnonzero(np.isnan(numbers)).tolist():
        values[i] = None
    return values


def ints(frame: pd.DataFrame, column: str) -> list[Any]:
    return frame[column].to_numpy(dtype=np.float64).astype(np.int64).tolist()


def optional_strs(frame: pd.DataFrame, column: str) -> list[Any]:
    """`strs`, or all ``None`` when the (optional) column is absent."""
    return strs(frame, column) if column in frame else [None] * len(frame)


def optional_ints(frame: pd.DataFrame, column: str) -> list[Any]:
    """Whole numbers as ``int``, missing ones (or an absent column) as ``None``.

    A value that is not whole is left as a float for the entity to refuse.
    """
    if column not in frame:
        return [None] * len(frame)
    values = frame[column].to_numpy(dtype=np.float64, na_value=np.nan).tolist()
    return [None if math.isnan(v) else int(v) if v.is_integer() else v for v in values]


def bools(frame: pd.DataFrame, column: str) -> list[Any]:
    return frame[column].to_numpy(dtype=np.bool_).tolist()


def dates(frame: pd.DataFrame, column: str) -> list[Any]:
    days = frame[column].to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
    return days.tolist()


def money_of(amount: Any, currency: Any) -> Any:  # noqa: ANN401
    """``Money`` from a float and a code; ``None`` if either is missing."""
    if amount is None or currency is None:
        return None
    return Money(Decimal(repr(amount)), currency)


Reader = Callable[[pd.DataFrame, str], list[Any]]


def slot_builder(cls: type[T]) -> Callable[..., T]:
    """A function that makes a frozen attrs ``cls`` from its fields, unchecked.

    It takes every field by keyword (a missing or unknown one is a `TypeError`) and
    sets each one through its slot, as attrs' own ``__init__`` does, but without
    converters, validators or ``__attrs_post_init__``: only for values the frame
    checks have proved. The setters are looked up once per class, not per object.
    """
    names = frozenset(a.name for a in attrs.fields(cls))  # type: ignore[arg-type]
    setters = tuple((name, _setter(cls, name)) for name in sorted(names))
    new = object.__new__

    def make(**values: Any) -> T:  # noqa: ANN401
        if values.keys() != names:
            msg = f"{cls.__name__}: fields {sorted(values)}, expected {sorted(names)}"
            raise TypeError(msg)
        obj = new(cls)
        for name, set_value in setters:
            set_value(obj, values[name])
        return obj

    return make


def _setter(cls: type, name: str) -> Callable[[object, object], None]:
    """How to set field ``name`` of a frozen ``cls``: its slot, or the bypass."""
    slot = getattr(cls, name, None)
    if isinstance(slot, MemberDescriptorType):
        return slot.__set__

    def set_attribute(obj: object, value: object) -> None:
        object.__setattr__(obj, name, value)

    return set_attribute


class RowBuilder:
    """Builds entities row by row, collecting errors with row-label paths."""

    def __init__(self) -> None:
        self.errors: list[LendCRMError] = []

    def build(self, path: str, make: Callable[[], T]) -> T | None:
        try:
            return make()
        except InvalidValueError as exc:
            self.refused(path, exc)
            return None

    def refused(self, path: str, exc: InvalidValueError) -> None:
        """Record an entity's refusal under the row's path (``clients['a']``)."""
        self.errors.append(
            InvalidValueError(
                field=f"{path}.{exc.field}",
                value=exc.value,
                expected=exc.expected,
                hint=exc.hint,
            )
        )

    def unknown(
        self, owner_column: str, owner: object, path: str, owners: Mapping[str, object]
    ) -> None:
        """Record a row whose owner is not in the entity frames."""
        self.errors.append(
            UnknownReferenceError(
                kind=owner_column.removesuffix("_id"),
                key=owner,
                field=f"{path}.{owner_column}",
                known=list(owners)[:50],
            )
        )

    def group(  # noqa: PLR0917 - private helper of the frame readers
        self,
        frame: pd.DataFrame,
        name: str,
        owner_column: str,
        owners: Mapping[str, object],
        readers: Sequence[tuple[Reader, str]],
        builder: Callable[[tuple[Any, ...]], Any],
    ) -> dict[str, list[Any]]:
        """The values ``builder`` makes of the rows of ``frame``, grouped by owner.

        Rows whose owner is not in ``owners`` and rows the value object refuses are
        recorded (with the row label) and left out.
        """
        out: dict[str, list[Any]] = {}
        labels = frame.index.tolist()
        rows = zip(*(read(frame, col) for read, col in readers), strict=True)
        for label, owner, row in zip(
            labels, strs(frame, owner_column), rows, strict=True
        ):
            if owner not in owners:
                self.unknown(owner_column, owner, f"{name}[{label!r}]", owners)
                continue
            try:  # the path is built only for a refused row: millions pass
                item = builder(row)
            except InvalidValueError as exc:
                self.refused(f"{name}[{label!r}]", exc)
                continue
            if owner in out:
                out[owner].append(item)
            else:
                out[owner] = [item]
        return out
