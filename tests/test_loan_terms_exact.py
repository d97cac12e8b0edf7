"""Exact boundaries and refusals of repayment terms and syndicate shares (issue #23)."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pytest

from lendcrm import Amortisation, Participation, ParticipationRole, RepaymentTerms
from lendcrm._loan_terms import (
    PROFILE_TOLERANCE,
    add_months,
    check_participations,
    check_terms_fit,
    payment_dates,
)
from lendcrm.errors import InvalidValueError

A = Amortisation


def _refused(**kwargs: Any) -> InvalidValueError:
    with pytest.raises(InvalidValueError) as info:
        RepaymentTerms(**kwargs)
    return info.value


def test_profile_tolerance_is_pinned() -> None:
    assert PROFILE_TOLERANCE == 1e-9


def test_profiles_must_be_tuples_of_finite_numbers() -> None:
    err = _refused(amortisation=A.SCULPTED, principal_profile=[1.0])
    assert (err.field, err.value) == ("principal_profile", "list")
    assert err.expected == "a tuple of finite numbers"
    for bad in (True, "0.5", float("nan"), float("inf"), None):
        err = _refused(amortisation=A.SCULPTED, principal_profile=(0.5, bad))
        assert (err.field, err.value) == ("principal_profile[1]", bad)
        assert err.expected == "a finite number"
    err = _refused(amortisation=A.REVOLVER, utilisation_profile=(True,))
    assert err.field == "utilisation_profile[0]"
    assert RepaymentTerms(
        amortisation=A.SCULPTED, principal_profile=(1,)
    ).principal_profile == (1,)


def test_defaults_are_pinned() -> None:
    t = RepaymentTerms(amortisation=A.ANNUITY)
    assert (t.payments_per_year, t.day_count.value, t.grace_periods) == (
        4,
        "ACT/360",
        0,
    )
    assert (t.balloon_fraction, t.principal_profile, t.utilisation_profile) == (
        0.0,
        (),
        (),
    )
    assert t.zero_floor is True


def test_balloon_fraction_exact() -> None:
    assert RepaymentTerms(
        amortisation=A.BALLOON, balloon_fraction=1e-12
    ).balloon_fraction
    for kind, fraction in ((A.BALLOON, 0.0), (A.ANNUITY, 0.1)):
        err = _refused(amortisation=kind, balloon_fraction=fraction)
        assert (err.field, err.value) == ("balloon_fraction", fraction)
        assert err.expected == "in (0, 1) for a balloon and 0 for any other kind"
    assert (
        _refused(amortisation=A.BALLOON, balloon_fraction=1.0).field
        == "balloon_fraction"
    )


def test_sculpted_profile_rules_exact() -> None:
    err = _refused(amortisation=A.SCULPTED)
    assert (err.field, err.value) == ("principal_profile", 0)
    assert err.expected == "one entry per period for a sculpted loan, none otherwise"
    err = _refused(amortisation=A.LINEAR, principal_profile=(1.0,))
    assert (err.field, err.value) == ("principal_profile", 1)
    # the sum: within 1e-9 of 1 passes, beyond it is refused
    RepaymentTerms(amortisation=A.SCULPTED, principal_profile=(0.5, 0.5 + 0.9e-9))
    RepaymentTerms(amortisation=A.SCULPTED, principal_profile=(0.5, 0.5 - 0.9e-9))
    for total in (1.0 + 1.1e-9, 1.0 - 1.1e-9):
        err = _refused(amortisation=A.SCULPTED, principal_profile=(0.5, total - 0.5))
        assert err.field == "principal_profile"
        assert err.value == f"sums to {total:g}"
        assert err.expected == (
            "fractions of the principal summing to 1 (a schedule that repays the principal)"
        )
    RepaymentTerms(amortisation=A.SCULPTED, principal_profile=(1.5, -0.5))  # may be < 0


def test_utilisation_profile_rules_exact() -> None:
    err = _refused(amortisation=A.REVOLVER)
    assert (err.field, err.value) == ("utilisation_profile", 0)
    assert err.expected == "one entry per period for a revolver, none otherwise"
    err = _refused(amortisation=A.BULLET, utilisation_profile=(0.5,))
    assert (err.field, err.value) == ("utilisation_profile", 1)
    RepaymentTerms(amortisation=A.REVOLVER, utilisation_profile=(0.0, 1.0))
    for i, bad in ((1, -1e-12), (1, 1.0 + 1e-12)):
        err = _refused(amortisation=A.REVOLVER, utilisation_profile=(0.5, bad))
        assert (err.field, err.value) == (f"utilisation_profile[{i}]", bad)
        assert err.expected == "a drawn fraction of the limit in [0, 1]"


def test_participations() -> None:
    role = ParticipationRole.PARTICIPANT
    assert check_participations((), facility="F") == 1.0
    own = Participation(bank="Us", role=role, share=0.3, own=True)
    other = Participation(bank="B", role=role, share=0.7)
    assert check_participations((own, other), facility="F") == 0.3
    twice = (own, Participation(bank="Us2", role=role, share=0.2, own=True))
    assert check_participations(twice, facility="F") == 0.5
    # a total within 1e-9 above 1 passes; beyond it is refused
    # exactly 1 + tolerance (as a float) is still accepted
    half = Participation(bank="Us", role=role, share=0.5, own=True)
    edge = Participation(bank="B", role=role, share=(1.0 + PROFILE_TOLERANCE) - 0.5)
    assert math.fsum([half.share, edge.share]) == 1.0 + PROFILE_TOLERANCE
    assert check_participations((half, edge), facility="F") == 0.5
    near = Participation(bank="B", role=role, share=0.7 + 0.9e-9)
    assert check_participations((own, near), facility="F") == 0.3
    over = Participation(bank="B", role=role, share=0.7 + 1.1e-9)
    with pytest.raises(InvalidValueError) as info:
        check_participations((own, over), facility="F-9")
    err = info.value
    assert err.field == "facility 'F-9' participations"
    assert err.value == f"sums to {0.3 + 0.7 + 1.1e-9:g}"
    assert err.expected == "shares summing to at most 1 (100 %)"
    with pytest.raises(InvalidValueError) as info:
        check_participations((other,), facility="F-9")
    err = info.value
    assert (err.field, err.value) == (
        "facility 'F-9' participations",
        "no own participation",
    )
    assert err.expected == "the bank's own share among them (own=True)"
    assert (
        err.hint == "A syndicated facility on the book lists the bank's participation."
    )
    assert Participation(bank="B", role=role, share=1.0).own is False
    with pytest.raises(InvalidValueError):
        Participation(bank="B", role=role, share=0.0)


def test_add_months_and_payment_dates() -> None:
    assert add_months(dt.date(2025, 1, 31), 1) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2025, 11, 30), 1) == dt.date(2025, 12, 30)
    assert add_months(dt.date(2025, 12, 31), 1) == dt.date(2026, 1, 31)
    assert add_months(dt.date(2025, 10, 31), 2) == dt.date(2025, 12, 31)
    assert add_months(dt.date(2025, 5, 15), 0) == dt.date(2025, 5, 15)
    assert add_months(dt.date(2025, 5, 15), 25) == dt.date(2027, 6, 15)
    start = dt.date(2026, 1, 15)
    # maturity on the grid: it is the last date, not repeated
    assert payment_dates(start, dt.date(2026, 7, 15), 2) == [dt.date(2026, 7, 15)]
    assert payment_dates(start, dt.date(2027, 1, 15), 2) == [
        dt.date(2026, 7, 15),
        dt.date(2027, 1, 15),
    ]
    assert payment_dates(start, dt.date(2026, 3, 20), 12) == [
        dt.date(2026, 2, 15),
        dt.date(2026, 3, 15),
        dt.date(2026, 3, 20),
    ]
    assert payment_dates(start, dt.date(2027, 1, 15), 1) == [dt.date(2027, 1, 15)]
    assert payment_dates(start, dt.date(2028, 1, 15), 1) == [
        dt.date(2027, 1, 15),
        dt.date(2028, 1, 15),
    ]
    assert payment_dates(start, dt.date(2026, 1, 20), 4) == [dt.date(2026, 1, 20)]


def test_check_terms_fit() -> None:
    start, maturity = dt.date(2026, 1, 1), dt.date(2027, 1, 1)  # 4 quarters
    annuity = RepaymentTerms(amortisation=A.ANNUITY, grace_periods=3)
    assert check_terms_fit(annuity, start, maturity, facility="F") == 4
    for kind in (A.ANNUITY, A.LINEAR):
        terms = RepaymentTerms(amortisation=kind, grace_periods=4)
        with pytest.raises(InvalidValueError) as info:
            check_terms_fit(terms, start, maturity, facility="F-2")
        err = info.value
        assert (err.field, err.value) == ("facility 'F-2' terms.grace_periods", 4)
        assert err.expected == (
            "fewer than the 4 payment periods (a schedule that repays the principal)"
        )
    balloon = RepaymentTerms(
        amortisation=A.BALLOON, balloon_fraction=0.5, grace_periods=4
    )
    with pytest.raises(InvalidValueError):
        check_terms_fit(balloon, start, maturity, facility="F")
    bullet = RepaymentTerms(amortisation=A.BULLET, grace_periods=9)
    assert check_terms_fit(bullet, start, maturity, facility="F") == 4
    sculpted = RepaymentTerms(amortisation=A.SCULPTED, principal_profile=(0.5, 0.5))
    with pytest.raises(InvalidValueError) as info:
        check_terms_fit(sculpted, start, maturity, facility="F-3")
    err = info.value
    assert (err.field, err.value) == (
        "facility 'F-3' terms.principal_profile",
        "2 entries",
    )
    assert err.expected == "one entry per payment period (4)"
    revolver = RepaymentTerms(amortisation=A.REVOLVER, utilisation_profile=(0.5,) * 3)
    with pytest.raises(InvalidValueError) as info:
        check_terms_fit(revolver, start, maturity, facility="F")
    assert info.value.field == "facility 'F' terms.utilisation_profile"
    ok = RepaymentTerms(amortisation=A.REVOLVER, utilisation_profile=(0.5,) * 4)
    assert check_terms_fit(ok, start, maturity, facility="F") == 4
    monthly = RepaymentTerms(amortisation=A.BULLET, payments_per_year=12)
    assert check_terms_fit(monthly, start, maturity, facility="F") == 12
