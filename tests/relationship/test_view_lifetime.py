"""Lifetime RAROC in the relationship view (#15 deliverable 5): view = frame, pinned."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import attrs
import numpy as np
import pytest

from lendcrm import (
    Amortisation,
    Book,
    DayCount,
    Money,
    Participation,
    ParticipationRole,
    Pricing,
    RepaymentTerms,
)
from lendcrm.errors import InvalidValueError, SchemaError
from lendcrm.frames import book_frames
from lendcrm.relationship import RelationshipModels, RelationshipPricing, client_view
from lendcrm.relationship import columns as col
from lendcrm.relationship.frames import relationship_frame
from lendcrm.risk.capital import BASEL_III
from lendcrm.risk.pricing import lifetime_raroc
from lendcrm.risk.schedules import repayment_schedules
from tests import factories as fx

AS_OF = dt.date(2026, 1, 31)
LIFE = RelationshipModels(
    fx_rates={"USD": 0.9}, pricing=RelationshipPricing(lifetime=True)
)
ANNUITY = RepaymentTerms(
    amortisation=Amortisation.ANNUITY, payments_per_year=4, day_count=DayCount.ACT_360
)
BULLET = attrs.evolve(ANNUITY, amortisation=Amortisation.BULLET)
SYNDICATE = (
    Participation(bank="Us", role=ParticipationRole.AGENT, share=0.4, own=True),
    Participation(bank="Other", role=ParticipationRole.PARTICIPANT, share=0.6),
)


def _book() -> Book:
    """C-1: a syndicated EUR annuity (40 %) and a USD bullet; C-2: one without terms;
    C-3: a defaulted facility; C-4: no facility."""
    f1 = fx.facility("F-1", "C-1", terms=ANNUITY, participations=SYNDICATE)
    f2 = fx.facility(
        "F-2",
        "C-1",
        currency="USD",
        limit=Money.of("2000000", "USD"),
        drawn=Money.of("2000000", "USD"),
        pricing=fx.pricing("USD"),
        maturity_on=dt.date(2029, 1, 15),
        terms=BULLET,
    )
    f3 = fx.facility("F-3", "C-2", default_probability=0.02)
    f4 = fx.facility("F-4", "C-3", terms=ANNUITY, default_probability=1.0)
    return Book(
        clients=(
            fx.client("C-1", default_probability=0.0125),
            fx.client("C-2"),
            fx.client("C-3"),
            fx.client("C-4"),
        ),
        facilities=(f1, f2, f3, f4),
    )


def _direct() -> Any:
    """`lifetime_raroc` of C-1's two facilities, schedules built from their terms by
    hand: the margin (225 bp over the reference) on the balance, ACT/360 quarterly."""
    s = repayment_schedules(
        principal=[10e6, 2e6],
        start="2024-01-15",
        maturity=["2031-01-15", "2029-01-15"],
        amortisation=["annuity", "bullet"],
        rate=0.0225,
        payments_per_year=4,
        day_count="ACT/360",
        upfront_fee=[50_000.0, 50_000.0],
    )
    p = RelationshipPricing()
    return lifetime_raroc(
        s,
        default_probability=0.0125,  # the client's PD: the facilities have none
        lgd=p.fallback_lgd,  # 40 %, the foundation LGD (CRE32.6)
        ccf=p.default_ccf,
        funding_rate=p.funding_spread,
        operating_cost_rate=p.operating_cost_rate,
        hurdle_rate=p.hurdle_rate,
        risk_free_rate=p.risk_free_rate,
        capital_ratio=p.capital_ratio,
        regime=BASEL_III,
        discount_rate=p.hurdle_rate,  # the default discount rate
        bank_share=[0.4, 1.0],
    )


def test_lifetime_raroc_of_a_client_against_a_direct_call() -> None:
    r = _direct()
    fx_rate = np.array([1.0, 0.9])  # reporting EUR per unit of EUR, USD
    want = (r.pv_income * fx_rate).sum() / (r.pv_capital * fx_rate).sum()
    v = client_view(_book(), "C-1", as_of=AS_OF, models=LIFE)
    assert v.lifetime_raroc == pytest.approx(want, rel=1e-12)
    assert v.meets_lifetime_hurdle is bool(want >= 0.12)
    # beside the one-year figures, which do not change
    one_year = client_view(_book(), "C-1", as_of=AS_OF, models=attrs.evolve(
        LIFE, pricing=RelationshipPricing()))  # fmt: skip
    assert v.raroc == one_year.raroc
    assert one_year.lifetime_raroc is None
    assert one_year.meets_lifetime_hurdle is None


def test_one_facility_is_its_own_lifetime_raroc_whatever_the_share() -> None:
    r = _direct()
    one = Book(
        clients=(fx.client("C-1", default_probability=0.0125),),
        facilities=(
            fx.facility("F-1", "C-1", terms=ANNUITY, participations=SYNDICATE),
        ),
    )
    v = client_view(one, "C-1", as_of=AS_OF, models=LIFE)
    assert v.lifetime_raroc == pytest.approx(float(r.lifetime_raroc[0]), rel=1e-12)


def test_frame_rows_equal_client_views() -> None:
    book = _book()
    frame = relationship_frame(book_frames(book), as_of=AS_OF, models=LIFE)
    assert list(frame.columns[-2:]) == [col.LIFETIME_RAROC, col.MEETS_LIFETIME_HURDLE]
    for cid in frame.index:
        row = client_view(book, cid, as_of=AS_OF, models=LIFE).to_row()
        assert list(row) == list(frame.columns)
        for name, value in row.items():
            got = frame.loc[cid, name]
            if isinstance(value, float):
                np.testing.assert_allclose(got, value, rtol=1e-12, err_msg=name)
            else:
                assert got == value, f"{cid}.{name}"
    # no terms (C-2), in default (C-3), no facility (C-4): NaN and not meeting
    life = frame[col.LIFETIME_RAROC]
    assert life.isna().tolist() == [False, True, True, True]
    assert frame[col.MEETS_LIFETIME_HURDLE].tolist()[1:] == [False] * 3


def test_off_by_default_the_frame_is_unchanged() -> None:
    book = _book()
    on = relationship_frame(book_frames(book), as_of=AS_OF, models=LIFE)
    off_models = attrs.evolve(LIFE, pricing=RelationshipPricing())
    off = relationship_frame(book_frames(book), as_of=AS_OF, models=off_models)
    assert list(off.columns) == list(on.columns[:-2])
    assert (
        col.LIFETIME_RAROC
        not in client_view(book, "C-1", as_of=AS_OF, models=off_models).to_row()
    )


def test_a_floating_facility_is_priced_over_its_reference() -> None:
    # the same loan at 225 bp over EURIBOR and at a fixed 2.25 %: one lifetime figure
    fixed = Pricing(
        reference_rate="FIXED", margin_bps=225, arrangement_fee=fx.eur("50000")
    )
    books = [
        Book(
            clients=(fx.client("C-1", default_probability=0.0125),),
            facilities=(fx.facility("F-1", "C-1", terms=ANNUITY, pricing=p),),
        )
        for p in (fx.pricing(), fixed)
    ]
    a, b = (client_view(bk, "C-1", as_of=AS_OF, models=LIFE) for bk in books)
    assert a.lifetime_raroc == b.lifetime_raroc


def test_the_discount_rate_is_the_hurdle_unless_given() -> None:
    r = _direct()
    at_hurdle = RelationshipPricing(lifetime=True, lifetime_discount_rate=0.12)
    models = attrs.evolve(LIFE, pricing=at_hurdle)
    v = client_view(_book(), "C-1", as_of=AS_OF, models=models)
    fx_rate = np.array([1.0, 0.9])
    want = (r.pv_income * fx_rate).sum() / (r.pv_capital * fx_rate).sum()
    assert v.lifetime_raroc == pytest.approx(want, rel=1e-12)
    zero = attrs.evolve(LIFE, pricing=attrs.evolve(at_hurdle, lifetime_discount_rate=0))
    w = client_view(_book(), "C-1", as_of=AS_OF, models=zero)
    assert not math.isclose(w.lifetime_raroc or 0.0, want, rel_tol=1e-6)


def test_frames_without_the_terms_columns_are_named() -> None:
    frames = book_frames(_book())
    bad = attrs.evolve(
        frames, repayment_terms=frames.repayment_terms.drop(columns="day_count")
    )
    with pytest.raises(SchemaError, match=r"repayment_terms.*day_count"):
        relationship_frame(bad, as_of=AS_OF, models=LIFE)
    off = attrs.evolve(LIFE, pricing=RelationshipPricing())
    assert len(relationship_frame(bad, as_of=AS_OF, models=off)) == 4


def test_bad_lifetime_parameters_are_refused() -> None:
    with pytest.raises(InvalidValueError, match="`lifetime_discount_rate` must be"):
        RelationshipPricing(lifetime=True, lifetime_discount_rate=-1.0)
    with pytest.raises(InvalidValueError, match="`lifetime` must be True or False"):
        RelationshipPricing(lifetime="yes")  # type: ignore[arg-type]


def test_synthetic_book_rows_equal_client_views() -> None:
    # revolvers, sculpted project loans, syndicates and seven currencies; before the
    # fee of lifetime_raroc was kept within each facility's own contract years, three
    # clients of this book differed between the view and the frame
    from lendcrm.synthetic import generate_book, generate_frames

    as_of = dt.date(2025, 12, 31)
    rates = {"GBP": 1.17, "USD": 0.92, "PLN": 0.23, "SEK": 0.088, "DKK": 0.134}
    models = attrs.evolve(LIFE, fx_rates={**rates, "NOK": 0.086, "CHF": 1.05})
    frame = relationship_frame(
        generate_frames(150, seed=5, as_of=as_of).book_frames(),
        as_of=as_of,
        models=models,
    )
    book = generate_book(150, seed=5, as_of=as_of)
    life = frame[col.LIFETIME_RAROC]
    assert life.notna().sum() > 100
    for cid in frame.index:
        v = client_view(book, cid, as_of=as_of, models=models)
        assert v.meets_lifetime_hurdle == frame.loc[cid, col.MEETS_LIFETIME_HURDLE]
        assert v.lifetime_raroc is not None
        np.testing.assert_allclose(v.lifetime_raroc, life[cid], rtol=1e-12)
