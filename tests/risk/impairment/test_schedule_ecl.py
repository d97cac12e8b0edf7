"""ECL straight from repayment schedules: hand values, book vs facility, frames, errors."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from lendcrm import (
    Amortisation,
    Book,
    ClientId,
    DayCount,
    Facility,
    FacilityId,
    FacilityKind,
    FacilityStatus,
    Money,
    Participation,
    ParticipationRole,
    Pricing,
    RepaymentTerms,
    Seniority,
)
from lendcrm.errors import InvalidValueError
from lendcrm.frames import book_frames
from lendcrm.risk.impairment import facility_schedule_ecl, schedule_ecl
from lendcrm.risk.schedules import (
    ForwardCurve,
    Schedule,
    book_schedules,
    repayment_schedules,
)
from lendcrm.risk.schedules.frames import bank_shares, book_schedule
from lendcrm.synthetic import generate_book

START = dt.date(2026, 1, 15)
Q = [0.02, 0.025, 0.03, 0.03, 0.035]


def _annuity_balance(k: int, n: int, i: float) -> float:
    """Outstanding balance of a 1 annuity after k of n payments at rate i per period.

    B_k = ((1 + i)^n - (1 + i)^k) / ((1 + i)^n - 1) (e.g. Brealey, Myers & Allen,
    Principles of Corporate Finance, the annuity formula: the balance is the present
    value of the n - k payments left).
    """
    return ((1 + i) ** n - (1 + i) ** k) / ((1 + i) ** n - 1)


def _quarterly_annuity() -> Schedule:
    return repayment_schedules(
        principal=1_000_000.0,
        start="2026-01-15",
        maturity="2031-01-15",
        amortisation="annuity",
        rate=0.06,
        payments_per_year=4,
        day_count="30/360",
    )


def test_five_year_quarterly_annuity_by_hand():
    # 1,000,000 at 6 % paid quarterly (1.5 % a quarter, 30/360: every accrual 0.25)
    # over 20 quarters. EAD of year t = the balance after 4(t-1) payments, B_{4(t-1)};
    # EIR = 6 % nominal quarterly (no fees), r = 1.015^4 - 1 = 6.1364 % annual
    # effective, so DF_t = (1 + r)^-t = 1.015^-4t (IFRS 9 B5.5.44). Bank share 40 %.
    # ECL_life = LGD * share * sum_t q_t * EAD_t * DF_t, ECL_12m its first term.
    ead = [1e6 * _annuity_balance(4 * t, 20, 0.015) for t in range(5)]
    df = [1.015 ** (-4 * (t + 1)) for t in range(5)]
    life = 0.45 * 0.4 * sum(q * e * d for q, e, d in zip(Q, ead, df, strict=True))
    twelve = 0.45 * 0.4 * Q[0] * 1e6 / 1.015**4
    e = schedule_ecl(
        _quarterly_annuity(), [Q], 0.45, as_of=START, stage=2, bank_share=0.4
    )
    np.testing.assert_allclose(e.lifetime, [life], rtol=1e-9)
    np.testing.assert_allclose(e.twelve_month, [twelve], rtol=1e-12)
    # the figures: EAD 1,000,000, 823,085.87, 635,315.67, 436,023.21, 224,501.47
    np.testing.assert_allclose(
        ead, [1e6, 823_085.87, 635_315.67, 436_023.21, 224_501.47], atol=0.01
    )
    assert e.ecl.tolist() == e.lifetime.tolist()  # stage 2: lifetime
    np.testing.assert_allclose(e.credit_impaired, [0.45 * 0.4 * 1e6])


def test_the_annual_annuity_of_the_docstring():
    # B = 1000, 822.6036, 634.5634, 435.2408, 223.9588 (6 %, yearly payments of
    # 237.3964); DF_t = 1.06^-t; 0.45 * 0.02 * sum B_{t-1} DF_t = 24.4837.
    s = repayment_schedules(
        principal=1000.0,
        start="2026-01-01",
        maturity="2031-01-01",
        amortisation="annuity",
        rate=0.06,
        payments_per_year=1,
        day_count="30/360",
    )
    e = schedule_ecl(s, [[0.02] * 5], 0.45, as_of=dt.date(2026, 1, 1), stage=2)
    b = [1000 * _annuity_balance(k, 5, 0.06) for k in range(5)]
    life = 0.45 * 0.02 * sum(x / 1.06 ** (k + 1) for k, x in enumerate(b))
    np.testing.assert_allclose(e.lifetime, [life], rtol=1e-12)
    np.testing.assert_allclose(e.lifetime, [24.4837], atol=5e-5)


def _facility(
    fid: str,
    client: ClientId,
    terms: RepaymentTerms,
    *,
    kind: FacilityKind = FacilityKind.TERM_LOAN,
    reference: str = "FIXED",
    participations: tuple[Participation, ...] = (),
) -> Facility:
    return Facility(
        id=FacilityId(fid),
        client_id=client,
        kind=kind,
        currency="EUR",
        limit=Money.of("2000000", "EUR"),
        drawn=Money.of("1000000", "EUR"),
        start_on=dt.date(2025, 3, 31),
        maturity_on=dt.date(2032, 3, 31),
        seniority=Seniority.SENIOR_SECURED,
        pricing=Pricing(
            reference_rate=reference,
            margin_bps=250,
            commitment_fee_bps=40,
            arrangement_fee=Money.of("20000", "EUR"),
        ),
        status=FacilityStatus.ACTIVE,
        terms=terms,
        participations=participations,
    )


def _book() -> Book:
    client = generate_book(1, seed=3, as_of=dt.date(2026, 1, 1)).clients[0]
    synd = (
        Participation(bank="Us", role=ParticipationRole.ARRANGER, share=0.35, own=True),
        Participation(bank="B", role=ParticipationRole.AGENT, share=0.4),
        Participation(bank="C", role=ParticipationRole.PARTICIPANT, share=0.25),
    )
    facilities = (
        _facility(
            "F-A",
            client.id,
            RepaymentTerms(amortisation=Amortisation.ANNUITY, grace_periods=2),
            participations=synd,
        ),
        _facility(
            "F-B",
            client.id,
            RepaymentTerms(
                amortisation=Amortisation.BALLOON,
                balloon_fraction=0.3,
                payments_per_year=2,
                day_count=DayCount.ACT_365F,
            ),
            reference="EURIBOR",
        ),
        _facility(
            "F-C",
            client.id,
            RepaymentTerms(
                amortisation=Amortisation.REVOLVER,
                utilisation_profile=tuple([0.5] * 28),
            ),
            kind=FacilityKind.REVOLVING_CREDIT,
        ),
        _facility(
            "F-D",
            client.id,
            RepaymentTerms(
                amortisation=Amortisation.SCULPTED,
                payments_per_year=1,
                principal_profile=(0.1, 0.1, 0.15, 0.15, 0.2, 0.2, 0.1),
            ),
        ),
    )
    return Book(clients=(client,), facilities=facilities)


CURVES = {
    "EURIBOR": ForwardCurve(
        as_of=dt.date(2025, 3, 31), tenors=(0.0, 2.0), rates=(0.025, 0.03)
    )
}


def test_book_equals_one_facility_at_a_time():
    book = _book()
    as_of = dt.date(2026, 6, 30)
    q = np.array([[0.01, 0.012, 0.015, 0.02, 0.02, 0.025, 0.03]] * 4)
    schedule = book_schedules(book.facilities, curves=CURVES)
    shares = [f.bank_share for f in book.facilities]
    batch = schedule_ecl(
        schedule,
        q,
        [0.4, 0.45, 0.3, 0.5],
        as_of=as_of,
        stage=[1, 2, 2, 3],
        bank_share=shares,
        ccf=0.5,
        prepayment_rate=0.05,
    )
    for i, f in enumerate(book.facilities):
        one = facility_schedule_ecl(
            f,
            q[i],
            [0.4, 0.45, 0.3, 0.5][i],
            as_of=as_of,
            stage=[1, 2, 2, 3][i],
            curves=CURVES,
            ccf=0.5,
            prepayment_rate=0.05,
        )
        np.testing.assert_allclose(
            [one.twelve_month, one.lifetime, one.credit_impaired, one.ecl],
            [
                batch.twelve_month[i],
                batch.lifetime[i],
                batch.credit_impaired[i],
                batch.ecl[i],
            ],
            rtol=1e-12,
        )
    assert shares == [0.35, 1.0, 1.0, 1.0]


def test_scenarios_and_quarterly_buckets_match_the_facility_form():
    f = _book().facilities[0]
    q = np.full((3, 1, 8), 0.004) * np.array([0.5, 1.0, 2.0])[:, None, None]
    w = [0.25, 0.5, 0.25]
    batch = schedule_ecl(
        book_schedules([f]),
        q,
        0.4,
        as_of=dt.date(2026, 1, 1),
        stage=2,
        bank_share=f.bank_share,
        scenario_weights=w,
        periods_per_year=4,
    )
    one = facility_schedule_ecl(
        f,
        q[:, 0, :],
        0.4,
        as_of=dt.date(2026, 1, 1),
        stage=2,
        scenario_weights=w,
        periods_per_year=4,
    )
    np.testing.assert_allclose(one.lifetime, batch.lifetime[0], rtol=1e-12)
    np.testing.assert_allclose(one.twelve_month, batch.twelve_month[0], rtol=1e-12)


def test_frames_give_the_entities_schedule_and_shares():
    book = _book()
    frames = book_frames(book)
    a = book_schedules(book.facilities, curves=CURVES)
    b = book_schedule(frames, curves=CURVES)
    for name in ("kind", "periods", "payments_per_year", "limit", "upfront_fee"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    for name in ("accrual", "balance", "interest", "fees"):
        np.testing.assert_allclose(getattr(a, name), getattr(b, name), rtol=1e-14)
    assert b.facility_ids is not None
    assert b.facility_ids.tolist() == ["F-A", "F-B", "F-C", "F-D"]
    assert bank_shares(frames).tolist() == [f.bank_share for f in book.facilities]


def test_frames_refuse_a_facility_without_terms():
    frames = book_frames(_book())
    terms = frames.repayment_terms
    frames = type(frames)(
        clients=frames.clients,
        facilities=frames.facilities,
        repayment_terms=terms[terms["facility_id"] != "F-B"],
    )
    with pytest.raises(InvalidValueError, match=r"facility 'F-B' terms"):
        book_schedule(frames, curves=CURVES)


def test_bank_shares_refuse_bad_participations():
    frames = book_frames(_book())
    p = frames.participations.copy()
    over = p.assign(share=p["share"] * 2)
    bad = type(frames)(
        clients=frames.clients, facilities=frames.facilities, participations=over
    )
    with pytest.raises(InvalidValueError, match=r"facility 'F-A' participations"):
        bank_shares(bad)
    none = type(frames)(
        clients=frames.clients,
        facilities=frames.facilities,
        participations=p.assign(own=False),
    )
    with pytest.raises(InvalidValueError, match="no own participation"):
        bank_shares(none)


def test_refusals_name_the_argument():
    s = _quarterly_annuity()
    with pytest.raises(InvalidValueError, match="marginal_pd"):
        schedule_ecl(s, [0.02, 0.02], 0.45, as_of=START, stage=1)
    with pytest.raises(InvalidValueError, match="bank_share"):
        schedule_ecl(s, [[0.02]], 0.45, as_of=START, stage=1, bank_share=1.5)
    with pytest.raises(InvalidValueError, match="bank_share"):
        schedule_ecl(s, [[0.02]], 0.45, as_of=START, stage=1, bank_share=[0.5, 0.5])
    with pytest.raises(InvalidValueError, match="marginal_pd"):
        facility_schedule_ecl(
            _book().facilities[0], [[[0.02]]], 0.45, as_of=START, stage=1
        )


def test_a_given_discount_rate_replaces_the_schedule_eir():
    # a revolver undrawn at the start has no EIR (carrying amount 0): pass the rate
    s = repayment_schedules(
        principal=1000.0,
        start="2026-01-01",
        maturity="2028-01-01",
        amortisation="revolver",
        rate=0.04,
        payments_per_year=1,
        profile=[[0.0, 0.5]],
        commitment_fee=0.005,
    )
    with pytest.raises(InvalidValueError, match="carrying_amount"):
        schedule_ecl(s, [[0.1, 0.1]], 0.5, as_of=dt.date(2026, 1, 1), stage=2)
    e = schedule_ecl(
        s, [[0.1, 0.1]], 0.5, as_of=dt.date(2026, 1, 1), stage=2, ccf=0.5, eir=0.04
    )
    # EAD: year 1 drawn 0 + 0.5 x 1000 undrawn = 500; year 2 500 + 0.5 x 500 = 750
    life = 0.5 * (0.1 * 500 / 1.04 + 0.1 * 750 / 1.04**2)
    np.testing.assert_allclose(e.lifetime, [life], rtol=1e-12)
