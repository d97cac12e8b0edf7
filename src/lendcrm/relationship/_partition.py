"""Split a book into client ranges in one pass per frame (the key partitioner).

Each frame's rows get a part number from their key's codes (client, facility or
project), then one stable sort by part number and one ``searchsorted`` cut every
frame into its parts: no per-part ``isin``. A facility or project id held by
clients of several parts (a shared project, a repeated facility id) sends its rows
to each of those parts, as the per-part ``isin`` did.
"""

from __future__ import annotations

import difflib
import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Final

import numpy as np
import pandas as pd

from lendcrm._arrays import IntArray
from lendcrm.errors import InvalidValueError, UnknownReferenceError
from lendcrm.frames import columns as schema
from lendcrm.relationship._gather import has_duplicates, positions

CLIENT_FRAMES: Final = (
    "feedback",
    "referrals",
    "measures",
    "ratings",
    "statements",
    "contacts",
    "interactions",
)
FACILITY_FRAMES: Final = (
    "collateral",
    "guarantees",
    "covenants",
    "repayment_terms",
    "repayment_profiles",
    "participations",
    "observations",
    "valuations",
)
PROJECT_FRAMES: Final = (
    "projects",
    "milestones",
    "drawdowns",
    "cash_flows",
    "sponsors",
)
# the frames whose unknown key the single run refuses (UnknownReferenceError)
CHECKED_CLIENT: Final = frozenset({"feedback", "referrals", "ratings", "interactions"})
CHECKED_PROJECT: Final = frozenset({"milestones", "drawdowns", "cash_flows"})


def label(value: object) -> object:
    """A row label as Python shows it (``0``, not ``np.int64(0)``)."""
    return value.item() if isinstance(value, np.generic) else value


def refuse_unknown(
    codes: IntArray, keys: pd.Series, *, frame: str, kind: str, known: pd.Series
) -> None:
    """Raise naming the first row (its original label) whose key is not known."""
    missing = (codes < 0) & np.asarray(keys.notna(), dtype=bool)
    if missing.any():
        i = int(np.argmax(missing))
        raise UnknownReferenceError(
            kind=kind,
            key=keys.iloc[i],
            field=f"{frame}[{label(keys.index[i])!r}]",
            known=tuple(str(k) for k in known.iloc[:50]),
        )


def refuse_duplicate_clients(ids: pd.Series) -> None:
    """Raise as the single run does, naming the repeated row's original label."""
    if has_duplicates(ids):
        i = int(np.argmax(pd.Index(ids).duplicated()))
        raise InvalidValueError(
            field=f"clients[{label(ids.index[i])!r}].client_id",
            value=ids.iloc[i],
            expected="a client id not already listed (one row per client)",
        )


def refuse_parent_cycles(
    clients: pd.DataFrame, field: Callable[[int], str] | None = None
) -> None:
    """Raise, as a `lendcrm.Book` of these clients does, on a parent cycle or orphan.

    The clients' parent chains are followed by pointer doubling (each step squares
    the chain: ``2**k`` parents after ``k`` steps), so a chain that reaches no group
    root after ``log2(n)`` steps is on a cycle or leads to one; clients cut into
    parts are checked by passing their concatenation. The cycle reached from the
    first such client is reported at its member first in order, with the
    `lendcrm.Book`'s message. In the Book's order, a client that is its own parent
    is refused first (the single run refuses that row), then a parent that is not
    among the clients (the first such row), then a cycle.

    Args:
        clients: The clients frame (ids unique; ``client_id`` and ``parent_id``).
        field: The field named for the client at a row position, or ``None`` for
            ``clients[label].parent_id`` (the row's label).

    Raises:
        InvalidValueError: a client its own parent, or a parent cycle (``hint``
            gives the cycle).
        UnknownReferenceError: a parent id that is no client's.
    """
    n = len(clients)
    if n == 0 or schema.PARENT_ID not in clients.columns:
        return
    ids = clients[schema.CLIENT_ID]
    parents = clients[schema.PARENT_ID]
    codes = positions(parents, pd.Index(ids))

    def name(i: int) -> str:
        if field is not None:
            return field(i)
        return f"clients[{label(ids.index[i])!r}].parent_id"

    own = codes == np.arange(n)
    if own.any():  # a row the single run refuses before it looks for cycles
        i = int(np.argmax(own))
        raise InvalidValueError(
            field=name(i),
            value=parents.iloc[i],
            expected="the id of another client (a client cannot own itself)",
        )
    unknown = (codes < 0) & np.asarray(parents.notna(), dtype=bool)
    if unknown.any():  # the Book refuses these before it looks for cycles
        i = int(np.argmax(unknown))
        key = parents.iloc[i]
        # the Book's hint: the closest of all client ids (only the closest is kept)
        close = difflib.get_close_matches(str(key), [str(v) for v in ids], n=1)
        raise UnknownReferenceError(
            kind="client", key=key, field=name(i), known=tuple(close)
        )
    steps = np.append(np.where(codes >= 0, codes, n), n)
    for _ in range(math.ceil(math.log2(n + 1)) + 1):
        if (steps[:n] == n).all():
            return
        steps = steps[steps]
    stuck = np.flatnonzero(steps[:n] != n)
    if stuck.size == 0:
        return
    loop = [int(steps[stuck[0]])]
    while (nxt := int(codes[loop[-1]])) != loop[0]:
        loop.append(nxt)
    k = loop.index(min(loop))
    loop = [*loop[k:], *loop[:k], loop[k]]
    first = loop[0]
    raise InvalidValueError(
        field=name(first),
        value=parents.iloc[first],
        expected="a parent chain that ends at a group root",
        hint=f"Parent cycle: {' -> '.join(str(ids.iloc[i]) for i in loop)}.",
    )


def split_by_part(
    frame: pd.DataFrame, part: IntArray, count: int
) -> list[pd.DataFrame]:
    """The rows of each part (part -1: in none), in their order, labels reset.

    One stable sort of the part numbers (a radix sort for small counts) and one
    ``searchsorted`` for the part boundaries.
    """
    small = np.int16 if count < np.iinfo(np.int16).max else np.int64
    order = np.argsort(part.astype(small), kind="stable")
    bounds = np.searchsorted(part[order], np.arange(count + 1), side="left")
    return [
        frame.take(order[lo:hi]).reset_index(drop=True)
        for lo, hi in itertools.pairwise(bounds)
    ]


class Owners:
    """The parts each id of a key belongs to, as sorted (code, part) pairs."""

    def __init__(self, keys: pd.Series, part: IntArray) -> None:
        codes, uniques = pd.factorize(keys)
        self.index: pd.Index = pd.Index(uniques)
        held = codes >= 0
        width = int(part.max(initial=0)) + 1
        pairs = np.unique(codes[held].astype(np.int64) * width + part[held])
        self.code = pairs // width
        self.part = pairs % width

    def rows(
        self, frame: pd.DataFrame, column: str
    ) -> tuple[pd.DataFrame, IntArray, IntArray]:
        """The frame's rows repeated once per owning part, with that part.

        Also returns the key's code of each original row (-1 where unknown).
        """
        codes = positions(frame[column], self.index)
        lo = np.searchsorted(self.code, codes, side="left")
        hi = np.searchsorted(self.code, codes, side="right")
        counts = np.where(codes >= 0, hi - lo, 0)
        if counts.size and (counts == 1).all():
            return frame, self.part[lo], codes
        row = np.repeat(np.arange(len(frame)), counts)
        first = np.repeat(np.cumsum(counts) - counts, counts)
        pair = np.repeat(lo, counts) + (np.arange(row.size) - first)
        return frame.take(row), self.part[pair], codes


def client_parts(n: int, count: int) -> IntArray:
    """Part of each client: ``count`` runs of consecutive clients (as linspace cuts)."""
    bounds = np.linspace(0, n, min(count, max(n, 1)) + 1)
    edges = np.round(bounds).astype(np.int64)
    return np.repeat(np.arange(len(edges) - 1), np.diff(edges))


def split_frames(
    frames: Mapping[str, pd.DataFrame],
    signals: pd.DataFrame | None,
    count: int,
) -> tuple[list[dict[str, pd.DataFrame]], list[pd.DataFrame] | None]:
    """Cut every frame of a book into the parts of ``client_parts``.

    Raises:
        InvalidValueError: a client id listed twice.
        UnknownReferenceError: a facility of no client, or a record the single
            run refuses (its original row label named).
    """
    clients = frames["clients"]
    ids = clients[schema.CLIENT_ID]
    refuse_duplicate_clients(ids)
    refuse_parent_cycles(clients)
    client_part = client_parts(len(clients), count)
    parts = len(np.unique(client_part)) if len(clients) else 1
    client_index = pd.Index(ids)
    out: list[dict[str, pd.DataFrame]] = [{} for _ in range(parts)]

    def by_client(name: str, frame: pd.DataFrame, *, check: bool) -> list[pd.DataFrame]:
        codes = positions(frame[schema.CLIENT_ID], client_index)
        if check:
            refuse_unknown(
                codes, frame[schema.CLIENT_ID], frame=name, kind="client", known=ids
            )
        part = np.where(codes >= 0, client_part[np.maximum(codes, 0)], -1)
        return split_by_part(frame, part, parts)

    out_clients = split_by_part(clients, client_part, parts)
    fac = frames["facilities"]
    fac_split = by_client("facilities", fac, check=True)
    fac_codes = positions(fac[schema.CLIENT_ID], client_index)
    fac_part = client_part[fac_codes] if len(fac) else np.zeros(0, np.int64)
    projects = frames["projects"]
    proj_codes = positions(
        fac[schema.PROJECT_ID], pd.Index(projects[schema.PROJECT_ID])
    )
    refuse_unknown(
        proj_codes,
        fac[schema.PROJECT_ID],
        frame="facilities",
        kind="project",
        known=projects[schema.PROJECT_ID],
    )
    fac_owners = Owners(fac[schema.FACILITY_ID], fac_part)
    proj_owners = Owners(fac[schema.PROJECT_ID], fac_part)
    for k in range(parts):
        out[k]["clients"] = out_clients[k]
        out[k]["facilities"] = fac_split[k]
    for name in CLIENT_FRAMES:
        for k, piece in enumerate(
            by_client(name, frames[name], check=name in CHECKED_CLIENT)
        ):
            out[k][name] = piece
    for names, owners, column in (
        (FACILITY_FRAMES, fac_owners, schema.FACILITY_ID),
        (PROJECT_FRAMES, proj_owners, schema.PROJECT_ID),
    ):
        for name in names:
            frame = frames[name]
            if name in CHECKED_PROJECT:
                known = positions(frame[column], pd.Index(projects[schema.PROJECT_ID]))
                refuse_unknown(
                    known,
                    frame[column],
                    frame=name,
                    kind="project",
                    known=projects[schema.PROJECT_ID],
                )
            rows, part, _ = owners.rows(frame, column)
            for k, piece in enumerate(split_by_part(rows, part, parts)):
                out[k][name] = piece
    sig = None if signals is None else by_client("signals", signals, check=False)
    return out, sig


def check_closure(k: int, frames: Mapping[str, pd.DataFrame]) -> None:
    """Refuse a record of part ``k`` whose client or project is not in part ``k``."""
    ids = frames["clients"][schema.CLIENT_ID]
    client_index = pd.Index(ids)
    projects = frames["projects"][schema.PROJECT_ID]
    project_index = pd.Index(projects)
    checks = [("facilities", schema.CLIENT_ID, "client")]
    checks += [(name, schema.CLIENT_ID, "client") for name in sorted(CHECKED_CLIENT)]
    checks += [("facilities", schema.PROJECT_ID, "project")]
    checks += [(name, schema.PROJECT_ID, "project") for name in sorted(CHECKED_PROJECT)]
    for name, column, kind in checks:
        keys = frames[name][column]
        index, known = (
            (client_index, ids) if kind == "client" else (project_index, projects)
        )
        refuse_unknown(
            positions(keys, index),
            keys,
            frame=f"parts[{k}].{name}",
            kind=kind,
            known=known,
        )


def check_unique_clients(parts: Sequence[Mapping[str, pd.DataFrame]]) -> None:
    """Refuse a client id listed twice, in one part or in two (both parts named)."""
    columns = [frames["clients"][schema.CLIENT_ID] for frames in parts]
    if not columns:
        return
    ids = pd.concat(columns)
    if not has_duplicates(ids):
        return
    ends = np.cumsum([len(c) for c in columns])
    repeated = pd.Index(ids).duplicated()
    j = int(np.argmax(repeated))
    first = int(np.argmax(np.asarray(ids == ids.iloc[j], dtype=bool)))
    k, k0 = (int(np.searchsorted(ends, x, side="right")) for x in (j, first))
    where = "" if k == k0 else f"; parts[{k0}] lists it too"
    raise InvalidValueError(
        field=f"parts[{k}].clients[{label(ids.index[j])!r}].client_id",
        value=ids.iloc[j],
        expected=f"a client id not already listed (one row per client){where}",
    )


def refuse_cycles_across(parts: Sequence[Mapping[str, pd.DataFrame]]) -> None:
    """Refuse a parent cycle among the clients of all the parts (ids unique).

    The part and the row label of the cycle's first client are named
    (``parts[k].clients[label].parent_id``).
    """
    keys = [schema.CLIENT_ID, schema.PARENT_ID]
    frames = [frames["clients"].reindex(columns=keys) for frames in parts]
    if not frames:
        return
    clients = pd.concat(frames)
    ends = np.cumsum([len(f) for f in frames])

    def field(i: int) -> str:
        k = int(np.searchsorted(ends, i, side="right"))
        return f"parts[{k}].clients[{label(clients.index[i])!r}].parent_id"

    refuse_parent_cycles(clients, field)
