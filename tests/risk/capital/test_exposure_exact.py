# mypy: disable-error-code="arg-type"
# (the tests splat dicts of mixed arguments and pass wrong types on purpose)
"""Exact bounds and overrides of EAD and expected loss, batch and per facility (#23).

EAD = drawn + CCF x undrawn (CRE32.31-32.36) and EL = PD x LGD x EAD (CRE35.3): each
bound is tried at the bound and just past it, each override is passed with a value
different from the facility's own, and each refusal asserts the error's field and the
words of what was expected.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Any

import attrs
import numpy as np
import pytest

from lendcrm import (
    ClientId,
    Facility,
    FacilityId,
    FacilityKind,
    FacilityStatus,
    Money,
    Pricing,
    Seniority,
)
from lendcrm.errors import InvalidValueError
from lendcrm.risk.capital import (
    expected_loss,
    exposure_at_default,
    facility_expected_loss,
    facility_exposure_at_default,
)
from lendcrm.risk.capital._exposure import facility_pd_lgd


def _facility(**changes: Any) -> Facility:
    base = Facility(
        id=FacilityId("F-1"),
        client_id=ClientId("C-1"),
        kind=FacilityKind.REVOLVING_CREDIT,
        currency="EUR",
        limit=Money.of("1000", "EUR"),
        drawn=Money.of("600", "EUR"),
        start_on=dt.date(2025, 1, 1),
        maturity_on=dt.date(2030, 1, 1),
        seniority=Seniority.SENIOR_UNSECURED,
        pricing=Pricing(
            reference_rate="EURIBOR_3M",
            margin_bps=200,
            arrangement_fee=Money.of("0", "EUR"),
        ),
        status=FacilityStatus.ACTIVE,
        default_probability=0.02,
        loss_given_default=0.4,
        credit_conversion_factor=0.5,
    )
    return attrs.evolve(base, **changes)


def test_batch_bounds_are_inclusive():
    np.testing.assert_array_equal(
        exposure_at_default([0.0, 5.0], [0.0, 10.0], [0.0, 1.0]), [0.0, 15.0]
    )
    np.testing.assert_array_equal(
        expected_loss([0.0, 1.0], [1.0, 0.0], [0.0, 7.0]), [0.0, 0.0]
    )
    assert expected_loss(1.0, 1.0, 7.0).tolist() == [7.0]
    # each input enters the product (a swap or a dropped factor changes one of these)
    assert expected_loss(0.5, 0.25, 8.0).tolist() == [1.0]
    assert exposure_at_default(2.0, 8.0, 0.25).tolist() == [4.0]
    for name, args, words in [
        ("drawn", (-1e-300, 1.0, 0.5), ">= 0"),
        ("undrawn", (1.0, -1e-300, 0.5), ">= 0"),
        ("ccf", (1.0, 1.0, -1e-300), "[0, 1]"),
        ("ccf", (1.0, 1.0, math.nextafter(1.0, 2.0)), "[0, 1]"),
    ]:
        with pytest.raises(InvalidValueError) as err:
            exposure_at_default(*args)
        assert err.value.field == f"{name}[0]"
        assert words in err.value.expected
    for name, args, words in [
        ("default_probability", (-1e-300, 0.5, 1.0), "[0, 1]"),
        ("default_probability", (math.nextafter(1.0, 2.0), 0.5, 1.0), "[0, 1]"),
        ("lgd", (0.5, -1e-300, 1.0), "[0, 1]"),
        ("lgd", (0.5, math.nextafter(1.0, 2.0), 1.0), "[0, 1]"),
        ("ead", (0.5, 0.5, -1e-300), ">= 0"),
    ]:
        with pytest.raises(InvalidValueError) as err:
            expected_loss(*args)
        assert err.value.field == f"{name}[0]"
        assert words in err.value.expected


def test_batch_lengths_are_checked_by_name():
    with pytest.raises(InvalidValueError) as err:
        expected_loss([0.1, 0.2], [0.4, 0.5, 0.6], 1.0)
    assert err.value.field == "default_probability"
    assert "`lgd` (3)" in err.value.expected
    with pytest.raises(InvalidValueError) as err:
        exposure_at_default([1.0, 2.0], 1.0, [0.1, 0.2, 0.3])
    assert err.value.field == "drawn"
    assert "`ccf` (3)" in err.value.expected


def test_facility_ead_uses_the_given_ccf_else_its_own():
    f = _facility()
    assert facility_exposure_at_default(f).amount == Decimal(800)  # 600 + 0.5 x 400
    assert facility_exposure_at_default(f, ccf=0.25).amount == Decimal(700)
    assert facility_exposure_at_default(f, ccf=0.0).amount == Decimal(600)
    assert facility_exposure_at_default(f, ccf=1).amount == Decimal(1000)
    assert facility_exposure_at_default(f).currency == "EUR"


def test_facility_el_uses_each_given_parameter_else_its_own():
    f = _facility()
    assert facility_expected_loss(f).amount == Decimal("6.4")  # 0.02 x 0.4 x 800
    assert facility_expected_loss(f, default_probability=0.05).amount == Decimal(16)
    assert facility_expected_loss(f, lgd=0.25).amount == Decimal(4)
    assert facility_expected_loss(f, ccf=1.0).amount == Decimal(8)
    assert facility_expected_loss(
        f, default_probability=1.0, lgd=1.0, ccf=0.0
    ).amount == Decimal(600)
    assert facility_pd_lgd(f, None, None) == (Decimal("0.02"), Decimal("0.4"))
    assert facility_pd_lgd(f, 0.1, 0.3) == (Decimal("0.1"), Decimal("0.3"))


@pytest.mark.parametrize(
    ("stored", "arg", "field", "what"),
    [
        ("credit_conversion_factor", "ccf", "credit_conversion_factor", "a CCF"),
        ("default_probability", "default_probability", "default_probability", "a PD"),
        ("loss_given_default", "lgd", "loss_given_default", "an LGD"),
    ],
)
def test_a_missing_or_bad_parameter_is_named(stored, arg, field, what):
    f = _facility(**{stored: None})
    with pytest.raises(InvalidValueError) as err:
        facility_expected_loss(f)
    assert (err.value.field, err.value.value) == (f"facility.{field}", None)
    assert err.value.expected == (
        f"{what} in [0, 1], set on the facility or passed as an argument"
    )
    # given as an argument it is used, and a bad one is named by the argument
    assert facility_expected_loss(f, **{arg: 1.0}).amount >= 0
    bads: tuple[Any, ...] = (
        -1e-300,
        math.nextafter(1.0, 2.0),
        math.nan,
        math.inf,
        "0.5",
    )
    for bad in bads:
        with pytest.raises(InvalidValueError) as err:
            facility_expected_loss(_facility(), **{arg: bad})
        assert err.value.field == arg
        assert err.value.expected == "a finite number in [0, 1]"
        if not (isinstance(bad, float) and math.isnan(bad)):
            assert err.value.value == bad


def test_a_bad_stored_value_is_named_as_the_facilitys():
    f = _facility()
    object.__setattr__(f, "credit_conversion_factor", 1.5)  # past the entity's checks
    with pytest.raises(InvalidValueError) as err:
        facility_exposure_at_default(f)
    assert (err.value.field, err.value.value) == (
        "facility.credit_conversion_factor",
        1.5,
    )
    assert err.value.expected == "a finite number in [0, 1]"


def test_facility_forms_refuse_what_is_not_a_facility():
    for call in (facility_exposure_at_default, facility_expected_loss):
        with pytest.raises(InvalidValueError) as err:
            call("F-1")
        assert err.value.field == "facility"
        assert err.value.expected == "a Facility"
