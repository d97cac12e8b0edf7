"""Column specifications and dtypes of the core frames (private to :mod:`lendcrm.frames`).

`ColumnSpec` says what one column must hold; the ``*_SPECS`` tuples are the rules
`lendcrm.frames` checks the entity and child frames against. They are the one table of
the schema: the ``*_DTYPES`` mappings, the columns and dtypes the frames are written
with, are derived from them (plus the few derived columns the writer adds).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from types import MappingProxyType
from typing import Any, Final, Literal, get_args

import attrs

from lendcrm._codes import COUNTRY_CODES
from lendcrm._enums import (
    CollateralKind,
    CovenantMetric,
    CovenantOperator,
    EquatorCategory,
    FacilityKind,
    FacilityStatus,
    FeedbackChannel,
    ProjectPhase,
    Sector,
    Seniority,
    TestFrequency,
)
from lendcrm._loan_terms import Amortisation, DayCount, ParticipationRole
from lendcrm._money import CURRENCIES
from lendcrm._validators import (
    check_bounds,
    finite_number,
    instance_of,
    non_empty_str,
    one_of,
    optional,
    require_labels,
)
from lendcrm.errors import InvalidValueError
from lendcrm.frames.columns import (
    ACTUAL_ON,
    ALLOWS_OVERDRAW,
    AMORTISATION,
    AMOUNT,
    ANNUAL_REVENUE,
    ARRANGEMENT_FEE,
    ASSET_ID,
    BALLOON_FRACTION,
    BANK,
    CERTIFIED_BY,
    CFADS,
    CHANNEL,
    CLAIM_RANK,
    CLIENT_ID,
    COLLATERAL_KIND,
    COLLATERAL_VALUE,
    COMMITMENT_FEE_BPS,
    CONVERTED_AMOUNT,
    COUNTRY,
    COVERED,
    CREDIT_CONVERSION_FACTOR,
    CURRENCY,
    DAY_COUNT,
    DEBT,
    DEBT_SERVICE,
    DEFAULT_LEVEL,
    DEFAULT_PROBABILITY,
    DRAWN,
    DRAWN_ON,
    EQUATOR_CATEGORY,
    EQUITY,
    EQUITY_SHARE,
    FACILITY_ID,
    FEEDBACK_ON,
    GRACE_PERIODS,
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
    OWN,
    PARENT_ID,
    PAYMENTS_PER_YEAR,
    PERCENT_COMPLETE,
    PERIOD_END,
    PHASE,
    PLANNED_ON,
    PRODUCT_COUNT,
    PROFILE_FRACTION,
    PROFILE_PERIOD,
    PROFIT_TO_BANK,
    PROJECT_ID,
    RATING_GRADE,
    REFEREE_ID,
    REFERENCE_RATE,
    REFERRAL_COUNT,
    REFERRED_ON,
    RELATIONSHIP_MANAGER,
    REVENUE_TO_BANK,
    ROLE,
    SCORE,
    SECTOR,
    SENIORITY,
    SHARE,
    SPONSOR_ID,
    START_ON,
    STATUS,
    TEST_FREQUENCY,
    TEXT,
    THRESHOLD,
    TOTAL_COST,
    TRANSACTION_COUNT,
    VALUE,
    ZERO_FLOOR,
)

ColumnKind = Literal["float", "int", "bool", "str", "date", "category"]
_FLAG = instance_of(bool, what="a boolean")
_TEXT = instance_of(str, what="text (a string)")


def _labels(_inst: object, attr: attrs.Attribute[Any], value: object) -> None:
    require_labels(value, name=attr.name, what="allowed values")


@attrs.frozen(kw_only=True)
class ColumnSpec:
    """What one column must hold.

    Attributes:
        name: Column name.
        kind: ``float`` (any real dtype, checked finite), ``int`` (integer dtype, or
            floats that are whole numbers), ``bool``, ``str`` (object/string dtype),
            ``date`` (datetime64) or ``category`` (str values from ``allowed``).
        nullable: Whether missing values are allowed (never for float bounds checks).
        lower: Smallest allowed value, for numbers (refused for other kinds).
        upper: Largest allowed value, for numbers (refused for other kinds).
        lower_open: Exclude ``lower``.
        upper_open: Exclude ``upper``.
        allowed: Allowed values; required for ``category`` columns, refused for others.
        required: Whether the column must be present.
        allowed_text: How messages describe ``allowed`` (default: the values listed),
            e.g. ``"an active ISO 4217 currency code"`` for long lists.
    """

    name: str = attrs.field(validator=non_empty_str)
    kind: ColumnKind = attrs.field(validator=one_of(get_args(ColumnKind)))
    nullable: bool = attrs.field(default=False, validator=_FLAG)
    lower: float | None = attrs.field(default=None, validator=optional(finite_number))
    upper: float | None = attrs.field(default=None, validator=optional(finite_number))
    lower_open: bool = attrs.field(default=False, validator=_FLAG)
    upper_open: bool = attrs.field(default=False, validator=_FLAG)
    allowed: Collection[str] | None = attrs.field(
        default=None, validator=optional(_labels)
    )
    required: bool = attrs.field(default=True, validator=_FLAG)
    allowed_text: str = attrs.field(default="", validator=_TEXT)

    def __attrs_post_init__(self) -> None:
        """The bounds in order, and each rule on a kind it applies to."""
        check_bounds(self.lower, self.upper)
        if self.kind == "category" and self.allowed is None:
            raise InvalidValueError(
                field="allowed",
                value=None,
                expected="the allowed values of a category column",
                hint="A column of any text is kind='str'.",
            )
        if self.kind != "category" and self.allowed is not None:
            raise InvalidValueError(
                field="allowed",
                value=f"{len(self.allowed)} values on a {self.kind!r} column",
                expected="None (allowed values are a rule of kind='category' only)",
            )
        bounded = self.lower is not None or self.upper is not None
        if bounded and self.kind not in {"float", "int"}:
            raise InvalidValueError(
                field="lower" if self.lower is not None else "upper",
                value=self.lower if self.lower is not None else self.upper,
                expected=f"None on a {self.kind!r} column (bounds are for numbers: "
                "kind='float' or 'int')",
            )


def enum_values(enum: type) -> tuple[str, ...]:
    return tuple(m.value for m in enum)  # type: ignore[attr-defined]


CURRENCY_CODES: Final = tuple(sorted(CURRENCIES))
_COUNTRIES: Final = tuple(sorted(COUNTRY_CODES))


def category_spec(
    name: str, allowed: Sequence[str], *, nullable: bool = False, text: str = ""
) -> ColumnSpec:
    return ColumnSpec(
        name=name,
        kind="category",
        allowed=allowed,
        nullable=nullable,
        allowed_text=text,
    )


CURRENCY_TEXT: Final = "an active ISO 4217 currency code"
_COUNTRY_TEXT: Final = "an ISO 3166-1 alpha-2 country code"


def number_spec(
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
    category_spec(SECTOR, enum_values(Sector)),
    category_spec(COUNTRY, _COUNTRIES, text=_COUNTRY_TEXT),
    ColumnSpec(name=PARENT_ID, kind="str", nullable=True),
    ColumnSpec(name=ONBOARDED_ON, kind="date"),
    category_spec(CURRENCY, CURRENCY_CODES, text=CURRENCY_TEXT),
    number_spec(ANNUAL_REVENUE, lower=0),
    # optional for validation (frames from other producers may lack it); needed to
    # rebuild entities, which book_from_frames checks itself
    ColumnSpec(name=MEASURED_ON, kind="date", nullable=True, required=False),
    number_spec(REVENUE_TO_BANK, lower=0, nullable=True),
    number_spec(PROFIT_TO_BANK, nullable=True),
    number_spec(PRODUCT_COUNT, "int", lower=0),
    number_spec(TRANSACTION_COUNT, "int", lower=0),
    ColumnSpec(name=LAST_TRANSACTION_ON, kind="date", nullable=True),
    number_spec(REFERRAL_COUNT, "int", lower=0),
    ColumnSpec(name=RATING_GRADE, kind="str", nullable=True),
    number_spec(DEFAULT_PROBABILITY, lower=0, upper=1, nullable=True),
    ColumnSpec(name=ON_WATCHLIST, kind="bool"),
    ColumnSpec(name=RELATIONSHIP_MANAGER, kind="str", nullable=True, required=False),
)
FACILITY_SPECS: Final = (
    ColumnSpec(name=FACILITY_ID, kind="str"),
    ColumnSpec(name=CLIENT_ID, kind="str"),
    ColumnSpec(name=PROJECT_ID, kind="str", nullable=True),
    category_spec(KIND, enum_values(FacilityKind)),
    category_spec(CURRENCY, CURRENCY_CODES, text=CURRENCY_TEXT),
    number_spec(LIMIT, lower=0),
    number_spec(DRAWN, lower=0),
    ColumnSpec(name=START_ON, kind="date"),
    ColumnSpec(name=MATURITY_ON, kind="date"),
    category_spec(SENIORITY, enum_values(Seniority)),
    ColumnSpec(name=REFERENCE_RATE, kind="str"),
    number_spec(MARGIN_BPS, "int"),
    number_spec(ARRANGEMENT_FEE, lower=0),
    number_spec(COMMITMENT_FEE_BPS, "int", lower=0),
    category_spec(STATUS, enum_values(FacilityStatus)),
    ColumnSpec(name=ALLOWS_OVERDRAW, kind="bool"),
    number_spec(DEFAULT_PROBABILITY, lower=0, upper=1, nullable=True),
    number_spec(LOSS_GIVEN_DEFAULT, lower=0, upper=1, nullable=True),
    number_spec(CREDIT_CONVERSION_FACTOR, lower=0, upper=1, nullable=True),
)
PROJECT_SPECS: Final = (
    ColumnSpec(name=PROJECT_ID, kind="str"),
    ColumnSpec(name=NAME, kind="str"),
    category_spec(SECTOR, enum_values(Sector)),
    category_spec(COUNTRY, _COUNTRIES, text=_COUNTRY_TEXT),
    category_spec(CURRENCY, CURRENCY_CODES, text=CURRENCY_TEXT),
    ColumnSpec(name=TOTAL_COST, kind="float", lower=0, lower_open=True),
    number_spec(DEBT, lower=0),
    number_spec(EQUITY, lower=0),
    category_spec(PHASE, enum_values(ProjectPhase)),
    ColumnSpec(
        name=EQUATOR_CATEGORY,
        kind="category",
        allowed=enum_values(EquatorCategory),
        nullable=True,
        required=False,
    ),
)
CHILD_SPECS: Final[Mapping[str, tuple[ColumnSpec, ...]]] = MappingProxyType(
    {
        "collateral": (
            ColumnSpec(name=FACILITY_ID, kind="str"),
            category_spec(COLLATERAL_KIND, enum_values(CollateralKind)),
            category_spec(CURRENCY, CURRENCY_CODES, text=CURRENCY_TEXT),
            number_spec(VALUE, lower=0),
            number_spec(HAIRCUT, lower=0, upper=1),
            # optional (frames written before shared assets lack them): missing = none
            ColumnSpec(name=ASSET_ID, kind="str", nullable=True, required=False),
            ColumnSpec(
                name=CLAIM_RANK, kind="int", lower=1, nullable=True, required=False
            ),
        ),
        "repayment_terms": (
            ColumnSpec(name=FACILITY_ID, kind="str"),
            category_spec(AMORTISATION, enum_values(Amortisation)),
            number_spec(PAYMENTS_PER_YEAR, "int", lower=1, upper=12),
            category_spec(DAY_COUNT, enum_values(DayCount)),
            number_spec(GRACE_PERIODS, "int", lower=0),
            number_spec(BALLOON_FRACTION, lower=0, upper=1),
            ColumnSpec(name=ZERO_FLOOR, kind="bool"),
        ),
        "repayment_profiles": (
            ColumnSpec(name=FACILITY_ID, kind="str"),
            number_spec(PROFILE_PERIOD, "int", lower=1),
            number_spec(PROFILE_FRACTION),
        ),
        "participations": (
            ColumnSpec(name=FACILITY_ID, kind="str"),
            ColumnSpec(name=BANK, kind="str"),
            category_spec(ROLE, enum_values(ParticipationRole)),
            number_spec(SHARE, lower=0, upper=1),
            ColumnSpec(name=OWN, kind="bool"),
        ),
        "guarantees": (
            ColumnSpec(name=FACILITY_ID, kind="str"),
            category_spec(CURRENCY, CURRENCY_CODES, text=CURRENCY_TEXT),
            ColumnSpec(name=COVERED, kind="float", lower=0, lower_open=True),
            ColumnSpec(name=GUARANTOR_ID, kind="str", nullable=True),
            ColumnSpec(name=GUARANTOR_NAME, kind="str", nullable=True),
            number_spec(GUARANTOR_DEFAULT_PROBABILITY, lower=0, upper=1, nullable=True),
        ),
        "covenants": (
            ColumnSpec(name=FACILITY_ID, kind="str"),
            category_spec(METRIC, enum_values(CovenantMetric)),
            category_spec(OPERATOR, enum_values(CovenantOperator)),
            number_spec(THRESHOLD),
            number_spec(LOCK_UP_LEVEL, nullable=True),
            number_spec(DEFAULT_LEVEL, nullable=True),
            category_spec(TEST_FREQUENCY, enum_values(TestFrequency)),
        ),
        "milestones": (
            ColumnSpec(name=PROJECT_ID, kind="str"),
            ColumnSpec(name=MILESTONE, kind="str"),
            ColumnSpec(name=PLANNED_ON, kind="date"),
            ColumnSpec(name=ACTUAL_ON, kind="date", nullable=True),
            number_spec(PERCENT_COMPLETE, lower=0, upper=100),
            ColumnSpec(name=CERTIFIED_BY, kind="str", nullable=True),
        ),
        "drawdowns": (
            ColumnSpec(name=PROJECT_ID, kind="str"),
            ColumnSpec(name=DRAWN_ON, kind="date"),
            category_spec(CURRENCY, CURRENCY_CODES, text=CURRENCY_TEXT),
            ColumnSpec(name=AMOUNT, kind="float", lower=0, lower_open=True),
        ),
        "cash_flows": (
            ColumnSpec(name=PROJECT_ID, kind="str"),
            ColumnSpec(name=PERIOD_END, kind="date"),
            category_spec(CURRENCY, CURRENCY_CODES, text=CURRENCY_TEXT),
            number_spec(CFADS),
            number_spec(DEBT_SERVICE, lower=0, nullable=True),
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
            category_spec(CHANNEL, enum_values(FeedbackChannel)),
            number_spec(SCORE, "int", lower=0, upper=10),
            ColumnSpec(name=TEXT, kind="str", nullable=True),
        ),
        "referrals": (
            ColumnSpec(name=CLIENT_ID, kind="str"),
            ColumnSpec(name=REFEREE_ID, kind="str"),
            ColumnSpec(name=REFERRED_ON, kind="date"),
            category_spec(CURRENCY, CURRENCY_CODES, nullable=True, text=CURRENCY_TEXT),
            number_spec(CONVERTED_AMOUNT, lower=0, nullable=True),
        ),
    }
)

# --- columns the writer derives: written by book_frames, not checked, ignored on reading
FACILITY_DERIVED: Final = (
    ColumnSpec(name=COLLATERAL_VALUE, kind="float"),
    ColumnSpec(name=GUARANTEED_AMOUNT, kind="float"),
)
PROJECT_DERIVED: Final = (ColumnSpec(name=PERCENT_COMPLETE, kind="float"),)

# --- the dtypes: derived from the specs above, never written twice ---------------------
#: The dtype of every date column (midnight, no time zone).
DATE_DTYPE: Final = "datetime64[ns]"
_DTYPE_OF_KIND: Final[Mapping[ColumnKind, str]] = MappingProxyType(
    {
        "float": "float64",
        "int": "int64",
        "bool": "bool",
        "str": "str",
        "date": DATE_DTYPE,
        "category": "str",
    }
)


def dtypes_of(*groups: Sequence[ColumnSpec]) -> Mapping[str, str]:
    """Column name -> dtype, in spec order, read-only."""
    return MappingProxyType(
        {
            spec.name: "Int64"  # pandas' nullable integer: missing stays missing
            if spec.kind == "int" and spec.nullable
            else _DTYPE_OF_KIND[spec.kind]
            for specs in groups
            for spec in specs
        }
    )


#: Clients frame: one row per client. Amounts in the row's ``currency``.
CLIENTS_DTYPES: Final = dtypes_of(CLIENT_SPECS)
#: Facilities frame: one row per facility. ``collateral_value`` (after haircuts) and
#: ``guaranteed_amount`` are derived summaries, ignored when reading back.
FACILITIES_DTYPES: Final = dtypes_of(FACILITY_SPECS, FACILITY_DERIVED)
#: Projects frame: one row per project. ``percent_complete`` (mean milestone
#: progress, 0-100) is derived, ignored when reading back.
PROJECTS_DTYPES: Final = dtypes_of(PROJECT_SPECS, PROJECT_DERIVED)
#: Collateral of facilities (haircut a fraction).
COLLATERAL_DTYPES: Final = dtypes_of(CHILD_SPECS["collateral"])
#: Repayment terms of facilities: one row per facility that has terms.
REPAYMENT_TERMS_DTYPES: Final = dtypes_of(CHILD_SPECS["repayment_terms"])
#: Repayment profiles of facilities: one row per period of a sculpted loan's
#: principal fractions or a revolver's expected utilisation, in period order.
REPAYMENT_PROFILES_DTYPES: Final = dtypes_of(CHILD_SPECS["repayment_profiles"])
#: Participations in syndicated facilities (share a fraction).
PARTICIPATIONS_DTYPES: Final = dtypes_of(CHILD_SPECS["participations"])
#: Guarantees of facilities.
GUARANTEES_DTYPES: Final = dtypes_of(CHILD_SPECS["guarantees"])
#: Covenants of facilities.
COVENANTS_DTYPES: Final = dtypes_of(CHILD_SPECS["covenants"])
#: Milestones of projects (percent_complete in percent, 0-100).
MILESTONES_DTYPES: Final = dtypes_of(CHILD_SPECS["milestones"])
#: Drawdowns of projects.
DRAWDOWNS_DTYPES: Final = dtypes_of(CHILD_SPECS["drawdowns"])
#: Cash-flow forecasts of projects.
CASH_FLOWS_DTYPES: Final = dtypes_of(CHILD_SPECS["cash_flows"])
#: Sponsors of projects (equity share a fraction).
SPONSORS_DTYPES: Final = dtypes_of(CHILD_SPECS["sponsors"])
#: Feedback of clients (score 0-10).
FEEDBACK_DTYPES: Final = dtypes_of(CHILD_SPECS["feedback"])
#: Referrals made by clients (``client_id`` is the referrer).
REFERRALS_DTYPES: Final = dtypes_of(CHILD_SPECS["referrals"])
