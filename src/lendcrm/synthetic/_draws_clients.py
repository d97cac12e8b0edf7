"""The client draws of :mod:`lendcrm.synthetic`: who, groups, risk, referrals, feedback.

Numpy only; the distributions are documented in :mod:`lendcrm.synthetic` and on the
*Synthetic books* explanation page, their parameters are in ``_tables``.
"""

from __future__ import annotations

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import BoolArray, FloatArray, IntArray
from lendcrm.synthetic import _tables as tables
from lendcrm.synthetic._sampling import (
    bernoulli,
    categorical_draw,
    round_to,
)
from lendcrm.synthetic._tables import (
    ACQUISITION,
    DECLINE,
    DECLINE_PD_SHIFT,
    FEEDBACK_RATE,
    MATURITY,
    MEDIAN_REVENUE,
    PD_SIGMA,
    PD_SIZE_ELASTICITY,
    REFERRED_SHARE,
    REVENUE_CAP,
    REVENUE_SIGMA,
    SECOND_LEVEL_SHARE,
    SIGNED_SHARE,
    SUBSIDIARY_SHARE,
    TAIL_ALPHA,
    TAIL_SCALE,
    TAIL_SHARE,
    WATCHLIST_DPD,
)


@attrs.frozen(kw_only=True)
class Clients:
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
    dpd: IntArray
    watchlist: BoolArray
    signed: BoolArray  # acquisition clients with a signed, undrawn facility


def draw_clients(rng: np.random.Generator, n: int, as_of: np.datetime64) -> Clients:
    """Draw every client-level column, step by step in the generator's fixed order."""
    stage, sector, country = _draw_stage_sector_country(rng, n)
    tenure_days, onboarded = _draw_tenure(rng, stage, as_of)
    revenue, size_z = _draw_revenue(rng, n)
    signed, is_spv, phase = _draw_vehicles(rng, stage, sector)
    parent = _draw_parents(rng, n, revenue, is_spv)
    grade, pd_ = _draw_grade(rng, stage, sector, size_z)
    dpd, watchlist = _draw_arrears(rng, stage, grade)
    return Clients(
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
        dpd=dpd,
        watchlist=watchlist,
        signed=signed,
    )


def _draw_stage_sector_country(
    rng: np.random.Generator, n: int
) -> tuple[IntArray, IntArray, IntArray]:
    """Lifecycle stage, NACE section and country codes of each client."""
    stage_w = np.array([s[1] for s in tables.STAGES])
    stage = categorical_draw(rng, n, stage_w)
    sector = categorical_draw(rng, n, [s[1] for s in tables.SECTORS])
    country = categorical_draw(rng, n, [c[1] for c in tables.COUNTRIES])
    return stage, sector, country


def _draw_tenure(
    rng: np.random.Generator, stage: IntArray, as_of: np.datetime64
) -> tuple[IntArray, npt.NDArray[np.datetime64]]:
    """Tenure in days (uniform range per stage) and the onboarding date it implies."""
    n = stage.size
    tenure_lo = np.array([t[0] for t in tables.STAGE_TENURE_DAYS])[stage]
    tenure_hi = np.array([t[1] for t in tables.STAGE_TENURE_DAYS])[stage]
    tenure_days = tenure_lo + np.floor(
        rng.random(n) * (tenure_hi - tenure_lo + 1)
    ).astype(np.int64)
    onboarded = as_of - tenure_days.astype("timedelta64[D]")
    return tenure_days, onboarded


def _draw_revenue(rng: np.random.Generator, n: int) -> tuple[FloatArray, FloatArray]:
    """Annual revenue (lognormal body, Pareto tail) and its z-score on the body."""
    body = MEDIAN_REVENUE * np.exp(REVENUE_SIGMA * rng.standard_normal(n))
    tail = np.minimum(
        TAIL_SCALE * (1.0 - rng.random(n)) ** (-1.0 / TAIL_ALPHA), REVENUE_CAP
    )
    revenue = round_to(np.where(bernoulli(rng, n, TAIL_SHARE), tail, body), 1000.0)
    revenue = np.maximum(revenue, 1000.0)
    size_z = (np.log(revenue) - np.log(MEDIAN_REVENUE)) / REVENUE_SIGMA
    return revenue, size_z


def _draw_vehicles(
    rng: np.random.Generator, stage: IntArray, sector: IntArray
) -> tuple[BoolArray, BoolArray, IntArray]:
    """Signed acquisition clients, project vehicles (SPVs) and each vehicle's phase.

    Vehicles are drawn by sector, never among unsigned acquisition clients and never
    client 0 (client 0 is always a group head, so every vehicle can have a sponsor).
    """
    n = stage.size
    spv_p = np.array([s[3] for s in tables.SECTORS])[sector]
    signed = (stage == ACQUISITION) & bernoulli(rng, n, SIGNED_SHARE)
    is_spv = (rng.random(n) < spv_p) & ((stage != ACQUISITION) | signed)
    is_spv[0] = False
    phase_w = np.array(tables.PHASE_BY_STAGE)[stage]
    phase_cdf = np.cumsum(phase_w, axis=1)
    phase = (rng.random(n)[:, None] >= phase_cdf).sum(axis=1).astype(np.int64)
    phase = np.where(is_spv, np.minimum(phase, len(tables.PROJECT_PHASES) - 1), -1)
    return signed, is_spv, phase


def _draw_grade(
    rng: np.random.Generator, stage: IntArray, sector: IntArray, size_z: FloatArray
) -> tuple[IntArray, FloatArray]:
    """Rating grade 1..10 and its master-scale PD.

    log PD is the sector median PD with a size elasticity, lognormal noise and a
    shift for declining clients.
    """
    n = stage.size
    sector_pd = np.array([s[2] for s in tables.SECTORS])[sector]
    log_pd = (
        np.log(sector_pd)
        + PD_SIZE_ELASTICITY * REVENUE_SIGMA * size_z
        + PD_SIGMA * rng.standard_normal(n)
        + DECLINE_PD_SHIFT * (stage == DECLINE)
    )
    scale = np.array(tables.MASTER_SCALE_PD)
    bounds = np.array(tables.GRADE_UPPER_BOUNDS)
    grade_idx = np.searchsorted(bounds, np.exp(log_pd), side="right")
    grade = (grade_idx + 1).astype(np.int64)
    return grade, scale[grade_idx]


def _draw_arrears(
    rng: np.random.Generator, stage: IntArray, grade: IntArray
) -> tuple[IntArray, BoolArray]:
    """Days past due and the watchlist flag.

    Decline clients are in arrears more often; the worst grade and long arrears are
    watched. (The rating notches moved are drawn with the rating paths, from the
    histories' generator; see ``_draws_history.grade_path``.)
    """
    n = stage.size
    _skip_former_notch_draws(rng, n)
    dpd_choices = np.array([5, 15, 30, 45, 60, 95, 120, 180], dtype=np.int64)
    dpd = np.where(
        (stage == DECLINE) & bernoulli(rng, n, 0.3),
        dpd_choices[rng.integers(0, len(dpd_choices), n)],
        np.where(
            (stage == MATURITY) & bernoulli(rng, n, 0.01), rng.integers(1, 30, n), 0
        ),
    ).astype(np.int64)
    watchlist = (
        ((stage == DECLINE) & bernoulli(rng, n, 0.5))
        | ((stage == MATURITY) & bernoulli(rng, n, 0.02))
        | (dpd > WATCHLIST_DPD)
        | (grade == len(tables.MASTER_SCALE_PD))
    )
    watchlist &= stage != ACQUISITION
    return dpd, watchlist


def _skip_former_notch_draws(rng: np.random.Generator, n: int) -> None:
    """Advance ``rng`` past the draws that once gave the notches moved.

    The notches are now drawn with the rating paths (calibrated to a published
    transition matrix); skipping the same numbers keeps every frame drawn before the
    histories value for value (``tests/test_synthetic_history.py`` pins them).
    """
    rng.integers(1, 5, n)
    rng.integers(-1, 1, n)
    rng.integers(-1, 2, n)
    bernoulli(rng, n, 0.3)


def _draw_parents(
    rng: np.random.Generator, n: int, revenue: FloatArray, is_spv: BoolArray
) -> IntArray:
    """Two-level groups: level-0 heads, level-1 and level-2 subsidiaries (no cycles)."""
    u = rng.random(n)
    level = np.where(
        u < SECOND_LEVEL_SHARE,
        2,
        np.where(u < SECOND_LEVEL_SHARE + SUBSIDIARY_SHARE, 1, 0),
    )
    level = np.where(is_spv, 1, level)
    level[0] = 0
    parent = np.full(n, -1, dtype=np.int64)
    heads = np.flatnonzero(level == 0)
    weights = np.sqrt(revenue[heads])
    ones = np.flatnonzero(level == 1)
    parent[ones] = heads[categorical_draw(rng, ones.size, weights)]
    twos = np.flatnonzero(level == 2)  # noqa: PLR2004 - level 2
    if ones.size:
        parent[twos] = ones[rng.integers(0, ones.size, twos.size)]
    else:  # no first-level subsidiary to hang them on: attach to a head
        parent[twos] = heads[categorical_draw(rng, twos.size, weights)]
    return parent


def draw_referrals(
    rng: np.random.Generator, c: Clients, limit_eur: FloatArray
) -> tuple[IntArray, IntArray, npt.NDArray[np.datetime64], FloatArray]:
    """Referrer, referee, date and converted amount; referrers onboarded earlier."""
    n = c.n
    order = np.argsort(c.onboarded, kind="stable")
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    referee = np.flatnonzero(bernoulli(rng, n, REFERRED_SHARE) & (rank > 0))
    referrer = order[
        np.floor(rng.random(referee.size) * rank[referee]).astype(np.int64)
    ]
    lead_days = np.floor(rng.random(referee.size) * 61).astype("timedelta64[D]")
    referred_on = np.maximum(c.onboarded[referee] - lead_days, c.onboarded[referrer])
    converted = np.round(limit_eur[referee], 2)
    return referrer, referee, referred_on, converted


def draw_feedback(
    rng: np.random.Generator, c: Clients
) -> tuple[IntArray, npt.NDArray[np.datetime64], IntArray, IntArray]:
    """Client, date, channel code and score 0-10 of each feedback record."""
    n = c.n
    rate = np.where(c.stage == ACQUISITION, 0.3, FEEDBACK_RATE)
    counts = np.minimum(rng.poisson(rate), 5)
    client = np.repeat(np.arange(n, dtype=np.int64), counts)
    offset = np.floor(rng.random(client.size) * (c.tenure_days[client] + 1))
    given_on = c.onboarded[client] + offset.astype(np.int64).astype("timedelta64[D]")
    channel = categorical_draw(
        rng, client.size, [ch[1] for ch in tables.FEEDBACK_CHANNELS]
    )
    mean = np.where(c.stage[client] == DECLINE, 6.0, 7.8)
    mean = np.where(channel == 3, 3.0, mean)  # noqa: PLR2004 - complaints score low
    score = np.clip(np.round(mean + 1.6 * rng.standard_normal(client.size)), 0, 10)
    return client, given_on, channel, score.astype(np.int64)
