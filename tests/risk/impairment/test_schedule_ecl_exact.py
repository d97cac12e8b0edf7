"""ECL from repayment schedules at its edges: refusals by field and words, defaults (#23).

The annual 1,000 annuity at 6 % of the `schedule_ecl` docstring: with one bucket of
marginal PD 10 % and LGD 1 its ECL is 0.1 * 1000 / 1.06 = 94.3396... (IFRS 9 B5.5.44),
times the bank's share.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest

from lendcrm import (
    Amortisation,
    ClientId,
    DayCount,
    Facility,
    FacilityId,
    FacilityKind,
    FacilityStatus,
    Money,
    Pricing,
    RepaymentTerms,
    Seniority,
)
from lendcrm.errors import InvalidValueError
from lendcrm.risk.impairment import facility_schedule_ecl, schedule_ecl
from lendcrm.risk.schedules import Schedule, facility_schedule, repayment_schedules

AS_OF = dt.date(2026, 1, 1)


def _annuity() -> Schedule:
    return repayment_schedules(
        principal=1000.0,
        start="2026-01-01",
        maturity="2031-01-01",
        amortisation="annuity",
        rate=0.06,
        payments_per_year=1,
        day_count="30/360",
    )


def _revolver() -> Facility:
    # limit 2,000, half drawn every year: the undrawn 1,000 counts only through a CCF
    return Facility(
        id=FacilityId("F-R"),
        client_id=ClientId("C-1"),
        kind=FacilityKind.REVOLVING_CREDIT,
        currency="EUR",
        limit=Money.of("2000", "EUR"),
        drawn=Money.of("1000", "EUR"),
        start_on=dt.date(2026, 1, 1),
        maturity_on=dt.date(2028, 1, 1),
        seniority=Seniority.SENIOR_SECURED,
        pricing=Pricing(
            reference_rate="FIXED", margin_bps=600, arrangement_fee=Money.of("0", "EUR")
        ),
        status=FacilityStatus.ACTIVE,
        terms=RepaymentTerms(
            amortisation=Amortisation.REVOLVER,
            payments_per_year=1,
            day_count=DayCount.THIRTY_360,
            utilisation_profile=(0.5, 0.5),
        ),
    )


def _book_error(**changes: Any) -> InvalidValueError:
    kwargs: dict[str, Any] = {
        "schedule": _annuity(),
        "marginal_pd": [[0.1]],
        "lgd": 1.0,
        "as_of": AS_OF,
        "stage": 2,
        **changes,
    }
    with pytest.raises(InvalidValueError) as err:
        schedule_ecl(**kwargs)
    return err.value


def _check(err: InvalidValueError, field: str, message: str) -> None:
    assert err.field == field
    assert str(err) == f"`{field}` {message}"


def test_one_bucket_at_the_bank_share_and_its_bounds():
    for share in (1.0, 0.4, 0.0):
        e = schedule_ecl(
            _annuity(), [[0.1]], 1.0, as_of=AS_OF, stage=2, bank_share=share
        )
        np.testing.assert_allclose(e.lifetime, [share * 100 / 1.06], rtol=1e-12)


def test_bank_share_refusals_by_field_and_words():
    words = "must be a finite number in [0, 1]; got"
    _check(_book_error(bank_share=1.5), "bank_share[0]", f"{words} 1.5.")
    _check(_book_error(bank_share=-1e-300), "bank_share[0]", f"{words} -1e-300.")
    _check(
        _book_error(bank_share=[0.5, 0.5]),
        "bank_share",
        "must be length 1 or one per facility (1); got 'length 2'.",
    )


def test_marginal_pd_shapes_by_whole_message():
    book = "must be (n, T) or (s, n, T) with at least one period; got 'array of shape"
    _check(_book_error(marginal_pd=np.zeros((1, 0))), "marginal_pd", f"{book} (1, 0)'.")
    _check(
        _book_error(marginal_pd=np.zeros((1, 1, 1, 1))),
        "marginal_pd",
        f"{book} (1, 1, 1, 1)'.",
    )
    one = "must be (T,) or (s, T) with at least one period; got 'array of shape"
    for q, shape in ((np.zeros(0), "(0,)"), (np.zeros((1, 1, 1)), "(1, 1, 1)")):
        with pytest.raises(InvalidValueError) as err:
            facility_schedule_ecl(_revolver(), q, 1.0, as_of=AS_OF, stage=2)
        _check(err.value, "marginal_pd", f"{one} {shape}'.")


def test_a_schedule_of_another_type_is_refused():
    _check(_book_error(schedule="x"), "schedule", "must be a Schedule; got a 'str'.")


def test_the_ccf_defaults_to_zero_in_both_forms():
    # drawn 1,000 of 2,000: with no CCF the EAD is the drawn 1,000 in each year
    f = _revolver()
    default = facility_schedule_ecl(f, [0.1, 0.1], 1.0, as_of=AS_OF, stage=2)
    zero = facility_schedule_ecl(f, [0.1, 0.1], 1.0, as_of=AS_OF, stage=2, ccf=0.0)
    full = facility_schedule_ecl(f, [0.1, 0.1], 1.0, as_of=AS_OF, stage=2, ccf=1.0)
    assert default == zero
    assert full.lifetime > default.lifetime
    assert default.credit_impaired == 1000.0
    assert full.credit_impaired == 2000.0
    book = facility_schedule(f)
    by_default = schedule_ecl(book, [[0.1, 0.1]], 1.0, as_of=AS_OF, stage=2)
    by_zero = schedule_ecl(book, [[0.1, 0.1]], 1.0, as_of=AS_OF, stage=2, ccf=0.0)
    assert by_default.lifetime.tolist() == by_zero.lifetime.tolist()
    np.testing.assert_allclose(by_default.lifetime, [default.lifetime], rtol=1e-12)
