"""Parts described by their caller: client ranges, each read where it is processed.

A `ClientRange` holds a ``reader`` (the caller's function that opens one client range
of the book, e.g. ``pd.read_parquet`` of that range's files) and the range's lowest and
highest client id, so a Dask DataFrame over the ranges knows its divisions before any
part is read. The helpers here check the ranges, check a part's rows where it is read
and give every part's result the dtypes of the models' empty frame (the ``meta``).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Sequence
from typing import Final

import attrs
import numpy as np
import pandas as pd

from lendcrm._tokens import dask_token
from lendcrm._validators import non_empty_str, require_instance
from lendcrm.errors import InvalidValueError
from lendcrm.frames import BookFrames
from lendcrm.frames import columns as schema
from lendcrm.relationship import columns as col
from lendcrm.relationship._models import RelationshipModels
from lendcrm.relationship._partition import check_closure, label
from lendcrm.relationship.frames import relationship_frame

#: The dtype of the partitioned face's index and of its free-text columns: pandas'
#: ``string`` dtype (Arrow-backed when pyarrow is installed, ``pd.NA`` for missing),
#: which Dask's ``dataframe.convert-string`` leaves as it is (it turns ``object`` and
#: ``str`` columns into this dtype when the setting is on, and leaves them when off).
STRING: Final = pd.StringDtype()

# any day: the empty book's frame has the same columns and dtypes on every day
_META_DAY: Final = dt.date(2000, 1, 1)


@attrs.frozen(kw_only=True, eq=False)
class BookPartition:
    """Whole clients of a book with every record they need (picklable).

    Attributes:
        frames: The clients of the part and their records; a project financed by
            clients of several parts is copied into each of them.
        signals: The part's rows of the signals frame, or ``None``.
    """

    frames: BookFrames
    signals: pd.DataFrame | None = None


def _callable(
    _inst: object,
    attribute: attrs.Attribute[Callable[[], object]],
    value: Callable[[], object],
) -> None:
    if not callable(value):
        raise InvalidValueError(
            field=attribute.name,
            value=type(value).__name__,
            expected="a function with no arguments returning the part's BookFrames "
            "(or a BookPartition)",
        )


@attrs.frozen(kw_only=True)
class ClientRange:
    """One part of a book described by its caller: how to read it, which clients.

    The library opens no file: ``reader`` does (e.g. ``pd.read_parquet`` of the
    files holding this range's clients and their records). It is called on the
    worker that processes the part, so it must pickle (a module-level function or a
    ``functools.partial`` of one, not a lambda on a distributed cluster).

    Attributes:
        reader: A function of no arguments returning the part as `BookFrames`
            (signals neutral) or a `BookPartition` (frames and signals).
        lower: The lowest client id the part may hold (inclusive).
        upper: The highest client id the part may hold (inclusive), ``>= lower``.

    Raises:
        InvalidValueError: ``reader`` not callable, a bound not a non-empty string,
            or ``upper < lower``.

    Examples:
        >>> from lendcrm.frames import BookFrames
        >>> part = ClientRange(reader=BookFrames, lower="C000001", upper="C000500")
        >>> part.lower, len(part.reader().clients)
        ('C000001', 0)
    """

    __dask_tokenize__ = dask_token  # by content: a pickled copy tokenises alike

    reader: Callable[[], object] = attrs.field(validator=_callable)
    lower: str = attrs.field(validator=non_empty_str)
    upper: str = attrs.field(validator=non_empty_str)

    def __attrs_post_init__(self) -> None:
        if self.upper < self.lower:
            raise InvalidValueError(
                field="upper",
                value=self.upper,
                expected=f"a client id >= lower ({self.lower!r})",
            )


def check_ranges(parts: Sequence[ClientRange]) -> tuple[str, ...]:
    """The divisions of the ranges; refuse ranges unsorted or overlapping."""
    if not isinstance(parts, list | tuple) or not parts:
        raise InvalidValueError(
            field="parts",
            value=type(parts).__name__ if not isinstance(parts, list | tuple) else "[]",
            expected="a non-empty list or tuple of ClientRange",
        )
    for k, part in enumerate(parts):
        require_instance(part, ClientRange, name=f"parts[{k}]", what="a ClientRange")
    for k, (before, after) in enumerate(itertools.pairwise(parts), start=1):
        if after.lower <= before.upper:
            raise InvalidValueError(
                field=f"parts[{k}].lower",
                value=after.lower,
                expected=f"a client id above parts[{k - 1}].upper ({before.upper!r}): "
                "ranges sorted by client id and not overlapping, so that no client "
                "is read twice",
            )
    return (*(p.lower for p in parts), parts[-1].upper)


def read_part(part: ClientRange, k: int) -> tuple[BookFrames, pd.DataFrame | None]:
    """Call the part's reader; its frames and signals, checked closed and in range."""
    got = part.reader()
    if isinstance(got, BookPartition):
        frames, signals = got.frames, got.signals
    elif isinstance(got, BookFrames):
        frames, signals = got, None
    else:
        raise InvalidValueError(
            field=f"parts[{k}].reader()",
            value=type(got).__name__,
            expected="BookFrames or a BookPartition",
        )
    tables = {f.name: getattr(frames, f.name) for f in attrs.fields(BookFrames)}
    check_closure(k, tables)
    ids = frames.clients[schema.CLIENT_ID]
    if ids.empty:
        return frames, signals
    outside = np.asarray((ids < part.lower) | (ids > part.upper), dtype=bool)
    if outside.any():
        i = int(np.argmax(outside))
        raise InvalidValueError(
            field=f"parts[{k}].clients[{label(ids.index[i])!r}].client_id",
            value=ids.iloc[i],
            expected=f"a client id from {part.lower!r} to {part.upper!r} "
            "(the part's range)",
        )
    return frames, signals


def fixed_categories(models: RelationshipModels) -> dict[str, pd.CategoricalDtype]:
    """The text columns whose values the models list: action names and reasons."""
    rules = models.actions.rules
    names = pd.Index([*models.actions.names, ""], dtype=STRING)
    reasons = pd.Index(
        list(dict.fromkeys([*(r.reason for r in rules), ""])), dtype=STRING
    )
    return {
        col.NEXT_ACTION: pd.CategoricalDtype(names),
        col.NEXT_ACTION_REASON: pd.CategoricalDtype(reasons),
    }


def text_dtypes(frame: pd.DataFrame, models: RelationshipModels) -> dict[str, object]:
    """The partitioned face's dtype of every text column of ``frame``."""
    fixed = fixed_categories(models)
    out: dict[str, object] = {}
    for name, dtype in frame.dtypes.items():
        if name in fixed:
            out[str(name)] = fixed[str(name)]
        elif isinstance(dtype, pd.CategoricalDtype) or pd.api.types.is_string_dtype(
            dtype
        ):
            out[str(name)] = STRING
    return out


def conform(
    frame: pd.DataFrame, models: RelationshipModels, *, where: str
) -> pd.DataFrame:
    """``frame`` with the meta's dtypes: fixed categoricals, Arrow strings.

    Raises:
        InvalidValueError: a value of a fixed categorical the models do not list.
    """
    dtypes = text_dtypes(frame, models)
    strings = {k: v for k, v in dtypes.items() if v is STRING}
    out = frame.astype(strings)
    out.index = frame.index.astype(STRING)
    for name, dtype in dtypes.items():
        if isinstance(dtype, pd.CategoricalDtype):
            out[name] = _fixed(frame[name], dtype, where=where)
    return out


def _fixed(
    values: pd.Series, dtype: pd.CategoricalDtype, *, where: str
) -> pd.Categorical[str]:
    """``values`` on the fixed categories; refuse a value they do not list."""
    codes, uniques = pd.factorize(values)
    at = dtype.categories.get_indexer(pd.Index(uniques, dtype=object))
    fixed = np.where(codes >= 0, at[codes], -1)
    lost = (codes >= 0) & (fixed < 0)
    if lost.any():
        i = int(np.argmax(lost))
        raise InvalidValueError(
            field=f"{where}[{label(values.index[i])!r}].{values.name}",
            value=values.iloc[i],
            expected=f"one of the models' values {list(dtype.categories)}",
        )
    return pd.Categorical.from_codes(fixed, categories=dtype.categories)


def empty_meta(models: RelationshipModels) -> pd.DataFrame:
    """The models' relationship frame of an empty book, with the meta's dtypes."""
    # stage rules need signals rows (an empty book has none); the stage columns
    # are strings in the meta whether rules ran or not
    plain = attrs.evolve(models, stage_rules=None)
    empty = relationship_frame(BookFrames(), as_of=_META_DAY, models=plain)
    return conform(empty, models, where="meta")
