"""Coverage of a book by its relationship managers: who covers whom, and how loaded each RM is.

`coverage` validates a roster, the clients with their tiers and the client → primary
RM assignment once, factorises every id to an integer code, and returns a `Coverage`:
clients and weighted workload per RM (vectorised with ``numpy.bincount``), the
clients per RM and tier, the uncovered clients and the RMs over capacity. `rm_load`
is the one-RM counterpart the batch figures are tested against.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from lendcrm._arrays import BoolArray, FloatArray, IntArray, enum_codes
from lendcrm._collections import object_column, sequence_of
from lendcrm._validators import enum_member, require_instance
from lendcrm.errors import InvalidValueError, UnknownReferenceError
from lendcrm.relationship.workflows._staff import (
    TIER_WEIGHTS,
    RelationshipManager,
    RoleAssignment,
    Team,
    tier_weight_array,
)
from lendcrm.segmentation import TIER_LEVELS, Tier

__all__ = ["Coverage", "RmLoad", "coverage", "rm_load"]

ObjectArray = npt.NDArray[np.object_]
_N_TIERS = len(TIER_LEVELS)
#: Code of an RM id that is not in the roster (before the error is raised).
_UNKNOWN = -2


@attrs.frozen(kw_only=True)
class RmLoad:
    """One relationship manager's load against their capacity.

    Attributes:
        rm_id: The RM.
        clients: Clients covered as primary RM.
        workload: Sum of the tier weights of those clients.
        clients_by_tier: Clients per tier, diamond first.
        client_capacity: Most clients allowed (``None``: no limit).
        workload_capacity: Most workload allowed (``None``: no limit).
        over_capacity: Whether either limit is exceeded.
    """

    rm_id: str
    clients: int
    workload: float
    clients_by_tier: tuple[int, ...]
    client_capacity: int | None
    workload_capacity: float | None
    over_capacity: bool


def _limit(value: float | None) -> float:
    return np.inf if value is None else float(value)


def rm_load(
    manager: RelationshipManager,
    tiers: Iterable[Tier | str],
    *,
    tier_weights: Mapping[str, float] = TIER_WEIGHTS,
) -> RmLoad:
    """The load of one RM from the tiers of the clients they cover (one-RM form).

    Args:
        manager: The RM.
        tiers: The tier of each client the RM covers as primary RM.
        tier_weights: Workload weight per tier (default `TIER_WEIGHTS`).

    Examples:
        >>> rm = RelationshipManager(id="RM-1", team="north", level="senior",
        ...                          client_capacity=3, workload_capacity=10.0)
        >>> load = rm_load(rm, ["diamond", "gold", "basic", "basic"])
        >>> load.clients, load.workload, load.clients_by_tier, load.over_capacity
        (4, 7.0, (1, 1, 0, 2), True)
    """
    require_instance(
        manager, RelationshipManager, name="manager", what="a RelationshipManager"
    )
    weights = tier_weight_array(tier_weights)
    counts = [0] * _N_TIERS
    if isinstance(tiers, str) or not isinstance(tiers, Iterable):
        raise InvalidValueError(
            field="tiers", value=tiers, expected="an iterable of tiers"
        )
    for i, tier in enumerate(tiers):
        counts[enum_member(Tier, tier, name=f"tiers[{i}]").rank] += 1
    clients = sum(counts)
    workload = float(sum(c * w for c, w in zip(counts, weights.tolist(), strict=True)))
    over = clients > _limit(manager.client_capacity) or workload > _limit(
        manager.workload_capacity
    )
    return RmLoad(
        rm_id=manager.id,
        clients=clients,
        workload=workload,
        clients_by_tier=tuple(counts),
        client_capacity=manager.client_capacity,
        workload_capacity=manager.workload_capacity,
        over_capacity=bool(over),
    )


def _clients_per_rm(cov: Coverage) -> IntArray:
    rms = cov.primary[cov.primary >= 0]
    return np.bincount(rms, minlength=len(cov.managers)).astype(np.int64)


def _workload(cov: Coverage) -> FloatArray:
    covered = cov.primary >= 0
    weights = cov.tier_weights[cov.tier_codes[covered]]
    return np.bincount(
        cov.primary[covered], weights=weights, minlength=len(cov.managers)
    ).astype(np.float64)


def _limits(managers: Sequence[RelationshipManager], name: str) -> FloatArray:
    return np.array([_limit(getattr(m, name)) for m in managers], dtype=np.float64)


@attrs.frozen(kw_only=True, eq=False)
class Coverage:
    """A book's coverage: the roster, the clients and each client's primary RM.

    Build it with `coverage`. The arrays are aligned: ``client_ids[i]`` has tier
    code ``tier_codes[i]`` (0 = diamond) and is covered by
    ``managers[primary[i]]`` (``-1``: uncovered).

    Attributes:
        managers: The roster, in the order given.
        client_ids: Client ids (object array).
        tier_codes: Tier rank per client (0 = diamond ... 3 = basic).
        primary: Index into ``managers`` of each client's primary RM, ``-1`` if none.
        tier_weights: Workload weight per tier code (4 floats, diamond first).
        roles: Team members in roles besides the primary RM.
        clients_per_rm: Clients per RM (aligned with ``managers``).
        workload: Weighted workload per RM.
        client_capacity: Client capacity per RM (``inf``: no limit).
        workload_capacity: Workload capacity per RM (``inf``: no limit).
    """

    managers: tuple[RelationshipManager, ...]
    client_ids: ObjectArray
    tier_codes: IntArray
    primary: IntArray
    tier_weights: FloatArray
    roles: tuple[RoleAssignment, ...] = ()
    clients_per_rm: IntArray = attrs.field(
        init=False, repr=False, default=attrs.Factory(_clients_per_rm, takes_self=True)
    )
    workload: FloatArray = attrs.field(
        init=False, repr=False, default=attrs.Factory(_workload, takes_self=True)
    )
    client_capacity: FloatArray = attrs.field(
        init=False,
        repr=False,
        default=attrs.Factory(
            lambda c: _limits(c.managers, "client_capacity"), takes_self=True
        ),
    )
    workload_capacity: FloatArray = attrs.field(
        init=False,
        repr=False,
        default=attrs.Factory(
            lambda c: _limits(c.managers, "workload_capacity"), takes_self=True
        ),
    )

    @property
    def manager_ids(self) -> tuple[str, ...]:
        """The RM ids, in roster order."""
        return tuple(m.id for m in self.managers)

    @property
    def client_weights(self) -> FloatArray:
        """Workload weight of each client (its tier's weight)."""
        return self.tier_weights[self.tier_codes]

    @property
    def senior(self) -> BoolArray:
        """Per RM: whether the RM is senior or head (may cover diamond clients)."""
        return np.array([m.level.is_senior for m in self.managers], dtype=bool)

    @property
    def over_capacity_mask(self) -> BoolArray:
        """Per RM: more clients or more workload than the capacity allows."""
        return (self.clients_per_rm > self.client_capacity) | (
            self.workload > self.workload_capacity
        )

    def over_capacity(self) -> tuple[str, ...]:
        """Ids of the RMs over capacity, in roster order."""
        return tuple(
            m.id
            for m, over in zip(self.managers, self.over_capacity_mask, strict=True)
            if over
        )

    def uncovered(self) -> tuple[str, ...]:
        """Ids of the clients without a primary RM, in client order."""
        return tuple(self.client_ids[self.primary < 0].tolist())

    def clients_by_tier(self) -> IntArray:
        """Clients per RM (rows, roster order) and tier (columns, diamond first)."""
        n = len(self.managers)
        covered = self.primary >= 0
        flat = self.primary[covered] * _N_TIERS + self.tier_codes[covered]
        counts = np.bincount(flat, minlength=n * _N_TIERS)
        return counts.reshape(n, _N_TIERS).astype(np.int64)

    def loads(self) -> tuple[RmLoad, ...]:
        """Every RM's `RmLoad`, in roster order (equals `rm_load` RM by RM)."""
        by_tier = self.clients_by_tier().tolist()
        over = self.over_capacity_mask.tolist()
        return tuple(
            RmLoad(
                rm_id=m.id,
                clients=int(self.clients_per_rm[i]),
                workload=float(self.workload[i]),
                clients_by_tier=tuple(by_tier[i]),
                client_capacity=m.client_capacity,
                workload_capacity=m.workload_capacity,
                over_capacity=bool(over[i]),
            )
            for i, m in enumerate(self.managers)
        )

    def team_workload(self) -> dict[str, float]:
        """Workload per team id, teams in order of first appearance in the roster."""
        out: dict[str, float] = {}
        for m, load in zip(self.managers, self.workload.tolist(), strict=True):
            out[m.team] = out.get(m.team, 0.0) + load
        return out

    def with_primary(self, primary: IntArray) -> Coverage:
        """The same roster and clients with another assignment (RM codes per client)."""
        return Coverage(
            managers=self.managers,
            client_ids=self.client_ids,
            tier_codes=self.tier_codes,
            primary=np.asarray(primary, dtype=np.int64),
            tier_weights=self.tier_weights,
            roles=self.roles,
        )


def _roster(
    managers: Sequence[RelationshipManager], teams: Sequence[Team]
) -> dict[str, int]:
    index: dict[str, int] = {}
    given = sequence_of(managers, object, name="managers", what="RelationshipManager")
    for i, m in enumerate(given):
        if not isinstance(m, RelationshipManager):
            raise InvalidValueError(
                field=f"managers[{i}]",
                value=type(m).__name__,
                expected="a RelationshipManager",
            )
        if m.id in index:
            raise InvalidValueError(
                field=f"relationship_manager[{m.id!r}].id",
                value=m.id,
                expected="unique in the roster (no duplicate RM ids)",
            )
        index[m.id] = i
    if teams:
        members = {t.id: {m.id for m in managers if m.team == t.id} for t in teams}
        for m in managers:
            if m.team not in members:
                raise UnknownReferenceError(
                    kind="team",
                    key=m.team,
                    field=f"relationship_manager[{m.id!r}].team",
                    known=sorted(members),
                )
        for t in teams:
            if t.head is not None and t.head not in members[t.id]:
                raise UnknownReferenceError(
                    kind=f"relationship manager in team {t.id!r}",
                    key=t.head,
                    field=f"team[{t.id!r}].head",
                    known=sorted(members[t.id]),
                )
    return index


def _tier_codes(tiers: object, n: int) -> IntArray:
    arr = np.asarray(tiers)
    if arr.dtype.kind in "iu":
        codes = arr.astype(np.int64).reshape(-1)
        bad = (codes < 0) | (codes >= _N_TIERS)
        if bad.any():
            i = int(np.argmax(bad))
            raise InvalidValueError(
                field=f"tiers[{i}]", value=int(codes[i]), expected="a tier code 0-3"
            )
    else:
        codes = enum_codes(tiers, Tier, name="tiers")[1]
    if codes.shape[0] != n:
        raise InvalidValueError(
            field="tiers",
            value=f"length {codes.shape[0]}",
            expected=f"one tier per client ({n})",
        )
    return codes


def _primary_codes(
    primary: Mapping[str, str | None] | Sequence[str | None] | ObjectArray,
    ids: ObjectArray,
    rm_index: dict[str, int],
) -> IntArray:
    n = ids.shape[0]
    if isinstance(primary, Mapping):
        pos = {c: i for i, c in enumerate(ids.tolist())}
        codes = np.full(n, -1, dtype=np.int64)
        for client, rm in primary.items():
            i = pos.get(client)
            if i is None:
                raise UnknownReferenceError(
                    kind="client",
                    key=client,
                    field=f"primary[{client!r}]",
                    known=list(pos)[:50],
                )
            codes[i] = _rm_code(rm, client, rm_index)
        return codes
    values = object_column(primary, name="primary").tolist()
    if len(values) != n:
        raise InvalidValueError(
            field="primary",
            value=f"length {len(values)}",
            expected=f"one RM id (or None) per client ({n}), or a client -> RM mapping",
        )
    table: dict[object, int] = {None: -1, "": -1}
    table.update(rm_index)
    codes = np.fromiter(
        map(table.get, values, itertools.repeat(_UNKNOWN)), dtype=np.int64, count=n
    )
    for i in np.flatnonzero(codes == _UNKNOWN).tolist():  # NaN, or an unknown RM
        codes[i] = _rm_code(values[i], ids[i], rm_index)
    return codes


def _missing(rm: object) -> bool:
    """``None``, ``""`` or NaN (pandas' missing value): no primary RM."""
    return rm is None or rm == "" or (isinstance(rm, float) and math.isnan(rm))


def _rm_code(rm: str | None, client: object, rm_index: dict[str, int]) -> int:
    if rm is None or _missing(rm):
        return -1
    code = rm_index.get(rm)
    if code is None:
        raise UnknownReferenceError(
            kind="relationship manager",
            key=rm,
            field=f"primary[{client!r}]",
            known=sorted(rm_index),
        )
    return code


def _check_roles(
    roles: Iterable[RoleAssignment], ids: ObjectArray, rm_index: dict[str, int]
) -> tuple[RoleAssignment, ...]:
    out = tuple(roles)
    if not out:
        return out
    known = set(ids.tolist())
    for i, role in enumerate(out):
        if role.client_id not in known:
            raise UnknownReferenceError(
                kind="client", key=role.client_id, field=f"roles[{i}].client_id"
            )
        if role.member_id not in rm_index:
            raise UnknownReferenceError(
                kind="relationship manager",
                key=role.member_id,
                field=f"roles[{i}].member_id",
                known=sorted(rm_index),
            )
    return out


def coverage(
    managers: Sequence[RelationshipManager],
    client_ids: Sequence[str] | ObjectArray,
    tiers: Sequence[str] | npt.NDArray[Any],
    primary: Mapping[str, str | None] | Sequence[str | None] | ObjectArray,
    *,
    tier_weights: Mapping[str, float] = TIER_WEIGHTS,
    teams: Sequence[Team] = (),
    roles: Iterable[RoleAssignment] = (),
) -> Coverage:
    """Validate a roster, a book's clients and their primary RMs; return the `Coverage`.

    Args:
        managers: The roster (unique ids).
        client_ids: The clients (unique ids).
        tiers: Each client's tier: tier values (``"diamond"`` ...) or tier codes
            0-3 (diamond first).
        primary: Each client's primary RM: a mapping client → RM id (clients left
            out are uncovered) or one RM id per client (``None``, ``""`` or
            NaN: uncovered).
        tier_weights: Workload weight per tier (default `TIER_WEIGHTS`).
        teams: The teams; when given, every RM's team must be one of them and a
            team's head one of its members.
        roles: Team members in roles besides the primary RM.

    Raises:
        UnknownReferenceError: an assignment names a client not in ``client_ids``
            or an RM not in the roster, an RM's team is unknown, or a role names
            an unknown client or member; the message names the field.
        InvalidValueError: duplicate RM or client ids, an unknown tier, lengths that
            differ, or a negative tier weight.

    Examples:
        >>> rms = [
        ...     RelationshipManager(id="RM-1", team="north", level="senior",
        ...                         client_capacity=2),
        ...     RelationshipManager(id="RM-2", team="north", level="junior",
        ...                         client_capacity=2),
        ... ]
        >>> cov = coverage(rms, ["C-1", "C-2", "C-3", "C-4"],
        ...                ["diamond", "gold", "basic", "silver"],
        ...                {"C-1": "RM-1", "C-2": "RM-1", "C-3": "RM-1"})
        >>> cov.clients_per_rm.tolist(), cov.workload.tolist()
        ([3, 0], [6.5, 0.0])
        >>> cov.over_capacity(), cov.uncovered()
        (('RM-1',), ('C-4',))
        >>> coverage(rms, ["C-1"], ["gold"], {"C-1": "RM-9"})
        Traceback (most recent call last):
        ...
        lendcrm.errors.UnknownReferenceError: No relationship manager with id 'RM-9' (referenced by `primary['C-1']`). Did you mean 'RM-2'?
    """
    rm_index = _roster(managers, teams)
    ids = object_column(client_ids, name="client_ids")
    if ids.shape[0] and pd.api.types.infer_dtype(ids, skipna=False) != "string":
        i, item = next(
            (i, c) for i, c in enumerate(ids.tolist()) if not isinstance(c, str)
        )
        raise InvalidValueError(
            field=f"client_ids[{i}]", value=item, expected="a client id (a string)"
        )
    if len(set(ids.tolist())) != ids.shape[0]:
        seen: set[object] = set()
        dup = next(c for c in ids.tolist() if c in seen or seen.add(c))  # type: ignore[func-returns-value]
        raise InvalidValueError(
            field="client_ids", value=dup, expected="unique client ids"
        )
    codes = _tier_codes(tiers, ids.shape[0])
    return Coverage(
        managers=tuple(managers),
        client_ids=ids,
        tier_codes=codes,
        primary=_primary_codes(primary, ids, rm_index),
        tier_weights=tier_weight_array(tier_weights),
        roles=_check_roles(roles, ids, rm_index),
    )
