"""The facility draws of :mod:`lendcrm.synthetic`, and the project vehicles they finance.

Numpy only; the distributions are documented in :mod:`lendcrm.synthetic` and on the
*Synthetic books* explanation page, their parameters are in ``_tables``.
"""

from __future__ import annotations

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import BoolArray, FloatArray, IntArray
from lendcrm._dates import DAYS_PER_YEAR
from lendcrm.synthetic import _tables as tables
from lendcrm.synthetic._draws_clients import Clients
from lendcrm.synthetic._sampling import (
    bernoulli,
    beta_by_group,
    categorical_draw,
    group_sum,
    round_to,
)
from lendcrm.synthetic._tables import (
    ACQUISITION,
    ACTIVATION,
    CFADS_PERIODS,
    CONSTRUCTION,
    DECLINE,
    GUARANTEE,
    GUARANTEED_SHARE,
    LEVERAGE_COVENANT_SHARE,
    LEVERAGE_MEDIAN,
    LEVERAGE_SIGMA,
    MIN_ENVELOPE,
    NON_PERFORMING_DPD,
    OPERATIONS,
    RECEIVABLES_FINANCE,
    SPV_LEVERAGE_MEDIAN,
)


@attrs.frozen(kw_only=True)
class Facilities:
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


def draw_facilities(
    rng: np.random.Generator, c: Clients, as_of: np.datetime64
) -> Facilities:
    """Draw every facility column, step by step in the generator's fixed order."""
    client, position = _facility_rows(rng, c)
    spv = c.is_spv[client]
    kind = _draw_kind(rng, c, client)
    currency, fx, limit = _draw_limits(rng, c, client)
    utilisation, pct = _draw_utilisation(rng, c, client, position, kind)
    drawn = np.round(limit * np.clip(utilisation, 0.0, 1.0), 2)
    tenor_years, start, maturity = _draw_dates(rng, c, client, kind, as_of)
    seniority, lgd = _draw_seniority(rng, kind)
    margin, commitment_fee, arrangement_fee = _draw_pricing(rng, c, client, kind, limit)
    collateral_kind, haircut, collateral_value = _draw_collateral(
        rng, spv, kind, seniority, limit
    )
    covered, guarantor_named = _draw_guarantees(rng, limit)
    covenant, status, allows_overdraw = _draw_covenants_and_status(
        rng, c, client, kind, drawn
    )
    return Facilities(
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
        rate_level=np.array([row[3] for row in tables.CURRENCIES])[currency],
        margin_bps=margin,
        commitment_fee_bps=commitment_fee,
        arrangement_fee=arrangement_fee,
        ccf=_kind_column(4).astype(np.float64)[kind],
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


def _facility_rows(rng: np.random.Generator, c: Clients) -> tuple[IntArray, IntArray]:
    """Owning client of each facility row and its position among the client's rows.

    None for prospects (unsigned acquisition clients), one for a project vehicle,
    otherwise 1 + Poisson (more for larger clients, at most 6).
    """
    extra = np.minimum(rng.poisson(np.clip(1.0 + 0.5 * c.size_z, 0.1, 4.0)), 5)
    prospect = (c.stage == ACQUISITION) & ~c.signed
    counts = np.where(prospect, 0, np.where(c.is_spv, 1, 1 + extra))
    total = int(counts.sum())
    client = np.repeat(np.arange(c.n, dtype=np.int64), counts)
    first = np.cumsum(counts) - counts
    position = np.arange(total, dtype=np.int64) - first[client]
    return client, position


def _draw_kind(rng: np.random.Generator, c: Clients, client: IntArray) -> IntArray:
    """Facility kind by the table's weights; a vehicle's by its project phase."""
    kind = categorical_draw(rng, client.size, _kind_column(1).astype(np.float64))
    phase = c.phase[client]
    # construction loan before operations, else a term loan
    return np.where(c.is_spv[client], np.where(phase < OPERATIONS, 2, 0), kind)


def _draw_limits(
    rng: np.random.Generator, c: Clients, client: IntArray
) -> tuple[IntArray, FloatArray, FloatArray]:
    """Currency code, its EUR rate and the limit in that currency.

    The client's credit envelope (EUR, revenue times a lognormal leverage) is split
    over its facilities by Gamma(2) weights; 15 % are not in the local currency.
    """
    n, total = c.n, client.size
    median = np.where(c.is_spv, SPV_LEVERAGE_MEDIAN, LEVERAGE_MEDIAN)
    leverage = median * np.exp(LEVERAGE_SIGMA * rng.standard_normal(n))
    envelope = np.maximum(c.revenue * leverage, MIN_ENVELOPE)
    weight = rng.gamma(2.0, 1.0, total)
    share = weight / group_sum(client, weight, n)[client]

    currency_codes = tuple(row[0] for row in tables.CURRENCIES)
    local = np.array([currency_codes.index(row[2]) for row in tables.COUNTRIES])
    local_cur = local[c.country][client]
    eur, usd = currency_codes.index("EUR"), currency_codes.index("USD")
    alternative = np.where(local_cur == eur, usd, eur)
    currency = np.where(bernoulli(rng, total, 0.15), alternative, local_cur)
    fx = np.array([row[1] for row in tables.CURRENCIES])[currency]
    limit = np.maximum(round_to(envelope[client] * share / fx, 1000.0), 1000.0)
    return currency, fx, limit


def _draw_utilisation(
    rng: np.random.Generator,
    c: Clients,
    client: IntArray,
    position: IntArray,
    kind: IntArray,
) -> tuple[FloatArray, FloatArray]:
    """Utilisation of each facility, and each client's construction progress (%).

    Utilisation is Beta by kind; undrawn where the client has not drawn yet;
    construction loans track certified progress.
    """
    total = client.size
    spv = c.is_spv[client]
    phase = c.phase[client]
    util_a = _kind_column(3)
    a = np.array([ab[0] for ab in util_a])[kind]
    b = np.array([ab[1] for ab in util_a])[kind]
    util = beta_by_group(rng, kind, a, b)
    util = np.where((kind == 1) & bernoulli(rng, total, 0.15), 0.0, util)
    drawn_client = c.stage >= ACTIVATION  # the first drawdown activates
    util = np.where(
        (position == 0) & drawn_client[client], np.maximum(util, 0.05), util
    )
    pct = _draw_percent_complete(rng, c)
    construction_util = pct[client] / 100.0 * rng.uniform(0.85, 1.0, total)
    util = np.where(spv & (phase < OPERATIONS), construction_util, util)
    util = np.where(drawn_client[client], util, 0.0)
    return util, pct


def _draw_percent_complete(rng: np.random.Generator, c: Clients) -> FloatArray:
    """Certified construction progress per client by project phase (0 elsewhere)."""
    n = c.n
    pct: FloatArray = np.select(
        [
            c.phase == CONSTRUCTION,
            c.phase == CONSTRUCTION + 1,
            c.phase == OPERATIONS,
        ],
        [
            np.round(rng.uniform(5.0, 95.0, n), 1),
            np.round(rng.uniform(97.0, 99.9, n), 1),
            100.0,
        ],
        0.0,
    )
    return pct


def _draw_dates(
    rng: np.random.Generator,
    c: Clients,
    client: IntArray,
    kind: IntArray,
    as_of: np.datetime64,
) -> tuple[FloatArray, npt.NDArray[np.datetime64], npt.NDArray[np.datetime64]]:
    """Tenor in years, start and maturity of each facility.

    Tenor by kind; a live facility started at most (tenor - 1) days ago and not
    before onboarding; activation clients signed within the last 180 days.
    """
    total = client.size
    tenor = _kind_column(2)
    lo = np.array([t[0] for t in tenor])[kind]
    hi = np.array([t[1] for t in tenor])[kind]
    tenor_years = lo + (hi - lo) * rng.random(total)
    tenor_days = np.maximum(np.round(tenor_years * DAYS_PER_YEAR), 2).astype(np.int64)
    cap = np.minimum(tenor_days - 1, c.tenure_days[client])
    cap = np.where(c.stage[client] <= ACTIVATION, np.minimum(cap, 180), cap)
    elapsed = np.floor(rng.random(total) * (cap + 1)).astype(np.int64)
    start = as_of - elapsed.astype("timedelta64[D]")
    maturity = start + tenor_days.astype("timedelta64[D]")
    return tenor_years, start, maturity


def _draw_seniority(
    rng: np.random.Generator, kind: IntArray
) -> tuple[IntArray, FloatArray]:
    """Seniority code (fixed for receivables finance and guarantees) and LGD (Beta)."""
    seniority = categorical_draw(rng, kind.size, [s[1] for s in tables.SENIORITIES])
    seniority = np.select(
        [kind == RECEIVABLES_FINANCE, kind == GUARANTEE], [0, 1], seniority
    )
    lgd_ab = [s[2] for s in tables.SENIORITIES]
    lgd = np.round(
        beta_by_group(
            rng,
            seniority,
            np.array([x[0] for x in lgd_ab])[seniority],
            np.array([x[1] for x in lgd_ab])[seniority],
        ),
        4,
    )
    return seniority, lgd


def _draw_pricing(
    rng: np.random.Generator,
    c: Clients,
    client: IntArray,
    kind: IntArray,
    limit: FloatArray,
) -> tuple[IntArray, IntArray, FloatArray]:
    """Margin and commitment fee (bps) by grade, kind and size; arrangement fee."""
    total = client.size
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
    return margin, commitment_fee, arrangement_fee


def _draw_collateral(
    rng: np.random.Generator,
    spv: BoolArray,
    kind: IntArray,
    seniority: IntArray,
    limit: FloatArray,
) -> tuple[IntArray, FloatArray, FloatArray]:
    """Collateral kind (-1: unsecured), its haircut and market value.

    Senior secured facilities pledge one asset (project assets for a vehicle, the
    receivables for receivables finance), valued at 90-160 % of the limit.
    """
    total = kind.size
    names = tuple(k[0] for k in tables.COLLATERAL_KINDS)
    collateral_kind = categorical_draw(
        rng, total, [k[1] for k in tables.COLLATERAL_KINDS]
    )
    collateral_kind = np.select(
        [spv, kind == RECEIVABLES_FINANCE],
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
        round_to(limit * rng.uniform(0.9, 1.6, total), 1000.0),
        0.0,
    )
    return collateral_kind, haircut, collateral_value


def _draw_guarantees(
    rng: np.random.Generator, limit: FloatArray
) -> tuple[FloatArray, IntArray]:
    """Guaranteed amount (0 when none) and the named third-party guarantor's row.

    12 % of facilities carry a guarantee of 20-80 % of the limit, from the client's
    parent when it has one, else from a named third party.
    """
    total = limit.size
    covered = np.where(
        bernoulli(rng, total, GUARANTEED_SHARE),
        np.clip(round_to(limit * rng.uniform(0.2, 0.8, total), 1000.0), 1000.0, limit),
        0.0,
    )
    guarantor_named = categorical_draw(rng, total, np.ones(len(tables.GUARANTORS)))
    return covered, guarantor_named


def _draw_covenants_and_status(
    rng: np.random.Generator,
    c: Clients,
    client: IntArray,
    kind: IntArray,
    drawn: FloatArray,
) -> tuple[IntArray, IntArray, BoolArray]:
    """Covenant code, facility status code and the overdraw flag."""
    total = client.size
    stage = c.stage[client]
    drawn_client = c.stage >= ACTIVATION
    covenant = np.where(
        c.is_spv[client],
        1,
        np.where((kind <= 1) & bernoulli(rng, total, LEVERAGE_COVENANT_SHARE), 2, 0),
    )
    status = np.select(
        [
            (c.dpd[client] > NON_PERFORMING_DPD) & (drawn > 0),
            (stage == DECLINE) & bernoulli(rng, total, 0.15),
            c.watchlist[client],
            ~drawn_client[client],
        ],
        [4, 3, 2, 0],
        1,
    )
    allows_overdraw = (kind == 1) & bernoulli(rng, total, 0.05)
    return covenant, status, allows_overdraw


@attrs.frozen(kw_only=True)
class Projects:
    """Project vehicles (internal); amounts in the project facility's currency."""

    client: IntArray
    facility: IntArray
    total_cost: FloatArray
    debt: FloatArray
    dscr: FloatArray  # latest DSCR (operations) or base-case projection
    sponsor_project: IntArray
    sponsor_client: IntArray
    sponsor_share: FloatArray


def draw_projects(rng: np.random.Generator, c: Clients, f: Facilities) -> Projects:
    vehicle = np.flatnonzero(c.is_spv)
    p = vehicle.size
    counts = np.bincount(f.client, minlength=c.n)
    facility = (np.cumsum(counts) - counts)[vehicle]  # a vehicle has one facility
    debt = f.limit[facility]
    gearing = rng.uniform(0.60, 0.85, p)
    total_cost = np.maximum(round_to(debt / gearing, 1000.0), debt + 1000.0)
    weak = c.stage[vehicle] == DECLINE
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
    want = categorical_draw(rng, p, [0.4, 0.4, 0.2])  # 0, 1 or 2 co-sponsors
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
    return Projects(
        client=vehicle,
        facility=facility,
        total_cost=total_cost,
        debt=debt,
        dscr=dscr,
        sponsor_project=sponsor_project[order],
        sponsor_client=sponsor_client[order],
        sponsor_share=sponsor_pct[order] / 100.0,
    )


def draw_cash_flows(
    rng: np.random.Generator,
    c: Clients,
    f: Facilities,
    pr: Projects,
    as_of: np.datetime64,
) -> tuple[IntArray, npt.NDArray[np.datetime64], FloatArray, FloatArray]:
    """Ten semi-annual periods per project: CFADS at the vehicle's DSCR after COD."""
    p = pr.client.size
    k = np.tile(np.arange(1, CFADS_PERIODS + 1), p)
    project = np.repeat(np.arange(p, dtype=np.int64), CFADS_PERIODS)
    period_end = as_of + np.round(k * DAYS_PER_YEAR / 2).astype("timedelta64[D]")
    rate = (f.rate_level + f.margin_bps / 1e4)[pr.facility] / 2.0
    annuity = np.where(rate > 0, rate / (1.0 - (1.0 + rate) ** -30), 1.0 / 30.0)
    service = (pr.debt * annuity)[project]
    phase = c.phase[pr.client]
    to_cod = np.select(
        [phase < CONSTRUCTION, phase == CONSTRUCTION, phase == CONSTRUCTION + 1],
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
class Progress:
    """One ``construction`` milestone per project and the drawdowns (internal)."""

    planned_on: npt.NDArray[np.datetime64]
    actual_on: npt.NDArray[np.datetime64]  # NaT until complete
    certified: BoolArray
    drawdown_project: IntArray
    drawdown_on: npt.NDArray[np.datetime64]
    drawdown_amount: FloatArray


def draw_progress(
    rng: np.random.Generator,
    c: Clients,
    f: Facilities,
    pr: Projects,
    as_of: np.datetime64,
) -> Progress:
    """Milestone dates by phase (late for declining vehicles) and 4 drawdown tranches."""
    p = pr.client.size
    phase = c.phase[pr.client]
    pct = f.percent_complete[pr.client]
    days = np.select(
        [phase < CONSTRUCTION, phase == CONSTRUCTION, phase == CONSTRUCTION + 1],
        [
            rng.integers(365, 1096, p),
            np.ceil((100.0 - pct) / 100.0 * rng.integers(365, 1096, p)),
            rng.integers(10, 121, p),
        ],
        -rng.integers(0, 366, p),
    ).astype(np.int64)
    late = (c.stage[pr.client] == DECLINE) & (phase == CONSTRUCTION)
    days = np.where(late, -rng.integers(30, 366, p), days)
    planned_on = as_of + days.astype("timedelta64[D]")
    slip = rng.integers(-30, 181, p).astype("timedelta64[D]")
    done = phase == OPERATIONS
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
    return Progress(
        planned_on=planned_on,
        actual_on=actual_on,
        certified=phase >= CONSTRUCTION,
        drawdown_project=np.nonzero(keep)[0].astype(np.int64),
        drawdown_on=on[keep],
        drawdown_amount=cents[keep] / 100.0,
    )
