"""The id rule of the entities, applied to the id columns of frames (#17, item 5).

An entity refuses an id with surrounding whitespace, a control or zero-width
character, or more than `MAX_ID_LENGTH` characters (`lendcrm._validators.identifier`).
A frame read into a book, or checked before a batch, keeps the same rule on its id
columns: the distinct ids are checked once (a pattern match finds the plain-ASCII ids
that cannot break the rule, so only the others are looked at one by one), and each
broken rule is one `InvalidRowsError` naming the frame, the column and the first
offending row labels.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

import numpy as np
import pandas as pd

from lendcrm._validators import MAX_ID_LENGTH, id_problem
from lendcrm.errors import InvalidRowsError
from lendcrm.frames import columns as col

__all__ = ["ID_COLUMNS", "id_rule_errors"]

#: The frame columns that hold entity ids (an entity field with the id rule).
ID_COLUMNS: Final = frozenset(
    {
        col.CLIENT_ID,
        col.CONTACT_ID,
        col.FACILITY_ID,
        col.GUARANTOR_ID,
        col.PARENT_ID,
        col.PROJECT_ID,
        col.REFEREE_ID,
        col.SPONSOR_ID,
    }
)

# a character outside printable ASCII (NUL is the separator of the joined ids)
_UNUSUAL: Final = re.compile(r"[^ -~\x00]")


def _suspect(joined: str, n: int, longest: int) -> bool:
    """Whether any of the `n` ids joined by NUL may break the rule."""
    return (
        joined.count("\x00") != n - 1  # an id holds a NUL itself
        or longest > MAX_ID_LENGTH
        or joined == ""
        or joined[0] in " \x00"
        or joined[-1] in " \x00"
        or "\x00 " in joined
        or " \x00" in joined
        or "\x00\x00" in joined
        or _UNUSUAL.search(joined) is not None
    )


def _text(present: np.ndarray) -> tuple[list[str], str]:
    """The text ids, and the same joined by NUL."""
    items = present.tolist()
    try:
        return items, "\x00".join(items)
    except TypeError:  # a number or another object among the ids: skip it
        text = [v for v in items if isinstance(v, str)]
        return text, "\x00".join(text)


def _arrow_clean(values: pd.Series) -> bool:
    """Whether an Arrow-held text column is proven clean without leaving Arrow.

    Printable ASCII only, no space at either end, 1 to `MAX_ID_LENGTH` characters:
    such ids cannot break the rule. Three vectorised passes (lengths, one regular
    expression) instead of a Python string per id; anything else (a non-ASCII id, a
    column not held by pyarrow) is left to the exact check.
    """
    held = getattr(values.dtype, "storage", None) == "pyarrow" or isinstance(
        values.dtype, pd.ArrowDtype
    )
    to_arrow = getattr(values.array, "__arrow_array__", None)
    if not held or to_arrow is None:
        return False
    # importable: the column is held by pyarrow
    import pyarrow as pa  # type: ignore[import-untyped]  # noqa: PLC0415
    import pyarrow.compute as pc  # type: ignore[import-untyped]  # noqa: PLC0415

    arr = pc.drop_null(to_arrow())
    if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        return False
    if len(arr) == 0:
        return True
    lengths = pc.min_max(pc.utf8_length(arr)).as_py()
    if lengths["min"] < 1 or lengths["max"] > MAX_ID_LENGTH:
        return False
    return not pc.any(pc.match_substring_regex(arr, r"[^ -~]|^ | $")).as_py()


def _problems(values: pd.Series) -> dict[str, str]:
    """Each distinct bad id of the column, with the rule it breaks.

    An Arrow-held column is cleared in Arrow (`_arrow_clean`); otherwise a few scans
    of all ids joined by NUL clear a clean column. Only when they find a suspect are
    the distinct ids checked one by one.
    """
    if _arrow_clean(values):
        return {}
    raw = values.to_numpy(dtype=object)
    present = raw[pd.notna(raw)]
    text, joined = _text(present)
    if not text or not _suspect(joined, len(text), max(map(len, text))):
        return {}
    found = {v: id_problem(v) for v in dict.fromkeys(text)}
    return {v: p for v, p in found.items() if p is not None}


def id_rule_errors(
    frame_name: str, frame: pd.DataFrame, columns: Sequence[str]
) -> list[InvalidRowsError]:
    """One error per id column and broken rule, naming the first offending rows."""
    errors: list[InvalidRowsError] = []
    for column in columns:
        if column not in ID_COLUMNS or column not in frame.columns:
            continue
        problems = _problems(frame[column])
        if not problems:
            continue
        by_rule: dict[str, list[str]] = {}
        for value, problem in problems.items():
            by_rule.setdefault(problem.split(" (found")[0], []).append(value)
        for values in by_rule.values():
            mask = frame[column].isin(values).to_numpy()
            positions = np.flatnonzero(mask)
            first = frame[column].iloc[int(positions[0])]
            errors.append(
                InvalidRowsError(
                    frame=frame_name,
                    column=column,
                    rows=[_plain(v) for v in frame.index[positions[:5]]],
                    count=len(positions),
                    value=first,
                    expected=problems[first],
                )
            )
    return errors


def _plain(value: object) -> object:
    return value.item() if isinstance(value, np.generic) else value
