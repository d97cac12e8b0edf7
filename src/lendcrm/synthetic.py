"""Synthetic lending books: realistic, documented, reproducible, and fast.

`generate_frames` draws a whole book (clients, facilities with collateral, guarantees
and covenants, project vehicles with sponsors, milestones, drawdowns and cash-flow
forecasts, referrals, feedback, and the lifecycle signals) as pandas DataFrames whose
columns are the `lendcrm.frames.columns` names and whose shape is that of the core columnar
bridge (`lendcrm.frames`). Everything is vectorised numpy: one million clients take a
few seconds. `generate_book` turns the same frames into validated entities. The same
``seed`` gives the same book, value for value; nothing reads the clock (``as_of`` is a
parameter).

How the book is drawn (the tables are in ``lendcrm._synthetic_tables``, the draws in
``lendcrm._synthetic_draws``; the *Synthetic books* explanation page gives every
parameter and the reasons):

1. **Stage.** Each client first gets the lifecycle stage its signals will be drawn
   from (acquisition 6 %, activation 10 %, growth 28 %, maturity 41 %, decline 15 %),
   kept in ``SyntheticFrames.stages`` as the generator's ground truth. Acquisition
   is everything before the first drawdown (40 % have signed an undrawn facility);
   activation is a first drawdown within six months.
2. **Who.** Sector (19 NACE Rev. 2 sections, manufacturing and trade largest), country
   (18 countries of a European bank), tenure (uniform range per stage), annual revenue:
   a lognormal body (median EUR 15 m, sigma 0.9) with a 2 % Pareto tail (scale
   EUR 300 m, alpha 1.8, capped at EUR 200 bn).
3. **Groups.** 20 % of clients are subsidiaries of a group head and 4 % second-level
   subsidiaries; project vehicles are subsidiaries of their lead sponsor. A parent is
   always on a higher level, so there are no cycles.
4. **Risk.** log PD is normal around the sector's median PD, better for larger firms
   (elasticity -0.25 on revenue), sigma 0.9, plus about a notch for declining clients;
   it is mapped to a 10-grade master scale (grade PDs 0.03 % to 20 %, the bands of
   ``lendcrm.risk``'s default scale) and the grade's PD is the client's PD.
5. **Facilities.** None for acquisition clients, one for a project vehicle, otherwise
   1 + Poisson (more for larger clients, at most 6; 1.9 per client overall). The credit
   envelope is revenue times a lognormal leverage (median 0.30, sigma 0.3; 3.0 for
   project vehicles), split by Gamma(2) weights, rounded to 1,000. Kind, tenor,
   utilisation (Beta by kind), margin (by grade and kind), fees, seniority, LGD (Beta
   by seniority), CCF (by kind), collateral, guarantees and covenants follow the tables.
6. **Value to the bank.** Revenue = margin on drawn + commitment fee on undrawn +
   arrangement fee over the tenor + transaction and ancillary fees; profit = revenue -
   cost to serve - expected loss - cost of capital (negative for about 25 % of
   clients). The top 20 % of clients by revenue to the bank hold about 75 % of it.
7. **Projects.** Energy, water, transport, real estate and the PPP sections carry most
   vehicles (3.7 % of clients); the phase follows the client's stage; gearing 60-85 %;
   1-3 sponsors with whole-percent equity shares summing to 1; one construction
   milestone; drawdowns adding up to the drawn amount; ten semi-annual CFADS periods.
8. **Relationship.** Referrals (8 % of clients were referred by an earlier client),
   feedback (Poisson(1.2) records, scores 0-10, complaints score low), product and
   transaction counts, last transaction date.
9. **Signals.** The ``SIG_*`` columns are drawn per stage and made consistent with the
   other frames (``has_drawn`` implies ``has_facility``, months never negative, months
   since first drawdown never above tenure, watchlist and days past due as in the
   clients frame and the facility status).
"""

from __future__ import annotations

import datetime as dt
import operator
from typing import Final

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from lendcrm import _synthetic_tables as tables
from lendcrm._arrays import IntArray
from lendcrm._dates import check_as_of
from lendcrm._synthetic_draws import (
    DSCR_DEFAULT,
    DSCR_LOCK_UP,
    DSCR_THRESHOLD,
    LEVERAGE_DEFAULT,
    LEVERAGE_THRESHOLD,
    Draws,
    draw,
)
from lendcrm.book import Book
from lendcrm.errors import InvalidValueError
from lendcrm.frames import BookFrames, book_from_frames
from lendcrm.frames import columns as schema

__all__ = [
    "RATING_GRADES",
    "STAGE",
    "SyntheticFrames",
    "generate_book",
    "generate_frames",
]

#: Rating grades of the synthetic master scale, best first (``"1"`` to ``"10"``).
RATING_GRADES: Final = tables.RATING_GRADES
#: The lifecycle stage the generator drew a client's signals from (``stages`` frame).
STAGE: Final = "stage"


_ID_WIDTH: Final = 7
_EARLIEST_AS_OF: Final = dt.date(1720, 1, 1)
_LATEST_AS_OF: Final = dt.date(2250, 12, 31)


@attrs.frozen(kw_only=True, eq=False)
class SyntheticFrames:
    """A synthetic book in columnar form: the core frames plus the lifecycle signals.

    The entity and child frames have the columns of the core columnar bridge
    (`lendcrm.frames`), so ``book_from_frames`` turns them into a `Book`; a few extra
    columns (``referral_amount`` on clients, ``client_id`` of the vehicle on projects)
    are there for analytics and ignored by the bridge. Every frame has a fresh
    ``RangeIndex``; ids are ``str`` (``C0000001``, ``F000000001``, ``P0000001``),
    enumerations and codes are categoricals, amounts float64 (whole currency units
    for limits and costs, cents for drawn amounts and measures), basis points and
    counts int64, dates ``datetime64[ns]``. Treat the frames as read-only (pandas'
    copy-on-write keeps frames that share a column independent).

    Attributes:
        clients: One row per client: ids, legal name, NACE section, country, parent
            (nullable), onboarding date, ``currency`` (EUR, the reporting currency),
            annual revenue, ``measured_on`` (= ``as_of``), revenue and profit to the
            bank over the last twelve months, product, transaction and referral
            counts, ``referral_amount`` (EUR), last transaction date (NaT without
            transactions), rating grade (``"1"``-``"10"``), its PD, watchlist flag.
        facilities: One row per facility: ``schema`` facility columns, all amounts
            in the facility's currency; ``project_id`` is null except for
            project-finance facilities; ``collateral_value`` is after haircuts.
        projects: One row per project vehicle: the ``schema`` project columns and
            the vehicle's ``client_id``.
        collateral: ``facility_id``, ``collateral_kind``, ``currency``, ``value``,
            ``haircut``: one pledged asset per senior secured facility.
        guarantees: ``facility_id``, ``currency``, ``covered``, ``guarantor_id`` (the
            parent) or ``guarantor_name`` (a third party), its PD.
        covenants: ``facility_id``, ``metric``, ``operator``, ``threshold``,
            ``lock_up_level``, ``default_level``, ``test_frequency``: a DSCR floor on
            every project facility, a leverage cap on 40 % of corporate loans.
        milestones: ``project_id``, ``milestone`` (``construction``), planned and
            actual dates, ``percent_complete`` (0-100), ``certified_by``.
        drawdowns: ``project_id``, ``drawn_on``, ``currency``, ``amount``: four
            tranches adding up to the project facility's drawn amount.
        cash_flows: ``project_id``, ``period_end``, ``currency``, ``cfads``,
            ``debt_service``: ten semi-annual periods after ``as_of`` per project.
        sponsors: ``project_id``, ``sponsor_id`` (a client), ``equity_share``.
        feedback: ``client_id``, ``feedback_on``, ``channel``, ``score`` (0-10),
            ``text``.
        referrals: ``client_id`` (the referrer), ``referee_id``, ``referred_on``,
            ``currency``, ``converted_amount`` (the referee's total limit, EUR).
        signals: ``client_id`` and every ``schema.SIG_*`` column, one row per client
            in the order of ``clients``, no missing values.
        stages: ``client_id`` and ``stage``: the stage the generator drew each
            client's signals from (ground truth for testing stage assessment).

    Examples:
        >>> import datetime as dt
        >>> book = generate_frames(50, seed=1, as_of=dt.date(2025, 12, 31))
        >>> len(book.clients), len(book.signals)
        (50, 50)
    """

    clients: pd.DataFrame
    facilities: pd.DataFrame
    projects: pd.DataFrame
    collateral: pd.DataFrame
    guarantees: pd.DataFrame
    covenants: pd.DataFrame
    milestones: pd.DataFrame
    drawdowns: pd.DataFrame
    cash_flows: pd.DataFrame
    sponsors: pd.DataFrame
    feedback: pd.DataFrame
    referrals: pd.DataFrame
    signals: pd.DataFrame
    stages: pd.DataFrame

    def book_frames(self) -> BookFrames:
        """The entity and child frames as a `BookFrames`, for `book_from_frames`.

        The frames are shared, not copied; ``signals`` and ``stages`` are left out
        (they are not part of a book).

        Examples:
            >>> import datetime as dt
            >>> from lendcrm.frames import book_from_frames
            >>> frames = generate_frames(20, seed=2, as_of=dt.date(2025, 12, 31))
            >>> len(book_from_frames(frames.book_frames()).clients)
            20
        """
        return BookFrames(
            **{a.name: getattr(self, a.name) for a in attrs.fields(BookFrames)}
        )


# --- argument checks -----------------------------------------------------------------


def _check_n_clients(n_clients: object) -> int:
    if isinstance(n_clients, bool) or not isinstance(n_clients, int | np.integer):
        raise InvalidValueError(
            field="n_clients", value=n_clients, expected="an int >= 1"
        )
    n = operator.index(n_clients)
    if n < 1:
        raise InvalidValueError(
            field="n_clients", value=n_clients, expected="an int >= 1"
        )
    return n


def _check_seed(seed: object) -> np.random.Generator:
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise InvalidValueError(
            field="seed",
            value=seed,
            expected="a non-negative int or a numpy.random.Generator",
        )
    return np.random.default_rng(int(seed))


def _check_as_of(as_of: object) -> np.datetime64:
    day = check_as_of(as_of)
    if not _EARLIEST_AS_OF <= day <= _LATEST_AS_OF:
        # a book reaches 30 years back and its cash flows and maturities 10 years
        # forward, all within pandas' datetime64[ns] range
        raise InvalidValueError(
            field="as_of",
            value=as_of,
            expected=f"a date from {_EARLIEST_AS_OF} to {_LATEST_AS_OF}",
        )
    return np.datetime64(day, "D")


# --- frame helpers ----------------------------------------------------------------------


def _ids(prefix: str, count: int, width: int) -> npt.NDArray[np.object_]:
    """``prefix`` + zero-padded 1-based numbers, built without a Python loop.

    The characters are written as UCS-4 code points straight into a ``U`` array
    (numpy's unicode storage), then turned into Python strings once.
    """
    numbers = np.arange(1, count + 1, dtype=np.int64)
    chars = np.empty((count, width + 1), dtype=np.uint32)
    chars[:, 0] = ord(prefix)
    for position in range(width, 0, -1):  # over digit positions, not rows
        chars[:, position] = 48 + numbers % 10
        numbers //= 10
    return chars.view(f"<U{width + 1}").ravel().astype(object)


def _str_column(values: npt.NDArray[np.str_] | npt.NDArray[np.object_]) -> pd.Series:
    return pd.Series(values, dtype="str")


def _take(ids: pd.Series, index: IntArray) -> pd.Series:
    """The id strings at ``index`` (no per-row string work: the array is taken)."""
    return pd.Series(ids.array.take(index), copy=False)


def _optional_ids(ids: npt.NDArray[np.object_], index: IntArray) -> pd.Series:
    """``ids[index]`` as a ``str`` column, missing where ``index`` is -1."""
    out = np.full(index.size, None, dtype=object)
    known = index >= 0
    out[known] = ids[index[known]]
    return pd.Series(out, dtype="str")


def _categorical(codes: IntArray, categories: tuple[str, ...]) -> pd.Categorical[str]:
    return pd.Categorical.from_codes(codes, categories=pd.Index(list(categories)))


def _ns(days: npt.NDArray[np.datetime64]) -> npt.NDArray[np.datetime64]:
    return days.astype("datetime64[ns]")


def _name_table(suffixes: tuple[str, ...]) -> npt.NDArray[np.str_]:
    """All ``word1 word2 suffix`` combinations (a few thousand constant strings)."""
    return np.array(
        [
            f"{w1} {w2} {suffix}"
            for w1 in tables.NAME_WORDS_1
            for w2 in tables.NAME_WORDS_2
            for suffix in suffixes
        ]
    )


def generate_frames(
    n_clients: int, *, seed: int | np.random.Generator, as_of: dt.date
) -> SyntheticFrames:
    """Draw a synthetic lending book as DataFrames (vectorised; millions of rows).

    Args:
        n_clients: Number of clients, an int >= 1. Facilities (about 2.1 per client),
            projects (about 4 % of clients), referrals and feedback follow from it.
        seed: A non-negative int, or a ``numpy.random.Generator`` (which is advanced).
            The same int gives the same frames, value for value.
        as_of: The book date: every date drawn is on or before it (maturities and
            cash-flow periods after it). Nothing reads the clock.

    Returns:
        The frames of the book; see `SyntheticFrames` for their columns and the module
        docstring for the distributions.

    Raises:
        InvalidValueError: ``n_clients`` is not an int >= 1, ``seed`` is neither a
            non-negative int nor a Generator, or ``as_of`` is not a ``datetime.date``
            from 1720-01-01 to 2250-12-31 (the frames' nanosecond dates must hold
            the book's history and its forecasts).

    Examples:
        >>> import datetime as dt
        >>> from lendcrm.frames import columns
        >>> book = generate_frames(1000, seed=7, as_of=dt.date(2025, 12, 31))
        >>> len(book.clients), len(book.signals)
        (1000, 1000)
        >>> clients = book.clients[columns.CLIENT_ID]
        >>> bool(book.facilities[columns.CLIENT_ID].isin(clients).all())
        True
        >>> bool((book.facilities[columns.DRAWN] <= book.facilities[columns.LIMIT]).all())
        True
        >>> generate_frames(0, seed=7, as_of=dt.date(2025, 12, 31))
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `n_clients` must be an int >= 1; got 0.
    """
    n = _check_n_clients(n_clients)
    as_of_d = _check_as_of(as_of)
    rng = _check_seed(seed)
    d = draw(rng, n, as_of_d)
    ids = _Ids.of(d)
    return SyntheticFrames(
        clients=_clients_frame(d, ids, as_of_d),
        facilities=_facilities_frame(d, ids),
        projects=_projects_frame(d, ids),
        **_facility_children(d, ids),
        **_project_children(d, ids),
        **_client_children(d, ids),
    )


def generate_book(
    n_clients: int, *, seed: int | np.random.Generator, as_of: dt.date
) -> Book:
    """Draw a synthetic book as entities: the same book as `generate_frames`.

    The book is built from the frames, so the two faces agree:
    ``generate_book(n, seed=s, as_of=d) == book_from_frames(generate_frames(n, seed=s,
    as_of=d).book_frames())``. Every row passes the entities' own validation and the
    book's integrity checks. Building entities costs Python work per row (a quarter
    of a millisecond per client with its facilities and children, measured on 2,000
    clients, against a few microseconds per client for the frames); for hundreds of
    thousands of clients, work with `generate_frames`.

    Args:
        n_clients: Number of clients, an int >= 1.
        seed: A non-negative int, or a ``numpy.random.Generator`` (which is advanced).
        as_of: The book date (see `generate_frames`).

    Returns:
        An immutable `Book` of clients (with their measures, feedback and referrals),
        facilities (with collateral, guarantees and covenants) and projects (with
        sponsors, milestones, drawdowns and cash flows).

    Raises:
        InvalidValueError: as `generate_frames`.

    Examples:
        >>> import datetime as dt
        >>> book = generate_book(200, seed=7, as_of=dt.date(2025, 12, 31))
        >>> len(book.clients)
        200
        >>> client = book.clients[0]
        >>> client.id, client.sector.value, client.country, client.rating_grade
        ('C0000001', 'G', 'IT', '7')
    """
    return book_from_frames(
        generate_frames(n_clients, seed=seed, as_of=as_of).book_frames()
    )


@attrs.frozen(kw_only=True)
class _Ids:
    """The id columns, built once and taken from for every foreign key."""

    clients: npt.NDArray[np.object_]
    client_col: pd.Series
    facility_col: pd.Series
    projects: npt.NDArray[np.object_]
    project_col: pd.Series
    project_of_facility: IntArray

    @classmethod
    def of(cls, d: Draws) -> _Ids:
        width = max(_ID_WIDTH, len(str(d.n)))
        clients = _ids("C", d.n, width)
        projects = _ids("P", d.projects.client.size, width)
        project_of_facility = np.full(d.facilities.client.size, -1, dtype=np.int64)
        project_of_facility[d.projects.facility] = np.arange(d.projects.client.size)
        return cls(
            clients=clients,
            client_col=_str_column(clients),
            facility_col=_str_column(_ids("F", d.facilities.client.size, width + 2)),
            projects=projects,
            project_col=_str_column(projects),
            project_of_facility=project_of_facility,
        )


_SECTORS: Final = tuple(row[0] for row in tables.SECTORS)
_COUNTRIES: Final = tuple(row[0] for row in tables.COUNTRIES)
_CURRENCIES: Final = tuple(row[0] for row in tables.CURRENCIES)


def _currency(codes: IntArray) -> pd.Categorical[str]:
    return _categorical(codes, _CURRENCIES)


def _reporting_currency(size: int) -> pd.Categorical[str]:
    return _currency(np.full(size, _CURRENCIES.index(tables.REPORTING_CURRENCY)))


def _clients_frame(d: Draws, ids: _Ids, as_of: np.datetime64) -> pd.DataFrame:
    c, m, n = d.clients, d.measures, d.n
    suffixes = tuple(dict.fromkeys(row[3] for row in tables.COUNTRIES))
    suffix_of_country = np.array([suffixes.index(row[3]) for row in tables.COUNTRIES])
    legal_names = _name_table(suffixes)[
        d.client_names * len(suffixes) + suffix_of_country[c.country]
    ]
    return pd.DataFrame(
        {
            schema.CLIENT_ID: ids.client_col,
            schema.LEGAL_NAME: _str_column(legal_names),
            schema.SECTOR: _categorical(c.sector, _SECTORS),
            schema.COUNTRY: _categorical(c.country, _COUNTRIES),
            schema.PARENT_ID: _optional_ids(ids.clients, c.parent),
            schema.ONBOARDED_ON: _ns(c.onboarded),
            schema.CURRENCY: _reporting_currency(n),
            schema.ANNUAL_REVENUE: c.revenue,
            schema.MEASURED_ON: _ns(np.full(n, as_of)),
            schema.REVENUE_TO_BANK: m.revenue,
            schema.PROFIT_TO_BANK: m.profit,
            schema.PRODUCT_COUNT: m.product_count,
            schema.TRANSACTION_COUNT: m.transaction_count,
            schema.LAST_TRANSACTION_ON: _ns(m.last_transaction),
            schema.REFERRAL_COUNT: np.bincount(d.referrer, minlength=n).astype(
                np.int64
            ),
            schema.REFERRAL_AMOUNT: np.round(
                np.bincount(d.referrer, weights=d.converted, minlength=n), 2
            ),
            schema.RATING_GRADE: _categorical(c.grade - 1, tables.RATING_GRADES),
            schema.DEFAULT_PROBABILITY: c.default_probability,
            schema.ON_WATCHLIST: c.watchlist,
        },
        copy=False,
    )


def _facilities_frame(d: Draws, ids: _Ids) -> pd.DataFrame:
    f = d.facilities
    return pd.DataFrame(
        {
            schema.FACILITY_ID: ids.facility_col,
            schema.CLIENT_ID: _take(ids.client_col, f.client),
            schema.PROJECT_ID: _optional_ids(ids.projects, ids.project_of_facility),
            schema.KIND: _categorical(
                f.kind, tuple(k[0] for k in tables.FACILITY_KINDS)
            ),
            schema.CURRENCY: _currency(f.currency),
            schema.LIMIT: f.limit,
            schema.DRAWN: f.drawn,
            schema.START_ON: _ns(f.start),
            schema.MATURITY_ON: _ns(f.maturity),
            schema.SENIORITY: _categorical(
                f.seniority, tuple(s[0] for s in tables.SENIORITIES)
            ),
            schema.REFERENCE_RATE: _categorical(
                f.currency, tuple(row[2] for row in tables.CURRENCIES)
            ),
            schema.MARGIN_BPS: f.margin_bps,
            schema.ARRANGEMENT_FEE: f.arrangement_fee,
            schema.COMMITMENT_FEE_BPS: f.commitment_fee_bps,
            schema.STATUS: _categorical(f.status, tables.FACILITY_STATUSES),
            schema.ALLOWS_OVERDRAW: f.allows_overdraw,
            schema.DEFAULT_PROBABILITY: d.clients.default_probability[f.client],
            schema.LOSS_GIVEN_DEFAULT: f.lgd,
            schema.CREDIT_CONVERSION_FACTOR: f.ccf,
            schema.COLLATERAL_VALUE: np.round(
                f.collateral_value * (1.0 - f.haircut), 2
            ),
            schema.GUARANTEED_AMOUNT: f.covered,
        },
        copy=False,
    )


def _projects_frame(d: Draws, ids: _Ids) -> pd.DataFrame:
    c, f, pr = d.clients, d.facilities, d.projects
    return pd.DataFrame(
        {
            schema.PROJECT_ID: ids.project_col,
            schema.NAME: _str_column(_name_table(("Project",))[d.project_names]),
            schema.SECTOR: _categorical(c.sector[pr.client], _SECTORS),
            schema.COUNTRY: _categorical(c.country[pr.client], _COUNTRIES),
            schema.CURRENCY: _currency(f.currency[pr.facility]),
            schema.TOTAL_COST: pr.total_cost,
            schema.DEBT: pr.debt,
            schema.EQUITY: pr.total_cost - pr.debt,
            schema.PHASE: _categorical(c.phase[pr.client], tables.PROJECT_PHASES),
            schema.PERCENT_COMPLETE: f.percent_complete[pr.client],
            schema.CLIENT_ID: _take(ids.client_col, pr.client),
        },
        copy=False,
    )


def _facility_children(d: Draws, ids: _Ids) -> dict[str, pd.DataFrame]:
    f, c = d.facilities, d.clients
    secured = np.flatnonzero(f.collateral_kind >= 0)
    collateral = pd.DataFrame(
        {
            schema.FACILITY_ID: _take(ids.facility_col, secured),
            schema.COLLATERAL_KIND: _categorical(
                f.collateral_kind[secured],
                tuple(k[0] for k in tables.COLLATERAL_KINDS),
            ),
            schema.CURRENCY: _currency(f.currency[secured]),
            schema.VALUE: f.collateral_value[secured],
            schema.HAIRCUT: f.haircut[secured],
        },
        copy=False,
    )
    guaranteed = np.flatnonzero(f.covered > 0)
    by_parent = f.guarantor_client[guaranteed]
    named = f.guarantor_named[guaranteed]
    guarantor_names = np.array([g[0] for g in tables.GUARANTORS], dtype=object)
    guarantor_pd = np.array([g[1] for g in tables.GUARANTORS])[named]
    guarantees = pd.DataFrame(
        {
            schema.FACILITY_ID: _take(ids.facility_col, guaranteed),
            schema.CURRENCY: _currency(f.currency[guaranteed]),
            schema.COVERED: f.covered[guaranteed],
            schema.GUARANTOR_ID: _optional_ids(ids.clients, by_parent),
            schema.GUARANTOR_NAME: _str_column(guarantor_names[named]).mask(
                by_parent >= 0
            ),
            schema.GUARANTOR_DEFAULT_PROBABILITY: np.where(
                by_parent >= 0,
                c.default_probability[np.maximum(by_parent, 0)],
                guarantor_pd,
            ),
        },
        copy=False,
    )
    covenanted = np.flatnonzero(f.covenant > 0)
    floor = f.covenant[covenanted] == 1  # DSCR floor; else a leverage cap
    kind = np.where(floor, 0, 1)
    covenants = pd.DataFrame(
        {
            schema.FACILITY_ID: _take(ids.facility_col, covenanted),
            schema.METRIC: _categorical(kind, ("dscr", "net_debt_to_ebitda")),
            schema.OPERATOR: _categorical(kind, ("at_least", "at_most")),
            schema.THRESHOLD: np.where(floor, DSCR_THRESHOLD, LEVERAGE_THRESHOLD),
            schema.LOCK_UP_LEVEL: np.where(floor, DSCR_LOCK_UP, np.nan),
            schema.DEFAULT_LEVEL: np.where(floor, DSCR_DEFAULT, LEVERAGE_DEFAULT),
            schema.TEST_FREQUENCY: _categorical(kind, ("semi_annual", "quarterly")),
        },
        copy=False,
    )
    return {"collateral": collateral, "guarantees": guarantees, "covenants": covenants}


def _project_children(d: Draws, ids: _Ids) -> dict[str, pd.DataFrame]:
    f, pr, progress = d.facilities, d.projects, d.progress
    p = pr.client.size
    project_currency = f.currency[pr.facility]
    milestones = pd.DataFrame(
        {
            schema.PROJECT_ID: _take(ids.project_col, np.arange(p)),
            schema.MILESTONE: _str_column(np.full(p, "construction", dtype=object)),
            schema.PLANNED_ON: _ns(progress.planned_on),
            schema.ACTUAL_ON: _ns(progress.actual_on),
            schema.PERCENT_COMPLETE: f.percent_complete[pr.client],
            schema.CERTIFIED_BY: _str_column(
                np.full(p, "Lenders' technical adviser", dtype=object)
            ).where(progress.certified),
        },
        copy=False,
    )
    drawdowns = pd.DataFrame(
        {
            schema.PROJECT_ID: _take(ids.project_col, progress.drawdown_project),
            schema.DRAWN_ON: _ns(progress.drawdown_on),
            schema.CURRENCY: _currency(project_currency[progress.drawdown_project]),
            schema.AMOUNT: progress.drawdown_amount,
        },
        copy=False,
    )
    cash_flows = pd.DataFrame(
        {
            schema.PROJECT_ID: _take(ids.project_col, d.cash_flow_project),
            schema.PERIOD_END: _ns(d.period_end),
            schema.CURRENCY: _currency(project_currency[d.cash_flow_project]),
            schema.CFADS: d.cfads,
            schema.DEBT_SERVICE: d.debt_service,
        },
        copy=False,
    )
    sponsors = pd.DataFrame(
        {
            schema.PROJECT_ID: _take(ids.project_col, pr.sponsor_project),
            schema.SPONSOR_ID: _take(ids.client_col, pr.sponsor_client),
            schema.EQUITY_SHARE: pr.sponsor_share,
        },
        copy=False,
    )
    return {
        "milestones": milestones,
        "drawdowns": drawdowns,
        "cash_flows": cash_flows,
        "sponsors": sponsors,
    }


def _client_children(d: Draws, ids: _Ids) -> dict[str, pd.DataFrame]:
    c, s = d.clients, d.signals
    band = np.searchsorted(np.array([6, 8]), d.feedback_score, side="left")
    feedback = pd.DataFrame(
        {
            schema.CLIENT_ID: _take(ids.client_col, d.feedback_client),
            schema.FEEDBACK_ON: _ns(d.feedback_on),
            schema.CHANNEL: _categorical(
                d.feedback_channel, tuple(ch[0] for ch in tables.FEEDBACK_CHANNELS)
            ),
            schema.SCORE: d.feedback_score,
            schema.TEXT: _categorical(band, tables.FEEDBACK_TEXTS),
        },
        copy=False,
    )
    referrals = pd.DataFrame(
        {
            schema.CLIENT_ID: _take(ids.client_col, d.referrer),
            schema.REFEREE_ID: _take(ids.client_col, d.referee),
            schema.REFERRED_ON: _ns(d.referred_on),
            schema.CURRENCY: _reporting_currency(d.referrer.size),
            schema.CONVERTED_AMOUNT: d.converted,
        },
        copy=False,
    )
    signals = pd.DataFrame(
        {
            schema.CLIENT_ID: ids.client_col,
            schema.SIG_HAS_FACILITY: s.has_facility,
            schema.SIG_HAS_DRAWN: s.has_drawn,
            schema.SIG_MONTHS_SINCE_FIRST_DRAWDOWN: s.months_since_first_drawdown,
            schema.SIG_TENURE_MONTHS: s.tenure_months,
            schema.SIG_EXPOSURE_GROWTH_YOY: s.exposure_growth,
            schema.SIG_REVENUE_GROWTH_YOY: s.revenue_growth,
            schema.SIG_PRODUCT_COUNT_CHANGE: s.product_count_change,
            schema.SIG_UTILISATION_CHANGE: s.utilisation_change,
            schema.SIG_RATING_NOTCHES_MOVED: c.notches,
            schema.SIG_ON_WATCHLIST: c.watchlist.copy(),
            schema.SIG_DAYS_PAST_DUE: c.dpd,
            schema.SIG_COVENANT_BREACHES: s.covenant_breaches,
            schema.SIG_HAS_DSCR: s.has_dscr,
            schema.SIG_DSCR_HEADROOM: s.dscr_headroom,
        },
        copy=False,
    )
    stages = pd.DataFrame(
        {
            schema.CLIENT_ID: ids.client_col,
            STAGE: _categorical(c.stage, tuple(st[0] for st in tables.STAGES)),
        },
        copy=False,
    )
    return {
        "feedback": feedback,
        "referrals": referrals,
        "signals": signals,
        "stages": stages,
    }
