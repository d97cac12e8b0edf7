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

import numpy as np
import numpy.typing as npt
import pandas as pd

from lendcrm._dates import DAYS_PER_YEAR, check_as_of
from lendcrm._validators import require_instance
from lendcrm.frames import BookFrames, ColumnSpec, check_frame
from lendcrm.frames import columns as schema
from lendcrm.relationship import columns as col
from lendcrm.relationship._actions import next_best_actions
from lendcrm.relationship._covenant_input import covenant_results
from lendcrm.relationship._early_warning import SIGNALS, early_warnings
from lendcrm.relationship._facts import FACT_NAMES, ClientFacts, client_facts
from lendcrm.relationship._feedback import nps_by_group
from lendcrm.relationship._frame_steps import (
    FRAME_STEPS,
    REQUIRED_COLUMNS,
    StepClock,
    run_frame,
)
from lendcrm.relationship._gather import (
    codes_of,
    day_values,
    first_action,
    float_values,
    fx_rates,
    joined,
    str_column,
)
from lendcrm.relationship._models import RelationshipModels
from lendcrm.relationship._movement import (
    TIER_COLUMNS,
    rating_migration_counts,
    tier_migration,
)
from lendcrm.relationship._service import Tasks
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
    "FRAME_STEPS",
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
    "timed_relationship_frame",
    "value_trends",
]


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
    return run_frame(book_frames, as_of, models, signals, commercial, tasks)


def timed_relationship_frame(
    book_frames: BookFrames,
    *,
    as_of: dt.date,
    models: RelationshipModels,
    signals: pd.DataFrame | None = None,
    commercial: pd.DataFrame | None = None,
    tasks: Tasks | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`relationship_frame` and the seconds each of its named steps took.

    The arguments, result and errors are those of `relationship_frame`; the second
    frame has one row per step of `FRAME_STEPS` that ran (index ``step``) with the
    columns ``wall_s`` (elapsed seconds) and ``cpu_s`` (processor seconds of this
    process), which is what the benchmark prints.

    Examples:
        >>> import datetime as dt
        >>> from lendcrm.synthetic import generate_frames
        >>> book = generate_frames(50, seed=3, as_of=dt.date(2025, 12, 31))
        >>> models = RelationshipModels(fx_rates={"GBP": 1.17, "USD": 0.92,
        ...     "PLN": 0.23, "SEK": 0.088, "DKK": 0.134, "NOK": 0.086, "CHF": 1.05})
        >>> rf, steps = timed_relationship_frame(book.book_frames(),
        ...     as_of=dt.date(2025, 12, 31), models=models, signals=book.signals)
        >>> steps.index.tolist() == list(FRAME_STEPS), list(steps.columns)
        (True, ['wall_s', 'cpu_s'])
    """
    clock = StepClock()
    frame = run_frame(book_frames, as_of, models, signals, commercial, tasks, clock)
    steps = pd.DataFrame(
        {"wall_s": pd.Series(clock.wall), "cpu_s": pd.Series(clock.cpu)}
    ).rename_axis("step")
    return frame, steps


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
