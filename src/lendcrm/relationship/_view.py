"""The client 360 view: everything the bank knows about one relationship, today.

`client_view` reads one client of a `Book` (its facilities, the projects they
finance, its feedback and referrals), converts amounts to the reporting currency,
tests the DSCR covenants on the projects' cash-flow forecasts, and runs the same early
warning and next-best-action step as the batch `relationship_frame`, whose row for the
client it equals (tests check it).

Signals are the history facts a book does not hold (rating notches moved over twelve
months, utilisation change, days past due, months since the first drawdown, the
warehouse's covenant test results): pass them as a mapping keyed by the
`lendcrm.frames.columns` ``SIG_*`` names, or leave them out and they are neutral.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._book import Book
from lendcrm._entities import Client, Facility
from lendcrm._frame_rows import Amounts, client_columns
from lendcrm._project import Project
from lendcrm._validators import require_instance
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
from lendcrm.relationship._actions import Action
from lendcrm.relationship._assess import (
    LIVE_STATUSES,
    SIGNAL_FACTS,
    next_review,
    score_and_grade,
    signal_value,
    warn,
)
from lendcrm.relationship._commercial_view import commercial_of
from lendcrm.relationship._lifetime_pricing import lifetime_of
from lendcrm.relationship._models import RelationshipModels
from lendcrm.relationship._service import Tasks
from lendcrm.relationship._view_gather import (
    check_view_as_of,
    exposure_of,
    feedback_of,
    or_nan,
    price_live,
    project_facts,
    tier_of,
)
from lendcrm.relationship._view_steps import client_of, serve_and_act
from lendcrm.relationship.columns import SEPARATOR

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
        service: The service-model columns (#13): ``relationship_manager``,
            ``days_since_contact``, ``contact_gap``, ``contact_standing``,
            ``next_credit_review_on``, ``review_overdue_days`` (the client's tier
            and stage under ``models.service``), ``open_tasks``,
            ``overdue_tasks`` and ``oldest_overdue_days`` (the tasks passed in).
        commercial: The commercial columns (#14) of the caller's ``commercial`` input.
        lifetime_raroc: Relationship RAROC over the facilities' lives at the bank's
            share (`None` unless ``RelationshipPricing(lifetime=True)``; NaN: see
            `lendcrm.relationship.columns.LIFETIME_RAROC`).
        meets_lifetime_hurdle: Whether it reaches the hurdle (`None` when off).
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
    service: Mapping[str, object] = attrs.field(factory=dict)
    commercial: Mapping[str, object] = attrs.field(factory=dict)
    lifetime_raroc: float | None = None
    meets_lifetime_hurdle: bool | None = None

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
                schema.LIMIT,
                col.UTILISATION,
                col.FACILITY_COUNT,
                col.PROJECT_COUNT,
                col.MONTHS_TO_MATURITY,
                col.DAYS_TO_REVIEW,
                schema.REVENUE_TO_BANK,
                schema.PROFIT_TO_BANK,
                schema.PRODUCT_COUNT,
                schema.RATING_GRADE,
                schema.DEFAULT_PROBABILITY,
                schema.STAGE,
                col.STAGE_REASONS,
                col.TIER,
                col.VALUE_SCORE,
                schema.SCORE,
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
                schema.REFERRAL_COUNT,
                schema.EXPECTED_LOSS,
                schema.CAPITAL,
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
        life = {
            col.LIFETIME_RAROC: self.lifetime_raroc,
            col.MEETS_LIFETIME_HURDLE: self.meets_lifetime_hurdle,
        }
        if self.lifetime_raroc is None:
            life = {}
        return {**row, **self.service, **self.commercial, **life}


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
    columns = client_columns((client,), Amounts())
    return {name: np.asarray(values) for name, values in columns.items()}


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


@attrs.frozen(kw_only=True)
class _Facts:
    """What the book and the signals say about one client, in the reporting currency."""

    facilities: tuple[Facility, ...]  # all statuses, in book order
    live: list[Facility]
    projects: tuple[Project, ...]
    exposure: float
    limit: float
    utilisation: float
    months_to_maturity: float
    days_to_review: float
    revenue: float
    profit: float
    products: int
    referral_count: int
    breaches: float
    headroom: float
    dscr: float
    change: float
    gap: float
    nps: float
    last: float
    slope: float
    has_drawn: bool
    signal_facts: dict[str, list[float]]  # early-warning fact -> [value]
    lifetime: tuple[float | None, bool | None]  # lifetime RAROC, hurdle met


def _gather_facts(
    book: Book,
    client: Client,
    as_of: dt.date,
    models: RelationshipModels,
    signals: Mapping[str, object] | None,
) -> _Facts:
    """Exposure, projects, feedback, measures and signals of ``client`` at ``as_of``."""
    facilities = book.facilities_of(client.id)
    live = [f for f in facilities if f.status.value in LIVE_STATUSES]
    exposure, limit, months_to_maturity = exposure_of(live, as_of, models)
    projects, breaches, headroom, dscr, change, gap = project_facts(
        live, book, as_of, signals
    )
    nps, last, slope = feedback_of(client)
    m = client.measures
    ccy_rate = models.rate(client.currency)
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
    return _Facts(
        facilities=facilities,
        live=live,
        projects=projects,
        exposure=exposure,
        limit=limit,
        utilisation=exposure / limit if limit > 0 else 0.0,
        months_to_maturity=months_to_maturity,
        days_to_review=review,
        revenue=_NAN if m is None else float(m.revenue_to_bank.amount) * ccy_rate,
        profit=_NAN if m is None else float(m.profit_to_bank.amount) * ccy_rate,
        products=0 if m is None else m.product_count,
        referral_count=0 if m is None else m.referral_count,
        breaches=breaches,
        headroom=headroom,
        dscr=dscr,
        change=change,
        gap=gap,
        nps=nps,
        last=last,
        slope=slope,
        has_drawn=has_drawn,
        signal_facts=signal_facts,
        lifetime=lifetime_of(live, client, as_of, models),
    )


def _warning_inputs(
    facts: _Facts, rate_gap: npt.NDArray[np.float64]
) -> dict[str, object]:
    """The one-client fact columns the early warnings read, keyed as `warn` takes them."""
    return {
        "utilisation": [facts.utilisation],
        "covenant_breaches": [facts.breaches],
        "dscr_headroom": [facts.headroom],
        "dscr_change": [facts.change],
        "drawdown_gap": [facts.gap],
        "feedback_trend": [facts.slope],
        "last_feedback_score": [facts.last],
        "has_facility": [bool(facts.live)],
        "has_drawn": [facts.has_drawn],
        "months_to_maturity": [facts.months_to_maturity],
        "days_to_review": [facts.days_to_review],
        "product_count": [facts.products],
        "referral_count": [facts.referral_count],
        "rate_gap": rate_gap,
        **facts.signal_facts,
    }


def _score_client(
    client: Client, models: RelationshipModels
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.str_]]:
    """Scorecard points, the PD they imply and the master-scale grade (one element)."""
    stored_pd = np.array([or_nan(client.default_probability)])
    columns: dict[str, npt.NDArray[np.generic]] = {}
    if models.scorecard is not None:
        row = _client_row(client)
        columns = {c: row[c] for c in models.scorecard.names if c in row}
    return score_and_grade(columns, stored_pd, models)


def client_view(
    book: Book,
    client_id: str,
    *,
    as_of: dt.date,
    models: RelationshipModels,
    signals: Mapping[str, object] | None = None,
    history: History | None = None,
    commercial: Mapping[str, object] | None = None,
    tasks: Tasks | None = None,
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
        commercial: The client's row of `relationship_frame`'s ``commercial`` input
            (next product and/or attrition, #14), or ``None``.
        tasks: The book's tasks (a tasks frame or `Task` objects); the client's
            live and overdue ones fill the task columns of ``service``.

    Returns:
        The client's `ClientView`, equal to its `relationship_frame` row.

    Raises:
        UnknownReferenceError: no client with that id (with a did-you-mean hint).
        InvalidValueError: ``book`` is not a `Book` or ``models`` not a
            `RelationshipModels`; ``as_of`` before the data, a currency without a
            rate, a signal missing from ``signals`` or out of range.
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
    require_instance(
        models, RelationshipModels, name="models", what="a RelationshipModels"
    )
    client = client_of(book, client_id)
    as_of = check_view_as_of(client, book, as_of)
    facts = _gather_facts(book, client, as_of, models, signals)
    prices = price_live(facts.live, client, models)
    score, scored_pd, master_grade = _score_client(client, models)
    warn_facts, warnings = warn(
        client_ids=[client.id],
        models=models,
        **_warning_inputs(facts, prices.rate_gap),
    )
    watch = bool(warnings.watchlist[0])
    stage, stage_reasons = _stage(signals, watch, as_of, models)
    tier, value_score = tier_of(
        client, facts.revenue, facts.profit, warnings.watchlist, prices, as_of, models
    )
    extra = commercial_of(commercial)
    service, result = serve_and_act(
        book, client, as_of, (tier, stage), extra.onto(warn_facts), warnings, models,
        tasks,
    )  # fmt: skip
    actions, extra_columns = extra.view_parts(result.actions, models.actions)
    stored, proposed, needs_review = _lifecycle(client, history, stage)
    return ClientView(
        client=client,
        as_of=as_of,
        currency=models.reporting_currency,
        facilities=facts.facilities,
        projects=facts.projects,
        exposure=facts.exposure,
        limit=facts.limit,
        utilisation=facts.utilisation,
        facility_count=len(facts.live),
        project_count=len(facts.projects),
        months_to_maturity=facts.months_to_maturity,
        days_to_review=float(service.days_to_review[0]),
        revenue_to_bank=facts.revenue,
        profit_to_bank=facts.profit,
        product_count=facts.products,
        rating_grade=client.rating_grade or "",
        default_probability=or_nan(client.default_probability),
        stage=stage,
        stage_reasons=stage_reasons,
        tier=tier,
        value_score=value_score,
        score=float(score[0]),
        scored_pd=float(scored_pd[0]),
        grade=str(master_grade[0]),
        covenant_breaches=facts.breaches,
        dscr=facts.dscr,
        dscr_headroom=facts.headroom,
        dscr_change=facts.change,
        drawdown_gap=facts.gap,
        feedback_count=len(client.feedback),
        nps=facts.nps,
        last_feedback_score=facts.last,
        feedback_trend=facts.slope,
        referrals_made=len(client.referrals),
        referrals_converted=sum(1 for r in client.referrals if r.converted),
        referral_count=facts.referral_count,
        expected_loss=float(prices.expected_loss[0]),
        capital=float(prices.capital[0]),
        raroc=float(prices.raroc[0]),
        eva=float(prices.eva[0]),
        rate_gap=float(prices.rate_gap[0]),
        early_warning_score=float(result.warnings.score[0]),
        watchlist=bool(result.warnings.watchlist[0]),
        warning_reasons=result.warnings.reasons(0),
        actions=actions,
        history=history,
        stored_stage=stored,
        proposed_events=proposed,
        stage_review=needs_review,
        service=service.row(),
        commercial=extra_columns,
        lifetime_raroc=facts.lifetime[0],
        meets_lifetime_hurdle=facts.lifetime[1],
    )
