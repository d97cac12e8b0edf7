"""The batch face: the relationship view of every client as one DataFrame.

`relationship_frame` gathers the same facts as `client_view`, vectorised over the
whole book (group sums and minima with ``numpy.bincount`` and ``ufunc.at`` over client
codes; no loop over clients), then runs the shared early-warning and next-best-action
step. Each row equals the client's `client_view` (tests check it), and each row
depends only on its client's records, so the frame of a book equals the frames of its
parts split by client (see `lendcrm.relationship.scaleout`).

This is the only relationship module that imports pandas.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from lendcrm._dates import DAYS_PER_YEAR, check_as_of
from lendcrm._validators import require_instance
from lendcrm.errors import InvalidValueError
from lendcrm.frames import BookFrames, ColumnSpec, check_frame
from lendcrm.frames import columns as schema
from lendcrm.relationship import columns as col
from lendcrm.relationship._actions import NextBestActions, next_best_actions
from lendcrm.relationship._assess import act, warn
from lendcrm.relationship._commercial_view import commercial_rows
from lendcrm.relationship._covenant_input import covenant_results
from lendcrm.relationship._early_warning import SIGNALS, EarlyWarnings, early_warnings
from lendcrm.relationship._facts import FACT_NAMES, ClientFacts, client_facts
from lendcrm.relationship._feedback import nps_by_group
from lendcrm.relationship._gather import (
    check_frames_as_of,
    codes_of,
    date_column,
    day_values,
    first_action,
    float_column,
    float_values,
    fx_rates,
    joined,
    str_column,
)
from lendcrm.relationship._gather_client import (
    OwnColumns,
    Risk,
    Signals,
    gather_own,
    gather_risk,
    gather_signals,
    stage_rows,
    tier_rows,
)
from lendcrm.relationship._gather_records import (
    Facilities,
    Feedback,
    Projects,
    client_index,
    gather_covenants,
    gather_facilities,
    gather_feedback,
    gather_projects,
)
from lendcrm.relationship._lifetime_pricing import with_lifetime
from lendcrm.relationship._models import RelationshipModels
from lendcrm.relationship._movement import (
    TIER_COLUMNS,
    rating_migration_counts,
    tier_migration,
)
from lendcrm.relationship._service import ServiceColumns, Tasks, service_rows
from lendcrm.relationship._signals_frame import (
    HISTORY_COLUMNS,
    book_signals,
    signals_from_history,
)
from lendcrm.relationship._trends import (
    PROFIT_SLOPE,
    REVENUE_SLOPE,
    SATISFACTION_SLOPE,
    TREND_PERIODS,
    value_trends,
)
from lendcrm.segmentation import ClientFeatures, Measure, QuantileTiers, ThresholdTiers

__all__ = [
    "HISTORY_COLUMNS",
    "PROFIT_SLOPE",
    "REQUIRED_COLUMNS",
    "REVENUE_SLOPE",
    "SATISFACTION_SLOPE",
    "TIER_COLUMNS",
    "TREND_PERIODS",
    "actions_frame",
    "book_signals",
    "covenant_results",
    "facts_from_frame",
    "feedback_by",
    "fit_tiering",
    "rating_migration_counts",
    "relationship_frame",
    "signals_from_history",
    "tier_migration",
    "value_trends",
]


#: The columns `relationship_frame` reads, per frame of the `BookFrames`.
REQUIRED_COLUMNS: Final[dict[str, tuple[ColumnSpec, ...]]] = {
    "clients": (
        str_column(schema.CLIENT_ID),
        date_column(schema.ONBOARDED_ON),
        str_column(schema.CURRENCY),
        date_column(schema.MEASURED_ON, nullable=True),
        float_column(schema.REVENUE_TO_BANK, nullable=True),
        float_column(schema.PROFIT_TO_BANK, nullable=True),
        float_column(schema.PRODUCT_COUNT, lower=0),
        float_column(schema.REFERRAL_COUNT, lower=0),
        str_column(schema.RATING_GRADE, nullable=True),
        float_column(schema.DEFAULT_PROBABILITY, nullable=True),
        float_column(schema.TRANSACTION_COUNT, lower=0),
        date_column(schema.LAST_TRANSACTION_ON, nullable=True),
        ColumnSpec(name=schema.ON_WATCHLIST, kind="bool"),
    ),
    "facilities": (
        str_column(schema.FACILITY_ID),
        str_column(schema.CLIENT_ID),
        str_column(schema.PROJECT_ID, nullable=True),
        str_column(schema.CURRENCY),
        float_column(schema.LIMIT, lower=0),
        float_column(schema.DRAWN, lower=0),
        date_column(schema.START_ON),
        date_column(schema.MATURITY_ON),
        str_column(schema.STATUS),
        float_column(schema.MARGIN_BPS),
        float_column(schema.COMMITMENT_FEE_BPS, lower=0),
        float_column(schema.ARRANGEMENT_FEE, lower=0),
        float_column(schema.DEFAULT_PROBABILITY, nullable=True),
        float_column(schema.LOSS_GIVEN_DEFAULT, nullable=True),
        float_column(schema.CREDIT_CONVERSION_FACTOR, nullable=True),
    ),
    "projects": (str_column(schema.PROJECT_ID), float_column(schema.DEBT, lower=0)),
    "covenants": (
        str_column(schema.FACILITY_ID),
        str_column(schema.METRIC),
        str_column(schema.OPERATOR),
        float_column(schema.THRESHOLD),
        float_column(schema.LOCK_UP_LEVEL, nullable=True),
    ),
    "milestones": (
        str_column(schema.PROJECT_ID),
        float_column(schema.PERCENT_COMPLETE, lower=0),
    ),
    "drawdowns": (
        str_column(schema.PROJECT_ID),
        date_column(schema.DRAWN_ON),
        float_column(schema.AMOUNT),
    ),
    "cash_flows": (
        str_column(schema.PROJECT_ID),
        date_column(schema.PERIOD_END),
        float_column(schema.CFADS),
        float_column(schema.DEBT_SERVICE, nullable=True),
    ),
    "feedback": (
        str_column(schema.CLIENT_ID),
        date_column(schema.FEEDBACK_ON),
        ColumnSpec(name=schema.SCORE, kind="int", lower=0, upper=10),
    ),
    "referrals": (
        str_column(schema.CLIENT_ID),
        date_column(schema.REFERRED_ON),
        float_column(schema.CONVERTED_AMOUNT, nullable=True),
    ),
}


def _check(frames: BookFrames) -> None:
    if not isinstance(frames, BookFrames):
        raise InvalidValueError(
            field="book_frames", value=type(frames).__name__, expected="a BookFrames"
        )
    for name, specs in REQUIRED_COLUMNS.items():
        check_frame(getattr(frames, name), specs, frame_name=name, require_rows=False)


def fit_tiering(
    book_frames: BookFrames,
    *,
    as_of: dt.date,
    models: RelationshipModels,
    measure: Measure | str = Measure.PROFIT,
    top_shares: tuple[float, float, float] = (0.05, 0.20, 0.50),
) -> ThresholdTiers:
    """Fit row-wise tier cut-offs on a book: the quantile tiers of its clients.

    The cut-offs of `lendcrm.segmentation.QuantileTiers` on the book's measured
    clients (amounts in the reporting currency) become a `ThresholdTiers`, which tiers
    each client on its own value, so the relationship view stays row-wise and
    partition-safe. Refit it with the other models (nightly, monthly).

    Args:
        book_frames: The book the tiers are fitted on.
        as_of: The measurement date.
        models: Reporting currency and rates (and pricing, for a risk-adjusted value).
        measure: The value measure (`lendcrm.segmentation.Measure`).
        top_shares: Cumulative client shares closing diamond, gold and silver.

    Returns:
        The fitted `ThresholdTiers`.

    Raises:
        InvalidValueError: fewer than four measured clients, or tied values that
            leave two tiers with the same cut-off.

    Examples:
        >>> import datetime as dt
        >>> from lendcrm.synthetic import generate_frames
        >>> book = generate_frames(400, seed=2, as_of=dt.date(2025, 12, 31))
        >>> models = RelationshipModels(fx_rates={"GBP": 1.17, "USD": 0.92,
        ...     "PLN": 0.23, "SEK": 0.088, "DKK": 0.134, "NOK": 0.086, "CHF": 1.05})
        >>> tiers = fit_tiering(book.book_frames(), as_of=dt.date(2025, 12, 31),
        ...                     models=models)
        >>> tiers.measure.value, len(tiers.cutoffs)
        ('profit', 3)
    """
    require_instance(book_frames, BookFrames, name="book_frames", what="a BookFrames")
    require_instance(
        models, RelationshipModels, name="models", what="a RelationshipModels"
    )
    check_as_of(as_of)
    clients = book_frames.clients
    rate = fx_rates(clients[schema.CURRENCY], models)
    revenue = float_values(clients[schema.REVENUE_TO_BANK]) * rate
    profit = float_values(clients[schema.PROFIT_TO_BANK]) * rate
    m = ~(np.isnan(revenue) | np.isnan(profit))
    day = np.datetime64(as_of, "D")
    tenure = (day - day_values(clients[schema.ONBOARDED_ON])[m]).astype(np.float64)
    features = ClientFeatures(
        client_ids=clients[schema.CLIENT_ID].to_numpy(dtype=str)[m],
        revenue=revenue[m],
        profit=profit[m],
        tenure_years=tenure / DAYS_PER_YEAR,
        product_count=float_values(clients[schema.PRODUCT_COUNT])[m],
        referral_count=float_values(clients[schema.REFERRAL_COUNT])[m],
        referral_amount=float_values(clients[schema.REFERRAL_AMOUNT])[m]
        if schema.REFERRAL_AMOUNT in clients.columns
        else None,
    )
    quantiles = QuantileTiers(measure=measure, top_shares=top_shares).assign(features)
    cutoffs = quantiles.cutoffs if quantiles.cutoffs is not None else ()
    return ThresholdTiers(cutoffs=cutoffs, measure=measure)


def relationship_frame(
    book_frames: BookFrames,
    *,
    as_of: dt.date,
    models: RelationshipModels,
    signals: pd.DataFrame | None = None,
    commercial: pd.DataFrame | None = None,
    tasks: Tasks | None = None,
) -> pd.DataFrame:
    """The relationship view of every client, vectorised; rows equal `client_view`.

    Args:
        book_frames: The book as frames (e.g. ``generate_frames(...).book_frames()``);
            only the columns in `REQUIRED_COLUMNS` are read, extra columns are fine.
        as_of: The view's date: on or after every date in the data.
        models: Reporting currency and rates, early-warning policy, action rules.
        signals: One row per client (a ``client_id`` column and the ``SIG_*``
            columns ``has_drawn``, ``months_since_first_drawdown``,
            ``rating_notches_moved``, ``utilisation_change``, ``days_past_due``,
            ``covenant_breaches``), or ``None`` for neutral values.
        commercial: One row per client (``client_id``) of ``cross_sell_frame``
            and/or ``attrition_frame`` columns (#14): the cross-sell action names the
            product, `RetentionCall` reads the attrition probability; or ``None``.
        tasks: The book's tasks (a tasks frame or `Task` objects) for the columns
            ``open_tasks``, ``overdue_tasks``, ``oldest_overdue_days``; ``None``: 0.

    Returns:
        A new frame indexed by ``client_id`` in the order of the clients frame, with
        the `lendcrm.relationship.columns` columns (``lifetime_raroc`` and
        ``meets_lifetime_hurdle`` only with ``RelationshipPricing(lifetime=True)``,
        which reads the ``repayment_terms``, ``repayment_profiles`` and
        ``participations`` frames too).

    Raises:
        InvalidValueError: ``book_frames`` is not a `BookFrames` or ``models`` not a
            `RelationshipModels`, ``as_of`` is before the data, a currency has no
            rate, or a client has no signals row.
        ModelMismatchError: the models' scorecard was fitted on columns the
            clients frame does not have (names them).
        SchemaError: a frame misses columns `REQUIRED_COLUMNS` names (for example a
            frame from an older schema); the message names them.
        BatchValidationError: rows hold missing or out-of-range values.
        UnknownReferenceError: a record refers to a client, facility or project the
            frames do not hold.
        RuleError: a next-best-action rule failed (names the rule).

    Examples:
        >>> import datetime as dt
        >>> from lendcrm import Book, Client, ClientId, Money, Sector
        >>> from lendcrm.frames import book_frames
        >>> c = Client(id=ClientId("C-1"), legal_name="Nordwind GmbH",
        ...     sector=Sector.MANUFACTURING, country="DE",
        ...     onboarded_on=dt.date(2020, 3, 1), annual_revenue=Money.of("1", "EUR"))
        >>> rf = relationship_frame(book_frames(Book(clients=(c,))),
        ...                         as_of=dt.date(2026, 1, 31), models=RelationshipModels())
        >>> rf.loc["C-1", ["exposure", "days_to_review", "next_action"]].to_dict()
        {'exposure': 0.0, 'days_to_review': 29.0, 'next_action': ''}
    """
    _check(book_frames)
    require_instance(
        models, RelationshipModels, name="models", what="a RelationshipModels"
    )
    day = check_frames_as_of(book_frames, as_of)
    clients = book_frames.clients
    index = client_index(clients)
    facilities = gather_facilities(book_frames, index, day=day, models=models)
    projects = gather_projects(book_frames, facilities, day=day)
    breaches, headroom = gather_covenants(book_frames, facilities, projects)
    feedback = gather_feedback(book_frames, index)
    own = gather_own(clients, day=day, models=models)
    risk = gather_risk(clients, facilities, own, models=models)
    sig = gather_signals(
        signals, index, exposure=facilities.exposure, breaches=breaches
    )
    exposure, limit = facilities.exposure, facilities.limit
    with np.errstate(divide="ignore", invalid="ignore"):
        utilisation = np.where(limit > 0, exposure / np.where(limit > 0, limit, 1), 0.0)
    facts, warnings = warn(
        client_ids=index.to_numpy(dtype=str),
        models=models,
        utilisation=utilisation,
        covenant_breaches=sig.covenant_breaches,
        dscr_headroom=headroom,
        dscr_change=projects.dscr_change,
        drawdown_gap=projects.drawdown_gap,
        feedback_trend=feedback.trend,
        last_feedback_score=feedback.last_score,
        has_facility=facilities.count > 0,
        has_drawn=sig.has_drawn,
        months_to_maturity=facilities.months_to_maturity,
        days_to_review=own.days_to_review,
        product_count=own.products,
        referral_count=own.referral_count,
        rate_gap=risk.prices.rate_gap,
        **sig.history,
    )
    stage, stage_reasons = stage_rows(
        signals, sig.rows, warnings.watchlist, as_of, models
    )
    tier, value_score = tier_rows(
        clients, own.revenue, own.profit, warnings.watchlist, risk.prices, as_of, models
    )
    service = service_rows(
        book_frames, as_of=as_of, tier=tier, stage=stage, strategies=models.service,
        roster=models.roster, tasks=tasks,
    )  # fmt: skip
    extra = commercial_rows(commercial, index)
    result = act(
        extra.onto(service.onto(facts)), warnings, stage=stage, tier=tier, models=models
    )
    frame = _assemble(
        index,
        facilities=facilities,
        projects=projects,
        feedback=feedback,
        own=own,
        risk=risk,
        signals=sig,
        utilisation=utilisation,
        headroom=headroom,
        stage=(stage, stage_reasons),
        tier=(tier, value_score),
        warnings=warnings,
        actions=result.actions,
        service=service,
    )
    frame = extra.finish_frame(frame, result.actions, models.actions)
    return with_lifetime(
        frame, book_frames, facilities, own.default_probability, as_of=as_of,
        models=models,
    )  # fmt: skip


def _assemble(
    index: pd.Index[str],
    *,
    facilities: Facilities,
    projects: Projects,
    feedback: Feedback,
    own: OwnColumns,
    risk: Risk,
    signals: Signals,
    utilisation: npt.NDArray[np.float64],
    headroom: npt.NDArray[np.float64],
    stage: tuple[npt.NDArray[np.str_], npt.NDArray[np.str_]],
    tier: tuple[npt.NDArray[np.str_], npt.NDArray[np.float64]],
    warnings: EarlyWarnings,
    actions: NextBestActions,
    service: ServiceColumns,
) -> pd.DataFrame:
    """The relationship frame from the gathered steps, in the order of the columns."""
    next_action, next_reason = first_action(actions)
    prices = risk.prices
    return pd.DataFrame(
        {
            col.EXPOSURE: facilities.exposure,
            schema.LIMIT: facilities.limit,
            col.UTILISATION: utilisation,
            col.FACILITY_COUNT: facilities.count.astype(np.int64),
            col.PROJECT_COUNT: projects.count.astype(np.int64),
            col.MONTHS_TO_MATURITY: facilities.months_to_maturity,
            col.DAYS_TO_REVIEW: service.days_to_review,
            schema.REVENUE_TO_BANK: own.revenue,
            schema.PROFIT_TO_BANK: own.profit,
            schema.PRODUCT_COUNT: own.products.astype(np.int64),
            schema.RATING_GRADE: own.rating_grade,
            schema.DEFAULT_PROBABILITY: own.default_probability,
            schema.STAGE: stage[0],
            col.STAGE_REASONS: stage[1],
            col.TIER: tier[0],
            col.VALUE_SCORE: tier[1],
            schema.SCORE: risk.score,
            col.SCORED_PD: risk.scored_pd,
            col.GRADE: risk.grade,
            col.COVENANT_BREACHES: signals.covenant_breaches,
            col.DSCR: projects.dscr,
            col.DSCR_HEADROOM: headroom,
            col.DSCR_CHANGE: projects.dscr_change,
            col.DRAWDOWN_GAP: projects.drawdown_gap,
            col.FEEDBACK_COUNT: feedback.count.astype(np.int64),
            col.NPS: feedback.nps,
            col.LAST_FEEDBACK_SCORE: feedback.last_score,
            col.FEEDBACK_TREND: feedback.trend,
            col.REFERRALS_MADE: feedback.referrals_made.astype(np.int64),
            col.REFERRALS_CONVERTED: feedback.referrals_converted.astype(np.int64),
            schema.REFERRAL_COUNT: own.referral_count.astype(np.int64),
            schema.EXPECTED_LOSS: prices.expected_loss,
            schema.CAPITAL: prices.capital,
            col.RAROC: prices.raroc,
            col.EVA: prices.eva,
            col.RATE_GAP: prices.rate_gap,
            col.EARLY_WARNING_SCORE: warnings.score,
            col.WATCHLIST: warnings.watchlist,
            col.WARNING_REASONS: joined(
                warnings.flags, SIGNALS, np.arange(len(SIGNALS), dtype=np.int64)
            ),
            col.NEXT_ACTION: next_action,
            col.NEXT_ACTION_REASON: next_reason,
            col.ACTIONS: joined(actions.fired, actions.rule_names, actions.order),
            **service.frame_columns(),
        },
        index=index,
    )


def facts_from_frame(frame: pd.DataFrame) -> ClientFacts:
    """Per-client facts from a frame whose index labels the clients.

    Args:
        frame: One row per client; any columns named like `ClientFacts` fields
            (`FACT_NAMES`, except ``client_ids``, which is the index) are read, the
            others get their neutral values. Stage and tier may be categorical.

    Returns:
        The validated `ClientFacts`, in row order.

    Raises:
        InvalidValueError: a value out of range (names the column and the first bad
            position) or duplicate index labels.

    Examples:
        >>> f = facts_from_frame(pd.DataFrame({"days_past_due": [0, 120]},
        ...                                   index=["A", "B"]))
        >>> f.client_ids.tolist(), f.days_past_due.tolist()
        (['A', 'B'], [0.0, 120.0])
    """
    require_instance(frame, pd.DataFrame, name="frame", what="a DataFrame")
    given: dict[str, npt.ArrayLike | None] = {}
    for name in FACT_NAMES[1:]:
        if name in frame.columns:
            series = frame[name]
            given[name] = (
                series.astype(object).fillna("").to_numpy(dtype=str)
                if name in {"stage", "tier"}
                else series.to_numpy()
            )
    return client_facts(client_ids=frame.index.to_numpy(dtype=str), **given)


def actions_frame(frame: pd.DataFrame, *, models: RelationshipModels) -> pd.DataFrame:
    """Early warning and next best action for every row of a per-client facts frame.

    Row-wise and partition-safe: ``actions_frame(whole)`` equals the concatenation of
    ``actions_frame(part)`` over any split of the rows, which is what lets a nightly
    batch run it with Dask ``map_partitions`` (see `lendcrm.relationship.scaleout`).

    Args:
        frame: One row per client, index the client ids, columns named like the
            `ClientFacts` fields (see `facts_from_frame`).
        models: The early-warning policy and action rules (the other fields are
            not used here).

    Returns:
        A new frame with the input's index and the columns `EARLY_WARNING_SCORE`,
        `WATCHLIST`, `WARNING_REASONS`, `NEXT_ACTION`, `NEXT_ACTION_REASON` and
        `ACTIONS` of `lendcrm.relationship.columns`.

    Raises:
        InvalidValueError: as `facts_from_frame`.
        RuleError: a next-best-action rule failed (names the rule).

    Examples:
        >>> frame = pd.DataFrame({"stage": ["decline", "growth"],
        ...                       "days_past_due": [120, 0],
        ...                       "utilisation": [0.5, 0.95]}, index=["A", "B"])
        >>> actions_frame(frame, models=RelationshipModels())[["watchlist", "next_action"]]
           watchlist     next_action
        A       True       exit_plan
        B      False  limit_increase
    """
    require_instance(
        models, RelationshipModels, name="models", what="a RelationshipModels"
    )
    facts = facts_from_frame(frame)
    warnings = early_warnings(facts, policy=models.early_warning)
    actions = next_best_actions(
        facts.with_early_warnings(warnings), rules=models.actions
    )
    next_action, next_reason = first_action(actions)
    return pd.DataFrame(
        {
            col.EARLY_WARNING_SCORE: warnings.score,
            col.WATCHLIST: warnings.watchlist,
            col.WARNING_REASONS: joined(
                warnings.flags, SIGNALS, np.arange(len(SIGNALS), dtype=np.int64)
            ),
            col.NEXT_ACTION: next_action,
            col.NEXT_ACTION_REASON: next_reason,
            col.ACTIONS: joined(actions.fired, actions.rule_names, actions.order),
        },
        index=frame.index,
    )


def feedback_by(feedback: pd.DataFrame, groups: pd.Series) -> pd.DataFrame:
    """NPS and satisfaction of the feedback records, by a per-client label.

    Args:
        feedback: The feedback frame (``client_id`` and ``score`` 0-10 columns).
        groups: One label per client, indexed by client id — e.g. the ``tier`` or
            ``stage`` column of `relationship_frame`.

    Returns:
        One row per label (sorted; the index is named after ``groups``):
        ``scores`` (count), ``promoters`` and
        ``detractors`` (shares), ``nps`` (points) and ``mean_score``; each row is
        `lendcrm.relationship.nps_by_group` of that label's scores.

    Raises:
        SchemaError: ``feedback`` lacks ``client_id`` or ``score``.
        InvalidValueError: a score is not a whole number in [0, 10].
        UnknownReferenceError: a feedback record's client has no label.

    Examples:
        >>> fb = pd.DataFrame({"client_id": ["A", "A", "B", "C"],
        ...                    "score": [10, 3, 9, 6]})
        >>> tier = pd.Series(["gold", "gold", "basic"], index=["A", "B", "C"])
        >>> feedback_by(fb, tier)[["scores", "nps"]]
               scores    nps
        group
        basic       1 -100.0
        gold        3   33.3
    """
    check_frame(
        feedback,
        (
            str_column(schema.CLIENT_ID),
            ColumnSpec(name=schema.SCORE, kind="int", lower=0, upper=10),
        ),
        frame_name="feedback",
        require_rows=False,
    )
    require_instance(
        groups, pd.Series, name="groups", what="a Series of groups by client id"
    )
    index = pd.Index(groups.index)
    codes = codes_of(feedback[schema.CLIENT_ID], index, kind="client", field="feedback")
    labels = groups.astype(object).fillna("").astype(str).to_numpy()[codes]
    table = nps_by_group(float_values(feedback[schema.SCORE]), labels)
    return pd.DataFrame(
        {
            "scores": table.count,
            "promoters": table.promoters,
            "detractors": table.detractors,
            "nps": table.nps.round(1),
            "mean_score": table.mean_score,
        },
        index=pd.Index(
            table.groups, name=str(groups.name) if groups.name is not None else "group"
        ),
    )
