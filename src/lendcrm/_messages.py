"""How lendcrm's error messages are worded: the helpers `lendcrm.errors` builds them with.

Each exception still builds its own message from its attributes; the pieces several of
them share (a did-you-mean hint, a list of row labels, missing and unexpected columns,
the head of a batch) are worded here once.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

__all__ = [
    "MAX_ROWS_SHOWN",
    "Raw",
    "column_problems",
    "did_you_mean",
    "group_message",
    "range_text",
    "row_labels",
]

#: How many row labels an error names before it says "and N more".
MAX_ROWS_SHOWN = 5


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """Return ``" Did you mean 'x'?"`` for the closest known name, or ``""``."""
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f" Did you mean {close[0]!r}?" if close else ""


def row_labels(rows: Sequence[object], count: int) -> str:
    """The first `MAX_ROWS_SHOWN` row labels, then ``and N more`` of ``count``."""
    shown = ", ".join(repr(r) for r in rows[:MAX_ROWS_SHOWN])
    more = count - min(len(rows), MAX_ROWS_SHOWN)
    return f"{shown} and {more} more" if more > 0 else shown


def column_problems(missing: Sequence[str], unexpected: Sequence[str]) -> list[str]:
    """``missing [...]`` and ``unexpected [...]``, each only when there are any."""
    parts: list[str] = []
    if missing:
        parts.append(f"missing {list(missing)!r}")
    if unexpected:
        parts.append(f"unexpected {list(unexpected)!r}")
    return parts


def group_message(errors: Sequence[BaseException], total: int, what: str) -> str:
    """``N of T <what> are invalid: <the first few messages>; and M more``."""
    head = f"{len(errors)} of {total} {what} are invalid"
    shown = "; ".join(str(e) for e in errors[:MAX_ROWS_SHOWN])
    more = len(errors) - MAX_ROWS_SHOWN
    tail = f"; and {more} more" if more > 0 else ""
    return f"{head}: {shown}{tail}" if errors else head


class Raw(str):
    """A string whose repr is itself, for values that are already descriptions."""

    __slots__ = ()

    def __repr__(self) -> str:
        return str(self)


def range_text(
    lower: float | None, upper: float | None, *, lower_open: bool, upper_open: bool
) -> str:
    if lower is None and upper is None:
        return "a finite number"
    if lower is not None and upper is not None:
        lo = "(" if lower_open else "["
        hi = ")" if upper_open else "]"
        return f"a finite number in {lo}{lower:g}, {upper:g}{hi}"
    if lower is not None:
        op = ">" if lower_open else ">="
        return f"a finite number {op} {lower:g}"
    op = "<" if upper_open else "<="
    return f"a finite number {op} {upper:g}"
