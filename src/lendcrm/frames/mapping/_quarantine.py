"""Quarantine: set failing rows and their dependants aside, with reasons (private).

A row of any frame is set aside when it breaks a row rule (for the history frames also
the order rules of `history_rules`, for the contact frames those of `contact_rules`),
its text does not parse, its id is shared
by another row (case and surrounding whitespace ignored: all rows of the id go, as which
one is right is not known), it names an id no owner row has, it is on a parent cycle,
or it depends on a row set aside: a client whose parent, a facility whose client or
project, a child or history row whose owner, an interaction whose contact was set
aside. Valuations name their
collateral by position among the facility's collateral rows; the positions of the rows
kept are renumbered so each valuation stays with its collateral.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from lendcrm.frames.columns import COLLATERAL_INDEX, FACILITY_ID
from lendcrm.frames.mapping._contact_rules import interaction_rules
from lendcrm.frames.mapping._integrity import normalised, same_id_mask
from lendcrm.frames.mapping._keep import kept_rows
from lendcrm.frames.mapping._rules import RowRule, reasons_of
from lendcrm.frames.mapping._schema import (
    FRAME_NAMES,
    IDS,
    REJECTED_COLUMNS,
    Positions,
    mask_of,
    owner_columns,
    reference_positions,
    row_rules,
)

__all__ = ["quarantine_rows"]

#: Owners before their dependants.
_ORDER = ("clients", "projects", "facilities")


def _same_id_rule(frame: pd.DataFrame, name: str) -> RowRule | None:
    column = IDS[name]
    mask = same_id_mask(frame, column)
    if not mask.any():
        return None
    norm = normalised(frame[column])
    positions = pd.Series(np.arange(len(frame)), index=frame.index)[mask]
    groups = positions.groupby(norm[mask].to_numpy()).agg(
        lambda p: ", ".join(str(int(x)) for x in p)
    )
    notes = norm[mask].map(groups)
    values = pd.Series(None, index=frame.index, dtype=object)
    values[mask] = [f"{v!r} (rows at positions {n})" for v, n in
                    zip(frame[column][mask], notes, strict=True)]  # fmt: skip
    return RowRule(
        frame=name, column=column, mask=mask,
        expected="an id no other row has (case and surrounding whitespace ignored)",
        shown=values, raw=True,
    )  # fmt: skip


def _base_rules(
    name: str, frame: pd.DataFrame, unparsed: Sequence[RowRule]
) -> list[RowRule]:
    """A frame's own rules; a cell that did not parse is not also called missing."""
    rules = [
        r for r in row_rules(frame, name) if r.expected != "unique (no duplicate ids)"
    ]
    for parse_rule in unparsed:
        rules = [
            attrs.evolve(r, mask=r.mask & ~parse_rule.mask)
            if r.column == parse_rule.column else r
            for r in rules
        ]  # fmt: skip
    rules = [r for r in rules if r.mask.any()]
    if name in IDS:
        same = _same_id_rule(frame, name)
        rules.extend([same] if same is not None else [])
    repeated = frame.index.duplicated(keep="first")
    if repeated.any():
        rules.append(RowRule(
            frame=name, column="index", mask=repeated,
            expected="a row label no earlier row has (row labels are unique)",
            shown=pd.Series(frame.index, index=frame.index),
        ))  # fmt: skip
    return [*unparsed, *rules]


def _dependants(
    name: str,
    frame: pd.DataFrame,
    rejected: npt.NDArray[np.bool_],
    owners: Mapping[str, npt.NDArray[np.bool_]],
    positions: Positions,
) -> list[RowRule]:
    """Rows of ``frame`` whose owner row was set aside (for clients: transitively).

    ``owners`` are the rows set aside of the frames done so far. A reference's owner
    row is its `reference_positions` entry (no id is hashed again): every row of an
    id that several rows share is set aside, so the first one stands for them all.
    """
    rules: list[RowRule] = []
    for column, owner in owner_columns(name):
        if column not in frame.columns or (owner not in owners and owner != name):
            continue
        where = positions.get((name, column))
        if where is None:
            continue  # the owner frame is absent: no reference can be found
        while True:
            gone = rejected if owner == name else owners[owner]
            mask = ~rejected & np.append(gone, False)[where]
            if not mask.any():
                break
            rules.append(RowRule(frame=name, column=column, mask=mask,
                                 expected=f"the id of a {owner} row that was not set aside "
                                 "(this row depends on it)"))  # fmt: skip
            rejected = rejected | mask
            if owner != name:
                break
    return rules


def _renumber_valuations(
    frames: dict[str, pd.DataFrame], rejected: dict[str, npt.NDArray[np.bool_]]
) -> RowRule | None:
    """Valuations of set-aside collateral go too; the others follow their collateral."""
    if "valuations" not in frames or "collateral" not in frames:
        return None
    col, val = frames["collateral"], frames["valuations"]
    fid = col[FACILITY_ID].astype(object).where(col[FACILITY_ID].notna(), "")
    kept = pd.Series(~rejected["collateral"], index=col.index)
    old = fid.groupby(fid.to_numpy()).cumcount().to_numpy()
    new = (kept.groupby(fid.to_numpy()).cumsum() - 1).to_numpy()
    keys = pd.MultiIndex.from_arrays([fid.to_numpy(), old])
    index = (
        val[COLLATERAL_INDEX].to_numpy(dtype=np.float64, na_value=-1).astype(np.int64)
    )
    found = keys.get_indexer(
        pd.MultiIndex.from_arrays([val[FACILITY_ID].to_numpy(), index])
    )
    hit = found >= 0
    gone = hit & rejected["collateral"][np.maximum(found, 0)]
    renumbered = np.where(hit & ~gone, new[np.maximum(found, 0)], index)
    frames["valuations"] = val.assign(**{COLLATERAL_INDEX: renumbered.astype(np.int64)})
    if not gone.any():
        return None
    return RowRule(frame="valuations", column=COLLATERAL_INDEX, mask=gone,
                   expected="the position of a collateral row that was not set aside "
                   "(this row depends on it)")  # fmt: skip


def _rejected_frame(
    frames: Mapping[str, pd.DataFrame], rules: Mapping[str, list[RowRule]]
) -> pd.DataFrame:
    """One row per row set aside, frame by frame in row order, its reasons joined.

    A row's reasons keep the order of ``rules``; the few rows set aside are grouped
    by one stable sort of (frame, position), not by a groupby that calls Python per row.
    """
    order, positions, reasons = [], [], []
    for k, name in enumerate(FRAME_NAMES):
        for rule in rules.get(name, ()):
            where = np.flatnonzero(rule.mask)
            order.append(np.full(len(where), k, dtype=np.int64))
            positions.append(where.astype(np.int64))
            reasons.extend(reasons_of(rule, frames[name]))
    frame_of = np.concatenate([np.zeros(0, np.int64), *order])
    position = np.concatenate([np.zeros(0, np.int64), *positions])
    sort = np.lexsort((position, frame_of))  # stable: reasons stay in rule order
    frame_of, position = frame_of[sort], position[sort]
    starts = np.flatnonzero(
        np.r_[True, (frame_of[1:] != frame_of[:-1]) | (position[1:] != position[:-1])]
    )[: len(sort)]
    ends = np.append(starts[1:], len(sort))[: len(starts)]
    ordered = [reasons[i] for i in sort.tolist()]
    joined = [
        "; ".join(ordered[a:b])
        for a, b in zip(starts.tolist(), ends.tolist(), strict=True)
    ]
    names = [FRAME_NAMES[k] for k in frame_of[starts].tolist()]
    kept = position[starts]
    labels = [frames[n].index[p] for n, p in zip(names, kept.tolist(), strict=True)]
    out = pd.DataFrame(
        {
            "frame": names,
            "row": labels,
            "position": kept,
            "reason": joined or np.zeros(0),
        }
    )  # fmt: skip  (empty: float, as before)
    return out[list(REJECTED_COLUMNS)]


def quarantine_rows(
    frames: Mapping[str, pd.DataFrame],
    unparsed: Mapping[str, Sequence[RowRule]],
    integrity: Sequence[RowRule],
    positions: Positions | None = None,
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """The accepted rows of every frame, and the rows set aside with their reasons.

    ``integrity`` holds the rules found across frames (references, cycles) and any
    found when the entities were built; each is set aside with its dependants.
    ``positions`` are the frames' `reference_positions` (computed when not given).
    """
    if positions is None:
        positions = reference_positions(frames)
    rules = {
        name: _base_rules(name, frame, unparsed.get(name, ()))
        for name, frame in frames.items()
    }
    for rule in integrity:
        rules[rule.frame].append(rule)
    out = dict(frames)
    rejected: dict[str, npt.NDArray[np.bool_]] = {}
    rest = [n for n in FRAME_NAMES if n in frames and n not in _ORDER]
    for name in [*(n for n in _ORDER if n in frames), *rest]:
        frame = frames[name]
        mask = mask_of(rules[name], len(frame))
        rules[name].extend(_dependants(name, frame, mask, rejected, positions))
        if name == "valuations":
            extra = _renumber_valuations(out, rejected)
            rules[name].extend([extra] if extra is not None else [])
        if name == "interactions":
            already = mask_of(rules[name], len(frame))
            rules[name].extend(interaction_rules(frames, rejected, already))
        rejected[name] = mask_of(rules[name], len(frame))
    table = _rejected_frame(frames, rules)
    clean = {n: kept_rows(f, rejected[n]) for n, f in out.items()}
    return clean, table
