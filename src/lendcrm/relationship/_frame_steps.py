"""The named steps of `relationship_frame`, each timed on request (#20).

`run_frame` runs the steps in a fixed order (which is also the order in which errors
are found) and, given a `StepClock`, records the wall and processor seconds of each,
so the benchmark can show where the time goes:

| step | what it does |
|---|---|
| ``check`` | the frames' schema, the models, ``as_of`` |
| ``client_keys`` | the clients' ids as the index, refusing a duplicate |
| ``facilities`` | exposure, limits and maturities of the live facilities |
| ``projects`` | DSCR, drawdown gap and the tested DSCR covenants |
| ``feedback`` | feedback trend and NPS, referrals |
| ``own_and_risk`` | the clients' own columns, pricing, score and grade |
| ``signals`` | the signals frame aligned with the clients |
| ``warnings`` | the facts and their early warnings |
| ``stage`` | the lifecycle stage and its fired rules (categoricals) |
| ``tier`` | the value tier after the risk overlay (categorical) |
| ``service`` | RM, contact standard, credit review, tasks |
| ``actions`` | the commercial input and the next best actions |
| ``assemble`` | the output frame over the step's own arrays (no copy) |
| ``lifetime`` | lifetime RAROC from the repayment schedules, when the models ask |

Text travels as codes: stage, reasons, tier and grades are pandas categoricals from
the step that makes them into the output frame, and the client ids are looked up once
per record frame (`lendcrm.relationship._gather.positions`).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Final, ParamSpec, TypeVar

import numpy as np
import numpy.typing as npt
import pandas as pd

from lendcrm._validators import require_instance
from lendcrm.errors import InvalidValueError
from lendcrm.frames import BookFrames, ColumnSpec, check_frame
from lendcrm.frames import columns as schema
from lendcrm.relationship import columns as col
from lendcrm.relationship._actions import NextBestActions
from lendcrm.relationship._assess import act, warn
from lendcrm.relationship._client_keys import client_keys
from lendcrm.relationship._commercial_view import CommercialColumns, commercial_rows
from lendcrm.relationship._early_warning import SIGNALS, EarlyWarnings
from lendcrm.relationship._facts import ClientFacts
from lendcrm.relationship._gather import (
    check_frames_as_of,
    date_column,
    first_action,
    float_column,
    joined,
    labels_of,
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
    gather_covenants,
    gather_facilities,
    gather_feedback,
    gather_projects,
)
from lendcrm.relationship._lifetime_pricing import with_lifetime
from lendcrm.relationship._models import RelationshipModels
from lendcrm.relationship._service import ServiceColumns, Tasks, service_rows

__all__ = ["FRAME_STEPS", "REQUIRED_COLUMNS", "StepClock", "run_frame"]

_P = ParamSpec("_P")
_R = TypeVar("_R")

#: The named steps of `relationship_frame`, in the order they run.
FRAME_STEPS: Final = (
    "check",
    "client_keys",
    "facilities",
    "projects",
    "feedback",
    "own_and_risk",
    "signals",
    "warnings",
    "stage",
    "tier",
    "service",
    "actions",
    "assemble",
    "lifetime",
)

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


class StepClock:
    """Wall and processor seconds of each named step (a step run twice adds up).

    Examples:
        >>> clock = StepClock()
        >>> clock("double", lambda x: 2 * x, 21)
        42
        >>> list(clock.wall), clock.cpu["double"] >= 0.0
        (['double'], True)
    """

    def __init__(self) -> None:
        """An empty clock."""
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}

    def __call__(
        self, name: str, step: Callable[_P, _R], *args: _P.args, **kwargs: _P.kwargs
    ) -> _R:
        """Run ``step(*args, **kwargs)`` and add its seconds to ``name``."""
        wall, cpu = time.perf_counter(), time.process_time()
        out = step(*args, **kwargs)
        self.wall[name] = self.wall.get(name, 0.0) + time.perf_counter() - wall
        self.cpu[name] = self.cpu.get(name, 0.0) + time.process_time() - cpu
        return out


def _check(frames: BookFrames, models: object, as_of: object) -> np.datetime64:
    if not isinstance(frames, BookFrames):
        raise InvalidValueError(
            field="book_frames", value=type(frames).__name__, expected="a BookFrames"
        )
    for name, specs in REQUIRED_COLUMNS.items():
        check_frame(getattr(frames, name), specs, frame_name=name, require_rows=False)
    require_instance(
        models, RelationshipModels, name="models", what="a RelationshipModels"
    )
    return check_frames_as_of(frames, as_of)


def _projects(
    frames: BookFrames, facilities: Facilities, day: np.datetime64
) -> tuple[Projects, npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    projects = gather_projects(frames, facilities, day=day)
    breaches, headroom = gather_covenants(frames, facilities, projects)
    return projects, breaches, headroom


def _own_and_risk(
    clients: pd.DataFrame,
    facilities: Facilities,
    day: np.datetime64,
    models: RelationshipModels,
) -> tuple[OwnColumns, Risk]:
    own = gather_own(clients, day=day, models=models)
    return own, gather_risk(clients, facilities, own, models=models)


def run_frame(  # noqa: PLR0917 - the inputs of relationship_frame
    book_frames: BookFrames,
    as_of: dt.date,
    models: RelationshipModels,
    signals: pd.DataFrame | None,
    commercial: pd.DataFrame | None,
    tasks: Tasks | None,
    clock: StepClock | None = None,
) -> pd.DataFrame:
    """`relationship_frame`, step by step (see the module docstring)."""
    at = clock if clock is not None else _untimed
    day = at("check", _check, book_frames, models, as_of)
    clients = book_frames.clients
    keys = at("client_keys", client_keys, book_frames)
    index, ids = keys.index, keys.ids
    facilities = at(
        "facilities", gather_facilities, book_frames, keys, day=day, models=models
    )
    projects, breaches, headroom = at(
        "projects", _projects, book_frames, facilities, day
    )
    feedback = at("feedback", gather_feedback, book_frames, keys)
    own, risk = at("own_and_risk", _own_and_risk, clients, facilities, day, models)
    sig = at(
        "signals",
        gather_signals,
        signals,
        index,
        exposure=facilities.exposure,
        breaches=breaches,
    )
    utilisation, (facts, warnings) = at(
        "warnings", _warn, ids, models, facilities, projects, feedback, own, risk,
        sig, headroom,
    )  # fmt: skip
    stage, stage_reasons = at(
        "stage", stage_rows, signals, sig.rows, warnings.watchlist, as_of, models
    )
    tier, value_score = at(
        "tier", tier_rows, clients, own.revenue, own.profit, warnings.watchlist,
        risk.prices, as_of, models, keys,
    )  # fmt: skip
    service = at(
        "service", service_rows, book_frames, keys=keys, as_of=as_of, tier=tier,
        stage=stage, strategies=models.service, roster=models.roster,
        facility_codes=facilities.codes, tasks=tasks,
    )  # fmt: skip
    extra = commercial_rows(commercial, index)
    result = at(
        "actions", act, extra.onto(service.onto(facts)), warnings,
        stage=labels_of(stage), tier=labels_of(tier), models=models,
    )  # fmt: skip
    frame = at(
        "assemble", _finish, index, extra, models,
        facilities=facilities, projects=projects, feedback=feedback, own=own,
        risk=risk, signals=sig, utilisation=utilisation, headroom=headroom,
        stage=(stage, stage_reasons), tier=(tier, value_score), warnings=warnings,
        actions=result.actions, service=service,
    )  # fmt: skip
    return at(
        "lifetime", with_lifetime, frame, book_frames, facilities,
        own.default_probability, as_of=as_of, models=models,
    )  # fmt: skip


def _untimed(
    name: str, step: Callable[_P, _R], *args: _P.args, **kwargs: _P.kwargs
) -> _R:
    del name
    return step(*args, **kwargs)


def _warn(  # noqa: PLR0917 - the gathered steps the facts read
    ids: npt.NDArray[np.object_],
    models: RelationshipModels,
    facilities: Facilities,
    projects: Projects,
    feedback: Feedback,
    own: OwnColumns,
    risk: Risk,
    sig: Signals,
    headroom: npt.NDArray[np.float64],
) -> tuple[npt.NDArray[np.float64], tuple[ClientFacts, EarlyWarnings]]:
    exposure, limit = facilities.exposure, facilities.limit
    with np.errstate(divide="ignore", invalid="ignore"):
        utilisation = np.where(limit > 0, exposure / np.where(limit > 0, limit, 1), 0.0)
    return utilisation, warn(
        client_ids=ids,
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


def _owned(columns: dict[str, object]) -> dict[str, object]:
    """The columns, each numpy array writable and sharing memory with no other.

    The output frame wraps these arrays as they are (no copy, no consolidation), so
    an array read-only (a view of an input frame) or shared by two columns (a NaN
    filler) is copied here: writing to one column must not change another, nor the
    caller's frames.
    """
    seen: list[npt.NDArray[np.generic]] = []
    out: dict[str, object] = {}
    for name, given in columns.items():
        values = given
        if isinstance(values, np.ndarray):
            if not values.flags.writeable or any(
                np.may_share_memory(values, other) for other in seen
            ):
                values = values.copy()
            seen.append(values)
        out[name] = values
    return out


def _finish(
    index: pd.Index[str],
    extra: CommercialColumns,
    models: RelationshipModels,
    *,
    facilities: Facilities,
    projects: Projects,
    feedback: Feedback,
    own: OwnColumns,
    risk: Risk,
    signals: Signals,
    utilisation: npt.NDArray[np.float64],
    headroom: npt.NDArray[np.float64],
    stage: tuple[pd.Categorical[str], pd.Categorical[str]],
    tier: tuple[pd.Categorical[str], npt.NDArray[np.float64]],
    warnings: EarlyWarnings,
    actions: NextBestActions,
    service: ServiceColumns,
) -> pd.DataFrame:
    """The relationship frame over the steps' arrays, in the order of the columns."""
    next_action, next_reason = first_action(actions)
    prices = risk.prices
    columns: dict[str, object] = {
        col.EXPOSURE: facilities.exposure,
        schema.LIMIT: facilities.limit,
        col.UTILISATION: utilisation,
        col.FACILITY_COUNT: _int64(facilities.count),
        col.PROJECT_COUNT: _int64(projects.count),
        col.MONTHS_TO_MATURITY: facilities.months_to_maturity,
        col.DAYS_TO_REVIEW: service.days_to_review,
        schema.REVENUE_TO_BANK: own.revenue,
        schema.PROFIT_TO_BANK: own.profit,
        schema.PRODUCT_COUNT: _int64(own.products),
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
        col.FEEDBACK_COUNT: _int64(feedback.count),
        col.NPS: feedback.nps,
        col.LAST_FEEDBACK_SCORE: feedback.last_score,
        col.FEEDBACK_TREND: feedback.trend,
        col.REFERRALS_MADE: _int64(feedback.referrals_made),
        col.REFERRALS_CONVERTED: _int64(feedback.referrals_converted),
        schema.REFERRAL_COUNT: _int64(own.referral_count),
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
    }
    frame = pd.DataFrame(_owned(columns), index=index, copy=False)
    return extra.finish_frame(frame, actions, models.actions)


def _int64(values: npt.NDArray[np.generic]) -> npt.NDArray[np.int64]:
    """Counts as int64, without a copy when they already are."""
    return np.asarray(values, dtype=np.int64)
