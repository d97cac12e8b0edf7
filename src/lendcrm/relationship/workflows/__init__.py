"""Relationship workflows: the service model at work on each client.

A map of this area (#13):

- Service strategies the bank owns: `ServiceStrategies` (one
  `lendcrm.segmentation.ServiceStrategy` per tier, optional per-stage overrides, the
  risk rules that bring reviews forward).
- Contact standard: `contact_standard` (one client) and
  `service_frames.contact_standard_frame` (a book): meaningful interactions in the
  window against the tier's standard, days since the last contact, the gap;
  `ContactCompliance`, `ContactStanding`.
- Review and KYC calendar: `review_calendar` (one client: `CalendarItem` of each
  `CalendarKind`) and `service_frames.review_dates_frame`,
  `service_frames.calendar_frame` (a book and a date range).

The columnar face lives in the `service_frames` adapter (pandas at the edge).

Examples:
    >>> import datetime as dt
    >>> from lendcrm import Client, ClientId, Money, Sector
    >>> c = Client(id=ClientId("C-1"), legal_name="Nordwind GmbH",
    ...     sector=Sector.MANUFACTURING, country="DE",
    ...     onboarded_on=dt.date(2020, 3, 1), annual_revenue=Money.of("1", "EUR"))
    >>> contact_standard(c, as_of=dt.date(2026, 1, 31), tier="diamond").standing.value
    'no_contact'
"""

from __future__ import annotations

from lendcrm.relationship.workflows._calendar import (
    DEFAULT_STRATEGIES,
    CalendarItem,
    CalendarKind,
    review_calendar,
)
from lendcrm.relationship.workflows._contact_standard import (
    ContactCompliance,
    ContactStanding,
    contact_standard,
)
from lendcrm.relationship.workflows._strategies import ServiceStrategies

__all__ = [  # noqa: RUF022 - plain sorted order, as tests/test_public_api.py checks
    "CalendarItem",
    "CalendarKind",
    "ContactCompliance",
    "ContactStanding",
    "DEFAULT_STRATEGIES",
    "ServiceStrategies",
    "contact_standard",
    "review_calendar",
]
