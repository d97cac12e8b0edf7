"""The client 360 view: everything the bank knows about one relationship, today.

`client_view` reads one client of a `Book` (its facilities, the projects they
finance, its feedback and referrals), converts amounts to the reporting currency,
tests the DSCR covenants on the projects' cash-flow forecasts, and runs the same early
warning and next-best-action step as the batch `relationship_frame`, whose row for the
client it equals (tests check it).

Signals are the history facts a book does not hold (rating notches moved over twelve
months, utilisation change, days past due, months since the first drawdown, the
warehouse's covenant test results): pass them as a mapping keyed by the
`lendcrm.schema` ``SIG_*`` names, or leave them out and they are neutral.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._dates import check_as_of
from lendcrm._frame_rows import Amounts as _Amounts
from lendcrm._frame_rows import client_columns as _client_columns
from lendcrm.book import Book
from lendcrm.entities import Client, Facility, Project
from lendcrm.errors import InvalidValueError
from lendcrm.frames import columns as schema
from lendcrm.lifecycle import (
    CLIENT_LIFECYCLE,
    History,
    assess_stage,
    replay,
    transitions_to_reach,
)
from lendcrm.relationship import columns as col
from lendcrm.relationship._assess import (
    DAYS_PER_MONTH,
    LIVE_STATUSES,
    SIGNAL_FACTS,
    act,
    next_review,
    rating_numbers,
    score_and_grade,
    signal_value,
    tiers,
    warn,
)
from lendcrm.relationship.actions import Action
from lendcrm.relationship.columns import SEPARATOR
from lendcrm.relationship.feedback import satisfaction_trend
from lendcrm.relationship.frames import _costs, _tier_mismatch
from lendcrm.relationship.models import RelationshipModels
from lendcrm.relationship.pricing import RelationshipPrices, price_relationships
from lendcrm.values import ClientId, CovenantMetric, CovenantOperator, ProjectId

__all__ = ["ClientView", "client_view"]

_NAN = float("nan")


@attrs.frozen(kw_only=True)
class ClientView:
    """One client's relationship at ``as_of``; amounts in the reporting currency.

    The attributes named like the `lendcrm.relationship.columns` constants hold the
    values of the client's `relationship_frame` row (`to_row` returns them).

    Attributes:
        client: The client entity.
        as_of: The view's date.
        currency: Reporting currency of every amount.
        facilities: The client's facilities (all statuses), in book order.
        projects: The projects its live facilities finance.
        exposure: Drawn amount of the live facilities.
        limit: Committed limits of the live facilities.
        utilisation: ``exposure / limit`` (0 without a limit).
        facility_count: Live facilities.
        project_count: Projects financed by live facilities.
        months_to_maturity: Months to the nearest live maturity (NaN: none).
        days_to_review: Days to the next annual review.
        revenue_to_bank: Revenue to the bank over the measurement period (NaN:
            not measured).
        profit_to_bank: Profit contribution over the period (NaN: not measured).
        product_count: Products held.
        rating_grade: Rating grade ("" when unrated).
        default_probability: One-year PD (NaN when unknown).
        stage: Assessed lifecycle stage ("" without stage rules).
        stage_reasons: Stage rules that fired, joined by ``","``.
        tier: Value tier after the risk overlay ("" without tiering or measures).
        value_score: The value the tier is cut on (NaN when not tiered).
        score: Scorecard points (NaN without a scorecard).
        scored_pd: PD implied by the score (NaN without a scorecard).
        grade: Master-scale grade ("" without a master scale).
        covenant_breaches: DSCR covenants breached at the next test (or the
            warehouse's count, if larger).
        dscr: Weakest next-period DSCR of the financed projects (NaN: none).
        dscr_headroom: Weakest headroom over a DSCR lock-up level (NaN: none).
        dscr_change: Weakest forecast DSCR minus the next one (NaN: none).
        drawdown_gap: Largest drawn share of debt ahead of progress (NaN: none).
        feedback_count: Feedback records.
        nps: The client's own NPS (NaN: no feedback).
        last_feedback_score: Latest score (NaN: none).
        feedback_trend: Satisfaction slope, points a year (NaN: < two dates).
        referrals_made: Referrals made.
        referrals_converted: Referrals that converted.
        referral_count: Referrals in the measurement period.
        expected_loss: Expected loss of the live facilities (NaN without pricing).
        capital: Capital held for them (NaN without pricing).
        raroc: Relationship RAROC (NaN without capital or pricing).
        eva: Income minus hurdle × capital (NaN without pricing).
        rate_gap: Weakest margin over the minimum margin (NaN: unpriced).
        early_warning_score: Early-warning score 0-100.
        watchlist: Watchlist recommendation.
        warning_reasons: The early-warning signals that fired.
        actions: The next best actions, ranked, with reasons.
        history: The client's stored, hash-chained lifecycle history, if given.
        stored_stage: The stage the history leads to ("" without a history).
        proposed_events: The lifecycle events that move the stored stage to the
            assessed one (`lendcrm.lifecycle.transitions_to_reach`); empty when
            they agree, when either is unknown, or when the assessed stage cannot
            be reached from the stored one (then ``stage_review`` is true).
        stage_review: The assessed stage cannot be reached from the stored one:
            keep the stored stage and review the client by hand.
    """

    client: Client
    as_of: dt.date
    currency: str
    facilities: tuple[Facility, ...]
    projects: tuple[Project, ...]
    exposure: float
    limit: float
    utilisation: float
    facility_count: int
    project_count: int
    months_to_maturity: float
    days_to_review: float
    revenue_to_bank: float
    profit_to_bank: float
    product_count: int
    rating_grade: str
    default_probability: float
    stage: str
    stage_reasons: str
    tier: str
    value_score: float
    score: float
    scored_pd: float
    grade: str
    covenant_breaches: float
    dscr: float
    dscr_headroom: float
    dscr_change: float
    drawdown_gap: float
    feedback_count: int
    nps: float
    last_feedback_score: float
    feedback_trend: float
    referrals_made: int
    referrals_converted: int
    referral_count: int
    expected_loss: float
    capital: float
    raroc: float
    eva: float
    rate_gap: float
    early_warning_score: float
    watchlist: bool
    warning_reasons: tuple[str, ...]
    actions: tuple[Action, ...]
    history: History | None = None
    stored_stage: str = ""
    proposed_events: tuple[str, ...] = ()
    stage_review: bool = False

    @property
    def next_action(self) -> str:
        """The best next action ("" when none)."""
        return self.actions[0].name if self.actions else ""

    def to_row(self) -> dict[str, object]:
        """The view as the client's `relationship_frame` row (column -> value).

        Examples:
            >>> import datetime as dt
            >>> from lendcrm import Client, ClientId, Money, Sector
            >>> c = Client(id=ClientId("C-1"), legal_name="Nordwind GmbH",
            ...     sector=Sector.MANUFACTURING, country="DE",
            ...     onboarded_on=dt.date(2020, 3, 1), annual_revenue=Money.of("1", "EUR"))
            >>> row = client_view(Book(clients=(c,)), "C-1", as_of=dt.date(2026, 1, 31),
            ...                   models=RelationshipModels()).to_row()
            >>> row["days_to_review"], row["next_action"]
            (29.0, '')
        """
        row: dict[str, object] = {
            name: getattr(self, name)
            for name in (
                col.EXPOSURE,
                col.LIMIT,
                col.UTILISATION,
                col.FACILITY_COUNT,
                col.PROJECT_COUNT,
                col.MONTHS_TO_MATURITY,
                col.DAYS_TO_REVIEW,
                col.REVENUE_TO_BANK,
                col.PROFIT_TO_BANK,
                col.PRODUCT_COUNT,
                col.RATING_GRADE,
                col.DEFAULT_PROBABILITY,
                col.STAGE,
                col.STAGE_REASONS,
                col.TIER,
                col.VALUE_SCORE,
                col.SCORE,
                col.SCORED_PD,
                col.GRADE,
                col.COVENANT_BREACHES,
                col.DSCR,
                col.DSCR_HEADROOM,
                col.DSCR_CHANGE,
                col.DRAWDOWN_GAP,
                col.FEEDBACK_COUNT,
                col.NPS,
                col.LAST_FEEDBACK_SCORE,
                col.FEEDBACK_TREND,
                col.REFERRALS_MADE,
                col.REFERRALS_CONVERTED,
                col.REFERRAL_COUNT,
                col.EXPECTED_LOSS,
                col.CAPITAL,
                col.RAROC,
                col.EVA,
                col.RATE_GAP,
                col.EARLY_WARNING_SCORE,
                col.WATCHLIST,
            )
        }
        row[col.WARNING_REASONS] = col.SEPARATOR.join(self.warning_reasons)
        row[col.NEXT_ACTION] = self.next_action
        row[col.NEXT_ACTION_REASON] = self.actions[0].reason if self.actions else ""
        row[col.ACTIONS] = col.SEPARATOR.join(a.name for a in self.actions)
        return row


def _check_as_of(client: Client, book: Book, as_of: object) -> dt.date:
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


def _next_dscr(project: Project, as_of: dt.date) -> tuple[float, float]:
    """(next-period DSCR, weakest forecast DSCR) of a project; NaN without one."""
    ratios = [
        float(cf.cfads.amount / cf.debt_service.amount)
        for cf in project.cash_flows
        if cf.period_end > as_of
        and cf.debt_service is not None
        and cf.debt_service.amount > 0
    ]
    if not ratios:
        return _NAN, _NAN
    return ratios[0], min(ratios)


def _gap(project: Project) -> float:
    if not project.milestones or project.debt.amount <= 0:
        return _NAN
    drawn = 0.0  # sequential sums, in record order, as the batch path adds them
    for d in project.drawdowns:
        drawn += float(d.amount.amount)
    progress = 0.0
    for m in project.milestones:
        progress += m.percent_complete
    progress /= len(project.milestones)
    return drawn / float(project.debt.amount) - progress / 100.0


def _nanmin(values: list[float]) -> float:
    kept = [v for v in values if not math.isnan(v)]
    return min(kept) if kept else _NAN


def _nanmax(values: list[float]) -> float:
    kept = [v for v in values if not math.isnan(v)]
    return max(kept) if kept else _NAN


def _opt(value: float | None) -> float:
    return _NAN if value is None else float(value)


def _price(
    live: list[Facility], client: Client, models: RelationshipModels
) -> RelationshipPrices:
    if models.pricing is None:
        nan = np.full(1, np.nan)
        return RelationshipPrices(
            expected_loss=nan, capital=nan, raroc=nan, eva=nan, rate_gap=nan
        )
    rates = np.array([models.rate(f.currency) for f in live], dtype=np.float64)
    own_pd = np.array([_opt(f.default_probability) for f in live], dtype=np.float64)
    return price_relationships(
        codes=np.zeros(len(live), dtype=np.int64),
        n=1,
        drawn=np.array([float(f.drawn.amount) for f in live]) * rates,
        limit=np.array([float(f.limit.amount) for f in live]) * rates,
        default_probability=np.where(
            np.isnan(own_pd), _opt(client.default_probability), own_pd
        ),
        lgd=np.array([_opt(f.loss_given_default) for f in live], dtype=np.float64),
        ccf=np.array(
            [_opt(f.credit_conversion_factor) for f in live], dtype=np.float64
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


def _project_facts(
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
    dscrs = {p.id: _next_dscr(p, as_of) for p in projects}
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
        _nanmin(headrooms),
        _nanmin([dscrs[p][0] for p in project_ids]),
        _nanmin([dscrs[p][1] - dscrs[p][0] for p in project_ids]),
        _nanmax([_gap(p) for p in projects]),
    )


def _stage(
    signals: Mapping[str, object] | None,
    watch: bool,  # noqa: FBT001 - private helper
    as_of: dt.date,
    models: RelationshipModels,
) -> tuple[str, str]:
    if models.stage_rules is None:
        return "", ""
    if signals is None:
        raise InvalidValueError(
            field="signals",
            value=None,
            expected="the client's SIG_* signals (the stage rules of the models "
            "read them)",
        )
    row = dict(signals)
    row[schema.SIG_ON_WATCHLIST] = bool(row.get(schema.SIG_ON_WATCHLIST)) or watch
    found = assess_stage(row, as_of=as_of, rules=models.stage_rules)
    return found.stage.value, SEPARATOR.join(found.reasons)


def _client_row(client: Client) -> dict[str, npt.NDArray[np.generic]]:
    """The client's values under the clients-frame column names, one-element arrays.

    Built by the core bridge's own row function, so they are the values
    `lendcrm.frames.clients_frame` would hold, without building a DataFrame.
    """
    columns = _client_columns((client,), _Amounts())
    return {name: np.asarray(values) for name, values in columns.items()}


def _tier(  # noqa: PLR0917 - the tiering step of the entity face
    client: Client,
    revenue: float,
    profit: float,
    watch: npt.NDArray[np.bool_],
    prices: RelationshipPrices,
    as_of: dt.date,
    models: RelationshipModels,
) -> tuple[str, float]:
    m = client.measures
    if models.tiering is None:
        return "", _NAN
    _tier_mismatch(models, ())  # an entity has no referral amount column
    if m is None or math.isnan(revenue) or math.isnan(profit):
        return "", _NAN
    tenure = float((as_of - client.onboarded_on).days)
    last = m.last_transaction_on
    recency = tenure if last is None else float((as_of - last).days)
    el, cost = _costs(prices, models)
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


def _lifecycle(
    client: Client, history: History | None, assessed: str
) -> tuple[str, tuple[str, ...], bool]:
    """Stored stage, events to reach the assessed stage, and the review flag."""
    if history is None:
        return "", (), False
    if history.entity_id != client.id:
        raise InvalidValueError(
            field="history.entity_id",
            value=history.entity_id,
            expected=f"the client's id {client.id!r}",
        )
    stored = str(replay(CLIENT_LIFECYCLE, history))
    if not assessed:
        return stored, (), False
    try:
        events = transitions_to_reach(stored, assessed)
    except InvalidValueError:
        return stored, (), True
    return stored, tuple(str(e) for e in events), False


def client_view(
    book: Book,
    client_id: str,
    *,
    as_of: dt.date,
    models: RelationshipModels,
    signals: Mapping[str, object] | None = None,
    history: History | None = None,
) -> ClientView:
    """Everything about one client at ``as_of``: exposure, value, risk, feedback, actions.

    Args:
        book: The book holding the client.
        client_id: The client's id.
        as_of: The view's date: on or after every date in the client's data.
        models: Reporting currency and rates, early-warning policy, action rules.
        signals: The client's history facts keyed by ``SIG_*`` names (see the
            module docstring), or ``None`` for neutral values.
        history: The client's stored lifecycle history (`lendcrm.lifecycle.History`
            of `CLIENT_LIFECYCLE`), verified and replayed to the stored stage, which
            the view compares with the assessed stage.

    Returns:
        The client's `ClientView`, equal to its `relationship_frame` row.

    Raises:
        UnknownReferenceError: no client with that id (with a did-you-mean hint).
        InvalidValueError: ``as_of`` before the data, a currency without a rate, a
            signal missing from ``signals`` or out of range.
        RuleError: a next-best-action rule failed (names the rule).
        ModelMismatchError: the models' scorecard was fitted on characteristics the
            client's row (the core clients schema) does not have.
        TamperedHistoryError: ``history`` fails its hash-chain check.

    Examples:
        >>> import datetime as dt
        >>> from lendcrm import Client, ClientId, Money, Sector
        >>> c = Client(id=ClientId("C-1"), legal_name="Nordwind GmbH",
        ...     sector=Sector.MANUFACTURING, country="DE",
        ...     onboarded_on=dt.date(2020, 3, 1), annual_revenue=Money.of("1", "EUR"))
        >>> client_view(Book(clients=(c,)), "C-2", as_of=dt.date(2026, 1, 31),
        ...             models=RelationshipModels())
        Traceback (most recent call last):
        ...
        lendcrm.errors.UnknownReferenceError: No client with id 'C-2'. Did you mean 'C-1'?
    """
    client = book.client(ClientId(client_id))
    as_of = _check_as_of(client, book, as_of)
    facilities = book.facilities_of(client.id)
    live = [f for f in facilities if f.status.value in LIVE_STATUSES]
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
    projects, breaches, headroom, dscr, change, gap = _project_facts(
        live, book, as_of, signals
    )
    fb = client.feedback
    if fb:
        trend = satisfaction_trend(
            [client.id] * len(fb), [x.on for x in fb], [x.score for x in fb]
        )
        nps, last, slope = (
            float(trend.nps[0]),
            float(trend.last_score[0]),
            float(trend.slope[0]),
        )
    else:
        nps = last = slope = _NAN
    m = client.measures
    ccy_rate = models.rate(client.currency)
    revenue = _NAN if m is None else float(m.revenue_to_bank.amount) * ccy_rate
    profit = _NAN if m is None else float(m.profit_to_bank.amount) * ccy_rate
    products = 0 if m is None else m.product_count
    referral_count = 0 if m is None else m.referral_count
    review = float(
        next_review(
            np.array([client.onboarded_on], dtype="datetime64[D]"),
            np.datetime64(as_of, "D"),
        )[0]
    )
    signal_facts = {
        fact: [signal_value(signals, name, default)]
        for name, (fact, default) in SIGNAL_FACTS.items()
    }
    has_drawn = (
        exposure > 0
        if signals is None
        else bool(signal_value(signals, schema.SIG_HAS_DRAWN, 0.0))
    )
    utilisation = exposure / limit if limit > 0 else 0.0
    prices = _price(live, client, models)
    stored_pd = np.array([_opt(client.default_probability)])
    columns: dict[str, npt.NDArray[np.generic]] = {}
    if models.scorecard is not None:
        row = _client_row(client)
        columns = {c: row[c] for c in models.scorecard.names if c in row}
    score, scored_pd, master_grade = score_and_grade(columns, stored_pd, models)
    facts, warnings = warn(
        client_ids=[client.id],
        models=models,
        utilisation=[utilisation],
        covenant_breaches=[breaches],
        dscr_headroom=[headroom],
        dscr_change=[change],
        drawdown_gap=[gap],
        feedback_trend=[slope],
        last_feedback_score=[last],
        has_facility=[bool(live)],
        has_drawn=[has_drawn],
        months_to_maturity=[min(maturities) if maturities else _NAN],
        days_to_review=[review],
        product_count=[products],
        referral_count=[referral_count],
        rate_gap=prices.rate_gap,
        **signal_facts,
    )
    watch = bool(warnings.watchlist[0])
    stage, stage_reasons = _stage(signals, watch, as_of, models)
    tier, value_score = _tier(
        client, revenue, profit, warnings.watchlist, prices, as_of, models
    )
    result = act(
        facts,
        warnings,
        stage=np.array([stage]),
        tier=np.array([tier]),
        models=models,
    )
    stored, proposed, needs_review = _lifecycle(client, history, stage)
    return ClientView(
        client=client,
        as_of=as_of,
        currency=models.reporting_currency,
        facilities=facilities,
        projects=projects,
        exposure=exposure,
        limit=limit,
        utilisation=utilisation,
        facility_count=len(live),
        project_count=len(projects),
        months_to_maturity=min(maturities) if maturities else _NAN,
        days_to_review=review,
        revenue_to_bank=revenue,
        profit_to_bank=profit,
        product_count=products,
        rating_grade=client.rating_grade or "",
        default_probability=_NAN
        if client.default_probability is None
        else client.default_probability,
        stage=stage,
        stage_reasons=stage_reasons,
        tier=tier,
        value_score=value_score,
        score=float(score[0]),
        scored_pd=float(scored_pd[0]),
        grade=str(master_grade[0]),
        covenant_breaches=breaches,
        dscr=dscr,
        dscr_headroom=headroom,
        dscr_change=change,
        drawdown_gap=gap,
        feedback_count=len(fb),
        nps=nps,
        last_feedback_score=last,
        feedback_trend=slope,
        referrals_made=len(client.referrals),
        referrals_converted=sum(1 for r in client.referrals if r.converted),
        referral_count=referral_count,
        expected_loss=float(prices.expected_loss[0]),
        capital=float(prices.capital[0]),
        raroc=float(prices.raroc[0]),
        eva=float(prices.eva[0]),
        rate_gap=float(prices.rate_gap[0]),
        early_warning_score=float(result.warnings.score[0]),
        watchlist=bool(result.warnings.watchlist[0]),
        warning_reasons=result.warnings.reasons(0),
        actions=result.actions.actions(0),
        history=history,
        stored_stage=stored,
        proposed_events=proposed,
        stage_review=needs_review,
    )
