"""Repayment terms, profiles and participations cross to frames and back losslessly."""

from __future__ import annotations

import attrs
import pytest

from lendcrm import (
    Amortisation,
    Book,
    DayCount,
    Participation,
    ParticipationRole,
    RepaymentTerms,
)
from lendcrm.errors import LendCRMError
from lendcrm.frames import book_frames, book_from_frames
from lendcrm.frames.columns import AMORTISATION, PROFILE_FRACTION, SHARE
from tests.factories import client, facility


def _book() -> Book:
    revolver = facility(
        "F-1",
        terms=RepaymentTerms(
            amortisation=Amortisation.REVOLVER,
            utilisation_profile=tuple([0.5, 0.25] * 14),
        ),
        participations=(
            Participation(bank="Us", role=ParticipationRole.AGENT, share=0.3, own=True),
            Participation(bank="X", role=ParticipationRole.PARTICIPANT, share=0.5),
        ),
    )
    annuity = facility(
        "F-2",
        terms=RepaymentTerms(
            amortisation=Amortisation.ANNUITY,
            grace_periods=2,
            day_count=DayCount.THIRTY_360,
            zero_floor=False,
        ),
    )
    return Book(clients=(client(),), facilities=(revolver, annuity, facility("F-3")))


def test_round_trip_is_lossless() -> None:
    book = _book()
    frames = book_frames(book)
    assert frames.repayment_terms[AMORTISATION].tolist() == ["revolver", "annuity"]
    assert len(frames.repayment_profiles) == 28
    assert frames.repayment_profiles[PROFILE_FRACTION].tolist()[:2] == [0.5, 0.25]
    assert frames.participations[SHARE].tolist() == [0.3, 0.5]
    assert book_from_frames(frames) == book


def test_a_profile_that_does_not_repay_is_refused_on_the_way_back() -> None:
    book = Book(
        clients=(client(),),
        facilities=(
            facility(
                terms=RepaymentTerms(
                    amortisation=Amortisation.SCULPTED,
                    principal_profile=tuple([1 / 28] * 28),
                )
            ),
        ),
    )
    frames = book_frames(book)
    profiles = frames.repayment_profiles.copy()
    profiles.loc[0, PROFILE_FRACTION] = 0.5
    with pytest.raises(LendCRMError, match="summing to 1"):
        book_from_frames(attrs.evolve(frames, repayment_profiles=profiles))


def test_syndicate_over_100_percent_is_refused_on_the_way_back() -> None:
    frames = book_frames(_book())
    part = frames.participations.copy()
    part.loc[1, SHARE] = 0.9
    with pytest.raises(LendCRMError, match="shares summing to at most 1"):
        book_from_frames(attrs.evolve(frames, participations=part))
