"""Frame-building helpers shared by the synthetic frames (private to `synthetic`).

Ids are built once and taken from for every foreign key; codes become categoricals;
dates become ``datetime64[ns]``. No per-row Python work.
"""

from __future__ import annotations

from typing import Final

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from lendcrm._arrays import IntArray
from lendcrm.synthetic import _tables as tables
from lendcrm.synthetic._draws import Draws

_ID_WIDTH: Final = 7


# --- frame helpers ----------------------------------------------------------------------


def make_ids(prefix: str, count: int, width: int) -> npt.NDArray[np.object_]:
    """``prefix`` + zero-padded 1-based numbers, built without a Python loop.

    The characters are written as UCS-4 code points straight into a ``U`` array
    (numpy's unicode storage), then turned into Python strings once.
    """
    numbers = np.arange(1, count + 1, dtype=np.int64)
    chars = np.empty((count, width + 1), dtype=np.uint32)
    chars[:, 0] = ord(prefix)
    for position in range(width, 0, -1):  # over digit positions, not rows
        chars[:, position] = 48 + numbers % 10
        numbers //= 10
    return chars.view(f"<U{width + 1}").ravel().astype(object)


def str_column(values: npt.NDArray[np.str_] | npt.NDArray[np.object_]) -> pd.Series:
    return pd.Series(values, dtype="str")


def take_ids(ids: pd.Series, index: IntArray) -> pd.Series:
    """The id strings at ``index`` (no per-row string work: the array is taken)."""
    return pd.Series(ids.array.take(index), copy=False)


def optional_ids(ids: npt.NDArray[np.object_], index: IntArray) -> pd.Series:
    """``ids[index]`` as a ``str`` column, missing where ``index`` is -1."""
    out = np.full(index.size, None, dtype=object)
    known = index >= 0
    out[known] = ids[index[known]]
    return pd.Series(out, dtype="str")


def categorical(codes: IntArray, categories: tuple[str, ...]) -> pd.Categorical[str]:
    return pd.Categorical.from_codes(codes, categories=pd.Index(list(categories)))


def as_ns(days: npt.NDArray[np.datetime64]) -> npt.NDArray[np.datetime64]:
    return days.astype("datetime64[ns]")


@attrs.frozen(kw_only=True)
class Ids:
    """The id columns, built once and taken from for every foreign key."""

    clients: npt.NDArray[np.object_]
    client_col: pd.Series
    facility_col: pd.Series
    projects: npt.NDArray[np.object_]
    project_col: pd.Series
    project_of_facility: IntArray

    @classmethod
    def of(cls, d: Draws) -> Ids:
        width = max(_ID_WIDTH, len(str(d.n)))
        clients = make_ids("C", d.n, width)
        projects = make_ids("P", d.projects.client.size, width)
        project_of_facility = np.full(d.facilities.client.size, -1, dtype=np.int64)
        project_of_facility[d.projects.facility] = np.arange(d.projects.client.size)
        return cls(
            clients=clients,
            client_col=str_column(clients),
            facility_col=str_column(make_ids("F", d.facilities.client.size, width + 2)),
            projects=projects,
            project_col=str_column(projects),
            project_of_facility=project_of_facility,
        )


_CURRENCIES: Final = tuple(row[0] for row in tables.CURRENCIES)


def currency_column(codes: IntArray) -> pd.Categorical[str]:
    return categorical(codes, _CURRENCIES)


def reporting_currency(size: int) -> pd.Categorical[str]:
    return currency_column(np.full(size, _CURRENCIES.index(tables.REPORTING_CURRENCY)))
