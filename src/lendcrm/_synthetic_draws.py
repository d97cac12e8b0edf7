"""The vectorised draws behind :mod:`lendcrm.synthetic` (numpy only, no pandas).

`draw` returns every array a synthetic book is assembled from; the module docstring of
:mod:`lendcrm.synthetic` and the *Synthetic books* explanation page document the
distributions, ``lendcrm._synthetic_tables`` holds their tables.
"""

from __future__ import annotations

from typing import Final

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm import _synthetic_tables as tables
from lendcrm._arrays import BoolArray, FloatArray, IntArray
from lendcrm._dates import DAYS_PER_YEAR

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
_FEEDBACK_RATE: Final = 1.2
_GUARANTEED_SHARE: Final = 0.12
_FEE_PER_TRANSACTION: Final = 12.0
_COST_TO_SERVE_FIXED: Final = 4_000.0
_COST_TO_SERVE_PER_PRODUCT: Final = 1_500.0
_CAPITAL_RATIO: Final = 0.08
_EXCESS_COST_OF_EQUITY: Final = 0.08
DSCR_THRESHOLD: Final = 1.20
DSCR_LOCK_UP: Final = 1.15
DSCR_DEFAULT: Final = 1.05
_CFADS_PERIODS: Final = 10
LEVERAGE_THRESHOLD: Final = 3.5
LEVERAGE_DEFAULT: Final = 4.5
_WATCHLIST_DPD: Final = 30
_SIGNED_SHARE: Final = 0.4
_SURGE_SHARE: Final = 0.25
_MONTHS_PER_YEAR: Final = 12
_LOOKUP: Final = 1000
_NON_PERFORMING_DPD: Final = 90
# Stage codes (rows of ``tables.STAGES``) and phase codes (``tables.PROJECT_PHASES``).
_ACQUISITION: Final = 0
_ACTIVATION: Final = 1
_GROWTH: Final = 2
_MATURITY: Final = 3
_DECLINE: Final = 4
_CONSTRUCTION: Final = 2
_GUARANTEE: Final = 4  # facility kind codes (rows of tables.FACILITY_KINDS)
_RECEIVABLES_FINANCE: Final = 5
_LEVERAGE_COVENANT_SHARE: Final = 0.4
_OPERATIONS: Final = 4


# --- small vectorised helpers ----------------------------------------------------------


def _bernoulli(rng: np.random.Generator, size: int, p: float) -> BoolArray:
    """``size`` independent draws that are true with probability ``p``."""
    return rng.random(size) < p


def _categorical_draw(
    rng: np.random.Generator, size: int, weights: npt.ArrayLike
) -> IntArray:
    """Codes ``0..k-1`` drawn with probabilities proportional to ``weights``.

    When every probability is a whole number of thousandths (all the tables are), a
    1,000-entry lookup table indexed by a uniform integer gives exactly those
    probabilities at the cost of one gather; otherwise the inverse CDF is searched.
    """
    w = np.asarray(weights, dtype=np.float64)
    thousandths = w / w.sum() * _LOOKUP
    counts = np.round(thousandths).astype(np.int64)
    if np.allclose(thousandths, counts, rtol=0.0, atol=1e-9):
        table = np.repeat(np.arange(w.size, dtype=np.int64), counts)
        return table[rng.integers(0, _LOOKUP, size)]
    cdf = np.cumsum(w)
    codes = np.searchsorted(cdf / cdf[-1], rng.random(size), side="right")
    return np.minimum(codes, len(cdf) - 1).astype(np.int64)


def _beta_by_group(
    rng: np.random.Generator, group: IntArray, a: FloatArray, b: FloatArray
) -> FloatArray:
    """Beta(a, b) draws where ``a`` and ``b`` are constant within each group.

    numpy's Beta with array parameters is several times slower than one call per
    distinct parameter pair; the loop runs over the few groups, never over rows.
    """
    out = np.empty(group.size)
    for g in np.unique(group):  # a handful of kinds or seniorities
        rows = np.flatnonzero(group == g)
        out[rows] = rng.beta(a[rows[0]], b[rows[0]], rows.size)
    return out


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
    default_probability: FloatArray
    notches: IntArray
    dpd: IntArray
    watchlist: BoolArray
    signed: BoolArray  # acquisition clients with a signed, undrawn facility


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
    signed = (stage == _ACQUISITION) & _bernoulli(rng, n, _SIGNED_SHARE)
    is_spv = (rng.random(n) < spv_p) & ((stage != _ACQUISITION) | signed)
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
    bounds = np.array(tables.GRADE_UPPER_BOUNDS)
    grade_idx = np.searchsorted(bounds, np.exp(log_pd), side="right")
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
        default_probability=pd_,
        notches=notches,
        dpd=dpd,
        watchlist=watchlist,
        signed=signed,
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
    rate_level: FloatArray
    margin_bps: IntArray
    commitment_fee_bps: IntArray
    arrangement_fee: FloatArray
    ccf: FloatArray
    lgd: FloatArray
    collateral_kind: IntArray  # -1: unsecured
    collateral_value: FloatArray  # market value, before the haircut
    haircut: FloatArray
    covered: FloatArray  # guaranteed amount, 0 when not guaranteed
    guarantor_client: IntArray  # the client's parent, -1 for a named third party
    guarantor_named: IntArray  # row of tables.GUARANTORS
    covenant: IntArray  # 0 none, 1 DSCR floor, 2 leverage cap
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
    prospect = (c.stage == _ACQUISITION) & ~c.signed
    counts = np.where(prospect, 0, np.where(c.is_spv, 1, 1 + extra))
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
    util = _beta_by_group(rng, kind, a, b)
    util = np.where((kind == 1) & _bernoulli(rng, total, 0.15), 0.0, util)
    drawn_client = c.stage >= _ACTIVATION  # the first drawdown activates
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
            np.round(rng.uniform(97.0, 99.9, n), 1),
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
    tenor_years = lo + (hi - lo) * rng.random(total)
    tenor_days = np.maximum(np.round(tenor_years * DAYS_PER_YEAR), 2).astype(np.int64)
    cap = np.minimum(tenor_days - 1, c.tenure_days[client])
    cap = np.where(stage <= _ACTIVATION, np.minimum(cap, 180), cap)
    elapsed = np.floor(rng.random(total) * (cap + 1)).astype(np.int64)
    start = as_of - elapsed.astype("timedelta64[D]")
    maturity = start + tenor_days.astype("timedelta64[D]")

    seniority = _categorical_draw(rng, total, [s[1] for s in tables.SENIORITIES])
    seniority = np.select(
        [kind == _RECEIVABLES_FINANCE, kind == _GUARANTEE], [0, 1], seniority
    )
    lgd_ab = [s[2] for s in tables.SENIORITIES]
    lgd = np.round(
        _beta_by_group(
            rng,
            seniority,
            np.array([x[0] for x in lgd_ab])[seniority],
            np.array([x[1] for x in lgd_ab])[seniority],
        ),
        4,
    )
    ccf = _kind_column(4).astype(np.float64)[kind]
    grade = c.grade[client]
    raw_margin = (
        60.0
        + 35.0 * (grade - 1)
        + _kind_column(5).astype(np.float64)[kind]
        - 10.0 * c.size_z[client]
        + 15.0 * rng.standard_normal(total)
    )
    margin = np.clip(raw_margin, 25.0, 900.0).round().astype(np.int64)
    committed = _kind_column(6).astype(bool)[kind]
    commitment_fee = np.where(committed, np.round(0.35 * margin), 0).astype(np.int64)
    fee_range = _kind_column(7)
    fee_lo = np.array([f[0] for f in fee_range])[kind]
    fee_bps = fee_lo + (
        np.array([f[1] for f in fee_range])[kind] - fee_lo
    ) * rng.random(total)
    arrangement_fee = np.round(limit * fee_bps / 1e4)
    # Security: senior secured facilities pledge one asset (project assets for a
    # vehicle, the receivables for receivables finance), valued at 90-160 % of the
    # limit; 12 % of facilities carry a guarantee of 20-80 % of the limit, from the
    # client's parent when it has one, else from a named third party.
    names = tuple(k[0] for k in tables.COLLATERAL_KINDS)
    collateral_kind = _categorical_draw(
        rng, total, [k[1] for k in tables.COLLATERAL_KINDS]
    )
    collateral_kind = np.select(
        [spv, kind == _RECEIVABLES_FINANCE],
        [names.index("project_assets"), names.index("receivables")],
        collateral_kind,
    )
    collateral_kind = np.where(seniority == 0, collateral_kind, -1)
    haircut = np.where(
        collateral_kind >= 0,
        np.array([k[2] for k in tables.COLLATERAL_KINDS])[
            np.maximum(collateral_kind, 0)
        ],
        0.0,
    )
    collateral_value = np.where(
        collateral_kind >= 0,
        _round_to(limit * rng.uniform(0.9, 1.6, total), 1000.0),
        0.0,
    )
    covered = np.where(
        _bernoulli(rng, total, _GUARANTEED_SHARE),
        np.clip(_round_to(limit * rng.uniform(0.2, 0.8, total), 1000.0), 1000.0, limit),
        0.0,
    )
    guarantor_named = _categorical_draw(rng, total, np.ones(len(tables.GUARANTORS)))
    covenant = np.where(
        spv,
        1,
        np.where((kind <= 1) & _bernoulli(rng, total, _LEVERAGE_COVENANT_SHARE), 2, 0),
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
    rate_level = np.array([row[3] for row in tables.CURRENCIES])[currency]
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
        rate_level=rate_level,
        margin_bps=margin,
        commitment_fee_bps=commitment_fee,
        arrangement_fee=arrangement_fee,
        ccf=ccf,
        lgd=lgd,
        collateral_kind=collateral_kind,
        collateral_value=collateral_value,
        haircut=haircut,
        covered=covered,
        guarantor_client=c.parent[client],
        guarantor_named=guarantor_named,
        covenant=covenant,
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
        c.default_probability[f.client] * f.lgd
        + risk_weight * _CAPITAL_RATIO * _EXCESS_COST_OF_EQUITY
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
    period_end = as_of + np.round(k * DAYS_PER_YEAR / 2).astype("timedelta64[D]")
    rate = (f.rate_level + f.margin_bps / 1e4)[pr.facility] / 2.0
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
class _Progress:
    """One ``construction`` milestone per project and the drawdowns (internal)."""

    planned_on: npt.NDArray[np.datetime64]
    actual_on: npt.NDArray[np.datetime64]  # NaT until complete
    certified: BoolArray
    drawdown_project: IntArray
    drawdown_on: npt.NDArray[np.datetime64]
    drawdown_amount: FloatArray


def _progress(
    rng: np.random.Generator,
    c: _Clients,
    f: _Facilities,
    pr: _Projects,
    as_of: np.datetime64,
) -> _Progress:
    """Milestone dates by phase (late for declining vehicles) and 4 drawdown tranches."""
    p = pr.client.size
    phase = c.phase[pr.client]
    pct = f.percent_complete[pr.client]
    days = np.select(
        [phase < _CONSTRUCTION, phase == _CONSTRUCTION, phase == _CONSTRUCTION + 1],
        [
            rng.integers(365, 1096, p),
            np.ceil((100.0 - pct) / 100.0 * rng.integers(365, 1096, p)),
            rng.integers(10, 121, p),
        ],
        -rng.integers(0, 366, p),
    ).astype(np.int64)
    late = (c.stage[pr.client] == _DECLINE) & (phase == _CONSTRUCTION)
    days = np.where(late, -rng.integers(30, 366, p), days)
    planned_on = as_of + days.astype("timedelta64[D]")
    slip = rng.integers(-30, 181, p).astype("timedelta64[D]")
    done = phase == _OPERATIONS
    actual_on = np.where(
        done, np.minimum(planned_on + slip, as_of), np.datetime64("NaT", "D")
    )

    # Drawdowns: the drawn amount of each project facility in four tranches, in whole
    # cents (cumulative floors, so they add up exactly), spread from signing to as_of.
    tranches = 4
    drawn_cents = np.round(f.drawn[pr.facility] * 100.0).astype(np.int64)
    weights = np.cumsum(rng.gamma(2.0, 1.0, (p, tranches)), axis=1)
    cumulative = np.floor(drawn_cents[:, None] * weights / weights[:, -1:]).astype(
        np.int64
    )
    cumulative[:, -1] = drawn_cents
    cents = np.diff(cumulative, axis=1, prepend=0)
    start = f.start[pr.facility]
    span = (as_of - start).astype(np.int64)
    offsets = np.floor(
        span[:, None] * np.arange(1, tranches + 1) / (tranches + 1)
    ).astype(np.int64)
    on = start[:, None] + offsets.astype("timedelta64[D]")
    keep = cents > 0
    return _Progress(
        planned_on=planned_on,
        actual_on=actual_on,
        certified=phase >= _CONSTRUCTION,
        drawdown_project=np.nonzero(keep)[0].astype(np.int64),
        drawdown_on=on[keep],
        drawdown_amount=cents[keep] / 100.0,
    )


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

    # A relationship with nothing a year ago counts as +100 % (capped) once it has
    # exposure or revenue; before that, 0.
    new_exposure = np.where(has_drawn, 1.0, 0.0)
    new_revenue = np.where(m.revenue > 0, 1.0, 0.0)
    exposure_growth = by_stage(
        [
            0.0,
            new_exposure,
            rng.uniform(0.10, 0.60, n),
            np.clip(0.01 + 0.03 * rng.standard_normal(n), -0.08, 0.08),
            rng.uniform(-0.45, -0.05, n),
        ]
    )
    revenue_growth = by_stage(
        [
            new_revenue,
            new_revenue,
            rng.uniform(0.10, 0.50, n),
            np.clip(0.01 + 0.03 * rng.standard_normal(n), -0.08, 0.08),
            rng.uniform(-0.50, -0.05, n),
        ]
    )
    pc = m.product_count
    maturity_change = _categorical_draw(rng, n, [0.10, 0.85, 0.05]) - 1
    change = np.select(
        [
            stage == _ACQUISITION,
            stage == _ACTIVATION,
            stage == _GROWTH,
            stage == _MATURITY,
            stage == _DECLINE,
        ],
        [
            pc,  # every product is new within the first year
            np.where(
                tenure_months < _MONTHS_PER_YEAR,
                pc,
                np.minimum(pc, rng.integers(0, 2, n)),
            ),
            np.minimum(pc, rng.integers(0, 3, n)),
            np.minimum(pc, maturity_change),
            -rng.integers(1, 3, n),
        ],
        0,
    ).astype(np.int64)
    # Utilisation change; no facility a year ago (acquisition, activation) counts as
    # no change. Growth draws a little more, a quarter of declining clients draw
    # hard (up 30-60 points where the lines allow it).
    utilisation = np.divide(
        m.drawn_eur, m.limit_eur, out=np.zeros(n), where=m.limit_eur > 0
    )
    surge = _bernoulli(rng, n, _SURGE_SHARE)
    previous = np.select(
        [stage == _GROWTH, stage == _MATURITY, stage == _DECLINE],
        [
            utilisation - rng.uniform(0.0, 0.15, n),
            utilisation + 0.05 * rng.standard_normal(n),
            np.where(
                surge,
                utilisation - rng.uniform(0.30, 0.60, n),
                utilisation + rng.uniform(-0.2, 0.2, n),
            ),
        ],
        utilisation,
    )
    previous = np.where(has_facility, np.clip(previous, 0.0, 1.0), 0.0)

    has_dscr = np.zeros(n, dtype=bool)
    headroom = np.zeros(n)
    operating = c.phase[pr.client] == _OPERATIONS
    has_dscr[pr.client] = operating & has_drawn[pr.client]
    headroom[pr.client] = np.where(has_dscr[pr.client], pr.dscr - DSCR_LOCK_UP, 0.0)
    breaches = np.select(
        [stage == _DECLINE, stage == _MATURITY],
        [rng.poisson(0.8, n), _bernoulli(rng, n, 0.02).astype(np.int64)],
        0,
    )
    dscr_breach = np.zeros(n, dtype=np.int64)
    dscr_breach[pr.client] = has_dscr[pr.client] & (pr.dscr < DSCR_DEFAULT)
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


def _name_codes(rng: np.random.Generator, size: int) -> IntArray:
    words = len(tables.NAME_WORDS_1) * len(tables.NAME_WORDS_2)
    return rng.integers(0, words, size)


@attrs.frozen(kw_only=True)
class Draws:
    """Everything a synthetic book is assembled from (indices are row positions).

    Attributes:
        n: Number of clients.
        clients: Client-level draws.
        facilities: Facility-level draws.
        measures: Client relationship measures (EUR).
        projects: Project vehicles and their sponsors.
        progress: Milestones and drawdowns of the projects.
        signals: Lifecycle signals.
        referrer: Referrer of each referral.
        referee: Referee of each referral.
        referred_on: Date of each referral.
        converted: Converted amount of each referral (EUR).
        feedback_client: Client of each feedback record.
        feedback_on: Date of each feedback record.
        feedback_channel: Channel code of each feedback record.
        feedback_score: Score (0-10) of each feedback record.
        cash_flow_project: Project of each cash-flow period.
        period_end: End of each cash-flow period.
        cfads: CFADS of each period (project currency).
        debt_service: Debt service of each period (project currency).
        client_names: Name code of each client.
        project_names: Name code of each project.
    """

    n: int
    clients: _Clients
    facilities: _Facilities
    measures: _Measures
    projects: _Projects
    progress: _Progress
    signals: _Signals
    referrer: IntArray
    referee: IntArray
    referred_on: npt.NDArray[np.datetime64]
    converted: FloatArray
    feedback_client: IntArray
    feedback_on: npt.NDArray[np.datetime64]
    feedback_channel: IntArray
    feedback_score: IntArray
    cash_flow_project: IntArray
    period_end: npt.NDArray[np.datetime64]
    cfads: FloatArray
    debt_service: FloatArray
    client_names: IntArray
    project_names: IntArray


def draw(rng: np.random.Generator, n: int, as_of: np.datetime64) -> Draws:
    """Draw a whole book of ``n`` clients at ``as_of`` from ``rng`` (in a fixed order)."""
    c = _draw_clients(rng, n, as_of)
    f = _draw_facilities(rng, c, as_of)
    m = _measures(rng, c, f, as_of)
    referrer, referee, referred_on, converted = _referrals(rng, c, m.limit_eur)
    fb_client, given_on, channel, score = _feedback(rng, c)
    pr = _projects(rng, c, f)
    cf_project, period_end, cfads, service = _cash_flows(rng, c, f, pr, as_of)
    progress = _progress(rng, c, f, pr, as_of)
    s = _signals(rng, c, f, m, pr, as_of=as_of)
    return Draws(
        n=n,
        clients=c,
        facilities=f,
        measures=m,
        projects=pr,
        progress=progress,
        signals=s,
        referrer=referrer,
        referee=referee,
        referred_on=referred_on,
        converted=converted,
        feedback_client=fb_client,
        feedback_on=given_on,
        feedback_channel=channel,
        feedback_score=score,
        cash_flow_project=cf_project,
        period_end=period_end,
        cfads=cfads,
        debt_service=service,
        client_names=_name_codes(rng, n),
        project_names=_name_codes(rng, pr.client.size),
    )
