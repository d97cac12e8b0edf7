"""Synthetic repayment terms and syndicates: valid, coherent, drawn last."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from lendcrm.frames import book_from_frames
from lendcrm.risk.schedules import ForwardCurve, book_schedules
from lendcrm.risk.schedules.frames import bank_shares, book_schedule
from lendcrm.synthetic import generate_book, generate_frames

AS_OF = dt.date(2025, 12, 31)


@pytest.fixture(scope="module")
def frames():
    return generate_frames(600, seed=11, as_of=AS_OF)


def _curves(f):
    refs = f.facilities["reference_rate"].astype(str).unique()
    return {r: ForwardCurve(as_of=AS_OF, tenors=(0.0,), rates=(0.03,)) for r in refs}


def test_every_facility_has_terms_that_schedule(frames):
    f = frames.facilities
    t = frames.repayment_terms
    assert t["facility_id"].tolist() == f["facility_id"].tolist()
    kind = t["amortisation"].astype(str).to_numpy()
    fkind = f["kind"].astype(str).to_numpy()
    revolving = np.isin(
        fkind,
        ["revolving_credit", "receivables_finance", "guarantee", "letter_of_credit"],
    )
    assert (kind[revolving] == "revolver").all()
    project = f["project_id"].notna().to_numpy()
    assert (kind[project & ~revolving] == "sculpted").all()
    assert (kind[fkind == "bridge"] == "bullet").all()
    schedule = book_schedule(frames.book_frames(), curves=_curves(frames))
    assert schedule.balance.shape[0] == len(f)
    # a schedule repays its principal: the principal column sums to the limit
    repaid = schedule.principal.sum(axis=1)
    term = kind != "revolver"
    np.testing.assert_allclose(repaid[term], schedule.limit[term], rtol=1e-9)


def test_syndicates_of_large_project_facilities(frames):
    p = frames.participations
    assert len(p) > 0
    own = p[p["own"]]
    assert own["facility_id"].is_unique
    assert own["share"].between(0.2, 0.6).all()
    totals = p.groupby("facility_id")["share"].sum()
    np.testing.assert_allclose(totals, 1.0, atol=1e-9)
    agents = p[p["role"].astype(str) == "agent"].groupby("facility_id").size()
    assert (agents == 1).all()
    big = frames.facilities.set_index("facility_id").loc[own["facility_id"]]
    assert big["project_id"].notna().all()
    shares = bank_shares(frames.book_frames())
    assert set(np.flatnonzero(shares < 1)) == set(
        np.flatnonzero(frames.facilities["facility_id"].isin(own["facility_id"]))
    )


def test_the_entities_carry_the_same_terms(frames):
    book = generate_book(600, seed=11, as_of=AS_OF)
    assert book == book_from_frames(frames.book_frames())
    shares = [f.bank_share for f in book.facilities]
    np.testing.assert_array_equal(shares, bank_shares(frames.book_frames()))
    a = book_schedules(book.facilities, curves=_curves(frames))
    b = book_schedule(frames.book_frames(), curves=_curves(frames))
    np.testing.assert_allclose(a.balance, b.balance, rtol=1e-12)
