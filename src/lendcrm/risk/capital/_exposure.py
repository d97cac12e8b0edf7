"""Exposure at default and expected loss, vectorised, with one-facility forms.

Amounts are in one currency per call (the caller's); PD and LGD are fractions and the
credit conversion factor (CCF) is the fraction of the undrawn commitment expected to be
drawn by the time of default (Basel II §§310-316; CRE32.31-32.36).

The `facility_*` forms take a `lendcrm.Facility` and compute in `Decimal` on its
`Money` amounts, with PD, LGD and CCF taken from the facility unless given.
"""

from __future__ import annotations

import math
from decimal import Decimal

import numpy.typing as npt

from lendcrm._arrays import FloatArray, align, as_float_array
from lendcrm._entities import Facility
from lendcrm._money import Money
from lendcrm._validators import require_instance
from lendcrm.errors import InvalidValueError

__all__ = [
    "expected_loss",
    "exposure_at_default",
    "facility_expected_loss",
    "facility_exposure_at_default",
]


def exposure_at_default(
    drawn: npt.ArrayLike, undrawn: npt.ArrayLike, ccf: npt.ArrayLike
) -> FloatArray:
    r"""Exposure at default $EAD = drawn + CCF \times undrawn$.

    Args:
        drawn: Drawn (outstanding) amount, >= 0, scalar or `(n,)`.
        undrawn: Undrawn committed amount, >= 0.
        ccf: Credit conversion factor, fraction in [0, 1].

    Returns:
        Float64 array `(n,)` of EAD >= drawn.

    Raises:
        InvalidValueError: a negative or non-finite amount, a CCF outside [0, 1] or
            arrays of different lengths (length-1 inputs broadcast).

    Examples:
        >>> exposure_at_default([80.0, 0.0], [20.0, 50.0], 0.75)
        array([95. , 37.5])
    """
    d, u, c = align(
        drawn=as_float_array(drawn, name="drawn", lower=0.0),
        undrawn=as_float_array(undrawn, name="undrawn", lower=0.0),
        ccf=as_float_array(ccf, name="ccf", lower=0.0, upper=1.0),
    )
    return d + c * u


def expected_loss(
    default_probability: npt.ArrayLike, lgd: npt.ArrayLike, ead: npt.ArrayLike
) -> FloatArray:
    r"""One-year expected loss $EL = PD \times LGD \times EAD$ (CRE35.3).

    Args:
        default_probability: One-year probability of default, fraction in [0, 1].
        lgd: Loss given default, fraction in [0, 1].
        ead: Exposure at default, >= 0, in the currency of the result.

    Returns:
        Float64 array `(n,)` of expected losses, non-decreasing in each argument.

    Raises:
        InvalidValueError: PD or LGD outside [0, 1], a negative or non-finite EAD or
            arrays of different lengths.

    Examples:
        >>> expected_loss([0.01, 0.02], 0.45, [1_000_000.0, 500_000.0])
        array([4500., 4500.])
    """
    p, g, e = align(
        default_probability=as_float_array(
            default_probability, name="default_probability", lower=0.0, upper=1.0
        ),
        lgd=as_float_array(lgd, name="lgd", lower=0.0, upper=1.0),
        ead=as_float_array(ead, name="ead", lower=0.0),
    )
    return p * g * e


def _facility_fraction(
    given: float | None, stored: float | None, *, field: str, what: str, arg: str = ""
) -> Decimal:
    """The override `arg` if given, else the facility's own `field`, as exact Decimal."""
    value: object = stored if given is None else given
    name = f"facility.{field}" if given is None else (arg or field)
    if value is None:
        raise InvalidValueError(
            field=name,
            value=None,
            expected=f"{what} in [0, 1], set on the facility or passed as an argument",
        )
    if not (
        isinstance(value, int | float) and math.isfinite(value) and 0 <= value <= 1
    ):
        raise InvalidValueError(
            field=name, value=value, expected="a finite number in [0, 1]"
        )
    return Decimal(str(float(value)))


def facility_pd_lgd(
    facility: Facility, default_probability: float | None, lgd: float | None
) -> tuple[Decimal, Decimal]:
    """PD and LGD of a facility: each override if given, else the facility's own."""
    p = _facility_fraction(
        default_probability,
        facility.default_probability,
        field="default_probability",
        what="a PD",
        arg="default_probability",
    )
    g = _facility_fraction(
        lgd,
        facility.loss_given_default,
        field="loss_given_default",
        what="an LGD",
        arg="lgd",
    )
    return p, g


def facility_exposure_at_default(
    facility: Facility, *, ccf: float | None = None
) -> Money:
    """EAD of one `Facility`: drawn + CCF × undrawn, exact in `Decimal`.

    The one-facility form of `exposure_at_default`. No rounding is applied; round with
    `Money.rounded` where the amount is booked.

    Args:
        facility: The facility; its `drawn` and `undrawn` amounts are used.
        ccf: Credit conversion factor in [0, 1]; defaults to the facility's
            `credit_conversion_factor`.

    Returns:
        EAD in the facility's currency.

    Raises:
        InvalidValueError: no CCF on the facility nor given, or a CCF outside [0, 1].

    Examples:
        >>> import datetime as dt
        >>> from lendcrm import (ClientId, Facility, FacilityId, FacilityKind,
        ...     FacilityStatus, Pricing, Seniority)
        >>> f = Facility(id=FacilityId("F-1"), client_id=ClientId("C-1"),
        ...     kind=FacilityKind.REVOLVING_CREDIT, currency="EUR",
        ...     limit=Money.of("10000000", "EUR"), drawn=Money.of("6000000", "EUR"),
        ...     start_on=dt.date(2025, 1, 1), maturity_on=dt.date(2030, 1, 1),
        ...     seniority=Seniority.SENIOR_UNSECURED,
        ...     pricing=Pricing(reference_rate="EURIBOR_3M", margin_bps=200,
        ...                     arrangement_fee=Money.of("0", "EUR")),
        ...     status=FacilityStatus.ACTIVE, credit_conversion_factor=0.75)
        >>> facility_exposure_at_default(f)
        Money(amount=Decimal('9000000.00'), currency='EUR')
    """
    require_instance(facility, Facility, name="facility", what="a Facility")
    c = _facility_fraction(
        ccf,
        facility.credit_conversion_factor,
        field="credit_conversion_factor",
        what="a CCF",
        arg="ccf",
    )
    return facility.drawn + facility.undrawn * c


def facility_expected_loss(
    facility: Facility,
    *,
    default_probability: float | None = None,
    lgd: float | None = None,
    ccf: float | None = None,
) -> Money:
    """One-year expected loss PD × LGD × EAD of one `Facility`, exact in `Decimal`.

    The one-facility form of `expected_loss`; PD, LGD and CCF default to the values
    stored on the facility.

    Raises:
        InvalidValueError: a PD, LGD or CCF neither on the facility nor given, or
            outside [0, 1].

    Examples:
        >>> import datetime as dt
        >>> from lendcrm import (ClientId, Facility, FacilityId, FacilityKind,
        ...     FacilityStatus, Pricing, Seniority)
        >>> f = Facility(id=FacilityId("F-1"), client_id=ClientId("C-1"),
        ...     kind=FacilityKind.TERM_LOAN, currency="EUR",
        ...     limit=Money.of("1000000", "EUR"), drawn=Money.of("1000000", "EUR"),
        ...     start_on=dt.date(2025, 1, 1), maturity_on=dt.date(2030, 1, 1),
        ...     seniority=Seniority.SENIOR_UNSECURED,
        ...     pricing=Pricing(reference_rate="FIXED", margin_bps=500,
        ...                     arrangement_fee=Money.of("0", "EUR")),
        ...     status=FacilityStatus.ACTIVE, default_probability=0.01,
        ...     loss_given_default=0.45, credit_conversion_factor=1.0)
        >>> facility_expected_loss(f).rounded(2)
        Money(amount=Decimal('4500.00'), currency='EUR')
    """
    require_instance(facility, Facility, name="facility", what="a Facility")
    p, g = facility_pd_lgd(facility, default_probability, lgd)
    return facility_exposure_at_default(facility, ccf=ccf) * (p * g)
