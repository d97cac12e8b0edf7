"""Books to frames, a row per entity or nested value object (private to `lendcrm.frames`).

Amounts cross only if float64 holds them exactly (`Amounts`); `client_columns` is the
clients-frame row builder the relationship view also uses, through `lendcrm._frame_rows`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial

import attrs
import pandas as pd

from lendcrm._book import Book
from lendcrm._entities import Client
from lendcrm._tokens import dask_token
from lendcrm._validators import require_instance
from lendcrm.frames._columnar import Amounts, empty_frame, frame_of
from lendcrm.frames._contact_frames import (
    CONTACTS_DTYPES,
    INTERACTIONS_DTYPES,
    contact_frames,
)
from lendcrm.frames._history_specs import (
    MEASURES_DTYPES,
    OBSERVATIONS_DTYPES,
    RATINGS_DTYPES,
    STATEMENTS_DTYPES,
    VALUATIONS_DTYPES,
)
from lendcrm.frames._history_write import history_frames
from lendcrm.frames._specs import (
    CASH_FLOWS_DTYPES,
    CLIENTS_DTYPES,
    COLLATERAL_DTYPES,
    COVENANTS_DTYPES,
    DRAWDOWNS_DTYPES,
    FACILITIES_DTYPES,
    FEEDBACK_DTYPES,
    GUARANTEES_DTYPES,
    MILESTONES_DTYPES,
    PARTICIPATIONS_DTYPES,
    PROJECTS_DTYPES,
    REFERRALS_DTYPES,
    REPAYMENT_PROFILES_DTYPES,
    REPAYMENT_TERMS_DTYPES,
    SPONSORS_DTYPES,
)
from lendcrm.frames.columns import (
    ACTUAL_ON,
    ALLOWS_OVERDRAW,
    AMORTISATION,
    AMOUNT,
    ANNUAL_REVENUE,
    ARRANGEMENT_FEE,
    ASSET_ID,
    BALLOON_FRACTION,
    BANK,
    CERTIFIED_BY,
    CFADS,
    CHANNEL,
    CLAIM_RANK,
    CLIENT_ID,
    COLLATERAL_KIND,
    COLLATERAL_VALUE,
    COMMITMENT_FEE_BPS,
    CONVERTED_AMOUNT,
    COUNTRY,
    COVERED,
    CREDIT_CONVERSION_FACTOR,
    CURRENCY,
    DAY_COUNT,
    DEBT,
    DEBT_SERVICE,
    DEFAULT_LEVEL,
    DEFAULT_PROBABILITY,
    DRAWN,
    DRAWN_ON,
    EQUATOR_CATEGORY,
    EQUITY,
    EQUITY_SHARE,
    FACILITY_ID,
    FEEDBACK_ON,
    GRACE_PERIODS,
    GUARANTEED_AMOUNT,
    GUARANTOR_DEFAULT_PROBABILITY,
    GUARANTOR_ID,
    GUARANTOR_NAME,
    HAIRCUT,
    KIND,
    LAST_TRANSACTION_ON,
    LEGAL_NAME,
    LIMIT,
    LOCK_UP_LEVEL,
    LOSS_GIVEN_DEFAULT,
    MARGIN_BPS,
    MATURITY_ON,
    MEASURED_ON,
    METRIC,
    MILESTONE,
    NAME,
    ON_WATCHLIST,
    ONBOARDED_ON,
    OPERATOR,
    OWN,
    PARENT_ID,
    PAYMENTS_PER_YEAR,
    PERCENT_COMPLETE,
    PERIOD_END,
    PHASE,
    PLANNED_ON,
    PRODUCT_COUNT,
    PROFILE_FRACTION,
    PROFILE_PERIOD,
    PROFIT_TO_BANK,
    PROJECT_ID,
    RATING_GRADE,
    REFEREE_ID,
    REFERENCE_RATE,
    REFERRAL_COUNT,
    REFERRED_ON,
    RELATIONSHIP_MANAGER,
    REVENUE_TO_BANK,
    ROLE,
    SCORE,
    SECTOR,
    SENIORITY,
    SHARE,
    SPONSOR_ID,
    START_ON,
    STATUS,
    TEST_FREQUENCY,
    TEXT,
    THRESHOLD,
    TOTAL_COST,
    TRANSACTION_COUNT,
    VALUE,
    ZERO_FLOOR,
)


def client_columns(
    clients: Sequence[Client], amount: Amounts
) -> dict[str, list[object]]:
    """The clients-frame columns of ``clients`` as lists, in the frame's column order."""
    cols: dict[str, list[object]] = {name: [] for name in CLIENTS_DTYPES}
    for i, c in enumerate(clients):
        m = c.measures
        path = f"clients[{i}]"
        row: dict[str, object] = {
            CLIENT_ID: c.id,
            LEGAL_NAME: c.legal_name,
            SECTOR: c.sector.value,
            COUNTRY: c.country,
            PARENT_ID: c.parent_id,
            ONBOARDED_ON: c.onboarded_on,
            CURRENCY: c.currency,
            ANNUAL_REVENUE: amount(c.annual_revenue, f"{path}.annual_revenue"),
            MEASURED_ON: None if m is None else m.period_end,
            REVENUE_TO_BANK: None
            if m is None
            else amount(m.revenue_to_bank, f"{path}.measures.revenue_to_bank"),
            PROFIT_TO_BANK: None
            if m is None
            else amount(m.profit_to_bank, f"{path}.measures.profit_to_bank"),
            PRODUCT_COUNT: 0 if m is None else m.product_count,
            TRANSACTION_COUNT: 0 if m is None else m.transaction_count,
            LAST_TRANSACTION_ON: None if m is None else m.last_transaction_on,
            REFERRAL_COUNT: 0 if m is None else m.referral_count,
            RATING_GRADE: c.rating_grade,
            DEFAULT_PROBABILITY: c.default_probability,
            ON_WATCHLIST: c.on_watchlist,
            RELATIONSHIP_MANAGER: c.relationship_manager,
        }
        for name, value in row.items():
            cols[name].append(value)
    return cols


def clients_frame(book: Book) -> pd.DataFrame:
    """One row per client of ``book``, columns and dtypes of `CLIENTS_DTYPES`.

    Raises:
        BatchValidationError: an amount float64 cannot hold exactly (see the
            lossless rule in the module docstring), with its path.

    Examples:
        >>> import datetime as dt
        >>> from lendcrm import Client, ClientId, Money, Sector
        >>> c = Client(id=ClientId("C-1"), legal_name="Nordwind GmbH",
        ...     sector=Sector.MANUFACTURING, country="DE", onboarded_on=dt.date(2020, 1, 1),
        ...     annual_revenue=Money.of("1250000.50", "EUR"))
        >>> clients_frame(Book(clients=(c,)))[["client_id", "annual_revenue", "measured_on"]]
          client_id  annual_revenue measured_on
        0       C-1      1250000.5         NaT
    """
    require_instance(book, Book, name="book", what="a Book")
    amount = Amounts()
    cols = client_columns(book.clients, amount)
    amount.raise_if_any(len(book.clients))
    return frame_of(cols, CLIENTS_DTYPES)


def facilities_frame(book: Book) -> pd.DataFrame:
    """One row per facility of ``book``, columns and dtypes of `FACILITIES_DTYPES`.

    Raises:
        BatchValidationError: an amount float64 cannot hold exactly, with its path.

    Examples:
        >>> facilities_frame(Book()).shape
        (0, 21)
    """
    require_instance(book, Book, name="book", what="a Book")
    amount = Amounts()
    cols: dict[str, list[object]] = {name: [] for name in FACILITIES_DTYPES}
    for i, f in enumerate(book.facilities):
        path = f"facilities[{i}]"
        row: dict[str, object] = {
            FACILITY_ID: f.id,
            CLIENT_ID: f.client_id,
            PROJECT_ID: f.project_id,
            KIND: f.kind.value,
            CURRENCY: f.currency,
            LIMIT: amount(f.limit, f"{path}.limit"),
            DRAWN: amount(f.drawn, f"{path}.drawn"),
            START_ON: f.start_on,
            MATURITY_ON: f.maturity_on,
            SENIORITY: f.seniority.value,
            REFERENCE_RATE: f.pricing.reference_rate,
            MARGIN_BPS: f.pricing.margin_bps,
            ARRANGEMENT_FEE: amount(
                f.pricing.arrangement_fee, f"{path}.pricing.arrangement_fee"
            ),
            COMMITMENT_FEE_BPS: f.pricing.commitment_fee_bps,
            STATUS: f.status.value,
            ALLOWS_OVERDRAW: f.allows_overdraw,
            DEFAULT_PROBABILITY: f.default_probability,
            LOSS_GIVEN_DEFAULT: f.loss_given_default,
            CREDIT_CONVERSION_FACTOR: f.credit_conversion_factor,
            COLLATERAL_VALUE: float(f.collateral_value.amount),
            GUARANTEED_AMOUNT: float(f.guaranteed_amount.amount),
        }
        for name, value in row.items():
            cols[name].append(value)
    amount.raise_if_any(len(book.facilities))
    return frame_of(cols, FACILITIES_DTYPES)


def projects_frame(book: Book) -> pd.DataFrame:
    """One row per project of ``book``, columns and dtypes of `PROJECTS_DTYPES`.

    Raises:
        BatchValidationError: an amount float64 cannot hold exactly, with its path.

    Examples:
        >>> list(projects_frame(Book()).columns)[:3]
        ['project_id', 'name', 'sector']
    """
    require_instance(book, Book, name="book", what="a Book")
    amount = Amounts()
    cols: dict[str, list[object]] = {name: [] for name in PROJECTS_DTYPES}
    for i, p in enumerate(book.projects):
        path = f"projects[{i}]"
        row: dict[str, object] = {
            PROJECT_ID: p.id,
            NAME: p.name,
            SECTOR: p.sector.value,
            COUNTRY: p.country,
            CURRENCY: p.currency,
            TOTAL_COST: amount(p.total_cost, f"{path}.total_cost"),
            DEBT: amount(p.debt, f"{path}.debt"),
            EQUITY: amount(p.equity, f"{path}.equity"),
            PHASE: p.phase.value,
            EQUATOR_CATEGORY: None
            if p.equator_category is None
            else p.equator_category.value,
            PERCENT_COMPLETE: p.percent_complete,
        }
        for name, value in row.items():
            cols[name].append(value)
    amount.raise_if_any(len(book.projects))
    return frame_of(cols, PROJECTS_DTYPES)


def _rows(dtypes: Mapping[str, str]) -> dict[str, list[object]]:
    return {name: [] for name in dtypes}


def _add(cols: dict[str, list[object]], row: Mapping[str, object]) -> None:
    for name, value in row.items():
        cols[name].append(value)


def _child_frames(book: Book, amount: Amounts) -> dict[str, pd.DataFrame]:
    """The twelve child frames of ``book``; inexact amounts are recorded in ``amount``."""
    rows = {
        **_facility_child_rows(book, amount),
        **_project_child_rows(book, amount),
        **_client_child_rows(book, amount),
    }
    dtypes = {
        "collateral": COLLATERAL_DTYPES,
        "guarantees": GUARANTEES_DTYPES,
        "repayment_terms": REPAYMENT_TERMS_DTYPES,
        "repayment_profiles": REPAYMENT_PROFILES_DTYPES,
        "participations": PARTICIPATIONS_DTYPES,
        "covenants": COVENANTS_DTYPES,
        "milestones": MILESTONES_DTYPES,
        "drawdowns": DRAWDOWNS_DTYPES,
        "cash_flows": CASH_FLOWS_DTYPES,
        "sponsors": SPONSORS_DTYPES,
        "feedback": FEEDBACK_DTYPES,
        "referrals": REFERRALS_DTYPES,
    }
    return {name: frame_of(rows[name], d) for name, d in dtypes.items()}


def _terms_rows(book: Book) -> dict[str, dict[str, list[object]]]:
    """Repayment terms, their profiles and the syndicate of every facility."""
    terms, prof, part = (
        _rows(REPAYMENT_TERMS_DTYPES),
        _rows(REPAYMENT_PROFILES_DTYPES),
        _rows(PARTICIPATIONS_DTYPES),
    )
    for f in book.facilities:
        t = f.terms
        if t is not None:
            _add(terms, {
                FACILITY_ID: f.id, AMORTISATION: t.amortisation.value,
                PAYMENTS_PER_YEAR: t.payments_per_year, DAY_COUNT: t.day_count.value,
                GRACE_PERIODS: t.grace_periods, BALLOON_FRACTION: t.balloon_fraction,
                ZERO_FLOOR: t.zero_floor,
            })  # fmt: skip
            for k, x in enumerate(t.principal_profile or t.utilisation_profile, 1):
                _add(prof, {FACILITY_ID: f.id, PROFILE_PERIOD: k, PROFILE_FRACTION: x})
        for p in f.participations:
            _add(part, {
                FACILITY_ID: f.id, BANK: p.bank, ROLE: p.role.value, SHARE: p.share,
                OWN: p.own,
            })  # fmt: skip
    return {
        "repayment_terms": terms,
        "repayment_profiles": prof,
        "participations": part,
    }


def _facility_child_rows(
    book: Book, amount: Amounts
) -> dict[str, dict[str, list[object]]]:
    """Collateral, guarantee and covenant rows of every facility, as column lists."""
    coll, guar, cov = (
        _rows(COLLATERAL_DTYPES),
        _rows(GUARANTEES_DTYPES),
        _rows(COVENANTS_DTYPES),
    )
    for i, f in enumerate(book.facilities):
        for j, c in enumerate(f.collateral):
            _add(coll, {
                FACILITY_ID: f.id, COLLATERAL_KIND: c.kind.value, CURRENCY: c.value.currency,
                VALUE: amount(c.value, f"facilities[{i}].collateral[{j}].value"),
                HAIRCUT: c.haircut, ASSET_ID: c.asset_id, CLAIM_RANK: c.claim_rank,
            })  # fmt: skip
        for j, g in enumerate(f.guarantees):
            _add(guar, {
                FACILITY_ID: f.id, CURRENCY: g.covered.currency,
                COVERED: amount(g.covered, f"facilities[{i}].guarantees[{j}].covered"),
                GUARANTOR_ID: g.guarantor_id, GUARANTOR_NAME: g.guarantor_name,
                GUARANTOR_DEFAULT_PROBABILITY: g.guarantor_default_probability,
            })  # fmt: skip
        for k in f.covenants:
            _add(cov, {
                FACILITY_ID: f.id, METRIC: k.metric.value, OPERATOR: k.operator.value,
                THRESHOLD: k.threshold, LOCK_UP_LEVEL: k.lock_up_level,
                DEFAULT_LEVEL: k.default_level, TEST_FREQUENCY: k.test_frequency.value,
            })  # fmt: skip
    return {
        "collateral": coll,
        "guarantees": guar,
        "covenants": cov,
        **_terms_rows(book),
    }


def _project_child_rows(
    book: Book, amount: Amounts
) -> dict[str, dict[str, list[object]]]:
    """Milestone, drawdown, cash-flow and sponsor rows of every project."""
    mil, draw = _rows(MILESTONES_DTYPES), _rows(DRAWDOWNS_DTYPES)
    cash, spon = _rows(CASH_FLOWS_DTYPES), _rows(SPONSORS_DTYPES)
    for i, p in enumerate(book.projects):
        for m in p.milestones:
            _add(mil, {
                PROJECT_ID: p.id, MILESTONE: m.name, PLANNED_ON: m.planned_on,
                ACTUAL_ON: m.actual_on, PERCENT_COMPLETE: m.percent_complete,
                CERTIFIED_BY: m.certified_by,
            })  # fmt: skip
        for j, d in enumerate(p.drawdowns):
            _add(draw, {
                PROJECT_ID: p.id, DRAWN_ON: d.on, CURRENCY: d.amount.currency,
                AMOUNT: amount(d.amount, f"projects[{i}].drawdowns[{j}].amount"),
            })  # fmt: skip
        for j, cf in enumerate(p.cash_flows):
            _add(cash, {
                PROJECT_ID: p.id, PERIOD_END: cf.period_end, CURRENCY: cf.cfads.currency,
                CFADS: amount(cf.cfads, f"projects[{i}].cash_flows[{j}].cfads"),
                DEBT_SERVICE: amount(
                    cf.debt_service, f"projects[{i}].cash_flows[{j}].debt_service"
                ),
            })  # fmt: skip
        for s in p.sponsors:
            _add(
                spon,
                {
                    PROJECT_ID: p.id,
                    SPONSOR_ID: s.sponsor_id,
                    EQUITY_SHARE: s.equity_share,
                },
            )
    return {"milestones": mil, "drawdowns": draw, "cash_flows": cash, "sponsors": spon}


def _client_child_rows(
    book: Book, amount: Amounts
) -> dict[str, dict[str, list[object]]]:
    """Feedback and referral rows of every client, as column lists."""
    fb, ref = _rows(FEEDBACK_DTYPES), _rows(REFERRALS_DTYPES)
    for i, cl in enumerate(book.clients):
        for e in cl.feedback:
            _add(fb, {
                CLIENT_ID: cl.id, FEEDBACK_ON: e.on, CHANNEL: e.channel.value,
                SCORE: e.score, TEXT: e.text,
            })  # fmt: skip
        for j, r in enumerate(cl.referrals):
            money = r.converted_amount
            _add(ref, {
                CLIENT_ID: cl.id, REFEREE_ID: r.referee, REFERRED_ON: r.on,
                CURRENCY: None if money is None else money.currency,
                CONVERTED_AMOUNT: amount(
                    money, f"clients[{i}].referrals[{j}].converted_amount"
                ),
            })  # fmt: skip
    return {"feedback": fb, "referrals": ref}


@attrs.frozen(kw_only=True, eq=False)
class BookFrames:
    """A whole book as frames: three entity, twelve child, five history and two contact frames.

    Child and history frames default to empty frames with the right columns, so a
    caller with only ``clients`` and ``facilities`` frames (e.g. from a synthetic
    generator) can still build a `BookFrames`. Frames are not copied; do not mutate
    them after building. A history frame has one row per dated record, the rows of
    each owner oldest first, one per date (see `validate_measures_frame`).

    Attributes:
        clients: `CLIENTS_DTYPES`.
        facilities: `FACILITIES_DTYPES`.
        projects: `PROJECTS_DTYPES`.
        collateral: `COLLATERAL_DTYPES`, keyed by ``facility_id``.
        guarantees: `GUARANTEES_DTYPES`, keyed by ``facility_id``.
        covenants: `COVENANTS_DTYPES`, keyed by ``facility_id``.
        milestones: `MILESTONES_DTYPES`, keyed by ``project_id``.
        drawdowns: `DRAWDOWNS_DTYPES`, keyed by ``project_id``.
        cash_flows: `CASH_FLOWS_DTYPES`, keyed by ``project_id``.
        sponsors: `SPONSORS_DTYPES`, keyed by ``project_id``.
        feedback: `FEEDBACK_DTYPES`, keyed by ``client_id``.
        referrals: `REFERRALS_DTYPES`, keyed by ``client_id`` (the referrer).
        measures: `MEASURES_DTYPES`, keyed by ``client_id``: every measured period
            (the clients frame holds the latest).
        ratings: `RATINGS_DTYPES`, keyed by ``client_id``: the rating history.
        statements: `STATEMENTS_DTYPES`, keyed by ``client_id``: spread statements.
        observations: `OBSERVATIONS_DTYPES`, keyed by ``facility_id``: balance,
            limit and arrears per period end.
        valuations: `VALUATIONS_DTYPES`, keyed by ``facility_id`` and
            ``collateral_index`` (the collateral's position among the facility's
            collateral rows): dated collateral values.
        contacts: `CONTACTS_DTYPES`, keyed by ``client_id``: the people at each
            client.
        interactions: `INTERACTIONS_DTYPES`, keyed by ``client_id``: the
            interaction log, each client's rows oldest first.
        repayment_terms: `REPAYMENT_TERMS_DTYPES`, keyed by ``facility_id``: one
            row per facility with `lendcrm.RepaymentTerms`.
        repayment_profiles: `REPAYMENT_PROFILES_DTYPES`, keyed by ``facility_id``:
            a sculpted loan's principal fractions or a revolver's utilisation, one
            row per period.
        participations: `PARTICIPATIONS_DTYPES`, keyed by ``facility_id``: the
            syndicate's shares.

    Examples:
        >>> frames = book_frames(Book())
        >>> len(frames.clients), list(frames.sponsors.columns)
        (0, ['project_id', 'sponsor_id', 'equity_share'])
    """

    __dask_tokenize__ = dask_token  # by content: a pickled copy tokenises alike

    clients: pd.DataFrame = attrs.field(
        factory=partial(empty_frame, CLIENTS_DTYPES), repr=False
    )
    facilities: pd.DataFrame = attrs.field(
        factory=partial(empty_frame, FACILITIES_DTYPES), repr=False
    )
    projects: pd.DataFrame = attrs.field(
        factory=partial(empty_frame, PROJECTS_DTYPES), repr=False
    )
    collateral: pd.DataFrame = attrs.field(
        factory=partial(empty_frame, COLLATERAL_DTYPES), repr=False
    )
    guarantees: pd.DataFrame = attrs.field(
        factory=partial(empty_frame, GUARANTEES_DTYPES), repr=False
    )
    covenants: pd.DataFrame = attrs.field(
        factory=partial(empty_frame, COVENANTS_DTYPES), repr=False
    )
    milestones: pd.DataFrame = attrs.field(
        factory=partial(empty_frame, MILESTONES_DTYPES), repr=False
    )
    drawdowns: pd.DataFrame = attrs.field(
        factory=partial(empty_frame, DRAWDOWNS_DTYPES), repr=False
    )
    cash_flows: pd.DataFrame = attrs.field(
        factory=partial(empty_frame, CASH_FLOWS_DTYPES), repr=False
    )
    sponsors: pd.DataFrame = attrs.field(
        factory=partial(empty_frame, SPONSORS_DTYPES), repr=False
    )
    feedback: pd.DataFrame = attrs.field(
        factory=partial(empty_frame, FEEDBACK_DTYPES), repr=False
    )
    referrals: pd.DataFrame = attrs.field(
        factory=partial(empty_frame, REFERRALS_DTYPES), repr=False
    )
    measures: pd.DataFrame = attrs.field(
        factory=partial(empty_frame, MEASURES_DTYPES), repr=False
    )
    ratings: pd.DataFrame = attrs.field(
        factory=partial(empty_frame, RATINGS_DTYPES), repr=False
    )
    statements: pd.DataFrame = attrs.field(
        factory=partial(empty_frame, STATEMENTS_DTYPES), repr=False
    )
    observations: pd.DataFrame = attrs.field(
        factory=partial(empty_frame, OBSERVATIONS_DTYPES), repr=False
    )
    valuations: pd.DataFrame = attrs.field(
        factory=partial(empty_frame, VALUATIONS_DTYPES), repr=False
    )
    contacts: pd.DataFrame = attrs.field(
        factory=partial(empty_frame, CONTACTS_DTYPES), repr=False
    )
    interactions: pd.DataFrame = attrs.field(
        factory=partial(empty_frame, INTERACTIONS_DTYPES), repr=False
    )
    repayment_terms: pd.DataFrame = attrs.field(
        factory=partial(empty_frame, REPAYMENT_TERMS_DTYPES), repr=False
    )
    repayment_profiles: pd.DataFrame = attrs.field(
        factory=partial(empty_frame, REPAYMENT_PROFILES_DTYPES), repr=False
    )
    participations: pd.DataFrame = attrs.field(
        factory=partial(empty_frame, PARTICIPATIONS_DTYPES), repr=False
    )


def book_frames(book: Book) -> BookFrames:
    """Every frame of ``book``: entities, nested value objects and histories.

    Raises:
        BatchValidationError: amounts float64 cannot hold exactly, each with its path
            (e.g. ``facilities[3].limit``).

    Examples:
        >>> book_frames(Book()).facilities.shape
        (0, 21)
    """
    require_instance(book, Book, name="book", what="a Book")
    amount = Amounts()
    children = _child_frames(book, amount)
    histories = history_frames(book, amount)
    contacts = contact_frames(book)
    amount.raise_if_any(len(book.clients) + len(book.facilities) + len(book.projects))
    return BookFrames(
        clients=clients_frame(book),
        facilities=facilities_frame(book),
        projects=projects_frame(book),
        **children,
        **histories,
        **contacts,
    )
