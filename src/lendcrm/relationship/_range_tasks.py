"""What every client-range worker shares: its errors, its result, its Dask collection.

A batch function run on one part names the rows of the frames it was given: some
steps by their label, some (the key look-ups of `relationship_frame`) by their
*position* in the frame. Inside a part a position means nothing to the caller, so
`run_in_part` re-raises a lendcrm error with the part named and every position
turned into the label the part's reader gave that row (``parts[k].frame[label]``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

import pandas as pd

from lendcrm._error_pickle import keyword_names
from lendcrm.errors import (
    BatchValidationError,
    InvalidRowsError,
    InvalidValueError,
    LendCRMError,
    UnknownReferenceError,
)
from lendcrm.relationship._partition import label
from lendcrm.relationship._ranges import STRING, ClientRange, check_ranges

if TYPE_CHECKING:
    import dask.dataframe as dd

# ``frame[3]`` or ``frame[3].column``: a row named by its position in ``frame``
_POSITION: Final = re.compile(r"^([A-Za-z_]+)\[(\d+)\](.*)$", re.DOTALL)


def _rebuilt(exc: LendCRMError, **changes: object) -> LendCRMError:
    """``exc`` built again with some constructor arguments changed."""
    names = keyword_names(type(exc)) or ()
    kwargs = {name: getattr(exc, name) for name in names}
    new = type(exc)(**{**kwargs, **changes})
    for note in getattr(exc, "__notes__", ()):
        new.add_note(note)
    return new


def _children(group: BatchValidationError) -> list[LendCRMError]:
    return [e for e in group.exceptions if isinstance(e, LendCRMError)]


def relabel(  # noqa: PLR0911 - one return per kind of error
    exc: LendCRMError, tables: Mapping[str, pd.DataFrame], number: int
) -> LendCRMError:
    """``exc`` naming ``parts[number]`` and the reader's row labels, or ``exc`` itself.

    A row named by position (``feedback[3]``: the key look-ups) is named by the
    label of that row in the frame the reader gave (``parts[2].feedback[1003]``);
    rows named by label (`InvalidRowsError`, the frame checks) keep their labels,
    their frame prefixed with the part. Other errors come back unchanged.
    """
    if isinstance(exc, BatchValidationError):
        inner = [relabel(e, tables, number) for e in _children(exc)]
        if all(a is b for a, b in zip(inner, _children(exc), strict=True)):
            return exc
        group = exc.derive(inner)
        for note in getattr(exc, "__notes__", ()):
            group.add_note(note)
        return group
    if isinstance(exc, InvalidRowsError):
        if exc.frame not in tables:
            return exc
        return _rebuilt(exc, frame=f"parts[{number}].{exc.frame}")
    names = keyword_names(type(exc)) or ()
    if not isinstance(exc, InvalidValueError | UnknownReferenceError) or (
        "field" not in names
    ):
        return exc
    found = _POSITION.match(exc.field)
    if found is None or found[1] not in tables:
        return exc
    index = tables[found[1]].index
    position = int(found[2])
    if position >= len(index):
        return exc
    at = label(index[position])
    return _rebuilt(exc, field=f"parts[{number}].{found[1]}[{at!r}]{found[3]}")


def run_in_part(
    compute: Callable[[], pd.DataFrame],
    part: ClientRange,
    number: int,
    tables: Mapping[str, pd.DataFrame],
) -> pd.DataFrame:
    """``compute()``; a lendcrm error from it re-raised naming the part and labels.

    Raises:
        LendCRMError: as ``compute``, relabelled by `relabel`, with a note naming
            the part and its range (``exc.__notes__``).
    """
    try:
        return compute()
    except LendCRMError as exc:
        new = relabel(exc, tables, number)
        new.add_note(
            f"in parts[{number}] (client ids {part.lower!r} to {part.upper!r})"
        )
        if new is exc:
            raise
        raise new from exc


def by_client(frame: pd.DataFrame, ids: pd.Series) -> pd.DataFrame:
    """``frame`` indexed by ``ids`` (the ``client_id`` string index), sorted stably."""
    out = frame.set_axis(pd.Index(ids.to_numpy(), dtype=STRING, name="client_id"))
    if not out.index.is_monotonic_increasing:
        out = out.sort_index(kind="stable")
    return out


def ranges_dask(
    func: Callable[..., pd.DataFrame],
    parts: Sequence[ClientRange],
    *,
    meta: pd.DataFrame,
    name: str,
    **kwargs: Any,  # noqa: ANN401 - the worker function's keyword arguments
) -> dd.DataFrame:
    """``func`` over the ranges as a lazy Dask DataFrame: one partition per range.

    Known divisions (`check_ranges`), ``meta`` given, nothing read or gathered.
    """
    divisions = check_ranges(parts)
    import dask.dataframe as dd  # noqa: PLC0415 (an optional dependency)

    lazy: dd.DataFrame = dd.from_map(  # type: ignore[no-untyped-call]
        func,
        parts,
        range(len(parts)),
        meta=meta,
        divisions=divisions,
        label=name,
        **kwargs,
    )
    return lazy
