"""Frames to entities, row by row (private to :mod:`lendcrm.frames`).

`book_from_frames` validates the frames first; each row then goes through the rules
its entity enforces that the frame checks do not prove (clients and facilities by the
trusted path of `lendcrm.frames._entity_rows`, the other rows by their constructors),
and failures are collected with row-label paths.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Any, Final

import attrs
import pandas as pd

from lendcrm._book import Book
from lendcrm._enums import (
    CollateralKind,
    CovenantMetric,
    CovenantOperator,
    EquatorCategory,
    FeedbackChannel,
    ProjectPhase,
    Sector,
    TestFrequency,
)
from lendcrm._loan_terms import (
    Participation,
    ParticipationRole,
)
from lendcrm._project import Project
from lendcrm._validators import require_instance
from lendcrm._values import (
    CashFlow,
    Collateral,
    Covenant,
    Drawdown,
    Feedback,
    Guarantee,
    Milestone,
    ProjectId,
    Referral,
    Sponsor,
)
from lendcrm.errors import (
    BatchValidationError,
    SchemaError,
)
from lendcrm.frames._check import (
    check_frame,
    check_with_rules,
    no_rules,
    validate_facilities_frame,
    validate_projects_frame,
)
from lendcrm.frames._contact_frames import CONTACT_SPECS, read_contacts
from lendcrm.frames._entity_rows import Kids, build_clients, build_facilities
from lendcrm.frames._history_check import HISTORY_VALIDATORS
from lendcrm.frames._history_read import attach_valuations, read_histories
from lendcrm.frames._rows import (
    Reader,
    RowBuilder,
    bools,
    dates,
    floats,
    ints,
    money_of,
    optional_ints,
    optional_strs,
    strs,
)
from lendcrm.frames._specs import (
    CHILD_SPECS,
    CLIENT_SPECS,
    FACILITY_SPECS,
    PROJECT_SPECS,
)
from lendcrm.frames._write import BookFrames
from lendcrm.frames.columns import (
    ACTUAL_ON,
    AMORTISATION,
    AMOUNT,
    ASSET_ID,
    BALLOON_FRACTION,
    BANK,
    CERTIFIED_BY,
    CFADS,
    CHANNEL,
    CLAIM_RANK,
    CLIENT_ID,
    COLLATERAL_KIND,
    CONVERTED_AMOUNT,
    COUNTRY,
    COVERED,
    CURRENCY,
    DAY_COUNT,
    DEBT,
    DEBT_SERVICE,
    DEFAULT_LEVEL,
    DRAWN_ON,
    EQUATOR_CATEGORY,
    EQUITY,
    EQUITY_SHARE,
    FACILITY_ID,
    FEEDBACK_ON,
    GRACE_PERIODS,
    GUARANTOR_DEFAULT_PROBABILITY,
    GUARANTOR_ID,
    GUARANTOR_NAME,
    HAIRCUT,
    LOCK_UP_LEVEL,
    MEASURED_ON,
    METRIC,
    MILESTONE,
    NAME,
    OPERATOR,
    OWN,
    PAYMENTS_PER_YEAR,
    PERCENT_COMPLETE,
    PERIOD_END,
    PHASE,
    PLANNED_ON,
    PROFILE_FRACTION,
    PROFILE_PERIOD,
    PROJECT_ID,
    REFEREE_ID,
    REFERRED_ON,
    ROLE,
    SCORE,
    SECTOR,
    SHARE,
    SPONSOR_ID,
    TEST_FREQUENCY,
    TEXT,
    THRESHOLD,
    TOTAL_COST,
    VALUE,
    ZERO_FLOOR,
)


def _collateral(r: tuple[Any, ...]) -> Collateral:
    return Collateral(
        kind=CollateralKind(r[0]),
        value=money_of(r[2], r[1]),
        haircut=r[3],
        asset_id=r[4],
        claim_rank=r[5],
    )


def _guarantee(r: tuple[Any, ...]) -> Guarantee:
    return Guarantee(
        covered=money_of(r[1], r[0]),
        guarantor_id=r[2],
        guarantor_name=r[3],
        guarantor_default_probability=r[4],
    )


def _covenant(r: tuple[Any, ...]) -> Covenant:
    return Covenant(
        metric=CovenantMetric(r[0]),
        operator=CovenantOperator(r[1]),
        threshold=r[2],
        lock_up_level=r[3],
        default_level=r[4],
        test_frequency=TestFrequency(r[5]),
    )


def _milestone(r: tuple[Any, ...]) -> Milestone:
    return Milestone(
        name=r[0],
        planned_on=r[1],
        actual_on=r[2],
        percent_complete=r[3],
        certified_by=r[4],
    )


def _drawdown(r: tuple[Any, ...]) -> Drawdown:
    return Drawdown(on=r[0], amount=money_of(r[2], r[1]))


def _cash_flow(r: tuple[Any, ...]) -> CashFlow:
    return CashFlow(
        period_end=r[0], cfads=money_of(r[2], r[1]), debt_service=money_of(r[3], r[1])
    )


def _sponsor(r: tuple[Any, ...]) -> Sponsor:
    return Sponsor(sponsor_id=r[0], equity_share=r[1])


def _feedback(r: tuple[Any, ...]) -> Feedback:
    return Feedback(on=r[0], channel=FeedbackChannel(r[1]), score=r[2], text=r[3] or "")


def _referral(r: tuple[Any, ...]) -> Referral:
    return Referral(
        referrer=r[0], referee=r[1], on=r[2], converted_amount=money_of(r[4], r[3])
    )


def _participation(r: tuple[Any, ...]) -> Participation:
    return Participation(bank=r[0], role=ParticipationRole(r[1]), share=r[2], own=r[3])


#: Per child frame: the owner column, the (reader, column) pairs, the builder.
_CHILDREN: Final[
    Mapping[
        str,
        tuple[str, tuple[tuple[Reader, str], ...], Callable[[tuple[Any, ...]], Any]],
    ]
] = MappingProxyType(
    {
        "collateral": (
            FACILITY_ID,
            ((strs, COLLATERAL_KIND), (strs, CURRENCY), (floats, VALUE),
             (floats, HAIRCUT), (optional_strs, ASSET_ID),
             (optional_ints, CLAIM_RANK)),
            _collateral,
        ),
        "repayment_terms": (
            FACILITY_ID,
            ((strs, AMORTISATION), (ints, PAYMENTS_PER_YEAR), (strs, DAY_COUNT),
             (ints, GRACE_PERIODS), (floats, BALLOON_FRACTION), (bools, ZERO_FLOOR)),
            tuple,
        ),
        "repayment_profiles": (
            FACILITY_ID,
            ((ints, PROFILE_PERIOD), (floats, PROFILE_FRACTION)),
            tuple,
        ),
        "participations": (
            FACILITY_ID,
            ((strs, BANK), (strs, ROLE), (floats, SHARE), (bools, OWN)),
            _participation,
        ),
        "guarantees": (
            FACILITY_ID,
            ((strs, CURRENCY), (floats, COVERED), (strs, GUARANTOR_ID),
             (strs, GUARANTOR_NAME), (floats, GUARANTOR_DEFAULT_PROBABILITY)),
            _guarantee,
        ),
        "covenants": (
            FACILITY_ID,
            ((strs, METRIC), (strs, OPERATOR), (floats, THRESHOLD),
             (floats, LOCK_UP_LEVEL), (floats, DEFAULT_LEVEL),
             (strs, TEST_FREQUENCY)),
            _covenant,
        ),
        "milestones": (
            PROJECT_ID,
            ((strs, MILESTONE), (dates, PLANNED_ON), (dates, ACTUAL_ON),
             (floats, PERCENT_COMPLETE), (strs, CERTIFIED_BY)),
            _milestone,
        ),
        "drawdowns": (
            PROJECT_ID,
            ((dates, DRAWN_ON), (strs, CURRENCY), (floats, AMOUNT)),
            _drawdown,
        ),
        "cash_flows": (
            PROJECT_ID,
            ((dates, PERIOD_END), (strs, CURRENCY), (floats, CFADS),
             (floats, DEBT_SERVICE)),
            _cash_flow,
        ),
        "sponsors": (
            PROJECT_ID,
            ((strs, SPONSOR_ID), (floats, EQUITY_SHARE)),
            _sponsor,
        ),
        "feedback": (
            CLIENT_ID,
            ((dates, FEEDBACK_ON), (strs, CHANNEL), (ints, SCORE), (strs, TEXT)),
            _feedback,
        ),
        "referrals": (
            CLIENT_ID,
            ((strs, CLIENT_ID), (strs, REFEREE_ID), (dates, REFERRED_ON),
             (strs, CURRENCY), (floats, CONVERTED_AMOUNT)),
            _referral,
        ),
    }
)  # fmt: skip


def build_book(frames: Mapping[str, pd.DataFrame]) -> Book:
    """Entities from validated frames; row errors collected into one group."""
    b = RowBuilder()
    cf, ff, pf = frames["clients"], frames["facilities"], frames["projects"]
    owners = {  # id -> the owner's currency, for the histories' amounts
        CLIENT_ID: dict(zip(strs(cf, CLIENT_ID), strs(cf, CURRENCY), strict=True)),
        FACILITY_ID: dict(zip(strs(ff, FACILITY_ID), strs(ff, CURRENCY), strict=True)),
        PROJECT_ID: dict.fromkeys(strs(pf, PROJECT_ID)),
    }
    kids = {
        name: b.group(frames[name], name, owner, owners[owner], readers, make)
        for name, (owner, readers, make) in _CHILDREN.items()
    }
    kids.update(read_histories(b, frames, owners[CLIENT_ID], owners[FACILITY_ID]))
    kids.update(read_contacts(b, frames, owners[CLIENT_ID]))
    attach_valuations(
        b,
        frames["valuations"],
        frames["collateral"],
        kids["collateral"],
        owners[FACILITY_ID],
    )
    clients = build_clients(b, cf, kids)
    facilities = build_facilities(b, ff, kids)
    projects = _build_projects(b, pf, kids)
    if b.errors:
        total = sum(len(f) for f in frames.values())
        raise BatchValidationError(b.errors, total=total)
    return Book(
        clients=tuple(clients), facilities=tuple(facilities), projects=tuple(projects)
    )


def _build_projects(b: RowBuilder, pf: pd.DataFrame, kids: Kids) -> list[Project]:
    """One `Project` per row of the projects frame, with its sponsors and schedules."""
    projects: list[Project] = []
    for row in zip(
        pf.index.tolist(), strs(pf, PROJECT_ID), strs(pf, NAME), strs(pf, SECTOR),
        strs(pf, COUNTRY), strs(pf, CURRENCY), floats(pf, TOTAL_COST), floats(pf, DEBT),
        floats(pf, EQUITY), strs(pf, PHASE), optional_strs(pf, EQUATOR_CATEGORY),
        strict=True,
    ):  # fmt: skip
        label = row[0]

        def make_project(r: tuple[Any, ...] = row) -> Project:
            pid, cur = r[1], r[5]
            return Project(
                id=ProjectId(pid),
                name=r[2],
                sponsors=tuple(kids["sponsors"].get(pid, ())),
                sector=Sector(r[3]),
                country=r[4],
                total_cost=money_of(r[6], cur),
                debt=money_of(r[7], cur),
                equity=money_of(r[8], cur),
                phase=ProjectPhase(r[9]),
                milestones=tuple(kids["milestones"].get(pid, ())),
                drawdowns=tuple(kids["drawdowns"].get(pid, ())),
                cash_flows=tuple(kids["cash_flows"].get(pid, ())),
                equator_category=None if r[10] is None else EquatorCategory(r[10]),
            )

        project = b.build(f"projects[{label!r}]", make_project)
        if project is not None:
            projects.append(project)
    return projects


def book_from_frames(frames: BookFrames) -> Book:
    """Rebuild a `Book` from its frames: the inverse of `book_frames`.

    Every frame is validated first (`validate_clients_frame` and friends; the child
    frames against their own dtypes, the history frames with `validate_measures_frame`
    and friends, and they may be empty); then each row becomes an entity, value object
    or dated record. Row-level entity errors (e.g. a milestone with an actual date but
    50 % progress, or a clients-frame row whose measures differ from the last period
    of its measures history) are collected with paths such as
    ``milestones[4].percent_complete`` and raised together, as are child and history
    rows whose owner is missing and valuation rows whose ``collateral_index`` names no
    collateral row. The book's own integrity checks run last.

    History frames must be in order: each owner's rows oldest first, one per date.
    Unsorted frames are refused, not sorted (``frame.sort_values([key, date],
    kind="stable")`` sorts them).

    Raises:
        SchemaError: a frame's columns or dtypes are wrong (the clients frame needs
            ``measured_on`` here, although `validate_clients_frame` does not).
        InvalidValueError: an entity frame is empty (only ``clients`` must have rows;
            an empty ``facilities`` or ``projects`` frame is a book without them).
        BatchValidationError: invalid rows, unknown owners or broken integrity.

    Examples:
        >>> import datetime as dt
        >>> from lendcrm import Client, ClientId, Money, Sector
        >>> c = Client(id=ClientId("C-1"), legal_name="Nordwind GmbH",
        ...     sector=Sector.MANUFACTURING, country="DE", onboarded_on=dt.date(2020, 1, 1),
        ...     annual_revenue=Money.of("1250000.50", "EUR"))
        >>> from lendcrm.frames import book_frames
        >>> book = Book(clients=(c,))
        >>> book_from_frames(book_frames(book)) == book
        True
    """
    require_instance(frames, BookFrames, name="frames", what="a BookFrames")
    check_with_rules(frames.clients, CLIENT_SPECS, "clients", (CLIENT_ID,), no_rules)
    if MEASURED_ON not in frames.clients.columns:
        raise SchemaError(
            frame="clients",
            missing=[MEASURED_ON],
            known=[str(c) for c in frames.clients.columns],
        )
    if len(frames.facilities):
        validate_facilities_frame(frames.facilities)
    else:
        check_frame(
            frames.facilities,
            FACILITY_SPECS,
            frame_name="facilities",
            require_rows=False,
        )
    if len(frames.projects):
        validate_projects_frame(frames.projects)
    else:
        check_frame(
            frames.projects, PROJECT_SPECS, frame_name="projects", require_rows=False
        )
    for name, specs in CHILD_SPECS.items():
        child = getattr(frames, name)
        check_with_rules(child, specs, name, (), no_rules, require_rows=False)
    for name, validate in HISTORY_VALIDATORS.items():
        validate(getattr(frames, name))
    for name, specs in CONTACT_SPECS.items():
        check_with_rules(
            getattr(frames, name), specs, name, (), no_rules, require_rows=False
        )

    # Hundreds of thousands of acyclic frozen objects: the cyclic collector's passes
    # over them cost about 40 % of the build and would free nothing, so it pauses
    # until the book is built (reference counting still frees as usual).
    with _collector_paused():
        return build_book(attrs.asdict(frames, recurse=False))


_PAUSE_LOCK: Final = threading.Lock()
_PAUSE: Final[dict[str, int]] = {"depth": 0, "was_enabled": 0}


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while any thread is building a book.

    The collector is process-wide: a counter under a lock makes concurrent builds
    safe (the first to enter pauses it, the last to leave restores what the process
    had before the first), so a service building books on several threads never
    leaves it off.
    """
    with _PAUSE_LOCK:
        if _PAUSE["depth"] == 0:
            _PAUSE["was_enabled"] = int(gc.isenabled())
            gc.disable()
        _PAUSE["depth"] += 1
    try:
        yield
    finally:
        with _PAUSE_LOCK:
            _PAUSE["depth"] -= 1
            if _PAUSE["depth"] == 0 and _PAUSE["was_enabled"]:
                gc.enable()
