"""Column specifications and dtypes of the five history frames (private to `frames`).

A history frame has one row per dated record of an owner: ``measures``, ``ratings``
and ``statements`` are keyed by ``client_id``, ``observations`` by ``facility_id`` and
``valuations`` by ``facility_id`` and ``collateral_index``. `HISTORY_KEYS` says which
columns key a series and which column dates its records; within a series the rows are
oldest first, one per date (the entities' rule).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

import attrs

from lendcrm._enums import ValuationMethod
from lendcrm.frames._specs import (
    CURRENCY_CODES,
    CURRENCY_TEXT,
    ColumnSpec,
    category_spec,
    dtypes_of,
    enum_values,
    number_spec,
)
from lendcrm.frames.columns import (
    CAPEX,
    CASH,
    CLIENT_ID,
    COLLATERAL_INDEX,
    COLLATERAL_VALUE,
    CURRENCY,
    CURRENT_ASSETS,
    CURRENT_LIABILITIES,
    DEBT_SERVICE,
    DEFAULT_PROBABILITY,
    DRAWN,
    EBIT,
    EBITDA,
    EQUITY,
    FACILITY_ID,
    FORBORNE,
    IN_DEFAULT,
    INTEREST_EXPENSE,
    LAST_TRANSACTION_ON,
    LIMIT,
    MEASURED_ON,
    NET_DEBT,
    OPERATING_CASH_FLOW,
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
    REVENUE,
    REVENUE_TO_BANK,
    SIG_DAYS_PAST_DUE,
    TOTAL_ASSETS,
    TOTAL_DEBT,
    TOTAL_LIABILITIES,
    TRANSACTION_COUNT,
    VALUATION_METHOD,
    VALUED_ON,
)

__all__ = [
    "HISTORY_KEYS",
    "HISTORY_SPECS",
    "MEASURES_DTYPES",
    "OBSERVATIONS_DTYPES",
    "RATINGS_DTYPES",
    "STATEMENTS_DTYPES",
    "VALUATIONS_DTYPES",
    "HistoryKey",
]

#: Statement amounts that may be negative (flows and equity); the others are >= 0.
_SIGNED_AMOUNTS: Final = frozenset(
    {EBITDA, EBIT, NET_DEBT, EQUITY, OPERATING_CASH_FLOW}
)
#: The statement amount columns: `STATEMENT_AMOUNTS`, in order (a test pins it).
_AMOUNT_COLUMNS: Final = (
    REVENUE,
    EBITDA,
    EBIT,
    INTEREST_EXPENSE,
    TOTAL_DEBT,
    CASH,
    NET_DEBT,
    TOTAL_ASSETS,
    TOTAL_LIABILITIES,
    EQUITY,
    CURRENT_ASSETS,
    CURRENT_LIABILITIES,
    CAPEX,
    OPERATING_CASH_FLOW,
    DEBT_SERVICE,
)

HISTORY_SPECS: Final[Mapping[str, tuple[ColumnSpec, ...]]] = MappingProxyType(
    {
        "measures": (
            ColumnSpec(name=CLIENT_ID, kind="str"),
            ColumnSpec(name=MEASURED_ON, kind="date"),
            number_spec(REVENUE_TO_BANK, lower=0),
            number_spec(PROFIT_TO_BANK),
            number_spec(PRODUCT_COUNT, "int", lower=0),
            number_spec(TRANSACTION_COUNT, "int", lower=0),
            ColumnSpec(name=LAST_TRANSACTION_ON, kind="date", nullable=True),
            number_spec(REFERRAL_COUNT, "int", lower=0),
        ),
        "ratings": (
            ColumnSpec(name=CLIENT_ID, kind="str"),
            ColumnSpec(name=RATED_ON, kind="date"),
            ColumnSpec(name=RATING_GRADE, kind="str"),
            number_spec(DEFAULT_PROBABILITY, lower=0, upper=1, nullable=True),
            ColumnSpec(name=RATER, kind="str"),
            ColumnSpec(name=RATING_OVERRIDE, kind="bool"),
            ColumnSpec(name=OVERRIDE_REASON, kind="str", nullable=True),
        ),
        "statements": (
            ColumnSpec(name=CLIENT_ID, kind="str"),
            ColumnSpec(name=PERIOD_END, kind="date"),
            category_spec(CURRENCY, CURRENCY_CODES, text=CURRENCY_TEXT),
            number_spec(PERIOD_MONTHS, "int", lower=1),
            *(
                number_spec(
                    name, lower=None if name in _SIGNED_AMOUNTS else 0, nullable=True
                )
                for name in _AMOUNT_COLUMNS
            ),
        ),
        "observations": (
            ColumnSpec(name=FACILITY_ID, kind="str"),
            ColumnSpec(name=PERIOD_END, kind="date"),
            number_spec(DRAWN, lower=0),
            number_spec(LIMIT, lower=0),
            number_spec(SIG_DAYS_PAST_DUE, "int", lower=0),
            ColumnSpec(name=IN_DEFAULT, kind="bool"),
            ColumnSpec(name=FORBORNE, kind="bool"),
        ),
        "valuations": (
            ColumnSpec(name=FACILITY_ID, kind="str"),
            number_spec(COLLATERAL_INDEX, "int", lower=0),
            ColumnSpec(name=VALUED_ON, kind="date"),
            number_spec(COLLATERAL_VALUE, lower=0),
            category_spec(VALUATION_METHOD, enum_values(ValuationMethod)),
        ),
    }
)


@attrs.frozen(kw_only=True)
class HistoryKey:
    """How the rows of a history frame form series.

    Attributes:
        keys: The columns whose values name one series (the owner).
        date: The column that dates a record; strictly increasing within a series.
        owner: The owner, in words, for messages (``client``, ``collateral``).
    """

    keys: tuple[str, ...]
    date: str
    owner: str


HISTORY_KEYS: Final[Mapping[str, HistoryKey]] = MappingProxyType(
    {
        "measures": HistoryKey(keys=(CLIENT_ID,), date=MEASURED_ON, owner="client"),
        "ratings": HistoryKey(keys=(CLIENT_ID,), date=RATED_ON, owner="client"),
        "statements": HistoryKey(keys=(CLIENT_ID,), date=PERIOD_END, owner="client"),
        "observations": HistoryKey(
            keys=(FACILITY_ID,), date=PERIOD_END, owner="facility"
        ),
        "valuations": HistoryKey(
            keys=(FACILITY_ID, COLLATERAL_INDEX), date=VALUED_ON, owner="collateral"
        ),
    }
)

#: Measures history: one row per client and period end (``measured_on``); amounts in
#: the client's currency (the ``currency`` of its clients-frame row).
MEASURES_DTYPES: Final = dtypes_of(HISTORY_SPECS["measures"])
#: Rating history: one row per client and ``rated_on``.
RATINGS_DTYPES: Final = dtypes_of(HISTORY_SPECS["ratings"])
#: Financial statements: one row per client and fiscal ``period_end``; amounts in the
#: row's ``currency``, NaN when not given.
STATEMENTS_DTYPES: Final = dtypes_of(HISTORY_SPECS["statements"])
#: Facility observations: one row per facility and ``period_end``; amounts in the
#: facility's currency.
OBSERVATIONS_DTYPES: Final = dtypes_of(HISTORY_SPECS["observations"])
#: Collateral valuations: one row per collateral (``facility_id`` and the 0-based
#: ``collateral_index`` among the facility's collateral rows) and ``valued_on``;
#: values in the facility's currency.
VALUATIONS_DTYPES: Final = dtypes_of(HISTORY_SPECS["valuations"])
