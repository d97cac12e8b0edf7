"""lendcrm: client relationships in project finance and corporate lending.

Typed, validated, immutable entities; an audited lifecycle; value segmentation; credit
scoring, pricing and capital. Pure library: no I/O, no clock, no global state.

This front door holds the domain model: `Client`, `Facility`, `Project`, their value
objects (`Collateral`, `Guarantee`, `Covenant`, `Milestone`, ...), their dated records
(`RatingRecord`, `FacilityObservation`, `FinancialStatement`, `CollateralValuation`),
the people and touch points of a relationship (`Contact`, `Interaction`),
identifiers, enumerations, `Money` and the `Book`. Everything else is a sub-namespace:

==============================  ====================================================
namespace                       what it holds
==============================  ====================================================
`lendcrm.errors`                the exception root `LendCRMError` and its family
`lendcrm.frames`                books as pandas frames and back; `frames.columns`
                                is the schema (every column name)
`lendcrm.serialization`         entities to plain dicts and back
`lendcrm.synthetic`             synthetic books and the worked example project
`lendcrm.lifecycle`             state machines, stage assessment, playbooks
`lendcrm.segmentation`          value tiers, strategies, concentration
`lendcrm.risk`                  a map of seven areas: scoring, capital, portfolio,
                                project_finance, schedules, pricing, impairment
`lendcrm.relationship`          the client 360 view, early warning, next best action,
                                signals and migrations from the book's histories
`lendcrm.plot`                  charts of the results (the ``plot`` extra)
==============================  ====================================================

Examples:
    >>> import lendcrm
    >>> limit = lendcrm.Money.of("1250000.00", "eur")
    >>> str(limit.amount), limit.currency
    ('1250000.00', 'EUR')
"""

from __future__ import annotations

from lendcrm._book import Book
from lendcrm._contacts import (
    Contact,
    ContactId,
    ContactRole,
    Interaction,
    InteractionChannel,
    InteractionTopic,
)
from lendcrm._entities import Client, Facility
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
    ValuationMethod,
)
from lendcrm._history import (
    CollateralValuation,
    FacilityObservation,
    FinancialStatement,
    RatingRecord,
)
from lendcrm._loan_terms import (
    Amortisation,
    DayCount,
    Participation,
    ParticipationRole,
    RepaymentTerms,
)
from lendcrm._money import CURRENCIES, Money, currency_code, minor_units
from lendcrm._project import Project
from lendcrm._values import (
    CashFlow,
    ClientId,
    Collateral,
    Covenant,
    Drawdown,
    FacilityId,
    Feedback,
    Guarantee,
    Milestone,
    Pricing,
    ProjectId,
    Referral,
    RelationshipMeasures,
    Sponsor,
)

#: The installed distribution's version, read on first access by `__getattr__` below
#: (importlib.metadata takes ~0.1 s to import, more than the rest of this front door).
__version__: str


def __getattr__(name: str) -> str:
    if name != "__version__":
        msg = f"module {__name__!r} has no attribute {name!r}"
        raise AttributeError(msg)
    from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

    try:
        found = version("lendcrm")
    except PackageNotFoundError:  # a source tree that is not installed
        found = "0+unknown"
    globals()["__version__"] = found
    return found


__all__ = [  # noqa: RUF022 - plain sorted order, as tests/test_public_api.py checks
    "Amortisation",
    "Book",
    "CURRENCIES",
    "CashFlow",
    "Client",
    "ClientId",
    "Collateral",
    "CollateralKind",
    "CollateralValuation",
    "Contact",
    "ContactId",
    "ContactRole",
    "Covenant",
    "CovenantMetric",
    "CovenantOperator",
    "DayCount",
    "Drawdown",
    "EquatorCategory",
    "Facility",
    "FacilityId",
    "FacilityKind",
    "FacilityObservation",
    "FacilityStatus",
    "Feedback",
    "FeedbackChannel",
    "FinancialStatement",
    "Guarantee",
    "Interaction",
    "InteractionChannel",
    "InteractionTopic",
    "Milestone",
    "Money",
    "Participation",
    "ParticipationRole",
    "Pricing",
    "Project",
    "ProjectId",
    "ProjectPhase",
    "RatingRecord",
    "Referral",
    "RelationshipMeasures",
    "RepaymentTerms",
    "Sector",
    "Seniority",
    "Sponsor",
    "TestFrequency",
    "ValuationMethod",
    "currency_code",
    "minor_units",
]
