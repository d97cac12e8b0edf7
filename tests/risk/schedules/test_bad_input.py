"""Each refusal of the schedules and loan terms names the facility and the field."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from lendcrm import (
    Amortisation,
    Participation,
    ParticipationRole,
    RepaymentTerms,
)
from lendcrm.errors import InvalidValueError
from lendcrm.risk.schedules import (
    ForwardCurve,
    ead_profile,
    effective_interest_rate,
    facility_schedule,
    repayment_schedules,
)
from tests.factories import facility

BASE: dict[str, Any] = {
    "principal": 100.0,
    "start": "2026-01-01",
    "maturity": "2027-01-01",
    "amortisation": "linear",
    "rate": 0.05,
    "facility_ids": ["F-9"],
}


def _raises(message: str, **changes: object) -> None:
    with pytest.raises(InvalidValueError, match=re.escape(message)):
        repayment_schedules(**{**BASE, **changes})


def test_maturity_before_start() -> None:
    _raises(
        "`facility 'F-9' maturity` must be a date after the start (2026-01-01); "
        "got '2025-06-30'.",
        maturity="2025-06-30",
    )


def test_a_sculpted_profile_that_does_not_repay_the_principal() -> None:
    _raises(
        "`facility 'F-9' profile` must be fractions of the principal summing to 1 "
        "(a schedule that repays the principal); got 'sums to 0.9'.",
        amortisation="sculpted",
        profile=[[0.3, 0.3, 0.2, 0.1]],
    )


def test_a_grace_period_as_long_as_the_loan() -> None:
    _raises(
        "`facility 'F-9' grace_periods` must be fewer than the 4 payment periods (a "
        "schedule that repays the principal); got 4.",
        grace_periods=4,
    )


def test_a_negative_fixed_rate() -> None:
    _raises(
        "`facility 'F-9' rate` must be a fixed rate >= 0 (a fixed-rate loan's "
        "convention forbids a negative rate; a floating reference may be negative); "
        "got -0.001.",
        rate=-0.001,
    )


def test_a_negative_margin_on_a_floating_reference_is_allowed() -> None:
    curve = ForwardCurve(as_of=dt.date(2026, 1, 1), tenors=(0.0,), rates=(0.03,))
    s = repayment_schedules(
        **{**BASE, "rate": -0.001, "reference": "SOFR", "curves": {"SOFR": curve}}
    )
    assert s.interest.sum() > 0


def test_an_unknown_reference() -> None:
    _raises(
        "`facility 'F-9' reference` must be 'FIXED' or a curve in `curves` (); "
        "got 'SOFR'.",
        reference="SOFR",
    )


def test_a_utilisation_outside_the_limit() -> None:
    _raises(
        "`facility 'F-9' profile` must be a utilisation in [0, 1] of the limit in "
        "every period; got 'a drawn fraction outside [0, 1]'.",
        amortisation="revolver",
        profile=[[0.5, 1.2, 0.5, 0.5]],
    )


def test_a_profile_shorter_than_the_loan() -> None:
    _raises(
        "`facility 'F-9' profile` must be one entry per payment period (4); "
        "got '2 periods'.",
        amortisation="revolver",
        profile=[[0.5, 0.5]],
    )


def test_a_balloon_without_a_balloon() -> None:
    _raises(
        "`facility 'F-9' balloon_fraction` must be in (0, 1) for a balloon and 0 for "
        "any other kind; got 0.0.",
        amortisation="balloon",
    )


def test_books_of_mismatched_lengths() -> None:
    _raises(
        "`principal` must be length 1 or one per facility (3); got 'length 2'.",
        principal=[1.0, 2.0],
        facility_ids=["a", "b", "c"],
    )


def test_a_carrying_amount_of_zero() -> None:
    s = repayment_schedules(**BASE)
    with pytest.raises(
        InvalidValueError,
        match=re.escape(
            "`facility 'F-9' carrying_amount` must be > 0 (an amount lent, less the "
            "fees received); got 0.0."
        ),
    ):
        effective_interest_rate(s, carrying_amount=0.0)


def test_ead_profile_arguments() -> None:
    s = repayment_schedules(**BASE)
    with pytest.raises(InvalidValueError, match="`periods` must be an int >= 1"):
        ead_profile(s, as_of=dt.date(2026, 1, 1), periods=0)
    with pytest.raises(InvalidValueError, match=re.escape("`prepayment_rate[0]` must")):
        ead_profile(s, as_of=dt.date(2026, 1, 1), periods=2, prepayment_rate=1.0)


def test_terms_profile_that_does_not_repay() -> None:
    with pytest.raises(InvalidValueError, match="summing to 1"):
        RepaymentTerms(amortisation=Amortisation.SCULPTED, principal_profile=(0.5,))


def test_terms_profile_of_the_wrong_length_names_the_facility() -> None:
    terms = RepaymentTerms(
        amortisation=Amortisation.REVOLVER, utilisation_profile=(0.5, 0.5)
    )
    with pytest.raises(
        InvalidValueError,
        match=re.escape(
            "`facility 'F-1' terms.utilisation_profile` must be one entry per payment "
            "period (28); got '2 entries'."
        ),
    ):
        facility(terms=terms)


def test_a_facility_without_terms_has_no_schedule() -> None:
    with pytest.raises(
        InvalidValueError,
        match=re.escape(
            "`facility 'F-1' terms` must be a RepaymentTerms (how the facility "
            "repays); got None."
        ),
    ):
        facility_schedule(facility())


def test_participations_over_100_percent() -> None:
    syndicate = (
        Participation(bank="Us", role=ParticipationRole.AGENT, share=0.5, own=True),
        Participation(bank="Them", role=ParticipationRole.PARTICIPANT, share=0.6),
    )
    with pytest.raises(
        InvalidValueError,
        match=re.escape(
            "`facility 'F-1' participations` must be shares summing to at most 1 "
            "(100 %); got 'sums to 1.1'."
        ),
    ):
        facility(participations=syndicate)


def test_participations_without_the_banks_own() -> None:
    syndicate = (
        Participation(bank="Them", role=ParticipationRole.PARTICIPANT, share=0.6),
    )
    with pytest.raises(InvalidValueError, match="the bank's own share among them"):
        facility(participations=syndicate)


def test_bank_share() -> None:
    syndicate = (
        Participation(bank="Us", role=ParticipationRole.ARRANGER, share=0.3, own=True),
        Participation(bank="Them", role=ParticipationRole.AGENT, share=0.7),
    )
    assert facility(participations=syndicate).bank_share == 0.3
    assert facility().bank_share == 1.0


def test_a_payment_frequency_that_is_not_a_calendar_one() -> None:
    _raises(
        "`payments_per_year[0]` must be 1, 2, 4 or 12; got 3.0.", payments_per_year=3
    )


def test_an_unknown_day_count() -> None:
    _raises(
        "`day_count` must be one of 'ACT/360', 'ACT/365F', '30/360'; got 'ACT/ACT'.",
        day_count="ACT/ACT",
    )


def test_a_forward_curve_with_a_rate_at_minus_one() -> None:
    with pytest.raises(
        InvalidValueError,
        match=re.escape("`rates[1]` must be a finite rate > -1; got -1.0."),
    ):
        ForwardCurve(as_of=dt.date(2026, 1, 1), tenors=(0.0, 1.0), rates=(0.01, -1.0))


def test_a_forward_curve_whose_tenors_do_not_start_at_zero() -> None:
    with pytest.raises(
        InvalidValueError,
        match=re.escape(
            "`tenors` must be finite years from 0, strictly increasing; got (1.0, 2.0)."
        ),
    ):
        ForwardCurve(as_of=dt.date(2026, 1, 1), tenors=(1.0, 2.0), rates=(0.01, 0.02))


def test_a_forward_curve_with_fewer_rates_than_tenors() -> None:
    with pytest.raises(
        InvalidValueError,
        match=re.escape(
            "`rates` must be one rate per tenor, at least one; got '1 rates for 2 tenors'."
        ),
    ):
        ForwardCurve(as_of=dt.date(2026, 1, 1), tenors=(0.0, 1.0), rates=(0.01,))


def test_ead_profile_frequency() -> None:
    s = repayment_schedules(**BASE)
    with pytest.raises(
        InvalidValueError,
        match=re.escape("`periods_per_year` must be 1, 2, 4 or 12; got 3."),
    ):
        ead_profile(s, as_of=dt.date(2026, 1, 1), periods=2, periods_per_year=3)


def test_terms_grace_as_long_as_the_facility() -> None:
    terms = RepaymentTerms(amortisation=Amortisation.LINEAR, grace_periods=28)
    with pytest.raises(
        InvalidValueError,
        match=re.escape(
            "`facility 'F-1' terms.grace_periods` must be fewer than the 28 payment "
            "periods (a schedule that repays the principal); got 28."
        ),
    ):
        facility(terms=terms)


def test_terms_profiles_belong_to_their_kind() -> None:
    with pytest.raises(
        InvalidValueError,
        match=re.escape(
            "`utilisation_profile` must be one entry per period for a revolver, none "
            "otherwise; got 0."
        ),
    ):
        RepaymentTerms(amortisation=Amortisation.REVOLVER)
    with pytest.raises(
        InvalidValueError,
        match=re.escape(
            "`balloon_fraction` must be in (0, 1) for a balloon and 0 for any other "
            "kind; got 0.0."
        ),
    ):
        RepaymentTerms(amortisation=Amortisation.BALLOON)
    with pytest.raises(
        InvalidValueError,
        match=re.escape(
            "`utilisation_profile[1]` must be a drawn fraction of the limit in [0, 1]; "
            "got 1.5."
        ),
    ):
        RepaymentTerms(
            amortisation=Amortisation.REVOLVER, utilisation_profile=(0.5, 1.5)
        )
    with pytest.raises(
        InvalidValueError,
        match=re.escape("`principal_profile[0]` must be a finite number; got nan."),
    ):
        RepaymentTerms(
            amortisation=Amortisation.SCULPTED, principal_profile=(float("nan"),)
        )


def test_ead_profile_inputs_follow_the_schedule_length() -> None:
    # Found by the API fuzz: a 3-value `ccf` for a 1-facility schedule reached
    # numpy's broadcast error; the length is the schedule's, not the longest input.
    s = repayment_schedules(**BASE)
    with pytest.raises(InvalidValueError) as info:
        ead_profile(s, as_of=dt.date(2026, 1, 1), periods=2, ccf=[0.0, 0.0, 0.0])
    assert str(info.value) == (
        "`ccf` must be length 1 or one per facility (1); got 'length 3'."
    )
    assert info.value.field == "ccf"
    with pytest.raises(InvalidValueError, match=re.escape("`prepayment_rate` must")):
        ead_profile(s, as_of=dt.date(2026, 1, 1), periods=2, prepayment_rate=[0.1, 0.1])
