"""Frames to histories: dated records grouped by owner (private to `lendcrm.frames`).

The history frames were validated (`validate_measures_frame` and friends), so each
owner's rows are oldest first, one per date; here each row becomes its record, in the
owner's currency where the frame has no currency column (the client's for measures,
the facility's for observations, the collateral row's for valuations). Rows whose
owner is missing, whose ``collateral_index`` names no collateral row, or that the
record refuses are collected with their row labels, like the child frames' rows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, Final

import attrs
import numpy as np
import pandas as pd

from lendcrm._enums import ValuationMethod
from lendcrm._history import (
    STATEMENT_AMOUNTS,
    CollateralValuation,
    FacilityObservation,
    FinancialStatement,
    RatingRecord,
)
from lendcrm._validators import enum_member
from lendcrm._values import Collateral, RelationshipMeasures
from lendcrm.errors import InvalidValueError
from lendcrm.frames._check import rows_error
from lendcrm.frames._rows import (
    Reader,
    RowBuilder,
    bools,
    dates,
    floats,
    ints,
    money_of,
    strs,
)
from lendcrm.frames.columns import (
    CLIENT_ID,
    COLLATERAL_INDEX,
    CURRENCY,
    DEFAULT_PROBABILITY,
    DRAWN,
    FACILITY_ID,
    FORBORNE,
    IN_DEFAULT,
    LAST_TRANSACTION_ON,
    LIMIT,
    MEASURED_ON,
    OVERRIDE_REASON,
    PERIOD_END,
    PERIOD_MONTHS,
    PRODUCT_COUNT,
    PROFIT_TO_BANK,
    RATED_ON,
    RATER,
    RATING_GRADE,
    RATING_OVERRIDE,
    REFERRAL_COUNT,
    REVENUE_TO_BANK,
    SIG_DAYS_PAST_DUE,
    TRANSACTION_COUNT,
    VALUATION_METHOD,
    VALUATION_VALUE,
    VALUED_ON,
)

__all__ = ["attach_valuations", "read_histories"]


def _measure(r: tuple[Any, ...]) -> RelationshipMeasures:
    cur = r[0]
    return RelationshipMeasures(
        period_end=r[1],
        revenue_to_bank=money_of(r[2], cur),
        profit_to_bank=money_of(r[3], cur),
        product_count=r[4],
        transaction_count=r[5],
        last_transaction_on=r[6],
        referral_count=r[7],
    )


def _rating(r: tuple[Any, ...]) -> RatingRecord:
    return RatingRecord(
        rated_on=r[0],
        grade=r[1],
        default_probability=r[2],
        rater=r[3],
        override=r[4],
        override_reason=r[5],
    )


def _statement(r: tuple[Any, ...]) -> FinancialStatement:
    cur = r[1]
    amounts = {
        name: money_of(value, cur)
        for name, value in zip(STATEMENT_AMOUNTS, r[3:], strict=True)
    }
    return FinancialStatement(
        period_end=r[0], currency=cur, period_months=r[2], **amounts
    )


def _observation(r: tuple[Any, ...]) -> FacilityObservation:
    cur = r[0]
    return FacilityObservation(
        period_end=r[1],
        drawn=money_of(r[2], cur),
        limit=money_of(r[3], cur),
        days_past_due=r[4],
        in_default=r[5],
        forborne=r[6],
    )


def _currency_of(owners: Mapping[str, Any], column: str) -> Reader:
    """A reader of each row's owner's currency (``None`` for an unknown owner)."""

    def read(frame: pd.DataFrame, _column: str) -> list[Any]:
        return [owners.get(o) for o in strs(frame, column)]

    return read


#: Per client history: its (reader, column) pairs, its builder, and whether its amounts
#: are in the client's currency (then the builder's row starts with that currency).
_CLIENT_HISTORIES: Final[
    Mapping[str, tuple[tuple[tuple[Reader, str], ...], Callable[..., Any], bool]]
] = MappingProxyType({
    "measures": (
        ((dates, MEASURED_ON), (floats, REVENUE_TO_BANK), (floats, PROFIT_TO_BANK),
         (ints, PRODUCT_COUNT), (ints, TRANSACTION_COUNT), (dates, LAST_TRANSACTION_ON),
         (ints, REFERRAL_COUNT)),
        _measure,
        True,
    ),
    "ratings": (
        ((dates, RATED_ON), (strs, RATING_GRADE), (floats, DEFAULT_PROBABILITY),
         (strs, RATER), (bools, RATING_OVERRIDE), (strs, OVERRIDE_REASON)),
        _rating,
        False,
    ),
    "statements": (
        ((dates, PERIOD_END), (strs, CURRENCY), (ints, PERIOD_MONTHS),
         *((floats, name) for name in STATEMENT_AMOUNTS)),
        _statement,
        False,
    ),
})  # fmt: skip
_OBSERVATION_COLUMNS: Final = (
    (dates, PERIOD_END), (floats, DRAWN), (floats, LIMIT), (ints, SIG_DAYS_PAST_DUE),
    (bools, IN_DEFAULT), (bools, FORBORNE),
)  # fmt: skip


def read_histories(
    b: RowBuilder,
    frames: Mapping[str, pd.DataFrame],
    clients: Mapping[str, Any],
    facilities: Mapping[str, Any],
) -> dict[str, dict[str, list[Any]]]:
    """Measures, ratings, statements (by client id) and observations (by facility id).

    Args:
        b: Collects the rows' errors.
        frames: The book's frames by name.
        clients: Client id -> the client's currency (from the clients frame).
        facilities: Facility id -> the facility's currency.
    """
    out: dict[str, dict[str, list[Any]]] = {}
    for name, (columns, make, in_owner_currency) in _CLIENT_HISTORIES.items():
        readers = (
            ((_currency_of(clients, CLIENT_ID), CLIENT_ID), *columns)
            if in_owner_currency
            else columns
        )
        out[name] = b.group(frames[name], name, CLIENT_ID, clients, readers, make)
    readers = (
        (_currency_of(facilities, FACILITY_ID), FACILITY_ID),
        *_OBSERVATION_COLUMNS,
    )
    out["observations"] = b.group(
        frames["observations"], "observations", FACILITY_ID, facilities, readers,
        _observation,
    )  # fmt: skip
    return out


def attach_valuations(
    b: RowBuilder,
    valuations: pd.DataFrame,
    collateral: pd.DataFrame,
    built: Mapping[str, list[Collateral]],
    facilities: Mapping[str, Any],
) -> None:
    """Give each collateral in ``built`` (by facility id, in row order) its valuations.

    A valuation row names its collateral by ``facility_id`` and ``collateral_index``,
    the 0-based position among the facility's rows of the collateral frame; its value
    is in that collateral row's currency. A facility whose collateral rows were
    refused gets no valuations (its errors are already recorded).
    """
    where: dict[tuple[str, int], tuple[Any, Any]] = {}
    counts: dict[str, int] = {}
    for label, fid, cur in zip(
        collateral.index.tolist(),
        strs(collateral, FACILITY_ID),
        strs(collateral, CURRENCY),
        strict=True,
    ):
        j = counts.get(fid, 0)
        counts[fid] = j + 1
        where[fid, j] = (label, cur)
    series = _valuation_series(b, valuations, where, facilities)
    for (fid, j), records in series.items():
        items = built.get(fid)
        if items is None or len(items) != counts[fid]:
            continue
        label = where[fid, j][0]

        def evolve(
            c: Collateral = items[j], v: tuple[Any, ...] = tuple(records)
        ) -> Any:  # noqa: ANN401
            return attrs.evolve(c, valuations=v)

        item = b.build(f"collateral[{label!r}]", evolve)
        if item is not None:
            items[j] = item


def _valuation_series(
    b: RowBuilder,
    frame: pd.DataFrame,
    where: Mapping[tuple[str, int], tuple[Any, Any]],
    facilities: Mapping[str, Any],
) -> dict[tuple[str, int], list[CollateralValuation]]:
    """The valuation rows as records, by (facility id, collateral index)."""
    out: dict[tuple[str, int], list[CollateralValuation]] = {}
    stray = np.zeros(len(frame), dtype=np.bool_)
    for k, (label, fid, j, on, value, method) in enumerate(
        zip(
            frame.index.tolist(), strs(frame, FACILITY_ID), ints(frame, COLLATERAL_INDEX),
            dates(frame, VALUED_ON), floats(frame, VALUATION_VALUE),
            strs(frame, VALUATION_METHOD), strict=True,
        )
    ):  # fmt: skip
        if fid not in facilities:
            b.unknown(FACILITY_ID, fid, f"valuations[{label!r}]", facilities)
            continue
        found = where.get((fid, j))
        if found is None:
            stray[k] = True
            continue
        try:
            record = CollateralValuation(
                valued_on=on,
                value=money_of(value, found[1]),
                method=enum_member(ValuationMethod, method, name="method"),
            )
        except InvalidValueError as exc:
            b.refused(f"valuations[{label!r}]", exc)
            continue
        out.setdefault((fid, j), []).append(record)
    if stray.any():
        b.errors.append(
            rows_error(
                "valuations",
                frame,
                COLLATERAL_INDEX,
                stray,
                "the 0-based position of one of its facility's rows in the "
                "collateral frame (an existing collateral)",
            )
        )
    return out
