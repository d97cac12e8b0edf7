"""Tour part: a loan's life (issue #15): schedule, WAL, EIR and a revolver's lifetime RAROC.

`sched_tour()` prints the quarterly schedule of a five-year amortising loan, its
weighted average life and effective interest rate (with its arrangement fee), and a
syndicated revolver priced over its life on its expected utilisation, then the
client's relationship view with both, its one-year and lifetime RAROC side by side
(`RelationshipPricing(lifetime=True)`).
`examples/tour.py` calls it; `python examples/tour_sched.py` runs it alone.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from lendcrm import (
    Amortisation,
    Book,
    Client,
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
    Sector,
    Seniority,
)
from lendcrm.relationship import RelationshipModels, RelationshipPricing, client_view
from lendcrm.risk.capital import BASEL_III
from lendcrm.risk.pricing import lifetime_raroc
from lendcrm.risk.schedules import (
    ForwardCurve,
    annual_effective_rate,
    effective_interest_rate,
    facility_schedule,
    weighted_average_life,
)

CURVE = ForwardCurve(
    as_of=dt.date(2026, 1, 1), tenors=(0.0, 1.0, 2.0), rates=(0.022, 0.024, 0.026)
)
PRICE = {
    "funding_rate": 0.025,
    "operating_cost_rate": 0.003,
    "hurdle_rate": 0.12,
    "risk_free_rate": 0.025,
    "capital_ratio": 0.105,
    "regime": BASEL_III,
    "discount_rate": 0.025,
}


def _loan() -> Facility:
    return Facility(
        id=FacilityId("TL-1"),
        client_id=ClientId("C-1"),
        kind=FacilityKind.TERM_LOAN,
        currency="EUR",
        limit=Money.of("10000000", "EUR"),
        drawn=Money.of("10000000", "EUR"),
        start_on=dt.date(2026, 1, 1),
        maturity_on=dt.date(2031, 1, 1),
        seniority=Seniority.SENIOR_SECURED,
        pricing=Pricing(
            reference_rate="FIXED",
            margin_bps=500,
            arrangement_fee=Money.of("150000", "EUR"),
        ),
        status=FacilityStatus.ACTIVE,
        default_probability=0.01,
        loss_given_default=0.40,
        terms=RepaymentTerms(
            amortisation=Amortisation.ANNUITY,
            payments_per_year=4,
            day_count=DayCount.THIRTY_360,
            grace_periods=4,
        ),
    )


def _revolver() -> Facility:
    return Facility(
        id=FacilityId("RCF-1"),
        client_id=ClientId("C-1"),
        kind=FacilityKind.REVOLVING_CREDIT,
        currency="EUR",
        limit=Money.of("50000000", "EUR"),
        drawn=Money.of("20000000", "EUR"),
        start_on=dt.date(2026, 1, 1),
        maturity_on=dt.date(2029, 1, 1),
        seniority=Seniority.SENIOR_UNSECURED,
        pricing=Pricing(
            reference_rate="EURIBOR_3M",
            margin_bps=175,
            arrangement_fee=Money.of("250000", "EUR"),
            commitment_fee_bps=60,
        ),
        status=FacilityStatus.ACTIVE,
        default_probability=0.008,
        loss_given_default=0.45,
        credit_conversion_factor=0.75,
        terms=RepaymentTerms(
            amortisation=Amortisation.REVOLVER,
            payments_per_year=1,
            utilisation_profile=(0.40, 0.55, 0.50),
        ),
        participations=(
            Participation(
                bank="Our Bank", role=ParticipationRole.AGENT, share=0.4, own=True
            ),
            Participation(
                bank="Other Bank", role=ParticipationRole.PARTICIPANT, share=0.6
            ),
        ),
    )


def sched_tour() -> None:
    """Print a loan's schedule, WAL and EIR, and a revolver's lifetime RAROC."""
    loan = _loan()
    s = facility_schedule(loan)
    n = int(s.periods[0])
    table = pd.DataFrame(
        {
            "date": s.dates[0, :n].astype(str),
            "balance": s.balance[0, :n].round(0),
            "interest": s.interest[0, :n].round(0),
            "principal": s.principal[0, :n].round(0),
        }
    )
    print(
        "\nLoan life: a 5-year annuity of EUR 10m at 5 %, one year's grace, quarterly"
    )
    print(table.iloc[[0, 3, 4, 5, 18, 19]].to_string(index=False))
    wal = float(weighted_average_life(s)[0])
    eir = float(effective_interest_rate(s)[0])
    annual = float(annual_effective_rate(eir, 4)[0])
    print(
        f"WAL {wal:.2f} years (tenor 5.00); EIR with the 1.5 % arrangement fee "
        f"{eir:.4%} (annual effective {annual:.4%})"
    )
    rcf = _revolver()
    r = lifetime_raroc(
        facility_schedule(rcf, curves={"EURIBOR_3M": CURVE}),
        default_probability=0.008,
        lgd=0.45,
        ccf=0.75,
        bank_share=rcf.bank_share,
        **PRICE,
    )
    years = ", ".join(f"{x:.1%}" for x in r.raroc[0])
    print(
        f"Revolver EUR 50m, 40 % ours, drawn 40/55/50 %: RAROC by year {years}; "
        f"lifetime {float(r.lifetime_raroc[0]):.1%} against a 12 % hurdle; "
        f"minimum margin {rcf.pricing.margin_bps + float(r.margin_change[0]) * 1e4:.0f} bp"
    )
    client = Client(
        id=ClientId("C-1"),
        legal_name="Nordwind GmbH",
        sector=Sector.MANUFACTURING,
        country="DE",
        onboarded_on=dt.date(2020, 3, 1),
        annual_revenue=Money.of("80000000", "EUR"),
    )
    view = client_view(
        Book(clients=(client,), facilities=(loan, rcf)),
        "C-1",
        as_of=dt.date(2026, 1, 31),
        models=RelationshipModels(pricing=RelationshipPricing(lifetime=True)),
    )
    print(
        f"Relationship C-1 (both, rates over the reference): one-year RAROC "
        f"{view.raroc:.1%}, lifetime {view.lifetime_raroc:.1%} at our share "
        f"(hurdle met: {view.meets_lifetime_hurdle})"
    )


if __name__ == "__main__":
    sched_tour()
