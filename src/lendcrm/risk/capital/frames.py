r"""pandas adapter for shared collateral: a book's frames in, LTV per facility and asset out.

`collateral_allocation_frame` reads the ``facilities`` and ``collateral`` frames of
`lendcrm.frames` (their column names are the `lendcrm.frames.columns` constants),
groups the collateral rows into assets by ``asset_id`` — a row without one is an asset
of its own, named ``"<facility_id>#<position>"`` after its 0-based position among its
facility's collateral rows — and runs the vectorised `allocate_collateral` with each
facility's **drawn** amount as its exposure and each asset's market ``value`` (before
haircut, as loan to value is usually quoted) as its value.

A facility's loan to value is $E_f / \sum_c B_{c,f}$, its drawn amount over the value
attributed to it; an asset's is $\sum_{f \in c} E_f / V_c$. Every collateral row must be
in its facility's currency; the rows of one asset must carry one value and currency (a
`lendcrm.Book` checks that too).

Examples:
    >>> import datetime as dt
    >>> from lendcrm import (Book, Client, ClientId, Collateral, CollateralKind,
    ...     Facility, FacilityId, FacilityKind, FacilityStatus, Money, Pricing, Sector,
    ...     Seniority)
    >>> from lendcrm.frames import book_frames
    >>> def loan(fid, drawn, rank):
    ...     plant = Collateral(kind=CollateralKind.REAL_ESTATE,
    ...         value=Money.of("100", "EUR"), asset_id="plant", claim_rank=rank)
    ...     return Facility(id=FacilityId(fid), client_id=ClientId("C"),
    ...         kind=FacilityKind.TERM_LOAN, currency="EUR", limit=Money.of("200", "EUR"),
    ...         drawn=Money.of(drawn, "EUR"), start_on=dt.date(2024, 1, 1),
    ...         maturity_on=dt.date(2030, 1, 1), seniority=Seniority.SENIOR_SECURED,
    ...         pricing=Pricing(reference_rate="EURIBOR_3M", margin_bps=150,
    ...                         arrangement_fee=Money.of("0", "EUR")),
    ...         status=FacilityStatus.ACTIVE, collateral=(plant,))
    >>> client = Client(id=ClientId("C"), legal_name="C AG", sector=Sector.MANUFACTURING,
    ...     country="DE", onboarded_on=dt.date(2020, 1, 1),
    ...     annual_revenue=Money.of("1000", "EUR"))
    >>> frames = book_frames(Book(clients=(client,),
    ...     facilities=(loan("A", "60", 1), loan("B", "90", 2))))
    >>> out = collateral_allocation_frame(frames.facilities, frames.collateral,
    ...                                   rule="by_rank")
    >>> out.facilities[["facility_id", "secured_amount", "loan_to_value"]]
      facility_id  secured_amount  loan_to_value
    0           A            60.0           0.60
    1           B            40.0           2.25
    >>> out.assets[["asset_id", "asset_exposure", "loan_to_value"]]
      asset_id  asset_exposure  loan_to_value
    0    plant           150.0            1.5
"""

from __future__ import annotations

from typing import Final

import attrs
import numpy as np
import pandas as pd

from lendcrm.errors import InvalidRowsError, InvalidValueError
from lendcrm.frames import ColumnSpec, check_frame
from lendcrm.frames.columns import (
    ASSET_ID,
    CLAIM_RANK,
    CURRENCY,
    DRAWN,
    FACILITY_ID,
    VALUE,
)
from lendcrm.risk.capital._allocation import AllocationRule, allocate_collateral

__all__ = [  # noqa: RUF022 - plain sorted order, as tests/test_public_api.py checks
    "ALLOCATED_VALUE",
    "ASSET_EXPOSURE",
    "ATTRIBUTED_VALUE",
    "CollateralAllocationFrames",
    "LOAN_TO_VALUE",
    "SECURED_AMOUNT",
    "UNALLOCATED_VALUE",
    "collateral_allocation_frame",
]

#: Value of the assets attributed to a facility under the rule (not capped), or of
#: one asset to one facility (links frame).
ATTRIBUTED_VALUE: Final = "attributed_value"
#: Attributed value capped at the facility's drawn amount: what secures it.
ALLOCATED_VALUE: Final = "allocated_value"
#: A facility's drawn amount capped at the value allocated to it.
SECURED_AMOUNT: Final = "secured_amount"
#: Loan to value (x): drawn / attributed value per facility, exposure / value per asset;
#: NaN without any value behind it.
LOAN_TO_VALUE: Final = "loan_to_value"
#: Drawn amount of the facilities an asset secures.
ASSET_EXPOSURE: Final = "asset_exposure"
#: Value of an asset left after every facility it secures is covered.
UNALLOCATED_VALUE: Final = "unallocated_value"

_FACILITY_SPECS: Final = (
    ColumnSpec(name=FACILITY_ID, kind="str"),
    ColumnSpec(name=CURRENCY, kind="str"),
    ColumnSpec(name=DRAWN, kind="float", lower=0),
)
_COLLATERAL_SPECS: Final = (
    ColumnSpec(name=FACILITY_ID, kind="str"),
    ColumnSpec(name=CURRENCY, kind="str"),
    ColumnSpec(name=VALUE, kind="float", lower=0),
    ColumnSpec(name=ASSET_ID, kind="str", nullable=True, required=False),
    ColumnSpec(name=CLAIM_RANK, kind="int", lower=1, nullable=True, required=False),
)


@attrs.frozen(kw_only=True, eq=False)
class CollateralAllocationFrames:
    """Shared collateral allocated to facilities, as frames.

    Attributes:
        facilities: One row per facility, in the order of the facilities frame:
            ``facility_id``, ``currency``, ``drawn``, ``attributed_value``,
            ``secured_amount``, ``loan_to_value``.
        assets: One row per asset, in order of first appearance: ``asset_id``,
            ``currency``, ``value``, ``asset_exposure``, ``allocated_value``,
            ``unallocated_value``, ``loan_to_value``.
        links: One row per collateral row (an asset securing a facility), in the
            order of the collateral frame: ``facility_id``, ``asset_id``,
            ``claim_rank``, ``attributed_value``, ``allocated_value``.
    """

    facilities: pd.DataFrame
    assets: pd.DataFrame
    links: pd.DataFrame


def _asset_ids(collateral: pd.DataFrame) -> pd.Series:
    """Each row's asset id; a row without one is ``"<facility_id>#<position>"``."""
    position = collateral.groupby(FACILITY_ID, sort=False).cumcount()
    own = collateral[FACILITY_ID].astype(str) + "#" + position.astype(str)
    if ASSET_ID not in collateral:
        return own
    given = collateral[ASSET_ID]
    return given.where(given.notna(), own).astype(str)


def _rows_error(
    collateral: pd.DataFrame, column: str, mask: np.ndarray, expected: str
) -> InvalidRowsError:
    """The collateral rows of ``mask`` refused, named by their labels."""
    labels = collateral.index[mask].tolist()
    value = collateral[column].to_numpy(dtype=object)[mask][0]
    return InvalidRowsError(
        frame="collateral",
        column=column,
        rows=labels,
        count=len(labels),
        value=value,
        expected=expected,
    )


def _check_rows(
    collateral: pd.DataFrame, facility_code: np.ndarray, currency: np.ndarray
) -> None:
    unknown = facility_code < 0
    if unknown.any():
        raise _rows_error(
            collateral,
            FACILITY_ID,
            unknown,
            "the id of a facility in the facilities frame",
        )
    other = collateral[CURRENCY].to_numpy() != currency[facility_code]
    if other.any():
        raise _rows_error(
            collateral,
            CURRENCY,
            other,
            "the currency of the row's facility",
        )


def collateral_allocation_frame(
    facilities: pd.DataFrame,
    collateral: pd.DataFrame,
    *,
    rule: AllocationRule | str = AllocationRule.PRO_RATA,
) -> CollateralAllocationFrames:
    """Allocate the book's collateral assets to the facilities they secure (vectorised).

    Args:
        facilities: Frame with ``facility_id``, ``currency`` and ``drawn`` (the
            exposure, in the facility's currency).
        collateral: Frame with ``facility_id``, ``currency``, ``value`` (market value
            of the asset, before haircut) and optionally ``asset_id`` and
            ``claim_rank``, one row per asset and facility it secures.
        rule: ``pro_rata`` (by the facilities' drawn amounts) or ``by_rank`` (by
            ``claim_rank``, 1 first; a row without a rank must be its asset's only
            row). ``shares`` needs agreed shares the frames do not carry.

    Returns:
        The `CollateralAllocationFrames`.

    Raises:
        SchemaError: a missing column or a column of the wrong dtype.
        BatchValidationError: rows with missing or out-of-range values.
        InvalidRowsError: a collateral row whose facility is not in the facilities
            frame, or whose currency is not its facility's; rows of one asset with
            different values or currencies; under ``by_rank``, a row of a shared asset
            without a ``claim_rank``.
        InvalidValueError: ``rule`` is not ``pro_rata`` or ``by_rank``.
    """
    check_frame(facilities, _FACILITY_SPECS, frame_name="facilities", allow_extra=True)
    check_frame(
        collateral,
        _COLLATERAL_SPECS,
        frame_name="collateral",
        allow_extra=True,
        require_rows=False,
    )
    rule = _rule(rule)
    fids = facilities[FACILITY_ID].to_numpy(dtype=object)
    currency = facilities[CURRENCY].to_numpy(dtype=object)
    drawn = facilities[DRAWN].to_numpy(dtype=np.float64)
    code = pd.Index(fids).get_indexer(collateral[FACILITY_ID].to_numpy(dtype=object))
    _check_rows(collateral, code, currency)
    asset = _asset_ids(collateral)
    asset_code, names = pd.factorize(asset.to_numpy(dtype=object))
    first = pd.Series(np.arange(len(asset))).groupby(asset_code).first().to_numpy()
    value = collateral[VALUE].to_numpy(dtype=np.float64)
    row_currency = collateral[CURRENCY].to_numpy(dtype=object)
    differs = (value != value[first][asset_code]) | (
        row_currency != row_currency[first][asset_code]
    )
    if differs.any():
        raise _rows_error(
            collateral,
            VALUE,
            differs,
            "the value and currency of the first row of the same asset_id",
        )
    rank = _ranks(collateral, asset_code, rule)
    result = allocate_collateral(
        value[first],
        drawn,
        link_collateral=asset_code,
        link_facility=code,
        rule=rule,
        rank=rank,
    )
    attributed = np.bincount(code, weights=result.attributed, minlength=len(fids))
    return CollateralAllocationFrames(
        facilities=pd.DataFrame({
            FACILITY_ID: pd.Series(fids, dtype="str"),
            CURRENCY: pd.Series(currency, dtype="str"),
            DRAWN: drawn,
            ATTRIBUTED_VALUE: attributed,
            SECURED_AMOUNT: result.facility_secured,
            LOAN_TO_VALUE: result.facility_ltv,
        }),
        assets=pd.DataFrame({
            ASSET_ID: pd.Series(np.asarray(names, dtype=object), dtype="str"),
            CURRENCY: pd.Series(row_currency[first], dtype="str"),
            VALUE: value[first],
            ASSET_EXPOSURE: np.bincount(asset_code, weights=drawn[code],
                                  minlength=len(names)),
            ALLOCATED_VALUE: np.bincount(asset_code, weights=result.allocated,
                                         minlength=len(names)),
            UNALLOCATED_VALUE: result.unallocated,
            LOAN_TO_VALUE: result.collateral_ltv,
        }),
        links=pd.DataFrame({
            FACILITY_ID: pd.Series(fids[code], dtype="str"),
            ASSET_ID: pd.Series(asset.to_numpy(dtype=object), dtype="str"),
            CLAIM_RANK: pd.array(rank.astype(np.int64), dtype="Int64")
            if rank is not None else pd.array([pd.NA] * len(code), dtype="Int64"),
            ATTRIBUTED_VALUE: result.attributed,
            ALLOCATED_VALUE: result.allocated,
        }),
    )  # fmt: skip


def _rule(rule: AllocationRule | str) -> AllocationRule:
    allowed = (AllocationRule.PRO_RATA, AllocationRule.BY_RANK)
    if rule not in {r.value for r in allowed}:
        raise InvalidValueError(
            field="rule", value=rule, expected="'pro_rata' or 'by_rank'"
        )
    return AllocationRule(rule)


def _ranks(
    collateral: pd.DataFrame, asset_code: np.ndarray, rule: AllocationRule
) -> np.ndarray | None:
    """Claim ranks for ``by_rank`` (1 for an unranked asset's only row), else None."""
    if rule is not AllocationRule.BY_RANK:
        return None
    if CLAIM_RANK not in collateral:
        rank = np.full(len(collateral), np.nan)
    else:
        rank = collateral[CLAIM_RANK].to_numpy(dtype=np.float64, na_value=np.nan)
    shared = np.bincount(asset_code, minlength=asset_code.max(initial=-1) + 1) > 1
    unranked = np.isnan(rank) & shared[asset_code]
    if unranked.any():
        raise _rows_error(
            collateral,
            CLAIM_RANK,
            unranked,
            "a claim rank on every row of an asset that secures several "
            "facilities (rule 'by_rank')",
        )
    return np.where(np.isnan(rank), 1.0, rank)
