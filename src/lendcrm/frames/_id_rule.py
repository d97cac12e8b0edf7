"""The id rule of the entities, applied to the id columns of frames (#17, item 5).

An entity refuses an id with surrounding whitespace, a control or zero-width
character, or more than `MAX_ID_LENGTH` characters (`lendcrm._validators.identifier`).
A frame read into a book, or checked before a batch, keeps the same rule on its id
columns: a scan of the column's UTF-8 bytes clears printable-ASCII ids that cannot
break the rule; otherwise the distinct ids are checked once (a pattern match on
all of them joined, then one by one only if it finds a suspect), and each
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
from lendcrm.frames._utf8 import ColumnTexts, Utf8

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
_SPACE: Final = np.uint8(0x20)
_FIRST_PRINTABLE: Final = 0x20
_LAST_PRINTABLE: Final = 0x7E


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


def _printable(utf8: Utf8) -> tuple[bool, bool]:
    """Whether every byte is printable ASCII (the separators aside), and any a space."""
    data = utf8.data
    if utf8.separators == 0:  # Arrow bytes: two reductions, no temporary
        low, high = (int(data.min()), int(data.max())) if len(data) else (0x21, 0x21)
        printable = low >= _FIRST_PRINTABLE and high <= _LAST_PRINTABLE
        return printable, low == _FIRST_PRINTABLE
    # joined: the NUL separators are the only bytes outside '!'..'~', spaces aside
    if np.count_nonzero(data - np.uint8(0x21) > np.uint8(0x5D)) == utf8.separators:
        return True, False
    outside = np.count_nonzero(data - _SPACE > np.uint8(0x5E))  # outside ' '..'~'
    return outside == utf8.separators, True


def _fast_clean(utf8: Utf8 | None) -> bool:
    """Whether a text column is proven clean from its UTF-8 bytes, in a few passes.

    Printable ASCII only, no space at either end, 1 to `MAX_ID_LENGTH` characters:
    such ids cannot break the rule. One scan of the bytes (`utf8_of`: an Arrow
    column's buffers, or Python strings joined by NUL and encoded once), and only if
    it finds a space two gathers at the values' ends, instead of a Python string per
    id; anything else (a non-ASCII id, a column of other objects) is left to the
    exact check.
    """
    if utf8 is None:
        return False
    valid, data = utf8.valid, utf8.data
    if len(utf8.starts) == (0 if valid is None else utf8.nulls):  # no value at all
        return True
    # a missing Arrow slot may hold bytes: counted in the longest (a superset)
    summary = utf8.summary  # one pass in cached blocks, shared with the unique proof
    if summary.empty or summary.greatest > MAX_ID_LENGTH:
        return False
    printable, spaces = _printable(utf8)
    if not printable or not spaces:
        return printable
    starts, lengths = utf8.present()  # a space somewhere: not at either end
    first, last = data[starts], data[starts + lengths - 1]
    return not bool((first == _SPACE).any() or (last == _SPACE).any())


def _problems(values: pd.Series, utf8: Utf8 | None) -> dict[str, str]:
    """Each distinct bad id of the column, with the rule it breaks.

    A column of clean printable-ASCII ids is cleared from its bytes (`_fast_clean`);
    otherwise a few scans of all ids joined by NUL clear a clean column. Only when
    they find a suspect are the distinct ids checked one by one. ``utf8`` is the
    column read by `utf8_of`.
    """
    if _fast_clean(utf8):
        return {}
    raw = values.to_numpy(dtype=object)
    present = raw[pd.notna(raw)]
    text, joined = _text(present)
    if not text or not _suspect(joined, len(text), max(map(len, text))):
        return {}
    found = {v: id_problem(v) for v in dict.fromkeys(text)}
    return {v: p for v, p in found.items() if p is not None}


def id_rule_errors(
    frame_name: str,
    frame: pd.DataFrame,
    columns: Sequence[str],
    texts: ColumnTexts | None = None,
) -> list[InvalidRowsError]:
    """One error per id column and broken rule, naming the first offending rows.

    ``texts`` shares the columns' bytes with the caller's other checks (the
    uniqueness proof of the same ids); by default they are read here.
    """
    errors: list[InvalidRowsError] = []
    texts = ColumnTexts(frame) if texts is None else texts
    for column in columns:
        if column not in ID_COLUMNS or column not in frame.columns:
            continue
        problems = _problems(frame[column], texts.of(column))
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
