"""The book's frames as `load_book` sees them: names, ids, owners, rules (private)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Final

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from lendcrm.errors import (
    BatchValidationError,
    InvalidValueError,
    LendCRMError,
    SchemaError,
)
from lendcrm.frames._check import check_frame, check_with_rules, no_rules
from lendcrm.frames._contact_frames import CONTACT_SPECS
from lendcrm.frames._history_check import HISTORY_VALIDATORS
from lendcrm.frames._history_specs import HISTORY_SPECS
from lendcrm.frames._specs import (
    CHILD_SPECS,
    CLIENT_SPECS,
    FACILITY_SPECS,
    PROJECT_SPECS,
)
from lendcrm.frames._write import BookFrames
from lendcrm.frames.columns import CLIENT_ID, FACILITY_ID, PARENT_ID, PROJECT_ID
from lendcrm.frames.mapping._contact_rules import contact_rules
from lendcrm.frames.mapping._history_rules import history_rules
from lendcrm.frames.mapping._integrity import (
    cycle_rule,
    near_duplicate_rule,
    owner_positions,
    reference_rule,
)
from lendcrm.frames.mapping._rules import RowRule, cross_rules, spec_rules

__all__ = [
    "FRAME_NAMES",
    "IDS",
    "REJECTED_COLUMNS",
    "SPECS",
    "Positions",
    "collect",
    "frame_check",
    "integrity_rules",
    "mask_of",
    "owner_columns",
    "reference_positions",
    "row_rules",
]

#: The frames a book is loaded from, in `BookFrames` order.
FRAME_NAMES: Final = tuple(f.name for f in attrs.fields(BookFrames))
#: Entity frames: their id column.
IDS: Final = {"clients": CLIENT_ID, "facilities": FACILITY_ID, "projects": PROJECT_ID}
SPECS: Final = {
    "clients": CLIENT_SPECS,
    "facilities": FACILITY_SPECS,
    "projects": PROJECT_SPECS,
    **CHILD_SPECS,
    **HISTORY_SPECS,
    **CONTACT_SPECS,
}


def owner_columns(name: str) -> list[tuple[str, str]]:
    """(reference column, owner frame) pairs of frame ``name``."""
    if name == "clients":
        return [(PARENT_ID, "clients")]
    if name == "facilities":
        return [(CLIENT_ID, "clients"), (PROJECT_ID, "projects")]
    names = [s.name for s in SPECS[name]]
    for column, owner in ((FACILITY_ID, "facilities"), (PROJECT_ID, "projects")):
        if column in names:
            return [(column, owner)]
    return [(CLIENT_ID, "clients")]


#: The columns of `LoadedBook.rejected`.
REJECTED_COLUMNS: Final = ("frame", "row", "position", "reason")


#: The owner rows of each reference column: ``(frame, column)`` to `owner_positions`.
Positions = dict[tuple[str, str], npt.NDArray[np.intp]]


def reference_positions(frames: Mapping[str, pd.DataFrame]) -> Positions:
    """For each reference column of ``frames``: the first owner row of each row's id.

    Each owner frame's id column is factorised once, together with every column that
    refers to it (`owner_positions`); ``len(owner frame)`` stands for a missing or
    unknown reference. The reference and cycle rules and quarantine's dependants read
    the result.
    """
    links = [
        (name, column, owner)
        for name, frame in frames.items()
        for column, owner in owner_columns(name)
        if column in frame.columns and owner in frames
    ]
    positions: Positions = {}
    for owner in dict.fromkeys(owner for _, _, owner in links):
        refs = [(name, column) for name, column, o in links if o == owner]
        found = owner_positions(
            frames[owner][IDS[owner]], [frames[name][column] for name, column in refs]
        )
        positions.update(zip(refs, found, strict=True))
    return positions


def integrity_rules(
    frames: Mapping[str, pd.DataFrame],
    *,
    near_duplicates: bool = True,
    positions: Positions | None = None,
    distinct: Mapping[str, bool] | None = None,
) -> list[RowRule]:
    """Near-duplicate ids, unknown references and parent cycles of every frame.

    ``positions`` are the frames' `reference_positions` (computed when not given);
    ``distinct`` says by frame name whether its ids are `distinct_once_normalised`
    (found when not given).
    """
    distinct = distinct or {}
    if positions is None:
        positions = reference_positions(frames)
    rules: list[RowRule | None] = []
    for name, frame in frames.items():
        if name in IDS and near_duplicates:
            rules.append(near_duplicate_rule(frame, name, IDS[name],
                                             distinct=distinct.get(name)))  # fmt: skip
        for column, owner in owner_columns(name):
            if (name, column) in positions:
                rules.append(reference_rule(frame, name, column, owner,
                                            positions=positions[name, column],
                                            n_owners=len(frames[owner])))  # fmt: skip
    if "clients" in frames:
        parents = positions.get(("clients", PARENT_ID))
        rules.append(
            cycle_rule(frames["clients"], "clients", CLIENT_ID, PARENT_ID, parents)
        )
    return [r for r in rules if r is not None]


def mask_of(rules: Sequence[RowRule], n: int) -> npt.NDArray[np.bool_]:
    """The rows any of ``rules`` flags."""
    out = np.zeros(n, np.bool_)
    for rule in rules:
        out |= rule.mask
    return out


def row_rules(frame: pd.DataFrame, name: str) -> list[RowRule]:
    """Every row rule of frame ``name`` (schema already checked), as masks.

    The exact-repeat rule of the id column is not among them: quarantine sets aside
    every row of a shared id with the wider same-id rule (case and whitespace
    ignored), which names each repeat, so the narrower rule is not computed.
    """
    extra = (
        history_rules(frame, name)
        if name in HISTORY_SPECS
        else contact_rules(frame, name)
    )
    return [*spec_rules(frame, SPECS[name], name), *cross_rules(frame, name), *extra]


def collect(run: Callable[[], None], names: Sequence[str]) -> list[LendCRMError]:
    """The errors ``run`` raises, as a list; a schema error's hint names only extras."""
    try:
        run()
    except SchemaError as exc:  # did-you-mean among the columns the spec lacks only
        extra = [c for c in exc.known if c not in names]
        return [SchemaError(frame=exc.frame, missing=exc.missing,
                            unexpected=exc.unexpected, wrong_dtype=exc.wrong_dtype,
                            known=extra)]  # fmt: skip
    except BatchValidationError as exc:
        return list(exc.exceptions)  # type: ignore[arg-type]
    except InvalidValueError as exc:
        return [exc]
    return []


def frame_check(
    name: str, frame: pd.DataFrame, *, rows: bool, distinct: bool = False
) -> Callable[[], None]:
    """The existing check of frame ``name`` (schema only when ``rows`` is false).

    ``distinct``: its ids are known `distinct_once_normalised`, so the unique rule
    (which could find no repeat) is not run again.
    """
    specs = SPECS[name]
    if not rows:
        return lambda: check_frame(frame.iloc[:0], specs, frame_name=name,
                                   require_rows=False)  # fmt: skip
    if name in HISTORY_VALIDATORS:
        return lambda: HISTORY_VALIDATORS[name](frame)
    unique = (IDS[name],) if name in IDS and not distinct else ()
    required = name == "clients"

    def run() -> None:
        check_with_rules(frame, specs, name, unique, no_rules, require_rows=required)
        if name in {"facilities", "projects"}:
            extra = cross_rules(frame, name)
            if extra:
                raise BatchValidationError([r.error(frame) for r in extra],
                                           total=len(frame))  # fmt: skip

    return run
