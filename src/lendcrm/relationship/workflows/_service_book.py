"""The book's frames read once for the calendar and the contact standard (#13, #20).

`ServiceBook` reads the clients, interactions, ratings, facilities and projects
frames into aligned int64 arrays (client rows, days, tier, stage, channel and topic
codes) once; `contact_columns` and the calendar's `ServiceBook.schedule` compute on
them. `lendcrm.relationship.workflows.service_frames` builds its frames from one
reader per call; the relationship frame builds one reader for both its contact and
its review columns, with the client rows it has already looked up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from typing import Final

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from lendcrm import EquatorCategory, InteractionTopic
from lendcrm._dates import as_of_day
from lendcrm.errors import InvalidValueError, UnknownReferenceError
from lendcrm.frames import BookFrames
from lendcrm.frames import columns as schema
from lendcrm.relationship.workflows._contact_standard import ContactStanding
from lendcrm.relationship.workflows._kernel import (
    NO_DAY,
    ClientInputs,
    Schedule,
    contact_numbers,
    last_per_client,
    schedule,
)
from lendcrm.relationship.workflows._strategies import (
    CHANNELS,
    STAGES,
    ServiceStrategies,
)
from lendcrm.segmentation import Tier

__all__ = [
    "ContactColumns",
    "ServiceBook",
    "aligned_codes",
    "as_dates",
    "client_rows",
    "contact_columns",
    "day_numbers",
    "level_codes",
]

IntArray = npt.NDArray[np.int64]

_NEVER: Final = 10**6
_TOPICS: Final = tuple(InteractionTopic)


def client_rows(
    keys: pd.Series, index: pd.Index, *, frame: str
) -> npt.NDArray[np.int64]:
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


def level_codes(values: pd.Series, levels: tuple[str, ...]) -> npt.NDArray[np.int64]:
    """Position of each value in ``levels`` (-1: missing or ``""``)."""
    known = pd.Index(list(levels))
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes, uniques = values.cat.codes.to_numpy(), values.cat.categories
    else:
        codes, uniques = pd.factorize(values)
    lookup = np.append(known.get_indexer(pd.Index(uniques.astype(object))), -1)
    return np.asarray(lookup[codes], dtype=np.int64)  # code -1 (missing) takes -1


def day_numbers(series: pd.Series) -> npt.NDArray[np.int64]:
    days = series.to_numpy(dtype="datetime64[D]")
    return np.where(np.isnat(days), NO_DAY, days.astype(np.int64))


def aligned_codes(
    values: pd.Series | None, index: pd.Index, levels: tuple[str, ...], field: str
) -> npt.NDArray[np.int64]:
    if values is None:
        return np.full(len(index), -1, dtype=np.int64)
    aligned = values if values.index.equals(index) else values.reindex(index)
    codes = level_codes(aligned, levels)
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


class ServiceBook:
    """The book's frames read once: client index, tier and stage codes, the log.

    ``keys``, when given, holds the clients' ids (in the clients frame's order) and
    the client row of each row of the interactions, ratings or facilities frame,
    looked up by the caller (the relationship frame looks them up once per book);
    a frame not in it is looked up here.
    """

    def __init__(
        self,
        frames: BookFrames,
        *,
        as_of: dt.date,
        tiers: pd.Series | None,
        stages: pd.Series | None,
        strategies: ServiceStrategies,
        relationship_managers: Collection[str] | None,
        keys: tuple[pd.Index, Mapping[str, IntArray]] | None = None,
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
        if keys is None:
            self.index = pd.Index(clients[schema.CLIENT_ID].astype(str))
            self.known: Mapping[str, IntArray] = {}
        else:
            self.index, self.known = keys
        tier = aligned_codes(tiers, self.index, tuple(t.value for t in Tier), "tiers")
        self.tier = np.where(tier < 0, strategies.untiered.rank, tier)
        self.stage = aligned_codes(
            stages, self.index, tuple(s.value for s in STAGES), "stages"
        )
        log = frames.interactions
        self.rows = self.rows_of(log[schema.CLIENT_ID], "interactions")
        self.on = day_numbers(log[schema.INTERACTION_ON])
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
        self.channel = level_codes(
            log[schema.CHANNEL], tuple(c.value for c in CHANNELS)
        )
        self.topic = level_codes(log[schema.TOPIC], tuple(t.value for t in _TOPICS))
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

    def rows_of(
        self, keys: pd.Series, frame: str, subset: npt.NDArray[np.bool_] | None = None
    ) -> IntArray:
        """The client row of each of ``keys`` (the ``client_id`` column of ``frame``).

        ``subset`` keeps those rows only (an unknown client elsewhere is not read).

        Raises:
            UnknownReferenceError: a key names no client (the first one).
        """
        rows = self.known.get(frame)
        if subset is not None:
            keys = keys[subset]
        if rows is None:
            return client_rows(keys, self.index, frame=frame)
        if subset is not None:
            rows = rows[subset]
        if (rows < 0).any():
            bad = keys.iloc[int(np.argmax(rows < 0))]
            raise UnknownReferenceError(
                kind="client",
                key=bad,
                field=f"{frame}.client_id",
                known=[str(k) for k in self.index[:20]],
            )
        return rows

    def last_topic(self, topic: InteractionTopic) -> npt.NDArray[np.int64]:
        hit = self.topic == _TOPICS.index(topic)
        return last_per_client(self.rows[hit], self.on[hit], len(self.index))

    def inputs(self) -> ClientInputs:
        f, s, n = self.frames, self.strategies, len(self.index)
        clients = f.clients
        ratings = f.ratings
        r_rows = self.rows_of(ratings[schema.CLIENT_ID], "ratings")
        r_on = day_numbers(ratings[schema.RATED_ON])
        keep = r_on <= self.day
        rated = last_per_client(r_rows[keep], r_on[keep], n)
        pd_ = clients[schema.DEFAULT_PROBABILITY].to_numpy(
            dtype=np.float64, na_value=np.nan
        )
        return ClientInputs(
            onboarded=day_numbers(clients[schema.ONBOARDED_ON]),
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
        cat = level_codes(
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
        rows = self.rows_of(fac[schema.CLIENT_ID], "facilities", financed)
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


def as_dates(days: npt.NDArray[np.int64]) -> npt.NDArray[np.datetime64]:
    out = days.astype("datetime64[D]")
    out[days == NO_DAY] = np.datetime64("NaT", "D")
    return out.astype("datetime64[ns]")


#: The `ContactStanding` values by code (0 met, 1 behind, 2 no contact).
_STANDINGS: Final = np.array(
    [s.value for s in (ContactStanding.MET, ContactStanding.BEHIND,
                       ContactStanding.NO_CONTACT)], dtype=object,
)  # fmt: skip


@attrs.frozen(kw_only=True, eq=False)
class ContactColumns:
    """Every client's meaningful interactions against its contact standard.

    Attributes:
        required: Meaningful interactions the strategy asks per window.
        in_window: Meaningful interactions in the window ending at ``as_of``.
        gap: Interactions missing to meet the standard, >= 0.
        last_contact: Latest meaningful interaction (`NO_DAY`: never).
        days_since: Days from it to ``as_of`` (NaN: never).
        standing: The `ContactStanding` value (an object array of its text).
    """

    required: IntArray
    in_window: IntArray
    gap: IntArray
    last_contact: IntArray
    days_since: npt.NDArray[np.float64]
    standing: npt.NDArray[np.object_]


def contact_columns(b: ServiceBook) -> ContactColumns:
    """The contact standard of every client of ``b``."""
    c = contact_numbers(
        rows=b.rows,
        on=b.on,
        channel=b.channel,
        tier=b.tier,
        stage=b.stage,
        t=b.strategies.arrays(),
        day=b.day,
    )
    gap = np.maximum(c.required - c.in_window, 0)
    standing = np.where(gap == 0, 0, np.where(c.in_window > 0, 1, 2))
    never = c.last_contact == NO_DAY
    return ContactColumns(
        required=c.required,
        in_window=c.in_window,
        gap=gap,
        last_contact=c.last_contact,
        days_since=np.where(never, np.nan, b.day - c.last_contact),
        standing=_STANDINGS[standing],
    )
