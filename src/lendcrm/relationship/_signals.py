"""Lifecycle signals from histories: the numpy core of `signals_from_history`.

The histories arrive as sorted owner-day keys (`lendcrm.relationship._history_keys`);
every signal is a few look-ups in them for all clients at once, then sums, maxima and
minima per client code. Nothing loops over rows or clients. The windows and conventions are those documented on
`lendcrm.relationship.frames.signals_from_history`; the one-client face
(`lendcrm.relationship.client_signals`) computes the same figures in plain Python.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import BoolArray, FloatArray, IntArray
from lendcrm._dates import month_numbers, whole_months
from lendcrm.errors import InvalidValueError
from lendcrm.frames import columns as schema
from lendcrm.relationship._history_keys import History
from lendcrm.risk.scoring import DEFAULT_MASTER_SCALE

#: Months in the year-on-year window.
YEAR_MONTHS: Final = 12
#: A numeric column as read (float64, or the integers of a count column).
NumberArray = npt.NDArray[np.number[Any]]
_NO_MONTH: Final = np.iinfo(np.int64).min
_NO_DAY: Final = np.iinfo(np.int64).max


@attrs.frozen(kw_only=True, eq=False)
class Measures:
    """Relationship measures per client and period, sorted (see `History`)."""

    history: History
    revenue: NumberArray
    products: NumberArray


@attrs.frozen(kw_only=True, eq=False)
class Ratings:
    """Ratings per client, sorted; ``grade`` is the position on the scale (0 best)."""

    history: History
    grade: IntArray


@attrs.frozen(kw_only=True, eq=False)
class Observations:
    """Facility observations, sorted by (facility, period end)."""

    history: History
    drawn: NumberArray
    limit: NumberArray
    days_past_due: NumberArray


@attrs.frozen(kw_only=True, eq=False)
class SignalInputs:
    """Everything the derivation reads, as codes and arrays (see the adapter).

    Attributes:
        onboarded: Onboarding day of each client.
        on_watchlist: Watchlist flag of each client.
        facility_client: Client code of each facility.
        facility_start: Start day of each facility.
        facility_drawn: Drawn amount of each facility in the facilities frame (read
            only for a facility without any observation).
        facility_rate: Multiplier of each facility's amounts into a currency common
            to its client (1.0 unless the client holds several currencies).
        measures: Measures history.
        ratings: Rating history.
        observations: Observation history.
        covenant_facility: Facility code of each covenant result row.
        covenant_breaches: Breaches in the last twelve months, per row.
        dscr_headroom: Latest DSCR headroom per row (NaN: no DSCR test).
    """

    onboarded: IntArray
    on_watchlist: BoolArray
    facility_client: IntArray
    facility_start: IntArray
    facility_drawn: NumberArray
    facility_rate: FloatArray
    measures: Measures
    ratings: Ratings
    observations: Observations
    covenant_facility: IntArray
    covenant_breaches: NumberArray
    dscr_headroom: FloatArray


def scale_grades(grades: Sequence[str] | None) -> tuple[str, ...]:
    """The grade labels best first (default: the default master scale's)."""
    if grades is None:
        return DEFAULT_MASTER_SCALE.grades
    if isinstance(grades, str) or not isinstance(grades, Iterable):
        labels: tuple[object, ...] = (grades,)
    else:
        labels = tuple(grades)
    texts = tuple(g for g in labels if isinstance(g, str) and g)
    if not texts or len(texts) != len(labels) or len(set(texts)) != len(texts):
        raise InvalidValueError(
            field="grades",
            value=list(labels),
            expected="distinct non-empty grade labels, best first",
        )
    return texts


def group_sum(codes: IntArray, weights: NumberArray, n: int) -> FloatArray:
    """Sums of ``weights`` per code ``0..n-1`` (float64)."""
    out: FloatArray = np.asarray(
        np.bincount(codes, weights=weights, minlength=n), dtype=np.float64
    )
    return out


def group_extreme(
    ufunc: np.ufunc, codes: IntArray, values: NumberArray, out: NumberArray
) -> NumberArray:
    """``ufunc`` (``np.minimum`` or ``np.maximum``) of ``values`` per code, into ``out``.

    Codes already grouped (the usual order: facilities client by client) are
    reduced segment by segment with ``reduceat``; others with ``ufunc.at``.
    """
    if not len(codes):
        return out
    if bool(np.all(codes[1:] >= codes[:-1])):
        starts = np.flatnonzero(np.concatenate(([True], codes[1:] != codes[:-1])))
        at = codes[starts]
        out[at] = ufunc(out[at], ufunc.reduceat(values, starts))
    else:
        ufunc.at(out, codes, values)
    return out


def yoy_growth(now: FloatArray, then: FloatArray, has_then: BoolArray) -> FloatArray:
    """(now - then) / then; without a positive base, +1.0 when now > 0, else 0."""
    base = np.where(has_then, then, 0.0)
    positive = base > 0
    ratio = (now - base) / np.where(positive, base, 1.0)
    out: FloatArray = np.where(positive, ratio, np.where(now > 0, 1.0, 0.0))
    return out


def utilisation(drawn: FloatArray, limit: FloatArray) -> FloatArray:
    """Utilisation: drawn / limit, clipped to [0, 1]; 0 without a limit."""
    ratio = np.divide(drawn, limit, out=np.zeros(len(drawn)), where=limit > 0)
    out: FloatArray = np.clip(ratio, 0.0, 1.0)
    return out


def measure_signals(m: Measures, n: int, as_of: int) -> tuple[FloatArray, FloatArray]:
    """Revenue growth and product-count change against the period a year earlier.

    The client's latest period on or before ``as_of`` is compared with its latest
    period in the calendar month twelve months earlier (none: a base of zero).
    """
    now = m.history.latest_of_all(as_of)
    c_now = np.flatnonzero(now >= 0)
    r_now = now[c_now]
    month = month_numbers(m.history.day(r_now))
    then = m.history.in_month(c_now, month - YEAR_MONTHS, r_now, month)
    has_then = then >= 0
    r_then = np.where(has_then, then, 0)
    growth = np.zeros(n)
    growth[c_now] = yoy_growth(
        m.revenue[r_now].astype(np.float64),
        m.revenue[r_then].astype(np.float64),
        has_then,
    )
    change = np.zeros(n)
    change[c_now] = m.products[r_now] - np.where(has_then, m.products[r_then], 0)
    return growth, change


@attrs.frozen(kw_only=True, eq=False)
class Latest:
    """Each facility's latest observation on or before ``as_of``.

    Attributes:
        first: First observation row of each facility (``first[k]`` ends the last).
        row: The latest row on or before ``as_of`` (-1: none).
        month: Its month number (undefined where ``row`` is -1).
    """

    first: IntArray
    row: IntArray
    month: IntArray

    @classmethod
    def of(cls, obs: Observations, as_of: int) -> Latest:
        """Find them for every facility."""
        row = obs.history.latest_of_all(as_of)
        month = month_numbers(obs.history.day(np.maximum(row, 0)))
        return cls(first=obs.history.starts, row=row, month=month)


@attrs.frozen(kw_only=True, eq=False)
class _Sums:
    """Per client: drawn and limit summed over some facility observations."""

    drawn: FloatArray
    limit: FloatArray
    observed: BoolArray


def _sums(inp: SignalInputs, facilities: IntArray, rows: IntArray, n: int) -> _Sums:
    """Sum the observations ``rows`` of ``facilities`` per client (rows -1 skipped)."""
    ok = rows >= 0
    fac, rows = facilities[ok], rows[ok]
    clients, rate = inp.facility_client[fac], inp.facility_rate[fac]
    obs = inp.observations
    drawn, limit = obs.drawn[rows], obs.limit[rows]
    if not bool(np.all(rate == 1.0)):
        drawn, limit = drawn * rate, limit * rate
    return _Sums(
        drawn=group_sum(clients, drawn, n),
        limit=group_sum(clients, limit, n),
        observed=np.bincount(clients, minlength=n) > 0,
    )


def observation_signals(
    inp: SignalInputs, latest: Latest, n: int
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Exposure growth, utilisation change and worst days past due per client.

    The client's period is the month of its latest observation on or before
    ``as_of``; its exposure is the sum over its facilities of each one's latest
    observation in that month (the facility's latest on or before ``as_of``, if it
    falls in that month), compared with the same sum twelve months earlier.
    """
    obs, fc = inp.observations, inp.facility_client
    seen = np.flatnonzero(latest.row >= 0)
    owners = fc[seen]
    client_month = np.full(n, _NO_MONTH, dtype=np.int64)
    group_extreme(np.maximum, owners, latest.month[seen], client_month)
    month = client_month[owners]
    now_rows = np.where(latest.month[seen] == month, latest.row[seen], -1)
    then_rows = obs.history.in_month(
        seen, month - YEAR_MONTHS, latest.row[seen], latest.month[seen]
    )
    now, then = _sums(inp, seen, now_rows, n), _sums(inp, seen, then_rows, n)
    dpd = np.zeros(n)
    current = now_rows >= 0
    group_extreme(
        np.maximum, owners[current], obs.days_past_due[now_rows[current]], dpd
    )
    growth = yoy_growth(now.drawn, then.drawn, then.observed)
    change = np.where(
        then.observed,
        utilisation(now.drawn, now.limit) - utilisation(then.drawn, then.limit),
        0.0,
    )
    return growth, change, dpd


#: Rows stepped through one by one for the first drawn observation, before a search.
_STEPS: Final = 8


def _first_positive(obs: Observations, start: IntArray, stop: IntArray) -> IntArray:
    """First row in ``[start, stop)`` with a positive drawn balance (-1: none).

    Most facilities are drawn at their first observation or soon after, so the
    first rows are tried one step at a time (a few vectorised passes over the
    facilities still looking); the rows left of the others are then read at once.
    """
    out: IntArray = np.full(len(start), -1, dtype=np.int64)
    looking = np.flatnonzero(start < stop)
    row = start[looking]
    for _ in range(_STEPS):  # a few steps, each over the facilities still looking
        drawn = np.greater(obs.drawn[row], 0)
        out[looking[drawn]] = row[drawn]
        row = row[~drawn] + 1
        looking = looking[~drawn]
        more = row < stop[looking]
        looking, row = looking[more], row[more]
        if not len(looking):
            return out
    # every row left of the facilities still looking, segment after segment
    lengths = stop[looking] - row
    begins = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    rows = np.repeat(row - begins, lengths) + np.arange(int(lengths.sum()))
    drawn_at = np.flatnonzero(np.greater(obs.drawn[rows], 0))
    k = np.searchsorted(drawn_at, begins)
    inside = k < len(drawn_at)
    inside[inside] = drawn_at[k[inside]] < (begins + lengths)[inside]
    out[looking[inside]] = rows[drawn_at[k[inside]]]
    return out


def drawdown_signals(
    inp: SignalInputs, latest: Latest, n: int, as_of: int
) -> tuple[BoolArray, BoolArray, FloatArray]:
    """Has a facility, has drawn, and whole months since the first drawdown.

    A facility's first drawdown is the period end of its first observation with a
    positive drawn balance, or its start date when its very first observation is
    already drawn (the money went out before the history begins); a facility with no
    observation at all counts from its start date if its drawn amount is positive.
    """
    fc, start = inp.facility_client, inp.facility_start
    first, end = latest.first[:-1], latest.first[1:]
    seen = latest.row >= 0
    row = _first_positive(
        inp.observations, np.where(seen, first, 0), np.where(seen, latest.row + 1, 0)
    )
    drew = row >= 0
    day_row = inp.observations.history.day(row[drew])
    drawn_on = np.full(len(fc), _NO_DAY, dtype=np.int64)
    drawn_on[drew] = np.where(
        row[drew] == first[drew], np.minimum(start[drew], day_row), day_row
    )
    legacy = (end == first) & (inp.facility_drawn > 0) & (start <= as_of)
    drawn_on[legacy] = start[legacy]
    first_drawdown = np.full(n, _NO_DAY, dtype=np.int64)
    group_extreme(np.minimum, fc, drawn_on, first_drawdown)
    has_drawn = first_drawdown <= as_of
    months = whole_months(
        np.where(has_drawn, first_drawdown, as_of).astype("datetime64[D]"),
        np.datetime64(as_of, "D"),
    )
    has_facility = np.bincount(fc[start <= as_of], minlength=n) > 0
    return has_facility, has_drawn, months.astype(np.float64)


def rating_signals(r: Ratings, n: int, as_of: int, year_ago: int) -> FloatArray:
    """Notches moved from the grade in force a year ago (+ = downgrade).

    The base is the latest rating on or before ``year_ago``; a client first rated
    inside the window is compared with its first rating; no rating: 0.
    """
    if not len(r.grade):
        return np.zeros(n)
    clients = np.arange(n, dtype=np.int64)
    now = r.history.latest_of_all(as_of)
    after = r.history.after(clients, year_ago)
    base = r.history.owned(after - 1, clients)
    base = np.where(base >= 0, base, after)  # none before: the first one after
    ok = now >= 0
    moved = r.grade[np.maximum(now, 0)] - r.grade[np.where(ok, base, 0)]
    out: FloatArray = np.where(ok, moved, 0).astype(np.float64)
    return out


def covenant_signals(
    inp: SignalInputs, n: int
) -> tuple[FloatArray, BoolArray, FloatArray]:
    """Breaches summed per client; the weakest DSCR headroom of its facilities."""
    codes = inp.facility_client[inp.covenant_facility]
    breaches = group_sum(codes, inp.covenant_breaches, n)
    tested = ~np.isnan(inp.dscr_headroom)
    has_dscr = np.bincount(codes[tested], minlength=n) > 0
    weakest = np.full(n, np.inf)
    group_extreme(np.minimum, codes[tested], inp.dscr_headroom[tested], weakest)
    return breaches, has_dscr, np.where(has_dscr, weakest, 0.0)


def derive_signals(
    inp: SignalInputs, *, as_of: int, year_ago: int
) -> dict[str, npt.NDArray[np.float64] | BoolArray]:
    """Every ``SIG_*`` column, in `lendcrm.lifecycle.SIGNAL_SPECS` order.

    Args:
        inp: The histories as codes and arrays.
        as_of: The day the signals describe (days since 1970-01-01).
        year_ago: ``as_of`` twelve calendar months earlier (clamped to month end).
    """
    n = len(inp.onboarded)
    latest = Latest.of(inp.observations, as_of)
    has_facility, has_drawn, months_drawn = drawdown_signals(inp, latest, n, as_of)
    revenue_growth, product_change = measure_signals(inp.measures, n, as_of)
    exposure_growth, utilisation_change, dpd = observation_signals(inp, latest, n)
    breaches, has_dscr, headroom = covenant_signals(inp, n)
    tenure = whole_months(
        inp.onboarded.astype("datetime64[D]"), np.datetime64(as_of, "D")
    )
    return {
        schema.SIG_HAS_FACILITY: has_facility,
        schema.SIG_HAS_DRAWN: has_drawn,
        schema.SIG_MONTHS_SINCE_FIRST_DRAWDOWN: months_drawn,
        schema.SIG_TENURE_MONTHS: tenure.astype(np.float64),
        schema.SIG_EXPOSURE_GROWTH_YOY: exposure_growth,
        schema.SIG_REVENUE_GROWTH_YOY: revenue_growth,
        schema.SIG_PRODUCT_COUNT_CHANGE: product_change,
        schema.SIG_UTILISATION_CHANGE: utilisation_change,
        schema.SIG_RATING_NOTCHES_MOVED: rating_signals(
            inp.ratings, n, as_of, year_ago
        ),
        schema.SIG_ON_WATCHLIST: inp.on_watchlist.copy(),
        schema.SIG_DAYS_PAST_DUE: dpd,
        schema.SIG_COVENANT_BREACHES: breaches,
        schema.SIG_HAS_DSCR: has_dscr,
        schema.SIG_DSCR_HEADROOM: headroom,
    }
