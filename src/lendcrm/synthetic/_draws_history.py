"""The histories of a synthetic book, drawn after everything else (numpy only).

`draw_histories` draws, in this fixed order and from the generator that drew the book,
the facility observations and collateral valuations (``_history_facilities``), the
relationship measures per year and the rating reviews (here), and the financial
statements (``_history_statements``). Each history is drawn backwards from the book's
current state and its drawn signals, so deriving the signals from the histories gives
the signals back; the *Synthetic books* page ("Histories") lists every rule. The
rating paths, which also give the notches-moved signal, come from ``paths``, a child
of that generator (``Generator.spawn``, which does not advance it), so the signals do
not depend on the number of periods.
"""

from __future__ import annotations

import attrs
import numpy as np

from lendcrm._arrays import BoolArray, FloatArray, IntArray
from lendcrm.synthetic import _tables as tables
from lendcrm.synthetic._calendar import DayArray, add_months, anniversaries
from lendcrm.synthetic._draws import Draws
from lendcrm.synthetic._draws_clients import Clients
from lendcrm.synthetic._draws_facilities import Facilities
from lendcrm.synthetic._history_facilities import (
    Observations,
    Valuations,
    draw_observations,
    draw_valuations,
)
from lendcrm.synthetic._history_statements import Statements, draw_statements
from lendcrm.synthetic._migration import (
    annual_matrix,
    backward,
    draw_from,
    prior,
    stage_matrix,
)
from lendcrm.synthetic._sampling import bernoulli
from lendcrm.synthetic._tables import (
    ACTIVATION,
    COST_TO_SERVE_FIXED,
    MONTHS_PER_YEAR,
    OVERRIDE_SHARE,
)


@attrs.frozen(kw_only=True)
class MeasuresHistory:
    """Relationship measures per client and year, oldest first (internal)."""

    client: IntArray
    measured_on: DayArray
    revenue: FloatArray
    profit: FloatArray
    product_count: IntArray
    transaction_count: IntArray
    last_transaction: DayArray
    referral_count: IntArray


@attrs.frozen(kw_only=True)
class Ratings:
    """Annual rating reviews per client, oldest first (internal)."""

    client: IntArray
    rated_on: DayArray
    grade: IntArray  # 1..10
    override: BoolArray
    reason: IntArray  # row of OVERRIDE_REASONS, -1 without an override
    notches: IntArray  # per client: today's grade - the grade in force a year ago


@attrs.frozen(kw_only=True)
class Histories:
    """The five histories of a synthetic book (internal)."""

    periods: int
    observations: Observations
    valuations: Valuations
    measures: MeasuresHistory
    ratings: Ratings
    statements: Statements


def history_years(periods: int) -> int:
    """Annual records per owner: one for the current year, one per full year back."""
    return 1 + (periods - 1) // MONTHS_PER_YEAR


def draw_histories(
    rng: np.random.Generator,
    paths: np.random.Generator,
    d: Draws,
    *,
    as_of: np.datetime64,
    periods: int,
) -> Histories:
    """Draw every history of the book ``d`` over ``periods`` month ends."""
    years = history_years(periods)
    c, f = d.clients, d.facilities
    observations = draw_observations(
        rng, c, f, d.measures, d.signals, as_of=as_of, periods=periods
    )
    valuations = draw_valuations(rng, c, f, d.asset_links(), as_of=as_of, years=years)
    measures = draw_measures_history(rng, d, as_of=as_of, years=years)
    ratings = draw_ratings(rng, paths, c, f, as_of=as_of, years=years)
    statements = draw_statements(rng, d, as_of=as_of, years=years)
    return Histories(
        periods=periods,
        observations=observations,
        valuations=valuations,
        measures=measures,
        ratings=ratings,
        statements=statements,
    )


def _yearly_rows(
    counts: IntArray,
) -> tuple[IntArray, IntArray]:
    """Owner of each row and how many years before the owner's latest record it is."""
    owner = np.repeat(np.arange(counts.size, dtype=np.int64), counts)
    last = np.cumsum(counts) - 1
    return owner, last[owner] - np.arange(owner.size, dtype=np.int64)


def draw_measures_history(
    rng: np.random.Generator, d: Draws, *, as_of: np.datetime64, years: int
) -> MeasuresHistory:
    """One measured year per client back from ``as_of`` while it was a client.

    The latest year is the clients frame's. A year earlier, revenue is today's /
    (1 + ``revenue_growth``) (none for clients still in acquisition or activation
    then), profit scales with revenue (a relationship without revenue costs half the
    fixed cost to serve), products are today's - ``product_count_change``;
    transactions are Poisson around today's scaled by revenue; referrals are those
    made by the period end. Older years continue the revenue trend.
    """
    c, m, s = d.clients, d.measures, d.signals
    ends = add_months(
        np.full(years, as_of), -MONTHS_PER_YEAR * np.arange(years, dtype=np.int64)
    )
    counts = years - np.searchsorted(ends[::-1], c.onboarded, side="left")
    client, back = _yearly_rows(counts.astype(np.int64))
    measured_on = ends[back]
    stage = c.stage[client]
    revenue_now = m.revenue[client]
    ratio = np.where(
        stage <= ACTIVATION, 0.0, (1.0 + s.revenue_growth[client]) ** -back
    )
    revenue = np.where(back == 0, revenue_now, np.round(revenue_now * ratio, 2))
    share = np.divide(
        revenue, revenue_now, out=np.zeros(back.size), where=revenue_now > 0
    )
    profit = np.where(
        revenue > 0,
        np.round(m.profit[client] * share, 2),
        -COST_TO_SERVE_FIXED / 2.0,
    )
    profit = np.where(back == 0, m.profit[client], profit)
    products = np.where(
        back == 0,
        m.product_count[client],
        m.product_count[client] - s.product_count_change[client],
    )
    transactions = np.where(
        back == 0,
        m.transaction_count[client],
        rng.poisson(m.transaction_count[client] * np.minimum(share, 4.0)),
    )
    last = _last_transactions(rng, c, client, measured_on, transactions)
    last = np.where(back == 0, m.last_transaction[client], last)
    return MeasuresHistory(
        client=client,
        measured_on=measured_on,
        revenue=revenue,
        profit=profit,
        product_count=products.astype(np.int64),
        transaction_count=transactions.astype(np.int64),
        last_transaction=last,
        referral_count=_referral_counts(d, client, measured_on),
    )


def _last_transactions(
    rng: np.random.Generator,
    c: Clients,
    client: IntArray,
    measured_on: DayArray,
    transactions: IntArray,
) -> DayArray:
    """Last transaction of each period: an exponential gap back, not before onboarding."""
    gap = np.floor(rng.exponential(365.0 / (transactions + 1.0))).astype(np.int64)
    tenure = (measured_on - c.onboarded[client]).astype(np.int64)
    on = measured_on - np.minimum(gap, tenure).astype("timedelta64[D]")
    out: DayArray = np.where(transactions > 0, on, np.datetime64("NaT", "D"))
    return out


def _referral_counts(d: Draws, client: IntArray, measured_on: DayArray) -> IntArray:
    """Referrals each client had made by each period end (the clients frame counts all)."""
    order = np.lexsort((d.referred_on, d.referrer))
    keys = d.referrer[order].astype(np.int64)
    days = d.referred_on[order]
    # referrals sort by (referrer, date); count those <= (client, period end)
    day_span = np.int64(1) << 32
    offset = np.int64(1) << 31
    ref_key = keys * day_span + (days.astype(np.int64) + offset)
    row_key = client * day_span + (measured_on.astype(np.int64) + offset)
    before = np.searchsorted(ref_key, row_key, side="right")
    start = np.searchsorted(keys, client, side="left")
    out: IntArray = (before - start).astype(np.int64)
    return out


def draw_ratings(
    rng: np.random.Generator,
    paths: np.random.Generator,
    c: Clients,
    f: Facilities,
    *,
    as_of: np.datetime64,
    years: int,
) -> Ratings:
    """Annual reviews on each onboarding anniversary, the latest at ``rating_grade``.

    Each year's grade is drawn backwards from the next one with `grade_path` (from
    ``paths``; the overrides from ``rng``), so
    the book's one-year migration is the published matrix of ``_migration`` (the
    move of a year takes effect at the client's annual review, in its onboarding
    month). 4 % of reviews are committee overrides of the model, with a reason.
    """
    elapsed = anniversaries(c.onboarded, as_of)
    counts = np.minimum(elapsed + 1, years)
    status = np.bincount(
        f.client[f.status == tables.FACILITY_STATUSES.index("non_performing")],
        minlength=c.n,
    )
    path = grade_path(paths, c, defaulted=status > 0, elapsed=elapsed, depth=years)
    client, back = _yearly_rows(counts)
    rated_on = add_months(
        c.onboarded[client], MONTHS_PER_YEAR * (elapsed[client] - back)
    )
    rows = client.size
    override = bernoulli(rng, rows, OVERRIDE_SHARE)
    reason = rng.integers(0, len(tables.OVERRIDE_REASONS), rows)
    return Ratings(
        client=client,
        rated_on=rated_on,
        grade=path[back, client],
        override=override,
        reason=np.where(override, reason, -1),
        notches=np.where(elapsed >= 1, c.grade - path[1], 0).astype(np.int64),
    )


def grade_path(
    rng: np.random.Generator,
    c: Clients,
    *,
    defaulted: BoolArray,
    elapsed: IntArray,
    depth: int,
) -> IntArray:
    """Grades 1..10 of each client today (row 0) and 1 .. depth - 1 years before.

    A year back from grade ``j`` is grade ``i`` with probability proportional to
    ``pi_s[i] K_s[i, j]``: ``K_s`` is the stage's one-year matrix (the annual
    matrix tilted by ``STAGE_MIGRATION_TILT`` over the last year, the stage being
    today's; the annual matrix itself before) and ``pi_s`` the grades a year
    earlier that reproduce the stage's grades of the later year (`_migration.prior`,
    fitted again for every year back), so that counting forwards gives ``K_s`` back
    in every year. A client in default today (a non-performing facility) was, a
    year ago, at ``i`` with probability proportional to ``pi[i] PD_i``, whatever its
    grade today: the master scale has no default grade, so the clients frame keeps
    its last performing grade, and the book's default column is read from the
    facility observations. At least two rows, so the notches moved exist even for
    one period.
    """
    annual = annual_matrix()
    tilted = [stage_matrix(annual, *tilt) for tilt in tables.STAGE_MIGRATION_TILT]
    grades = annual.shape[0]
    path = np.empty((max(depth, 2), c.n), dtype=np.int64)
    path[0] = c.grade - 1
    for k in range(1, path.shape[0]):  # one draw per year back
        # the clients rated k years back, seen from their grades a year later; the
        # stage is today's, so it tilts the last year only
        known = (elapsed >= k) & ~defaulted if k == 1 else elapsed >= k
        kernels = tilted if k == 1 else [annual] * len(tilted)
        cdf = _backward_table(annual, kernels, path[k - 1], c.stage, known)
        row = c.stage * grades + path[k - 1]
        if k == 1:
            row = np.where(defaulted, len(tilted) * grades, row)
        path[k] = draw_from(cdf, row, rng.random(c.n))
    out: IntArray = path + 1
    return out


def _backward_table(
    annual: FloatArray,
    kernels: list[FloatArray],
    later: IntArray,
    stage: IntArray,
    known: BoolArray,
) -> FloatArray:
    """Cumulative P(grade a year earlier | stage, grade ``later``): 5 x 10 rows + default.

    Row ``s * 10 + j`` is stage ``s`` at grade code ``j``; the last row is a client in
    default at the later date. The priors are fitted to the ``known`` clients.
    """
    grades = annual.shape[0]
    weight = np.bincount(stage[known], minlength=len(kernels)).astype(np.float64)
    cdfs, pi_all = [], np.zeros(grades)
    for s, kernel in enumerate(kernels):  # five stages
        counts = np.bincount(later[known & (stage == s)], minlength=grades)
        pi = prior(kernel, counts.astype(np.float64))
        cdfs.append(backward(kernel, pi))
        pi_all += weight[s] * pi
    if not pi_all.any():  # nobody known: any grade
        pi_all[:] = 1.0
    into_default = pi_all * annual[:, grades]
    cdfs.append(np.cumsum(into_default / into_default.sum())[None, :])
    out: FloatArray = np.concatenate(cdfs)
    return out
