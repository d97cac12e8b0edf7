r"""Collateral that secures several facilities: allocation by rule, LTV per facility and asset.

A collateral asset (a plant, a property, a pledged account) often secures more than one
facility of a client. Each *link* says that asset ``c`` secures facility ``f``, with a
rank (1 = first claim) or an agreed share of the asset's value. `allocate_collateral`
attributes each asset's value to its links by one rule, vectorised over a whole book:

- ``pro_rata``: in proportion to the linked facilities' exposures,
  $B_{c,f} = V_c\, E_f / \sum_{g \in c} E_g$;
- ``by_rank``: rank 1 claims first; a rank is attributed what the earlier ranks' exposures
  leave of the value, $\max(V_c - \sum_{g: r_g < r_f} E_g, 0)$, shared pro rata within
  the rank;
- ``shares``: the agreed shares $s_{c,f}$ of the asset's value, $B_{c,f} = s_{c,f} V_c$,
  which may not add up to more than 100 % of an asset.

The allocation that secures a facility is the attributed value capped at its exposure,
$A_{c,f} = \min(B_{c,f}, E_f)$; each asset is allocated on its own, and a facility's
secured amount is $\min(E_f, \sum_c A_{c,f})$. Loan to value per facility is
$E_f / \sum_c B_{c,f}$ (NaN with no value behind it); per asset,
$\sum_{f \in c} E_f / V_c$, the exposure that relies on the asset over its value
(NaN for a zero value).

Examples:
    >>> a = allocate_collateral([100.0], [60.0, 90.0], link_collateral=[0, 0],
    ...                         link_facility=[0, 1], rank=[1, 2], rule="by_rank")
    >>> a.allocated.tolist(), a.facility_ltv.round(3).tolist()
    ([60.0, 40.0], [0.6, 2.25])
"""

from __future__ import annotations

from enum import StrEnum

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import FloatArray, as_float_array, check_same_length, enum_codes
from lendcrm.errors import InvalidValueError

__all__ = ["AllocationRule", "CollateralAllocation", "allocate_collateral"]

_TOLERANCE = 1e-12


class AllocationRule(StrEnum):
    """How an asset's value is shared among the facilities it secures."""

    #: In proportion to the linked facilities' exposures.
    PRO_RATA = "pro_rata"
    #: By rank of claim (1 first), pro rata within a rank.
    BY_RANK = "by_rank"
    #: By the agreed share of the asset's value on each link.
    SHARES = "shares"


@attrs.frozen(kw_only=True, eq=False)
class CollateralAllocation:
    """An allocation of collateral values to facilities.

    Attributes:
        attributed: Value of the link's asset that stands behind the link's facility
            under the rule, per link `(k,)` (not capped at the exposure).
        allocated: The attributed value capped at the facility's exposure, per link
            `(k,)`: what secures it, in the currency of the inputs.
        facility_secured: Allocated value per facility, capped at its exposure `(n,)`.
        facility_ltv: Exposure / attributed value per facility (x), NaN without any
            collateral value behind it `(n,)`; infinite where that value is too small
            a fraction of the exposure for a float.
        collateral_ltv: Exposure of the facilities an asset secures / its value (x),
            NaN for a zero value `(m,)`.
        unallocated: Value of each asset left unallocated `(m,)`.
    """

    attributed: FloatArray
    allocated: FloatArray
    facility_secured: FloatArray
    facility_ltv: FloatArray
    collateral_ltv: FloatArray
    unallocated: FloatArray


def _index(
    values: npt.ArrayLike, *, name: str, size: int, into: str
) -> npt.NDArray[np.int64]:
    raw = as_float_array(values, name=name, lower=0, upper=max(size - 1, 0))
    if size == 0 and raw.size:  # no rows to point at: every index is out of range
        raise InvalidValueError(
            field=f"{name}[0]",
            value=float(raw[0]),
            expected=f"an index into `{into}`, which is empty",
        )
    whole = raw.astype(np.int64)
    bad = np.flatnonzero(whole != raw)
    if bad.size:
        i = int(bad[0])
        raise InvalidValueError(
            field=f"{name}[{i}]", value=float(raw[i]), expected="a whole index"
        )
    return whole


def _pro_rata(
    value: FloatArray,
    exposure: FloatArray,
    coll: npt.NDArray[np.int64],
    fac: np.ndarray,
) -> FloatArray:
    linked = np.bincount(coll, weights=exposure[fac], minlength=value.size)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(linked[coll] > 0, exposure[fac] / linked[coll], 0.0)
    out: FloatArray = value[coll] * share
    return out


def _by_rank(
    value: FloatArray,
    exposure: FloatArray,
    coll: npt.NDArray[np.int64],
    fac: np.ndarray,
    rank: FloatArray,
) -> FloatArray:
    # one group per (asset, rank); groups ordered by asset, then rank
    keys = np.stack([coll.astype(np.float64), rank])
    groups, group_of = np.unique(keys, axis=1, return_inverse=True)
    group_of = group_of.ravel()
    group_coll = groups[0].astype(np.int64)
    claim = np.bincount(group_of, weights=exposure[fac], minlength=groups.shape[1])
    before = np.cumsum(claim) - claim  # claims of earlier groups, all assets
    first = np.searchsorted(group_coll, group_coll, side="left")
    prior = before - before[first]  # claims of earlier ranks of the same asset
    left = np.maximum(value[group_coll] - prior, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(claim[group_of] > 0, exposure[fac] / claim[group_of], 0.0)
    out: FloatArray = left[group_of] * share
    return out


def _shares(
    value: FloatArray, coll: npt.NDArray[np.int64], share: FloatArray
) -> FloatArray:
    total = np.bincount(coll, weights=share, minlength=value.size)
    over = np.flatnonzero(total > 1.0 + _TOLERANCE)
    if over.size:
        c = int(over[0])
        raise InvalidValueError(
            field=f"share (collateral {c})",
            value=float(total[c]),
            expected="shares of one asset adding up to at most 1 (100 % of its value)",
        )
    return value[coll] * share


def allocate_collateral(
    collateral_value: npt.ArrayLike,
    exposure: npt.ArrayLike,
    *,
    link_collateral: npt.ArrayLike,
    link_facility: npt.ArrayLike,
    rule: AllocationRule | str = AllocationRule.PRO_RATA,
    rank: npt.ArrayLike | None = None,
    share: npt.ArrayLike | None = None,
) -> CollateralAllocation:
    """Share collateral values among the facilities they secure (vectorised).

    Args:
        collateral_value: Value of each asset `(m,)`, >= 0 (after haircuts if the caller
            wants the lending value), one currency.
        exposure: Exposure of each facility `(n,)`, >= 0, same currency.
        link_collateral: Asset index of each link `(k,)`, in [0, m).
        link_facility: Facility index of each link `(k,)`, in [0, n).
        rule: `AllocationRule` or its value.
        rank: Rank of claim of each link (1 = first), whole numbers >= 1; required for
            ``by_rank``.
        share: Agreed share of the asset's value on each link, in [0, 1]; required for
            ``shares``; at most 1 in total per asset.

    Returns:
        The `CollateralAllocation`.

    Raises:
        InvalidValueError: negative values or exposures, an index out of range, arrays
            of different lengths, an unknown rule, a missing `rank`/`share`, or shares
            of one asset adding up to more than 100 %.

    Examples:
        Two loans of 60 and 90 against one asset worth 100, pro rata:

        >>> a = allocate_collateral([100.0], [60.0, 90.0], link_collateral=[0, 0],
        ...                         link_facility=[0, 1])
        >>> a.allocated.tolist(), a.collateral_ltv.tolist()
        ([40.0, 60.0], [1.5])
    """
    value = as_float_array(collateral_value, name="collateral_value", lower=0)
    expo = as_float_array(exposure, name="exposure", lower=0)
    coll = _index(
        link_collateral,
        name="link_collateral",
        size=value.size,
        into="collateral_value",
    )
    fac = _index(link_facility, name="link_facility", size=expo.size, into="exposure")
    check_same_length(link_collateral=coll, link_facility=fac)
    (chosen,), _codes = enum_codes(rule, AllocationRule, name="rule")
    if chosen is AllocationRule.PRO_RATA:
        attributed = _pro_rata(value, expo, coll, fac)
    elif chosen is AllocationRule.BY_RANK:
        if rank is None:
            raise InvalidValueError(
                field="rank", value=None, expected="one rank per link for by_rank"
            )
        ranks = as_float_array(rank, name="rank", lower=1)
        check_same_length(link_collateral=coll, rank=ranks)
        attributed = _by_rank(value, expo, coll, fac, ranks)
    else:
        if share is None:
            raise InvalidValueError(
                field="share", value=None, expected="one share per link for shares"
            )
        shares = as_float_array(share, name="share", lower=0, upper=1)
        check_same_length(link_collateral=coll, share=shares)
        attributed = _shares(value, coll, shares)
    allocated = np.minimum(attributed, expo[fac])
    behind = np.bincount(fac, weights=attributed, minlength=expo.size)
    received = np.bincount(fac, weights=allocated, minlength=expo.size)
    relied = np.bincount(coll, weights=expo[fac], minlength=value.size)
    # a value that is a tiny fraction of the exposure gives an infinite LTV, not an error
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        facility_ltv = np.where(behind > 0, expo / behind, np.nan)
        collateral_ltv = np.where(value > 0, relied / value, np.nan)
    used = np.bincount(coll, weights=allocated, minlength=value.size)
    return CollateralAllocation(
        attributed=attributed,
        allocated=allocated,
        facility_secured=np.minimum(expo, received),
        facility_ltv=facility_ltv,
        collateral_ltv=collateral_ltv,
        unallocated=np.maximum(value - used, 0.0),
    )
