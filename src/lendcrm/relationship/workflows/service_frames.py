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
import numpy.typing as npt
import pandas as pd

from lendcrm import EquatorCategory, InteractionTopic
from lendcrm._dates import as_of_day, check_as_of
from lendcrm.errors import InvalidValueError, UnknownReferenceError
from lendcrm.frames import BookFrames
from lendcrm.frames import columns as schema
from lendcrm.relationship.workflows._calendar import (
    DEFAULT_STRATEGIES,
    CalendarKind,
)
from lendcrm.relationship.workflows._contact_standard import ContactStanding
from lendcrm.relationship.workflows._kernel import (
    NO_DAY,
    ClientInputs,
    Schedule,
    contact_numbers,
    last_per_client,
    next_on_cadence,
    schedule,
)
from lendcrm.relationship.workflows._strategies import (
    CHANNELS,
    STAGES,
    ServiceStrategies,
)
from lendcrm.relationship.workflows.columns import DUE_ON
from lendcrm.segmentation import Tier

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

_NEVER: Final = 10**6
_TOPICS: Final = tuple(InteractionTopic)


def _rows(keys: pd.Series, index: pd.Index, *, frame: str) -> npt.NDArray[np.int64]:
    """Client row of each key; categorical keys map their categories once.

    Raises:
        UnknownReferenceError: a key names no client (the first one, with its frame).
    """
    if isinstance(keys.dtype, pd.CategoricalDtype):
        categories = keys.cat.categories
        codes = keys.cat.codes.to_numpy().astype(np.int64)
        if categories.equals(index):  # the house style: categories = the clients' ids
            rows = codes
        else:
            lookup = index.get_indexer(categories)
            rows = np.where(codes < 0, -1, lookup[codes])
    else:
        rows = index.get_indexer(pd.Index(keys))
    rows = np.asarray(rows, dtype=np.int64)
    if (rows < 0).any():
        bad = keys.iloc[int(np.argmax(rows < 0))]
        raise UnknownReferenceError(
            kind="client",
            key=bad,
            field=f"{frame}.client_id",
            known=[str(k) for k in index[:20]],
        )
    return rows


def _codes(values: pd.Series, levels: tuple[str, ...]) -> npt.NDArray[np.int64]:
    """Position of each value in ``levels`` (-1: missing or ``""``)."""
    known = pd.Index(list(levels))
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes, uniques = values.cat.codes.to_numpy(), values.cat.categories
    else:
        codes, uniques = pd.factorize(values)
    lookup = np.append(known.get_indexer(pd.Index(uniques.astype(object))), -1)
    return np.asarray(lookup[codes], dtype=np.int64)  # code -1 (missing) takes -1


def _days(series: pd.Series) -> npt.NDArray[np.int64]:
    days = series.to_numpy(dtype="datetime64[D]")
    return np.where(np.isnat(days), NO_DAY, days.astype(np.int64))


def _aligned(
    values: pd.Series | None, index: pd.Index, levels: tuple[str, ...], field: str
) -> npt.NDArray[np.int64]:
    if values is None:
        return np.full(len(index), -1, dtype=np.int64)
    aligned = values if values.index.equals(index) else values.reindex(index)
    codes = _codes(aligned, levels)
    if not (codes < 0).any():
        return codes
    given = aligned.notna().to_numpy() & (aligned.astype(object) != "").to_numpy()
    if (given & (codes < 0)).any():
        i = int(np.argmax(given & (codes < 0)))
        raise InvalidValueError(
            field=f"{field}[{index[i]!r}]",
            value=aligned.iloc[i],
            expected=f"one of {', '.join(levels)} (or missing)",
        )
    return codes


class _Book:
    """The book's frames read once: client index, tier and stage codes, the log."""

    def __init__(
        self,
        frames: BookFrames,
        *,
        as_of: dt.date,
        tiers: pd.Series | None,
        stages: pd.Series | None,
        strategies: ServiceStrategies,
        relationship_managers: Collection[str] | None,
    ) -> None:
        if not isinstance(frames, BookFrames):
            raise InvalidValueError(
                field="book_frames",
                value=type(frames).__name__,
                expected="a BookFrames",
            )
        self.day = int(as_of_day(as_of).astype(np.int64))
        self.frames = frames
        self.strategies = strategies
        clients = frames.clients
        self.index = pd.Index(clients[schema.CLIENT_ID].astype(str))
        tier = _aligned(tiers, self.index, tuple(t.value for t in Tier), "tiers")
        self.tier = np.where(tier < 0, strategies.untiered.rank, tier)
        self.stage = _aligned(
            stages, self.index, tuple(s.value for s in STAGES), "stages"
        )
        log = frames.interactions
        self.rows = _rows(log[schema.CLIENT_ID], self.index, frame="interactions")
        self.on = _days(log[schema.INTERACTION_ON])
        late = self.on > self.day
        if late.any():
            i = int(np.argmax(late))
            raise InvalidValueError(
                field=f"interactions[{log.index[i]!r}].interaction_on",
                value=log[schema.INTERACTION_ON].iloc[i].date(),
                expected=f"a date on or before as_of ({as_of}) for client "
                f"{log[schema.CLIENT_ID].iloc[i]!r} (an interaction cannot be in "
                "the future)",
            )
        self.channel = _codes(log[schema.CHANNEL], tuple(c.value for c in CHANNELS))
        self.topic = _codes(log[schema.TOPIC], tuple(t.value for t in _TOPICS))
        if relationship_managers is not None:
            self._check_rms(relationship_managers)

    def _check_rms(self, known: Collection[str]) -> None:
        for frame, name in ((self.frames.clients, "clients"), (self.frames.interactions, "interactions")):  # fmt: skip
            if schema.RELATIONSHIP_MANAGER not in frame:
                continue
            rm = frame[schema.RELATIONSHIP_MANAGER]
            bad = rm.notna().to_numpy() & ~rm.isin(list(known)).to_numpy()
            if bad.any():
                i = int(np.argmax(bad))
                raise UnknownReferenceError(
                    kind="relationship manager",
                    key=rm.iloc[i],
                    field=f"client {frame[schema.CLIENT_ID].iloc[i]!r}: {name}"
                    f"[{frame.index[i]!r}].relationship_manager",
                    known=sorted(known),
                )

    def last_topic(self, topic: InteractionTopic) -> npt.NDArray[np.int64]:
        hit = self.topic == _TOPICS.index(topic)
        return last_per_client(self.rows[hit], self.on[hit], len(self.index))

    def inputs(self) -> ClientInputs:
        f, s, n = self.frames, self.strategies, len(self.index)
        clients = f.clients
        ratings = f.ratings
        r_rows = _rows(ratings[schema.CLIENT_ID], self.index, frame="ratings")
        r_on = _days(ratings[schema.RATED_ON])
        keep = r_on <= self.day
        rated = last_per_client(r_rows[keep], r_on[keep], n)
        pd_ = clients[schema.DEFAULT_PROBABILITY].to_numpy(
            dtype=np.float64, na_value=np.nan
        )
        return ClientInputs(
            onboarded=_days(clients[schema.ONBOARDED_ON]),
            tier=self.tier,
            stage=self.stage,
            watchlist=clients[schema.ON_WATCHLIST].to_numpy(dtype=np.bool_),
            high_risk=np.nan_to_num(pd_, nan=-1.0) >= s.high_risk_pd,
            equator_kyc=self._equator(),
            last_credit_review=np.maximum(
                rated, self.last_topic(InteractionTopic.CREDIT_REVIEW)
            ),
            last_annual_review=self.last_topic(InteractionTopic.ANNUAL_REVIEW),
            last_kyc=self.last_topic(InteractionTopic.KYC),
        )

    def _equator(self) -> npt.NDArray[np.int64]:
        n = len(self.index)
        out = np.full(n, _NEVER, dtype=np.int64)
        projects, fac = self.frames.projects, self.frames.facilities
        if schema.EQUATOR_CATEGORY not in projects or not len(fac):
            return out
        months = np.array(
            [self.strategies.equator_kyc_months.get(c, _NEVER) for c in EquatorCategory]
            + [_NEVER],
            dtype=np.int64,
        )
        cat = _codes(
            projects[schema.EQUATOR_CATEGORY], tuple(c.value for c in EquatorCategory)
        )
        by_project = pd.Series(
            months[cat], index=projects[schema.PROJECT_ID].astype(str)
        )
        financed = fac[schema.PROJECT_ID].notna().to_numpy()
        if not financed.any():
            return out
        per_fac = by_project.reindex(
            fac[schema.PROJECT_ID][financed].astype(str)
        ).fillna(_NEVER)
        rows = _rows(fac[schema.CLIENT_ID][financed], self.index, frame="facilities")
        np.minimum.at(out, rows, per_fac.to_numpy(dtype=np.int64))
        return out

    def schedule(self) -> Schedule:
        s = self.strategies
        return schedule(
            self.inputs(),
            s.arrays(),
            day=self.day,
            annual_months=s.annual_review_months,
            watchlist_months=s.watchlist_review_months,
            high_risk_review_months=s.high_risk_review_months,
            high_risk_kyc_months=s.high_risk_kyc_months,
        )


def _as_dates(days: npt.NDArray[np.int64]) -> npt.NDArray[np.datetime64]:
    out = days.astype("datetime64[D]")
    out[days == NO_DAY] = np.datetime64("NaT", "D")
    return out.astype("datetime64[ns]")


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
    b = _Book(
        book_frames,
        as_of=as_of,
        tiers=tiers,
        stages=stages,
        strategies=strategies,
        relationship_managers=relationship_managers,
    )
    c = contact_numbers(
        rows=b.rows,
        on=b.on,
        channel=b.channel,
        tier=b.tier,
        stage=b.stage,
        t=strategies.arrays(),
        day=b.day,
    )
    gap = np.maximum(c.required - c.in_window, 0)
    standing = np.where(
        gap == 0,
        ContactStanding.MET.value,
        np.where(
            c.in_window > 0,
            ContactStanding.BEHIND.value,
            ContactStanding.NO_CONTACT.value,
        ),
    )
    never = c.last_contact == NO_DAY
    out = {
        REQUIRED_INTERACTIONS: c.required,
        INTERACTIONS_IN_WINDOW: c.in_window,
        CONTACT_GAP: gap,
        LAST_CONTACT_ON: _as_dates(c.last_contact),
        DAYS_SINCE_CONTACT: np.where(never, np.nan, b.day - c.last_contact),
        CONTACT_STANDING: pd.array(standing, dtype="str"),
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
    b = _Book(
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
            NEXT_CREDIT_REVIEW_ON: _as_dates(s.credit_review),
            CREDIT_REVIEW_MONTHS: s.credit_months,
            REVIEW_OVERDUE_DAYS: np.maximum(b.day - s.credit_review, 0),
            NEXT_ANNUAL_REVIEW_ON: _as_dates(s.annual_review),
            NEXT_KYC_ON: _as_dates(s.kyc),
        },
        index=b.index,
    )


def _covenant_rows(b: _Book) -> pd.DataFrame:
    fac, cov = b.frames.facilities, b.frames.covenants
    live = fac[_days(fac[schema.MATURITY_ON]) > b.day]
    pos = pd.Index(live[schema.FACILITY_ID].astype(str)).get_indexer(
        pd.Index(cov[schema.FACILITY_ID].astype(str))
    )
    cov, pos = cov[pos >= 0], pos[pos >= 0]
    months = np.array(
        [{"monthly": 1, "quarterly": 3, "semi_annual": 6, "annual": 12}[str(v)]
         for v in cov[schema.TEST_FREQUENCY]], dtype=np.int64,
    )  # fmt: skip
    start = _days(live[schema.START_ON]).astype(np.int64)[pos]
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
    b = _Book(
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
