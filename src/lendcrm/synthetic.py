"""Synthetic lending books: realistic, documented, reproducible, and fast.

:func:`generate_frames` draws a whole book (clients, facilities, project vehicles and
their sponsors and cash-flow forecasts, referrals, feedback and the lifecycle signals)
as pandas DataFrames whose columns are the :mod:`lendcrm.schema` names. Everything is
vectorised numpy: one million clients take a few seconds. The same ``seed`` gives the
same frames, bit for bit; nothing reads the clock (``as_of`` is a parameter).

How the book is drawn (every table is in ``lendcrm._synthetic_tables`` and the
*Synthetic books* explanation page gives the reasons):

1. **Stage.** Each client first gets the lifecycle stage its signals will be drawn
   from (acquisition 6 %, activation 10 %, growth 28 %, maturity 41 %, decline 15 %),
   kept in ``SyntheticFrames.stages`` as the generator's ground truth.
2. **Who.** Sector (19 NACE Rev. 2 sections, manufacturing and trade largest), country
   (18 countries of a European bank), tenure (uniform range per stage), annual revenue:
   a lognormal body (median EUR 15 m, sigma 1.3) with a 4 % Pareto tail (scale
   EUR 750 m, alpha 1.4, capped at EUR 200 bn).
3. **Groups.** 20 % of clients are subsidiaries of a group head and 4 % are
   second-level subsidiaries (parents drawn with probability proportional to the
   square root of revenue); project vehicles are always subsidiaries of their lead
   sponsor. A parent is always on a higher level, so there are no cycles.
4. **Risk.** log PD is normal around the sector's median PD, better for larger
   firms (elasticity -0.25 on revenue), with sigma 0.9, plus one notch-equivalent for
   declining clients; it is mapped to the 10-grade master scale (0.03 % to 20 %) and
   the grade's PD is the client's PD.
5. **Facilities.** None for acquisition clients, one for a project vehicle,
   otherwise 1 + Poisson (more for larger clients, at most 6). The credit envelope is
   revenue times a lognormal leverage (median 0.30, sigma 0.6; project vehicles 4.0),
   split across facilities by Gamma(2) weights, rounded to 1,000. Kind, tenor,
   utilisation (Beta by kind), margin (by grade and kind), fees, seniority, LGD (Beta by
   seniority), CCF (by kind), collateral and guarantees follow the tables.
6. **Value to the bank.** Revenue = margin on drawn + commitment fee on undrawn +
   arrangement fee spread over the tenor + transaction fees; profit = revenue - cost to
   serve - expected loss - cost of capital (negative for a fifth of clients or so).
   The top 20 % of clients by revenue to the bank hold about 75 % of it.
7. **Projects.** Sectors D, E, H, L and the PPP sections carry most vehicles; the
   phase follows the client's stage; debt is the project facility's limit at a
   gearing of 60-85 %; 1-3 sponsors with whole-percent equity shares summing to 1;
   ten semi-annual CFADS periods at the vehicle's DSCR.
8. **Relationship.** Referrals (8 % of clients were referred by an earlier client),
   feedback (Poisson(1.2) records, scores 0-10, complaints score low), product and
   transaction counts, last transaction date.
9. **Signals.** The ``SIG_*`` columns are drawn per stage and made consistent with the
   other frames (``has_drawn`` implies ``has_facility``, months never negative, months
   since first drawdown never above tenure, watchlist and days past due as in the
   clients and facility status).
"""

from __future__ import annotations

import datetime as dt
import operator
from typing import Final

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from lendcrm import _synthetic_tables as tables
from lendcrm import schema
from lendcrm._arrays import BoolArray, FloatArray, IntArray
from lendcrm.errors import InvalidValueError

__all__ = [
    "CFADS",
    "CHANNEL",
    "CONVERTED_AMOUNT",
    "DEBT_SERVICE",
    "EQUITY_SHARE",
    "FEEDBACK_ON",
    "PERIOD_END",
    "REFEREE_ID",
    "REFERRED_ON",
    "REFERRER_ID",
    "SCORE",
    "SPONSOR_ID",
    "STAGE",
    "SyntheticFrames",
    "generate_frames",
]

# --- child-frame column names (the core schema has none for these yet) ---------------
#: Referring client (referrals frame).
REFERRER_ID: Final = "referrer_id"
#: Referred client (referrals frame).
REFEREE_ID: Final = "referee_id"
#: Date of the referral (referrals frame).
REFERRED_ON: Final = "referred_on"
#: Business the referral converted into, EUR (0 when it did not convert).
CONVERTED_AMOUNT: Final = "converted_amount"
#: Date feedback was given (feedback frame).
FEEDBACK_ON: Final = "given_on"
#: Feedback channel: survey, meeting, focus_group, complaint.
CHANNEL: Final = "channel"
#: Feedback score, an integer 0-10.
SCORE: Final = "score"
#: Sponsoring client of a project (sponsors frame).
SPONSOR_ID: Final = "sponsor_id"
#: Sponsor's equity share, a fraction; shares of one project sum to 1.
EQUITY_SHARE: Final = "equity_share"
#: End of a semi-annual cash-flow period (cash-flow frame).
PERIOD_END: Final = "period_end"
#: Cash flow available for debt service in the period, project currency.
CFADS: Final = "cfads"
#: Scheduled debt service (interest + principal) in the period, project currency.
DEBT_SERVICE: Final = "debt_service"
#: The lifecycle stage the generator drew a client's signals from (stages frame).
STAGE: Final = "stage"

_DAYS_PER_YEAR: Final = 365.25
_DAYS_PER_MONTH: Final = _DAYS_PER_YEAR / 12.0
_MEDIAN_REVENUE: Final = 15e6
_REVENUE_SIGMA: Final = 0.9
_TAIL_SHARE: Final = 0.02
_TAIL_SCALE: Final = 300e6
_TAIL_ALPHA: Final = 1.8
_REVENUE_CAP: Final = 200e9
_LEVERAGE_MEDIAN: Final = 0.30
_LEVERAGE_SIGMA: Final = 0.3
_SPV_LEVERAGE_MEDIAN: Final = 3.0
_MIN_ENVELOPE: Final = 100_000.0
_PD_SIGMA: Final = 0.9
_PD_SIZE_ELASTICITY: Final = -0.25
_DECLINE_PD_SHIFT: Final = 0.75
_SUBSIDIARY_SHARE: Final = 0.20
_SECOND_LEVEL_SHARE: Final = 0.04
_REFERRED_SHARE: Final = 0.08
_REFERRAL_CONVERSION: Final = 0.7
_FEEDBACK_RATE: Final = 1.2
_GUARANTEED_SHARE: Final = 0.12
_FEE_PER_TRANSACTION: Final = 12.0
_COST_TO_SERVE_FIXED: Final = 4_000.0
_COST_TO_SERVE_PER_PRODUCT: Final = 1_500.0
_CAPITAL_RATIO: Final = 0.08
_EXCESS_COST_OF_EQUITY: Final = 0.08
_DSCR_LOCK_UP: Final = 1.15
_DSCR_DEFAULT: Final = 1.05
_CFADS_PERIODS: Final = 10
_WATCHLIST_DPD: Final = 30
_NON_PERFORMING_DPD: Final = 90
_ID_WIDTH: Final = 7
# Stage codes (rows of ``tables.STAGES``) and phase codes (``tables.PROJECT_PHASES``).
_ACQUISITION: Final = 0
_ACTIVATION: Final = 1
_GROWTH: Final = 2
_MATURITY: Final = 3
_DECLINE: Final = 4
_CONSTRUCTION: Final = 2
_OPERATIONS: Final = 4


@attrs.frozen(kw_only=True)
class SyntheticFrames:
    """A synthetic book in columnar form: one DataFrame per entity kind.

    Every frame has a fresh ``RangeIndex``; ids are ``str`` columns
    (``C0000001``, ``F000000001``, ``P0000001``), enumerations are categoricals, amounts
    float64 (whole currency units for limits, cents for drawn amounts), dates
    ``datetime64[ns]`` and counts int64.

    Attributes:
        clients: One row per client: ``schema`` client columns (id, legal name, sector,
            country, parent, onboarding date, EUR measures, rating grade 1-10, PD,
            watchlist flag). ``parent_id`` and ``last_transaction_on`` are the only
            nullable columns.
        facilities: One row per facility: ``schema`` facility columns, plus the
            client's ``default_probability``; ``project_id`` is null except for
            project-finance facilities.
        projects: One row per project vehicle, with its ``client_id`` (the vehicle),
            ``currency`` and the ``schema`` project columns.
        sponsors: ``project_id``, ``sponsor_id`` (a client), ``equity_share``.
        cash_flows: ``project_id``, ``period_end``, ``cfads``, ``debt_service``: ten
            semi-annual periods after ``as_of`` per project.
        referrals: ``referrer_id``, ``referee_id``, ``referred_on``,
            ``converted_amount`` (EUR).
        feedback: ``client_id``, ``given_on``, ``channel``, ``score`` (0-10).
        signals: ``client_id`` and every ``schema.SIG_*`` column, one row per client
            in the order of ``clients``, no missing values.
        stages: ``client_id`` and ``stage``: the stage the generator drew each
            client's signals from (ground truth for testing stage assessment).

    Examples:
        >>> import datetime as dt
        >>> book = generate_frames(50, seed=1, as_of=dt.date(2025, 12, 31))
        >>> len(book.clients), len(book.signals)
        (50, 50)
    """

    clients: pd.DataFrame
    facilities: pd.DataFrame
    projects: pd.DataFrame
    sponsors: pd.DataFrame
    cash_flows: pd.DataFrame
    referrals: pd.DataFrame
    feedback: pd.DataFrame
    signals: pd.DataFrame
    stages: pd.DataFrame


# --- argument checks -----------------------------------------------------------------


def _check_n_clients(n_clients: object) -> int:
    if isinstance(n_clients, bool) or not isinstance(n_clients, int | np.integer):
        raise InvalidValueError(
            field="n_clients", value=n_clients, expected="an int >= 1"
        )
    n = operator.index(n_clients)
    if n < 1:
        raise InvalidValueError(
            field="n_clients", value=n_clients, expected="an int >= 1"
        )
    return n


def _check_seed(seed: object) -> np.random.Generator:
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise InvalidValueError(
            field="seed",
            value=seed,
            expected="a non-negative int or a numpy.random.Generator",
        )
    return np.random.default_rng(int(seed))


def _check_as_of(as_of: object) -> np.datetime64:
    if isinstance(as_of, dt.datetime) or not isinstance(as_of, dt.date):
        raise InvalidValueError(
            field="as_of",
            value=as_of,
            expected="a datetime.date",
            hint="Pass the book date, e.g. datetime.date(2025, 12, 31).",
        )
    return np.datetime64(as_of, "D")


# --- small vectorised helpers ---------------------------------------------------------


def _bernoulli(rng: np.random.Generator, size: int, p: float) -> BoolArray:
    """``size`` independent draws that are true with probability ``p``."""
    return rng.random(size) < p


def _categorical_draw(
    rng: np.random.Generator, size: int, weights: npt.ArrayLike
) -> IntArray:
    """Codes ``0..k-1`` drawn with probabilities proportional to ``weights``."""
    cdf = np.cumsum(np.asarray(weights, dtype=np.float64))
    codes = np.searchsorted(cdf / cdf[-1], rng.random(size), side="right")
    return np.minimum(codes, len(cdf) - 1).astype(np.int64)


def _ids(prefix: str, count: int, width: int) -> npt.NDArray[np.object_]:
    """``prefix`` + zero-padded 1-based numbers, built without a Python loop.

    The characters are written as UCS-4 code points straight into a ``U`` array
    (numpy's unicode storage), then turned into Python strings once.
    """
    numbers = np.arange(1, count + 1, dtype=np.int64)
    chars = np.empty((count, width + 1), dtype=np.uint32)
    chars[:, 0] = ord(prefix)
    for position in range(width, 0, -1):  # over digit positions, not rows
        chars[:, position] = 48 + numbers % 10
        numbers //= 10
    return chars.view(f"<U{width + 1}").ravel().astype(object)


def _str_column(values: npt.NDArray[np.str_] | npt.NDArray[np.object_]) -> pd.Series:
    return pd.Series(values, dtype="str")


def _categorical(codes: IntArray, categories: tuple[str, ...]) -> pd.Categorical[str]:
    return pd.Categorical.from_codes(codes, categories=pd.Index(list(categories)))


def _whole_months(
    start: npt.NDArray[np.datetime64], end: npt.NDArray[np.datetime64]
) -> IntArray:
    """Whole calendar months from ``start`` to ``end`` (0 when ``end`` is earlier)."""
    start_m = start.astype("datetime64[M]")
    end_m = end.astype("datetime64[M]")
    months = (end_m - start_m).astype(np.int64)
    start_day = (start - start_m.astype("datetime64[D]")).astype(np.int64)
    end_day = (end - end_m.astype("datetime64[D]")).astype(np.int64)
    months -= (end_day < start_day).astype(np.int64)
    whole: IntArray = np.maximum(months, 0)
    return whole


def _ns(days: npt.NDArray[np.datetime64]) -> npt.NDArray[np.datetime64]:
    return days.astype("datetime64[ns]")


def _group_sum(index: IntArray, values: FloatArray, n: int) -> FloatArray:
    return np.asarray(np.bincount(index, weights=values, minlength=n), dtype=np.float64)


def _round_to(values: FloatArray, step: float) -> FloatArray:
    return np.round(values / step) * step


# --- the generator --------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class _Clients:
    """Client-level draws shared by the later steps (internal)."""

    n: int
    stage: IntArray
    sector: IntArray
    country: IntArray
    tenure_days: IntArray
    onboarded: npt.NDArray[np.datetime64]
    revenue: FloatArray
    size_z: FloatArray
    is_spv: BoolArray
    phase: IntArray  # project phase code, -1 when not a vehicle
    parent: IntArray  # -1 when none
    grade: IntArray  # 1..10
    pd: FloatArray
    notches: IntArray
    dpd: IntArray
    watchlist: BoolArray
    act_drawn: BoolArray  # activation clients that have drawn


def _draw_clients(rng: np.random.Generator, n: int, as_of: np.datetime64) -> _Clients:
    stage_w = np.array([s[1] for s in tables.STAGES])
    stage = _categorical_draw(rng, n, stage_w)
    sector = _categorical_draw(rng, n, [s[1] for s in tables.SECTORS])
    country = _categorical_draw(rng, n, [c[1] for c in tables.COUNTRIES])

    tenure_lo = np.array([t[0] for t in tables.STAGE_TENURE_DAYS])[stage]
    tenure_hi = np.array([t[1] for t in tables.STAGE_TENURE_DAYS])[stage]
    tenure_days = tenure_lo + np.floor(
        rng.random(n) * (tenure_hi - tenure_lo + 1)
    ).astype(np.int64)
    onboarded = as_of - tenure_days.astype("timedelta64[D]")

    body = _MEDIAN_REVENUE * np.exp(_REVENUE_SIGMA * rng.standard_normal(n))
    tail = np.minimum(
        _TAIL_SCALE * (1.0 - rng.random(n)) ** (-1.0 / _TAIL_ALPHA), _REVENUE_CAP
    )
    revenue = _round_to(np.where(_bernoulli(rng, n, _TAIL_SHARE), tail, body), 1000.0)
    revenue = np.maximum(revenue, 1000.0)
    size_z = (np.log(revenue) - np.log(_MEDIAN_REVENUE)) / _REVENUE_SIGMA

    # Project vehicles (SPVs): by sector, never acquisition clients, never client 0
    # (client 0 is always a group head, so every vehicle can have a sponsor).
    spv_p = np.array([s[3] for s in tables.SECTORS])[sector]
    is_spv = (rng.random(n) < spv_p) & (stage != _ACQUISITION)
    is_spv[0] = False
    phase_w = np.array(tables.PHASE_BY_STAGE)[stage]
    phase_cdf = np.cumsum(phase_w, axis=1)
    phase = (rng.random(n)[:, None] >= phase_cdf).sum(axis=1).astype(np.int64)
    phase = np.where(is_spv, np.minimum(phase, len(tables.PROJECT_PHASES) - 1), -1)

    parent = _draw_parents(rng, n, revenue, is_spv)

    # Risk: sector median PD, size elasticity, lognormal noise, decline shift.
    sector_pd = np.array([s[2] for s in tables.SECTORS])[sector]
    log_pd = (
        np.log(sector_pd)
        + _PD_SIZE_ELASTICITY * _REVENUE_SIGMA * size_z
        + _PD_SIGMA * rng.standard_normal(n)
        + _DECLINE_PD_SHIFT * (stage == _DECLINE)
    )
    scale = np.array(tables.MASTER_SCALE_PD)
    cuts = np.sqrt(scale[:-1] * scale[1:])
    grade_idx = np.searchsorted(cuts, np.exp(log_pd), side="right")
    grade = (grade_idx + 1).astype(np.int64)
    pd_ = scale[grade_idx]

    # Rating migration over twelve months: decline clients were downgraded.
    notches = np.select(
        [stage == _DECLINE, stage == _GROWTH, stage == _MATURITY],
        [
            rng.integers(1, 5, n),
            rng.integers(-1, 1, n),
            rng.integers(-1, 2, n) * _bernoulli(rng, n, 0.3),
        ],
        0,
    ).astype(np.int64)
    dpd_choices = np.array([5, 15, 30, 45, 60, 95, 120, 180], dtype=np.int64)
    dpd = np.where(
        (stage == _DECLINE) & _bernoulli(rng, n, 0.3),
        dpd_choices[rng.integers(0, len(dpd_choices), n)],
        np.where(
            (stage == _MATURITY) & _bernoulli(rng, n, 0.01), rng.integers(1, 30, n), 0
        ),
    ).astype(np.int64)
    watchlist = (
        ((stage == _DECLINE) & _bernoulli(rng, n, 0.5))
        | ((stage == _MATURITY) & _bernoulli(rng, n, 0.02))
        | (dpd > _WATCHLIST_DPD)
        | (grade == len(scale))
    )
    watchlist &= stage != _ACQUISITION
    act_drawn = (stage == _ACTIVATION) & _bernoulli(rng, n, 0.5)
    # Vehicles still in development or at financial close have drawn nothing;
    # in construction they have.
    act_drawn = np.where(
        is_spv & (stage == _ACTIVATION), phase >= _CONSTRUCTION, act_drawn
    )
    return _Clients(
        n=n,
        stage=stage,
        sector=sector,
        country=country,
        tenure_days=tenure_days,
        onboarded=onboarded,
        revenue=revenue,
        size_z=size_z,
        is_spv=is_spv,
        phase=phase,
        parent=parent,
        grade=grade,
        pd=pd_,
        notches=notches,
        dpd=dpd,
        watchlist=watchlist,
        act_drawn=act_drawn,
    )


def _draw_parents(
    rng: np.random.Generator, n: int, revenue: FloatArray, is_spv: BoolArray
) -> IntArray:
    """Two-level groups: level-0 heads, level-1 and level-2 subsidiaries (no cycles)."""
    u = rng.random(n)
    level = np.where(
        u < _SECOND_LEVEL_SHARE,
        2,
        np.where(u < _SECOND_LEVEL_SHARE + _SUBSIDIARY_SHARE, 1, 0),
    )
    level = np.where(is_spv, 1, level)
    level[0] = 0
    parent = np.full(n, -1, dtype=np.int64)
    heads = np.flatnonzero(level == 0)
    weights = np.sqrt(revenue[heads])
    ones = np.flatnonzero(level == 1)
    parent[ones] = heads[_categorical_draw(rng, ones.size, weights)]
    twos = np.flatnonzero(level == 2)  # noqa: PLR2004 - level 2
    if ones.size:
        parent[twos] = ones[rng.integers(0, ones.size, twos.size)]
    else:  # no first-level subsidiary to hang them on: attach to a head
        parent[twos] = heads[_categorical_draw(rng, twos.size, weights)]
    return parent


@attrs.frozen(kw_only=True)
class _Facilities:
    """Facility-level draws (internal); amounts in facility currency unless ``_eur``."""

    client: IntArray
    kind: IntArray
    currency: IntArray
    fx: FloatArray
    limit: FloatArray
    drawn: FloatArray
    start: npt.NDArray[np.datetime64]
    maturity: npt.NDArray[np.datetime64]
    tenor_years: FloatArray
    seniority: IntArray
    reference_rate: FloatArray
    margin_bps: FloatArray
    commitment_fee_bps: FloatArray
    arrangement_fee: FloatArray
    ccf: FloatArray
    lgd: FloatArray
    collateral: FloatArray
    guaranteed: FloatArray
    status: IntArray
    allows_overdraw: BoolArray
    percent_complete: FloatArray  # per client (vehicles), 0 elsewhere


def _kind_column(index: int) -> npt.NDArray[np.generic]:
    return np.array([row[index] for row in tables.FACILITY_KINDS])


def _draw_facilities(  # noqa: PLR0915 - one straight-line recipe, documented above
    rng: np.random.Generator, c: _Clients, as_of: np.datetime64
) -> _Facilities:
    n = c.n
    extra = np.minimum(rng.poisson(np.clip(1.0 + 0.5 * c.size_z, 0.1, 4.0)), 5)
    counts = np.where(c.stage == _ACQUISITION, 0, np.where(c.is_spv, 1, 1 + extra))
    total = int(counts.sum())
    client = np.repeat(np.arange(n, dtype=np.int64), counts)
    first = np.cumsum(counts) - counts
    position = np.arange(total, dtype=np.int64) - first[client]
    stage = c.stage[client]
    spv = c.is_spv[client]
    phase = c.phase[client]

    kind = _categorical_draw(rng, total, _kind_column(1).astype(np.float64))
    kind = np.where(spv, np.where(phase < _OPERATIONS, 2, 0), kind)  # construction/term

    # Credit envelope (EUR) split over the client's facilities.
    median = np.where(c.is_spv, _SPV_LEVERAGE_MEDIAN, _LEVERAGE_MEDIAN)
    leverage = median * np.exp(_LEVERAGE_SIGMA * rng.standard_normal(n))
    envelope = np.maximum(c.revenue * leverage, _MIN_ENVELOPE)
    weight = rng.gamma(2.0, 1.0, total)
    share = weight / _group_sum(client, weight, n)[client]

    currency_codes = tuple(row[0] for row in tables.CURRENCIES)
    local = np.array([currency_codes.index(row[2]) for row in tables.COUNTRIES])
    local_cur = local[c.country][client]
    eur, usd = currency_codes.index("EUR"), currency_codes.index("USD")
    alternative = np.where(local_cur == eur, usd, eur)
    currency = np.where(_bernoulli(rng, total, 0.15), alternative, local_cur)
    fx = np.array([row[1] for row in tables.CURRENCIES])[currency]
    limit = np.maximum(_round_to(envelope[client] * share / fx, 1000.0), 1000.0)

    # Utilisation: Beta by kind; undrawn where the client has not drawn yet;
    # construction loans track certified progress.
    util_a = _kind_column(3)
    a = np.array([ab[0] for ab in util_a])[kind]
    b = np.array([ab[1] for ab in util_a])[kind]
    util = rng.beta(a, b)
    util = np.where((kind == 1) & _bernoulli(rng, total, 0.15), 0.0, util)
    drawn_client = (c.stage >= _GROWTH) | c.act_drawn
    util = np.where(
        (position == 0) & drawn_client[client], np.maximum(util, 0.05), util
    )
    pct = np.select(
        [
            c.phase == _CONSTRUCTION,
            c.phase == _CONSTRUCTION + 1,
            c.phase == _OPERATIONS,
        ],
        [
            np.round(rng.uniform(5.0, 95.0, n), 1),
            np.round(rng.uniform(97.0, 100.0, n), 1),
            100.0,
        ],
        0.0,
    )
    construction_util = pct[client] / 100.0 * rng.uniform(0.85, 1.0, total)
    util = np.where(spv & (phase < _OPERATIONS), construction_util, util)
    util = np.where(drawn_client[client], util, 0.0)
    drawn = np.round(limit * np.clip(util, 0.0, 1.0), 2)

    # Dates: tenor by kind; a live facility started at most (tenor - 1) days ago and
    # not before onboarding; activation clients signed within the last 180 days.
    tenor = _kind_column(2)
    lo = np.array([t[0] for t in tenor])[kind]
    hi = np.array([t[1] for t in tenor])[kind]
    tenor_years = rng.uniform(lo, hi)
    tenor_days = np.maximum(np.round(tenor_years * _DAYS_PER_YEAR), 2).astype(np.int64)
    cap = np.minimum(tenor_days - 1, c.tenure_days[client])
    cap = np.where(stage == _ACTIVATION, np.minimum(cap, 180), cap)
    elapsed = np.floor(rng.random(total) * (cap + 1)).astype(np.int64)
    start = as_of - elapsed.astype("timedelta64[D]")
    maturity = start + tenor_days.astype("timedelta64[D]")

    seniority = _categorical_draw(rng, total, [s[1] for s in tables.SENIORITIES])
    seniority = np.select([kind == 5, kind == 4], [0, 1], seniority)  # noqa: PLR2004
    lgd_ab = [s[2] for s in tables.SENIORITIES]
    lgd = np.round(
        rng.beta(
            np.array([x[0] for x in lgd_ab])[seniority],
            np.array([x[1] for x in lgd_ab])[seniority],
        ),
        4,
    )
    ccf = _kind_column(4).astype(np.float64)[kind]
    grade = c.grade[client]
    margin = (
        60.0
        + 35.0 * (grade - 1)
        + _kind_column(5).astype(np.float64)[kind]
        - 10.0 * c.size_z[client]
        + 15.0 * rng.standard_normal(total)
    )
    margin = np.clip(margin, 25.0, 900.0).round()
    committed = _kind_column(6).astype(bool)[kind]
    commitment_fee = np.where(committed, np.round(0.35 * margin), 0.0)
    fee_range = _kind_column(7)
    fee_bps = rng.uniform(
        np.array([f[0] for f in fee_range])[kind],
        np.array([f[1] for f in fee_range])[kind],
    )
    arrangement_fee = np.round(limit * fee_bps / 1e4)
    collateral = np.where(
        seniority == 0, _round_to(limit * rng.uniform(0.9, 1.6, total), 1000.0), 0.0
    )
    guaranteed = np.where(
        _bernoulli(rng, total, _GUARANTEED_SHARE),
        _round_to(limit * rng.uniform(0.2, 0.8, total), 1000.0),
        0.0,
    )
    status = np.select(
        [
            (c.dpd[client] > _NON_PERFORMING_DPD) & (drawn > 0),
            (stage == _DECLINE) & _bernoulli(rng, total, 0.15),
            c.watchlist[client],
            ~drawn_client[client],
        ],
        [4, 3, 2, 0],
        1,
    )
    allows_overdraw = (kind == 1) & _bernoulli(rng, total, 0.05)
    reference_rate = np.array([row[2] for row in tables.CURRENCIES])[currency]
    return _Facilities(
        client=client,
        kind=kind,
        currency=currency,
        fx=fx,
        limit=limit,
        drawn=drawn,
        start=start,
        maturity=maturity,
        tenor_years=tenor_years,
        seniority=seniority,
        reference_rate=reference_rate,
        margin_bps=margin,
        commitment_fee_bps=commitment_fee,
        arrangement_fee=arrangement_fee,
        ccf=ccf,
        lgd=lgd,
        collateral=collateral,
        guaranteed=guaranteed,
        status=status,
        allows_overdraw=allows_overdraw,
        percent_complete=pct,
    )


@attrs.frozen(kw_only=True)
class _Measures:
    """Client relationship measures (internal), EUR."""

    limit_eur: FloatArray
    drawn_eur: FloatArray
    product_count: IntArray
    transaction_count: IntArray
    last_transaction: npt.NDArray[np.datetime64]
    revenue: FloatArray
    profit: FloatArray


def _measures(
    rng: np.random.Generator, c: _Clients, f: _Facilities, as_of: np.datetime64
) -> _Measures:
    n = c.n
    has_facility = np.bincount(f.client, minlength=n) > 0
    limit_eur = f.limit * f.fx
    drawn_eur = f.drawn * f.fx
    kinds = len(tables.FACILITY_KINDS)
    distinct = (
        np.bincount(f.client * kinds + f.kind, minlength=n * kinds).reshape(n, kinds)
        > 0
    ).sum(axis=1)
    ancillary = np.minimum(rng.poisson(0.8 * np.exp(0.3 * c.size_z)), 6)
    product_count = np.where(has_facility, distinct + ancillary, 0).astype(np.int64)

    stage_factor = np.array([0.0, 0.4, 1.3, 1.0, 0.6])[c.stage]
    stage_factor = np.where((c.stage == _ACTIVATION) & ~c.act_drawn, 0.1, stage_factor)
    rate = 12.0 * np.exp(0.4 * c.size_z) * stage_factor * rng.gamma(2.0, 0.5, n)
    transaction_count = np.where(has_facility, rng.poisson(rate), 0).astype(np.int64)
    gap = np.floor(rng.exponential(365.0 / (transaction_count + 1.0))).astype(np.int64)
    gap = np.minimum(gap, c.tenure_days)
    last_transaction = np.where(
        transaction_count > 0,
        as_of - gap.astype("timedelta64[D]"),
        np.datetime64("NaT", "D"),
    )

    undrawn_eur = limit_eur - drawn_eur
    facility_revenue = (
        drawn_eur * f.margin_bps / 1e4
        + undrawn_eur * f.commitment_fee_bps / 1e4
        + f.arrangement_fee * f.fx / f.tenor_years
    )
    ancillary_fees = 1500.0 * ancillary * np.exp(0.5 * c.size_z) * has_facility
    revenue = (
        _group_sum(f.client, facility_revenue, n)
        + _FEE_PER_TRANSACTION * transaction_count
        + ancillary_fees
    )
    ead = drawn_eur + f.ccf * undrawn_eur
    risk_weight = 0.30 + 0.15 * (c.grade[f.client] - 1)
    charges = ead * (
        c.pd[f.client] * f.lgd + risk_weight * _CAPITAL_RATIO * _EXCESS_COST_OF_EQUITY
    )
    cost_to_serve = np.where(
        has_facility,
        _COST_TO_SERVE_FIXED + _COST_TO_SERVE_PER_PRODUCT * product_count,
        _COST_TO_SERVE_FIXED / 2.0,
    )
    profit = revenue - cost_to_serve - _group_sum(f.client, charges, n)
    return _Measures(
        limit_eur=_group_sum(f.client, limit_eur, n),
        drawn_eur=_group_sum(f.client, drawn_eur, n),
        product_count=product_count,
        transaction_count=transaction_count,
        last_transaction=last_transaction,
        revenue=np.round(revenue, 2),
        profit=np.round(profit, 2),
    )


def _referrals(
    rng: np.random.Generator, c: _Clients, limit_eur: FloatArray
) -> tuple[IntArray, IntArray, npt.NDArray[np.datetime64], FloatArray]:
    """Referrer, referee, date and converted amount; referrers onboarded earlier."""
    n = c.n
    order = np.argsort(c.onboarded, kind="stable")
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    referee = np.flatnonzero(_bernoulli(rng, n, _REFERRED_SHARE) & (rank > 0))
    referrer = order[
        np.floor(rng.random(referee.size) * rank[referee]).astype(np.int64)
    ]
    lead_days = np.floor(rng.random(referee.size) * 61).astype("timedelta64[D]")
    referred_on = np.maximum(c.onboarded[referee] - lead_days, c.onboarded[referrer])
    converted = np.round(limit_eur[referee], 2)
    return referrer, referee, referred_on, converted


def _feedback(
    rng: np.random.Generator, c: _Clients
) -> tuple[IntArray, npt.NDArray[np.datetime64], IntArray, IntArray]:
    """Client, date, channel code and score 0-10 of each feedback record."""
    n = c.n
    rate = np.where(c.stage == _ACQUISITION, 0.3, _FEEDBACK_RATE)
    counts = np.minimum(rng.poisson(rate), 5)
    client = np.repeat(np.arange(n, dtype=np.int64), counts)
    offset = np.floor(rng.random(client.size) * (c.tenure_days[client] + 1))
    given_on = c.onboarded[client] + offset.astype(np.int64).astype("timedelta64[D]")
    channel = _categorical_draw(
        rng, client.size, [ch[1] for ch in tables.FEEDBACK_CHANNELS]
    )
    mean = np.where(c.stage[client] == _DECLINE, 6.0, 7.8)
    mean = np.where(channel == 3, 3.0, mean)  # noqa: PLR2004 - complaints score low
    score = np.clip(np.round(mean + 1.6 * rng.standard_normal(client.size)), 0, 10)
    return client, given_on, channel, score.astype(np.int64)


@attrs.frozen(kw_only=True)
class _Projects:
    """Project vehicles (internal); amounts in the project facility's currency."""

    client: IntArray
    facility: IntArray
    total_cost: FloatArray
    debt: FloatArray
    dscr: FloatArray  # latest DSCR (operations) or base-case projection
    sponsor_project: IntArray
    sponsor_client: IntArray
    sponsor_share: FloatArray


def _projects(rng: np.random.Generator, c: _Clients, f: _Facilities) -> _Projects:
    vehicle = np.flatnonzero(c.is_spv)
    p = vehicle.size
    counts = np.bincount(f.client, minlength=c.n)
    facility = (np.cumsum(counts) - counts)[vehicle]  # a vehicle has one facility
    debt = f.limit[facility]
    gearing = rng.uniform(0.60, 0.85, p)
    total_cost = np.maximum(_round_to(debt / gearing, 1000.0), debt + 1000.0)
    weak = c.stage[vehicle] == _DECLINE
    dscr: FloatArray = np.where(
        weak,
        1.10 + 0.12 * rng.standard_normal(p),
        1.45 + 0.20 * rng.standard_normal(p),
    )
    dscr = np.maximum(dscr.round(4), 0.2)

    # Sponsors: the lead sponsor is the vehicle's parent; up to two co-sponsors drawn
    # from the group heads, dropped when they repeat a sponsor.
    heads = np.flatnonzero(c.parent < 0)
    lead = c.parent[vehicle]
    want = _categorical_draw(rng, p, [0.4, 0.4, 0.2])  # 0, 1 or 2 co-sponsors
    co = heads[rng.integers(0, heads.size, (p, 2))]
    valid = np.arange(2)[None, :] < want[:, None]
    valid &= co != lead[:, None]
    valid[:, 1] &= co[:, 1] != co[:, 0]
    m = 1 + valid.sum(axis=1)
    lead_pct = np.select(
        [m == 1, m == 2],  # noqa: PLR2004
        [np.full(p, 100), rng.integers(51, 92, p)],
        rng.integers(34, 82, p),
    )
    first_co = np.where(
        m == 2,  # noqa: PLR2004
        100 - lead_pct,
        1 + np.floor(rng.random(p) * (99 - lead_pct)).astype(np.int64),
    )
    second_co = 100 - lead_pct - first_co
    slot = np.cumsum(valid, axis=1) - 1
    co_pct = np.where(slot == 0, first_co[:, None], second_co[:, None])
    sponsor_project = np.concatenate([np.arange(p), np.nonzero(valid)[0]])
    sponsor_client = np.concatenate([lead, co[valid]])
    sponsor_pct = np.concatenate([lead_pct, co_pct[valid]])
    order = np.argsort(sponsor_project, kind="stable")
    return _Projects(
        client=vehicle,
        facility=facility,
        total_cost=total_cost,
        debt=debt,
        dscr=dscr,
        sponsor_project=sponsor_project[order],
        sponsor_client=sponsor_client[order],
        sponsor_share=sponsor_pct[order] / 100.0,
    )


def _cash_flows(
    rng: np.random.Generator,
    c: _Clients,
    f: _Facilities,
    pr: _Projects,
    as_of: np.datetime64,
) -> tuple[IntArray, npt.NDArray[np.datetime64], FloatArray, FloatArray]:
    """Ten semi-annual periods per project: CFADS at the vehicle's DSCR after COD."""
    p = pr.client.size
    k = np.tile(np.arange(1, _CFADS_PERIODS + 1), p)
    project = np.repeat(np.arange(p, dtype=np.int64), _CFADS_PERIODS)
    period_end = as_of + np.round(k * _DAYS_PER_YEAR / 2).astype("timedelta64[D]")
    rate = (f.reference_rate + f.margin_bps / 1e4)[pr.facility] / 2.0
    annuity = np.where(rate > 0, rate / (1.0 - (1.0 + rate) ** -30), 1.0 / 30.0)
    service = (pr.debt * annuity)[project]
    phase = c.phase[pr.client]
    to_cod = np.select(
        [phase < _CONSTRUCTION, phase == _CONSTRUCTION, phase == _CONSTRUCTION + 1],
        [
            np.full(p, 8),
            np.ceil((100.0 - f.percent_complete[pr.client]) / 100.0 * 6),
            np.ones(p),
        ],
        0,
    )[project]
    operating = k > to_cod
    noise = np.exp(0.05 * rng.standard_normal(k.size))
    cfads = np.where(operating, service * pr.dscr[project] * 1.01**k * noise, 0.0)
    service = np.where(operating, service, 0.0)
    cfads_out: FloatArray = cfads.round(2)
    return project, period_end, cfads_out, service.round(2)


@attrs.frozen(kw_only=True)
class _Signals:
    """Lifecycle signals (internal), one value per client."""

    has_facility: BoolArray
    has_drawn: BoolArray
    months_since_first_drawdown: IntArray
    tenure_months: IntArray
    exposure_growth: FloatArray
    revenue_growth: FloatArray
    product_count_change: IntArray
    utilisation_change: FloatArray
    covenant_breaches: IntArray
    has_dscr: BoolArray
    dscr_headroom: FloatArray


def _signals(
    rng: np.random.Generator,
    c: _Clients,
    f: _Facilities,
    m: _Measures,
    pr: _Projects,
    *,
    as_of: np.datetime64,
) -> _Signals:
    n = c.n
    stage = c.stage
    has_facility = np.bincount(f.client, minlength=n) > 0
    has_drawn = m.drawn_eur > 0
    tenure_months = _whole_months(c.onboarded, np.full(n, as_of))

    is_drawn = f.drawn > 0
    earliest = np.full(n, as_of)
    np.minimum.at(earliest, f.client[is_drawn], f.start[is_drawn])
    since_start = _whole_months(earliest, np.full(n, as_of))
    history = np.floor(tenure_months * rng.uniform(0.7, 1.0, n)).astype(np.int64)
    months_first = np.where(
        stage == _ACTIVATION, since_start, np.maximum(since_start, history)
    )
    months_first = np.where(has_drawn, months_first, 0)

    def by_stage(values: list[FloatArray | float]) -> FloatArray:
        return np.select([stage == s for s in range(len(values))], values, 0.0)

    new = np.where(has_drawn, 1.0, 0.0)
    exposure_growth = by_stage(
        [
            0.0,
            new,
            rng.uniform(0.10, 0.60, n),
            np.clip(0.02 + 0.05 * rng.standard_normal(n), -0.10, 0.10),
            rng.uniform(-0.45, -0.05, n),
        ]
    )
    revenue_growth = by_stage(
        [
            0.0,
            np.where(m.revenue > 0, 1.0, 0.0),
            rng.uniform(0.08, 0.50, n),
            np.clip(0.02 + 0.06 * rng.standard_normal(n), -0.12, 0.12),
            rng.uniform(-0.50, -0.05, n),
        ]
    )
    pc = m.product_count
    change = np.select(
        [stage == _ACTIVATION, stage == _GROWTH, stage == _MATURITY, stage == _DECLINE],
        [
            np.where(tenure_months < 12, pc, np.minimum(pc, rng.integers(0, 2, n))),  # noqa: PLR2004
            np.minimum(pc, rng.integers(0, 3, n)),
            np.minimum(pc, np.array([-1, 0, 0, 0, 1])[rng.integers(0, 5, n)]),
            -rng.integers(1, 3, n),
        ],
        0,
    ).astype(np.int64)
    utilisation = np.divide(
        m.drawn_eur, m.limit_eur, out=np.zeros(n), where=m.limit_eur > 0
    )
    previous = np.select(
        [stage == _GROWTH, stage == _MATURITY, stage == _DECLINE],
        [
            utilisation * rng.uniform(0.5, 0.9, n),
            np.clip(utilisation + 0.05 * rng.standard_normal(n), 0.0, 1.0),
            np.clip(utilisation + rng.uniform(-0.2, 0.2, n), 0.0, 1.0),
        ],
        0.0,
    )
    previous = np.where(has_facility, previous, 0.0)

    has_dscr = np.zeros(n, dtype=bool)
    headroom = np.zeros(n)
    operating = c.phase[pr.client] == _OPERATIONS
    has_dscr[pr.client] = operating & has_drawn[pr.client]
    headroom[pr.client] = np.where(has_dscr[pr.client], pr.dscr - _DSCR_LOCK_UP, 0.0)
    breaches = np.select(
        [stage == _DECLINE, stage == _MATURITY],
        [rng.poisson(0.8, n), _bernoulli(rng, n, 0.02).astype(np.int64)],
        0,
    )
    dscr_breach = np.zeros(n, dtype=np.int64)
    dscr_breach[pr.client] = has_dscr[pr.client] & (pr.dscr < _DSCR_DEFAULT)
    breaches = np.where(has_facility, np.maximum(breaches, dscr_breach), 0)
    return _Signals(
        has_facility=has_facility,
        has_drawn=has_drawn,
        months_since_first_drawdown=months_first.astype(np.int64),
        tenure_months=tenure_months,
        exposure_growth=np.round(exposure_growth, 4),
        revenue_growth=np.round(revenue_growth, 4),
        product_count_change=change,
        utilisation_change=np.round(utilisation - previous, 4),
        covenant_breaches=breaches.astype(np.int64),
        has_dscr=has_dscr,
        dscr_headroom=np.round(headroom, 4),
    )


def _name_table(suffixes: tuple[str, ...]) -> npt.NDArray[np.str_]:
    """All ``word1 word2 suffix`` combinations (a few thousand constant strings)."""
    return np.array(
        [
            f"{w1} {w2} {suffix}"
            for w1 in tables.NAME_WORDS_1
            for w2 in tables.NAME_WORDS_2
            for suffix in suffixes
        ]
    )


def _name_codes(rng: np.random.Generator, size: int) -> IntArray:
    words = len(tables.NAME_WORDS_1) * len(tables.NAME_WORDS_2)
    return rng.integers(0, words, size)


def generate_frames(
    n_clients: int, *, seed: int | np.random.Generator, as_of: dt.date
) -> SyntheticFrames:
    """Draw a synthetic lending book as DataFrames (vectorised; millions of rows).

    Args:
        n_clients: Number of clients, an int >= 1. Facilities (about 2.1 per client),
            projects (about 4 % of clients), referrals and feedback follow from it.
        seed: A non-negative int, or a ``numpy.random.Generator`` (which is advanced).
            The same int gives the same frames, value for value.
        as_of: The book date: every date drawn is on or before it (maturities and
            cash-flow periods after it). Nothing reads the clock.

    Returns:
        The frames of the book; see `SyntheticFrames` for their columns and the module
        docstring for the distributions.

    Raises:
        InvalidValueError: ``n_clients`` is not an int >= 1, ``seed`` is neither a
            non-negative int nor a Generator, or ``as_of`` is not a ``datetime.date``.

    Examples:
        >>> import datetime as dt
        >>> from lendcrm import schema
        >>> book = generate_frames(1000, seed=7, as_of=dt.date(2025, 12, 31))
        >>> len(book.clients), len(book.signals)
        (1000, 1000)
        >>> clients = book.clients[schema.CLIENT_ID]
        >>> bool(book.facilities[schema.CLIENT_ID].isin(clients).all())
        True
        >>> bool((book.facilities[schema.DRAWN] <= book.facilities[schema.LIMIT]).all())
        True
        >>> generate_frames(0, seed=7, as_of=dt.date(2025, 12, 31))
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `n_clients` must be an int >= 1; got 0.
    """
    n = _check_n_clients(n_clients)
    as_of_d = _check_as_of(as_of)
    rng = _check_seed(seed)

    c = _draw_clients(rng, n, as_of_d)
    f = _draw_facilities(rng, c, as_of_d)
    m = _measures(rng, c, f, as_of_d)
    referrer, referee, referred_on, converted = _referrals(rng, c, m.limit_eur)
    fb_client, given_on, channel, score = _feedback(rng, c)
    pr = _projects(rng, c, f)
    cf_project, period_end, cfads, service = _cash_flows(rng, c, f, pr, as_of_d)
    s = _signals(rng, c, f, m, pr, as_of=as_of_d)
    client_names = _name_codes(rng, n)
    project_names = _name_codes(rng, pr.client.size)

    width = max(_ID_WIDTH, len(str(n)))
    client_ids = _ids("C", n, width)
    facility_ids = _ids("F", f.client.size, width + 2)
    project_ids = _ids("P", pr.client.size, width)
    project_of_facility = np.full(f.client.size, -1, dtype=np.int64)
    project_of_facility[pr.facility] = np.arange(pr.client.size)

    sectors = tuple(row[0] for row in tables.SECTORS)
    countries = tuple(row[0] for row in tables.COUNTRIES)
    currencies = tuple(row[0] for row in tables.CURRENCIES)
    suffixes = tuple(dict.fromkeys(row[3] for row in tables.COUNTRIES))
    suffix_of_country = np.array([suffixes.index(row[3]) for row in tables.COUNTRIES])
    names = _name_table(suffixes)[
        client_names * len(suffixes) + suffix_of_country[c.country]
    ]

    referral_count = np.bincount(referrer, minlength=n).astype(np.int64)
    referral_amount = np.round(_group_sum(referrer, converted, n), 2)
    client_id_col = _str_column(client_ids)
    parent_id = _str_column(client_ids[np.maximum(c.parent, 0)]).mask(c.parent < 0)

    clients = pd.DataFrame(
        {
            schema.CLIENT_ID: client_id_col,
            schema.LEGAL_NAME: _str_column(names),
            schema.SECTOR: _categorical(c.sector, sectors),
            schema.COUNTRY: _categorical(c.country, countries),
            schema.PARENT_ID: parent_id,
            schema.ONBOARDED_ON: _ns(c.onboarded),
            schema.CURRENCY: _categorical(
                np.full(n, currencies.index(tables.REPORTING_CURRENCY)), currencies
            ),
            schema.ANNUAL_REVENUE: c.revenue,
            schema.REVENUE_TO_BANK: m.revenue,
            schema.PROFIT_TO_BANK: m.profit,
            schema.PRODUCT_COUNT: m.product_count,
            schema.TRANSACTION_COUNT: m.transaction_count,
            schema.LAST_TRANSACTION_ON: _ns(m.last_transaction),
            schema.REFERRAL_COUNT: referral_count,
            schema.REFERRAL_AMOUNT: referral_amount,
            schema.RATING_GRADE: c.grade,
            schema.DEFAULT_PROBABILITY: c.pd,
            schema.ON_WATCHLIST: c.watchlist,
        },
        copy=False,
    )
    facilities = pd.DataFrame(
        {
            schema.FACILITY_ID: _str_column(facility_ids),
            schema.CLIENT_ID: _str_column(client_ids[f.client]),
            schema.PROJECT_ID: _str_column(
                project_ids[np.maximum(project_of_facility, 0)]
                if project_ids.size
                else np.full(f.client.size, "")
            ).mask(project_of_facility < 0),
            schema.KIND: _categorical(
                f.kind, tuple(k[0] for k in tables.FACILITY_KINDS)
            ),
            schema.CURRENCY: _categorical(f.currency, currencies),
            schema.LIMIT: f.limit,
            schema.DRAWN: f.drawn,
            schema.START_ON: _ns(f.start),
            schema.MATURITY_ON: _ns(f.maturity),
            schema.SENIORITY: _categorical(
                f.seniority, tuple(s[0] for s in tables.SENIORITIES)
            ),
            schema.REFERENCE_RATE: f.reference_rate,
            schema.MARGIN_BPS: f.margin_bps,
            schema.ARRANGEMENT_FEE: f.arrangement_fee,
            schema.COMMITMENT_FEE_BPS: f.commitment_fee_bps,
            schema.STATUS: _categorical(f.status, tables.FACILITY_STATUSES),
            schema.ALLOWS_OVERDRAW: f.allows_overdraw,
            schema.DEFAULT_PROBABILITY: c.pd[f.client],
            schema.LOSS_GIVEN_DEFAULT: f.lgd,
            schema.CREDIT_CONVERSION_FACTOR: f.ccf,
            schema.COLLATERAL_VALUE: f.collateral,
            schema.GUARANTEED_AMOUNT: f.guaranteed,
        },
        copy=False,
    )
    projects = pd.DataFrame(
        {
            schema.PROJECT_ID: _str_column(project_ids),
            schema.CLIENT_ID: _str_column(client_ids[pr.client]),
            schema.NAME: _str_column(_name_table(("Project",))[project_names]),
            schema.SECTOR: _categorical(c.sector[pr.client], sectors),
            schema.COUNTRY: _categorical(c.country[pr.client], countries),
            schema.CURRENCY: _categorical(f.currency[pr.facility], currencies),
            schema.TOTAL_COST: pr.total_cost,
            schema.DEBT: pr.debt,
            schema.EQUITY: pr.total_cost - pr.debt,
            schema.PHASE: _categorical(c.phase[pr.client], tables.PROJECT_PHASES),
            schema.PERCENT_COMPLETE: f.percent_complete[pr.client],
        },
        copy=False,
    )
    sponsors = pd.DataFrame(
        {
            schema.PROJECT_ID: _str_column(project_ids[pr.sponsor_project]),
            SPONSOR_ID: _str_column(client_ids[pr.sponsor_client]),
            EQUITY_SHARE: pr.sponsor_share,
        },
        copy=False,
    )
    cash_flows = pd.DataFrame(
        {
            schema.PROJECT_ID: _str_column(project_ids[cf_project]),
            PERIOD_END: _ns(period_end),
            CFADS: cfads,
            DEBT_SERVICE: service,
        },
        copy=False,
    )
    referrals = pd.DataFrame(
        {
            REFERRER_ID: _str_column(client_ids[referrer]),
            REFEREE_ID: _str_column(client_ids[referee]),
            REFERRED_ON: _ns(referred_on),
            CONVERTED_AMOUNT: converted,
        },
        copy=False,
    )
    feedback = pd.DataFrame(
        {
            schema.CLIENT_ID: _str_column(client_ids[fb_client]),
            FEEDBACK_ON: _ns(given_on),
            CHANNEL: _categorical(
                channel, tuple(ch[0] for ch in tables.FEEDBACK_CHANNELS)
            ),
            SCORE: score,
        },
        copy=False,
    )
    signals = pd.DataFrame(
        {
            schema.CLIENT_ID: client_id_col,
            schema.SIG_HAS_FACILITY: s.has_facility,
            schema.SIG_HAS_DRAWN: s.has_drawn,
            schema.SIG_MONTHS_SINCE_FIRST_DRAWDOWN: s.months_since_first_drawdown,
            schema.SIG_TENURE_MONTHS: s.tenure_months,
            schema.SIG_EXPOSURE_GROWTH_YOY: s.exposure_growth,
            schema.SIG_REVENUE_GROWTH_YOY: s.revenue_growth,
            schema.SIG_PRODUCT_COUNT_CHANGE: s.product_count_change,
            schema.SIG_UTILISATION_CHANGE: s.utilisation_change,
            schema.SIG_RATING_NOTCHES_MOVED: c.notches,
            schema.SIG_ON_WATCHLIST: c.watchlist.copy(),
            schema.SIG_DAYS_PAST_DUE: c.dpd,
            schema.SIG_COVENANT_BREACHES: s.covenant_breaches,
            schema.SIG_HAS_DSCR: s.has_dscr,
            schema.SIG_DSCR_HEADROOM: s.dscr_headroom,
        },
        copy=False,
    )
    stages = pd.DataFrame(
        {
            schema.CLIENT_ID: client_id_col,
            STAGE: _categorical(c.stage, tuple(st[0] for st in tables.STAGES)),
        },
        copy=False,
    )
    return SyntheticFrames(
        clients=clients,
        facilities=facilities,
        projects=projects,
        sponsors=sponsors,
        cash_flows=cash_flows,
        referrals=referrals,
        feedback=feedback,
        signals=signals,
        stages=stages,
    )
