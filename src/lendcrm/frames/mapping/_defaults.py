"""What a core-banking export may lack, and what stands in for it (private).

`OPTIONAL_COLUMNS` lists, per frame, the columns `load_book` fills when they are
absent, with the value and what it means. Nothing is filled silently: every filled
column is listed in `LoadedBook.defaulted`. The relationship measures are filled only as
a group: without ``measured_on`` a client has no `lendcrm.RelationshipMeasures` at all
(``Client.measures is None``), so the zero counts that fill the frame's integer columns
are never read as measured zeros. With ``measured_on`` present, every measure column is
required.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

import numpy as np
import pandas as pd

from lendcrm.frames._specs import CLIENTS_DTYPES, FACILITIES_DTYPES, PROJECTS_DTYPES
from lendcrm.frames.columns import (
    ALLOWS_OVERDRAW,
    ARRANGEMENT_FEE,
    COMMITMENT_FEE_BPS,
    CREDIT_CONVERSION_FACTOR,
    DEFAULT_PROBABILITY,
    EQUATOR_CATEGORY,
    LAST_TRANSACTION_ON,
    LOSS_GIVEN_DEFAULT,
    MEASURED_ON,
    ON_WATCHLIST,
    PARENT_ID,
    PRODUCT_COUNT,
    PROFIT_TO_BANK,
    PROJECT_ID,
    RATING_GRADE,
    REFERRAL_COUNT,
    RELATIONSHIP_MANAGER,
    REVENUE_TO_BANK,
    TRANSACTION_COUNT,
)

__all__ = ["DEFAULTED_COLUMNS", "OPTIONAL_COLUMNS", "fill_defaults"]

_NO_MEASURES: Final = "no relationship measures (Client.measures is None)"
#: The relationship-measure columns, filled together or not at all.
_MEASURES: Final = (
    MEASURED_ON, REVENUE_TO_BANK, PROFIT_TO_BANK, PRODUCT_COUNT, TRANSACTION_COUNT,
    LAST_TRANSACTION_ON, REFERRAL_COUNT,
)  # fmt: skip

#: Frame -> absent column -> (the value filled in, what it means).
OPTIONAL_COLUMNS: Final[Mapping[str, Mapping[str, tuple[object, str]]]] = (
    MappingProxyType({
        "clients": MappingProxyType({
            PARENT_ID: (None, "no group parent (each client is its own group root)"),
            **{c: (0 if "count" in c else None, _NO_MEASURES) for c in _MEASURES},
            RATING_GRADE: (None, "not rated"),
            DEFAULT_PROBABILITY: (None, "no PD estimate"),
            ON_WATCHLIST: (False, "not on the watchlist"),
            RELATIONSHIP_MANAGER: (None, "no relationship manager assigned"),
        }),
        "facilities": MappingProxyType({
            PROJECT_ID: (None, "not a project-finance facility"),
            ARRANGEMENT_FEE: (0.0, "no arrangement fee charged"),
            COMMITMENT_FEE_BPS: (0, "no commitment fee charged"),
            ALLOWS_OVERDRAW: (False, "the limit is a hard cap"),
            DEFAULT_PROBABILITY: (None, "no PD estimate (the client's is used)"),
            LOSS_GIVEN_DEFAULT: (None, "no LGD estimate"),
            CREDIT_CONVERSION_FACTOR: (None, "no CCF estimate"),
        }),
        "projects": MappingProxyType({
            EQUATOR_CATEGORY: (None, "not categorised under the Equator Principles"),
        }),
    })
)  # fmt: skip
_DTYPES: Final = {
    "clients": CLIENTS_DTYPES,
    "facilities": FACILITIES_DTYPES,
    "projects": PROJECTS_DTYPES,
}
#: The columns of the record of filled columns (`LoadedBook.defaulted`).
DEFAULTED_COLUMNS: Final = ("frame", "column", "default", "meaning")


def fill_defaults(
    frame: pd.DataFrame, name: str
) -> tuple[pd.DataFrame, list[tuple[str, str, object, str]]]:
    """``frame`` with its absent optional columns filled, and what was filled.

    The input is not changed; the measure columns are filled only when
    ``measured_on`` is absent too.
    """
    optional = OPTIONAL_COLUMNS.get(name, {})
    absent = [c for c in optional if c not in frame.columns]
    if name == "clients" and MEASURED_ON in frame.columns:
        absent = [c for c in absent if c not in _MEASURES]
    if not absent:
        return frame, []
    filled = {}
    record = []
    for column in absent:
        value, meaning = optional[column]
        dtype = _DTYPES[name][column]
        fill = np.nan if value is None and dtype in {"float64", "str"} else value
        filled[column] = pd.Series(fill, index=frame.index, dtype=dtype)
        record.append((name, column, value, meaning))
    return frame.assign(**filled), record
