"""Entity rules the frames cannot express, set aside when the book is built (private).

Some rules live only in the entities: a milestone complete with an actual date but 50 %
progress, a client whose measures differ from the last period of its history, an id
with a control character, collateral rows of one asset that describe it differently.
The book is built from the rows the frame rules kept, in one vectorised pass as for a
clean book. Only when that build refuses rows are they found (each refusal names its
row), set aside with the entity's own words and their dependants, and the book built
again from the rest; a clean book is built once, with no extra cost.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Final

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from lendcrm._book import Book
from lendcrm.errors import BatchValidationError, LendCRMError
from lendcrm.frames._read import build_book
from lendcrm.frames._write import BookFrames
from lendcrm.frames.columns import FACILITY_ID
from lendcrm.frames.mapping._quarantine import quarantine_rows
from lendcrm.frames.mapping._rules import RowRule
from lendcrm.frames.mapping._schema import Positions, reference_positions

__all__ = ["build_quarantined"]

#: A path of the book's own checks: ``facilities[3].collateral[0].asset_id``.
_ENTITY_PATH: Final = re.compile(r"(clients|facilities|projects)\[(\d+)\]\.(.+)")
_COLLATERAL_PATH: Final = re.compile(r"collateral\[(\d+)\]\.(.+)")

#: One refused row: frame, position in the frame built from, field, value, expected.
_Refusal = tuple[str, int, str, object, str]


def _described(exc: LendCRMError) -> tuple[object, str]:
    """The value an entity refused and what it expected."""
    expected = getattr(exc, "expected", None)
    if isinstance(expected, str):
        return getattr(exc, "value", None), expected
    kind = getattr(exc, "kind", "owner")
    return getattr(exc, "key", None), f"the id of a {kind} row that was built"


def _row_refusals(
    errors: Sequence[LendCRMError], clean: Mapping[str, pd.DataFrame]
) -> list[_Refusal] | None:
    """The rows the entity rows refused (paths ``frame[label].field``), or None."""
    paths: dict[str, dict[str, int]] = {}
    out: list[_Refusal] = []
    for exc in errors:
        field = getattr(exc, "field", "")
        name = field.split("[", 1)[0]
        if name not in clean or not isinstance(field, str):
            return None
        if name not in paths:
            labels = clean[name].index.tolist()
            paths[name] = {f"{name}[{label!r}]": k for k, label in enumerate(labels)}
        ends = [m.start() + 1 for m in re.finditer(r"\]\.", field)]
        found = [(field[:k], field[k + 1 :]) for k in ends if field[:k] in paths[name]]
        if not found:
            return None
        value, expected = _described(exc)
        out.append((name, paths[name][found[0][0]], found[0][1], value, expected))
    return out


def _book_refusals(
    errors: Sequence[LendCRMError], clean: Mapping[str, pd.DataFrame]
) -> list[_Refusal] | None:
    """The rows the book's own checks refused (paths ``facilities[i].field``)."""
    out: list[_Refusal] = []
    for exc in errors:
        match = _ENTITY_PATH.fullmatch(str(getattr(exc, "field", "")))
        if match is None:
            return None
        name, position, field = match[1], int(match[2]), match[3]
        value, expected = _described(exc)
        inner = _COLLATERAL_PATH.fullmatch(field)
        if name == "facilities" and inner is not None and "collateral" in clean:
            fid = clean["facilities"][FACILITY_ID].iloc[position]
            rows = np.flatnonzero((clean["collateral"][FACILITY_ID] == fid).to_numpy())
            name, position, field = "collateral", int(rows[int(inner[1])]), inner[2]
        out.append((name, position, field, value, expected))
    return out


def _refusal_rules(
    refusals: Sequence[_Refusal],
    frames: Mapping[str, pd.DataFrame],
    rejected: pd.DataFrame,
) -> list[RowRule]:
    """The refusals as rules on the input frames (one per frame, field and text)."""
    kept: dict[str, npt.NDArray[np.intp]] = {}
    groups: dict[tuple[str, str, str], list[tuple[int, object]]] = {}
    for name, position, field, value, expected in refusals:
        if name not in kept:
            gone = rejected.loc[rejected["frame"] == name, "position"].to_numpy()
            kept[name] = np.setdiff1d(np.arange(len(frames[name])), gone)
        groups.setdefault((name, field, expected), []).append(
            (int(kept[name][position]), value)
        )
    rules: list[RowRule] = []
    for (name, field, expected), rows in groups.items():
        frame = frames[name]
        mask = np.zeros(len(frame), np.bool_)
        shown = pd.Series(None, index=frame.index, dtype=object)
        for position, value in rows:
            mask[position] = True
            shown.iloc[position] = value
        rules.append(RowRule(frame=name, column=field, mask=mask,
                             expected=expected, shown=shown))  # fmt: skip
    return rules


def build_quarantined(
    frames: Mapping[str, pd.DataFrame],
    unparsed: Mapping[str, Sequence[RowRule]],
    integrity: Sequence[RowRule],
    positions: Positions | None = None,
) -> tuple[Book, BookFrames, pd.DataFrame]:
    """The book of the rows kept, their frames, and the rows set aside with reasons.

    Rows the entities refuse are set aside with their dependants and the book built
    again from the rest, until it builds: each round sets aside at least one row.
    ``positions`` are the frames' `reference_positions` (computed when not given).

    Raises:
        BatchValidationError: a refusal that names no row (not expected: the frame
            rules catch what the entities check across rows).
    """
    found: list[RowRule] = []
    if positions is None:
        positions = reference_positions(frames)
    while True:
        clean, rejected = quarantine_rows(
            frames, unparsed, [*integrity, *found], positions
        )
        kept = BookFrames(**clean)
        as_dict = attrs.asdict(kept, recurse=False)
        try:
            return build_book(as_dict), kept, rejected
        except BatchValidationError as exc:
            errors: list[LendCRMError] = list(exc.exceptions)  # type: ignore[arg-type]
            find = _book_refusals if exc.what == "entities" else _row_refusals
            refusals = find(errors, as_dict)
            if not refusals:
                raise
            found.extend(_refusal_rules(refusals, frames, rejected))
