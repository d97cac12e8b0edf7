"""The vectorised draws behind :mod:`lendcrm.synthetic` (numpy only, no pandas).

`draw` returns every array a synthetic book is assembled from, in a fixed order: the
clients (``_draws_clients``), their facilities and projects (``_draws_facilities``),
then the relationship measures and the lifecycle signals drawn here. The module
docstring of :mod:`lendcrm.synthetic` and the *Synthetic books* explanation page
document the distributions; ``_tables`` holds their tables and parameters.
"""

from __future__ import annotations

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import BoolArray, FloatArray, IntArray
from lendcrm._dates import whole_months
from lendcrm.synthetic import _tables as tables
from lendcrm.synthetic._asset_links import Assets
from lendcrm.synthetic._draws_clients import (
    Clients,
    draw_clients,
    draw_feedback,
    draw_referrals,
)
from lendcrm.synthetic._draws_facilities import (
    Facilities,
    Progress,
    Projects,
    draw_cash_flows,
    draw_facilities,
    draw_progress,
    draw_projects,
)
from lendcrm.synthetic._sampling import (
    bernoulli,
    categorical_draw,
    group_sum,
)
from lendcrm.synthetic._tables import (
    ACQUISITION,
    ACTIVATION,
    CAPITAL_RATIO,
    COST_TO_SERVE_FIXED,
    COST_TO_SERVE_PER_PRODUCT,
    DECLINE,
    DSCR_DEFAULT,
    DSCR_LOCK_UP,
    EXCESS_COST_OF_EQUITY,
    FEE_PER_TRANSACTION,
    GROWTH,
    MATURITY,
    MONTHS_PER_YEAR,
    OPERATIONS,
    SURGE_SHARE,
)


@attrs.frozen(kw_only=True)
class Measures:
    """Client relationship measures (internal), EUR."""

    limit_eur: FloatArray
    drawn_eur: FloatArray
    product_count: IntArray
    transaction_count: IntArray
    last_transaction: npt.NDArray[np.datetime64]
    revenue: FloatArray
    profit: FloatArray


def draw_measures(
    rng: np.random.Generator, c: Clients, f: Facilities, as_of: np.datetime64
) -> Measures:
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
        group_sum(f.client, facility_revenue, n)
        + FEE_PER_TRANSACTION * transaction_count
        + ancillary_fees
    )
    ead = drawn_eur + f.ccf * undrawn_eur
    risk_weight = 0.30 + 0.15 * (c.grade[f.client] - 1)
    charges = ead * (
        c.default_probability[f.client] * f.lgd
        + risk_weight * CAPITAL_RATIO * EXCESS_COST_OF_EQUITY
    )
    cost_to_serve = np.where(
        has_facility,
        COST_TO_SERVE_FIXED + COST_TO_SERVE_PER_PRODUCT * product_count,
        COST_TO_SERVE_FIXED / 2.0,
    )
    profit = revenue - cost_to_serve - group_sum(f.client, charges, n)
    return Measures(
        limit_eur=group_sum(f.client, limit_eur, n),
        drawn_eur=group_sum(f.client, drawn_eur, n),
        product_count=product_count,
        transaction_count=transaction_count,
        last_transaction=last_transaction,
        revenue=np.round(revenue, 2),
        profit=np.round(profit, 2),
    )


@attrs.frozen(kw_only=True)
class Signals:
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


def draw_signals(
    rng: np.random.Generator,
    c: Clients,
    f: Facilities,
    m: Measures,
    pr: Projects,
    *,
    as_of: np.datetime64,
) -> Signals:
    """Draw the lifecycle signals per stage, consistent with the other draws."""
    n = c.n
    has_facility = np.bincount(f.client, minlength=n) > 0
    has_drawn = m.drawn_eur > 0
    tenure_months = whole_months(c.onboarded, np.full(n, as_of))
    months_first = _draw_months_since_first_drawdown(
        rng, c, f, has_drawn, tenure_months, as_of=as_of
    )
    exposure_growth, revenue_growth = _draw_growth(rng, c.stage, has_drawn, m.revenue)
    change = _draw_product_count_change(rng, c.stage, m.product_count, tenure_months)
    utilisation_change = _draw_utilisation_change(rng, c.stage, m, has_facility)
    has_dscr, headroom = _dscr_headroom(c, pr, has_drawn)
    breaches = _draw_covenant_breaches(rng, c.stage, pr, has_facility, has_dscr)
    return Signals(
        has_facility=has_facility,
        has_drawn=has_drawn,
        months_since_first_drawdown=months_first.astype(np.int64),
        tenure_months=tenure_months,
        exposure_growth=np.round(exposure_growth, 4),
        revenue_growth=np.round(revenue_growth, 4),
        product_count_change=change,
        utilisation_change=np.round(utilisation_change, 4),
        covenant_breaches=breaches.astype(np.int64),
        has_dscr=has_dscr,
        dscr_headroom=np.round(headroom, 4),
    )


def _by_stage(stage: IntArray, values: list[FloatArray | float]) -> FloatArray:
    """The value of each client's stage: ``values[s]`` for the clients in stage ``s``."""
    return np.select([stage == s for s in range(len(values))], values, 0.0)


def _draw_months_since_first_drawdown(
    rng: np.random.Generator,
    c: Clients,
    f: Facilities,
    has_drawn: BoolArray,
    tenure_months: IntArray,
    *,
    as_of: np.datetime64,
) -> IntArray:
    """Whole months since the first drawdown: 0 undrawn, never above the tenure.

    Activation clients count from their earliest drawn facility; the others from
    whichever is longer ago: that drawdown or 70-100 % of their tenure.
    """
    n = c.n
    is_drawn = f.drawn > 0
    earliest = np.full(n, as_of)
    np.minimum.at(earliest, f.client[is_drawn], f.start[is_drawn])
    since_start = whole_months(earliest, np.full(n, as_of))
    history = np.floor(tenure_months * rng.uniform(0.7, 1.0, n)).astype(np.int64)
    months_first = np.where(
        c.stage == ACTIVATION, since_start, np.maximum(since_start, history)
    )
    return np.where(has_drawn, months_first, 0)


def _draw_growth(
    rng: np.random.Generator,
    stage: IntArray,
    has_drawn: BoolArray,
    revenue: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    """Exposure and revenue growth over twelve months, by stage.

    A relationship with nothing a year ago counts as +100 % (capped) once it has
    exposure or revenue; before that, 0.
    """
    n = stage.size
    new_exposure = np.where(has_drawn, 1.0, 0.0)
    new_revenue = np.where(revenue > 0, 1.0, 0.0)
    exposure_growth = _by_stage(
        stage,
        [
            0.0,
            new_exposure,
            rng.uniform(0.10, 0.60, n),
            np.clip(0.01 + 0.03 * rng.standard_normal(n), -0.08, 0.08),
            rng.uniform(-0.45, -0.05, n),
        ],
    )
    revenue_growth = _by_stage(
        stage,
        [
            new_revenue,
            new_revenue,
            rng.uniform(0.10, 0.50, n),
            np.clip(0.01 + 0.03 * rng.standard_normal(n), -0.08, 0.08),
            rng.uniform(-0.50, -0.05, n),
        ],
    )
    return exposure_growth, revenue_growth


def _draw_product_count_change(
    rng: np.random.Generator,
    stage: IntArray,
    pc: IntArray,
    tenure_months: IntArray,
) -> IntArray:
    """Change in the product count over twelve months, by stage."""
    n = stage.size
    maturity_change = categorical_draw(rng, n, [0.10, 0.85, 0.05]) - 1
    return np.select(
        [
            stage == ACQUISITION,
            stage == ACTIVATION,
            stage == GROWTH,
            stage == MATURITY,
            stage == DECLINE,
        ],
        [
            pc,  # every product is new within the first year
            np.where(
                tenure_months < MONTHS_PER_YEAR,
                pc,
                np.minimum(pc, rng.integers(0, 2, n)),
            ),
            np.minimum(pc, rng.integers(0, 3, n)),
            np.minimum(pc, maturity_change),
            -rng.integers(1, 3, n),
        ],
        0,
    ).astype(np.int64)


def _draw_utilisation_change(
    rng: np.random.Generator, stage: IntArray, m: Measures, has_facility: BoolArray
) -> FloatArray:
    """Utilisation now minus a year ago.

    No facility a year ago (acquisition, activation) counts as no change. Growth
    draws a little more, a quarter of declining clients draw hard (up 30-60 points
    where the lines allow it).
    """
    n = stage.size
    utilisation = np.divide(
        m.drawn_eur, m.limit_eur, out=np.zeros(n), where=m.limit_eur > 0
    )
    surge = bernoulli(rng, n, SURGE_SHARE)
    previous = np.select(
        [stage == GROWTH, stage == MATURITY, stage == DECLINE],
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
    change: FloatArray = utilisation - previous
    return change


def _dscr_headroom(
    c: Clients, pr: Projects, has_drawn: BoolArray
) -> tuple[BoolArray, FloatArray]:
    """Whether a client has a DSCR (a drawn vehicle in operations) and its headroom."""
    n = c.n
    has_dscr = np.zeros(n, dtype=bool)
    headroom = np.zeros(n)
    operating = c.phase[pr.client] == OPERATIONS
    has_dscr[pr.client] = operating & has_drawn[pr.client]
    headroom[pr.client] = np.where(has_dscr[pr.client], pr.dscr - DSCR_LOCK_UP, 0.0)
    return has_dscr, headroom


def _draw_covenant_breaches(
    rng: np.random.Generator,
    stage: IntArray,
    pr: Projects,
    has_facility: BoolArray,
    has_dscr: BoolArray,
) -> IntArray:
    """Covenant breaches over twelve months; a DSCR below default is one at least."""
    n = stage.size
    breaches = np.select(
        [stage == DECLINE, stage == MATURITY],
        [rng.poisson(0.8, n), bernoulli(rng, n, 0.02).astype(np.int64)],
        0,
    )
    dscr_breach = np.zeros(n, dtype=np.int64)
    dscr_breach[pr.client] = has_dscr[pr.client] & (pr.dscr < DSCR_DEFAULT)
    result: IntArray = np.where(has_facility, np.maximum(breaches, dscr_breach), 0)
    return result


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
        assets: The asset each collateral row describes (``None`` until
            ``_draws_assets.share_assets`` has drawn the shared ones: every asset
            is then a facility's own).
    """

    n: int
    clients: Clients
    facilities: Facilities
    measures: Measures
    projects: Projects
    progress: Progress
    signals: Signals
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
    assets: Assets | None = None

    def asset_links(self) -> Assets:
        """The asset of each collateral row (each its own until shared)."""
        return (
            self.assets if self.assets is not None else Assets.unshared(self.facilities)
        )


def draw(rng: np.random.Generator, n: int, as_of: np.datetime64) -> Draws:
    """Draw a whole book of ``n`` clients at ``as_of`` from ``rng`` (in a fixed order)."""
    c = draw_clients(rng, n, as_of)
    f = draw_facilities(rng, c, as_of)
    m = draw_measures(rng, c, f, as_of)
    referrer, referee, referred_on, converted = draw_referrals(rng, c, m.limit_eur)
    fb_client, given_on, channel, score = draw_feedback(rng, c)
    pr = draw_projects(rng, c, f)
    cf_project, period_end, cfads, service = draw_cash_flows(rng, c, f, pr, as_of)
    progress = draw_progress(rng, c, f, pr, as_of)
    s = draw_signals(rng, c, f, m, pr, as_of=as_of)
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
