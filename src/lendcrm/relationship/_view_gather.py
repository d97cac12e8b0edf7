"""The gathering steps of `client_view`: one client's facts from the entities.

Each step computes what the batch face (`lendcrm.relationship.frames`) gathers over
whole columns, for one client and in the same order of operations, so the view
equals the client's `relationship_frame` row.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping

import numpy as np
import numpy.typing as npt

from lendcrm._book import Book
from lendcrm._dates import check_as_of
from lendcrm._entities import Client, Facility
from lendcrm._enums import CovenantMetric, CovenantOperator
from lendcrm._project import Project
from lendcrm._values import ProjectId
from lendcrm.errors import InvalidValueError
from lendcrm.frames import columns as schema
from lendcrm.relationship._assess import (
    DAYS_PER_MONTH,
    costs,
    rating_numbers,
    signal_value,
    tier_mismatch,
    tiers,
)
from lendcrm.relationship._feedback import satisfaction_trend
from lendcrm.relationship._models import RelationshipModels
from lendcrm.relationship._pricing import RelationshipPrices, price_relationships


def check_view_as_of(client: Client, book: Book, as_of: object) -> dt.date:
    """``as_of`` as a date, refused when before the latest date of the client's data."""
    as_of = check_as_of(as_of)
    dates: list[tuple[dt.date, str]] = [(client.onboarded_on, "onboarded_on")]
    if client.measures is not None:
        dates.append((client.measures.period_end, "measured_on"))
    dates.extend((f.on, "feedback_on") for f in client.feedback)
    dates.extend((r.on, "referred_on") for r in client.referrals)
    for f in book.facilities_of(client.id):
        if f.project_id is not None:
            project = book.project(f.project_id)
            dates.extend((d.on, "drawn_on") for d in project.drawdowns)
    latest, what = max(dates)
    if as_of < latest:
        raise InvalidValueError(
            field="as_of",
            value=as_of,
            expected=f"a date on or after the latest date of the data ({latest}, "
            f"`{what}`)",
        )
    return as_of


def next_dscr(project: Project, as_of: dt.date) -> tuple[float, float]:
    """(next-period DSCR, weakest forecast DSCR) of a project; NaN without one."""
    ratios = [
        float(cf.cfads.amount / cf.debt_service.amount)
        for cf in project.cash_flows
        if cf.period_end > as_of
        and cf.debt_service is not None
        and cf.debt_service.amount > 0
    ]
    if not ratios:
        return math.nan, math.nan
    return ratios[0], min(ratios)


def drawdown_gap(project: Project) -> float:
    """Drawn share of the debt minus the mean completion share (NaN: not measurable)."""
    if not project.milestones or project.debt.amount <= 0:
        return math.nan
    drawn = 0.0  # sequential sums, in record order, as the batch path adds them
    for d in project.drawdowns:
        drawn += float(d.amount.amount)
    progress = 0.0
    for m in project.milestones:
        progress += m.percent_complete
    progress /= len(project.milestones)
    return drawn / float(project.debt.amount) - progress / 100.0


def nan_min(values: list[float]) -> float:
    """The smallest value that is not NaN (NaN when none)."""
    kept = [v for v in values if not math.isnan(v)]
    return min(kept) if kept else math.nan


def nan_max(values: list[float]) -> float:
    """The largest value that is not NaN (NaN when none)."""
    kept = [v for v in values if not math.isnan(v)]
    return max(kept) if kept else math.nan


def or_nan(value: float | None) -> float:
    """``value`` as float, NaN for ``None``."""
    return math.nan if value is None else float(value)


def price_live(
    live: list[Facility], client: Client, models: RelationshipModels
) -> RelationshipPrices:
    """Pricing of the client's live facilities (NaN throughout without pricing)."""
    if models.pricing is None:
        nan = np.full(1, np.nan)
        return RelationshipPrices(
            expected_loss=nan, capital=nan, raroc=nan, eva=nan, rate_gap=nan
        )
    rates = np.array([models.rate(f.currency) for f in live], dtype=np.float64)
    own_pd = np.array([or_nan(f.default_probability) for f in live], dtype=np.float64)
    return price_relationships(
        codes=np.zeros(len(live), dtype=np.int64),
        n=1,
        drawn=np.array([float(f.drawn.amount) for f in live]) * rates,
        limit=np.array([float(f.limit.amount) for f in live]) * rates,
        default_probability=np.where(
            np.isnan(own_pd), or_nan(client.default_probability), own_pd
        ),
        lgd=np.array([or_nan(f.loss_given_default) for f in live], dtype=np.float64),
        ccf=np.array(
            [or_nan(f.credit_conversion_factor) for f in live], dtype=np.float64
        ),
        tenor_days=np.array([float(f.tenor_days) for f in live]),
        margin=np.array([f.pricing.margin_bps for f in live], dtype=np.float64)
        / 10_000,
        commitment_fee=np.array(
            [f.pricing.commitment_fee_bps for f in live], dtype=np.float64
        )
        / 10_000,
        arrangement_fee=np.array(
            [float(f.pricing.arrangement_fee.amount) for f in live]
        )
        * rates,
        params=models.pricing,
    )


def project_facts(
    live: list[Facility],
    book: Book,
    as_of: dt.date,
    signals: Mapping[str, object] | None,
) -> tuple[tuple[Project, ...], float, float, float, float, float]:
    """Projects of the live facilities, DSCR covenant tests, DSCR and drawdown gap."""
    project_ids: list[ProjectId] = []
    for f in live:
        if f.project_id is not None and f.project_id not in project_ids:
            project_ids.append(f.project_id)
    projects = tuple(book.project(p) for p in project_ids)
    dscrs = {p.id: next_dscr(p, as_of) for p in projects}
    breaches = 0.0
    headrooms: list[float] = []
    for f in live:
        if f.project_id is None:
            continue
        nxt = dscrs[f.project_id][0]
        for c in f.covenants:
            if (
                c.metric is CovenantMetric.DSCR
                and c.operator is CovenantOperator.AT_LEAST
                and not math.isnan(nxt)
            ):
                breaches += float(nxt < c.threshold)
                level = c.lock_up_level if c.lock_up_level is not None else c.threshold
                headrooms.append(nxt - level)
    if signals is not None:
        breaches = max(
            breaches, signal_value(signals, schema.SIG_COVENANT_BREACHES, 0.0)
        )
    return (
        projects,
        breaches,
        nan_min(headrooms),
        nan_min([dscrs[p][0] for p in project_ids]),
        nan_min([dscrs[p][1] - dscrs[p][0] for p in project_ids]),
        nan_max([drawdown_gap(p) for p in projects]),
    )


def tier_of(  # noqa: PLR0917 - the tiering step of the entity face
    client: Client,
    revenue: float,
    profit: float,
    watch: npt.NDArray[np.bool_],
    prices: RelationshipPrices,
    as_of: dt.date,
    models: RelationshipModels,
) -> tuple[str, float]:
    """Tier (after the risk overlay) and value score of the client."""
    m = client.measures
    if models.tiering is None:
        return "", math.nan
    tier_mismatch(models, ())  # an entity has no referral amount column
    if m is None or math.isnan(revenue) or math.isnan(profit):
        return "", math.nan
    tenure = float((as_of - client.onboarded_on).days)
    last = m.last_transaction_on
    recency = tenure if last is None else float((as_of - last).days)
    el, cost = costs(prices, models)
    grades = np.array([client.rating_grade or ""], dtype=str)
    t, v = tiers(
        client_ids=np.array([client.id], dtype=str),
        revenue=np.array([revenue]),
        profit=np.array([profit]),
        tenure_days=np.array([tenure]),
        product_count=np.array([float(m.product_count)]),
        referral_count=np.array([float(m.referral_count)]),
        transaction_count=np.array([float(m.transaction_count)]),
        recency_days=np.array([recency]),
        referral_amount=None,
        rating=rating_numbers(grades, models)
        if models.overlay is not None
        else np.zeros(1),
        on_watchlist=np.array([client.on_watchlist]),
        early_warning=watch,
        expected_loss=el,
        capital_cost=cost,
        models=models,
    )
    return str(t[0]), float(v[0])


def exposure_of(
    live: list[Facility], as_of: dt.date, models: RelationshipModels
) -> tuple[float, float, float]:
    """Exposure, limit and months to the nearest maturity of the live facilities."""
    exposure = 0.0
    limit = 0.0
    for f in live:
        rate = models.rate(f.currency)
        exposure += float(f.drawn.amount) * rate
        limit += float(f.limit.amount) * rate
    maturities = [
        (f.maturity_on - as_of).days / DAYS_PER_MONTH
        for f in live
        if f.maturity_on > as_of
    ]
    return exposure, limit, min(maturities) if maturities else math.nan


def feedback_of(client: Client) -> tuple[float, float, float]:
    """NPS, last score and trend of the client's feedback (NaN without any)."""
    fb = client.feedback
    if not fb:
        return math.nan, math.nan, math.nan
    trend = satisfaction_trend(
        [client.id] * len(fb), [x.on for x in fb], [x.score for x in fb]
    )
    return float(trend.nps[0]), float(trend.last_score[0]), float(trend.slope[0])
