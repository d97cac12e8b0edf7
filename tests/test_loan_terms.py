"""A facility's repayment terms and syndicate survive serialization."""

from __future__ import annotations

from lendcrm import (
    Amortisation,
    DayCount,
    Facility,
    Participation,
    ParticipationRole,
    RepaymentTerms,
)
from lendcrm.serialization import from_dict, to_dict
from tests.factories import facility


def test_terms_and_participations_round_trip_through_dicts() -> None:
    f = facility(
        terms=RepaymentTerms(
            amortisation=Amortisation.REVOLVER,
            payments_per_year=4,
            day_count=DayCount.ACT_365F,
            utilisation_profile=tuple([0.5] * 28),
        ),
        participations=(
            Participation(bank="Us", role=ParticipationRole.AGENT, share=0.3, own=True),
            Participation(bank="Them", role=ParticipationRole.PARTICIPANT, share=0.7),
        ),
    )
    d = to_dict(f)
    assert d["terms"]["day_count"] == "ACT/365F"
    assert d["participations"][0] == {
        "bank": "Us",
        "role": "agent",
        "share": 0.3,
        "own": True,
    }
    assert from_dict(d, Facility) == f
