"""lendcrm: client relationships in project finance and corporate lending.

Typed, validated, immutable entities; an audited lifecycle; value segmentation; credit
scoring, pricing and capital. Pure library: no I/O, no clock, no global state.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from lendcrm._book import Book
from lendcrm._entities import Client, Facility, Project
from lendcrm._enums import (
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
from lendcrm._money import CURRENCIES, Money, currency_code, minor_units
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

try:
    __version__ = version("lendcrm")
except PackageNotFoundError:  # a source tree that is not installed
    __version__ = "0+unknown"

__all__ = [  # noqa: RUF022 - plain sorted order, as tests/test_public_api.py checks
    "Book",
    "CURRENCIES",
    "CashFlow",
    "Client",
    "ClientId",
    "Collateral",
    "CollateralKind",
    "Covenant",
    "CovenantMetric",
    "CovenantOperator",
    "Drawdown",
    "Facility",
    "FacilityId",
    "FacilityKind",
    "FacilityStatus",
    "Feedback",
    "FeedbackChannel",
    "Guarantee",
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
    "currency_code",
    "minor_units",
]
