"""`generate_frames` and `generate_book`: argument checks, the draws, the frames.

Private to :mod:`lendcrm.synthetic`, whose docstring describes the recipe.
"""

from __future__ import annotations

import datetime as dt
import operator
from typing import Final

import attrs
import numpy as np
import pandas as pd

from lendcrm._book import Book
from lendcrm._dates import check_as_of
from lendcrm.errors import InvalidValueError
from lendcrm.frames import BookFrames, book_from_frames
from lendcrm.frames.columns import EQUATOR_CATEGORY, RELATIONSHIP_MANAGER, STAGE
from lendcrm.synthetic import _tables as tables
from lendcrm.synthetic._assemble import frames_of
from lendcrm.synthetic._contacts import contact_frames, equator_categories
from lendcrm.synthetic._draws import draw
from lendcrm.synthetic._draws_assets import share_assets
from lendcrm.synthetic._draws_history import draw_histories
from lendcrm.synthetic._draws_terms import draw_terms
from lendcrm.synthetic._workflows import workflow_frames

#: Rating grades of the synthetic master scale, best first (``"1"`` to ``"10"``).
RATING_GRADES: Final = tables.RATING_GRADES

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
            transactions), rating grade (``"1"``-``"10"``), its PD, watchlist flag,
            ``relationship_manager`` (``RM0001``...; senior RMs cover the diamond and
            gold clients of the revenue rank).
        facilities: One row per facility: facility columns of `lendcrm.frames.columns`, all amounts
            in the facility's currency; ``project_id`` is null except for
            project-finance facilities; ``collateral_value`` is after haircuts.
        projects: One row per project vehicle: the project columns,
            the vehicle's ``client_id`` and its ``equator_category``.
        collateral: ``facility_id``, ``collateral_kind``, ``currency``, ``value``,
            ``haircut``, ``asset_id``, ``claim_rank``: one pledged asset per senior
            secured facility; about 3 % of the assets secure two facilities of one
            client (same ``asset_id``, claim ranks 1 and 2), the others have neither.
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
        signals: ``client_id`` and every ``SIG_*`` column, one row per client
            in the order of ``clients``, no missing values.
        stages: ``client_id`` and ``stage``: the stage the generator drew each
            client's signals from (ground truth for testing stage assessment).
        measures: The relationship measures per client and year (``client_id``,
            ``measured_on`` = ``as_of`` and the same day 1, 2, ... years earlier
            while the client was onboarded, then the measure columns of
            ``clients``); the latest row of each client is its ``clients`` row.
            ``referral_count`` counts the referrals made by ``measured_on``.
        ratings: ``client_id``, ``rated_on``, ``rating_grade``,
            ``default_probability`` (the grade's PD), ``rater``,
            ``rating_override``, ``override_reason`` (null without an override):
            annual reviews on the onboarding anniversaries; the latest grade is
            the client's ``rating_grade``.
        statements: ``client_id``, ``period_end`` (31 December), ``currency``
            (EUR), ``period_months`` (12) and the 15 amounts of a spread statement
            in whole euros, one per fiscal year; the balance sheet balances exactly.
        observations: ``facility_id``, ``period_end`` (month ends, the latest
            ``as_of``), ``drawn``, ``limit``, ``days_past_due``, ``in_default``,
            ``forborne``: one row per month end since the facility's start, at
            most ``periods``; the latest row is the facility's drawn and limit.
        valuations: ``facility_id``, ``collateral_index`` (0: one asset per
            secured facility), ``valued_on``, ``valuation_value`` (market value,
            before the haircut), ``valuation_method``: annual valuations on the
            facility's start anniversaries, the latest at the collateral's
            ``value``.
        contacts: The contacts frame of `lendcrm.frames` (1-4 per client, the
            CFO first; see :mod:`lendcrm.synthetic._contacts`).
        interactions: The interactions frame of `lendcrm.frames`: the last two
            years, more often for clients with a higher revenue to the bank.
        repayment_terms: One row per facility: ``amortisation`` (revolver for the
            revolving kinds, sculpted for project finance, bullet for bridges,
            else annuity/linear/balloon/bullet), ``payments_per_year``,
            ``day_count``, ``grace_periods``, ``balloon_fraction``, ``zero_floor``.
        repayment_profiles: ``facility_id``, ``profile_period``,
            ``profile_fraction``: a sculpted loan's principal fractions, a
            revolver's expected utilisation, one row per payment period.
        participations: ``facility_id``, ``bank``, ``role``, ``share``, ``own``:
            the syndicate of each project-finance facility with a limit of at
            least 50 million, the bank's own share 20-60 %.
        managers: The RM roster, one row per ``relationship_manager`` of
            ``clients`` (the managers frame of
            `lendcrm.relationship.workflows.frames`): team, level (senior for the
            RMs of the diamond and gold clients), client capacity (a few RMs over
            it); see :mod:`lendcrm.synthetic._workflows`.
        tasks: The tasks frame of `lendcrm.relationship.workflows.frames`: the
            last 120 days of action-plan tasks, more for better tiers and for young
            and declining relationships, owned by the client's RM, some overdue.

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
    measures: pd.DataFrame
    ratings: pd.DataFrame
    statements: pd.DataFrame
    observations: pd.DataFrame
    valuations: pd.DataFrame
    contacts: pd.DataFrame
    interactions: pd.DataFrame
    repayment_terms: pd.DataFrame
    repayment_profiles: pd.DataFrame
    participations: pd.DataFrame
    managers: pd.DataFrame
    tasks: pd.DataFrame

    def book_frames(self) -> BookFrames:
        """The entity and child frames as a `BookFrames`, for `book_from_frames`.

        The frames are shared, not copied, the five histories included;
        ``signals`` and ``stages`` are left out (they are not part of a book).

        Examples:
            >>> import datetime as dt
            >>> from lendcrm.frames import book_from_frames
            >>> frames = generate_frames(20, seed=2, as_of=dt.date(2025, 12, 31))
            >>> len(book_from_frames(frames.book_frames()).clients)
            20
        """
        return BookFrames(
            **{
                a.name: getattr(self, a.name)
                for a in attrs.fields(BookFrames)
                if hasattr(self, a.name)
            }
        )


# --- argument checks -----------------------------------------------------------------


#: The largest book one call draws (ten times the largest the benchmarks draw).
MAX_CLIENTS: Final = 10_000_000


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
    if n > MAX_CLIENTS:  # refused before any array is drawn
        raise InvalidValueError(
            field="n_clients",
            value=n_clients,
            expected=f"at most {MAX_CLIENTS:,} clients (refused up front; draw a larger "
            "book in parts with different seeds)",
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


def _check_periods(periods: object) -> int:
    expected = f"an int from 1 to {tables.MAX_PERIODS} (monthly period ends)"
    if isinstance(periods, bool) or not isinstance(periods, int | np.integer):
        raise InvalidValueError(field="periods", value=periods, expected=expected)
    if not 1 <= periods <= tables.MAX_PERIODS:
        raise InvalidValueError(field="periods", value=periods, expected=expected)
    return operator.index(periods)


def generate_frames(
    n_clients: int,
    *,
    seed: int | np.random.Generator,
    as_of: dt.date,
    periods: int = tables.DEFAULT_PERIODS,
) -> SyntheticFrames:
    """Draw a synthetic lending book as DataFrames (vectorised; millions of rows).

    Args:
        n_clients: Number of clients, an int >= 1. Facilities (about 2.1 per client),
            projects (about 4 % of clients), referrals and feedback follow from it.
        seed: A non-negative int, or a ``numpy.random.Generator`` (which is advanced).
            The same int gives the same frames, value for value.
        as_of: The book date: every date drawn is on or before it (maturities and
            cash-flow periods after it). Nothing reads the clock.
        periods: Monthly period ends of the histories, 1 to 361: the facility
            observations run from ``as_of``'s month end back ``periods - 1`` months;
            the annual histories (measures, ratings, statements, valuations) hold
            ``1 + (periods - 1) // 12`` years. The default 13 gives every
            year-on-year signal its base. The other frames do not depend on it.

    Returns:
        The frames of the book; see `SyntheticFrames` for their columns and the module
        docstring for the distributions.

    Raises:
        InvalidValueError: ``n_clients`` is not an int from 1 to 10,000,000, ``seed`` is neither a
            non-negative int nor a Generator, ``as_of`` is not a ``datetime.date``
            from 1720-01-01 to 2250-12-31 (the frames' nanosecond dates must hold
            the book's history and its forecasts), or ``periods`` is not an int
            from 1 to 361.

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
    months = _check_periods(periods)
    rng = _check_seed(seed)
    d = draw(rng, n, as_of_d)
    # children of the generator (spawning does not advance it): the rating paths and
    # the shared assets, so neither moves the draws above or depends on `periods`
    paths, pledges = rng.spawn(2)
    d = share_assets(pledges, d)
    h = draw_histories(rng, paths, d, as_of=as_of_d, periods=months)
    frames = frames_of(d, h, as_of_d)
    # drawn last, from the same generator: the frames above stay what they were
    stage_codes = np.asarray(frames["stages"][STAGE].cat.codes, dtype=np.int64)
    rm, contacts, interactions = contact_frames(
        rng, frames["clients"], stage_codes, as_of_d
    )
    frames["clients"] = frames["clients"].assign(**{RELATIONSHIP_MANAGER: rm})
    frames["projects"] = frames["projects"].assign(
        **{EQUATOR_CATEGORY: equator_categories(rng, len(frames["projects"]))}
    )
    # repayment terms and syndicates: a child spawned last, so nothing above moves
    (terms_rng,) = rng.spawn(1)
    # the roster and the tasks: from a further child, so nothing above moves
    (workflow_rng,) = rng.spawn(1)
    managers, tasks = workflow_frames(
        workflow_rng, frames["clients"], stage_codes, as_of_d
    )
    return SyntheticFrames(
        **frames,
        contacts=contacts,
        interactions=interactions,
        **draw_terms(terms_rng, frames["facilities"]),
        managers=managers,
        tasks=tasks,
    )


def generate_book(
    n_clients: int,
    *,
    seed: int | np.random.Generator,
    as_of: dt.date,
    periods: int = tables.DEFAULT_PERIODS,
) -> Book:
    """Draw a synthetic book as entities: the same book as `generate_frames`.

    The book is built from the frames, so the two faces agree:
    ``generate_book(n, seed=s, as_of=d) == book_from_frames(generate_frames(n, seed=s,
    as_of=d).book_frames())``. Every row passes the entities' own validation and the
    book's integrity checks. Building entities costs Python work per row (about
    0.2 ms of CPU per client with its facilities and children at ``periods=1``,
    0.4 ms with the default thirteen months of history, measured on 2,000 clients,
    against a few microseconds per client for the frames); for hundreds of thousands
    of clients, work with `generate_frames`.

    Args:
        n_clients: Number of clients, an int >= 1.
        seed: A non-negative int, or a ``numpy.random.Generator`` (which is advanced).
        as_of: The book date (see `generate_frames`).
        periods: Monthly period ends of the histories (see `generate_frames`).

    Returns:
        An immutable `Book` of clients (with their measures, feedback, referrals,
        measures history, ratings and statements), facilities (with collateral and
        its valuations, guarantees, covenants and month-end observations) and
        projects (with sponsors, milestones, drawdowns and cash flows).

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
        generate_frames(
            n_clients, seed=seed, as_of=as_of, periods=periods
        ).book_frames()
    )
