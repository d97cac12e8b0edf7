"""The review and KYC calendar of one client: `review_calendar` (entity face).

Four kinds of dated items: the next credit review, annual review and KYC refresh of the
client, and the next test of each covenant of its live facilities. The reviews follow
the client's `ServiceStrategy` (tier, stage), brought forward for the watchlist, a
high PD and the Equator category of a financed project (`ServiceStrategies`); the
arithmetic is that of the columnar face (`lendcrm.relationship.workflows._kernel`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from enum import StrEnum
from typing import Final

import attrs
import numpy as np

from lendcrm import Client, Facility, InteractionTopic, Project
from lendcrm._dates import check_as_of
from lendcrm.lifecycle import ClientStage
from lendcrm.relationship.workflows._checks import check_client_log
from lendcrm.relationship.workflows._kernel import (
    NO_DAY,
    ClientInputs,
    next_on_cadence,
    schedule,
)
from lendcrm.relationship.workflows._strategies import STAGES, ServiceStrategies
from lendcrm.segmentation import Tier

__all__ = [
    "DEFAULT_STRATEGIES",
    "CalendarItem",
    "CalendarKind",
    "client_inputs",
    "review_calendar",
]

#: The built-in strategies (`lendcrm.segmentation.SERVICE_STRATEGIES` and the default
#: risk rules).
DEFAULT_STRATEGIES: Final = ServiceStrategies()
_EPOCH: Final = dt.date(1970, 1, 1)
_NEVER: Final = 10**6


class CalendarKind(StrEnum):
    """What a calendar item is.

    Examples:
        >>> [k.value for k in CalendarKind]
        ['credit_review', 'annual_review', 'kyc_refresh', 'covenant_test']
    """

    CREDIT_REVIEW = "credit_review"
    ANNUAL_REVIEW = "annual_review"
    KYC_REFRESH = "kyc_refresh"
    COVENANT_TEST = "covenant_test"


@attrs.frozen(kw_only=True)
class CalendarItem:
    """One dated item of a client's calendar.

    Attributes:
        client_id: The client.
        kind: Credit review, annual review, KYC refresh or covenant test.
        due_on: When it is due (before ``as_of`` when overdue).
        interval_months: Months between two such items for this client.
        overdue_days: Days past ``due_on`` at ``as_of`` (0 when not overdue).
        facility_id: The facility of a covenant test (``None`` otherwise).
    """

    client_id: str
    kind: CalendarKind
    due_on: dt.date
    interval_months: int
    overdue_days: int
    facility_id: str | None = None

    @property
    def is_overdue(self) -> bool:
        """Whether the item was due before ``as_of``."""
        return self.overdue_days > 0


def _day(d: dt.date) -> int:
    return (d - _EPOCH).days


def _date(day: int) -> dt.date:
    return _EPOCH + dt.timedelta(days=int(day))


def _last(days: Sequence[dt.date]) -> int:
    return _day(max(days)) if days else NO_DAY


def client_inputs(
    client: Client,
    *,
    as_of: dt.date,
    tier: Tier | str | None,
    stage: ClientStage | str | None,
    projects: Sequence[Project],
    strategies: ServiceStrategies,
) -> ClientInputs:
    """The one-client `ClientInputs` of the kernel (ratings after ``as_of`` ignored)."""
    strategy = strategies.strategy(tier, stage)
    st = -1 if stage is None or stage == "" else STAGES.index(ClientStage(stage))
    topic = {t: [i.on for i in client.interactions if i.topic is t] for t in (
        InteractionTopic.CREDIT_REVIEW, InteractionTopic.ANNUAL_REVIEW,
        InteractionTopic.KYC)}  # fmt: skip
    rated = [r.rated_on for r in client.ratings if r.rated_on <= as_of]
    equator = [
        strategies.equator_kyc_months.get(p.equator_category, _NEVER)
        for p in projects
        if p.equator_category is not None
    ]
    pd_ = client.default_probability

    def one(value: object, dtype: type) -> np.ndarray:
        return np.array([value], dtype=dtype)

    return ClientInputs(
        onboarded=one(_day(client.onboarded_on), np.int64),
        tier=one(strategy.tier.rank, np.int64),
        stage=one(st, np.int64),
        watchlist=one(client.on_watchlist, np.bool_),
        high_risk=one(pd_ is not None and pd_ >= strategies.high_risk_pd, np.bool_),
        equator_kyc=one(min(equator, default=_NEVER), np.int64),
        last_credit_review=one(
            _last([*rated, *topic[InteractionTopic.CREDIT_REVIEW]]), np.int64
        ),
        last_annual_review=one(_last(topic[InteractionTopic.ANNUAL_REVIEW]), np.int64),
        last_kyc=one(_last(topic[InteractionTopic.KYC]), np.int64),
    )


def _covenant_items(
    client: Client, facilities: Sequence[Facility], day: int
) -> list[CalendarItem]:
    items: list[CalendarItem] = []
    for f in facilities:
        if f.client_id != client.id or _day(f.maturity_on) <= day:
            continue
        for covenant in f.covenants:
            months = covenant.test_frequency.months
            due = next_on_cadence(np.array([_day(f.start_on)]), np.array([months]), day)
            items.append(
                CalendarItem(
                    client_id=client.id,
                    kind=CalendarKind.COVENANT_TEST,
                    due_on=_date(due[0]),
                    interval_months=months,
                    overdue_days=0,
                    facility_id=f.id,
                )
            )
    return items


def review_calendar(
    client: Client,
    *,
    as_of: dt.date,
    tier: Tier | str | None = None,
    stage: ClientStage | str | None = None,
    facilities: Sequence[Facility] = (),
    projects: Sequence[Project] = (),
    strategies: ServiceStrategies = DEFAULT_STRATEGIES,
    relationship_managers: Collection[str] | None = None,
) -> tuple[CalendarItem, ...]:
    """The client's next credit review, annual review, KYC refresh and covenant tests.

    A credit review is completed by a rating (``client.ratings``) or an interaction on
    the topic ``credit_review``; an annual review by one on ``annual_review``; a KYC
    refresh by one on ``kyc``. The next item is due an interval after the latest
    completion (overdue when that is before ``as_of``); without a completion on
    record the cadence runs from ``onboarded_on`` and the first date on or after
    ``as_of`` is due (nothing says a review was missed). Intervals come from the
    client's strategy, shortened by the watchlist, a PD at or above
    ``strategies.high_risk_pd`` and the Equator category of the client's projects
    (see `ServiceStrategies`). Each covenant of a facility maturing after ``as_of`` is
    tested on the facility's ``start_on`` cadence of its ``test_frequency``.

    Args:
        client: The client, with its ratings and interactions.
        as_of: The evaluation date.
        tier: The client's tier (``None``: untiered, served as
            ``strategies.untiered``).
        stage: The client's lifecycle stage, if known (for per-stage overrides).
        facilities: The client's facilities (others are ignored).
        projects: The projects those facilities finance (for the Equator category).
        strategies: The bank's service strategies.
        relationship_managers: The bank's RM ids; when given, an unknown RM on the
            client or an interaction is refused.

    Returns:
        The items, by due date then kind.

    Raises:
        InvalidValueError: ``as_of`` is not a date, an interaction is dated after
            ``as_of``, or ``tier``/``stage`` is unknown.
        UnknownReferenceError: an RM not in ``relationship_managers``.

    Examples:
        >>> import datetime as dt
        >>> from lendcrm import Client, ClientId, Money, Sector
        >>> c = Client(id=ClientId("C-1"), legal_name="Nordwind GmbH",
        ...     sector=Sector.MANUFACTURING, country="DE",
        ...     onboarded_on=dt.date(2020, 3, 1), annual_revenue=Money.of("1", "EUR"),
        ...     on_watchlist=True)
        >>> for item in review_calendar(c, as_of=dt.date(2026, 1, 31), tier="gold"):
        ...     print(item.kind.value, item.due_on, item.interval_months)
        credit_review 2026-03-01 3
        annual_review 2026-03-01 12
        kyc_refresh 2026-03-01 12
    """
    day = _day(check_as_of(as_of))
    check_client_log(client, as_of, relationship_managers)
    own = {f.project_id for f in facilities if f.client_id == client.id}
    inputs = client_inputs(
        client,
        as_of=as_of,
        tier=tier,
        stage=stage,
        projects=[p for p in projects if p.id in own],
        strategies=strategies,
    )
    s = schedule(
        inputs,
        strategies.arrays(),
        day=day,
        annual_months=strategies.annual_review_months,
        watchlist_months=strategies.watchlist_review_months,
        high_risk_review_months=strategies.high_risk_review_months,
        high_risk_kyc_months=strategies.high_risk_kyc_months,
    )
    items = [
        CalendarItem(
            client_id=client.id,
            kind=kind,
            due_on=_date(due[0]),
            interval_months=int(months[0]),
            overdue_days=max(day - int(due[0]), 0),
        )
        for kind, due, months in (
            (CalendarKind.CREDIT_REVIEW, s.credit_review, s.credit_months),
            (CalendarKind.ANNUAL_REVIEW, s.annual_review, s.annual_months),
            (CalendarKind.KYC_REFRESH, s.kyc, s.kyc_months),
        )
    ]
    items += _covenant_items(client, facilities, day)
    order = list(CalendarKind)
    return tuple(
        sorted(
            items,
            key=lambda i: (i.due_on, order.index(i.kind), i.facility_id or ""),
        )
    )
