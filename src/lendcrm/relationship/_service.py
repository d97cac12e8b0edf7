"""The service-model columns of the view and the frame: RM, contact, next review (#13).

Computed after the tier and the stage, because the client's `ServiceStrategy` depends
on both: the frame face reads the book's ratings and interactions frames through
`lendcrm.relationship.workflows.service_frames`, the view face the client's own
records through `review_calendar` and `contact_standard`; the arithmetic is one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from lendcrm import Book, Client
from lendcrm.frames import BookFrames
from lendcrm.frames import columns as schema
from lendcrm.relationship._client_keys import ClientKeys
from lendcrm.relationship._facts import ClientFacts
from lendcrm.relationship.workflows import (
    CalendarKind,
    ServiceStrategies,
    Task,
    contact_standard,
    review_calendar,
)
from lendcrm.relationship.workflows._service_book import (
    ServiceBook,
    as_dates,
    contact_columns,
)
from lendcrm.relationship.workflows.columns import (
    OLDEST_OVERDUE_DAYS,
    OPEN_TASKS,
    OVERDUE_TASKS,
)
from lendcrm.relationship.workflows.frames import client_tasks_frame
from lendcrm.relationship.workflows.service_frames import (
    CONTACT_GAP,
    CONTACT_STANDING,
    DAYS_SINCE_CONTACT,
    NEXT_CREDIT_REVIEW_ON,
    REVIEW_OVERDUE_DAYS,
)

__all__ = [
    "SERVICE_COLUMNS",
    "ServiceColumns",
    "Tasks",
    "service_of",
    "service_rows",
]

#: What a caller may pass as the book's tasks: a tasks frame or `Task` objects.
Tasks = pd.DataFrame | Iterable[Task]

#: The service-model columns of the relationship frame, in order.
SERVICE_COLUMNS = (
    schema.RELATIONSHIP_MANAGER,
    DAYS_SINCE_CONTACT,
    CONTACT_GAP,
    CONTACT_STANDING,
    NEXT_CREDIT_REVIEW_ON,
    REVIEW_OVERDUE_DAYS,
    OPEN_TASKS,
    OVERDUE_TASKS,
    OLDEST_OVERDUE_DAYS,
)


@attrs.frozen(kw_only=True, eq=False)
class ServiceColumns:
    """The service-model columns per client (aligned arrays).

    Attributes:
        relationship_manager: The client's RM ("" when unassigned).
        days_since_contact: Days since the last meaningful contact (NaN: never).
        contact_gap: Meaningful interactions missing to meet the standard.
        contact_standing: A `ContactStanding` value.
        next_review_on: Next credit review (``datetime64[ns]``).
        review_overdue_days: Days the credit review is overdue (0: not overdue).
        days_to_review: Days to the next credit review, >= 0 (0: due or overdue).
        tasks: The task columns (`client_tasks_frame`): live tasks, overdue tasks,
            days the oldest overdue task is past due (zeros without tasks).
    """

    relationship_manager: npt.NDArray[np.object_]
    days_since_contact: npt.NDArray[np.float64]
    contact_gap: npt.NDArray[np.float64]
    contact_standing: npt.NDArray[np.object_]
    next_review_on: npt.NDArray[np.datetime64]
    review_overdue_days: npt.NDArray[np.float64]
    days_to_review: npt.NDArray[np.float64]
    tasks: pd.DataFrame

    def frame_columns(self) -> dict[str, npt.NDArray[np.generic]]:
        """The relationship-frame columns, keyed by name, in `SERVICE_COLUMNS` order."""
        return {
            schema.RELATIONSHIP_MANAGER: self.relationship_manager,
            DAYS_SINCE_CONTACT: self.days_since_contact,
            CONTACT_GAP: self.contact_gap,
            CONTACT_STANDING: self.contact_standing,
            NEXT_CREDIT_REVIEW_ON: self.next_review_on,
            REVIEW_OVERDUE_DAYS: self.review_overdue_days,
            **{
                name: self.tasks[name].to_numpy(dtype=np.int64)
                for name in (OPEN_TASKS, OVERDUE_TASKS, OLDEST_OVERDUE_DAYS)
            },
        }

    def row(self) -> dict[str, object]:
        """The first client's columns as a frame row (dates as ``pd.Timestamp``)."""
        return {
            name: pd.Timestamp(values[0])
            if name == NEXT_CREDIT_REVIEW_ON
            else values[0].item()
            if isinstance(values[0], np.generic)
            else values[0]
            for name, values in self.frame_columns().items()
        }

    def onto(self, facts: ClientFacts) -> ClientFacts:
        """``facts`` with the review and contact facts of these columns."""
        return attrs.evolve(
            facts,
            days_to_review=self.days_to_review,
            days_since_contact=self.days_since_contact,
            contact_gap=self.contact_gap,
            overdue_tasks=self.tasks[OVERDUE_TASKS].to_numpy(dtype=np.float64),
            oldest_overdue_days=self.tasks[OLDEST_OVERDUE_DAYS].to_numpy(
                dtype=np.float64
            ),
        )


def _task_columns(
    tasks: Tasks | None,
    client_ids: Sequence[str],
    as_of: dt.date,
    roster: tuple[str, ...] | None,
) -> pd.DataFrame:
    """The task columns of ``client_ids`` (zeros when no tasks are given)."""
    return client_tasks_frame(
        [] if tasks is None else tasks,
        client_ids,
        as_of=as_of,
        relationship_managers=roster,
    )


def service_rows(
    frames: BookFrames,
    *,
    keys: ClientKeys,
    as_of: dt.date,
    tier: pd.Categorical[str],
    stage: pd.Categorical[str],
    strategies: ServiceStrategies,
    roster: tuple[str, ...] | None = None,
    facility_codes: npt.NDArray[np.int64],
    tasks: Tasks | None = None,
) -> ServiceColumns:
    """The service columns of every client of ``frames``.

    ``keys`` holds the clients' ids and where each record frame's rows point; tiers
    and stages are aligned with it; categoricals are read by their categories, not
    row by row.
    ``facility_codes`` is the client position of each facility row.
    """
    index = keys.index
    rows = dict(keys.rows)
    rows["facilities"] = facility_codes
    b = ServiceBook(
        frames,
        as_of=as_of,
        tiers=pd.Series(tier, index=index, copy=False),
        stages=pd.Series(stage, index=index, copy=False),
        strategies=strategies,
        relationship_managers=roster,
        keys=(index, rows),
    )
    contact = contact_columns(b)
    review = b.schedule()
    rm = frames.clients.get(schema.RELATIONSHIP_MANAGER)
    day = np.datetime64(as_of, "D")
    due = review.credit_review.astype("datetime64[D]")
    return ServiceColumns(
        relationship_manager=np.full(len(index), "", dtype=object)
        if rm is None
        else rm.astype(object).fillna("").to_numpy(dtype=object),
        days_since_contact=contact.days_since,
        contact_gap=contact.gap.astype(np.float64),
        contact_standing=contact.standing,
        next_review_on=as_dates(review.credit_review),
        review_overdue_days=np.maximum(b.day - review.credit_review, 0).astype(
            np.float64
        ),
        days_to_review=np.maximum((due - day).astype(np.float64), 0.0),
        tasks=_no_tasks(keys.ids)
        if tasks is None
        else _task_columns(tasks, keys.ids.tolist(), as_of, roster),
    )


def _no_tasks(ids: npt.NDArray[np.object_]) -> pd.DataFrame:
    """The task columns of clients without tasks: zeros (``client_tasks_frame``'s)."""
    index = pd.Index(ids, dtype=object, name=schema.CLIENT_ID)
    names = (OPEN_TASKS, OVERDUE_TASKS, OLDEST_OVERDUE_DAYS)
    return pd.DataFrame({name: np.zeros(len(ids), dtype=np.int64) for name in names},
                        index=index)  # fmt: skip


def service_of(
    book: Book,
    client: Client,
    *,
    as_of: dt.date,
    tier: str,
    stage: str,
    strategies: ServiceStrategies,
    roster: tuple[str, ...] | None = None,
    tasks: Tasks | None = None,
) -> ServiceColumns:
    """The service columns of one client (one-element arrays), from its entities.

    The tasks are counted over the whole book (a task of a client the book does not
    hold is refused, as in the frame face) and the client's row is kept.
    """
    facilities = book.facilities_of(client.id)
    financed = {f.project_id for f in facilities if f.project_id is not None}
    items = review_calendar(
        client,
        as_of=as_of,
        tier=tier or None,
        stage=stage or None,
        facilities=facilities,
        projects=[p for p in book.projects if p.id in financed],
        strategies=strategies,
        relationship_managers=roster,
    )
    credit = next(i for i in items if i.kind is CalendarKind.CREDIT_REVIEW)
    contact = contact_standard(
        client, as_of=as_of, tier=tier or None, stage=stage or None,
        strategies=strategies, relationship_managers=roster,
    )  # fmt: skip
    counts = _task_columns(tasks, [str(c.id) for c in book.clients], as_of, roster)
    since = contact.days_since_contact
    return ServiceColumns(
        relationship_manager=np.array([client.relationship_manager or ""], object),
        days_since_contact=np.array([np.nan if since is None else float(since)]),
        contact_gap=np.array([float(contact.gap)]),
        contact_standing=np.array([contact.standing.value], dtype=object),
        next_review_on=np.array([credit.due_on], dtype="datetime64[ns]"),
        review_overdue_days=np.array([float(credit.overdue_days)]),
        days_to_review=np.array([float(max((credit.due_on - as_of).days, 0))]),
        tasks=counts.loc[[str(client.id)]],
    )
