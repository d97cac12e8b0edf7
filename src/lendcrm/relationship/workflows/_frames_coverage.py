"""pandas faces of coverage: the managers, assignments and roles frames in, coverage and moves out.

Each frame is checked once with `lendcrm.frames.check_frame` (every failing rule named
with its first offending row labels), then the ids that must refer to something are
checked vectorised (``isin``) and reported the same way, before the numpy core runs.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from lendcrm._collections import sequence_of
from lendcrm._validators import require_instance
from lendcrm.errors import InvalidRowsError, InvalidValueError
from lendcrm.frames import ColumnSpec, check_frame
from lendcrm.frames.columns import CLIENT_ID, ROLE
from lendcrm.relationship.workflows import columns as col
from lendcrm.relationship.workflows._coverage import Coverage, coverage
from lendcrm.relationship.workflows._rebalance import RebalanceProposal
from lendcrm.relationship.workflows._staff import (
    TIER_WEIGHTS,
    RelationshipManager,
    RmLevel,
    RoleAssignment,
    TeamRole,
)
from lendcrm.segmentation import TIER_LEVELS

__all__ = [
    "check_assignments_frame",
    "check_managers_frame",
    "coverage_frame",
    "coverage_from_frames",
    "managers_frame",
    "managers_from_frame",
    "moves_frame",
]

_MANAGER_SPECS: Final = (
    ColumnSpec(name=col.RM_ID, kind="str"),
    ColumnSpec(name=col.TEAM, kind="str"),
    ColumnSpec(
        name=col.RM_LEVEL, kind="category", allowed=tuple(m.value for m in RmLevel)
    ),
    ColumnSpec(name=col.CLIENT_CAPACITY, kind="int", lower=0, nullable=True),
    ColumnSpec(name=col.WORKLOAD_CAPACITY, kind="float", lower=0, nullable=True),
)
_ASSIGNMENT_SPECS: Final = (
    ColumnSpec(name=CLIENT_ID, kind="str"),
    ColumnSpec(name=col.CLIENT_TIER, kind="category", allowed=TIER_LEVELS),
    ColumnSpec(name=col.PRIMARY_RM, kind="str", nullable=True),
)
_ROLE_SPECS: Final = (
    ColumnSpec(name=CLIENT_ID, kind="str"),
    ColumnSpec(name=ROLE, kind="category", allowed=tuple(r.value for r in TeamRole)),
    ColumnSpec(name=col.MEMBER_ID, kind="str"),
)


def check_managers_frame(frame: pd.DataFrame) -> None:
    """Check a managers frame: one row per RM, unique ids, capacities >= 0 or missing.

    Raises:
        SchemaError: missing columns or wrong dtypes.
        BatchValidationError: one `InvalidRowsError` per failing rule, naming the
            first offending rows (e.g. a negative capacity, a duplicate id).

    Examples:
        >>> import pandas as pd
        >>> check_managers_frame(pd.DataFrame({
        ...     "rm_id": ["RM-1", "RM-2"], "team": ["n", "n"],
        ...     "rm_level": ["senior", "junior"], "client_capacity": [100, -3],
        ...     "workload_capacity": [None, 80.0]}))
        Traceback (most recent call last):
        ...
        lendcrm.errors.BatchValidationError: 1 of 2 rows are invalid: `managers[1].client_capacity` must be a whole number >= 0; got -3. 1 row fails this rule: 1. (1 sub-exception)
    """
    check_frame(frame, _MANAGER_SPECS, frame_name="managers", unique=(col.RM_ID,))


def check_assignments_frame(
    frame: pd.DataFrame, managers: pd.DataFrame | None = None
) -> None:
    """Check an assignments frame: one row per client, its tier and its primary RM.

    Args:
        frame: Columns ``client_id`` (unique), ``tier``, ``primary_rm`` (missing:
            uncovered).
        managers: When given, every ``primary_rm`` must be one of its ``rm_id``.

    Raises:
        SchemaError: missing columns or wrong dtypes.
        BatchValidationError: one `InvalidRowsError` per failing rule.
        InvalidRowsError: a ``primary_rm`` not in ``managers``, naming the first rows.

    Examples:
        >>> import pandas as pd
        >>> rms = pd.DataFrame({"rm_id": ["RM-1"], "team": ["n"], "rm_level": ["head"],
        ...                     "client_capacity": [10], "workload_capacity": [float("nan")]})
        >>> check_assignments_frame(pd.DataFrame({
        ...     "client_id": ["C-1", "C-2"], "tier": ["gold", "basic"],
        ...     "primary_rm": ["RM-1", "RM-7"]}), rms)
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidRowsError: `assignments[1].primary_rm` must be an rm_id of the managers frame (or missing: uncovered); got 'RM-7'. 1 row fails this rule: 1.
    """
    check_frame(frame, _ASSIGNMENT_SPECS, frame_name="assignments", unique=(CLIENT_ID,))
    if managers is not None:
        require_instance(
            managers, pd.DataFrame, name="managers", what="a managers frame or None"
        )
        if col.RM_ID not in managers.columns:
            raise InvalidValueError(
                field="managers", value="no column 'rm_id'", expected="an rm_id column"
            )
        rm = frame[col.PRIMARY_RM]
        bad = (rm.notna() & ~rm.isin(managers[col.RM_ID])).to_numpy()
        _raise_rows(
            frame,
            "assignments",
            col.PRIMARY_RM,
            bad,
            "an rm_id of the managers frame (or missing: uncovered)",
        )


def _raise_rows(
    frame: pd.DataFrame,
    name: str,
    column: str,
    bad: npt.NDArray[np.bool_],
    expected: str,
) -> None:
    if not bad.any():
        return
    labels = list(frame.index[bad])
    raise InvalidRowsError(
        frame=name,
        column=column,
        rows=labels,
        count=len(labels),
        value=frame.loc[labels[0], column],
        expected=expected,
    )


def _optional(value: float, kind: type[int | float]) -> int | float | None:
    return None if math.isnan(value) else kind(value)


def managers_from_frame(frame: pd.DataFrame) -> tuple[RelationshipManager, ...]:
    """The `RelationshipManager` of each row of a managers frame (checked first).

    Examples:
        >>> import pandas as pd
        >>> rms = managers_from_frame(pd.DataFrame({
        ...     "rm_id": ["RM-1"], "team": ["n"], "rm_level": ["head"],
        ...     "client_capacity": [float("nan")], "workload_capacity": [90.0]}))
        >>> rms[0].client_capacity, rms[0].workload_capacity
        (None, 90.0)
    """
    check_managers_frame(frame)
    return tuple(
        RelationshipManager(
            id=rid,
            team=team,
            level=level,
            client_capacity=_optional(cap_c, int),  # type: ignore[arg-type]
            workload_capacity=_optional(cap_w, float),
        )
        for rid, team, level, cap_c, cap_w in zip(
            frame[col.RM_ID].tolist(),
            frame[col.TEAM].tolist(),
            frame[col.RM_LEVEL].astype(str).tolist(),
            frame[col.CLIENT_CAPACITY].tolist(),
            frame[col.WORKLOAD_CAPACITY].tolist(),
            strict=True,
        )
    )


def managers_frame(managers: Iterable[RelationshipManager]) -> pd.DataFrame:
    """One row per RM (missing capacities as NaN); `managers_from_frame` reads it back.

    Examples:
        >>> rm = RelationshipManager(id="RM-1", team="n", level="junior", client_capacity=5)
        >>> managers_frame([rm]).to_dict("records")[0]
        {'rm_id': 'RM-1', 'team': 'n', 'rm_level': 'junior', 'client_capacity': 5.0, 'workload_capacity': nan}
    """
    rows = sequence_of(
        managers, RelationshipManager, name="managers", what="RelationshipManager"
    )
    return pd.DataFrame(
        {
            col.RM_ID: pd.Series([m.id for m in rows], dtype=object),
            col.TEAM: pd.Series([m.team for m in rows], dtype=object),
            col.RM_LEVEL: pd.Series([m.level.value for m in rows], dtype=object),
            col.CLIENT_CAPACITY: pd.Series(
                [
                    np.nan if m.client_capacity is None else m.client_capacity
                    for m in rows
                ],
                dtype=np.float64,
            ),
            col.WORKLOAD_CAPACITY: pd.Series(
                [
                    np.nan if m.workload_capacity is None else m.workload_capacity
                    for m in rows
                ],
                dtype=np.float64,
            ),
        }
    )


def coverage_from_frames(
    managers: pd.DataFrame,
    assignments: pd.DataFrame,
    *,
    tier_weights: Mapping[str, float] = TIER_WEIGHTS,
    roles: pd.DataFrame | None = None,
) -> Coverage:
    """`coverage` from a managers frame, an assignments frame and an optional roles frame.

    Args:
        managers: See `check_managers_frame`.
        assignments: See `check_assignments_frame`.
        tier_weights: Workload weight per tier.
        roles: Columns ``client_id``, ``role``, ``member_id``: team members in roles.

    Raises:
        SchemaError, BatchValidationError, InvalidRowsError: a frame breaks its
            rules (the message names the first offending rows), including a
            ``primary_rm`` or a role's ``client_id``/``member_id`` that refers to
            nothing.

    Examples:
        >>> import pandas as pd
        >>> rms = pd.DataFrame({"rm_id": ["RM-1"], "team": ["n"], "rm_level": ["head"],
        ...                     "client_capacity": [1], "workload_capacity": [float("nan")]})
        >>> book = pd.DataFrame({"client_id": ["C-1", "C-2"], "tier": ["gold", "basic"],
        ...                      "primary_rm": ["RM-1", "RM-1"]})
        >>> coverage_from_frames(rms, book).over_capacity()
        ('RM-1',)
    """
    rms = managers_from_frame(managers)
    check_assignments_frame(assignments, managers)
    role_objects: tuple[RoleAssignment, ...] = ()
    if roles is not None:
        check_frame(roles, _ROLE_SPECS, frame_name="roles")
        for column, known, what in (
            (CLIENT_ID, assignments[CLIENT_ID], "a client_id of the assignments frame"),
            (col.MEMBER_ID, managers[col.RM_ID], "an rm_id of the managers frame"),
        ):
            bad = (~roles[column].isin(known)).to_numpy()
            _raise_rows(roles, "roles", column, bad, what)
        role_objects = tuple(
            RoleAssignment(client_id=c, role=r, member_id=m)
            for c, r, m in zip(
                roles[CLIENT_ID].tolist(),
                roles[ROLE].astype(str).tolist(),
                roles[col.MEMBER_ID].tolist(),
                strict=True,
            )
        )
    # a copy: on python-storage strings to_numpy(dtype=object) is the column's own
    # array, and writing None into it changed the caller's frame
    primary = assignments[col.PRIMARY_RM].to_numpy(dtype=object, copy=True)
    primary[assignments[col.PRIMARY_RM].isna().to_numpy()] = None
    return coverage(
        rms,
        assignments[CLIENT_ID].to_numpy(dtype=object),
        assignments[col.CLIENT_TIER].astype(str).to_numpy(dtype=object),
        primary,
        tier_weights=tier_weights,
        roles=role_objects,
    )


def coverage_frame(cov: Coverage) -> pd.DataFrame:
    """One row per RM: team, level, capacities, clients, workload, over capacity.

    Examples:
        >>> from lendcrm.relationship.workflows import coverage
        >>> rm = RelationshipManager(id="RM-1", team="n", level="junior", client_capacity=1)
        >>> cov = coverage([rm], ["A", "B"], ["gold", "basic"], ["RM-1"] * 2)
        >>> coverage_frame(cov).to_dict("records")[0]
        {'rm_id': 'RM-1', 'team': 'n', 'rm_level': 'junior', 'client_capacity': 1.0, 'workload_capacity': inf, 'clients': 2, 'workload': 2.5, 'over_capacity': True}
    """
    require_instance(cov, Coverage, name="cov", what="a Coverage")
    return pd.DataFrame(
        {
            col.RM_ID: pd.Series(cov.manager_ids, dtype=object),
            col.TEAM: pd.Series([m.team for m in cov.managers], dtype=object),
            col.RM_LEVEL: pd.Series(
                [m.level.value for m in cov.managers], dtype=object
            ),
            col.CLIENT_CAPACITY: cov.client_capacity,
            col.WORKLOAD_CAPACITY: cov.workload_capacity,
            col.CLIENTS: cov.clients_per_rm,
            col.WORKLOAD: cov.workload,
            col.OVER_CAPACITY: cov.over_capacity_mask,
        }
    )


def moves_frame(proposal: RebalanceProposal) -> pd.DataFrame:
    """One row per move: client, tier, weight, the RM it leaves and the RM it joins.

    Examples:
        >>> from lendcrm.relationship.workflows import coverage, propose_rebalance
        >>> rms = [RelationshipManager(id=i, team="n", level="senior", client_capacity=1)
        ...        for i in ("RM-1", "RM-2")]
        >>> p = propose_rebalance(coverage(rms, ["A", "B"], ["gold", "basic"], ["RM-1"] * 2))
        >>> moves_frame(p).to_dict("records")
        [{'client_id': 'B', 'tier': 'basic', 'weight': 0.5, 'from_rm': 'RM-1', 'to_rm': 'RM-2'}]
    """
    require_instance(
        proposal, RebalanceProposal, name="proposal", what="a RebalanceProposal"
    )
    before = proposal.before
    ids = np.asarray(before.manager_ids, dtype=object)
    tiers = np.asarray(TIER_LEVELS, dtype=object)
    rows = proposal.clients
    return pd.DataFrame(
        {
            CLIENT_ID: pd.Series(before.client_ids[rows], dtype=object),
            col.CLIENT_TIER: pd.Series(tiers[before.tier_codes[rows]], dtype=object),
            col.WEIGHT: before.client_weights[rows],
            col.FROM_RM: pd.Series(ids[proposal.from_codes], dtype=object),
            col.TO_RM: pd.Series(ids[proposal.to_codes], dtype=object),
        }
    )
