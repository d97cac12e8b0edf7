"""lendcrm: client relationships in project finance and corporate lending.

Typed, validated, immutable entities; an audited lifecycle; value segmentation; credit
scoring, pricing and capital. Pure library: no I/O, no clock, no global state.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from lendcrm.book import Book
from lendcrm.entities import Client, Facility, Project
from lendcrm.errors import (
    BatchValidationError,
    CurrencyMismatchError,
    InvalidValueError,
    LendCRMError,
    UnknownReferenceError,
)
from lendcrm.money import Money
from lendcrm.values import (
    CashFlow,
    ClientId,
    Collateral,
    CollateralKind,
    Covenant,
    CovenantMetric,
    CovenantOperator,
    Drawdown,
    FacilityId,
    FacilityKind,
    FacilityStatus,
    Feedback,
    FeedbackChannel,
    Guarantee,
    Milestone,
    Pricing,
    ProjectId,
    ProjectPhase,
    Referral,
    RelationshipMeasures,
    Sector,
    Seniority,
    Sponsor,
    TestFrequency,
)

try:
    __version__ = version("lendcrm")
except PackageNotFoundError:  # a source tree that is not installed
    __version__ = "0+unknown"

__all__ = [
    "BatchValidationError",
    "Book",
    "CashFlow",
    "Client",
    "ClientId",
    "Collateral",
    "CollateralKind",
    "Covenant",
    "CovenantMetric",
    "CovenantOperator",
    "CurrencyMismatchError",
    "Drawdown",
    "Facility",
    "FacilityId",
    "FacilityKind",
    "FacilityStatus",
    "Feedback",
    "FeedbackChannel",
    "Guarantee",
    "InvalidValueError",
    "LendCRMError",
    "Milestone",
    "Money",
    "Pricing",
    "Project",
    "ProjectId",
    "ProjectPhase",
    "Referral",
    "RelationshipMeasures",
    "Sector",
    "Seniority",
    "Sponsor",
    "TestFrequency",
    "UnknownReferenceError",
]
