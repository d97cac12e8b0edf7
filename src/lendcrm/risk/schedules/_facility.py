"""Schedules of `lendcrm.Facility` entities: the facility's terms, pricing and dates.

A facility's schedule runs from `start_on` to `maturity_on` on its `terms`
(`lendcrm.RepaymentTerms`). The principal of a term loan is its limit (drawn in
full at the start); a revolver's limit is drawn along its utilisation profile. The
rate is the facility's `Pricing`: a ``"FIXED"`` facility pays its margin, a
floating one its reference's `ForwardCurve` plus the margin; the commitment fee is
charged on a revolver's undrawn limit and the arrangement fee is the upfront fee.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from lendcrm._entities import Facility
from lendcrm._loan_terms import Amortisation, RepaymentTerms
from lendcrm._validators import refuse_object, require_instance
from lendcrm.errors import InvalidValueError
from lendcrm.risk.schedules._curves import ForwardCurve
from lendcrm.risk.schedules._engine import Schedule, repayment_schedules

__all__ = ["book_schedules", "facility_schedule"]


def _terms(facility: Facility) -> RepaymentTerms:
    require_instance(facility, Facility, name="facility", what="a Facility")
    if facility.terms is None:
        raise InvalidValueError(
            field=f"facility {facility.id!r} terms",
            value=None,
            expected="a RepaymentTerms (how the facility repays)",
        )
    return facility.terms


def book_schedules(
    facilities: Sequence[Facility],
    *,
    curves: Mapping[str, ForwardCurve] | None = None,
) -> Schedule:
    """Schedules of several facilities, one row each, in the given order.

    Args:
        facilities: Facilities with `terms`.
        curves: The `ForwardCurve` of each floating reference rate used.

    Returns:
        A `Schedule` whose `facility_ids` are the facilities' ids.

    Raises:
        InvalidValueError: a facility without terms, or as `repayment_schedules`,
            naming the facility.

    Examples:
        See `facility_schedule`.
    """
    given: object = facilities  # a caller may pass anything
    if isinstance(given, str | bytes) or not isinstance(given, Sequence):
        refuse_object(given, name="facilities", what="a sequence of Facility")
    terms = [_terms(f) for f in facilities]
    width = max(
        [len(t.principal_profile) + len(t.utilisation_profile) for t in terms] + [1]
    )
    profile = np.zeros((len(terms), width))
    for i, t in enumerate(terms):
        row = t.principal_profile or t.utilisation_profile
        profile[i, : len(row)] = row
    return repayment_schedules(
        principal=[float(f.limit.amount) for f in facilities],
        start=np.array([f.start_on for f in facilities], dtype="datetime64[D]"),
        maturity=np.array([f.maturity_on for f in facilities], dtype="datetime64[D]"),
        amortisation=[t.amortisation.value for t in terms],
        rate=[f.pricing.margin for f in facilities],
        reference=[f.pricing.reference_rate for f in facilities],
        curves=curves,
        payments_per_year=[t.payments_per_year for t in terms],
        day_count=[t.day_count.value for t in terms],
        grace_periods=[t.grace_periods for t in terms],
        balloon_fraction=[t.balloon_fraction for t in terms],
        profile=profile,
        commitment_fee=[
            f.pricing.commitment_fee if t.amortisation is Amortisation.REVOLVER else 0.0
            for f, t in zip(facilities, terms, strict=True)
        ],
        upfront_fee=[float(f.pricing.arrangement_fee.amount) for f in facilities],
        zero_floor=[t.zero_floor for t in terms],
        facility_ids=np.array([f.id for f in facilities], dtype=object),
    )


def facility_schedule(
    facility: Facility, *, curves: Mapping[str, ForwardCurve] | None = None
) -> Schedule:
    """The schedule of one facility: a `Schedule` of one row.

    Args:
        facility: A facility with `terms`.
        curves: The `ForwardCurve` of its reference rate, if floating.

    Raises:
        InvalidValueError: as `book_schedules`.

    Examples:
        >>> import datetime as dt
        >>> from lendcrm import (Amortisation, ClientId, DayCount, Facility,
        ...     FacilityId, FacilityKind, FacilityStatus, Money, Pricing,
        ...     RepaymentTerms, Seniority)
        >>> f = Facility(id=FacilityId("F-1"), client_id=ClientId("C-1"),
        ...     kind=FacilityKind.TERM_LOAN, currency="EUR",
        ...     limit=Money.of("1000000", "EUR"), drawn=Money.of("1000000", "EUR"),
        ...     start_on=dt.date(2026, 1, 15), maturity_on=dt.date(2031, 1, 15),
        ...     seniority=Seniority.SENIOR_SECURED,
        ...     pricing=Pricing(reference_rate="FIXED", margin_bps=600,
        ...                     arrangement_fee=Money.of("0", "EUR")),
        ...     status=FacilityStatus.ACTIVE,
        ...     terms=RepaymentTerms(amortisation=Amortisation.ANNUITY,
        ...         payments_per_year=1, day_count=DayCount.THIRTY_360))
        >>> facility_schedule(f).cash_flows.round(2).tolist()
        [[237396.4, 237396.4, 237396.4, 237396.4, 237396.4]]
    """
    return book_schedules([facility], curves=curves)
