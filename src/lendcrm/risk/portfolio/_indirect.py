"""Exposure at the bank's share, and indirect exposure to guarantors.

The large-exposures framework counts what the bank itself holds: a syndicated
facility enters at the bank's participation, not at the facility's size. Where the
bank recognises a guarantee as credit risk mitigation it applies the **substitution
approach** of the Basel Committee's *Supervisory framework for measuring and
controlling large exposures* (BCBS 283, April 2014, section on recognised credit risk
mitigation; Basel Framework LEX30): the covered part of an exposure is taken off the
original counterparty and added to the guarantor, so a guarantor carries an
*indirect* exposure through each guarantee it gave. A group of connected
counterparties (LEX20) adds up the direct and indirect exposures of its members;
`large_exposures` then compares the group totals with the limit.

Amounts are in one currency, rows are facilities, ``(n,)``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import FloatArray, align, as_float_array
from lendcrm._validators import require_instance
from lendcrm.errors import InvalidValueError

__all__ = ["CounterpartyExposures", "counterparty_exposures"]


@attrs.frozen(kw_only=True, eq=False)
class CounterpartyExposures:
    """Direct and indirect exposure per counterparty (or group), ``(m,)`` arrays.

    Attributes:
        counterparties: Counterparty (or group) ids, sorted.
        direct: Exposure to the counterparty as borrower, after the guaranteed
            parts moved to the guarantors.
        indirect: Exposure through the guarantees the counterparty gave.
        total: ``direct + indirect``, what the large-exposure limit applies to.
    """

    counterparties: npt.NDArray[np.object_]
    direct: FloatArray
    indirect: FloatArray
    total: FloatArray


def _ids(
    values: Sequence[str | None] | npt.ArrayLike | None, n: int, name: str
) -> npt.NDArray[np.object_]:
    if values is None:
        return np.full(n, "", dtype=object)
    arr = np.asarray(values, dtype=object).ravel()
    if arr.shape[0] != n:
        raise InvalidValueError(
            field=name, value=f"length {arr.shape[0]}", expected=f"one per row ({n})"
        )
    return np.where(arr == None, "", arr)  # noqa: E711 - elementwise None test


def counterparty_exposures(
    exposures: npt.ArrayLike,
    obligors: npt.ArrayLike,
    *,
    bank_share: npt.ArrayLike = 1.0,
    guarantors: Sequence[str | None] | npt.ArrayLike | None = None,
    covered: npt.ArrayLike = 0.0,
    groups: Mapping[str, str] | None = None,
) -> CounterpartyExposures:
    """Each counterparty's direct and indirect exposure at the bank's share.

    Args:
        exposures: Exposure of each facility at 100 % of the facility, >= 0.
        obligors: The borrower's id per facility.
        bank_share: The bank's share of each facility, in (0, 1]
            (`lendcrm.Facility.bank_share`).
        guarantors: The guarantor's id per facility (``None`` or ``""`` for none).
        covered: Amount the guarantee covers, at 100 % of the facility, >= 0; the
            bank's share of it, capped at the bank's exposure, moves to the
            guarantor (substitution approach).
        groups: Group of connected counterparties of each id; ids not in it are
            their own group. Give it to get group totals.

    Returns:
        A `CounterpartyExposures`, per counterparty or, with `groups`, per group.

    Raises:
        InvalidValueError: negative or non-finite amounts, a share outside (0, 1],
            ids of another length.

    Examples:
        The bank holds 40 % of a 100 loan to A, of which 50 is guaranteed by G,
        and all of a 30 loan to B; A and B are one group:

        >>> r = counterparty_exposures([100.0, 30.0], ["A", "B"],
        ...     bank_share=[0.4, 1.0], guarantors=["G", None], covered=[50.0, 0.0])
        >>> r.counterparties.tolist(), r.direct.tolist(), r.indirect.tolist()
        (['A', 'B', 'G'], [20.0, 30.0, 0.0], [0.0, 0.0, 20.0])
        >>> g = counterparty_exposures([100.0, 30.0], ["A", "B"],
        ...     bank_share=[0.4, 1.0], guarantors=["G", None], covered=[50.0, 0.0],
        ...     groups={"A": "Group 1", "B": "Group 1"})
        >>> g.counterparties.tolist(), g.total.tolist()
        (['G', 'Group 1'], [20.0, 50.0])
    """
    e, share, cov = align(
        exposures=as_float_array(exposures, name="exposures", lower=0.0),
        bank_share=as_float_array(
            bank_share, name="bank_share", lower=0.0, upper=1.0, lower_open=True
        ),
        covered=as_float_array(covered, name="covered", lower=0.0),
    )
    n = e.shape[0]
    own = e * share
    moved = np.minimum(cov * share, own)
    obl = _ids(obligors, n, "obligors")
    gua = _ids(guarantors, n, "guarantors")
    moved = np.where(gua == "", 0.0, moved)
    if groups is not None:
        require_instance(groups, Mapping, name="groups", what="a mapping of ids")
        obl = np.array([groups.get(o, o) for o in obl.tolist()], dtype=object)
        gua = np.array(
            [groups.get(g, g) if g else "" for g in gua.tolist()], dtype=object
        )
    has = gua != ""
    ids = np.concatenate([obl, gua[has]]).astype(str)
    uniq, inverse = np.unique(ids, return_inverse=True)
    m = uniq.shape[0]
    direct = np.bincount(inverse[:n], weights=own - moved, minlength=m)
    indirect = np.bincount(inverse[n:], weights=moved[has], minlength=m)
    return CounterpartyExposures(
        counterparties=uniq.astype(object),
        direct=direct.astype(np.float64),
        indirect=indirect.astype(np.float64),
        total=(direct + indirect).astype(np.float64),
    )
