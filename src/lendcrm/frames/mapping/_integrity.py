"""Ids, references and parent cycles across frames, as row masks (private).

The rules a `Book` checks entity by entity, evaluated on the frames in vectorised
passes so that each failure is named by frame and row label (and the position of its
first row), not by a position in the book: ids that repeat once case and surrounding
whitespace are ignored, references to ids that no owner row has, and parent cycles.
No did-you-mean hint is given for ids: a near id is a different client.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
import pandas as pd

from lendcrm.frames.mapping._rules import RowRule

__all__ = [
    "cycle_rule",
    "is_in",
    "near_duplicate_rule",
    "normalised",
    "reference_rule",
    "same_id_mask",
]


def normalised(ids: pd.Series) -> pd.Series:
    """Ids compared as a person reads them: surrounding whitespace and case ignored."""
    return ids.astype("str").str.strip().str.casefold().where(ids.notna())


def near_duplicate_rule(frame: pd.DataFrame, name: str, column: str) -> RowRule | None:
    """Later rows whose id differs from an earlier row's only by case or whitespace.

    Exact repeats are `check_frame`'s ``unique`` rule; this names the ones it cannot
    see, e.g. ``"C-1"`` and ``"c-1 "``.
    """
    ids = frame[column]
    norm = normalised(ids)
    mask = (norm.duplicated(keep="first") & ~ids.duplicated(keep="first")).to_numpy(
        dtype=np.bool_
    ) & ids.notna().to_numpy(dtype=np.bool_)
    if not mask.any():
        return None
    first = int(np.flatnonzero(mask)[0])
    twin = int(np.flatnonzero((norm == norm.iloc[first]).to_numpy(dtype=np.bool_))[0])
    return RowRule(
        frame=name, column=column, mask=mask,
        expected="an id no earlier row has once case and surrounding whitespace are "
        "ignored", where=f"first at position {first}, same as {ids.iloc[twin]!r} at "
        f"position {twin}",
    )  # fmt: skip


def same_id_mask(frame: pd.DataFrame, column: str) -> npt.NDArray[np.bool_]:
    """Every row whose id another row shares (case and whitespace ignored)."""
    ids = frame[column]
    norm = normalised(ids)
    return (norm.duplicated(keep=False) & ids.notna()).to_numpy(dtype=np.bool_)


def joint_codes(
    first: pd.Series, second: pd.Series
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], int]:
    """Integer codes of two id columns in one numbering (``-1`` for missing).

    One factorisation of both columns together: Arrow-backed strings are hashed
    without a round trip through Python objects.
    """
    codes, uniques = pd.factorize(pd.concat([first, second], ignore_index=True))
    return codes[: len(first)], codes[len(first) :], len(uniques)


def is_in(values: pd.Series, pool: pd.Series) -> npt.NDArray[np.bool_]:
    """``values.isin(pool)`` on integer codes (missing values are never in).

    pandas' ``isin`` on Arrow-backed strings walks the pool in Python; one joint
    factorisation and a boolean table is about ten times faster on a million ids.
    """
    pool_codes, value_codes, k = joint_codes(pool, values)
    known = np.zeros(k + 1, np.bool_)  # the last slot stands for missing (-1)
    known[pool_codes] = True
    known[-1] = False
    return known[value_codes]


def reference_rule(
    frame: pd.DataFrame, name: str, column: str, owners: pd.Series, owner: str
) -> RowRule | None:
    """Rows whose ``column`` names an id that no row of the ``owner`` frame has."""
    refs = frame[column]
    mask = refs.notna().to_numpy(dtype=np.bool_) & ~is_in(refs, owners)
    if not mask.any():
        return None
    first = int(np.flatnonzero(mask)[0])
    return RowRule(
        frame=name, column=column, mask=mask,
        expected=f"the id of a row of the {owner} frame",
        where=f"first unknown at position {first}",
    )  # fmt: skip


def parent_positions(ids: pd.Series, parents: pd.Series) -> npt.NDArray[np.intp]:
    """Position of each row's parent (its first row), or ``len(ids)`` for none."""
    n = len(ids)
    id_codes, parent_codes, k = joint_codes(ids, parents)
    first = np.full(k + 1, n, dtype=np.intp)  # the last slot stands for missing (-1)
    first[id_codes[::-1]] = np.arange(n, dtype=np.intp)[::-1]  # first row wins
    first[-1] = n
    return first[parent_codes]


def cycle_rule(
    frame: pd.DataFrame, name: str, id_column: str, parent: str
) -> RowRule | None:
    """The rows on a parent cycle (a chain that never reaches a group root).

    Pointer doubling: after ``2**k >= n`` steps every chain is at its root or on
    its cycle, so the cycle rows are the ones the stuck chains end at.
    """
    n = len(frame)
    p = np.append(parent_positions(frame[id_column], frame[parent]), n)
    steps = p.copy()
    for _ in range(max(1, math.ceil(math.log2(n + 1))) + 1):
        steps = steps[steps]
    end = steps[:n]
    stuck = end != n
    if not stuck.any():
        return None
    mask = np.zeros(n + 1, np.bool_)
    mask[end[stuck]] = True
    mask = mask[:n]
    first = int(np.flatnonzero(mask)[0])
    return RowRule(
        frame=name, column=parent, mask=mask,
        expected="a parent chain that ends at a group root",
        where=f"these rows form a parent cycle; first at position {first}",
    )  # fmt: skip
