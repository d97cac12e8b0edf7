"""The synthetic book's one-year rating migration is a published corporate matrix.

The target is built from Moody's global corporate average one-year letter-rating
transition rates 1970-2022 (``lendcrm.synthetic._tables.MOODYS_ONE_YEAR``, source
cited there) by ``_migration.annual_matrix``. The book's migration is measured as a
bank would: the grade in force a year ago (rows, `rating_migration_counts`' rule)
against today's grade, a client with a facility in default today counted in the
default column. The tolerances are binomial (4 standard errors of each cell) plus a
small allowance for the stage mixture (1 point on the diagonal, a tenth of the PD in
the default column), so a rating path drawn from the old per-stage rule (58 % of
clients kept their grade) fails them by tens of points.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
import pytest

from lendcrm.frames import columns as schema
from lendcrm.relationship.frames import rating_migration_counts
from lendcrm.synthetic import RATING_GRADES, generate_frames
from lendcrm.synthetic import _tables as tables
from lendcrm.synthetic._migration import annual_matrix, prior, stage_matrix

AS_OF = dt.date(2025, 12, 31)
YEAR_AGO = dt.date(2024, 12, 31)
GRADES = len(RATING_GRADES)


@pytest.fixture(scope="module")
def migration() -> Any:
    """Counts: grade a year ago (rows 1..10) to today's grade or default (11)."""
    b = generate_frames(150_000, seed=12, as_of=AS_OF)
    counts = rating_migration_counts(
        b.ratings, start=YEAR_AGO, end=AS_OF, grades=RATING_GRADES
    )
    o = b.observations
    today = o[(o[schema.PERIOD_END] == pd.Timestamp(AS_OF)) & o["in_default"]]
    owner = b.facilities.set_index(schema.FACILITY_ID)[schema.CLIENT_ID]
    in_default = set(owner[today[schema.FACILITY_ID]])
    r = b.ratings.assign(grade=b.ratings[schema.RATING_GRADE].astype(int))
    by_client = r.groupby(schema.CLIENT_ID, sort=False)
    then = r[r["rated_on"] <= pd.Timestamp(YEAR_AGO)].groupby(schema.CLIENT_ID)
    start = then["grade"].last()
    now = by_client["grade"].last()[start.index]
    now = now.where(~now.index.isin(in_default), GRADES + 1)
    table = pd.crosstab(start, now).reindex(
        index=range(1, GRADES + 1), columns=range(1, GRADES + 2), fill_value=0
    )
    # the rows are rating_migration_counts' rows (clients in default included)
    out = table.to_numpy()
    np.testing.assert_array_equal(counts.to_numpy().sum(axis=1), out.sum(axis=1))
    return out


def tolerance(target: np.ndarray, n: np.ndarray) -> Any:
    return 4.0 * np.sqrt(target * (1.0 - target) / np.maximum(n, 1))


def test_the_target_is_the_cited_matrix_on_the_master_scale():
    a = annual_matrix()
    np.testing.assert_allclose(a.sum(axis=1), 1.0)
    assert (a >= 0).all()
    # default column: the master scale's PDs, rising with the grade
    np.testing.assert_array_equal(a[:, GRADES], tables.MASTER_SCALE_PD)
    # grade 3 (letter Baa: 86.77 % stay, 5.15 % withdrawn, 0.16 % default, Moody's
    # 1970-2022): (1 - 0.15 %) x 86.77 / (100 - 5.15 - 0.16)
    assert a[2, 2] == pytest.approx((1 - 0.0015) * 86.77 / (100 - 5.15 - 0.16))
    diagonal = np.diag(a)
    investment = diagonal[:4]  # grades 1-4: PD up to 0.35 %, Aa to Baa
    assert ((investment > 0.85) & (investment < 0.93)).all()
    assert (diagonal[4:] < investment.min()).all()
    assert (np.diff(diagonal[4:]) <= 0).all()  # lower the worse the grade


def test_the_books_one_year_migration_is_the_cited_matrix(migration):
    a = annual_matrix()
    n = migration.sum(axis=1)
    measured = migration / n[:, None]
    diagonal, target = np.diag(measured), np.diag(a)
    # measured (seed 12, 150,000 clients, about 130,000 rated a year ago): within
    # 1.1 points of the target on every grade with 300 clients or more
    assert (np.abs(diagonal - target) <= tolerance(target, n) + 0.01).all()
    pd_ = a[:, GRADES]
    assert (np.abs(measured[:, GRADES] - pd_) <= tolerance(pd_, n) + 0.1 * pd_).all()
    # the book as a whole: about 84 % keep their grade over the year
    stay = np.trace(migration) / migration.sum()
    assert 0.80 < stay < 0.88


def test_the_prior_reproduces_the_counts_it_was_fitted_to():
    # grades a year ago that, moved by the kernel, give today's counts exactly
    kernel = stage_matrix(annual_matrix(), 1.0, 1.0)
    pi = np.array([0.0, 0.01, 0.05, 0.13, 0.23, 0.26, 0.23, 0.07, 0.02, 0.0])
    survivors = pi @ kernel[:, :GRADES]
    fitted = prior(kernel, survivors / survivors.sum() * 1000)
    np.testing.assert_allclose(fitted, pi / pi.sum(), atol=2e-3)


def test_older_years_migrate_like_the_matrix_too():
    # each year back is drawn from the next with the untilted matrix and a prior
    # fitted again; the book's grade mix is not the matrix's steady state, so older
    # years keep their grade a little more often (measured 86.1 % and 86.3 %,
    # against 84.7 % for the last year; 60,000 clients, seed 9)
    b = generate_frames(30_000, seed=9, as_of=AS_OF, periods=37)
    for year in (2022, 2023, 2024):
        counts = rating_migration_counts(
            b.ratings,
            start=dt.date(year, 12, 31),
            end=dt.date(year + 1, 12, 31),
            grades=RATING_GRADES,
        ).to_numpy()
        assert 0.80 < np.trace(counts) / counts.sum() < 0.90
