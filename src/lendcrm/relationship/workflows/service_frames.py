"""The calendar and the contact standard of a whole book, vectorised (pandas adapter).

Each function reads a `lendcrm.frames.BookFrames` (the clients, ratings, interactions,
facilities, covenants and projects frames) and returns a new frame; rows equal the
entity faces (`review_calendar`, `contact_standard`) client by client, as the tests
check. Tiers and stages are inputs, as Series indexed by client id (missing or
``""``: untiered / unknown), because they come from the bank's segmentation and stage
assessment (e.g. the ``tier`` and ``stage`` columns of the relationship frame).

- `contact_standard_frame`: one row per client: RM, required and counted meaningful
  interactions, gap, last contact, days since, standing.
- `review_dates_frame`: one row per client: next credit review, annual review and KYC
  refresh, their intervals and days overdue.
- `calendar_frame`: one row per item due up to a date (overdue items included), with
  the covenant tests of live facilities.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Final

import numpy as np
import pandas as pd

from lendcrm._dates import check_as_of
from lendcrm.errors import InvalidValueError
from lendcrm.frames import BookFrames
from lendcrm.frames import columns as schema
from lendcrm.relationship.workflows._calendar import (
    DEFAULT_STRATEGIES,
    CalendarKind,
)
from lendcrm.relationship.workflows._kernel import next_on_cadence
from lendcrm.relationship.workflows._service_book import (
    ServiceBook,
    as_dates,
    contact_columns,
    day_numbers,
)
from lendcrm.relationship.workflows._strategies import (
    ServiceStrategies,
)
from lendcrm.relationship.workflows.columns import DUE_ON

__all__ = [
    "CONTACT_GAP",
    "CONTACT_STANDING",
    "CREDIT_REVIEW_MONTHS",
    "DAYS_SINCE_CONTACT",
    "INTERACTIONS_IN_WINDOW",
    "INTERVAL_MONTHS",
    "ITEM",
    "LAST_CONTACT_ON",
    "NEXT_ANNUAL_REVIEW_ON",
    "NEXT_CREDIT_REVIEW_ON",
    "NEXT_KYC_ON",
    "OVERDUE_DAYS",
    "REQUIRED_INTERACTIONS",
    "REVIEW_OVERDUE_DAYS",
    "calendar_frame",
    "contact_standard_frame",
    "review_dates_frame",
]

#: Meaningful interactions the client's strategy asks per window.
REQUIRED_INTERACTIONS: Final = "required_interactions"
#: Meaningful interactions in the window ending at ``as_of``.
INTERACTIONS_IN_WINDOW: Final = "interactions_in_window"
#: Interactions missing to meet the standard, >= 0.
CONTACT_GAP: Final = "contact_gap"
#: Latest meaningful interaction (NaT: never).
LAST_CONTACT_ON: Final = "last_contact_on"
#: Days from the latest meaningful interaction to ``as_of`` (NaN: never).
DAYS_SINCE_CONTACT: Final = "days_since_contact"
#: A `ContactStanding` value: met, behind, no_contact.
CONTACT_STANDING: Final = "contact_standing"
#: Next credit review, its interval (months) and days overdue (0: not overdue).
NEXT_CREDIT_REVIEW_ON: Final = "next_credit_review_on"
CREDIT_REVIEW_MONTHS: Final = "credit_review_months"
REVIEW_OVERDUE_DAYS: Final = "review_overdue_days"
#: Next annual relationship review.
NEXT_ANNUAL_REVIEW_ON: Final = "next_annual_review_on"
#: Next KYC refresh.
NEXT_KYC_ON: Final = "next_kyc_on"
#: Calendar frame: a `CalendarKind` value, the due date, the interval in months and
#: the days overdue at ``as_of``.
ITEM: Final = "item"
INTERVAL_MONTHS: Final = "interval_months"
OVERDUE_DAYS: Final = "overdue_days"


def contact_standard_frame(
    book_frames: BookFrames,
    *,
    as_of: dt.date,
    tiers: pd.Series | None = None,
    stages: pd.Series | None = None,
    strategies: ServiceStrategies = DEFAULT_STRATEGIES,
    relationship_managers: Collection[str] | None = None,
) -> pd.DataFrame:
    """Every client's meaningful interactions against its contact standard.

    Args:
        book_frames: The book as frames (clients and interactions are read).
        as_of: The evaluation date; no interaction may be after it.
        tiers: Tier value per client id (missing or ``""``: untiered).
        stages: `ClientStage` value per client id (missing: unknown).
        strategies: The bank's service strategies.
        relationship_managers: The bank's RM ids; when given, an unknown RM in the
            clients or interactions frame is refused.

    Returns:
        A frame indexed by ``client_id`` in the clients' order: ``relationship_manager``
        (when the clients frame has it), ``required_interactions``,
        ``interactions_in_window``, ``contact_gap``, ``last_contact_on``,
        ``days_since_contact``, ``contact_standing``.

    Raises:
        InvalidValueError: an interaction after ``as_of``; an unknown tier or stage.
        UnknownReferenceError: an interaction of an unknown client; an unknown RM.

    Examples:
        >>> import datetime as dt
        >>> from lendcrm.synthetic import generate_frames
        >>> f = generate_frames(200, seed=1, as_of=dt.date(2025, 12, 31)).book_frames()
        >>> out = contact_standard_frame(f, as_of=dt.date(2025, 12, 31))
        >>> out[CONTACT_STANDING].value_counts().index[0]
        'met'
    """
    b = ServiceBook(
        book_frames,
        as_of=as_of,
        tiers=tiers,
        stages=stages,
        strategies=strategies,
        relationship_managers=relationship_managers,
    )
    c = contact_columns(b)
    out = {
        REQUIRED_INTERACTIONS: c.required,
        INTERACTIONS_IN_WINDOW: c.in_window,
        CONTACT_GAP: c.gap,
        LAST_CONTACT_ON: as_dates(c.last_contact),
        DAYS_SINCE_CONTACT: c.days_since,
        CONTACT_STANDING: pd.array(c.standing, dtype="str"),
    }
    rm = book_frames.clients.get(schema.RELATIONSHIP_MANAGER)
    head = {} if rm is None else {schema.RELATIONSHIP_MANAGER: rm.to_numpy()}
    return pd.DataFrame({**head, **out}, index=b.index)


def review_dates_frame(
    book_frames: BookFrames,
    *,
    as_of: dt.date,
    tiers: pd.Series | None = None,
    stages: pd.Series | None = None,
    strategies: ServiceStrategies = DEFAULT_STRATEGIES,
) -> pd.DataFrame:
    """Every client's next credit review, annual review and KYC refresh.

    The rules are those of `review_calendar` (see there), applied to the book's
    ratings and interactions frames at once.

    Returns:
        A frame indexed by ``client_id``: ``next_credit_review_on``,
        ``credit_review_months``, ``review_overdue_days``, ``next_annual_review_on``,
        ``next_kyc_on``.

    Raises:
        InvalidValueError: an interaction after ``as_of``; an unknown tier or stage.
        UnknownReferenceError: a rating, interaction or facility of an unknown client.

    Examples:
        >>> import datetime as dt
        >>> from lendcrm.synthetic import generate_frames
        >>> f = generate_frames(50, seed=1, as_of=dt.date(2025, 12, 31)).book_frames()
        >>> out = review_dates_frame(f, as_of=dt.date(2025, 12, 31))
        >>> bool((out[NEXT_ANNUAL_REVIEW_ON] <= "2026-12-31").all())
        True
    """
    b = ServiceBook(
        book_frames,
        as_of=as_of,
        tiers=tiers,
        stages=stages,
        strategies=strategies,
        relationship_managers=None,
    )
    s = b.schedule()
    return pd.DataFrame(
        {
            NEXT_CREDIT_REVIEW_ON: as_dates(s.credit_review),
            CREDIT_REVIEW_MONTHS: s.credit_months,
            REVIEW_OVERDUE_DAYS: np.maximum(b.day - s.credit_review, 0),
            NEXT_ANNUAL_REVIEW_ON: as_dates(s.annual_review),
            NEXT_KYC_ON: as_dates(s.kyc),
        },
        index=b.index,
    )


def _covenant_rows(b: ServiceBook) -> pd.DataFrame:
    fac, cov = b.frames.facilities, b.frames.covenants
    live = fac[day_numbers(fac[schema.MATURITY_ON]) > b.day]
    pos = pd.Index(live[schema.FACILITY_ID].astype(str)).get_indexer(
        pd.Index(cov[schema.FACILITY_ID].astype(str))
    )
    cov, pos = cov[pos >= 0], pos[pos >= 0]
    months = np.array(
        [{"monthly": 1, "quarterly": 3, "semi_annual": 6, "annual": 12}[str(v)]
         for v in cov[schema.TEST_FREQUENCY]], dtype=np.int64,
    )  # fmt: skip
    start = day_numbers(live[schema.START_ON]).astype(np.int64)[pos]
    due = next_on_cadence(start, months, b.day)
    return pd.DataFrame(
        {
            schema.CLIENT_ID: live[schema.CLIENT_ID].to_numpy(dtype=object)[pos],
            schema.FACILITY_ID: live[schema.FACILITY_ID].to_numpy(dtype=object)[pos],
            ITEM: CalendarKind.COVENANT_TEST.value,
            DUE_ON: due,
            INTERVAL_MONTHS: months,
            OVERDUE_DAYS: 0,
        }
    )


def calendar_frame(
    book_frames: BookFrames,
    *,
    as_of: dt.date,
    until: dt.date,
    tiers: pd.Series | None = None,
    stages: pd.Series | None = None,
    strategies: ServiceStrategies = DEFAULT_STRATEGIES,
) -> pd.DataFrame:
    """The book's calendar from ``as_of`` to ``until``: every item due by ``until``.

    Overdue items (due before ``as_of``) are included, with their days overdue; items
    due after ``until`` are not. The rules are those of `review_calendar`.

    Returns:
        One row per item: ``client_id``, ``facility_id`` (covenant tests; missing
        otherwise), ``item`` (a `CalendarKind` value), ``due_on``,
        ``interval_months``, ``overdue_days``; by due date, then client, item and
        facility.

    Raises:
        InvalidValueError: ``until`` before ``as_of``; as `review_dates_frame`.

    Examples:
        >>> import datetime as dt
        >>> from lendcrm.synthetic import generate_frames
        >>> f = generate_frames(50, seed=1, as_of=dt.date(2025, 12, 31)).book_frames()
        >>> cal = calendar_frame(f, as_of=dt.date(2025, 12, 31),
        ...                      until=dt.date(2026, 1, 31))
        >>> bool((cal[DUE_ON] <= "2026-01-31").all())
        True
    """
    check_as_of(as_of)
    check_as_of(until, field="until")
    if until < as_of:
        raise InvalidValueError(
            field="until", value=until, expected=f"a date on or after as_of ({as_of})"
        )
    b = ServiceBook(
        book_frames,
        as_of=as_of,
        tiers=tiers,
        stages=stages,
        strategies=strategies,
        relationship_managers=None,
    )
    s = b.schedule()
    ids = b.index.to_numpy(dtype=object)
    parts = [
        pd.DataFrame(
            {
                schema.CLIENT_ID: ids,
                schema.FACILITY_ID: None,
                ITEM: kind.value,
                DUE_ON: due,
                INTERVAL_MONTHS: months,
                OVERDUE_DAYS: np.maximum(b.day - due, 0),
            }
        )
        for kind, due, months in (
            (CalendarKind.CREDIT_REVIEW, s.credit_review, s.credit_months),
            (CalendarKind.ANNUAL_REVIEW, s.annual_review, s.annual_months),
            (CalendarKind.KYC_REFRESH, s.kyc, s.kyc_months),
        )
    ]
    parts.append(_covenant_rows(b))
    out = pd.concat(parts, ignore_index=True)
    end = int(np.datetime64(until, "D").astype(np.int64))
    out = out[out[DUE_ON].to_numpy() <= end]
    order = [k.value for k in CalendarKind]
    out = out.assign(
        **{
            DUE_ON: out[DUE_ON]
            .to_numpy()
            .astype("datetime64[D]")
            .astype("datetime64[ns]")
        },
        _k=pd.Categorical(out[ITEM], categories=order).codes,
    ).sort_values([DUE_ON, schema.CLIENT_ID, "_k", schema.FACILITY_ID], kind="stable")
    return (
        out.drop(columns="_k")
        .reset_index(drop=True)
        .astype({schema.CLIENT_ID: "str", schema.FACILITY_ID: "str", ITEM: "str"})
    )
