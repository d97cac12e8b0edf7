"""Column specifications and dtypes of the core frames (private to :mod:`lendcrm.frames`).

`ColumnSpec` says what one column must hold; the ``*_SPECS`` tuples are the rules
`lendcrm.frames` checks the entity and child frames against, and the ``*_DTYPES``
mappings are the columns and dtypes it writes.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from types import MappingProxyType
from typing import Final, Literal

import attrs

from lendcrm._codes import COUNTRY_CODES
from lendcrm.frames.columns import (
    ACTUAL_ON,
    ALLOWS_OVERDRAW,
    AMOUNT,
    ANNUAL_REVENUE,
    ARRANGEMENT_FEE,
    CERTIFIED_BY,
    CFADS,
    CHANNEL,
    CLIENT_ID,
    COLLATERAL_KIND,
    COLLATERAL_VALUE,
    COMMITMENT_FEE_BPS,
    CONVERTED_AMOUNT,
    COUNTRY,
    COVERED,
    CREDIT_CONVERSION_FACTOR,
    CURRENCY,
    DEBT,
    DEBT_SERVICE,
    DEFAULT_LEVEL,
    DEFAULT_PROBABILITY,
    DRAWN,
    DRAWN_ON,
    EQUITY,
    EQUITY_SHARE,
    FACILITY_ID,
    FEEDBACK_ON,
    GUARANTEED_AMOUNT,
    GUARANTOR_DEFAULT_PROBABILITY,
    GUARANTOR_ID,
    GUARANTOR_NAME,
    HAIRCUT,
    KIND,
    LAST_TRANSACTION_ON,
    LEGAL_NAME,
    LIMIT,
    LOCK_UP_LEVEL,
    LOSS_GIVEN_DEFAULT,
    MARGIN_BPS,
    MATURITY_ON,
    MEASURED_ON,
    METRIC,
    MILESTONE,
    NAME,
    ON_WATCHLIST,
    ONBOARDED_ON,
    OPERATOR,
    PARENT_ID,
    PERCENT_COMPLETE,
    PERIOD_END,
    PHASE,
    PLANNED_ON,
    PRODUCT_COUNT,
    PROFIT_TO_BANK,
    PROJECT_ID,
    RATING_GRADE,
    REFEREE_ID,
    REFERENCE_RATE,
    REFERRAL_COUNT,
    REFERRED_ON,
    REVENUE_TO_BANK,
    SCORE,
    SECTOR,
    SENIORITY,
    SPONSOR_ID,
    START_ON,
    STATUS,
    TEST_FREQUENCY,
    TEXT,
    THRESHOLD,
    TOTAL_COST,
    TRANSACTION_COUNT,
    VALUE,
)
from lendcrm.money import CURRENCIES
from lendcrm.values import (
    CollateralKind,
    CovenantMetric,
    CovenantOperator,
    FacilityKind,
    FacilityStatus,
    FeedbackChannel,
    ProjectPhase,
    Sector,
    Seniority,
    TestFrequency,
)

ColumnKind = Literal["float", "int", "bool", "str", "date", "category"]


@attrs.frozen(kw_only=True)
class ColumnSpec:
    """What one column must hold.

    Attributes:
        name: Column name.
        kind: ``float`` (any real dtype, checked finite), ``int`` (integer dtype, or
            floats that are whole numbers), ``bool``, ``str`` (object/string dtype),
            ``date`` (datetime64) or ``category`` (str values from ``allowed``).
        nullable: Whether missing values are allowed (never for float bounds checks).
        lower: Smallest allowed value, for numbers.
        upper: Largest allowed value, for numbers.
        lower_open: Exclude ``lower``.
        upper_open: Exclude ``upper``.
        allowed: Allowed values, for ``category`` columns.
        required: Whether the column must be present.
        allowed_text: How messages describe ``allowed`` (default: the values listed),
            e.g. ``"an active ISO 4217 currency code"`` for long lists.
    """

    name: str
    kind: ColumnKind
    nullable: bool = False
    lower: float | None = None
    upper: float | None = None
    lower_open: bool = False
    upper_open: bool = False
    allowed: Collection[str] | None = None
    required: bool = True
    allowed_text: str = ""


def _values(enum: type) -> tuple[str, ...]:
    return tuple(m.value for m in enum)  # type: ignore[attr-defined]


_CURRENCIES: Final = tuple(sorted(CURRENCIES))
_COUNTRIES: Final = tuple(sorted(COUNTRY_CODES))


def _cat(
    name: str, allowed: Sequence[str], *, nullable: bool = False, text: str = ""
) -> ColumnSpec:
    return ColumnSpec(
        name=name,
        kind="category",
        allowed=allowed,
        nullable=nullable,
        allowed_text=text,
    )


_CURRENCY_TEXT: Final = "an active ISO 4217 currency code"
_COUNTRY_TEXT: Final = "an ISO 3166-1 alpha-2 country code"


def _num(
    name: str,
    kind: ColumnKind = "float",
    lower: float | None = None,
    upper: float | None = None,
    *,
    nullable: bool = False,
) -> ColumnSpec:
    return ColumnSpec(name=name, kind=kind, lower=lower, upper=upper, nullable=nullable)


CLIENT_SPECS: Final = (
    ColumnSpec(name=CLIENT_ID, kind="str"),
    ColumnSpec(name=LEGAL_NAME, kind="str"),
    _cat(SECTOR, _values(Sector)),
    _cat(COUNTRY, _COUNTRIES, text=_COUNTRY_TEXT),
    ColumnSpec(name=PARENT_ID, kind="str", nullable=True),
    ColumnSpec(name=ONBOARDED_ON, kind="date"),
    _cat(CURRENCY, _CURRENCIES, text=_CURRENCY_TEXT),
    _num(ANNUAL_REVENUE, lower=0),
    # optional for validation (frames from other producers may lack it); needed to
    # rebuild entities, which book_from_frames checks itself
    ColumnSpec(name=MEASURED_ON, kind="date", nullable=True, required=False),
    _num(REVENUE_TO_BANK, lower=0, nullable=True),
    _num(PROFIT_TO_BANK, nullable=True),
    _num(PRODUCT_COUNT, "int", lower=0),
    _num(TRANSACTION_COUNT, "int", lower=0),
    ColumnSpec(name=LAST_TRANSACTION_ON, kind="date", nullable=True),
    _num(REFERRAL_COUNT, "int", lower=0),
    ColumnSpec(name=RATING_GRADE, kind="str", nullable=True),
    _num(DEFAULT_PROBABILITY, lower=0, upper=1, nullable=True),
    ColumnSpec(name=ON_WATCHLIST, kind="bool"),
)
FACILITY_SPECS: Final = (
    ColumnSpec(name=FACILITY_ID, kind="str"),
    ColumnSpec(name=CLIENT_ID, kind="str"),
    ColumnSpec(name=PROJECT_ID, kind="str", nullable=True),
    _cat(KIND, _values(FacilityKind)),
    _cat(CURRENCY, _CURRENCIES, text=_CURRENCY_TEXT),
    _num(LIMIT, lower=0),
    _num(DRAWN, lower=0),
    ColumnSpec(name=START_ON, kind="date"),
    ColumnSpec(name=MATURITY_ON, kind="date"),
    _cat(SENIORITY, _values(Seniority)),
    ColumnSpec(name=REFERENCE_RATE, kind="str"),
    _num(MARGIN_BPS, "int"),
    _num(ARRANGEMENT_FEE, lower=0),
    _num(COMMITMENT_FEE_BPS, "int", lower=0),
    _cat(STATUS, _values(FacilityStatus)),
    ColumnSpec(name=ALLOWS_OVERDRAW, kind="bool"),
    _num(DEFAULT_PROBABILITY, lower=0, upper=1, nullable=True),
    _num(LOSS_GIVEN_DEFAULT, lower=0, upper=1, nullable=True),
    _num(CREDIT_CONVERSION_FACTOR, lower=0, upper=1, nullable=True),
)
PROJECT_SPECS: Final = (
    ColumnSpec(name=PROJECT_ID, kind="str"),
    ColumnSpec(name=NAME, kind="str"),
    _cat(SECTOR, _values(Sector)),
    _cat(COUNTRY, _COUNTRIES, text=_COUNTRY_TEXT),
    _cat(CURRENCY, _CURRENCIES, text=_CURRENCY_TEXT),
    ColumnSpec(name=TOTAL_COST, kind="float", lower=0, lower_open=True),
    _num(DEBT, lower=0),
    _num(EQUITY, lower=0),
    _cat(PHASE, _values(ProjectPhase)),
)
CHILD_SPECS: Final[Mapping[str, tuple[ColumnSpec, ...]]] = MappingProxyType(
    {
        "collateral": (
            ColumnSpec(name=FACILITY_ID, kind="str"),
            _cat(COLLATERAL_KIND, _values(CollateralKind)),
            _cat(CURRENCY, _CURRENCIES, text=_CURRENCY_TEXT),
            _num(VALUE, lower=0),
            _num(HAIRCUT, lower=0, upper=1),
        ),
        "guarantees": (
            ColumnSpec(name=FACILITY_ID, kind="str"),
            _cat(CURRENCY, _CURRENCIES, text=_CURRENCY_TEXT),
            ColumnSpec(name=COVERED, kind="float", lower=0, lower_open=True),
            ColumnSpec(name=GUARANTOR_ID, kind="str", nullable=True),
            ColumnSpec(name=GUARANTOR_NAME, kind="str", nullable=True),
            _num(GUARANTOR_DEFAULT_PROBABILITY, lower=0, upper=1, nullable=True),
        ),
        "covenants": (
            ColumnSpec(name=FACILITY_ID, kind="str"),
            _cat(METRIC, _values(CovenantMetric)),
            _cat(OPERATOR, _values(CovenantOperator)),
            _num(THRESHOLD),
            _num(LOCK_UP_LEVEL, nullable=True),
            _num(DEFAULT_LEVEL, nullable=True),
            _cat(TEST_FREQUENCY, _values(TestFrequency)),
        ),
        "milestones": (
            ColumnSpec(name=PROJECT_ID, kind="str"),
            ColumnSpec(name=MILESTONE, kind="str"),
            ColumnSpec(name=PLANNED_ON, kind="date"),
            ColumnSpec(name=ACTUAL_ON, kind="date", nullable=True),
            _num(PERCENT_COMPLETE, lower=0, upper=100),
            ColumnSpec(name=CERTIFIED_BY, kind="str", nullable=True),
        ),
        "drawdowns": (
            ColumnSpec(name=PROJECT_ID, kind="str"),
            ColumnSpec(name=DRAWN_ON, kind="date"),
            _cat(CURRENCY, _CURRENCIES, text=_CURRENCY_TEXT),
            ColumnSpec(name=AMOUNT, kind="float", lower=0, lower_open=True),
        ),
        "cash_flows": (
            ColumnSpec(name=PROJECT_ID, kind="str"),
            ColumnSpec(name=PERIOD_END, kind="date"),
            _cat(CURRENCY, _CURRENCIES, text=_CURRENCY_TEXT),
            _num(CFADS),
            _num(DEBT_SERVICE, lower=0, nullable=True),
        ),
        "sponsors": (
            ColumnSpec(name=PROJECT_ID, kind="str"),
            ColumnSpec(name=SPONSOR_ID, kind="str"),
            ColumnSpec(
                name=EQUITY_SHARE, kind="float", lower=0, upper=1, lower_open=True
            ),
        ),
        "feedback": (
            ColumnSpec(name=CLIENT_ID, kind="str"),
            ColumnSpec(name=FEEDBACK_ON, kind="date"),
            _cat(CHANNEL, _values(FeedbackChannel)),
            _num(SCORE, "int", lower=0, upper=10),
            ColumnSpec(name=TEXT, kind="str", nullable=True),
        ),
        "referrals": (
            ColumnSpec(name=CLIENT_ID, kind="str"),
            ColumnSpec(name=REFEREE_ID, kind="str"),
            ColumnSpec(name=REFERRED_ON, kind="date"),
            _cat(CURRENCY, _CURRENCIES, nullable=True, text=_CURRENCY_TEXT),
            _num(CONVERTED_AMOUNT, lower=0, nullable=True),
        ),
    }
)

_S: Final = "str"
_F: Final = "float64"
_I: Final = "int64"
_B: Final = "bool"
#: The dtype of every date column (midnight, no time zone).
DATE_DTYPE: Final = "datetime64[ns]"
_D: Final = DATE_DTYPE

#: Clients frame: one row per client. Amounts in the row's ``currency``.
CLIENTS_DTYPES: Final[Mapping[str, str]] = MappingProxyType(
    {
        CLIENT_ID: _S,
        LEGAL_NAME: _S,
        SECTOR: _S,
        COUNTRY: _S,
        PARENT_ID: _S,
        ONBOARDED_ON: _D,
        CURRENCY: _S,
        ANNUAL_REVENUE: _F,
        MEASURED_ON: _D,
        REVENUE_TO_BANK: _F,
        PROFIT_TO_BANK: _F,
        PRODUCT_COUNT: _I,
        TRANSACTION_COUNT: _I,
        LAST_TRANSACTION_ON: _D,
        REFERRAL_COUNT: _I,
        RATING_GRADE: _S,
        DEFAULT_PROBABILITY: _F,
        ON_WATCHLIST: _B,
    }
)
#: Facilities frame: one row per facility. ``collateral_value`` (after haircuts) and
#: ``guaranteed_amount`` are derived summaries, ignored when reading back.
FACILITIES_DTYPES: Final[Mapping[str, str]] = MappingProxyType(
    {
        FACILITY_ID: _S,
        CLIENT_ID: _S,
        PROJECT_ID: _S,
        KIND: _S,
        CURRENCY: _S,
        LIMIT: _F,
        DRAWN: _F,
        START_ON: _D,
        MATURITY_ON: _D,
        SENIORITY: _S,
        REFERENCE_RATE: _S,
        MARGIN_BPS: _I,
        ARRANGEMENT_FEE: _F,
        COMMITMENT_FEE_BPS: _I,
        STATUS: _S,
        ALLOWS_OVERDRAW: _B,
        DEFAULT_PROBABILITY: _F,
        LOSS_GIVEN_DEFAULT: _F,
        CREDIT_CONVERSION_FACTOR: _F,
        COLLATERAL_VALUE: _F,
        GUARANTEED_AMOUNT: _F,
    }
)
#: Projects frame: one row per project. ``percent_complete`` (mean milestone
#: progress, 0-100) is derived, ignored when reading back.
PROJECTS_DTYPES: Final[Mapping[str, str]] = MappingProxyType(
    {
        PROJECT_ID: _S,
        NAME: _S,
        SECTOR: _S,
        COUNTRY: _S,
        CURRENCY: _S,
        TOTAL_COST: _F,
        DEBT: _F,
        EQUITY: _F,
        PHASE: _S,
        PERCENT_COMPLETE: _F,
    }
)
#: Collateral of facilities (haircut a fraction).
COLLATERAL_DTYPES: Final[Mapping[str, str]] = MappingProxyType(
    {FACILITY_ID: _S, COLLATERAL_KIND: _S, CURRENCY: _S, VALUE: _F, HAIRCUT: _F}
)
#: Guarantees of facilities.
GUARANTEES_DTYPES: Final[Mapping[str, str]] = MappingProxyType(
    {
        FACILITY_ID: _S,
        CURRENCY: _S,
        COVERED: _F,
        GUARANTOR_ID: _S,
        GUARANTOR_NAME: _S,
        GUARANTOR_DEFAULT_PROBABILITY: _F,
    }
)
#: Covenants of facilities.
COVENANTS_DTYPES: Final[Mapping[str, str]] = MappingProxyType(
    {
        FACILITY_ID: _S,
        METRIC: _S,
        OPERATOR: _S,
        THRESHOLD: _F,
        LOCK_UP_LEVEL: _F,
        DEFAULT_LEVEL: _F,
        TEST_FREQUENCY: _S,
    }
)
#: Milestones of projects (percent_complete in percent, 0-100).
MILESTONES_DTYPES: Final[Mapping[str, str]] = MappingProxyType(
    {
        PROJECT_ID: _S,
        MILESTONE: _S,
        PLANNED_ON: _D,
        ACTUAL_ON: _D,
        PERCENT_COMPLETE: _F,
        CERTIFIED_BY: _S,
    }
)
#: Drawdowns of projects.
DRAWDOWNS_DTYPES: Final[Mapping[str, str]] = MappingProxyType(
    {PROJECT_ID: _S, DRAWN_ON: _D, CURRENCY: _S, AMOUNT: _F}
)
#: Cash-flow forecasts of projects.
CASH_FLOWS_DTYPES: Final[Mapping[str, str]] = MappingProxyType(
    {PROJECT_ID: _S, PERIOD_END: _D, CURRENCY: _S, CFADS: _F, DEBT_SERVICE: _F}
)
#: Sponsors of projects (equity share a fraction).
SPONSORS_DTYPES: Final[Mapping[str, str]] = MappingProxyType(
    {PROJECT_ID: _S, SPONSOR_ID: _S, EQUITY_SHARE: _F}
)
#: Feedback of clients (score 0-10).
FEEDBACK_DTYPES: Final[Mapping[str, str]] = MappingProxyType(
    {CLIENT_ID: _S, FEEDBACK_ON: _D, CHANNEL: _S, SCORE: _I, TEXT: _S}
)
#: Referrals made by clients (``client_id`` is the referrer).
REFERRALS_DTYPES: Final[Mapping[str, str]] = MappingProxyType(
    {
        CLIENT_ID: _S,
        REFEREE_ID: _S,
        REFERRED_ON: _D,
        CURRENCY: _S,
        CONVERTED_AMOUNT: _F,
    }
)
