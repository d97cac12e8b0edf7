"""Ids, references and parent cycles across frames, as row masks (private).

The rules a `Book` checks entity by entity, evaluated on the frames in vectorised
passes so that each failure is named by frame and row label (and the position of its
first row), not by a position in the book: ids that repeat once case and surrounding
whitespace are ignored, references to ids that no owner row has, and parent cycles.
No did-you-mean hint is given for ids: a near id is a different client.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from lendcrm.frames._text_keys import proven_unique_text
from lendcrm.frames.mapping._rules import RowRule

__all__ = [
    "cycle_rule",
    "distinct_once_normalised",
    "is_in",
    "near_duplicate_rule",
    "normalised",
    "owner_positions",
    "reference_rule",
    "same_id_mask",
]


def normalised(ids: pd.Series) -> pd.Series:
    """Ids compared as a person reads them: surrounding whitespace and case ignored."""
    return ids.astype("str").str.strip().str.casefold().where(ids.notna())


def _arrow_normalised(ids: pd.Series) -> pd.Series | None:
    """`normalised` computed in Arrow for Arrow-held ASCII ids, else ``None``.

    pandas strips Arrow text with ``utf8_trim_whitespace`` and casefolds it in Python,
    one string at a time; on ASCII text casefolding is lower-casing, which Arrow does
    on the buffers. Non-ASCII ids (where casefold and lower differ, e.g. ``"ß"``) and
    other storages are left to `normalised`.
    """
    dtype = ids.dtype
    if not isinstance(dtype, pd.StringDtype) or dtype.storage != "pyarrow":
        return None
    # importable: the column is held by pyarrow
    import pyarrow.compute as pc  # type: ignore[import-untyped]  # noqa: PLC0415

    arrow = getattr(ids.array, "__arrow_array__")()  # noqa: B009
    if pc.all(pc.string_is_ascii(arrow)).as_py() is not True:
        return None
    lowered = pc.ascii_lower(pc.utf8_trim_whitespace(arrow))
    return pd.Series(lowered, index=ids.index, dtype=dtype)


def distinct_once_normalised(ids: pd.Series) -> bool:
    """Whether the ids are shown to stay distinct once case and whitespace are ignored.

    ``False`` means "not shown": the caller runs its exact check that names the rows.
    Arrow-held ASCII ids without missing values are normalised in Arrow and proven
    distinct from their buffers (`proven_unique_text`); no Python string is made.
    """
    norm = _arrow_normalised(ids)
    return norm is not None and proven_unique_text(norm)


def near_duplicate_rule(
    frame: pd.DataFrame, name: str, column: str, *, distinct: bool | None = None
) -> RowRule | None:
    """Later rows whose id differs from an earlier row's only by case or whitespace.

    Exact repeats are `check_frame`'s ``unique`` rule; this names the ones it cannot
    see, e.g. ``"C-1"`` and ``"c-1 "``. ``distinct`` is `distinct_once_normalised`
    of the ids when the caller has it already.
    """
    ids = frame[column]
    if distinct_once_normalised(ids) if distinct is None else distinct:
        return None
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
    if distinct_once_normalised(ids):
        return np.zeros(len(ids), np.bool_)
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


def _arrow(values: pd.Series) -> Any | None:  # noqa: ANN401 - pyarrow is untyped
    """An Arrow-held text column as one Arrow array, else ``None``."""
    dtype = values.dtype
    if not isinstance(dtype, pd.StringDtype) or dtype.storage != "pyarrow":
        return None
    return getattr(values.array, "__arrow_array__")().combine_chunks()  # noqa: B009


def is_in(values: pd.Series, pool: pd.Series) -> npt.NDArray[np.bool_]:
    """``values.isin(pool)`` on integer codes (missing values are never in).

    pandas' ``isin`` on Arrow-backed strings walks the pool in Python; one joint
    factorisation and a boolean table is about ten times faster on a million ids.
    When both are Arrow-held, Arrow's own set lookup hashes only the pool (ten times
    faster again for the few ids of rejected owners).
    """
    arrow_values, arrow_pool = _arrow(values), _arrow(pool)
    if arrow_values is not None and arrow_pool is not None:
        # importable: the columns are held by pyarrow
        import pyarrow.compute as pc  # noqa: PLC0415

        if arrow_values.type == arrow_pool.type:
            found = pc.is_in(arrow_values, value_set=pc.drop_null(arrow_pool))
            return np.asarray(
                found.fill_null(fill_value=False).to_numpy(zero_copy_only=False),
                dtype=np.bool_,
            )
    pool_codes, value_codes, k = joint_codes(pool, values)
    known = np.zeros(k + 1, np.bool_)  # the last slot stands for missing (-1)
    known[pool_codes] = True
    known[-1] = False
    return known[value_codes]


def _run_heads(ref: pd.Series) -> npt.NDArray[np.bool_] | None:
    """The rows of an Arrow-held column that start a run of equal values.

    ``None`` for other storages, or when runs are too short to be worth it. Exports
    list a client's facilities together: the run heads are all that needs hashing.
    """
    arrow = _arrow(ref)
    if arrow is None or len(arrow) < 2:  # noqa: PLR2004 - a run needs two rows
        return None
    # importable: the column is held by pyarrow
    import pyarrow.compute as pc  # noqa: PLC0415

    same = pc.equal(arrow[1:], arrow[:-1]).fill_null(fill_value=False)
    heads = np.concatenate([[True], ~same.to_numpy(zero_copy_only=False)])
    return heads if 4 * int(heads.sum()) < 3 * len(heads) else None


def owner_positions(
    owners: pd.Series, refs: Sequence[pd.Series]
) -> list[npt.NDArray[np.intp]]:
    """For each column of ``refs``: the first owner row holding each row's id.

    ``len(owners)`` stands for a missing reference or an id no owner row has. The
    owners' ids and the present references of every column are factorised together
    once (the shared numbering of the owner frame's id column), instead of once per
    rule that compares them; of a run of equal references only the first is hashed.
    """
    n = len(owners)
    heads = [_run_heads(r) for r in refs]
    short = [r if h is None else r[h] for r, h in zip(refs, heads, strict=True)]
    present = [r.notna().to_numpy(dtype=np.bool_) for r in short]
    parts = [owners, *(r[m] for r, m in zip(short, present, strict=True))]
    codes, uniques = pd.factorize(pd.concat(parts, ignore_index=True))
    first = np.full(len(uniques) + 1, n, dtype=np.intp)  # last slot: missing (-1)
    first[codes[:n][::-1]] = np.arange(n, dtype=np.intp)[::-1]  # first row wins
    first[-1] = n
    out: list[npt.NDArray[np.intp]] = []
    start = n
    for ref, mask, head in zip(short, present, heads, strict=True):
        positions = np.full(len(ref), n, dtype=np.intp)
        count = int(mask.sum())
        positions[mask] = first[codes[start : start + count]]
        out.append(positions if head is None else positions[np.cumsum(head) - 1])
        start += count
    return out


def reference_rule(
    frame: pd.DataFrame,
    name: str,
    column: str,
    owner: str,
    *,
    positions: npt.NDArray[np.intp],
    n_owners: int,
) -> RowRule | None:
    """Rows whose ``column`` names an id that no row of the ``owner`` frame has.

    ``positions`` are the column's `owner_positions` among the ``n_owners`` rows.
    """
    mask = frame[column].notna().to_numpy(dtype=np.bool_) & (positions == n_owners)
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
    return owner_positions(ids, [parents])[0]


def cycle_rule(
    frame: pd.DataFrame,
    name: str,
    id_column: str,
    parent: str,
    positions: npt.NDArray[np.intp] | None = None,
) -> RowRule | None:
    """The rows on a parent cycle (a chain that never reaches a group root).

    Pointer doubling: after ``2**k >= n`` steps every chain is at its root or on
    its cycle, so the cycle rows are the ones the stuck chains end at. ``positions``
    are the parents' `parent_positions` when already known.
    """
    n = len(frame)
    if positions is None:
        positions = parent_positions(frame[id_column], frame[parent])
    p = np.append(positions, n)
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
