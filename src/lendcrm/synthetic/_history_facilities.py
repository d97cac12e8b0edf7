"""Facility histories of a synthetic book: month-end observations, collateral values.

Drawn backwards from the facilities frame and the drawn signals, so the history
explains them (numpy only; the rules are on the *Synthetic books* page, section
"Histories", and in the docstrings below):

- the latest observation is the facility's ``drawn`` and ``limit``;
- twelve months earlier, the client's drawn amount is today's / (1 +
  ``exposure_growth``) and its utilisation today's - ``utilisation_change``, summed
  over the facilities that existed then (limits move at the client's annual limit
  review to make both hold); in between, each facility's drawn amount moves in
  equal monthly steps (with 5 % noise), capped by the limit in force;
- nothing is drawn before the client's first drawdown
  (``months_since_first_drawdown`` months before ``as_of``);
- days past due build up by the days elapsed to today's; a non-performing facility is
  in default from 90 days past due; a restructured one is forborne since a recent
  month.
"""

from __future__ import annotations

import itertools
from typing import Final

import attrs
import numpy as np

from lendcrm._arrays import BoolArray, FloatArray, IntArray
from lendcrm._enums import ValuationMethod
from lendcrm.synthetic import _tables as tables
from lendcrm.synthetic._asset_links import Assets
from lendcrm.synthetic._calendar import (
    DayArray,
    add_months,
    anniversaries,
    month_end,
    month_of,
    observation_ends,
)
from lendcrm.synthetic._draws import Measures, Signals
from lendcrm.synthetic._draws_clients import Clients
from lendcrm.synthetic._draws_facilities import Facilities
from lendcrm.synthetic._sampling import group_sum, round_to
from lendcrm.synthetic._tables import (
    DECLINE,
    DECLINE_COLLATERAL_DRIFT,
    FORBORNE_MONTHS,
    MONTHS_PER_YEAR,
    NEW_FACILITY_UTILISATION,
    NON_PERFORMING_DPD,
    UTILISATION_FLOOR,
    UTILISATION_NOISE,
)

#: Facility status codes (rows of ``FACILITY_STATUSES``).
_RESTRUCTURED = tables.FACILITY_STATUSES.index("restructured")
_NON_PERFORMING = tables.FACILITY_STATUSES.index("non_performing")


@attrs.frozen(kw_only=True)
class Observations:
    """Month-end facility observations, by facility then date (internal)."""

    facility: IntArray
    period_end: DayArray
    drawn: FloatArray
    limit: FloatArray
    days_past_due: IntArray
    in_default: BoolArray
    forborne: BoolArray


@attrs.frozen(kw_only=True)
class Valuations:
    """Annual collateral valuations, by collateral row then date (internal)."""

    facility: IntArray
    valued_on: DayArray
    value: FloatArray
    method: IntArray  # index into VALUATION_METHODS


def _rows(counts: IntArray) -> tuple[IntArray, IntArray]:
    """Owner of each row and its position among the owner's rows (oldest first)."""
    owner = np.repeat(np.arange(counts.size, dtype=np.int64), counts)
    first = np.cumsum(counts) - counts
    return owner, np.arange(owner.size, dtype=np.int64) - first[owner]


@attrs.frozen(kw_only=True)
class _YearAgo:
    """Each facility a year before ``as_of``, if it existed then (internal)."""

    existed: BoolArray
    limit: FloatArray  # exact (the drawn amounts are taken from it)
    utilisation: FloatArray


def _year_ago(
    c: Clients, f: Facilities, m: Measures, s: Signals, as_of: np.datetime64
) -> _YearAgo:
    """Limits and utilisation a year ago that reproduce the client's two signals.

    Over the facilities that existed at the month end twelve months back, the
    client's drawn amount (EUR) must be ``D / (1 + g)`` and its utilisation
    ``U - du``. Their limits are scaled by one factor per client so both hold:
    ``L_then = D_then / U_then``. Where the two signals contradict each other (no
    utilisation a year ago, yet a drawn amount), the drawn amount wins: the limits
    stay (or grow to that amount). A utilisation a year ago below
    ``UTILISATION_FLOOR`` (the rounding of the utilisation-change signal) is none:
    dividing by it would blow the limits up a million times.
    """
    year_ago = month_end(month_of(np.array([as_of])) - MONTHS_PER_YEAR)[0]
    existed = f.start <= year_ago
    limit_eur = f.limit * f.fx
    l_exist = group_sum(f.client[existed], limit_eur[existed], c.n)
    u_now = np.divide(
        m.drawn_eur, m.limit_eur, out=np.zeros(c.n), where=m.limit_eur > 0
    )
    u_then = np.clip(u_now - s.utilisation_change, 0.0, 1.0)
    d_then = m.drawn_eur / (1.0 + s.exposure_growth)
    positive = u_then >= UTILISATION_FLOOR
    l_then = np.where(
        positive, d_then / np.where(positive, u_then, 1.0), np.maximum(l_exist, d_then)
    )
    utilisation = np.divide(d_then, l_then, out=np.zeros(c.n), where=l_then > 0)
    scale = np.divide(
        l_then, l_exist, out=np.ones(c.n), where=(l_exist > 0) & (l_then > 0)
    )
    return _YearAgo(
        existed=existed,
        limit=f.limit * scale[f.client],
        utilisation=utilisation[f.client],
    )


#: Observation rows computed at a time (bounds the temporaries; the draws do not
#: depend on it: each chunk takes the next numbers of the same stream).
CHUNK_ROWS: Final = 1 << 19


@attrs.frozen(kw_only=True)
class _Paths:
    """Per facility, what its observation rows are computed from (internal)."""

    first_row: IntArray
    counts: IntArray
    limit: FloatArray
    drawn: FloatArray
    then: _YearAgo
    review: IntArray  # months since the client's limit review
    first_drawdown: IntArray  # months since the client's first drawdown
    client_dpd: IntArray
    status: IntArray
    forborne_since: IntArray


def draw_observations(
    rng: np.random.Generator,
    c: Clients,
    f: Facilities,
    m: Measures,
    s: Signals,
    *,
    as_of: np.datetime64,
    periods: int,
) -> Observations:
    """One observation per facility and month end since its start (at most ``periods``).

    The rows are computed a chunk of facilities at a time (a few chunks, never a loop
    over rows) into preallocated columns.
    """
    ends = observation_ends(as_of, periods)
    counts = periods - np.searchsorted(ends, f.start, side="left").astype(np.int64)
    review = rng.integers(1, MONTHS_PER_YEAR + 1, c.n)
    forborne_since = rng.integers(0, FORBORNE_MONTHS + 1, f.client.size)
    p = _Paths(
        first_row=np.cumsum(counts) - counts,
        counts=counts,
        limit=f.limit,
        drawn=f.drawn,
        then=_year_ago(c, f, m, s, as_of),
        review=review[f.client],
        first_drawdown=s.months_since_first_drawdown[f.client],
        client_dpd=c.dpd[f.client],
        status=f.status,
        forborne_since=forborne_since,
    )
    total = int(counts.sum())
    out = Observations(
        facility=np.repeat(np.arange(f.client.size, dtype=np.int64), counts),
        period_end=np.empty(total, dtype="datetime64[ns]"),
        drawn=np.empty(total),
        limit=np.empty(total),
        days_past_due=np.empty(total, dtype=np.int64),
        in_default=np.empty(total, dtype=np.bool_),
        forborne=np.empty(total, dtype=np.bool_),
    )
    rows_before = np.cumsum(counts)
    cuts = np.searchsorted(rows_before, np.arange(CHUNK_ROWS, total, CHUNK_ROWS))
    bounds = [0, *np.unique(cuts + 1).tolist(), f.client.size]
    for lo, hi in itertools.pairwise(bounds):  # a few chunks
        if hi > lo:
            _fill(rng, p, out, lo, hi, ends=ends, as_of=as_of)
    return out


def _fill(
    rng: np.random.Generator,
    p: _Paths,
    out: Observations,
    lo: int,
    hi: int,
    *,
    ends: DayArray,
    as_of: np.datetime64,
) -> None:
    """Compute the observation rows of facilities ``lo..hi-1`` into ``out``."""
    start, stop = int(p.first_row[lo]), int(p.first_row[hi - 1] + p.counts[hi - 1])
    facility = out.facility[start:stop]
    position = np.arange(start, stop, dtype=np.int64) - p.first_row[facility]
    back = p.counts[facility] - 1 - position  # months before as_of's month end
    noise = np.exp(UTILISATION_NOISE * rng.standard_normal(stop - start))
    existed = p.then.existed[facility]
    exact_limit = np.where(
        existed & (back >= p.review[facility]),
        p.then.limit[facility],
        p.limit[facility],
    )
    # limits are whole units; the drawn amounts come from the exact limit, so the
    # client's drawn amount a year ago is its exposure signal to the cent
    limit = np.maximum(np.round(exact_limit), 1.0)
    path = _drawn_path(p, facility=facility, back=back, noise=noise)
    drawn = np.minimum(np.round(np.minimum(path, exact_limit), 2), limit)
    drawn = np.where(back == 0, p.drawn[facility], drawn)
    drawn[back > p.first_drawdown[facility]] = 0.0
    index = ends.size - 1 - back
    days_back = (as_of - ends).astype(np.int64)[index]
    dpd = np.where(drawn > 0, np.maximum(p.client_dpd[facility] - days_back, 0), 0)
    status = p.status[facility]
    out.period_end[start:stop] = ends.astype("datetime64[ns]")[index]
    out.drawn[start:stop] = drawn
    out.limit[start:stop] = limit
    out.days_past_due[start:stop] = dpd
    out.in_default[start:stop] = (status == _NON_PERFORMING) & (
        dpd > NON_PERFORMING_DPD
    )
    out.forborne[start:stop] = (status == _RESTRUCTURED) & (
        back <= p.forborne_since[facility]
    )


def _drawn_path(
    p: _Paths,
    *,
    facility: IntArray,
    back: IntArray,
    noise: FloatArray,
) -> FloatArray:
    """Drawn amount of each observation row, before the cap at the limit in force.

    A facility that existed a year ago moves in twelve equal monthly steps from its
    drawn amount then (its limit then x the client's utilisation then) to today's,
    and holds the year-ago amount before; one opened since starts at
    ``NEW_FACILITY_UTILISATION`` of today's amount and grows in equal steps. The
    amounts, not the utilisations, are interpolated: a limit that moves at the
    annual review changes the utilisation, not the balance. Lognormal noise
    everywhere but the two anchors (today, a year ago).
    """
    d_now = p.drawn[facility]
    existed = p.then.existed[facility]
    d_then = p.then.limit[facility] * p.then.utilisation[facility]
    years = np.minimum(back, MONTHS_PER_YEAR) / MONTHS_PER_YEAR
    old = d_now + years * (d_then - d_now)
    age = np.maximum(p.counts[facility] - 1, 1)
    new = d_now * (1.0 - (1.0 - NEW_FACILITY_UTILISATION) * back / age)
    base = np.where(existed, old, new)
    anchor = (back == 0) | (existed & (back == MONTHS_PER_YEAR))
    out: FloatArray = np.where(anchor, base, base * noise)
    return out


def draw_valuations(
    rng: np.random.Generator,
    c: Clients,
    f: Facilities,
    assets: Assets,
    *,
    as_of: np.datetime64,
    years: int,
) -> Valuations:
    """Annual valuations of each pledged asset on its facility's start anniversaries.

    The latest is today's market value (the collateral frame's ``value``); going
    back a year divides by ``exp(drift + vol * e)`` for the asset's kind (declining
    clients' assets lost more), rounded to 1,000. An asset shared by two facilities
    has one series, on the second (younger) claim's anniversaries, carried by both
    rows (the valuations frame is keyed by facility and collateral row, and
    `lendcrm.Book` wants the rows of one asset identical).
    """
    secured = np.flatnonzero(f.collateral_kind >= 0)
    start = f.start[secured]
    elapsed = anniversaries(start, as_of)
    counts = np.minimum(elapsed + 1, years)
    row_of, position = _rows(counts)
    back = counts[row_of] - 1 - position  # years before the latest valuation
    kind = f.collateral_kind[secured][row_of]
    paths = tables.COLLATERAL_PATHS
    drift = np.array([p[0] for p in paths])[kind] + DECLINE_COLLATERAL_DRIFT * (
        c.stage[f.client[secured][row_of]] == DECLINE
    )
    step = np.where(
        back > 0,
        drift + np.array([p[1] for p in paths])[kind] * rng.standard_normal(back.size),
        0.0,
    )
    # cumulative log change from each valuation to the latest, within each asset
    suffix = np.cumsum(step[::-1])[::-1]
    latest_row = np.cumsum(counts) - 1
    log_change = suffix - suffix[latest_row][row_of]
    today = f.collateral_value[secured][row_of]
    value = np.where(back == 0, today, round_to(today * np.exp(-log_change), 1000.0))
    since_start = elapsed[row_of] - back
    # both claims on a shared asset take the younger (second) claim's series: the
    # asset was appraised when the second lien was taken, yearly since
    series = np.where(f.collateral_kind >= 0, np.arange(f.client.size), -1)
    second = np.flatnonzero(assets.rank == 2)  # noqa: PLR2004 - the second claim
    series[assets.source[second]] = second
    slot = np.full(f.client.size, -1, dtype=np.int64)
    slot[secured] = np.arange(secured.size)
    source = slot[series[secured]]
    owner, nth = _rows(counts[source])
    take = (np.cumsum(counts) - counts)[source][owner] + nth
    return Valuations(
        facility=secured[owner],
        valued_on=add_months(start[row_of], 12 * since_start)[take],
        value=value[take],
        method=_methods(kind, since_start)[take],
    )


#: The valuation methods, in `ValuationMethod` order (the categories of the frame).
VALUATION_METHODS: Final = tuple(method.value for method in ValuationMethod)


def _methods(kind: IntArray, since_start: IntArray) -> IntArray:
    """Method code of each valuation: origination, review or periodic re-appraisal."""
    paths = tables.COLLATERAL_PATHS
    at_start = np.array([VALUATION_METHODS.index(p[2]) for p in paths])[kind]
    review = np.array([VALUATION_METHODS.index(p[3]) for p in paths])[kind]
    every = np.array([p[4] for p in paths])[kind]
    full = VALUATION_METHODS.index("full_appraisal")
    reappraised = (every > 0) & (since_start % np.maximum(every, 1) == 0)
    out: IntArray = np.where(
        since_start == 0, at_start, np.where(reappraised, full, review)
    )
    return out
