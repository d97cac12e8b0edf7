"""The accepted rows of a quarantined frame, copied only where needed (private).

``frame[~rejected]`` copies every column. A bank's export mapped and filled with
defaults holds many columns of one value (a constant currency, a default filled
for a column the core system lacks): for those the first rows are the same values
as the kept rows, so a slice (a view, no copy) stands for them. Other columns are
taken as pandas takes them. The result equals ``frame[~rejected]``: same values,
dtypes, index and column labels (pinned by a test against it).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from lendcrm.frames._utf8 import utf8_of

__all__ = ["kept_rows"]

#: numpy kinds compared as unsigned integers of their width (bitwise: NaN, -0.0).
_BITWISE = "biufmM"


def kept_rows(frame: pd.DataFrame, rejected: npt.NDArray[np.bool_]) -> pd.DataFrame:
    """``frame[~rejected]``, with each column of one value sliced instead of taken.

    The frame itself when no row is rejected. Frames with ``attrs`` or that refuse
    duplicate labels take pandas' own path (it carries those along).
    """
    if not rejected.any():
        return frame
    keep = ~rejected
    if frame.attrs or not frame.flags.allows_duplicate_labels:
        return frame[keep]
    indexer = np.flatnonzero(keep)
    index = frame.index.take(indexer)
    columns = {
        k: _kept(frame.iloc[:, k], indexer).set_axis(index)
        for k in range(len(frame.columns))
    }
    out = pd.DataFrame(columns, copy=False)
    out.columns = frame.columns
    return out


def _kept(column: pd.Series, indexer: npt.NDArray[np.intp]) -> pd.Series:
    """The column at ``indexer``: its first rows when it holds one value only.

    Sliced by pandas (`iloc`), so copy-on-write knows the rows are shared: writing
    to the input or to the result later copies, never changes the other.
    """
    one = (
        _one_numpy_value(column.to_numpy())
        if isinstance(column.dtype, np.dtype)
        else _one_arrow_value(column)
    )
    return column.iloc[: len(indexer)] if one else column.take(indexer)


def _one_numpy_value(raw: npt.NDArray[Any]) -> bool:
    """Whether every value has the same bits (a numpy column of one value)."""
    dtype = raw.dtype
    if dtype.kind not in _BITWISE or dtype.itemsize not in {1, 2, 4, 8}:
        return False
    bits = raw.view(f"u{dtype.itemsize}")
    return bool(bits.min() == bits.max())


def _one_arrow_value(column: pd.Series) -> bool:
    """Whether an Arrow-held text column holds one value in every row, or none.

    From its bytes (`utf8_of`): the first and last values compared first (an id
    column stops there), then one width for every value and bytes that repeat with
    that period.
    """
    dtype = column.dtype
    if not (isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"):
        return False
    utf8 = utf8_of(column)
    if utf8 is None:
        return False
    n, data = len(utf8.starts), utf8.data
    if utf8.nulls:
        return bool(utf8.nulls == n)
    first = data[int(utf8.starts[0]) : int(utf8.ends[0])]
    if not utf8.contiguous or not np.array_equal(
        first, data[int(utf8.starts[-1]) : int(utf8.ends[-1])]
    ):
        return False
    width = utf8.one_width()
    if width is None:
        return False
    # values back to back, all as long as the first: one value iff the bytes repeat
    # with the first value's length as period
    return np.array_equal(data[width : n * width], data[: (n - 1) * width])
