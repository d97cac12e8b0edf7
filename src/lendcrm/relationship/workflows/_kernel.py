"""The numbers of the calendar and the contact standard, on arrays (one home for both faces).

Days are int64 days since 1970-01-01; `NO_DAY` marks "none". Month arithmetic keeps
the day's offset from the first of its month (`shift_months`): 31 January + 1 month is
3 March in a common year, 29 February + 12 months is 1 March, as the onboarding
anniversary of `lendcrm.relationship` has always counted.
"""

from __future__ import annotations

from typing import Final

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._dates import month_numbers, month_starts
from lendcrm.relationship.workflows._strategies import StrategyArrays

__all__ = [
    "NO_DAY",
    "ClientInputs",
    "ContactNumbers",
    "Schedule",
    "contact_numbers",
    "last_per_client",
    "next_on_cadence",
    "schedule",
    "shift_months",
]

IntArray = npt.NDArray[np.int64]
#: "No such day" in an int64 day array.
NO_DAY: Final = np.iinfo(np.int64).min


def shift_months(days: npt.ArrayLike, months: npt.ArrayLike) -> IntArray:
    """``days`` moved by ``months`` calendar months, keeping the offset in the month.

    Examples:
        >>> d = np.array(["2024-01-31", "2024-02-29"], dtype="datetime64[D]")
        >>> shift_months(d.astype(np.int64), [1, 12]).astype("datetime64[D]").tolist()
        [datetime.date(2024, 3, 2), datetime.date(2025, 3, 1)]
    """
    d = np.asarray(days, dtype=np.int64)
    m = month_numbers(d)
    out: IntArray = month_starts(m + np.asarray(months, dtype=np.int64)) + (
        d - month_starts(m)
    )
    return out


def next_on_cadence(anchor: IntArray, months: IntArray, day: int) -> IntArray:
    """First ``anchor + k * months`` (k >= 0) on or after ``day``, per element."""
    return _next_on(_Anchor.of(anchor), months, day)


@attrs.frozen(eq=False)
class _Anchor:
    """Days with their month numbers and offsets in the month, read once (#20).

    `schedule` runs three cadences from the same onboarding days: the days' months
    are looked up once for the three instead of three times each.
    """

    days: IntArray
    month: IntArray
    offset: IntArray

    @classmethod
    def of(cls, days: IntArray) -> _Anchor:
        d = np.asarray(days, dtype=np.int64)
        m = month_numbers(d)
        return cls(d, m, d - month_starts(m))

    def subset(self, at: npt.NDArray[np.bool_]) -> _Anchor:
        """The days ``at`` (their months and offsets kept)."""
        return _Anchor(self.days[at], self.month[at], self.offset[at])

    def shifted(
        self, months: IntArray, at: npt.NDArray[np.bool_] | None = None
    ) -> IntArray:
        """`shift_months` of the days (of those ``at`` only) by ``months``."""
        if at is None:
            return month_starts(self.month + months) + self.offset
        return month_starts(self.month[at] + months) + self.offset[at]


def _month_of(day: int) -> int:
    """The month number of one day (`month_numbers`)."""
    return int(month_numbers(np.array([day], dtype=np.int64))[0])


def _next_on(anchor: _Anchor, months: IntArray, day: int) -> IntArray:
    """`next_on_cadence` from days whose months are already known."""
    gap = _month_of(day) - anchor.month
    k = np.maximum(gap // months, 0)
    due = anchor.shifted(k * months)
    late = due < day
    if late.any():
        due[late] = anchor.shifted((k[late] + 1) * months[late], late)
    return due


def last_per_client(rows: IntArray, days: IntArray, n: int) -> IntArray:
    """The latest day per client row (`NO_DAY` for a client without one)."""
    out = np.full(n, NO_DAY, dtype=np.int64)
    np.maximum.at(out, rows, days)
    return out


@attrs.frozen(kw_only=True, eq=False)
class ClientInputs:
    """What the calendar reads of each client, aligned arrays.

    Attributes:
        onboarded: Onboarding day.
        tier: Tier rank (0 diamond .. 3 basic; the untiered tier filled in).
        stage: Stage code (position in `STAGES`; -1: unknown).
        watchlist: On the credit watchlist.
        high_risk: PD at or above the strategies' threshold.
        equator_kyc: Months the worst Equator category of the client's projects asks
            between KYC refreshes (a large number without one).
        last_credit_review: Latest credit review (rating or review interaction).
        last_annual_review: Latest annual review interaction.
        last_kyc: Latest KYC refresh interaction.
    """

    onboarded: IntArray
    tier: IntArray
    stage: IntArray
    watchlist: npt.NDArray[np.bool_]
    high_risk: npt.NDArray[np.bool_]
    equator_kyc: IntArray
    last_credit_review: IntArray
    last_annual_review: IntArray
    last_kyc: IntArray


@attrs.frozen(kw_only=True, eq=False)
class Schedule:
    """Due day and interval (months) of each client's three reviews."""

    credit_review: IntArray
    credit_months: IntArray
    annual_review: IntArray
    annual_months: IntArray
    kyc: IntArray
    kyc_months: IntArray


_NEVER: Final = 10**6  # months: a rule that does not apply


def _due(last: IntArray, onboarded: _Anchor, months: IntArray, day: int) -> IntArray:
    """``last + months`` where a completion is on record, else the onboarding cadence.

    The cadence is computed for the clients without a completion only (a credit
    review is usually on record for every client: no cadence at all then).
    """
    seen = last != NO_DAY
    if not seen.any():
        return _next_on(onboarded, months, day)
    due = shift_months(last[seen], months[seen])
    if seen.all():
        return due
    out = np.empty(last.shape, dtype=np.int64)
    out[seen] = due
    unseen = ~seen
    out[unseen] = _next_on(onboarded.subset(unseen), months[unseen], day)
    return out


def schedule(
    c: ClientInputs,
    t: StrategyArrays,
    *,
    day: int,
    annual_months: int,
    watchlist_months: int,
    high_risk_review_months: int,
    high_risk_kyc_months: int,
) -> Schedule:
    """The credit review, annual review and KYC refresh due of every client.

    The credit review comes every ``review_frequency_months`` of the client's strategy,
    at least every ``watchlist_months`` on the watchlist and every
    ``high_risk_review_months`` when high risk; KYC every ``kyc_refresh_months``, at
    least every ``high_risk_kyc_months`` when high risk or on the watchlist and as
    the Equator category asks. A review on record is followed by the next one an
    interval later (overdue when that is before ``day``); without one the cadence runs
    from onboarding and the next date on or after ``day`` is due.
    """
    s = np.where(c.stage < 0, t.review_months.shape[1] - 1, c.stage)
    review = t.review_months[c.tier, s]
    review = np.where(c.watchlist, np.minimum(review, watchlist_months), review)
    review = np.where(c.high_risk, np.minimum(review, high_risk_review_months), review)
    kyc = np.minimum(t.kyc_months[c.tier, s], c.equator_kyc)
    risky = c.high_risk | c.watchlist
    kyc = np.where(risky, np.minimum(kyc, high_risk_kyc_months), kyc)
    annual = np.full(c.tier.shape, annual_months, dtype=np.int64)
    onboarded = _Anchor.of(c.onboarded)
    return Schedule(
        credit_review=_due(c.last_credit_review, onboarded, review, day),
        credit_months=review,
        annual_review=_due(c.last_annual_review, onboarded, annual, day),
        annual_months=annual,
        kyc=_due(c.last_kyc, onboarded, kyc, day),
        kyc_months=kyc,
    )


@attrs.frozen(kw_only=True, eq=False)
class ContactNumbers:
    """The contact standard of every client.

    Attributes:
        required: Meaningful interactions the strategy asks per window.
        window_months: The window, in months.
        in_window: Meaningful interactions in the window ending at ``day``.
        last_contact: Latest meaningful interaction (`NO_DAY`: none).
    """

    required: IntArray
    window_months: IntArray
    in_window: IntArray
    last_contact: IntArray


def contact_numbers(
    *,
    rows: IntArray,
    on: IntArray,
    channel: IntArray,
    tier: IntArray,
    stage: IntArray,
    t: StrategyArrays,
    day: int,
) -> ContactNumbers:
    """Count each client's meaningful interactions in its strategy's window.

    Args:
        rows: Client row of each interaction.
        on: Day of each interaction (none after ``day``).
        channel: Channel code of each interaction (position in `CHANNELS`).
        tier: Tier rank per client.
        stage: Stage code per client (-1: unknown).
        t: The strategies as arrays.
        day: The evaluation day.
    """
    n = tier.size
    s = np.where(stage < 0, t.review_months.shape[1] - 1, stage)
    window = t.contact_window_months[tier, s]
    day_month = _month_of(day)  # `shift_months` of ``day``, its month read once
    start = month_starts(day_month - window) + (day - int(month_starts(day_month)))
    n_channels = t.meaningful.shape[2]
    cell = (tier * t.meaningful.shape[1] + s) * n_channels  # per client, once
    meaningful = t.meaningful.reshape(-1)[cell[rows] + channel]
    r = rows[meaningful]
    o = on[meaningful]
    inside = o > start[r]
    return ContactNumbers(
        required=t.contact_interactions[tier, s],
        window_months=window,
        in_window=np.bincount(r[inside], minlength=n).astype(np.int64),
        last_contact=last_per_client(r, o, n),
    )
